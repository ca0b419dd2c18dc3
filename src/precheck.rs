//! Size and nesting of YAML or TOML text, measured before any parser sees
//! it. The YAML scanner takes time quadratic in the depth of flow
//! collections (`[[[[...`: 100 000 levels do not finish) and the typed
//! parsers recurse, so depth is bounded here by one linear pass that knows
//! just enough syntax (quotes, comments, block scalars) not to count
//! brackets inside text. The count is an upper bound: every block level
//! (indentation, `- ` entries) and every open bracket adds one.

use crate::diag::Diagnostic;
use crate::limits::Limits;
use std::path::Path;

/// Which syntax the text is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Toml,
    /// `Key: value` lines: no nesting, only the size counts.
    Lines,
}

/// Checks `text` against `limits.front_matter_bytes` and
/// `limits.front_matter_depth`. `first_line` is the file line `text`
/// starts on; `what` names the text in the message (`front matter`).
pub fn check(
    text: &str,
    syntax: Syntax,
    limits: &Limits,
    path: &Path,
    first_line: u32,
    what: &str,
) -> Result<(), Diagnostic> {
    if text.len() > limits.front_matter_bytes {
        return Err(Diagnostic::error(
            path,
            first_line,
            format!(
                "{what} is {} bytes, more than the limit of {}",
                text.len(),
                limits.front_matter_bytes
            ),
        )
        .with_hint("raise `limits: front_matter_bytes` in folio.yaml if this is intended"));
    }
    let deepest = match syntax {
        Syntax::Yaml => yaml_depth(text, limits.front_matter_depth),
        Syntax::Toml => toml_depth(text, limits.front_matter_depth),
        Syntax::Lines => None,
    };
    match deepest {
        Some(line) => Err(Diagnostic::error(
            path,
            first_line
                .saturating_add(u32::try_from(line).unwrap_or(u32::MAX))
                .saturating_sub(1),
            format!(
                "{what} is nested more than {} levels deep",
                limits.front_matter_depth
            ),
        )
        .with_hint("raise `limits: front_matter_depth` in folio.yaml if this is intended")),
        None => Ok(()),
    }
}

/// The 1-based line on which YAML `text` first nests deeper than `limit`.
fn yaml_depth(text: &str, limit: usize) -> Option<usize> {
    let mut scan = YamlScan::default();
    for (index, line) in text.lines().enumerate() {
        if scan.line(line) > limit {
            return Some(index + 1);
        }
    }
    None
}

/// State carried from one YAML line to the next.
#[derive(Default)]
struct YamlScan {
    /// Columns of the enclosing block nodes.
    blocks: Vec<usize>,
    /// Open flow brackets.
    flow: usize,
    /// Inside a quoted scalar that goes on past the line end.
    quote: Option<char>,
    /// Inside a block scalar (`|`, `>`) whose owner sits at this column.
    block_scalar: Option<usize>,
}

impl YamlScan {
    /// Scans one line; returns the deepest nesting on it.
    fn line(&mut self, line: &str) -> usize {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        if let Some(owner) = self.block_scalar {
            if blank || indent > owner {
                return 0;
            }
            self.block_scalar = None;
        }
        let bytes = line.as_bytes();
        let mut i = 0;
        let mut deepest = self.blocks.len() + self.flow;
        if self.quote.is_none() && self.flow == 0 {
            if blank || line.trim_start().starts_with('#') {
                return deepest;
            }
            while self.blocks.last().is_some_and(|&col| col >= indent) {
                self.blocks.pop();
            }
            self.blocks.push(indent);
            i = indent;
            // Compact nested entries: `- - - x` and `? - x` open a level each.
            while let Some(b'-' | b'?') = bytes.get(i) {
                if !matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')) {
                    break;
                }
                i += 2;
                while bytes.get(i) == Some(&b' ') {
                    i += 1;
                }
                self.blocks.push(i);
            }
            deepest = self.blocks.len();
        }
        let block_depth = self.blocks.len();
        // Where a node may start: a quote there opens a quoted scalar, a
        // bracket a flow collection (elsewhere they are plain text).
        let mut node_start = true;
        while let Some(&b) = bytes.get(i) {
            if let Some(q) = self.quote {
                match (q, b) {
                    ('"', b'\\') => i += 1,
                    ('"', b'"') => self.quote = None,
                    ('\'', b'\'') if bytes.get(i + 1) == Some(&b'\'') => i += 1,
                    ('\'', b'\'') => self.quote = None,
                    _ => {}
                }
                i += 1;
                node_start = false;
                continue;
            }
            match b {
                b'#' if i == 0 || matches!(bytes.get(i - 1), Some(b' ' | b'\t')) => break,
                b'"' | b'\'' if node_start => self.quote = Some(char::from(b)),
                b'[' | b'{' if node_start || self.flow > 0 => {
                    self.flow += 1;
                    deepest = deepest.max(block_depth + self.flow);
                }
                b']' | b'}' if self.flow > 0 => self.flow -= 1,
                b'|' | b'>' if node_start && self.flow == 0 => {
                    self.block_scalar = Some(indent);
                    break;
                }
                _ => {}
            }
            // Blanks keep the state; `: ` and (in flow) `,` `[` `{` start a
            // node; `- ` and `? ` do where a node could start anyway.
            node_start = match b {
                b' ' | b'\t' => node_start,
                b':' => matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')),
                b',' | b'[' | b'{' => self.flow > 0,
                b'-' | b'?' => node_start,
                _ => false,
            };
            i += 1;
        }
        deepest
    }
}

/// The 1-based line on which TOML `text` first nests deeper than `limit`:
/// a key counts one level and one more per dot (`a.b.c`, also in
/// `[table.headers]`, which the keys below add to), an inline array or
/// table one level per bracket.
fn toml_depth(text: &str, limit: usize) -> Option<usize> {
    let mut header = 0;
    let mut flow = 0usize;
    // Inside a multi-line string: its closing delimiter.
    let mut multi: Option<&str> = None;
    for (index, line) in text.lines().enumerate() {
        let mut rest = line;
        let mut fresh = flow == 0;
        if let Some(close) = multi {
            match rest.find(close) {
                Some(at) => {
                    rest = rest.get(at + close.len()..).unwrap_or_default();
                    multi = None;
                    fresh = false;
                }
                None => continue,
            }
        }
        if fresh && rest.trim_start().starts_with('[') {
            header = dots(rest) + 1;
            if header > limit {
                return Some(index + 1);
            }
            continue;
        }
        let mut depth = header + usize::from(fresh);
        let mut in_key = fresh;
        let bytes = rest.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'#' => break,
                b'"' | b'\'' => match skip_string(rest, i) {
                    Some(end) => i = end,
                    None => {
                        multi = Some(if b == b'"' { "\"\"\"" } else { "'''" });
                        break;
                    }
                },
                b'.' if in_key => depth += 1,
                b'=' => in_key = false,
                b'[' | b'{' => {
                    flow += 1;
                    in_key = b == b'{';
                }
                b']' | b'}' => flow = flow.saturating_sub(1),
                b',' if flow > 0 => in_key = true,
                _ => {}
            }
            if depth + flow > limit {
                return Some(index + 1);
            }
            i += 1;
        }
    }
    None
}

/// The index of the closing quote of the TOML string opening at `start`,
/// or `None` for a multi-line string that does not close on this line.
fn skip_string(line: &str, start: usize) -> Option<usize> {
    let tail = line.get(start..).unwrap_or_default();
    let quote = tail.as_bytes().first().copied()?;
    let triple = if quote == b'"' { "\"\"\"" } else { "'''" };
    if tail.starts_with(triple) {
        let end = tail.get(3..).unwrap_or_default().find(triple)?;
        return Some(start + 3 + end + 2);
    }
    let bytes = tail.as_bytes();
    let mut i = 1;
    while let Some(&c) = bytes.get(i) {
        if c == b'\\' && quote == b'"' {
            i += 1;
        } else if c == quote {
            return Some(start + i);
        }
        i += 1;
    }
    // An unclosed one-line string: the parser will say so.
    Some(start + bytes.len())
}

/// Dots outside quotes in a TOML key or table header.
fn dots(text: &str) -> usize {
    let mut quote = None;
    let mut n = 0;
    for c in text.chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '.') => n += 1,
            (None, '#') => break,
            _ => {}
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Option<usize> {
        yaml_depth(text, 4)
    }

    #[test]
    fn yaml_flow_and_block_depth() {
        assert_eq!(yaml("a: [[[1]]]\n"), None);
        assert_eq!(yaml("a: [[[[1]]]]\n"), Some(1));
        assert_eq!(yaml("a:\n  b:\n    c:\n      d: 1\n"), None);
        assert_eq!(yaml("a:\n  b:\n    c:\n      d:\n        e: 1\n"), Some(5));
        assert_eq!(yaml("- - - - - x\n"), Some(1));
        assert_eq!(yaml("a: {b: {c: [\n  [1]]}}\n"), Some(2));
    }

    #[test]
    fn yaml_brackets_in_text_do_not_count() {
        assert_eq!(yaml("title: \"[[[[[[\"\n"), None);
        assert_eq!(yaml("title: '[[[[[[ it''s'\n"), None);
        assert_eq!(yaml("title: don't [[[[[[ panic\n"), None);
        assert_eq!(yaml("a: 1 # [[[[[[\n"), None);
        assert_eq!(yaml("a: |\n  [[[[[[\n  {{{{{{\nb: 1\n"), None);
        assert_eq!(yaml("a: \"x\n  [[[[[[ y\"\n"), None);
        assert_eq!(yaml("a: [\"]]]\", [[[[1]]]]]\n"), Some(1));
    }

    #[test]
    fn toml_depth_counts_dots_and_brackets() {
        let toml = |t| toml_depth(t, 4);
        assert_eq!(toml("a = [[[1]]]\n"), None);
        assert_eq!(toml("a = [[[[[1]]]]]\n"), Some(1));
        assert_eq!(toml("a.b.c.d.e = 1\n"), Some(1));
        assert_eq!(toml("[a.b.c]\nd.e = 1\n"), Some(2));
        assert_eq!(toml("a = \"[[[[[[\"\nb = '''\n[[[[[[\n'''\n"), None);
        assert_eq!(toml("a = { b = { c = { d = { e = 1 } } } }\n"), Some(1));
    }

    #[test]
    fn huge_nesting_fails_fast_with_a_line() {
        let deep = format!("---\nx: {}\n", "[".repeat(100_000));
        let start = std::time::Instant::now();
        let err = check(
            &deep,
            Syntax::Yaml,
            &Limits::default(),
            Path::new("p.md"),
            2,
            "front matter",
        )
        .unwrap_err();
        assert!(start.elapsed().as_millis() < 500);
        assert_eq!(err.line, 3);
        assert!(err.message.contains("nested more than 64"), "{err}");
        let limits = Limits {
            front_matter_bytes: 10,
            ..Limits::default()
        };
        let err = check(
            "a: 12345678901",
            Syntax::Lines,
            &limits,
            Path::new("p"),
            1,
            "x",
        )
        .unwrap_err();
        assert!(err.message.contains("more than the limit of 10"), "{err}");
    }
}
