//! Front matter text to key/value entries: YAML through yaml_serde, TOML
//! through toml, both into JSON values (the model keeps every key). Errors
//! name the file line, counted from the file's start, not the front
//! matter's.

use super::{INVALID, Split, kind, to_line};
use crate::diag::Diagnostic;
use crate::structured::{toml_position, toml_to_json, yaml_to_json};
use crate::yaml_spans::{SpanError, YamlSpans};
use serde_json::Value;
use std::path::Path;

/// The file line of `front_line`-relative `line` (both 1-based).
pub(super) fn file_line(split: &Split<'_>, line: usize) -> u32 {
    split
        .front_line
        .saturating_add(to_line(line))
        .saturating_sub(1)
}

pub(super) fn parse_yaml(
    split: &Split<'_>,
    path: &Path,
) -> Result<Vec<(String, Value)>, Diagnostic> {
    let value: serde_yaml::Value = serde_yaml::from_str(split.front).map_err(|err| {
        let location = err.location().map(|at| (at.line(), at.column()));
        let diag = match location {
            Some((line, column)) => Diagnostic::error(path, file_line(split, line), INVALID)
                .with_column(to_line(column)),
            None => Diagnostic::error(path, split.front_line, INVALID),
        };
        let diag = diag.with_cause(yaml_cause(&err.to_string(), split, location));
        duplicate_key(split, path).unwrap_or(diag)
    })?;
    let mapping = match value {
        serde_yaml::Value::Null => return Ok(Vec::new()),
        serde_yaml::Value::Mapping(mapping) => mapping,
        other => {
            return Err(
                Diagnostic::error(path, split.front_line, INVALID).with_cause(format!(
                    "front matter must be a mapping of keys to values, found {}",
                    kind(&yaml_to_json(other))
                )),
            );
        }
    };
    mapping
        .into_iter()
        .map(|(key, value)| match yaml_to_json(key) {
            Value::String(key) => Ok((key, yaml_to_json(value))),
            Value::Number(n) => Ok((n.to_string(), yaml_to_json(value))),
            Value::Bool(b) => Ok((b.to_string(), yaml_to_json(value))),
            other => Err(
                Diagnostic::error(path, split.front_line, INVALID).with_cause(format!(
                    "front matter keys must be text, found {}",
                    kind(&other)
                )),
            ),
        })
        .collect()
}

/// libyaml's message with its locations fixed: they count lines from the
/// front matter, not the file. The one the diagnostic reports (` at line X
/// column Y` after the problem, or ` at position N`) is removed; any other
/// (where the unclosed construct began) is rewritten to a file line.
fn yaml_cause(message: &str, split: &Split<'_>, reported: Option<(usize, usize)>) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(" at ") {
        out.push_str(rest.get(..at).unwrap_or_default());
        let after = rest.get(at + 4..).unwrap_or_default();
        match yaml_location(after) {
            Some((Some(place), remaining)) if Some(place) != reported => {
                let (line, column) = place;
                out.push_str(&format!(
                    " at line {} column {column}",
                    file_line(split, line)
                ));
                rest = remaining;
            }
            Some((_, remaining)) => rest = remaining,
            None => {
                out.push_str(" at ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// After ` at `: `line N column M` (as `Some((N, M))`) or `position N` (as
/// `None`), and what follows it.
fn yaml_location(text: &str) -> Option<(Option<(usize, usize)>, &str)> {
    fn number(text: &str) -> Option<(usize, &str)> {
        let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let value = text.get(..digits)?.parse().ok()?;
        Some((value, text.get(digits..).unwrap_or_default()))
    }
    if let Some(rest) = text.strip_prefix("line ") {
        let (line, rest) = number(rest)?;
        let (column, rest) = number(rest.strip_prefix(" column ")?)?;
        Some((Some((line, column)), rest))
    } else {
        let (_, rest) = number(text.strip_prefix("position ")?)?;
        Some((None, rest))
    }
}

pub(super) fn parse_toml(
    split: &Split<'_>,
    path: &Path,
) -> Result<Vec<(String, Value)>, Diagnostic> {
    let table: toml::Table = toml::from_str(split.front).map_err(|err| {
        let diag = match toml_position(split.front, err.span()) {
            (0, _) => Diagnostic::error(path, split.front_line, INVALID),
            (line, column) => Diagnostic::error(path, file_line(split, line), INVALID)
                .with_column(to_line(column)),
        };
        diag.with_cause(err.message().trim())
    })?;
    Ok(table
        .into_iter()
        .map(|(key, value)| (key, toml_to_json(value)))
        .collect())
}

/// libyaml reports a duplicate key where the mapping starts; the indexer
/// finds the duplicate's own line (and the first one's).
fn duplicate_key(split: &Split<'_>, path: &Path) -> Option<Diagnostic> {
    match YamlSpans::parse(split.front) {
        Err(SpanError::Duplicate {
            key, first, second, ..
        }) => Some(
            Diagnostic::error(path, file_line(split, second.line as usize), INVALID)
                .with_column(second.column)
                .with_cause(format!(
                    "duplicate key `{key}`, first given on line {}",
                    file_line(split, first.line as usize)
                ))
                .with_hint("keep one of them"),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::split_front_matter;

    #[test]
    fn yaml_locations_become_file_lines() {
        let split = split_front_matter("---\nx: 1\n---\n", Path::new("p.md")).unwrap();
        assert_eq!(
            yaml_cause(
                "did not find expected key at line 3 column 1, while parsing a block mapping at line 1 column 1",
                &split,
                Some((3, 1)),
            ),
            "did not find expected key, while parsing a block mapping at line 2 column 1"
        );
        assert_eq!(yaml_cause("look at this", &split, None), "look at this");
        assert_eq!(yaml_cause("bad at position 12", &split, None), "bad");
    }
}
