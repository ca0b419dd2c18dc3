//! Diagnostics in the rustc style: `warning: path:line:col: message`, with an
//! optional cause and hint. Errors travel as [`Diagnostic`] inside `anyhow`;
//! warnings are collected in a [`Diagnostics`] sink and printed by the CLI.

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
