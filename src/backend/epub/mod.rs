//! The EPUB 3 backend (issue 4): one XHTML chapter per page, rendered from
//! the model through the user-editable templates in `templates/epub/`; a
//! cover drawn from an SVG template by resvg; nav document and NCX from the
//! pages' headings; packaged by epub-builder, whose known bugs are fixed up
//! in `fixups.rs` so the result passes epubcheck with no findings and is the
//! same bytes for the same input.
//!
//! Fonts are not embedded: reading systems let their users choose fonts and
//! sizes, and the four Noto faces would add about 2 MB to a booklet of a
//! few dozen kilobytes. The stylesheet names Noto first, then generic
//! families, so it is valid and sensible either way.

mod bodies;
mod chaptermemo;
mod cover;
mod deferred;
mod entries;
mod escape;
mod fixups;
mod ids;
mod images;
mod links;
mod metadata;
mod nav;
mod package;
mod qr;
mod raster;
mod scripts;
mod templates;
mod wellformed;
mod xhtml;

use super::{PrintPages, Resources};
use crate::diag::Diagnostics;
use crate::model::{Book, BookMeta};
use anyhow::{Context, Result};
use bodies::{Bodies, Body};
pub use entries::EntryMemo;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;
use templates::Templates;

/// EPUB options.
#[derive(Debug, Clone)]
pub struct EpubOptions {
    pub resources: Resources,
    /// Logo drawn on the cover (SVG, PNG or JPEG); `None`: no logo.
    pub cover_logo: Option<PathBuf>,
    /// Levels of headings in the table of contents, the chapters counting
    /// as 1 (3: chapters, their sections and subsections); chapters nest
    /// under their sections whatever it is. The book's `toc.epub` wins.
    pub toc_depth: u8,
    /// Where the pages of the book's PDF edition begin: with them, the
    /// EPUB gets page-break markers and a page list.
    pub print_pages: Option<PrintPages>,
    /// Chapters deflated by earlier builds (`folio watch`): an unchanged
    /// chapter is not deflated again. The bytes are the same either way.
    pub entries: Option<std::sync::Arc<EntryMemo>>,
}

impl EpubOptions {
    /// Options with the default TOC depth and no cover logo.
    pub fn new(resources: Resources) -> EpubOptions {
        EpubOptions {
            resources,
            cover_logo: None,
            toc_depth: 3,
            print_pages: None,
            entries: None,
        }
    }
}

/// Name of the table of contents, in the nav document and the landmarks.
pub(crate) const TOC_NAME: &str = "Contents";
/// The stylesheet's name in the package (epub-builder's fixed name).
const STYLESHEET: &str = "stylesheet.css";
const COVER_IMAGE: &str = "images/cover.png";
const COVER_PAGE: &str = "cover.xhtml";

#[derive(Serialize)]
struct PageContext<'a> {
    /// The page's language (a translation's own, else the book's).
    lang: &'a str,
    /// `ltr` or `rtl`: the book language's direction.
    dir: &'a str,
    stylesheet: &'a str,
    book: &'a BookMeta,
    page: PageVars<'a>,
    body: minijinja::Value,
}

#[derive(Serialize)]
struct PageVars<'a> {
    title: &'a str,
    title_id: &'a str,
    description: Option<&'a str>,
    /// The title's and the description's language when a translation left
    /// them in the source language (else none).
    title_lang: Option<&'a str>,
    description_lang: Option<&'a str>,
    file: &'a str,
    id: &'a str,
    url: &'a str,
    /// Authors and date under the title; `None`: none shown.
    byline: Option<BylineVars<'a>>,
}

/// A chapter's byline for the template.
#[derive(Serialize)]
struct BylineVars<'a> {
    /// The authors' names, joined (`A, B`); `None` without authors.
    authors: Option<String>,
    date: Option<&'a crate::model::BylineDate>,
}

#[derive(Serialize)]
struct CoverPageContext<'a> {
    lang: &'a str,
    dir: &'a str,
    stylesheet: &'a str,
    book: &'a BookMeta,
    image: &'a str,
    alt: String,
}

/// Renders `book` as an EPUB 3 file's bytes.
pub fn render(book: &Book, options: &EpubOptions, diags: &mut Diagnostics) -> Result<Vec<u8>> {
    if book.pages.is_empty() {
        // The table of contents of an EPUB must list something.
        anyhow::bail!(
            "book `{}` has no pages: an EPUB needs at least one",
            book.meta.name
        );
    }
    let templates = Templates::load(&options.resources.templates_dir)?;
    for warning in templates.contrast_warnings() {
        diags.push(warning);
    }
    let fonts = crate::image::svg::load_fonts(&options.resources.fonts_dir, diags);
    let svgs = crate::image::svg::SvgLoader::new(
        fonts,
        &options.resources.static_dir,
        options.resources.limits,
    );
    let meta = &book_meta(book);
    let lang = if meta.language.trim().is_empty() {
        "en"
    } else {
        meta.language.trim()
    };

    // The cover does not depend on the pages: draw it on the other core
    // meanwhile (it is most of the time a small book takes).
    let mut cover_diags = Diagnostics::default();
    let (chapters, cover_png) = std::thread::scope(|scope| {
        let cover = scope.spawn(|| {
            cover::render_image(
                meta,
                options.cover_logo.as_deref(),
                &templates,
                &svgs,
                &options.resources.static_dir,
                &mut cover_diags,
            )
        });
        let chapters = render_chapters(book, meta, options, &templates, &svgs, lang, diags);
        let cover = cover
            .join()
            .map_err(|_| anyhow::anyhow!("drawing the EPUB cover failed"))?;
        Ok::<_, anyhow::Error>((chapters?, cover?))
    })?;
    diags.extend(cover_diags);
    let Chapters {
        chapters,
        page_list,
        images,
        mut a11y,
    } = chapters;
    a11y.images += 1;
    let cover_page = templates.render(
        templates::COVER_PAGE,
        CoverPageContext {
            lang,
            dir: meta.direction.as_str(),
            stylesheet: STYLESHEET,
            book: meta,
            image: COVER_IMAGE,
            alt: cover::alt_text(meta),
        },
    )?;

    let identifier = metadata::identifier(meta);
    let mut binaries = vec![(format!("OEBPS/{COVER_IMAGE}"), cover_png)];
    let images = images.into_files();
    let stylesheet = templates.stylesheet();
    let recipe = package::Recipe {
        title: &meta.title,
        authors: &meta.authors,
        language: lang,
        direction: meta.direction.as_str(),
        toc_name: meta.labels.get(TOC_NAME),
        description: meta.description.as_deref().filter(|d| !d.trim().is_empty()),
        subjects: &meta.keywords,
        rights: meta.rights.as_deref().filter(|r| !r.trim().is_empty()),
        identifier,
        modified: metadata::modified(meta),
        published: (meta.date > 0).then(|| metadata::modified(meta)),
        properties: metadata::properties(a11y, meta.publisher.as_deref(), &meta.labels),
        stylesheet,
        cover_page: &cover_page,
        chapters: chapters.iter().map(|(file, _, _)| file.as_str()).collect(),
        images: images
            .iter()
            .map(|image| (image.href.as_str(), image.media_type))
            .collect(),
    };
    let raw = recipe.archive_kept(options.entries.as_deref().map(|m| &m.archive))?;
    let toc_entries: Vec<_> = chapters
        .iter()
        .flat_map(|(_, _, toc)| toc.iter().cloned())
        .collect();
    for image in images {
        binaries.push((format!("OEBPS/{}", image.href), image.bytes));
    }
    let texts: Vec<(String, &[u8])> = chapters
        .iter()
        .map(|(file, xhtml, _)| (format!("OEBPS/{file}"), xhtml.as_bytes()))
        .collect();
    let deflated = entries::deflate_all(&texts, options.entries.as_deref().map(|m| &m.chapters))?;

    let identifier = uuid::fmt::Urn::from_uuid(identifier).to_string();
    let landmarks = nav::landmarks(
        Some(COVER_PAGE),
        chapters.first().map(|(f, _, _)| f.as_str()),
        &meta.labels,
    );
    fixups::apply(
        &raw,
        &fixups::FixupInput {
            language: lang,
            title: &meta.title,
            identifier: &identifier,
            landmarks: &landmarks,
            page_list: &page_list,
            binaries: binaries.into_iter().collect(),
            deflated,
            package: options.entries.as_deref().map(|m| &m.package),
            toc_depth: nav::depth(&toc_entries),
            toc_list: &nav::nav_list(&toc_entries),
            ncx_points: &nav::ncx_points(&toc_entries),
            date: meta.date,
            extra_metadata: &metadata::dc_elements(meta, a11y.page_breaks),
        },
    )
    .context("cannot finish the EPUB archive")
}

/// The book's metadata, with a title: a package without one is invalid.
fn book_meta(book: &Book) -> BookMeta {
    let mut meta = book.meta.clone();
    // epub-builder escapes markup but keeps characters XML forbids.
    let clean = |s: &mut String| *s = escape::xml_chars(s);
    for field in [
        &mut meta.title,
        &mut meta.name,
        &mut meta.language,
        &mut meta.base_url,
    ] {
        clean(field);
    }
    for field in [
        &mut meta.subtitle,
        &mut meta.description,
        &mut meta.publisher,
        &mut meta.rights,
    ]
    .into_iter()
    .flatten()
    {
        clean(field);
    }
    meta.authors
        .iter_mut()
        .chain(meta.keywords.iter_mut())
        .for_each(clean);
    if meta.title.trim().is_empty() {
        meta.title = if meta.name.trim().is_empty() {
            meta.labels.get("Untitled").to_string()
        } else {
            meta.name.clone()
        };
    }
    meta
}

/// The rendered chapters and what they use.
struct Chapters {
    /// File name, XHTML, navigation entries, in reading order.
    chapters: Vec<(String, Arc<str>, Vec<nav::NavEntry>)>,
    /// Print page markers: href and page number, in reading order.
    page_list: Vec<(String, u32)>,
    images: images::ImageStore,
    a11y: metadata::Accessibility,
}

/// Every page as a chapter: XHTML through the page template, its TOC entry,
/// the images it uses. This decides which images go in and what the
/// accessibility metadata can claim. In a watch, chapters nothing changed
/// for are taken from the memo ([`chaptermemo`]), which then keeps this
/// build's.
fn render_chapters(
    book: &Book,
    meta: &BookMeta,
    options: &EpubOptions,
    templates: &Templates,
    svgs: &crate::image::svg::SvgLoader,
    lang: &str,
    diags: &mut Diagnostics,
) -> Result<Chapters> {
    let index = links::BookIndex::new(book);
    // Looked up once per chapter: a site has thousands of both.
    let print_starts = options
        .print_pages
        .as_ref()
        .map(PrintPages::by_page)
        .unwrap_or_default();
    let memo = options.entries.as_deref().map(|m| &m.made);
    let inputs = match memo {
        Some(_) => Some(chaptermemo::Inputs {
            labels: meta.labels.clone(),
            meta: serde_json::to_vec(meta)?,
            base_url: book.meta.base_url.clone(),
            templates: templates.sources()?,
            lang: lang.to_string(),
        }),
        None => None,
    };
    let kept = match memo.zip(inputs.as_ref()) {
        Some((memo, inputs)) => memo.take(&book.meta.name, inputs),
        None => chaptermemo::Chapters::new(),
    };
    let pages: Vec<Body> = book
        .pages
        .iter()
        .filter_map(|page| {
            let chapter = index.chapter(&page.id)?;
            let print = print_starts
                .get(page.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            let kept = kept.get(&page.id);
            Some(Body {
                page,
                chapter,
                print,
                kept,
            })
        })
        .collect();
    let bodies = Bodies {
        pages: &pages,
        index: &index,
        labels: &meta.labels,
        svgs,
        keep: memo.is_some(),
    };
    let (rendered, made, images, body_diags) = match bodies.in_parallel() {
        Some(done) => done,
        None => bodies.in_order(),
    };
    diags.extend(body_diags);
    let mut a11y = metadata::Accessibility::default();
    let mut page_list = Vec::new();
    for (body, rendered) in pages.iter().zip(&rendered) {
        page_list.extend(
            rendered
                .pagebreaks
                .iter()
                .map(|(n, id)| (format!("{}#{id}", body.chapter.file), *n)),
        );
        a11y.images += rendered.images;
        a11y.images_without_alt += rendered.images_without_alt;
    }
    let mut work: Vec<_> = pages.iter().zip(rendered).zip(made).collect();
    let toc_depth = book.meta.toc_epub.unwrap_or(options.toc_depth).max(1);
    let chapters = crate::par::par_map_mut(&mut work, |((body, rendered), made)| {
        let page = ChapterPage {
            meta,
            lang,
            toc_depth,
            entries: options.entries.as_deref(),
            page: body.page,
            file: &body.chapter.file,
        };
        page.chapter(templates, rendered, made)
    })
    .into_iter()
    .collect::<Result<Vec<_>>>()?;
    if let Some((memo, inputs)) = memo.zip(inputs) {
        let made = work.into_iter().zip(&chapters);
        let keep = made.filter_map(|(((body, rendered), made), (_, xhtml, _))| {
            let kept = match made {
                bodies::Made::Kept(kept) => kept,
                bodies::Made::Fresh { lookups, diags } => {
                    let at = (body.page, body.chapter.file.as_str(), body.print);
                    let xhtml = Arc::clone(xhtml);
                    Arc::new(chaptermemo::Kept::new(at, lookups, rendered, diags, xhtml))
                }
                bodies::Made::Unkept => return None,
            };
            Some((body.page.id.clone(), kept))
        });
        memo.put(&book.meta.name, inputs, keep.collect());
    }
    a11y.page_breaks = !page_list.is_empty();
    Ok(Chapters {
        chapters,
        page_list,
        images,
        a11y,
    })
}

/// A page's chapter as the page template makes it, with what it reads.
struct ChapterPage<'a> {
    meta: &'a BookMeta,
    /// The book's language.
    lang: &'a str,
    toc_depth: u8,
    entries: Option<&'a EntryMemo>,
    page: &'a crate::model::Page,
    file: &'a str,
}

impl ChapterPage<'_> {
    /// The chapter's file name, XHTML and navigation entries: its body
    /// `rendered` through the page template, or, when `made` is a kept
    /// chapter, that chapter's XHTML.
    fn chapter(
        &self,
        templates: &Templates,
        rendered: &mut xhtml::RenderedPage,
        made: &bodies::Made,
    ) -> Result<(String, Arc<str>, Vec<nav::NavEntry>)> {
        let (page, file, meta) = (self.page, self.file, self.meta);
        let title = if page.title.trim().is_empty() {
            page.id.as_str()
        } else {
            page.title.trim()
        };
        let toc = nav::chapter_entries(file, title, page.depth, &rendered.headings, self.toc_depth);
        if let bodies::Made::Kept(kept) = made {
            return Ok((file.to_string(), Arc::clone(&kept.xhtml), toc));
        }
        // A translation in a book of another language says so (a page's
        // language is a checked code, or the book's own).
        let page_lang = escape::xml_chars(page.lang.trim());
        let page_lang = if page_lang.is_empty() {
            self.lang
        } else {
            page_lang.as_str()
        };
        let entry = format!("OEBPS/{file}");
        let known_good = |xhtml: &str| {
            self.entries
                .is_some_and(|memo| memo.chapters.holds(&entry, xhtml.as_bytes()))
        };
        let xhtml = templates.render_checked(
            templates::PAGE,
            file,
            PageContext {
                lang: page_lang,
                dir: meta.direction.as_str(),
                stylesheet: STYLESHEET,
                book: meta,
                page: PageVars {
                    title,
                    title_id: ids::TITLE_ID,
                    description: page.description.as_deref().filter(|d| !d.trim().is_empty()),
                    title_lang: page.title_lang.as_deref(),
                    description_lang: page.description_lang.as_deref(),
                    file,
                    id: &page.id,
                    url: &page.url,
                    byline: page.byline.as_ref().map(|b| BylineVars {
                        authors: (!b.authors.is_empty()).then(|| b.authors.join(", ")),
                        date: b.date.as_ref(),
                    }),
                },
                body: minijinja::Value::from_safe_string(std::mem::take(&mut rendered.body)),
            },
            known_good,
        )?;
        Ok((file.to_string(), Arc::from(xhtml), toc))
    }
}

/// epub-builder's errors, with what folio was doing.
fn epub_error(e: epub_builder::Error) -> anyhow::Error {
    anyhow::Error::new(e).context("epub-builder failed")
}
