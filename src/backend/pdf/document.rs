//! Assembles the PDF file with pdf-writer, in one pass over the pages:
//! every page's object id is reserved first (links and the outline point
//! at pages not yet written), images go out first, then each page's
//! content stream, compressed at a fast level, and its annotations as soon
//! as the page is final (its drawing operations are dropped right after),
//! then the fonts, whose subsets need every glyph used, and the outline,
//! metadata and catalog. No document object graph is held in memory: the
//! output buffer is the only copy.

use super::deflate::{Pending, Worker};
use super::embed;
use super::fonts::FontSet;
use super::images::{Image, ImageData};
use super::layout::{PageOut, Placement};
use super::links::{self, LinkArea};
use super::metadata;
use super::outline;
use super::standard::Standards;
use super::tags::{self, StructTree, Tagging};
use super::write::{self, Glyphs, PageContext, Sheet};
use crate::model::BookMeta;
use anyhow::Result;
use pdf_writer::types::{Predictor, TabOrder};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref};
use std::collections::VecDeque;

/// Deflate level of content streams. zlib-rs's level 1 codes with fixed
/// Huffman tables only (content streams came out nearly twice as big as at
/// level 6); level 2 is its fastest with dynamic tables.
const CONTENT_LEVEL: u32 = 2;

/// How many pages' contents may wait for compression: enough to keep the
/// worker busy, few enough that their buffers cost little memory.
const AHEAD: usize = 2;

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

/// What the file says about itself: the structure tree the layout built,
/// and the standards it is to claim.
pub struct Conformance {
    pub structure: StructTree,
    pub standards: Standards,
}

/// Writes the document: `pages` in order, on sheets of `sheet`, tagged
/// and claiming standards as `conformance` says.
pub fn write(
    meta: &BookMeta,
    pages: Vec<PageOut>,
    fonts: &FontSet,
    images: Vec<Image>,
    placement: &Placement,
    sheet: Sheet,
    conformance: Conformance,
) -> Result<Written> {
    let Conformance {
        structure,
        standards,
    } = conformance;
    // Compact: the indentation of pdf-writer's pretty mode is only for
    // people reading the file.
    let mut pdf = Pdf::with_settings(write::COMPACT);
    // Tagged PDF's `/Tabs` is PDF 1.5; PDF/UA-1 is built on PDF 1.7.
    pdf.set_version(1, 7);
    let mut counter = 1;
    let mut next = move || {
        let r = Ref::new(counter);
        counter += 1;
        r
    };
    let catalog = next();
    let tree = next();
    let resources = next();
    let info = next();
    let page_ids: Vec<Ref> = pages.iter().map(|_| next()).collect();

    // Images once each, before the pages that draw them; their pixels are
    // dropped as they are written.
    let list = images;
    let image_count = list.len();
    let mut xobjects = Vec::with_capacity(list.len());
    for (i, image) in list.into_iter().enumerate() {
        let id = next();
        image_xobject(&mut pdf, &mut next, id, image)?;
        xobjects.push((write::image_name(i), id));
    }

    let frame = PageFrame {
        tree,
        resources,
        page_ids: &page_ids,
        placement,
        sheet,
    };
    let mut tagging = Tagging {
        tree: structure,
        page_count: pages.len(),
        ..Tagging::default()
    };
    let (glyphs, missing) = write_pages(
        &mut pdf,
        &mut next,
        pages,
        (fonts, image_count),
        &frame,
        &mut tagging,
    )?;
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);

    let font_refs = embed::fonts(&mut pdf, &mut next, fonts, &glyphs)?;
    let mut res = pdf.indirect(resources).dict();
    let mut font_dict = res.insert(Name(b"Font")).dict();
    for (name, id) in &font_refs {
        font_dict.pair(Name(name.as_bytes()), *id);
    }
    font_dict.finish();
    let mut xobject_dict = res.insert(Name(b"XObject")).dict();
    for (name, id) in &xobjects {
        xobject_dict.pair(Name(name.as_bytes()), *id);
    }
    xobject_dict.finish();
    res.finish();

    let outline_root = outline::write(
        &mut pdf,
        &mut next,
        &placement.outline,
        &page_ids,
        sheet.page_h + sheet.bleed,
    );
    // Every page has its parent-tree entry, even one of artifacts only.
    tagging.marked.pages.resize_with(page_ids.len(), Vec::new);
    let struct_root = tags::tree::write(
        &mut pdf,
        &mut next,
        &tagging.tree,
        &tagging.marked,
        &page_ids,
    );
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
    metadata::patch_id(&mut bytes);
    Ok(Written {
        bytes,
        missing,
        withdrawn,
    })
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

/// What every page object shares: its parent, resources and sheet, and
/// where links go.
struct PageFrame<'a> {
    tree: Ref,
    resources: Ref,
    page_ids: &'a [Ref],
    placement: &'a Placement,
    sheet: Sheet,
}

/// A page whose content is being compressed.
struct Queued {
    id: Ref,
    /// The page's index (its `StructParents` key).
    index: usize,
    content: Pending,
    links: Vec<LinkArea>,
}

/// Writes every page with its content stream and links; returns the
/// glyphs they use and the link anchors not found.
fn write_pages(
    pdf: &mut Pdf,
    next: &mut impl FnMut() -> Ref,
    pages: Vec<PageOut>,
    (fonts, image_count): (&FontSet, usize),
    frame: &PageFrame,
    tagging: &mut Tagging,
) -> Result<(Glyphs, Vec<String>)> {
    let mut glyphs = Glyphs::new();
    let mut missing = Vec::new();
    // A page's content is compressed on the worker while the next page's
    // is written; pages go into the file in order, so the bytes are the
    // same as when compressing in line.
    let mut worker = Worker::default();
    let mut queue: VecDeque<Queued> = VecDeque::new();
    for (index, (page, &id)) in pages.into_iter().zip(frame.page_ids).enumerate() {
        let mut cx = PageContext {
            fonts,
            images: image_count,
            placement: frame.placement,
            glyphs: &mut glyphs,
            tagging,
        };
        let content = write::page(page, index, frame.sheet, &mut cx);
        queue.push_back(Queued {
            id,
            index,
            content: worker.deflate(content.bytes, CONTENT_LEVEL),
            links: content.links,
        });
        if queue.len() > AHEAD
            && let Some(first) = queue.pop_front()
        {
            write_page(pdf, next, first, frame, &mut missing, tagging)?;
        }
    }
    for page in queue {
        write_page(pdf, next, page, frame, &mut missing, tagging)?;
    }
    Ok((glyphs, missing))
}

/// Writes one page object, its content stream and its link annotations.
fn write_page(
    pdf: &mut Pdf,
    next: &mut impl FnMut() -> Ref,
    page: Queued,
    frame: &PageFrame,
    missing: &mut Vec<String>,
    tagging: &mut Tagging,
) -> Result<()> {
    let sheet = frame.sheet;
    let content_id = next();
    let packed = page
        .content
        .wait()
        .ok_or_else(|| anyhow::anyhow!("a page's compressed content was lost"))?;
    pdf.stream(content_id, &packed).filter(Filter::FlateDecode);
    let annots = links::write(
        pdf,
        next,
        &page.links,
        (page.index, page.id),
        frame.page_ids,
        frame.placement,
        sheet,
        missing,
        tagging,
    );
    let media = Rect::new(
        0.0,
        0.0,
        sheet.page_w + 2.0 * sheet.bleed,
        sheet.page_h + 2.0 * sheet.bleed,
    );
    let mut p = pdf.page(page.id);
    p.parent(frame.tree).media_box(media).contents(content_id);
    if sheet.bleed > 0.0 {
        let trim = Rect::new(
            sheet.bleed,
            sheet.bleed,
            sheet.bleed + sheet.page_w,
            sheet.bleed + sheet.page_h,
        );
        p.trim_box(trim).bleed_box(media);
    }
    p.pair(Name(b"Resources"), frame.resources);
    // Its marked content in the parent tree; tab order follows the
    // structure.
    p.struct_parents(i32::try_from(page.index).unwrap_or(i32::MAX))
        .tab_order(TabOrder::StructureOrder);
    if !annots.is_empty() {
        p.annotations(annots);
    }
    p.finish();
    Ok(())
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
