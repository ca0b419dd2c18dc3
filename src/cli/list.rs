//! `folio list`: the books of the project, with their formats, page count
//! and languages (`--json` for scripts).

use super::build::{load, options, plural};
use super::overrides::MetaArgs;
use super::ui::write_stdout;
use super::{SourceArgs, Ui};
use clap::Args;
use folio::build::{Silent, text_dir};
use folio::{Format, Loaded};
use std::collections::BTreeSet;
use std::process::ExitCode;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// List only this book (repeatable; default: every book).
    #[arg(long = "book", value_name = "NAME")]
    pub books: Vec<String>,
    /// Print a JSON array: name, title, formats, pages, languages, outputs.
    #[arg(long)]
    pub json: bool,
}

/// What `list` says about one book.
#[derive(Debug, serde::Serialize)]
struct Entry {
    name: String,
    title: String,
    formats: Vec<&'static str>,
    pages: usize,
    /// The book's language first, then the other languages of its pages.
    languages: Vec<String>,
    /// The files `build` writes for the book (a folder for text).
    outputs: Vec<String>,
}

fn entry(loaded: &Loaded, out_dir: &std::path::Path) -> Entry {
    let book = &loaded.book;
    let name = &book.meta.name;
    let mut languages = vec![book.meta.language.clone()];
    let others: BTreeSet<&String> = book
        .pages
        .iter()
        .map(|p| &p.lang)
        .filter(|l| !l.is_empty() && **l != book.meta.language)
        .collect();
    languages.extend(others.into_iter().cloned());
    let outputs = loaded
        .formats
        .iter()
        .map(|f| match f {
            Format::Text => text_dir(out_dir, name),
            Format::Pdf => out_dir.join(format!("{name}.pdf")),
            Format::Epub => out_dir.join(format!("{name}.epub")),
        })
        .map(|p| p.display().to_string())
        .collect();
    Entry {
        name: name.clone(),
        title: book.meta.title.clone(),
        formats: loaded.formats.iter().map(|f| f.name()).collect(),
        pages: book.pages.len(),
        languages,
        outputs,
    }
}

pub fn run(args: ListArgs, ui: &Ui) -> anyhow::Result<ExitCode> {
    let options = options(&args.source, args.books, Vec::new(), false)?;
    // Listing is not checking: the warnings of loading are left to `check`.
    let (project, books, _) = load(&args.source, &MetaArgs::default(), &options, ui, &Silent)?;
    let out_dir = options.out_dir(&project);
    let entries: Vec<Entry> = books.iter().map(|b| entry(b, &out_dir)).collect();
    let text = if args.json {
        let mut json = serde_json::to_string_pretty(&entries)?;
        json.push('\n');
        json
    } else {
        table(&entries)
    };
    write_stdout(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// One row per book under a header, columns aligned.
fn table(entries: &[Entry]) -> String {
    let mut rows = vec![[
        "BOOK".to_string(),
        "TITLE".to_string(),
        "FORMATS".to_string(),
        "PAGES".to_string(),
        "LANGUAGES".to_string(),
    ]];
    for e in entries {
        rows.push([
            e.name.clone(),
            e.title.chars().filter(|c| !c.is_control()).collect(),
            e.formats.join(", "),
            format!("{} page{}", e.pages, plural(e.pages)),
            e.languages.join(", "),
        ]);
    }
    let widths: Vec<usize> = (0..5)
        .map(|i| rows.iter().map(|r| r[i].width()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                line.push_str(&" ".repeat(widths[i] - cell.width() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
