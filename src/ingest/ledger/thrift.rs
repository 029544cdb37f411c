//! A bounded walk over a Parquet file's Thrift structures (compact protocol) before polars decodes them.
//!
//! polars 0.55 skips a field it does not know element by element, and counts a boolean list's elements as taking
//! no bytes: a list header of six bytes declaring 2^31 booleans kept it busy for three seconds, and a footer of
//! such headers for as long as it has them (found by the Parquet fuzz target). In the compact protocol every
//! element of a list, set or map takes at least one byte, so a collection that declares more elements than
//! bytes remain is damaged, whatever its type. This walks the footer, and each column chunk's page headers, the
//! way the protocol lays them out, in time linear in their bytes, and refuses such a collection and nesting
//! deeper than any Parquet structure has.
//!
//! The walk must read the bytes as polars will, or polars meets a list header the walk never saw. Two ways they
//! could part, each refused:
//! - polars skips a list of booleans as taking no bytes where the protocol gives each a byte: a footer with such a
//!   list in a field polars does not know made it read the following bytes from the wrong place, take a list
//!   header from them and size a vector by it (136 GB asked for by a 1.2 KB file, found by the fuzz target). No
//!   Parquet structure has a list of booleans.
//! - polars reads each field it knows as the type Parquet gives that field, whatever type the file declares (a
//!   row-group list declared as a double would be read as a list all the same). So the fields Parquet defines are
//!   walked as their types ([`Shape`]), and one declared with another type is refused.

/// Deeper than any Parquet structure nests (a schema is a flat list; statistics and encodings nest a few levels).
const MAX_DEPTH: usize = 64;

/// What Parquet gives a field: the wire types it may be declared with, and what it holds.
#[derive(Clone, Copy)]
enum Kind {
    /// i16, i32 or i64: a zigzag varint.
    Int,
    /// i8: one byte.
    Byte,
    Bool,
    Double,
    Binary,
    List(&'static Kind),
    Struct(&'static Shape),
}

/// A Thrift struct of the Parquet format: its name (for messages) and its fields by id.
struct Shape {
    name: &'static str,
    fields: &'static [(i16, Kind)],
}

impl Kind {
    /// Is compact wire type `t` this kind's?
    fn takes(self, t: u8) -> bool {
        match self {
            Kind::Int => matches!(t, 4..=6),
            Kind::Byte => t == 3,
            Kind::Bool => matches!(t, 1 | 2),
            Kind::Double => t == 7,
            Kind::Binary => t == 8,
            Kind::List(_) => matches!(t, 9 | 10),
            Kind::Struct(_) => t == 12,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Int => "an integer",
            Kind::Byte => "a byte",
            Kind::Bool => "a boolean",
            Kind::Double => "a double",
            Kind::Binary => "a string",
            Kind::List(_) => "a list",
            Kind::Struct(s) => s.name,
        }
    }
}

/// The Parquet format's structures (parquet.thrift), as far as a reader may meet them.
mod shapes {
    use super::Kind::{self, *};
    use super::Shape;

    const fn s(name: &'static str, fields: &'static [(i16, Kind)]) -> Shape {
        Shape { name, fields }
    }
    const EMPTY: Shape = s("an empty struct", &[]);
    const TIME_UNIT: Shape = s("a time unit", &[(1, Struct(&EMPTY)), (2, Struct(&EMPTY)), (3, Struct(&EMPTY))]);
    const LOGICAL_TYPE: Shape = s(
        "a logical type",
        &[
            (1, Struct(&EMPTY)),
            (2, Struct(&EMPTY)),
            (3, Struct(&EMPTY)),
            (4, Struct(&EMPTY)),
            (5, Struct(&s("a decimal type", &[(1, Int), (2, Int)]))),
            (6, Struct(&EMPTY)),
            (7, Struct(&s("a time type", &[(1, Bool), (2, Struct(&TIME_UNIT))]))),
            (8, Struct(&s("a timestamp type", &[(1, Bool), (2, Struct(&TIME_UNIT))]))),
            (10, Struct(&s("an integer type", &[(1, Byte), (2, Bool)]))),
            (11, Struct(&EMPTY)),
            (12, Struct(&EMPTY)),
            (13, Struct(&EMPTY)),
            (14, Struct(&EMPTY)),
            (15, Struct(&EMPTY)),
            (16, Struct(&s("a variant type", &[(1, Byte)]))),
            (17, Struct(&s("a geometry type", &[(1, Binary)]))),
            (18, Struct(&s("a geography type", &[(1, Binary), (2, Int)]))),
        ],
    );
    const SCHEMA_ELEMENT: Shape = s(
        "a schema element",
        &[
            (1, Int),
            (2, Int),
            (3, Int),
            (4, Binary),
            (5, Int),
            (6, Int),
            (7, Int),
            (8, Int),
            (9, Int),
            (10, Struct(&LOGICAL_TYPE)),
        ],
    );
    const KEY_VALUE: Shape = s("a key-value pair", &[(1, Binary), (2, Binary)]);
    pub const STATISTICS: Shape = s(
        "statistics",
        &[(1, Binary), (2, Binary), (3, Int), (4, Int), (5, Binary), (6, Binary), (7, Bool), (8, Bool)],
    );
    const BOUNDING_BOX: Shape = s(
        "a bounding box",
        &[(1, Double), (2, Double), (3, Double), (4, Double), (5, Double), (6, Double), (7, Double), (8, Double)],
    );
    const GEOSPATIAL_STATISTICS: Shape = s("geospatial statistics", &[(1, Struct(&BOUNDING_BOX)), (2, List(&Int))]);
    const COLUMN_META_DATA: Shape = s(
        "a column's metadata",
        &[
            (1, Int),
            (2, List(&Int)),
            (3, List(&Binary)),
            (4, Int),
            (5, Int),
            (6, Int),
            (7, Int),
            (8, List(&Struct(&KEY_VALUE))),
            (9, Int),
            (10, Int),
            (11, Int),
            (12, Struct(&STATISTICS)),
            (13, List(&Struct(&s("page encoding statistics", &[(1, Int), (2, Int), (3, Int)])))),
            (14, Int),
            (15, Int),
            (16, Struct(&s("size statistics", &[(1, Int), (2, List(&Int)), (3, List(&Int))]))),
            (17, Struct(&GEOSPATIAL_STATISTICS)),
        ],
    );
    const COLUMN_CHUNK: Shape = s(
        "a column chunk",
        &[(1, Binary), (2, Int), (3, Struct(&COLUMN_META_DATA)), (4, Int), (5, Int), (6, Int), (7, Int), (9, Binary)],
    );
    const ROW_GROUP: Shape = s(
        "a row group",
        &[
            (1, List(&Struct(&COLUMN_CHUNK))),
            (2, Int),
            (3, Int),
            (4, List(&Struct(&s("a sorting column", &[(1, Int), (2, Bool), (3, Bool)])))),
            (5, Int),
            (6, Int),
            (7, Int),
        ],
    );
    pub const FILE_META_DATA: Shape = s(
        "the file's metadata",
        &[
            (1, Int),
            (2, List(&Struct(&SCHEMA_ELEMENT))),
            (3, Int),
            (4, List(&Struct(&ROW_GROUP))),
            (5, List(&Struct(&KEY_VALUE))),
            (6, Binary),
            (7, List(&Struct(&s("a column order", &[(1, Struct(&EMPTY)), (2, Struct(&EMPTY))])))),
            (9, Binary),
        ],
    );
    const DATA_PAGE_HEADER: Shape =
        s("a data page header", &[(1, Int), (2, Int), (3, Int), (4, Int), (5, Struct(&STATISTICS))]);
    const DATA_PAGE_HEADER_V2: Shape = s(
        "a data page header (v2)",
        &[(1, Int), (2, Int), (3, Int), (4, Int), (5, Int), (6, Int), (7, Bool), (8, Struct(&STATISTICS))],
    );
    pub const PAGE_HEADER: Shape = s(
        "a page header",
        &[
            (1, Int),
            (2, Int),
            (3, Int),
            (4, Int),
            (5, Struct(&DATA_PAGE_HEADER)),
            (6, Struct(&EMPTY)),
            (7, Struct(&s("a dictionary page header", &[(1, Int), (2, Int), (3, Bool)]))),
            (8, Struct(&DATA_PAGE_HEADER_V2)),
        ],
    );
}

pub(super) struct Walker<'a> {
    bytes: &'a [u8],
    at: usize,
}

type Walk<T> = std::result::Result<T, String>;

impl<'a> Walker<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Walker { bytes, at: 0 }
    }

    /// Bytes read so far.
    pub fn position(&self) -> usize {
        self.at
    }

    fn byte(&mut self) -> Walk<u8> {
        let b = *self.bytes.get(self.at).ok_or("a structure runs past its end")?;
        self.at += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Walk<u64> {
        let mut value = 0u64;
        for shift in (0..70).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a number runs past ten bytes".into())
    }

    fn skip(&mut self, n: u64) -> Walk<()> {
        let n = usize::try_from(n).map_err(|_| "a length past the file")?;
        if n > self.bytes.len() - self.at {
            return Err("a value runs past its structure's end".into());
        }
        self.at += n;
        Ok(())
    }

    fn remaining(&self) -> u64 {
        (self.bytes.len() - self.at) as u64
    }

    /// A collection's size: more elements than bytes remain cannot be (each takes a byte at least).
    fn size(&mut self, size: u64, what: &str) -> Walk<u64> {
        if size > self.remaining() {
            return Err(format!("a {what} declares {size} elements in {} bytes", self.remaining()));
        }
        Ok(size)
    }

    /// A list's (or set's) header: its elements' type and how many there are, no more than bytes remain. A list
    /// of booleans is refused: a byte each by the protocol, none by polars' skip, so the two would part ways there.
    fn list_head(&mut self) -> Walk<(u8, u64)> {
        let head = self.byte()?;
        let size = match head >> 4 {
            15 => self.varint()?,
            n => u64::from(n),
        };
        let size = self.size(size, "list")?;
        if size > 0 && matches!(head & 0x0f, 1 | 2) {
            return Err("a list of booleans, which no Parquet structure has".into());
        }
        Ok((head & 0x0f, size))
    }

    /// One value of compact type `t`; `in_collection`: a boolean in a list takes a byte of its own.
    fn value(&mut self, t: u8, in_collection: bool, depth: usize) -> Walk<()> {
        if depth > MAX_DEPTH {
            return Err(format!("structures nest deeper than {MAX_DEPTH} levels"));
        }
        match t {
            1 | 2 if in_collection => self.byte().map(|_| ()),
            1 | 2 => Ok(()),
            3 => self.byte().map(|_| ()),
            4..=6 => self.varint().map(|_| ()),
            7 => self.skip(8),
            8 => {
                let n = self.varint()?;
                self.skip(n)
            }
            9 | 10 => {
                let (element, size) = self.list_head()?;
                for _ in 0..size {
                    self.value(element, true, depth + 1)?;
                }
                Ok(())
            }
            11 => {
                let size = self.varint()?;
                let size = self.size(size, "map")?;
                if size > 0 {
                    let kinds = self.byte()?;
                    for _ in 0..size {
                        self.value(kinds >> 4, true, depth + 1)?;
                        self.value(kinds & 0x0f, true, depth + 1)?;
                    }
                }
                Ok(())
            }
            12 => self.fields(None, depth + 1, &mut |_, _| {}),
            other => Err(format!("an unknown value type {other}")),
        }
    }

    /// One value of wire type `t` that Parquet gives as `kind`: refused unless `t` is `kind`'s type; a struct's
    /// and a list's elements walked as theirs.
    fn known(&mut self, t: u8, kind: Kind, in_collection: bool, depth: usize, what: &dyn Fn() -> String) -> Walk<()> {
        if !kind.takes(t) {
            return Err(format!("{} is declared with type {t}, where Parquet has {}", what(), kind.name()));
        }
        match kind {
            Kind::Struct(shape) => self.fields(Some(shape), depth + 1, &mut |_, _| {}),
            Kind::List(kind) => {
                if depth > MAX_DEPTH {
                    return Err(format!("structures nest deeper than {MAX_DEPTH} levels"));
                }
                let (element, size) = self.list_head()?;
                let what = || format!("an element of {}", what());
                for _ in 0..size {
                    self.known(element, *kind, true, depth + 1, &what)?;
                }
                Ok(())
            }
            _ => self.value(t, in_collection, depth),
        }
    }

    /// A struct's fields to its stop, those `shape` gives walked as their kinds; `seen` is given each integer
    /// field's id and value (a page header's sizes).
    fn fields(&mut self, shape: Option<&Shape>, depth: usize, seen: &mut dyn FnMut(i16, i64)) -> Walk<()> {
        if depth > MAX_DEPTH {
            return Err(format!("structures nest deeper than {MAX_DEPTH} levels"));
        }
        let mut last = 0i16;
        loop {
            let head = self.byte()?;
            if head == 0 {
                return Ok(());
            }
            let t = head & 0x0f;
            let id = match head >> 4 {
                0 => zigzag(self.varint()?) as i16,
                delta => last.wrapping_add(i16::from(delta)),
            };
            last = id;
            let kind = shape.and_then(|s| s.fields.iter().find(|(i, _)| *i == id)).map(|(_, k)| *k);
            if let (Some(kind), Some(shape)) = (kind, shape) {
                if !matches!(kind, Kind::Int) || !kind.takes(t) {
                    self.known(t, kind, false, depth, &|| format!("field {id} of {}", shape.name))?;
                    continue;
                }
            }
            if matches!(t, 4..=6) {
                seen(id, zigzag(self.varint()?));
            } else {
                self.value(t, false, depth)?;
            }
        }
    }
}

/// A compact-protocol integer's value from its zigzag varint.
fn zigzag(z: u64) -> i64 {
    (z >> 1) as i64 ^ -((z & 1) as i64)
}

/// Walks a footer (the `FileMetaData` struct).
pub(super) fn check_footer(footer: &[u8]) -> Walk<()> {
    Walker::new(footer).fields(Some(&shapes::FILE_META_DATA), 0, &mut |_, _| {})
}

/// Walks a column chunk's page headers, each followed by its page's bytes (`compressed_page_size`, field 3),
/// to the chunk's end.
pub(super) fn check_pages(chunk: &[u8]) -> Walk<()> {
    let mut at = 0usize;
    while at < chunk.len() {
        let mut w = Walker::new(&chunk[at..]);
        let mut size = None;
        w.fields(Some(&shapes::PAGE_HEADER), 0, &mut |id, v| {
            if id == 3 {
                size = Some(v);
            }
        })?;
        let size = size.and_then(|s| usize::try_from(s).ok()).ok_or("a page header without its page's size")?;
        at = at.checked_add(w.position()).and_then(|a| a.checked_add(size)).ok_or("a page size past the file")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_boolean_list_longer_than_its_bytes_is_refused_at_once() {
        // A struct whose field 15 (none of Parquet's) is a list (type 9) of 2^31 − 1 booleans (element type 1):
        // size 15 → varint.
        let footer = [0xf9, 0xf1, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00];
        let e = check_footer(&footer).unwrap_err();
        assert_eq!(e, "a list declares 2147483647 elements in 1 bytes");
    }

    #[test]
    fn a_well_formed_struct_walks_to_its_stop() {
        // Field 1 (version) i32 = 5 (zigzag 10), field 6 (created by) binary "ab", field 15 (none of Parquet's)
        // a list of 2 i32, stop.
        let footer = [0x15, 0x0a, 0x58, 0x02, b'a', b'b', 0x99, 0x25, 0x01, 0x02, 0x00];
        assert!(check_footer(&footer).is_ok());
        // Cut short: an error, never a panic.
        for n in 0..footer.len() {
            assert!(check_footer(&footer[..n]).is_err(), "{n}");
        }
    }

    #[test]
    fn a_field_declared_as_another_type_than_parquets_is_refused() {
        // Field 4 (the row groups, a list) declared as a double (type 7): polars would read the list's header
        // from the double's bytes (here 2^28 − 1 elements) and size a vector by it.
        let footer = [0x47, 0xfc, 0xff, 0xff, 0xff, 0x7f, 0x00, 0x00, 0x00, 0x00];
        assert_eq!(
            check_footer(&footer).unwrap_err(),
            "field 4 of the file's metadata is declared with type 7, where Parquet has a list"
        );
        // Nested: one row group (a list of one struct) whose field 1 (its column chunks) is a string.
        let footer = [0x49, 0x1c, 0x18, 0x01, b'x', 0x00, 0x00];
        assert_eq!(
            check_footer(&footer).unwrap_err(),
            "field 1 of a row group is declared with type 8, where Parquet has a list"
        );
        // A list's elements of another type: the schema as a list of integers.
        let footer = [0x29, 0x15, 0x02, 0x00];
        assert_eq!(
            check_footer(&footer).unwrap_err(),
            "an element of field 2 of the file's metadata is declared with type 5, where Parquet has a schema \
             element"
        );
        // A page header (fields 1–3), its data page header (5) with statistics (5) whose field 7 (is_max_value_exact,
        // a boolean polars takes from the field header and panics without) is an i32.
        let header = [0x15, 0x00, 0x15, 0x04, 0x15, 0x04, 0x2c, 0x5c, 0x75, 0x02, 0x00, 0x00, 0x00];
        assert_eq!(
            check_pages(&header).unwrap_err(),
            "field 7 of statistics is declared with type 5, where Parquet has a boolean"
        );
    }

    #[test]
    fn a_list_of_booleans_is_refused() {
        // Field 15 (none of Parquet's): a list of one boolean, its byte 0x01, then the stop. polars would skip
        // no byte for the boolean and read 0x01 as the next field's header.
        let footer = [0xf9, 0x11, 0x01, 0x00];
        assert_eq!(check_footer(&footer).unwrap_err(), "a list of booleans, which no Parquet structure has");
    }

    #[test]
    fn page_headers_are_walked_with_their_pages() {
        // Two headers: field 1 i32 (type) 0, field 2 i32 (uncompressed) 2, field 3 i32 (compressed) 2, stop; then
        // two bytes of page.
        let page = [0x15, 0x00, 0x15, 0x04, 0x15, 0x04, 0x00, 0xaa, 0xbb];
        let chunk = [page, page].concat();
        assert!(check_pages(&chunk).is_ok());
        assert!(check_pages(&chunk[..chunk.len() - 1]).is_ok(), "a short last page is the decoder's to say");
    }
}
