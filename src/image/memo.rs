//! A memo of expensive image conversions (SVG drawn to PNG, large rasters
//! scaled down, the EPUB cover drawn), for `folio watch`: a rebuild after
//! one page changed must not draw every picture again.
//!
//! Off unless [`enable`]d: a one-shot build converts each image once and
//! gains nothing from keeping the results. Entries are keyed by a SHA-256
//! of everything the result depends on (the caller's [`Key`]), never by a
//! file's path or time, so an edited image is converted anew. The memo
//! holds at most its byte budget: past it, it starts over empty.

use sha2::{Digest, Sha256};
use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// What a conversion's result depends on, hashed.
pub struct Key(Sha256);

impl Key {
    /// A key for conversions of kind `tag` (results of different kinds
    /// never meet).
    pub fn new(tag: &str) -> Key {
        let mut key = Key(Sha256::new());
        key.add(tag.as_bytes());
        key
    }

    /// One more input; each is length-prefixed so parts cannot run into
    /// one another.
    pub fn add(&mut self, part: &[u8]) -> &mut Key {
        self.0.update((part.len() as u64).to_le_bytes());
        self.0.update(part);
        self
    }

    fn digest(self) -> [u8; 32] {
        self.0.finalize().into()
    }
}

struct Entry {
    value: Arc<dyn Any + Send + Sync>,
}

struct Memo {
    entries: HashMap<[u8; 32], Entry>,
    bytes: usize,
    budget: usize,
}

fn memo() -> &'static Mutex<Option<Memo>> {
    static MEMO: OnceLock<Mutex<Option<Memo>>> = OnceLock::new();
    MEMO.get_or_init(|| Mutex::new(None))
}

/// Keeps conversion results from now on, up to `budget` bytes.
pub fn enable(budget: usize) {
    if let Ok(mut memo) = memo().lock() {
        *memo = Some(Memo {
            entries: HashMap::new(),
            bytes: 0,
            budget,
        });
    }
}

/// The result of `compute` for `key`: the kept one when there is one, else
/// computed (and kept when the memo is on; `size` is what it holds in
/// bytes). The lock is not held while computing, so conversions on
/// several threads run side by side.
pub fn get_or_compute<T>(key: Key, size: impl Fn(&T) -> usize, compute: impl FnOnce() -> T) -> T
where
    T: Clone + Send + Sync + 'static,
{
    let on = memo().lock().map(|m| m.is_some()).unwrap_or(false);
    if !on {
        return compute();
    }
    let digest = key.digest();
    let kept = memo().lock().ok().and_then(|m| {
        m.as_ref()
            .and_then(|m| m.entries.get(&digest))
            .and_then(|e| e.value.downcast_ref::<T>().cloned())
    });
    if let Some(value) = kept {
        return value;
    }
    let value = compute();
    let bytes = size(&value);
    if let Ok(mut guard) = memo().lock()
        && let Some(m) = guard.as_mut()
        && bytes <= m.budget
    {
        if m.bytes + bytes > m.budget {
            m.entries.clear();
            m.bytes = 0;
        }
        m.bytes += bytes;
        let entry = Entry {
            value: Arc::new(value.clone()),
        };
        if let Some(old) = m.entries.insert(digest, entry) {
            // The same key twice (two threads at once): count it once.
            drop(old);
            m.bytes -= bytes;
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn kept_by_content_and_bounded() {
        let calls = AtomicUsize::new(0);
        let run = |data: &[u8]| {
            let mut key = Key::new("test");
            key.add(data);
            get_or_compute(
                key,
                |v: &Vec<u8>| v.len(),
                || {
                    calls.fetch_add(1, Ordering::SeqCst);
                    data.repeat(2)
                },
            )
        };
        // Off: every call computes.
        assert_eq!(run(b"ab"), b"abab");
        assert_eq!(run(b"ab"), b"abab");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        enable(10);
        assert_eq!(run(b"ab"), b"abab");
        assert_eq!(run(b"ab"), b"abab");
        assert_eq!(calls.load(Ordering::SeqCst), 3, "kept once on");
        assert_eq!(run(b"ac"), b"acac", "other content, other result");
        assert_eq!(calls.load(Ordering::SeqCst), 4);
        // Over the budget (4 + 4 + 6 > 10): the memo starts over.
        assert_eq!(run(b"xyz"), b"xyzxyz");
        assert_eq!(run(b"ab"), b"abab");
        assert_eq!(calls.load(Ordering::SeqCst), 6);
        // Parts are length-prefixed: ("a", "bc") is not ("ab", "c").
        let digest = |parts: &[&[u8]]| {
            let mut key = Key::new("t");
            for p in parts {
                key.add(p);
            }
            key.digest()
        };
        assert_ne!(digest(&[b"a", b"bc"]), digest(&[b"ab", b"c"]));
    }
}
