//! Text as Hugo shows it, around what pulldown-cmark's smart punctuation
//! does: the places it must not touch, and `:emoji:` codes.
//!
//! Goldmark (Hugo's Markdown) turns a bare URL into a link before its
//! typographer runs, and an escaped shortcode is shown as written; neither
//! is a link to pulldown-cmark, so the smart characters it makes inside
//! them are put back as written.

use crate::model::{Block, Inline, for_each_block_inline_mut};
use std::ops::Range;

/// The characters smart punctuation writes in place of `'`, `"`, `--`,
/// `---` and `...`.
const SMART: [char; 7] = ['‘', '’', '“', '”', '–', '—', '…'];

/// The byte ranges of bare URLs (`scheme://...`) in `text`, in order:
/// up to a space or a character that cannot be in one, without trailing
/// punctuation or an unmatched `)`, as GitHub's autolinks end.
pub(super) fn bare_urls(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|rest| rest.find("://")) {
        let at = from + found;
        from = at + 3;
        // The scheme: letters, digits, `+`, `-`, `.`, starting with a letter.
        let mut start = at;
        while start > 0
            && bytes
                .get(start - 1)
                .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        {
            start -= 1;
        }
        while start < at && !bytes.get(start).is_some_and(u8::is_ascii_alphabetic) {
            start += 1;
        }
        if start == at || out.last().is_some_and(|r| r.end > start) {
            continue;
        }
        let mut end = from;
        for (i, c) in text.get(from..).unwrap_or_default().char_indices() {
            if c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | '[' | ']') {
                end = from + i;
                break;
            }
            end = from + i + c.len_utf8();
        }
        // Trailing punctuation ends the sentence, not the URL.
        loop {
            let tail = text.get(start..end).unwrap_or_default();
            match tail.chars().last() {
                Some('.' | ',' | ':' | ';' | '!' | '?' | '\'' | '*' | '_' | '~') => end -= 1,
                Some(')') if tail.matches('(').count() < tail.matches(')').count() => end -= 1,
                _ => break,
            }
        }
        if end > from {
            out.push(start..end);
            from = end;
        }
    }
    out
}

/// For a text event pulldown-cmark made by smart punctuation at `range`
/// of `source` inside one of the `verbatim` ranges (sorted), the
/// characters as written.
pub(super) fn as_written<'s>(
    text: &str,
    source: &'s str,
    range: &Range<usize>,
    verbatim: &[Range<usize>],
) -> Option<&'s str> {
    if text.is_empty() || !text.chars().all(|c| SMART.contains(&c)) {
        return None;
    }
    let i = verbatim.partition_point(|r| r.start <= range.start);
    let inside = i
        .checked_sub(1)
        .and_then(|i| verbatim.get(i))
        .is_some_and(|r| range.end <= r.end);
    let raw = source.get(range.clone())?;
    (inside && raw.chars().all(|c| matches!(c, '\'' | '"' | '-' | '.'))).then_some(raw)
}

/// Replaces `:name:` emoji codes (GitHub's gemoji names, as Hugo's
/// `enableEmoji`) in the text of `blocks`; code is never touched.
pub(super) fn emojify(blocks: &mut [Block]) {
    for_each_block_inline_mut(blocks, &mut |_, inline| {
        if let Inline::Text { text } = inline
            && text.contains(':')
        {
            *text = replace_codes(text);
        }
    });
}

/// `text` with each `:name:` that names an emoji replaced by it.
fn replace_codes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find(':') {
        out.push_str(rest.get(..open).unwrap_or_default());
        let after = rest.get(open + 1..).unwrap_or_default();
        let name_len = after
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'-'))
            .count();
        let name = after.get(..name_len).unwrap_or_default();
        let closed = after.as_bytes().get(name_len) == Some(&b':');
        match emojis::get_by_shortcode(name).filter(|_| closed && !name.is_empty()) {
            Some(emoji) => {
                out.push_str(emoji.as_str());
                rest = after.get(name_len + 1..).unwrap_or_default();
            }
            None => {
                // The colon may close this word and open a code.
                out.push(':');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<&str> {
        bare_urls(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn bare_urls_end_where_prose_resumes() {
        assert_eq!(
            urls("See https://a.org/x--y... or (http://b.org/c_(d)). And 'ftp://c.org'!"),
            vec!["https://a.org/x--y", "http://b.org/c_(d)", "ftp://c.org"]
        );
        assert_eq!(urls("<https://x.org/a>"), vec!["https://x.org/a"]);
        assert!(urls("no :// scheme, ://x, 9://y").is_empty());
    }

    #[test]
    fn emoji_codes() {
        assert_eq!(replace_codes(":smile: and :+1:"), "😄 and 👍");
        assert_eq!(
            replace_codes("at 10:30:45 :not_an_emoji: x:tada:"),
            "at 10:30:45 :not_an_emoji: x🎉"
        );
        assert_eq!(replace_codes("::smile:: :"), ":😄: :");
    }
}
