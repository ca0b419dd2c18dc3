//! How one diagnostic is printed: `human` (rustc's look: the location
//! first so editors jump to it, the source line with a caret, the cause and
//! the hint), `short` (one line) and `json` (one object per line, fields
//! documented in the README's "Diagnostics").

use super::snippet::{Snippet, Snippets};
use anstyle::{AnsiColor, Style};
use folio::{Diagnostic, Severity};
use std::fmt::Write as _;

/// The styles of each part of a message; all empty when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Styles {
    pub error: Style,
    pub warning: Style,
    /// The location and the message.
    pub emphasis: Style,
    /// The gutter of a snippet (`7 |`).
    pub gutter: Style,
    /// `hint:` and the summary's heading.
    pub note: Style,
}

impl Styles {
    /// rustc's colours: red errors, yellow warnings, blue gutter, cyan notes.
    pub fn colored() -> Styles {
        let bold = Style::new().bold();
        Styles {
            error: bold.fg_color(Some(AnsiColor::BrightRed.into())),
            warning: bold.fg_color(Some(AnsiColor::BrightYellow.into())),
            emphasis: bold,
            gutter: bold.fg_color(Some(AnsiColor::BrightBlue.into())),
            note: bold.fg_color(Some(AnsiColor::BrightCyan.into())),
        }
    }

    /// No colour, no escape codes.
    pub fn plain() -> Styles {
        Styles {
            error: Style::new(),
            warning: Style::new(),
            emphasis: Style::new(),
            gutter: Style::new(),
            note: Style::new(),
        }
    }

    /// The style of a severity's label and caret.
    pub fn severity(&self, severity: Severity) -> Style {
        match severity {
            Severity::Error => self.error,
            Severity::Warning => self.warning,
        }
    }
}

/// `text` in `style` (plain when the style is empty).
pub fn paint(style: Style, text: &str) -> String {
    if style == Style::new() {
        text.to_string()
    } else {
        format!("{style}{text}{style:#}")
    }
}

/// `text` with control characters (but line breaks and tabs) as `�`: a
/// message quotes the user's files, whose escape sequences must not reach
/// the terminal.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() && c != '\n' && c != '\t';
    if text.chars().any(bad) {
        text.chars()
            .map(|c| if bad(c) { '\u{FFFD}' } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

fn label(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The JSON form of a diagnostic: these field names are a promise to
/// editors and CI scripts (README, "Diagnostics"); add, never rename.
#[derive(serde::Serialize)]
struct Json<'a> {
    severity: &'static str,
    file: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    message: &'a str,
    cause: Option<&'a str>,
    hint: Option<&'a str>,
    kind: String,
    detail: Option<&'a str>,
}

/// Renders diagnostics as text; reads source lines through `snippets`.
pub struct Renderer<'a> {
    styles: &'a Styles,
    snippets: &'a mut Snippets,
}

impl<'a> Renderer<'a> {
    pub fn new(styles: &'a Styles, snippets: &'a mut Snippets) -> Renderer<'a> {
        Renderer { styles, snippets }
    }

    /// The first line of every format but JSON: `warning: file:3:7: message`.
    fn headline(&self, d: &Diagnostic) -> String {
        let s = self.styles;
        let mut line = paint(s.severity(d.severity), label(d.severity));
        line.push_str(&paint(s.emphasis, ":"));
        line.push(' ');
        let rest = match d.location() {
            Some(loc) => format!("{loc}: {}", d.message),
            None => d.message.clone(),
        };
        line.push_str(&paint(s.emphasis, &printable(&rest)));
        line
    }

    /// `severity: location: message`, one line.
    pub fn short(&self, d: &Diagnostic) -> String {
        let mut out = self.headline(d);
        out.push('\n');
        out
    }

    /// The headline, the source line with a caret when the file can be
    /// shown, then the cause and the hint.
    pub fn human(&mut self, d: &Diagnostic) -> String {
        let mut out = self.headline(d);
        out.push('\n');
        if let Some(snippet) = d
            .path
            .as_deref()
            .and_then(|path| self.snippets.line(path, d.line))
        {
            out.push_str(&self.snippet(&snippet, d));
        }
        if let Some(cause) = d.cause.as_deref().map(printable) {
            let _ = writeln!(
                out,
                "  {} {cause}",
                paint(self.styles.emphasis, "caused by:")
            );
        }
        if let Some(hint) = d.hint.as_deref().map(printable) {
            let _ = writeln!(out, "  {} {hint}", paint(self.styles.note, "hint:"));
        }
        out
    }

    /// ```text
    ///    |
    ///  7 | ![Gone](/images/nowhere.png)
    ///    |         ^
    /// ```
    fn snippet(&self, snippet: &Snippet, d: &Diagnostic) -> String {
        let s = self.styles;
        let number = d.line.to_string();
        let pad = " ".repeat(number.len());
        let bar = paint(s.gutter, "|");
        let (text, caret) = snippet.shown(d.column);
        let mut out = String::new();
        let _ = writeln!(out, " {pad} {bar}");
        let _ = writeln!(out, " {} {bar} {text}", paint(s.gutter, &number));
        let _ = writeln!(
            out,
            " {pad} {bar} {}{}",
            " ".repeat(caret),
            paint(s.severity(d.severity), "^")
        );
        out
    }

    /// One JSON object on one line (see the README for the fields).
    pub fn json(&self, d: &Diagnostic) -> String {
        let known = |n: u32| (n > 0 && d.path.is_some()).then_some(n);
        let line = known(d.line);
        let json = Json {
            severity: label(d.severity),
            file: d.path.as_ref().map(|p| p.display().to_string()),
            line,
            column: line.and(known(d.column)),
            message: &d.message,
            cause: d.cause.as_deref(),
            hint: d.hint.as_deref(),
            kind: d.kind(),
            detail: d.detail(),
        };
        // Plain data with string keys: serialising it cannot fail.
        let mut text = serde_json::to_string(&json).unwrap_or_default();
        text.push('\n');
        text
    }

    /// An error that is not a [`Diagnostic`] (an I/O failure deep in a
    /// backend): its message, then each cause.
    pub fn other_error(&self, err: &anyhow::Error, json: bool) -> String {
        let causes: Vec<String> = err.chain().skip(1).map(|c| c.to_string()).collect();
        if json {
            let d = Diagnostic {
                severity: Severity::Error,
                path: None,
                line: 0,
                column: 0,
                message: err.to_string(),
                cause: (!causes.is_empty()).then(|| causes.join(": ")),
                hint: None,
            };
            return self.json(&d);
        }
        let mut out = format!(
            "{}{} {}\n",
            paint(self.styles.error, "error"),
            paint(self.styles.emphasis, ":"),
            paint(self.styles.emphasis, &printable(&err.to_string()))
        );
        for cause in causes.iter().map(|c| printable(c)) {
            let _ = writeln!(
                out,
                "  {} {cause}",
                paint(self.styles.emphasis, "caused by:")
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_in_messages_do_not_reach_the_terminal() {
        let d = Diagnostic::warning("p.md", 0, "shortcode `\u{1b}[2Jx` is not supported")
            .with_cause("bad\u{7}bell")
            .with_hint("line one\nline two");
        let styles = Styles::plain();
        let mut snippets = Snippets::default();
        let mut renderer = Renderer::new(&styles, &mut snippets);
        let text = renderer.human(&d);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text:?}"
        );
        assert!(text.contains("\u{FFFD}[2Jx"), "{text}");
        assert!(text.contains("line one\nline two"), "{text}");
        // JSON keeps the message as it is, escaped by JSON itself.
        let json: serde_json::Value = serde_json::from_str(&renderer.json(&d)).unwrap();
        assert_eq!(json["message"], d.message);
        assert!(json["line"].is_null() && json["column"].is_null());
    }
}
