//! What one shortcode becomes, decided in this order:
//!
//! 1. `figure` is a typed [`Figure`] (named arguments; the caption is parsed
//!    as Markdown inlines).
//! 2. A name configured in `folio.yaml` (`shortcodes:`) acts as configured,
//!    built-in or not (as a site's own template overrides Hugo's): `drop`
//!    leaves it out, `inner` keeps the inner content as a
//!    `Container { origin: "shortcode:NAME" }`, `code` keeps the inner text
//!    verbatim as a code block with `lang: NAME`, `text: "md"` puts that
//!    Markdown in its place, `template: FILE` renders a widget template
//!    ([`super::widgets`]). A configured shortcode warns nothing.
//! 3. Hugo's built-in shortcodes ([`super::hugo`]).
//! 4. Anything else warns (file, line, name). A paired one keeps its inner
//!    content; an unpaired one, whose output only the website has, becomes
//!    a note "(shown on the website: URL)" pointing to the page there.

use super::builder::block;
use super::markdown::Ctx;
use super::shortcode::{Call, Inner};
use super::squeeze::blocks_as_inlines;
use crate::config::ShortcodeAction;
use crate::diag::Diagnostic;
use crate::model::{Block, BlockKind, Figure, Inline, Link, LinkTarget, Span};

/// The class of the note that stands for content only the website shows.
const WEB_ONLY_CLASS: &str = "web-only";

impl Ctx<'_> {
    /// Turns one shortcode into blocks.
    pub(super) fn resolve(&mut self, call: &Call, inner: Option<&Inner>, end: usize) -> Vec<Block> {
        let span = self.span(call.start, end);
        if call.name == "figure" {
            let figure = self.figure(call, end);
            return vec![block(span, BlockKind::Figure(Box::new(figure)))];
        }
        let action = match self.options.shortcodes.get(&call.name) {
            Some(action) => action.clone(),
            None => {
                if let Some(blocks) = self.builtin(call, inner, end) {
                    return blocks;
                }
                return self.unsupported(call, inner, span);
            }
        };
        match action {
            ShortcodeAction::Drop => Vec::new(),
            ShortcodeAction::Inner => match inner {
                Some(inner) => self.container(call, inner, span),
                None => Vec::new(),
            },
            ShortcodeAction::Code => match inner {
                Some(inner) => {
                    let text = self.inner_text(inner);
                    // The line break after the opener is not part of the code.
                    let text = text
                        .strip_prefix("\r\n")
                        .or_else(|| text.strip_prefix('\n'))
                        .unwrap_or(text)
                        .trim_end();
                    vec![block(
                        span,
                        BlockKind::Code {
                            lang: Some(call.name.clone()),
                            text: text.to_string(),
                        },
                    )]
                }
                None => Vec::new(),
            },
            ShortcodeAction::Text(md) => self.parse_text(&md, call.start, end),
            ShortcodeAction::Template(_) => self.widget(call, inner, end),
        }
    }

    /// The raw text between a paired shortcode's opener and closer.
    pub(super) fn inner_text(&self, inner: &Inner) -> &str {
        self.body.get(inner.start..inner.end).unwrap_or_default()
    }

    /// A paired shortcode's inner content in a container of its own.
    fn container(&mut self, call: &Call, inner: &Inner, span: Span) -> Vec<Block> {
        // One level down: inside the container made here.
        let blocks = self.parse_range(inner.start, inner.end, &inner.nodes, 1);
        let classes = call
            .named("class")
            .or_else(|| call.named("classes"))
            .map(|c| c.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default();
        vec![block(
            span,
            BlockKind::Container {
                origin: format!("shortcode:{}", call.name),
                classes,
                blocks,
            },
        )]
    }

    /// A shortcode folio knows nothing of: warned about; a paired one
    /// keeps its inner content, an unpaired one becomes the web-only note.
    fn unsupported(&mut self, call: &Call, inner: Option<&Inner>, span: Span) -> Vec<Block> {
        let what = if inner.is_some() {
            "kept its inner content"
        } else {
            "shown as a note pointing to the page on the website"
        };
        self.diags.push(
            Diagnostic::warning(
                self.path,
                span.line,
                format!("shortcode `{}` is not supported: {what}", call.name),
            )
            .with_hint(format!(
                "say what to do with it in folio.yaml: `shortcodes: {{{}: drop}}` (or inner, code, text, template)",
                call.name
            )),
        );
        match inner {
            Some(inner) => self.container(call, inner, span),
            None => self.web_note(&call.name, span),
        }
    }

    /// The note "(shown on the website: URL)" that stands for what only
    /// the website shows: an italic paragraph linking to the page's public
    /// URL, in a container of class `web-only`. Inside a line of text it
    /// becomes an inline span.
    pub(super) fn web_note(&self, name: &str, span: Span) -> Vec<Block> {
        let url = self.page.url.trim();
        let content = if url.is_empty() {
            vec![Inline::Text {
                text: "(shown on the website)".into(),
            }]
        } else {
            vec![
                Inline::Text {
                    text: "(shown on the website: ".into(),
                },
                Inline::Link {
                    // Already resolved: the website, never this book's copy.
                    link: Link {
                        href: url.to_string(),
                        target: LinkTarget::External {
                            url: url.to_string(),
                        },
                    },
                    title: None,
                    content: vec![Inline::Text {
                        text: url.to_string(),
                    }],
                },
                Inline::Text { text: ")".into() },
            ]
        };
        let note = block(
            span,
            BlockKind::Paragraph {
                content: vec![Inline::Emph { content }],
            },
        );
        vec![block(
            span,
            BlockKind::Container {
                origin: format!("shortcode:{name}"),
                classes: vec![WEB_ONLY_CLASS.to_string()],
                blocks: vec![note],
            },
        )]
    }

    fn figure(&mut self, call: &Call, end: usize) -> Figure {
        let named = |k: &str| call.named(k).map(str::to_string);
        let link = |k: &str| {
            call.named(k).map(|href| Link {
                href: href.to_string(),
                target: LinkTarget::Unresolved,
            })
        };
        let caption = match call.named("caption") {
            Some(md) => {
                let blocks = self.parse_text(md, call.start, end);
                blocks_as_inlines(&blocks)
            }
            None => Vec::new(),
        };
        Figure {
            src: named("src").unwrap_or_default(),
            asset: None,
            alt: named("alt"),
            caption,
            title: named("title"),
            width: named("width"),
            height: named("height"),
            link: link("link"),
            attr: named("attr"),
            attrlink: link("attrlink"),
            class: named("class"),
        }
    }
}
