//! `folio clean`: removes what `folio build` writes for the project's books
//! (`<book>.pdf`, `<book>.epub`, the `.txt` files under `text/<book>/` and its
//! `contents.tsv`), the cache of processed images and font programs
//! (`.folio-cache/`) and the temporaries of killed builds, and nothing
//! else: a file of the user's in the output folder stays, and so does a
//! folder that still holds one.

use super::build::plural;
use super::{SourceArgs, Ui, human_size};
use clap::Args;
use folio::build::{select_books, text_dir};
use folio::output::{check_output_folder, remove_stale};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct CleanArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Clean only this book's outputs (repeatable; default: every book).
    #[arg(long = "book", value_name = "NAME")]
    pub books: Vec<String>,
    /// The output folder (default: `output` in folio.yaml, else `dist`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print what would be removed, remove nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Whether `path` is a file (or a link) folio may have written: never a
/// folder, whatever its name.
fn is_file_or_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() || m.file_type().is_symlink())
}

fn size(path: &Path) -> u64 {
    std::fs::symlink_metadata(path).map_or(0, |m| m.len())
}

/// The files folio wrote for the books `names` in `out`, and the text
/// folders they are in (each book's, then its subfolders, deepest first,
/// so removing them in order empties parents after children). Symlinked
/// folders are not followed.
fn outputs(out: &Path, names: &[String]) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut files = Vec::new();
    let mut folders = Vec::new();
    for name in names {
        for ext in ["pdf", "epub"] {
            let path = out.join(format!("{name}.{ext}"));
            if is_file_or_link(&path) {
                files.push(path);
            }
        }
        let dir = text_dir(out, name);
        if !dir.is_dir() {
            continue;
        }
        let index = dir.join(folio::backend::text::CONTENTS);
        if is_file_or_link(&index) {
            files.push(index);
        }
        let (book_folders, found) = tree(dir);
        files.extend(
            found
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "txt") && is_file_or_link(p)),
        );
        folders.extend(book_folders);
    }
    cache(out, &mut files, &mut folders);
    (files, folders)
}

/// The cache folder's files and folders (its folders deepest first), or
/// the cache itself when it is a link (removed, not followed).
fn cache(out: &Path, files: &mut Vec<PathBuf>, folders: &mut Vec<PathBuf>) {
    let top = out.join(folio::backend::pdf::CACHE_FOLDER);
    let Ok(meta) = std::fs::symlink_metadata(&top) else {
        return;
    };
    if !meta.is_dir() {
        files.push(top);
        return;
    }
    let (dirs, found) = tree(top);
    files.extend(found);
    folders.extend(dirs);
}

/// The folders under `top` (itself included, deepest first, so removing
/// them in order empties parents after children) and the other entries
/// under it (sorted). Symlinked folders are listed as entries, not walked.
fn tree(top: PathBuf) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut found = Vec::new();
    let mut dirs = vec![top.clone()];
    let mut stack = vec![top];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                dirs.push(path.clone());
                stack.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    dirs.sort_by_key(|f| std::cmp::Reverse(f.components().count()));
    (dirs, found)
}

pub fn run(args: CleanArgs, ui: &Ui) -> anyhow::Result<ExitCode> {
    let project = args.source.open(ui)?;
    let names = select_books(&project, &args.books)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| project.output_dir.clone());
    // The folder a build may write to is the folder clean may remove from:
    // never a source folder (where `<book>.pdf` could be the user's file).
    let text_dirs: Vec<PathBuf> = names.iter().map(|n| text_dir(&out, n)).collect();
    check_output_folder(&project, &out, args.out.is_some(), &text_dirs)?;
    let (files, folders) = outputs(&out, &names);
    let bytes: u64 = files.iter().map(|f| size(f)).sum();
    let verb = if args.dry_run {
        "would remove"
    } else {
        "removed"
    };
    let mut removed = 0;
    for file in &files {
        if !args.dry_run
            && let Err(e) = std::fs::remove_file(file)
        {
            return Err(
                folio::Diagnostic::error(file, 0, "cannot remove this output")
                    .with_cause(e)
                    .into(),
            );
        }
        removed += 1;
        // A dry run is for seeing what would go: every file is named.
        let line = format!("  {verb} {}", file.display());
        if args.dry_run {
            ui.info(&line);
        } else {
            ui.detail(&line);
        }
    }
    if !args.dry_run {
        for dir in &folders {
            // Temporaries of dead builds; those of a running build stay.
            removed += remove_stale(dir).unwrap_or(0);
        }
        removed += remove_stale(&out).unwrap_or(0);
        // Folders folio made, once empty (a folder with a user's file stays).
        for dir in folders.iter().chain([&out.join("text")]) {
            let _ = std::fs::remove_dir(dir);
        }
    }
    ui.info(&format!(
        "   {verb} {removed} file{} ({}) from {}",
        plural(removed),
        human_size(bytes),
        out.display()
    ));
    Ok(ExitCode::SUCCESS)
}
