//! Assembles the PDF file with pdf-writer, in one pass over the pages:
//! every page's object id is reserved first (links and the outline point
//! at pages not yet written), images go out first, then each page's
//! content stream, compressed at a fast level, and its annotations as soon
//! as the page is final (its drawing operations are dropped right after),
//! then the fonts, whose subsets need every glyph used, and the outline,
//! metadata and catalog. No document object graph is held in memory: the
//! output buffer is the only copy.

use super::deflate::deflate;
use super::embed;
use super::fonts::FontSet;
use super::images::{Image, ImageData, Images};
use super::layout::{PageOut, Placement};
use super::links;
use super::metadata;
use super::outline;
use super::write::{self, Glyphs, Sheet};
use crate::model::BookMeta;
use anyhow::Result;
use pdf_writer::types::Predictor;
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref};

/// Deflate level of content streams. zlib-rs's level 1 codes with fixed
/// Huffman tables only (content streams came out nearly twice as big as at
/// level 6); level 2 is its fastest with dynamic tables.
const CONTENT_LEVEL: u32 = 2;

/// The finished file and the link anchors that were not found.
pub struct Written {
    pub bytes: Vec<u8>,
    pub missing: Vec<String>,
}

/// Writes the document: `pages` in order, on sheets of `sheet`.
pub fn write(
    meta: &BookMeta,
    pages: Vec<PageOut>,
    fonts: &FontSet,
    images: &mut Images,
    placement: &Placement,
    sheet: Sheet,
) -> Result<Written> {
    // Compact: the indentation of pdf-writer's pretty mode is only for
    // people reading the file.
    let mut pdf = Pdf::with_settings(write::COMPACT);
    pdf.set_version(1, 4);
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
    let list = std::mem::take(&mut images.list);
    let image_count = list.len();
    let mut xobjects = Vec::with_capacity(list.len());
    for (i, image) in list.into_iter().enumerate() {
        let id = next();
        image_xobject(&mut pdf, &mut next, id, image)?;
        xobjects.push((write::image_name(i), id));
    }

    let mut glyphs = Glyphs::new();
    let mut missing = Vec::new();
    let media = Rect::new(
        0.0,
        0.0,
        sheet.page_w + 2.0 * sheet.bleed,
        sheet.page_h + 2.0 * sheet.bleed,
    );
    let trim = Rect::new(
        sheet.bleed,
        sheet.bleed,
        sheet.bleed + sheet.page_w,
        sheet.bleed + sheet.page_h,
    );
    for (page, &id) in pages.into_iter().zip(&page_ids) {
        let content = write::page(page, sheet, fonts, image_count, placement, &mut glyphs);
        let content_id = next();
        let packed = deflate(&content.bytes, CONTENT_LEVEL);
        pdf.stream(content_id, &packed).filter(Filter::FlateDecode);
        let annots = links::write(
            &mut pdf,
            &mut next,
            &content.links,
            id,
            &page_ids,
            placement,
            sheet,
            &mut missing,
        );
        let mut p = pdf.page(id);
        p.parent(tree).media_box(media).contents(content_id);
        if sheet.bleed > 0.0 {
            p.trim_box(trim).bleed_box(media);
        }
        p.pair(Name(b"Resources"), resources);
        if !annots.is_empty() {
            p.annotations(annots);
        }
        p.finish();
    }
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
    metadata::info(&mut pdf, info, meta);
    metadata::catalog(&mut pdf, catalog, tree, outline_root, meta);
    pdf.set_file_id((
        metadata::ID_PLACEHOLDER.to_vec(),
        metadata::ID_PLACEHOLDER.to_vec(),
    ));
    let mut bytes = pdf.finish();
    metadata::patch_id(&mut bytes);
    Ok(Written { bytes, missing })
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
            let packed = packed
                .wait()
                .ok_or_else(|| anyhow::anyhow!("an image was not compressed"))?;
            let mask = packed.alpha.map(|a| {
                let mask = next();
                let mut x = pdf.image_xobject(mask, &a);
                x.filter(Filter::FlateDecode);
                x.width(w)
                    .height(h)
                    .color_space_name(Name(b"DeviceGray"))
                    .bits_per_component(8);
                mask
            });
            let mut x = pdf.image_xobject(id, &packed.samples);
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
