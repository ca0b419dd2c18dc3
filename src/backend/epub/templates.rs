//! The user-editable EPUB templates (`templates/epub/`): the chapter and
//! cover page skeletons, the cover SVG and the stylesheet.
//!
//! Each comes from the project's `templates/epub/` when it has that file,
//! else from the copy built into folio ([`crate::shipped`]), so a project
//! only keeps the files it changes.

use super::escape::push_xml;
use super::wellformed;
use crate::diag::Diagnostic;
use crate::shipped::{self, Folder};
use anyhow::Result;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The auto-escape mode of every EPUB template.
const XML: &str = "xml";

/// Chapter skeleton.
pub(crate) const PAGE: &str = "page.xhtml";
/// Cover page skeleton.
pub(crate) const COVER_PAGE: &str = "cover.xhtml";
/// Cover image source, rendered to PNG.
pub(crate) const COVER_SVG: &str = "cover.svg";
/// Stylesheet, copied as it is.
pub(crate) const STYLESHEET: &str = "style.css";

/// Every template, by its name in `templates/epub/`.
const NAMES: [&str; 4] = [PAGE, COVER_PAGE, COVER_SVG, STYLESHEET];

/// Loaded and compiled templates.
pub(crate) struct Templates {
    env: Environment<'static>,
    /// Where each template came from, for error messages.
    origins: Vec<(&'static str, PathBuf)>,
    stylesheet: String,
}

impl Templates {
    /// Loads every template from `templates_dir/epub/`, or the built-in
    /// copy where the project has none. A template that does not compile
    /// is an error that names its file and line.
    pub(crate) fn load(templates_dir: &Path) -> Result<Templates> {
        let mut env = Environment::new();
        // Every template here is XML (XHTML or SVG): escape all values for
        // XML, dropping characters XML cannot hold (minijinja's HTML
        // escaping would keep a stray control character and break the file).
        env.set_auto_escape_callback(|_| AutoEscape::Custom(XML));
        env.set_formatter(|out, state, value| {
            if value.is_safe() || state.auto_escape() != AutoEscape::Custom(XML) {
                return minijinja::escape_formatter(out, state, value);
            }
            let mut escaped = String::new();
            if !value.is_none() {
                push_xml(&mut escaped, &value.to_string());
            }
            out.write_str(&escaped).map_err(minijinja::Error::from)
        });
        // A misspelt variable is an error, not an empty string on the cover.
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        let mut origins = Vec::new();
        let mut stylesheet = String::new();
        for name in NAMES {
            let found = shipped::find(Folder::Templates, templates_dir, &format!("epub/{name}"))?
                .ok_or_else(|| {
                Diagnostic::error(templates_dir.join("epub").join(name), 0, "no such template")
            })?;
            let source = found.text()?.to_string();
            let origin = found.origin;
            if name == STYLESHEET {
                stylesheet = source;
            } else {
                env.add_template_owned(name, source)
                    .map_err(|e| template_error(&origin, &e))?;
            }
            origins.push((name, origin));
        }
        Ok(Templates {
            env,
            origins,
            stylesheet,
        })
    }

    /// Renders template `name` with `context`; errors name the template file.
    pub(crate) fn render<S: Serialize>(&self, name: &str, context: S) -> Result<String> {
        self.render_as(name, name, context)
    }

    /// Renders template `name` into the package file `file` and checks the
    /// result is well-formed XML. Errors name the template file (and the
    /// template line where the template itself breaks the XML).
    pub(crate) fn render_as<S: Serialize>(
        &self,
        name: &str,
        file: &str,
        context: S,
    ) -> Result<String> {
        self.render_checked(name, file, context, |_| false)
    }

    /// [`Templates::render_as`], without the check when `known_good` says
    /// the text is one already checked (`folio watch`: a chapter whose
    /// bytes are those of a kept entry; the check is a function of the
    /// text alone).
    pub(crate) fn render_checked<S: Serialize>(
        &self,
        name: &str,
        file: &str,
        context: S,
        known_good: impl FnOnce(&str) -> bool,
    ) -> Result<String> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| self.error(name, &e))?;
        let out = template.render(context).map_err(|e| self.error(name, &e))?;
        if known_good(&out) {
            return Ok(out);
        }
        if let Err(found) = wellformed::check(&out) {
            return Err(self
                .not_well_formed(name, template.source(), file, &found)
                .into());
        }
        Ok(out)
    }

    /// The error for a template whose output is not well-formed: at the
    /// template line that breaks the XML when its own text shows it,
    /// always with the place in the generated file.
    fn not_well_formed(
        &self,
        name: &str,
        source: &str,
        file: &str,
        found: &wellformed::XmlError,
    ) -> Diagnostic {
        let in_template = wellformed::check(&wellformed::blank_template_tags(source)).err();
        let (line, column) = in_template.map_or((0, 0), |e| (e.line, e.column));
        Diagnostic::error(
            self.origin(name),
            line,
            format!("EPUB template `{name}` produces XML that is not well-formed"),
        )
        .with_column(column)
        .with_cause(format!(
            "in the generated {file}, line {} column {}: {}",
            found.line, found.column, found.message
        ))
        .with_hint("every tag the template opens must be closed, and only &lt; &gt; &amp; &quot; &apos; and &#NNN; are entities in XHTML")
    }

    fn origin(&self, name: &str) -> PathBuf {
        self.origins
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, p)| p.clone())
            .unwrap_or_else(|| PathBuf::from(name))
    }

    /// The sources of the templates (a template may include another).
    pub(crate) fn sources(&self) -> Result<Vec<String>> {
        let names = NAMES.iter().filter(|n| **n != STYLESHEET);
        names
            .map(|name| {
                let template = self
                    .env
                    .get_template(name)
                    .map_err(|e| self.error(name, &e))?;
                Ok(template.source().to_string())
            })
            .collect()
    }

    /// The stylesheet's text.
    pub(crate) fn stylesheet(&self) -> &str {
        &self.stylesheet
    }

    /// Warnings for the stylesheet's text colours whose contrast is below
    /// WCAG 2.1 AA, each at its line (see [`crate::contrast::css_problems`]).
    pub(crate) fn contrast_warnings(&self) -> Vec<Diagnostic> {
        let origin = self.origin(STYLESHEET);
        crate::contrast::css_problems(&self.stylesheet)
            .into_iter()
            .map(|(line, message)| {
                Diagnostic::warning(&origin, line, message)
                    .with_hint("darken the text colour or lighten what it is set on")
            })
            .collect()
    }

    fn error(&self, name: &str, e: &minijinja::Error) -> Diagnostic {
        template_error(&self.origin(name), e)
    }
}

fn template_error(origin: &Path, e: &minijinja::Error) -> Diagnostic {
    let line = e.line().unwrap_or(0) as u32;
    let cause = match e.detail() {
        Some(detail) => format!("{}: {detail}", e.kind()),
        None => e.kind().to_string(),
    };
    Diagnostic::error(origin, line, "invalid EPUB template").with_cause(cause)
}
