//! Command-line interface: one file per subcommand.

mod build;
mod check;
mod init;
mod model;

use clap::{Args, Parser, Subcommand};
use folio::{Diagnostic, Diagnostics, Project};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  folio init                           a starter folio.yaml (and a sample page) here
  folio build                          build every book in folio.yaml, in its formats
  folio build --book press-kit --format pdf
  folio build --format text --wrap 72  plain text filled to 72 columns
  folio check --strict                 fail on any warning (broken link, missing image)
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
    #[command(subcommand)]
    pub command: Command,
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more detail: the book and format of each output.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build books (text, pdf, epub) into the output folder.
    #[command(after_help = EXAMPLES)]
    Build(build::BuildArgs),
    /// Load every page, resolve links and assets, report every warning.
    Check(check::CheckArgs),
    /// Print the document model of a book as JSON.
    Model(model::ModelArgs),
    /// Write a starter folio.yaml (and a sample page, and with --templates
    /// copies of the built-in templates) into DIR.
    Init(init::InitArgs),
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

pub fn run(cli: Cli, ui: &Ui) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Build(args) => build::run(args, ui),
        Command::Check(args) => check::run(args, ui),
        Command::Model(args) => model::run(args, ui),
        Command::Init(args) => init::run(args, ui),
    }
}

/// Console output: diagnostics and summaries to stderr, respecting -q/-v.
pub struct Ui {
    pub quiet: bool,
    pub verbose: bool,
}

impl Ui {
    pub fn new(quiet: bool, verbose: bool) -> Ui {
        Ui { quiet, verbose }
    }

    pub fn error(&self, err: &anyhow::Error) {
        match err.downcast_ref::<Diagnostic>() {
            Some(d) => eprintln!("{d}"),
            None => {
                eprintln!("error: {err}");
                for cause in err.chain().skip(1) {
                    eprintln!("  caused by: {cause}");
                }
            }
        }
    }

    pub fn warnings(&self, diags: &Diagnostics) {
        if self.quiet {
            return;
        }
        for d in &diags.items {
            eprintln!("{d}");
        }
    }

    pub fn info(&self, line: &str) {
        if !self.quiet {
            eprintln!("{line}");
        }
    }

    pub fn detail(&self, line: &str) {
        if self.verbose {
            eprintln!("{line}");
        }
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
