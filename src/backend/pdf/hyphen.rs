//! Hyphenation patterns per language (the `hyphenation` crate's, all
//! built in), chosen by each page's language and loaded once per language
//! for the book; the hyphenation points of each word are cached too, in
//! shards behind locks of their own so the layout threads' look-ups
//! seldom meet on one.

use super::sync::{lock, read, write};
use crate::diag::{Diagnostic, Diagnostics};
use hyphenation::{Hyphenator, Language, Load, Standard};
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// Hyphenation points of the words of one language.
type WordBreaks = FxHashMap<Box<str>, Box<[usize]>>;

/// Shards of the word cache: a power of two, well above the number of
/// layout threads.
const SHARDS: usize = 16;

/// One shard: by language tag, then word.
type Shard = RwLock<FxHashMap<String, WordBreaks>>;

/// The patterns of every language the book's pages use, loaded on first
/// use; shared by the layout threads.
pub struct Hyphenators {
    enabled: bool,
    /// Patterns by language tag as pages give it (`None`: the crate has none).
    by_lang: Mutex<HashMap<String, Option<Arc<Standard>>>>,
    /// Hyphenation points by shard ([`shard`]), language tag, then word.
    words: [Shard; SHARDS],
    /// Languages without patterns, with the first page in each.
    unhyphenated: Mutex<BTreeMap<String, PathBuf>>,
}

impl Hyphenators {
    /// Hyphenation on or off (the style's `body.hyphenate`).
    pub fn new(enabled: bool) -> Hyphenators {
        Hyphenators {
            enabled,
            by_lang: Mutex::new(HashMap::new()),
            words: std::array::from_fn(|_| Shard::default()),
            unhyphenated: Mutex::new(BTreeMap::new()),
        }
    }

    /// Whether words are hyphenated at all.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    fn patterns(&self, lang: &str) -> Option<Arc<Standard>> {
        // Loaded under the lock: two threads never load the same patterns.
        let mut by_lang = lock(&self.by_lang);
        if let Some(found) = by_lang.get(lang) {
            return found.clone();
        }
        let found = patterns_for(lang)
            .and_then(|l| Standard::from_embedded(l).ok())
            .map(Arc::new);
        by_lang.insert(lang.to_string(), found.clone());
        found
    }

    /// Notes that the page at `source` is in `lang`: a language without
    /// patterns is reported once, at its first page (not for scripts that
    /// are not hyphenated anyway).
    pub fn note_page(&self, lang: &str, source: &Path) {
        if self.enabled && self.patterns(lang).is_none() && !unhyphenated_script(lang) {
            lock(&self.unhyphenated)
                .entry(lang.to_string())
                .or_insert_with(|| source.to_path_buf());
        }
    }

    /// Hands `f` each byte offset where `word` (letters only) may be
    /// hyphenated in `lang`, in order.
    pub fn each_break(&self, lang: &str, word: &str, mut f: impl FnMut(usize)) {
        let shard = &self.words[shard(word)];
        // By language, then word: a hit allocates no key, and the points
        // are read in place (no count of references to bump).
        if let Some(found) = read(shard).get(lang).and_then(|w| w.get(word)) {
            found.iter().for_each(|&b| f(b));
            return;
        }
        let breaks: Box<[usize]> = match self.patterns(lang) {
            Some(h) if self.enabled => h.hyphenate(word).breaks.into(),
            _ => Box::default(),
        };
        breaks.iter().for_each(|&b| f(b));
        write(shard)
            .entry(lang.to_string())
            .or_default()
            .entry(word.into())
            .or_insert(breaks);
    }

    /// One warning per language without patterns, at its first page.
    pub fn report(&self, diags: &mut Diagnostics) {
        for (lang, source) in lock(&self.unhyphenated).iter() {
            diags.push(Diagnostic::warning(
                source,
                0,
                format!(
                    "no hyphenation patterns for language `{lang}`; its pages are not hyphenated in the PDF"
                ),
            ));
        }
    }
}

/// The shard of `word`: not the map's hash (that would hash each word
/// twice): length and last byte spread words well enough.
fn shard(word: &str) -> usize {
    let last = word.as_bytes().last().copied().unwrap_or(0);
    (word.len() ^ usize::from(last)) % SHARDS
}

/// Languages whose script is not hyphenated (CJK and Southeast Asian
/// scripts break between characters or words; Hebrew and Arabic do not
/// hyphenate): no warning for them.
fn unhyphenated_script(tag: &str) -> bool {
    let primary = tag.split(['-', '_']).next().unwrap_or_default();
    matches!(
        primary.to_ascii_lowercase().as_str(),
        "ja" | "zh" | "ko" | "th" | "lo" | "km" | "my" | "he" | "yi" | "ar" | "fa" | "ur"
    )
}

/// The patterns for BCP 47 tag `tag`: the tag itself when the crate knows
/// it (`en-gb`, `de-1901`), else its language (`pt` for `pt-BR`, German's
/// 1996 spelling for `de-AT`, monotonic Greek for `el`); English (US) when
/// no language is given.
fn patterns_for(tag: &str) -> Option<Language> {
    let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
    if tag.is_empty() {
        return Some(Language::EnglishUS);
    }
    if let Some(lang) = Language::try_from_code(&tag) {
        return Some(lang);
    }
    let primary = tag.split('-').next().unwrap_or_default();
    match (primary, tag.as_str()) {
        ("en", _) => Some(Language::EnglishUS),
        ("de", t) if t.starts_with("de-ch") => Some(Language::GermanSwiss),
        ("de", _) => Some(Language::German1996),
        ("el", _) => Some(Language::GreekMono),
        ("mn", _) => Some(Language::Mongolian),
        ("sr", t) if t.contains("latn") => Some(Language::SerbocroatianLatin),
        ("sr", _) => Some(Language::SerbianCyrillic),
        ("no", _) => Some(Language::NorwegianBokmal),
        // The crate's Chinese patterns are for pinyin, not Chinese script.
        ("zh", _) => None,
        (primary, _) => Language::try_from_code(primary),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_find_their_patterns() {
        for (tag, want) in [
            ("en", Some(Language::EnglishUS)),
            ("en-GB", Some(Language::EnglishGB)),
            ("", Some(Language::EnglishUS)),
            ("de", Some(Language::German1996)),
            ("de-AT", Some(Language::German1996)),
            ("de-CH", Some(Language::GermanSwiss)),
            ("pt-br", Some(Language::Portuguese)),
            ("fr", Some(Language::French)),
            ("it", Some(Language::Italian)),
            ("es", Some(Language::Spanish)),
            ("ro", Some(Language::Romanian)),
            ("el", Some(Language::GreekMono)),
            ("ja", None),
            ("zh-hans", None),
            ("xx-yy", None),
        ] {
            assert_eq!(patterns_for(tag), want, "{tag}");
        }
        // Every language found has its patterns built in.
        for tag in ["de", "fr", "es", "it", "pt-br", "ro", "en-gb"] {
            let lang = patterns_for(tag).unwrap();
            assert!(Standard::from_embedded(lang).is_ok(), "{tag}");
        }
    }

    impl Hyphenators {
        fn breaks(&self, lang: &str, word: &str) -> Vec<usize> {
            let mut out = Vec::new();
            self.each_break(lang, word, |b| out.push(b));
            out
        }
    }

    #[test]
    fn a_words_points_are_the_same_hit_or_miss_in_each_language() {
        let h = Hyphenators::new(true);
        let first = h.breaks("en", "hyphenation");
        assert!(!first.is_empty());
        // The word is cut at its points: "hy-phen-ation" or the like.
        assert!(first.iter().all(|&b| b > 0 && b < "hyphenation".len()));
        assert_eq!(h.breaks("en", "hyphenation"), first);
        // Another language, another entry for the same word.
        let german = h.breaks("de", "Silbentrennung");
        assert!(!german.is_empty());
        assert_eq!(h.breaks("de", "Silbentrennung"), german);
        // Switched off: no points, cached or not.
        let off = Hyphenators::new(false);
        assert!(off.breaks("en", "hyphenation").is_empty());
        // Threads sharing the cache agree.
        let words = [
            "consideration",
            "understanding",
            "international",
            "communication",
            "responsibility",
        ];
        let run = || {
            (0..20)
                .flat_map(|_| words.iter().map(|w| h.breaks("en", w)))
                .collect::<Vec<_>>()
        };
        let (a, b) = crate::par::on_two_threads(run);
        assert_eq!(a, b);
    }
}
