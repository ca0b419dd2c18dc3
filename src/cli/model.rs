//! `folio model`: the document model as JSON on stdout.

use super::build::{load, options};
use super::overrides::MetaArgs;
use super::ui::write_stdout;
use super::{SourceArgs, Ui};
use clap::Args;
use folio::build::Silent;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ModelArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// The book to print (repeatable). One book prints its object; none
    /// (every book) or several print an array.
    #[arg(long = "book", value_name = "NAME")]
    pub books: Vec<String>,
    #[command(flatten)]
    pub meta: MetaArgs,
}

pub fn run(args: ModelArgs, ui: &Ui) -> anyhow::Result<ExitCode> {
    let asked = !args.books.is_empty();
    let options = options(&args.source, args.books, Vec::new(), false)?;
    let (_, books, diags) = load(&args.source, &args.meta, &options, ui, &Silent)?;
    ui.warnings(&diags);
    // `--book a --book a` is one book.
    let mut json = match (asked && books.len() == 1, books.first()) {
        (true, Some(only)) => serde_json::to_string_pretty(&only.book)?,
        _ => {
            let all: Vec<_> = books.iter().map(|b| &b.book).collect();
            serde_json::to_string_pretty(&all)?
        }
    };
    json.push('\n');
    write_stdout(json.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
