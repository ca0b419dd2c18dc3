//! Command-line interface: one file per subcommand; the console (colour,
//! diagnostics, summary, progress) in `ui`, `report`, `snippet`, `summary`
//! and `progress`.

mod build;
mod check;
mod clean;
mod completions;
mod i18n;
mod init;
mod interrupt;
mod list;
mod man;
mod model;
mod overrides;
mod progress;
mod report;
mod snippet;
mod summary;
mod ui;
mod watch;

use clap::{Args, Parser, Subcommand};
use folio::{Diagnostic, Project};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub use ui::{ColorWhen, MessageFormat, StdoutClosed, Ui};

const EXAMPLES: &str = "\
Examples:
  folio init                           a starter folio.yaml (and a sample page) here
  folio build                          build every book in folio.yaml, in its formats
  folio build --book press-kit --format pdf
  folio build --format text --wrap 72  plain text filled to 72 columns
  folio build -M title='Press Kit 2025' --book press-kit
                                       override a book's metadata
  folio check --strict                 fail on any warning (broken link, missing image)
  folio check --message-format json    one JSON object per warning, for editors and CI
  folio watch --format text            rebuild on every change, until Ctrl-C
  folio list                           the books, their formats, pages and languages
  folio model --book about-xmpp        the document model as JSON
  folio build --site ../xmpp.org        a Hugo site as it is: one book per language
  folio build --site ../xmpp.org --lang de --format pdf
                                       only the German book (`site.de`)
  folio build --content ../site/content --static ../site/static --format text
                                       export a content folder as one book";

/// folio turns a folder of Hugo-style Markdown pages into a printable PDF,
/// an EPUB 3 booklet and plain text for translators.
#[derive(Debug, Parser)]
#[command(name = "folio", version, about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand takes, listed first in each one's help.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Print only errors (no warnings, no progress, no summary).
    #[arg(
        short,
        long,
        global = true,
        conflicts_with = "verbose",
        display_order = 1
    )]
    pub quiet: bool,
    /// Print more: every warning (a terminal shows the first 3 of each kind
    /// without it), and the book and format of each output built or
    /// checked.
    #[arg(short, long, global = true, display_order = 2)]
    pub verbose: bool,
    /// Colour the diagnostics: auto (on a terminal, unless NO_COLOR is
    /// set), always or never.
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHEN",
        default_value_t = ColorWhen::Auto,
        display_order = 3
    )]
    pub color: ColorWhen,
    /// How diagnostics are printed: human (with the source line), short
    /// (one line each) or json (one object per line, on stderr).
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "FMT",
        default_value_t = MessageFormat::Human,
        display_order = 4
    )]
    pub message_format: MessageFormat,
}

// Each subcommand's own options come after the global ones.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build books (text, pdf, epub) into the output folder.
    #[command(after_help = EXAMPLES, next_display_order = 10)]
    Build(build::BuildArgs),
    /// Render every book in memory (writing nothing) and report every
    /// warning the build would give.
    #[command(next_display_order = 10)]
    Check(check::CheckArgs),
    /// Print the document model of books as JSON.
    #[command(next_display_order = 10)]
    Model(model::ModelArgs),
    /// Write a starter folio.yaml (and a sample page, and with --templates
    /// copies of the built-in templates) into DIR.
    #[command(next_display_order = 10)]
    Init(init::InitArgs),
    /// List the books: formats, page count, languages.
    #[command(next_display_order = 10)]
    List(list::ListArgs),
    /// Remove the books' outputs (and nothing else) from the output folder.
    #[command(next_display_order = 10)]
    Clean(clean::CleanArgs),
    /// Build, then rebuild what each change of a page, image, template,
    /// font or config touches, until Ctrl-C.
    #[command(next_display_order = 10)]
    Watch(watch::WatchArgs),
    /// Translation catalogs: extract the PO template, update a
    /// language's PO file, show how complete each language is.
    #[command(next_display_order = 10)]
    I18n(i18n::I18nArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(next_display_order = 10)]
    Completions(completions::CompletionsArgs),
    /// Print folio's man page (roff), or write one per subcommand.
    #[command(next_display_order = 10)]
    Man(man::ManArgs),
}

/// Where the pages come from: `folio.yaml`, or a content folder.
#[derive(Debug, Args, Clone)]
pub struct SourceArgs {
    /// The config file (default: folio.yaml here or in the nearest parent).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Export the Hugo site in DIR whole, read as Hugo reads it (its
    /// config, languages, permalinks): one book per language, `site` and
    /// `site.<lang>`, ignoring the books of folio.yaml (its fonts,
    /// templates and defaults still apply).
    #[arg(long, value_name = "DIR")]
    pub site: Option<PathBuf>,
    /// Export every page under DIR as one book named `site`, ignoring the
    /// books of the config (its fonts, templates and defaults still apply);
    /// with --site, the site's content folder.
    #[arg(long, value_name = "DIR")]
    pub content: Option<PathBuf>,
    /// Static root for site-absolute images (default: the content folder,
    /// or the site's static folder).
    #[arg(long = "static", value_name = "DIR")]
    pub static_dir: Option<PathBuf>,
    /// Build only the books of this language of the site (repeatable;
    /// default: every language with pages).
    #[arg(long = "lang", value_name = "CODE")]
    pub languages: Vec<String>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

impl SourceArgs {
    /// The project the options name, its folders allowed for snippets in
    /// `ui` (the config file first, so that an error in the config itself
    /// can show its line).
    pub fn open(&self, ui: &Ui) -> anyhow::Result<Project> {
        let config = match &self.config {
            Some(path) => Some(path.clone()),
            None => folio::Config::find(&std::env::current_dir()?),
        };
        ui.allow_sources(config);
        let project = self.project()?;
        ui.allow_project(&project);
        Ok(project)
    }

    pub fn project(&self) -> anyhow::Result<Project> {
        let cwd = std::env::current_dir()?;
        let base = match &self.config {
            Some(path) => {
                if path.is_dir() {
                    return Err(
                        Diagnostic::error(path, 0, "--config is a folder, not a file")
                            .with_hint(format!(
                                "pass the config file itself: {}",
                                path.join(folio::config::CONFIG_FILE).display()
                            ))
                            .into(),
                    );
                }
                if !path.is_file() {
                    return Err(Diagnostic::error(path, 0, "config file not found").into());
                }
                Some(Project::from_config(path)?)
            }
            None => match folio::Config::find(&cwd) {
                Some(path) => Some(Project::from_config(&shorten(&path, &cwd))?),
                None => None,
            },
        };
        if let Some(dir) = &self.site {
            folder_arg("--site", dir)?;
        }
        if let Some(dir) = &self.content {
            folder_arg("--content", dir)?;
        }
        if let Some(dir) = &self.static_dir {
            if self.content.is_none() && self.site.is_none() {
                return Err(anyhow::anyhow!(
                    "--static goes with --content or --site (with folio.yaml, set `static:` there)"
                ));
            }
            folder_arg("--static", dir)?;
        }
        let mut project = match (&self.site, &self.content) {
            (Some(site), content) => {
                Project::hugo(site, content.clone(), self.static_dir.clone(), base)?
            }
            (None, Some(dir)) => Project::site(dir.clone(), self.static_dir.clone(), base),
            (None, None) => match base {
                Some(p) => p,
                None => Project::site(PathBuf::from("content"), None, None),
            },
        };
        project.include_drafts(self.drafts);
        project.select_languages(&self.languages)?;
        Ok(project)
    }
}

/// A folder given on the command line exists and is a folder.
fn folder_arg(flag: &str, dir: &Path) -> anyhow::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let diag = if dir.exists() {
        Diagnostic::error(dir, 0, format!("{flag} is a file, not a folder")).with_hint(format!(
            "{flag} takes a folder; to build chosen pages, list them under `pages:` in folio.yaml"
        ))
    } else {
        Diagnostic::error(dir, 0, format!("{flag} folder does not exist"))
    };
    Err(diag.into())
}

fn shorten(path: &Path, cwd: &Path) -> PathBuf {
    path.strip_prefix(cwd)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// Runs the subcommand.
pub fn run(cli: Cli, ui: &Ui) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Build(args) => build::run(args, ui),
        Command::Check(args) => check::run(args, ui),
        Command::Model(args) => model::run(args, ui),
        Command::Init(args) => init::run(args, ui),
        Command::List(args) => list::run(args, ui),
        Command::Clean(args) => clean::run(args, ui),
        Command::Watch(args) => watch::run(args, ui),
        Command::I18n(args) => i18n::run(args, ui),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args, ui),
    }
}

/// `1.2 KiB` style sizes.
pub fn human_size(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    }
}
