//! The PDF's fonts: the style's faces (each from the fonts folder, else
//! built in), its `fonts.fallback` files and, for characters none of them
//! has, the system's fonts (`fonts/system.rs`, scanned on first need); glyph
//! coverage, fallback between faces, and shaping with harfrust (kerning,
//! ligatures, right-to-left runs), with a cache per face and text.

use super::style::{FaceFiles, FamilyName, FontFiles};
use crate::diag::{Diagnostic, Diagnostics};
use crate::shipped::{self, Blob, Folder};
use anyhow::Result;
use harfrust::{Direction, FontRef, Script, ShapeOptions, ShapePlan, ShaperData, UnicodeBuffer};
use read_fonts::TableProvider;
use read_fonts::types::GlyphId;
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

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
    plans: RefCell<Vec<(Direction, Script, ShapePlan)>>,
    /// Which ASCII characters the face has, the common case of coverage.
    ascii: [bool; 128],
}

impl Face {
    /// Loads `file`: the fonts folder's copy, else the built-in one.
    fn load(dir: &Path, file: &str, index: usize) -> Result<Face> {
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
            plans: RefCell::new(Vec::new()),
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

    fn shape(&self, text: &str) -> Shaped {
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
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        // Marks keep clusters of their own (Thai vowels, Hebrew points):
        // the ToUnicode map has one text per glyph, so a mark merged into
        // its base's cluster would give the base back with the mark.
        buffer.set_cluster_level(harfrust::BufferClusterLevel::MonotoneCharacters);
        buffer.guess_segment_properties();
        let (direction, script) = (buffer.direction(), buffer.script());
        let mut plans = self.plans.borrow_mut();
        let index = match plans
            .iter()
            .position(|(d, s, _)| *d == direction && *s == script)
        {
            Some(i) => i,
            None => {
                let plan = ShapePlan::new(&shaper, direction, Some(script), None, &[]);
                plans.push((direction, script, plan));
                plans.len() - 1
            }
        };
        let plan = plans.get(index).map(|(_, _, p)| p);
        let out = shaper.shape(buffer, ShapeOptions::new().plan(plan));
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
        let mut starts: Vec<usize> = self.glyphs.iter().map(|g| g.cluster).collect();
        starts.sort_unstable();
        starts.dedup();
        let mut seen = BTreeSet::new();
        for g in &self.glyphs {
            if !seen.insert(g.cluster) {
                out.push("");
                continue;
            }
            let end = starts
                .iter()
                .find(|&&s| s > g.cluster)
                .copied()
                .unwrap_or(self.text.len());
            let text = self.text.get(g.cluster..end).unwrap_or("");
            // A no-break space usually shares the space's glyph, and a glyph
            // has one text: give both back as a space.
            out.push(if text == "\u{a0}" { " " } else { text });
        }
        out
    }
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
    ids: FxHashMap<Rc<str>, TextId>,
    texts: Vec<Rc<str>>,
}

impl Default for TextTable {
    fn default() -> TextTable {
        TextTable {
            ids: FxHashMap::default(),
            texts: vec![Rc::from("")],
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
        let text: Rc<str> = Rc::from(text);
        self.texts.push(Rc::clone(&text));
        self.ids.insert(text, id);
        id
    }
}

/// A piece of text shaped in one face (after fallback).
#[derive(Debug, Clone)]
pub struct Piece {
    pub face: usize,
    pub shaped: Rc<Shaped>,
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

/// Every face (shipped, configured fallbacks, then system faces loaded as
/// characters need them), the slot each variant uses, and the shaping cache.
pub struct FontSet {
    faces: RefCell<Vec<Rc<Face>>>,
    /// Variant -> (face index, synthesise oblique).
    slots: FxHashMap<Variant, (usize, bool)>,
    /// Faces tried, in order, for a character the wanted face lacks: the
    /// shipped faces, then the style's `fonts.fallback` files.
    fallback: Vec<usize>,
    /// The system's fonts, scanned on the first character `fallback`
    /// lacks; `None` inside when not scanned yet, and no scan at all
    /// unless the style's `fonts.system_fallback` allows it.
    system: Option<RefCell<Option<system::SystemFonts>>>,
    /// The face a system font gave each character (`None`: no font has it).
    system_pick: RefCell<HashMap<PickKey, Option<usize>>>,
    /// The region suffix of CJK families preferred for the text being set
    /// (`JP` for Japanese pages), from its language.
    cjk_region: RefCell<Option<&'static str>>,
    /// System candidates already loaded, by candidate number.
    system_loaded: RefCell<HashMap<usize, usize>>,
    /// Shaped text per face.
    cache: RefCell<Vec<FxHashMap<String, Rc<Shaped>>>>,
    /// The texts glyphs stand for, numbered.
    texts: RefCell<TextTable>,
    coverage: RefCell<HashMap<(usize, char), bool>>,
    /// Characters no face has, with the first file they were seen in.
    missing: RefCell<std::collections::BTreeMap<char, PathBuf>>,
    /// The source file being set, for those messages.
    context: RefCell<PathBuf>,
}

impl FontSet {
    /// Loads the style's font files: each from the fonts folder when it has
    /// that file, else built in; then its fallback files.
    pub fn load(dir: &Path, files: &FontFiles) -> Result<FontSet> {
        let mut faces: Vec<Face> = Vec::new();
        let mut slots = FxHashMap::default();
        let index_of = |file: &str, faces: &mut Vec<Face>| -> Result<usize> {
            if let Some(i) = faces.iter().position(|f| f.file == file) {
                return Ok(i);
            }
            let face = Face::load(dir, file, faces.len())?;
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
            faces: RefCell::new(faces.into_iter().map(Rc::new).collect()),
            slots,
            fallback,
            system: files.system_fallback.then(|| RefCell::new(None)),
            system_pick: RefCell::new(HashMap::new()),
            cjk_region: RefCell::new(None),
            system_loaded: RefCell::new(HashMap::new()),
            cache: RefCell::new(Vec::new()),
            texts: RefCell::new(TextTable::default()),
            coverage: RefCell::new(HashMap::new()),
            missing: RefCell::new(Default::default()),
            context: RefCell::new(PathBuf::new()),
        })
    }

    /// The face index and whether to slant it, for a variant.
    pub fn slot(&self, v: Variant) -> (usize, bool) {
        self.slots.get(&v).copied().unwrap_or((0, false))
    }

    /// The face at `index` (always valid for indices this set handed out).
    pub fn face(&self, index: usize) -> Rc<Face> {
        let faces = self.faces.borrow();
        let last = faces.len().saturating_sub(1);
        Rc::clone(&faces[index.min(last)])
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
            .fallback
            .iter()
            .copied()
            .find(|&f| f != want && self.covered(f, c))
        {
            return Some(f);
        }
        let system = self.system.as_ref()?;
        let region = *self.cjk_region.borrow();
        if let Some(&pick) = self.system_pick.borrow().get(&(c, region)) {
            return pick;
        }
        // Without a language's preference, a system face already in the
        // PDF that has the character is used again.
        if region.is_none() {
            let mut loaded: Vec<usize> = self.system_loaded.borrow().values().copied().collect();
            loaded.sort_unstable();
            if let Some(f) = loaded.into_iter().find(|&f| self.covered(f, c)) {
                self.system_pick.borrow_mut().insert((c, region), Some(f));
                return Some(f);
            }
        }
        let mut guard = system.borrow_mut();
        let fonts = guard.get_or_insert_with(system::SystemFonts::scan);
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
                pick = self.load_system(fonts, i);
                if pick.is_some() {
                    break;
                }
            }
        }
        self.system_pick.borrow_mut().insert((c, region), pick);
        pick
    }

    /// Loads system candidate `i` as a face (once); `None` when it cannot
    /// be read or parsed, or there are too many faces already.
    fn load_system(&self, fonts: &system::SystemFonts, i: usize) -> Option<usize> {
        if let Some(&face) = self.system_loaded.borrow().get(&i) {
            return Some(face);
        }
        let (path, index, family) = fonts.source(i)?;
        let next = self.faces.borrow().len();
        if next >= MAX_FACES {
            return None;
        }
        let bytes = Blob::owned(std::fs::read(&path).ok()?);
        let label = format!("{} ({family})", path.display());
        let face = Face::from_bytes(&path, &label, bytes, index, next).ok()?;
        self.faces.borrow_mut().push(Rc::new(face));
        self.system_loaded.borrow_mut().insert(i, next);
        Some(next)
    }

    /// Shapes `text` in face `want`, taking each character the face lacks
    /// from the first fallback face that has it. A character no face has is
    /// shaped in `want` (its .notdef box shows, with no text behind it)
    /// and remembered for a warning.
    pub fn shape(&self, want: usize, text: &str) -> Vec<Piece> {
        // Most text is ASCII the wanted face has: one piece, without a
        // look-up per character.
        let plain = text.is_ascii()
            && self.faces.borrow().get(want).is_some_and(|face| {
                text.bytes()
                    .all(|b| b.is_ascii_control() || face.ascii.get(usize::from(b)) == Some(&true))
            });
        if plain {
            return match text.is_empty() {
                true => Vec::new(),
                false => vec![self.shape_in(want, text)],
            };
        }
        let mut pieces = Vec::new();
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
                pieces.push(self.shape_in(run_face, &text[run_start..i]));
                run_start = i;
            }
            run_face = face;
        }
        if run_start < text.len() {
            pieces.push(self.shape_in(run_face, &text[run_start..]));
        }
        pieces
    }

    /// Shapes text in one face, cached.
    pub fn shape_in(&self, face: usize, text: &str) -> Piece {
        if let Some(s) = self.cache.borrow().get(face).and_then(|m| m.get(text)) {
            return Piece {
                face,
                shaped: Rc::clone(s),
            };
        }
        let mut shaped = self.face(face).shape(text);
        shaped.texts = {
            let mut table = self.texts.borrow_mut();
            shaped
                .glyph_texts()
                .into_iter()
                .map(|t| table.id(t))
                .collect()
        };
        let shaped = Rc::new(shaped);
        let mut cache = self.cache.borrow_mut();
        if cache.len() <= face {
            cache.resize_with(face + 1, FxHashMap::default);
        }
        cache[face].insert(text.to_string(), Rc::clone(&shaped));
        Piece { face, shaped }
    }

    /// The number of `text` as a glyph's text (added when new).
    pub fn text_id(&self, text: &str) -> TextId {
        self.texts.borrow_mut().id(text)
    }

    /// The text numbered `id` (empty for [`TextId::NONE`] or an unknown id).
    pub fn glyph_text(&self, id: TextId) -> Rc<str> {
        let table = self.texts.borrow();
        let found = usize::try_from(id.0).ok().and_then(|i| table.texts.get(i));
        found.map_or_else(|| Rc::from(""), Rc::clone)
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
        *self.cjk_region.borrow_mut() = system::cjk_region(lang);
    }

    /// Names the source file whose text is set next (for warnings).
    pub fn set_context(&self, file: &Path) {
        *self.context.borrow_mut() = file.to_path_buf();
    }

    /// Warns once for every character no font has, at the first
    /// place in `book` it occurs (the page file and the line)
    /// with how many times it occurs; a character only the cover or the
    /// running heads use is named at the file it was first set from.
    pub fn report_missing(
        &self,
        book: &crate::model::Book,
        diags: &mut Diagnostics,
        fonts_dir: &Path,
    ) {
        let missing = self.missing.borrow();
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
}

// Where a missing character occurs in the book, for `report_missing`.
mod missing;
// The system's fonts, the last fallback.
mod system;
