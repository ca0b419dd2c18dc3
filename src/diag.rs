//! Diagnostics in the rustc style: `warning: path:line:col: message`, with an
//! optional cause and hint. Errors travel as [`Diagnostic`] inside `anyhow`;
//! warnings are collected in a [`Diagnostics`] sink and printed by the CLI,
//! whose renderer adds colour, the source line and a summary by
//! [`Diagnostic::kind`]. `Display` gives the plain form (one line, then the
//! cause and hint), for logs and for errors inside other errors.

use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Warning,
    Error,
}

/// One message about one place in one file.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: Option<PathBuf>,
    /// 1-based; 0 when the whole file is meant.
    pub line: u32,
    /// 1-based; 0 when unknown.
    pub column: u32,
    pub message: String,
    /// The underlying cause (a parser's own message), printed on its own line.
    pub cause: Option<String>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(path: impl AsRef<Path>, line: u32, message: impl Into<String>) -> Self {
        Self::new(
            Severity::Error,
            Some(path.as_ref().to_path_buf()),
            line,
            message,
        )
    }

    pub fn warning(path: impl AsRef<Path>, line: u32, message: impl Into<String>) -> Self {
        Self::new(
            Severity::Warning,
            Some(path.as_ref().to_path_buf()),
            line,
            message,
        )
    }

    fn new(
        severity: Severity,
        path: Option<PathBuf>,
        line: u32,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            path,
            line,
            column: 0,
            message: message.into(),
            cause: None,
            hint: None,
        }
    }

    pub fn with_column(mut self, column: u32) -> Self {
        self.column = column;
        self
    }

    pub fn with_cause(mut self, cause: impl fmt::Display) -> Self {
        self.cause = Some(cause.to_string());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The same diagnostic as an error (for `--strict`).
    pub fn into_error(mut self) -> Self {
        self.severity = Severity::Error;
        self
    }

    /// What sort of problem this is, for grouping in summaries: the message
    /// with each `` `quoted` `` part as `…`, cut before the first `: `, `; `
    /// or ` (` (what follows them says why or what to do, which varies with
    /// the case). "shortcode `teams` is not supported: dropped" is of kind
    /// "shortcode … is not supported", with [`detail`](Self::detail)
    /// "teams". (Computed, not stored: diagnostics are made everywhere, and
    /// an explicit kind can be added as a field with a default later.)
    pub fn kind(&self) -> String {
        let mut kind = String::with_capacity(self.message.len());
        let mut quoted = false;
        for c in self.message.chars() {
            match (c, quoted) {
                ('`', false) => quoted = true,
                ('`', true) => {
                    quoted = false;
                    kind.push('…');
                }
                (c, false) => kind.push(c),
                (_, true) => {}
            }
        }
        let end = [": ", "; ", " ("]
            .iter()
            .filter_map(|sep| kind.find(sep))
            .min()
            .unwrap_or(kind.len());
        let kind = kind[..end].split_whitespace().collect::<Vec<_>>().join(" ");
        let kind = kind.trim_end_matches([':', ';', ',', '.']);
        if kind.is_empty() || kind == "…" {
            // A message that is all quotation groups under itself.
            self.message.clone()
        } else {
            kind.to_string()
        }
    }

    /// The first `` `quoted` `` part of the message (the shortcode, image or
    /// character the message is about), if any.
    pub fn detail(&self) -> Option<&str> {
        let (_, rest) = self.message.split_once('`')?;
        let (detail, _) = rest.split_once('`')?;
        (!detail.is_empty()).then_some(detail)
    }

    /// `path:line:col` as far as known.
    pub fn location(&self) -> Option<String> {
        let path = self.path.as_ref()?;
        let mut loc = path.display().to_string();
        if self.line > 0 {
            loc.push_str(&format!(":{}", self.line));
            if self.column > 0 {
                loc.push_str(&format!(":{}", self.column));
            }
        }
        Some(loc)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        match self.location() {
            Some(loc) => write!(f, "{label}: {loc}: {}", self.message)?,
            None => write!(f, "{label}: {}", self.message)?,
        }
        if let Some(cause) = &self.cause {
            write!(f, "\n  caused by: {cause}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// Collects warnings while a book is loaded and rendered.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn warn(&mut self, path: impl AsRef<Path>, line: u32, message: impl Into<String>) {
        self.push(Diagnostic::warning(path, line, message));
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }
}

/// Line and column numbers are `u32` in diagnostics; a file that long
/// saturates.
pub(crate) fn to_line(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_and_detail(message: &str) -> (String, Option<String>) {
        let d = Diagnostic::warning("p.md", 1, message);
        (d.kind(), d.detail().map(str::to_string))
    }

    #[test]
    fn kind_leaves_out_quoted_parts_and_explanations() {
        for (message, kind, detail) in [
            (
                "shortcode `member-list` is not supported: dropped",
                "shortcode … is not supported",
                Some("member-list"),
            ),
            (
                "image `/img/a.png` not found in the static root",
                "image … not found in the static root",
                Some("/img/a.png"),
            ),
            (
                "link target `p#x` is not in the PDF; the link goes to its page",
                "link target … is not in the PDF",
                Some("p#x"),
            ),
            (
                "no font has the character `\u{2603}` (U+2603; 3 times)",
                "no font has the character …",
                Some("\u{2603}"),
            ),
            (
                "SVG image `/x.svg` refers to `../a.svg`, which points outside",
                "SVG image … refers to …, which points outside",
                Some("/x.svg"),
            ),
            ("broken link", "broken link", None),
            (
                "`date: x` is not a date",
                "… is not a date",
                Some("date: x"),
            ),
            ("`only quoted`", "`only quoted`", Some("only quoted")),
            ("unterminated `quote", "unterminated", None),
        ] {
            assert_eq!(
                kind_and_detail(message),
                (kind.to_string(), detail.map(str::to_string)),
                "{message}"
            );
        }
    }

    #[test]
    fn same_template_same_kind() {
        let a = Diagnostic::warning("a.md", 3, "shortcode `teams` is not supported: dropped");
        let b = Diagnostic::warning("b.md", 9, "shortcode `x` is not supported: kept as text");
        assert_eq!(a.kind(), b.kind());
        assert_ne!(a.detail(), b.detail());
    }
}
