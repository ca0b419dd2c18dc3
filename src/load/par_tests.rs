//! A book loaded on one thread and on several is the same book: the same
//! model (as JSON), the same warnings in the same order, the same text.

use super::{LoadOptions, Loaded, load_book};
use crate::backend::text::{self, TextOptions};
use crate::par::with_threads;
use crate::project::{Project, SITE_BOOK};
use std::path::Path;

/// The model as JSON, every warning, and the text files of `loaded`.
fn fingerprint(loaded: &Loaded) -> (String, Vec<String>, Vec<(String, String)>) {
    let model = serde_json::to_string(&loaded.book).expect("the model serialises");
    let warnings = loaded
        .diagnostics
        .items
        .iter()
        .map(|d| format!("{d:?}"))
        .collect();
    let files = text::render(&loaded.book, &TextOptions::default())
        .into_iter()
        .map(|f| (f.path.display().to_string(), f.contents))
        .collect();
    (model, warnings, files)
}

/// `content` loaded as a whole site on 1, 2, 3 and 7 threads: all alike.
/// Returns the one-thread load.
fn same_on_any_thread_count(content: &Path, static_dir: &Path) -> Loaded {
    let project = Project::site(content.to_path_buf(), Some(static_dir.to_path_buf()), None);
    let load = |threads| {
        with_threads(threads, || {
            load_book(&project, SITE_BOOK, &LoadOptions::default()).expect("the site loads")
        })
    };
    let one = load(1);
    let want = fingerprint(&one);
    for threads in [2, 3, 7] {
        let got = fingerprint(&load(threads));
        assert!(got.0 == want.0, "{threads} threads: another model");
        assert_eq!(got.1, want.1, "{threads} threads: other warnings");
        assert!(got.2 == want.2, "{threads} threads: other text files");
    }
    one
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("fixture folder");
    }
    std::fs::write(path, text).expect("fixture page");
}

#[test]
fn cross_page_links_and_warnings_load_alike_on_any_thread_count() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let content = dir.path().join("content");
    let static_dir = dir.path().join("static");
    // An image that is there but refused: its warning comes once, at its
    // first use in page order, and every use shows the placeholder.
    write(&static_dir, "img/bad.png", "not a PNG");
    write(
        &static_dir,
        "img/good.svg",
        "<svg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/>",
    );
    write(
        &content,
        "_index.md",
        "---\ntitle: Home\n---\nSee [the guide](guide/setup.md#install), \
         [a lost anchor](/guide/setup/#nowhere) and [a lost page](gone.md).\n",
    );
    write(
        &content,
        "guide/_index.md",
        "---\ntitle: Guide\n---\n# Guide\n",
    );
    write(
        &content,
        "guide/setup.md",
        "---\ntitle: Setup\nweight: 2\n---\n## Install\n\nText.[^n]\n\n## Install\n\n\
         Back [home](/) or [to use](../guide/use/#usage).\n\n[^n]: A note with \
         [a broken link](<http//example.org/a b>).\n",
    );
    write(
        &content,
        "guide/use.md",
        "---\ntitle: Use\nweight: 1\n---\n## Usage\n\n![missing](/img/none.png)\n\n\
         ![remote](https://example.org/x.png)\n\n{{< figure src=\"/img/also-none.png\" \
         caption=\"Gone\" >}}\n\nSee [setup](setup.md#install) and [twice](#usage).\n",
    );
    for n in 1..=9 {
        write(
            &content,
            &format!("notes/n{n}.md"),
            &format!(
                "---\ntitle: Note {n}\n---\n## Same\n\nTo [note {m}](/notes/n{m}/#same), \
                 [nowhere](/notes/n{m}/#none) and ![lost](/img/n{n}.png).\n\n\
                 ![bad](/img/bad.png) ![good](/img/good.svg)\n",
                m = n % 9 + 1
            ),
        );
    }
    let one = same_on_any_thread_count(&content, &static_dir);
    // The fixture does what it is for: cross-page links resolved, and
    // warnings from several pages and passes.
    assert_eq!(one.book.pages.len(), 13);
    let json = serde_json::to_string(&one.book).expect("the model serialises");
    assert!(json.contains("\"page\":\"guide-setup\",\"anchor\":\"install\""));
    let messages: Vec<&str> = one
        .diagnostics
        .items
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    let bad = messages
        .iter()
        .filter(|m| m.contains("`/img/bad.png`"))
        .count();
    assert_eq!(bad, 1, "one warning for the refused image: {messages:#?}");
    assert_eq!(json.matches("good.svg\",\"format\":\"svg\"").count(), 9);
    for expected in [
        "has no anchor `#nowhere`",
        "no page gone.md",
        "has no anchor `#none`",
        "image `/img/none.png`",
        "added the `:` missing after `http`",
        "image `/img/bad.png`",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(expected)),
            "no warning with `{expected}` in {messages:#?}"
        );
    }
}

#[test]
fn the_corpus_loads_alike_on_one_thread_and_several() {
    let Some((content, static_dir)) = crate::test_external::corpus() else {
        return;
    };
    let one = same_on_any_thread_count(&content, &static_dir);
    assert_eq!(one.book.pages.len(), 169);
    assert!(
        !one.diagnostics.is_empty(),
        "the corpus has warnings to order"
    );
}
