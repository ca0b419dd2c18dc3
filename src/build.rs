//! The build driver: load the selected books, render every selected format
//! in memory, and only then write the files. Nothing is written when any
//! book fails (or, under `--strict`, warns), so earlier outputs stay whole.

use crate::backend::{self, epub::EpubOptions, pdf::PdfOptions, text::TextOptions};
use crate::config::{Format, Paper};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::{LoadOptions, Loaded, load_book};
use crate::output::{Transaction, check_output_folder, remove_stale};
use crate::project::Project;
use anyhow::Result;
use std::path::{Path, PathBuf};

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Books to build; empty: all.
    pub books: Vec<String>,
    /// Formats to build; empty: each book's configured formats.
    pub formats: Vec<Format>,
    /// Output folder; `None`: the project's (`dist`).
    pub out: Option<PathBuf>,
    /// Warnings are errors.
    pub strict: bool,
    pub load: LoadOptions,
    pub text: TextOptions,
    /// Paper size for PDFs, overriding config and style.
    pub paper: Option<Paper>,
}

/// One file (or, for text, one folder of files) the build wrote.
#[derive(Debug, Clone)]
pub struct Written {
    pub book: String,
    pub format: Format,
    pub path: PathBuf,
    pub files: usize,
    pub bytes: u64,
}

/// An output rendered in memory, waiting to be written.
struct Pending {
    book: String,
    format: Format,
    path: PathBuf,
    files: Vec<(PathBuf, Vec<u8>)>,
}

/// Loads the selected books of `project` (for `check` and `model`),
/// failing under `strict` if anything was warned about.
pub fn load_selected(
    project: &Project,
    books: &[String],
    options: &LoadOptions,
) -> Result<(Vec<Loaded>, Diagnostics)> {
    let names = select_books(project, books)?;
    let mut diags = Diagnostics::default();
    let mut loaded = Vec::with_capacity(names.len());
    // What was warned about: a set, so 100 000 warnings cost linear time.
    let mut seen = std::collections::HashSet::<(Option<PathBuf>, u32, String)>::new();
    for name in names {
        let mut book = load_book(project, &name, options)?;
        // A page in two books is warned about once.
        for d in std::mem::take(&mut book.diagnostics.items) {
            if seen.insert((d.path.clone(), d.line, d.message.clone())) {
                diags.push(d);
            }
        }
        loaded.push(book);
    }
    Ok((loaded, diags))
}

/// Builds; returns what was written, and the warnings in `diags`.
pub fn build(
    project: &Project,
    options: &BuildOptions,
    diags: &mut Diagnostics,
) -> Result<Vec<Written>> {
    let (books, load_diags) = load_selected(project, &options.books, &options.load)?;
    diags.extend(load_diags);
    strict_check(options.strict, diags)?;

    let out_dir = options
        .out
        .clone()
        .unwrap_or_else(|| project.output_dir.clone());
    let formats_of = |loaded: &Loaded| {
        if options.formats.is_empty() {
            loaded.formats.clone()
        } else {
            options.formats.clone()
        }
    };
    let text_dirs: Vec<PathBuf> = books
        .iter()
        .filter(|loaded| formats_of(loaded).contains(&Format::Text))
        .map(|loaded| text_dir(&out_dir, &loaded.book.meta.name))
        .collect();
    check_output_folder(project, &out_dir, options.out.is_some(), &text_dirs)?;
    let mut pending = Vec::new();
    for loaded in &books {
        for format in formats_of(loaded) {
            pending.push(render(project, loaded, format, options, &out_dir, diags)?);
        }
    }
    strict_check(options.strict, diags)?;

    write_outputs(&out_dir, &pending)?;
    let mut written = Vec::with_capacity(pending.len());
    for p in pending {
        let bytes = p.files.iter().map(|(_, data)| data.len() as u64).sum();
        written.push(Written {
            book: p.book,
            format: p.format,
            path: p.path,
            files: p.files.len(),
            bytes,
        });
    }
    Ok(written)
}

/// Writes every rendered output, all or none, once the temporaries of
/// killed builds are cleared from the folders it writes to. Text folders
/// lose their stale `.txt` files only when everything else succeeded.
fn write_outputs(out_dir: &Path, pending: &[Pending]) -> Result<()> {
    let mut transaction = Transaction::new();
    for (path, bytes) in pending.iter().flat_map(|p| &p.files) {
        transaction.add(path, bytes);
    }
    let mut folders = transaction.folders();
    if !folders.contains(&out_dir) {
        folders.push(out_dir);
    }
    for dir in folders {
        remove_stale(dir).map_err(|e| {
            Diagnostic::error(
                dir,
                0,
                "cannot remove the temporary files a killed build left",
            )
            .with_cause(e)
        })?;
    }
    transaction.commit()?;
    for p in pending.iter().filter(|p| p.format == Format::Text) {
        remove_stale_text(&p.path, &p.files);
    }
    Ok(())
}

/// The folder of book `name`'s text files.
fn text_dir(out_dir: &Path, name: &str) -> PathBuf {
    out_dir.join("text").join(name)
}

fn render(
    project: &Project,
    loaded: &Loaded,
    format: Format,
    options: &BuildOptions,
    out_dir: &Path,
    diags: &mut Diagnostics,
) -> Result<Pending> {
    let book = &loaded.book;
    let name = book.meta.name.clone();
    Ok(match format {
        Format::Text => {
            let dir = text_dir(out_dir, &name);
            let files = backend::text::render(book, &options.text)
                .into_iter()
                .map(|f| (dir.join(f.path), f.contents.into_bytes()))
                .collect();
            Pending {
                book: name,
                format,
                path: dir,
                files,
            }
        }
        Format::Pdf => {
            let paper = options.paper.or_else(|| {
                project
                    .config
                    .books
                    .get(&name)
                    .and_then(|b| b.paper)
                    .or(project.config.defaults.paper)
            });
            let pdf_options = PdfOptions {
                resources: project.resources(),
                paper,
            };
            let bytes = backend::pdf::render(book, &pdf_options, diags)?;
            let path = out_dir.join(format!("{name}.pdf"));
            Pending {
                book: name,
                format,
                path: path.clone(),
                files: vec![(path, bytes)],
            }
        }
        Format::Epub => {
            let mut epub_options = EpubOptions::new(project.resources());
            epub_options.cover_logo = book.meta.logo.as_ref().map(|a| a.path.clone());
            let bytes = backend::epub::render(book, &epub_options, diags)?;
            let path = out_dir.join(format!("{name}.epub"));
            Pending {
                book: name,
                format,
                path: path.clone(),
                files: vec![(path, bytes)],
            }
        }
    })
}

/// The books to build: the ones asked for (each must exist) or all.
fn select_books(project: &Project, asked: &[String]) -> Result<Vec<String>> {
    if asked.is_empty() {
        return Ok(project.book_names());
    }
    let mut names = Vec::new();
    for name in asked {
        project.book_config(name)?;
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    Ok(names)
}

/// Under `--strict`, any warning stops the build before anything is written.
fn strict_check(strict: bool, diags: &Diagnostics) -> Result<()> {
    if strict && !diags.is_empty() {
        let n = diags.len();
        return Err(Diagnostic {
            severity: crate::diag::Severity::Error,
            path: None,
            line: 0,
            column: 0,
            message: format!(
                "{n} warning{} with --strict: nothing written",
                if n == 1 { "" } else { "s" }
            ),
            cause: None,
            hint: None,
        }
        .into());
    }
    Ok(())
}

/// Removes `.txt` files a previous build left in a book's text folder for
/// pages that are no longer in the book (written files are kept).
fn remove_stale_text(dir: &Path, written: &[(PathBuf, Vec<u8>)]) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    // A set, not a scan per file: a site of N pages has N text files.
    let written: std::collections::HashSet<&Path> =
        written.iter().map(|(p, _)| p.as_path()).collect();
    for entry in entries.flatten() {
        let path = entry.path();
        let is_txt = path.extension().is_some_and(|e| e == "txt");
        if is_txt && !written.contains(path.as_path()) {
            let _ = std::fs::remove_file(&path);
        }
    }
}
