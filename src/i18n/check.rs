//! Translations checked before use: a msgstr must read as one paragraph
//! and keep its msgid's link references (`[..][n]`, or an explicit
//! `[text](url)` in place of one), footnote references and code spans;
//! emphasis may change.

use super::codes::{Piece, split};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// The markup of a message that a translation must keep.
#[derive(Debug, Default, PartialEq, Eq)]
struct Codes {
    /// Reference numbers, sorted.
    references: Vec<String>,
    /// Explicit `[text](url)` links (a translator's localized target).
    explicit: usize,
    /// Footnote labels, sorted.
    footnotes: Vec<String>,
    /// Code span contents, sorted.
    code: Vec<String>,
}

/// Why `msgstr` cannot stand for `msgid`, or `None` when it can.
pub fn reject_reason(msgid: &str, msgstr: &str) -> Option<String> {
    if !one_paragraph(msgstr) {
        return Some("the translation is not one paragraph of Markdown".into());
    }
    let want = codes(msgid);
    let got = codes(msgstr);
    if got.code != want.code {
        return Some(format!(
            "the translation's code spans ({}) differ from the source's ({})",
            list(&got.code, "`"),
            list(&want.code, "`")
        ));
    }
    if got.footnotes != want.footnotes {
        return Some(format!(
            "the translation's footnote references ({}) differ from the source's ({})",
            list(&got.footnotes, "[^"),
            list(&want.footnotes, "[^")
        ));
    }
    let mut left = want.references.clone();
    for r in &got.references {
        match left.iter().position(|x| x == r) {
            Some(i) => {
                left.remove(i);
            }
            None => {
                return Some(format!(
                    "the translation has link reference [{r}], the source does not"
                ));
            }
        }
    }
    // Each dropped reference needs a written-out link in its place (a
    // translator may add more, to localized pages).
    if left.len() > got.explicit {
        return Some(format!(
            "the translation drops link reference{} {}",
            if left.len() == 1 { "" } else { "s" },
            left.iter()
                .map(|r| format!("[{r}]"))
                .collect::<Vec<_>>()
                .join(" ")
        ));
    }
    None
}

fn list(items: &[String], open: &str) -> String {
    if items.is_empty() {
        return "none".into();
    }
    let close = if open == "`" { "`" } else { "]" };
    items
        .iter()
        .map(|i| format!("{open}{i}{close}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `text` is one paragraph (no heading, list, quote, code block,
/// or second paragraph).
fn one_paragraph(text: &str) -> bool {
    let mut depth = 0usize;
    let mut paragraphs = 0usize;
    for event in Parser::new(text) {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    if !matches!(tag, Tag::Paragraph) {
                        return false;
                    }
                    paragraphs += 1;
                }
                depth += 1;
            }
            Event::End(TagEnd::Paragraph) if depth == 1 => depth = 0,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Rule => return false,
            _ if depth == 0 => return false,
            _ => {}
        }
    }
    paragraphs == 1
}

/// The references, footnote references and code spans of a message
/// written as [`super::msgid`] writes them (read by [`super::codes`], in
/// linear time whatever a translator typed).
fn codes(text: &str) -> Codes {
    let mut c = Codes::default();
    let link_end = |end: &str, c: &mut Codes| {
        if let Some(n) = end.strip_prefix("][").and_then(|r| r.strip_suffix(']')) {
            c.references.push(n.to_string());
        } else if end.starts_with("](") {
            c.explicit += 1;
        }
    };
    for piece in split(text) {
        match piece {
            Piece::Open { end, .. } => link_end(&end, &mut c),
            Piece::Placeholder(data) => {
                if data.starts_with('`') {
                    let inner = data.trim_matches('`');
                    let inner = match inner.strip_prefix(' ').and_then(|i| i.strip_suffix(' ')) {
                        Some(padded) if padded.starts_with('`') || padded.ends_with('`') => padded,
                        _ => inner,
                    };
                    c.code.push(inner.to_string());
                } else if let Some(label) =
                    data.strip_prefix("[^").and_then(|d| d.strip_suffix(']'))
                {
                    c.footnotes.push(label.to_string());
                } else if data.starts_with("![") {
                    // An image: its reference is its end.
                    if let Some(at) = data.rfind("][") {
                        link_end(&data[at..], &mut c);
                    } else if let Some(at) = data.rfind("](") {
                        link_end(&data[at..], &mut c);
                    }
                } else {
                    link_end(&data, &mut c);
                }
            }
            Piece::Text(_) | Piece::Close => {}
        }
    }
    c.references.sort();
    c.footnotes.sort();
    c.code.sort();
    c
}

#[cfg(test)]
mod tests {
    use super::reject_reason;

    #[test]
    fn a_faithful_translation_passes() {
        let id = "Read the [FAQ][1] and `folio build`[^n] or ![logo][2].";
        assert_eq!(
            reject_reason(
                id,
                "Lies die *[FAQ][1]* und `folio build`[^n] oder ![Logo][2]."
            ),
            None
        );
        // The order of references may change with the language.
        assert_eq!(
            reject_reason("[a][1] then [b][2]", "zuerst [B][2], dann [A][1]"),
            None
        );
    }

    #[test]
    fn a_localized_explicit_link_replaces_a_reference() {
        assert_eq!(
            reject_reason("See [FAQ][1].", "Siehe [FAQ](/de/faq/) und [mehr](/de/)."),
            None
        );
        assert!(reject_reason("[a][1] [b][2]", "[a](/x/) b").is_some());
        assert_eq!(
            reject_reason("See the [FAQ][1].", "Siehe die [FAQ](/de/about/faq/)."),
            None
        );
    }

    #[test]
    fn lost_or_changed_markup_is_rejected() {
        let cases = [
            ("See [FAQ][1].", "Siehe FAQ.", "drops link reference [1]"),
            ("See [FAQ][1].", "Siehe [FAQ][3].", "has link reference [3]"),
            ("Run `make`.", "Führe make aus.", "code spans"),
            ("Run `make`.", "Führe `mache` aus.", "code spans"),
            ("True[^1].", "Wahr.", "footnote references"),
            ("One paragraph.", "Eins.\n\nZwei.", "not one paragraph"),
            ("A title", "# Ein Titel", "not one paragraph"),
            ("Item", "- Punkt", "not one paragraph"),
        ];
        for (id, str_, why) in cases {
            let reason = reject_reason(id, str_).unwrap_or_default();
            assert!(reason.contains(why), "{str_:?}: {reason:?} lacks {why:?}");
        }
    }

    #[test]
    fn hostile_translations_cost_linear_time() {
        let msgid = "A [link][1] with `code`[^1].";
        let cases = [
            "[^".repeat(200_000),
            "[^x\n".repeat(100_000) + "]",
            "`".to_string() + &"a``b".repeat(100_000),
            (1..600).map(|n| "`".repeat(n) + "x").collect::<String>(),
            "][".repeat(200_000),
            "](".repeat(200_000),
            "*".repeat(300_000),
            "<sup>".repeat(100_000),
        ];
        for msgstr in cases {
            let start = std::time::Instant::now();
            let _ = reject_reason(msgid, &msgstr);
            let _ = crate::i18n::inlines::parse(&msgstr, &[], &[]);
            let _ = crate::i18n::codes::join(&crate::i18n::codes::split(&msgstr));
            let took = start.elapsed();
            assert!(
                took.as_secs_f64() < 3.0,
                "{took:?} for {:?}…",
                &msgstr[..20]
            );
        }
    }
}
