//! Broken configuration: every error names `folio.yaml:LINE:COL` (or the
//! style or template file), exits 1 and writes nothing.

use super::common;
use super::harness::{PAGE, Site, assert_fails_cleanly, assert_never_opened, book_config, secret};
use std::os::unix::fs::symlink;
use std::time::{Duration, Instant};

/// The repository's fonts and templates folders, as config lines 1 and 2.
fn folders() -> String {
    let root = common::root();
    format!(
        "fonts: {}\ntemplates: {}\n",
        root.join("fonts").display(),
        root.join("templates").display()
    )
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> u32 {
    let index = text
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` not in:\n{text}"));
    u32::try_from(index + 1).unwrap()
}

/// Breaks a good site with config `yaml`; the error names folio.yaml at
/// the line holding `at` and prints `needles`.
fn config_refused(yaml: &str, at: &str, needles: &[&str]) {
    let site = Site::new();
    let run = assert_fails_cleanly(&site, |s| s.config(yaml), needles);
    run.assert_located("folio.yaml", Some(line_of(yaml, at)));
}

#[test]
fn a_book_given_twice_names_both_lines() {
    let yaml = format!(
        "{}books:\n  b:\n    title: First\n    pages: [page.md]\n  other:\n    title: O\n  b:\n    title: Second\n    pages: [page.md]\n",
        folders()
    );
    let site = Site::new();
    let run = assert_fails_cleanly(
        &site,
        |s| s.config(&yaml),
        &[
            "folio.yaml:9:3:",
            "duplicate key `b` in `books`",
            "first given on line 4",
        ],
    );
    run.assert_located("folio.yaml", Some(9));
}

#[test]
fn duplicate_keys_at_every_level_name_both_lines() {
    let base = book_config("[page.md]");
    for (yaml, second, first) in [
        (format!("{base}fonts: elsewhere\n"), 8, "line 1"),
        (
            base.replace("    title: Book\n", "    title: Book\n    title: Again\n"),
            6,
            "line 5",
        ),
        (
            format!("{base}defaults:\n  language: en\n  publisher: P\n  language: de\n"),
            11,
            "line 9",
        ),
        (
            format!("{base}shortcodes:\n  a: drop\n  a: inner\n"),
            10,
            "line 9",
        ),
        (
            format!("{base}limits: {{nesting: 3, nesting: 4}}\n"),
            8,
            "line 8",
        ),
    ] {
        let site = Site::new();
        let run = assert_fails_cleanly(&site, |s| s.config(&yaml), &[first, "duplicate key"]);
        run.assert_located("folio.yaml", Some(second));
    }
}

#[test]
fn bad_book_names_and_empty_titles_name_their_line() {
    let base = book_config("[page.md]");
    for (name, needle) in [
        ("\"bad name\"", "invalid book name `bad name`"),
        ("\"../up\"", "invalid book name `../up`"),
        ("\"\"", "invalid book name ``"),
    ] {
        let yaml = base.replace("  b:\n", &format!("  {name}:\n"));
        let site = Site::new();
        let run = assert_fails_cleanly(&site, |s| s.config(&yaml), &[needle]);
        run.assert_located("folio.yaml", Some(4));
    }
    for title in ["\"\"", "\"   \"", "''"] {
        let yaml = base.replace("title: Book", &format!("title: {title}"));
        config_refused(&yaml, "title:", &["book `b` has an empty title"]);
    }
}

#[test]
fn a_logo_outside_the_static_root_or_missing_is_an_error() {
    let (dir, secret_path, marker) = secret();
    let base = book_config("[page.md]");
    for (logo, needle) in [
        (
            "/../../secret.txt",
            "is not a file inside the static folder",
        ),
        ("/images/nowhere.svg", "is not found in the static root"),
        ("/link.svg", "symlink that leads outside the static root"),
        (
            "/outside/secret.txt",
            "symlink that leads outside the static root",
        ),
        ("https://example.org/logo.svg", "folio reads no network"),
        // A folder is nothing to draw.
        ("/images", "is not found in the static root"),
    ] {
        let site = Site::new();
        symlink(&secret_path, site.path("content/link.svg")).unwrap();
        symlink(dir.path(), site.path("content/outside")).unwrap();
        std::fs::create_dir_all(site.path("content/images")).unwrap();
        let yaml = format!("{base}    logo: \"{logo}\"\n");
        let run = assert_fails_cleanly(&site, |s| s.config(&yaml), &[needle]);
        run.assert_located("folio.yaml", Some(8));
        assert!(!site.outputs_contain(marker.as_bytes()));
        assert_never_opened(&site, &["build"], &secret_path);
    }
    // The defaults' logo is named at its own line.
    let yaml = format!("{base}defaults:\n  logo: /missing.png\n");
    config_refused(&yaml, "logo:", &["cover logo `/missing.png` is not found"]);
}

#[test]
fn folders_named_in_the_config_must_be_folders() {
    let site = Site::new();
    site.write("a-file", "x");
    std::fs::create_dir_all(site.path("no-fonts")).unwrap();
    site.write("no-fonts/README", "none here");
    let root = common::root();
    let templates = format!("templates: {}\n", root.join("templates").display());
    let fonts = format!("fonts: {}\n", root.join("fonts").display());
    let books = "books:\n  b:\n    title: Book\n    pages: [page.md]\n";
    for (key, yaml, needle) in [
        (
            "fonts",
            format!("fonts: missing\n{templates}{books}"),
            "the fonts folder `missing` does not exist",
        ),
        (
            "fonts",
            format!("fonts: a-file\n{templates}{books}"),
            "`fonts: a-file` is a file, not a folder",
        ),
        (
            "fonts",
            format!("fonts: no-fonts\n{templates}{books}"),
            "holds no font files",
        ),
        (
            "templates",
            format!("{fonts}templates: missing\n{books}"),
            "the templates folder `missing` does not exist",
        ),
        (
            "content",
            format!("{fonts}{templates}content: a-file\n{books}"),
            "`content: a-file` is a file",
        ),
        (
            "static",
            format!("{fonts}{templates}static: gone\n{books}"),
            "the static folder `gone` does not exist",
        ),
        (
            "output",
            format!("{fonts}{templates}output: a-file\n{books}"),
            "`output: a-file` is a file",
        ),
    ] {
        site.config(&book_config("[page.md]"));
        let run = assert_fails_cleanly(&site, |s| s.config(&yaml), &[needle]);
        run.assert_located("folio.yaml", Some(line_of(&yaml, &format!("{key}:"))));
    }
}

#[test]
fn command_line_paths_say_what_is_wrong() {
    let site = Site::new();
    site.write("notes.md", PAGE);
    for (args, needles) in [
        (
            vec!["build", "--content", "notes.md"],
            vec!["error: notes.md: --content is a file, not a folder"],
        ),
        (
            vec!["build", "--content", "nowhere"],
            vec!["error: nowhere: --content folder does not exist"],
        ),
        (
            vec!["build", "--content", "content", "--static", "notes.md"],
            vec!["--static is a file, not a folder"],
        ),
        (
            vec!["build", "--config", "content"],
            vec!["error: content: --config is a folder, not a file"],
        ),
        (
            vec!["build", "--config", "none.yaml"],
            vec!["error: none.yaml: config file not found"],
        ),
    ] {
        let run = site.run(&args);
        run.assert_code(1).assert_stderr(&needles);
    }
}

/// The repository's style file with `from` replaced by `to`, in a site
/// whose templates folder is its own.
fn style_site(from: &str, to: &str) -> (Site, String) {
    let root = common::root();
    let style = std::fs::read_to_string(root.join("templates/pdf-style.yaml")).unwrap();
    assert!(style.contains(from), "{from}");
    let broken = style.replacen(from, to, 1);
    let site = Site::new();
    site.write("templates/pdf-style.yaml", &style);
    site.config(
        &book_config("[page.md]")
            .replace(&root.join("templates").display().to_string(), "templates"),
    );
    (site, broken)
}

#[test]
fn impossible_style_values_name_their_line() {
    for (from, to, needle) in [
        (
            "  leading: 15.5\n  paragraph_space",
            "  leading: -2\n  paragraph_space",
            "`leading` is -2",
        ),
        (
            "  size: 11\n  leading: 15.5",
            "  size: 0\n  leading: 15.5",
            "`size` is 0",
        ),
        (
            "  size: 8.5\n  leading: 11.5\n  padding: 6",
            "  size: .nan\n  leading: 11.5\n  padding: 6",
            "`size` is NaN",
        ),
        (
            "margin_left: 100",
            "margin_left: 500",
            "leave less than 72 pt of text width",
        ),
        (
            "margin_bottom: 76",
            "margin_bottom: 700",
            "leave less than 144 pt of text height",
        ),
        (
            "margin_right: 100",
            "margin_right: -5",
            "`margin_right` is -5",
        ),
        (
            "text: \"#1f2328\"",
            "text: \"#12345\"",
            "colour `#12345` is not #rrggbb",
        ),
        ("accent: \"#d9541e\"", "accent: red", "colour `red`"),
        ("link: \"#1d5f9b\"", "link: \"#ééé\"", "colour `#ééé`"),
        (
            "leader_spacing: 4.5",
            "leader_spacing: 0",
            "`leader_spacing` is 0",
        ),
        ("svg_dpi: 300", "svg_dpi: 1e9", "`svg_dpi` is 1000000000"),
        ("raster_dpi: 150", "raster_dpi: 0", "`raster_dpi` is 0"),
        ("leader_gap: 6", "leader_gap: -1", "`leader_gap` is -1"),
        (
            "backdrop: { background: \"#e9ecef\"",
            "backdrop: { background: \"grey\"",
            "colour `grey` is not #rrggbb",
        ),
        ("  depth: 1\n", "  depth: 200\n", "`depth` is 200"),
        (
            "bullets: [\"•\", \"–\", \"◦\"]",
            "bullets: []",
            "at least one bullet",
        ),
        (
            "max_height_ratio: 0.6",
            "max_height_ratio: 7",
            "`max_height_ratio` is 7",
        ),
        (
            "{ family: sans, bold: true, size: 13,",
            "{ family: sans, bold: true, size: -13,",
            "`size` is -13",
        ),
    ] {
        let (site, broken) = style_site(from, to);
        let run = assert_fails_cleanly(
            &site,
            |s| {
                s.write("templates/pdf-style.yaml", &broken);
            },
            &["invalid PDF style", needle],
        );
        let key = to.trim_start().split(':').next().unwrap();
        let line = if key.starts_with('{') {
            line_of(&broken, "size: -13")
        } else {
            line_of(&broken, to.lines().next().unwrap().trim())
        };
        run.assert_located("templates/pdf-style.yaml", Some(line));
    }
}

#[test]
fn style_duplicates_and_font_files_outside_are_named() {
    let (dir, secret_path, marker) = secret();
    let (site, broken) = style_site("  margin_top: 78\n", "  margin_top: 78\n  margin_top: 10\n");
    let run = assert_fails_cleanly(
        &site,
        |s| {
            s.write("templates/pdf-style.yaml", &broken);
        },
        &[
            "duplicate key `margin_top` in `page`",
            "first given on line 6",
        ],
    );
    run.assert_located("templates/pdf-style.yaml", Some(7));

    for (to, needle) in [
        (
            "regular: ../../secret.ttf",
            "is not a file inside the fonts folder",
        ),
        (
            "regular: Nope-Regular.ttf",
            "does not exist in the fonts folder",
        ),
        (
            &*format!("regular: {}", secret_path.display()),
            "is not a file inside the fonts folder",
        ),
    ] {
        let (site, broken) = style_site("regular: NotoSerif-Regular.ttf", to);
        let run = assert_fails_cleanly(
            &site,
            |s| {
                s.write("templates/pdf-style.yaml", &broken);
            },
            &[needle],
        );
        run.assert_located("templates/pdf-style.yaml", Some(line_of(&broken, to)));
        assert!(!site.outputs_contain(marker.as_bytes()));
        assert_never_opened(&site, &["build"], &secret_path);
    }
    drop(dir);
}

/// A site whose own `templates/epub/NAME` is `template`.
fn template_site(name: &str, template: &str) -> Site {
    let (site, _) = style_site("paper: a4", "paper: a4");
    let _ = site.write(&format!("templates/epub/{name}"), template);
    site
}

#[test]
fn ill_formed_epub_templates_are_named_with_their_line() {
    let root = common::root();
    let page = std::fs::read_to_string(root.join("templates/epub/page.xhtml")).unwrap();
    let cover = std::fs::read_to_string(root.join("templates/epub/cover.xhtml")).unwrap();
    let svg = std::fs::read_to_string(root.join("templates/epub/cover.svg")).unwrap();
    for (name, good, from, to, needle) in [
        (
            "page.xhtml",
            &page,
            "</body>",
            "</div></body>",
            "page.xhtml",
        ),
        (
            "page.xhtml",
            &page,
            "<body",
            "&nbsp;<body",
            "undefined entity `&nbsp;`",
        ),
        ("page.xhtml", &page, "</html>", "", "not closed"),
        (
            "cover.xhtml",
            &cover,
            "</body>",
            "<p></body>",
            "cover.xhtml",
        ),
        ("cover.svg", &svg, "</svg>", "</svg><svg/>", "second root"),
    ] {
        assert!(good.contains(from), "{name}: {from}");
        let broken = good.replacen(from, to, 1);
        let site = template_site(name, good);
        let run = assert_fails_cleanly(
            &site,
            |s| {
                s.write(&format!("templates/epub/{name}"), &broken);
            },
            &["produces XML that is not well-formed", needle],
        );
        run.assert_located(&format!("templates/epub/{name}"), None);
    }
}

#[test]
fn deep_or_huge_front_matter_fails_fast_at_its_line() {
    let deep = 100_000;
    for (page, needle, line) in [
        (
            format!("---\ntitle: T\nx: {}\n---\n", "[".repeat(deep)),
            "nested more than 64",
            3,
        ),
        (
            format!("---\ntitle: T\nx: {}\n---\n", "{a: ".repeat(deep)),
            "nested more than 64",
            3,
        ),
        (
            format!("---\n{}x\n---\n", "- ".repeat(deep)),
            "nested more than 64",
            2,
        ),
        (
            format!("+++\ntitle = \"T\"\nx = {}\n+++\n", "[".repeat(deep)),
            "nested more than 64",
            3,
        ),
        (
            format!("+++\n{}x = 1\n+++\n", "a.".repeat(deep)),
            "nested more than 64",
            2,
        ),
        (
            format!("+++\n[{}x]\n+++\n", "a.".repeat(deep)),
            "nested more than 64",
            2,
        ),
        (
            format!("---\ntitle: T\nbig: \"{}\"\n---\n", "x".repeat(2 << 20)),
            "more than the limit",
            2,
        ),
    ] {
        let site = Site::new();
        let start = Instant::now();
        let run = assert_fails_cleanly(
            &site,
            |s| {
                s.write("content/page.md", &page);
            },
            &[needle],
        );
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "slow: {:?}",
            start.elapsed()
        );
        run.assert_located("content/page.md", Some(line));
    }
}

#[test]
fn the_limits_are_configurable_and_guard_the_config_too() {
    let site = Site::new();
    let page = "---\ntitle: T\nx: [[[[1]]]]\n---\n\nBody.\n";
    let yaml = format!(
        "{}limits:\n  front_matter_depth: 3\n",
        book_config("[page.md]")
    );
    let run = assert_fails_cleanly(
        &site,
        |s| {
            s.write("content/page.md", page);
            s.config(&yaml);
        },
        &["nested more than 3 levels"],
    );
    run.assert_located("content/page.md", Some(3));

    let deep = format!("{}x: {}\n", book_config("[page.md]"), "[".repeat(100_000));
    config_refused(&deep, "x: [", &["the configuration is nested more than 64"]);
    let (site, _) = style_site("paper: a4", "paper: a4");
    let run = assert_fails_cleanly(
        &site,
        |s| {
            s.write(
                "templates/pdf-style.yaml",
                format!("page: {}", "{a: ".repeat(100_000)),
            );
        },
        &["the PDF style is nested more than 64"],
    );
    run.assert_located("templates/pdf-style.yaml", Some(1));
}

#[test]
fn a_date_that_is_not_a_date_is_a_warning_at_its_line() {
    for (page, line) in [
        ("---\ntitle: T\ndate: \"not a date\"\n---\n\nBody.\n", 3),
        ("---\ntitle: T\n\nDate: 2023-13-45\n---\n\nBody.\n", 4),
        (
            "+++\ntitle = \"T\"\ndate = \"yesterday\"\n+++\n\nBody.\n",
            3,
        ),
        ("Title: T\nDate: soon\n\nBody.\n", 2),
        ("---\ntitle: T\ndate: 2023\n---\n\nBody.\n", 3),
    ] {
        let site = Site::new();
        site.write("content/page.md", page);
        let run = site.run(&["build"]);
        run.assert_code(0)
            .assert_stderr(&["is not a date; kept as written"]);
        run.assert_located("content/page.md", Some(line));
        // Kept as written, and a good date makes no noise.
        let model = site.run(&["model", "--book", "b"]);
        let date = page
            .lines()
            .find(|l| l.to_lowercase().starts_with("date"))
            .unwrap();
        let value = date
            .split([':', '='])
            .nth(1)
            .unwrap()
            .trim()
            .trim_matches('"');
        assert!(
            model.stdout.contains(&format!("\"date\": \"{value}\"")),
            "{}",
            model.stdout
        );
    }
    // A good date makes no noise.
    let run = Site::new().run(&["build"]);
    run.assert_code(0);
    assert!(!run.stderr.contains("not a date"), "{}", run.stderr);
}

#[test]
fn a_duplicate_front_matter_key_is_named_at_its_own_line() {
    for (page, line, needle) in [
        (
            "---\ntitle: A\nweight: 1\nurl: /a/\ntitle: B\n---\n\nBody.\n",
            5,
            "duplicate key `title`",
        ),
        (
            "---\ntitle: A\nparams:\n  x: 1\n  y: 2\n  x: 3\n---\n\nBody.\n",
            6,
            "duplicate key `x`",
        ),
        (
            "---\ntitle: A\nlayout: x\nTitle: B\n---\n\nBody.\n",
            4,
            "duplicate key `title`",
        ),
        (
            "+++\ntitle = \"A\"\nweight = 2\ntitle = \"B\"\n+++\n\nBody.\n",
            4,
            "duplicate key",
        ),
    ] {
        let site = Site::new();
        let run = assert_fails_cleanly(
            &site,
            |s| {
                s.write("content/page.md", page);
            },
            &[needle],
        );
        run.assert_located("content/page.md", Some(line));
    }
}

#[test]
fn wrongly_typed_front_matter_keys_are_errors_at_their_line() {
    for (page, line, needle) in [
        (
            "---\ntitle: T\nweight: heavy\n---\n",
            3,
            "`weight` must be an integer",
        ),
        (
            "---\ntitle: T\nweight: 2.5\n---\n",
            3,
            "`weight` must be an integer",
        ),
        (
            "---\ntitle: T\ndraft: yes\n---\n",
            3,
            "`draft` must be true or false",
        ),
        (
            "---\ntitle: T\naliases: {a: 1}\n---\n",
            3,
            "`aliases` must be a list",
        ),
        (
            "---\ntitle: T\naliases: [/a/, 3]\n---\n",
            3,
            "`aliases` must be a list of strings",
        ),
        ("---\ntitle: [a, b]\n---\n", 2, "`title` must be a string"),
        (
            "---\ntitle: T\nslug: {a: b}\n---\n",
            3,
            "`slug` must be a string",
        ),
        (
            "---\ntitle: T\ndate: [2023]\n---\n",
            3,
            "`date` must be a string",
        ),
    ] {
        let site = Site::new();
        let run = assert_fails_cleanly(
            &site,
            |s| {
                s.write("content/page.md", page);
            },
            &[needle],
        );
        run.assert_located("content/page.md", Some(line));
    }
}
