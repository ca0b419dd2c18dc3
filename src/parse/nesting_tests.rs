//! The nesting cap, kind by kind: the model never lies deeper than
//! `Limits::nesting`, no word is lost, the page gets one warning naming
//! the first line past the limit, and what follows a flattened part is
//! back at its own level.

use super::markdown::{ParseOptions, ParsedBody, parse_body};
use crate::diag::Diagnostics;
use crate::limits::Limits;
use crate::model::{Block, BlockKind, Inline, inlines_text};
use std::path::Path;

fn parse_limited(body: &str, nesting: usize) -> (ParsedBody, Diagnostics) {
    let options = ParseOptions {
        limits: Limits {
            nesting,
            ..Limits::default()
        },
        ..ParseOptions::default()
    };
    let mut diags = Diagnostics::default();
    let parsed = parse_body(body, 1, Path::new("page.md"), &options, &mut diags)
        .unwrap_or_else(|e| panic!("parse failed: {e}"));
    (parsed, diags)
}

/// Levels as the builder counts them: a quote, div or list (with its
/// items) is one, and so is each inline container.
fn depth(blocks: &[Block]) -> usize {
    blocks.iter().map(block_depth).max().unwrap_or(0)
}

fn block_depth(b: &Block) -> usize {
    match &b.kind {
        BlockKind::Quote { blocks } | BlockKind::Container { blocks, .. } => 1 + depth(blocks),
        BlockKind::List { items, .. } => {
            1 + items.iter().map(|i| depth(&i.blocks)).max().unwrap_or(0)
        }
        BlockKind::Paragraph { content } | BlockKind::Heading { content, .. } => {
            inline_depth(content)
        }
        BlockKind::Table(t) => t
            .head
            .iter()
            .chain(t.rows.iter().flatten())
            .map(|c| inline_depth(c))
            .max()
            .unwrap_or(0),
        BlockKind::Figure(f) => inline_depth(&f.caption),
        BlockKind::Details {
            summary, blocks, ..
        } => 1 + depth(blocks).max(inline_depth(summary)),
        BlockKind::Code { .. } | BlockKind::Rule | BlockKind::Embed(_) | BlockKind::Qr(_) => 0,
    }
}

fn inline_depth(inlines: &[Inline]) -> usize {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Strike { content }
            | Inline::Sup { content }
            | Inline::Sub { content }
            | Inline::Span { content, .. }
            | Inline::Link { content, .. } => 1 + inline_depth(content),
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}

/// Every word of the page's blocks and footnotes, in order.
fn text(parsed: &ParsedBody) -> String {
    fn walk(blocks: &[Block], out: &mut String) {
        for b in blocks {
            match &b.kind {
                BlockKind::Quote { blocks } | BlockKind::Container { blocks, .. } => {
                    walk(blocks, out)
                }
                BlockKind::List { items, .. } => {
                    for i in items {
                        walk(&i.blocks, out);
                    }
                }
                BlockKind::Paragraph { content } | BlockKind::Heading { content, .. } => {
                    out.push_str(&inlines_text(content));
                    out.push(' ');
                }
                BlockKind::Code { text, .. } => out.push_str(text),
                _ => {}
            }
        }
    }
    let mut out = String::new();
    walk(&parsed.blocks, &mut out);
    for f in &parsed.footnotes {
        walk(&f.blocks, &mut out);
    }
    out
}

/// The one nesting warning: its line.
fn warned_line(diags: &Diagnostics) -> Option<u32> {
    let warnings: Vec<_> = diags
        .items
        .iter()
        .filter(|d| d.message.contains("nested more than"))
        .collect();
    assert!(warnings.len() <= 1, "one warning per page: {warnings:#?}");
    warnings.first().map(|d| d.line)
}

/// Each kind, 500 levels deep from line 3: capped at 64, the deepest words
/// kept, the warning on the line where level 65 opens (an HTML block's
/// tags all count as on its first line).
#[test]
fn every_kind_is_capped_at_the_limit_without_losing_words() {
    let n = 500;
    let cases: Vec<(&str, String)> = vec![
        ("quotes", format!("{} deepest words\n", ">".repeat(n))),
        ("bullets", format!("{}deepest words\n", "- ".repeat(n))),
        ("ordered", format!("{}deepest words\n", "1. ".repeat(n))),
        (
            "divs",
            format!(
                "{}deepest words\n{}",
                "<div>\n".repeat(n),
                "</div>\n".repeat(n)
            ),
        ),
        (
            "inline divs",
            format!("{}deepest words{}\n", "<div>".repeat(n), "</div>".repeat(n)),
        ),
        (
            "spans",
            format!(
                "x {}deepest words{}\n",
                "<span>".repeat(n),
                "</span>".repeat(n)
            ),
        ),
        (
            "html inlines",
            format!(
                "x {}deepest words\n",
                "<em><sup><a href='/x'><b><sub><s><i><strong>".repeat(n / 8)
            ),
        ),
        (
            "emphasis",
            format!("{}deepest words{}\n", "*".repeat(n), "*".repeat(n)),
        ),
        (
            "mixed emphasis",
            format!("{}deepest words{}\n", "*a _".repeat(n), "_ b*".repeat(n)),
        ),
        (
            "strikes",
            format!("{}deepest words{}\n", "~~a ".repeat(n), " b~~".repeat(n)),
        ),
        (
            "images in image alt text",
            format!("{}deepest words{}\n", "![".repeat(n), "](/x.png)".repeat(n)),
        ),
        (
            "paired shortcodes",
            format!(
                "{}deepest words\n{}",
                "{{< box >}}\n".repeat(n),
                "{{< /box >}}\n".repeat(n)
            ),
        ),
        (
            "inline shortcodes",
            format!(
                "{}deepest words{}\n",
                "{{% box %}}".repeat(n),
                "{{% /box %}}".repeat(n)
            ),
        ),
        (
            "footnote",
            format!("see[^a]\n\n[^a]: {} deepest words\n", ">".repeat(n)),
        ),
        (
            "everything",
            format!(
                "{}deepest words\n",
                "{{< box >}}\n<div>\n\n> - *a <span>[b ".repeat(n / 5)
            ),
        ),
    ];
    for (what, body) in cases {
        let body = format!("\n\n{body}");
        let (parsed, diags) = parse_limited(&body, 64);
        let d = depth(&parsed.blocks).max(
            parsed
                .footnotes
                .iter()
                .map(|f| depth(&f.blocks))
                .max()
                .unwrap_or(0),
        );
        assert!(d <= 64, "{what}: depth {d}");
        // Images are leaves: the nested ones become alt text.
        assert!(
            d >= 60 || what.starts_with("images"),
            "{what}: the levels up to the limit stay: depth {d}"
        );
        assert!(
            text(&parsed).contains("deepest words"),
            "{what}: {}",
            text(&parsed)
        );
        // Shortcodes stand on lines of their own: the 65th opens on line
        // 67; the footnote is defined on line 5.
        let line = match what {
            "paired shortcodes" => 67,
            "footnote" => 5,
            // Levels open a few per line: somewhere past the start.
            "everything" => warned_line(&diags).filter(|&l| l > 3).unwrap_or(3),
            _ => 3,
        };
        assert_eq!(
            warned_line(&diags),
            Some(line),
            "{what}: {:#?}",
            diags.items
        );
    }
}

#[test]
fn links_in_links_are_text_and_need_no_cap() {
    // CommonMark: the innermost bracket pair is the link, the rest text.
    let body = format!(
        "{}deepest words{}\n",
        "[".repeat(5000),
        "](/x)".repeat(5000)
    );
    let (parsed, diags) = parse_limited(&body, 64);
    assert_eq!(depth(&parsed.blocks), 1);
    assert!(text(&parsed).contains("deepest words"));
    assert_eq!(warned_line(&diags), None);
}

#[test]
fn the_limit_itself_is_kept_and_one_more_is_flattened() {
    for n in [1, 10, 64] {
        let (parsed, diags) = parse_limited(&format!("{} in\n", ">".repeat(n)), 64);
        assert_eq!(depth(&parsed.blocks), n);
        assert_eq!(warned_line(&diags), None);
    }
    let (parsed, diags) = parse_limited(&format!("{} in\n", ">".repeat(65)), 64);
    assert_eq!(depth(&parsed.blocks), 64);
    assert_eq!(warned_line(&diags), Some(1));
    // A list and its items are one level; so is an emphasis.
    let body = format!("{}*x*\n", "- ".repeat(63));
    let (parsed, diags) = parse_limited(&body, 64);
    assert_eq!(depth(&parsed.blocks), 64);
    assert_eq!(warned_line(&diags), None);
}

#[test]
fn what_follows_a_flattened_part_is_back_at_its_level() {
    let cases = [
        format!("{} deep\n\nafter\n", ">".repeat(200)),
        format!("{}deep\n\nafter\n", "- ".repeat(200)),
        format!(
            "{}deep\n{}\nafter\n",
            "<div>\n".repeat(200),
            "</div>\n".repeat(200)
        ),
        format!(
            "{}deep\n{}\nafter\n",
            "{{< box >}}\n".repeat(200),
            "{{< /box >}}\n".repeat(200)
        ),
    ];
    for body in &cases {
        let (parsed, _) = parse_limited(body, 16);
        assert!(depth(&parsed.blocks) <= 16);
        let last = parsed.blocks.last().map(|b| &b.kind);
        assert!(
            matches!(last, Some(BlockKind::Paragraph { content }) if inlines_text(content) == "after"),
            "{body:.40}: {last:?}"
        );
    }
    // Inline: the text after deep emphasis is plain, in the same paragraph.
    let (parsed, _) = parse_limited(
        &format!("{}deep{} after\n", "*".repeat(100), "*".repeat(100)),
        8,
    );
    let BlockKind::Paragraph { content } = &parsed.blocks[0].kind else {
        panic!("{:?}", parsed.blocks)
    };
    assert!(
        matches!(content.last(), Some(Inline::Text { text }) if text == " after"),
        "{content:?}"
    );
    // HTML closes what it opened past the limit, not the levels kept.
    let (parsed, _) = parse_limited(
        &format!(
            "<div>\n{}x{}\n</div>\n\nafter\n",
            "<span>".repeat(50),
            "</span>".repeat(50)
        ),
        4,
    );
    assert!(matches!(
        &parsed.blocks[0].kind,
        BlockKind::Container { .. }
    ));
    assert!(matches!(
        &parsed.blocks[1].kind,
        BlockKind::Paragraph { .. }
    ));
}

#[test]
fn shortcode_content_is_cut_where_it_lands() {
    // The shortcode's own content is 10 levels deep; it lands 60 down.
    let body = format!(
        "{} {{{{< box >}}}}\n{} inner\n{{{{< /box >}}}}\n",
        ">".repeat(60),
        ">".repeat(10)
    );
    let (parsed, diags) = parse_limited(&body, 64);
    assert!(depth(&parsed.blocks) <= 64, "{}", depth(&parsed.blocks));
    assert!(text(&parsed).contains("inner"));
    assert!(warned_line(&diags).is_some());
    // Inline shortcode content inside deep emphasis.
    let body = format!(
        "{}a {{{{% box %}}}}*b **c***{{{{% /box %}}}}{}\n",
        "*".repeat(120),
        "*".repeat(120)
    );
    let (parsed, _) = parse_limited(&body, 6);
    assert!(depth(&parsed.blocks) <= 6);
    assert!(text(&parsed).contains('c'));
}

#[test]
fn a_limit_of_zero_keeps_every_word_flat() {
    let body = "> - *a* <span>b</span> [c](/x)\n>\n> {{< box >}}\n> d\n> {{< /box >}}\n";
    let (parsed, diags) = parse_limited(body, 0);
    assert_eq!(depth(&parsed.blocks), 0);
    let words = text(&parsed);
    for w in ["a", "b", "c", "d"] {
        assert!(words.contains(w), "{w} in {words}");
    }
    assert_eq!(warned_line(&diags), Some(1));
}

#[test]
fn stray_closers_and_task_markers_do_not_disturb_the_cap() {
    // Closers that match nothing, past the limit, in bulk.
    let body = format!(
        "{}- [x] task\n\n{}text{}\n",
        "- ".repeat(30),
        "<span>".repeat(40),
        "</div></em></span>".repeat(400)
    );
    let (parsed, _) = parse_limited(&body, 8);
    assert!(depth(&parsed.blocks) <= 8);
    let words = text(&parsed);
    assert!(words.contains("task") && words.contains("text"), "{words}");
}
