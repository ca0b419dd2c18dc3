//! `folio init [DIR]`: a starter project. Writes a commented `folio.yaml`
//! (one book of every page in `content/`), a sample page when `content/`
//! has none, and with `--templates` copies of the built-in PDF style and
//! EPUB templates to edit. Never overwrites a file without `--force`:
//! every file is checked first, then all are written together, or none.

use super::Ui;
use clap::Args;
use folio::Diagnostic;
use folio::config::CONFIG_FILE;
use folio::output::Transaction;
use folio::shipped::Folder;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to set up (made when missing).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// Also copy folio's built-in PDF style and EPUB templates into
    /// `templates/`, to edit (files left out keep coming from folio).
    #[arg(long)]
    pub templates: bool,
    /// Overwrite files that already exist.
    #[arg(long)]
    pub force: bool,
}

/// The sample page, written when the content folder has no page.
const SAMPLE_PAGE: &str = "content/welcome.md";

const SAMPLE: &str = "\
---
title: Welcome
description: A sample page written by folio init. Replace it with your own.
weight: 1
---

Every Markdown page under `content/` becomes a chapter of the book, in the
order Hugo gives them: by `weight`, then date, then title. Front matter in
YAML, TOML or Pelican style gives each page its title and description.

## What to do next

1. Put your pages in `content/` (and delete this one).
2. Set the book's title, authors and formats in `folio.yaml`.
3. Run `folio build`: the PDF, the EPUB and the text go to `dist/`.

> Run `folio check --strict` to see every broken link and missing image
> before you build.
";

pub fn run(args: InitArgs, ui: &Ui) -> anyhow::Result<ExitCode> {
    let dir = &args.dir;
    if dir.exists() && !dir.is_dir() {
        return Err(Diagnostic::error(dir, 0, "is a file, not a folder")
            .with_hint("`folio init DIR` sets up a project in the folder DIR")
            .into());
    }
    let hugo = hugo_config(dir);
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![(
        within(dir, CONFIG_FILE),
        starter_config(dir, hugo.as_deref(), args.templates).into_bytes(),
    )];
    if !has_pages(&dir.join("content")) {
        files.push((within(dir, SAMPLE_PAGE), SAMPLE.as_bytes().to_vec()));
    }
    if args.templates {
        for (name, bytes) in Folder::Templates.built_ins() {
            let rel = format!("{}/{name}", Folder::Templates.name());
            files.push((within(dir, &rel), bytes.to_vec()));
        }
    }
    if !args.force {
        refuse_existing(&files)?;
    }
    let mut transaction = Transaction::new();
    for (path, bytes) in &files {
        transaction.add(path, bytes);
    }
    transaction.commit()?;
    for (path, _) in &files {
        ui.info(&format!("     wrote {}", path.display()));
    }
    let cd = if is_here(dir) {
        String::new()
    } else {
        format!("cd {} && ", shell_word(&dir.display().to_string()))
    };
    ui.info(&format!(
        "next: edit {}, then `{cd}folio build`",
        within(dir, CONFIG_FILE).display()
    ));
    Ok(ExitCode::SUCCESS)
}

/// Errors when any file `init` would write is there already, naming them
/// all; nothing is written.
fn refuse_existing(files: &[(PathBuf, Vec<u8>)]) -> anyhow::Result<()> {
    let existing: Vec<&Path> = files
        .iter()
        .map(|(path, _)| path.as_path())
        .filter(|path| std::fs::symlink_metadata(path).is_ok())
        .collect();
    let Some((first, rest)) = existing.split_first() else {
        return Ok(());
    };
    let mut hint = String::from("nothing was written; pass --force to overwrite");
    if !rest.is_empty() {
        let others: Vec<String> = rest.iter().map(|p| p.display().to_string()).collect();
        hint.push_str(&format!(" (these exist too: {})", others.join(", ")));
    }
    Err(Diagnostic::error(
        first,
        0,
        "already exists: `folio init` does not overwrite files",
    )
    .with_hint(hint)
    .into())
}

/// The Hugo configuration `dir` holds, if any (`hugo.toml`, `config.yaml`,
/// `config/_default/`, ...), by its name.
fn hugo_config(dir: &Path) -> Option<String> {
    let files = ["hugo", "config"]
        .into_iter()
        .flat_map(|stem| ["toml", "yaml", "yml", "json"].map(move |ext| format!("{stem}.{ext}")));
    for name in files {
        if dir.join(&name).is_file() {
            return Some(name);
        }
    }
    ["config/_default", "config"]
        .into_iter()
        .find(|name| dir.join(name).is_dir())
        .map(|name| format!("{name}/"))
}

/// Whether `content` holds a Markdown page anywhere below it.
fn has_pages(content: &Path) -> bool {
    let mut stack = vec![content.to_path_buf()];
    // Bounded: a huge tree is not walked to its end just to decide this.
    let mut budget = 10_000usize;
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            budget = budget.saturating_sub(1);
            if budget == 0 {
                return true;
            }
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("md") || x.eq_ignore_ascii_case("markdown"))
            {
                return true;
            }
        }
    }
    false
}

/// The commented starter `folio.yaml` for the project in `dir`.
fn starter_config(dir: &Path, hugo: Option<&str>, templates: bool) -> String {
    let title = folder_name(dir).unwrap_or_else(|| "My book".to_string());
    let name = book_name(&title);
    let has_static = dir.join("static").is_dir();
    let mut out = String::from(
        "# folio configuration, written by `folio init`: which pages go into which\n\
         # book, and how each is written. Paths are relative to this file. Unknown\n\
         # keys are errors; see folio's README for every setting.\n\n",
    );
    if let Some(config) = hugo {
        out.push_str(&format!(
            "# This folder holds a Hugo site ({config}). With `site: .` (or\n\
             # `folio build --site .`) folio reads its configuration: the title,\n\
             # base URL, languages and permalinks.\n\
             # site: .\n\n"
        ));
    }
    out.push_str("content: content          # the pages, as Hugo keeps them\n");
    out.push_str(if has_static {
        "static: static            # the static root: /images/... is found here\n"
    } else {
        "# static: static          # the static root for /images/... (default: content)\n"
    });
    out.push_str(
        "# fonts: fonts            # fonts replacing folio's built-in Noto fonts by\n\
         #                         #   file name, or added to them\n",
    );
    out.push_str(if templates {
        "# templates: templates    # your copies of the PDF style and EPUB templates;\n\
         #                         #   a file you delete comes from folio again\n"
    } else {
        "# templates: templates    # PDF style and EPUB templates replacing folio's\n\
         #                         #   built-in ones, file by file (`folio init\n\
         #                         #   --templates` writes copies to edit)\n"
    });
    out.push_str("# output: dist            # where the outputs go\n\n");
    out.push_str(
        "# Settings every book inherits unless it sets its own.\n\
         defaults:\n  language: en\n\
         \x20 # publisher: Your organisation\n\
         \x20 # authors: [Your Name]\n\
         \x20 # base_url: https://www.your-site.net/   # links to pages outside a book\n\
         \x20 # rights: \"CC BY 4.0\"\n\
         \x20 # paper: a4                # or letter\n\
         \x20 # logo: /images/logo.svg   # cover logo, in the static root\n\n\
         # What to do with shortcodes folio does not know (each is warned about):\n\
         # shortcodes:\n\
         #   mermaid: code           # inner content kept as a code block\n\
         #   newsletter-subscribe: drop\n\n",
    );
    out.push_str(&format!(
        "books:\n  {name}:                  # the name of the output files: dist/{name}.pdf\n\
         \x20   title: {}\n\
         \x20   # subtitle: A subtitle\n\
         \x20   # description: What the book is about.\n\
         \x20   formats: [pdf, epub, text]   # what a plain `folio build` writes\n\
         \x20   # pages:                 # the reading order, relative to `content`;\n\
         \x20   #   - about.md           #   left out: every page, in Hugo's order\n",
        yaml_string(&title)
    ));
    out
}

/// `dir`'s own name (`.` resolved), for the book's title.
fn folder_name(dir: &Path) -> Option<String> {
    let absolute = std::path::absolute(dir).ok()?;
    let mut parts = Vec::new();
    for component in absolute.components() {
        match component {
            Component::Normal(part) => parts.push(part),
            Component::ParentDir => {
                parts.pop();
            }
            _ => {}
        }
    }
    let name = parts.last()?.to_string_lossy().trim().to_string();
    (!name.is_empty()).then_some(name)
}

/// A book name (letters, digits, `-`) made from a title.
fn book_name(title: &str) -> String {
    let mut name = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-');
    if name.is_empty() {
        "book".to_string()
    } else {
        name.to_string()
    }
}

/// `text` as a YAML scalar that reads back as exactly `text`: a JSON
/// string is a valid YAML double-quoted one.
fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"My book\"".to_string())
}

/// `dir/rel`, without a leading `./` when `dir` is the working directory.
fn within(dir: &Path, rel: &str) -> PathBuf {
    if is_here(dir) {
        PathBuf::from(rel)
    } else {
        dir.join(rel)
    }
}

/// `word` quoted for a POSIX shell when it needs quoting.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "-_./+,:@%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

fn is_here(dir: &Path) -> bool {
    dir.as_os_str().is_empty() || dir == Path::new(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn book_names_are_file_names() {
        assert_eq!(book_name("My Site"), "my-site");
        assert_eq!(book_name("xmpp.org"), "xmpp-org");
        assert_eq!(book_name("--Über  Uns--"), "ber-uns");
        assert_eq!(book_name("日本"), "book");
    }

    #[test]
    fn folder_names_are_quoted_for_the_shell() {
        assert_eq!(shell_word("site"), "site");
        assert_eq!(shell_word("My Site"), "'My Site'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
    }

    #[test]
    fn titles_read_back_as_written() {
        for title in [
            "plain",
            "a: b",
            "# not a comment",
            "quote \" and \\",
            "- item",
        ] {
            let yaml = format!("title: {}\n", yaml_string(title));
            let back: std::collections::BTreeMap<String, String> =
                serde_yaml::from_str(&yaml).unwrap();
            assert_eq!(back["title"], title);
        }
    }

    #[test]
    fn starter_config_loads() {
        let dir = tempfile::tempdir().unwrap();
        for (hugo, templates) in [(None, false), (Some("hugo.toml"), true)] {
            let text = starter_config(dir.path(), hugo, templates);
            let config = folio::Config::parse(&text, Path::new("folio.yaml")).unwrap();
            assert_eq!(config.books.len(), 1);
            let book = config.books.values().next().unwrap();
            assert!(book.pages.is_empty(), "every page");
            assert_eq!(book.formats.len(), 3);
            assert_eq!(config.defaults.language.as_deref(), Some("en"));
            assert_eq!(text.contains("# site: ."), hugo.is_some());
        }
    }
}
