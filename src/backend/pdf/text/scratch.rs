//! The buffers a paragraph is set in, kept per thread from paragraph to
//! paragraph: allocating and growing them for each paragraph (and each
//! line) was a sixth of the layout threads' time. Buffers that borrow
//! from the paragraph are kept empty, with their lifetime erased by
//! [`recycle`].

use super::line::Slot;
use super::word::Word;
use super::{Frag, Item};
use crate::backend::pdf::draw::{GlyphRun, PlacedGlyph};
use crate::backend::pdf::linebreak::Kind;
use std::cell::Cell;

/// Buffers holding more elements than this are dropped after use, not
/// kept: a huge paragraph's would hold its memory for the rest of the
/// build.
const KEEP_AT_MOST: usize = 1 << 14;

/// `v` emptied and retyped (to hold items borrowing from another
/// paragraph), its allocation kept when the two types are laid out alike
/// (the standard library collects in place then). With `U` and `T` the
/// same type but for lifetimes, that is always.
pub(super) fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

/// `v` emptied, kept unless it grew past [`KEEP_AT_MOST`].
pub(super) fn keep<T>(mut v: Vec<T>) -> Vec<T> {
    v.clear();
    if v.capacity() > KEEP_AT_MOST {
        return Vec::new();
    }
    v
}

/// `s` emptied, kept unless it grew past [`KEEP_AT_MOST`] bytes.
pub(super) fn keep_string(mut s: String) -> String {
    s.clear();
    if s.capacity() > KEEP_AT_MOST {
        return String::new();
    }
    s
}

/// The buffers of one line ([`super::line::render_line`]).
#[derive(Default)]
pub(super) struct LineScratch {
    /// Glyphs of the run being gathered.
    pub(super) glyphs: Vec<PlacedGlyph>,
    /// The runs of the line, moved into its operations.
    pub(super) runs: Vec<GlyphRun>,
    /// The line's pieces in logical order.
    pub(super) slots: Vec<Slot<'static>>,
    /// Words and spaces drawn, at their x.
    pub(super) placed: Vec<(f32, &'static Frag<'static>, bool)>,
}

/// The buffers of one paragraph.
#[derive(Default)]
pub(super) struct Scratch {
    pub(super) items: Vec<Item<'static>>,
    pub(super) kinds: Vec<Kind>,
    pub(super) word: Word<'static>,
    pub(super) line: LineScratch,
}

impl Scratch {
    /// The thread's buffers (fresh ones when a caller further up holds
    /// them: a paragraph set while another is being set).
    pub(super) fn take() -> Scratch {
        SCRATCH.take()
    }

    /// Hands the buffers back to the thread, emptied.
    pub(super) fn put(self) {
        let Scratch {
            items,
            kinds,
            word,
            line,
        } = self;
        let line = LineScratch {
            glyphs: keep(line.glyphs),
            runs: keep(line.runs),
            slots: keep(recycle(line.slots)),
            placed: keep(recycle(line.placed)),
        };
        SCRATCH.set(Scratch {
            items: keep(recycle(items)),
            kinds: keep(kinds),
            word: word.recycle(),
            line,
        });
    }
}

thread_local! {
    static SCRATCH: Cell<Scratch> = Cell::new(Scratch::default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recycling_keeps_the_allocation_and_drops_the_contents() {
        let text = String::from("borrowed");
        let mut v: Vec<&str> = Vec::with_capacity(100);
        v.push(&text);
        let ptr = v.as_ptr() as usize;
        let kept: Vec<&'static str> = recycle(v);
        assert!(kept.is_empty());
        assert!(kept.capacity() >= 100);
        assert_eq!(kept.as_ptr() as usize, ptr);
        // A buffer grown past the limit is let go.
        assert_eq!(keep(vec![0u8; KEEP_AT_MOST + 1]).capacity(), 0);
        assert_eq!(keep(vec![0u8; 10]).capacity(), 10);
    }
}
