//! A translation (a msgstr in the Markdown form [`super::msgid`] writes)
//! read back into model inlines: numbered references take the links and
//! images of the source segment (a translator never retypes a URL), an
//! explicit `[text](url)` becomes a link to be resolved, `[^n]` the source's
//! footnote reference.

use crate::model::{Inline, Link, LinkTarget};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// Where a footnote reference's label starts and ends inside text while
/// the msgstr is parsed (private-use characters no message contains).
const FN_OPEN: char = '\u{E000}';
const FN_CLOSE: char = '\u{E001}';
/// The scheme a numbered reference is given while parsing.
const REF: &str = "folio-ref:";

/// The links and images of `inlines`, in the order `msgid` numbers them.
pub fn references(inlines: &[Inline]) -> Vec<Inline> {
    let mut out = Vec::new();
    collect(inlines, &mut out);
    out
}

fn collect(inlines: &[Inline], out: &mut Vec<Inline>) {
    for i in inlines {
        match i {
            Inline::Link { content, .. } => {
                out.push(i.clone());
                collect(content, out);
            }
            Inline::Image { .. } => out.push(i.clone()),
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Strike { content }
            | Inline::Sup { content }
            | Inline::Sub { content }
            | Inline::Span { content, .. } => collect(content, out),
            _ => {}
        }
    }
}

/// The footnote references of `inlines`: label and number.
pub fn footnotes(inlines: &[Inline]) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    notes_in(inlines, &mut out);
    out
}

fn notes_in(inlines: &[Inline], out: &mut Vec<(String, u32)>) {
    for i in inlines {
        match i {
            Inline::FootnoteRef { label, number } => out.push((label.clone(), *number)),
            Inline::Link { content, .. }
            | Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Strike { content }
            | Inline::Sup { content }
            | Inline::Sub { content }
            | Inline::Span { content, .. } => notes_in(content, out),
            _ => {}
        }
    }
}

/// `msgstr` as inlines; `refs` are the source's links and images
/// (numbered from 1), `notes` its footnote references.
pub fn parse(msgstr: &str, refs: &[Inline], notes: &[(String, u32)]) -> Vec<Inline> {
    let marked = mark_footnotes(msgstr);
    let mut callback = |broken: pulldown_cmark::BrokenLink<'_>| {
        let n = broken.reference.trim();
        n.parse::<usize>()
            .ok()
            .map(|n| (CowStr::from(format!("{REF}{n}")), CowStr::from("")))
    };
    let parser = Parser::new_with_broken_link_callback(
        &marked,
        Options::ENABLE_STRIKETHROUGH,
        Some(&mut callback),
    );
    let mut stack: Vec<(Frame, Vec<Inline>)> = vec![(Frame::Root, Vec::new())];
    // Deeper than the parser lets a source nest, markup is dropped (its
    // text kept): the model is walked recursively everywhere.
    let cap = crate::limits::Limits::default().nesting;
    let mut skipped = 0usize;
    for event in parser {
        match event {
            Event::Start(tag) => {
                if let Some(frame) = frame(tag) {
                    if stack.len() > cap {
                        skipped += 1;
                    } else {
                        stack.push((frame, Vec::new()));
                    }
                }
            }
            Event::End(TagEnd::Paragraph) => {}
            Event::End(_) if skipped > 0 => skipped -= 1,
            Event::End(_) => close(&mut stack, refs),
            Event::Text(t) => push_text(top(&mut stack), &t, notes),
            Event::Code(t) => top(&mut stack).push(Inline::Code {
                text: t.to_string(),
            }),
            Event::SoftBreak => top(&mut stack).push(Inline::SoftBreak),
            Event::HardBreak => top(&mut stack).push(Inline::LineBreak),
            Event::InlineHtml(h) => match h.trim() {
                "<sup>" | "<sub>" if stack.len() > cap => skipped += 1,
                "<sup>" => stack.push((Frame::Sup, Vec::new())),
                "<sub>" => stack.push((Frame::Sub, Vec::new())),
                "</sup>" | "</sub>" if skipped > 0 => skipped -= 1,
                "</sup>" | "</sub>" => close(&mut stack, refs),
                other => push_text(top(&mut stack), other, notes),
            },
            other => {
                if let Event::Html(t) | Event::InlineMath(t) | Event::DisplayMath(t) = other {
                    push_text(top(&mut stack), &t, notes);
                }
            }
        }
    }
    while stack.len() > 1 {
        close(&mut stack, refs);
    }
    stack.pop().map(|(_, v)| v).unwrap_or_default()
}

#[derive(Debug)]
enum Frame {
    Root,
    Emph,
    Strong,
    Strike,
    Sup,
    Sub,
    Link {
        dest: String,
        title: String,
    },
    Image {
        dest: String,
    },
    /// A block tag (a translation that is not one paragraph was rejected
    /// before; its content is kept flat).
    Other,
}

fn frame(tag: Tag<'_>) -> Option<Frame> {
    Some(match tag {
        Tag::Paragraph => return None,
        Tag::Emphasis => Frame::Emph,
        Tag::Strong => Frame::Strong,
        Tag::Strikethrough => Frame::Strike,
        Tag::Link {
            dest_url, title, ..
        } => Frame::Link {
            dest: dest_url.to_string(),
            title: title.to_string(),
        },
        Tag::Image { dest_url, .. } => Frame::Image {
            dest: dest_url.to_string(),
        },
        _ => Frame::Other,
    })
}

fn top(stack: &mut Vec<(Frame, Vec<Inline>)>) -> &mut Vec<Inline> {
    if stack.is_empty() {
        stack.push((Frame::Root, Vec::new()));
    }
    let last = stack.len() - 1;
    &mut stack[last].1
}

/// Ends the innermost frame, adding what it made to its parent.
fn close(stack: &mut Vec<(Frame, Vec<Inline>)>, refs: &[Inline]) {
    if stack.len() < 2 {
        return;
    }
    let Some((frame, content)) = stack.pop() else {
        return;
    };
    let made: Vec<Inline> = match frame {
        Frame::Root | Frame::Other => content,
        Frame::Emph => vec![Inline::Emph { content }],
        Frame::Strong => vec![Inline::Strong { content }],
        Frame::Strike => vec![Inline::Strike { content }],
        Frame::Sup => vec![Inline::Sup { content }],
        Frame::Sub => vec![Inline::Sub { content }],
        Frame::Link { dest, title } => vec![link(&dest, &title, content, refs)],
        Frame::Image { dest } => vec![image(&dest, content, refs)],
    };
    top(stack).extend(made);
}

/// The source reference `dest` names (`folio-ref:2`), if it does.
fn source_ref<'a>(dest: &str, refs: &'a [Inline]) -> Option<&'a Inline> {
    let n: usize = dest.strip_prefix(REF)?.parse().ok()?;
    refs.get(n.checked_sub(1)?)
}

fn link(dest: &str, title: &str, content: Vec<Inline>, refs: &[Inline]) -> Inline {
    match source_ref(dest, refs) {
        Some(Inline::Link {
            link,
            title,
            content: shown,
        }) => Inline::Link {
            link: link.clone(),
            title: title.clone(),
            // `[][n]`: a link that shows its own address shows it still.
            content: if content.is_empty() {
                shown.clone()
            } else {
                content
            },
        },
        // A number the source has not (the check rejects it before): the
        // text alone.
        _ if dest.starts_with(REF) => Inline::Span {
            classes: Vec::new(),
            lang: None,
            content,
        },
        _ => Inline::Link {
            link: Link {
                href: dest.to_string(),
                target: LinkTarget::Unresolved,
            },
            title: (!title.is_empty()).then(|| title.to_string()),
            content,
        },
    }
}

fn image(dest: &str, content: Vec<Inline>, refs: &[Inline]) -> Inline {
    let alt = crate::model::inlines_text(&content);
    match source_ref(dest, refs) {
        Some(Inline::Image {
            src, asset, title, ..
        }) => Inline::Image {
            src: src.clone(),
            asset: asset.clone(),
            alt,
            title: title.clone(),
        },
        // An image a translator added by URL is not fetched (folio never
        // touches the network): its alt text stands.
        _ => Inline::Text { text: alt },
    }
}

/// `[^label]` to marked text, so Markdown parsing leaves it alone.
fn mark_footnotes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("[^") {
        let (before, after) = rest.split_at(at);
        out.push_str(before);
        let body = &after[2..];
        match body.find(']') {
            Some(end) if !body[..end].contains(['[', '\n']) => {
                out.push(FN_OPEN);
                out.push_str(&body[..end]);
                out.push(FN_CLOSE);
                rest = &body[end + 1..];
            }
            // Not a label: go on from the last `[` before the `]` (each
            // byte is looked at a bounded number of times).
            Some(end) => {
                let last = body[..end].rfind('[').unwrap_or(0);
                out.push_str("[^");
                out.push_str(&body[..last]);
                rest = &body[last..];
            }
            None => {
                out.push_str("[^");
                rest = body;
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text with marked footnote labels split out as references.
fn push_text(out: &mut Vec<Inline>, text: &str, notes: &[(String, u32)]) {
    let mut rest = text;
    while let Some(open) = rest.find(FN_OPEN) {
        let (before, after) = rest.split_at(open);
        push_plain(out, before);
        let body = &after[FN_OPEN.len_utf8()..];
        let Some(close) = body.find(FN_CLOSE) else {
            rest = body;
            continue;
        };
        let label = &body[..close];
        let number = notes
            .iter()
            .find(|(l, _)| l == label)
            .map_or(0, |(_, n)| *n);
        out.push(Inline::FootnoteRef {
            label: label.to_string(),
            number,
        });
        rest = &body[close + FN_CLOSE.len_utf8()..];
    }
    push_plain(out, rest);
}

fn push_plain(out: &mut Vec<Inline>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Inline::Text { text: last }) = out.last_mut() {
        last.push_str(text);
    } else {
        out.push(Inline::Text {
            text: text.to_string(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::msgid::message;

    fn source() -> Vec<Inline> {
        vec![
            Inline::Text {
                text: "Read the ".into(),
            },
            Inline::Link {
                link: Link {
                    href: "/faq/".into(),
                    target: LinkTarget::External {
                        url: "https://x.test/faq/".into(),
                    },
                },
                title: Some("Questions".into()),
                content: vec![Inline::Text { text: "FAQ".into() }],
            },
            Inline::Code { text: "a*b".into() },
            Inline::FootnoteRef {
                label: "n".into(),
                number: 3,
            },
            Inline::Image {
                src: "/logo.png".into(),
                asset: None,
                alt: "logo".into(),
                title: None,
            },
        ]
    }

    #[test]
    fn references_take_the_source_links_and_images() {
        let src = source();
        let got = parse(
            "![Das Logo][2] *Lies* die [häufigen Fragen][1] `a*b`[^n]",
            &references(&src),
            &footnotes(&src),
        );
        let json = serde_json::to_string(&got).unwrap();
        // The source's link, with its resolved target and title, around
        // the translated text.
        assert!(json.contains(r#""href":"/faq/","target":{"kind":"external","url":"https://x.test/faq/"}},"title":"Questions","content":[{"type":"text","text":"häufigen Fragen"}]"#), "{json}");
        assert!(
            json.contains(
                r#"{"type":"image","src":"/logo.png","asset":null,"alt":"Das Logo","title":null}"#
            ),
            "{json}"
        );
        assert!(
            json.contains(r#"{"type":"emph","content":[{"type":"text","text":"Lies"}]}"#),
            "{json}"
        );
        assert!(json.contains(r#"{"type":"code","text":"a*b"}"#), "{json}");
        assert!(
            json.contains(r#"{"type":"footnote_ref","label":"n","number":3}"#),
            "{json}"
        );
    }

    #[test]
    fn a_message_read_back_gives_the_same_message() {
        let src = source();
        let m = message(&src);
        let back = parse(&m.text, &references(&src), &footnotes(&src));
        assert_eq!(message(&back), m);
        let escaped = "2\\*3 \\[x\\] \\_y\\_ \\`z\\` \\<b> ~~gone~~ <sup>2</sup>";
        let back = parse(escaped, &[], &[]);
        assert_eq!(message(&back).text, escaped);
    }

    #[test]
    fn a_link_showing_its_address_keeps_the_url_out_of_the_message() {
        let src = vec![Inline::Link {
            link: Link {
                href: "https://xmpp.org/about/".into(),
                target: LinkTarget::Unresolved,
            },
            title: None,
            content: vec![Inline::Text {
                text: "https://xmpp.org/about".into(),
            }],
        }];
        let m = message(&src);
        assert_eq!(m.text, "[][1]");
        let back = parse("Siehe [][1].", &references(&src), &[]);
        assert_eq!(
            crate::model::inlines_text(&back),
            "Siehe https://xmpp.org/about."
        );
        assert!(matches!(back.get(1), Some(Inline::Link { .. })), "{back:?}");
    }

    #[test]
    fn an_explicit_link_is_left_to_resolve() {
        let got = parse("Siehe [FAQ](/de/faq/ \"Fragen\").", &[], &[]);
        match got.get(1) {
            Some(Inline::Link { link, title, .. }) => {
                assert_eq!(link.href, "/de/faq/");
                assert_eq!(link.target, LinkTarget::Unresolved);
                assert_eq!(title.as_deref(), Some("Fragen"));
            }
            other => panic!("{other:?}"),
        }
    }
}
