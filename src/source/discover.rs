//! Page discovery under a content root, reading pages, and Hugo's
//! ordering. A page's language and URL are worked out by [`super::url`].

use super::SourcePage;
use super::frontmatter::{parse_front_matter, split_front_matter};
use super::url::SiteRules;
use crate::diag::{Diagnostic, Diagnostics};
use crate::limits::Limits;
use std::cmp::Ordering;
use std::fs;
use std::path::{Path, PathBuf};

/// Every Markdown page under `content_dir` (`.md`, `.markdown`), sorted by
/// path so discovery is deterministic. Markdown files inside a leaf bundle
/// are its resources, not pages (see [`super::order`]).
///
/// Hidden files and directories (name starting with `.`) are skipped.
/// A symbolic link to a page is followed only when the page lies inside
/// the content folder; a link leading out of it (or in a loop, or to
/// nothing) is skipped with a warning naming the link. Links to
/// directories are never followed: those inside the folder are walked by
/// their real path anyway, and so a link cycle cannot make discovery loop.
pub fn discover_pages(
    content_dir: &Path,
    diags: &mut Diagnostics,
) -> Result<Vec<PathBuf>, Diagnostic> {
    if !content_dir.is_dir() {
        let message = if content_dir.exists() {
            format!(
                "content directory `{}` is a file, not a folder",
                content_dir.display()
            )
        } else {
            format!(
                "content directory `{}` does not exist",
                content_dir.display()
            )
        };
        return Err(Diagnostic::error(content_dir, 0, message));
    }
    let root = content_dir.canonicalize().map_err(|err| {
        Diagnostic::error(content_dir, 0, "cannot resolve the content directory").with_cause(err)
    })?;
    let mut pages = Vec::new();
    collect_pages(content_dir, &root, &mut pages, diags)?;
    pages.sort();
    Ok(super::order::without_bundle_resources(
        pages,
        content_dir,
        diags,
    ))
}

fn collect_pages(
    dir: &Path,
    root: &Path,
    pages: &mut Vec<PathBuf>,
    diags: &mut Diagnostics,
) -> Result<(), Diagnostic> {
    let read_error = |err: std::io::Error| {
        Diagnostic::error(dir, 0, format!("cannot read directory `{}`", dir.display()))
            .with_cause(err)
    };
    for entry in fs::read_dir(dir).map_err(read_error)? {
        let entry = entry.map_err(read_error)?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let file_type = entry.file_type().map_err(read_error)?;
        if file_type.is_dir() {
            collect_pages(&path, root, pages, diags)?;
        } else if file_type.is_symlink() {
            if let Some(page) = linked_page(&path, root, diags) {
                pages.push(page);
            }
        } else if is_markdown(&path) {
            if file_type.is_file() {
                pages.push(path);
            } else {
                // A FIFO or device would block or never end when read.
                diags.warn(&path, 0, "not a regular file: skipped");
            }
        }
    }
    Ok(())
}

/// The page a symbolic link names, if it is a Markdown file inside `root`;
/// a warning for a link that would take a page from elsewhere.
fn linked_page(link: &Path, root: &Path, diags: &mut Diagnostics) -> Option<PathBuf> {
    match link.canonicalize() {
        Err(err) => {
            if is_markdown(link) {
                diags.push(
                    Diagnostic::warning(link, 0, "symbolic link cannot be followed: skipped")
                        .with_cause(err),
                );
            }
            None
        }
        Ok(real) if !real.starts_with(root) => {
            if is_markdown(link) || real.is_dir() {
                diags.push(
                    Diagnostic::warning(
                        link,
                        0,
                        "symbolic link leads outside the content folder: skipped",
                    )
                    .with_hint("folio reads pages only from inside the content folder"),
                );
            }
            None
        }
        Ok(real) => (is_markdown(link) && real.is_file()).then(|| link.to_path_buf()),
    }
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown"))
}

/// Reads one page (UTF-8 checked, front matter split and parsed, URL made
/// by `rules`).
///
/// `path` must lie under `content_dir`; it is kept as given for diagnostics.
pub fn load_page(
    content_dir: &Path,
    path: &Path,
    limits: &Limits,
    rules: &SiteRules,
) -> Result<SourcePage, Diagnostic> {
    let rel = path
        .strip_prefix(content_dir)
        .map_err(|_| {
            Diagnostic::error(
                path,
                0,
                format!(
                    "page is not inside the content directory `{}`",
                    content_dir.display()
                ),
            )
        })?
        .to_path_buf();
    let bytes = fs::read(path)
        .map_err(|err| Diagnostic::error(path, 0, "cannot read page").with_cause(err))?;
    page_from_bytes(path, rel, bytes, limits, rules)
}

/// A page from its bytes, as if read from `path` (shown in diagnostics) at
/// `rel` under the content root: what [`load_page`] does after reading, so
/// the fuzz targets can drive it in memory.
pub fn page_from_bytes(
    path: &Path,
    rel: PathBuf,
    bytes: Vec<u8>,
    limits: &Limits,
    rules: &SiteRules,
) -> Result<SourcePage, Diagnostic> {
    let text = decode_utf8(bytes, path)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    // Only CRLF pairs: Markdown treats a lone CR as a line ending too, but
    // no editor writes them any more and the parser copes either way.
    let text = text.replace("\r\n", "\n");

    let split = split_front_matter(&text, path)?;
    let front = parse_front_matter(&split, path, limits)?;
    let url = rules.url_of(&rel, &front);
    Ok(SourcePage {
        path: path.to_path_buf(),
        rel,
        body: split.body.to_string(),
        body_line: split.body_line,
        front,
        url,
    })
}

/// The file's text, or an error at the line and column of the first byte
/// that is not UTF-8.
fn decode_utf8(bytes: Vec<u8>, path: &Path) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|err| {
        let bytes = err.as_bytes();
        let valid = err.utf8_error().valid_up_to();
        let before = bytes.get(..valid).unwrap_or_default();
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        // Columns count characters; the valid prefix decodes cleanly.
        let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default())
            .chars()
            .count()
            + 1;
        let cause = bytes.get(valid).map_or_else(
            || "the file ends inside a character".to_string(),
            |b| format!("invalid byte 0x{b:02x}"),
        );
        Diagnostic::error(
            path,
            u32::try_from(line).unwrap_or(u32::MAX),
            "file is not valid UTF-8",
        )
        .with_column(u32::try_from(column).unwrap_or(u32::MAX))
        .with_cause(cause)
        .with_hint("save the file as UTF-8")
    })
}

/// Sorts pages as Hugo sorts a section by default: weight (weighted pages
/// first, ascending), then date (newest first), then title, then path.
///
/// Weight 0 means unset and sorts after every weighted page. Pages without
/// a date, or with one that is not `YYYY-MM-DD[( |T)HH:MM[:SS]]...`, come
/// after dated pages. Titles compare case-insensitively; the path decides
/// ties so the order never depends on the input order.
pub fn hugo_order(pages: &mut [SourcePage]) {
    pages.sort_by(|a, b| {
        weight_key(a.front.weight)
            .cmp(&weight_key(b.front.weight))
            .then_with(|| newest_first(date_key(a), date_key(b)))
            .then_with(|| title_key(a).cmp(&title_key(b)))
            .then_with(|| a.rel.cmp(&b.rel))
            .then_with(|| a.path.cmp(&b.path))
    });
}

fn weight_key(weight: i64) -> (bool, i64) {
    (weight == 0, weight)
}

fn newest_first(a: Option<[u32; 6]>, b: Option<[u32; 6]>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => b.cmp(&a),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn title_key(page: &SourcePage) -> String {
    page.front
        .title
        .as_deref()
        .unwrap_or_default()
        .to_lowercase()
}

fn date_key(page: &SourcePage) -> Option<[u32; 6]> {
    page.front.date.as_deref().and_then(parse_date)
}

/// `YYYY-MM-DD`, optionally followed by ` HH:MM` or `THH:MM:SS`; anything
/// after (fractions, time zone) is ignored, which is close enough for
/// ordering pages.
fn parse_date(text: &str) -> Option<[u32; 6]> {
    let text = text.trim();
    let field = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        if part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let separator =
        |at: usize, allowed: &[u8]| text.as_bytes().get(at).is_some_and(|b| allowed.contains(b));

    if !(separator(4, b"-") && separator(7, b"-")) {
        return None;
    }
    let mut key = [field(0..4)?, field(5..7)?, field(8..10)?, 0, 0, 0];
    if separator(10, b" T") && separator(13, b":") {
        key[3] = field(11..13)?;
        key[4] = field(14..16)?;
        if separator(16, b":") {
            key[5] = field(17..19)?;
        }
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::super::frontmatter::FrontMatter;
    use super::*;
    use std::collections::BTreeSet;

    fn page(rel: &str, title: &str, weight: i64, date: Option<&str>) -> SourcePage {
        SourcePage {
            path: Path::new("content").join(rel),
            rel: PathBuf::from(rel),
            front: FrontMatter {
                title: Some(title.to_string()),
                weight,
                date: date.map(str::to_string),
                ..FrontMatter::default()
            },
            body: String::new(),
            body_line: 1,
            url: String::new(),
        }
    }

    fn order(mut pages: Vec<SourcePage>) -> Vec<String> {
        hugo_order(&mut pages);
        pages
            .into_iter()
            .map(|p| p.rel.display().to_string())
            .collect()
    }

    #[test]
    fn weighted_pages_come_first_ascending() {
        let pages = vec![
            page("unweighted.md", "A", 0, None),
            page("heavy.md", "B", 10, None),
            page("negative.md", "C", -1, None),
            page("light.md", "D", 2, None),
        ];
        assert_eq!(
            order(pages),
            ["negative.md", "light.md", "heavy.md", "unweighted.md"]
        );
    }

    #[test]
    fn newest_first_then_undated() {
        let pages = vec![
            page("undated.md", "A", 0, None),
            page("old.md", "B", 0, Some("2007-02-01")),
            page("new.md", "C", 0, Some("2011-11-10 13:51")),
            page("same-day-earlier.md", "D", 0, Some("2011-11-10T09:00:00Z")),
            page("garbage-date.md", "E", 0, Some("someday")),
        ];
        assert_eq!(
            order(pages),
            [
                "new.md",
                "same-day-earlier.md",
                "old.md",
                "undated.md",
                "garbage-date.md"
            ]
        );
    }

    #[test]
    fn title_ignores_case_then_path_breaks_ties() {
        let pages = vec![
            page("z.md", "beta", 0, None),
            page("b.md", "Alpha", 0, None),
            page("a.md", "alpha", 0, None),
            page("c.md", "ALPHA", 1, None),
        ];
        assert_eq!(order(pages), ["c.md", "a.md", "b.md", "z.md"]);
    }

    #[test]
    fn parses_dates() {
        assert_eq!(
            parse_date("2010-10-04 07:44"),
            Some([2010, 10, 4, 7, 44, 0])
        );
        assert_eq!(
            parse_date("2023-05-01T10:00:09+02:00"),
            Some([2023, 5, 1, 10, 0, 9])
        );
        assert_eq!(parse_date("2023-05-01"), Some([2023, 5, 1, 0, 0, 0]));
        assert_eq!(parse_date("2023-5-1"), None);
        assert_eq!(parse_date("é"), None);
    }

    /// A fresh directory in the system temp dir, removed when dropped.
    fn temp_dir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    #[test]
    fn discovers_markdown_skipping_hidden() {
        let dir = temp_dir();
        let root = dir.path();
        for rel in [
            "b.md",
            "a/_index.md",
            "a/z.markdown",
            "a/notes.txt",
            ".hidden.md",
            ".git/x.md",
            "a/.draft/y.md",
        ] {
            let path = root.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, "x").unwrap();
        }
        let found: Vec<PathBuf> = discover_pages(root, &mut Diagnostics::default())
            .unwrap()
            .into_iter()
            .map(|p| p.strip_prefix(root).unwrap().to_path_buf())
            .collect();
        assert_eq!(
            found,
            [
                PathBuf::from("a/_index.md"),
                PathBuf::from("a/z.markdown"),
                PathBuf::from("b.md")
            ]
        );
    }

    #[test]
    fn missing_content_dir_is_named() {
        let err =
            discover_pages(Path::new("/no/such/content"), &mut Diagnostics::default()).unwrap_err();
        assert!(err.message.contains("/no/such/content"), "{}", err.message);
        assert!(err.message.contains("does not exist"));
    }

    #[test]
    fn loads_a_page_with_bom_and_crlf() {
        let dir = temp_dir();
        let path = dir.path().join("about").join("press-kit.md");
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(
            &path,
            "\u{feff}---\r\nTitle: Press Kit\r\nUrl: about/press-kit\r\n---\r\n\r\n# Hi\r\n",
        )
        .unwrap();
        let page = load_page(dir.path(), &path, &Limits::default(), &SiteRules::default()).unwrap();
        assert_eq!(page.rel, Path::new("about/press-kit.md"));
        assert_eq!(page.path, path);
        assert_eq!(page.url, "/about/press-kit/");
        assert_eq!(page.front.title.as_deref(), Some("Press Kit"));
        assert_eq!(page.body, "\n# Hi\n");
        assert_eq!(page.body_line, 5);
    }

    #[test]
    fn non_utf8_names_file_and_line() {
        let dir = temp_dir();
        let path = dir.path().join("bad.md");
        fs::write(&path, b"---\ntitle: ok\n---\nfine\ncaf\xe9 au lait\n").unwrap();
        let err =
            load_page(dir.path(), &path, &Limits::default(), &SiteRules::default()).unwrap_err();
        assert_eq!(err.message, "file is not valid UTF-8");
        assert_eq!(err.path.as_deref(), Some(path.as_path()));
        assert_eq!(err.line, 5);
        assert_eq!(err.column, 4);
        assert_eq!(err.cause.as_deref(), Some("invalid byte 0xe9"));
    }

    #[test]
    fn front_matter_errors_name_the_page() {
        let dir = temp_dir();
        let path = dir.path().join("bad.md");
        fs::write(&path, "---\ntitle: a\n\nbody\n").unwrap();
        let err =
            load_page(dir.path(), &path, &Limits::default(), &SiteRules::default()).unwrap_err();
        assert_eq!(err.path.as_deref(), Some(path.as_path()));
        assert_eq!(err.line, 1);
    }

    #[test]
    fn loads_the_whole_real_corpus() {
        let Some((content, _)) = crate::test_external::corpus() else {
            return;
        };
        let paths = discover_pages(&content, &mut Diagnostics::default())
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(paths.len(), 169);
        let mut pages: Vec<SourcePage> = paths
            .iter()
            .map(|path| {
                load_page(&content, path, &Limits::default(), &SiteRules::default())
                    .unwrap_or_else(|err| panic!("{err}"))
            })
            .collect();
        for page in &pages {
            let title = page.front.title.as_deref().unwrap_or_default();
            assert!(
                !title.trim().is_empty(),
                "{} has no title",
                page.path.display()
            );
            assert!(
                page.url.starts_with('/') && page.url.ends_with('/'),
                "{}",
                page.url
            );
        }
        let pelican = pages
            .iter()
            .filter(|page| page.front.all.contains_key("author"))
            .count();
        assert_eq!(pelican, 62);

        let by_rel = |rel: &str| {
            pages
                .iter()
                .find(|page| page.rel == Path::new(rel))
                .unwrap_or_else(|| panic!("{rel} not loaded"))
        };
        assert_eq!(by_rel("about/press-kit.md").url, "/about/press-kit/");
        assert_eq!(
            by_rel("about/xsf/communication-team.md").url,
            "/about/xsf/comm-team/"
        );
        assert_eq!(by_rel("about/_index.md").url, "/about/");
        assert_eq!(
            by_rel("community/gsoc-2023.fr.md").url,
            "/fr/community/gsoc-2023/"
        );
        assert_eq!(
            by_rel("community/gsoc-2022.fr.md").front.title.as_deref(),
            Some("La XSF et le Google Summer of Code 2022")
        );
        let minutes = by_rel("about/xsf/records/meeting-minutes/xsf-member-meeting-2007-02-01.md");
        assert_eq!(minutes.body_line, 7);
        assert!(minutes.body.starts_with("-   Where:"));

        // English pages and sections have distinct URLs.
        let english: Vec<&str> = pages
            .iter()
            .filter(|page| !page.url.starts_with("/fr/") && !page.url.starts_with("/de/"))
            .filter(|page| !page.url.starts_with("/es/") && !page.url.starts_with("/it/"))
            .map(|page| page.url.as_str())
            .collect();
        let unique: BTreeSet<&str> = english.iter().copied().collect();
        assert_eq!(unique.len(), english.len());

        hugo_order(&mut pages);
        let first_two: Vec<&str> = pages
            .iter()
            .take(2)
            .filter_map(|p| p.front.date.as_deref())
            .collect();
        assert_eq!(first_two.len(), 2, "dated pages sort first");
    }
}
