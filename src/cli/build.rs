//! `folio build`.

use super::{SourceArgs, Ui, human_size};
use clap::Args;
use folio::backend::text::TextOptions;
use folio::{BuildOptions, Diagnostics, Format, LoadOptions, Paper};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Build only this book (repeatable; default: every book).
    #[arg(long = "book", value_name = "NAME")]
    pub books: Vec<String>,
    /// Build only this format (repeatable; default: each book's formats).
    #[arg(long = "format", value_name = "FORMAT")]
    pub formats: Vec<Format>,
    /// Output folder (default: `output` in folio.yaml, else `dist`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Treat warnings (broken links, missing images) as errors.
    #[arg(long)]
    pub strict: bool,
    /// Fill plain text to N columns (default: one paragraph per line).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(20..))]
    pub wrap: Option<u16>,
    /// Paper size for PDFs (overrides folio.yaml and the style file).
    #[arg(long, value_name = "SIZE")]
    pub paper: Option<Paper>,
}

pub fn run(args: BuildArgs, ui: &Ui) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    let project = args.source.project()?;
    let options = BuildOptions {
        books: args.books,
        formats: args.formats,
        out: args.out,
        strict: args.strict,
        load: LoadOptions {
            drafts: args.source.drafts,
            date: folio::source_date_epoch()?,
        },
        text: TextOptions {
            wrap: args.wrap.map(usize::from),
        },
        paper: args.paper,
    };
    let mut diags = Diagnostics::default();
    let result = folio::build(&project, &options, &mut diags);
    ui.warnings(&diags);
    let written = result?;
    for w in &written {
        let what = if w.files > 1 {
            format!(
                "{} ({} files, {})",
                w.path.display(),
                w.files,
                human_size(w.bytes)
            )
        } else {
            format!("{} ({})", w.path.display(), human_size(w.bytes))
        };
        ui.info(&format!("     wrote {what}"));
        ui.detail(&format!(
            "           book {}, format {}",
            w.book,
            w.format.name()
        ));
    }
    let books = written
        .iter()
        .map(|w| &w.book)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let warnings = if diags.is_empty() {
        String::new()
    } else {
        format!(
            ", {} warning{}",
            diags.len(),
            if diags.len() == 1 { "" } else { "s" }
        )
    };
    ui.info(&format!(
        "  finished {books} book{} in {:.0} ms{warnings}",
        if books == 1 { "" } else { "s" },
        start.elapsed().as_secs_f64() * 1000.0
    ));
    Ok(ExitCode::SUCCESS)
}
