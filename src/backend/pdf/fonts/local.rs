//! One layout thread's use of the shared [`FontSet`]: text shaped with
//! fallback between faces (through the set's shared cache), with the source file being set and the characters no face has, which
//! the thread hands back with its chapter so they are reported in book
//! order.
//!
//! System faces are numbered in the order text first needs them, and a
//! character takes a system face already loaded when one has it: both
//! depend on what was set before. So a thread laying out chapters ahead of
//! the book's order does not touch them ([`LocalFonts::deferring_system`]):
//! it notes that its chapter needs them, and that chapter is laid out
//! again in book order, as on one thread.

use super::{FontSet, INVISIBLE, MAX_FACES, PickKey, Piece, is_joiner, system};
use crate::backend::pdf::sync::{lock, write};
use crate::shipped::Blob;
use harfrust::UnicodeBuffer;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A thread's shaping through the shared font set (which it derefs to).
pub struct LocalFonts {
    set: Arc<FontSet>,
    /// Whether a face has a character (past ASCII, which faces know).
    coverage: RefCell<HashMap<(usize, char), bool>>,
    /// The region suffix of CJK families preferred for the text being set
    /// (`JP` for Japanese pages), from its language.
    cjk_region: Cell<Option<&'static str>>,
    /// Characters no face has, with the first file they were seen in.
    missing: RefCell<BTreeMap<char, PathBuf>>,
    /// The source file being set, for those messages.
    context: RefCell<PathBuf>,
    /// System fonts are left alone (text is set ahead of the book's order).
    defer_system: bool,
    /// A character needed them since the last [`LocalFonts::take_missing`].
    needed_system: Cell<bool>,
    /// The thread's shaping buffer, kept from text to text.
    buffer: RefCell<UnicodeBuffer>,
}

impl std::ops::Deref for LocalFonts {
    type Target = FontSet;

    fn deref(&self) -> &FontSet {
        &self.set
    }
}

impl LocalFonts {
    /// A view of `set`, with empty caches, for text set in book order.
    pub fn new(set: Arc<FontSet>) -> LocalFonts {
        LocalFonts {
            defer_system: false,
            needed_system: Cell::new(false),
            set,
            coverage: RefCell::new(HashMap::new()),
            cjk_region: Cell::new(None),
            missing: RefCell::new(BTreeMap::new()),
            context: RefCell::new(PathBuf::new()),
            buffer: RefCell::new(UnicodeBuffer::new()),
        }
    }

    /// A view of `set` for text set ahead of the book's order: a character
    /// only a system font could have is set as missing, and
    /// [`LocalFonts::needed_system`] says the text must be set again in
    /// order.
    pub fn deferring_system(set: Arc<FontSet>) -> LocalFonts {
        LocalFonts {
            defer_system: true,
            ..LocalFonts::new(set)
        }
    }

    /// Whether text set since the last [`LocalFonts::take_missing`] needed
    /// the system fonts this view leaves alone.
    pub fn needed_system(&self) -> bool {
        self.needed_system.get()
    }

    /// Whether face `face` itself has a glyph for every character of `text`.
    pub fn covers_text(&self, face: usize, text: &str) -> bool {
        text.chars().all(|c| self.covered(face, c))
    }

    fn covered(&self, face: usize, c: char) -> bool {
        let face_ref = self.face(face);
        if let Some(&hit) = face_ref.ascii.get(c as usize) {
            return hit;
        }
        if let Some(&hit) = self.coverage.borrow().get(&(face, c)) {
            return hit;
        }
        let hit = face_ref.font().is_some_and(|f| face_ref.covers(&f, c));
        self.coverage.borrow_mut().insert((face, c), hit);
        hit
    }

    /// The face to set `c` in when face `want` lacks it: the first shipped
    /// or configured fallback face with it, else the first system face
    /// with it (when allowed), else `None`.
    fn fallback_for(&self, want: usize, c: char) -> Option<usize> {
        if let Some(f) = self
            .set
            .fallback
            .iter()
            .copied()
            .find(|&f| f != want && self.covered(f, c))
        {
            return Some(f);
        }
        let system = self.set.system.as_ref()?;
        if self.defer_system {
            self.needed_system.set(true);
            return None;
        }
        let mut state = lock(system);
        let region = self.cjk_region.get();
        let key: PickKey = (c, region);
        if let Some(&pick) = state.pick.get(&key) {
            return pick;
        }
        // Without a language's preference, a system face already in the
        // PDF that has the character is used again.
        if region.is_none() {
            let mut loaded: Vec<usize> = state.loaded.values().copied().collect();
            loaded.sort_unstable();
            if let Some(f) = loaded.into_iter().find(|&f| self.covered(f, c)) {
                state.pick.insert(key, Some(f));
                return Some(f);
            }
        }
        let state = &mut *state;
        let fonts = state.fonts.get_or_insert_with(system::SystemFonts::scan);
        // The page language's CJK faces first (Japanese kanji from a JP
        // face, not the first CJK family by name), then every face.
        let preferred: Vec<usize> = match region {
            Some(r) => (0..fonts.len())
                .filter(|&i| fonts.family_ends_with(i, r))
                .collect(),
            None => Vec::new(),
        };
        let mut pick = None;
        for i in preferred.into_iter().chain(0..fonts.len()) {
            if fonts.covers(i, c) {
                pick = self.load_system(fonts, &mut state.loaded, i);
                if pick.is_some() {
                    break;
                }
            }
        }
        state.pick.insert(key, pick);
        pick
    }

    /// Loads system candidate `i` as a face (once); `None` when it cannot
    /// be read or parsed, or there are too many faces already.
    fn load_system(
        &self,
        fonts: &system::SystemFonts,
        loaded: &mut HashMap<usize, usize>,
        i: usize,
    ) -> Option<usize> {
        if let Some(&face) = loaded.get(&i) {
            return Some(face);
        }
        let (path, index, family) = fonts.source(i)?;
        let next = self.face_count();
        if next >= MAX_FACES {
            return None;
        }
        let bytes = Blob::owned(std::fs::read(&path).ok()?);
        let label = format!("{} ({family})", path.display());
        let face = super::Face::from_bytes(&path, &label, bytes, index, next).ok()?;
        write(&self.set.system_faces).push(Arc::new(face));
        loaded.insert(i, next);
        Some(next)
    }

    /// Shapes `text` in face `want`, taking each character the face lacks
    /// from the first fallback face that has it. A character no face has is
    /// shaped in `want` (its .notdef box shows, with no text behind it)
    /// and remembered for a warning.
    pub fn shape(&self, want: usize, text: &str) -> Vec<Piece<'_>> {
        let mut pieces = Vec::new();
        self.shape_each(want, text, |p| pieces.push(p));
        pieces
    }

    /// [`LocalFonts::shape`], each piece handed to `f` in order (no vector
    /// for the one piece most text is).
    pub fn shape_each<'a>(&'a self, want: usize, text: &str, mut f: impl FnMut(Piece<'a>)) {
        // Most text is ASCII the wanted face has: one piece, without a
        // look-up per character.
        let plain = text.is_ascii() && {
            let face = self.face(want);
            text.bytes()
                .all(|b| b.is_ascii_control() || face.ascii.get(usize::from(b)) == Some(&true))
        };
        if plain {
            if !text.is_empty() {
                f(self.shape_in(want, text));
            }
            return;
        }
        let mut run_face = want;
        let mut run_start = 0;
        for (i, c) in text.char_indices() {
            let face = if is_joiner(c) {
                // Joiners and variation selectors stay with what they join.
                run_face
            } else if c.is_control() || INVISIBLE.contains(&c) || self.covered(want, c) {
                want
            } else {
                match self.fallback_for(want, c) {
                    Some(f) => f,
                    // A space no font has is set as the wanted face's space.
                    None if c.is_whitespace() => want,
                    None => {
                        let file = self.context.borrow().clone();
                        self.missing.borrow_mut().entry(c).or_insert(file);
                        want
                    }
                }
            };
            if face != run_face && i > run_start {
                f(self.shape_in(run_face, &text[run_start..i]));
                run_start = i;
            }
            run_face = face;
        }
        if run_start < text.len() {
            f(self.shape_in(run_face, &text[run_start..]));
        }
    }

    /// Shapes text in one face, cached (for the book, in the font set).
    pub fn shape_in(&self, face: usize, text: &str) -> Piece<'_> {
        self.set
            .shape_with(face, text, &mut self.buffer.borrow_mut())
    }

    /// Width of `text` in face `face` at `size`, fallback included.
    pub fn width(&self, face: usize, size: f32, text: &str) -> f32 {
        self.shape(face, text)
            .iter()
            .map(|p| p.shaped.width)
            .sum::<f32>()
            * size
    }

    /// Names the language of the text set next (BCP 47), which picks the
    /// CJK faces its characters are taken from.
    pub fn set_language(&self, lang: &str) {
        self.cjk_region.set(system::cjk_region(lang));
    }

    /// Names the source file whose text is set next (for warnings).
    pub fn set_context(&self, file: &Path) {
        *self.context.borrow_mut() = file.to_path_buf();
    }

    /// Takes characters another thread found missing (after those found
    /// here so far: each keeps the first file it was seen in).
    pub fn add_missing(&self, other: BTreeMap<char, PathBuf>) {
        let mut missing = self.missing.borrow_mut();
        for (c, file) in other {
            missing.entry(c).or_insert(file);
        }
    }

    /// The characters found missing since the last call, each with the
    /// first file it was set from (and forgets that system fonts were
    /// needed).
    pub fn take_missing(&self) -> BTreeMap<char, PathBuf> {
        self.needed_system.set(false);
        std::mem::take(&mut *self.missing.borrow_mut())
    }
}
