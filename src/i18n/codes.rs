//! A message's Markdown as text and inline codes, for XLIFF: emphasis,
//! strikethrough, sup/sub and links become paired codes (`<pc>`) around
//! translatable text, code spans, footnote references, images and hard
//! breaks standalone codes (`<ph>`), each code's Markdown kept as its
//! original data. Escapes are undone in the text and redone on the way
//! back, so a message round-trips (up to equivalent Markdown escaping).

/// One piece of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// A paired code's start: its Markdown (`*`, `[`) and its end's.
    Open {
        start: String,
        end: String,
    },
    Close,
    /// A standalone code's Markdown (`` `x` ``, `[^1]`, `![logo][2]`).
    Placeholder(String),
}

/// Characters [`super::msgid`] escapes in text.
const SPECIAL: [char; 8] = ['\\', '*', '_', '[', ']', '`', '<', '~'];

#[derive(Debug, Clone)]
enum Raw {
    Text(String),
    /// A delimiter that may open or close (`*`, `**`, `~~`).
    Toggle(String),
    Opener(String),
    /// Closes the innermost `[` / `![`: `][n]` or `](url)`.
    LinkEnd(String),
    /// `</sup>`, `</sub>`: closes the matching opener.
    TagEnd(String),
    Placeholder(String),
}

/// The pieces of `markdown`; pairs that do not nest become placeholders.
pub fn split(markdown: &str) -> Vec<Piece> {
    pair(&tokens(markdown))
}

/// The Markdown of `pieces` (text escaped as `msgid` escapes it).
pub fn join(pieces: &[Piece]) -> String {
    let mut out = String::new();
    let mut ends: Vec<&str> = Vec::new();
    for p in pieces {
        match p {
            Piece::Text(t) => {
                for c in t.chars() {
                    if SPECIAL.contains(&c) {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
            Piece::Open { start, end } => {
                out.push_str(start);
                ends.push(end);
            }
            Piece::Close => out.push_str(ends.pop().unwrap_or_default()),
            Piece::Placeholder(data) => out.push_str(data),
        }
    }
    while let Some(end) = ends.pop() {
        out.push_str(end);
    }
    out
}

fn tokens(s: &str) -> Vec<Raw> {
    let mut out: Vec<Raw> = Vec::new();
    let mut text = String::new();
    let mut find = Finder::default();
    // Byte offsets throughout: every step is O(1) but for the searches,
    // which `Finder` keeps linear over the whole message.
    let mut i = 0;
    while let Some(tail) = s.get(i..) {
        let mut chars = tail.chars();
        let Some(c) = chars.next() else { break };
        let next = chars.next();
        let mut code = |raw: Raw, len: usize| {
            if !text.is_empty() {
                out.push(Raw::Text(std::mem::take(&mut text)));
            }
            out.push(raw);
            len
        };
        let step = match (c, next) {
            ('\\', Some('\n')) => code(Raw::Placeholder("\\\n".into()), 2),
            ('\\', Some(n)) => {
                text.push(n);
                1 + n.len_utf8()
            }
            ('`', _) => {
                let run = tail.bytes().take_while(|&b| b == b'`').count();
                match find.fence(s, i + run, run) {
                    Some(end) => code(Raw::Placeholder(s[i..end + run].to_string()), end + run - i),
                    None => {
                        text.push_str(&tail[..run]);
                        run
                    }
                }
            }
            ('*', Some('*')) => code(Raw::Toggle("**".into()), 2),
            ('*', _) => code(Raw::Toggle("*".into()), 1),
            ('~', Some('~')) => code(Raw::Toggle("~~".into()), 2),
            ('[', Some('^')) if find.byte(s, i + 2, b']').is_some() => {
                let end = find.byte(s, i + 2, b']').unwrap_or(i);
                code(Raw::Placeholder(s[i..=end].to_string()), end + 1 - i)
            }
            ('!', Some('[')) => code(Raw::Opener("![".into()), 2),
            ('[', _) => code(Raw::Opener("[".into()), 1),
            (']', Some(open @ ('[' | '('))) => {
                let close = if open == '[' { b']' } else { b')' };
                match find.byte(s, i + 2, close) {
                    Some(end) => code(Raw::LinkEnd(s[i..=end].to_string()), end + 1 - i),
                    None => {
                        text.push(']');
                        1
                    }
                }
            }
            ('<', _) => {
                let tag = ["<sup>", "<sub>", "</sup>", "</sub>"]
                    .into_iter()
                    .find(|t| tail.starts_with(t));
                match tag {
                    Some(t) if t.starts_with("</") => code(Raw::TagEnd(t.into()), t.len()),
                    Some(t) => code(Raw::Opener(t.into()), t.len()),
                    None => {
                        text.push('<');
                        1
                    }
                }
            }
            (c, _) => {
                text.push(c);
                c.len_utf8()
            }
        };
        i += step;
    }
    if !text.is_empty() {
        out.push(Raw::Text(text));
    }
    out
}

/// Searches forward in a message, remembering answers, so that a message
/// full of unclosed `[^` or backtick runs costs linear time, not quadratic.
#[derive(Default)]
struct Finder {
    /// Per byte searched for: the last answer and where its search began.
    bytes: Vec<(u8, usize, Option<usize>)>,
    /// Fence lengths known to have no closing run after a position.
    no_fence: Vec<(usize, usize)>,
}

impl Finder {
    /// The first `b` at or after `from`.
    fn byte(&mut self, s: &str, from: usize, b: u8) -> Option<usize> {
        if let Some(&(_, start, found)) = self.bytes.iter().find(|(x, _, _)| *x == b) {
            match found {
                Some(at) if start <= from && at >= from => return Some(at),
                None if start <= from => return None,
                _ => {}
            }
        }
        let found = s
            .as_bytes()
            .get(from..)
            .and_then(|rest| rest.iter().position(|&x| x == b))
            .map(|p| from + p);
        self.bytes.retain(|(x, _, _)| *x != b);
        self.bytes.push((b, from, found));
        found
    }

    /// The start of the first run of exactly `run` backticks at or after
    /// `from`.
    fn fence(&mut self, s: &str, from: usize, run: usize) -> Option<usize> {
        if self
            .no_fence
            .iter()
            .any(|&(r, start)| r == run && start <= from)
        {
            return None;
        }
        let bytes = s.as_bytes();
        let mut i = from;
        while i < bytes.len() {
            if bytes.get(i) == Some(&b'`') {
                let len = bytes
                    .get(i..)
                    .unwrap_or(&[])
                    .iter()
                    .take_while(|&&b| b == b'`')
                    .count();
                if len == run {
                    return Some(i);
                }
                i += len;
            } else {
                i += 1;
            }
        }
        self.no_fence.push((run, from));
        None
    }
}

/// Matches openers with their closers; what does not match becomes a
/// placeholder (its Markdown kept as it was written).
fn pair(raw: &[Raw]) -> Vec<Piece> {
    // Which raw index each index pairs with.
    let mut partner: Vec<Option<usize>> = vec![None; raw.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        match r {
            Raw::Toggle(d) => {
                let top = stack.last().copied();
                match top.and_then(|t| raw.get(t)) {
                    Some(Raw::Toggle(open)) if open == d => {
                        let t = stack.pop().unwrap_or(i);
                        partner[t] = Some(i);
                        partner[i] = Some(t);
                    }
                    _ => stack.push(i),
                }
            }
            Raw::Opener(_) => stack.push(i),
            Raw::LinkEnd(_) | Raw::TagEnd(_) => {
                let wanted = |o: &Raw| match (r, o) {
                    (Raw::LinkEnd(_), Raw::Opener(o)) => o == "[" || o == "![",
                    (Raw::TagEnd(e), Raw::Opener(o)) => e.replace('/', "") == *o,
                    _ => false,
                };
                if let Some(&t) = stack.last()
                    && raw.get(t).is_some_and(wanted)
                {
                    stack.pop();
                    partner[t] = Some(i);
                    partner[i] = Some(t);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while let Some(r) = raw.get(i) {
        let data = |r: &Raw| match r {
            Raw::Text(s)
            | Raw::Toggle(s)
            | Raw::Opener(s)
            | Raw::LinkEnd(s)
            | Raw::TagEnd(s)
            | Raw::Placeholder(s) => s.clone(),
        };
        match (r, partner.get(i).copied().flatten()) {
            (Raw::Text(t), _) => out.push(Piece::Text(t.clone())),
            (Raw::Placeholder(p), _) => out.push(Piece::Placeholder(p.clone())),
            (Raw::Opener(o), Some(end)) if o == "![" => {
                // An image: its alt text and reference as one code.
                let whole: String = raw
                    .get(i..=end)
                    .unwrap_or(&[])
                    .iter()
                    .map(|r| match r {
                        Raw::Text(t) => join(&[Piece::Text(t.clone())]),
                        other => data(other),
                    })
                    .collect();
                out.push(Piece::Placeholder(whole));
                i = end + 1;
                continue;
            }
            (_, Some(end)) if end > i => out.push(Piece::Open {
                start: data(r),
                end: raw.get(end).map(data).unwrap_or_default(),
            }),
            (_, Some(_)) => out.push(Piece::Close),
            (other, None) => out.push(Piece::Placeholder(data(other))),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_through_pieces() {
        let cases = [
            "Read the [FAQ][1] and *then* **the** ``a`b``[^x]![logo][2]",
            "Plain text with 2\\*3 \\[x\\] \\_y\\_ \\`z\\` \\<b> and ~~strike~~ <sup>2</sup>",
            "one\\\ntwo",
            "See [die Seite](/de/faq/) now",
            "A lone * star and a [ bracket",
            "",
        ];
        for m in cases {
            assert_eq!(join(&split(m)), m, "{:?}", split(m));
        }
    }

    #[test]
    fn markup_becomes_codes_around_text() {
        let p = split("Read *the [FAQ][1]* `x`");
        assert_eq!(
            p,
            vec![
                Piece::Text("Read ".into()),
                Piece::Open {
                    start: "*".into(),
                    end: "*".into()
                },
                Piece::Text("the ".into()),
                Piece::Open {
                    start: "[".into(),
                    end: "][1]".into()
                },
                Piece::Text("FAQ".into()),
                Piece::Close,
                Piece::Close,
                Piece::Text(" ".into()),
                Piece::Placeholder("`x`".into()),
            ]
        );
    }
}
