//! The words folio writes itself ("Contents", "Notes", "Cover"…), in the
//! book's language. Keys are the English texts (the msgids of folio's
//! built-in catalog, msgctxt `folio-ui`); a key without a translation
//! reads as itself, so English needs no table at all.

use serde::Serialize;
use std::collections::BTreeMap;

/// The resolved labels of one book (see `crate::i18n::labels`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Labels {
    map: BTreeMap<String, String>,
}

impl Labels {
    /// Labels from English text to its translation.
    pub fn new(map: BTreeMap<String, String>) -> Self {
        Labels { map }
    }

    /// The translation of `english`, or `english` itself.
    pub fn get<'a>(&'a self, english: &'a str) -> &'a str {
        self.map.get(english).map_or(english, String::as_str)
    }

    /// The translation of `english` with each `{name}` replaced by its
    /// value in `args`.
    pub fn fill(&self, english: &str, args: &[(&str, &str)]) -> String {
        let mut out = self.get(english).to_string();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    /// `Label: rest`, as the text output and alt texts write a label
    /// before what it names.
    pub fn with(&self, english: &str, rest: &str) -> String {
        format!("{}: {rest}", self.get(english))
    }

    /// No translations (English).
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_keys_read_as_themselves() {
        let mut map = BTreeMap::new();
        map.insert("Contents".to_string(), "Inhalt".to_string());
        map.insert("{n} left".to_string(), "{n} übrig".to_string());
        let l = Labels::new(map);
        assert_eq!(l.get("Contents"), "Inhalt");
        assert_eq!(l.get("Cover"), "Cover");
        assert_eq!(l.fill("{n} left", &[("n", "3")]), "3 übrig");
        assert_eq!(l.with("Contents", "x"), "Inhalt: x");
        assert!(Labels::default().is_empty());
    }
}
