//! Widget shortcodes: `shortcodes: NAME: { template: shortcodes/NAME.md }`
//! in `folio.yaml` renders a minijinja template into Markdown, which is
//! parsed like the page's own text (shortcodes in it too, nested at most
//! `limits.nesting` deep).
//!
//! A template sees `args` (the arguments: `args[0]` positional,
//! `args.tier` named), `positional` (the list), `named` (the map), `inner`
//! (a paired shortcode's inner Markdown), `page` (the page's front matter,
//! keys lower-cased), `site.params` (the site's params) and `data` (the
//! site's data files, `data.members` for `data/members.json`). Undefined
//! and null values are empty, as in Hugo's templates; the filter `md_escape`
//! escapes Markdown's special characters in a value.
//!
//! Templates are read once per build from the templates folder (never from
//! outside it, at most `limits.data_bytes` each). A template that does not
//! compile or fails on a page is a warning naming the template's file and
//! line and the page's; the shortcode then becomes the note pointing to the
//! website. Each render may spend at most `limits.template_fuel`, and so
//! may all the renders of one page together.

use super::markdown::Ctx;
use super::shortcode::{self, Call, Inner};
use crate::config::ShortcodeAction;
use crate::diag::Diagnostic;
use crate::limits::Limits;
use crate::model::Block;
use minijinja::value::Value;
use minijinja::{Environment, UndefinedBehavior};
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The work charged for a widget call whatever it does, so a page of many
/// tiny calls (a template that calls itself) still runs out.
const FUEL_PER_RENDER: u64 = 1_000;

/// The widget templates of a build.
pub struct Widgets {
    env: Environment<'static>,
    /// Shortcode name -> its template.
    templates: BTreeMap<String, Template>,
    /// The site's params and data as template values, made once.
    site: OnceLock<Value>,
    data: OnceLock<Value>,
}

impl std::fmt::Debug for Widgets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Widgets")
            .field("templates", &self.templates)
            .finish_non_exhaustive()
    }
}

#[derive(Debug)]
struct Template {
    /// Its name in the environment (the path in the templates folder).
    name: String,
    /// The file, for messages.
    file: PathBuf,
    /// Why it does not compile, with the line.
    broken: Option<(Option<usize>, String)>,
}

/// Why a configured template cannot be read: the shortcode and the reason
/// (the caller points at its `template:` line in `folio.yaml`).
#[derive(Debug)]
pub struct LoadError {
    pub shortcode: String,
    pub message: String,
}

impl Widgets {
    /// Reads the template of every `{ template: FILE }` shortcode from
    /// `templates_dir`. A file that is missing, outside the folder or too
    /// large is an error; one that does not compile is kept as broken (a
    /// warning wherever it is used).
    pub fn load(
        templates_dir: &Path,
        shortcodes: &BTreeMap<String, ShortcodeAction>,
        limits: &Limits,
    ) -> Result<Widgets, LoadError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Chainable);
        // Nothing prints nothing, as in Hugo (not `none`: a JSON `null`
        // in the data must not become a word or a link).
        env.set_formatter(|out, state, value| {
            if value.is_none() || value.is_undefined() {
                return Ok(());
            }
            minijinja::escape_formatter(out, state, value)
        });
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_fuel(Some(limits.template_fuel));
        env.add_filter("md_escape", md_escape);
        let mut templates = BTreeMap::new();
        // One file used by two shortcodes is read once.
        let mut read: HashMap<PathBuf, Option<(Option<usize>, String)>> = HashMap::new();
        for (shortcode, action) in shortcodes {
            let ShortcodeAction::Template(rel) = action else {
                continue;
            };
            let fail = |message: String| LoadError {
                shortcode: shortcode.clone(),
                message,
            };
            let file = templates_dir.join(rel);
            let name = rel.to_string_lossy().replace('\\', "/");
            let broken = match read.get(rel) {
                Some(broken) => broken.clone(),
                None => {
                    let source = read_template(templates_dir, &file, limits).map_err(fail)?;
                    let broken = env
                        .add_template_owned(name.clone(), source)
                        .err()
                        .map(|e| (e.line(), describe(&e)));
                    read.insert(rel.clone(), broken.clone());
                    broken
                }
            };
            templates.insert(shortcode.clone(), Template { name, file, broken });
        }
        Ok(Widgets {
            env,
            templates,
            site: OnceLock::new(),
            data: OnceLock::new(),
        })
    }

    /// Whether no widget template is configured.
    pub fn is_empty(&self) -> bool {
        self.templates.is_empty()
    }
}

/// The source of template `file`, which must lie in `dir` (symbolic links
/// resolved) and hold at most `limits.data_bytes`.
fn read_template(dir: &Path, file: &Path, limits: &Limits) -> Result<String, String> {
    let shown = file.display();
    let root = dir.canonicalize().map_err(|e| {
        format!(
            "the templates folder {} cannot be read ({e})",
            dir.display()
        )
    })?;
    let real = file
        .canonicalize()
        .map_err(|_| format!("template {shown} does not exist"))?;
    if !real.starts_with(&root) {
        return Err(format!(
            "template {shown} is a symbolic link to a file outside the templates folder"
        ));
    }
    if !real.is_file() {
        return Err(format!("template {shown} is not a file"));
    }
    let handle =
        std::fs::File::open(&real).map_err(|e| format!("template {shown} cannot be read ({e})"))?;
    let mut bytes = Vec::new();
    handle
        .take(limits.data_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("template {shown} cannot be read ({e})"))?;
    if bytes.len() as u64 > limits.data_bytes {
        return Err(format!(
            "template {shown} is larger than {} bytes (`limits: data_bytes`)",
            limits.data_bytes
        ));
    }
    String::from_utf8(bytes).map_err(|_| format!("template {shown} is not valid UTF-8"))
}

/// A minijinja error as one line: what went wrong and where in the text.
fn describe(e: &minijinja::Error) -> String {
    match e.detail() {
        Some(detail) => format!("{}: {detail}", e.kind()),
        None => e.kind().to_string(),
    }
}

/// Escapes the characters Markdown (and folio's shortcode lexer) would read
/// as markup, so a value from the data shows as written.
fn md_escape(value: String) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

impl Ctx<'_> {
    /// Renders the widget template of `call` and parses what it gives; on
    /// failure, a warning and the note pointing to the website. A page past
    /// its widget budget (depth or work) warns once.
    pub(super) fn widget(&mut self, call: &Call, inner: Option<&Inner>, end: usize) -> Vec<Block> {
        let span = self.span(call.start, end);
        let rendered = match self.widget_budget() {
            Ok(()) => self.render_widget(call, inner),
            Err(why) if !self.widget_budget_spent => {
                self.widget_budget_spent = true;
                Err(why)
            }
            Err(_) => return self.web_note(&call.name, span),
        };
        match rendered {
            Ok(markdown) => match shortcode::parse_tree(&markdown, self.nesting_limit()) {
                Ok(tree) => self.parse_generated(&markdown, &tree, span.line),
                Err(e) => {
                    self.diags.warn(
                        self.path,
                        span.line,
                        format!(
                            "shortcode `{}`: its template gave a broken shortcode ({}): shown as a note pointing to the page on the website",
                            call.name, e.message
                        ),
                    );
                    self.web_note(&call.name, span)
                }
            },
            Err(why) => {
                self.diags.push(
                    Diagnostic::warning(
                        self.path,
                        span.line,
                        format!("shortcode `{}`: {why}", call.name),
                    )
                    .with_hint(
                        "the shortcode is shown as a note pointing to the page on the website",
                    ),
                );
                self.web_note(&call.name, span)
            }
        }
    }

    /// Charges one widget call to the page's budget, or says why the page
    /// has none left: every call costs, rendered or not, so templates that
    /// call each other stop after a bounded number of calls.
    fn widget_budget(&mut self) -> Result<(), String> {
        if self.widget_fuel == 0 {
            return Err(format!(
                "the page's widgets did more than {} units of template work (`limits: template_fuel`)",
                self.options.limits.template_fuel
            ));
        }
        self.widget_fuel = self.widget_fuel.saturating_sub(FUEL_PER_RENDER);
        let limit = self.nesting_limit();
        if self.widget_depth >= limit {
            return Err(format!(
                "widget templates nested more than {limit} deep (does a template use its own shortcode?)"
            ));
        }
        Ok(())
    }

    /// The Markdown the template of `call` gives, or why there is none.
    fn render_widget(&mut self, call: &Call, inner: Option<&Inner>) -> Result<String, String> {
        let widgets = self
            .options
            .widgets
            .clone()
            .ok_or_else(|| "its template was not loaded".to_string())?;
        let template = widgets
            .templates
            .get(&call.name)
            .ok_or_else(|| "its template was not loaded".to_string())?;
        let at = |line: Option<usize>| match line {
            Some(line) => format!("{}:{line}", template.file.display()),
            None => template.file.display().to_string(),
        };
        if let Some((line, why)) = &template.broken {
            return Err(format!("template {}: {why}", at(*line)));
        }
        let context = self.widget_context(&widgets, call, inner);
        let tmpl = widgets
            .env
            .get_template(&template.name)
            .map_err(|e| format!("template {}: {}", at(e.line()), describe(&e)))?;
        let rendered = tmpl.render_captured(context);
        let used = match &rendered {
            Ok(captured) => captured
                .state()
                .fuel_levels()
                .map_or(0, |(consumed, _)| consumed),
            Err(_) => self.options.limits.template_fuel,
        };
        self.widget_fuel = self.widget_fuel.saturating_sub(used);
        let output = rendered
            .map_err(|e| format!("template {}: {}", at(e.line()), describe(&e)))?
            .into_output();
        if output.len() as u64 > self.options.limits.data_bytes {
            return Err(format!(
                "template {} gave more than {} bytes (`limits: data_bytes`)",
                at(None),
                self.options.limits.data_bytes
            ));
        }
        Ok(output)
    }

    /// What a template sees (see the module docs).
    fn widget_context(&self, widgets: &Widgets, call: &Call, inner: Option<&Inner>) -> Value {
        let mut args: BTreeMap<Value, Value> = BTreeMap::new();
        let mut positional = Vec::new();
        let mut named = BTreeMap::new();
        for a in &call.args {
            match &a.key {
                Some(key) => {
                    args.insert(Value::from(key.as_str()), Value::from(a.value.as_str()));
                    named.insert(key.clone(), a.value.clone());
                }
                None => {
                    args.insert(Value::from(positional.len()), Value::from(a.value.as_str()));
                    positional.push(a.value.clone());
                }
            }
        }
        let site = widgets.site.get_or_init(|| {
            minijinja::context! { params => Value::from_serialize(&*self.options.site_params) }
        });
        let data = widgets
            .data
            .get_or_init(|| Value::from_serialize(&*self.options.data));
        let page = match self.page.front_matter {
            Some(fm) => Value::from_serialize(fm),
            None => Value::from(BTreeMap::<String, Value>::new()),
        };
        minijinja::context! {
            args => Value::from(args),
            positional => positional,
            named => named,
            inner => inner.map(|i| self.inner_text(i).to_string()).unwrap_or_default(),
            page => page,
            site => site.clone(),
            data => data.clone(),
        }
    }

    /// Parses Markdown a template gave (its shortcodes lexed into `tree`)
    /// as if it stood at `line` of the page, one widget level deeper.
    fn parse_generated(&mut self, text: &str, tree: &[shortcode::Node], line: u32) -> Vec<Block> {
        let page = self.page;
        let mut sub = Ctx::new(text, line, self.path, page, self.options, self.diags);
        sub.widget_depth = self.widget_depth + 1;
        sub.widget_fuel = self.widget_fuel;
        sub.widget_budget_spent = self.widget_budget_spent;
        sub.qr_codes = self.qr_codes;
        // Every line of the text is the shortcode's line.
        sub.single_line();
        let blocks = sub.parse_range(0, text.len(), tree, 1);
        let (fuel, spent, qr_codes, footnotes, too_deep) = (
            sub.widget_fuel,
            sub.widget_budget_spent,
            sub.qr_codes,
            sub.footnotes,
            sub.too_deep,
        );
        self.widget_fuel = fuel;
        self.widget_budget_spent = spent;
        self.qr_codes = qr_codes;
        self.footnotes.extend(footnotes);
        if let Some(deep) = too_deep {
            self.note_too_deep(deep);
        }
        blocks
    }
}
