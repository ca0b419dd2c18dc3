//! Markdown (pulldown-cmark, options set in one place) to model blocks, raw
//! HTML mapped into the model, shortcodes turned into typed nodes.
//!
//! # Shortcodes
//!
//! The body is lexed for shortcodes first ([`super::shortcode`]). Each
//! top-level shortcode (a paired one with its inner content) is replaced by a
//! placeholder of private-use characters before Markdown runs; an offset map
//! takes every Markdown byte range back to the body, so spans are file lines.
//! A paragraph made only of placeholders becomes the shortcodes' blocks; a
//! placeholder inside text becomes inline content (a paragraph is split when
//! the shortcode yields real blocks).
//!
//! How each shortcode is resolved is in [`super::resolve`]: `figure`, the
//! actions configured in `folio.yaml` (widget templates among them, see
//! [`super::widgets`]), Hugo's built-ins ([`super::hugo`]), and a note
//! pointing to the website for the rest.
//!
//! # Text as Hugo shows it
//!
//! Smart punctuation is pulldown-cmark's, which follows the same rules as
//! Hugo's typographer for what sites write (quotes by their flanking,
//! `it's`, `--`, `---`, `...`) and never touches code, link destinations
//! or escaped characters; bare URLs and escaped shortcodes in text are kept
//! as written ([`super::typography`]). `:emoji:` codes are replaced after
//! the page is built, outside code.
//!
//! # Raw HTML
//!
//! `br` is a line break, `a` a link, `img` an image, `em`/`i`, `strong`/`b`,
//! `code`, `sup`, `sub`, `s`/`del`/`strike`, `span` the matching inlines,
//! `p` a paragraph, `ul`/`ol`/`li` lists, `h1`..`h6` headings, `blockquote`
//! a quote, `div` a `Container { origin: "div" }`, `hr` a rule. Comments
//! are dropped. Other HTML elements (`kbd`, `u`, `small`...)
//! lose their tags but keep their text (embedded content such as `iframe`
//! or `video` with a warning); a tag that is not HTML at all
//! (`<stream:stream>`) is kept as text.

use super::builder::Builder;
use super::ids;
use super::shortcode::{self, Node};
use super::typography;
use super::widgets::Widgets;
use crate::config::ShortcodeAction;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Block, Footnote, Inline, Span, for_each_block_inline_mut};
use pulldown_cmark::{Event, Options, Parser};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

/// How page bodies are read: shortcodes, limits, and the site settings
/// that change what text becomes.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Configured actions by shortcode name (`shortcodes:` in `folio.yaml`).
    pub shortcodes: BTreeMap<String, ShortcodeAction>,
    /// Nesting bounds, applied while the model is built.
    pub limits: crate::limits::Limits,
    /// Smart punctuation as Hugo's typographer does it (Hugo's default: on).
    pub typographer: bool,
    /// `:emoji:` codes become emoji (Hugo's `enableEmoji`; default off).
    pub emoji: bool,
    /// The site's `params` (Hugo config), for `{{< param >}}` and widgets;
    /// `Null` when there is no site config.
    pub site_params: std::sync::Arc<serde_json::Value>,
    /// The site's `data/` files, loaded once (`data.members` for
    /// `data/members.json`); `Null` when there are none.
    pub data: std::sync::Arc<serde_json::Value>,
    /// The widget templates of `shortcodes:` (`{ template: FILE }`),
    /// loaded once per build; `None` when none is configured.
    pub widgets: Option<Arc<Widgets>>,
}

impl Default for ParseOptions {
    fn default() -> ParseOptions {
        ParseOptions {
            shortcodes: BTreeMap::new(),
            limits: crate::limits::Limits::default(),
            typographer: true,
            emoji: false,
            site_params: Default::default(),
            data: Default::default(),
            widgets: None,
        }
    }
}

/// A parsed page body.
#[derive(Debug, Clone, Default)]
pub struct ParsedBody {
    /// The body's blocks, with ids and heading anchors assigned.
    pub blocks: Vec<Block>,
    /// Footnote definitions, numbered by first reference.
    pub footnotes: Vec<Footnote>,
}

/// What a page is, for the shortcodes that show it (`param`, widget
/// templates, the note pointing to the website).
#[derive(Debug, Clone, Copy, Default)]
pub struct PageContext<'p> {
    /// The page's absolute URL on the website (`https://xmpp.org/about/`);
    /// empty when not known.
    pub url: &'p str,
    /// The page's front matter, keys lower-cased.
    pub front_matter: Option<&'p BTreeMap<String, serde_json::Value>>,
}

/// The one place the Markdown dialect is chosen (smart punctuation is
/// added per [`ParseOptions::typographer`]).
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Parses `body` (which starts on file line `first_line` of `path`) of a
/// page nothing else is known about. See [`parse_page`].
pub fn parse_body(
    body: &str,
    first_line: u32,
    path: &Path,
    options: &ParseOptions,
    diags: &mut Diagnostics,
) -> Result<ParsedBody, Diagnostic> {
    parse_page(
        body,
        first_line,
        path,
        &PageContext::default(),
        options,
        diags,
    )
}

/// Parses the body of page `page` (which starts on file line `first_line`
/// of `path`). Fatal problems (an unterminated shortcode) are errors;
/// anything else (unknown shortcodes, dropped HTML tags) becomes a warning
/// in `diags`. Links and image assets are left unresolved: the passes do
/// that.
pub fn parse_page(
    body: &str,
    first_line: u32,
    path: &Path,
    page: &PageContext<'_>,
    options: &ParseOptions,
    diags: &mut Diagnostics,
) -> Result<ParsedBody, Diagnostic> {
    let mut ctx = Ctx::new(body, first_line, path, page, options, diags);
    ctx.widget_fuel = options.limits.template_fuel;
    let limit = ctx.nesting_limit();
    let tree = shortcode::parse_tree(body, limit).map_err(|e| {
        let (line, column) = ctx.line_col(e.offset);
        Diagnostic::error(path, line, e.message).with_column(column)
    })?;
    let mut blocks = ctx.parse_range(0, body.len(), &tree, 0);
    let mut footnotes = ctx.number_footnotes(&mut blocks);
    if options.emoji {
        typography::emojify(&mut blocks);
        for note in &mut footnotes {
            typography::emojify(&mut note.blocks);
        }
    }
    ids::assign(&mut blocks, &mut footnotes);
    if let Some(line) = ctx.too_deep {
        ctx.diags.push(
            Diagnostic::warning(
                path,
                line,
                format!(
                    "content nested more than {limit} levels deep: the deeper levels are flattened into level {limit}"
                ),
            )
            .with_hint("raise `limits: {nesting: N}` in folio.yaml to keep more levels"),
        );
    }
    Ok(ParsedBody { blocks, footnotes })
}

/// Page-wide state of one parse.
pub(super) struct Ctx<'a> {
    pub(super) body: &'a str,
    line_starts: Vec<usize>,
    first_line: u32,
    pub(super) path: &'a Path,
    pub(super) page: &'a PageContext<'a>,
    pub(super) options: &'a ParseOptions,
    pub(super) diags: &'a mut Diagnostics,
    /// Footnote definitions in source order: label, blocks, span.
    pub(super) footnotes: Vec<(String, Vec<Block>, Span)>,
    /// The first line where content was nested past the limit (one warning
    /// per page names it).
    pub(super) too_deep: Option<u32>,
    /// How many widget templates are being expanded around this text.
    pub(super) widget_depth: usize,
    /// Template work the page may still spend (`Limits::template_fuel`):
    /// shared by every widget of the page, so one that calls itself twice
    /// cannot double its work at each level.
    pub(super) widget_fuel: u64,
    /// Whether the page has been warned that its widget budget is spent.
    pub(super) widget_budget_spent: bool,
    /// QR codes the page has drawn (`Limits::qr_codes`).
    pub(super) qr_codes: usize,
}

pub(super) const PH_OPEN: char = '\u{E000}';
pub(super) const PH_CLOSE: char = '\u{E001}';

/// A piece of the text given to pulldown-cmark and where it came from.
#[derive(Debug, Clone, Copy)]
struct Seg {
    pre: usize,
    len: usize,
    orig: usize,
    orig_end: usize,
    /// Copied verbatim (offsets map one to one) or generated (placeholder,
    /// escaped shortcode): every offset maps into `orig..orig_end`.
    copied: bool,
}

/// Text for pulldown-cmark with its map back to body offsets.
#[derive(Debug, Default)]
struct Fragment {
    text: String,
    segs: Vec<Seg>,
    /// Ranges of `text` shown as written, never typographed (escaped
    /// shortcodes), in order.
    verbatim: Vec<Range<usize>>,
}

impl Fragment {
    fn copy(&mut self, body: &str, start: usize, end: usize) {
        if end <= start {
            return;
        }
        self.push(body.get(start..end).unwrap_or_default(), start, end, true);
    }

    fn push(&mut self, text: &str, orig: usize, orig_end: usize, copied: bool) {
        self.segs.push(Seg {
            pre: self.text.len(),
            len: text.len(),
            orig,
            orig_end,
            copied,
        });
        self.text.push_str(text);
    }

    fn seg(&self, off: usize) -> Option<&Seg> {
        let i = self.segs.partition_point(|s| s.pre <= off);
        self.segs.get(i.checked_sub(1)?)
    }

    /// Body offset of a start offset.
    fn map(&self, off: usize) -> usize {
        match self.seg(off) {
            Some(s) if s.copied => s.orig + (off - s.pre).min(s.len),
            Some(s) if off >= s.pre + s.len => s.orig_end,
            Some(s) => s.orig,
            None => 0,
        }
    }

    /// Body offset of an exclusive end offset.
    fn map_end(&self, off: usize) -> usize {
        match off.checked_sub(1).and_then(|o| self.seg(o)) {
            Some(s) if s.copied => s.orig + (off - s.pre).min(s.len),
            Some(s) => s.orig_end,
            None => 0,
        }
    }
}

/// What a shortcode became, and its source for places that need text.
pub(super) struct Slot {
    pub(super) blocks: Vec<Block>,
    pub(super) source: String,
    /// The line of the shortcode.
    pub(super) line: u32,
    /// For `ref`/`relref`: the content path it names, which a link
    /// destination made of it points to.
    pub(super) href: Option<String>,
}

impl<'a> Ctx<'a> {
    /// A parse of `body`, which starts on line `first_line` of `path`.
    pub(super) fn new(
        body: &'a str,
        first_line: u32,
        path: &'a Path,
        page: &'a PageContext<'a>,
        options: &'a ParseOptions,
        diags: &'a mut Diagnostics,
    ) -> Ctx<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(body.match_indices('\n').map(|(i, _)| i + 1));
        Ctx {
            body,
            line_starts,
            first_line,
            path,
            page,
            options,
            diags,
            footnotes: Vec::new(),
            too_deep: None,
            widget_depth: 0,
            widget_fuel: 0,
            widget_budget_spent: false,
            qr_codes: 0,
        }
    }
}

impl Ctx<'_> {
    /// Maps every offset of the body to its first line (text a template
    /// made stands where its shortcode does).
    pub(super) fn single_line(&mut self) {
        self.line_starts = vec![0];
    }

    /// The deepest nesting kept in the model (`Limits::nesting`).
    pub(super) fn nesting_limit(&self) -> usize {
        self.options.limits.nesting
    }

    /// Notes that content at `line` was nested past the limit; the page's
    /// one warning names the first such line.
    pub(super) fn note_too_deep(&mut self, line: u32) {
        self.too_deep = Some(self.too_deep.map_or(line, |l| l.min(line)));
    }

    pub(super) fn line_of(&self, off: usize) -> u32 {
        let idx = self
            .line_starts
            .partition_point(|&s| s <= off)
            .saturating_sub(1);
        self.first_line + idx as u32
    }

    fn line_col(&self, off: usize) -> (u32, u32) {
        let idx = self
            .line_starts
            .partition_point(|&s| s <= off)
            .saturating_sub(1);
        let start = self.line_starts.get(idx).copied().unwrap_or(0);
        let col = self.body.get(start..off).map_or(0, |s| s.chars().count());
        (self.first_line + idx as u32, col as u32 + 1)
    }

    pub(super) fn span(&self, start: usize, end: usize) -> Span {
        Span {
            line: self.line_of(start),
            end_line: self.line_of(end.saturating_sub(1).max(start)),
        }
    }

    /// Parses `body[start..end]` whose shortcodes are `nodes`; its root lies
    /// `base` levels down.
    pub(super) fn parse_range(
        &mut self,
        start: usize,
        end: usize,
        nodes: &[Node],
        base: usize,
    ) -> Vec<Block> {
        let mut frag = Fragment::default();
        let mut slots = Vec::new();
        let mut cur = start;
        for node in nodes {
            let (n_start, n_end) = node.range();
            frag.copy(self.body, cur, n_start);
            cur = n_end;
            match node {
                Node::Escaped { literal, .. } => {
                    // Shown as written: the typographer leaves it alone.
                    let at = frag.text.len();
                    frag.push(literal, n_start, n_end, false);
                    frag.verbatim.push(at..frag.text.len());
                }
                // A pair nested past the limit: its tags go, its content stays.
                Node::Flattened(call) => {
                    let line = self.line_of(call.start);
                    self.note_too_deep(line);
                }
                Node::StrayCloser(call) => {
                    let line = self.line_of(call.start);
                    self.diags.warn(
                        self.path,
                        line,
                        format!(
                            "closing shortcode `{}` has no opening one: dropped",
                            call.name
                        ),
                    );
                }
                Node::Shortcode { call, inner, .. } => {
                    let blocks = self.resolve(call, inner.as_ref(), n_end);
                    let placeholder = format!("{PH_OPEN}{}{PH_CLOSE}", slots.len());
                    slots.push(Slot {
                        blocks,
                        line: self.line_of(n_start),
                        source: self
                            .body
                            .get(n_start..n_end)
                            .unwrap_or_default()
                            .to_string(),
                        href: self.ref_href(call),
                    });
                    frag.push(&placeholder, n_start, n_end, false);
                }
            }
        }
        frag.copy(self.body, cur, end);
        self.parse_fragment(&frag, &mut slots, base)
    }

    /// Parses Markdown that is not in the body (a caption, configured text);
    /// all of it maps to `start..end` of the body.
    pub(super) fn parse_text(&mut self, text: &str, start: usize, end: usize) -> Vec<Block> {
        let mut frag = Fragment::default();
        frag.push(text, start, end, false);
        self.parse_fragment(&frag, &mut [], 0)
    }

    fn parse_fragment(&mut self, frag: &Fragment, slots: &mut [Slot], base: usize) -> Vec<Block> {
        let smart = self.options.typographer;
        let mut options = markdown_options();
        if smart {
            options |= Options::ENABLE_SMART_PUNCTUATION;
        }
        let mut verbatim = frag.verbatim.clone();
        if smart {
            verbatim.extend(typography::bare_urls(&frag.text));
            verbatim.sort_by_key(|r| r.start);
        }
        let mut b = Builder::new(self, slots, base);
        for (event, range) in Parser::new_ext(&frag.text, options).into_offset_iter() {
            let start = frag.map(range.start);
            let end = frag.map_end(range.end).max(start);
            let event = match event {
                Event::Text(text) if smart => {
                    match typography::as_written(&text, &frag.text, &range, &verbatim) {
                        Some(raw) => Event::Text(raw.into()),
                        None => Event::Text(text),
                    }
                }
                other => other,
            };
            b.event(event, start, end);
        }
        b.finish()
    }

    /// Numbers footnotes by first reference and returns the definitions in
    /// that order; references to a missing definition get number 0.
    fn number_footnotes(&mut self, blocks: &mut [Block]) -> Vec<Footnote> {
        let mut defs: Vec<(String, Vec<Block>, Span)> = Vec::new();
        // Lower-cased label -> index in `defs`.
        let mut by_label: HashMap<String, usize> = HashMap::new();
        for (label, blocks, span) in std::mem::take(&mut self.footnotes) {
            let key = label.to_lowercase();
            match by_label.get(&key).and_then(|&i| defs.get_mut(i)) {
                // A second definition of a label: its text is kept with the first.
                Some(d) => d.1.extend(blocks),
                None => {
                    by_label.insert(key, defs.len());
                    defs.push((label, blocks, span));
                }
            }
        }
        let mut numbers: HashMap<String, u32> = HashMap::new();
        let mut missing = Vec::new();
        let defined: HashSet<String> = by_label.into_keys().collect();
        let number_refs = |blocks: &mut [Block],
                           numbers: &mut HashMap<String, u32>,
                           missing: &mut Vec<(String, u32)>| {
            for_each_block_inline_mut(blocks, &mut |line, inline| {
                if let Inline::FootnoteRef { label, number } = inline {
                    let key = label.to_lowercase();
                    if defined.contains(&key) {
                        let next = numbers.len() as u32 + 1;
                        *number = *numbers.entry(key).or_insert(next);
                    } else {
                        *number = 0;
                        missing.push((label.clone(), line));
                    }
                } else if let Inline::Text { text } = inline {
                    // pulldown-cmark leaves a reference to a missing
                    // definition as text: find it there to warn.
                    for label in footnote_like(text) {
                        if !defined.contains(&label.to_lowercase()) {
                            missing.push((label.to_string(), line));
                        }
                    }
                }
            });
        };
        number_refs(blocks, &mut numbers, &mut missing);
        // References inside footnotes, in definition order.
        for d in defs.iter_mut() {
            number_refs(&mut d.1, &mut numbers, &mut missing);
        }
        for (label, line) in missing {
            self.diags.warn(
                self.path,
                line,
                format!("footnote `{label}` is referenced but never defined"),
            );
        }
        let mut out: Vec<Footnote> = defs
            .into_iter()
            .map(|(label, blocks, _)| {
                let key = label.to_lowercase();
                let next = numbers.len() as u32 + 1;
                let number = *numbers.entry(key).or_insert(next);
                Footnote {
                    label,
                    number,
                    id: String::new(),
                    blocks,
                }
            })
            .collect();
        out.sort_by_key(|f| f.number);
        out
    }
}

/// Labels of `[^label]` written in text.
fn footnote_like(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("[^") {
        let after = rest.get(i + 2..).unwrap_or_default();
        match after.find(']') {
            Some(j) => {
                let label = after.get(..j).unwrap_or_default();
                if !label.is_empty() && !label.contains(char::is_whitespace) {
                    out.push(label);
                }
                rest = after.get(j + 1..).unwrap_or_default();
            }
            None => break,
        }
    }
    out
}
