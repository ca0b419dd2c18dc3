//! The plain-text backend, for translators.
