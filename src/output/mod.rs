//! Writing a build's outputs: all of them or none, never over a source
//! folder, and clearing up after builds that were killed while writing.
//!
//! The driver checks the output folder ([`check_output_folder`]), removes
//! the temporaries dead builds left ([`remove_stale`]) in every folder it
//! writes to, then writes through one [`Transaction`]. `folio watch` hands
//! it a [`WriteMemo`] so that unchanged outputs are not even read back.

mod commit;
mod guard;
mod memo;
mod temporary;

pub use commit::{Committed, Transaction};
pub use guard::check_output_folder;
pub use memo::WriteMemo;
pub use temporary::remove_stale;
