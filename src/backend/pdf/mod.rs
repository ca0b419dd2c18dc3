//! The PDF backend: folio's own layout over printpdf (issue 3).
//!
//! The book is laid out by folio itself, driven by the model (no HTML round
//! trip): [`fonts`] shapes text with harfrust, [`text`] and [`linebreak`]
//! set justified, hyphenated paragraphs, [`layout`] turns blocks into
//! vertical items and pages, [`front`] adds the cover, contents and running
//! heads, [`write`] turns pages into printpdf operations, and [`outline`],
//! [`links`] and [`metadata`] finish the file with lopdf.
//!
//! Footnotes go at the foot of the page of their first reference; the
//! rare note that no laid-out line refers to is listed at the chapter's end.

mod bidi;
mod breaks;
mod draw;
mod fonts;
mod front;
mod hyphen;
mod images;
mod layout;
mod linebreak;
mod links;
mod metadata;
mod outline;
mod prune;
pub mod style;
mod text;
#[cfg(test)]
mod text_tests;
mod write;

use super::Resources;
use crate::config::Paper;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Book;
use anyhow::Context;
use layout::{Layouter, PageOut, Placement};
use printpdf::PdfSaveOptions;
use style::Style;
use text::Setter;

/// PDF options; `paper` overrides the style file's page size.
#[derive(Debug, Clone)]
pub struct PdfOptions {
    pub resources: Resources,
    pub paper: Option<Paper>,
}

/// Lays out `book` and returns the PDF file's bytes. Problems that do not
/// stop the build (a missing glyph, a missing image) go to `diags`.
pub fn render(
    book: &Book,
    options: &PdfOptions,
    diags: &mut Diagnostics,
) -> anyhow::Result<Vec<u8>> {
    let style = Style::load(&options.resources.templates_dir)?;
    for warning in style.contrast_warnings() {
        diags.push(warning);
    }
    style.check_fonts(&options.resources.fonts_dir)?;
    let fonts_dir = &options.resources.fonts_dir;
    let fonts = fonts::FontSet::load(fonts_dir, &style.fonts)?;
    let (page_w, page_h) = style::paper_size(options.paper.unwrap_or(style.page.paper));
    let hyphens = hyphen::Hyphenators::new(style.body.hyphenate);
    // SVG text is drawn with every face there is, as in the EPUB.
    let svgs = crate::image::svg::SvgLoader::new(
        crate::image::svg::load_fonts(&options.resources.fonts_dir, diags),
        &options.resources.static_dir,
        options.resources.limits,
    );
    let mut images = images::Images::new(svgs, style.figure.svg_dpi);
    let left = style.page.margin_left;
    let width = page_w - left - style.page.margin_right;
    let top = style.page.margin_top;
    let bottom = page_h - style.page.margin_bottom;
    if width < 72.0 || bottom - top < 144.0 {
        return Err(
            Diagnostic::error(style.path(), 0, "the page margins leave no room for text")
                .with_hint("the text area must be at least 72 pt wide and 144 pt high")
                .into(),
        );
    }
    let setter = Setter {
        fonts: &fonts,
        hyphens: &hyphens,
        lang: book.meta.language.clone(),
        rtl_book: book.meta.direction == crate::model::Direction::Rtl,
        link_color: style::color(&style.colors.link),
        code_scale: style.code.inline_scale,
        page_id: String::new(),
        pictures: Default::default(),
        link_notes: Default::default(),
    };
    // Where the rule above footnotes starts, and its colour.
    let note_rule = (left, style::color(&style.colors.rule));
    let mut pages: Vec<PageOut> = Vec::new();
    let mut placement = Placement::default();
    let mut lay_diags = Diagnostics::default();
    {
        let mut lay = Layouter::new(
            &style,
            &fonts,
            setter,
            &mut images,
            &mut lay_diags,
            left,
            width,
            bottom - top,
        );
        lay.style_file = style.path().to_path_buf();
        // Chapters first (as items), so the contents know their entries.
        let chapters: Vec<_> = book
            .pages
            .iter()
            .map(|p| (front::running_title(p), lay.chapter(p)))
            .collect();
        let marks: Vec<_> = chapters
            .iter()
            .flat_map(|(_, items)| items.iter().filter_map(|i| i.outline.clone()))
            .collect();
        // Cover, contents and running heads come from the book's metadata.
        fonts.set_context(std::path::Path::new(""));
        // The cover and contents are in the book's language.
        fonts.set_language(&book.meta.language);
        pages.push(front::cover(&mut lay, book, page_w, page_h));
        let toc = front::contents(&mut lay, &book.meta, &marks);
        layout::paginate(
            toc,
            top,
            bottom,
            note_rule,
            None,
            &mut pages,
            &mut placement,
        );
        for (title, items) in chapters {
            layout::paginate(
                items,
                top,
                bottom,
                note_rule,
                Some(&title),
                &mut pages,
                &mut placement,
            );
        }
        front::running(&lay, book, &mut pages, page_h);
        front::fit_leaders(&lay, &placement, &mut pages);
    }
    diags.extend(lay_diags);
    fonts.report_missing(book, diags, fonts_dir);
    hyphens.report(diags);

    let (doc, link_areas) = write::document(
        &book.meta.title,
        pages,
        &fonts,
        &images,
        &placement,
        page_w,
        page_h,
    )?;
    let save = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        // Never re-encode images (printpdf may turn them into lossy JPEG).
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut pdf = doc.to_lopdf_document(&save, &mut warnings);
    drop(doc);
    let page_ids: Vec<_> = pdf.get_pages().into_values().collect();
    images::swap_in_jpegs(&mut pdf, &images, &page_ids).context("embedding JPEG images")?;
    outline::write(&mut pdf, &placement.outline, &page_ids, page_h)
        .context("writing the PDF outline")?;
    let missing = links::write(&mut pdf, &link_areas, &page_ids, &placement, page_h)
        .context("writing PDF links")?;
    for key in missing {
        diags.push(Diagnostic::warning(
            &options.resources.templates_dir,
            0,
            format!("link target `{key}` is not in the PDF; the link goes to its page or nowhere"),
        ));
    }
    metadata::strip_pdfx(&mut pdf);
    metadata::apply(&mut pdf, &book.meta).context("writing PDF metadata")?;
    // Drop what nothing refers to any more (printpdf's XMP packet).
    prune::unreferenced(&mut pdf);
    metadata::compress(&mut pdf);
    metadata::save_with_id(&mut pdf).context("saving the PDF")
}
