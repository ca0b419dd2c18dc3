//! Ctrl-C (SIGINT) and SIGTERM as a flag: `folio watch` finishes the
//! rebuild under way (so the output folder holds no temporaries) and exits 0.

use std::sync::atomic::{AtomicBool, Ordering};

static STOP: AtomicBool = AtomicBool::new(false);

/// Replaces the default end-the-process action of SIGINT and SIGTERM by
/// setting the flag [`requested`] reads.
#[cfg(unix)]
pub fn install() {
    extern "C" fn on_signal(_: libc::c_int) {
        // Only an atomic store: async-signal-safe.
        STOP.store(true, Ordering::SeqCst);
    }
    let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
    // SAFETY: the handler only stores to an atomic, which is allowed in a
    // signal handler; `signal` itself has no other precondition.
    unsafe {
        libc::signal(libc::SIGINT, handler);
        libc::signal(libc::SIGTERM, handler);
    }
}

/// Elsewhere the default action (end the process) stays.
#[cfg(not(unix))]
pub fn install() {}

/// Whether Ctrl-C (or SIGTERM) came.
pub fn requested() -> bool {
    STOP.load(Ordering::SeqCst)
}
