//! Shaped text per face, shared by every thread that sets text: a word is
//! shaped once per book, not once per layout thread. Split into shards by
//! the text's length and last byte, each behind its own lock, so the threads' look-ups
//! (almost all hits, under a shared lock) seldom meet on one lock. Short
//! texts (most words) are keys held in the table itself: a look-up is
//! bound by memory, and following a pointer to each key's text was a
//! third of its misses.
//!
//! The shapings themselves are kept in a [`Store`] that only grows until
//! the cache is dropped, so a look-up hands out a plain reference: no
//! reference count that both layout threads would write to (and pass the
//! line back and forth) for every word they set and drop.

use super::Shaped;
use crate::backend::pdf::sync::{read, write};
use rustc_hash::FxHashMap;
use std::borrow::Borrow;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{OnceLock, RwLock};

/// Shards: a power of two, well above the number of layout threads.
const SHARDS: usize = 16;

/// Per face index, text to its shaping's number in the [`Store`].
type Shard = Vec<FxHashMap<Key, u32>>;

/// Texts up to this many bytes are held in the key itself.
const INLINE: usize = 22;

/// A text as a map key: in place when short, else on the heap.
enum Key {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl Key {
    fn new(text: &str) -> Key {
        let mut bytes = [0; INLINE];
        match (bytes.get_mut(..text.len()), u8::try_from(text.len())) {
            (Some(place), Ok(len)) => {
                place.copy_from_slice(text.as_bytes());
                Key::Inline { len, bytes }
            }
            _ => Key::Heap(text.into()),
        }
    }

    /// The text's bytes: what the key hashes and compares as, so the map
    /// is looked up by a text's bytes with no UTF-8 check.
    fn bytes(&self) -> &[u8] {
        match self {
            Key::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or_default(),
            Key::Heap(text) => text.as_bytes(),
        }
    }
}

impl Borrow<[u8]> for Key {
    fn borrow(&self) -> &[u8] {
        self.bytes()
    }
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.bytes().hash(state);
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.bytes() == other.bytes()
    }
}

impl Eq for Key {}

/// The shapings, numbered in the order they were made, each in a slot
/// that is set once and never moved: chunk `k` holds `FIRST << k` slots,
/// allocated when the first of them is needed, so the store grows without
/// moving what it holds (and without `unsafe`).
struct Store {
    chunks: [OnceLock<Box<[OnceLock<Shaped>]>>; CHUNKS],
    next: AtomicU32,
}

/// Slots in the first chunk.
const FIRST: usize = 256;

/// Chunks: enough for every number a `u32` holds.
const CHUNKS: usize = 25;

/// What a number past the store's end reads as (never handed out: it
/// would take four thousand million texts).
static NONE: Shaped = Shaped {
    text: String::new(),
    glyphs: Vec::new(),
    texts: Vec::new(),
    width: 0.0,
};

impl Store {
    /// The chunk and the slot in it of shaping `i`.
    fn place(i: u32) -> (usize, usize) {
        let i = i as usize;
        let j = i / FIRST + 1;
        let k = (usize::BITS - 1 - j.leading_zeros()) as usize;
        (k, i - FIRST * ((1 << k) - 1))
    }

    /// Keeps `shaped` and gives its number.
    fn push(&self, shaped: Shaped) -> u32 {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        let (k, slot) = Store::place(i);
        if let Some(chunk) = self.chunks.get(k) {
            let chunk = chunk.get_or_init(|| (0..FIRST << k).map(|_| OnceLock::new()).collect());
            // Numbers are handed out once: the slot is empty.
            let _ = chunk.get(slot).map(|s| s.set(shaped));
        }
        i
    }

    fn get(&self, i: u32) -> &Shaped {
        let (k, slot) = Store::place(i);
        self.chunks
            .get(k)
            .and_then(OnceLock::get)
            .and_then(|chunk| chunk.get(slot))
            .and_then(OnceLock::get)
            .unwrap_or(&NONE)
    }
}

/// The shared cache of shaped text.
pub struct ShapedCache {
    shards: [RwLock<Shard>; SHARDS],
    store: Store,
}

impl Default for ShapedCache {
    fn default() -> ShapedCache {
        ShapedCache {
            shards: std::array::from_fn(|_| RwLock::new(Shard::default())),
            store: Store {
                chunks: std::array::from_fn(|_| OnceLock::new()),
                next: AtomicU32::new(0),
            },
        }
    }
}

impl ShapedCache {
    /// The shaping of `text` in `face`, from `shape` on the first call for
    /// them (outside any lock: two threads may both shape a new text; the
    /// first insert wins, and both shapings are the same). It lives as
    /// long as the cache.
    pub fn get_or_shape(&self, face: usize, text: &str, shape: impl FnOnce() -> Shaped) -> &Shaped {
        let shard = self.shard(face, text);
        let hit = read(shard)
            .get(face)
            .and_then(|m| m.get(text.as_bytes()))
            .copied();
        if let Some(i) = hit {
            return self.store.get(i);
        }
        let shaped = shape();
        let mut faces = write(shard);
        if faces.len() <= face {
            faces.resize_with(face + 1, FxHashMap::default);
        }
        let Some(map) = faces.get_mut(face) else {
            return &NONE;
        };
        if let Some(&i) = map.get(text.as_bytes()) {
            return self.store.get(i);
        }
        let i = self.store.push(shaped);
        map.insert(Key::new(text), i);
        self.store.get(i)
    }

    fn shard(&self, face: usize, text: &str) -> &RwLock<Shard> {
        // Not the map's hash (that would hash each text twice): length and
        // last byte spread words well enough over a few shards.
        let last = text.as_bytes().last().copied().unwrap_or(0);
        let i = (face ^ text.len() ^ usize::from(last)) % SHARDS;
        &self.shards[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn shaped(width: f32) -> Shaped {
        Shaped {
            width,
            ..Shaped::default()
        }
    }

    #[test]
    fn a_text_is_shaped_once_per_face() {
        let cache = ShapedCache::default();
        let calls = Cell::new(0);
        let shape = |w| {
            calls.set(calls.get() + 1);
            shaped(w)
        };
        let first = cache.get_or_shape(0, "word", || shape(1.0));
        let again = cache.get_or_shape(0, "word", || shape(2.0));
        assert!(std::ptr::eq(first, again));
        assert_eq!(calls.get(), 1);
        // Another face, another text: shaped anew, kept apart.
        let other_face = cache.get_or_shape(3, "word", || shape(3.0));
        let other_text = cache.get_or_shape(0, "words", || shape(4.0));
        assert_eq!(calls.get(), 3);
        assert_eq!(other_face.width, 3.0);
        assert_eq!(other_text.width, 4.0);
        assert_eq!(cache.get_or_shape(0, "word", || shape(9.0)).width, 1.0);
    }

    #[test]
    fn short_and_long_texts_are_keys_alike() {
        let long = "x".repeat(INLINE + 1);
        let edge = "y".repeat(INLINE);
        for text in [
            "",
            "a",
            "wörd",
            edge.as_str(),
            long.as_str(),
            "ﬁ‐ligature-and-more-than-22",
        ] {
            let key = Key::new(text);
            assert_eq!(key.bytes(), text.as_bytes());
            let mut map = FxHashMap::default();
            map.insert(key, text.len());
            assert_eq!(map.get(text.as_bytes()), Some(&text.len()), "{text}");
        }
        assert!(matches!(Key::new(&edge), Key::Inline { .. }));
        assert!(matches!(Key::new(&long), Key::Heap(_)));
        let cache = ShapedCache::default();
        let a = cache.get_or_shape(0, &long, || shaped(1.0));
        let b = cache.get_or_shape(0, &long, || shaped(2.0));
        assert!(std::ptr::eq(a, b));
    }

    #[test]
    fn threads_share_one_shaping() {
        let cache = ShapedCache::default();
        let texts: Vec<String> = (0..200).map(|i| format!("w{i}")).collect();
        let run = || {
            texts
                .iter()
                .map(|t| cache.get_or_shape(1, t, || shaped(t.len() as f32)))
                .collect::<Vec<_>>()
        };
        let (a, b) = crate::par::on_two_threads(run);
        // Whichever thread shaped a text first, both got that one.
        assert!(a.iter().zip(&b).all(|(x, y)| std::ptr::eq(*x, *y)));
        assert!(a.iter().zip(&texts).all(|(s, t)| s.width == t.len() as f32));
    }

    #[test]
    fn the_store_keeps_every_shaping_in_place_across_chunks() {
        // Numbers at the chunks' edges land in consecutive slots.
        assert_eq!(Store::place(0), (0, 0));
        assert_eq!(Store::place(255), (0, 255));
        assert_eq!(Store::place(256), (1, 0));
        assert_eq!(Store::place(767), (1, 511));
        assert_eq!(Store::place(768), (2, 0));
        assert_eq!(Store::place(u32::MAX).0, CHUNKS - 1);
        let cache = ShapedCache::default();
        let n = FIRST * 7 + 3;
        let first: Vec<&Shaped> = (0..n)
            .map(|i| cache.get_or_shape(0, &i.to_string(), || shaped(i as f32)))
            .collect();
        // Later chunks did not move the earlier shapings.
        for (i, s) in first.iter().enumerate() {
            let again = cache.get_or_shape(0, &i.to_string(), || shaped(-1.0));
            assert!(std::ptr::eq(*s, again));
            assert_eq!(again.width, i as f32);
        }
        assert_eq!(cache.store.get(u32::MAX).width, 0.0);
    }
}
