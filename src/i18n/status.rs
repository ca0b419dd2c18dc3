//! How complete a language is: translated, fuzzy, untranslated and
//! rejected messages and source words, for the whole catalog, each book
//! and each page. Words are counted in the msgid, whitespace-separated,
//! as `pocount` counts source words.

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
    msgid.split_whitespace().count()
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
