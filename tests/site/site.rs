//! `--site DIR`: Hugo's configuration, languages, permalinks and aliases.
//!
//! Each test makes a small Hugo site in a scratch folder (its config in
//! one of Hugo's shapes, its pages), runs folio on it and reads what came
//! out: the model as JSON, the text, the EPUB's files, the PDF's catalog.

use super::common;
use super::harness::{Site, assert_never_opened, secret};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

// ---------------------------------------------------------------- helpers

/// A scratch Hugo site: `files` (config and pages) and a `folio.yaml` that
/// only names the repository's fonts and templates.
fn hugo(files: &[(&str, &str)]) -> Site {
    let site = Site::empty();
    let root = common::root();
    site.config(&format!(
        "fonts: {}\ntemplates: {}\n",
        root.join("fonts").display(),
        root.join("templates").display()
    ));
    for (rel, text) in files {
        site.write(rel, text);
    }
    site
}

/// A page with `title` and more front matter lines.
fn page(title: &str, front: &str, body: &str) -> String {
    let title = title.replace('\'', "''");
    format!("---\ntitle: '{title}'\n{front}---\n\n{body}\n")
}

/// `folio model --site .` with `args`: every book, by name.
fn books(site: &Site, args: &[&str]) -> BTreeMap<String, Value> {
    let mut all = vec!["model", "--site", "."];
    all.extend_from_slice(args);
    let run = site.run(&all);
    run.assert_code(0);
    let json: Value = serde_json::from_str(&run.stdout).expect("model JSON");
    json.as_array()
        .expect("a list of books")
        .iter()
        .map(|b| (b["meta"]["name"].as_str().unwrap().to_string(), b.clone()))
        .collect()
}

/// The one book `name` of `books`.
fn book<'a>(books: &'a BTreeMap<String, Value>, name: &str) -> &'a Value {
    books
        .get(name)
        .unwrap_or_else(|| panic!("no book `{name}` in {:?}", books.keys()))
}

/// A book's pages as (url, title).
fn pages(book: &Value) -> Vec<(String, String)> {
    book["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["url"].as_str().unwrap().to_string(),
                p["title"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Every link of a book: href → target.
fn links(book: &Value) -> BTreeMap<String, Value> {
    fn walk(v: &Value, out: &mut BTreeMap<String, Value>) {
        match v {
            Value::Object(map) => {
                if let (Some(Value::String(href)), Some(target)) =
                    (map.get("href"), map.get("target"))
                {
                    out.insert(href.clone(), target.clone());
                }
                map.values().for_each(|v| walk(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    walk(&book["pages"], &mut out);
    out
}

/// Asserts `href` in `book` is an internal link to the page at `url`.
fn assert_internal(book: &Value, href: &str, url: &str) {
    let links = links(book);
    let target = links
        .get(href)
        .unwrap_or_else(|| panic!("no link `{href}` in {links:#?}"));
    assert_eq!(target["kind"], "internal", "`{href}`: {target}");
    let id = target["page"].as_str().unwrap();
    let page = book["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap();
    assert_eq!(page["url"], url, "`{href}` goes to the wrong page");
}

/// The files of an EPUB, by name.
fn epub_files(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an EPUB");
    let mut files = BTreeMap::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let mut text = String::new();
        if file.read_to_string(&mut text).is_ok() {
            files.insert(file.name().to_string(), text);
        }
    }
    files
}

/// The `xml:lang` of every chapter of an EPUB (cover and nav left out).
fn chapter_languages(bytes: &[u8]) -> Vec<(String, String)> {
    epub_files(bytes)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".xhtml"))
        .filter(|(name, _)| !name.ends_with("/nav.xhtml") && !name.ends_with("/cover.xhtml"))
        .map(|(name, text)| {
            let lang = text
                .split("xml:lang=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_default()
                .to_string();
            (name, lang)
        })
        .collect()
}

/// The `/Lang` of a PDF's catalog.
fn pdf_lang(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a PDF");
    let catalog = doc.catalog().expect("a catalog");
    let lang = catalog.get(b"Lang").expect("/Lang");
    String::from_utf8_lossy(lang.as_str().expect("a string")).into_owned()
}

/// Four pages in English, German and Brazilian Portuguese, linking.
const TRANSLATED: &[(&str, &str)] = &[
    ("content/_index.md", "---\ntitle: Home\n---\n\nWelcome.\n"),
    (
        "content/_index.de.md",
        "---\ntitle: Startseite\n---\n\nWillkommen.\n",
    ),
    (
        "content/about/faq.md",
        "---\ntitle: FAQ\nweight: 1\n---\n\nQuestions and answers.\n",
    ),
    (
        "content/about/faq.de.md",
        "---\ntitle: Häufige Fragen\nweight: 1\n---\n\nFragen und Antworten.\n",
    ),
    (
        "content/about/faq.pt-br.md",
        "---\ntitle: Perguntas\n---\n\nPerguntas e respostas.\n",
    ),
    (
        "content/about/team.md",
        "---\ntitle: Team\nweight: 2\n---\n\nSee the [FAQ](faq.md) and [about](/about/faq/).\n",
    ),
    (
        "content/about/team.de.md",
        "---\ntitle: Das Team\nweight: 2\n---\n\nSiehe [FAQ](faq.md) und [mehr](/about/faq/).\n",
    ),
];

/// The languages of [`TRANSLATED`], as TOML.
const LANGUAGES_TOML: &str = "[languages.en]\nweight = 1\nlanguageName = 'English'\n[languages.de]\nweight = 2\nlanguageName = 'Deutsch'\ntitle = 'Die Seite'\n[languages.pt-br]\nweight = 3\nlanguageCode = 'pt-BR'\n";

fn translated(config: &[(&str, &str)]) -> Site {
    let mut files: Vec<(&str, &str)> = TRANSLATED.to_vec();
    files.extend_from_slice(config);
    hugo(&files)
}

mod config;
mod corpus;
mod languages;
mod urls;
