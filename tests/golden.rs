//! Golden files: the plain text of the four default pages. Run with
//! `FOLIO_BLESS=1` to rewrite them after an intended change, then read the
//! diff before committing.

mod common;

use folio::backend::text::{TextOptions, render_page};
use folio::{LoadOptions, Project, load_book};

#[test]
fn default_pages_match_golden_text() {
    let root = common::root();
    let project = Project::from_config(&root.join("folio.yaml")).unwrap();
    let loaded = load_book(&project, "press-kit", &LoadOptions::default()).unwrap();
    assert_eq!(loaded.book.pages.len(), 4);
    let bless = std::env::var_os("FOLIO_BLESS").is_some();
    let mut mismatches = Vec::new();
    for page in &loaded.book.pages {
        let text = render_page(page, &TextOptions::default());
        let golden = root.join("tests/golden").join(format!("{}.txt", page.id));
        if bless {
            std::fs::write(&golden, &text).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&golden)
            .unwrap_or_else(|_| panic!("{} missing: run with FOLIO_BLESS=1", golden.display()));
        if expected != text {
            mismatches.push(format!(
                "{}:\n--- expected\n{expected}\n--- got\n{text}",
                golden.display()
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn wrapped_text_keeps_every_word() {
    let root = common::root();
    let project = Project::from_config(&root.join("folio.yaml")).unwrap();
    let loaded = load_book(&project, "about-xmpp", &LoadOptions::default()).unwrap();
    for page in &loaded.book.pages {
        let flat = render_page(page, &TextOptions::default());
        let wrapped = render_page(page, &TextOptions { wrap: Some(60) });
        assert_eq!(common::words(&flat), common::words(&wrapped), "{}", page.id);
        for line in wrapped.lines() {
            // Only an unbreakable word (a long URL) may overrun the width.
            if line.chars().count() > 60 {
                assert!(
                    !line.trim().contains(' ') || line.contains("http"),
                    "overlong line: {line}"
                );
            }
        }
    }
}
