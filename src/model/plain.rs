//! Plain-text flattening of inlines, shared by backends and passes
//! (slugs, ids, alt text).

use super::Inline;

/// The text of a run of inlines, with soft breaks as spaces and hard breaks
/// as newlines; footnote references as `[n]`.
pub fn inlines_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        push_inline(&mut out, inline);
    }
    out
}

/// The text of one inline (see [`inlines_text`]).
pub fn inline_text(inline: &Inline) -> String {
    let mut out = String::new();
    push_inline(&mut out, inline);
    out
}

fn push_inline(out: &mut String, inline: &Inline) {
    match inline {
        Inline::Text { text } | Inline::Code { text } => out.push_str(text),
        Inline::Emph { content }
        | Inline::Strong { content }
        | Inline::Strike { content }
        | Inline::Sup { content }
        | Inline::Sub { content }
        | Inline::Span { content, .. }
        | Inline::Link { content, .. } => {
            for i in content {
                push_inline(out, i);
            }
        }
        Inline::Image { alt, .. } => out.push_str(alt),
        Inline::LineBreak => out.push('\n'),
        Inline::SoftBreak => out.push(' '),
        Inline::FootnoteRef { number, .. } => {
            out.push('[');
            out.push_str(&number.to_string());
            out.push(']');
        }
    }
}
