//! A whole page from bytes, in memory: UTF-8 check, front matter, body,
//! passes (`load_page_from_bytes`), then the text (unwrapped and wrapped),
//! PDF and EPUB backends with the repository's fonts and templates. A page
//! folio refuses must get an error naming it and a line; a page it accepts
//! must render in every format.
#![no_main]

#[path = "common.rs"]
mod common;

use folio::backend::epub::{self, EpubOptions};
use folio::backend::pdf::{self, PdfOptions};
use folio::backend::text::{self, TextOptions};
use folio::project::{Project, SITE_BOOK};
use folio::{Diagnostic, LoadOptions};
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

/// A whole-site project over the scratch roots, with the repository's
/// fonts and templates (made once: it only holds paths).
fn project() -> &'static Project {
    static PROJECT: OnceLock<Project> = OnceLock::new();
    PROJECT.get_or_init(|| {
        let roots = common::roots();
        let mut project =
            Project::site(roots.content.clone(), Some(roots.static_dir.clone()), None);
        project.fonts_dir = common::repo().join("fonts");
        project.templates_dir = common::repo().join("templates");
        project
    })
}

fuzz_target!(|data: &[u8]| {
    common::alt_signal_stack();
    let project = project();
    let rel = Path::new("page.md");
    let options = LoadOptions {
        drafts: true,
        date: 1_700_000_000,
    };
    let loaded =
        match folio::load::load_page_from_bytes(project, SITE_BOOK, rel, data.to_vec(), &options) {
            Ok(loaded) => loaded,
            Err(err) => {
                let diag = err
                    .downcast_ref::<Diagnostic>()
                    .unwrap_or_else(|| panic!("a page error that is not a diagnostic: {err:#}"));
                return common::assert_located(diag, &project.content_dir.join(rel));
            }
        };
    let book = &loaded.book;
    let mut diags = loaded.diagnostics;
    for wrap in [None, Some(24)] {
        let files = text::render(book, &TextOptions { wrap });
        assert_eq!(
            files.len(),
            2,
            "one text file for the page, one for the book"
        );
    }
    let pdf_options = PdfOptions {
        resources: project.resources(),
        paper: None,
        standard: None,
    };
    let pdf = pdf::render(book, &pdf_options, &mut diags)
        .unwrap_or_else(|err| panic!("a loaded page failed as PDF: {err:#}"));
    assert!(pdf.starts_with(b"%PDF-"));
    let epub = epub::render(book, &EpubOptions::new(project.resources()), &mut diags)
        .unwrap_or_else(|err| panic!("a loaded page failed as EPUB: {err:#}"));
    assert!(epub.starts_with(b"PK"));
});
