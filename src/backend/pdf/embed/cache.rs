//! The font programs of the disk cache (`<out>/.folio-cache/pdf-fonts/`,
//! see [`crate::backend::pdf::disk_cache`]): compressing each face's
//! subset was most of the end of a PDF's writing, on one core, and the
//! same book uses the same glyphs build after build.
//!
//! An entry holds a font program (a face's subset, or a CFF face's bare
//! `CFF ` table) compressed as [`super::fonts`] compresses it. Its key is
//! a SHA-256 of the program itself and the level ([`key`]): cutting a face
//! is quick, and hashing the few kilobytes it keeps is quicker than
//! hashing the whole face, which would be the other way to know the
//! program is the same. An entry is used only when its header names its
//! key and its payload's digest matches: anything else is a miss, the
//! program compressed again and the entry rewritten.

use crate::backend::pdf::disk_cache::{DiskCache, Key, Reader, key_hasher, seal, sealed};
use sha2::Digest;

/// Changes whenever the entry layout, what a key covers, the subsetter or
/// the compressor changes.
const FORMAT: &[u8] = b"folio pdf-fonts 1";
/// First bytes of every entry.
const MAGIC: &[u8; 8] = b"FOLIOFNT";
/// Header: magic, key, the compressed length, digest of the rest of the
/// header and the payload.
const HEADER: usize = 8 + 32 + 8 + 32;

/// The key of `program` compressed at `level`.
pub fn key(program: &[u8], level: u32) -> Key {
    let mut h = key_hasher(FORMAT);
    h.update(level.to_le_bytes());
    // Last, so its length needs no prefix.
    h.update(program);
    h.finalize().into()
}

/// The bytes of compressed program `packed` filed under `key`.
pub fn encode(key: &Key, packed: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + packed.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(key);
    out.extend_from_slice(&(packed.len() as u64).to_le_bytes());
    seal(&mut out, &[packed]);
    out
}

/// The compressed program in `bytes` if they are an entry filed under
/// `key`, whole: `None` for anything else (short, foreign, damaged). Never
/// panics.
pub fn decode(key: &Key, bytes: &[u8]) -> Option<Vec<u8>> {
    let mut r = Reader(bytes);
    if r.take(MAGIC.len())? != MAGIC || r.take(32)? != key {
        return None;
    }
    let packed_len = usize::try_from(u64::from_le_bytes(r.array()?)).ok()?;
    let want: [u8; 32] = r.array()?;
    let packed = r.take(packed_len)?;
    if !r.0.is_empty() {
        return None;
    }
    sealed(bytes.get(..HEADER - 32)?, &[packed], &want).then(|| packed.to_vec())
}

/// The compressed program of `key` if `cache` holds a good one of a
/// program of `length` bytes (deflate adds little to what it cannot
/// compress).
pub fn get(cache: &DiskCache, key: &Key, length: usize) -> Option<Vec<u8>> {
    let max_bytes = (length as u64)
        .saturating_mul(2)
        .saturating_add(4096 + HEADER as u64);
    decode(key, &cache.read(&cache.fonts, key, max_bytes)?)
}

/// Keeps compressed program `packed` to be written under `key` once the
/// build's outputs are.
pub fn put(cache: &DiskCache, key: Key, packed: &[u8]) {
    cache.fonts.put(key, encode(&key, packed));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::pdf::disk_cache::{FOLDER, hex};

    fn sample() -> (Key, Vec<u8>) {
        let program = [7; 40];
        let packed = crate::backend::pdf::deflate::deflate(&program, 6);
        (key(&program, 6), packed)
    }

    #[test]
    fn programs_read_back_as_written() {
        let (key, packed) = sample();
        assert_eq!(decode(&key, &encode(&key, &packed)), Some(packed));
    }

    #[test]
    fn damaged_or_foreign_entries_are_refused_without_panic() {
        let (key, packed) = sample();
        let bytes = encode(&key, &packed);
        crate::backend::pdf::disk_cache::assert_damage_refused(&bytes, |b| {
            decode(&key, b).is_some()
        });
        assert_eq!(decode(&super::key(b"other", 6), &bytes), None);
    }

    #[test]
    fn keys_change_with_the_program_and_the_level() {
        let keys = [
            key(b"program", 6),
            key(b"program", 5),
            key(b"programs", 6),
            key(b"", 6),
        ];
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn programs_are_kept_on_their_own_shelf_within_a_bound() {
        let out = tempfile::tempdir().unwrap();
        let cache = DiskCache::new(out.path());
        let (key, packed) = sample();
        put(&cache, key, &packed);
        cache.flush();
        let folder = out.path().join(FOLDER);
        assert!(folder.join("pdf-fonts").join(hex(&key)).is_file());
        assert!(!folder.join("pdf-images").exists());
        assert_eq!(get(&cache, &key, 40), Some(packed));
        // An entry bigger than a program of that length could make.
        let big = vec![1; 9000];
        let big_key = super::key(&big, 6);
        put(&cache, big_key, &big);
        cache.flush();
        assert_eq!(get(&cache, &big_key, 10), None);
        assert_eq!(get(&cache, &big_key, 9000), Some(big));
    }
}
