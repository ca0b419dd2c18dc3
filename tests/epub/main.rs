//! The EPUB backend, checked by reading its output back: the archive's
//! layout, the package manifest, every XHTML document as XML, the text of
//! every chapter, the navigation, every internal link target, and epubcheck
//! (skipped with one visible line when it is not installed, failing instead
//! under CI).

#[path = "../common/mod.rs"]
mod common;
#[path = "../hostile/harness.rs"]
mod harness;

mod a11y;
mod fixture;
mod pages;
mod read;

use fixture::{fixture, heading, page};
use folio::backend::Resources;
use folio::backend::epub::{EpubOptions, render};
use folio::{Book, Diagnostics, LoadOptions, Project, load_book};
use read::{Epub, check_structure, parse_xml};
use std::path::{Path, PathBuf};

fn project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn options() -> EpubOptions {
    let mut options = EpubOptions::new(Resources {
        fonts_dir: project().join("fonts"),
        templates_dir: project().join("templates"),
        static_dir: project().join("content"),
        limits: Default::default(),
    });
    options.cover_logo = Some(project().join("content/images/logos/xmpp-logo-text.svg"));
    options
}

/// Runs epubcheck (see `common::epubcheck` for where it is found); `None`
/// after one skip line when it is not installed (a failure under CI).
fn epubcheck(path: &Path) -> Option<(bool, String)> {
    let tools = common::validators(
        &["epubcheck"],
        "EPUB read back but not run through epubcheck",
    )?;
    let (ok, report) = tools.run("epubcheck", &[path]);
    let clean = ok
        && report.contains("No errors or warnings detected")
        && !report.contains("WARNING")
        && !report.contains("ERROR");
    Some((clean, report))
}

fn build(book: &Book) -> (Vec<u8>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let bytes = render(book, &options(), &mut diags).expect("EPUB renders");
    // For a look with other tools: FOLIO_KEEP_EPUB=/tmp/x.epub cargo test
    if let Some(path) = std::env::var_os("FOLIO_KEEP_EPUB") {
        std::fs::write(path, &bytes).unwrap();
    }
    (bytes, diags)
}

// ---------------------------------------------------------------- tests

#[test]
fn fixture_reads_back() {
    let book = fixture();
    let (bytes, diags) = build(&book);
    let epub = check_structure(&bytes, &book);

    let opf = epub.text("OEBPS/content.opf");
    for expected in [
        "<dc:title id=\"title\">About XMPP</dc:title>",
        "property=\"title-type\">subtitle</meta>",
        "<dc:publisher>XMPP Standards Foundation</dc:publisher>",
        "<dc:language id=\"epub-language-0\">en</dc:language>",
        "<dc:rights>CC BY-SA 4.0</dc:rights>",
        "<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>",
        "schema:accessMode",
        "schema:accessModeSufficient",
        "schema:accessibilityFeature",
        "schema:accessibilityHazard",
        "schema:accessibilitySummary",
        "properties=\"cover-image\"",
        "Features, mission &amp; press kit.",
    ] {
        assert!(opf.contains(expected), "OPF lacks {expected}:\n{opf}");
    }
    let features = epub.text("OEBPS/about-features.xhtml");
    for expected in [
        "<h1 id=\"title\">Features &amp; Benefits</h1>",
        "<h2 id=\"open\">Open</h2>",
        "<h3 id=\"id-2024-plans\">2024 plans</h3>",
        "href=\"about-xsf-mission.xhtml#goals\"",
        "href=\"about-press-kit.xhtml\"",
        "href=\"about-xsf-mission.xhtml\">missing anchor",
        "href=\"https://xmpp.org/uses/gaming/\"",
        "epub:type=\"noteref\"",
        "epub:type=\"footnote\"",
        "role=\"doc-backlink\"",
        "<thead>",
        "<th scope=\"col\" class=\"align-left\">Name</th>",
        "&lt;body&gt;hi &amp; bye&lt;/body&gt;",
    ] {
        assert!(
            features.contains(expected),
            "chapter lacks {expected}:\n{features}"
        );
    }
    assert!(!features.contains("relative.html"), "relative link kept");
    assert!(
        features.contains(" relative link "),
        "relative link's text lost"
    );
    // Headings written with `#` move down under the page title.
    let mission = epub.text("OEBPS/about-xsf-mission.xhtml");
    assert!(mission.contains("<h2 id=\"goals\">Goals</h2>"), "{mission}");
    assert!(
        mission.contains("<h2 id=\"goals-2\">Goals again</h2>"),
        "{mission}"
    );
    let press = epub.text("OEBPS/about-press-kit.xhtml");
    assert!(
        press.contains("<figcaption>XMPP Logo (PNG file, 300 DPI)</figcaption>"),
        "{press}"
    );
    assert_eq!(press.matches("<img ").count(), 3, "{press}");
    assert!(press.contains("nothing here"), "{press}");
    // One rasterised logo for three uses, and the cover.
    let pngs: Vec<_> = epub.names.iter().filter(|n| n.ends_with(".png")).collect();
    assert_eq!(pngs.len(), 2, "{pngs:?}");
    // The figure with neither alt nor caption is reported.
    assert!(
        diags
            .items
            .iter()
            .any(|d| d.message.contains("neither alt text nor a caption")),
        "{:?}",
        diags.items
    );

    // Nav nests headings under chapters; NCX has the uid and real depth.
    let nav = epub.text("OEBPS/nav.xhtml");
    assert!(nav.contains("epub:type=\"landmarks\""));
    for kind in ["cover", "toc", "bodymatter"] {
        assert!(
            nav.contains(&format!("epub:type=\"{kind}\"")),
            "landmark {kind} missing:\n{nav}"
        );
    }
    assert!(nav.contains("about-features.xhtml#open"), "{nav}");
    let ncx = epub.text("OEBPS/toc.ncx");
    assert!(
        ncx.contains("name=\"dtb:uid\" content=\"urn:uuid:"),
        "{ncx}"
    );
    assert!(ncx.contains("name=\"dtb:depth\" content=\"3\""), "{ncx}");
    assert!(ncx.contains("about-features.xhtml#id-2024-plans"), "{ncx}");
}

#[test]
fn same_input_same_bytes() {
    let book = fixture();
    let (a, _) = build(&book);
    let (b, _) = build(&book);
    assert!(a == b, "two builds differ");
}

#[test]
fn identifier_is_stable_across_dates() {
    let mut book = fixture();
    let (a, _) = build(&book);
    book.meta.date = 0;
    let (b, _) = build(&book);
    let id = |bytes: &[u8]| {
        let opf = Epub::read(bytes).text("OEBPS/content.opf");
        let start = opf.find("urn:uuid:").unwrap();
        opf[start..start + 45].to_string()
    };
    assert_eq!(id(&a), id(&b));
}

#[test]
fn fixture_passes_epubcheck() {
    let book = fixture();
    let (bytes, _) = build(&book);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixture.epub");
    std::fs::write(&path, &bytes).unwrap();
    if let Some((clean, report)) = epubcheck(&path) {
        assert!(clean, "epubcheck findings:\n{report}");
    }
}

#[test]
fn builtin_templates_when_the_project_has_none() {
    let book = fixture();
    let dir = tempfile::tempdir().unwrap();
    let mut options = options();
    options.resources.templates_dir = dir.path().to_path_buf();
    let mut diags = Diagnostics::default();
    let bytes = render(&book, &options, &mut diags).expect("renders with built-in templates");
    check_structure(&bytes, &book);
}

#[test]
fn broken_template_names_file_and_line() {
    let book = fixture();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("epub")).unwrap();
    let page = dir.path().join("epub/page.xhtml");
    std::fs::write(&page, "<html>\n<body>\n{{ body }\n</body></html>\n").unwrap();
    let mut options = options();
    options.resources.templates_dir = dir.path().to_path_buf();
    let err = render(&book, &options, &mut Diagnostics::default()).unwrap_err();
    let d = err
        .downcast_ref::<folio::Diagnostic>()
        .expect("a diagnostic");
    assert_eq!(d.path.as_deref(), Some(page.as_path()));
    assert_eq!(d.line, 3, "{d}");
}

#[test]
fn an_empty_fonts_folder_uses_the_built_in_fonts() {
    let book = fixture();
    let dir = tempfile::tempdir().unwrap();
    let mut options = options();
    options.resources.fonts_dir = dir.path().to_path_buf();
    let mut diags = Diagnostics::default();
    let bytes = render(&book, &options, &mut diags).expect("renders with built-in fonts");
    assert!(
        !diags.items.iter().any(|d| d.message.contains("font")),
        "{:?}",
        diags.items
    );
    // The built-in fonts are the repository's: the cover is drawn alike.
    assert_eq!(bytes, build(&book).0);
}

// ---------------------------------------------------------------- real books

/// The default project's EPUB booklet, as `folio build` makes it.
fn default_booklet() -> Book {
    let project = Project::from_config(&project().join("folio.yaml")).expect("folio.yaml loads");
    let options = LoadOptions {
        date: 1_700_000_000,
        ..LoadOptions::default()
    };
    load_book(&project, "about-xmpp", &options)
        .expect("booklet loads")
        .book
}

/// Every page of the xmpp.org corpus beside the crate; `None` after a skip
/// line when `../shared` is missing (a failure under CI).
fn corpus_book() -> Option<Book> {
    let (content, static_dir) = common::corpus()?;
    let project = Project::site(content, Some(static_dir), None);
    let loaded = load_book(&project, "site", &LoadOptions::default()).expect("corpus loads");
    Some(loaded.book)
}

fn check_with_epubcheck(name: &str, book: &Book) {
    let (bytes, _) = build(book);
    check_structure(&bytes, book);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{name}.epub"));
    std::fs::write(&path, &bytes).unwrap();
    if let Some((clean, report)) = epubcheck(&path) {
        assert!(clean, "epubcheck findings for {name}:\n{report}");
    }
}

#[test]
fn default_booklet_reads_back_and_passes_epubcheck() {
    let book = default_booklet();
    assert_eq!(book.pages.len(), 4);
    check_with_epubcheck("about-xmpp", &book);
}

#[test]
fn corpus_reads_back_and_passes_epubcheck() {
    let Some(book) = corpus_book() else {
        return;
    };
    assert_eq!(book.pages.len(), 169);
    check_with_epubcheck("xmpp-org", &book);
}

#[test]
fn markup_in_titles_is_escaped_everywhere() {
    let mut book = fixture();
    book.meta.title = "Tom & Jerry <3 \"quoted\"".into();
    book.meta.subtitle = Some("A <b>bold</b> & risky subtitle".into());
    book.meta.publisher = Some("R&D <Ltd>".into());
    book.pages[0].title = "Q&A <draft>\u{1}".into();
    book.pages[0].description = Some("control \u{7} character".into());
    let (bytes, _) = build(&book);
    let epub = check_structure(&bytes, &book);
    for name in ["OEBPS/content.opf", "OEBPS/toc.ncx", "OEBPS/nav.xhtml"] {
        parse_xml(name, &epub.text(name));
    }
    assert!(
        epub.text("OEBPS/content.opf")
            .contains("Tom &amp; Jerry &lt;3")
    );
    assert!(
        epub.text("OEBPS/nav.xhtml")
            .contains("Q&amp;A &lt;draft&gt;")
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("escaped.epub");
    std::fs::write(&path, &bytes).unwrap();
    if let Some((clean, report)) = epubcheck(&path) {
        assert!(clean, "epubcheck findings:\n{report}");
    }
}

#[test]
fn headings_start_at_rank_two_and_skip_none() {
    let mut book = fixture();
    book.pages = vec![page(
        "deep",
        "Deep",
        vec![
            heading(3, "a", "Three"),
            heading(5, "b", "Five"),
            heading(3, "c", "Three again"),
        ],
        vec![],
    )];
    let (bytes, _) = build(&book);
    let epub = check_structure(&bytes, &book);
    let deep = epub.text("OEBPS/deep.xhtml");
    assert!(deep.contains("<h2 id=\"a\">Three</h2>"), "{deep}");
    // Two levels down in the source is one rank down: no rank is skipped.
    assert!(deep.contains("<h3 id=\"b\">Five</h3>"), "{deep}");
    assert!(deep.contains("<h2 id=\"c\">Three again</h2>"), "{deep}");
}

#[test]
fn a_book_without_pages_is_an_error() {
    let mut book = fixture();
    book.pages.clear();
    let err = render(&book, &options(), &mut Diagnostics::default()).unwrap_err();
    assert!(err.to_string().contains("no pages"), "{err}");
}

#[test]
fn cover_logo_is_drawn_from_svg_or_png() {
    let book = fixture();
    let cover = |logo: Option<PathBuf>| {
        let mut options = options();
        options.cover_logo = logo;
        let mut diags = Diagnostics::default();
        let bytes = render(&book, &options, &mut diags).unwrap();
        assert!(
            !diags.items.iter().any(|d| d.message.contains("cover logo")),
            "{:?}",
            diags.items
        );
        Epub::read(&bytes).files["OEBPS/images/cover.png"].clone()
    };
    let logos = project().join("content/images/logos");
    let none = cover(None);
    let svg = cover(Some(logos.join("xmpp-logo-text.svg")));
    let png = cover(Some(logos.join("xmpp-logo-text-300dpi.png")));
    assert_ne!(none, svg, "the SVG logo left the cover unchanged");
    assert_ne!(none, png, "the PNG logo left the cover unchanged");
}

#[test]
fn a_missing_cover_logo_is_a_warning() {
    let book = fixture();
    let mut options = options();
    options.cover_logo = Some(project().join("no/such/logo.svg"));
    let mut diags = Diagnostics::default();
    render(&book, &options, &mut diags).expect("renders without the logo");
    assert!(
        diags.items.iter().any(|d| d.message.contains("cover logo")),
        "{:?}",
        diags.items
    );
}

/// Where epubcheck is found, on `fixture_passes_epubcheck` run again in a
/// child: a wrong `EPUBCHECK_JAR` is named in its skip line; the jar by
/// `EPUBCHECK_JAR` with only java on `PATH` runs with no skip.
#[test]
fn epubcheck_is_found_by_epubcheck_jar() {
    let rerun = |jar: &Path, path: &std::ffi::OsStr| {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "fixture_passes_epubcheck"])
            .env("EPUBCHECK_JAR", jar)
            .env("PATH", path)
            .env_remove("CI")
            .env_remove("FOLIO_REQUIRE_VALIDATORS")
            .output()
            .unwrap();
        let all = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{all}");
        assert!(all.contains("1 passed"), "{all}");
        all
    };
    let out = rerun(Path::new("/nonexistent/epubcheck.jar"), "".as_ref());
    assert!(
        out.contains(
            "skipped: epubcheck (EPUBCHECK_JAR=/nonexistent/epubcheck.jar is not a file) not installed"
        ) && out.contains("or set EPUBCHECK_JAR to epubcheck's jar"),
        "{out}"
    );
    // The real jar, when this machine has one, run through EPUBCHECK_JAR.
    let Some(tools) = common::validators(&["epubcheck"], "EPUBCHECK_JAR not tried") else {
        return;
    };
    let cmd = tools.get("epubcheck").command();
    let args: Vec<&std::ffi::OsStr> = cmd.get_args().collect();
    let (Some(java_dir), [_, jar]) = (Path::new(cmd.get_program()).parent(), &args[..]) else {
        // A launcher script, not a jar: nothing to point EPUBCHECK_JAR at.
        return;
    };
    let out = rerun(Path::new(jar), java_dir.as_os_str());
    assert!(!out.contains("skipped: "), "{out}");
}
