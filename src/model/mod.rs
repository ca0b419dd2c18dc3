//! The document model every backend reads: one [`Book`] of [`Page`]s, each a
//! tree of [`Block`]s and [`Inline`]s with spans back to source lines.
//!
//! The model is built once (load, parse, passes) and never re-parsed by a
//! backend. It is `Serialize` so `folio model` can print it as JSON and tests
//! can compare it.

mod byline;
mod labels;
mod plain;
mod visit;

pub use byline::{Byline, BylineDate};
pub use labels::Labels;
pub use plain::{inline_text, inlines_text};
pub use visit::{for_each_block_inline_mut, for_each_block_mut, for_each_inline_mut};

use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A whole book: its metadata and its pages in reading order.
#[derive(Debug, Clone, Serialize)]
pub struct Book {
    pub meta: BookMeta,
    pub pages: Vec<Page>,
}

/// Book-level metadata, from `folio.yaml` (or defaults for a whole-site export).
#[derive(Debug, Clone, Serialize, Default)]
pub struct BookMeta {
    /// Short machine name (`press-kit`), used for output file names.
    pub name: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub description: Option<String>,
    pub authors: Vec<String>,
    pub publisher: Option<String>,
    pub rights: Option<String>,
    pub keywords: Vec<String>,
    /// BCP 47 language tag, e.g. `en`.
    pub language: String,
    /// Which way the book's language runs (a site language's
    /// `languageDirection`).
    pub direction: Direction,
    /// Site base URL with a trailing slash, e.g. `https://xmpp.org/`.
    pub base_url: String,
    /// The build date as Unix seconds (from `SOURCE_DATE_EPOCH`, else 0):
    /// the one date any backend may write, so output is reproducible.
    pub date: i64,
    /// The book's logo for covers (`logo:` in `folio.yaml`), resolved in
    /// the static root; `None` when not configured or not found.
    pub logo: Option<Asset>,
    /// How dates are shown (a Go layout such as `January 2, 2006`, from the
    /// site's `params.dateFormat`); `None`: the language's default.
    pub date_format: Option<String>,
    /// Show each page's authors and date under its title (`bylines:` in
    /// `folio.yaml`, default on).
    pub bylines: bool,
    /// Levels in the PDF's printed contents, chapters counting as 1
    /// (`toc: { pdf: N }`); `None`: the style file's `contents.depth`.
    pub toc_pdf: Option<u8>,
    /// Levels of headings in the EPUB navigation, chapters counting as 1
    /// (`toc: { epub: N }`); `None`: the EPUB options' default.
    pub toc_epub: Option<u8>,
    /// The EPUB names the pages of the book's PDF edition (a page list and
    /// page-break markers): `page_list:` in `folio.yaml`, by default when
    /// the book's formats include pdf.
    pub page_list: bool,
    /// The words folio writes itself, in the book's language (built-in
    /// catalog, overridden by the project's `po/LANG.po`); empty: English.
    #[serde(skip_serializing_if = "Labels::is_empty")]
    pub labels: Labels,
}

/// Which way a language's text runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    #[default]
    Ltr,
    Rtl,
}

impl Direction {
    /// The direction of a language tag's usual script: right to left for
    /// Arabic, Hebrew, Persian, Urdu and the other languages written in
    /// those scripts (or Syriac, Thaana, N'Ko, Adlam) by default, or for
    /// any tag with one of those scripts as its subtag (`az-Arab`).
    pub fn of_language(tag: &str) -> Direction {
        const RTL_LANGUAGES: [&str; 16] = [
            "ar", "arc", "azb", "ckb", "dv", "fa", "he", "iw", "ks", "nqo", "ps", "sd", "syr",
            "ug", "ur", "yi",
        ];
        const RTL_SCRIPTS: [&str; 8] = [
            "arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg", "mand",
        ];
        let mut parts = tag.split(['-', '_']);
        let language = parts.next().unwrap_or_default().to_ascii_lowercase();
        let script = parts.find(|p| p.len() == 4).map(str::to_ascii_lowercase);
        let rtl = match script {
            Some(s) => RTL_SCRIPTS.contains(&s.as_str()),
            None => RTL_LANGUAGES.contains(&language.as_str()),
        };
        if rtl { Direction::Rtl } else { Direction::Ltr }
    }

    /// `ltr` or `rtl`, as HTML's `dir` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// One content page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    /// Stable, book-unique id derived from the URL (`about-xsf-mission`);
    /// backends use it for file names and anchors.
    pub id: String,
    /// Path of the source file as given to folio (for diagnostics).
    pub source: PathBuf,
    /// The source file's path relative to its content root
    /// (`about/xsf/mission.md`): the text backend names the page's file by
    /// it, so inserting a page renames no other file.
    pub source_rel: PathBuf,
    /// Site-absolute URL with leading and trailing slash (`/about/press-kit/`).
    pub url: String,
    pub title: String,
    pub description: Option<String>,
    /// The language of the title, or of the description, when a translated
    /// build left it in the source language (no translation, or a fuzzy or
    /// rejected one): `xml:lang` in the EPUB, `/Lang` in the PDF.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description_lang: Option<String>,
    /// Date as written in the front matter (ISO 8601 or Pelican's `YYYY-MM-DD HH:MM`).
    pub date: Option<String>,
    pub weight: i64,
    pub draft: bool,
    pub slug: Option<String>,
    pub aliases: Vec<String>,
    /// Every front matter key, lower-cased, including the ones above.
    pub front_matter: BTreeMap<String, serde_json::Value>,
    pub blocks: Vec<Block>,
    /// Footnote definitions, numbered in order of first reference.
    pub footnotes: Vec<Footnote>,
    /// Line number in `source` where the body (after front matter) starts;
    /// spans are absolute file lines already, this is kept for tools.
    pub body_line: u32,
    /// BCP 47 language of the page: the book's, unless the page is a
    /// translation that says otherwise (`page.de.md`, `lang:`).
    pub lang: String,
    /// `date` read as a calendar date (filled by the structure pass);
    /// `None` when there is none or it cannot be read.
    pub date_parsed: Option<crate::date::PageDate>,
    /// Authors from `author` (a name, or a map with `name`), `authors` (a
    /// list) and Pelican's `Author:`, in order, each once (structure pass).
    pub authors: Vec<String>,
    /// What is shown under the title; `None` for a page with neither
    /// authors nor a readable date, or when the book turns bylines off.
    pub byline: Option<Byline>,
    /// The id of the section page this page is listed under in the book:
    /// the nearest enclosing section (`_index.md`) that comes before it in
    /// reading order with only its own pages in between (structure pass).
    pub parent: Option<String>,
    /// How many section pages enclose this one (0: top level).
    pub depth: usize,
    /// A section's own page (`_index.md`, a branch bundle), other than the
    /// site's home page.
    pub section: bool,
}

#[cfg(test)]
impl Page {
    /// A page of `id` and nothing else, for unit tests to change what they
    /// need of: file `{id}.md`, URL `/{id}/`, no title, no body, in `en`.
    pub(crate) fn stub(id: &str) -> Page {
        Page {
            id: id.into(),
            source: format!("{id}.md").into(),
            source_rel: format!("{id}.md").into(),
            url: format!("/{id}/"),
            title: String::new(),
            description: None,
            title_lang: None,
            description_lang: None,
            date: None,
            weight: 0,
            draft: false,
            slug: None,
            aliases: Vec::new(),
            front_matter: Default::default(),
            blocks: Vec::new(),
            footnotes: Vec::new(),
            body_line: 1,
            lang: "en".into(),
            date_parsed: None,
            authors: Vec::new(),
            byline: None,
            parent: None,
            depth: 0,
            section: false,
        }
    }
}

/// Lines in the source file a node came from (1-based, inclusive).
#[derive(Debug, Clone, Copy, Serialize, Default, PartialEq, Eq)]
pub struct Span {
    pub line: u32,
    pub end_line: u32,
}

/// A block with a stable id and its source span.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    /// Stable id, unique within the page, derived from the block's kind and
    /// content so it survives edits elsewhere in the page (for PO/XLIFF).
    pub id: String,
    pub span: Span,
    #[serde(flatten)]
    pub kind: BlockKind,
}

/// What a block is. (A figure is boxed: inline it made every block some
/// 450 bytes, and a site's blocks are moved and copied as they are built.)
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BlockKind {
    Paragraph {
        content: Vec<Inline>,
    },
    Heading {
        /// 1..=6 as written in the source.
        level: u8,
        /// Anchor id (Hugo-style slug, or `{#id}` from heading attributes).
        anchor: String,
        classes: Vec<String>,
        content: Vec<Inline>,
    },
    List {
        /// `Some(n)` for an ordered list starting at n.
        start: Option<u64>,
        items: Vec<ListItem>,
    },
    Quote {
        blocks: Vec<Block>,
    },
    Code {
        lang: Option<String>,
        text: String,
    },
    Table(Table),
    Rule,
    Figure(Box<Figure>),
    /// A grouping with no meaning of its own: an HTML `<div>`, or the inner
    /// content of a paired shortcode kept as it is.
    Container {
        /// What made it (`div`, `shortcode:row`), for backends that care.
        origin: String,
        classes: Vec<String>,
        blocks: Vec<Block>,
    },
    /// Hugo's `details` shortcode: content under a summary line that a
    /// website shows folded; print and ebook show it open.
    Details {
        /// The summary line, parsed as Markdown inlines.
        summary: Vec<Inline>,
        /// Whether the website shows it unfolded (`open=true`).
        open: bool,
        blocks: Vec<Block>,
    },
    /// Media a page embeds (`youtube`, `vimeo`, `x`, `instagram`, `gist`):
    /// print and ebook cannot play it, so it is the service and a link.
    Embed(Embed),
    /// Hugo's `qr` shortcode: a QR code every backend draws.
    Qr(Qr),
}

/// An embedded post, video or gist, as a link to where it lives.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Embed {
    pub service: EmbedService,
    /// The public address of the video, post or gist.
    pub url: String,
    /// The title the page gives it (`title=`, a gist's file name).
    pub title: Option<String>,
}

/// The services Hugo's embed shortcodes know.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum EmbedService {
    Youtube,
    Vimeo,
    X,
    Instagram,
    Gist,
}

impl EmbedService {
    /// What a reader is told the embed is (`YouTube video`).
    pub fn label(self) -> &'static str {
        match self {
            EmbedService::Youtube => "YouTube video",
            EmbedService::Vimeo => "Vimeo video",
            EmbedService::X => "Post on X",
            EmbedService::Instagram => "Instagram post",
            EmbedService::Gist => "GitHub gist",
        }
    }

    /// A short machine name (`youtube`), for class names.
    pub fn name(self) -> &'static str {
        match self {
            EmbedService::Youtube => "youtube",
            EmbedService::Vimeo => "vimeo",
            EmbedService::X => "x",
            EmbedService::Instagram => "instagram",
            EmbedService::Gist => "gist",
        }
    }
}

/// A QR code: its text and its module grid, encoded once by the parser so
/// every backend draws the same symbol.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Qr {
    /// The encoded text (usually a URL).
    pub text: String,
    /// Alternative text for the image (`alt=`); backends fall back to `text`.
    pub alt: Option<String>,
    /// Rows of the symbol, top to bottom: `#` a dark module, `.` a light
    /// one. Square; the quiet zone around it is not included.
    pub modules: Vec<String>,
}

impl Qr {
    /// Modules per side.
    pub fn size(&self) -> usize {
        self.modules.len()
    }

    /// The dark modules of each row as runs `(row, first column, length)`,
    /// so a backend draws one rectangle per run.
    pub fn dark_runs(&self) -> Vec<(usize, usize, usize)> {
        let mut runs = Vec::new();
        for (y, row) in self.modules.iter().enumerate() {
            let mut start = None;
            for (x, c) in row.chars().chain(std::iter::once('.')).enumerate() {
                match (c == '#', start) {
                    (true, None) => start = Some(x),
                    (false, Some(s)) => {
                        runs.push((y, s, x - s));
                        start = None;
                    }
                    _ => {}
                }
            }
        }
        runs
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListItem {
    /// `Some(checked)` for a task-list item.
    pub task: Option<bool>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub align: Vec<Align>,
    /// Header row cells (may be empty for a table without header).
    pub head: Vec<Vec<Inline>>,
    pub rows: Vec<Vec<Vec<Inline>>>,
}

/// Hugo's `figure` shortcode as a typed node.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Figure {
    /// `src` as written.
    pub src: String,
    /// Resolved file, filled by the assets pass; `None` when missing.
    pub asset: Option<Asset>,
    pub alt: Option<String>,
    /// Caption, parsed as Markdown inlines.
    pub caption: Vec<Inline>,
    pub title: Option<String>,
    pub width: Option<String>,
    pub height: Option<String>,
    /// Where the image links to, resolved like any link.
    pub link: Option<Link>,
    pub attr: Option<String>,
    pub attrlink: Option<Link>,
    pub class: Option<String>,
}

/// A resolved image file.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Asset {
    /// Absolute path on disk, inside the static root.
    pub path: PathBuf,
    pub format: AssetFormat,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AssetFormat {
    Png,
    Jpeg,
    Svg,
    Gif,
    Webp,
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Footnote {
    pub label: String,
    /// 1-based number in order of first reference.
    pub number: u32,
    pub id: String,
    pub blocks: Vec<Block>,
}

/// A link: the href as written and where it goes once resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    pub href: String,
    pub target: LinkTarget,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LinkTarget {
    /// Not yet resolved (before the links pass).
    Unresolved,
    /// A Hugo `ref` or `relref` before the links pass: `href` names a
    /// content file (`about/faq.md`, `/about/faq`, `faq`, with an optional
    /// `#anchor`), not a URL.
    Ref,
    /// Outside the book: an absolute URL (site links are made absolute on
    /// the base URL; `mailto:` and the like kept).
    External { url: String },
    /// A page of this book (`page` is its [`Page::id`]), optionally an anchor
    /// in it. `url` is the page's public absolute URL, for text output.
    Internal {
        page: String,
        anchor: Option<String>,
        url: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline {
    Text {
        text: String,
    },
    Code {
        text: String,
    },
    Emph {
        content: Vec<Inline>,
    },
    Strong {
        content: Vec<Inline>,
    },
    Strike {
        content: Vec<Inline>,
    },
    Sup {
        content: Vec<Inline>,
    },
    Sub {
        content: Vec<Inline>,
    },
    /// A generic inline container (`<span>`), content kept.
    Span {
        classes: Vec<String>,
        /// The language of the content when it is not the page's: a
        /// translated book's segment left in the source language (EPUB
        /// `xml:lang`; for the tagged PDF's `/Lang` later).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lang: Option<String>,
        content: Vec<Inline>,
    },
    Link {
        link: Link,
        title: Option<String>,
        content: Vec<Inline>,
    },
    Image {
        src: String,
        asset: Option<Asset>,
        alt: String,
        title: Option<String>,
    },
    /// A hard line break.
    LineBreak,
    /// A soft line break in the source: a space to every backend.
    SoftBreak,
    FootnoteRef {
        label: String,
        /// Matches [`Footnote::number`]; 0 if the definition is missing.
        number: u32,
    },
}

#[cfg(test)]
mod tests {
    use super::Direction;

    #[test]
    fn a_language_runs_the_way_its_script_does() {
        for rtl in ["he", "ar", "fa-IR", "ur", "yi", "ckb", "az-Arab", "pa_Arab"] {
            assert_eq!(Direction::of_language(rtl), Direction::Rtl, "{rtl}");
        }
        for ltr in ["en", "de", "pt-BR", "ja", "th", "az", "he-Latn", "", "zz"] {
            assert_eq!(Direction::of_language(ltr), Direction::Ltr, "{ltr}");
        }
    }
}
