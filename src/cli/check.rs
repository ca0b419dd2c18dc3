//! `folio check`: load and resolve every selected book, report every warning.

use super::{SourceArgs, Ui};
use clap::Args;
use folio::LoadOptions;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Check only this book (repeatable; default: every book).
    #[arg(long = "book", value_name = "NAME")]
    pub books: Vec<String>,
    /// Exit with 1 if there is any warning.
    #[arg(long)]
    pub strict: bool,
}

pub fn run(args: CheckArgs, ui: &Ui) -> anyhow::Result<ExitCode> {
    let project = args.source.project()?;
    let options = LoadOptions {
        drafts: args.source.drafts,
        date: folio::source_date_epoch()?,
    };
    let (books, diags) = folio::build::load_selected(&project, &args.books, &options)?;
    ui.warnings(&diags);
    let pages: usize = books.iter().map(|b| b.book.pages.len()).sum();
    ui.info(&format!(
        "   checked {} book{}, {pages} pages: {} warning{}",
        books.len(),
        if books.len() == 1 { "" } else { "s" },
        diags.len(),
        if diags.len() == 1 { "" } else { "s" }
    ));
    if args.strict && !diags.is_empty() {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
