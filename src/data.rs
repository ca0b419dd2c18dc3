//! The site's data files (Hugo's `data/` folder), read once per build into
//! one JSON tree for the widget templates: `data/members.json` is
//! `data.members`, and a folder is a nested key (`data/team/core.yaml` is
//! `data.team.core`), as in Hugo. JSON, YAML (`.yaml`, `.yml`) and TOML
//! files are read; other files and hidden ones are left alone.
//!
//! Nothing outside the folder is opened: a symbolic link that leads out is
//! an error naming it. All files together may hold at most
//! `limits.data_bytes`; folders and YAML/TOML collections nest at most
//! `limits.front_matter_depth` deep. A file that does not parse is an error
//! at its line, as Hugo's build fails on it.

use crate::diag::Diagnostic;
use crate::limits::Limits;
use crate::precheck;
use crate::structured::{self, Syntax};
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Reads every data file under `dir` into one object (empty when the folder
/// is empty). Errors name the file, and the line where there is one.
pub fn load(dir: &Path, limits: &Limits) -> Result<Value, Diagnostic> {
    let root = dir.canonicalize().map_err(|e| {
        Diagnostic::error(dir, 0, "data folder not found")
            .with_cause(e)
            .with_hint("`data:` in folio.yaml names the site's data folder")
    })?;
    if !root.is_dir() {
        return Err(Diagnostic::error(
            dir,
            0,
            "the data folder is a file, not a folder",
        ));
    }
    let mut loader = Loader {
        root: root.clone(),
        limits,
        left: limits.data_bytes,
        seen: HashSet::new(),
    };
    loader.folder(dir, &root, 0).map(Value::Object)
}

struct Loader<'a> {
    /// The data folder, symbolic links resolved.
    root: PathBuf,
    limits: &'a Limits,
    /// Bytes that may still be read.
    left: u64,
    /// Folders read so far (resolved), so a link back is read once.
    seen: HashSet<PathBuf>,
}

impl Loader<'_> {
    /// The data of folder `shown` (as the user names it), whose real path
    /// is `real`, `depth` folders below the root.
    fn folder(
        &mut self,
        shown: &Path,
        real: &Path,
        depth: usize,
    ) -> Result<Map<String, Value>, Diagnostic> {
        let mut map = Map::new();
        if !self.seen.insert(real.to_path_buf()) {
            return Ok(map);
        }
        if depth > self.limits.front_matter_depth {
            return Err(Diagnostic::error(
                shown,
                0,
                format!(
                    "data folders nested more than {} levels deep",
                    self.limits.front_matter_depth
                ),
            ));
        }
        let entries = std::fs::read_dir(real)
            .map_err(|e| Diagnostic::error(shown, 0, "cannot read data folder").with_cause(e))?;
        let mut names: Vec<String> = entries
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| !n.starts_with('.'))
            .collect();
        // Sorted: the same data, the same merge order, the same output.
        names.sort();
        for name in names {
            let path = shown.join(&name);
            let Some(target) = self.inside(&path, &real.join(&name))? else {
                continue;
            };
            if target.is_dir() {
                let sub = self.folder(&path, &target, depth + 1)?;
                merge(&mut map, name, Value::Object(sub));
                continue;
            }
            let Some((stem, syntax)) = data_file(&name) else {
                continue;
            };
            if target.is_file() {
                let value = self.file(&path, &target, syntax)?;
                merge(&mut map, stem.to_string(), value);
            }
        }
        Ok(map)
    }

    /// The real path of `real` when it lies inside the data folder; a
    /// symbolic link out is an error before anything is opened.
    fn inside(&self, shown: &Path, real: &Path) -> Result<Option<PathBuf>, Diagnostic> {
        let meta = std::fs::symlink_metadata(real)
            .map_err(|e| Diagnostic::error(shown, 0, "cannot read data file").with_cause(e))?;
        if !meta.file_type().is_symlink() {
            return Ok(Some(real.to_path_buf()));
        }
        match real.canonicalize() {
            Ok(target) if target.starts_with(&self.root) => Ok(Some(target)),
            Ok(_) => Err(Diagnostic::error(
                shown,
                0,
                "data file is a symbolic link to a file outside the data folder",
            )
            .with_hint("folio reads data only from inside the data folder")),
            // A dangling link: nothing to read.
            Err(_) => Ok(None),
        }
    }

    /// One data file, parsed.
    fn file(&mut self, shown: &Path, real: &Path, syntax: Syntax) -> Result<Value, Diagnostic> {
        let text = self.read(shown, real)?;
        self.check_depth(&text, syntax, shown)?;
        structured::parse(
            syntax,
            &text,
            shown,
            &format!("{} data file", syntax.name()),
        )
    }

    /// The file's text, counted against `limits.data_bytes` before and
    /// while it is read.
    fn read(&mut self, shown: &Path, real: &Path) -> Result<String, Diagnostic> {
        let too_large = || {
            Diagnostic::error(
                shown,
                0,
                format!(
                    "the data folder holds more than {} bytes of data files",
                    self.limits.data_bytes
                ),
            )
            .with_hint("raise `limits: data_bytes` in folio.yaml if this is intended")
        };
        let cannot =
            |e: std::io::Error| Diagnostic::error(shown, 0, "cannot read data file").with_cause(e);
        let file = std::fs::File::open(real).map_err(cannot)?;
        let len = file.metadata().map_err(cannot)?.len();
        if len > self.left {
            return Err(too_large());
        }
        let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
        file.take(self.left.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
        let read = bytes.len() as u64;
        if read > self.left {
            return Err(too_large());
        }
        self.left -= read;
        let text = String::from_utf8(bytes)
            .map_err(|_| Diagnostic::error(shown, 0, "data file is not valid UTF-8"))?;
        Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
    }

    /// YAML and TOML parsers recurse: the depth is measured first.
    fn check_depth(&self, text: &str, syntax: Syntax, shown: &Path) -> Result<(), Diagnostic> {
        let limits = Limits {
            front_matter_bytes: usize::try_from(self.limits.data_bytes).unwrap_or(usize::MAX),
            ..*self.limits
        };
        precheck::check(text, syntax.precheck(), &limits, shown, 1, "the data file")
    }
}

/// The key and syntax of a data file's name (`members.json`).
fn data_file(name: &str) -> Option<(&str, Syntax)> {
    let (stem, ext) = name.rsplit_once('.')?;
    let syntax = Syntax::of_extension(ext)?;
    (!stem.is_empty()).then_some((stem, syntax))
}

/// Puts `value` at `key`; a file and a folder of the same name merge their
/// keys (the later one, in name order, wins a key both have).
fn merge(map: &mut Map<String, Value>, key: String, value: Value) {
    match (map.get_mut(&key), value) {
        (Some(Value::Object(old)), Value::Object(new)) => old.extend(new),
        (_, value) => {
            map.insert(key, value);
        }
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

    #[test]
    fn json_yaml_toml_and_folders_become_keys() {
        let dir = site(&[
            ("members.json", r#"{"members": [{"name": "Ann"}]}"#),
            ("team/core.yaml", "lead: Bo\nsince: 2020\n"),
            ("team/ops.toml", "lead = \"Cy\"\n"),
            ("notes.txt", "ignored"),
            (".hidden.json", "{broken"),
        ]);
        let data = load(dir.path(), &Limits::default()).unwrap();
        assert_eq!(data["members"]["members"][0]["name"], "Ann");
        assert_eq!(data["team"]["core"]["lead"], "Bo");
        assert_eq!(data["team"]["core"]["since"], 2020);
        assert_eq!(data["team"]["ops"]["lead"], "Cy");
        assert!(data.get("notes").is_none());
    }

    #[test]
    fn broken_files_name_their_line() {
        for (name, text, line) in [
            ("a.json", "{\n  \"x\": [1,\n  oops\n}", 3),
            ("b.yaml", "a: 1\nb: [1, 2\nc: 3\n", 3),
            ("c.toml", "x = 1\ny = \n", 2),
        ] {
            let dir = site(&[(name, text)]);
            let err = load(dir.path(), &Limits::default()).unwrap_err();
            assert!(err.path.as_ref().unwrap().ends_with(name), "{err}");
            assert_eq!(err.line, line, "{name}: {err}");
        }
    }

    #[test]
    fn size_is_bounded_across_files() {
        let dir = site(&[("a.json", "[1, 2, 3]"), ("b.json", "[4, 5, 6]")]);
        let limits = Limits {
            data_bytes: 12,
            ..Limits::default()
        };
        let err = load(dir.path(), &limits).unwrap_err();
        assert!(err.to_string().contains("more than 12 bytes"), "{err}");
        assert!(err.path.unwrap().ends_with("b.json"));
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_folder_are_refused() {
        let outside = site(&[("secret.json", "{\"s\": 1}")]);
        let dir = site(&[("ok.json", "{}")]);
        std::os::unix::fs::symlink(
            outside.path().join("secret.json"),
            dir.path().join("s.json"),
        )
        .unwrap();
        let err = load(dir.path(), &Limits::default()).unwrap_err();
        assert!(err.to_string().contains("outside the data folder"), "{err}");
    }
}
