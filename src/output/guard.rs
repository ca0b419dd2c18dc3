//! What a build may write over. Outputs replace files and a text book's
//! folder loses its stale `.txt` files, so an output folder that is a
//! source folder (or holds one where a text folder goes) would destroy
//! sources: such a folder is refused before anything is written.

use crate::diag::{Diagnostic, Severity};
use crate::project::Project;
use anyhow::Result;
use std::path::{Component, Path, PathBuf};

/// Refuses `out` when it is the content root, the static root, the
/// templates or the fonts folder, or an ancestor of one of them that a
/// book's text folder (one of `text_dirs`) would lie in. `from_flag`: `out`
/// came from `--out` (else from `output:` in the config, or the default).
pub fn check_output_folder(
    project: &Project,
    out: &Path,
    from_flag: bool,
    text_dirs: &[PathBuf],
) -> Result<()> {
    let out_real = resolve(out);
    let roots = [
        ("content root", &project.content_dir),
        ("static root", &project.static_dir),
        ("templates folder", &project.templates_dir),
        ("fonts folder", &project.fonts_dir),
    ];
    for (what, root) in roots {
        let root_real = resolve(root);
        let problem = if root_real == out_real {
            Some(format!("is the {what} ({})", root.display()))
        } else if root_real.starts_with(&out_real) {
            text_dirs
                .iter()
                .find(|dir| resolve(dir).starts_with(&root_real))
                .map(|dir| {
                    format!(
                        "holds the {what} ({}) where a book's text goes ({}): removing stale .txt files there would delete sources",
                        root.display(),
                        dir.display()
                    )
                })
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(refusal(project, out, from_flag, &problem).into());
        }
    }
    Ok(())
}

/// The error naming where the output folder was set.
fn refusal(project: &Project, out: &Path, from_flag: bool, problem: &str) -> Diagnostic {
    let keep_apart = "nothing was written; give the outputs a folder of their own";
    if from_flag {
        return Diagnostic {
            severity: Severity::Error,
            path: None,
            line: 0,
            column: 0,
            message: format!("--out {}: the output folder {problem}", out.display()),
            cause: None,
            hint: Some(format!("{keep_apart}, e.g. `--out dist`")),
        };
    }
    let config = project.config_display();
    match &project.config.output {
        Some(value) => {
            let line = project
                .config_path
                .as_ref()
                .and_then(|path| std::fs::read_to_string(path).ok())
                .map_or(0, |text| top_level_key_line(&text, "output"));
            Diagnostic::error(
                config,
                line,
                format!("`output: {}`: the output folder {problem}", value.display()),
            )
            .with_hint(format!("{keep_apart}, e.g. `output: dist`"))
        }
        None => Diagnostic::error(
            config,
            0,
            format!("the default output folder {} {problem}", out.display()),
        )
        .with_hint(format!("{keep_apart}: set `output:` here or pass --out")),
    }
}

/// The 1-based line of top-level `key:` in YAML `text`; 0 when not found
/// (a flow-style mapping, say), which still names the file.
fn top_level_key_line(text: &str, key: &str) -> u32 {
    let spellings = [
        format!("{key}:"),
        format!("\"{key}\":"),
        format!("'{key}':"),
    ];
    text.lines()
        .position(|line| spellings.iter().any(|s| line.starts_with(s.as_str())))
        .map_or(0, |i| u32::try_from(i + 1).unwrap_or(0))
}

/// `path` made absolute with every existing part's links resolved, and
/// `.`/`..` taken away, so two spellings of one folder compare equal even
/// when the folder does not exist yet.
fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut real = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                real.pop();
            }
            Component::Normal(name) => {
                real.push(name);
                // Once a part is missing, the rest is too: no link to resolve.
                if let Ok(canonical) = real.canonicalize() {
                    real = canonical;
                }
            }
            Component::Prefix(_) | Component::RootDir => real.push(component),
        }
    }
    real
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_folder_resolve_alike() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/sub")).unwrap();
        let real = resolve(&root.join("content"));
        assert_eq!(resolve(&root.join("content/./sub/..")), real);
        assert_eq!(resolve(&root.join("missing/../content")), real);
        assert_eq!(
            resolve(&root.join("content/new/../new")),
            real.join("new"),
            "a folder not made yet"
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("content"), root.join("link")).unwrap();
            assert_eq!(resolve(&root.join("link")), real);
            assert_eq!(resolve(&root.join("link/x")), real.join("x"));
        }
    }

    #[test]
    fn finds_the_line_of_a_top_level_key() {
        let yaml = "fonts: f\n# output: no\nbooks:\n  b:\n    output: no\noutput: dist\n";
        assert_eq!(top_level_key_line(yaml, "output"), 6);
        assert_eq!(top_level_key_line("\"output\": x\n", "output"), 1);
        assert_eq!(top_level_key_line("{output: x}\n", "output"), 0);
        assert_eq!(top_level_key_line("outputs: x\n", "output"), 0);
    }
}
