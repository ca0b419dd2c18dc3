//! Raw HTML replayed into the frame stack: tags that map to the model open
//! and close frames (as Markdown events do), text goes where Markdown text
//! would, and embedded content is warned about.

use super::nesting::html_name;
use super::{Builder, FrameKind, Product, block};
use crate::model::{BlockKind, Inline};
use crate::parse::html::{self, Tok};
use crate::parse::squeeze::collapse_ws;

impl Builder<'_, '_> {
    /// Replays an HTML fragment into the frame stack.
    pub(super) fn html(&mut self, src: &str, start: usize, block_level: bool) {
        for tok in html::tokenize(src) {
            match tok {
                Tok::Comment => {}
                Tok::Text(text) => {
                    if block_level {
                        let collapsed = collapse_ws(&text);
                        let in_inline = self.stack.last().is_some_and(|f| f.kind.holds_inlines());
                        if collapsed.trim().is_empty() && !in_inline {
                            continue;
                        }
                        let collapsed = if in_inline {
                            collapsed
                        } else {
                            collapsed.trim_start().to_string()
                        };
                        self.text(&collapsed, start);
                    } else {
                        self.text(&text, start);
                    }
                }
                Tok::Start {
                    name,
                    attrs,
                    self_closing,
                    raw,
                } => self.html_start(&name, &attrs, self_closing, &raw, start),
                Tok::End { name, raw } => self.html_end(&name, &raw, start),
            }
        }
    }

    fn html_start(
        &mut self,
        name: &str,
        attrs: &[(String, String)],
        self_closing: bool,
        raw: &str,
        start: usize,
    ) {
        let inline_kind = match name {
            "em" | "i" => Some(FrameKind::Emph),
            "strong" | "b" => Some(FrameKind::Strong),
            "s" | "del" | "strike" => Some(FrameKind::Strike),
            "sup" => Some(FrameKind::Sup),
            "sub" => Some(FrameKind::Sub),
            "code" => Some(FrameKind::InlineCode),
            "span" => Some(FrameKind::Span {
                classes: html::classes(attrs),
            }),
            "a" => {
                let (href, reference) =
                    self.restore_href(html::attr(attrs, "href").unwrap_or_default());
                Some(FrameKind::Link {
                    href,
                    title: html::attr(attrs, "title").map(|t| self.restore(t)),
                    reference,
                })
            }
            _ => None,
        };
        if let Some(kind) = inline_kind {
            if !self_closing {
                self.ensure_inline(start);
                self.open_html(kind, start, name);
            }
            return;
        }
        match name {
            "br" => self.push(Inline::LineBreak, start),
            "img" => self.push(
                Inline::Image {
                    src: self.restore(html::attr(attrs, "src").unwrap_or_default()),
                    asset: None,
                    alt: self.restore(html::attr(attrs, "alt").unwrap_or_default()),
                    title: html::attr(attrs, "title").map(|t| self.restore(t)),
                },
                start,
            ),
            "p" => {
                self.close_inlines();
                if !self_closing {
                    self.open_html(FrameKind::Para, start, name);
                }
            }
            "div" | "ul" | "ol" | "li" | "blockquote" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                if !self_closing =>
            {
                self.close_inlines();
                let kind = match name {
                    "div" => FrameKind::Container {
                        origin: "div".into(),
                        classes: html::classes(attrs),
                    },
                    "ul" => FrameKind::List { start: None },
                    "ol" => FrameKind::List {
                        start: Some(
                            html::attr(attrs, "start")
                                .and_then(|s| s.parse().ok())
                                .unwrap_or(1),
                        ),
                    },
                    "li" => FrameKind::Item { task: None },
                    "blockquote" => FrameKind::Quote,
                    _ => FrameKind::Heading {
                        level: name.get(1..).and_then(|n| n.parse().ok()).unwrap_or(1),
                        anchor: html::attr(attrs, "id").map(|id| self.restore(id)),
                        classes: html::classes(attrs),
                    },
                };
                self.open_html(kind, start, name);
            }
            "hr" => {
                self.close_inlines();
                let span = self.ctx.span(start, start);
                self.deliver(Product::Blocks(vec![block(span, BlockKind::Rule)]));
            }
            // Embedded or interactive content has no place in print: say so.
            "iframe" | "video" | "audio" | "object" | "embed" | "script" | "style" | "form"
            | "input" | "button" | "svg" => {
                let line = self.ctx.line_of(start);
                self.ctx.diags.warn(
                    self.ctx.path,
                    line,
                    format!("HTML element `<{name}>` is not supported: dropped (its text is kept)"),
                );
            }
            _ if html::is_html_element(name) => {}
            // Not HTML: XML the author wrote as text.
            _ => {
                let raw = self.restore(raw);
                self.text(&raw, start)
            }
        }
    }

    fn html_end(&mut self, name: &str, raw: &str, start: usize) {
        let name = html_name(name);
        let found = self
            .stack
            .iter()
            .rposition(|f| f.html_tag.as_deref().map(html_name) == Some(name));
        if self.end_html_phantom(name, found) {
            return;
        }
        match found {
            // Never close a Markdown frame from HTML: stop at the first one.
            Some(pos)
                if self
                    .stack
                    .get(pos + 1..)
                    .is_some_and(|above| above.iter().all(|f| f.end_tag.is_none()))
                    && !self.phantoms.markdown_inside(pos) =>
            {
                self.close_to(pos)
            }
            Some(_) => {}
            None if html::is_html_element(name) => {}
            None => {
                let raw = self.restore(raw);
                self.text(&raw, start)
            }
        }
    }
}
