//! Is a generated XHTML, SVG or XML file well-formed? Reading systems
//! reject a book with one broken chapter, and a user's template can break
//! every chapter, so each file is checked before the EPUB is returned.
//! One pass of quick-xml's pull parser (no tree is built) plus the rules
//! it leaves to its caller: one root element, no text outside it, only the
//! five predefined entities, characters XML allows, attribute values
//! without `<`.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// Where and why a document is not well-formed (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct XmlError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// Checks `text`; the first problem found, if any.
pub(crate) fn check(text: &str) -> Result<(), XmlError> {
    if let Some((at, c)) = text.char_indices().find(|(_, c)| !is_xml_char(*c)) {
        return Err(error_at(
            text,
            at,
            format!("character U+{:04X} is not allowed in XML", u32::from(c)),
        ));
    }
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_comments = true;
    let mut depth = 0usize;
    let mut roots = 0usize;
    loop {
        let start = offset(reader.buffer_position());
        let event = reader
            .read_event()
            .map_err(|e| error_at(text, offset(reader.error_position()), e.to_string()))?;
        let fail = |message: &str| Err(error_at(text, start, message.to_string()));
        match event {
            Event::Eof => break,
            Event::Start(_) | Event::Empty(_) if depth == 0 && roots > 0 => {
                return fail("a second root element: a document has exactly one");
            }
            Event::Start(e) => {
                attributes(&e).map_err(|m| error_at(text, start, m))?;
                roots += usize::from(depth == 0);
                depth += 1;
            }
            Event::Empty(e) => {
                attributes(&e).map_err(|m| error_at(text, start, m))?;
                roots += usize::from(depth == 0);
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(t) if depth == 0 && !t.iter().all(u8::is_ascii_whitespace) => {
                return fail("text outside the root element");
            }
            Event::CData(_) | Event::GeneralRef(_) if depth == 0 => {
                return fail("text outside the root element");
            }
            Event::GeneralRef(r) => {
                if r.is_char_ref() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) if is_xml_char(c) => {}
                        _ => {
                            return fail("a character reference to a character XML does not allow");
                        }
                    }
                } else if !matches!(&*r, b"lt" | b"gt" | b"amp" | b"quot" | b"apos") {
                    let name = String::from_utf8_lossy(&r).into_owned();
                    return Err(error_at(
                        text,
                        start,
                        format!(
                            "undefined entity `&{name};` (XML knows only lt, gt, amp, quot, apos)"
                        ),
                    ));
                }
            }
            _ => {}
        }
    }
    if depth > 0 {
        return Err(error_at(
            text,
            text.len(),
            format!("{depth} element(s) not closed at the end of the file"),
        ));
    }
    if roots == 0 {
        return Err(error_at(text, 0, "no root element".to_string()));
    }
    Ok(())
}

/// Attributes are unique, quoted, and their values well-formed.
fn attributes(element: &BytesStart<'_>) -> Result<(), String> {
    for attr in element.attributes().with_checks(true) {
        let attr = attr.map_err(|e| e.to_string())?;
        if attr.value.contains(&b'<') {
            return Err(format!(
                "`<` in the value of attribute `{}`",
                String::from_utf8_lossy(attr.key.as_ref())
            ));
        }
        attr.unescape_value().map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The characters XML 1.0 allows.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn offset(position: u64) -> usize {
    usize::try_from(position).unwrap_or(usize::MAX)
}

/// The line and column of byte `at` of `text`.
fn error_at(text: &str, at: usize, message: String) -> XmlError {
    let at = at.min(text.len());
    let before = text.as_bytes().get(..at).unwrap_or_default();
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default())
        .chars()
        .count()
        + 1;
    XmlError {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
        message,
    }
}

/// A template's own text with its `{{ }}`, `{% %}` and `{# #}` tags
/// blanked (newlines kept, so positions stay): where the template itself
/// breaks the XML, checking this finds the template line.
pub(crate) fn blank_template_tags(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(open) = rest.find('{') {
        let (before, tail) = rest.split_at(open);
        out.push_str(before);
        let close = match tail.get(..2) {
            Some("{{") => "}}",
            Some("{%") => "%}",
            Some("{#") => "#}",
            _ => {
                out.push('{');
                rest = tail.get(1..).unwrap_or_default();
                continue;
            }
        };
        let end = tail.find(close).map_or(tail.len(), |i| i + 2);
        let tag = tail.get(..end).unwrap_or(tail);
        out.extend(tag.chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
        rest = tail.get(end..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> XmlError {
        check(text).expect_err(text)
    }

    #[test]
    fn good_documents_pass() {
        for good in [
            "<?xml version=\"1.0\"?>\n<!DOCTYPE html>\n<html xmlns=\"x\"><body><p a=\"1 &amp; 2\">a &lt; b &#233; &#x1F600;</p><br/><![CDATA[<x>]]><!-- c --></body></html>\n",
            "<svg/>",
            "<a>\n</a>\n\n",
        ] {
            assert_eq!(check(good), Ok(()), "{good}");
        }
    }

    #[test]
    fn broken_documents_name_line_and_column() {
        let e = err("<html>\n<body>\n<p>text</div>\n</body></html>");
        assert_eq!(e.line, 3, "{e:?}");
        let e = err("<a>\n  <b>\n</a>");
        assert_eq!(e.line, 3, "{e:?}");
        let e = err("<a>\n<p>&nbsp;</p></a>");
        assert_eq!((e.line, e.column), (2, 4), "{e:?}");
        assert!(e.message.contains("&nbsp;"), "{e:?}");
        assert!(err("<a><b></b>").message.contains("not closed"));
        assert!(err("<a/><b/>").message.contains("second root"));
        assert!(err("<a x=\"1\" x=\"2\"/>").line == 1);
        assert!(err("<a x=\"<\"/>").message.contains('<'));
        assert!(err("<a>\u{1}</a>").message.contains("U+0001"));
        assert!(err("<a>&#1;</a>").message.contains("character reference"));
        assert!(err("text<a/>").message.contains("outside"));
        assert!(err("").message.contains("no root"));
        assert!(check("<a><!-- a -- b --></a>").is_err());
    }

    #[test]
    fn template_tags_are_blanked_in_place() {
        let t = "<p>{{ x }}</p>\n{% if a %}\n<b>{# c\n d #}</i>";
        let blank = blank_template_tags(t);
        assert_eq!(blank.len(), t.len());
        assert_eq!(blank.lines().count(), t.lines().count());
        assert!(!blank.contains("{{") && !blank.contains("{%") && !blank.contains("{#"));
        let e = check(&format!("<r>{blank}</r>")).unwrap_err();
        assert_eq!(e.line, 4);
    }
}
