//! How complete a language is: translated, fuzzy, untranslated and
//! rejected messages and source words, for the whole catalog, each book
//! and each page. Words are counted in the msgid as `pocount` counts
//! source words: `<br>` is a break, other XML tags are dropped, a dot
//! between two non-digits (and those two) is a space, and what remains is
//! split at Unicode word boundaries (UAX #29), keeping the words.

use super::check::reject_reason;
use super::extract::Unit;
use super::po::{Catalog, Entry};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What a message's translation is worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Translated,
    Fuzzy,
    Untranslated,
    /// Translated, but the translation breaks the message's markup
    /// (see [`super::check`]).
    Rejected,
}

/// Counts of messages and of their source words by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub translated: Count,
    pub fuzzy: Count,
    pub untranslated: Count,
    pub rejected: Count,
}

/// Messages and words.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Count {
    pub messages: usize,
    pub words: usize,
}

impl Tally {
    /// Counts one message of `words` source words in `state`.
    pub fn add(&mut self, state: State, words: usize) {
        let slot = match state {
            State::Translated => &mut self.translated,
            State::Fuzzy => &mut self.fuzzy,
            State::Untranslated => &mut self.untranslated,
            State::Rejected => &mut self.rejected,
        };
        slot.messages += 1;
        slot.words += words;
    }

    /// All source words.
    pub fn words(&self) -> usize {
        self.translated.words + self.fuzzy.words + self.untranslated.words + self.rejected.words
    }

    /// All messages.
    pub fn messages(&self) -> usize {
        self.translated.messages
            + self.fuzzy.messages
            + self.untranslated.messages
            + self.rejected.messages
    }

    /// Translated words as a percentage of all (100 for nothing to
    /// translate).
    pub fn percent(&self) -> f64 {
        match self.words() {
            0 => 100.0,
            all => 100.0 * self.translated.words as f64 / all as f64,
        }
    }
}

/// Source words of a msgid, as pocount counts them.
pub fn words(msgid: &str) -> usize {
    use unicode_segmentation::UnicodeSegmentation;
    let untagged = without_tags(msgid);
    let chars: Vec<char> = untagged.chars().collect();
    let mut text = String::with_capacity(untagged.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        // pocount's `\D\.\D` (ASCII digits here; other scripts' digits
        // are rare in prose).
        let next = chars.get(i + 2);
        if !c.is_ascii_digit()
            && chars.get(i + 1) == Some(&'.')
            && next.is_some_and(|n| !n.is_ascii_digit())
        {
            text.push(' ');
            i += 3;
            continue;
        }
        text.push(c);
        i += 1;
    }
    text.unicode_words().count()
}

/// `text` with XML-like tags removed (`<br>` as a line break), as
/// pocount's tag pattern matches them.
fn without_tags(text: &str) -> String {
    let name = |c: char| c.is_alphanumeric() || c == '_' || c == '.' || c == ':';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        match tag_len(tail, name) {
            Some((len, tag)) => {
                if tag.eq_ignore_ascii_case("br") {
                    out.push('\n');
                }
                rest = &tail[len..];
            }
            None => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The byte length and name of the tag `s` starts with, if it is one:
/// `</name>`, or `<name attr="v" …>` / `<name/>`.
fn tag_len(s: &str, name: impl Fn(char) -> bool) -> Option<(usize, String)> {
    let body = s.strip_prefix('<')?;
    if let Some(close) = body.strip_prefix('/') {
        let n: String = close.chars().take_while(|&c| c != ':' && name(c)).collect();
        let after = close.get(n.len()..)?;
        return (!n.is_empty() && after.starts_with('>')).then(|| (n.len() + 3, n));
    }
    let n: String = body.chars().take_while(|&c| name(c)).collect();
    if n.is_empty() {
        return None;
    }
    let mut at = 1 + n.len();
    // Attributes: a space, a name, `=`, a quoted value.
    loop {
        let rest = s.get(at..)?;
        if rest.starts_with("/>") {
            return Some((at + 2, n));
        }
        if rest.starts_with('>') {
            return Some((at + 1, n));
        }
        let attr = rest.strip_prefix(|c: char| c.is_whitespace())?;
        let an: String = attr.chars().take_while(|&c| name(c)).collect();
        if an.is_empty() {
            return None;
        }
        let after = attr.get(an.len()..)?.strip_prefix('=')?;
        let quote = after.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        let close = after.get(1..)?.find(quote)?;
        at += (rest.len() - attr.len()) + an.len() + 1 + close + 2;
    }
}

/// The state of each message of a language's catalog, by msgid.
pub struct Lookup<'a> {
    live: HashMap<&'a str, &'a Entry>,
}

impl<'a> Lookup<'a> {
    /// The live, context-free entries of `catalog` (None: no file yet).
    pub fn new(catalog: Option<&'a Catalog>) -> Self {
        let live = catalog
            .map(|c| {
                c.entries
                    .iter()
                    .filter(|e| !e.obsolete && e.msgctxt.is_none())
                    .map(|e| (e.msgid.as_str(), e))
                    .collect()
            })
            .unwrap_or_default();
        Lookup { live }
    }

    /// The entry for `msgid`, if the file has one.
    pub fn entry(&self, msgid: &str) -> Option<&'a Entry> {
        self.live.get(msgid).copied()
    }

    /// The state of `msgid`'s translation.
    pub fn state(&self, msgid: &str) -> State {
        match self.entry(msgid) {
            None => State::Untranslated,
            Some(e) => entry_state(e),
        }
    }
}

/// The state of one entry.
pub fn entry_state(e: &Entry) -> State {
    if e.msgstr.is_empty() {
        State::Untranslated
    } else if e.is_fuzzy() {
        State::Fuzzy
    } else if reject_reason(&e.msgid, &e.msgstr).is_some() {
        State::Rejected
    } else {
        State::Translated
    }
}

/// The tally of a whole catalog file (each live entry once, the header
/// left out): what `pocount` reports for it.
pub fn catalog_tally(catalog: &Catalog) -> Tally {
    let mut t = Tally::default();
    for e in catalog.entries.iter().filter(|e| !e.obsolete) {
        t.add(entry_state(e), words(&e.msgid));
    }
    t
}

/// One book's status: its tally (each message once) and each page's.
#[derive(Debug, Clone, Serialize)]
pub struct BookStatus {
    pub book: String,
    #[serde(flatten)]
    pub tally: Tally,
    /// Translated words, per cent.
    pub complete: f64,
    /// Whether `complete` reaches the threshold for PDF and EPUB output.
    pub passes: bool,
    /// Per page (its source path under the content root), in reading order.
    pub pages: Vec<PageStatus>,
}

/// One page's status.
#[derive(Debug, Clone, Serialize)]
pub struct PageStatus {
    pub page: String,
    #[serde(flatten)]
    pub tally: Tally,
}

/// The status of a book of `units` against `lookup`; `min_complete` is
/// the threshold in per cent.
pub fn book_status(name: &str, units: &[Unit], lookup: &Lookup, min_complete: f64) -> BookStatus {
    let mut tally = Tally::default();
    let mut seen = HashSet::new();
    let mut pages: BTreeMap<usize, PageStatus> = BTreeMap::new();
    let mut order: HashMap<&str, usize> = HashMap::new();
    let mut page_seen: HashSet<(&str, &str)> = HashSet::new();
    for u in units {
        let text = u.message.text.as_str();
        let state = lookup.state(text);
        let n = words(text);
        if seen.insert(text) {
            tally.add(state, n);
        }
        if u.page.is_empty() || !page_seen.insert((u.page.as_str(), text)) {
            continue;
        }
        let next = order.len();
        let index = *order.entry(u.page.as_str()).or_insert(next);
        pages
            .entry(index)
            .or_insert_with(|| PageStatus {
                page: u.page.clone(),
                tally: Tally::default(),
            })
            .tally
            .add(state, n);
    }
    let complete = tally.percent();
    BookStatus {
        book: name.to_string(),
        tally,
        complete,
        passes: complete >= min_complete,
        pages: pages.into_values().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn words_are_counted_as_pocount_counts_them() {
        // Figures from pocount (translate-toolkit 3.17) on the same msgids.
        let cases = [
            ("The quick brown fox.", 4),
            ("XMPP's *core* [RFC 6120][1] e.g. x", 6),
            ("Version 1.2.3 of `folio --help`", 5),
            ("Grüße aus Köln", 3),
            ("line<br/>break <sup>2</sup>", 3),
            ("a.b c", 1),
            ("", 0),
            ("— … !", 0),
        ];
        for (text, n) in cases {
            assert_eq!(words(text), n, "{text:?}");
        }
    }
}
