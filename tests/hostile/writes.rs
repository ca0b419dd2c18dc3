//! The all-or-nothing write: a build that fails while writing leaves every
//! earlier output as it was, and stale temporaries are cleaned up.
