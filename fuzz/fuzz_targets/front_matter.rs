//! Front matter: `split_front_matter` then `parse_front_matter` on any text
//! (YAML, TOML, Pelican headers, none). Beyond "no panic, no runaway", a
//! split must hand back pieces of the input in order, and every error must
//! name the page and a line.
#![no_main]

#[path = "common.rs"]
mod common;

use folio::source::{parse_front_matter, split_front_matter};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    common::alt_signal_stack();
    let Some(text) = common::text(data) else {
        return;
    };
    let path = Path::new("content/page.md");
    let split = match split_front_matter(text, path) {
        Ok(split) => split,
        Err(diag) => return common::assert_located(&diag, path),
    };
    assert!(
        text.ends_with(split.body),
        "the body is not the input's tail"
    );
    assert!(
        text.len() >= split.front.len() + split.body.len(),
        "front matter and body overlap"
    );
    assert!(split.front_line >= 1 && split.body_line >= split.front_line);
    if let Err(diag) = parse_front_matter(&split, path, &folio::Limits::default()) {
        common::assert_located(&diag, path);
    }
});
