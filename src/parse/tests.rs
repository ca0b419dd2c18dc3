//! Tests of the whole body parser: Markdown to model, shortcodes as typed
//! nodes, raw HTML, ids, and the real corpus without losing a word.

use super::html;
use super::markdown::{ParseOptions, ParsedBody, parse_body};
use crate::config::ShortcodeAction;
use crate::diag::{Diagnostics, Severity};
use crate::model::{Align, Block, BlockKind, Inline, LinkTarget, Span, inlines_text};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub(super) fn parse_with(
    body: &str,
    first_line: u32,
    options: &ParseOptions,
) -> (ParsedBody, Diagnostics) {
    let mut diags = Diagnostics::default();
    let parsed = parse_body(body, first_line, Path::new("page.md"), options, &mut diags)
        .unwrap_or_else(|e| panic!("parse failed: {e}"));
    (parsed, diags)
}

pub(super) fn parse(body: &str) -> Vec<Block> {
    parse_with(body, 1, &ParseOptions::default()).0.blocks
}

pub(super) fn para_text(b: &Block) -> String {
    match &b.kind {
        BlockKind::Paragraph { content } => inlines_text(content),
        other => panic!("not a paragraph: {other:?}"),
    }
}

#[test]
fn headings_get_unique_anchors_and_custom_ids_win() {
    let blocks = parse("# FAQ\n\n## FAQ\n\n## FAQ {#own .wide}\n\n### FAQ\n\n## What's new?\n");
    let anchors: Vec<(u8, String)> = blocks
        .iter()
        .map(|b| match &b.kind {
            BlockKind::Heading { level, anchor, .. } => (*level, anchor.clone()),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        anchors,
        vec![
            (1, "faq".into()),
            (2, "faq-1".into()),
            (2, "own".into()),
            (3, "faq-2".into()),
            (2, "whats-new".into())
        ]
    );
    assert!(
        matches!(&blocks[2].kind, BlockKind::Heading { classes, content, .. } if classes == &["wide"] && inlines_text(content) == "FAQ")
    );
}

#[test]
fn nested_and_task_lists_hold_paragraphs() {
    let blocks = parse("1. one\n2. two\n   - a\n   - b\n\n- [x] done\n- [ ] open\n");
    let BlockKind::List { start, items } = &blocks[0].kind else {
        panic!("{blocks:?}")
    };
    assert_eq!(*start, Some(1));
    assert_eq!(items.len(), 2);
    assert_eq!(para_text(&items[0].blocks[0]), "one");
    let BlockKind::List {
        start: None,
        items: inner,
    } = &items[1].blocks[1].kind
    else {
        panic!("{items:?}")
    };
    assert_eq!(para_text(&inner[1].blocks[0]), "b");
    let BlockKind::List { items: tasks, .. } = &blocks[1].kind else {
        panic!("{blocks:?}")
    };
    assert_eq!(tasks[0].task, Some(true));
    assert_eq!(tasks[1].task, Some(false));
    assert_eq!(para_text(&tasks[1].blocks[0]), "open");
}

#[test]
fn table_with_alignment() {
    let blocks = parse("| A | B |\n|:--|--:|\n| 1 | *2* |\n| 3 | 4 |\n");
    let BlockKind::Table(t) = &blocks[0].kind else {
        panic!("{blocks:?}")
    };
    assert_eq!(t.align, vec![Align::Left, Align::Right]);
    assert_eq!(t.head.len(), 2);
    assert_eq!(inlines_text(&t.head[1]), "B");
    assert_eq!(t.rows.len(), 2);
    assert!(matches!(&t.rows[0][1][0], Inline::Emph { .. }));
}

#[test]
fn footnotes_numbered_by_first_reference() {
    let body = "B[^b] then A[^a] and B[^b] again, C[^none].\n\n[^a]: Note A.\n[^b]: Note B.\n";
    let (parsed, diags) = parse_with(body, 1, &ParseOptions::default());
    let nums: Vec<(String, u32)> = parsed
        .footnotes
        .iter()
        .map(|f| (f.label.clone(), f.number))
        .collect();
    assert_eq!(nums, vec![("b".into(), 1), ("a".into(), 2)]);
    assert_eq!(para_text(&parsed.footnotes[1].blocks[0]), "Note A.");
    let text = para_text(&parsed.blocks[0]);
    assert!(text.starts_with("B[1] then A[2] and B[1]"), "{text}");
    // pulldown-cmark leaves an undefined reference as text or a reference;
    // either way no number is invented for it.
    assert!(!text.contains("[3]"));
    let msgs: Vec<&str> = diags.items.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        msgs,
        vec!["footnote `none` is referenced but never defined"]
    );
}

#[test]
fn inline_styles_code_quote_rule() {
    let blocks = parse(
        "~~gone~~ **bold** _em_ `code` [l](https://x.org \"T\")  \nnext\n\n> quoted\n\n---\n\n```rust\nfn x() {}\n```\n\n    indented\n",
    );
    let BlockKind::Paragraph { content } = &blocks[0].kind else {
        panic!()
    };
    assert!(matches!(&content[0], Inline::Strike { .. }));
    assert!(matches!(&content[2], Inline::Strong { .. }));
    assert!(
        content
            .iter()
            .any(|i| matches!(i, Inline::Code { text } if text == "code"))
    );
    assert!(content.iter().any(|i| matches!(i, Inline::Link { link, title: Some(t), .. } if link.href == "https://x.org" && link.target == LinkTarget::Unresolved && t == "T")));
    assert!(content.iter().any(|i| matches!(i, Inline::LineBreak)));
    assert!(
        matches!(&blocks[1].kind, BlockKind::Quote { blocks } if para_text(&blocks[0]) == "quoted")
    );
    assert!(matches!(blocks[2].kind, BlockKind::Rule));
    assert!(
        matches!(&blocks[3].kind, BlockKind::Code { lang: Some(l), text } if l == "rust" && text == "fn x() {}\n")
    );
    assert!(
        matches!(&blocks[4].kind, BlockKind::Code { lang: None, text } if text == "indented\n")
    );
}

#[test]
fn adjacent_text_is_merged_and_images_stay_inline() {
    let blocks = parse("a [b c] d\n\n![alt *x*](/i.png \"t\")\n");
    let BlockKind::Paragraph { content } = &blocks[0].kind else {
        panic!()
    };
    assert_eq!(content.len(), 1, "{content:?}");
    let BlockKind::Paragraph { content } = &blocks[1].kind else {
        panic!("{blocks:?}")
    };
    assert!(
        matches!(&content[0], Inline::Image { src, alt, title: Some(t), .. } if src == "/i.png" && alt == "alt x" && t == "t")
    );
}

#[test]
fn spans_are_file_lines() {
    let blocks = parse_with(
        "# T\n\npara\ngraph\n\n{{< figure src=\"a.png\"\n  caption=\"c\" >}}\n\n- x\n",
        10,
        &ParseOptions::default(),
    )
    .0
    .blocks;
    let spans: Vec<Span> = blocks.iter().map(|b| b.span).collect();
    assert_eq!(
        spans[0],
        Span {
            line: 10,
            end_line: 10
        }
    );
    assert_eq!(
        spans[1],
        Span {
            line: 12,
            end_line: 13
        }
    );
    assert_eq!(
        spans[2],
        Span {
            line: 15,
            end_line: 16
        }
    );
    assert_eq!(spans[3].line, 18);
}

#[test]
fn figure_is_typed_with_caption_inlines() {
    let blocks = parse(
        "{{< figure src=\"/images/x.svg\" alt=\"X\" caption=\"The *XSF* [site](https://xmpp.org)\" link=\"/about/\" class=\"w-100\" width=\"300\" >}}\n",
    );
    let BlockKind::Figure(f) = &blocks[0].kind else {
        panic!("{blocks:?}")
    };
    assert_eq!(f.src, "/images/x.svg");
    assert_eq!(f.alt.as_deref(), Some("X"));
    assert_eq!(f.class.as_deref(), Some("w-100"));
    assert_eq!(f.width.as_deref(), Some("300"));
    assert_eq!(f.link.as_ref().map(|l| l.href.as_str()), Some("/about/"));
    assert!(matches!(&f.caption[1], Inline::Emph { .. }));
    assert!(matches!(&f.caption[3], Inline::Link { .. }));
    assert_eq!(inlines_text(&f.caption), "The XSF site");
    assert!(blocks[0].id.starts_with("fig-"));
}

#[test]
fn unknown_shortcodes_warn_and_follow_defaults() {
    let body = "Intro {{< badge >}} text.\n\n{{< teams team_name=\"x\" >}}\n\n{{< row classes=\"a b\" >}}\nInside **row**.\n{{< /row >}}\n";
    let (parsed, diags) = parse_with(body, 5, &ParseOptions::default());
    let msgs: Vec<String> = diags
        .items
        .iter()
        .map(|d| format!("{}:{}", d.line, d.message))
        .collect();
    let note = "is not supported: shown as a note pointing to the page on the website";
    assert_eq!(
        msgs,
        vec![
            format!("5:shortcode `badge` {note}"),
            format!("7:shortcode `teams` {note}"),
            "9:shortcode `row` is not supported: kept its inner content".to_string(),
        ]
    );
    assert!(diags.items.iter().all(|d| d.severity == Severity::Warning));
    let blocks = parsed.blocks;
    assert_eq!(blocks.len(), 3, "{blocks:?}");
    // Inside a line the note is inline; alone it is a block of its own.
    assert_eq!(para_text(&blocks[0]), "Intro (shown on the website) text.");
    assert!(matches!(
        &blocks[1].kind,
        BlockKind::Container { origin, classes, .. } if origin == "shortcode:teams" && classes == &["web-only"]
    ));
    let BlockKind::Container {
        origin,
        classes,
        blocks: inner,
    } = &blocks[2].kind
    else {
        panic!("{blocks:?}")
    };
    assert_eq!(origin, "shortcode:row");
    assert_eq!(classes, &["a", "b"]);
    assert_eq!(para_text(&inner[0]), "Inside row.");
    assert_eq!(inner[0].span.line, 10);
}

#[test]
fn configured_shortcodes_do_not_warn() {
    let mut options = ParseOptions::default();
    options
        .shortcodes
        .insert("mermaid".into(), ShortcodeAction::Code);
    options
        .shortcodes
        .insert("row".into(), ShortcodeAction::Drop);
    options
        .shortcodes
        .insert("badge".into(), ShortcodeAction::Text("**new**".into()));
    options
        .shortcodes
        .insert("note".into(), ShortcodeAction::Inner);
    let body = "{{< mermaid >}}\ngraph TD\n  A-->B\n{{< /mermaid >}}\n\n{{< row >}}gone{{< /row >}}\n\nSee {{< badge >}} here.\n\n{{% note %}}kept{{% /note %}}\n";
    let (parsed, diags) = parse_with(body, 1, &options);
    assert!(diags.is_empty(), "{diags:?}");
    let b = parsed.blocks;
    assert!(
        matches!(&b[0].kind, BlockKind::Code { lang: Some(l), text } if l == "mermaid" && text == "graph TD\n  A-->B")
    );
    assert_eq!(b.len(), 3, "{b:?}");
    let BlockKind::Paragraph { content } = &b[1].kind else {
        panic!("{b:?}")
    };
    assert!(matches!(&content[1], Inline::Strong { .. }));
    assert_eq!(inlines_text(content), "See new here.");
    assert!(
        matches!(&b[2].kind, BlockKind::Container { origin, blocks, .. } if origin == "shortcode:note" && para_text(&blocks[0]) == "kept")
    );
}

#[test]
fn escaped_and_code_shortcodes_stay_text() {
    let blocks = parse(
        "Write {{</* figure src=\"x\" */>}} like this, or `{{< b >}}`.\n\n```\n{{< c >}}\n```\n",
    );
    assert_eq!(
        para_text(&blocks[0]),
        "Write {{< figure src=\"x\" >}} like this, or {{< b >}}."
    );
    assert!(matches!(&blocks[1].kind, BlockKind::Code { text, .. } if text == "{{< c >}}\n"));
}

#[test]
fn unterminated_shortcode_is_error_with_line() {
    let mut diags = Diagnostics::default();
    let err = parse_body(
        "text\n\n  {{< teams a=\"b\"\n\nmore\n",
        4,
        Path::new("p.md"),
        &ParseOptions::default(),
        &mut diags,
    )
    .err()
    .map(|e| (e.line, e.column, e.message));
    assert_eq!(
        err,
        Some((6, 3, "unterminated shortcode `teams`".to_string()))
    );
}

#[test]
fn raw_html_maps_to_model() {
    let blocks = parse(
        "Press <kbd>Ctrl</kbd> or <a href=\"https://x.org\">this <b>link</b></a><br>next <stream:stream> <mytag>x</mytag> end.\n\n<div class=\"note big\">\n<p>Inside &amp; <em>div</em></p>\n</div>\n\n<!-- hidden -->\n",
    );
    let BlockKind::Paragraph { content } = &blocks[0].kind else {
        panic!("{blocks:?}")
    };
    assert_eq!(
        inlines_text(content),
        "Press Ctrl or this link\nnext stream:stream <mytag>x</mytag> end."
    );
    assert!(content.iter().any(|i| matches!(i, Inline::Link { link, content, .. } if link.href == "https://x.org" && matches!(content[1], Inline::Strong { .. }))));
    assert!(content.iter().any(|i| matches!(i, Inline::LineBreak)));
    assert_eq!(blocks.len(), 2, "{blocks:?}");
    let BlockKind::Container {
        origin,
        classes,
        blocks: inner,
    } = &blocks[1].kind
    else {
        panic!("{blocks:?}")
    };
    assert_eq!(origin, "div");
    assert_eq!(classes, &["note", "big"]);
    let BlockKind::Paragraph { content } = &inner[0].kind else {
        panic!("{inner:?}")
    };
    assert_eq!(inlines_text(content), "Inside & div");
    assert!(matches!(&content[1], Inline::Emph { .. }));
}

#[test]
fn embedded_html_warns() {
    let (parsed, diags) = parse_with(
        "<iframe src=\"x\"></iframe>\n\ntext\n",
        2,
        &ParseOptions::default(),
    );
    assert_eq!(diags.items.len(), 1);
    assert_eq!(diags.items[0].line, 2);
    assert!(diags.items[0].message.contains("`<iframe>`"));
    assert_eq!(parsed.blocks.len(), 1);
}

#[test]
fn html_div_around_markdown_and_lists() {
    let blocks = parse(
        "<div>\n\n**md** inside\n\n</div>\n\n<ul><li>one</li><li>two <img src=\"a.png\" alt=\"A\"></li></ul>\n",
    );
    let BlockKind::Container { blocks: inner, .. } = &blocks[0].kind else {
        panic!("{blocks:?}")
    };
    assert_eq!(
        para_text(inner.first().unwrap_or_else(|| panic!("{blocks:#?}"))),
        "md inside"
    );
    let BlockKind::List { items, .. } = &blocks[1].kind else {
        panic!("{blocks:?}")
    };
    assert_eq!(items.len(), 2);
    assert_eq!(para_text(&items[1].blocks[0]), "two A");
}

#[test]
fn html_blocks_have_spans_and_inline_p_keeps_words_apart() {
    let blocks =
        parse("text\n\n<div class=\"a\">\nline one\n<b>two</b>\n</div>\n\nbefore<p>after</p>\n");
    assert!(
        matches!(&blocks[1].kind, BlockKind::Container { blocks, .. } if para_text(&blocks[0]) == "line one two")
    );
    assert_eq!(
        blocks[1].span,
        Span {
            line: 3,
            end_line: 6
        }
    );
    assert_eq!(para_text(&blocks[2]), "before after");
}

#[test]
fn stray_closer_warns_and_list_items_hold_shortcodes() {
    let (parsed, diags) = parse_with(
        "- item {{< figure src=\"a.png\" >}}\n\n{{< /row >}}\n",
        3,
        &ParseOptions::default(),
    );
    assert_eq!(diags.items.len(), 1);
    assert_eq!(diags.items[0].line, 5);
    assert!(diags.items[0].message.contains("`row` has no opening one"));
    let BlockKind::List { items, .. } = &parsed.blocks[0].kind else {
        panic!()
    };
    assert_eq!(para_text(&items[0].blocks[0]), "item");
    assert!(matches!(&items[0].blocks[1].kind, BlockKind::Figure(f) if f.src == "a.png"));
}

#[test]
fn duplicate_custom_anchors_stay_unique() {
    let blocks = parse("## A {#x}\n\n## B {#x}\n\n## x\n");
    let anchors: Vec<&str> = blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Heading { anchor, .. } => Some(anchor.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(anchors, vec!["x", "x-1", "x-2"]);
}

#[test]
fn odd_input_never_panics() {
    let inputs = [
        "",
        "\n\n",
        "<a",
        "<a href=\"x",
        "</div></div>",
        "<div><div>x",
        "[^",
        "[^]",
        "\u{E000}0\u{E001}",
        "\u{E000}9\u{E001} {{< a >}}",
        "{{< /row >}}",
        "{{< a />}}{{< /a >}}",
        "é{{< b >}}ü",
        "```\n{{< x",
        "> - [ ] <b>x",
        "| a |\n|---|\n| <br> |",
        "* {{< row >}}\n  - y\n{{< /row >}}",
        "`` ` ``{{% n %}}",
        "&#xD800; &#99999999; &",
        "<img src=x alt=\"ä\"/>",
    ];
    for input in inputs {
        let mut diags = Diagnostics::default();
        let _ = parse_body(
            input,
            1,
            Path::new("p.md"),
            &ParseOptions::default(),
            &mut diags,
        );
    }
}

#[test]
fn inline_percent_shortcode_inner_stays_inline() {
    let blocks = parse("Say {{% hl %}}*hi*{{% /hl %}} now.\n");
    assert_eq!(blocks.len(), 1, "{blocks:?}");
    let BlockKind::Paragraph { content } = &blocks[0].kind else {
        panic!("{blocks:?}")
    };
    assert_eq!(inlines_text(content), "Say hi now.");
    assert!(matches!(&content[1], Inline::Emph { .. }));
}

#[test]
fn block_ids_are_stable_and_unique() {
    let a = parse("Same.\n\nSame.\n\n- Same.\n\n> Same.\n");
    let b = parse("New first.\n\nSame.\n\nSame.\n\n- Same.\n\n> Same.\n");
    assert_eq!(a[0].id, b[1].id);
    assert!(
        a[0].id.starts_with("p-") && a[0].id.len() == 10,
        "{}",
        a[0].id
    );
    assert_eq!(a[1].id, format!("{}-2", a[0].id));
    let mut ids = HashSet::new();
    collect_ids(&a, &mut ids);
    assert_eq!(ids.len(), 6);
}

fn collect_ids(blocks: &[Block], ids: &mut HashSet<String>) {
    for b in blocks {
        assert!(ids.insert(b.id.clone()), "duplicate id {}", b.id);
        match &b.kind {
            BlockKind::Quote { blocks } | BlockKind::Container { blocks, .. } => {
                collect_ids(blocks, ids)
            }
            BlockKind::List { items, .. } => items.iter().for_each(|i| collect_ids(&i.blocks, ids)),
            _ => {}
        }
    }
}

/// Every span lies inside the body and starts before it ends.
fn check_spans(blocks: &[Block], first: u32, last: u32, file: &Path) {
    for b in blocks {
        let Span { line, end_line } = b.span;
        assert!(
            first <= line && line <= end_line && end_line <= last,
            "{}: span {line}..{end_line} outside {first}..{last} for {}",
            file.display(),
            b.id
        );
        match &b.kind {
            BlockKind::Quote { blocks } | BlockKind::Container { blocks, .. } => {
                check_spans(blocks, first, last, file)
            }
            BlockKind::List { items, .. } => items
                .iter()
                .for_each(|i| check_spans(&i.blocks, first, last, file)),
            _ => {}
        }
    }
}

/// Everything a reader could see of `blocks`, as text: inline text, code,
/// table cells, figure captions and alt, link targets, list numbers.
pub(super) fn flatten(blocks: &[Block], out: &mut String) {
    for b in blocks {
        match &b.kind {
            BlockKind::Paragraph { content } => flatten_inlines(content, out),
            BlockKind::Heading {
                anchor,
                classes,
                content,
                ..
            } => {
                flatten_inlines(content, out);
                out.push_str(&format!(" {anchor} {}", classes.join(" ")));
            }
            BlockKind::List { start, items } => {
                for (n, item) in items.iter().enumerate() {
                    if let Some(s) = start {
                        out.push_str(&format!(" {}. ", s + n as u64));
                    }
                    match item.task {
                        Some(true) => out.push_str(" [x] "),
                        Some(false) => out.push_str(" [ ] "),
                        None => {}
                    }
                    flatten(&item.blocks, out);
                }
            }
            BlockKind::Quote { blocks } => flatten(blocks, out),
            BlockKind::Code { lang, text } => {
                out.push_str(&format!(" {} {text}", lang.as_deref().unwrap_or("")))
            }
            BlockKind::Table(t) => {
                for cell in t.head.iter().chain(t.rows.iter().flatten()) {
                    out.push(' ');
                    flatten_inlines(cell, out);
                }
            }
            BlockKind::Rule => {}
            BlockKind::Figure(f) => {
                out.push_str(&format!(" {} {} ", f.src, f.alt.as_deref().unwrap_or("")));
                flatten_inlines(&f.caption, out);
            }
            BlockKind::Container {
                classes, blocks, ..
            } => {
                out.push_str(&classes.join(" "));
                flatten(blocks, out);
            }
            BlockKind::Details {
                summary, blocks, ..
            } => {
                flatten_inlines(summary, out);
                flatten(blocks, out);
            }
            BlockKind::Embed(e) => out.push_str(&format!(" {} ", e.url)),
            BlockKind::Qr(q) => out.push_str(&format!(" {} ", q.text)),
        }
        out.push('\n');
    }
}

fn flatten_inlines(inlines: &[Inline], out: &mut String) {
    for i in inlines {
        match i {
            Inline::Link {
                link,
                title,
                content,
            } => {
                flatten_inlines(content, out);
                out.push_str(&format!(
                    " {} {} ",
                    link.href,
                    title.as_deref().unwrap_or("")
                ));
            }
            Inline::Image {
                src, alt, title, ..
            } => out.push_str(&format!(" {src} {alt} {} ", title.as_deref().unwrap_or(""))),
            Inline::FootnoteRef { label, .. } => out.push_str(&format!(" {label} ")),
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Strike { content }
            | Inline::Sup { content }
            | Inline::Sub { content }
            | Inline::Span { content, .. } => flatten_inlines(content, out),
            other => out.push_str(&crate::model::inline_text(other)),
        }
    }
}

fn words(text: &str) -> Vec<String> {
    // Emphasis markers and escapes may sit inside a word (`E**x**tensible`,
    // `a\_b`): both sides drop them so the word stays whole.
    let text: String = text
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '~' | '\\'))
        .collect();
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The body with shortcode tags, HTML tags and comments and entities cut
/// out: what is left must all reach the model.
fn expected_text(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    loop {
        let next = ["{{<", "{{%", "<!--", "<", "&"]
            .iter()
            .filter_map(|p| rest.find(p).map(|i| (i, *p)))
            .min_by_key(|(i, p)| (*i, std::cmp::Reverse(p.len())));
        let Some((i, pat)) = next else { break };
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let cut = match pat {
            "{{<" => after.find(">}}").map(|j| j + 3),
            "{{%" => after.find("%}}").map(|j| j + 3),
            "<!--" => after.find("-->").map(|j| j + 3),
            "<" => {
                let name: String = after[1..]
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                if html::is_html_element(&name.to_ascii_lowercase()) {
                    after.find('>').map(|j| j + 1)
                } else {
                    None
                }
            }
            _ => {
                let j = after.find(';').filter(|&j| {
                    j <= 10 && after[1..j].chars().all(|c| c.is_alphanumeric() || c == '#')
                });
                j.map(|j| j + 1)
            }
        };
        match cut {
            Some(n) => {
                out.push(' ');
                rest = &after[n..];
            }
            None => {
                out.push_str(&after[..pat.len()]);
                rest = &after[pat.len()..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            markdown_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
}

/// Crude front matter split: YAML between the first two `---`, or
/// Pelican-style `Key: value` lines up to the first blank line.
fn split_front_matter(text: &str) -> (&str, u32) {
    let mut offset = 0;
    let mut line = 1;
    let mut dashes = 0;
    let pelican = !text.starts_with("---");
    for l in text.split_inclusive('\n') {
        offset += l.len();
        line += 1;
        if pelican {
            if l.trim().is_empty() {
                break;
            }
        } else if l.trim_end() == "---" {
            dashes += 1;
            if dashes == 2 {
                break;
            }
        }
    }
    (&text[offset.min(text.len())..], line)
}

#[test]
fn whole_corpus_parses_without_losing_words() {
    let Some((content, _)) = crate::test_external::corpus() else {
        return;
    };
    let mut files = Vec::new();
    markdown_files(&content, &mut files);
    assert!(files.len() > 100, "corpus too small: {}", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let (body, first_line) = split_front_matter(&text);
        let mut diags = Diagnostics::default();
        let parsed = match parse_body(body, first_line, file, &ParseOptions::default(), &mut diags)
        {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{e}"));
                continue;
            }
        };
        // The configured actions run on the real shortcodes too.
        let mut configured = ParseOptions::default();
        configured
            .shortcodes
            .insert("mermaid".into(), ShortcodeAction::Code);
        configured
            .shortcodes
            .insert("row".into(), ShortcodeAction::Drop);
        configured.shortcodes.insert(
            "teams".into(),
            ShortcodeAction::Text("See *the team*.".into()),
        );
        let mut quiet = Diagnostics::default();
        if let Err(e) = parse_body(body, first_line, file, &configured, &mut quiet) {
            failures.push(format!("configured: {e}"));
        }
        let mut got = String::new();
        flatten(&parsed.blocks, &mut got);
        for f in &parsed.footnotes {
            got.push_str(&format!(" {} ", f.label));
            flatten(&f.blocks, &mut got);
        }
        let have: HashSet<String> = words(&got).into_iter().collect();
        let missing: Vec<String> = words(&expected_text(body))
            .into_iter()
            .filter(|w| !have.contains(w))
            .collect();
        if !missing.is_empty() {
            failures.push(format!("{}: lost {:?}", file.display(), missing));
        }
        let mut ids = HashSet::new();
        collect_ids(&parsed.blocks, &mut ids);
        let last_line = text.lines().count().max(1) as u32;
        check_spans(&parsed.blocks, first_line, last_line, file);
        // FOLIO_DUMP=part-of-a-path prints that page's model and warnings.
        if let Some(want) = std::env::var_os("FOLIO_DUMP")
            && file.to_string_lossy().contains(&*want.to_string_lossy())
        {
            for d in &diags.items {
                eprintln!("{d}");
            }
            eprintln!(
                "{}",
                serde_json::to_string_pretty(&parsed.blocks).unwrap_or_default()
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} files:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
