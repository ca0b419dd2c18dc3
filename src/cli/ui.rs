//! Console output: diagnostics, summaries and progress to stderr, results
//! to stdout, as `-q`, `-v`, `--color` and `--message-format` ask.

use super::progress::Bar;
use super::report::{Renderer, Styles};
use super::snippet::Snippets;
use super::summary::Summary;
use clap::ValueEnum;
use folio::{Diagnostic, Diagnostics, Project};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// When to colour diagnostics (`--color`). (The variants have no doc
/// comments: clap would make them a long list in every help.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorWhen {
    // On a terminal, unless `NO_COLOR` is set (`CLICOLOR_FORCE` forces it).
    #[default]
    Auto,
    Always,
    Never,
}

/// How diagnostics are printed (`--message-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum MessageFormat {
    // The message, the source line with a caret, cause and hint; on a
    // terminal the first 3 warnings of each kind (`-v`: all); a summary.
    #[default]
    Human,
    // One line per diagnostic (`severity: file:line:col: message`), all.
    Short,
    // One JSON object per line and diagnostic, all; nothing else on stderr.
    Json,
}

/// Where the console output goes and how it looks.
pub struct Ui {
    pub quiet: bool,
    pub verbose: bool,
    format: MessageFormat,
    /// Colour is on (decided once from `--color`, the environment and
    /// whether stderr is a terminal).
    color: bool,
    /// Stderr is a terminal: a person reads it (warnings capped per kind,
    /// a progress bar).
    terminal: bool,
    /// The source files snippets may be read from.
    snippets: std::cell::RefCell<Snippets>,
}

impl Ui {
    /// The console of a run; `color` as asked on the command line.
    pub fn new(quiet: bool, verbose: bool, color: ColorWhen, format: MessageFormat) -> Ui {
        let color = match color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never
            }
        };
        Ui {
            quiet,
            verbose,
            format,
            color,
            terminal: std::io::stderr().is_terminal(),
            snippets: std::cell::RefCell::new(Snippets::default()),
        }
    }

    /// Allows snippets from the files under `roots` (the project's folders
    /// or the config's, known before the project is opened).
    pub fn allow_sources(&self, roots: impl IntoIterator<Item = PathBuf>) {
        self.snippets.borrow_mut().allow(roots);
    }

    /// Allows snippets from the folders of `project`.
    pub fn allow_project(&self, project: &Project) {
        let mut roots = vec![
            project.content_dir.clone(),
            project.static_dir.clone(),
            project.templates_dir.clone(),
        ];
        roots.extend(project.data_dir.clone());
        roots.extend(project.config_path.clone());
        if let Some(dir) = project.config_path.as_ref().and_then(|p| p.parent()) {
            // The config's folder is the project's root ("" for ./folio.yaml).
            roots.push(if dir.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                dir.to_path_buf()
            });
        }
        self.allow_sources(roots);
    }

    fn styles(&self) -> Styles {
        if self.color {
            Styles::colored()
        } else {
            Styles::plain()
        }
    }

    /// Writes `text` to stderr, in colour when colour is on. A closed
    /// stderr is nothing to report on.
    fn stderr(&self, text: &str) {
        let choice = if self.color {
            anstream::ColorChoice::Always
        } else {
            anstream::ColorChoice::Never
        };
        let mut err = anstream::AutoStream::new(std::io::stderr().lock(), choice);
        let _ = err.write_all(text.as_bytes());
        let _ = err.flush();
    }

    /// Reports the error that ended the run (always, even with `-q`).
    pub fn error(&self, err: &anyhow::Error) {
        let styles = self.styles();
        let mut snippets = self.snippets.borrow_mut();
        let mut renderer = Renderer::new(&styles, &mut snippets);
        let text = match (err.downcast_ref::<Diagnostic>(), self.format) {
            (Some(d), MessageFormat::Json) => renderer.json(d),
            (Some(d), MessageFormat::Short) => renderer.short(d),
            (Some(d), MessageFormat::Human) => renderer.human(d),
            (None, format) => renderer.other_error(err, format == MessageFormat::Json),
        };
        drop(snippets);
        self.stderr(&text);
    }

    /// Prints the warnings of a run: in human format on a terminal the first
    /// few of each kind (all with `-v`), elsewhere all, and a summary by
    /// kind (see `summary`); in the short and JSON formats every one, one
    /// line each. Nothing with `-q`.
    pub fn warnings(&self, diags: &Diagnostics) {
        if self.quiet || diags.is_empty() {
            return;
        }
        let styles = self.styles();
        let mut snippets = self.snippets.borrow_mut();
        let mut renderer = Renderer::new(&styles, &mut snippets);
        let mut text = String::new();
        match self.format {
            MessageFormat::Json => diags
                .items
                .iter()
                .for_each(|d| text.push_str(&renderer.json(d))),
            MessageFormat::Short => diags
                .items
                .iter()
                .for_each(|d| text.push_str(&renderer.short(d))),
            MessageFormat::Human => {
                let all = self.verbose || !self.terminal;
                let summary = Summary::new(&diags.items);
                for (d, shown) in diags.items.iter().zip(summary.shown(all)) {
                    if shown {
                        text.push_str(&renderer.human(d));
                    }
                }
                text.push_str(&summary.render(&styles, all));
            }
        }
        drop(snippets);
        self.stderr(&text);
    }

    /// A line of news (`wrote …`, `finished …`): not with `-q`, nor in the
    /// JSON format (whose stderr holds JSON only).
    pub fn info(&self, line: &str) {
        if !self.quiet && self.format != MessageFormat::Json {
            self.stderr(&format!("{line}\n"));
        }
    }

    /// A line of detail, with `-v` only.
    pub fn detail(&self, line: &str) {
        if self.verbose {
            self.info(line);
        }
    }

    /// The progress bar of a long build: drawn on a terminal only, after a
    /// second, in the human and short formats, not with `-q`.
    pub fn progress(&self) -> Bar {
        let wanted =
            !self.quiet && self.format != MessageFormat::Json && std::io::stderr().is_terminal();
        Bar::new(wanted)
    }
}

/// Stdout was closed by its reader (`folio model | head`): the run ends
/// quietly with success, as `cat` does.
#[derive(Debug)]
pub struct StdoutClosed;

impl std::fmt::Display for StdoutClosed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("stdout was closed")
    }
}

impl std::error::Error for StdoutClosed {}

/// Writes `bytes` to stdout; a closed pipe becomes [`StdoutClosed`].
pub fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(StdoutClosed.into()),
        Err(e) => Err(anyhow::Error::new(e).context("cannot write to stdout")),
    }
}
