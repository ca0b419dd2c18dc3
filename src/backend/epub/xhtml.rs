//! A page's content as XHTML: blocks and inlines from the model to
//! well-formed, semantic markup (sections by heading level, figure and
//! figcaption, tables with thead, EPUB footnotes with links both ways).
//!
//! The page skeleton around it (`<html>`, `<head>`, the title) comes from the
//! `page.xhtml` template; this writes only the body content.

use super::escape::{class_name, push_attr, push_text};
use super::ids::{self, IdSet};
use super::images::Images;
use super::links::{BookIndex, Lookup};
use super::qr;
use super::scripts::push_marked_text;
use crate::backend::PageStart;
use crate::diag::Diagnostics;
use crate::model::{
    Align, Block, BlockKind, Embed, Figure, Footnote, Inline, Labels, Link, LinkTarget, Page, Qr,
    Table, inlines_text,
};
use std::collections::HashMap;
use std::fmt::Write;

/// A heading for the navigation document.
#[derive(Debug, Clone)]
pub(crate) struct NavHeading {
    /// Rank in the chapter, 2..=6 (the page title is 1).
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// What rendering one page gives.
#[derive(Debug, Clone)]
pub(crate) struct RenderedPage {
    /// The body content (without the page title, which the template adds).
    pub body: String,
    pub headings: Vec<NavHeading>,
    /// Images that are shown without any alt text.
    pub images_without_alt: usize,
    pub images: usize,
    /// Print page markers written, in order: page number and element id.
    pub pagebreaks: Vec<(u32, String)>,
}

/// Renders the content of `page`; each link it looks up in `index` (and
/// the `href` found) goes into `lookups` when there is one.
pub(crate) fn render_page(
    page: &Page,
    index: &BookIndex,
    labels: &Labels,
    print: &[&PageStart],
    images: &mut dyn Images,
    diags: &mut Diagnostics,
    lookups: Option<&mut Vec<Lookup>>,
) -> RenderedPage {
    let heading_ids = index
        .chapter(&page.id)
        .map(|c| c.heading_ids.clone())
        .unwrap_or_default();
    // The same claims as the index made, so later ids (footnotes) avoid them.
    let mut ids = IdSet::default();
    ids::heading_ids(page, &mut ids);
    let mut w = Writer {
        page,
        index,
        lookups,
        labels,
        images,
        diags,
        ids,
        heading_ids: heading_ids.into_iter(),
        level_shift: level_shift(page),
        last_rank: 1,
        out: String::with_capacity(4096),
        headings: Vec::new(),
        open_sections: Vec::new(),
        in_link: false,
        note_ids: HashMap::new(),
        note_refs: HashMap::new(),
        images_without_alt: 0,
        image_count: 0,
        line: page.body_line,
        task_mark: None,
    };
    w.assign_footnote_ids();
    let mut pagebreaks = Vec::new();
    // Pages that begin at the chapter's title: their marker opens the body.
    w.pagebreaks(print, None, &mut pagebreaks);
    for (i, block) in page.blocks.iter().enumerate() {
        w.pagebreaks(print, Some(i), &mut pagebreaks);
        w.top_block(block);
    }
    w.close_sections(1);
    w.footnotes();
    RenderedPage {
        body: w.out,
        headings: w.headings,
        images_without_alt: w.images_without_alt,
        images: w.image_count,
        pagebreaks,
    }
}

/// How far to move headings so the page's highest becomes `<h2>` under the
/// page title's `<h1>`: a page written with `#` headings keeps its shape
/// under one rank-1 heading, and one starting at `###` skips no rank
/// (which screen readers announce as a gap). Relative levels stay.
fn level_shift(page: &Page) -> i8 {
    let mut min = 6u8;
    let mut visit = |b: &Block| {
        if let BlockKind::Heading { level, .. } = &b.kind {
            min = min.min((*level).clamp(1, 6));
        }
    };
    for block in &page.blocks {
        ids::walk(block, &mut visit);
    }
    2 - min as i8
}

struct Writer<'a> {
    /// folio's own words in the book's language.
    labels: &'a Labels,
    page: &'a Page,
    index: &'a BookIndex,
    /// Where the links looked up go (see [`render_page`]).
    lookups: Option<&'a mut Vec<Lookup>>,
    images: &'a mut dyn Images,
    diags: &'a mut Diagnostics,
    ids: IdSet,
    heading_ids: std::vec::IntoIter<String>,
    level_shift: i8,
    /// Rank of the last heading written (the page title is `<h1>`): the
    /// next may go one deeper at most, so no level is skipped.
    last_rank: u8,
    out: String,
    headings: Vec<NavHeading>,
    /// Levels of the `<section>`s open at the top of the page.
    open_sections: Vec<u8>,
    /// Inside `<a>`: nested links and note references lose their link.
    in_link: bool,
    /// Footnote number -> element id of its `<aside>`.
    note_ids: HashMap<u32, String>,
    /// Footnote number -> ids of the references to it, in order.
    note_refs: HashMap<u32, Vec<String>>,
    images_without_alt: usize,
    image_count: usize,
    /// Source line of the block being written, for warnings.
    line: u32,
    /// A task list item's mark, written at the start of its first paragraph.
    task_mark: Option<&'static str>,
}

impl Writer<'_> {
    /// The `href` of `link` in this page's chapter, the look-up recorded.
    fn href(&mut self, link: &Link) -> Option<String> {
        let href = self.index.href(link, &self.page.id);
        if let Some(lookups) = self.lookups.as_deref_mut() {
            lookups.push((link.clone(), href.clone()));
        }
        href
    }

    fn assign_footnote_ids(&mut self) {
        for note in &self.page.footnotes {
            let raw = if note.id.is_empty() {
                format!("fn-{}", note.number)
            } else {
                note.id.clone()
            };
            let id = self.ids.claim(&raw);
            self.note_ids.insert(note.number, id);
        }
    }

    /// A block at the top of the page: headings here open `<section>`s.
    /// Markers for the print pages that begin before top-level block
    /// `block` (`None`: at the title), as EPUB page breaks.
    fn pagebreaks(
        &mut self,
        print: &[&PageStart],
        block: Option<usize>,
        out: &mut Vec<(u32, String)>,
    ) {
        for start in print.iter().filter(|s| s.block == block) {
            let id = self.ids.claim(&format!("page-{}", start.number));
            self.out.push_str(&format!(
                "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"{id}\" aria-label=\"{}\"></span>\n",
                start.number
            ));
            out.push((start.number, id));
        }
    }

    fn top_block(&mut self, block: &Block) {
        if let BlockKind::Heading { level, .. } = &block.kind {
            let level = self.rank(*level);
            self.close_sections(level);
            self.out.push_str("<section>\n");
            self.open_sections.push(level);
        }
        self.block(block);
    }

    fn close_sections(&mut self, level: u8) {
        while self.open_sections.last().is_some_and(|&open| open >= level) {
            self.open_sections.pop();
            self.out.push_str("</section>\n");
        }
    }

    fn rank(&self, level: u8) -> u8 {
        (level.clamp(1, 6) as i8 + self.level_shift).clamp(2, 6) as u8
    }

    fn block(&mut self, block: &Block) {
        if block.span.line > 0 {
            self.line = block.span.line;
        }
        match &block.kind {
            BlockKind::Paragraph { content } => {
                if content.iter().all(is_blank) {
                    return;
                }
                self.out.push_str("<p>");
                if let Some(mark) = self.task_mark.take() {
                    self.out.push_str(mark);
                }
                self.inlines(content);
                self.out.push_str("</p>\n");
            }
            BlockKind::Heading {
                level,
                anchor,
                content,
                ..
            } => {
                // `##` then `####`: the second is an `<h3>`, as screen readers
                // would otherwise announce a missing level.
                let rank = self.rank(*level).min(self.last_rank + 1);
                self.last_rank = rank;
                let id = self
                    .heading_ids
                    .next()
                    .unwrap_or_else(|| self.ids.claim(anchor));
                let text = inlines_text(content)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                let _ = write!(self.out, "<h{rank} id=\"{id}\">");
                self.inlines(content);
                let _ = writeln!(self.out, "</h{rank}>");
                if !text.is_empty() {
                    self.headings.push(NavHeading {
                        level: rank,
                        id,
                        text,
                    });
                }
            }
            BlockKind::List { start, items } => {
                if items.is_empty() {
                    return;
                }
                match start {
                    Some(1) => self.out.push_str("<ol>\n"),
                    Some(n) => {
                        let _ = writeln!(self.out, "<ol start=\"{n}\">");
                    }
                    None => self.out.push_str("<ul>\n"),
                }
                for item in items {
                    match item.task {
                        Some(done) => {
                            self.out.push_str("<li class=\"task\">");
                            // A mark, not a form control: a book is not a form.
                            let mark = if done { "\u{2611} " } else { "\u{2610} " };
                            if matches!(
                                item.blocks.first().map(|b| &b.kind),
                                Some(BlockKind::Paragraph { .. })
                            ) {
                                self.task_mark = Some(mark);
                            } else {
                                self.out.push_str(mark);
                            }
                        }
                        None => self.out.push_str("<li>"),
                    }
                    for b in &item.blocks {
                        self.block(b);
                    }
                    self.task_mark = None;
                    self.out.push_str("</li>\n");
                }
                self.out.push_str(if start.is_some() {
                    "</ol>\n"
                } else {
                    "</ul>\n"
                });
            }
            BlockKind::Quote { blocks } => {
                self.out.push_str("<blockquote>\n");
                for b in blocks {
                    self.block(b);
                }
                self.out.push_str("</blockquote>\n");
            }
            BlockKind::Code { lang, text } => {
                match lang.as_deref().map(class_name).filter(|l| !l.is_empty()) {
                    Some(l) => {
                        let _ = write!(self.out, "<pre><code class=\"language-{l}\">");
                    }
                    None => self.out.push_str("<pre><code>"),
                }
                push_text(&mut self.out, text.strip_suffix('\n').unwrap_or(text));
                self.out.push_str("</code></pre>\n");
            }
            BlockKind::Table(table) => self.table(table, &block.id),
            BlockKind::Rule => self.out.push_str("<hr/>\n"),
            BlockKind::Figure(figure) => self.figure(figure, &block.id, block.span.line),
            BlockKind::Container {
                classes, blocks, ..
            } => {
                if blocks.is_empty() {
                    return;
                }
                let class = classes
                    .iter()
                    .map(|c| class_name(c))
                    .filter(|c| !c.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                if class.is_empty() {
                    self.out.push_str("<div>\n");
                } else {
                    let _ = writeln!(self.out, "<div class=\"{class}\">");
                }
                for b in blocks {
                    self.block(b);
                }
                self.out.push_str("</div>\n");
            }
            BlockKind::Details {
                summary, blocks, ..
            } => {
                // Not `<details>`: a reader would have to know to open it.
                self.out
                    .push_str("<div class=\"details\">\n<p class=\"details-summary\">");
                self.inlines(summary);
                self.out.push_str("</p>\n");
                for b in blocks {
                    self.block(b);
                }
                self.out.push_str("</div>\n");
            }
            BlockKind::Embed(embed) => self.embed(embed),
            BlockKind::Qr(qr) => self.qr(qr, &block.id),
        }
    }

    /// An embed: the service and title, and its address as a link.
    fn embed(&mut self, embed: &Embed) {
        let _ = write!(
            self.out,
            "<div class=\"embed embed-{}\">\n<p><span class=\"embed-service\">{}</span>",
            embed.service.name(),
            self.labels.get(embed.service.label())
        );
        if let Some(title) = embed.title.as_deref().filter(|t| !t.trim().is_empty()) {
            self.out.push_str(": ");
            push_text(&mut self.out, title);
        }
        self.out.push_str("<br/>\n");
        self.visible_link(&embed.url);
        self.out.push_str("</p>\n</div>\n");
    }

    /// `url` as a link showing itself (plain text when it cannot be one).
    fn visible_link(&mut self, url: &str) {
        let link = Link {
            href: url.to_string(),
            target: LinkTarget::External {
                url: url.to_string(),
            },
        };
        match self.href(&link) {
            Some(href) => {
                self.out.push_str("<a href=\"");
                push_attr(&mut self.out, &href);
                self.out.push_str("\">");
                push_text(&mut self.out, url);
                self.out.push_str("</a>");
            }
            None => push_text(&mut self.out, url),
        }
    }

    /// A QR code: its image (a PNG drawn here) and its text below.
    fn qr(&mut self, qr: &Qr, block_id: &str) {
        let png = match qr::png(qr) {
            Ok(png) => png,
            Err(e) => {
                self.diags.warn(
                    &self.page.source,
                    self.line,
                    format!("QR code of `{}` cannot be drawn: {e:#}", qr.text),
                );
                return;
            }
        };
        let src = self.images.generated_png("qr", png);
        self.image_count += 1;
        let id = self.block_id(block_id);
        let _ = writeln!(self.out, "<figure class=\"qr\"{id}>");
        self.out.push_str("<img src=\"");
        push_attr(&mut self.out, &src);
        self.out.push_str("\" alt=\"");
        let alt = match qr.alt.as_deref().filter(|a| !a.trim().is_empty()) {
            Some(alt) => alt.to_string(),
            None => self.labels.with("QR code", &qr.text),
        };
        push_attr(&mut self.out, &alt);
        self.out.push_str("\"/>\n<figcaption>");
        if qr.text.contains("://") && !qr.text.contains(char::is_whitespace) {
            self.visible_link(&qr.text);
        } else {
            push_text(&mut self.out, &qr.text);
        }
        self.out.push_str("</figcaption>\n</figure>\n");
    }

    /// `id="..."` from a block's stable id: figures and tables can be
    /// linked to, and traced back to their source block (PO/XLIFF).
    fn block_id(&mut self, block_id: &str) -> String {
        if block_id.is_empty() {
            return String::new();
        }
        format!(" id=\"{}\"", self.ids.claim(block_id))
    }

    fn table(&mut self, table: &Table, block_id: &str) {
        if table.head.is_empty() && table.rows.is_empty() {
            return;
        }
        let id = self.block_id(block_id);
        let _ = writeln!(self.out, "<table{id}>");
        // A header row of empty cells names no column: left out, as screen
        // readers would announce empty headers.
        let head_says_something = table
            .head
            .iter()
            .any(|cell| !inlines_text(cell).trim().is_empty());
        if head_says_something {
            self.out.push_str("<thead>\n<tr>");
            for (i, cell) in table.head.iter().enumerate() {
                // An empty cell of the header row heads nothing.
                let tag = match inlines_text(cell).trim().is_empty() {
                    true => "td",
                    false => "th scope=\"col\"",
                };
                self.cell(tag, table.align.get(i), cell);
            }
            self.out.push_str("</tr>\n</thead>\n");
        }
        if !table.rows.is_empty() {
            self.out.push_str("<tbody>\n");
            for row in &table.rows {
                self.out.push_str("<tr>");
                for (i, cell) in row.iter().enumerate() {
                    self.cell("td", table.align.get(i), cell);
                }
                self.out.push_str("</tr>\n");
            }
            self.out.push_str("</tbody>\n");
        }
        self.out.push_str("</table>\n");
    }

    fn cell(&mut self, tag: &str, align: Option<&Align>, content: &[Inline]) {
        let class = match align {
            Some(Align::Left) => " class=\"align-left\"",
            Some(Align::Center) => " class=\"align-center\"",
            Some(Align::Right) => " class=\"align-right\"",
            _ => "",
        };
        let _ = write!(self.out, "<{tag}{class}>");
        self.inlines(content);
        let name = tag.split(' ').next().unwrap_or(tag);
        let _ = write!(self.out, "</{name}>");
    }

    fn figure(&mut self, figure: &Figure, block_id: &str, line: u32) {
        let caption_text = inlines_text(&figure.caption).trim().to_string();
        let alt = figure
            .alt
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .or_else(|| (!caption_text.is_empty()).then(|| caption_text.clone()))
            .or_else(|| {
                figure
                    .title
                    .as_deref()
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
            });
        let href = figure
            .asset
            .as_ref()
            .and_then(|asset| self.images.href(asset, &self.page.source, line, self.diags));
        let has_caption =
            !figure.caption.is_empty() || figure.title.is_some() || figure.attr.is_some();
        if href.is_none() && !has_caption && alt.is_none() {
            // Nothing to show: the driver has already warned about the file.
            return;
        }
        let id = self.block_id(block_id);
        let _ = writeln!(self.out, "<figure{id}>");
        match &href {
            Some(src) => {
                self.image_count += 1;
                if alt.is_none() {
                    self.images_without_alt += 1;
                    self.diags.warn(
                        &self.page.source,
                        line,
                        format!("figure `{}` has neither alt text nor a caption", figure.src),
                    );
                }
                let link = figure.link.as_ref().and_then(|l| self.href(l));
                if let Some(link) = &link {
                    self.out.push_str("<a href=\"");
                    push_attr(&mut self.out, link);
                    self.out.push_str("\">");
                }
                // An alt text that only repeats the caption would be read
                // twice: the caption names the figure, the image gets `alt=""`
                // (unless it is a link, which its alt text names).
                let repeats_caption = link.is_none()
                    && !caption_text.is_empty()
                    && alt.as_deref().is_some_and(|a| same_words(a, &caption_text));
                let alt_attr = match repeats_caption {
                    true => "",
                    false => alt.as_deref().unwrap_or(""),
                };
                self.out.push_str("<img src=\"");
                push_attr(&mut self.out, src);
                self.out.push_str("\" alt=\"");
                push_attr(&mut self.out, alt_attr);
                self.out.push('"');
                if let Some(width) = figure.width.as_deref().filter(|w| is_pixels(w)) {
                    let _ = write!(self.out, " width=\"{}\"", width.trim());
                }
                self.out.push_str("/>");
                if link.is_some() {
                    self.out.push_str("</a>");
                }
                self.out.push('\n');
            }
            None if !has_caption => {
                // The image is missing: its text stands in for it.
                self.out.push_str("<p class=\"image-missing\">");
                push_text(&mut self.out, alt.as_deref().unwrap_or(""));
                self.out.push_str("</p>\n");
            }
            None => {}
        }
        if has_caption {
            self.out.push_str("<figcaption>");
            if let Some(title) = figure.title.as_deref().filter(|t| !t.trim().is_empty()) {
                self.out.push_str("<span class=\"figure-title\">");
                push_text(&mut self.out, title);
                self.out.push_str("</span>");
            }
            self.inlines(&figure.caption);
            if let Some(attr) = figure.attr.as_deref().filter(|a| !a.trim().is_empty()) {
                self.out.push(' ');
                let link = figure.attrlink.as_ref().and_then(|l| self.href(l));
                match link {
                    Some(href) => {
                        self.out.push_str("<a href=\"");
                        push_attr(&mut self.out, &href);
                        self.out.push_str("\">");
                        push_text(&mut self.out, attr);
                        self.out.push_str("</a>");
                    }
                    None => push_text(&mut self.out, attr),
                }
            }
            self.out.push_str("</figcaption>\n");
        }
        self.out.push_str("</figure>\n");
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn wrapped(&mut self, tag: &str, content: &[Inline]) {
        let _ = write!(self.out, "<{tag}>");
        self.inlines(content);
        let _ = write!(self.out, "</{tag}>");
    }

    fn inline(&mut self, inline: &Inline) {
        match inline {
            Inline::Text { text } => push_marked_text(&mut self.out, text, &self.page.lang),
            Inline::Code { text } => {
                self.out.push_str("<code>");
                push_text(&mut self.out, text);
                self.out.push_str("</code>");
            }
            Inline::Emph { content } => self.wrapped("em", content),
            Inline::Strong { content } => self.wrapped("strong", content),
            Inline::Strike { content } => self.wrapped("s", content),
            Inline::Sup { content } => self.wrapped("sup", content),
            Inline::Sub { content } => self.wrapped("sub", content),
            Inline::Span {
                classes,
                lang,
                content,
            } => {
                let class = classes
                    .iter()
                    .map(|c| class_name(c))
                    .filter(|c| !c.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                self.out.push_str("<span");
                if !class.is_empty() {
                    let _ = write!(self.out, " class=\"{class}\"");
                }
                if let Some(lang) = lang {
                    // A segment left in the source language in a translation.
                    self.out.push_str(" lang=\"");
                    push_attr(&mut self.out, lang);
                    self.out.push_str("\" xml:lang=\"");
                    push_attr(&mut self.out, lang);
                    self.out.push('"');
                }
                self.out.push('>');
                self.inlines(content);
                self.out.push_str("</span>");
            }
            Inline::Link {
                link,
                title,
                content,
            } => {
                let href = if self.in_link { None } else { self.href(link) };
                match href {
                    Some(href) => {
                        self.out.push_str("<a href=\"");
                        push_attr(&mut self.out, &href);
                        self.out.push('"');
                        if let Some(title) = title.as_deref().filter(|t| !t.trim().is_empty()) {
                            self.out.push_str(" title=\"");
                            push_attr(&mut self.out, title);
                            self.out.push('"');
                        }
                        self.out.push('>');
                        self.in_link = true;
                        self.inlines(content);
                        self.in_link = false;
                        // A link with nothing to read (`[](url)`, an image
                        // without alt text) says where it goes.
                        if inlines_text(content).trim().is_empty() {
                            push_text(&mut self.out, link.href.trim());
                        }
                        self.out.push_str("</a>");
                    }
                    None => self.inlines(content),
                }
            }
            Inline::Image {
                asset,
                alt,
                title,
                src,
            } => {
                let line = self.line;
                let href = asset
                    .as_ref()
                    .and_then(|a| self.images.href(a, &self.page.source, line, self.diags));
                let alt_text = if alt.trim().is_empty() {
                    title.as_deref().unwrap_or("").trim()
                } else {
                    alt.trim()
                };
                match href {
                    Some(href) => {
                        self.image_count += 1;
                        if alt_text.is_empty() {
                            self.images_without_alt += 1;
                            self.diags.warn(
                                &self.page.source,
                                line,
                                format!("image `{src}` has no alt text"),
                            );
                        }
                        self.out.push_str("<img src=\"");
                        push_attr(&mut self.out, &href);
                        self.out.push_str("\" alt=\"");
                        push_attr(&mut self.out, alt_text);
                        if self.images.is_icon(&href) {
                            self.out.push_str("\" class=\"icon");
                        }
                        self.out.push_str("\"/>");
                    }
                    None => {
                        if !alt_text.is_empty() {
                            self.out.push_str("<span class=\"image-missing\">");
                            push_text(&mut self.out, alt_text);
                            self.out.push_str("</span>");
                        }
                    }
                }
            }
            Inline::LineBreak => self.out.push_str("<br/>\n"),
            Inline::SoftBreak => self.out.push('\n'),
            Inline::FootnoteRef { label, number } => self.note_ref(label, *number),
        }
    }

    fn note_ref(&mut self, label: &str, number: u32) {
        let Some(note_id) = self.note_ids.get(&number).cloned().filter(|_| number > 0) else {
            // No definition: show the reference as written, unlinked.
            self.out.push_str("<sup>[");
            push_text(&mut self.out, label);
            self.out.push_str("]</sup>");
            return;
        };
        if self.in_link {
            let _ = write!(self.out, "<sup>{number}</sup>");
            return;
        }
        let ref_id = self.ids.claim(&format!("fnref-{note_id}"));
        self.note_refs
            .entry(number)
            .or_default()
            .push(ref_id.clone());
        let _ = write!(
            self.out,
            "<sup><a class=\"noteref\" epub:type=\"noteref\" role=\"doc-noteref\" id=\"{ref_id}\" href=\"#{note_id}\">{number}</a></sup>"
        );
    }

    /// The footnotes, as EPUB footnote asides that reading systems can show
    /// as pop-ups, each with a link back to its first reference.
    fn footnotes(&mut self) {
        if self.page.footnotes.is_empty() {
            return;
        }
        self.out
            .push_str("<section class=\"footnotes\" aria-label=\"");
        push_attr(&mut self.out, self.labels.get("Footnotes"));
        self.out.push_str("\">\n");
        let notes: Vec<&Footnote> = self.page.footnotes.iter().collect();
        for note in notes {
            let Some(id) = self.note_ids.get(&note.number).cloned() else {
                continue;
            };
            let _ = writeln!(
                self.out,
                "<aside class=\"footnote\" epub:type=\"footnote\" role=\"doc-footnote\" id=\"{id}\">"
            );
            let back = self
                .note_refs
                .get(&note.number)
                .and_then(|refs| refs.first())
                .cloned();
            match back {
                Some(back) => {
                    let _ = writeln!(
                        self.out,
                        "<p class=\"footnote-number\"><a href=\"#{back}\" role=\"doc-backlink\">{}</a></p>",
                        note.number
                    );
                }
                None => {
                    let _ = writeln!(self.out, "<p class=\"footnote-number\">{}</p>", note.number);
                }
            }
            for block in &note.blocks {
                self.block(block);
            }
            self.out.push_str("</aside>\n");
        }
        self.out.push_str("</section>\n");
    }
}

/// Whether `a` and `b` are the same words, whatever their case, spacing
/// and closing punctuation.
fn same_words(a: &str, b: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split_whitespace()
            .map(|w| w.trim_end_matches(['.', ',', ';', ':']).to_lowercase())
            .filter(|w| !w.is_empty())
            .collect()
    };
    words(a) == words(b)
}

fn is_blank(inline: &Inline) -> bool {
    match inline {
        Inline::Text { text } => text.trim().is_empty(),
        Inline::SoftBreak | Inline::LineBreak => true,
        _ => false,
    }
}

/// `400` or `400px` as a plain pixel count (the only `width` HTML accepts).
fn is_pixels(width: &str) -> bool {
    let w = width.trim();
    !w.is_empty() && w.len() <= 5 && w.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pixel_widths() {
        assert!(is_pixels("400"));
        assert!(!is_pixels("50%"));
        assert!(!is_pixels("400px"));
    }
}
