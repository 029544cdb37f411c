//! A bounded walk over a Parquet file's Thrift structures (compact protocol) before polars decodes them.
//!
//! polars 0.55 skips a field it does not know element by element, and counts a boolean list's elements as taking
//! no bytes: a list header of six bytes declaring 2^31 booleans kept it busy for three seconds, and a footer of
//! such headers for as long as it has them (found by the Parquet fuzz target). In the compact protocol every
//! element of a list, set or map takes at least one byte, so a collection that declares more elements than
//! bytes remain is damaged, whatever its type. This walks the footer, and each column chunk's page headers, the
//! way the protocol lays them out, in time linear in their bytes, and refuses such a collection and nesting
//! deeper than any Parquet structure has.

/// Deeper than any Parquet structure nests (a schema is a flat list; statistics and encodings nest a few levels).
const MAX_DEPTH: usize = 64;

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
                let head = self.byte()?;
                let size = match head >> 4 {
                    15 => self.varint()?,
                    n => u64::from(n),
                };
                let size = self.size(size, "list")?;
                for _ in 0..size {
                    self.value(head & 0x0f, true, depth + 1)?;
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
            12 => self.fields(depth + 1, &mut |_, _| {}).map(|_| ()),
            other => Err(format!("an unknown value type {other}")),
        }
    }

    /// A struct's fields to its stop; `seen` is given each integer field's id and value (a page header's sizes).
    pub fn fields(&mut self, depth: usize, seen: &mut dyn FnMut(i16, i64)) -> Walk<()> {
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
                0 => {
                    let z = self.varint()?;
                    ((z >> 1) as i64 ^ -((z & 1) as i64)) as i16
                }
                delta => last.wrapping_add(i16::from(delta)),
            };
            last = id;
            if matches!(t, 4..=6) {
                let z = self.varint()?;
                seen(id, (z >> 1) as i64 ^ -((z & 1) as i64));
            } else {
                self.value(t, false, depth)?;
            }
        }
    }
}

/// Walks a footer (the `FileMetaData` struct).
pub(super) fn check_footer(footer: &[u8]) -> Walk<()> {
    Walker::new(footer).fields(0, &mut |_, _| {})
}

/// Walks a column chunk's page headers, each followed by its page's bytes (`compressed_page_size`, field 3),
/// to the chunk's end.
pub(super) fn check_pages(chunk: &[u8]) -> Walk<()> {
    let mut at = 0usize;
    while at < chunk.len() {
        let mut w = Walker::new(&chunk[at..]);
        let mut size = None;
        w.fields(0, &mut |id, v| {
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
        // A struct whose field 1 is a list (type 9) of 2^31 − 1 booleans (element type 1): size 15 → varint.
        let footer = [0x19, 0xf1, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00];
        let e = check_footer(&footer).unwrap_err();
        assert_eq!(e, "a list declares 2147483647 elements in 1 bytes");
    }

    #[test]
    fn a_well_formed_struct_walks_to_its_stop() {
        // Field 1 i32 = 5 (zigzag 10), field 2 binary "ab", field 3 list of 2 booleans, stop.
        let footer = [0x15, 0x0a, 0x18, 0x02, b'a', b'b', 0x19, 0x21, 0x01, 0x02, 0x00];
        assert!(check_footer(&footer).is_ok());
        // Cut short: an error, never a panic.
        for n in 0..footer.len() {
            assert!(check_footer(&footer[..n]).is_err(), "{n}");
        }
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
