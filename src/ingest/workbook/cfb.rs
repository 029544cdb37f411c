//! A pre-check of Excel 97–2003 compound files (and of anything else that starts like one) before calamine
//! opens them.
//!
//! calamine follows a compound file's sector chains (the directory, the mini stream, each stream) until they
//! end, without noticing a chain that loops; a chain whose declared length is large (the directory's is
//! unlimited) then grows until memory runs out — a 9.7 KB file reached 24 GB. It also builds the sector table
//! from every table sector the header lists, repeats included. This walks the same chains calamine will walk,
//! in the same order and with the same bounds, over the bytes alone (nothing copied but the directory and the
//! mini table), and refuses the file where a chain loops or runs past its table, or the table lists more
//! sectors than the file has. What calamine refuses itself (a bad signature, a sector past the end) is left
//! to it, so the reason it gives stays the one the user sees.

const MAGIC: [u8; 8] = *b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
/// Sector numbers from here up are markers, not sectors.
const RESERVED: u32 = 0xFFFF_FFFA;
const DIFSECT: u32 = 0xFFFF_FFFC;
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
/// Streams shorter than this live in the mini stream, in 64-byte sectors.
const MINI_CUTOFF: u64 = 4096;
const MINI_SECTOR: usize = 64;

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn u32s(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

/// The file's sectors as calamine numbers them: sector 0 starts after the header (one sector long).
struct Sectors<'a> {
    bytes: &'a [u8],
    size: usize,
    /// The highest sector number calamine accepts.
    max_id: usize,
}

impl<'a> Sectors<'a> {
    /// The bytes of a sector; short or empty at the end of the file.
    fn get(&self, id: u32) -> &'a [u8] {
        let start = (id as usize).saturating_add(1).saturating_mul(self.size).min(self.bytes.len());
        let end = start.saturating_add(self.size).min(self.bytes.len());
        &self.bytes[start..end]
    }
}

/// Why the check stopped short of the end.
enum Stop {
    /// The file is damaged in a way calamine would not survive: the reason, in the user's terms.
    Damaged(String),
    /// calamine refuses the file itself, with its own reason.
    LeftToReader,
}

/// The sectors of a chain as calamine follows it: from `start` through `table` until the end marker or until
/// `len` bytes are read (`size_of` giving each sector's). A sector met twice before then is a loop; a sector
/// past `max_id` is calamine's own error.
fn chain(
    what: &str,
    start: u32,
    table: &[u32],
    max_id: usize,
    len: u64,
    size_of: &dyn Fn(u32) -> usize,
) -> Result<Vec<u32>, Stop> {
    let mut seen = vec![false; table.len()];
    let mut ids = Vec::new();
    let (mut id, mut read) = (start, 0u64);
    while id != ENDOFCHAIN {
        if id as usize > max_id {
            return Err(Stop::LeftToReader);
        }
        ids.push(id);
        read = read.saturating_add(size_of(id) as u64);
        if read >= len {
            break;
        }
        let Some(&next) = table.get(id as usize) else {
            return Err(Stop::Damaged(format!("the chain of {what} runs past its sector table at sector {id}")));
        };
        if std::mem::replace(&mut seen[id as usize], true) {
            return Err(Stop::Damaged(format!("the chain of {what} loops back to sector {id}")));
        }
        id = next;
    }
    Ok(ids)
}

/// A directory entry's name, as a message may show it: printable, and cut.
fn entry_name(entry: &[u8]) -> String {
    let units = entry[..64].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).take_while(|&u| u != 0);
    let name: String = char::decode_utf16(units).map(|c| c.unwrap_or('\u{fffd}')).collect();
    let shown: String = name.chars().filter(|c| !c.is_control()).take(40).collect();
    if shown.chars().count() < name.chars().count() {
        format!("{shown}…")
    } else {
        shown
    }
}

/// `Err` with the reason when the file starts as a compound file and calamine would loop or outgrow memory on
/// it; `Ok` otherwise (including files calamine refuses by itself).
pub(super) fn check(bytes: &[u8]) -> Result<(), String> {
    match check_chains(bytes) {
        Err(Stop::Damaged(why)) => Err(why),
        _ => Ok(()),
    }
}

pub(super) fn is_compound(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

fn check_chains(bytes: &[u8]) -> Result<(), Stop> {
    use Stop::{Damaged, LeftToReader as Left};
    if bytes.len() < 512 || !is_compound(bytes) {
        return Err(Left);
    }
    let size = match u16_at(bytes, 30) {
        9 => 512,
        12 => 4096,
        _ => return Err(Left),
    };
    if u16_at(bytes, 32) != 6 || bytes.len() < size {
        return Err(Left);
    }
    let sectors = Sectors { bytes, size, max_id: bytes.len() / size };
    let max_id = sectors.max_id;

    // The sector table's own sectors: 109 listed in the header, the rest in a chain of DIFAT sectors.
    let mut difat: Vec<u32> = u32s(&bytes[76..512]).collect();
    let (mut id, mut count) = (u32_at(bytes, 68), 0usize);
    while id < RESERVED {
        count += 1;
        if count > max_id + 1 || id as usize > max_id {
            return Err(Left);
        }
        difat.extend(u32s(sectors.get(id)));
        id = difat.pop().ok_or(Left)?;
    }
    let table_ids: Vec<u32> = difat.into_iter().filter(|&id| id < DIFSECT).collect();
    if table_ids.iter().any(|&id| id as usize > max_id) {
        return Err(Left);
    }
    if table_ids.len() > max_id {
        return Err(Damaged(format!(
            "its header lists {} sectors of its sector table, more than the {} sectors the file has",
            table_ids.len(),
            max_id
        )));
    }
    let fats: Vec<u32> = table_ids.iter().flat_map(|&id| u32s(sectors.get(id))).collect();
    let main_size = |id: u32| sectors.get(id).len();

    let dir_ids = chain("the directory", u32_at(bytes, 48), &fats, max_id, u64::MAX, &main_size)?;
    let dir: Vec<u8> = dir_ids.iter().flat_map(|&id| sectors.get(id).iter().copied()).collect();
    let entries: Vec<(String, u32, u64)> = dir
        .chunks_exact(128)
        .map(|e| {
            let len = if size == 512 {
                u64::from(u32_at(e, 120))
            } else {
                u64::from_le_bytes(e[120..128].try_into().unwrap_or([0; 8]))
            };
            (entry_name(e), u32_at(e, 116), len)
        })
        .collect();
    let Some(&(_, root_start, root_len)) = entries.first() else { return Err(Left) };
    if u16_at(bytes, 26) != 3 && root_start == ENDOFCHAIN {
        return Err(Left);
    }
    let mini_table_len = u64::from(u32_at(bytes, 64));
    let mut mini_fats = Vec::new();
    if mini_table_len > 0 {
        chain("the mini stream", root_start, &fats, max_id, root_len, &main_size)?;
        let len = mini_table_len.saturating_mul(size as u64);
        let ids = chain("the mini sector table", u32_at(bytes, 60), &fats, max_id, len, &main_size)?;
        let mut table: Vec<u8> = ids.iter().flat_map(|&id| sectors.get(id).iter().copied()).collect();
        table.truncate(usize::try_from(len).unwrap_or(usize::MAX));
        mini_fats = u32s(&table).collect();
    }
    // Every named stream (the root's is the mini stream, checked above): calamine asks for them by name.
    for (name, start, len) in entries.iter().skip(1) {
        if name.is_empty() || *len == 0 {
            continue;
        }
        let what = format!("the stream \"{name}\"");
        if *len < MINI_CUTOFF {
            chain(&what, *start, &mini_fats, max_id.saturating_mul(8), *len, &|_| MINI_SECTOR)?;
        } else {
            chain(&what, *start, &fats, max_id, *len, &main_size)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small compound file: header, one sector-table sector (sector 0), one directory sector (sector 1)
    /// holding the root and a stream "Workbook" of `len` bytes starting at sector 2, then `data` sectors.
    fn compound(table: &[u32], len: u32, data: usize) -> Vec<u8> {
        let mut b = vec![0u8; 512];
        b[..8].copy_from_slice(&MAGIC);
        b[26..28].copy_from_slice(&3u16.to_le_bytes());
        b[30..32].copy_from_slice(&9u16.to_le_bytes());
        b[32..34].copy_from_slice(&6u16.to_le_bytes());
        b[44..48].copy_from_slice(&1u32.to_le_bytes());
        b[48..52].copy_from_slice(&1u32.to_le_bytes()); // directory at sector 1
        b[60..64].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
        b[68..72].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
        for i in 0..109 {
            let v: u32 = if i == 0 { 0 } else { 0xFFFF_FFFF };
            b[76 + 4 * i..80 + 4 * i].copy_from_slice(&v.to_le_bytes());
        }
        let mut fat = vec![0xFFu8; 512];
        for (i, v) in table.iter().enumerate() {
            fat[4 * i..4 * i + 4].copy_from_slice(&v.to_le_bytes());
        }
        b.extend(fat);
        let mut dir = vec![0u8; 512];
        let name = |d: &mut [u8], s: &str| {
            for (i, u) in s.encode_utf16().enumerate() {
                d[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
            }
        };
        name(&mut dir[..128], "Root Entry");
        dir[116..120].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
        name(&mut dir[128..256], "Workbook");
        dir[128 + 116..128 + 120].copy_from_slice(&2u32.to_le_bytes());
        dir[128 + 120..128 + 124].copy_from_slice(&len.to_le_bytes());
        b.extend(dir);
        b.extend(vec![0u8; 512 * data]);
        b
    }

    const FAT: u32 = 0xFFFF_FFFD;

    #[test]
    fn a_well_formed_chain_passes() {
        // Sector 0 the table, 1 the directory, 2..=9 the stream's eight sectors (4 096 bytes).
        let mut table = vec![FAT, ENDOFCHAIN];
        table.extend((3..=9).map(|n| n as u32));
        table.push(ENDOFCHAIN);
        assert!(check(&compound(&table, 4096, 8)).is_ok());
    }

    #[test]
    fn a_stream_chain_that_loops_is_refused() {
        // The stream's chain 2 → 3 → 2 … while its length asks for 3 000 000 bytes.
        let table = vec![FAT, ENDOFCHAIN, 3, 2];
        let why = check(&compound(&table, 3_000_000, 2)).unwrap_err();
        assert_eq!(why, "the chain of the stream \"Workbook\" loops back to sector 2");
    }

    #[test]
    fn a_directory_chain_that_loops_is_refused() {
        let table = vec![FAT, 1];
        let why = check(&compound(&table, 0, 0)).unwrap_err();
        assert_eq!(why, "the chain of the directory loops back to sector 1");
    }

    #[test]
    fn a_chain_past_its_table_is_refused() {
        // The table lists 128 sectors; the stream's second sector points past it (the file is large enough
        // that calamine would read sector 200 and then index past its table).
        let mut table = vec![FAT, ENDOFCHAIN, 200];
        table.resize(128, 0xFFFF_FFFF);
        let why = check(&compound(&table, 8192, 300)).unwrap_err();
        assert_eq!(why, "the chain of the stream \"Workbook\" runs past its sector table at sector 200");
    }

    #[test]
    fn what_calamine_refuses_itself_is_left_to_it() {
        assert!(check(b"not a compound file").is_ok());
        // A sector past the end of the file: calamine's own error.
        let table = vec![FAT, ENDOFCHAIN, 5000];
        assert!(check(&compound(&table, 8192, 2)).is_ok());
    }
}
