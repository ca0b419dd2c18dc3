//! Embedding the used faces once every page is written: each as a Type 0
//! font over a CID font of its subset (subsetter renumbers the glyphs in
//! the order the pages used them; the CID is the subset's glyph id), with
//! `/W` widths and a ToUnicode map giving every glyph the text it was drawn
//! for (`.notdef` never gets one). TrueType outlines go in as `FontFile2`,
//! CFF outlines as their bare `CFF ` table (`FontFile3`/`CIDFontType0C`).

pub mod cache;

use super::deflate::deflate;
use super::disk_cache::DiskCache;
use super::fonts::{Face, FontSet};
use super::write::{FaceUse, Glyphs};
use anyhow::{Result, anyhow};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Chunk, Filter, Finish, Name, Rect, Ref, Str};
use read_fonts::{FontRef, TableProvider, types::Tag};
use sha2::{Digest, Sha256};

/// The deflate level of font programs: they are the biggest streams of a
/// text PDF and are written once (and kept in the disk cache), so size
/// matters more than time here.
const PROGRAM_LEVEL: u32 = 6;

/// Objects per embedded face: the Type 0 font, its CID font, descriptor,
/// ToUnicode map and font program, numbered in that order.
const OBJECTS: usize = 5;

/// A used face with the objects it will be written at: numbered before
/// anything is written, so the fonts can be written on a thread of their
/// own while later objects (outline, structure tree) are written on
/// another, and the numbers are those of a serial write.
pub struct Planned {
    /// The face's index in the font set.
    index: usize,
    /// Its resource name.
    pub name: String,
    /// Its objects, the Type 0 font first.
    refs: [Ref; OBJECTS],
}

impl Planned {
    /// The Type 0 font object, for the resources dictionary.
    pub fn type0(&self) -> Ref {
        self.refs[0]
    }
}

/// Numbers the objects of every used face, in the order they are written.
pub fn plan(next: &mut impl FnMut() -> Ref, fonts: &FontSet, glyphs: &Glyphs) -> Vec<Planned> {
    glyphs
        .keys()
        .map(|&index| Planned {
            index,
            name: fonts.face(index).pdf_id.clone(),
            refs: std::array::from_fn(|_| next()),
        })
        .collect()
}

/// Writes every face of `plan` into `chunk` at its planned objects, their
/// programs' compression read from `cache` when it holds it.
pub fn fonts(
    chunk: &mut Chunk,
    plan: &[Planned],
    fonts: &FontSet,
    glyphs: &Glyphs,
    cache: Option<&DiskCache>,
) -> Result<()> {
    for planned in plan {
        let used = glyphs
            .get(&planned.index)
            .ok_or_else(|| anyhow!("a face planned for embedding was not used"))?;
        let face = fonts.face(planned.index);
        embed(chunk, planned.refs, fonts, &face, used, cache)?;
    }
    Ok(())
}

/// A subset tag (six upper-case letters) from a hash of the face and the
/// glyphs kept: stable for the same subset, different for another one, so
/// subsets from two folio PDFs merged into one do not collide.
pub fn subset_tag(face: &Face, used: &FaceUse) -> String {
    let mut hash = Sha256::new();
    hash.update(face.file.as_bytes());
    hash.update(face.index.to_be_bytes());
    hash.update((face.bytes.len() as u64).to_be_bytes());
    let mut old: Vec<u16> = used.remap.remapped_gids().collect();
    old.sort_unstable();
    for gid in old {
        hash.update(gid.to_be_bytes());
    }
    hash.finalize()
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

/// The face's PostScript name (name id 6) as a PDF name may carry it, else
/// its file name without the extension.
fn postscript_name(font: &FontRef, file: &str) -> String {
    let from_table = font.name().ok().and_then(|name| {
        let data = name.string_data();
        name.name_record()
            .iter()
            .filter(|r| r.name_id().to_u16() == 6)
            .find_map(|r| r.string(data).ok().map(|s| s.chars().collect::<String>()))
    });
    let raw = from_table.unwrap_or_else(|| {
        file.rsplit_once('.')
            .map_or(file, |(stem, _)| stem)
            .to_string()
    });
    let clean: String = raw
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(60)
        .collect();
    if clean.is_empty() {
        "Font".to_string()
    } else {
        clean
    }
}

/// The font program of `face` cut to `used`: its length and its bytes
/// compressed, the compression read from `cache` when it holds it (else
/// made, and handed to the cache).
fn program(
    face: &Face,
    used: &FaceUse,
    cff: bool,
    cache: Option<&DiskCache>,
) -> Result<(usize, Vec<u8>)> {
    let subset = subsetter::subset(&face.bytes, face.index, &used.remap)
        .map_err(|e| anyhow!("font {} cannot be subset: {e}", face.file))?;
    let program = if cff {
        // The subset is an OpenType file; PDF 1.4 takes its CFF table.
        FontRef::new(&subset)
            .ok()
            .and_then(|f| f.table_data(Tag::new(b"CFF ")))
            .map(|d| d.as_bytes().to_vec())
            .ok_or_else(|| anyhow!("font {} cannot be subset: no CFF table", face.file))?
    } else {
        subset
    };
    let Some(cache) = cache else {
        return Ok((program.len(), deflate(&program, PROGRAM_LEVEL)));
    };
    let key = cache::key(&program, PROGRAM_LEVEL);
    if let Some(hit) = cache::get(cache, &key, program.len()) {
        return Ok((program.len(), hit));
    }
    let packed = deflate(&program, PROGRAM_LEVEL);
    cache::put(cache, key, &packed);
    Ok((program.len(), packed))
}

/// Writes one face at its objects: Type 0 font, its CID font, descriptor,
/// ToUnicode map and font program (its compression from `cache` when it
/// holds it).
fn embed(
    pdf: &mut Chunk,
    [type0, cid_ref, descriptor_ref, cmap_ref, file_ref]: [Ref; OBJECTS],
    fonts: &FontSet,
    face: &Face,
    used: &FaceUse,
    cache: Option<&DiskCache>,
) -> Result<()> {
    let font = FontRef::from_index(&face.bytes, face.index)
        .map_err(|e| anyhow!("font {} cannot be embedded: {e}", face.file))?;
    let cff = font.table_data(Tag::new(b"CFF ")).is_some();
    let (length, packed) = program(face, used, cff, cache)?;
    let base = format!(
        "{}+{}",
        subset_tag(face, used),
        postscript_name(&font, &face.file)
    );
    let system_info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };

    pdf.type0_font(type0)
        .base_font(Name(base.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_ref)
        .to_unicode(cmap_ref);

    // Widths of the subset's glyphs, in CID order.
    let old_ids: Vec<u16> = used.remap.remapped_gids().collect();
    let mut cid = pdf.cid_font(cid_ref);
    cid.subtype(if cff {
        CidFontType::Type0
    } else {
        CidFontType::Type2
    })
    .base_font(Name(base.as_bytes()))
    .system_info(system_info)
    .font_descriptor(descriptor_ref)
    .default_width(0.0);
    cid.widths()
        .consecutive(0, old_ids.iter().map(|&g| face.pdf_width(g)));
    if !cff {
        cid.cid_to_gid_map_predefined(Name(b"Identity"));
    }
    cid.finish();

    descriptor(pdf, descriptor_ref, &font, face, &base, cff, file_ref);

    let mut cmap = UnicodeCmap::new(Name(b"Custom"), system_info);
    for (cid, &text) in used.texts.iter().enumerate() {
        let Ok(cid) = u16::try_from(cid) else { break };
        if !text.is_none() {
            cmap.pair_with_multiple(cid, fonts.glyph_text(text).chars());
        }
    }
    let cmap = deflate(&cmap.finish(), 6);
    pdf.cmap(cmap_ref, &cmap).filter(Filter::FlateDecode);

    let mut stream = pdf.stream(file_ref, &packed);
    stream.filter(Filter::FlateDecode);
    if cff {
        stream.pair(Name(b"Subtype"), Name(b"CIDFontType0C"));
    } else {
        stream.pair(Name(b"Length1"), length as i32);
    }
    Ok(())
}

/// The font descriptor: metrics in thousandths of an em.
fn descriptor(
    pdf: &mut Chunk,
    id: Ref,
    font: &FontRef,
    face: &Face,
    base: &str,
    cff: bool,
    file: Ref,
) {
    let scale = 1000.0 / face.units_per_em;
    let head = font.head().ok();
    let bbox = head.as_ref().map_or(Rect::new(0.0, 0.0, 0.0, 0.0), |h| {
        Rect::new(
            f32::from(h.x_min()) * scale,
            f32::from(h.y_min()) * scale,
            f32::from(h.x_max()) * scale,
            f32::from(h.y_max()) * scale,
        )
    });
    let hhea = font.hhea().ok();
    let ascent = hhea
        .as_ref()
        .map_or(bbox.y2, |h| f32::from(h.ascender().to_i16()) * scale);
    let descent = hhea
        .as_ref()
        .map_or(bbox.y1, |h| f32::from(h.descender().to_i16()) * scale);
    let os2 = font.os2().ok();
    let cap_height = os2
        .as_ref()
        .and_then(|o| o.s_cap_height())
        .map_or(ascent, |c| f32::from(c) * scale);
    let weight = os2.as_ref().map_or(400, |o| o.us_weight_class());
    let post = font.post().ok();
    let italic_angle = post
        .as_ref()
        .map_or(0.0, |p| p.italic_angle().to_f64() as f32);
    let fixed = post.as_ref().is_some_and(|p| p.is_fixed_pitch() != 0);
    // The family class's high byte 1 to 7 are serif classes.
    let serif = os2
        .as_ref()
        .is_some_and(|o| (1..=7).contains(&(o.s_family_class() >> 8)));
    let mut flags = FontFlags::SYMBOLIC;
    flags.set(FontFlags::FIXED_PITCH, fixed);
    flags.set(FontFlags::SERIF, serif);
    flags.set(FontFlags::ITALIC, italic_angle != 0.0);
    // The usual estimate of the dominant stem from the weight class.
    let stem_v = 10.0 + 0.244 * (f32::from(weight) - 50.0);
    let mut d = pdf.font_descriptor(id);
    d.name(Name(base.as_bytes()))
        .flags(flags)
        .bbox(bbox)
        .italic_angle(italic_angle)
        .ascent(ascent)
        .descent(descent)
        .cap_height(cap_height)
        .stem_v(stem_v);
    if cff {
        d.font_file3(file);
    } else {
        d.font_file2(file);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::pdf::disk_cache::{FOLDER, hex};
    use crate::backend::pdf::style::Style;
    use crate::backend::pdf::write::FaceUse;
    use std::path::Path;

    /// The built-in faces, the first two used for a few glyphs each.
    fn used() -> (FontSet, Glyphs) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let style = Style::load(&root.join("templates")).unwrap();
        let set = FontSet::load(&root.join("fonts"), &style.fonts).unwrap();
        let mut glyphs = Glyphs::new();
        for (face, gids) in [(0, [36, 70, 3, 81]), (1, [40, 3, 90, 68])] {
            let mut used = FaceUse::default();
            for gid in gids {
                used.remap.remap(gid);
            }
            glyphs.insert(face, used);
        }
        (set, glyphs)
    }

    /// The fonts' objects as written with `cache`.
    fn written(set: &FontSet, glyphs: &Glyphs, cache: Option<&DiskCache>) -> Vec<u8> {
        let mut n = 0;
        let plan = plan(
            &mut || {
                n += 1;
                Ref::new(n)
            },
            set,
            glyphs,
        );
        let mut chunk = Chunk::new();
        fonts(&mut chunk, &plan, set, glyphs, cache).unwrap();
        chunk.as_bytes().to_vec()
    }

    #[test]
    fn a_cached_program_gives_the_bytes_a_made_one_does() {
        let (set, glyphs) = used();
        let uncached = written(&set, &glyphs, None);
        let out = tempfile::tempdir().unwrap();
        let disk = DiskCache::new(out.path());
        assert_eq!(written(&set, &glyphs, Some(&disk)), uncached, "a miss");
        disk.flush();
        let folder = out.path().join(FOLDER).join("pdf-fonts");
        let entries: Vec<_> = std::fs::read_dir(&folder).unwrap().flatten().collect();
        assert_eq!(entries.len(), 2, "a program per face");
        assert_eq!(written(&set, &glyphs, Some(&disk)), uncached, "a hit");
        disk.flush();
        assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 2);

        // A hit is read, not made again: an entry forged under a program's
        // key is what the file gets.
        let face = set.face(0);
        let program = subsetter::subset(&face.bytes, face.index, &glyphs[&0].remap).unwrap();
        let key = cache::key(&program, PROGRAM_LEVEL);
        let forged = deflate(b"forged", PROGRAM_LEVEL);
        std::fs::write(folder.join(hex(&key)), cache::encode(&key, &forged)).unwrap();
        let with_forged = written(&set, &glyphs, Some(&disk));
        assert!(with_forged.windows(forged.len()).any(|w| w == forged));
        assert_ne!(with_forged, uncached);
    }
}
