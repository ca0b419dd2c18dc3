//! The Hugo shortcode lexer: `{{< name k="v" >}}`, `{{% name %}}`,
//! positional arguments, paired forms with inner content, `/>` closers.
//!
//! Shortcodes are lexed on the raw body before Markdown, by their own
//! grammar, so every call keeps its byte span in the body. Fenced code blocks
//! (```` ``` ```` and `~~~`) and inline code spans are skipped: a shortcode
//! shown as an example in code stays text.
//!
//! A call is *paired* when a matching closer (`{{< /name >}}`) follows; Hugo
//! decides by the template, we decide by the presence of the closer. Pairs
//! nest. Hugo's escaped form `{{</* name */>}}` becomes the literal text
//! `{{< name >}}`.

use std::collections::HashMap;

/// Which delimiters a call used: `{{< >}}` or `{{% %}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delim {
    /// `{{< ... >}}`: inner content is not Markdown-rendered by Hugo itself.
    Angle,
    /// `{{% ... %}}`: inner content is Markdown.
    Percent,
}

/// One argument: `key="value"` (named) or `"value"` (positional).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// The name of a named argument; `None` for a positional one.
    pub key: Option<String>,
    /// The value, unquoted and unescaped.
    pub value: String,
}

/// One shortcode tag as written, with its byte range in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The shortcode's name (`figure`).
    pub name: String,
    /// Arguments in written order.
    pub args: Vec<Arg>,
    /// Which delimiters it used.
    pub delim: Delim,
    /// `{{< /name >}}`.
    pub closing: bool,
    /// `{{< name />}}`: never takes a closer.
    pub self_closing: bool,
    /// Byte offset of `{{`.
    pub start: usize,
    /// Byte offset just after `}}`.
    pub end: usize,
}

impl Call {
    /// The value of a named argument.
    pub fn named(&self, key: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|a| a.key.as_deref() == Some(key))
            .map(|a| a.value.as_str())
    }
}

/// A lexed token of interest in the body (plain text lies between tokens).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// An opener, closer or self-closing call.
    Call(Call),
    /// `{{</* name */>}}`: `literal` is the text to show (`{{< name >}}`).
    Escaped {
        start: usize,
        end: usize,
        literal: String,
    },
}

/// A lexing failure at a byte offset of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    /// Byte offset of the offending `{{`.
    pub offset: usize,
    /// What is wrong, ready for a diagnostic.
    pub message: String,
}

/// A shortcode tree node: calls with their inner content, escapes, and
/// closers that matched no opener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A call, paired with its inner content when a closer follows.
    Shortcode {
        call: Call,
        /// For a paired call: the inner byte range and the nodes inside it.
        inner: Option<Inner>,
        /// Byte offset just after the whole thing (after the closer if paired).
        end: usize,
    },
    /// Hugo's escaped form, shown as `literal`.
    Escaped {
        start: usize,
        end: usize,
        literal: String,
    },
    /// A closer without an opener.
    StrayCloser(Call),
    /// The opener or closer of a pair nested past the depth limit: the tag
    /// is dropped, the content between the two stays where it is.
    Flattened(Call),
}

impl Node {
    /// Byte range of the node in the body.
    pub fn range(&self) -> (usize, usize) {
        match self {
            Node::Shortcode { call, end, .. } => (call.start, *end),
            Node::Escaped { start, end, .. } => (*start, *end),
            Node::StrayCloser(c) | Node::Flattened(c) => (c.start, c.end),
        }
    }
}

/// The inner content of a paired shortcode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inner {
    /// Byte offset just after the opener.
    pub start: usize,
    /// Byte offset of the closer.
    pub end: usize,
    /// Shortcodes inside, paired among themselves.
    pub nodes: Vec<Node>,
}

fn at(bytes: &[u8], pos: usize, pat: &[u8]) -> bool {
    bytes.get(pos..).is_some_and(|s| s.starts_with(pat))
}

/// Lexes every shortcode token of `body`, in order.
pub fn lex(body: &str) -> Result<Vec<Token>, LexError> {
    // Most pages have no shortcode: one fast search, not a walk of every
    // byte (only `{{<` and `{{%` make tokens, or errors).
    if !body.contains("{{<") && !body.contains("{{%") {
        return Ok(Vec::new());
    }
    let bytes = body.as_bytes();
    let spans = CodeSpans::new(bytes);
    let mut tokens = Vec::new();
    let mut pos = 0;
    let mut line_start = true;
    while pos < bytes.len() {
        if line_start {
            line_start = false;
            if let Some(end) = skip_fence(bytes, pos) {
                pos = end;
                line_start = true;
                continue;
            }
        }
        match bytes.get(pos) {
            Some(b'\n') => {
                pos += 1;
                line_start = true;
            }
            Some(b'`') => pos = spans.skip(pos),
            Some(b'{') if at(bytes, pos, b"{{<") || at(bytes, pos, b"{{%") => {
                let token = lex_call(body, pos)?;
                pos = match &token {
                    Token::Call(c) => c.end,
                    Token::Escaped { end, .. } => *end,
                };
                tokens.push(token);
            }
            // Nothing to do up to the next line end, backtick or brace.
            _ => {
                pos += 1;
                pos += bytes
                    .get(pos..)
                    .and_then(|rest| rest.iter().position(|b| matches!(b, b'\n' | b'`' | b'{')))
                    .unwrap_or(bytes.len().saturating_sub(pos));
            }
        }
    }
    Ok(tokens)
}

/// If a code fence opens at line start `pos`, the offset after its closing
/// fence line (or the end of the body when it is never closed).
fn skip_fence(bytes: &[u8], pos: usize) -> Option<usize> {
    let (ch, len) = fence_at(bytes, pos)?;
    // A backtick fence's info string may not contain backticks.
    let line_end = find_line_end(bytes, pos);
    if ch == b'`'
        && bytes
            .get(pos..line_end)
            .is_some_and(|l| l.iter().filter(|&&b| b == b'`').count() > len)
    {
        return None;
    }
    let mut p = line_end;
    while p < bytes.len() {
        p += 1; // past '\n'
        let end = find_line_end(bytes, p);
        if let Some((c, l)) = fence_at(bytes, p) {
            let rest_blank = bytes.get(p..end).is_some_and(|line| {
                line.iter()
                    .skip_while(|b| **b == b' ' || **b == b'\t')
                    .skip(l)
                    .all(|b| b.is_ascii_whitespace())
            });
            if c == ch && l >= len && rest_blank {
                return Some(end);
            }
        }
        p = end;
    }
    Some(bytes.len())
}

/// A fence (char and run length) starting after optional indentation.
fn fence_at(bytes: &[u8], pos: usize) -> Option<(u8, usize)> {
    let mut p = pos;
    while matches!(bytes.get(p), Some(b' ' | b'\t')) {
        p += 1;
    }
    let ch = *bytes.get(p)?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = bytes.get(p..)?.iter().take_while(|&&b| b == ch).count();
    (len >= 3).then_some((ch, len))
}

fn find_line_end(bytes: &[u8], pos: usize) -> usize {
    bytes
        .get(pos..)
        .and_then(|s| s.iter().position(|&b| b == b'\n'))
        .map_or(bytes.len(), |i| pos + i)
}

/// The backtick runs of a body, each with the end of the code span it
/// opens: the next run of the same length before a blank line. Found in
/// one pass, so a page of unmatched backticks of many lengths stays linear.
struct CodeSpans {
    /// Start, length and (for an opener) the offset after its closing run.
    runs: Vec<(usize, usize, Option<usize>)>,
}

impl CodeSpans {
    fn new(bytes: &[u8]) -> CodeSpans {
        let mut runs: Vec<(usize, usize, Option<usize>)> = Vec::new();
        // Run length -> the last run of that length since the last blank line.
        let mut last: HashMap<usize, usize> = HashMap::new();
        let mut p = 0;
        let mut line_start = true;
        while let Some(&b) = bytes.get(p) {
            if line_start {
                line_start = false;
                let end = find_line_end(bytes, p);
                if bytes
                    .get(p..end)
                    .is_some_and(|l| l.iter().all(|b| b.is_ascii_whitespace()))
                {
                    last.clear();
                }
            }
            match b {
                b'\n' => {
                    line_start = true;
                    p += 1;
                }
                b'`' => {
                    let n = bytes
                        .get(p..)
                        .map_or(1, |s| s.iter().take_while(|&&b| b == b'`').count());
                    if let Some(open) = last.insert(n, runs.len())
                        && let Some(run) = runs.get_mut(open)
                    {
                        run.2 = Some(p + n);
                    }
                    runs.push((p, n, None));
                    p += n;
                }
                _ => p += 1,
            }
        }
        CodeSpans { runs }
    }

    /// Skips the inline code span opened by the backtick run at `pos`: to
    /// after its closing run, or (without one) past the run itself, which
    /// is literal text then.
    fn skip(&self, pos: usize) -> usize {
        let i = self.runs.partition_point(|r| r.0 < pos);
        match self.runs.get(i) {
            Some(&(start, n, close)) if start == pos => close.unwrap_or(pos + n),
            _ => pos + 1,
        }
    }
}

fn unterminated(start: usize, name: &str) -> LexError {
    LexError {
        offset: start,
        message: format!("unterminated shortcode `{name}`"),
    }
}

/// Lexes one call starting at `{{` at `start`.
fn lex_call(body: &str, start: usize) -> Result<Token, LexError> {
    let bytes = body.as_bytes();
    let delim = if at(bytes, start, b"{{%") {
        Delim::Percent
    } else {
        Delim::Angle
    };
    let close: &[u8] = match delim {
        Delim::Angle => b">}}",
        Delim::Percent => b"%}}",
    };
    let mut p = start + 3;
    skip_ws(bytes, &mut p);
    if at(bytes, p, b"/*") {
        // Hugo's escaped form: `{{</* name */>}}` shows `{{< name >}}`.
        let end_pat: &[u8] = match delim {
            Delim::Angle => b"*/>}}",
            Delim::Percent => b"*/%}}",
        };
        let rest = bytes.get(p + 2..).unwrap_or_default();
        let i = rest
            .windows(end_pat.len())
            .position(|w| w == end_pat)
            .ok_or_else(|| unterminated(start, "/*"))?;
        let inner = body.get(p + 2..p + 2 + i).unwrap_or_default();
        let (open, shut) = match delim {
            Delim::Angle => ("{{<", ">}}"),
            Delim::Percent => ("{{%", "%}}"),
        };
        return Ok(Token::Escaped {
            start,
            end: p + 2 + i + end_pat.len(),
            literal: format!("{open}{inner}{shut}"),
        });
    }
    let closing = bytes.get(p) == Some(&b'/');
    if closing {
        p += 1;
        skip_ws(bytes, &mut p);
    }
    let name_start = p;
    while let Some(&b) = bytes.get(p) {
        let ok = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.')
            || (b == b'/' && !at(bytes, p, b"/>"))
            || b >= 0x80;
        if !ok {
            break;
        }
        p += 1;
    }
    let name = body.get(name_start..p).unwrap_or_default().to_string();
    if name.is_empty() {
        return Err(LexError {
            offset: start,
            message: "shortcode without a name".into(),
        });
    }
    let mut args = Vec::new();
    loop {
        skip_ws(bytes, &mut p);
        if p >= bytes.len() {
            return Err(unterminated(start, &name));
        }
        if at(bytes, p, close) {
            return Ok(Token::Call(Call {
                name,
                args,
                delim,
                closing,
                self_closing: false,
                start,
                end: p + 3,
            }));
        }
        if bytes.get(p) == Some(&b'/') && at(bytes, p + 1, close) {
            return Ok(Token::Call(Call {
                name,
                args,
                delim,
                closing,
                self_closing: true,
                start,
                end: p + 4,
            }));
        }
        if at(bytes, p, b"{{") {
            // Another shortcode starts before this one ended.
            return Err(unterminated(start, &name));
        }
        let first = lex_value(body, &mut p, close).ok_or_else(|| unterminated(start, &name))?;
        if bytes.get(p) == Some(&b'=') && first.1 {
            p += 1;
            let value = lex_value(body, &mut p, close).ok_or_else(|| unterminated(start, &name))?;
            args.push(Arg {
                key: Some(first.0),
                value: value.0,
            });
        } else {
            args.push(Arg {
                key: None,
                value: first.0,
            });
        }
    }
}

fn skip_ws(bytes: &[u8], p: &mut usize) {
    while bytes.get(*p).is_some_and(|b| b.is_ascii_whitespace()) {
        *p += 1;
    }
}

/// One value: `"quoted \" string"`, `` `raw` `` or a bare word. Returns the
/// value and whether it was bare (only a bare word can be a key). `None`
/// when a quote is never closed.
fn lex_value(body: &str, p: &mut usize, close: &[u8]) -> Option<(String, bool)> {
    let bytes = body.as_bytes();
    match bytes.get(*p)? {
        b'"' => {
            let mut out = String::new();
            let mut chars = body.get(*p + 1..)?.char_indices();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, next)) = chars.next() {
                            out.push(next);
                        }
                    }
                    '"' => {
                        *p += 1 + i + 1;
                        return Some((out, false));
                    }
                    _ => out.push(c),
                }
            }
            None
        }
        b'`' => {
            let rest = body.get(*p + 1..)?;
            let i = rest.find('`')?;
            let value = rest.get(..i)?.to_string();
            *p += 1 + i + 1;
            Some((value, false))
        }
        _ => {
            let begin = *p;
            while let Some(&b) = bytes.get(*p) {
                if b.is_ascii_whitespace()
                    || b == b'='
                    || at(bytes, *p, close)
                    || (b == b'/' && at(bytes, *p + 1, close))
                {
                    break;
                }
                *p += 1;
            }
            if *p == begin {
                // A lone `=`: consume it so lexing moves on.
                *p += 1;
                return Some(("=".into(), false));
            }
            Some((body.get(begin..*p)?.to_string(), true))
        }
    }
}

/// Lexes `body` and pairs openers with closers into a tree. Pairs nested
/// more than `max_depth` deep are flattened: their opener and closer become
/// [`Node::Flattened`] and their inner content lies in the enclosing pair.
pub fn parse_tree(body: &str, max_depth: usize) -> Result<Vec<Node>, LexError> {
    let tokens = lex(body)?;
    let (pair, matched) = pair_calls(&tokens);
    Ok(build(&tokens, &pair, &matched, max_depth))
}

/// For each opener, the index of its closer; for each closer, whether it
/// closes an opener. A closer takes the nearest open opener of its name;
/// openers above that one stay unpaired. Each name keeps its own stack of
/// positions in the open stack, so a page of closers costs linear time.
fn pair_calls(tokens: &[Token]) -> (Vec<Option<usize>>, Vec<bool>) {
    let mut pair: Vec<Option<usize>> = vec![None; tokens.len()];
    let mut matched = vec![false; tokens.len()];
    // Token indices of open openers, innermost last.
    let mut open: Vec<usize> = Vec::new();
    // Name -> (position in `open`, token index), positions increasing;
    // entries whose opener left `open` are stale and dropped when seen.
    let mut by_name: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for (i, t) in tokens.iter().enumerate() {
        let Token::Call(c) = t else { continue };
        let entries = by_name.entry(c.name.as_str()).or_default();
        while entries
            .last()
            .is_some_and(|&(k, idx)| open.get(k) != Some(&idx))
        {
            entries.pop();
        }
        if c.closing {
            if let Some((k, o)) = entries.pop() {
                if let Some(slot) = pair.get_mut(o) {
                    *slot = Some(i);
                }
                if let Some(m) = matched.get_mut(i) {
                    *m = true;
                }
                open.truncate(k);
            }
        } else if !c.self_closing {
            entries.push((open.len(), i));
            open.push(i);
        }
    }
    (pair, matched)
}

/// A pair being built: its opener, the index of its closer, the nodes so far.
struct OpenPair<'t> {
    call: &'t Call,
    closer: usize,
    nodes: Vec<Node>,
}

/// Builds the tree without recursion (a page may nest pairs thousands deep).
fn build(
    tokens: &[Token],
    pair: &[Option<usize>],
    matched: &[bool],
    max_depth: usize,
) -> Vec<Node> {
    let mut root = Vec::new();
    let mut pairs: Vec<OpenPair> = Vec::new();
    // Closer indices of the flattened pairs open inside the innermost pair.
    let mut flat: Vec<usize> = Vec::new();
    for (idx, token) in tokens.iter().enumerate() {
        if flat.last() == Some(&idx) {
            flat.pop();
            if let Token::Call(c) = token {
                current(&mut pairs, &mut root).push(Node::Flattened(c.clone()));
            }
            continue;
        }
        if pairs.last().is_some_and(|p| p.closer == idx) {
            let Some(p) = pairs.pop() else { break };
            let (inner_end, end) = match token {
                Token::Call(cl) => (cl.start, cl.end),
                Token::Escaped { .. } => (p.call.end, p.call.end),
            };
            current(&mut pairs, &mut root).push(Node::Shortcode {
                call: p.call.clone(),
                inner: Some(Inner {
                    start: p.call.end,
                    end: inner_end,
                    nodes: p.nodes,
                }),
                end,
            });
            continue;
        }
        let full = pairs.len() >= max_depth;
        let nodes = current(&mut pairs, &mut root);
        match token {
            Token::Escaped {
                start,
                end,
                literal,
            } => nodes.push(Node::Escaped {
                start: *start,
                end: *end,
                literal: literal.clone(),
            }),
            Token::Call(c) if c.closing => {
                if !matched.get(idx).copied().unwrap_or(false) {
                    nodes.push(Node::StrayCloser(c.clone()));
                }
            }
            Token::Call(c) => match pair.get(idx).copied().flatten() {
                Some(j) if full => {
                    nodes.push(Node::Flattened(c.clone()));
                    flat.push(j);
                }
                Some(j) => pairs.push(OpenPair {
                    call: c,
                    closer: j,
                    nodes: Vec::new(),
                }),
                None => nodes.push(Node::Shortcode {
                    call: c.clone(),
                    inner: None,
                    end: c.end,
                }),
            },
        }
    }
    root
}

/// Where nodes go now: into the innermost open pair, else the root.
fn current<'n>(pairs: &'n mut [OpenPair], root: &'n mut Vec<Node>) -> &'n mut Vec<Node> {
    match pairs.last_mut() {
        Some(p) => &mut p.nodes,
        None => root,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(body: &str) -> Vec<Call> {
        lex(body)
            .unwrap()
            .into_iter()
            .filter_map(|t| match t {
                Token::Call(c) => Some(c),
                Token::Escaped { .. } => None,
            })
            .collect()
    }

    #[test]
    fn named_and_positional_args() {
        let c = calls(r#"x {{< figure src="/a.png" width=300 "pos" `raw "q"` >}} y"#);
        assert_eq!(c.len(), 1);
        let c = &c[0];
        assert_eq!(c.name, "figure");
        assert_eq!(c.named("src"), Some("/a.png"));
        assert_eq!(c.named("width"), Some("300"));
        assert_eq!(
            c.args[2],
            Arg {
                key: None,
                value: "pos".into()
            }
        );
        assert_eq!(c.args[3].value, "raw \"q\"");
        assert_eq!(c.delim, Delim::Angle);
    }

    #[test]
    fn quoted_escapes_and_percent() {
        let c = calls(r#"{{% note title="a \"b\" c" %}}"#);
        assert_eq!(c[0].delim, Delim::Percent);
        assert_eq!(c[0].named("title"), Some(r#"a "b" c"#));
    }

    #[test]
    fn paired_nested_and_self_closing() {
        let body = "{{< row >}}\n{{< card a=1 />}}\n{{< box >}}in{{< /box >}}\n{{< /row >}}";
        let tree = parse_tree(body, 64).unwrap();
        assert_eq!(tree.len(), 1);
        let Node::Shortcode {
            call,
            inner: Some(inner),
            end,
        } = &tree[0]
        else {
            panic!("{tree:?}")
        };
        assert_eq!(call.name, "row");
        assert_eq!(*end, body.len());
        assert_eq!(inner.nodes.len(), 2);
        assert!(
            matches!(&inner.nodes[0], Node::Shortcode { call, inner: None, .. } if call.self_closing)
        );
        assert!(
            matches!(&inner.nodes[1], Node::Shortcode { inner: Some(i), .. } if &body[i.start..i.end] == "in")
        );
    }

    #[test]
    fn unpaired_without_closer() {
        let tree = parse_tree("{{< a >}} text {{< b >}}", 64).unwrap();
        assert_eq!(tree.len(), 2);
        assert!(
            tree.iter()
                .all(|n| matches!(n, Node::Shortcode { inner: None, .. }))
        );
    }

    #[test]
    fn escaped_form_is_literal() {
        let t = lex("see {{</* figure src=\"x\" */>}} here").unwrap();
        assert_eq!(
            t,
            vec![Token::Escaped {
                start: 4,
                end: 30,
                literal: "{{< figure src=\"x\" >}}".into()
            }]
        );
    }

    #[test]
    fn code_is_not_lexed() {
        let body = "```\n{{< a >}}\n```\n~~~~md\n{{< b >}}\n~~~~\n`{{< c >}}` and ``x {{< d >}}``\n{{< e >}}";
        let c = calls(body);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].name, "e");
    }

    #[test]
    fn unterminated_is_error() {
        let err = lex("ok\n{{< teams name=\"x\"\n\nmore").unwrap_err();
        assert_eq!(err.offset, 3);
        assert_eq!(err.message, "unterminated shortcode `teams`");
        assert!(lex("{{< a {{< b >}}").is_err());
        assert!(lex("{{< a x=\"open >}}").is_err());
    }
}
