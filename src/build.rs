//! The build driver: load the selected books, render every selected format
//! in memory, and only then write the files. Nothing is written when any
//! book fails (or, under `--strict`, warns), so earlier outputs stay whole.
//!
//! `folio check` and `folio build` share the path up to the writing:
//! [`load_books`], then [`render_all`] (which renders every output, so
//! every output-stage warning, a character no font has, shows in both),
//! then [`strict_check`]; only `build` goes on to [`write_all`]. The CLI
//! applies its metadata overrides between loading and rendering.

use crate::backend::pdf::DiskCache;
use crate::backend::{self, PrintPages, epub::EpubOptions, pdf::PdfOptions, text::TextOptions};
use crate::config::{Format, Paper};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::{LoadOptions, Loaded, load_book};
use crate::output::{Transaction, WriteMemo, check_output_folder, remove_stale};
/// For callers that free what a build used off their own thread.
pub use crate::par::drop_later;
use crate::project::Project;
use anyhow::Result;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    /// Standards PDFs claim (`--pdf-standard`), overriding the style's.
    pub pdf_standard: Option<crate::backend::pdf::standard::Standards>,
    /// What earlier builds of this process wrote (`folio watch`): files
    /// known to hold their bytes are not read back.
    pub writes: Option<Arc<WriteMemo>>,
    /// PDF chapters kept from earlier builds (`folio watch`): a page that
    /// did not change is not laid out again. The bytes are the same.
    pub pdf_memo: Option<Arc<crate::backend::pdf::memo::LayoutMemo>>,
    /// EPUB chapters deflated by earlier builds (`folio watch`): an
    /// unchanged chapter is not deflated again. The bytes are the same.
    pub epub_memo: Option<Arc<crate::backend::epub::EntryMemo>>,
    /// Page texts of earlier builds (`folio watch`): a page equal to the
    /// one kept is not rendered again. The bytes are the same.
    pub text_memo: Option<Arc<crate::backend::text::TextMemo>>,
    /// The PDF writer's disk cache (images, font programs) in the output
    /// folder (`folio build` and `watch` without `--no-cache`): written and
    /// pruned once the outputs are. `None`: no cache read or written.
    pub disk_cache: Option<Arc<DiskCache>>,
    /// The PDF setup (style, fonts, images) started while the books load
    /// ([`start_pdf_setup`]), taken by the first PDF with the same folders.
    pub pdf_early: Option<crate::backend::pdf::EarlySetup>,
}

impl BuildOptions {
    /// The output folder: `--out`, else the project's.
    pub fn out_dir(&self, project: &Project) -> PathBuf {
        self.out
            .clone()
            .unwrap_or_else(|| project.output_dir.clone())
    }

    /// The formats to render for `loaded`: the asked ones, else the book's.
    pub fn formats_of(&self, loaded: &Loaded) -> Vec<Format> {
        if self.formats.is_empty() {
            loaded.formats.clone()
        } else {
            self.formats.clone()
        }
    }
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

/// An output rendered in memory, waiting to be written (or, for `check`,
/// dropped).
#[derive(Debug, Clone)]
pub struct Rendered {
    pub book: String,
    pub format: Format,
    /// The file, or for text the book's folder.
    pub path: PathBuf,
    /// Every file with its bytes (one, but for text).
    pub files: Vec<(PathBuf, Vec<u8>)>,
}

/// What a build is doing now, for a progress display.
#[derive(Debug, Clone, Copy)]
pub enum Stage<'a> {
    /// Reading, parsing and resolving a book's pages.
    Load { book: &'a str },
    /// Rendering one output of a book in memory.
    Render { book: &'a str, format: Format },
    /// Writing every rendered output.
    Write,
}

/// Hears of each step of a build as it starts. The library stays free of
/// terminals: the CLI draws a progress bar from these calls. Every method
/// has a no-op default.
pub trait Progress {
    /// `stage` starts; it is step `index` (from 0) of `total` in its phase
    /// (loading the books, rendering the outputs, writing).
    fn begin(&self, _stage: Stage<'_>, _index: usize, _total: usize) {}
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {}

/// Warnings already reported, so that a page in two books (or a problem
/// every output sees) is warned about once. A set: 100 000 warnings cost
/// linear time.
#[derive(Debug, Default)]
struct Seen(HashSet<(Option<PathBuf>, u32, String)>);

impl Seen {
    /// Moves the warnings of `from` not seen before into `into`.
    fn merge(&mut self, from: Diagnostics, into: &mut Diagnostics) {
        for d in from.items {
            if self.0.insert((d.path.clone(), d.line, d.message.clone())) {
                into.push(d);
            }
        }
    }
}

/// Loads the selected books of `project` (for `check` and `model`).
pub fn load_selected(
    project: &Project,
    books: &[String],
    options: &LoadOptions,
) -> Result<(Vec<Loaded>, Diagnostics)> {
    load_books(project, books, options, &Silent)
}

/// Loads the books named in `books` (empty: every book), each warning
/// once, telling `progress` of each book.
pub fn load_books(
    project: &Project,
    books: &[String],
    options: &LoadOptions,
    progress: &dyn Progress,
) -> Result<(Vec<Loaded>, Diagnostics)> {
    let names = select_books(project, books)?;
    let mut diags = Diagnostics::default();
    let mut loaded = Vec::with_capacity(names.len());
    let mut seen = Seen::default();
    for (index, name) in names.iter().enumerate() {
        progress.begin(Stage::Load { book: name }, index, names.len());
        let mut book = load_book(project, name, options)?;
        seen.merge(std::mem::take(&mut book.diagnostics), &mut diags);
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
    let (books, load_diags) = load_books(project, &options.books, &options.load, &Silent)?;
    diags.extend(load_diags);
    build_loaded(project, &books, options, &Silent, diags)
}

/// Renders and writes books already loaded: the output folder checked,
/// every output rendered, [`strict_check`], then everything written at
/// once.
pub fn build_loaded(
    project: &Project,
    books: &[Loaded],
    options: &BuildOptions,
    progress: &dyn Progress,
    diags: &mut Diagnostics,
) -> Result<Vec<Written>> {
    let out_dir = options.out_dir(project);
    let text_dirs: Vec<PathBuf> = books
        .iter()
        .filter(|loaded| options.formats_of(loaded).contains(&Format::Text))
        .map(|loaded| text_dir(&out_dir, &loaded.book.meta.name))
        .collect();
    check_output_folder(project, &out_dir, options.out.is_some(), &text_dirs)?;
    let rendered = render_all(project, books, options, progress, diags)?;
    strict_check(options.strict, diags, "nothing written")?;
    progress.begin(Stage::Write, 0, 1);
    write_outputs(&out_dir, &rendered, options.writes.as_deref())?;
    if let Some(cache) = &options.disk_cache {
        cache.flush();
        if rendered.iter().any(|r| r.format == Format::Pdf) {
            cache.prune();
        }
    }
    Ok(written(rendered))
}

/// Renders every selected format of every book in memory, writing
/// nothing; the warnings of rendering go to `diags` (each once).
pub fn render_all(
    project: &Project,
    books: &[Loaded],
    options: &BuildOptions,
    progress: &dyn Progress,
    diags: &mut Diagnostics,
) -> Result<Vec<Rendered>> {
    let out_dir = options.out_dir(project);
    let jobs: Vec<(&Loaded, Format)> = books
        .iter()
        .flat_map(|loaded| {
            options
                .formats_of(loaded)
                .into_iter()
                .map(move |format| (loaded, format))
        })
        .collect();
    // Warnings already in `diags` (from loading) are not repeated.
    let mut seen = Seen::default();
    let mut kept = Diagnostics::default();
    seen.merge(std::mem::take(diags), &mut kept);
    let mut rendered = Vec::with_capacity(jobs.len());
    // A book's PDF pagination, for its EPUB's page list (PDF jobs come
    // before EPUB ones: formats are in that order).
    let mut print = HashMap::new();
    for (index, (loaded, format)) in jobs.iter().enumerate() {
        let book = loaded.book.meta.name.as_str();
        progress.begin(
            Stage::Render {
                book,
                format: *format,
            },
            index,
            jobs.len(),
        );
        let mut found = Diagnostics::default();
        let result = render(
            project, loaded, *format, options, &out_dir, &mut print, &mut found,
        );
        seen.merge(found, &mut kept);
        match result {
            Ok(output) => rendered.push(output),
            Err(e) => {
                *diags = kept;
                return Err(e);
            }
        }
    }
    *diags = kept;
    Ok(rendered)
}

/// Under `--strict`, any warning is an error: `then` says what follows
/// (`nothing written`).
pub fn strict_check(strict: bool, diags: &Diagnostics, then: &str) -> Result<()> {
    if strict && !diags.is_empty() {
        let n = diags.len();
        return Err(Diagnostic {
            severity: crate::diag::Severity::Error,
            path: None,
            line: 0,
            column: 0,
            message: format!(
                "{n} warning{} with --strict: {then}",
                if n == 1 { "" } else { "s" }
            ),
            cause: None,
            hint: None,
        }
        .into());
    }
    Ok(())
}

/// Writes every rendered output, all or none, once the temporaries of
/// killed builds are cleared from the folders it writes to. Text folders
/// lose their stale `.txt` files only when everything else succeeded.
pub fn write_all(out_dir: &Path, rendered: Vec<Rendered>) -> Result<Vec<Written>> {
    write_outputs(out_dir, &rendered, None)?;
    Ok(written(rendered))
}

/// What was written, output by output.
fn written(rendered: Vec<Rendered>) -> Vec<Written> {
    rendered
        .into_iter()
        .map(|r| Written {
            bytes: r.files.iter().map(|(_, data)| data.len() as u64).sum(),
            files: r.files.len(),
            book: r.book,
            format: r.format,
            path: r.path,
        })
        .collect()
}

fn write_outputs(out_dir: &Path, pending: &[Rendered], memo: Option<&WriteMemo>) -> Result<()> {
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
    match memo {
        Some(memo) => transaction.commit_remembering(memo)?,
        None => transaction.commit()?,
    };
    for p in pending.iter().filter(|p| p.format == Format::Text) {
        remove_stale_text(&p.path, &p.files);
    }
    Ok(())
}

/// The folder of book `name`'s text files.
pub fn text_dir(out_dir: &Path, name: &str) -> PathBuf {
    out_dir.join("text").join(name)
}

fn render(
    project: &Project,
    loaded: &Loaded,
    format: Format,
    options: &BuildOptions,
    out_dir: &Path,
    print: &mut HashMap<String, PrintPages>,
    diags: &mut Diagnostics,
) -> Result<Rendered> {
    let book = &loaded.book;
    let name = book.meta.name.clone();
    Ok(match format {
        Format::Text => {
            let dir = text_dir(out_dir, &name);
            let files =
                backend::text::render_kept(book, &options.text, options.text_memo.as_deref())
                    .into_iter()
                    .map(|f| (dir.join(f.path), f.contents.into_bytes()))
                    .collect();
            Rendered {
                book: name,
                format,
                path: dir,
                files,
            }
        }
        Format::Pdf => {
            let (bytes, pages) = backend::pdf::render_early(
                book,
                &pdf_options(project, options, &name),
                options.pdf_early.as_ref(),
                diags,
            )?;
            print.insert(name.clone(), pages);
            let path = out_dir.join(format!("{name}.pdf"));
            Rendered {
                book: name,
                format,
                path: path.clone(),
                files: vec![(path, bytes)],
            }
        }
        Format::Epub => {
            let mut epub_options = EpubOptions::new(project.resources());
            epub_options.cover_logo = book.meta.logo.as_ref().map(|a| a.path.clone());
            epub_options.entries = options.epub_memo.clone();
            if book.meta.page_list {
                // The EPUB is the one reader of its PDF's pagination.
                epub_options.print_pages = Some(match print.remove(&name) {
                    Some(pages) => pages,
                    // The PDF is not built this time: its layout alone
                    // (its warnings belong to the PDF build).
                    None => backend::pdf::print_pages(
                        book,
                        &pdf_options(project, options, &name),
                        &mut Diagnostics::default(),
                    )?,
                });
            }
            let bytes = backend::epub::render(book, &epub_options, diags)?;
            let path = out_dir.join(format!("{name}.epub"));
            Rendered {
                book: name,
                format,
                path: path.clone(),
                files: vec![(path, bytes)],
            }
        }
    })
}

/// Starts the setup of the PDFs of a build (their style, fonts and
/// images: what the pages do not change) on a thread, to go on while the
/// books load; `None` when no PDF is asked for (an empty list of formats
/// builds each book's, which may include PDF).
pub fn start_pdf_setup(
    project: &Project,
    options: &BuildOptions,
) -> Option<crate::backend::pdf::EarlySetup> {
    if !(options.formats.is_empty() || options.formats.contains(&Format::Pdf)) {
        return None;
    }
    crate::backend::pdf::EarlySetup::start(&pdf_options(project, options, ""))
}

/// The PDF options of book `name`: `--paper`, else the book's, else the
/// defaults' paper size.
fn pdf_options(project: &Project, options: &BuildOptions, name: &str) -> PdfOptions {
    let paper = options.paper.or_else(|| {
        project
            .config
            .books
            .get(name)
            .and_then(|b| b.paper)
            .or(project.config.defaults.paper)
    });
    PdfOptions {
        resources: project.resources(),
        paper,
        standard: options.pdf_standard,
        threads: None,
        memo: options.pdf_memo.clone(),
        disk_cache: options.disk_cache.clone(),
    }
}

/// The books to build: the ones asked for (each must exist) or all.
pub fn select_books(project: &Project, asked: &[String]) -> Result<Vec<String>> {
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

/// Removes `.txt` files a previous build left in a book's text folder (and
/// its subfolders, which mirror the content folders) for pages that are no
/// longer in the book, then the subfolders that removal emptied. Written
/// files are kept; other files are never touched; symlinked folders are
/// not followed.
fn remove_stale_text(dir: &Path, written: &[(PathBuf, Vec<u8>)]) {
    // A set, not a scan per file: a site of N pages has N text files.
    let written: std::collections::HashSet<&Path> =
        written.iter().map(|(p, _)| p.as_path()).collect();
    let mut stack = vec![dir.to_path_buf()];
    let mut emptied = Vec::new();
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "txt")
                && !written.contains(path.as_path())
                && std::fs::remove_file(&path).is_ok()
                && folder != dir
            {
                emptied.push(folder.clone());
            }
        }
    }
    // Deepest first, so a folder emptied of its only subfolder goes too.
    emptied.sort_by_key(|f| std::cmp::Reverse(f.components().count()));
    emptied.dedup();
    for folder in emptied {
        let mut at = folder.as_path();
        while at != dir && at.starts_with(dir) && std::fs::remove_dir(at).is_ok() {
            match at.parent() {
                Some(parent) => at = parent,
                None => break,
            }
        }
    }
}
