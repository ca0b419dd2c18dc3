//! Writes the PDF file with pdf-writer as the book is laid out: each page
//! as soon as its chapter is paginated (its content stream compressed at
//! a fast level, its drawing operations dropped once written),
//! with its link annotations; then, once every page is, the annotations of
//! links to anchors that were not placed yet, the images, the page tree,
//! the fonts, whose subsets need every glyph used, the outline, the
//! structure tree, metadata and catalog. Object numbers are handed out as
//! objects are written ([`Refs`]); the page tree's `/Kids` gives the page
//! order, so the contents (laid out last) can be written last. No
//! document object graph is held in memory: the output buffer is the only
//! copy of what is written. The end of the file (fonts, outline, structure
//! tree) is written in parts on both cores, numbered up front and joined in
//! file order ([`End`]), so the bytes are a serial write's.

use super::deflate::deflate;
use super::disk_cache::DiskCache;
use super::draw::DrawOp;
use super::embed;
use super::fonts::FontSet;
use super::images::{Image, ImageData};
use super::layout::{PageOut, Placement};
use super::links::{self, LinkArea};
use super::metadata;
use super::outline;
use super::refs::Refs;
use super::standard::Standards;
use super::tags::{self, SharedTree, Tagging, tree::Keyed};
use super::write::{self, Glyphs, PageContext, Sheet};
use crate::model::BookMeta;
use anyhow::{Result, bail};
use pdf_writer::types::{Predictor, TabOrder};
use pdf_writer::{Chunk, Filter, Finish, Name, Pdf, Rect, Ref};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::{Arc, mpsc};

/// libdeflate level of content streams. On the corpus's 4.9 MB of content
/// streams: level 1 1.03 MB in 14 ms, 2 0.98 MB in 22 ms, 3 0.94 MB in
/// 25 ms (zlib-rs's level 2, used before, 1.06 MB in 33 ms). Compressed
/// on the writer's thread, which lays out chapters too while it waits: a
/// thread of its own for it made three busy threads on two cores, and
/// the corpus took 8 % longer.
const CONTENT_LEVEL: u32 = 1;

/// The finished file, the link anchors that were not found and why a
/// claim asked for was not made.
pub struct Written {
    pub bytes: Vec<u8>,
    pub missing: Vec<String>,
    pub withdrawn: Option<String>,
}

/// Whether the document is tagged (a structure tree, marked content): every
/// PDF folio writes is, which a PDF/UA claim needs.
const TAGGED: bool = true;

/// A page ready for the file: its compressed content stream and where its
/// links are.
struct Packed {
    id: Ref,
    /// The page's index in the book.
    index: usize,
    /// The compressed content stream.
    content: Vec<u8>,
    links: Vec<LinkArea>,
}

/// The PDF file being written, page by page.
pub struct Stream<'a> {
    pdf: Pdf,
    refs: Refs,
    catalog: Ref,
    tree: Ref,
    resources: Ref,
    info: Ref,
    fonts: &'a FontSet,
    sheet: Sheet,
    tagging: Tagging<'a>,
    glyphs: Glyphs,
    /// Link annotations whose targets were not placed yet.
    later: Vec<links::Later>,
    /// How many pages were handed in, and one past the highest image index
    /// they draw (checked against the images once they are known).
    pages: usize,
    images_used: usize,
    /// Where the font programs' compression may be found already.
    cache: Option<Arc<DiskCache>>,
}

impl<'a> Stream<'a> {
    /// A file of pages on sheets of `sheet`, drawn with `fonts`, whose
    /// structure is `tree` (filled in by the layout as it goes); its font
    /// programs kept in `cache`, if any.
    pub fn new(
        fonts: &'a FontSet,
        tree: &'a SharedTree,
        sheet: Sheet,
        cache: Option<Arc<DiskCache>>,
    ) -> Self {
        // Compact: the indentation of pdf-writer's pretty mode is only for
        // people reading the file.
        let mut pdf = Pdf::with_settings(write::COMPACT);
        // Tagged PDF's `/Tabs` is PDF 1.5; PDF/UA-1 is built on PDF 1.7.
        pdf.set_version(1, 7);
        let mut refs = Refs::default();
        Stream {
            pdf,
            catalog: refs.next(),
            tree: refs.next(),
            resources: refs.next(),
            info: refs.next(),
            refs,
            fonts,
            sheet,
            tagging: Tagging::new(tree),
            glyphs: Glyphs::new(),
            later: Vec::new(),
            pages: 0,
            images_used: 0,
            cache,
        }
    }

    /// Writes page `index` of the book (every index from 0 once, in any
    /// order), its links going where `placement` says. Pages go into the
    /// file in the order they come, so the bytes do not depend on timing.
    pub fn page(&mut self, index: usize, page: PageOut, placement: &Placement) -> Result<()> {
        for op in &page.ops {
            if let DrawOp::Image { image, .. } = op {
                self.images_used = self.images_used.max(image + 1);
            }
        }
        let id = self.refs.page(index);
        let mut cx = PageContext {
            fonts: self.fonts,
            // Checked once the images are known.
            images: usize::MAX,
            placement,
            glyphs: &mut self.glyphs,
            tagging: &mut self.tagging,
        };
        let content = write::page(page, index, self.sheet, &mut cx);
        let packed = Packed {
            id,
            index,
            content: deflate(&content.bytes, CONTENT_LEVEL),
            links: content.links,
        };
        drop(content.bytes);
        self.pages += 1;
        self.write_page(packed, placement)
    }

    /// Writes one page object, its content stream and its link annotations.
    fn write_page(&mut self, page: Packed, placement: &Placement) -> Result<()> {
        let sheet = self.sheet;
        let content_id = self.refs.next();
        self.pdf
            .stream(content_id, &page.content)
            .filter(Filter::FlateDecode);
        let annots = links::write(
            &mut self.pdf,
            &mut self.refs,
            &page.links,
            (page.index, page.id),
            placement,
            sheet,
            &mut self.tagging,
            &mut self.later,
        );
        let media = Rect::new(
            0.0,
            0.0,
            sheet.page_w + 2.0 * sheet.bleed,
            sheet.page_h + 2.0 * sheet.bleed,
        );
        // Its marked content in the parent tree.
        let key = self.tagging.marked.key(Keyed::Page(page.index));
        let mut p = self.pdf.page(page.id);
        p.parent(self.tree).media_box(media).contents(content_id);
        if sheet.bleed > 0.0 {
            let trim = Rect::new(
                sheet.bleed,
                sheet.bleed,
                sheet.bleed + sheet.page_w,
                sheet.bleed + sheet.page_h,
            );
            p.trim_box(trim).bleed_box(media);
        }
        p.pair(Name(b"Resources"), self.resources);
        // Tab order follows the structure.
        p.struct_parents(key).tab_order(TabOrder::StructureOrder);
        if !annots.is_empty() {
            p.annotations(annots);
        }
        p.finish();
        Ok(())
    }

    /// Writes the link annotations put off; returns the anchors not found.
    fn flush(&mut self, placement: &Placement) -> Result<Vec<String>> {
        let mut missing = Vec::new();
        let later = std::mem::take(&mut self.later);
        links::write_later(
            &mut self.pdf,
            &mut self.refs,
            later,
            placement,
            self.sheet,
            &mut missing,
        );
        Ok(missing)
    }

    /// Writes what comes once every page is: the links put off, `images`,
    /// the page tree, fonts, outline, structure tree, metadata (claiming
    /// `standards`) and catalog; returns the file.
    pub fn finish(
        mut self,
        meta: &BookMeta,
        images: Vec<Image>,
        placement: &Placement,
        standards: Standards,
    ) -> Result<Written> {
        let missing = self.flush(placement)?;
        let Stream {
            mut pdf,
            mut refs,
            catalog,
            tree,
            resources,
            info,
            fonts,
            sheet,
            tagging,
            glyphs,
            pages,
            images_used,
            cache,
            ..
        } = self;
        // Every page handed in once, and no link or outline entry to a
        // page that is not there.
        if refs.pages().len() != pages {
            bail!(
                "{pages} pages were written where {} were numbered",
                refs.pages().len()
            );
        }
        let xobjects = write_images(&mut pdf, &mut refs, images, images_used)?;
        let page_ids = refs.pages().to_vec();
        pdf.pages(tree)
            .kids(page_ids.iter().copied())
            .count(i32::try_from(page_ids.len()).unwrap_or(i32::MAX));
        let mut next = || refs.next();
        let plan = embed::plan(&mut next, fonts, &glyphs);
        let end = End {
            plan: &plan,
            cache: cache.as_deref(),
            fonts,
            glyphs: &glyphs,
            resources,
            xobjects: &xobjects,
            placement,
            page_ids: &page_ids,
            top_of_page: sheet.page_h + sheet.bleed,
            tagging: &tagging,
        };
        let (hash, hashed, outline_root, struct_root) = end.write(&mut pdf, &mut next)?;
        let roots = Roots {
            catalog,
            tree,
            info,
            outline: outline_root,
            struct_tree: Some(struct_root),
        };
        let withdrawn = describe(&mut pdf, &mut next, roots, meta, standards, fonts, &glyphs);
        pdf.set_file_id((
            metadata::ID_PLACEHOLDER.to_vec(),
            metadata::ID_PLACEHOLDER.to_vec(),
        ));
        let mut bytes = pdf.finish();
        metadata::patch_id(&mut bytes, hash, hashed);
        Ok(Written {
            bytes,
            missing,
            withdrawn,
        })
    }
}

/// What the end of the file is written from (after the page tree, before
/// the metadata): the fonts of `plan`, the resources, the outline and the
/// structure tree.
struct End<'e, 'a> {
    plan: &'e [embed::Planned],
    /// Where the fonts' programs' compression may be found already.
    cache: Option<&'e DiskCache>,
    fonts: &'e FontSet,
    glyphs: &'e Glyphs,
    /// The resources dictionary's object.
    resources: Ref,
    /// The images by resource name (the fonts' come from `plan`).
    xobjects: &'e [Named],
    placement: &'e Placement,
    page_ids: &'e [Ref],
    top_of_page: f32,
    tagging: &'e Tagging<'a>,
}

/// A resource's name and its object.
type Named = (String, Ref);

/// The parts of the end, in file order: fonts; resources and outline;
/// the structure elements' first half, their second half; the parent
/// tree and the tree's root.
const END_PARTS: usize = 5;

impl End<'_, '_> {
    /// Writes the end onto `pdf` on both cores: the fonts' subsets (and
    /// their compression) on one thread, the first half of the structure
    /// elements on another, the rest here, each part into a chunk of its
    /// own; a last thread hashes the file so far, then appends each part
    /// to it and hashes it as it comes, in file order (so the copying of
    /// the parts is done by the time the last is written). Objects are
    /// numbered here in the order a serial write numbers them and parts are
    /// joined in file order, so the bytes do not depend on timing. Returns
    /// the hash of the bytes written and their count, the outline's root
    /// and the structure tree's.
    fn write(
        self,
        pdf: &mut Pdf,
        next: &mut impl FnMut() -> Ref,
    ) -> Result<(Sha256, usize, Option<Ref>, Ref)> {
        let chunk = || Chunk::with_settings(write::COMPACT);
        let tree = self.tagging.tree.borrow();
        let tree: &tags::StructTree = &tree;
        let marked = &self.tagging.marked;
        // The resources and outline (small) first, here: numbered before
        // the tree, as in a serial write.
        let font_refs: Vec<Named> = self
            .plan
            .iter()
            .map(|p| (p.name.clone(), p.type0()))
            .collect();
        let mut outlined = chunk();
        resources_dict(&mut outlined, self.resources, &font_refs, self.xobjects);
        let outline_root = outline::write(
            &mut outlined,
            next,
            &self.placement.outline,
            self.page_ids,
            self.top_of_page,
        );
        let ids = tags::tree::plan(next, tree, self.page_ids);
        let hash = std::thread::scope(|s| {
            let (tx, rx) = mpsc::channel::<(usize, Chunk)>();
            let file: &mut Chunk = pdf;
            let hashing = s.spawn(move || append_in_order(file, rx));
            let to_fonts = tx.clone();
            let embedding = s.spawn(move || {
                let mut part = chunk();
                embed::fonts(&mut part, self.plan, self.fonts, self.glyphs, self.cache)?;
                // The hashing thread is gone only if it failed: said below.
                to_fonts.send((0, part)).ok();
                anyhow::Ok(())
            });
            tx.send((1, outlined)).ok();
            let half = ids.len() / 2;
            let ids = &ids;
            let to_first = tx.clone();
            let first = s.spawn(move || {
                let mut part = chunk();
                tags::tree::elements(&mut part, tree, 0..half, ids, marked);
                to_first.send((2, part)).ok();
            });
            let mut part = chunk();
            tags::tree::elements(&mut part, tree, half..ids.len(), ids, marked);
            tx.send((3, part)).ok();
            let mut part = chunk();
            tags::tree::parent_tree(&mut part, next, ids, marked);
            tx.send((4, part)).ok();
            drop(tx);
            let lost = || anyhow::anyhow!("a thread writing the end of the PDF stopped");
            embedding.join().map_err(|_| lost())??;
            first.join().map_err(|_| lost())?;
            let (hash, parts) = hashing.join().map_err(|_| lost())?;
            if parts != END_PARTS {
                return Err(lost());
            }
            anyhow::Ok(hash)
        })?;
        Ok((hash, pdf.len(), outline_root, ids.root()))
    }
}

/// Appends to `file` the parts `rx` brings (numbered from 0, in any order)
/// in their order; returns the hash of `file` so far then of each part, and
/// how many parts were appended.
fn append_in_order(file: &mut Chunk, rx: mpsc::Receiver<(usize, Chunk)>) -> (Sha256, usize) {
    let mut hash = Sha256::new();
    hash.update(file.as_bytes());
    let mut waiting = BTreeMap::new();
    let mut done = 0;
    for (i, part) in rx {
        waiting.insert(i, part);
        while let Some(part) = waiting.remove(&done) {
            hash.update(part.as_bytes());
            file.extend(&part);
            done += 1;
        }
    }
    (hash, done)
}

/// Writes every image once (its pixels dropped as it is written) and
/// returns their resource names and objects; `used` is one past the
/// highest image index a page draws.
fn write_images(
    pdf: &mut Pdf,
    refs: &mut Refs,
    list: Vec<Image>,
    used: usize,
) -> Result<Vec<(String, Ref)>> {
    if used > list.len() {
        bail!("a page draws image {used} of {}", list.len());
    }
    let mut xobjects = Vec::with_capacity(list.len());
    for (i, image) in list.into_iter().enumerate() {
        let id = refs.next();
        image_xobject(pdf, &mut || refs.next(), id, image)?;
        xobjects.push((write::image_name(i), id));
    }
    Ok(xobjects)
}

/// The resources every page shares: the fonts and images by name.
fn resources_dict(pdf: &mut Chunk, id: Ref, fonts: &[(String, Ref)], images: &[(String, Ref)]) {
    let mut res = pdf.indirect(id).dict();
    let mut font_dict = res.insert(Name(b"Font")).dict();
    for (name, r) in fonts {
        font_dict.pair(Name(name.as_bytes()), *r);
    }
    font_dict.finish();
    let mut xobject_dict = res.insert(Name(b"XObject")).dict();
    for (name, r) in images {
        xobject_dict.pair(Name(name.as_bytes()), *r);
    }
    xobject_dict.finish();
    res.finish();
}

/// The objects the trailer and the catalog point at.
struct Roots {
    catalog: Ref,
    tree: Ref,
    info: Ref,
    outline: Option<Ref>,
    struct_tree: Option<Ref>,
}

/// Writes what describes the document: the Info dictionary, the XMP packet
/// with the claims of `standards` the file can make, the PDF/A output
/// intent's profile, and the catalog. Returns why a claim asked for was
/// not made.
fn describe(
    pdf: &mut Pdf,
    next: &mut impl FnMut() -> Ref,
    roots: Roots,
    meta: &BookMeta,
    standards: Standards,
    fonts: &FontSet,
    glyphs: &Glyphs,
) -> Option<String> {
    // PDF/A-2u wants the Unicode text of every glyph shown: without it the
    // claim is not made.
    let mut claims = standards.claims(TAGGED);
    let withdrawn = claims
        .pdfa_2u
        .then(|| super::standard::unmapped_glyphs(fonts, glyphs))
        .flatten();
    claims.pdfa_2u &= withdrawn.is_none();
    let described = metadata::Described::of(meta);
    metadata::info(pdf, roots.info, &described);
    let xmp = next();
    metadata::xmp_stream(pdf, xmp, &described, claims);
    let output_profile = claims.pdfa_2u.then(|| {
        let id = next();
        metadata::output_profile(pdf, id);
        id
    });
    let archival = metadata::Archival {
        metadata: xmp,
        output_profile,
        struct_tree: roots.struct_tree,
    };
    metadata::catalog(
        pdf,
        roots.catalog,
        roots.tree,
        roots.outline,
        meta,
        archival,
    );
    withdrawn
}

/// Writes one image XObject at `id` (and its soft mask, if it has one).
fn image_xobject(
    pdf: &mut Pdf,
    next: &mut impl FnMut() -> Ref,
    id: Ref,
    image: Image,
) -> Result<()> {
    let (w, h) = (image.width as i32, image.height as i32);
    let space = |colors: u8| -> Name<'static> {
        if colors == 1 {
            Name(b"DeviceGray")
        } else {
            Name(b"DeviceRGB")
        }
    };
    match image.data {
        ImageData::Jpeg { bytes, components } => {
            let mut x = pdf.image_xobject(id, &bytes);
            x.filter(Filter::DctDecode);
            x.width(w)
                .height(h)
                .color_space_name(space(components))
                .bits_per_component(8);
        }
        ImageData::Png { idat, colors } => {
            let mut x = pdf.image_xobject(id, &idat);
            x.filter(Filter::FlateDecode);
            x.decode_parms()
                .predictor(Predictor::PngOptimum)
                .colors(i32::from(colors))
                .bits_per_component(8)
                .columns(w);
            x.width(w)
                .height(h)
                .color_space_name(space(colors))
                .bits_per_component(8);
        }
        ImageData::Pixels { colors, packed } => {
            let lost = || anyhow::anyhow!("an image's compressed data was lost");
            let packed = packed.ok_or_else(lost)?;
            let alpha = packed.alpha.map(|a| a.wait().ok_or_else(lost));
            let alpha = alpha.transpose()?;
            let samples = packed.samples.wait().ok_or_else(lost)?;
            let mask = alpha.map(|a| {
                let mask = next();
                let mut x = pdf.image_xobject(mask, &a);
                x.filter(Filter::FlateDecode);
                x.width(w)
                    .height(h)
                    .color_space_name(Name(b"DeviceGray"))
                    .bits_per_component(8);
                mask
            });
            let mut x = pdf.image_xobject(id, &samples);
            x.filter(Filter::FlateDecode);
            x.width(w)
                .height(h)
                .color_space_name(space(colors))
                .bits_per_component(8);
            if let Some(mask) = mask {
                x.s_mask(mask);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(text: &str, id: i32) -> Chunk {
        let mut c = Chunk::new();
        c.indirect(Ref::new(id))
            .primitive(pdf_writer::Str(text.as_bytes()));
        c
    }

    #[test]
    fn parts_are_appended_and_hashed_in_file_order_whatever_order_they_come_in() {
        let (tx, rx) = mpsc::channel();
        for (i, text) in [(2, "c"), (0, "a"), (1, "b")] {
            tx.send((i, part(text, i as i32 + 1))).unwrap();
        }
        drop(tx);
        let mut file = part("head", 9);
        let (hash, parts) = append_in_order(&mut file, rx);
        let mut serial = part("head", 9).as_bytes().to_vec();
        for (i, text) in ["a", "b", "c"].into_iter().enumerate() {
            serial.extend_from_slice(part(text, i as i32 + 1).as_bytes());
        }
        assert_eq!(parts, 3);
        assert_eq!(hash.finalize(), Sha256::digest(&serial));
        assert_eq!(file.as_bytes(), serial);
        let refs: Vec<i32> = file.refs().map(Ref::get).collect();
        assert_eq!(refs, [9, 1, 2, 3]);
    }
}
