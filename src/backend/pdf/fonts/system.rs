//! The system's fonts as a last fallback for characters no shipped or
//! configured font has (Hebrew, Arabic, Thai, CJK, emoji on a machine
//! with Debian's fonts-noto-core, fonts-noto-cjk and fonts-symbola).
//!
//! The folders are scanned by fontdb only when such a character turns up,
//! so a book the shipped fonts cover costs nothing. Candidates are the
//! upright regular faces with outlines (normal width first) (colour bitmap fonts such as Noto
//! Color Emoji cannot be embedded as outlines and are skipped), in a
//! stable order (width, family name, file, collection index) so the
//! same installed fonts always give the same PDF.

use read_fonts::{FileRef, FontRef, TableProvider, types::Tag};
use std::path::PathBuf;

/// One candidate face on the system.
struct Candidate {
    /// Condensed or expanded: tried after the faces of normal width.
    narrow: bool,
    family: String,
    path: PathBuf,
    index: u32,
    /// Code point ranges its cmap maps to a real glyph, read on first use.
    ranges: Option<Vec<(u32, u32)>>,
}

/// The system's candidate faces, scanned once.
pub(super) struct SystemFonts {
    candidates: Vec<Candidate>,
}

/// At most this many system faces are candidates (a machine with every
/// font package installed has a few hundred regular faces).
const MAX_CANDIDATES: usize = 600;

impl SystemFonts {
    /// Scans the system's font folders (fontdb's list for the platform).
    pub(super) fn scan() -> SystemFonts {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        let mut candidates: Vec<Candidate> = db
            .faces()
            .filter(|f| f.style == fontdb::Style::Normal && f.weight == fontdb::Weight::NORMAL)
            .filter_map(|f| {
                let path = match &f.source {
                    fontdb::Source::File(p) => p.clone(),
                    _ => return None,
                };
                let family = f.families.first().map(|(n, _)| n.clone())?;
                Some(Candidate {
                    narrow: f.stretch != fontdb::Stretch::Normal,
                    family,
                    path,
                    index: f.index,
                    ranges: None,
                })
            })
            .collect();
        candidates.sort_by(|a, b| {
            (a.narrow, &a.family, &a.path, a.index).cmp(&(b.narrow, &b.family, &b.path, b.index))
        });
        candidates.truncate(MAX_CANDIDATES);
        SystemFonts { candidates }
    }

    /// The number of candidates.
    pub(super) fn len(&self) -> usize {
        self.candidates.len()
    }

    /// Whether candidate `i` has a glyph for `c` (its cmap read on first use).
    pub(super) fn covers(&mut self, i: usize, c: char) -> bool {
        let Some(cand) = self.candidates.get_mut(i) else {
            return false;
        };
        let ranges = cand
            .ranges
            .get_or_insert_with(|| read_ranges(&cand.path, cand.index));
        let c = u32::from(c);
        let at = ranges.partition_point(|&(_, end)| end < c);
        ranges.get(at).is_some_and(|&(start, _)| start <= c)
    }

    /// Whether candidate `i`'s family name ends with ` {suffix}`.
    pub(super) fn family_ends_with(&self, i: usize, suffix: &str) -> bool {
        self.candidates.get(i).is_some_and(|c| {
            c.family
                .strip_suffix(suffix)
                .is_some_and(|rest| rest.ends_with(' '))
        })
    }

    /// Candidate `i`'s file, collection index and a name for messages.
    pub(super) fn source(&self, i: usize) -> Option<(PathBuf, u32, String)> {
        self.candidates
            .get(i)
            .map(|c| (c.path.clone(), c.index, c.family.clone()))
    }
}

/// The code points `path`'s face `index` maps to a glyph other than 0, as
/// sorted ranges; none when it is unreadable or has no outlines to embed.
fn read_ranges(path: &std::path::Path, index: u32) -> Vec<(u32, u32)> {
    let Ok(bytes) = std::fs::read(path) else {
        return Vec::new();
    };
    let Some(font) = face_at(&bytes, index) else {
        return Vec::new();
    };
    if !has_outlines(&font) {
        return Vec::new();
    }
    let Some((_, _, table)) = font.cmap().ok().and_then(|c| c.best_subtable()) else {
        return Vec::new();
    };
    let mut points: Vec<u32> = table
        .iter()
        .filter(|(_, g)| g.to_u32() != 0)
        .map(|(c, _)| c)
        .collect();
    points.sort_unstable();
    points.dedup();
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for p in points {
        match ranges.last_mut() {
            Some(last) if last.1 + 1 == p => last.1 = p,
            _ => ranges.push((p, p)),
        }
    }
    ranges
}

/// Face `index` of a font file or collection.
pub(super) fn face_at(bytes: &[u8], index: u32) -> Option<FontRef<'_>> {
    match FileRef::new(bytes).ok()? {
        FileRef::Font(f) if index == 0 => Some(f),
        FileRef::Font(_) => None,
        FileRef::Collection(c) => c.get(index).ok(),
    }
}

/// Whether the face draws its glyphs as outlines (TrueType or CFF), which
/// is what the PDF embeds; colour bitmap fonts have neither.
fn has_outlines(font: &FontRef) -> bool {
    let has = |tag: &[u8; 4]| font.table_data(Tag::new(tag)).is_some();
    has(b"glyf") || has(b"CFF ")
}

/// The region suffix of the CJK families (Noto's `JP`, `KR`, `SC`, `TC`,
/// `HK`) that suit BCP 47 tag `lang`; `None` for other languages.
pub(super) fn cjk_region(lang: &str) -> Option<&'static str> {
    let tag = lang.to_ascii_lowercase().replace('_', "-");
    let mut parts = tag.split('-');
    let region = match parts.next()? {
        "ja" => "JP",
        "ko" => "KR",
        "zh" => {
            let rest: Vec<&str> = parts.collect();
            if rest.contains(&"hk") || rest.contains(&"mo") {
                "HK"
            } else if rest.contains(&"hant") || rest.contains(&"tw") {
                "TC"
            } else {
                "SC"
            }
        }
        _ => return None,
    };
    Some(region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_regions_from_language_tags() {
        for (tag, want) in [
            ("ja", Some("JP")),
            ("ja-JP", Some("JP")),
            ("ko", Some("KR")),
            ("zh", Some("SC")),
            ("zh-Hans", Some("SC")),
            ("zh-Hant", Some("TC")),
            ("zh_TW", Some("TC")),
            ("zh-HK", Some("HK")),
            ("en", None),
            ("", None),
        ] {
            assert_eq!(cjk_region(tag), want, "{tag}");
        }
    }
}
