//! The plain-text backend, for translators.
//!
//! One UTF-8 file per page and one for the whole book. The layout is made
//! for translation tools, which segment by line: by default every paragraph
//! is one line (`wrap: None`); `--wrap N` fills lines to N columns for
//! reading. Link targets are kept as numbered references (`text [1]`) listed
//! after the page, because translators need them and Pandoc drops them.
//!
//! Marking: page title underlined with `=` (the byline, authors and date,
//! on the line below), level-1 headings with `-`,
//! level-2 with `~`, deeper headings stand alone on their line; lists with
//! `-` or `1.` markers indented two spaces per level; quotes with `> `; code
//! verbatim, indented four spaces; tables as aligned columns; figures as
//! `[Figure: caption]` with alt text; a details block as `[Details:
//! summary]` before its content; embeds as `[YouTube video: title] URL`;
//! QR codes as `[QR code: text]`.

use crate::model::{
    Align, Block, BlockKind, Book, Figure, Inline, Labels, LinkTarget, Page, Table,
};
mod memo;
pub use memo::TextMemo;

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use unicode_width::UnicodeWidthStr;

/// Text output options.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// Fill paragraphs to this many columns; `None`: one paragraph per line.
    pub wrap: Option<usize>,
}

/// One output file, path relative to the book's text folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFile {
    pub path: PathBuf,
    pub contents: String,
}

/// Renders `book` as one file per page, named after its source
/// (`about/xsf/mission.md` → `about/xsf/mission.txt`, see [`page_files`]),
/// the whole book in reading order (`<book name>.txt`) and the reading
/// order as an index ([`CONTENTS`]). A page inserted or moved renames no
/// other file, so translation platforms' file masks and diffs stay stable.
pub fn render(book: &Book, options: &TextOptions) -> Vec<TextFile> {
    render_kept(book, options, None)
}

/// [`render`], taking the text of each page equal to one `memo` holds from
/// there (`folio watch`); the files are the same.
pub fn render_kept(book: &Book, options: &TextOptions, memo: Option<&TextMemo>) -> Vec<TextFile> {
    let whole_name = PathBuf::from(format!("{}.txt", book.meta.name));
    let names = page_files(book, &whole_name);
    let mut files = Vec::with_capacity(book.pages.len() + 2);
    let mut whole = String::new();
    whole.push_str(&underline(&book.meta.title, '='));
    if let Some(sub) = &book.meta.subtitle {
        whole.push_str(&fill(sub, "", "", options.wrap));
        whole.push('\n');
    }
    if let Some(publisher) = &book.meta.publisher {
        whole.push_str(&fill(publisher, "", "", options.wrap));
        whole.push('\n');
    }
    let mut contents = String::from("position\tfile\turl\ttitle\n");
    // Each page's text is its own: written on every core, joined in order.
    let texts = match memo {
        Some(memo) => memo::texts(book, options, memo),
        None => crate::par::par_map(&book.pages, |page| {
            page_text(page, &book.meta.labels, options)
        }),
    };
    for (n, ((page, path), text)) in book.pages.iter().zip(names).zip(texts).enumerate() {
        whole.push_str("\n\n");
        whole.push_str(&text);
        contents.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            n + 1,
            slashed(&path),
            tsv_field(&page.url),
            tsv_field(&page.title)
        ));
        files.push(TextFile {
            path,
            contents: text,
        });
    }
    files.push(TextFile {
        path: whole_name,
        contents: whole,
    });
    files.push(TextFile {
        path: PathBuf::from(CONTENTS),
        contents,
    });
    files
}

/// The index of a book's text folder: one line per page in reading order,
/// tab-separated (`position`, `file`, `url`, `title`) under a header line.
/// Not a `.txt` file, so a translation platform's `*.txt` mask skips it.
pub const CONTENTS: &str = "contents.tsv";

/// Each page's file, relative to the book's text folder: its source path
/// relative to the content root with `.txt` for its extension. Two pages
/// that would share a file (`faq.md` and `faq.markdown`; names that differ
/// only in case, one file on macOS and Windows; a page named after the
/// book, whose file is `whole`; a file where another page needs a folder)
/// are told apart in reading order: the later one gets `-2`, `-3`, … on
/// its name, or goes to the top folder under its id when a folder of its
/// path is taken by a file.
pub fn page_files(book: &Book, whole: &Path) -> Vec<PathBuf> {
    let key = |p: &Path| slashed(p).to_lowercase();
    let mut files: HashSet<String> = HashSet::from([key(whole), CONTENTS.to_string()]);
    let mut folders: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(book.pages.len());
    for page in &book.pages {
        let mirrored = mirrored(&page.source_rel).unwrap_or_else(|| PathBuf::from(&page.id));
        let ancestors_free = mirrored
            .ancestors()
            .skip(1)
            .filter(|a| !a.as_os_str().is_empty())
            .all(|a| !files.contains(&key(a)));
        let (dir, stem) = match ancestors_free {
            true => (
                mirrored.parent().map(Path::to_path_buf).unwrap_or_default(),
                file_stem(&mirrored),
            ),
            false => (PathBuf::new(), page.id.clone()),
        };
        let mut candidate = dir.join(format!("{stem}.txt"));
        let mut n = 1;
        while files.contains(&key(&candidate)) || folders.contains(&key(&candidate)) {
            n += 1;
            candidate = dir.join(format!("{stem}-{n}.txt"));
        }
        files.insert(key(&candidate));
        for folder in candidate.ancestors().skip(1) {
            if !folder.as_os_str().is_empty() {
                folders.insert(key(folder));
            }
        }
        out.push(candidate);
    }
    out
}

/// `rel` with plain components only (no root, `.` or `..`: it is a
/// relative path under the content root, but the text folder must never be
/// left whatever a model says), without its extension.
fn mirrored(rel: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in rel.components() {
        match part {
            Component::Normal(name) => out.push(name),
            _ => return None,
        }
    }
    (!file_stem(&out).is_empty()).then_some(out)
}

/// The file name without its last extension (`faq.de.md` → `faq.de`).
fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `path` with `/` between its parts, whatever the platform.
fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A value for one TSV field: tabs and line breaks become spaces.
fn tsv_field(value: &str) -> String {
    value
        .chars()
        .map(|c| {
            if matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// The text of one page: title, description, blocks, notes, links, with
/// folio's labels in English (a book's pages take the book's labels, see
/// [`render_page_in`]).
pub fn render_page(page: &Page, options: &TextOptions) -> String {
    page_text(page, &Labels::default(), options)
}

/// The text of one page with `labels` (a book's, or
/// [`crate::i18n::labels::builtin`] for a language).
pub fn render_page_in(page: &Page, labels: &Labels, options: &TextOptions) -> String {
    page_text(page, labels, options)
}

fn page_text(page: &Page, labels: &Labels, options: &TextOptions) -> String {
    let mut w = Writer {
        labels,
        wrap: options.wrap,
        out: String::new(),
        links: Vec::new(),
        numbers: HashMap::new(),
    };
    w.out.push_str(&underline(&page.title, '='));
    if let Some(byline) = &page.byline {
        w.out.push_str(&one_line(&byline.line()));
        w.out.push('\n');
    }
    if let Some(desc) = page.description.as_deref().filter(|d| !d.trim().is_empty()) {
        w.out.push('\n');
        w.para(desc.trim(), "", "");
    }
    if !page.blocks.is_empty() {
        w.out.push('\n');
        w.blocks(&page.blocks, "", "");
    }
    if !page.footnotes.is_empty() {
        w.out.push_str(&format!("\n{}:\n", labels.get("Notes")));
        for note in &page.footnotes {
            let marker = format!("[^{}] ", note.number);
            let rest = " ".repeat(marker.width());
            w.blocks_tight(&note.blocks, &marker, &rest);
        }
    }
    if !w.links.is_empty() {
        w.out.push_str(&format!("\n{}:\n", labels.get("Links")));
        let links = std::mem::take(&mut w.links);
        let digits = links.len().to_string().len();
        for (i, url) in links.iter().enumerate() {
            w.out.push_str(&format!("[{:>digits$}] {url}\n", i + 1));
        }
    }
    w.out
}

struct Writer<'a> {
    labels: &'a Labels,
    wrap: Option<usize>,
    out: String,
    /// Link URLs in order of first use; a reference is its index + 1.
    links: Vec<String>,
    /// URL -> its reference number, so a page of many links stays linear.
    numbers: HashMap<String, usize>,
}

impl Writer<'_> {
    /// Blocks separated by blank lines; `first` prefixes the first line,
    /// `rest` every later line (list markers, quote bars).
    fn blocks(&mut self, blocks: &[Block], first: &str, rest: &str) {
        let mut prefix = first.to_string();
        for (i, block) in blocks.iter().enumerate() {
            if i > 0 {
                self.out.push_str(rest.trim_end());
                self.out.push('\n');
            }
            self.block(block, &prefix, rest);
            prefix = rest.to_string();
        }
    }

    /// Blocks with no blank line between them (tight list items, notes).
    fn blocks_tight(&mut self, blocks: &[Block], first: &str, rest: &str) {
        let mut prefix = first.to_string();
        for block in blocks {
            self.block(block, &prefix, rest);
            prefix = rest.to_string();
        }
    }

    fn block(&mut self, block: &Block, first: &str, rest: &str) {
        match &block.kind {
            BlockKind::Paragraph { content } => {
                let text = self.inlines(content);
                self.para(&text, first, rest);
            }
            BlockKind::Heading { level, content, .. } => {
                let text = self.inlines(content);
                let text = one_line(&text);
                match level {
                    1 => self
                        .out
                        .push_str(&prefix_lines(&underline(&text, '-'), first, rest)),
                    2 => self
                        .out
                        .push_str(&prefix_lines(&underline(&text, '~'), first, rest)),
                    _ => self
                        .out
                        .push_str(&prefix_lines(&format!("{text}\n"), first, rest)),
                }
            }
            BlockKind::List { start, items } => {
                // Blank lines between items only when an item holds more
                // than a paragraph and nested lists.
                let loose = items.iter().any(|i| {
                    i.blocks
                        .iter()
                        .skip(1)
                        .any(|b| !matches!(b.kind, BlockKind::List { .. }))
                });
                for (number, (i, item)) in (start.unwrap_or(1)..).zip(items.iter().enumerate()) {
                    let mut marker = match start {
                        Some(_) => format!("{number}. "),
                        None => "- ".to_string(),
                    };
                    if let Some(done) = item.task {
                        marker.push_str(if done { "[x] " } else { "[ ] " });
                    }
                    let item_first = format!("{}{marker}", if i == 0 { first } else { rest });
                    let item_rest = format!("{rest}{}", " ".repeat(marker.width()));
                    if loose && i > 0 {
                        self.out.push_str(rest.trim_end());
                        self.out.push('\n');
                    }
                    if item.blocks.is_empty() {
                        self.out.push_str(item_first.trim_end());
                        self.out.push('\n');
                    } else if loose {
                        self.blocks(&item.blocks, &item_first, &item_rest);
                    } else {
                        self.blocks_tight(&item.blocks, &item_first, &item_rest);
                    }
                }
            }
            BlockKind::Quote { blocks } => {
                let first = format!("{first}> ");
                let rest = format!("{rest}> ");
                // A quote's paragraphs are separated by a bare `>` line.
                let mut p = first.clone();
                for (i, b) in blocks.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(rest.trim_end());
                        self.out.push('\n');
                    }
                    self.block(b, &p, &rest);
                    p = rest.clone();
                }
            }
            BlockKind::Code { text, .. } => {
                let code_first = format!("{first}    ");
                let code_rest = format!("{rest}    ");
                let body = text.strip_suffix('\n').unwrap_or(text);
                for (i, line) in body.split('\n').enumerate() {
                    let p = if i == 0 { &code_first } else { &code_rest };
                    if line.is_empty() {
                        self.out.push_str(p.trim_end());
                    } else {
                        self.out.push_str(p);
                        self.out.push_str(line);
                    }
                    self.out.push('\n');
                }
            }
            BlockKind::Table(table) => {
                let text = self.table(table);
                self.out.push_str(&prefix_lines(&text, first, rest));
            }
            BlockKind::Rule => {
                self.out.push_str(first);
                self.out.push_str("* * *\n");
            }
            BlockKind::Figure(fig) => {
                let text = self.figure(fig);
                self.para(&text, first, rest);
            }
            BlockKind::Container { blocks, .. } => self.blocks(blocks, first, rest),
            BlockKind::Details {
                summary, blocks, ..
            } => {
                let summary = one_line(&self.inlines(summary));
                let text = format!("[{}]", self.labels.with("Details", &summary));
                self.para(&text, first, rest);
                if !blocks.is_empty() {
                    self.out.push_str(rest.trim_end());
                    self.out.push('\n');
                    self.blocks(blocks, rest, rest);
                }
            }
            BlockKind::Embed(embed) => {
                let label = match embed.title.as_deref().map(one_line) {
                    Some(title) if !title.is_empty() => {
                        self.labels.with(embed.service.label(), &title)
                    }
                    _ => self.labels.get(embed.service.label()).to_string(),
                };
                self.para(&format!("[{label}] {}", embed.url), first, rest);
            }
            BlockKind::Qr(qr) => {
                let text = match qr.alt.as_deref().map(one_line) {
                    Some(alt) if !alt.is_empty() && alt != qr.text => {
                        let alt = format!("{alt}: {}", qr.text);
                        format!("[{}]", self.labels.with("QR code", &alt))
                    }
                    _ => format!("[{}]", self.labels.with("QR code", &qr.text)),
                };
                self.para(&text, first, rest);
            }
        }
    }

    /// A paragraph: one line, or filled to the wrap width.
    fn para(&mut self, text: &str, first: &str, rest: &str) {
        self.out.push_str(&fill(text, first, rest, self.wrap));
    }

    fn figure(&mut self, fig: &Figure) -> String {
        let caption = self.inlines(&fig.caption);
        let caption = one_line(&caption);
        let title = fig.title.as_deref().map(one_line).unwrap_or_default();
        let alt = fig.alt.as_deref().map(one_line).unwrap_or_default();
        let mut label: Vec<String> = Vec::new();
        for part in [title, caption] {
            if !part.is_empty() && !label.contains(&part) {
                label.push(part);
            }
        }
        let mut text = if label.is_empty() {
            let name = fig.src.rsplit('/').next().unwrap_or(&fig.src).to_string();
            let shown = if alt.is_empty() { name } else { alt };
            format!("[{}]", self.labels.with("Figure", &shown))
        } else {
            let mut t = format!("[{}", self.labels.with("Figure", &label.join(". ")));
            if !alt.is_empty() && !label.contains(&alt) {
                t.push_str(&format!(" ({})", self.labels.with("alt text", &alt)));
            }
            t.push(']');
            t
        };
        if let Some(attr) = fig.attr.as_deref().filter(|a| !a.is_empty()) {
            text.push_str(&format!(" {attr}"));
            if let Some(link) = &fig.attrlink {
                text.push_str(&self.reference(&link.target, &link.href));
            }
        }
        if let Some(link) = &fig.link {
            text.push_str(&self.reference(&link.target, &link.href));
        }
        text
    }

    fn table(&mut self, table: &Table) -> String {
        let mut rows: Vec<Vec<String>> = Vec::new();
        if !table.head.is_empty() {
            rows.push(
                table
                    .head
                    .iter()
                    .map(|c| one_line(&self.inlines(c)))
                    .collect(),
            );
        }
        for row in &table.rows {
            rows.push(row.iter().map(|c| one_line(&self.inlines(c))).collect());
        }
        let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0; cols];
        for row in &rows {
            for (i, cell) in row.iter().enumerate() {
                widths[i] = widths[i].max(cell.width());
            }
        }
        let mut out = String::new();
        for (r, row) in rows.iter().enumerate() {
            let mut line = String::new();
            for (i, width) in widths.iter().enumerate() {
                let cell = row.get(i).map(String::as_str).unwrap_or("");
                let pad = width.saturating_sub(cell.width());
                let align = table.align.get(i).copied().unwrap_or(Align::None);
                if i > 0 {
                    line.push_str(" | ");
                }
                match align {
                    Align::Right => {
                        line.push_str(&" ".repeat(pad));
                        line.push_str(cell);
                    }
                    Align::Center => {
                        line.push_str(&" ".repeat(pad / 2));
                        line.push_str(cell);
                        line.push_str(&" ".repeat(pad - pad / 2));
                    }
                    _ => {
                        line.push_str(cell);
                        line.push_str(&" ".repeat(pad));
                    }
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
            if r == 0 && !table.head.is_empty() {
                let rule: Vec<String> = widths.iter().map(|w| "-".repeat((*w).max(1))).collect();
                out.push_str(&rule.join("-+-"));
                out.push('\n');
            }
        }
        out
    }

    /// Flattens inlines, numbering link targets.
    fn inlines(&mut self, inlines: &[Inline]) -> String {
        let mut out = String::new();
        for inline in inlines {
            match inline {
                Inline::Text { text } | Inline::Code { text } => out.push_str(text),
                Inline::Emph { content }
                | Inline::Strong { content }
                | Inline::Strike { content }
                | Inline::Sup { content }
                | Inline::Sub { content }
                | Inline::Span { content, .. } => out.push_str(&self.inlines(content)),
                Inline::Link {
                    link,
                    content,
                    title,
                } => {
                    let text = self.inlines(content);
                    out.push_str(&text);
                    // A bare URL shown as its own text needs no reference.
                    let shown = |url: &str| text.trim() == url.trim();
                    let own_url = match &link.target {
                        LinkTarget::External { url } | LinkTarget::Internal { url, .. } => {
                            shown(url)
                        }
                        _ => false,
                    };
                    if !(shown(&link.href) || own_url) || title.is_some() {
                        out.push_str(&self.titled_reference(
                            &link.target,
                            &link.href,
                            title.as_deref(),
                        ));
                    }
                }
                Inline::Image { alt, src, .. } => {
                    let shown = if alt.is_empty() {
                        src.rsplit('/').next().unwrap_or(src)
                    } else {
                        alt
                    };
                    out.push_str(&format!("[{}]", self.labels.with("Image", shown)));
                }
                Inline::LineBreak => out.push('\n'),
                Inline::SoftBreak => out.push(' '),
                Inline::FootnoteRef { number, .. } => out.push_str(&format!("[^{number}]")),
            }
        }
        out
    }

    /// ` [n]` for a link target, reusing the number of a URL seen before.
    fn reference(&mut self, target: &LinkTarget, href: &str) -> String {
        self.titled_reference(target, href, None)
    }

    /// ` [n]`; a link title is listed after the URL (`url "title"`), since
    /// it is text a translator must see too.
    fn titled_reference(&mut self, target: &LinkTarget, href: &str, title: Option<&str>) -> String {
        let mut url = match target {
            LinkTarget::External { url } | LinkTarget::Internal { url, .. } => url.clone(),
            LinkTarget::Unresolved | LinkTarget::Ref => href.to_string(),
        };
        if url.is_empty() {
            return String::new();
        }
        if let Some(t) = title.map(one_line).filter(|t| !t.is_empty()) {
            url.push_str(&format!(" \"{t}\""));
        }
        let next = self.links.len() + 1;
        let n = *self.numbers.entry(url.clone()).or_insert(next);
        if n == next {
            self.links.push(url);
        }
        format!(" [{n}]")
    }
}

/// `text` then a line of `ch` as wide as it.
fn underline(text: &str, ch: char) -> String {
    let text = one_line(text);
    format!("{text}\n{}\n", ch.to_string().repeat(text.width().max(1)))
}

/// Collapses newlines and runs of spaces (titles, cells, captions).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Prefixes the first line of `text` with `first` and the others with `rest`.
fn prefix_lines(text: &str, first: &str, rest: &str) -> String {
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let p = if i == 0 { first } else { rest };
        if line.is_empty() {
            out.push_str(p.trim_end());
        } else {
            out.push_str(p);
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// One paragraph: hard breaks (`\n`) kept, otherwise one line, or filled to
/// `wrap` columns with the prefixes as indents.
fn fill(text: &str, first: &str, rest: &str, wrap: Option<usize>) -> String {
    let mut out = String::new();
    for (i, line) in text.split('\n').enumerate() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        let p1 = if i == 0 { first } else { rest };
        match wrap {
            Some(width) => {
                let opts = textwrap::Options::new(width.max(rest.width() + 10))
                    .initial_indent(p1)
                    .subsequent_indent(rest)
                    .break_words(false);
                let filled = textwrap::fill(&line, opts);
                out.push_str(if filled.trim().is_empty() {
                    p1.trim_end()
                } else {
                    &filled
                });
            }
            None => {
                out.push_str(p1);
                out.push_str(&line);
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Link, ListItem, Span};

    fn text(t: &str) -> Inline {
        Inline::Text { text: t.into() }
    }

    fn block(kind: BlockKind) -> Block {
        Block {
            id: "b".into(),
            span: Span::default(),
            kind,
        }
    }

    fn para(content: Vec<Inline>) -> Block {
        block(BlockKind::Paragraph { content })
    }

    fn page(blocks: Vec<Block>) -> Page {
        Page {
            title: "The Title".into(),
            description: Some("What it is.".into()),
            blocks,
            ..Page::stub("p")
        }
    }

    fn link(href: &str, url: &str, label: &str) -> Inline {
        Inline::Link {
            link: Link {
                href: href.into(),
                target: LinkTarget::External { url: url.into() },
            },
            title: None,
            content: vec![text(label)],
        }
    }

    #[test]
    fn title_description_and_numbered_links() {
        let p = page(vec![para(vec![
            text("See "),
            link("/a/", "https://x.org/a/", "this"),
            text(" and "),
            link("/a/", "https://x.org/a/", "that"),
            text(" or "),
            link("https://b.org/", "https://b.org/", "https://b.org/"),
            text("."),
        ])]);
        let out = render_page(&p, &TextOptions::default());
        assert_eq!(
            out,
            "The Title\n=========\n\nWhat it is.\n\nSee this [1] and that [1] or https://b.org/.\n\nLinks:\n[1] https://x.org/a/\n"
        );
    }

    #[test]
    fn nested_lists_quotes_code_tables() {
        let item = |blocks| ListItem { task: None, blocks };
        let inner = block(BlockKind::List {
            start: Some(3),
            items: vec![
                item(vec![para(vec![text("three")])]),
                item(vec![para(vec![text("four")])]),
            ],
        });
        let p = page(vec![
            block(BlockKind::List {
                start: None,
                items: vec![
                    item(vec![para(vec![text("one")]), inner]),
                    item(vec![para(vec![text("two")])]),
                ],
            }),
            block(BlockKind::Quote {
                blocks: vec![para(vec![text("quoted")]), para(vec![text("again")])],
            }),
            block(BlockKind::Code {
                lang: None,
                text: "fn main() {\n\n}\n".into(),
            }),
            block(BlockKind::Table(Table {
                align: vec![Align::Left, Align::Right],
                head: vec![vec![text("Name")], vec![text("N")]],
                rows: vec![vec![vec![text("alpha")], vec![text("10")]]],
            })),
        ]);
        let out = render_page(&p, &TextOptions::default());
        assert!(
            out.contains("- one\n  3. three\n  4. four\n- two\n"),
            "{out}"
        );
        assert!(out.contains("> quoted\n>\n> again\n"), "{out}");
        assert!(out.contains("    fn main() {\n\n    }\n"), "{out}");
        assert!(
            out.contains("Name  |  N\n------+---\nalpha | 10\n"),
            "{out}"
        );
    }

    #[test]
    fn wrap_fills_to_width_with_indent() {
        let p = page(vec![block(BlockKind::List {
            start: None,
            items: vec![ListItem {
                task: Some(true),
                blocks: vec![para(vec![text(
                    "alpha beta gamma delta epsilon zeta eta theta",
                )])],
            }],
        })]);
        let out = render_page(&p, &TextOptions { wrap: Some(24) });
        assert!(
            out.contains("- [x] alpha beta gamma\n      delta epsilon zeta\n      eta theta\n"),
            "{out}"
        );
    }

    #[test]
    fn figure_with_caption_and_alt() {
        let fig = Figure {
            src: "/images/logo.svg".into(),
            alt: Some("The logo".into()),
            caption: vec![text("Our mark")],
            ..Figure::default()
        };
        let out = render_page(
            &page(vec![block(BlockKind::Figure(Box::new(fig)))]),
            &TextOptions::default(),
        );
        assert!(
            out.contains("[Figure: Our mark (alt text: The logo)]"),
            "{out}"
        );
    }
}
