//! A small tokenizer for the raw HTML fragments pulldown-cmark hands over:
//! start tags with attributes, end tags, self-closing tags, comments, text.
//!
//! It is not an HTML parser: the Markdown builder keeps the element stack.
//! Anything that does not look like a tag stays text, so nothing written by
//! the author is lost.

/// One piece of an HTML fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// `<name attr="v">` or `<name/>`.
    Start {
        /// Lower-cased tag name.
        name: String,
        /// Attributes (lower-cased names, decoded values) in written order.
        attrs: Vec<(String, String)>,
        /// Written as `<name/>`.
        self_closing: bool,
        /// The tag as written, for tags kept as text.
        raw: String,
    },
    /// `</name>`.
    End {
        /// Lower-cased tag name.
        name: String,
        /// The tag as written.
        raw: String,
    },
    /// Comments, doctypes and processing instructions: dropped.
    Comment,
    /// Text with entities decoded.
    Text(String),
}

/// Elements of HTML: their tags are dropped (text kept) when folio has no
/// mapping for them. A tag with any other name (`<stream:stream>`) is most
/// likely XML the author meant as text, so it is kept literally.
pub fn is_html_element(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "a",
        "abbr",
        "address",
        "article",
        "aside",
        "audio",
        "b",
        "bdi",
        "bdo",
        "blockquote",
        "body",
        "br",
        "button",
        "caption",
        "center",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "embed",
        "figcaption",
        "figure",
        "font",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hr",
        "html",
        "i",
        "iframe",
        "img",
        "input",
        "ins",
        "kbd",
        "label",
        "legend",
        "li",
        "main",
        "mark",
        "nav",
        "object",
        "ol",
        "p",
        "picture",
        "pre",
        "q",
        "s",
        "samp",
        "section",
        "small",
        "source",
        "span",
        "strike",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "tt",
        "u",
        "ul",
        "var",
        "video",
        "wbr",
        "center",
        "big",
        "script",
        "style",
        "svg",
        "noscript",
        "meta",
        "link",
    ];
    NAMES.contains(&name)
}

/// Where a search that ran to the end of the fragment failed: a later
/// search for the same thing fails too, so it is not run again (a page of
/// `<!` or of unclosed quotes would otherwise be rescanned from each `<`).
#[derive(Default)]
struct Misses {
    /// No `>` at or after this offset.
    gt: Option<usize>,
    /// No `"` (0) or `'` (1) at or after this offset.
    quote: [Option<usize>; 2],
}

impl Misses {
    /// The offset of the first `c` at or after `from`, remembering a miss.
    fn find(&mut self, src: &str, from: usize, c: char) -> Option<usize> {
        let memo = match c {
            '>' => &mut self.gt,
            '"' => &mut self.quote[0],
            _ => &mut self.quote[1],
        };
        if memo.is_some_and(|m| from >= m) {
            return None;
        }
        let found = src.get(from..)?.find(c).map(|i| from + i);
        if found.is_none() {
            *memo = Some(memo.map_or(from, |m| m.min(from)));
        }
        found
    }
}

/// Splits an HTML fragment into tokens.
pub fn tokenize(src: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut misses = Misses::default();
    let mut text_start = 0;
    let mut pos = 0;
    while let Some(rel) = src.get(pos..).and_then(|s| s.find('<')) {
        let lt = pos + rel;
        match tag_at(src, lt, &mut misses) {
            Some((tok, end)) => {
                if lt > text_start {
                    out.push(Tok::Text(decode_entities(
                        src.get(text_start..lt).unwrap_or_default(),
                    )));
                }
                out.push(tok);
                pos = end;
                text_start = end;
            }
            None => pos = lt + 1,
        }
    }
    if text_start < src.len() {
        out.push(Tok::Text(decode_entities(
            src.get(text_start..).unwrap_or_default(),
        )));
    }
    out
}

/// A tag starting at `<` at `lt`, and the offset after it. A tag ends
/// before the next `<` outside quotes, so each `<` looks ahead only that far.
fn tag_at(src: &str, lt: usize, misses: &mut Misses) -> Option<(Tok, usize)> {
    let rest = src.get(lt..)?;
    if rest.starts_with("<!--") {
        let end = rest.find("-->").map_or(src.len(), |i| lt + i + 3);
        return Some((Tok::Comment, end));
    }
    if rest.starts_with("<!") || rest.starts_with("<?") {
        let end = misses.find(src, lt, '>')? + 1;
        return Some((Tok::Comment, end));
    }
    let bytes = rest.as_bytes();
    let mut p = 1;
    let closing = bytes.get(p) == Some(&b'/');
    if closing {
        p += 1;
    }
    if !bytes.get(p).is_some_and(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let name_start = p;
    while bytes
        .get(p)
        .is_some_and(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b':' | b'_' | b'.'))
    {
        p += 1;
    }
    let name = rest.get(name_start..p)?.to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while bytes.get(p).is_some_and(|b| b.is_ascii_whitespace()) {
            p += 1;
        }
        match bytes.get(p)? {
            b'>' => {
                p += 1;
                break;
            }
            b'/' if bytes.get(p + 1) == Some(&b'>') => {
                self_closing = true;
                p += 2;
                break;
            }
            _ => {}
        }
        let key_start = p;
        while bytes.get(p).is_some_and(|&b| {
            let stop = b.is_ascii_whitespace()
                || matches!(b, b'=' | b'>' | b'"' | b'\'' | b'<')
                || (b == b'/' && bytes.get(p + 1) == Some(&b'>'));
            !stop
        }) {
            p += 1;
        }
        if p == key_start {
            return None; // a stray quote: not a tag
        }
        let key = rest.get(key_start..p)?.to_ascii_lowercase();
        while bytes.get(p).is_some_and(|b| b.is_ascii_whitespace()) {
            p += 1;
        }
        let mut value = String::new();
        if bytes.get(p) == Some(&b'=') {
            p += 1;
            while bytes.get(p).is_some_and(|b| b.is_ascii_whitespace()) {
                p += 1;
            }
            match bytes.get(p)? {
                q @ (b'"' | b'\'') => {
                    let close = misses.find(src, lt + p + 1, *q as char)? - lt;
                    value = decode_entities(rest.get(p + 1..close)?);
                    p = close + 1;
                }
                _ => {
                    let v_start = p;
                    while bytes
                        .get(p)
                        .is_some_and(|&b| !b.is_ascii_whitespace() && b != b'>' && b != b'<')
                    {
                        p += 1;
                    }
                    value = decode_entities(rest.get(v_start..p)?);
                }
            }
        }
        attrs.push((key, value));
    }
    let raw = rest.get(..p)?.to_string();
    let tok = if closing {
        Tok::End { name, raw }
    } else {
        Tok::Start {
            name,
            attrs,
            self_closing,
            raw,
        }
    };
    Some((tok, lt + p))
}

/// Decodes the common named entities and numeric ones; unknown ones stay.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(rest.get(..i).unwrap_or_default());
        let after = rest.get(i + 1..).unwrap_or_default();
        // An entity name is short: look no further (a page of `&` stays linear).
        let semi = after
            .bytes()
            .take(11)
            .position(|b| b == b';')
            .filter(|&j| j > 0);
        let decoded = semi.and_then(|j| entity(after.get(..j)?));
        match (semi, decoded) {
            (Some(j), Some(c)) => {
                out.push(c);
                rest = after.get(j + 1..).unwrap_or_default();
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "laquo" => '«',
        "raquo" => '»',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "euro" => '€',
        "middot" => '·',
        "bull" => '•',
        "times" => '×',
        "deg" => '°',
        _ => return None,
    })
}

/// The value of attribute `key`.
pub fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// The `class` attribute split into classes.
pub fn classes(attrs: &[(String, String)]) -> Vec<String> {
    attr(attrs, "class")
        .map(|c| c.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_attrs_comments() {
        let t = tokenize("<a href=\"x?a=1&amp;b\" class=c>hi</a><!-- no --><br/>&lt;3 a < b");
        assert!(
            matches!(&t[0], Tok::Start { name, attrs, .. } if name == "a" && attr(attrs, "href") == Some("x?a=1&b") && attr(attrs, "class") == Some("c"))
        );
        assert_eq!(t[1], Tok::Text("hi".into()));
        assert!(matches!(&t[2], Tok::End { name, .. } if name == "a"));
        assert_eq!(t[3], Tok::Comment);
        assert!(matches!(&t[4], Tok::Start { name, self_closing: true, .. } if name == "br"));
        assert_eq!(t[5], Tok::Text("<3 a < b".into()));
    }

    #[test]
    fn unclosed_constructs_are_text_in_linear_time() {
        // Each of these used to be rescanned to the end from every `<` or `&`.
        for (unit, n) in [
            ("<!x ", 200_000),
            ("<a b=\"", 100_000),
            ("<a b ", 100_000),
            ("&amp", 200_000),
        ] {
            let src = unit.repeat(n);
            let start = std::time::Instant::now();
            let toks = tokenize(&src);
            assert!(
                start.elapsed().as_secs() < 5,
                "{unit}: {:?}",
                start.elapsed()
            );
            assert!(!toks.is_empty());
        }
        // A quoted value may still hold `<`; a tag with a bare `<` is text.
        let t = tokenize("<a title=\"x<y\" href=a>z");
        assert!(matches!(&t[0], Tok::Start { attrs, .. } if attr(attrs, "title") == Some("x<y")));
        let t = tokenize("<a href=a<b>z");
        assert_eq!(t[0], Tok::Text("<a href=a".into()));
        assert!(matches!(&t[1], Tok::Start { name, .. } if name == "b"));
    }

    #[test]
    fn entities() {
        assert_eq!(decode_entities("&#8212;&#x41;&foo; & x"), "—A&foo; & x");
    }
}
