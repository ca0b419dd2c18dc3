//! The PDF backend: folio's own layout and PDF writer (issues 3 and 12).
//!
//! The book is laid out by folio itself, driven by the model (no HTML round
//! trip): [`fonts`] shapes text with harfrust, [`text`] and [`linebreak`]
//! set justified, hyphenated paragraphs, [`layout`] turns blocks into
//! vertical items and pages, [`front`] adds the cover, contents and running
//! heads, [`write`] turns each page into its content stream, and
//! [`document`] writes the file with pdf-writer as the pages come: images,
//! pages with their [`links`], then the fonts ([`embed`]: subsets with
//! ToUnicode maps), [`outline`] and [`metadata`].
//!
//! Footnotes go at the foot of the page of their first reference; the
//! rare note that no laid-out line refers to is listed at the chapter's end.

mod bidi;
mod breaks;
mod deflate;
mod document;
mod draw;
mod embed;
mod fonts;
mod front;
mod hyphen;
mod icc;
mod images;
mod in_order;
mod layout;
mod linebreak;
mod links;
mod metadata;
mod notdef;
mod ops;
mod outline;
pub mod standard;
pub mod style;
mod sync;
mod tags;
mod text;
#[cfg(test)]
mod text_tests;
mod write;
mod xmp;

use super::{PageStart, PrintPages, Resources};
use crate::config::Paper;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Book;
use anyhow::Context;
use layout::{Kit, PageOut, Placement};
use std::sync::Arc;
use style::Style;

/// PDF options; `paper` overrides the style file's page size, `standard`
/// the standards it claims (`pdf: standard`), `threads` how many threads
/// lay out chapters (`None`: `FOLIO_THREADS`, else one per core; the bytes
/// are the same however many).
#[derive(Debug, Clone)]
pub struct PdfOptions {
    pub resources: Resources,
    pub paper: Option<Paper>,
    pub standard: Option<standard::Standards>,
    pub threads: Option<usize>,
}

/// Lays out `book` and returns the PDF file's bytes. Problems that do not
/// stop the build (a missing glyph, a missing image) go to `diags`.
pub fn render(
    book: &Book,
    options: &PdfOptions,
    diags: &mut Diagnostics,
) -> anyhow::Result<Vec<u8>> {
    render_with_pages(book, options, diags).map(|(bytes, _)| bytes)
}

/// [`render`], also saying where each print page begins in the text.
pub fn render_with_pages(
    book: &Book,
    options: &PdfOptions,
    diags: &mut Diagnostics,
) -> anyhow::Result<(Vec<u8>, PrintPages)> {
    let laid = lay_out(book, options, Purpose::Write, diags)?;
    let print = print_pages_of(book, &laid.placement);
    let bytes = write_pdf(book, options, laid, diags)?;
    Ok((bytes, print))
}

/// Where each page of `book`'s PDF begins in the text, from its layout
/// alone (nothing is written; the layout's warnings go to `diags`).
pub fn print_pages(
    book: &Book,
    options: &PdfOptions,
    diags: &mut Diagnostics,
) -> anyhow::Result<PrintPages> {
    let laid = lay_out(book, options, Purpose::Measure, diags)?;
    Ok(print_pages_of(book, &laid.placement))
}

/// A book laid out: its pages and where anchors landed, with the fonts and
/// images the pages use.
struct LaidOut {
    pages: Vec<PageOut>,
    placement: Placement,
    fonts: Arc<fonts::FontSet>,
    images: images::Images,
    page_w: f32,
    page_h: f32,
    /// Paper added on each side for trimming (`page.bleed`).
    bleed: f32,
    /// The standards the style claims (`pdf: standard`).
    standard: standard::Standards,
    /// The structure tree (tagged PDF).
    tags: tags::StructTree,
}

/// What a layout is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// Written out: decoded images are compressed as they are loaded.
    Write,
    /// Only where pages begin is wanted.
    Measure,
}

/// Cover, contents and chapters laid out and paginated, running heads
/// added.
fn lay_out(
    book: &Book,
    options: &PdfOptions,
    purpose: Purpose,
    diags: &mut Diagnostics,
) -> anyhow::Result<LaidOut> {
    let style = Style::load(&options.resources.templates_dir)?;
    for warning in style.contrast_warnings() {
        diags.push(warning);
    }
    style.check_fonts(&options.resources.fonts_dir)?;
    let fonts_dir = &options.resources.fonts_dir;
    let fonts = Arc::new(fonts::FontSet::load(fonts_dir, &style.fonts)?);
    let (page_w, page_h) = style::paper_size(options.paper.unwrap_or(style.page.paper));
    let hyphens = hyphen::Hyphenators::new(style.body.hyphenate);
    let store = image_store(options, &style, purpose, diags);
    let kit = kit(book, &style, &hyphens, store, (page_w, page_h))?;
    let (left, width) = (kit.left, kit.width);
    let top = style.page.margin_top;
    let bottom = page_h - style.page.margin_bottom;
    // Where the rule above footnotes starts (60 pt long, from the right in
    // a right-to-left book), and its colour.
    let note_rule = (
        if kit.rtl_book {
            left + width - 60.0
        } else {
            left
        },
        style::color(&style.colors.rule),
    );
    let mut pages: Vec<PageOut> = Vec::new();
    let mut placement = Placement::default();
    let mut lay_diags = Diagnostics::default();
    let local = fonts::LocalFonts::new(Arc::clone(&fonts));
    let mut images = images::Images::new(Arc::clone(&kit.images));
    let tags;
    {
        let mut lay = kit.layouter(
            &local,
            &mut images,
            &mut lay_diags,
            book.meta.language.clone(),
        );
        // Chapters first (as items), so the contents know their entries.
        let chapters = chapters(book, &kit, &mut lay, &fonts, options.threads)?;
        let marks: Vec<_> = chapters
            .iter()
            .flat_map(|(_, items)| items.iter().filter_map(|i| i.outline.clone()))
            .collect();
        // Cover, contents and running heads come from the book's metadata.
        local.set_context(std::path::Path::new(""));
        // The cover and contents are in the book's language.
        local.set_language(&book.meta.language);
        let chapters_only = lay.tags.top_count();
        pages.push(front::cover(&mut lay, book, page_w, page_h));
        let toc = front::contents(&mut lay, &book.meta, &marks);
        lay.tags.move_to_front(chapters_only);
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
        tags = std::mem::take(&mut lay.tags);
    }
    diags.extend(lay_diags);
    fonts::report_missing(&local.take_missing(), book, diags, fonts_dir);
    hyphens.report(diags);
    Ok(LaidOut {
        pages,
        placement,
        fonts,
        images,
        page_w,
        page_h,
        bleed: style.page.bleed,
        standard: style.pdf.standard,
        tags,
    })
}

/// The images of a layout: SVG text is drawn with every face there is,
/// as in the EPUB; decoded pixels are compressed only when written.
fn image_store(
    options: &PdfOptions,
    style: &Style,
    purpose: Purpose,
    diags: &mut Diagnostics,
) -> images::ImageStore {
    let svgs = crate::image::svg::SvgLoader::new(
        crate::image::svg::load_fonts(&options.resources.fonts_dir, diags),
        &options.resources.static_dir,
        options.resources.limits,
    );
    let store = images::ImageStore::new(svgs, style.figure.svg_dpi);
    match purpose {
        Purpose::Write => store,
        Purpose::Measure => store.measure_only(),
    }
}

/// What every chapter's layout shares, on a `paper` (width, height) page;
/// an error when the margins leave too little room for text.
fn kit<'a>(
    book: &Book,
    style: &'a Style,
    hyphens: &'a hyphen::Hyphenators,
    store: images::ImageStore,
    (page_w, page_h): (f32, f32),
) -> anyhow::Result<Kit<'a>> {
    let left = style.page.margin_left;
    let width = page_w - left - style.page.margin_right;
    let height = page_h - style.page.margin_bottom - style.page.margin_top;
    if width < 72.0 || height < 144.0 {
        return Err(
            Diagnostic::error(style.path(), 0, "the page margins leave no room for text")
                .with_hint("the text area must be at least 72 pt wide and 144 pt high")
                .into(),
        );
    }
    Ok(Kit {
        style,
        hyphens,
        images: Arc::new(store),
        left,
        width,
        text_height: height,
        style_file: style.path().to_path_buf(),
        labels: book.meta.labels.clone(),
        book_lang: book.meta.language.clone(),
        rtl_book: book.meta.direction == crate::model::Direction::Rtl,
    })
}

/// The chapters of `book`, each with its running title: laid out on every
/// core (or `threads`), taken into `lay`'s book in book order.
fn chapters(
    book: &Book,
    kit: &Kit,
    lay: &mut layout::Layouter,
    fonts: &Arc<fonts::FontSet>,
    threads: Option<usize>,
) -> anyhow::Result<Vec<(String, Vec<layout::VItem>)>> {
    // A page that names no language is set in the one before it's.
    let mut langs = Vec::with_capacity(book.pages.len());
    let mut lang = book.meta.language.clone();
    for page in &book.pages {
        langs.push(lang.clone());
        if !page.lang.is_empty() {
            lang.clone_from(&page.lang);
        }
    }
    // A chapter that needs system fonts is laid out again here, in book
    // order (see `fonts::LocalFonts`).
    let ordered_fonts = fonts::LocalFonts::new(Arc::clone(fonts));
    let mut chapters = Vec::with_capacity(book.pages.len());
    let threads = layout_threads(threads).min(book.pages.len());
    in_order::run(
        book.pages.len(),
        threads,
        // On one thread the chapters come in book order: no need to leave
        // system fonts for a second pass.
        || match threads {
            0 | 1 => fonts::LocalFonts::new(Arc::clone(fonts)),
            _ => fonts::LocalFonts::deferring_system(Arc::clone(fonts)),
        },
        |local, i| {
            let (page, lang) = (book.pages.get(i), langs.get(i));
            page.zip(lang)
                .map(|(page, lang)| kit.chapter(local, page, lang))
        },
        |source| {
            for ((i, page), chapter) in book.pages.iter().enumerate().zip(source) {
                let chapter = chapter.map_err(|e| {
                    anyhow::anyhow!(
                        "laying out {} (page {} of the book) failed, a bug in folio: {}",
                        page.source.display(),
                        e.job + 1,
                        e.message
                    )
                })?;
                let Some(mut chapter) = chapter else {
                    continue;
                };
                if chapter.needs_system_fonts() {
                    let lang = langs.get(i).map_or("", |l| l.as_str());
                    chapter = kit.chapter(&ordered_fonts, page, lang);
                }
                chapters.push((front::running_title(page), lay.merge(chapter)));
            }
            Ok(chapters)
        },
    )
}

/// How many threads lay out chapters: `asked` (the options'), else
/// `FOLIO_THREADS` when it is a positive number, else one per core.
fn layout_threads(asked: Option<usize>) -> usize {
    let from_env = || {
        std::env::var("FOLIO_THREADS")
            .ok()
            .and_then(|n| n.trim().parse::<usize>().ok())
    };
    asked
        .or_else(from_env)
        .filter(|&n| n > 0)
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(1)
}

/// The PDF file of a laid-out book.
fn write_pdf(
    book: &Book,
    options: &PdfOptions,
    laid: LaidOut,
    diags: &mut Diagnostics,
) -> anyhow::Result<Vec<u8>> {
    let LaidOut {
        pages,
        placement,
        fonts,
        images,
        page_w,
        page_h,
        bleed,
        standard,
        tags,
    } = laid;
    let sheet = write::Sheet {
        page_w,
        page_h,
        bleed,
    };
    let standards = options.standard.unwrap_or(standard);
    let written = document::write(
        &book.meta,
        pages,
        &fonts,
        images.into_list(),
        &placement,
        sheet,
        document::Conformance {
            structure: tags,
            standards,
        },
    )
    .context("writing the PDF")?;
    if let Some(why) = written.withdrawn {
        diags.push(
            Diagnostic::warning(&options.resources.templates_dir, 0, why).with_hint(
                "the other claims stand; `pdf: { standard: pdf/ua-1 }` in the style, or `--pdf-standard pdf/ua-1`, leaves PDF/A out without this warning",
            ),
        );
    }
    for key in written.missing {
        diags.push(Diagnostic::warning(
            &options.resources.templates_dir,
            0,
            format!("link target `{key}` is not in the PDF; the link goes to its page or nowhere"),
        ));
    }
    Ok(written.bytes)
}

/// Where each print page begins: before the first block (or chapter title)
/// that starts on it, else in the block that runs onto it from an earlier
/// page. Pages before the first chapter (cover, contents) are left out.
fn print_pages_of(book: &Book, placement: &Placement) -> PrintPages {
    // Every place a page can begin, with the page it landed on, in reading
    // order (pagination never goes back, so page indices do not decrease).
    let mut marks: Vec<(usize, &str, Option<usize>)> = Vec::new();
    for page in &book.pages {
        if let Some(&(at, _)) = placement.anchors.get(&page.id) {
            marks.push((at, &page.id, None));
        }
        for i in 0..page.blocks.len() {
            if let Some(&(at, _)) = placement.anchors.get(&layout::block_anchor(&page.id, i)) {
                marks.push((at, &page.id, Some(i)));
            }
        }
    }
    marks.sort_by_key(|m| m.0);
    let (Some(first), Some(last)) = (marks.first(), marks.last()) else {
        return PrintPages::default();
    };
    let mut starts = Vec::new();
    let mut next = 0;
    for index in first.0..=last.0 {
        while marks.get(next).is_some_and(|m| m.0 < index) {
            next += 1;
        }
        let mark = match marks.get(next) {
            Some(m) if m.0 == index => m,
            // Nothing starts on this page: it continues the block before.
            _ => match next.checked_sub(1).and_then(|k| marks.get(k)) {
                Some(m) => m,
                None => continue,
            },
        };
        starts.push(PageStart {
            number: u32::try_from(index + 1).unwrap_or(u32::MAX),
            page: mark.1.to_string(),
            block: mark.2,
        });
    }
    PrintPages { starts }
}
