//! The source line a diagnostic points at, read from its file only when
//! that file lies inside the project and is small enough. Containment is
//! judged on the path's text and `lstat` alone: no symbolic link below a
//! root is followed (a link is never shown), so showing a snippet never
//! touches a file outside the project, not even to `stat` it.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;
use unicode_width::UnicodeWidthChar;

/// Files larger than this are not read for a snippet: a snippet is a
/// courtesy, never worth reading a huge file again (no page is this big).
const MAX_FILE_BYTES: u64 = 8 << 20;

/// A line wider than this (in terminal columns) is shown as a window
/// around the caret.
const MAX_WIDTH: usize = 100;

/// How much of the window lies before the caret.
const BEFORE_CARET: usize = 40;

/// Spaces a tab is shown as.
const TAB: &str = "    ";

/// The files snippets may come from, and the ones read so far.
#[derive(Debug, Default)]
pub struct Snippets {
    /// Folders (or files) whose files may be shown: absolute, without `.`
    /// or `..`.
    roots: Vec<PathBuf>,
    /// Each file asked for: its text and where its lines start, or `None`
    /// when it may not or cannot be shown.
    files: HashMap<PathBuf, Option<Rc<Lines>>>,
}

#[derive(Debug)]
struct Lines {
    text: String,
    starts: Vec<usize>,
}

/// One source line, ready to be shown: a range of its file's text (a
/// page of one long line warned about 100 000 times is not copied).
#[derive(Debug, Clone)]
pub struct Snippet {
    lines: Rc<Lines>,
    start: usize,
    end: usize,
}

impl Snippets {
    /// Allows the files under each of `roots` (those that exist).
    pub fn allow(&mut self, roots: impl IntoIterator<Item = PathBuf>) {
        for root in roots {
            if let Some(root) = absolute(&root)
                && !self.roots.contains(&root)
            {
                self.roots.push(root);
            }
        }
        // What was refused before may be allowed now.
        self.files.retain(|_, lines| lines.is_some());
    }

    /// Line `line` (from 1) of `path`, if it may be shown.
    pub fn line(&mut self, path: &Path, line: u32) -> Option<Snippet> {
        if line == 0 {
            return None;
        }
        let lines = match self.files.get(path) {
            Some(known) => known.clone(),
            None => {
                let read = self.read(path).map(Rc::new);
                self.files.insert(path.to_path_buf(), read.clone());
                read
            }
        }?;
        let index = usize::try_from(line - 1).ok()?;
        let start = *lines.starts.get(index)?;
        let end = lines
            .starts
            .get(index + 1)
            .copied()
            .unwrap_or(lines.text.len());
        let text = lines.text.get(start..end)?;
        let end = start + text.trim_end_matches(['\n', '\r']).len();
        Some(Snippet { lines, start, end })
    }

    fn read(&self, path: &Path) -> Option<Lines> {
        let path = absolute(path)?;
        let root = self.roots.iter().find(|root| path.starts_with(root))?;
        // Every step below the root must be a real folder, and the last a
        // regular file: `lstat` never follows the link it is asked about.
        let mut at = root.clone();
        for part in path.strip_prefix(root).ok()?.components() {
            at.push(part);
            let meta = std::fs::symlink_metadata(&at).ok()?;
            if meta.file_type().is_symlink() {
                return None;
            }
        }
        let meta = std::fs::symlink_metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
            return None;
        }
        let bytes = std::fs::read(&path).ok()?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        if starts.last() == Some(&text.len()) && starts.len() > 1 {
            starts.pop();
        }
        Some(Lines { text, starts })
    }
}

/// `path` made absolute (from the current folder) with `.` and `..` taken
/// out by their text, without asking the file system.
fn absolute(path: &Path) -> Option<PathBuf> {
    let full = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    let mut out = PathBuf::new();
    for part in full.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            other => out.push(other),
        }
    }
    Some(out)
}

/// Terminal columns of `c` as shown.
fn width(c: char) -> usize {
    match c {
        '\t' => TAB.len(),
        c => c.width().unwrap_or(1),
    }
}

impl Snippet {
    /// The line, without its line break.
    pub fn text(&self) -> &str {
        &self.lines.text[self.start..self.end]
    }

    /// The line as printed (tabs as spaces, control characters as `�`, a
    /// long line cut to a window with `…`) and the caret's offset in
    /// terminal columns: under `column` (from 1, in characters), or under
    /// the first non-blank character when the column is unknown (0). Costs
    /// the window's length (and the column's), not the line's.
    pub fn shown(&self, column: u32) -> (String, usize) {
        let text = self.text();
        let caret_at = match usize::try_from(column) {
            Ok(c) if c > 0 => text
                .char_indices()
                .nth(c - 1)
                .map_or(text.len(), |(i, _)| i),
            _ => text
                .char_indices()
                .find(|(_, c)| !c.is_whitespace())
                .map_or(0, |(i, _)| i),
        };
        let mut wide = 0;
        let fits = text.chars().all(|c| {
            wide += width(c);
            wide <= MAX_WIDTH
        });
        let (start, end) = if fits {
            (0, text.len())
        } else {
            let mut start = caret_at;
            let mut before = 0;
            for (i, c) in text[..caret_at].char_indices().rev() {
                if before + width(c) > BEFORE_CARET {
                    break;
                }
                before += width(c);
                start = i;
            }
            let mut end = start;
            let mut shown = 0;
            for (i, c) in text[start..].char_indices() {
                if shown + width(c) > MAX_WIDTH {
                    break;
                }
                shown += width(c);
                end = start + i + c.len_utf8();
            }
            (start, end.max(caret_at))
        };
        let mut out = String::new();
        let mut caret = 0;
        if start > 0 {
            out.push('…');
            caret += 1;
        }
        caret += text[start..caret_at].chars().map(width).sum::<usize>();
        for c in text[start..end].chars() {
            match c {
                '\t' => out.push_str(TAB),
                // Never hand a file's escape sequences to the terminal.
                c if c.is_control() => out.push('\u{FFFD}'),
                c => out.push(c),
            }
        }
        if end < text.len() {
            out.push('…');
        }
        (out, caret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(line: &str, column: u32) -> (String, usize) {
        let lines = Rc::new(Lines {
            text: line.to_string(),
            starts: vec![0],
        });
        Snippet {
            lines,
            start: 0,
            end: line.len(),
        }
        .shown(column)
    }

    #[test]
    fn caret_under_column_or_first_non_blank() {
        assert_eq!(shown("title: [x", 8), ("title: [x".into(), 7));
        assert_eq!(shown("   {{< teams >}}", 0), ("   {{< teams >}}".into(), 3));
        assert_eq!(shown("\tx", 2), ("    x".into(), 4));
        // Wide characters take two columns.
        assert_eq!(shown("日本 x", 4), ("日本 x".into(), 5));
        // A column past the end points just after it.
        assert_eq!(shown("ab", 9), ("ab".into(), 2));
    }

    #[test]
    fn control_characters_are_not_printed() {
        let (text, _) = shown("a\u{1b}[31mb", 1);
        assert!(!text.contains('\u{1b}'), "{text:?}");
        assert!(text.contains('\u{FFFD}'));
    }

    #[test]
    fn long_line_shows_a_window_around_the_caret() {
        let line = format!("{}X{}", "a".repeat(300), "b".repeat(300));
        let (text, caret) = shown(&line, 301);
        assert!(text.starts_with('…') && text.ends_with('…'), "{text}");
        assert_eq!(text.chars().nth(caret), Some('X'), "{text} {caret}");
        assert!(text.chars().count() <= MAX_WIDTH + 2);
        // The start of a long line, caret at its first non-blank.
        let (text, caret) = shown(&format!("  {}", "w ".repeat(5000)), 0);
        assert_eq!(caret, 2);
        assert!(text.starts_with("  w w") && text.ends_with('…'), "{text}");
    }

    #[test]
    fn only_files_under_the_roots_are_read() {
        let inside = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(inside.path().join("a.md"), "one\ntwo\r\nthree").unwrap();
        std::fs::write(outside.path().join("b.md"), "secret\n").unwrap();
        let mut snippets = Snippets::default();
        snippets.allow([inside.path().to_path_buf()]);
        let a = inside.path().join("a.md");
        assert_eq!(
            snippets.line(&a, 2).map(|s| s.text().to_string()),
            Some("two".into())
        );
        assert_eq!(
            snippets.line(&a, 3).map(|s| s.text().to_string()),
            Some("three".into())
        );
        assert!(snippets.line(&a, 4).is_none());
        assert!(snippets.line(&a, 0).is_none());
        assert!(snippets.line(&outside.path().join("b.md"), 1).is_none());
        // Nor is a path that climbs out with `..`.
        let climb = inside
            .path()
            .join("..")
            .join(outside.path().file_name().unwrap())
            .join("b.md");
        assert!(snippets.line(&climb, 1).is_none());
        // A link inside that leads outside is not followed.
        #[cfg(unix)]
        {
            let link = inside.path().join("link.md");
            std::os::unix::fs::symlink(outside.path().join("b.md"), &link).unwrap();
            assert!(snippets.line(&link, 1).is_none());
        }
    }
}
