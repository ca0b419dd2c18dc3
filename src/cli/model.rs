//! `folio model`: the document model as JSON on stdout.

use super::{SourceArgs, Ui};
use clap::Args;
use folio::LoadOptions;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ModelArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// The book to print (default: every book, as a JSON array).
    #[arg(long, value_name = "NAME")]
    pub book: Option<String>,
}

pub fn run(args: ModelArgs, ui: &Ui) -> anyhow::Result<ExitCode> {
    let project = args.source.project()?;
    let options = LoadOptions {
        drafts: args.source.drafts,
        date: folio::source_date_epoch()?,
    };
    let asked: Vec<String> = args.book.iter().cloned().collect();
    let (books, diags) = folio::build::load_selected(&project, &asked, &options)?;
    ui.warnings(&diags);
    let json = if let (Some(_), Some(one)) = (&args.book, books.first()) {
        serde_json::to_string_pretty(&one.book)?
    } else {
        let all: Vec<_> = books.iter().map(|b| &b.book).collect();
        serde_json::to_string_pretty(&all)?
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{json}")?;
    Ok(ExitCode::SUCCESS)
}
