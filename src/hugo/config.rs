//! Finding and merging a Hugo site's configuration files the way Hugo does.
//!
//! - The root file: the first of `hugo.toml`, `hugo.yaml`, `hugo.yml`,
//!   `hugo.json`, `config.toml`, `config.yaml`, `config.yml`,
//!   `config.json` in the site folder (Hugo reads one).
//! - The configuration folder: `config/_default/`, then
//!   `config/production/` (Hugo's environment for a build). In each,
//!   `hugo.*` and `config.*` hold top-level keys; any other file holds one
//!   key (`params.toml` is `params`, `languages.json` is `languages`), and
//!   a file with a language in its name (`menus.de.toml`, `params.fr.yaml`)
//!   holds that key of that language (`languages.de.menus`).
//!
//! Later sources win key by key, mappings merging: `config/_default` <
//! `config/production` < the root file. Keys are case-insensitive, as in
//! Hugo: every key is lower-cased, and two spellings of one key in one
//! mapping are an error.

use crate::diag::{Diagnostic, to_line};
use crate::limits::Limits;
use crate::precheck;
use crate::structured::{self, Syntax};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// Root file names, in Hugo's order of precedence.
const ROOT_FILES: [&str; 8] = [
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
];

/// The configuration folders, lowest precedence first.
const CONFIG_DIRS: [&str; 2] = ["config/_default", "config/production"];

/// The merged configuration and where each key came from.
#[derive(Debug, Clone, Default)]
pub struct RawConfig {
    /// Every key, lower-cased, merged.
    pub value: Map<String, Value>,
    /// The files read, in the order they were merged.
    pub files: Vec<PathBuf>,
    texts: Vec<String>,
    /// Key path -> (index into `files`, the keys of the path inside that
    /// file): who set a value last.
    origins: Vec<(Vec<String>, usize, Vec<String>)>,
}

impl RawConfig {
    /// Reads the configuration of the site in `root` (nothing when it has
    /// none). Every file must lie inside the site folder once symbolic
    /// links are resolved, and be no larger or deeper than `limits` allow.
    pub fn read(root: &Path, limits: &Limits) -> Result<RawConfig, Diagnostic> {
        let real_root = root
            .canonicalize()
            .map_err(|e| Diagnostic::error(root, 0, "cannot open the site folder").with_cause(e))?;
        let mut raw = RawConfig::default();
        for dir in CONFIG_DIRS {
            let dir = root.join(dir);
            if !dir.is_dir() {
                continue;
            }
            for path in config_dir_files(&dir)? {
                let Some((mount, format)) = mount_of(&path) else {
                    continue;
                };
                raw.merge_file(&path, &real_root, format, &mount, limits)?;
            }
        }
        if let Some(path) = ROOT_FILES.iter().map(|n| root.join(n)).find(|p| p.exists()) {
            let format = Syntax::of(&path).unwrap_or(Syntax::Toml);
            raw.merge_file(&path, &real_root, format, &[], limits)?;
        }
        Ok(raw)
    }

    /// Whether any configuration file was found.
    pub fn found(&self) -> bool {
        !self.files.is_empty()
    }

    /// The value at `keys` (lower-case), if set.
    pub fn get(&self, keys: &[&str]) -> Option<&Value> {
        let (first, rest) = keys.split_first()?;
        let mut value = self.value.get(*first)?;
        for key in rest {
            value = value.as_object()?.get(*key)?;
        }
        Some(value)
    }

    /// An error about the value at `keys`: the file that set it, and the
    /// line of the key in that file when it can be found.
    pub fn error_at(&self, keys: &[&str], message: impl Into<String>) -> Diagnostic {
        let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        let best = self
            .origins
            .iter()
            .filter(|(path, _, _)| keys.starts_with(path))
            .max_by_key(|(path, _, _)| path.len());
        match best {
            Some((path, file, inner)) => {
                let mut within = inner.clone();
                within.extend(keys.iter().skip(path.len()).cloned());
                let text = self.texts.get(*file).map_or("", String::as_str);
                let line = key_line(text, &within);
                let shown = self.files.get(*file).cloned().unwrap_or_default();
                Diagnostic::error(shown, line, message)
            }
            None => {
                let shown = self.files.last().cloned().unwrap_or_default();
                Diagnostic::error(shown, 0, message)
            }
        }
    }

    /// Reads one file and merges its keys under `mount`.
    fn merge_file(
        &mut self,
        path: &Path,
        real_root: &Path,
        format: Syntax,
        mount: &[String],
        limits: &Limits,
    ) -> Result<(), Diagnostic> {
        let text = read_inside(path, real_root, limits)?;
        precheck::check(
            &text,
            format.precheck(),
            limits,
            path,
            1,
            "the site configuration",
        )?;
        let parsed = structured::parse(format, &text, path, "site configuration")?;
        let value = lower_keys(parsed, path, &text, &mut Vec::new())?;
        let value = match value {
            Value::Object(map) => map,
            Value::Null => Map::new(),
            other if !mount.is_empty() => {
                // `title.toml` holding a bare value is not Hugo's layout,
                // but a one-key file may hold a list (`disableLanguages`).
                let mut map = Map::new();
                let Some(last) = mount.last() else {
                    return Ok(());
                };
                map.insert(last.clone(), other);
                let file = self.push_file(path, text);
                let parent = mount.get(..mount.len() - 1).unwrap_or_default();
                self.merge_into(parent, map, file, &[]);
                return Ok(());
            }
            other => {
                return Err(
                    Diagnostic::error(path, 1, "invalid site configuration").with_cause(format!(
                        "the file must hold a mapping of keys to values, found {}",
                        kind(&other)
                    )),
                );
            }
        };
        let file = self.push_file(path, text);
        self.merge_into(mount, value, file, &[]);
        Ok(())
    }

    fn push_file(&mut self, path: &Path, text: String) -> usize {
        self.files.push(path.to_path_buf());
        self.texts.push(text);
        self.files.len() - 1
    }

    /// Merges `map` into the value at `at`, mappings key by key; records
    /// who set what (`inner`: the same keys as written inside the file).
    fn merge_into(
        &mut self,
        at: &[String],
        map: Map<String, Value>,
        file: usize,
        inner: &[String],
    ) {
        for (key, value) in map {
            let mut path = at.to_vec();
            path.push(key.clone());
            let mut inner_path = inner.to_vec();
            inner_path.push(key.clone());
            let existing = lookup_mut(&mut self.value, &path);
            match (existing, value) {
                (Some(Value::Object(_)), Value::Object(sub)) => {
                    self.merge_into(&path, sub, file, &inner_path);
                }
                (_, value) => {
                    set(&mut self.value, &path, value);
                    self.origins.retain(|(p, _, _)| !p.starts_with(&path));
                    self.origins.push((path, file, inner_path));
                }
            }
        }
    }
}

/// The syntax of a configuration file.
/// The files of one configuration folder, sorted by name (so the merge
/// order never depends on the file system).
fn config_dir_files(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Diagnostic::error(dir, 0, "cannot read the configuration folder").with_cause(e)
    })?;
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| Syntax::of(p).is_some())
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Where the keys of a configuration-folder file go, and its syntax:
/// `hugo.toml` at the top, `params.toml` under `params`, `menus.de.toml`
/// under `languages.de.menus`.
fn mount_of(path: &Path) -> Option<(Vec<String>, Syntax)> {
    let format = Syntax::of(path)?;
    let stem = path.file_stem()?.to_str()?.to_lowercase();
    if stem == "hugo" || stem == "config" {
        return Some((Vec::new(), format));
    }
    Some(match stem.split_once('.') {
        Some((key, lang)) if !key.is_empty() && !lang.is_empty() => (
            vec!["languages".to_string(), lang.to_string(), key.to_string()],
            format,
        ),
        _ => (vec![stem], format),
    })
}

/// The text of configuration file `path`, which must be a regular file
/// inside the site folder and no larger than the limit.
fn read_inside(path: &Path, real_root: &Path, limits: &Limits) -> Result<String, Diagnostic> {
    let real = path.canonicalize().map_err(|e| {
        Diagnostic::error(path, 0, "cannot open the site configuration").with_cause(e)
    })?;
    if !real.starts_with(real_root) {
        return Err(Diagnostic::error(
            path,
            0,
            "the site configuration is a symbolic link to a file outside the site folder",
        )
        .with_hint("folio reads a site's configuration only from inside its folder"));
    }
    let meta = std::fs::metadata(&real).map_err(|e| {
        Diagnostic::error(path, 0, "cannot open the site configuration").with_cause(e)
    })?;
    if !meta.is_file() {
        return Err(Diagnostic::error(
            path,
            0,
            "the site configuration is not a regular file",
        ));
    }
    if meta.len() > limits.front_matter_bytes as u64 {
        return Err(Diagnostic::error(
            path,
            0,
            format!(
                "the site configuration is {} bytes, more than the limit of {}",
                meta.len(),
                limits.front_matter_bytes
            ),
        )
        .with_hint("raise `limits: front_matter_bytes` in folio.yaml if this is intended"));
    }
    let bytes = std::fs::read(&real).map_err(|e| {
        Diagnostic::error(path, 0, "cannot read the site configuration").with_cause(e)
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = e
            .as_bytes()
            .get(..valid)
            .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
            + 1;
        Diagnostic::error(
            path,
            to_line(line),
            "the site configuration is not valid UTF-8",
        )
    })?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

/// `value` with every mapping key lower-cased; two spellings of one key
/// in one mapping are an error at the second one's line.
fn lower_keys(
    value: Value,
    path: &Path,
    text: &str,
    at: &mut Vec<String>,
) -> Result<Value, Diagnostic> {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            let mut spellings: Map<String, Value> = Map::new();
            for (key, value) in map {
                let lower = key.to_lowercase();
                at.push(lower.clone());
                let value = lower_keys(value, path, text, at)?;
                at.pop();
                if let Some(Value::String(first)) = spellings.get(&lower) {
                    // The one written later in the file is the surprise.
                    let from = key_line(text, at) as usize;
                    let line =
                        exact_key_line(text, from, first).max(exact_key_line(text, from, &key));
                    return Err(Diagnostic::error(path, line, "invalid site configuration")
                        .with_cause(format!(
                            "the key `{lower}` is given twice (keys ignore case)"
                        ))
                        .with_hint("keep one of them"));
                }
                spellings.insert(lower.clone(), Value::String(key));
                out.insert(lower, value);
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .into_iter()
            .map(|v| lower_keys(v, path, text, at))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        other => Ok(other),
    }
}

/// The 1-based line where the nested `keys` are written in `text`, each
/// looked for after the line of the one before (0 when not found). A
/// search rather than a parse: the three syntaxes write a key as `key:`,
/// `"key":`, `key =` or `[a.key]`, and this finds all of them.
pub(crate) fn key_line(text: &str, keys: &[String]) -> u32 {
    let lines: Vec<String> = text.lines().map(str::to_lowercase).collect();
    let mut from = 0;
    let mut found = None;
    for key in keys {
        let key = key.to_lowercase();
        match lines
            .iter()
            .enumerate()
            .skip(from)
            .find(|(_, line)| has_key(line, &key))
        {
            Some((index, _)) => {
                found = Some(index);
                from = index;
            }
            None => break,
        }
    }
    found.map_or(0, |index| to_line(index + 1))
}

/// The 1-based line, from line `from` (1-based, 0: the start) on, where
/// `key` is written as a key with exactly this spelling (0 when not found).
fn exact_key_line(text: &str, from: usize, key: &str) -> u32 {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, line)| has_key(line, key))
        .map_or(0, |(index, _)| to_line(index + 1))
}

/// Whether `line` writes `key` as a key (not inside some other word).
fn has_key(line: &str, key: &str) -> bool {
    if key.is_empty() {
        return false;
    }
    let mut start = 0;
    while let Some(pos) = line.get(start..).and_then(|rest| rest.find(key)) {
        let at = start + pos;
        let before = line.get(..at).and_then(|s| s.chars().next_back());
        let after = line.get(at + key.len()..).and_then(|s| s.chars().next());
        let open =
            before.is_none_or(|c| matches!(c, ' ' | '\t' | '"' | '\'' | '.' | '[' | '{' | ','));
        let close =
            after.is_none_or(|c| matches!(c, ' ' | '\t' | '"' | '\'' | '.' | ']' | ':' | '='));
        if open && close {
            return true;
        }
        start = at + key.len();
    }
    false
}

fn lookup_mut<'a>(root: &'a mut Map<String, Value>, path: &[String]) -> Option<&'a mut Value> {
    let (first, rest) = path.split_first()?;
    let mut value = root.get_mut(first)?;
    for key in rest {
        value = value.as_object_mut()?.get_mut(key)?;
    }
    Some(value)
}

/// Sets `path` to `value`, making (or replacing with) mappings on the way.
fn set(root: &mut Map<String, Value>, path: &[String], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut map = root;
    for key in parents {
        let entry = map
            .entry(key.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        let Value::Object(next) = entry else {
            return;
        };
        map = next;
    }
    map.insert(last.clone(), value);
}

/// What a value is, for messages.
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn read(dir: &tempfile::TempDir) -> Result<RawConfig, Diagnostic> {
        RawConfig::read(dir.path(), &Limits::default())
    }

    #[test]
    fn root_file_wins_over_the_config_folder() {
        let dir = site(&[
            ("hugo.toml", "Title = 'Root'\n[Params]\nA = 1\n"),
            ("config.yaml", "title: Ignored\n"),
            (
                "config/_default/hugo.json",
                r#"{"title": "Folder", "baseURL": "https://f/"}"#,
            ),
            ("config/_default/params.yaml", "a: 0\nb: 2\n"),
            ("config/_default/menus.de.toml", "[[main]]\nname = 'x'\n"),
            ("config/production/params.json", r#"{"C": 3}"#),
        ]);
        let raw = read(&dir).unwrap();
        assert_eq!(raw.get(&["title"]), Some(&Value::from("Root")));
        assert_eq!(raw.get(&["baseurl"]), Some(&Value::from("https://f/")));
        assert_eq!(raw.get(&["params", "a"]), Some(&Value::from(1)));
        assert_eq!(raw.get(&["params", "b"]), Some(&Value::from(2)));
        assert_eq!(raw.get(&["params", "c"]), Some(&Value::from(3)));
        assert!(raw.get(&["languages", "de", "menus", "main"]).is_some());
        assert_eq!(raw.files.len(), 5, "{:?}", raw.files);
    }

    #[test]
    fn errors_name_file_and_line() {
        let dir = site(&[("hugo.toml", "title = 'x'\nbaseURL = \n")]);
        let err = read(&dir).unwrap_err();
        assert_eq!(err.line, 2, "{err}");
        assert!(err.path.unwrap().ends_with("hugo.toml"));

        let dir = site(&[(
            "config/_default/languages.json",
            "{\n  \"de\": {\n    \"weight\": ,\n",
        )]);
        let err = read(&dir).unwrap_err();
        assert_eq!(err.line, 3, "{err}");

        let dir = site(&[("hugo.yaml", "title: a\nTitle: b\n")]);
        let err = read(&dir).unwrap_err();
        assert_eq!(err.line, 2, "{err}");
        assert!(err.cause.unwrap().contains("`title` is given twice"));
    }

    #[test]
    fn key_lines_follow_nesting() {
        let text = "[languages]\n[languages.en]\nweight = 1\n[languages.de]\nweight = 2\n";
        let keys = |k: &[&str]| k.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(key_line(text, &keys(&["languages", "de", "weight"])), 5);
        assert_eq!(key_line(text, &keys(&["languages", "en", "weight"])), 3);
        let json = "{\n  \"Params\": {\n    \"logo\": 3\n  }\n}\n";
        assert_eq!(key_line(json, &keys(&["params", "logo"])), 3);
        assert_eq!(key_line(json, &keys(&["nothing"])), 0);
    }

    #[test]
    fn no_config_is_no_error() {
        let dir = site(&[("content/a.md", "x")]);
        let raw = read(&dir).unwrap();
        assert!(!raw.found());
        assert!(raw.value.is_empty());
    }
}
