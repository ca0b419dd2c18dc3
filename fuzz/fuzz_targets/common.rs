//! What the fuzz targets share: the scratch roots a page is read from, and
//! the checks every target makes on a diagnostic.
#![allow(dead_code)]

use folio::Diagnostic;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The folio repository (this package lives in its `fuzz/` folder).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(".."))
}

/// A scratch project made once per fuzzing process: an empty `content/`
/// and a `static/` holding the repository's two logos as `logo.svg` and
/// `logo.png`, so inputs naming them (they are in the dictionary) reach
/// the image code.
pub struct Roots {
    _dir: tempfile::TempDir,
    pub content: PathBuf,
    pub static_dir: PathBuf,
}

pub fn roots() -> &'static Roots {
    static ROOTS: OnceLock<Roots> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder for the fuzz roots");
        let content = dir.path().join("content");
        let static_dir = dir.path().join("static");
        std::fs::create_dir_all(&content).expect("content folder");
        std::fs::create_dir_all(&static_dir).expect("static folder");
        let logos = repo().join("content/images/logos");
        for (from, to) in [
            ("xmpp-logo-text.svg", "logo.svg"),
            ("xmpp-logo-text-300dpi.png", "logo.png"),
        ] {
            std::fs::copy(logos.join(from), static_dir.join(to)).expect("copy a logo");
        }
        Roots {
            _dir: dir,
            content,
            static_dir,
        }
    })
}

/// The input as UTF-8, if it is (folio rejects other bytes before parsing).
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// An error about a page must name the page and a line in it (rustc
/// style `path:LINE`): a fuzz input that gets an unlocated error is a
/// finding too.
pub fn assert_located(diag: &Diagnostic, page: &Path) {
    assert_eq!(
        diag.path.as_deref(),
        Some(page),
        "error names another file: {diag}"
    );
    assert!(diag.line >= 1, "error without a line: {diag}");
}

/// Lets a stack overflow in a target leave a crash artifact. Why:
/// libfuzzer-sys supplies `main`, so Rust's runtime never installs its
/// stack-overflow handler, and libFuzzer (without a sanitizer) installs its
/// SIGSEGV handler without `SA_ONSTACK`: on an overflow the handler itself
/// runs out of stack and the process dies silently. So, once (libFuzzer has
/// set its handlers before the first input): give the calling thread an
/// alternate signal stack and re-install libFuzzer's SIGSEGV handler to run
/// on it; it then reports the "deadly signal" and saves the input.
pub fn alt_signal_stack() {
    use std::cell::Cell;
    thread_local!(static DONE: Cell<bool> = const { Cell::new(false) });
    if DONE.with(|done| done.replace(true)) {
        return;
    }
    const SIZE: usize = 1 << 18;
    let stack: &'static mut [u8] = Box::leak(vec![0u8; SIZE].into_boxed_slice());
    let alt = libc::stack_t {
        ss_sp: stack.as_mut_ptr().cast(),
        ss_flags: 0,
        ss_size: SIZE,
    };
    // SAFETY: `alt` describes leaked memory, which outlives the thread;
    // `action` is a plain struct that sigaction fills and reads back.
    unsafe {
        assert_eq!(
            libc::sigaltstack(&alt, std::ptr::null_mut()),
            0,
            "sigaltstack"
        );
        let mut action: libc::sigaction = std::mem::zeroed();
        assert_eq!(
            libc::sigaction(libc::SIGSEGV, std::ptr::null(), &mut action),
            0
        );
        action.sa_flags |= libc::SA_ONSTACK;
        assert_eq!(
            libc::sigaction(libc::SIGSEGV, &action, std::ptr::null_mut()),
            0
        );
    }
}
