//! A self-contained binary: built-in fonts, style and templates, `folio init`.
//!
//! The release binary is copied alone into an empty folder and builds every
//! format there; projects override single templates and fonts and get the
//! rest built in; `folio init` writes a project that builds cleanly and
//! never overwrites a file without `--force`.

use super::common;
use super::harness::*;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A project using nothing but what folio ships: no `fonts:` or
/// `templates:`, and no such folders.
const CONFIG: &str = "\
static: static
defaults:
  language: en
  publisher: Lone Publishing
  base_url: https://books.test/
books:
  lone:
    title: Far From Home
    subtitle: Built by a binary alone
    formats: [text, pdf, epub]
    logo: /images/logo.svg
";

/// A page with an SVG figure whose text needs fonts, and code (mono).
const STANDALONE: &str = "\
---
title: Standalone
date: 2024-03-04
---

The quokka paragraph travels alone, with **bold** and *italic* words.

{{< figure src=\"/images/diagram.svg\" alt=\"A labelled box\" caption=\"The diagram\" >}}

```
let mono = true;
```
";

const DIAGRAM: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"120\" viewBox=\"0 0 300 120\">\
<rect x=\"5\" y=\"5\" width=\"290\" height=\"110\" fill=\"#e8eef4\" stroke=\"#1b3a57\"/>\
<text x=\"20\" y=\"75\" font-family=\"sans-serif\" font-size=\"40\" fill=\"#000\">Labelled</text></svg>";

const LOGO: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"200\" viewBox=\"0 0 200 200\">\
<circle cx=\"100\" cy=\"100\" r=\"90\" fill=\"#d9541e\"/>\
<text x=\"100\" y=\"115\" font-family=\"serif\" font-size=\"48\" text-anchor=\"middle\" fill=\"#fff\">LB</text></svg>";

/// Writes the small site into `site`.
fn small_site(site: &Site) {
    site.config(CONFIG);
    site.write("content/standalone.md", STANDALONE);
    site.write("static/images/diagram.svg", DIAGRAM);
    site.write("static/images/logo.svg", LOGO);
}

/// A copy of the release binary, alone in a folder of its own.
fn lone_binary() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("folio");
    std::fs::copy(env!("CARGO_BIN_EXE_folio"), &bin).unwrap();
    (dir, bin)
}

/// The fonts a PDF embeds, by PostScript name (subset tags dropped).
fn pdf_fonts(pdf: &[u8]) -> Vec<String> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let mut names: Vec<String> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| {
            d.get(b"Type")
                .and_then(|t| t.as_name())
                .is_ok_and(|n| n == b"Font")
        })
        .filter_map(|d| d.get(b"BaseFont").and_then(|n| n.as_name()).ok())
        .map(|n| {
            let name = String::from_utf8_lossy(n).into_owned();
            match name.split_once('+') {
                Some((_, rest)) => rest.to_string(),
                None => name,
            }
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Width and height of a PDF's first page, in points.
fn first_page_size(pdf: &[u8]) -> (f32, f32) {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let (_, &id) = doc
        .get_pages()
        .iter()
        .next()
        .map(|(n, id)| (*n, id))
        .unwrap();
    let mut dict = doc.get_dictionary(id).unwrap();
    loop {
        if let Ok(lopdf::Object::Array(b)) = dict.get(b"MediaBox") {
            let n: Vec<f32> = b.iter().map(|v| v.as_float().unwrap()).collect();
            return (n[2] - n[0], n[3] - n[1]);
        }
        let parent = dict.get(b"Parent").unwrap().as_reference().unwrap();
        dict = doc.get_dictionary(parent).unwrap();
    }
}

/// Every entry of an EPUB, by name.
fn epub_files(epub: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        files.insert(entry.name().to_string(), data);
    }
    files
}

/// The one output whose name ends with `suffix`.
fn output(outputs: &BTreeMap<PathBuf, Vec<u8>>, suffix: &str) -> Vec<u8> {
    let found: Vec<_> = outputs
        .iter()
        .filter(|(path, _)| path.to_string_lossy().ends_with(suffix))
        .collect();
    assert_eq!(found.len(), 1, "one `{suffix}` in {:?}", outputs.keys());
    found[0].1.clone()
}

/// Pixels of the cover's title colour (#1b3a57): the title and publisher
/// drawn in the built-in fonts. Without fonts there would be none.
fn title_pixels(png: &[u8]) -> usize {
    let img = image::load_from_memory(png).unwrap().to_rgb8();
    img.pixels()
        .filter(|p| {
            let [r, g, b] = p.0;
            r.abs_diff(0x1b) < 24 && g.abs_diff(0x3a) < 24 && b.abs_diff(0x57) < 24
        })
        .count()
}

/// Runs the validators there are on a PDF and an EPUB.
fn validate(site: &Site, pdf: &str, epub: &str) {
    let pdf = site.path(pdf);
    let epub = site.path(epub);
    if let Some(tools) = common::validators(&["qpdf", "pdffonts"], "PDF not validated") {
        let (ok, report) = tools.run("qpdf", &[Path::new("--check"), &pdf]);
        assert!(ok, "qpdf --check:\n{report}");
        let (ok, report) = tools.run("pdffonts", &[&pdf]);
        assert!(ok, "{report}");
        let faces: Vec<_> = report.lines().skip(2).collect();
        assert!(!faces.is_empty(), "{report}");
        for line in faces {
            // name type encoding emb sub uni: every font embedded as a subset.
            assert!(line.contains("Noto"), "{line}");
            assert!(line.contains(" yes yes yes "), "{line}");
        }
    }
    if let Some(tools) = common::validators(&["epubcheck"], "EPUB not run through epubcheck") {
        let (ok, report) = tools.run("epubcheck", &[&epub]);
        assert!(
            ok && report.contains("No errors or warnings detected"),
            "{report}"
        );
    }
}

/// With strace: the binary never opens a font file, nor anything in the
/// checkout it was built from. Skips loudly without strace.
fn assert_self_contained(bin: &Path, site: &Site, args: &[&str]) {
    let Some(tools) = common::validators(&["strace"], "the lone binary's file accesses not traced")
    else {
        return;
    };
    let log = tempfile::NamedTempFile::new().unwrap();
    let out = tools
        .get("strace")
        .command()
        .args(["-f", "-qq", "-e", "trace=open,openat,openat2,execve", "-o"])
        .arg(log.path())
        .arg(bin)
        .args(args)
        .current_dir(site.root())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let trace = std::fs::read_to_string(log.path()).unwrap();
    if trace.is_empty() {
        common::skip("strace could not trace here: the lone binary's file accesses not traced");
        return;
    }
    let checkout = common::root().display().to_string();
    let bad: Vec<_> = trace
        .lines()
        .filter(|l| !l.contains("ENOENT"))
        .filter(|l| {
            let lower = l.to_ascii_lowercase();
            l.contains(&checkout)
                || lower.contains(".ttf")
                || lower.contains(".otf")
                || lower.contains("fontconfig")
        })
        .collect();
    assert!(bad.is_empty(), "opened outside the project: {bad:#?}");
}

#[test]
fn a_binary_alone_builds_pdf_epub_and_text() {
    let (_bin_dir, bin) = lone_binary();
    let site = Site::empty();
    small_site(&site);
    assert!(!site.path("fonts").exists() && !site.path("templates").exists());
    let run = run_binary(&bin, site.root(), &["build", "--strict"]);
    run.assert_code(0);
    let outputs = site.outputs();

    let text = String::from_utf8(output(&outputs, "text/lone/lone.txt")).unwrap();
    assert!(
        text.contains("The quokka paragraph travels alone"),
        "{text}"
    );

    let pdf = output(&outputs, "lone.pdf");
    let fonts = pdf_fonts(&pdf);
    for face in [
        "NotoSerif-Regular",
        "NotoSerif-Bold",
        "NotoSerif-Italic",
        "NotoSans-Bold",
        "NotoSansMono-Regular",
    ] {
        assert!(fonts.iter().any(|f| f == face), "{face} not in {fonts:?}");
    }

    let epub = epub_files(&output(&outputs, "lone.epub"));
    let cover = &epub["OEBPS/images/cover.png"];
    assert!(
        title_pixels(cover) > 5_000,
        "the cover's title is not drawn: {} pixels",
        title_pixels(cover)
    );
    // The figure's SVG is rasterised, its text drawn with the built-in fonts.
    let figures: Vec<_> = epub
        .keys()
        .filter(|k| k.contains("diagram") && k.ends_with(".png"))
        .collect();
    assert_eq!(figures.len(), 1, "{:?}", epub.keys());
    let css = String::from_utf8(epub["OEBPS/stylesheet.css"].clone()).unwrap();
    let built_in =
        std::fs::read_to_string(common::root().join("templates/epub/style.css")).unwrap();
    assert_eq!(css, built_in);

    validate(&site, "dist/lone.pdf", "dist/lone.epub");
    assert_self_contained(&bin, &site, &["build"]);
}

#[test]
fn a_binary_alone_exports_a_content_folder_without_a_config() {
    let (_bin_dir, bin) = lone_binary();
    let site = Site::empty();
    site.write("content/standalone.md", STANDALONE);
    site.write("static/images/diagram.svg", DIAGRAM);
    let args = ["build", "--content", "content", "--static", "static"];
    let run = run_binary(&bin, site.root(), &args);
    run.assert_code(0);
    let outputs = site.outputs();
    let names: Vec<_> = outputs.keys().map(|p| p.display().to_string()).collect();
    for want in ["site.pdf", "site.epub", "text/site/site.txt"] {
        assert!(names.iter().any(|n| n == want), "{want} not in {names:?}");
    }
    assert!(pdf_fonts(&output(&outputs, "site.pdf")).contains(&"NotoSerif-Regular".to_string()));
    assert_self_contained(&bin, &site, &args);
}

#[test]
fn built_in_resources_give_the_same_bytes_as_the_repository_folders() {
    // The same site, once with the checkout's fonts/ and templates/ named
    // in folio.yaml, once with nothing: the built-ins are those files.
    let named = Site::empty();
    small_site(&named);
    let root = common::root();
    named.config(&format!(
        "fonts: {}\ntemplates: {}\n{CONFIG}",
        root.join("fonts").display(),
        root.join("templates").display()
    ));
    let plain = Site::empty();
    small_site(&plain);
    let a = named.build_ok();
    let b = plain.build_ok();
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(b[path] == *bytes, "{} differs", path.display());
    }
}

#[test]
fn one_template_and_one_font_overridden_the_rest_built_in() {
    let site = Site::empty();
    small_site(&site);
    let root = common::root();
    let css = std::fs::read_to_string(root.join("templates/epub/style.css")).unwrap();
    site.write(
        "templates/epub/style.css",
        format!("/* house-style-marker */\n{css}"),
    );
    // The body face replaced by another font under the same file name.
    let mono = std::fs::read(root.join("fonts/NotoSansMono-Regular.ttf")).unwrap();
    site.write("fonts/NotoSerif-Regular.ttf", &mono);
    let outputs = site.build_ok();

    let epub = epub_files(&output(&outputs, "lone.epub"));
    let css = String::from_utf8(epub["OEBPS/stylesheet.css"].clone()).unwrap();
    assert!(css.starts_with("/* house-style-marker */"), "{css}");
    // The chapter skeleton is still the built-in one.
    let page = String::from_utf8(epub["OEBPS/standalone.xhtml"].clone()).unwrap();
    let skeleton = std::fs::read_to_string(root.join("templates/epub/page.xhtml")).unwrap();
    let doctype = skeleton.lines().find(|l| l.contains("<html")).unwrap();
    let tag = doctype.split_whitespace().next().unwrap();
    assert!(page.contains(tag), "{page}");
    assert!(title_pixels(&epub["OEBPS/images/cover.png"]) > 5_000);

    let fonts = pdf_fonts(&output(&outputs, "lone.pdf"));
    assert!(
        !fonts.iter().any(|f| f == "NotoSerif-Regular"),
        "the overridden face is still used: {fonts:?}"
    );
    for face in ["NotoSansMono-Regular", "NotoSerif-Bold", "NotoSans-Bold"] {
        assert!(fonts.iter().any(|f| f == face), "{face} not in {fonts:?}");
    }
    validate(&site, "dist/lone.pdf", "dist/lone.epub");
}

#[test]
fn an_overriding_style_is_used_and_named_by_its_line() {
    let site = Site::empty();
    small_site(&site);
    let style = std::fs::read_to_string(common::root().join("templates/pdf-style.yaml")).unwrap();
    let a4 = first_page_size(&output(&site.build_ok(), "lone.pdf"));
    assert!((a4.0 - 595.3).abs() < 0.5, "{a4:?}");

    site.write(
        "templates/pdf-style.yaml",
        style.replacen("paper: a4", "paper: letter", 1),
    );
    let letter = first_page_size(&output(&site.build_ok(), "lone.pdf"));
    assert!(
        (letter.0 - 612.0).abs() < 0.5 && (letter.1 - 792.0).abs() < 0.5,
        "{letter:?}"
    );

    let broken = style.replacen("  margin_left:", "  margin_lfet:", 1);
    let line = broken
        .lines()
        .position(|l| l.contains("margin_lfet"))
        .unwrap() as u32
        + 1;
    let run = assert_fails_cleanly(
        &site,
        |s| {
            s.write("templates/pdf-style.yaml", &broken);
        },
        &["margin_lfet"],
    );
    run.assert_located("templates/pdf-style.yaml", Some(line));

    // Gone again: the built-in style, A4.
    std::fs::remove_file(site.path("templates/pdf-style.yaml")).unwrap();
    let again = first_page_size(&output(&site.build_ok(), "lone.pdf"));
    assert_eq!(again, a4);
}

#[test]
fn an_added_face_can_be_named_and_a_missing_one_is_an_error() {
    let site = Site::empty();
    small_site(&site);
    let root = common::root();
    let style = std::fs::read_to_string(root.join("templates/pdf-style.yaml")).unwrap();
    // A face of the project's own, under a name folio does not ship, for code.
    let face = std::fs::read(root.join("fonts/NotoSerif-BoldItalic.ttf")).unwrap();
    site.write("fonts/House-Code.ttf", &face);
    let with_house = style.replacen(
        "regular: NotoSansMono-Regular.ttf",
        "regular: House-Code.ttf",
        1,
    );
    assert_ne!(with_house, style);
    site.write("templates/pdf-style.yaml", &with_house);
    let fonts = pdf_fonts(&output(&site.build_ok(), "lone.pdf"));
    assert!(
        fonts.iter().any(|f| f == "NotoSerif-BoldItalic"),
        "{fonts:?}"
    );
    assert!(
        !fonts.iter().any(|f| f == "NotoSansMono-Regular"),
        "{fonts:?}"
    );

    for (name, needles) in [
        (
            "Nowhere.ttf",
            vec![
                "font file `Nowhere.ttf` does not exist in the fonts folder",
                "no built-in font of that name",
            ],
        ),
        (
            "../fonts/House-Code.ttf",
            vec!["is not a file inside the fonts folder"],
        ),
    ] {
        let broken = style.replacen("bold: NotoSansMono-Bold.ttf", &format!("bold: {name}"), 1);
        let line = broken.lines().position(|l| l.contains(name)).unwrap() as u32 + 1;
        let run = assert_fails_cleanly(
            &site,
            |s| {
                s.write("templates/pdf-style.yaml", &broken);
            },
            &needles,
        );
        run.assert_located("templates/pdf-style.yaml", Some(line));
        site.write("templates/pdf-style.yaml", &with_house);
    }

    // A file under a built-in name that is no font names that file.
    site.write("fonts/NotoSerif-Regular.ttf", "not a font");
    let run = site.run(&["build"]);
    run.assert_code(1)
        .assert_stderr(&["fonts/NotoSerif-Regular.ttf", "not a usable font file"]);
}

#[test]
fn links_out_of_the_fonts_and_templates_folders_are_not_followed() {
    let (_dir, secret_path, marker) = secret();
    let site = Site::empty();
    small_site(&site);
    std::fs::create_dir_all(site.path("fonts")).unwrap();
    std::os::unix::fs::symlink(&secret_path, site.path("fonts/Stolen.ttf")).unwrap();
    let run = site.run(&["build"]);
    run.assert_code(0)
        .assert_stderr(&["fonts/Stolen.ttf", "leads outside the fonts folder"]);
    assert!(!site.outputs_contain(marker.as_bytes()));
    assert_never_opened(&site, &["build"], &secret_path);

    std::fs::create_dir_all(site.path("templates/epub")).unwrap();
    let run = assert_fails_cleanly(
        &site,
        |s| {
            std::os::unix::fs::symlink(&secret_path, s.path("templates/epub/style.css")).unwrap();
        },
        &[
            "templates/epub/style.css",
            "leads outside the templates folder",
        ],
    );
    assert!(!run.stderr.contains(&marker));
    assert!(!site.outputs_contain(marker.as_bytes()));
    assert_never_opened(&site, &["build"], &secret_path);
}

// ---------------------------------------------------------------- folio init

/// Paths of every file under `root`, relative to it, with their bytes.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_path_buf();
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn init_on_an_empty_folder_builds_cleanly() {
    let site = Site::empty();
    let run = site.run(&["init"]);
    run.assert_code(0).assert_stderr(&[
        "wrote folio.yaml",
        "wrote content/welcome.md",
        "folio build",
    ]);
    let files: Vec<_> = tree(site.root()).into_keys().collect();
    assert_eq!(
        files,
        [
            PathBuf::from("content/welcome.md"),
            PathBuf::from("folio.yaml")
        ]
    );
    let config = std::fs::read_to_string(site.path("folio.yaml")).unwrap();
    for needle in [
        "content: content",
        "defaults:",
        "formats: [pdf, epub, text]",
    ] {
        assert!(config.contains(needle), "{needle}:\n{config}");
    }
    assert!(!config.contains("site:"), "not a Hugo site:\n{config}");
    site.run(&["check", "--strict"]).assert_code(0);
    site.run(&["build", "--strict"]).assert_code(0);
    let outputs = site.outputs();
    let text = String::from_utf8(output(&outputs, "/welcome.txt")).unwrap();
    assert!(text.starts_with("Welcome\n======="), "{text}");
    assert!(pdf_fonts(&output(&outputs, ".pdf")).contains(&"NotoSerif-Regular".to_string()));
    assert!(epub_files(&output(&outputs, ".epub")).contains_key("OEBPS/welcome.xhtml"));
}

#[test]
fn init_makes_the_folder_it_is_given_and_titles_the_book_after_it() {
    let site = Site::empty();
    let run = site.run(&["init", "shelf/Field Notes"]);
    run.assert_code(0).assert_stderr(&[
        "wrote shelf/Field Notes/folio.yaml",
        "cd 'shelf/Field Notes' && folio build",
    ]);
    let dir = site.path("shelf/Field Notes");
    let config = std::fs::read_to_string(dir.join("folio.yaml")).unwrap();
    assert!(config.contains("  field-notes:"), "{config}");
    assert!(config.contains("    title: \"Field Notes\""), "{config}");
    run_in(&dir, &["build", "--strict"]).assert_code(0);
    assert!(dir.join("dist/field-notes.pdf").is_file());
    assert!(dir.join("dist/field-notes.epub").is_file());
    assert!(dir.join("dist/text/field-notes/field-notes.txt").is_file());

    // A file is no folder to set up.
    site.write("notes.md", "x");
    site.run(&["init", "notes.md"])
        .assert_code(1)
        .assert_stderr(&["notes.md", "is a file, not a folder"]);
}

#[test]
fn init_never_overwrites_without_force() {
    // An existing folio.yaml: refused, and nothing else written either.
    let site = Site::empty();
    site.write("folio.yaml", "# mine\n");
    let before = tree(site.root());
    site.run(&["init"]).assert_code(1).assert_stderr(&[
        "error: folio.yaml",
        "already exists",
        "nothing was written",
        "--force",
    ]);
    assert_eq!(tree(site.root()), before);

    // One template among those --templates writes: named, nothing written.
    let site = Site::empty();
    site.write("templates/epub/style.css", "/* mine */");
    site.write("templates/pdf-style.yaml", "# mine\n");
    let before = tree(site.root());
    let run = site.run(&["init", "--templates"]);
    run.assert_code(1).assert_stderr(&[
        "templates/epub/style.css",
        "templates/pdf-style.yaml",
        "already exists",
    ]);
    assert_eq!(tree(site.root()), before);

    // --force replaces them with the starter and the built-in copies; the
    // pages already there are never touched, and no sample is added.
    site.write("content/about/page.md", PAGE);
    let run = site.run(&["init", "--templates", "--force"]);
    run.assert_code(0);
    let after = tree(site.root());
    let root = common::root();
    for rel in ["templates/epub/style.css", "templates/pdf-style.yaml"] {
        assert_eq!(
            after[Path::new(rel)],
            std::fs::read(root.join(rel)).unwrap()
        );
    }
    assert_eq!(after[Path::new("content/about/page.md")], PAGE.as_bytes());
    assert!(!after.contains_key(Path::new("content/welcome.md")));
    site.run(&["build", "--strict"]).assert_code(0);
}

#[test]
fn init_templates_copies_build_the_same_bytes_as_the_built_ins() {
    let with = Site::empty();
    let without = Site::empty();
    with.run(&["init", "book", "--templates"]).assert_code(0);
    without.run(&["init", "book"]).assert_code(0);
    let root = common::root();
    let copies = tree(&with.path("book/templates"));
    let shipped = tree(&root.join("templates"));
    assert_eq!(copies, shipped, "the copies are the built-in templates");

    let a = with.path("book");
    let b = without.path("book");
    run_in(&a, &["build"]).assert_code(0);
    run_in(&b, &["build"]).assert_code(0);
    assert_eq!(tree(&a.join("dist")), tree(&b.join("dist")));

    // The copies are live: an edit shows in the next build.
    let css = a.join("templates/epub/style.css");
    let edited = format!(
        "{}\n/* edited-copy */\n",
        std::fs::read_to_string(&css).unwrap()
    );
    std::fs::write(&css, edited).unwrap();
    run_in(&a, &["build"]).assert_code(0);
    let epub = epub_files(&std::fs::read(a.join("dist/book.epub")).unwrap());
    let css = String::from_utf8(epub["OEBPS/stylesheet.css"].clone()).unwrap();
    assert!(css.contains("edited-copy"));
}

#[test]
fn init_in_a_hugo_site_mentions_site_and_its_static_folder() {
    for marker in [
        "hugo.toml",
        "hugo.yaml",
        "hugo.json",
        "config.toml",
        "config/_default/hugo.json",
    ] {
        let site = Site::empty();
        site.write(marker, "{}");
        site.write(
            "content/about.md",
            "---\ntitle: About\n---\n\n![A box](/images/box.svg)\n",
        );
        site.write("static/images/box.svg", DIAGRAM);
        site.run(&["init"]).assert_code(0);
        let config = std::fs::read_to_string(site.path("folio.yaml")).unwrap();
        let named = marker.strip_suffix("hugo.json").unwrap_or(marker);
        assert!(config.contains("# site: ."), "{marker}:\n{config}");
        assert!(config.contains(named), "{marker}:\n{config}");
        assert!(config.contains("\nstatic: static"), "{marker}:\n{config}");
        // The site's own pages: no sample added.
        assert!(!site.path("content/welcome.md").exists(), "{marker}");
        site.run(&["build", "--strict"]).assert_code(0);
        assert!(site.outputs_contain(b"About"), "{marker}");
    }
}
