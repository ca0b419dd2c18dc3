//! Text and attribute values escaped for XML, with the characters XML 1.0
//! cannot hold at all dropped (a stray control character in a Markdown file
//! must not make a chapter unreadable).

/// Whether `c` may appear in an XML 1.0 document at all.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Appends `text` to `out` with each character `replace` names replaced
/// (by `""`: dropped), the runs between copied whole: pushing character
/// by character was most of the time an EPUB's escaping took.
fn push_replaced(out: &mut String, text: &str, replace: impl Fn(char) -> Option<&'static str>) {
    let mut run = 0;
    for (at, c) in text.char_indices() {
        if let Some(with) = replace(c) {
            out.push_str(text.get(run..at).unwrap_or_default());
            out.push_str(with);
            run = at + c.len_utf8();
        }
    }
    out.push_str(text.get(run..).unwrap_or_default());
}

/// Appends `text` escaped for XML element content.
pub(crate) fn push_text(out: &mut String, text: &str) {
    push_replaced(out, text, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        c if is_xml_char(c) => None,
        _ => Some(""),
    });
}

/// Appends `text` escaped for a double-quoted XML attribute.
pub(crate) fn push_attr(out: &mut String, text: &str) {
    push_replaced(out, text, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        // Keep line breaks in attribute values as spaces.
        '\n' | '\r' | '\t' => Some(" "),
        c if is_xml_char(c) => None,
        _ => Some(""),
    });
}

/// Appends `text` escaped for either place, element content or a
/// double-quoted attribute (what the templates need: one escaper for both).
pub(crate) fn push_xml(out: &mut String, text: &str) {
    push_replaced(out, text, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        c if is_xml_char(c) => None,
        _ => Some(""),
    });
}

/// `text` without the characters XML cannot hold, for strings handed to
/// epub-builder (which escapes markup but not those).
pub(crate) fn xml_chars(text: &str) -> String {
    text.chars().filter(|&c| is_xml_char(c)).collect()
}

/// A class name with only safe characters.
pub(crate) fn class_name(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_drops_invalid_characters() {
        let mut s = String::new();
        push_text(&mut s, "a<b & c\u{1}>");
        assert_eq!(s, "a&lt;b &amp; c&gt;");
        let mut a = String::new();
        push_attr(&mut a, "say \"hi\"\n");
        assert_eq!(a, "say &quot;hi&quot; ");
        let mut x = String::new();
        push_xml(&mut x, "<\"a\" & b\u{0}>\n");
        assert_eq!(x, "&lt;&quot;a&quot; &amp; b&gt;\n");
        // Runs of other characters copied whole, around what is replaced.
        let mut u = String::from("«");
        push_text(&mut u, "été\u{FFFE} <è>\u{1F600}\u{FFFF}");
        assert_eq!(u, "«été &lt;è&gt;\u{1F600}");
        let mut e = String::new();
        push_attr(&mut e, "");
        push_text(&mut e, "\u{B}");
        assert_eq!(e, "");
    }
}
