//! Markdown to model: `parse_body` (shortcodes, pulldown-cmark, raw HTML,
//! ids), then the link and asset passes over a one-page book, then the
//! model as JSON (what `folio model` prints) and as plain text (the
//! cheapest backend; the `page` target runs all three, far slower).
#![no_main]

#[path = "common.rs"]
mod common;

use folio::diag::Diagnostics;
use folio::model::{Book, BookMeta, Page};
use folio::parse::{ParseOptions, parse_body};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::alt_signal_stack();
    let Some(body) = common::text(data) else {
        return;
    };
    let roots = common::roots();
    let path = roots.content.join("page.md");
    let mut diags = Diagnostics::default();
    let options = ParseOptions::default();
    // Line 3: as if after a two-line front matter, so spans are offset.
    let parsed = match parse_body(body, 3, &path, &options, &mut diags) {
        Ok(parsed) => parsed,
        Err(diag) => return common::assert_located(&diag, &path),
    };
    let page = Page {
        id: "page".into(),
        source: path.clone(),
        source_rel: path.clone(),
        url: "/page/".into(),
        title: "Page".into(),
        description: None,
        date: None,
        weight: 0,
        draft: false,
        slug: None,
        aliases: Vec::new(),
        front_matter: Default::default(),
        blocks: parsed.blocks,
        footnotes: parsed.footnotes,
        body_line: 3,
        lang: "en".into(),
        date_parsed: None,
        authors: Vec::new(),
        byline: None,
        parent: None,
        depth: 0,
        section: false,
    };
    let mut book = Book {
        meta: BookMeta {
            name: "b".into(),
            title: "Book".into(),
            language: "en".into(),
            base_url: "https://example.org/".into(),
            ..BookMeta::default()
        },
        pages: vec![page],
    };
    folio::passes::run(
        &mut book,
        &roots.content,
        &roots.static_dir,
        &folio::Limits::default(),
        &mut diags,
    );
    serde_json::to_vec(&book).expect("the model serializes");
    for page in &book.pages {
        folio::backend::text::render_page(page, &folio::backend::text::TextOptions::default());
    }
});
