//! A page's body written back as Markdown from its model, each segment
//! through a translation function (`folio i18n export-hugo`): paragraphs,
//! headings, lists, quotes, code, tables, rules and footnotes as Markdown;
//! figures, details and QR codes as the Hugo shortcodes they came from.
//! Containers of other shortcodes keep their content only; embeds become
//! their address.

use super::msgid::{self, Message};
use crate::model::{Block, BlockKind, Footnote, Inline};

/// Gives the Markdown of a segment: its translation, or the source.
pub trait Segments {
    /// The text of inline content (a message with numbered references).
    fn inlines(&mut self, message: &Message) -> String;
    /// A plain string (alt text, a title).
    fn plain(&mut self, text: &str) -> String;
}

/// `blocks` and `footnotes` as a Markdown body.
pub fn body(blocks: &[Block], footnotes: &[Footnote], seg: &mut dyn Segments) -> String {
    let mut out = String::new();
    write_blocks(blocks, seg, &mut out);
    for note in footnotes {
        let mut text = String::new();
        write_blocks(&note.blocks, seg, &mut text);
        let text = indent(text.trim_end(), "    ");
        out.push_str(&format!("[^{}]: {}\n\n", note.label, text.trim_start()));
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

/// The message text with its numbered references written as inline
/// links to their targets (`[FAQ][1]` → `[FAQ](/about/faq/)`), outside
/// code spans.
pub fn inline_links(text: &str, targets: &[String]) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
            continue;
        }
        let mut rest = part;
        while let Some(at) = rest.find("][") {
            let after = &rest[at + 2..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let number = after.get(..digits).and_then(|d| d.parse::<usize>().ok());
            match number
                .filter(|_| after.as_bytes().get(digits) == Some(&b']'))
                .and_then(|n| targets.get(n.wrapping_sub(1)))
            {
                Some(target) => {
                    out.push_str(&rest[..at]);
                    out.push_str(&format!("]({target})"));
                    rest = &after[digits + 1..];
                }
                None => {
                    out.push_str(&rest[..at + 2]);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
    }
    out
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 || l.is_empty() {
                l.to_string()
            } else {
                format!("{prefix}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn write_blocks(blocks: &[Block], seg: &mut dyn Segments, out: &mut String) {
    for b in blocks {
        write_block(b, seg, out);
    }
}

fn text_of(content: &[Inline], seg: &mut dyn Segments) -> String {
    seg.inlines(&msgid::message(content))
}

/// A shortcode argument, quoted.
fn arg(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn write_block(b: &Block, seg: &mut dyn Segments, out: &mut String) {
    match &b.kind {
        BlockKind::Paragraph { content } => {
            out.push_str(&text_of(content, seg));
            out.push_str("\n\n");
        }
        BlockKind::Heading { level, content, .. } => {
            let hashes = "#".repeat(usize::from((*level).clamp(1, 6)));
            out.push_str(&format!("{hashes} {}\n\n", text_of(content, seg)));
        }
        BlockKind::List { start, items } => {
            for (i, item) in items.iter().enumerate() {
                let mut marker = match start {
                    Some(s) => format!("{}. ", s + i as u64),
                    None => "- ".to_string(),
                };
                if let Some(done) = item.task {
                    marker.push_str(if done { "[x] " } else { "[ ] " });
                }
                let mut inner = String::new();
                write_blocks(&item.blocks, seg, &mut inner);
                let pad = " ".repeat(marker.len());
                out.push_str(&marker);
                out.push_str(&indent(inner.trim_end(), &pad));
                out.push('\n');
            }
            out.push('\n');
        }
        BlockKind::Quote { blocks } => {
            let mut inner = String::new();
            write_blocks(blocks, seg, &mut inner);
            for line in inner.trim_end().lines() {
                out.push_str(if line.is_empty() { ">" } else { "> " });
                out.push_str(line);
                out.push('\n');
            }
            out.push('\n');
        }
        BlockKind::Code { lang, text } => {
            let fence = if text.contains("```") { "~~~~" } else { "```" };
            let text = text.strip_suffix('\n').unwrap_or(text);
            out.push_str(&format!(
                "{fence}{}\n{text}\n{fence}\n\n",
                lang.as_deref().unwrap_or("")
            ));
        }
        BlockKind::Table(t) => write_table(t, seg, out),
        BlockKind::Rule => out.push_str("---\n\n"),
        BlockKind::Figure(f) => write_figure(f, seg, out),
        BlockKind::Container { blocks, .. } => write_blocks(blocks, seg, out),
        BlockKind::Details {
            summary, blocks, ..
        } => {
            let summary = text_of(summary, seg);
            out.push_str(&format!("{{{{< details summary={} >}}}}\n", arg(&summary)));
            let mut inner = String::new();
            write_blocks(blocks, seg, &mut inner);
            out.push_str(inner.trim_end());
            out.push_str("\n{{< /details >}}\n\n");
        }
        BlockKind::Embed(e) => out.push_str(&format!("<{}>\n\n", e.url)),
        BlockKind::Qr(q) => {
            let mut args = vec![format!("text={}", arg(&q.text))];
            if let Some(alt) = q.alt.as_deref().filter(|a| !a.is_empty()) {
                args.push(format!("alt={}", arg(&seg.plain(alt))));
            }
            out.push_str(&format!("{{{{< qr {} />}}}}\n\n", args.join(" ")));
        }
    }
}

/// A pipe table, each cell through `seg`.
fn write_table(t: &crate::model::Table, seg: &mut dyn Segments, out: &mut String) {
    let cell = |c: &[Inline], seg: &mut dyn Segments| {
        text_of(c, seg).replace('|', "\\|").replace('\n', " ")
    };
    let head: Vec<String> = t.head.iter().map(|c| cell(c, seg)).collect();
    out.push_str(&format!("| {} |\n", head.join(" | ")));
    let rule: Vec<&str> = t
        .align
        .iter()
        .map(|a| match a {
            crate::model::Align::Left => ":---",
            crate::model::Align::Center => ":---:",
            crate::model::Align::Right => "---:",
            crate::model::Align::None => "---",
        })
        .collect();
    out.push_str(&format!("| {} |\n", rule.join(" | ")));
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c, seg)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out.push('\n');
}

/// Hugo's `figure` shortcode with the translated alt, title and caption.
fn write_figure(f: &crate::model::Figure, seg: &mut dyn Segments, out: &mut String) {
    let mut args = vec![format!("src={}", arg(&f.src))];
    if let Some(alt) = f.alt.as_deref().filter(|a| !a.is_empty()) {
        args.push(format!("alt={}", arg(&seg.plain(alt))));
    }
    if let Some(title) = f.title.as_deref().filter(|t| !t.is_empty()) {
        args.push(format!("title={}", arg(&seg.plain(title))));
    }
    if !f.caption.is_empty() {
        args.push(format!("caption={}", arg(&text_of(&f.caption, seg))));
    }
    if let Some(link) = &f.link {
        args.push(format!("link={}", arg(&link.href)));
    }
    out.push_str(&format!("{{{{< figure {} >}}}}\n\n", args.join(" ")));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_become_inline_links_outside_code() {
        let targets = vec!["/faq/".to_string(), "/logo.png".to_string()];
        assert_eq!(
            inline_links("See [FAQ][1], ![logo][2] and `a][1]`.", &targets),
            "See [FAQ](/faq/), ![logo](/logo.png) and `a][1]`."
        );
        assert_eq!(inline_links("[x][9] [y][z]", &targets), "[x][9] [y][z]");
    }
}
