//! The translation round trip (issue 10): PO catalogs extracted from the
//! model, merged as msgmerge does, checked, and counted. Built on the
//! scratch-project harness of the hostile catalogue.

#[path = "../common/mod.rs"]
mod common;
#[path = "../hostile/harness.rs"]
mod harness;

mod build;
mod catalogs;
mod corpus;
mod labels;
mod localized;
mod toolkit;
mod xliff;
