//! The real-world test: all 169 pages of the xmpp.org corpus exported as one
//! book, with no error and no lost words (skipped with a visible line when
//! `../shared` is missing, failing instead under CI).

mod common;

use folio::backend::text::{self, TextOptions};
use folio::{LoadOptions, Project, load_book};
use regex::Regex;
use std::collections::HashSet;

#[test]
fn every_corpus_page_keeps_its_title_and_words() {
    let Some((content, static_dir)) = common::corpus() else {
        return;
    };
    let project = Project::site(content.clone(), Some(static_dir), None);
    let loaded =
        load_book(&project, "site", &LoadOptions::default()).expect("corpus loads without error");
    let book = &loaded.book;
    assert_eq!(walk(&content).len(), 169, "the corpus has 169 pages");
    // The corpus has no drafts: every page is in the book.
    assert_eq!(book.pages.len(), 169);

    let shortcode = Regex::new(r"(?s)\{\{[<%].*?[%>]\}\}").unwrap();
    let html_tag = Regex::new(r"</?[A-Za-z][^<>]*>").unwrap();
    let entity = Regex::new(r"&[#A-Za-z0-9]+;").unwrap();
    let image_src = Regex::new(r"!\[([^\]]*)\]\([^)]*\)").unwrap();
    // Link destinations are markup (their words reach the output only as
    // resolved URLs); titles after them are text and stay.
    let link_dest = Regex::new(r"\]\(\s*<?[^)\s>]*>?").unwrap();
    let ref_def = Regex::new(r"(?m)^\s{0,3}\[[^\]]+\]:\s*\S+").unwrap();
    // Emphasis inside a word (`E**x**tensible`) joins back up.
    let emphasis = Regex::new(r"\*+").unwrap();
    let mut failures = Vec::new();
    for page in &book.pages {
        let out = text::render_page(page, &TextOptions::default());
        if !out.contains(page.title.trim()) {
            failures.push(format!(
                "{}: title `{}` missing",
                page.source.display(),
                page.title
            ));
        }
        let src = std::fs::read_to_string(&page.source).unwrap();
        let body = &src[byte_offset_of_line(&src, page.body_line)..];
        let body = shortcode.replace_all(body, " ");
        let body = image_src.replace_all(&body, "$1");
        let body = link_dest.replace_all(&body, "](");
        let body = ref_def.replace_all(&body, " ");
        let body = emphasis.replace_all(&body, "");
        let body = html_tag.replace_all(&body, " ");
        let body = entity.replace_all(&body, " ");
        let have: HashSet<String> = common::words(&out).into_iter().collect();
        let missing: Vec<String> = common::words(&body)
            .into_iter()
            .filter(|w| !have.contains(w))
            .collect();
        if !missing.is_empty() {
            failures.push(format!(
                "{}: words missing from text output: {:?}",
                page.source.display(),
                &missing[..missing.len().min(12)]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} pages lose text:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn byte_offset_of_line(text: &str, line: u32) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line as usize - 2)
        .map(|(i, _)| i + 1)
        .unwrap_or(text.len())
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|e| e == "md") {
            out.push(p);
        }
    }
    out
}
