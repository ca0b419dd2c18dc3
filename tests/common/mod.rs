//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the crate (CI puts it there). Fails loudly if missing:
/// the corpus tests are not optional.
pub fn shared() -> PathBuf {
    for dir in root().ancestors() {
        let candidate = dir.join("shared");
        if candidate.join("corpus/xmpp-org/content").is_dir() {
            return candidate;
        }
    }
    panic!(
        "../shared/corpus/xmpp-org not found next to {}: the corpus tests need the shared folder beside the repository",
        root().display()
    );
}

/// The xmpp.org corpus: (content root, static root).
pub fn corpus() -> (PathBuf, PathBuf) {
    let base = shared().join("corpus/xmpp-org");
    (base.join("content"), base.join("static"))
}

/// Runs the folio binary in `dir` with `args`; returns (exit code, stdout, stderr).
pub fn folio(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("run folio");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Lower-cased alphanumeric words of `text`.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}
