//! `folio build`.

use super::overrides::MetaArgs;
use super::{SourceArgs, Ui, human_size};
use clap::Args;
use folio::backend::pdf::DiskCache;
use folio::backend::pdf::standard::Standards;
use folio::backend::text::TextOptions;
use folio::build::{Progress, load_books};
use folio::{BuildOptions, Diagnostics, Format, LoadOptions, Loaded, Paper, Project, Written};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
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
    /// Standards PDFs claim: pdf/a-2u, pdf/ua-1, pdf/a-2u+pdf/ua-1 or none
    /// (overrides the style file's `pdf: standard`).
    #[arg(long, value_name = "STANDARD")]
    pub pdf_standard: Option<Standards>,
    /// With --lang and folio.yaml books: translated words, per cent, a
    /// book needs for its PDF and EPUB (below: text only).
    #[arg(long, value_name = "PERCENT", default_value_t = 80.0)]
    pub min_complete: f64,
    /// Neither read nor write the cache of processed PDF images and font
    /// programs (`<out>/.folio-cache/`): every one is made again.
    #[arg(long)]
    pub no_cache: bool,
    #[command(flatten)]
    pub meta: MetaArgs,
}

/// The options of a build or check from the command line.
pub fn options(
    source: &SourceArgs,
    books: Vec<String>,
    formats: Vec<Format>,
    strict: bool,
) -> anyhow::Result<BuildOptions> {
    Ok(BuildOptions {
        books,
        formats,
        strict,
        load: LoadOptions {
            drafts: source.drafts,
            date: folio::source_date_epoch()?,
            cache: None,
        },
        ..BuildOptions::default()
    })
}

/// Opens the project with the metadata overrides in its configuration,
/// and loads the selected books with the overrides in their metadata.
pub fn load(
    source: &SourceArgs,
    meta: &MetaArgs,
    options: &BuildOptions,
    ui: &Ui,
    progress: &dyn Progress,
) -> anyhow::Result<(Project, Vec<Loaded>, Diagnostics)> {
    let mut project = source.open(ui)?;
    meta.apply_to_config(&mut project, &options.books);
    let (mut books, diags) = load_books(&project, &options.books, &options.load, progress)?;
    for book in &mut books {
        meta.apply_to_book(book);
    }
    Ok((project, books, diags))
}

/// Loads the selected books of an opened project, with the overrides of
/// `meta` (as [`load`] does).
fn load_opened(
    project: &mut Project,
    meta: &MetaArgs,
    options: &BuildOptions,
    progress: &dyn Progress,
    diags: &mut Diagnostics,
) -> anyhow::Result<Vec<Loaded>> {
    meta.apply_to_config(project, &options.books);
    let (mut books, found) = load_books(project, &options.books, &options.load, progress)?;
    for book in &mut books {
        meta.apply_to_book(book);
    }
    diags.extend(found);
    Ok(books)
}

/// The options of `build` (and `watch`) from the command line.
pub fn build_options(args: &BuildArgs) -> anyhow::Result<BuildOptions> {
    let mut options = options(
        &args.source,
        args.books.clone(),
        args.formats.clone(),
        args.strict,
    )?;
    options.out.clone_from(&args.out);
    options.text = TextOptions {
        wrap: args.wrap.map(usize::from),
    };
    options.paper = args.paper;
    options.pdf_standard = args.pdf_standard;
    Ok(options)
}

/// The PDF writer's disk cache (images, font programs) of output folder
/// `out`: `kept` when it is that folder's, else a new one; `None` under
/// `--no-cache`.
pub fn disk_cache(
    args: &BuildArgs,
    out: &Path,
    kept: Option<&Arc<DiskCache>>,
) -> Option<Arc<DiskCache>> {
    if args.no_cache {
        return None;
    }
    match kept {
        Some(cache) if cache.out_dir() == out => Some(Arc::clone(cache)),
        _ => Some(Arc::new(DiskCache::new(out))),
    }
}

pub fn run(args: BuildArgs, ui: &Ui) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    let mut options = build_options(&args)?;
    let mut bar = ui.progress();
    // `--lang` picks a Hugo site's languages; with folio.yaml books alone
    // it names the translations to build (see `i18n::translated_books`).
    let languages = args.source.languages.clone();
    let mut source = args.source.clone();
    source.languages.clear();
    let mut project = source.open(ui)?;
    let mut diags = Diagnostics::default();
    // The PDF's setup goes on on the other core while the books load.
    let cache = disk_cache(&args, &options.out_dir(&project), None);
    options.disk_cache = cache.clone();
    options.pdf_early = folio::build::start_pdf_setup(&project, &options);
    let books = if languages.is_empty() {
        load_opened(&mut project, &args.meta, &options, &bar, &mut diags)?
    } else if project.site.is_some() {
        project.select_languages(&languages)?;
        let mut books = load_opened(&mut project, &args.meta, &options, &bar, &mut diags)?;
        super::i18n::fill_site_books(&project, &mut books, &languages, &mut diags)?;
        books
    } else {
        args.meta.apply_to_config(&mut project, &options.books);
        super::i18n::translated_books(
            &project,
            &languages,
            &super::i18n::Translation {
                load: &options,
                formats: &args.formats,
                min_complete: args.min_complete,
                progress: &bar,
            },
            &mut diags,
        )?
    };
    options.disk_cache = disk_cache(&args, &options.out_dir(&project), cache.as_ref());
    let result = folio::build::build_loaded(&project, &books, &options, &bar, &mut diags);
    // Freeing the books is the last work of a build: off the main thread.
    folio::build::drop_later(books);
    bar.finish();
    ui.warnings(&diags);
    let written = result?;
    report(ui, &written, &diags, start);
    Ok(ExitCode::SUCCESS)
}

/// `wrote …` per output, then `finished …`.
pub fn report(ui: &Ui, written: &[Written], diags: &Diagnostics, start: Instant) {
    for w in written {
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
    ui.info(&format!(
        "  finished {books} book{} in {:.0} ms{}",
        plural(books),
        start.elapsed().as_secs_f64() * 1000.0,
        warnings(diags.len())
    ));
}

/// `s` after a count other than one.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `, 3 warnings` (nothing for none).
fn warnings(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(", {n} warning{}", plural(n))
    }
}
