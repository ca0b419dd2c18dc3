//! The PDF's fonts: the style's faces (each from the fonts folder, else
//! built in), its `fonts.fallback` files and, for characters none of them
//! has, the system's fonts (`fonts/system.rs`, scanned on first need); glyph
//! coverage, fallback between faces, and shaping with harfrust (kerning,
//! ligatures, right-to-left runs), with a cache per face and text that
//! the layout threads share.

use super::style::{FaceFiles, FamilyName, FontFiles};
use super::sync::{lock, read, write};
use crate::diag::{Diagnostic, Diagnostics};
use crate::shipped::{self, Blob, Folder};
use anyhow::Result;
use harfrust::{Direction, FontRef, Script, ShapeOptions, ShapePlan, ShaperData, UnicodeBuffer};
use read_fonts::TableProvider;
use read_fonts::types::GlyphId;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// One font file, ready for shaping and embedding.
pub struct Face {
    /// File name, for messages.
    pub file: String,
    /// The face's index in its file (a collection such as Noto CJK's `.ttc`
    /// holds several).
    pub index: u32,
    /// Resource name in the PDF; its first six letters become the subset tag,
    /// so it is upper-case letters only and fixed per face for reproducibility.
    pub pdf_id: String,
    /// The font file, shared (built-in fonts are never copied).
    pub bytes: Blob,
    data: ShaperData,
    pub units_per_em: f32,
    /// Advance width per glyph in font units (the `hmtx` value, which is what
    /// the PDF `/W` array carries).
    advances: Vec<u16>,
    /// Shape plans by direction and script: building one per call would
    /// cost more than the shaping itself.
    /// (Shared by the layout threads; a plan is cloned out of the lock.)
    plans: Mutex<Vec<(Direction, Script, Arc<ShapePlan>)>>,
    /// Which ASCII characters the face has, the common case of coverage.
    ascii: [bool; 128],
}

impl Face {
    /// Loads `file`: the fonts folder's copy (taken from `read`, the
    /// project's faces already read, when it is there), else the built-in
    /// one.
    fn load(dir: &Path, file: &str, index: usize, read: &[shipped::Resource]) -> Result<Face> {
        if let Some(found) = read.iter().find(|r| !r.built_in && r.name == file) {
            return Face::from_bytes(&found.origin, file, found.bytes.clone(), 0, index);
        }
        let found = shipped::find(Folder::Fonts, dir, file)?.ok_or_else(|| {
            Diagnostic::error(dir.join(file), 0, "no such font file")
                .with_hint("put it in the fonts folder, or name one of folio's built-in fonts")
        })?;
        Face::from_bytes(&found.origin, file, found.bytes, 0, index)
    }

    /// A face from `bytes` (face `face_index` of a collection), named
    /// `file` in messages and given the PDF resource for `index`.
    fn from_bytes(
        path: &Path,
        file: &str,
        bytes: Blob,
        face_index: u32,
        index: usize,
    ) -> Result<Face> {
        let font = FontRef::from_index(&bytes, face_index)
            .map_err(|e| Diagnostic::error(path, 0, "not a usable font file").with_cause(e))?;
        let bad = |e: read_fonts::ReadError| {
            Diagnostic::error(path, 0, "font file lacks a table").with_cause(e)
        };
        let units_per_em = f32::from(font.head().map_err(bad)?.units_per_em().max(1));
        let num_glyphs = font.maxp().map_err(bad)?.num_glyphs();
        let hmtx = font.hmtx().map_err(bad)?;
        let advances = (0..num_glyphs)
            .map(|g| hmtx.advance(GlyphId::new(u32::from(g))).unwrap_or(0))
            .collect();
        let data = ShaperData::new(&font);
        let mut ascii = [false; 128];
        if let Ok(cmap) = font.cmap() {
            for (i, slot) in ascii.iter_mut().enumerate() {
                *slot = cmap
                    .map_codepoint(i as u32)
                    .is_some_and(|g| g.to_u32() != 0);
            }
        }
        Ok(Face {
            file: file.to_string(),
            index: face_index,
            pdf_id: pdf_id(index),
            data,
            units_per_em,
            advances,
            plans: Mutex::new(Vec::new()),
            ascii,
            bytes,
        })
    }

    /// The glyph's `/W` width in thousandths of an em, truncated as the
    /// writer's `/W` array carries it, so positions computed against it are
    /// exact.
    pub fn pdf_width(&self, gid: u16) -> f32 {
        let adv = self.advances.get(usize::from(gid)).copied().unwrap_or(0);
        (f32::from(adv) * 1000.0 / self.units_per_em).trunc()
    }

    fn covers(&self, font: &FontRef, c: char) -> bool {
        font.cmap()
            .ok()
            .and_then(|cmap| cmap.map_codepoint(c))
            .is_some_and(|g| g.to_u32() != 0)
    }

    /// The face as harfrust and read-fonts read it.
    fn font(&self) -> Option<FontRef<'_>> {
        FontRef::from_index(&self.bytes, self.index).ok()
    }

    /// Shapes `text`, in `kept` (the caller's buffer, kept from shaping to
    /// shaping: a new one per text was allocated and freed each time).
    fn shape(&self, text: &str, kept: &mut UnicodeBuffer) -> Shaped {
        let Some(font) = self.font() else {
            return Shaped::default();
        };
        // Invisible format characters would be shaped as zero-width space
        // glyphs, and the ToUnicode map (one text per glyph) would then give
        // every space back as, say, a soft hyphen: leave them out.
        let stripped;
        let text = if text.contains(INVISIBLE) {
            stripped = text.replace(INVISIBLE, "");
            stripped.as_str()
        } else {
            text
        };
        let shaper = self.data.shaper(&font).build();
        // Emptied when it was handed back (`GlyphBuffer::clear`), with its
        // segment properties and cluster level reset.
        let mut buffer = std::mem::take(kept);
        buffer.push_str(text);
        // Marks keep clusters of their own (Thai vowels, Hebrew points):
        // the ToUnicode map has one text per glyph, so a mark merged into
        // its base's cluster would give the base back with the mark.
        buffer.set_cluster_level(harfrust::BufferClusterLevel::MonotoneCharacters);
        buffer.guess_segment_properties();
        let (direction, script) = (buffer.direction(), buffer.script());
        let plan = {
            let mut plans = lock(&self.plans);
            match plans
                .iter()
                .find(|(d, s, _)| *d == direction && *s == script)
            {
                Some((_, _, plan)) => Arc::clone(plan),
                None => {
                    let plan =
                        Arc::new(ShapePlan::new(&shaper, direction, Some(script), None, &[]));
                    plans.push((direction, script, Arc::clone(&plan)));
                    plan
                }
            }
        };
        let out = shaper.shape(buffer, ShapeOptions::new().plan(Some(&plan)));
        let scale = 1.0 / self.units_per_em;
        let glyphs: Vec<ShapedGlyph> = out
            .glyph_infos()
            .iter()
            .zip(out.glyph_positions())
            .map(|(info, pos)| ShapedGlyph {
                gid: u16::try_from(info.glyph_id).unwrap_or(0),
                advance: pos.x_advance as f32 * scale,
                cluster: info.cluster as usize,
            })
            .collect();
        let width = glyphs.iter().map(|g| g.advance).sum();
        *kept = out.clear();
        Shaped {
            text: text.to_string(),
            glyphs,
            // Numbered by the font set, which holds the table.
            texts: Vec::new(),
            width,
        }
    }
}

/// Zero-width joiners and variation selectors (emoji sequences): set in
/// the face of the character before them.
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200c}' | '\u{200d}' | '\u{fe00}'..='\u{fe0f}')
}

/// Format characters that print nothing.
const INVISIBLE: [char; 5] = ['\u{ad}', '\u{200b}', '\u{2060}', '\u{feff}', '\u{200e}'];

/// A resource name of six upper-case letters for face `index`: `FOLIOA`
/// to `FOLIOZ` for the first 26 (the shipped faces), then `FOLXAA` on.
fn pdf_id(index: usize) -> String {
    let letter = |n: usize| char::from(b'A' + (n % 26) as u8);
    if index < 26 {
        format!("FOLIO{}", letter(index))
    } else {
        let n = index - 26;
        format!("FOLX{}{}", letter(n / 26), letter(n))
    }
}

/// Faces past this many are not loaded as fallbacks (their resource names
/// would repeat).
const MAX_FACES: usize = 26 + 26 * 26;

/// One shaped glyph; `advance` is in ems (kerning included).
#[derive(Debug, Clone, Copy)]
pub struct ShapedGlyph {
    pub gid: u16,
    pub advance: f32,
    /// Byte offset in the shaped text where this glyph's cluster starts.
    pub cluster: usize,
}

/// A shaped run of text in one face; widths in ems.
#[derive(Debug, Clone, Default)]
pub struct Shaped {
    pub text: String,
    pub glyphs: Vec<ShapedGlyph>,
    /// The text each glyph stands for ([`Shaped::glyph_texts`]), interned
    /// once when the text is shaped: placing a glyph then copies a number,
    /// not a string.
    pub texts: Vec<TextId>,
    pub width: f32,
}

impl Shaped {
    /// The text of glyph `i` for the ToUnicode map ([`TextId::NONE`] past
    /// the end).
    pub fn text_of(&self, i: usize) -> TextId {
        self.texts.get(i).copied().unwrap_or(TextId::NONE)
    }

    /// The text each glyph stands for, for the PDF's ToUnicode map: the whole
    /// cluster on its first glyph (a ligature gets "fi"), nothing on the rest.
    fn glyph_texts(&self) -> Vec<&str> {
        let mut out = Vec::with_capacity(self.glyphs.len());
        // Most words: a glyph per cluster, in text order (no ligature, left
        // to right). Each glyph then reads up to the next one's cluster.
        if self.glyphs.windows(2).all(|w| w[0].cluster < w[1].cluster) {
            let ends = self.glyphs.iter().skip(1).map(|g| g.cluster);
            for (g, end) in self.glyphs.iter().zip(ends.chain([self.text.len()])) {
                out.push(no_break_as_space(
                    self.text.get(g.cluster..end).unwrap_or(""),
                ));
            }
            return out;
        }
        let mut starts: Vec<usize> = self.glyphs.iter().map(|g| g.cluster).collect();
        starts.sort_unstable();
        starts.dedup();
        // Which clusters gave their text already: by place in `starts`,
        // not a set allocating a node per glyph (this runs for every word
        // shaped).
        let mut seen = vec![false; starts.len()];
        for g in &self.glyphs {
            let first = match seen.get_mut(starts.partition_point(|&s| s < g.cluster)) {
                Some(seen) => !std::mem::replace(seen, true),
                None => true,
            };
            if !first {
                out.push("");
                continue;
            }
            // A binary search: a 400 000-letter word is one run.
            let end = starts
                .get(starts.partition_point(|&s| s <= g.cluster))
                .copied()
                .unwrap_or(self.text.len());
            out.push(no_break_as_space(
                self.text.get(g.cluster..end).unwrap_or(""),
            ));
        }
        out
    }
}

/// A no-break space usually shares the space's glyph, and a glyph has
/// one text: both are given back as a space.
fn no_break_as_space(text: &str) -> &str {
    if text == "\u{a0}" { " " } else { text }
}

/// A glyph's text for the ToUnicode map, as a number in the font set's
/// table of texts ([`FontSet::glyph_text`]): one placed glyph of the
/// corpus held a `String` each, a heap block per glyph on every page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextId(u32);

impl TextId {
    /// No text: the second and later glyphs of a cluster.
    pub const NONE: TextId = TextId(0);

    /// Whether the glyph has no text of its own.
    pub fn is_none(self) -> bool {
        self == TextId::NONE
    }
}

/// Every distinct glyph text, numbered in order of first use (0 is the
/// empty text).
struct TextTable {
    ids: FxHashMap<Arc<str>, TextId>,
    texts: Vec<Arc<str>>,
    /// The ids of one-byte texts (ASCII letters: most glyphs), by byte,
    /// [`TextId::NONE`] until numbered: read without hashing.
    ascii: [TextId; 128],
}

impl Default for TextTable {
    fn default() -> TextTable {
        TextTable {
            ascii: [TextId::NONE; 128],
            ids: FxHashMap::default(),
            texts: vec![Arc::from("")],
        }
    }
}

impl TextTable {
    fn id(&mut self, text: &str) -> TextId {
        if text.is_empty() {
            return TextId::NONE;
        }
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        // Fewer than 2^32 distinct texts: each is a cluster of a shaped run.
        let id = TextId(u32::try_from(self.texts.len()).unwrap_or(0));
        if let [byte] = text.as_bytes()
            && let Some(slot) = self.ascii.get_mut(usize::from(*byte))
        {
            *slot = id;
        }
        let text: Arc<str> = Arc::from(text);
        self.texts.push(Arc::clone(&text));
        self.ids.insert(text, id);
        id
    }

    /// The id of `text` if it has one ([`TextId::NONE`] for the empty
    /// text).
    fn get(&self, text: &str) -> Option<TextId> {
        match text.as_bytes() {
            [] => Some(TextId::NONE),
            [byte] => match self.ascii.get(usize::from(*byte)) {
                Some(&id) if !id.is_none() => Some(id),
                _ => self.ids.get(text).copied(),
            },
            _ => self.ids.get(text).copied(),
        }
    }
}

/// A piece of text shaped in one face (after fallback); the shaping is the
/// font set's (it lives as long as the set).
#[derive(Debug, Clone, Copy)]
pub struct Piece<'a> {
    pub face: usize,
    pub shaped: &'a Shaped,
}

/// Style of a face slot: family, weight and slant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Variant {
    pub family: FamilyName,
    pub bold: bool,
    pub italic: bool,
}

/// A character and the CJK region preferred for it.
type PickKey = (char, Option<&'static str>);

/// A face of a [`FontSet`]: one of the style's, borrowed, or a system face.
pub enum FaceRef<'a> {
    Style(&'a Face),
    System(Arc<Face>),
}

impl std::ops::Deref for FaceRef<'_> {
    type Target = Face;

    fn deref(&self) -> &Face {
        match self {
            FaceRef::Style(face) => face,
            FaceRef::System(face) => face,
        }
    }
}

/// Every face (shipped, configured fallbacks, then system faces loaded as
/// characters need them), the slot each variant uses, and the numbered
/// glyph texts: what the layout threads share. Each thread sets text
/// through a [`LocalFonts`] of its own (shaping cache, the file being set,
/// the characters found missing).
pub struct FontSet {
    /// The style's faces and its fallback files, fixed once loaded.
    faces: Vec<Face>,
    /// System faces, numbered after `faces`, in the order they were loaded.
    system_faces: RwLock<Vec<Arc<Face>>>,
    /// Variant -> (face index, synthesise oblique).
    slots: FxHashMap<Variant, (usize, bool)>,
    /// Faces tried, in order, for a character the wanted face lacks: the
    /// shipped faces, then the style's `fonts.fallback` files.
    fallback: Vec<usize>,
    /// The system's fonts and what was picked from them; `None` unless
    /// the style's `fonts.system_fallback` allows them.
    system: Option<Mutex<SystemState>>,
    /// The texts glyphs stand for, numbered (the numbers never reach the
    /// file, so their order between threads does not matter).
    texts: RwLock<TextTable>,
    /// Text shaped so far, per face: each text shaped once per book.
    shaped: shaped_cache::ShapedCache,
}

/// The system fallback's state: the scan (on the first character the
/// fallback faces lack), the face picked for each character, and the
/// candidates loaded as faces.
#[derive(Default)]
struct SystemState {
    fonts: Option<system::SystemFonts>,
    /// The face a system font gave each character (`None`: no font has it).
    pick: HashMap<PickKey, Option<usize>>,
    /// System candidates already loaded: candidate number -> face index.
    loaded: HashMap<usize, usize>,
}

impl FontSet {
    /// Loads the style's font files: each from the fonts folder when it has
    /// that file, else built in; then its fallback files.
    pub fn load(dir: &Path, files: &FontFiles) -> Result<FontSet> {
        FontSet::load_read(dir, files, &[])
    }

    /// [`FontSet::load`], taking the files of the fonts folder that were
    /// read already ([`shipped::faces`], for the SVG font database) from
    /// `read` rather than reading them again.
    pub fn load_read(dir: &Path, files: &FontFiles, read: &[shipped::Resource]) -> Result<FontSet> {
        let mut faces: Vec<Face> = Vec::new();
        let mut slots = FxHashMap::default();
        let index_of = |file: &str, faces: &mut Vec<Face>| -> Result<usize> {
            if let Some(i) = faces.iter().position(|f| f.file == file) {
                return Ok(i);
            }
            let face = Face::load(dir, file, faces.len(), read)?;
            faces.push(face);
            Ok(faces.len() - 1)
        };
        let families: [(FamilyName, &FaceFiles); 3] = [
            (FamilyName::Serif, &files.serif),
            (FamilyName::Sans, &files.sans),
            (FamilyName::Mono, &files.mono),
        ];
        for (family, f) in families {
            let regular = index_of(&f.regular, &mut faces)?;
            let bold = index_of(&f.bold, &mut faces)?;
            let italic = match &f.italic {
                Some(file) => (index_of(file, &mut faces)?, false),
                None => (regular, true),
            };
            let bold_italic = match &f.bold_italic {
                Some(file) => (index_of(file, &mut faces)?, false),
                None => (bold, true),
            };
            let v = |bold, italic| Variant {
                family,
                bold,
                italic,
            };
            slots.insert(v(false, false), (regular, false));
            slots.insert(v(true, false), (bold, false));
            slots.insert(v(false, true), italic);
            slots.insert(v(true, true), bold_italic);
        }
        let mut fallback: Vec<usize> = (0..faces.len()).collect();
        for file in &files.fallback {
            let i = index_of(file, &mut faces)?;
            if !fallback.contains(&i) {
                fallback.push(i);
            }
        }
        Ok(FontSet {
            faces,
            system_faces: RwLock::new(Vec::new()),
            slots,
            fallback,
            system: files
                .system_fallback
                .then(|| Mutex::new(SystemState::default())),
            texts: RwLock::new(TextTable::default()),
            shaped: shaped_cache::ShapedCache::default(),
        })
    }

    /// The face index and whether to slant it, for a variant.
    pub fn slot(&self, v: Variant) -> (usize, bool) {
        self.slots.get(&v).copied().unwrap_or((0, false))
    }

    /// The face at `index` (always valid for indices this set handed out).
    pub fn face(&self, index: usize) -> FaceRef<'_> {
        // The style's faces are borrowed: no reference count that every
        // layout thread would write to.
        if let Some(face) = self.faces.get(index) {
            return FaceRef::Style(face);
        }
        let system = read(&self.system_faces);
        match system.get(index - self.faces.len()).or(system.last()) {
            Some(face) => FaceRef::System(Arc::clone(face)),
            // Out of range with no system face: the last of the style's.
            None => FaceRef::Style(
                self.faces
                    .last()
                    .unwrap_or_else(|| unreachable!("`FontSet::load` fails without a face")),
            ),
        }
    }

    /// Whether system faces were loaded (their numbers depend on the order
    /// text needed them in).
    pub fn has_system_faces(&self) -> bool {
        !read(&self.system_faces).is_empty()
    }

    /// How many faces there are (the style's, then system faces).
    pub fn face_count(&self) -> usize {
        self.faces.len() + read(&self.system_faces).len()
    }

    /// Shapes text in one face, cached for the book (every thread's
    /// [`LocalFonts`] shapes through here).
    pub fn shape_in(&self, face: usize, text: &str) -> Piece<'_> {
        self.shape_with(face, text, &mut UnicodeBuffer::new())
    }

    /// [`FontSet::shape_in`], a new text shaped in `buffer` (a thread's,
    /// kept between texts).
    fn shape_with(&self, face: usize, text: &str, buffer: &mut UnicodeBuffer) -> Piece<'_> {
        let shaped = self.shaped.get_or_shape(face, text, || {
            let mut shaped = self.face(face).shape(text, buffer);
            shaped.texts = self.text_ids(shaped.glyph_texts());
            shaped
        });
        Piece { face, shaped }
    }

    /// The number of `text` as a glyph's text (added when new).
    pub fn text_id(&self, text: &str) -> TextId {
        if let Some(id) = read(&self.texts).get(text) {
            return id;
        }
        write(&self.texts).id(text)
    }

    /// The numbers of several texts at once (one lock).
    fn text_ids(&self, texts: Vec<&str>) -> Vec<TextId> {
        // Most texts are numbered already: a shared lock, so layout threads
        // do not wait on each other; the exclusive one only for new texts.
        let known: Option<Vec<TextId>> = {
            let table = read(&self.texts);
            texts.iter().map(|&t| table.get(t)).collect()
        };
        if let Some(ids) = known {
            return ids;
        }
        let mut table = write(&self.texts);
        texts.into_iter().map(|t| table.id(t)).collect()
    }

    /// The text numbered `id` (empty for [`TextId::NONE`] or an unknown id).
    pub fn glyph_text(&self, id: TextId) -> Arc<str> {
        let table = read(&self.texts);
        let found = usize::try_from(id.0).ok().and_then(|i| table.texts.get(i));
        found.map_or_else(|| Arc::from(""), Arc::clone)
    }
}

/// Warns once for every character in `missing` (with the first file it
/// was set from), at the first place in `book` it occurs (the page file
/// and the line) with how many times it occurs; a character only the cover
/// or the running heads use is named at the file it was first set from.
pub fn report_missing(
    missing: &BTreeMap<char, PathBuf>,
    book: &crate::model::Book,
    diags: &mut Diagnostics,
    fonts_dir: &Path,
) {
    if missing.is_empty() {
        return;
    }
    let found = missing::find_chars(book, &missing.keys().copied().collect());
    for (&c, file) in missing.iter() {
        let (path, line, count) = match found.get(&c) {
            Some(at) => (at.path, at.line, at.count),
            None if file.as_os_str().is_empty() => (fonts_dir, 0, 0),
            None => (file.as_path(), 0, 0),
        };
        let times = match count {
            0 => String::new(),
            1 => "; once".to_string(),
            n => format!("; {n} times, first here"),
        };
        diags.push(
            Diagnostic::warning(
                path,
                line,
                format!(
                    "no font has the character `{}` (U+{:04X}{times})",
                    missing::shown(c),
                    u32::from(c)
                ),
            )
            .with_hint("it is printed as an empty box; add a font with it to fonts/ and to `fonts.fallback` in the style file"),
        );
    }
}

// A thread's shaping: cache, fallback, missing characters.
mod local;
pub use local::LocalFonts;
// Where a missing character occurs in the book, for `report_missing`.
mod missing;
// The shaping cache the threads share.
mod shaped_cache;
// The system's fonts, the last fallback.
mod system;

#[cfg(test)]
mod tests {
    use super::*;

    fn shaped(text: &str, clusters: &[usize]) -> Shaped {
        Shaped {
            text: text.to_string(),
            glyphs: clusters
                .iter()
                .map(|&cluster| ShapedGlyph {
                    gid: 1,
                    advance: 0.5,
                    cluster,
                })
                .collect(),
            texts: Vec::new(),
            width: 0.0,
        }
    }

    #[test]
    fn a_cluster_gives_its_text_to_its_first_glyph_only() {
        // A ligature ("fi" one glyph), then a letter with a mark as two
        // glyphs of one cluster.
        let ltr = shaped("fio\u{301}", &[0, 2, 2]);
        assert_eq!(ltr.glyph_texts(), ["fi", "o\u{301}", ""]);
        // Right to left, clusters come in descending order.
        let rtl = shaped("abcd", &[3, 2, 0, 0]);
        assert_eq!(rtl.glyph_texts(), ["d", "c", "ab", ""]);
        // A no-break space reads back as a space.
        assert_eq!(shaped("a\u{a0}", &[0, 1]).glyph_texts(), ["a", " "]);
        // A glyph per cluster in text order (most words), a ligature in
        // it, and a lone glyph: each reads up to the next one's cluster.
        assert_eq!(
            shaped("wörd", &[0, 1, 3, 4]).glyph_texts(),
            ["w", "ö", "r", "d"]
        );
        assert_eq!(
            shaped("office", &[0, 1, 4, 5]).glyph_texts(),
            ["o", "ffi", "c", "e"]
        );
        assert_eq!(shaped("x", &[0]).glyph_texts(), ["x"]);
        assert!(shaped("", &[]).glyph_texts().is_empty());
    }

    #[test]
    fn texts_are_numbered_in_order_of_first_use_short_or_long() {
        let mut table = TextTable::default();
        assert_eq!(table.get(""), Some(TextId::NONE));
        assert_eq!(table.get("a"), None);
        let a = table.id("a");
        let fi = table.id("fi");
        let e = table.id("é");
        assert_eq!((a, fi, e), (TextId(1), TextId(2), TextId(3)));
        // Numbered once: the same id whichever way it is found.
        assert_eq!(table.id("a"), a);
        assert_eq!(table.get("a"), Some(a));
        assert_eq!(table.get("fi"), Some(fi));
        assert_eq!(table.get("é"), Some(e));
        assert_eq!(table.get("b"), None);
        assert_eq!(table.id("b"), TextId(4));
        assert_eq!(table.texts.len(), 5);
    }
}
