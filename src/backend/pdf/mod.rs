//! The PDF backend: folio's own layout and PDF writer (issues 3 and 12).
//!
//! The book is laid out by folio itself, driven by the model (no HTML round
//! trip): [`fonts`] shapes text with harfrust, [`text`] and [`linebreak`]
//! set justified, hyphenated paragraphs, [`layout`] turns blocks into
//! vertical items and pages, [`front`] adds the cover, contents and running
//! heads, [`book`] hands each chapter's pages to the writer as soon as the
//! chapter is paginated (the contents, counted ahead, last), [`write`]
//! turns each page into its content stream, and [`document`] writes the
//! file with pdf-writer as the pages come: pages with their [`links`], then
//! the images, the fonts ([`embed`]: subsets with ToUnicode maps),
//! [`outline`], structure tree and [`metadata`].
//!
//! Footnotes go at the foot of the page of their first reference; the
//! rare note that no laid-out line refers to is listed at the chapter's end.

mod bidi;
mod book;
mod breaks;
mod deflate;
mod disk_cache;
pub use disk_cache::{DiskCache, FOLDER as CACHE_FOLDER};
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
pub mod memo;
mod metadata;
mod notdef;
mod ops;
mod outline;
mod parallel;
mod refs;
mod setup;
pub use setup::EarlySetup;
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
use layout::{Kit, Placement};
use std::sync::Arc;
use style::Style;

/// PDF options; `paper` overrides the style file's page size, `standard`
/// the standards it claims (`pdf: standard`), `threads` how many threads
/// lay out chapters, the writing thread among them (`None`:
/// `FOLIO_THREADS`, else one per core; the bytes are the same however
/// many).
#[derive(Debug, Clone)]
pub struct PdfOptions {
    pub resources: Resources,
    pub paper: Option<Paper>,
    pub standard: Option<standard::Standards>,
    pub threads: Option<usize>,
    /// Chapters kept from the last build (`folio watch`): unchanged pages
    /// are not laid out again.
    pub memo: Option<Arc<memo::LayoutMemo>>,
    /// Images decoded and font programs compressed by earlier builds, kept
    /// on disk in the output folder (`None`: every one is made again). The
    /// bytes are the same.
    pub disk_cache: Option<Arc<DiskCache>>,
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
    render_early(book, options, None, diags)
}

/// [`render_with_pages`] with the setup `early` started, when it was
/// started for these options and is not taken yet.
pub fn render_early(
    book: &Book,
    options: &PdfOptions,
    early: Option<&EarlySetup>,
    diags: &mut Diagnostics,
) -> anyhow::Result<(Vec<u8>, PrintPages)> {
    let laid = lay_out(book, options, (Purpose::Write, early), diags)?;
    let print = laid.print;
    let written = laid
        .written
        .ok_or_else(|| anyhow::anyhow!("the PDF was laid out but not written"))?;
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
    Ok((written.bytes, print))
}

/// Where each page of `book`'s PDF begins in the text, from its layout
/// alone (nothing is written; the layout's warnings go to `diags`).
pub fn print_pages(
    book: &Book,
    options: &PdfOptions,
    diags: &mut Diagnostics,
) -> anyhow::Result<PrintPages> {
    let laid = lay_out(book, options, (Purpose::Measure, None), diags)?;
    Ok(laid.print)
}

/// A book laid out: where each print page begins, and the file when it
/// was written.
struct LaidOut {
    print: PrintPages,
    written: Option<document::Written>,
}

/// What a layout is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// Written out: decoded images are compressed as they are loaded.
    Write,
    /// Only where pages begin is wanted.
    Measure,
}

/// The book laid out page by page (cover, contents, chapters, with
/// running heads), the chapters on every core, each page written as soon
/// as its chapter is paginated when the purpose is to write.
fn lay_out(
    book: &Book,
    options: &PdfOptions,
    (purpose, early): (Purpose, Option<&EarlySetup>),
    diags: &mut Diagnostics,
) -> anyhow::Result<LaidOut> {
    let setup = early
        .and_then(|e| e.take(options, purpose))
        .unwrap_or_else(|| setup::Setup::make(options, purpose));
    diags.extend(setup.diags);
    let setup::Ready {
        style,
        fonts,
        store,
    } = setup.ready?;
    let (page_w, page_h) = style::paper_size(options.paper.unwrap_or(style.page.paper));
    let hyphens = hyphen::Hyphenators::new(style.body.hyphenate);
    let rtl = book.meta.direction == crate::model::Direction::Rtl;
    let (left, width, column) = text_area(&style, (page_w, page_h), rtl)?;
    let kit = Kit {
        style: &style,
        hyphens: &hyphens,
        images: store,
        left,
        width,
        text_height: column.bottom - column.top,
        style_file: style.path().to_path_buf(),
        labels: book.meta.labels.clone(),
        book_lang: book.meta.language.clone(),
        rtl_book: rtl,
    };
    // The main thread's fonts: the cover, the contents, the running heads
    // and the chapters' merge.
    let local = fonts::LocalFonts::new(Arc::clone(&fonts));
    let heads = front::Heads {
        style: &style,
        setter: kit.setter(&local, book.meta.language.clone()),
        left,
        width,
        page_h,
        book_title: book.meta.title.clone(),
        lines: Default::default(),
    };
    let tree = tags::SharedTree::default();
    let sheet = write::Sheet {
        page_w,
        page_h,
        bleed: style.page.bleed,
    };
    let mut writer = (purpose == Purpose::Write)
        .then(|| document::Stream::new(&fonts, &tree, sheet, options.disk_cache.clone()));
    let mut placement = Placement::default();
    let mut lay_diags = Diagnostics::default();
    let mut images = images::Images::new(Arc::clone(&kit.images));
    {
        let mut lay = kit.layouter(
            &local,
            &mut images,
            &mut lay_diags,
            book.meta.language.clone(),
        );
        let kept = kept(options, &kit, column, purpose);
        let mut sink = book::Sink {
            writer: writer.as_mut(),
            heads: &heads,
            fonts: &local,
            lang: &book.meta.language,
            paged: kept.and_then(|k| Some((k.memo, k.pages?))),
        };
        parallel::chapters(book, &kit, &fonts, (options.threads, kept), |source| {
            book::pages(
                &mut lay,
                book,
                (column, page_w, page_h),
                &tree,
                source,
                &mut sink,
                &mut placement,
            )
        })?;
    }
    diags.extend(lay_diags);
    let standards = options.standard.unwrap_or(style.pdf.standard);
    // Where print pages begin needs only the placement: found on the
    // other core while the end of the file is written.
    let (written, print) = std::thread::scope(|s| {
        let print = s.spawn(|| print_pages_of(book, &placement));
        let written = writer
            .map(|w| w.finish(&book.meta, images.into_list(), &placement, standards))
            .transpose();
        let print = print
            .join()
            .map_err(|_| anyhow::anyhow!("finding where print pages begin stopped"));
        (written, print)
    });
    let written = written.context("writing the PDF")?;
    let print = print?;
    let fonts_dir = &options.resources.fonts_dir;
    fonts::report_missing(&local.take_missing(), book, diags, fonts_dir);
    hyphens.report(diags);
    // Freeing the layout's tables (shaping caches, hyphenation patterns,
    // images, the structure tree) was some 3 % of a corpus build, on this
    // thread at the end while the other core idled: nothing waits on it.
    drop(heads);
    let Kit { images: store, .. } = kit;
    crate::par::drop_later((local, fonts, store, hyphens, tree, style, placement));
    Ok(LaidOut { print, written })
}

/// What the layout takes from the options' memo, if any: chapters by
/// the kit's digest; paginations too, by the column's as well, when
/// nothing is written.
fn kept<'m>(
    options: &'m PdfOptions,
    kit: &Kit,
    column: layout::Column,
    purpose: Purpose,
) -> Option<parallel::Kept<'m>> {
    let memo = options.memo.as_deref()?;
    let chapters = kit.digest()?;
    // Page breaks compare sums of heights from the column's top with its
    // bottom: both, not only the height the kit has.
    let edges: Vec<u8> = [column.top, column.bottom]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let pages = (purpose == Purpose::Measure)
        .then(|| memo::digest(&[&chapters, &edges], None))
        .flatten();
    Some(parallel::Kept {
        memo,
        chapters,
        pages,
    })
}

/// The text area of `style` on a page of `size`: its left edge, its width
/// and the column pages are filled in; an error when the margins leave no
/// room.
fn text_area(
    style: &Style,
    (page_w, page_h): (f32, f32),
    rtl: bool,
) -> anyhow::Result<(f32, f32, layout::Column)> {
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
    // The rule above footnotes starts at the left (60 pt long), from the
    // right in a right-to-left book.
    let rule_x = if rtl { left + width - 60.0 } else { left };
    let column = layout::Column {
        top,
        bottom,
        note_rule: (rule_x, style::color(&style.colors.rule)),
    };
    Ok((left, width, column))
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
