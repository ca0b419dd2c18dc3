//! `folio i18n`: translation catalogs. `extract` writes the template
//! `po/messages.pot`, `update --lang L` creates or merges `po/L.po`,
//! `status` says how complete each language is.

use super::build::{load, options};
use super::overrides::MetaArgs;
use super::ui::write_stdout;
use super::{SourceArgs, Ui};
use anyhow::Context;
use clap::{Args, Subcommand};
use folio::build::Silent;
use folio::i18n::{self, po, status, template};
use folio::{Diagnostic, Loaded, Project};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct I18nArgs {
    #[command(subcommand)]
    pub command: I18nCommand,
}

#[derive(Debug, Subcommand)]
pub enum I18nCommand {
    /// Write the message template po/messages.pot from every book (dates
    /// from SOURCE_DATE_EPOCH).
    #[command(next_display_order = 10)]
    Extract(CatalogArgs),
    /// Create or merge po/LANG.po with the template's messages, as
    /// `msgmerge --previous` does (extracting first).
    #[command(next_display_order = 10)]
    Update(UpdateArgs),
    /// Translated, fuzzy, untranslated and rejected messages and words,
    /// per book and page, and whether each book is complete enough.
    #[command(next_display_order = 10)]
    Status(StatusArgs),
    /// Build the books in another language from po/LANG.po: dist/BOOK.LANG.pdf,
    /// .epub and dist/text/BOOK.LANG/ (below --min-complete, text only).
    #[command(next_display_order = 10)]
    Build(TranslatedBuildArgs),
    /// XLIFF 2.1 for CAT tools: `export` writes po/LANG.xlf from
    /// po/LANG.po, `import` reads its translations back into po/LANG.po.
    #[command(next_display_order = 10)]
    Xliff(XliffArgs),
    /// Write each source page translated from po/LANG.po as page.LANG.md
    /// beside it, for the Hugo site (a hand-written one is kept unless
    /// --force).
    #[command(next_display_order = 10)]
    ExportHugo(ExportHugoArgs),
}

#[derive(Debug, Args)]
pub struct ExportHugoArgs {
    #[command(flatten)]
    pub source: CatalogArgs,
    /// The language (repeatable).
    #[arg(long = "lang", value_name = "CODE", required = true)]
    pub languages: Vec<String>,
    /// Replace translation pages folio did not write.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct XliffArgs {
    /// export (po/LANG.po to po/LANG.xlf) or import (back).
    #[arg(value_enum)]
    pub direction: XliffDirection,
    #[command(flatten)]
    pub source: CatalogArgs,
    /// The language (repeatable).
    #[arg(long = "lang", value_name = "CODE", required = true)]
    pub languages: Vec<String>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum XliffDirection {
    Export,
    Import,
}

#[derive(Debug, Args)]
pub struct TranslatedBuildArgs {
    #[command(flatten)]
    pub source: CatalogArgs,
    /// The language to build (po/LANG.po; repeatable).
    #[arg(long = "lang", value_name = "CODE", required = true)]
    pub languages: Vec<String>,
    /// Build only this format (repeatable; default: each book's formats).
    #[arg(long = "format", value_name = "FORMAT")]
    pub formats: Vec<folio::Format>,
    /// Output folder (default: `output` in folio.yaml, else `dist`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Treat warnings (a translation not used, broken links) as errors.
    #[arg(long)]
    pub strict: bool,
    /// Translated words, per cent, a book needs for its PDF and EPUB.
    #[arg(long, value_name = "PERCENT", default_value_t = 80.0)]
    pub min_complete: f64,
}

/// Where the pages come from (as for `build`, without its `--lang`, which
/// here names a translation).
#[derive(Debug, Args, Clone)]
pub struct CatalogArgs {
    /// The config file (default: folio.yaml here or in the nearest parent).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Read the Hugo site in DIR whole (see `folio build --site`).
    #[arg(long, value_name = "DIR")]
    pub site: Option<PathBuf>,
    /// Take every page under DIR as one book named `site`.
    #[arg(long, value_name = "DIR")]
    pub content: Option<PathBuf>,
    /// Only these books' messages (repeatable; default: every book).
    #[arg(long = "book", value_name = "NAME")]
    pub books: Vec<String>,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    #[command(flatten)]
    pub source: CatalogArgs,
    /// The language to create or update (`de`, `pt-BR`; repeatable).
    #[arg(long = "lang", value_name = "CODE", required = true)]
    pub languages: Vec<String>,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub source: CatalogArgs,
    /// Only this language (repeatable; default: every po/*.po).
    #[arg(long = "lang", value_name = "CODE")]
    pub languages: Vec<String>,
    /// Print JSON: per language, the catalog's and each book's counts.
    #[arg(long)]
    pub json: bool,
    /// Translated words, per cent, a book needs for its PDF and EPUB.
    #[arg(long, value_name = "PERCENT", default_value_t = 80.0)]
    pub min_complete: f64,
}

impl CatalogArgs {
    fn source(&self) -> SourceArgs {
        SourceArgs {
            config: self.config.clone(),
            site: self.site.clone(),
            content: self.content.clone(),
            static_dir: None,
            languages: Vec::new(),
            drafts: false,
        }
    }
}

pub fn run(args: I18nArgs, ui: &Ui) -> anyhow::Result<ExitCode> {
    match args.command {
        I18nCommand::Extract(a) => {
            let (project, books) = open(&a, ui)?;
            let (path, pot) = extract(&project, &books)?;
            write_catalog(&path, &pot)?;
            ui.info(&format!(
                "wrote {} ({} message{})",
                path.display(),
                pot.entries.len(),
                super::build::plural(pot.entries.len())
            ));
        }
        I18nCommand::Update(a) => {
            let (project, books) = open(&a.source, ui)?;
            let (path, pot) = extract(&project, &books)?;
            write_catalog(&path, &pot)?;
            let date = folio::source_date_epoch()?;
            for lang in &a.languages {
                let path = language_file(&project, lang)?;
                let old = i18n::read(&path)?;
                let name = project_name(&project);
                let header = template::header(&name, date, Some(lang));
                let new = i18n::merge::merge(old.as_ref(), &pot, header, date);
                write_catalog(&path, &new)?;
                let t = status::catalog_tally(&new);
                ui.info(&format!(
                    "wrote {}: {} translated, {} fuzzy, {} untranslated",
                    path.display(),
                    t.translated.messages + t.rejected.messages,
                    t.fuzzy.messages,
                    t.untranslated.messages
                ));
            }
        }
        I18nCommand::Status(a) => status_run(a, ui)?,
        I18nCommand::Build(a) => build_run(a, ui)?,
        I18nCommand::Xliff(a) => xliff_run(a, ui)?,
        I18nCommand::ExportHugo(a) => export_run(a, ui)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The project and its selected books, loaded.
fn open(args: &CatalogArgs, ui: &Ui) -> anyhow::Result<(Project, Vec<Loaded>)> {
    let source = args.source();
    let options = options(&source, args.books.clone(), Vec::new(), false)?;
    // Extraction is not checking: the warnings of loading are `check`'s.
    let (project, mut books, _) = load(&source, &MetaArgs::default(), &options, ui, &Silent)?;
    source_books_only(&project, &mut books);
    Ok((project, books))
}

/// A Hugo site's books in its other languages are translations already
/// (`page.de.md`), not source text: only the default language's books
/// give messages and are translated.
fn source_books_only(project: &Project, books: &mut Vec<Loaded>) {
    if let Some(site) = &project.site {
        books.retain(|b| {
            b.book
                .meta
                .language
                .eq_ignore_ascii_case(&site.default_language)
        });
    }
}

/// The project root: the config file's folder, or the current folder.
fn root(project: &Project) -> PathBuf {
    i18n::project_root(project)
}

fn project_name(project: &Project) -> String {
    let root = root(project);
    let dir = if root.as_os_str().is_empty() {
        std::env::current_dir().unwrap_or_default()
    } else {
        root
    };
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "folio".into())
}

fn config_file(project: &Project) -> PathBuf {
    project
        .config_path
        .clone()
        .unwrap_or_else(|| PathBuf::from(folio::config::CONFIG_FILE))
}

/// The template of every loaded book, and where it goes.
fn extract(project: &Project, books: &[Loaded]) -> anyhow::Result<(PathBuf, po::Catalog)> {
    let root = root(project);
    let refs: Vec<&folio::Book> = books.iter().map(|b| &b.book).collect();
    let keys = &project.config.i18n.front_matter;
    let units = i18n::all_units(&refs, &root, &config_file(project), keys);
    let date = folio::source_date_epoch()?;
    let pot = template::template(&units, &project_name(project), date);
    Ok((i18n::template_path(&root), pot))
}

/// `po/<lang>.po`, after checking that `lang` is a language code.
fn language_file(project: &Project, lang: &str) -> anyhow::Result<PathBuf> {
    if !i18n::valid_language(lang) {
        anyhow::bail!(
            "--lang {lang:?} is not a language code (letters, digits, `-` and `_`, such as `de` or `pt-BR`)"
        );
    }
    Ok(i18n::language_path(&root(project), lang))
}

/// Writes a catalog through the all-or-nothing writer (unchanged bytes
/// leave the file and its time alone).
fn write_catalog(path: &Path, catalog: &po::Catalog) -> anyhow::Result<()> {
    write_bytes(path, po::write(catalog).as_bytes())
}

/// Writes one file all or nothing, its folder created first.
fn write_bytes(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|e| {
            Diagnostic::error(dir, 0, "cannot create the catalog folder").with_cause(e)
        })?;
    }
    let mut t = folio::output::Transaction::new();
    t.add(path, bytes);
    t.commit()
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// The languages `status` reports: those asked, else every `po/*.po`.
fn status_languages(project: &Project, asked: &[String]) -> anyhow::Result<Vec<String>> {
    if !asked.is_empty() {
        for lang in asked {
            language_file(project, lang)?;
        }
        return Ok(asked.to_vec());
    }
    let dir = i18n::po_dir(&root(project));
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if let Some(lang) = name.strip_suffix(".po")
                && i18n::valid_language(lang)
            {
                found.push(lang.to_string());
            }
        }
    }
    found.sort();
    Ok(found)
}

#[derive(serde::Serialize)]
struct LanguageStatus {
    language: String,
    file: String,
    /// The PO file as a whole (each message once), as pocount counts it.
    catalog: status::Tally,
    books: Vec<status::BookStatus>,
}

fn status_run(args: StatusArgs, ui: &Ui) -> anyhow::Result<()> {
    let (project, books) = open(&args.source, ui)?;
    let root = root(&project);
    let config = config_file(&project);
    let mut report = Vec::new();
    for lang in status_languages(&project, &args.languages)? {
        let path = language_file(&project, &lang)?;
        let catalog = i18n::read(&path)?;
        let lookup = status::Lookup::new(catalog.as_ref());
        let books = books
            .iter()
            .map(|b| {
                let keys = &project.config.i18n.front_matter;
                let units = i18n::book_units(&b.book, &root, &config, keys);
                status::book_status(&b.book.meta.name, &units, &lookup, args.min_complete)
            })
            .collect();
        report.push(LanguageStatus {
            language: lang,
            file: path.display().to_string(),
            catalog: catalog
                .as_ref()
                .map(status::catalog_tally)
                .unwrap_or_default(),
            books,
        });
    }
    let text = if args.json {
        let mut json = serde_json::to_string_pretty(&report)?;
        json.push('\n');
        json
    } else {
        human(&report, args.min_complete)
    };
    write_stdout(text.as_bytes())
}

fn line(name: &str, t: &status::Tally) -> String {
    format!(
        "{name}: {:.1}% of {} words; messages {} translated, {} fuzzy, {} untranslated, {} rejected\n",
        t.percent(),
        t.words(),
        t.translated.messages,
        t.fuzzy.messages,
        t.untranslated.messages,
        t.rejected.messages
    )
}

fn human(report: &[LanguageStatus], min: f64) -> String {
    if report.is_empty() {
        return "no translations yet (po/*.po); start one with `folio i18n update --lang CODE`\n"
            .into();
    }
    let mut out = String::new();
    for l in report {
        out.push_str(&line(&format!("{} ({})", l.language, l.file), &l.catalog));
        for b in &l.books {
            let verdict = if b.passes {
                "complete enough for PDF and EPUB".to_string()
            } else {
                format!("below {min}%: text output only")
            };
            out.push_str(&format!("  book {} ({verdict})\n", b.book));
            out.push_str(&format!("    {}", line("total", &b.tally)));
            for p in &b.pages {
                out.push_str(&format!("    {}", line(&p.page, &p.tally)));
            }
        }
    }
    out
}

/// `folio i18n build`: the same as `folio build --lang L` of folio.yaml
/// books (kept as an alias; with a Hugo site it translates the default
/// language's books from the catalogs).
fn build_run(args: TranslatedBuildArgs, ui: &Ui) -> anyhow::Result<()> {
    let source = args.source.source();
    let mut options = options(&source, args.source.books.clone(), Vec::new(), args.strict)?;
    options.out = args.out.clone();
    let project = source.open(ui)?;
    let mut diags = folio::Diagnostics::default();
    let translated = translated_books(
        &project,
        &args.languages,
        &Translation {
            load: &options,
            formats: &args.formats,
            min_complete: args.min_complete,
            progress: &Silent,
        },
        &mut diags,
    );
    let result = translated.and_then(|books| {
        folio::build::build_loaded(&project, &books, &options, &Silent, &mut diags)
    });
    ui.warnings(&diags);
    for w in result? {
        ui.info(&format!("wrote {}", w.path.display()));
    }
    Ok(())
}

/// How a translated build goes.
pub struct Translation<'a> {
    /// The build's options (books, load options).
    pub load: &'a folio::BuildOptions,
    /// Formats asked for (empty: each book's).
    pub formats: &'a [folio::Format],
    /// Per cent of words a book needs for its PDF and EPUB.
    pub min_complete: f64,
    pub progress: &'a dyn folio::build::Progress,
}

/// The selected source books in each of `languages`, named `<book>.L`:
/// each page from its Hugo translation `page.L.md` when there is one,
/// else segment by segment from `po/L.po`, else the source text (marked
/// as the source language). Below `min_complete` a book gets its text
/// output only, with a warning.
pub fn translated_books(
    project: &Project,
    languages: &[String],
    t: &Translation,
    diags: &mut folio::Diagnostics,
) -> anyhow::Result<Vec<Loaded>> {
    let mut translated = Vec::new();
    for lang in languages {
        let path = language_file(project, lang)?;
        let catalog = i18n::read(&path)?;
        let mut by_hand = project.clone();
        by_hand.translation = Some(lang.clone());
        let (mut books, found) =
            folio::build::load_books(&by_hand, &t.load.books, &t.load.load, t.progress)?;
        diags.extend(found);
        source_books_only(project, &mut books);
        let has_pages = books.iter().any(|b| {
            b.book.pages.iter().any(|p| {
                p.source
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .and_then(|s| s.rsplit_once('.'))
                    .is_some_and(|(_, l)| l.eq_ignore_ascii_case(lang))
            })
        });
        if catalog.is_none() && !has_pages {
            return Err(
                Diagnostic::error(&path, 0, "no translation catalog for this language")
                    .with_hint(format!(
                        "start one with `folio i18n update --lang {lang}` (or write page.{lang}.md translations)"
                    ))
                    .into(),
            );
        }
        for loaded in books {
            let mut book = loaded.book;
            let applied = i18n::apply::translate_book(
                &mut book,
                catalog.as_ref(),
                &path,
                lang,
                &project.config.i18n.front_matter,
                diags,
            );
            let wanted = if t.formats.is_empty() {
                loaded.formats
            } else {
                t.formats.to_vec()
            };
            let formats = enough(
                &book,
                wanted,
                applied.tally.percent(),
                t.min_complete,
                &path,
                diags,
            );
            translated.push(Loaded {
                book,
                formats,
                diagnostics: Default::default(),
            });
        }
    }
    Ok(translated)
}

/// `wanted` when the book is `complete` per cent translated, at least
/// `min`; else its text format alone, with a warning.
fn enough(
    book: &folio::Book,
    wanted: Vec<folio::Format>,
    complete: f64,
    min: f64,
    path: &Path,
    diags: &mut folio::Diagnostics,
) -> Vec<folio::Format> {
    if complete >= min {
        return wanted;
    }
    let skipped: Vec<&str> = wanted
        .iter()
        .filter(|f| **f != folio::Format::Text)
        .map(|f| f.name())
        .collect();
    if !skipped.is_empty() {
        diags.push(Diagnostic::warning(
            path,
            0,
            format!(
                "book {} is {complete:.1}% translated (below {min}%): {} not built, text only",
                book.meta.name,
                skipped.join(" and ")
            ),
        ));
    }
    wanted
        .into_iter()
        .filter(|f| *f == folio::Format::Text)
        .collect()
}

/// `build --lang L --site`: each selected book of a language other than
/// the site's default takes `po/L.po`'s translations for the segments its
/// `page.L.md` pages left in the source text, when that catalog exists.
pub fn fill_site_books(
    project: &Project,
    books: &mut [Loaded],
    languages: &[String],
    diags: &mut folio::Diagnostics,
) -> anyhow::Result<()> {
    let po_dir = i18n::po_dir(&root(project));
    let default = project.site.as_ref().map(|s| s.default_language.clone());
    for loaded in books {
        let lang = loaded.book.meta.language.clone();
        let asked = languages.iter().any(|l| l.eq_ignore_ascii_case(&lang));
        if !asked
            || default
                .as_deref()
                .is_some_and(|d| d.eq_ignore_ascii_case(&lang))
        {
            continue;
        }
        let Some(path) = i18n::labels::project_catalog_path(&po_dir, &lang) else {
            continue;
        };
        if let Some(catalog) = i18n::read(&path)? {
            let keys = &project.config.i18n.front_matter;
            i18n::apply::fill_book(&mut loaded.book, &catalog, &path, keys, diags);
        }
    }
    Ok(())
}

/// `folio i18n export-hugo`: every language's pages written at once, or
/// none of them.
fn export_run(args: ExportHugoArgs, ui: &Ui) -> anyhow::Result<()> {
    let (project, books) = open(&args.source, ui)?;
    let mut diags = folio::Diagnostics::default();
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for lang in &args.languages {
        let path = language_file(&project, lang)?;
        let Some(catalog) = i18n::read(&path)? else {
            return Err(
                Diagnostic::error(&path, 0, "no translation catalog for this language")
                    .with_hint(format!("start one with `folio i18n update --lang {lang}`"))
                    .into(),
            );
        };
        let mut seen = std::collections::HashSet::new();
        for page in books.iter().flat_map(|b| &b.book.pages) {
            let own = page
                .source
                .file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.rsplit_once('.'))
                .is_some_and(|(_, l)| l.eq_ignore_ascii_case(lang));
            // A page shared by books is written once; a translation
            // page is not a source.
            if own || !seen.insert(page.source.clone()) {
                continue;
            }
            if let Some(file) = i18n::export::export_page(
                page,
                Some(&catalog),
                &path,
                &i18n::export::Export {
                    lang,
                    keys: &project.config.i18n.front_matter,
                    force: args.force,
                },
                &mut diags,
            )? {
                files.push(file);
            }
        }
    }
    ui.warnings(&diags);
    let mut t = folio::output::Transaction::new();
    for (path, text) in &files {
        t.add(path, text.as_bytes());
    }
    t.commit().context("cannot write the translated pages")?;
    ui.info(&format!(
        "wrote {} translated page{}",
        files.len(),
        super::build::plural(files.len())
    ));
    Ok(())
}

/// `folio i18n xliff export|import`.
fn xliff_run(args: XliffArgs, ui: &Ui) -> anyhow::Result<()> {
    let (project, books) = open(&args.source, ui)?;
    let src = books
        .first()
        .map(|b| b.book.meta.language.clone())
        .unwrap_or_else(|| "en".into());
    for lang in &args.languages {
        let po_path = language_file(&project, lang)?;
        let xlf_path = po_path.with_extension("xlf");
        let Some(mut catalog) = i18n::read(&po_path)? else {
            return Err(
                Diagnostic::error(&po_path, 0, "no translation catalog for this language")
                    .with_hint(format!("start one with `folio i18n update --lang {lang}`"))
                    .into(),
            );
        };
        match args.direction {
            XliffDirection::Export => {
                let xml = i18n::xliff::export(&catalog, &src, lang);
                write_bytes(&xlf_path, xml.as_bytes())?;
                ui.info(&format!("wrote {}", xlf_path.display()));
            }
            XliffDirection::Import => {
                let bytes = std::fs::read(&xlf_path).map_err(|e| {
                    Diagnostic::error(&xlf_path, 0, "cannot read the XLIFF file").with_cause(e)
                })?;
                let xml = String::from_utf8(bytes)
                    .map_err(|_| Diagnostic::error(&xlf_path, 0, "the XLIFF file is not UTF-8"))?;
                let units = i18n::xliff::import(&xlf_path, &xml)?;
                let merged = i18n::xliff::apply(&mut catalog, &units);
                let mut diags = folio::Diagnostics::default();
                for (line, id) in &merged.unknown {
                    diags.push(Diagnostic::warning(
                        &xlf_path,
                        *line,
                        format!(
                            "unit `{id}` matches no message of {}: not imported",
                            po_path.display()
                        ),
                    ));
                }
                ui.warnings(&diags);
                write_catalog(&po_path, &catalog)?;
                ui.info(&format!(
                    "wrote {} ({} message{} changed)",
                    po_path.display(),
                    merged.updated,
                    super::build::plural(merged.updated)
                ));
            }
        }
    }
    Ok(())
}
