//! Pages from outside the content root are never read: `pages:` entries
//! with `..` or absolute paths, and symlinks out, are errors naming the
//! `folio.yaml` line that lists them.

use super::harness::{Site, assert_fails_cleanly, assert_never_opened, book_config, secret};
use std::os::unix::fs::symlink;
use std::path::Path;

/// `pages:` as a block list, one entry a line: entry `i` is on line 8 + i.
fn listing(pages: &[&str]) -> String {
    let mut list = String::new();
    for page in pages {
        list.push_str(&format!("\n      - \"{page}\""));
    }
    book_config(&list)
}

/// A relative path from `from` to `to`, through the file system root.
fn climb(from: &Path, to: &Path) -> String {
    let from = from.canonicalize().unwrap();
    let ups = from.components().count() - 1;
    format!(
        "{}{}",
        "../".repeat(ups),
        to.to_string_lossy().trim_start_matches('/')
    )
}

/// Breaks `site` with `pages` and asserts the error is at `line`, names
/// `needles`, and that `secret` never reached the outputs or was opened.
fn refused(site: &Site, pages: &[&str], line: u32, needles: &[&str], secret: (&Path, &str)) {
    let config = listing(pages);
    site.config(&book_config("[page.md]"));
    let run = assert_fails_cleanly(site, |s| s.config(&config), needles);
    run.assert_located("folio.yaml", Some(line));
    assert!(run.stderr.contains("error: folio.yaml:"), "{}", run.stderr);
    assert!(!site.outputs_contain(secret.1.as_bytes()));
    assert_never_opened(site, &["build"], secret.0);
}

#[test]
fn dot_dot_entries_are_refused_at_their_line() {
    let (_dir, secret_path, marker) = secret();
    let site = Site::new();
    let up = climb(&site.path("content"), &secret_path);
    for (pages, line) in [
        (vec!["page.md", up.as_str()], 9),
        (vec!["../folio.yaml"], 8),
        (vec!["page.md", "page.md", "a/../../page.md"], 10),
    ] {
        refused(
            &site,
            &pages,
            line,
            &["leaves the content folder through `..`"],
            (&secret_path, &marker),
        );
    }
}

#[test]
fn absolute_entries_are_refused_at_their_line() {
    let (_dir, secret_path, marker) = secret();
    let site = Site::new();
    let absolute = secret_path.to_string_lossy().into_owned();
    let inside = site.path("content/page.md").to_string_lossy().into_owned();
    // Even an absolute path that happens to be inside: entries are relative.
    for (pages, line) in [(vec![absolute.as_str()], 8), (vec!["page.md", &inside], 9)] {
        refused(
            &site,
            &pages,
            line,
            &["an absolute path outside the content folder"],
            (&secret_path, &marker),
        );
    }
}

#[test]
fn symlinks_out_are_refused_at_their_line() {
    let (dir, secret_path, marker) = secret();
    let site = Site::new();
    std::fs::create_dir_all(site.path("content/sub")).unwrap();
    symlink(&secret_path, site.path("content/leak.md")).unwrap();
    symlink(dir.path(), site.path("content/sub/outside")).unwrap();
    // A chain: an inside link to an inside link that leads out.
    symlink(
        site.path("content/leak.md"),
        site.path("content/sub/chain.md"),
    )
    .unwrap();
    for (pages, line) in [
        (vec!["leak.md"], 8),
        (vec!["page.md", "sub/outside/secret.txt"], 9),
        (vec!["page.md", "page.md", "sub/chain.md"], 10),
    ] {
        refused(
            &site,
            &pages,
            line,
            &["symbolic link to a file outside the content folder"],
            (&secret_path, &marker),
        );
    }
}

#[test]
fn a_symlink_inside_the_content_folder_is_followed() {
    let site = Site::new();
    std::fs::create_dir_all(site.path("content/sub")).unwrap();
    symlink(
        site.path("content/page.md"),
        site.path("content/sub/alias.md"),
    )
    .unwrap();
    site.config(&listing(&["sub/alias.md", "sub/../page.md"]));
    site.run(&["build"]).assert_code(0);
    assert!(site.outputs_contain(b"Hello world"));
}

#[test]
fn a_folder_a_missing_page_and_a_fifo_are_named() {
    let site = Site::new();
    std::fs::create_dir_all(site.path("content/section")).unwrap();
    let fifo = site.path("content/pipe.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    for (pages, line, needle) in [
        (vec!["section"], 8, "which is a folder, not a page"),
        (vec!["page.md", "nowhere.md"], 9, "which does not exist"),
        (vec!["page.md", "."], 9, "names the content folder itself"),
    ] {
        let config = listing(&pages);
        site.config(&book_config("[page.md]"));
        let run = assert_fails_cleanly(&site, |s| s.config(&config), &[needle]);
        run.assert_located("folio.yaml", Some(line));
    }
    if made.is_ok_and(|s| s.success()) {
        // Reading a FIFO would block for ever: it is refused unopened.
        let config = listing(&["pipe.md"]);
        site.config(&book_config("[page.md]"));
        let run = assert_fails_cleanly(&site, |s| s.config(&config), &["not a regular file"]);
        run.assert_located("folio.yaml", Some(8));
    } else {
        println!("skipped: mkfifo not available: FIFO page not checked");
    }
}

#[test]
fn the_column_of_a_flow_entry_is_named() {
    let site = Site::new();
    let run = assert_fails_cleanly(
        &site,
        |s| s.config(&book_config("[page.md, ../x.md]")),
        &["folio.yaml:7:22:", "../x.md"],
    );
    run.assert_located("folio.yaml", Some(7));
}

#[test]
fn whole_site_skips_links_out_with_a_warning() {
    let (dir, secret_path, marker) = secret();
    let site = Site::new();
    symlink(&secret_path, site.path("content/leak.md")).unwrap();
    symlink(dir.path(), site.path("content/elsewhere")).unwrap();
    let args = ["build", "--content", "content"];
    let run = site.run(&args);
    run.assert_code(0).assert_stderr(&[
        "warning: content/leak.md: symbolic link leads outside the content folder: skipped",
        "warning: content/elsewhere: symbolic link leads outside",
    ]);
    assert!(site.outputs_contain(b"Hello world"));
    assert!(!site.outputs_contain(marker.as_bytes()));
    assert_never_opened(&site, &args, &secret_path);
}

#[test]
fn whole_site_symlink_loops_terminate() {
    let site = Site::new();
    symlink("b.md", site.path("content/a.md")).unwrap();
    symlink("a.md", site.path("content/b.md")).unwrap();
    symlink(".", site.path("content/again")).unwrap();
    symlink("..", site.path("content/up")).unwrap();
    symlink("nothing.md", site.path("content/dangling.md")).unwrap();
    let run = site.run(&["build", "--content", "content"]);
    run.assert_code(0).assert_stderr(&[
        "warning: content/a.md: symbolic link cannot be followed: skipped",
        "warning: content/dangling.md: symbolic link cannot be followed",
        "warning: content/up: symbolic link leads outside",
    ]);
    // The page is there once: `again` (a link back in) is not walked.
    let text = site.outputs();
    let pages = text
        .keys()
        .filter(|p| p.extension().is_some_and(|e| e == "txt") && !p.ends_with("site.txt"))
        .count();
    assert_eq!(pages, 1, "{:?}", text.keys());
}

#[test]
fn a_book_of_nothing_is_an_error() {
    let site = Site::new();
    let run = assert_fails_cleanly(
        &site,
        |s| s.config(&book_config("[]")),
        &["book `b` lists no pages"],
    );
    run.assert_located("folio.yaml", Some(7));
    site.config(&book_config("[page.md]"));

    // Every page a draft: an error at `pages:`, unless drafts are asked for.
    let draft = "---\ntitle: Draft\ndraft: true\n---\n\nUnfinished.\n";
    let run = assert_fails_cleanly(
        &site,
        |s| {
            s.write("content/page.md", draft);
        },
        &[
            "book `b` has no pages to build: its one page is a draft",
            "--drafts",
        ],
    );
    run.assert_located("folio.yaml", Some(7));
    site.run(&["build", "--drafts"]).assert_code(0);
    assert!(site.outputs_contain(b"Unfinished."));

    // A whole site with no page at all names the content folder.
    let empty = Site::empty();
    std::fs::create_dir_all(empty.path("content")).unwrap();
    empty
        .run(&["build", "--content", "content"])
        .assert_code(1)
        .assert_stderr(&["error: content: book `site` has no pages"]);
}
