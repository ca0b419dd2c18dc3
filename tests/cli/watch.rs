//! `folio watch` end to end (a page edited, broken and fixed while it runs,
//! then Ctrl-C; rebuilds equal to fresh builds, unchanged outputs left
//! alone, only new warnings printed), and the parse cache: a cached reload gives the same book
//! and the same bytes as a fresh load.

use super::harness::{PAGE, Site, book_config};
use folio::build::{Silent, render_all};
use folio::load::{Changes, ParseCache};
use folio::{BuildOptions, LoadOptions, Project};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a rebuild may take on a loaded machine before the test fails.
const PATIENCE: Duration = Duration::from_secs(20);

/// A running `folio watch` and everything it printed so far.
struct Watching {
    child: Child,
    stderr: Arc<Mutex<String>>,
}

impl Watching {
    fn start(dir: &Path, args: &[&str]) -> Watching {
        let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
            .arg("watch")
            .args(args)
            .current_dir(dir)
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .env_remove("NO_COLOR")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start folio watch");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().expect("stderr");
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                sink.lock().unwrap().push_str(&text);
            }
        });
        Watching { child, stderr }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Polls until `done` holds, failing with what was printed after
    /// [`PATIENCE`].
    fn wait_for(&self, what: &str, mut done: impl FnMut(&str) -> bool) {
        let start = Instant::now();
        while !done(&self.stderr()) {
            assert!(
                start.elapsed() < PATIENCE,
                "timed out waiting for {what}; stderr:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Ctrl-C, then the exit code (the process is killed if it hangs).
    fn interrupt(&mut self) -> i32 {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status();
        assert!(sent.is_ok_and(|s| s.success()), "kill -INT");
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code().unwrap_or(-1);
            }
            if start.elapsed() > PATIENCE {
                let _ = self.child.kill();
                panic!("watch did not end on Ctrl-C; stderr:\n{}", self.stderr());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Watching {
    /// A failed test leaves no watcher behind.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Watching {
    /// A watch of `site` started, once its first build is written, which
    /// must be the bytes a fresh `folio build` writes.
    fn first_build_as_fresh(site: &Site) -> Watching {
        let watch = Watching::start(site.root(), &[]);
        watch.wait_for("the first build", |e| e.contains("watching"));
        assert_eq!(site.outputs(), fresh_build(site), "the first build");
        watch
    }
}

/// Every text output joined.
fn text_of(site: &Site) -> String {
    site.outputs()
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "txt"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect()
}

/// The lines that start with `needle`.
fn count(haystack: &str, needle: &str) -> usize {
    haystack.lines().filter(|l| l.starts_with(needle)).count()
}

/// Files under `dir` whose names are not those of finished outputs
/// (temporaries of an interrupted write start with a dot).
fn temporaries(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(temporaries(&path));
        } else if entry.file_name().to_string_lossy().starts_with('.') {
            found.push(path);
        }
    }
    found
}

#[test]
fn watch_rebuilds_a_page_keeps_outputs_on_error_and_ends_on_ctrl_c() {
    let site = Site::new();
    site.write("content/other.md", "---\ntitle: Other\n---\n\nUntouched.\n");
    site.config(&book_config("[page.md, other.md]"));
    let mut watch = Watching::start(site.root(), &[]);
    watch.wait_for("the first build", |e| e.contains("watching"));
    assert!(text_of(&site).contains("Hello world"));

    // An edit: the book is rebuilt in every format, and the line names the
    // outputs and the page.
    site.write(
        "content/page.md",
        PAGE.replace("Hello world", "Bonjour monde"),
    );
    watch.wait_for("the rebuild", |e| count(e, "rebuilt") >= 1);
    let line = watch.stderr();
    let line = line.lines().find(|l| l.contains("rebuilt")).unwrap();
    let expected = "rebuilt text/b/, b.pdf, b.epub (content/page.md changed) in ";
    assert!(
        line.starts_with(expected) && line.ends_with(" ms"),
        "{line}"
    );
    assert!(text_of(&site).contains("Bonjour monde"));
    assert!(site.outputs_contain(b"Bonjour monde"), "PDF/EPUB rebuilt");
    let good = site.outputs();

    // Broken front matter: the error, located, and the outputs as they were.
    site.write("content/page.md", "---\ntitle: [unclosed\n---\n\nBroken.\n");
    watch.wait_for("the error", |e| e.contains("not rebuilt"));
    let err = watch.stderr();
    assert!(
        err.contains("content/page.md:3:1: invalid front matter"),
        "located error in:\n{err}"
    );
    assert_eq!(site.outputs(), good, "a failed rebuild keeps the outputs");

    // Fixed again: rebuilt; a second edit of the other page too.
    site.write("content/page.md", PAGE.replace("Hello world", "Hallo Welt"));
    watch.wait_for("the fix", |e| count(e, "rebuilt") >= 2);
    assert!(text_of(&site).contains("Hallo Welt"));
    site.write(
        "content/other.md",
        "---\ntitle: Other\n---\n\nTouched now.\n",
    );
    watch.wait_for("the second page", |e| e.contains("other.md changed"));
    assert!(text_of(&site).contains("Touched now."));

    // An editor's swap file and a file folio does not read: no rebuild.
    let before = count(&watch.stderr(), "rebuilt");
    site.write("content/.page.md.swp", "swap");
    site.write("notes.txt", "not read");
    // A page edit after them is the next (and only) rebuild line.
    site.write(
        "content/other.md",
        "---\ntitle: Other\n---\n\nLast words.\n",
    );
    watch.wait_for("the last edit", |_| text_of(&site).contains("Last words"));
    watch.wait_for("its line", |e| count(e, "rebuilt") > before);
    let after = watch.stderr();
    assert!(
        !after.contains(".swp changed") && !after.contains("notes.txt"),
        "{after}"
    );

    assert_eq!(watch.interrupt(), 0, "Ctrl-C ends watch with exit 0");
    assert_eq!(temporaries(&site.path("dist")), Vec::<PathBuf>::new());
}

/// The outputs of a one-shot `folio build` of `site` into `fresh/` (its
/// cache of processed images is not an output).
fn fresh_build(site: &Site) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let _ = std::fs::remove_dir_all(site.path("fresh"));
    site.run(&["build", "--out", "fresh"]).assert_code(0);
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![site.path("fresh")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                if !path.ends_with(".folio-cache") {
                    stack.push(path);
                }
            } else {
                let rel = path.strip_prefix(site.path("fresh")).unwrap().to_path_buf();
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// An SVG of one colour.
fn svg(color: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"><rect width=\"40\" height=\"20\" fill=\"{color}\"/></svg>"
    )
}

#[test]
fn watch_rebuilds_write_what_a_fresh_build_writes_images_and_cover_included() {
    // Drawn SVGs and the EPUB cover are kept between rebuilds: a page edit
    // must give the bytes of a fresh build, and so must an edited image.
    let site = Site::new();
    site.write("content/pic.svg", svg("#d22"));
    site.write(
        "content/page.md",
        PAGE.replace("Hello world", "![A red box](/pic.svg)\n\nHello world"),
    );
    site.config(&format!("{}    logo: /pic.svg\n", book_config("[page.md]")));
    let mut watch = Watching::start(site.root(), &[]);
    watch.wait_for("the first build", |e| e.contains("watching"));
    site.write(
        "content/page.md",
        PAGE.replace("Hello world", "![A red box](/pic.svg)\n\nBonjour monde"),
    );
    watch.wait_for("the page edit", |e| count(e, "rebuilt") >= 1);
    assert!(text_of(&site).contains("Bonjour monde"));
    assert_eq!(site.outputs(), fresh_build(&site), "after a page edit");
    let red = site.outputs();

    // The image itself changes: drawn again, not taken from the memo.
    site.write("content/pic.svg", svg("#22d"));
    watch.wait_for("the image edit", |e| count(e, "rebuilt") >= 2);
    let blue = site.outputs();
    assert_ne!(blue[Path::new("b.epub")], red[Path::new("b.epub")]);
    assert_eq!(blue, fresh_build(&site), "after an image edit");
    assert_eq!(watch.interrupt(), 0);
}

/// The entries of the image cache in `dist/`.
fn cached(site: &Site) -> usize {
    std::fs::read_dir(site.path("dist/.folio-cache/pdf-images")).map_or(0, |d| d.count())
}

#[test]
fn watch_fills_the_image_cache_and_no_cache_leaves_it_alone() {
    let site = Site::new();
    site.write("content/pic.svg", svg("#d22"));
    site.write(
        "content/page.md",
        PAGE.replace("Hello world", "![A red box](/pic.svg)\n\nHello world"),
    );
    let mut watch = Watching::start(site.root(), &[]);
    watch.wait_for("the first build", |e| e.contains("watching"));
    assert_eq!(cached(&site), 1, "the drawn SVG");
    // Its memo misses the edited image: drawn, and handed to the cache.
    site.write("content/pic.svg", svg("#22d"));
    watch.wait_for("the image edit", |e| count(e, "rebuilt") >= 1);
    assert_eq!(cached(&site), 2, "both drawings");
    assert_eq!(site.outputs(), fresh_build(&site), "after an image edit");
    assert_eq!(watch.interrupt(), 0);

    std::fs::remove_dir_all(site.path("dist")).unwrap();
    let mut watch = Watching::start(site.root(), &["--no-cache"]);
    watch.wait_for("the first build", |e| e.contains("watching"));
    assert!(site.path("dist/b.pdf").exists());
    assert!(!site.path("dist/.folio-cache").exists(), "--no-cache");
    assert_eq!(watch.interrupt(), 0);
}

/// Where a file is and when it was last written: a rewrite changes one.
fn stamp(path: &Path) -> (u64, std::time::SystemTime) {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).unwrap();
    (meta.ino(), meta.modified().unwrap())
}

#[test]
fn watch_rebuilds_equal_fresh_builds_and_leave_unchanged_outputs_alone() {
    // Each rebuild trusts what it wrote last (unchanged outputs are not
    // read back): edits, and an output damaged behind its back, must
    // still give the bytes of a fresh build.
    let site = Site::new();
    site.write("content/other.md", "---\ntitle: Other\n---\n\nUntouched.\n");
    site.config(&book_config("[page.md, other.md]"));
    let mut watch = Watching::start(site.root(), &[]);
    watch.wait_for("the first build", |e| e.contains("watching"));
    let other = site.path("dist/text/b/other.txt");
    let untouched = stamp(&other);
    assert!(
        std::fs::read_to_string(&other)
            .unwrap()
            .contains("Untouched.")
    );

    for (round, words) in ["Bonjour monde", "Hallo Welt"].into_iter().enumerate() {
        // A file's time has a granularity: make a rewrite visible.
        std::thread::sleep(Duration::from_millis(30));
        site.write("content/page.md", PAGE.replace("Hello world", words));
        watch.wait_for("the rebuild", |e| count(e, "rebuilt") > round);
        assert!(text_of(&site).contains(words));
        assert_eq!(site.outputs(), fresh_build(&site), "after edit {round}");
        assert_eq!(stamp(&other), untouched, "other.txt not rewritten");
    }

    // Someone else writes an output (same length, other bytes): the next
    // rebuild notices and writes it again.
    let damaged = std::fs::read_to_string(&other)
        .unwrap()
        .replace("Untouched.", "Damaged!!!");
    std::fs::write(&other, &damaged).unwrap();
    site.write("content/page.md", PAGE.replace("Hello world", "Hej verden"));
    watch.wait_for("the third rebuild", |e| count(e, "rebuilt") > 2);
    assert!(
        std::fs::read_to_string(&other)
            .unwrap()
            .contains("Untouched.")
    );
    assert_eq!(site.outputs(), fresh_build(&site), "after the damage");
    assert_eq!(watch.interrupt(), 0);
}

#[test]
fn watch_prints_only_the_warnings_a_rebuild_adds() {
    let site = Site::new();
    site.write(
        "content/other.md",
        "---\ntitle: Other\n---\n\nA {{< zebrafish >}} here.\n",
    );
    site.config(&book_config("[page.md, other.md]"));
    let mut watch = Watching::start(site.root(), &["--format", "text"]);
    watch.wait_for("the first build", |e| e.contains("watching"));
    let first = watch.stderr().matches("zebrafish").count();
    assert!(first >= 1, "the first build warns:\n{}", watch.stderr());

    // An edit elsewhere: the old warning is counted, not printed again.
    site.write("content/page.md", PAGE.replace("Hello world", "Bonjour"));
    watch.wait_for("the rebuild", |e| count(e, "rebuilt") >= 1);
    let err = watch.stderr();
    assert_eq!(err.matches("zebrafish").count(), first, "{err}");
    let line = err.lines().find(|l| l.starts_with("rebuilt")).unwrap();
    assert!(line.contains(", 1 warning (0 new) in "), "{line}");

    // A new warning is printed, the old one still not.
    site.write(
        "content/page.md",
        PAGE.replace("Hello world", "An {{< okapi >}} too."),
    );
    watch.wait_for("the second rebuild", |e| count(e, "rebuilt") >= 2);
    let err = watch.stderr();
    assert!(err.contains("okapi"), "{err}");
    assert_eq!(err.matches("zebrafish").count(), first, "{err}");
    let line = err
        .lines()
        .filter(|l| l.starts_with("rebuilt"))
        .nth(1)
        .unwrap();
    assert!(line.contains(", 2 warnings (1 new) in "), "{line}");
    assert_eq!(watch.interrupt(), 0);
}

#[test]
fn watch_rebuilds_a_whole_site_book_when_a_page_is_added_or_removed() {
    let site = Site::empty();
    site.write("content/a.md", "---\ntitle: Alpha\n---\n\nFirst page.\n");
    let mut watch = Watching::start(site.root(), &["--content", "content", "--format", "text"]);
    watch.wait_for("the first build", |e| e.contains("watching"));
    site.write("content/sub/b.md", "---\ntitle: Beta\n---\n\nA new page.\n");
    watch.wait_for("the added page", |_| text_of(&site).contains("A new page."));
    watch.wait_for("its line", |e| {
        e.contains("rebuilt text/site/ (content/sub")
    });
    std::fs::remove_file(site.path("content/sub/b.md")).unwrap();
    watch.wait_for("the removed page", |_| {
        !text_of(&site).contains("A new page.")
    });
    assert!(text_of(&site).contains("First page."));
    assert_eq!(watch.interrupt(), 0);
}

/// One book `b` in text and EPUB, set in the repository's fonts and
/// templates, with `extra` (whole lines of `folio.yaml`) before it.
fn text_and_epub_book(site: &Site, extra: &str) {
    let templates = crate::common::root().join("templates");
    site.config(&text_and_epub_config(
        &templates.display().to_string(),
        extra,
        "Book",
    ));
}

/// `folio.yaml` of one book `b` titled `title`, in text and EPUB, set in
/// the repository's fonts and the `templates` folder, with `extra` (whole
/// lines) before it.
fn text_and_epub_config(templates: &str, extra: &str, title: &str) -> String {
    format!(
        "fonts: {}\ntemplates: {templates}\n{extra}books:\n  b:\n    title: {title}\n    formats: [text, epub]\n",
        crate::common::root().join("fonts").display(),
    )
}

/// An empty site with its own copy of the repository's EPUB page template
/// (`templates/epub/page.xhtml`), for watches that edit it, and the
/// template's text.
fn site_with_own_page_template() -> (Site, String) {
    let site = Site::empty();
    let template =
        std::fs::read_to_string(crate::common::root().join("templates/epub/page.xhtml")).unwrap();
    site.write("templates/epub/page.xhtml", &template);
    (site, template)
}

#[test]
fn watch_rebuilds_equal_fresh_builds_when_what_other_pages_link_to_changes() {
    // What a rebuild keeps (parsed pages, deflated EPUB chapters, written
    // files) must not outlive a change another page depends on: a title
    // it links to, an anchor it links to, a page added and removed.
    let site = Site::empty();
    text_and_epub_book(&site, "");
    site.write(
        "content/a.md",
        "---\ntitle: Alpha\n---\n\nSee [](b.md) and [its part](b.md#part).\n",
    );
    let beta = "---\ntitle: Beta\nweight: 2\n---\n\n## Part\n\nText of beta.\n";
    site.write("content/b.md", beta);
    site.write(
        "content/c.md",
        "---\ntitle: Gamma\nweight: 3\n---\n\nLast.\n",
    );
    let mut watch = Watching::first_build_as_fresh(&site);
    let edits: [(&str, Option<String>); 6] = [
        (
            "a title linked to",
            Some(beta.replace("Beta", "Bêta renamed")),
        ),
        (
            "an anchor linked to removed",
            Some(beta.replace("## Part", "Part")),
        ),
        ("the anchor back", Some(beta.to_string())),
        ("a page added", None),
        ("the page removed", None),
        (
            "a page edited after",
            Some(beta.replace("Text of", "Words of")),
        ),
    ];
    let mut before = site.outputs();
    for (round, (what, page)) in edits.into_iter().enumerate() {
        // A file's time has a granularity: make a rewrite visible.
        std::thread::sleep(Duration::from_millis(30));
        match (round, page) {
            (_, Some(page)) => {
                site.write("content/b.md", page);
            }
            (3, None) => {
                site.write(
                    "content/d.md",
                    "---\ntitle: Delta\nweight: 1\n---\n\nBack to [alpha](a.md).\n",
                );
            }
            _ => std::fs::remove_file(site.path("content/d.md")).unwrap(),
        }
        watch.wait_for(what, |e| count(e, "rebuilt") > round);
        let now = site.outputs();
        assert_ne!(
            now[Path::new("b.epub")],
            before[Path::new("b.epub")],
            "{what}"
        );
        assert_eq!(now, fresh_build(&site), "after {what}");
        before = now;
    }
    assert!(text_of(&site).contains("Words of beta"));
    assert!(!text_of(&site).contains("Delta"));
    assert_eq!(watch.interrupt(), 0);
}

/// A project of three pages with an image, loaded with `cache`.
/// The books of `project`, loaded with `cache` (which holds while the
/// project, and so its parse options, is the same).
fn load(project: &Project, cache: Option<Arc<ParseCache>>) -> Vec<folio::Loaded> {
    load_warned(project, cache).0
}

fn load_warned(
    project: &Project,
    cache: Option<Arc<ParseCache>>,
) -> (Vec<folio::Loaded>, folio::Diagnostics) {
    let options = LoadOptions {
        date: 1_700_000_000,
        cache,
        ..LoadOptions::default()
    };
    folio::build::load_selected(project, &[], &options).unwrap()
}

fn render(project: &Project, books: &[folio::Loaded]) -> Vec<(PathBuf, Vec<u8>)> {
    let mut diags = folio::Diagnostics::default();
    render_all(
        project,
        books,
        &BuildOptions::default(),
        &Silent,
        &mut diags,
    )
    .unwrap()
    .into_iter()
    .flat_map(|r| r.files)
    .collect()
}

fn json(books: &[folio::Loaded]) -> Vec<String> {
    books
        .iter()
        .map(|b| serde_json::to_string(&b.book).unwrap())
        .collect()
}

#[test]
fn a_cached_reload_gives_the_book_and_bytes_of_a_fresh_load() {
    let site = Site::new();
    site.write(
        "content/two.md",
        "---\ntitle: Two\n---\n\nSee [one](page.md). {{< unknown >}}\n",
    );
    site.write(
        "content/three.md",
        "---\ntitle: Three\nweight: 1\n---\n\n# Head\n\nText.\n",
    );
    site.config(&book_config("[page.md, two.md, three.md]"));
    let project = Project::from_config(&site.path("folio.yaml")).unwrap();
    let cache = Arc::new(ParseCache::default());
    let first = load(&project, Some(Arc::clone(&cache)));
    assert_eq!(json(&first), json(&load(&project, None)));
    assert_eq!(cache.counts(), (3, 0), "every page parsed once");

    let edits: [(&str, &str); 3] = [
        (
            "content/two.md",
            "---\ntitle: Two, edited\n---\n\nNew words. {{< unknown >}}\n",
        ),
        (
            "content/three.md",
            "---\ntitle: Three\nweight: 1\n---\n\n## Other\n",
        ),
        // Same length, other bytes: the digest, not the size, decides.
        ("content/page.md", &PAGE.replace("Hello", "Howdy")),
    ];
    for (round, (rel, text)) in edits.into_iter().enumerate() {
        site.write(rel, text);
        let cached = load(&project, Some(Arc::clone(&cache)));
        let fresh = load(&project, None);
        assert_eq!(json(&cached), json(&fresh), "after editing {rel}");
        let (parsed, reused) = cache.counts();
        assert_eq!(parsed, 3 + round + 1, "only {rel} parsed again");
        assert_eq!(reused, 2 * (round + 1));
        assert_eq!(render(&project, &cached), render(&project, &fresh));
    }
    // A warning of a cached page is still reported.
    let (_, warned) = load_warned(&project, Some(Arc::clone(&cache)));
    assert!(
        warned.items.iter().any(|d| d.message.contains("unknown")),
        "{warned:?}"
    );
    // A page removed is dropped from the cache.
    assert_eq!(cache.len(), 3);
    std::fs::remove_file(site.path("content/three.md")).unwrap();
    cache.retain_existing();
    assert_eq!(cache.len(), 2);
}

/// The text of page `id` of the first book.
fn page_words(books: &[folio::Loaded], id: &str) -> Option<String> {
    let page = books.first()?.book.pages.iter().find(|p| p.id == id)?;
    Some(serde_json::to_string(&page.blocks).unwrap())
}

#[test]
fn a_watched_cache_reads_again_only_the_files_events_name() {
    // Under a watcher, a page no event named is taken as last read (its
    // file is not read again), a page an event named is read, and the
    // list of pages is discovered again only when an event may have
    // added or removed one. `Unknown` (a rescan) reads everything.
    let site = Site::empty();
    site.config("books:\n  b:\n    title: B\n    formats: [text]\n");
    site.write("content/a.md", "---\ntitle: A\n---\n\nAlpha one.\n");
    site.write(
        "content/b.md",
        "---\ntitle: B\n---\n\nBeta one. {{< odd >}}\n",
    );
    let project = Project::from_config(&site.path("folio.yaml")).unwrap();
    let cache = Arc::new(ParseCache::default());
    load(&project, Some(Arc::clone(&cache)));
    cache.expect(Changes::Unknown);
    // Read under the watch: every file once more.
    let first = load(&project, Some(Arc::clone(&cache)));
    assert!(page_words(&first, "a").unwrap().contains("Alpha one."));
    let (path_a, path_b) = {
        let pages = &first[0].book.pages;
        let real = |p: &Path| p.canonicalize().unwrap();
        (real(&pages[0].source), real(&pages[1].source))
    };

    // Both files change, the watcher names only b.md: a.md is as it was.
    site.write("content/a.md", "---\ntitle: A\n---\n\nAlpha two.\n");
    site.write(
        "content/b.md",
        "---\ntitle: B\n---\n\nBeta two. {{< odd >}}\n",
    );
    cache.expect(Changes::Files {
        paths: vec![path_b.clone()],
        tree: false,
    });
    let (books, warned) = load_warned(&project, Some(Arc::clone(&cache)));
    assert!(page_words(&books, "a").unwrap().contains("Alpha one."));
    assert!(page_words(&books, "b").unwrap().contains("Beta two."));
    assert!(warned.items.iter().any(|d| d.message.contains("odd")));

    // A folder named stands for the files under it.
    cache.expect(Changes::Files {
        paths: vec![path_a.parent().unwrap().to_path_buf()],
        tree: false,
    });
    let books = load(&project, Some(Arc::clone(&cache)));
    assert!(page_words(&books, "a").unwrap().contains("Alpha two."));
    assert_eq!(json(&books), json(&load(&project, None)));

    // A page added: not seen while no event changed the tree...
    site.write("content/c.md", "---\ntitle: C\n---\n\nGamma.\n");
    cache.expect(Changes::Files {
        paths: Vec::new(),
        tree: false,
    });
    let books = load(&project, Some(Arc::clone(&cache)));
    assert_eq!(page_words(&books, "c"), None);
    // ...found once one did.
    cache.expect(Changes::Files {
        paths: Vec::new(),
        tree: true,
    });
    let books = load(&project, Some(Arc::clone(&cache)));
    assert!(page_words(&books, "c").unwrap().contains("Gamma."));

    // Unknown changes: everything read again.
    site.write("content/a.md", "---\ntitle: A\n---\n\nAlpha three.\n");
    std::fs::remove_file(site.path("content/c.md")).unwrap();
    cache.expect(Changes::Unknown);
    let books = load(&project, Some(Arc::clone(&cache)));
    assert!(page_words(&books, "a").unwrap().contains("Alpha three."));
    assert_eq!(page_words(&books, "c"), None);
    assert_eq!(json(&books), json(&load(&project, None)));
}

#[test]
fn watch_rebuilds_equal_fresh_builds_when_images_are_renamed_or_share_a_name() {
    // Image names in the EPUB follow the order pages first use them
    // (`pic.png`, `pic-2.png`): a rebuild that reuses what it kept must
    // name them as a fresh build does when that order changes, and an
    // image renamed (file and link) must be found under its new name.
    let site = Site::empty();
    text_and_epub_book(&site, "");
    site.write("content/one/pic.svg", svg("#d22"));
    site.write("content/two/pic.svg", svg("#2d2"));
    let page = |title: &str, weight: u32, src: &str| {
        format!(
            "---\ntitle: {title}\nweight: {weight}\n---\n\n![A box]({src})\n\nText of {title}.\n"
        )
    };
    site.write("content/one/_index.md", page("One", 1, "pic.svg"));
    site.write("content/two/_index.md", page("Two", 2, "pic.svg"));
    let mut watch = Watching::first_build_as_fresh(&site);
    let first = site.outputs()[Path::new("b.epub")].clone();
    assert!(count_bytes(&first, b"images/pic-2.png") > 0, "two names");
    let edits = [
        (
            "the pages' order swapped",
            "content/one/_index.md",
            page("One", 3, "pic.svg"),
        ),
        (
            "the order back",
            "content/one/_index.md",
            page("One", 1, "pic.svg"),
        ),
        (
            "a page edited",
            "content/two/_index.md",
            page("Two, edited", 2, "pic.svg"),
        ),
    ];
    let mut rounds = 0;
    for (what, rel, text) in edits {
        std::thread::sleep(Duration::from_millis(30));
        site.write(rel, text);
        rounds += 1;
        watch.wait_for(what, |e| count(e, "rebuilt") >= rounds);
        assert_eq!(site.outputs(), fresh_build(&site), "after {what}");
    }
    // The image renamed, then the page pointed at its new name.
    std::fs::rename(
        site.path("content/two/pic.svg"),
        site.path("content/two/box.svg"),
    )
    .unwrap();
    rounds += 1;
    watch.wait_for("the image renamed", |e| count(e, "rebuilt") >= rounds);
    std::thread::sleep(Duration::from_millis(30));
    site.write("content/two/_index.md", page("Two", 2, "box.svg"));
    rounds += 1;
    watch.wait_for("the link renamed", |e| count(e, "rebuilt") >= rounds);
    let epub = site.outputs()[Path::new("b.epub")].clone();
    assert!(
        count_bytes(&epub, b"images/box.png") > 0,
        "the new name is used"
    );
    assert_eq!(site.outputs(), fresh_build(&site), "after the renames");
    assert_eq!(watch.interrupt(), 0);
}

#[test]
fn watch_rebuilds_equal_fresh_builds_when_the_package_changes() {
    // watch keeps the archive epub-builder made (package, cover page,
    // empty entries) while what it is made from is the same: a text edit
    // reuses it; an image without alt text (a manifest item and other
    // accessibility metadata), its alt text, and the book's title must
    // each make it anew.
    let site = Site::empty();
    let templates = crate::common::root().join("templates");
    let config = |title: &str| text_and_epub_config(&templates.display().to_string(), "", title);
    site.config(&config("Book"));
    site.write("content/pic.svg", svg("#22d"));
    let page = |body: &str| format!("---\ntitle: Alpha\n---\n\n{body}\n");
    site.write("content/a.md", page("Plain words."));
    site.write(
        "content/b.md",
        "---\ntitle: Beta\nweight: 2\n---\n\nMore.\n",
    );
    let mut watch = Watching::first_build_as_fresh(&site);
    let edits: [(&str, &str, String); 4] = [
        ("a text edit", "content/a.md", page("Other words.")),
        (
            "an image without alt text",
            "content/a.md",
            page("Other words.\n\n![](pic.svg)"),
        ),
        (
            "its alt text",
            "content/a.md",
            page("Other words.\n\n![A blue box](pic.svg)"),
        ),
        ("the book retitled", "folio.yaml", config("Renamed book")),
    ];
    let mut before = site.outputs();
    for (round, (what, rel, text)) in edits.into_iter().enumerate() {
        std::thread::sleep(Duration::from_millis(30));
        site.write(rel, text);
        watch.wait_for(what, |e| count(e, "rebuilt") > round);
        let now = site.outputs();
        assert_ne!(
            now[Path::new("b.epub")],
            before[Path::new("b.epub")],
            "{what}"
        );
        assert_eq!(now, fresh_build(&site), "after {what}");
        before = now;
    }
    assert_eq!(watch.interrupt(), 0);
}

/// Occurrences of `needle` in `haystack` (an EPUB's file names are stored
/// as they are).
fn count_bytes(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

/// One change a test makes to a site.
type Step<'a> = Box<dyn Fn() + 'a>;

#[test]
fn watch_reads_a_page_again_that_left_the_book_and_came_back() {
    // A page made a draft leaves the book; the config re-read meanwhile,
    // then another page edited; the draft undone (with new words): the
    // rebuild must read the file, not take the draft it read last.
    let site = Site::empty();
    let config = "books:\n  b:\n    title: B\n    formats: [text]\n";
    site.config(config);
    site.write("content/a.md", "---\ntitle: A\nweight: 1\n---\n\nAlpha.\n");
    let delta = |draft: bool, words: &str| {
        format!("---\ntitle: D\nweight: 2\ndraft: {draft}\n---\n\n{words}\n")
    };
    site.write("content/d.md", delta(false, "Delta one."));
    let mut watch = Watching::start(site.root(), &[]);
    watch.wait_for("the first build", |e| e.contains("watching"));
    assert!(text_of(&site).contains("Delta one."));
    let steps: [(&str, Step); 4] = [
        (
            "the draft",
            Box::new(|| {
                site.write("content/d.md", delta(true, "Delta one."));
            }),
        ),
        (
            "the config",
            Box::new(|| site.config(&format!("{config}# touched\n"))),
        ),
        (
            "another page edited",
            Box::new(|| {
                site.write(
                    "content/a.md",
                    "---\ntitle: A\nweight: 1\n---\n\nAlpha two.\n",
                );
            }),
        ),
        (
            "the draft undone",
            Box::new(|| {
                site.write("content/d.md", delta(false, "Delta two."));
            }),
        ),
    ];
    for (round, (what, step)) in steps.iter().enumerate() {
        std::thread::sleep(Duration::from_millis(30));
        step();
        watch.wait_for(what, |e| count(e, "rebuilt") > round);
        assert_eq!(site.outputs(), fresh_build(&site), "after {what}");
    }
    assert!(text_of(&site).contains("Delta two."));
    assert_eq!(watch.interrupt(), 0);
}

/// Each warning of `diags` on a line: file, line, message, in order.
fn warning_lines(diags: &folio::Diagnostics) -> Vec<String> {
    diags
        .items
        .iter()
        .map(|d| format!("{:?}:{} {}", d.path, d.line, d.message))
        .collect()
}

#[test]
fn the_pass_memo_gives_a_fresh_loads_book_and_warnings_in_order() {
    // Under a watcher, pages whose links look up the same are taken from
    // the pass memo: the book and the warnings (every page's link
    // warnings, then every page's URL warnings) must be a fresh load's.
    let site = Site::empty();
    site.config("static: static\nbooks:\n  b:\n    title: B\n    formats: [text]\n");
    site.write("static/.keep", "");
    let page = |title: &str, weight: u32, more: &str| {
        format!(
            "---\ntitle: {title}\nweight: {weight}\n---\n\n## Top\n\n[gone](no-{title}.md) \
             [bad](http//{title}.example) [next](b.md#top) ![pic](/{title}.svg)\n\n{more}\n"
        )
    };
    site.write("content/a.md", page("a", 1, ""));
    site.write("content/b.md", page("b", 2, ""));
    site.write("content/c.md", page("c", 3, ""));
    let project = Project::from_config(&site.path("folio.yaml")).unwrap();
    let cache = Arc::new(ParseCache::default());
    load(&project, Some(Arc::clone(&cache)));
    cache.expect(Changes::Unknown);
    load(&project, Some(Arc::clone(&cache)));
    let real = |rel: &str| site.path(rel).canonicalize().unwrap();
    let same_as_fresh = |what: &str| {
        let (cached, warned) = load_warned(&project, Some(Arc::clone(&cache)));
        let (fresh, fresh_warned) = load_warned(&project, None);
        assert_eq!(json(&cached), json(&fresh), "{what}");
        let lines = warning_lines(&warned);
        assert_eq!(lines, warning_lines(&fresh_warned), "{what}");
        lines
    };
    let passed = |before: (usize, usize)| {
        let now = cache.pass_counts();
        (now.0 - before.0, now.1 - before.1)
    };

    // A new paragraph on c: c alone passed again.
    let before = cache.pass_counts();
    site.write("content/c.md", page("c", 3, "More words."));
    cache.expect(Changes::Files {
        paths: vec![real("content/c.md")],
        tree: false,
    });
    let lines = same_as_fresh("a paragraph added");
    assert_eq!(passed(before), (1, 2), "only c passed again");
    let at = |needle: &str| lines.iter().position(|l| l.contains(needle)).unwrap();
    assert!(at("no-c.md") < at("a.example"), "{lines:#?}");
    assert!(at("b.example") < at("c.example"), "{lines:#?}");

    // The anchor the others link to goes: every page linking to it again.
    let before = cache.pass_counts();
    site.write("content/b.md", page("b", 2, "").replace("## Top", "Top"));
    cache.expect(Changes::Files {
        paths: vec![real("content/b.md")],
        tree: false,
    });
    let lines = same_as_fresh("an anchor removed");
    assert_eq!(passed(before), (3, 0));
    assert_eq!(lines.iter().filter(|l| l.contains("#top")).count(), 3);

    // A static file: the memo is forgotten, and the image found.
    let before = cache.pass_counts();
    site.write("static/a.svg", svg("#d22"));
    cache.expect(Changes::Files {
        paths: vec![real("static/a.svg")],
        tree: true,
    });
    let lines = same_as_fresh("an image added");
    assert_eq!(passed(before), (3, 0));
    assert!(!lines.iter().any(|l| l.contains("/a.svg")), "{lines:#?}");
    assert!(lines.iter().any(|l| l.contains("/b.svg")), "{lines:#?}");
}

#[test]
fn watch_rebuilds_equal_fresh_builds_when_titles_sections_and_images_change() {
    // What the pass memo keeps must give way to a title another page
    // shows, a section page that nests other pages, and an image a
    // page's warning named that appears in the static folder.
    let site = Site::empty();
    text_and_epub_book(&site, "static: static\n");
    site.write("static/.keep", "");
    let two = "---\ntitle: Two\nweight: 2\ndescription: The second.\n---\n\nSee [](one.md).\n";
    site.write("content/docs/two.md", two);
    site.write(
        "content/docs/one.md",
        "---\ntitle: One\nweight: 1\n---\n\n![A logo](/logo.svg)\n\nOn to [](two.md).\n",
    );
    site.write(
        "content/three.md",
        "---\ntitle: Three\nweight: 3\n---\n\nBack to [](docs/two.md).\n",
    );
    let section = |title: &str| format!("---\ntitle: {title}\n---\n\nThe guides.\n");
    let mut watch = Watching::first_build_as_fresh(&site);
    assert!(watch.stderr().contains("logo.svg"), "{}", watch.stderr());
    let edits: [(&str, &str, String); 4] = [
        (
            "a title linked to",
            "content/docs/two.md",
            two.replace("Two", "Second"),
        ),
        (
            "a section page added",
            "content/docs/_index.md",
            section("Docs"),
        ),
        (
            "the section page renamed",
            "content/docs/_index.md",
            section("Guides"),
        ),
        ("an image added", "static/logo.svg", svg("#d22")),
    ];
    for (round, (what, rel, text)) in edits.into_iter().enumerate() {
        std::thread::sleep(Duration::from_millis(30));
        site.write(rel, text);
        watch.wait_for(what, |e| count(e, "rebuilt") > round);
        assert_eq!(site.outputs(), fresh_build(&site), "after {what}");
    }
    let text = text_of(&site);
    assert!(text.contains("Second") && text.contains("Guides"), "{text}");
    let epub = &site.outputs()[Path::new("b.epub")];
    assert!(count_bytes(epub, b"images/logo") > 0, "the image is in");
    assert_eq!(watch.interrupt(), 0);
}

#[test]
fn watch_checks_each_chapter_again_when_a_template_breaks_the_xml() {
    // A rebuild skips the well-formedness check of a chapter whose bytes
    // are those of a kept (checked) entry: an edit of the page template
    // gives every chapter new bytes, which must be checked again, and a
    // broken template must fail as it does in `build`.
    let (site, template) = site_with_own_page_template();
    site.config(&text_and_epub_config("templates", "", "Book"));
    site.write("content/a.md", "---\ntitle: Alpha\n---\n\nFirst.\n");
    site.write(
        "content/b.md",
        "---\ntitle: Beta\nweight: 2\n---\n\nSecond.\n",
    );
    let mut watch = Watching::start(site.root(), &[]);
    watch.wait_for("the first build", |e| e.contains("watching"));
    let good = site.outputs();
    assert_eq!(good, fresh_build(&site), "the first build");

    site.write(
        "templates/epub/page.xhtml",
        template.replace("</section>", "</sectio>"),
    );
    watch.wait_for("the broken template", |e| e.contains("not rebuilt"));
    let err = watch.stderr();
    assert!(err.contains("not well-formed"), "{err}");
    assert_eq!(site.outputs(), good, "nothing written");
    site.run(&["build", "--out", "fresh"]).assert_code(1);

    site.write("templates/epub/page.xhtml", &template);
    watch.wait_for("the mended template", |e| {
        e.lines().any(|l| l.starts_with("rebuilt "))
    });
    assert_eq!(site.outputs(), fresh_build(&site), "after the mend");
    assert_eq!(watch.interrupt(), 0);
}

/// The entry `name` of `epub`'s bytes, as text.
fn epub_entry(epub: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The nav document of `epub`'s bytes.
fn nav_of(epub: &[u8]) -> String {
    epub_entry(epub, "OEBPS/nav.xhtml")
}

/// `n` paragraphs of `what`, long enough that a few fill a PDF page.
fn paragraphs(what: &str, n: usize) -> String {
    (0..n)
        .map(|i| format!("Paragraph {i} of {what}, with words enough to fill a line or two of the page and more.\n\n"))
        .collect()
}

#[test]
fn watch_rebuilds_equal_fresh_builds_when_a_page_list_shifts() {
    // The page list comes from the PDF's pagination, kept per chapter by
    // its content digest (itself kept while the page compares equal): an
    // edit that lengthens one chapter must move every later chapter's page
    // numbers, and shortening it again must move them back.
    let site = Site::empty();
    text_and_epub_book(&site, "defaults:\n  page_list: true\n");
    let alpha = |n| {
        format!(
            "---\ntitle: Alpha\nweight: 1\n---\n\n{}",
            paragraphs("alpha", n)
        )
    };
    site.write("content/a.md", alpha(3));
    site.write(
        "content/b.md",
        format!(
            "---\ntitle: Beta\nweight: 2\n---\n\n## Part\n\n{}",
            paragraphs("beta", 30)
        ),
    );
    site.write(
        "content/c.md",
        format!(
            "---\ntitle: Gamma\nweight: 3\n---\n\n{}",
            paragraphs("gamma", 30)
        ),
    );
    let mut watch = Watching::start(site.root(), &[]);
    watch.wait_for("the first build", |e| e.contains("watching"));
    let first = site.outputs();
    assert_eq!(first, fresh_build(&site), "the first build");
    let short_list = nav_of(&first[Path::new("b.epub")]);
    assert!(short_list.contains("page-list"), "{short_list}");

    let mut before = short_list.clone();
    for (round, n) in [(1, 80), (2, 3), (3, 40)] {
        std::thread::sleep(Duration::from_millis(30));
        site.write("content/a.md", alpha(n));
        watch.wait_for("the edit", |e| {
            e.lines().filter(|l| l.starts_with("rebuilt ")).count() >= round
        });
        let now = site.outputs();
        assert_eq!(now, fresh_build(&site), "after the edit to {n} paragraphs");
        let list = nav_of(&now[Path::new("b.epub")]);
        assert_ne!(list, before, "the page numbers moved ({n} paragraphs)");
        // Gamma comes last: its first page marker (`c.xhtml#page-N`) is
        // the page it begins on.
        let first_marker = |nav: &str| {
            let after = nav.split("c.xhtml#").nth(1).unwrap_or_default();
            after.split('"').next().unwrap_or_default().to_string()
        };
        assert!(first_marker(&list).starts_with("page-"), "{list}");
        assert_ne!(
            first_marker(&list),
            first_marker(&before),
            "Gamma moves ({n} paragraphs)"
        );
        if n == 3 {
            assert_eq!(list, short_list, "and back");
        }
        before = list;
    }
    assert_eq!(watch.interrupt(), 0);
}

#[test]
fn watch_rebuilds_equal_fresh_builds_when_what_every_chapter_reads_changes() {
    // Unchanged chapters are taken whole from the last build (their
    // XHTML): a change of what every chapter reads besides its page (the
    // base URL its links out are made absolute against, the language its
    // `lang` and labels come from, the page template) must make them anew,
    // and a page edit that renames another page's heading must reach the
    // chapters linking to it.
    let (site, template) = site_with_own_page_template();
    let config = |extra: &str| {
        site.config(&text_and_epub_config(
            "templates",
            &format!("defaults:\n{extra}"),
            "Book",
        ))
    };
    config("  base_url: https://one.example/\n");
    site.write(
        "content/a.md",
        "---\ntitle: Alpha\nweight: 1\n---\n\nSee [the FAQ](/about/faq/) and [](b.md#part).\n",
    );
    let beta = "---\ntitle: Beta\nweight: 2\n---\n\n## Part\n\nText of beta.\n";
    site.write("content/b.md", beta);
    let mut watch = Watching::first_build_as_fresh(&site);
    let chapter = |name: &str| {
        epub_entry(
            &site.outputs()[Path::new("b.epub")],
            &format!("OEBPS/{name}.xhtml"),
        )
    };
    let alpha = chapter("a");
    assert!(alpha.contains("https://one.example/about/faq/"), "{alpha}");
    assert!(alpha.contains("b.xhtml#part\""), "{alpha}");
    let edits: [(&str, &str); 4] = [
        ("the base URL", "  base_url: https://two.example/\n"),
        (
            "the language",
            "  base_url: https://two.example/\n  language: de\n",
        ),
        ("the heading linked to", ""),
        ("the page template", ""),
    ];
    for (round, (what, extra)) in edits.into_iter().enumerate() {
        std::thread::sleep(Duration::from_millis(30));
        match round {
            0 | 1 => config(extra),
            2 => {
                site.write("content/b.md", beta.replace("## Part", "## Chapter part"));
            }
            _ => {
                site.write(
                    "templates/epub/page.xhtml",
                    template.replace(
                        "<section class=\"chapter\"",
                        "<section class=\"chapter edited\"",
                    ),
                );
            }
        }
        watch.wait_for(what, |e| count(e, "rebuilt") > round);
        assert_eq!(site.outputs(), fresh_build(&site), "after {what}");
    }
    let alpha = chapter("a");
    assert!(alpha.contains("https://two.example/about/faq/"), "{alpha}");
    assert!(alpha.contains("lang=\"de\""), "{alpha}");
    assert!(alpha.contains("chapter edited"), "{alpha}");
    assert!(!alpha.contains("b.xhtml#part\""), "{alpha}");
    assert_eq!(watch.interrupt(), 0);
}

#[test]
fn watch_rebuilds_equal_fresh_builds_when_a_linked_chapter_changes_file() {
    // A chapter kept whole holds the hrefs its links got: a page added
    // before the one it links to takes that page's file name (`café` and
    // `caf-` share the stem `caf-`), so the link must move to `caf--2`
    // although the linking page itself did not change.
    let site = Site::empty();
    text_and_epub_book(&site, "");
    site.write(
        "content/a.md",
        "---\ntitle: Alpha\nweight: 2\n---\n\nSee [](caf-.md).\n",
    );
    site.write(
        "content/caf-.md",
        "---\ntitle: Cafe\nweight: 3\n---\n\nCoffee.\n",
    );
    let mut watch = Watching::first_build_as_fresh(&site);
    site.write(
        "content/café.md",
        "---\ntitle: Café\nweight: 1\n---\n\nThe other one.\n",
    );
    watch.wait_for("the page added", |e| count(e, "rebuilt") > 0);
    let now = site.outputs();
    assert_eq!(now, fresh_build(&site), "after the page added");
    let alpha = epub_entry(&now[Path::new("b.epub")], "OEBPS/a.xhtml");
    assert!(alpha.contains("href=\"caf--2.xhtml\""), "{alpha}");
    assert_eq!(watch.interrupt(), 0);
}
