//! A real Hugo site as it is (issue 8): site config, languages, permalinks,
//! Hugo's own shortcodes and data-driven widgets, navigation at site
//! scale, images as the web serves them, and a self-contained binary.
//! One module per part; each builds hand-made sites with the shared
//! scratch-project harness of the hostile catalogue.

#[path = "../common/mod.rs"]
mod common;
#[path = "../hostile/harness.rs"]
mod harness;

mod media;
mod resources;
mod shortcodes;
mod site;
mod structure;
