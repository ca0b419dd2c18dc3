//! Deep nesting and quadratic blow-ups: no input aborts the process or
//! takes time or memory out of proportion to its size.
//!
//! Each nesting kind goes at a depth that overflowed the stack before (exit
//! 134) through `build` in every format and through `folio model`: the
//! build succeeds, one warning names `content/page.md:LINE`, the deepest
//! words reach the text output, and the model JSON is no deeper than the
//! limit allows. The quadratic cases use sizes that took seconds to
//! minutes before; the harness kills a run after 60 s.

use super::harness::{Run, Site, book_config};

/// The front matter of every page here; the body starts on line 5.
const FRONT: &str = "---\ntitle: Page\ndate: 2024-01-02\n---\n";

/// The warning every flattened page gets.
const FLATTENED: &str = "nested more than 64 levels deep";

/// A one-page site whose page holds `body` (from line 5).
fn page_site(body: &str) -> Site {
    let site = Site::new();
    site.write("content/page.md", format!("{FRONT}{body}"));
    site
}

/// Nesting levels of a JSON text (strings skipped).
fn json_depth(json: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => {
                depth += 1;
                max = max.max(depth);
            }
            '}' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// The deepest a 64-level model can print: a list level is four JSON
/// levels (block, items, item, blocks), the book and page around it ten.
const MAX_JSON_DEPTH: usize = 64 * 4 + 10;

/// Builds (all formats) and prints the model of a site with a deep page:
/// both succeed, the page gets one nesting warning at `line`, the deepest
/// words are in the text output and the model.
fn assert_flattened(site: &Site, line: u32) {
    let run = site.run(&["build"]);
    run.assert_code(0).assert_stderr(&[FLATTENED]);
    assert_eq!(nesting_warnings(&run), 1, "{}", run.stderr);
    run.assert_located("content/page.md", Some(line));
    let text = std::fs::read_to_string(site.path("dist/text/b/b.txt")).unwrap();
    assert!(
        text.contains("deepest words"),
        "text output lost the deepest words"
    );
    let model = site.run(&["model"]);
    model.assert_code(0);
    assert!(model.stdout.contains("deepest words"));
    let depth = json_depth(&model.stdout);
    assert!(depth <= MAX_JSON_DEPTH, "model JSON {depth} deep");
}

fn nesting_warnings(run: &Run) -> usize {
    // Warning headlines only: a summary by kind may follow them.
    run.stderr
        .lines()
        .filter(|l| l.starts_with("warning:") && l.contains(FLATTENED))
        .count()
}

#[test]
fn deep_block_quotes() {
    for n in [10_000, 100_000] {
        assert_flattened(&page_site(&format!("{} deepest words\n", ">".repeat(n))), 5);
    }
}

#[test]
fn deep_bullet_and_ordered_lists() {
    for unit in ["- ", "1. ", "* 2) ", "+ > "] {
        let body = format!("{}deepest words\n", unit.repeat(20_000));
        assert_flattened(&page_site(&body), 5);
    }
}

#[test]
fn deep_html_divs_on_lines_and_inline() {
    let lines = format!(
        "{}deepest words\n{}",
        "<div>\n".repeat(20_000),
        "</div>\n".repeat(20_000)
    );
    assert_flattened(&page_site(&lines), 5);
    let inline = format!(
        "text {}deepest words{}\n",
        "<div class=\"x\">".repeat(20_000),
        "</div>".repeat(20_000)
    );
    assert_flattened(&page_site(&inline), 5);
    // Never closed at all.
    let open = format!("{}deepest words\n", "<blockquote><ul><li>".repeat(10_000));
    assert_flattened(&page_site(&open), 5);
}

#[test]
fn deep_html_inlines() {
    for unit in [
        "<span>",
        "<sup>",
        "<em><strong><sub><s>",
        "<a href=\"/x\"><i><b><del>",
    ] {
        let body = format!("x {}deepest words\n", unit.repeat(20_000));
        assert_flattened(&page_site(&body), 5);
    }
}

#[test]
fn deep_emphasis_chains() {
    let stars = format!(
        "{}deepest words{}\n",
        "*".repeat(50_000),
        "*".repeat(50_000)
    );
    assert_flattened(&page_site(&stars), 5);
    let mixed = format!(
        "{}deepest words{}\n",
        "*a _b ~~c ".repeat(10_000),
        " c~~ b_ a*".repeat(10_000)
    );
    assert_flattened(&page_site(&mixed), 5);
}

#[test]
fn deep_images_and_brackets() {
    // Images nest in their alt text; links never nest (the rest is text).
    let images = format!(
        "{}deepest words{}\n",
        "![".repeat(20_000),
        "](/x.png)".repeat(20_000)
    );
    assert_flattened(&page_site(&images), 5);
    let site = page_site(&format!(
        "{}deepest words{}\n",
        "[".repeat(50_000),
        "](/x)".repeat(50_000)
    ));
    let run = site.run(&["build"]);
    run.assert_code(0);
    assert!(site.outputs_contain(b"deepest words"));
    site.run(&["model"]).assert_code(0);
}

#[test]
fn deep_paired_shortcodes() {
    let body = format!(
        "{}deepest words\n{}",
        "{{< box >}}\n".repeat(20_000),
        "{{< /box >}}\n".repeat(20_000)
    );
    let site = page_site(&body);
    // Configured, so the one warning left is the nesting one. The 65th
    // opener is on line 5 + 64.
    site.config(&format!(
        "shortcodes: {{box: inner}}\n{}",
        book_config("[page.md]")
    ));
    assert_flattened(&site, 69);
    let inline = format!(
        "{}deepest words{}\n",
        "{{% box %}}".repeat(20_000),
        "{{% /box %}}".repeat(20_000)
    );
    site.write("content/page.md", format!("{FRONT}{inline}"));
    assert_flattened(&site, 5);
}

#[test]
fn deep_footnote_definitions() {
    let body = format!(
        "see[^a] and[^b]\n\n[^a]: {} deepest words\n\n[^b]: {}b{}\n",
        ">".repeat(50_000),
        "- *".repeat(10_000),
        "*".repeat(10_000)
    );
    assert_flattened(&page_site(&body), 7);
}

#[test]
fn lists_in_quotes_in_divs_in_shortcodes() {
    let body = format!(
        "{}\ndeepest words\n",
        "{{< box >}}\n<div>\n\n> - <span>*a* ".repeat(5_000)
    );
    let site = page_site(&body);
    site.config(&format!(
        "shortcodes: {{box: inner}}\n{}",
        book_config("[page.md]")
    ));
    let run = site.run(&["build"]);
    run.assert_code(0).assert_stderr(&[FLATTENED]);
    assert_eq!(nesting_warnings(&run), 1);
    assert!(site.outputs_contain(b"deepest words"));
    let model = site.run(&["model"]);
    model.assert_code(0);
    assert!(json_depth(&model.stdout) <= MAX_JSON_DEPTH);
}

#[test]
fn deep_pages_on_parsing_threads() {
    // 20 pages are parsed on worker threads, whose stacks are 2 MB.
    let site = Site::new();
    let names: Vec<String> = (0..20).map(|i| format!("p{i:02}.md")).collect();
    site.config(&book_config(&format!("[{}]", names.join(", "))));
    let bodies = [
        format!("{} deepest words\n", ">".repeat(50_000)),
        format!("{}deepest words\n", "- ".repeat(50_000)),
        format!("{}deepest words\n", "<div>\n".repeat(20_000)),
        format!(
            "{}deepest words\n{}",
            "{{< box >}}\n".repeat(10_000),
            "{{< /box >}}\n".repeat(10_000)
        ),
    ];
    for (i, name) in names.iter().enumerate() {
        let body = &bodies[i % bodies.len()];
        site.write(&format!("content/{name}"), format!("{FRONT}{body}"));
    }
    let run = site.run(&["build"]);
    run.assert_code(0);
    assert_eq!(nesting_warnings(&run), 20, "one per page");
    let model = site.run(&["model"]);
    model.assert_code(0);
    assert_eq!(model.stdout.matches("deepest words").count(), 20);
}

#[test]
fn the_nesting_limit_is_configurable_and_bounded() {
    let body = format!("{} deepest words\n", ">".repeat(100));
    let site = page_site(&body);
    site.config(&format!(
        "limits:\n  nesting: 8\n{}",
        book_config("[page.md]")
    ));
    let run = site.run(&["build"]);
    run.assert_code(0)
        .assert_stderr(&["nested more than 8 levels deep", "flattened into level 8"]);
    let model = site.run(&["model"]);
    assert_eq!(model.stdout.matches("\"type\": \"quote\"").count(), 8);
    // Within the limit nothing is said.
    site.write("content/page.md", format!("{FRONT}{} in\n", ">".repeat(8)));
    let run = site.run(&["build"]);
    run.assert_code(0);
    assert_eq!(nesting_warnings(&run), 0);
    assert!(!run.stderr.contains("nested more than"), "{}", run.stderr);
    // A limit the stack could not take is refused, naming its line.
    site.config(&format!(
        "limits:\n  nesting: 100000\n{}",
        book_config("[page.md]")
    ));
    site.run(&["build"])
        .assert_code(1)
        .assert_stderr(&["limits.nesting is 100000"])
        .assert_located("folio.yaml", Some(2));
}

#[test]
fn many_identical_paragraphs_and_headings() {
    // 20 000 identical blocks: unique ids used to cost n² (13-20 s).
    let body = "Same paragraph.\n\n## Same heading\n\n".repeat(20_000);
    let site = page_site(&body);
    site.run(&["build"]).assert_code(0);
    let model = site.run(&["model"]);
    model.assert_code(0);
    // Every block id and anchor is unique: the last ones carry the count.
    assert!(model.stdout.contains("\"anchor\": \"same-heading-19999\""));
    let ids: Vec<&str> = model
        .stdout
        .lines()
        .filter_map(|l| l.trim().strip_prefix("\"id\": \""))
        .collect();
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len(), "duplicate ids");
    assert!(ids.len() > 40_000);
}

#[test]
fn a_hundred_thousand_warnings_in_two_books() {
    // Each broken anchor is warned about once, though the page is in two
    // books (the de-duplication used to be quadratic: 32 s).
    let body: String = (0..100_000).map(|i| format!("[x](#m{i}) ")).collect();
    let site = page_site(&format!("{body}\n"));
    let root = super::common::root();
    site.config(&format!(
        "fonts: {}\ntemplates: {}\nbooks:\n  b:\n    title: B\n    formats: [text]\n    pages: [page.md]\n  c:\n    title: C\n    formats: [text]\n    pages: [page.md]\n",
        root.join("fonts").display(),
        root.join("templates").display()
    ));
    let run = site.run(&["build"]);
    run.assert_code(0);
    // Counted by their headlines: a summary by kind follows them.
    let warned = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning:") && l.contains("broken link"))
        .count();
    assert_eq!(warned, 100_000);
    assert!(run.stderr.contains("#m99999"));
}

#[test]
fn many_footnotes_and_references() {
    let defs: String = (0..20_000)
        .map(|i| format!("[^n{i}]: note {i}\n"))
        .collect();
    let refs: String = (0..20_000).map(|i| format!("t[^n{i}] ")).collect();
    let same = "s[^n0] ".repeat(20_000);
    let site = page_site(&format!("{refs}\n\n{same}\n\n{defs}"));
    site.run(&["build"]).assert_code(0);
    assert!(site.outputs_contain(b"note 19999"));
}

#[test]
fn a_site_of_five_thousand_pages_with_one_url() {
    // Discovered pages (no list), in 50 sections; half share one URL,
    // whose ids used to be found by counting up from 1 each time.
    let site = Site::new();
    let root = super::common::root();
    site.config(&format!(
        "fonts: {}\ntemplates: {}\nbooks:\n  b:\n    title: Book\n    formats: [text, pdf, epub]\n",
        root.join("fonts").display(),
        root.join("templates").display()
    ));
    std::fs::remove_file(site.path("content/page.md")).unwrap();
    for i in 0..5_000 {
        let url = if i % 2 == 0 { "url: /same/\n" } else { "" };
        site.write(
            &format!("content/s{}/p{i}.md", i % 50),
            format!("---\ntitle: P{i}\n{url}---\n\nPage {i} words.\n"),
        );
    }
    site.run(&["build"]).assert_code(0);
    let model = site.run(&["model"]);
    model.assert_code(0);
    assert!(model.stdout.contains("\"id\": \"same-2500\""));
    assert!(site.outputs_contain(b"Page 4999 words."));
}

#[test]
fn scanners_do_not_rescan() {
    // Backtick runs of every length, unclosed HTML constructs and entities
    // were each rescanned to the end from every occurrence.
    let ticks: String = (1..1_500)
        .map(|n| format!("{} x ", "`".repeat(n)))
        .collect();
    let html = format!(
        "<div>\n{}{}{}\n</div>\n",
        "<!x ".repeat(50_000),
        "<a b=\"".repeat(20_000),
        "&amp".repeat(50_000)
    );
    let site = page_site(&format!("{ticks}\n\n{html}\n\nend words\n"));
    site.run(&["build"]).assert_code(0);
    assert!(site.outputs_contain(b"end words"));
}

#[test]
fn huge_paragraphs_words_and_tables() {
    let word = "x".repeat(400_000);
    let url = format!("https://example.org/{}", "a/".repeat(200_000));
    let columns = format!(
        "{}|\n{}|\n{}|\n",
        "|a".repeat(5_000),
        "|-".repeat(5_000),
        "|x".repeat(5_000)
    );
    let rows = format!("| a | b |\n|---|---|\n{}", "| x | y |\n".repeat(20_000));
    let site = page_site(&format!(
        "{word}\n\n{url}\n\n{columns}\n{rows}\nend words\n"
    ));
    site.run(&["build"]).assert_code(0);
    assert!(site.outputs_contain(b"end words"));
}
