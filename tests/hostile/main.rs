//! The hostile-input catalogue: inputs an attacker or a careless user
//! would give folio. Each case asserts the exit code, a message that names
//! the file and line, that nothing panicked or aborted, and (for errors)
//! that the outputs of an earlier good build are byte-identical afterwards.
//!
//! One module per class of problem (issue 7); `harness` holds the project
//! builder and the assertions they share.

#[path = "../common/mod.rs"]
mod common;

mod harness;

mod config;
mod fuzz;
mod limits;
mod nesting;
mod pages;
mod svg;
mod writes;
