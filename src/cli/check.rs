//! `folio check`: everything `build` does but the writing: every selected
//! book loaded and every selected format rendered in memory, so that every
//! warning `build` would give shows, and `check --strict` fails exactly
//! when `build --strict` would.

use super::build::{load, options, plural};
use super::overrides::MetaArgs;
use super::{SourceArgs, Ui, human_size};
use clap::Args;
use folio::Format;
use folio::build::{render_all, strict_check};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Check only this book (repeatable; default: every book).
    #[arg(long = "book", value_name = "NAME")]
    pub books: Vec<String>,
    /// Render only this format (repeatable; default: each book's formats).
    #[arg(long = "format", value_name = "FORMAT")]
    pub formats: Vec<Format>,
    /// Exit with 1 if there is any warning.
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub meta: MetaArgs,
}

pub fn run(args: CheckArgs, ui: &Ui) -> anyhow::Result<ExitCode> {
    let options = options(&args.source, args.books, args.formats, args.strict)?;
    let mut bar = ui.progress();
    let (project, books, mut diags) = load(&args.source, &args.meta, &options, ui, &bar)?;
    let result = render_all(&project, &books, &options, &bar, &mut diags);
    bar.finish();
    ui.warnings(&diags);
    let rendered = result?;
    for r in &rendered {
        let bytes = r.files.iter().map(|(_, data)| data.len() as u64).sum();
        ui.detail(&format!(
            "  rendered {} ({})",
            r.path.display(),
            human_size(bytes)
        ));
        ui.detail(&format!(
            "           book {}, format {}",
            r.book,
            r.format.name()
        ));
    }
    let pages: usize = books.iter().map(|b| b.book.pages.len()).sum();
    ui.info(&format!(
        "   checked {} book{}, {pages} page{}: {} warning{} ({} output{} rendered, none written)",
        books.len(),
        plural(books.len()),
        plural(pages),
        diags.len(),
        plural(diags.len()),
        rendered.len(),
        plural(rendered.len()),
    ));
    strict_check(options.strict, &diags, "the build would fail")?;
    Ok(ExitCode::SUCCESS)
}
