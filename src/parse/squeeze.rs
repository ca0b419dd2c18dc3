//! Model pieces squeezed into inline content and the small text helpers the
//! builder shares: blocks as inlines (a caption, a heading, a table cell
//! take only inlines), shortcode placeholders split out of text, blank
//! edges trimmed, HTML whitespace collapsed.

use super::markdown::{PH_CLOSE, PH_OPEN};
use crate::model::{Block, BlockKind, Inline, Link, LinkTarget};

/// Blocks squeezed into inline content (for places that take only inlines:
/// a caption, a heading, a table cell).
pub(super) fn blocks_as_inlines(blocks: &[Block]) -> Vec<Inline> {
    let mut out = Vec::new();
    for b in blocks {
        if !out.is_empty() {
            out.push(Inline::LineBreak);
        }
        match &b.kind {
            BlockKind::Paragraph { content } | BlockKind::Heading { content, .. } => {
                out.extend(content.iter().cloned())
            }
            BlockKind::Code { text, .. } => out.push(Inline::Code { text: text.clone() }),
            BlockKind::List { items, .. } => {
                for item in items {
                    out.extend(blocks_as_inlines(&item.blocks));
                }
            }
            BlockKind::Quote { blocks } | BlockKind::Container { blocks, .. } => {
                out.extend(blocks_as_inlines(blocks))
            }
            BlockKind::Table(t) => {
                for cell in t.head.iter().chain(t.rows.iter().flatten()) {
                    push_inline(&mut out, Inline::Text { text: " ".into() });
                    out.extend(cell.iter().cloned());
                }
            }
            BlockKind::Figure(f) => {
                out.push(Inline::Image {
                    src: f.src.clone(),
                    asset: None,
                    alt: f.alt.clone().unwrap_or_default(),
                    title: f.title.clone(),
                });
                out.extend(f.caption.iter().cloned());
            }
            BlockKind::Details {
                summary, blocks, ..
            } => {
                out.extend(summary.iter().cloned());
                out.push(Inline::LineBreak);
                out.extend(blocks_as_inlines(blocks));
            }
            BlockKind::Embed(e) => {
                let label = match &e.title {
                    Some(title) => format!("{}: {title} ", e.service.label()),
                    None => format!("{} ", e.service.label()),
                };
                out.push(Inline::Text { text: label });
                out.push(Inline::Link {
                    link: Link {
                        href: e.url.clone(),
                        target: LinkTarget::Unresolved,
                    },
                    title: None,
                    content: vec![Inline::Text {
                        text: e.url.clone(),
                    }],
                });
            }
            BlockKind::Qr(q) => out.push(Inline::Text {
                text: q.alt.clone().unwrap_or_else(|| q.text.clone()),
            }),
            BlockKind::Rule => {}
        }
    }
    merge_texts(out)
}

/// Shortcode output that can sit inside a line of text: nothing, one
/// paragraph, or a container of one paragraph (as a span with its classes).
pub(super) fn inline_form(blocks: &[Block]) -> Option<Vec<Inline>> {
    match blocks {
        [] => Some(Vec::new()),
        [one] => match &one.kind {
            BlockKind::Paragraph { content } => Some(content.clone()),
            BlockKind::Container {
                classes, blocks, ..
            } => {
                let content = inline_form(blocks)?;
                Some(if classes.is_empty() {
                    content
                } else {
                    vec![Inline::Span {
                        classes: classes.clone(),
                        lang: None,
                        content,
                    }]
                })
            }
            _ => None,
        },
        _ => None,
    }
}

/// Appends an inline, merging adjacent text.
pub(super) fn push_inline(out: &mut Vec<Inline>, inline: Inline) {
    if let Inline::Text { text } = &inline {
        if text.is_empty() {
            return;
        }
        if let Some(Inline::Text { text: last }) = out.last_mut() {
            last.push_str(text);
            return;
        }
    }
    out.push(inline);
}

fn merge_texts(list: Vec<Inline>) -> Vec<Inline> {
    let mut out = Vec::with_capacity(list.len());
    for i in list {
        push_inline(&mut out, i);
    }
    out
}

pub(super) enum Piece<'t> {
    Text(&'t str),
    Slot(usize),
}

pub(super) fn split_placeholders(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(PH_OPEN) {
        let after = rest.get(open + PH_OPEN.len_utf8()..).unwrap_or_default();
        let Some(close) = after.find(PH_CLOSE) else {
            break;
        };
        let Some(k) = after.get(..close).and_then(|d| d.parse().ok()) else {
            break;
        };
        if open > 0 {
            out.push(Piece::Text(rest.get(..open).unwrap_or_default()));
        }
        out.push(Piece::Slot(k));
        rest = after.get(close + PH_CLOSE.len_utf8()..).unwrap_or_default();
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// Drops breaks and blank text at both ends (left over around a shortcode).
pub(super) fn trim_breaks(mut list: Vec<Inline>) -> Vec<Inline> {
    let blank = |i: &Inline| match i {
        Inline::SoftBreak | Inline::LineBreak => true,
        Inline::Text { text } => text.trim().is_empty(),
        _ => false,
    };
    while list.last().is_some_and(blank) {
        list.pop();
    }
    let lead = list.iter().take_while(|i| blank(i)).count();
    list.drain(..lead);
    if let Some(Inline::Text { text }) = list.first_mut() {
        *text = text.trim_start().to_string();
    }
    if let Some(Inline::Text { text }) = list.last_mut() {
        *text = text.trim_end().to_string();
    }
    list
}

pub(super) fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}
