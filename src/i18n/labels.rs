//! folio's own labels (issue 10, item 6): the words it writes itself
//! ("Contents", "Notes", "Cover", placeholders, the EPUB's accessibility
//! summary) in the book's language. Built-in translations for de, fr, es,
//! it, pt-BR and ro are PO files in `ui/` (msgctxt `folio-ui`), read with
//! folio's own PO reader; a project's `po/LANG.po` entries with that
//! context override them, and `extract` puts them in the template so a
//! translator sees them beside the book's text.

use super::po::{self, Catalog, Entry};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Labels;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The msgctxt of folio's own labels in every catalog.
pub const CONTEXT: &str = "folio-ui";

/// Every label folio writes, in English (the msgids). `{n}` is filled in.
pub const LABELS: &[&str] = &[
    "Contents",
    "Notes",
    "Footnotes",
    "Links",
    "Cover",
    "Start of content",
    "Untitled",
    "Figure",
    "Image",
    "Details",
    "QR code",
    "alt text",
    "Image not available",
    "YouTube video",
    "Vimeo video",
    "Post on X",
    "Instagram post",
    "GitHub gist",
    "A reflowable text with headings in order, a navigable table of contents and footnotes linked both ways.",
    "It has no images.",
    "Every image has a text alternative.",
    "{n} image(s) have no text alternative.",
    "Page-break markers and a page list give the page numbers of the PDF edition.",
    "{title} (PDF edition)",
];

/// The built-in catalogs, by language tag.
const BUILTIN: &[(&str, &str)] = &[
    ("de", include_str!("ui/de.po")),
    ("es", include_str!("ui/es.po")),
    ("fr", include_str!("ui/fr.po")),
    ("it", include_str!("ui/it.po")),
    ("pt-BR", include_str!("ui/pt-BR.po")),
    ("ro", include_str!("ui/ro.po")),
];

/// The languages with built-in labels (English besides: the msgids).
pub fn builtin_languages() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(lang, _)| *lang)
}

/// `pt_BR`, `PT-br` → `pt-br`: tags compared as BCP 47 compares them.
fn normalize(lang: &str) -> String {
    lang.trim().replace('_', "-").to_ascii_lowercase()
}

/// The tags to try for `lang`, most specific first: `pt-BR` → `pt-BR`,
/// `pt` (then English, which needs no table).
fn candidates(lang: &str) -> Vec<String> {
    let full = normalize(lang);
    let mut out = vec![full.clone()];
    if let Some((primary, _)) = full.split_once('-') {
        out.push(primary.to_string());
    }
    out
}

/// The built-in catalog text for `lang`: the exact tag, else its primary
/// language; Portuguese without a region reads the Brazilian table, the
/// one folio ships.
fn builtin_text(lang: &str) -> Option<&'static str> {
    candidates(lang).iter().find_map(|tag| {
        BUILTIN
            .iter()
            .find(|(l, _)| normalize(l) == *tag || (tag == "pt" && *l == "pt-BR"))
            .map(|(_, text)| *text)
    })
}

/// The `{name}` placeholders of a label.
fn placeholders(text: &str) -> BTreeSet<&str> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close)
                if close > 0
                    && after[..close]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                out.insert(&after[..close]);
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

/// The usable label translations of `catalog`: live, not fuzzy, not
/// empty, in context `folio-ui`, keeping the msgid's placeholders (one
/// that drops or adds a placeholder is a warning naming `path` and line).
fn entries(catalog: &Catalog, path: &Path, diags: &mut Diagnostics) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for e in &catalog.entries {
        if e.obsolete
            || e.is_fuzzy()
            || e.msgstr.trim().is_empty()
            || e.msgctxt.as_deref() != Some(CONTEXT)
        {
            continue;
        }
        if placeholders(&e.msgid) != placeholders(&e.msgstr) {
            diags.push(
                Diagnostic::warning(
                    path,
                    e.line,
                    format!(
                        "label translation not used: it must keep the placeholders of `{}`",
                        e.msgid
                    ),
                )
                .with_hint("write each `{name}` of the msgid once in the msgstr"),
            );
            continue;
        }
        out.insert(e.msgid.clone(), e.msgstr.clone());
    }
    out
}

/// The built-in labels of `lang` (English when folio has no table).
pub fn builtin(lang: &str) -> Labels {
    Labels::new(builtin_map(lang))
}

fn builtin_map(lang: &str) -> BTreeMap<String, String> {
    let Some(text) = builtin_text(lang) else {
        return BTreeMap::new();
    };
    // The shipped files are tested to parse; were one broken, English.
    match po::parse(Path::new("folio-ui.po"), text) {
        Ok(catalog) => entries(
            &catalog,
            Path::new("folio-ui.po"),
            &mut Diagnostics::default(),
        ),
        Err(_) => BTreeMap::new(),
    }
}

/// The labels of `lang`: built-in, then `catalog`'s `folio-ui` entries
/// (read from `path`) over them.
pub fn resolve(
    lang: &str,
    catalog: Option<&Catalog>,
    path: &Path,
    diags: &mut Diagnostics,
) -> Labels {
    let mut map = builtin_map(lang);
    if let Some(catalog) = catalog {
        map.extend(entries(catalog, path, diags));
    }
    Labels::new(map)
}

/// The project's catalog for `lang` in `po_dir`: `LANG.po` with the tag
/// as written, else a file whose name is the same tag in another case or
/// with `_` (`pt_BR.po` for `pt-br`).
pub fn project_catalog_path(po_dir: &Path, lang: &str) -> Option<PathBuf> {
    if !super::valid_language(lang) {
        return None;
    }
    let exact = po_dir.join(format!("{lang}.po"));
    if exact.is_file() {
        return Some(exact);
    }
    let want = normalize(lang);
    let mut found: Vec<PathBuf> = std::fs::read_dir(po_dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "po")
                && p.file_stem()
                    .and_then(|s| s.to_str())
                    .is_some_and(|s| normalize(s) == want)
        })
        .collect();
    found.sort();
    found.into_iter().next()
}

/// The labels of a book in `lang` of the project whose catalogs are in
/// `po_dir`. A catalog that cannot be read is a warning: the built-in
/// labels stand.
pub fn for_project(po_dir: &Path, lang: &str, diags: &mut Diagnostics) -> Labels {
    let Some(path) = project_catalog_path(po_dir, lang) else {
        return builtin(lang);
    };
    match super::read(&path) {
        Ok(catalog) => resolve(lang, catalog.as_ref(), &path, diags),
        Err(mut d) => {
            d.severity = crate::diag::Severity::Warning;
            diags.push(d.with_hint("folio's built-in labels are used for this language"));
            builtin(lang)
        }
    }
}

/// The template's label entries (context `folio-ui`), after the books'.
pub fn template_entries() -> Vec<Entry> {
    LABELS
        .iter()
        .map(|label| {
            let mut e = Entry::new(Some(CONTEXT.to_string()), (*label).to_string());
            e.extracted.push("type: label".to_string());
            if label.contains("{n}") {
                e.extracted.push("{n} is a number".to_string());
            }
            e
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_catalog_translates_every_label() {
        for (lang, text) in BUILTIN {
            let catalog = po::parse(Path::new(lang), text).expect("shipped catalog parses");
            let mut diags = Diagnostics::default();
            let map = entries(&catalog, Path::new(lang), &mut diags);
            assert!(diags.is_empty(), "{lang}: {diags:?}");
            for label in LABELS {
                assert!(map.contains_key(*label), "{lang} lacks `{label}`");
            }
            assert_eq!(
                map.len(),
                LABELS.len(),
                "{lang} has labels folio does not write"
            );
        }
    }

    #[test]
    fn languages_fall_back_to_their_primary_tag_then_english() {
        assert_eq!(builtin("de").get("Contents"), "Inhalt");
        assert_eq!(builtin("de-AT").get("Contents"), "Inhalt");
        assert_eq!(builtin("pt-br").get("Cover"), "Capa");
        assert_eq!(builtin("pt_BR").get("Cover"), "Capa");
        assert_eq!(builtin("pt-PT").get("Cover"), "Capa");
        assert_eq!(builtin("fr").get("Contents"), "Table des matières");
        assert_eq!(builtin("ja").get("Contents"), "Contents");
        assert!(builtin("en").is_empty());
    }

    #[test]
    fn a_project_catalog_overrides_and_is_checked() {
        let text = "msgctxt \"folio-ui\"\nmsgid \"Contents\"\nmsgstr \"Übersicht\"\n\n\
                    msgctxt \"folio-ui\"\nmsgid \"{n} image(s) have no text alternative.\"\nmsgstr \"Bilder ohne Text.\"\n\n\
                    #, fuzzy\nmsgctxt \"folio-ui\"\nmsgid \"Cover\"\nmsgstr \"Deckel\"\n\n\
                    msgid \"Contents\"\nmsgstr \"Nicht das Label\"\n";
        let catalog = po::parse(Path::new("po/de.po"), text).unwrap();
        let mut diags = Diagnostics::default();
        let labels = resolve("de", Some(&catalog), Path::new("po/de.po"), &mut diags);
        assert_eq!(labels.get("Contents"), "Übersicht");
        assert_eq!(labels.get("Cover"), "Umschlag", "fuzzy: the built-in stays");
        assert_eq!(
            labels.fill("{n} image(s) have no text alternative.", &[("n", "2")]),
            "Bilder ohne Textalternative: 2."
        );
        let d: Vec<String> = diags
            .items
            .iter()
            .map(|d| format!("{}:{}", d.line, d.message))
            .collect();
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].starts_with("6:label translation not used"), "{d:?}");
    }

    #[test]
    fn placeholders_are_names_in_braces() {
        assert_eq!(placeholders("{n} of {total}, {} {x y}").len(), 2);
        assert!(placeholders("none {").is_empty());
    }

    #[test]
    fn the_template_lists_every_label_once_in_context() {
        let entries = template_entries();
        assert_eq!(entries.len(), LABELS.len());
        assert!(
            entries
                .iter()
                .all(|e| e.msgctxt.as_deref() == Some(CONTEXT))
        );
    }
}
