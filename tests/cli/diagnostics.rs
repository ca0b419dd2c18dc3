//! Diagnostics people and programs can act on: the source line with a
//! caret, colour only when wanted, JSON for editors and CI, warnings
//! grouped by kind, missing characters once each with a place and a count.

use super::harness::{PAGE, Site, book_config};
use super::run_env;

/// A page whose shortcodes folio does not know: `teams` three times,
/// `member-list` twice (indented by spaces, then by a tab), and an image
/// that is not there.
fn noisy_site() -> Site {
    let site = Site::new();
    site.write(
        "content/page.md",
        "---\ntitle: Page\n---\n\n{{< teams >}}\n\n   {{< member-list >}}\n\n{{< teams >}}\n\n\t{{< member-list >}}\n\n{{< teams >}}\n\nSee ![there](/nowhere.png).\n",
    );
    site
}

/// Every stderr line of a JSON run, parsed.
fn json_lines(stderr: &str) -> Vec<serde_json::Value> {
    stderr
        .lines()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not JSON ({e}): {line}\n{stderr}"))
        })
        .collect()
}

const FIELDS: [&str; 9] = [
    "severity", "file", "line", "column", "message", "cause", "hint", "kind", "detail",
];

#[test]
fn json_warnings_parse_with_every_field() {
    let site = noisy_site();
    let run = site.run(&["check", "--format", "text", "--message-format", "json"]);
    run.assert_code(0);
    let lines = json_lines(&run.stderr);
    assert_eq!(
        lines.len(),
        6,
        "one object per warning, nothing else:\n{}",
        run.stderr
    );
    for v in &lines {
        for field in FIELDS {
            assert!(v.get(field).is_some(), "no `{field}` in {v}");
        }
        assert_eq!(v["severity"], "warning");
        assert_eq!(v["file"], "content/page.md");
    }
    let teams: Vec<_> = lines.iter().filter(|v| v["detail"] == "teams").collect();
    assert_eq!(teams.len(), 3);
    assert_eq!(teams[0]["line"], 5);
    assert!(
        teams[0]["column"].is_null(),
        "no column known: {}",
        teams[0]
    );
    assert_eq!(teams[0]["kind"], "shortcode … is not supported");
    assert!(teams[0]["hint"].as_str().unwrap().contains("shortcodes:"));
    let lists: Vec<_> = lines
        .iter()
        .filter(|v| v["detail"] == "member-list")
        .collect();
    assert_eq!(
        lists.iter().map(|v| v["line"].as_u64()).collect::<Vec<_>>(),
        [Some(7), Some(11)]
    );
    let image = lines
        .iter()
        .find(|v| v["detail"] == "/nowhere.png")
        .expect("the image");
    assert_eq!(image["line"], 15);
    assert!(
        image["kind"].as_str().unwrap().starts_with("image"),
        "{image}"
    );
    assert!(
        !image["kind"].as_str().unwrap().contains("nowhere"),
        "{image}"
    );
}

#[test]
fn json_error_has_line_column_and_cause() {
    let site = Site::new();
    site.build_ok();
    site.write(
        "content/page.md",
        "---\ntitle: Page\ndate: [2024\n---\n\nHello.\n",
    );
    let run = site.run(&["build", "--message-format", "json"]);
    run.assert_code(1);
    let lines = json_lines(&run.stderr);
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    let e = &lines[0];
    assert_eq!(e["severity"], "error");
    assert_eq!(e["file"], "content/page.md");
    assert!(
        e["line"].as_u64().is_some_and(|l| (3..=4).contains(&l)),
        "{e}"
    );
    assert!(e["column"].as_u64().is_some_and(|c| c > 0), "{e}");
    assert_eq!(e["message"], "invalid front matter");
    assert!(e["cause"].as_str().is_some_and(|c| !c.is_empty()), "{e}");
    // An error with no file (a usage of --strict) is still one object.
    let site = noisy_site();
    let run = site.run(&["build", "--strict", "--message-format", "json"]);
    run.assert_code(1);
    let lines = json_lines(&run.stderr);
    let last = lines.last().unwrap();
    assert_eq!(last["severity"], "error");
    assert!(last["file"].is_null() && last["line"].is_null(), "{last}");
    assert!(
        last["message"].as_str().unwrap().contains("--strict"),
        "{last}"
    );
}

#[test]
fn human_output_shows_the_line_and_a_caret_under_the_column() {
    let site = Site::new();
    site.write(
        "content/page.md",
        "---\ntitle: Page\nweight: [1, 2\n---\n\nHello.\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    let lines: Vec<&str> = run.stderr.lines().collect();
    let head = lines
        .iter()
        .position(|l| l.starts_with("error: content/page.md:"))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    // error: content/page.md:L:C: … then ` |`, ` L | text`, ` | ^`.
    let place = lines[head]["error: content/page.md:".len()..].to_string();
    let mut numbers = place.split(':').map(|n| n.parse::<usize>());
    let (line, column) = (
        numbers.next().unwrap().unwrap(),
        numbers.next().unwrap().unwrap(),
    );
    let source = std::fs::read_to_string(site.path("content/page.md")).unwrap();
    let text = source.lines().nth(line - 1).unwrap();
    let shown = lines[head + 2];
    assert!(
        shown.trim_start().starts_with(&format!("{line} | ")) && shown.ends_with(text),
        "source line {line} not shown:\n{}",
        run.stderr
    );
    let caret = lines[head + 3];
    let bar = shown.find('|').unwrap();
    assert_eq!(
        caret.find('^'),
        Some(bar + 2 + column - 1),
        "caret not under column {column}:\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains('\u{1b}'), "colour with NO_COLOR");
}

#[test]
fn caret_goes_under_the_first_non_blank_without_a_column() {
    let site = noisy_site();
    let run = site.run(&["check", "-v", "--format", "text"]);
    run.assert_code(0);
    let lines: Vec<&str> = run.stderr.lines().collect();
    for (number, text) in [
        ("7", "   {{< member-list >}}"),
        ("11", "    {{< member-list >}}"),
    ] {
        let at = lines
            .iter()
            .position(|l| l.trim_start().starts_with(&format!("{number} | ")))
            .unwrap_or_else(|| panic!("line {number} not shown:\n{}", run.stderr));
        assert!(
            lines[at].ends_with(text),
            "tab shown as spaces: {:?}",
            lines[at]
        );
        let bar = lines[at].find('|').unwrap();
        let brace = bar + 2 + text.find('{').unwrap();
        assert_eq!(lines[at + 1].find('^'), Some(brace), "{}", run.stderr);
    }
}

#[test]
fn colour_follows_the_flag_and_the_environment() {
    let site = noisy_site();
    let dir = site.root();
    let check = ["check", "--format", "text"];
    let ansi = |run: &super::harness::Run| run.stderr.contains("\u{1b}[");
    // A pipe is not a terminal: no colour by default.
    assert!(!ansi(&run_env(dir, &check, &[])));
    let always = [&check[..], &["--color", "always"]].concat();
    let run = run_env(dir, &always, &[]);
    assert!(ansi(&run), "--color always:\n{}", run.stderr);
    // Yellow and bold for the label, as rustc.
    assert!(
        run.stderr.contains("\u{1b}[1m\u{1b}[93mwarning"),
        "{}",
        run.stderr
    );
    // The flag wins over NO_COLOR; NO_COLOR wins over auto and the force.
    assert!(ansi(&run_env(dir, &always, &[("NO_COLOR", Some("1"))])));
    assert!(!ansi(&run_env(
        dir,
        &check,
        &[("CLICOLOR_FORCE", Some("1")), ("NO_COLOR", Some("1"))]
    )));
    assert!(ansi(&run_env(
        dir,
        &check,
        &[("CLICOLOR_FORCE", Some("1"))]
    )));
    let never = [&check[..], &["--color=never"]].concat();
    assert!(!ansi(&run_env(
        dir,
        &never,
        &[("CLICOLOR_FORCE", Some("1"))]
    )));
    // clap's own errors follow --color too.
    let run = run_env(
        dir,
        &["build", "--color", "never", "--bogus"],
        &[("CLICOLOR_FORCE", Some("1"))],
    );
    run.assert_code(2);
    assert!(!ansi(&run), "{}", run.stderr);
}

#[test]
fn short_format_is_one_line_per_diagnostic() {
    let site = noisy_site();
    let run = site.run(&["check", "--format", "text", "--message-format", "short"]);
    run.assert_code(0);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect();
    assert_eq!(warnings.len(), 6, "{}", run.stderr);
    assert!(warnings[0].starts_with("warning: content/page.md:5: shortcode `teams`"));
    assert!(!run.stderr.contains(" | "), "no snippet: {}", run.stderr);
    assert!(!run.stderr.contains("hint:"), "{}", run.stderr);
    assert!(!run.stderr.contains("summary:"), "{}", run.stderr);
}

/// Twelve shortcodes of three kinds and two missing images: 14 warnings.
fn site_of_many_warnings() -> Site {
    let site = Site::new();
    let mut page = String::from("---\ntitle: Page\n---\n\n");
    for i in 0..12 {
        let name = [
            "teams",
            "member-list",
            "teams",
            "sponsors",
            "teams",
            "member-list",
        ][i % 6];
        page.push_str(&format!("{{{{< {name} >}}}}\n\n"));
    }
    page.push_str("![a](/gone.png) and ![b](/also-gone.png)\n");
    site.write("content/page.md", page);
    site
}

fn headlines(stderr: &str) -> usize {
    stderr
        .lines()
        .filter(|l| l.starts_with("warning: content/page.md"))
        .count()
}

#[test]
fn piped_warnings_are_all_printed_then_summed_up_by_kind() {
    let site = site_of_many_warnings();
    let run = site.run(&["check", "--format", "text"]);
    run.assert_code(0);
    assert_eq!(
        headlines(&run.stderr),
        14,
        "a pipe gets every warning:\n{}",
        run.stderr
    );
    let summary = &run.stderr[run.stderr.find("summary:").expect("a summary")..];
    assert!(summary.starts_with("summary: 14 warnings\n"), "{summary}");
    assert!(
        summary
            .contains("12 × shortcode … is not supported (teams ×6, member-list ×4, sponsors ×2)"),
        "{summary}"
    );
    assert!(
        summary
            .contains(" 2 × image … is not found in the static root (/gone.png, /also-gone.png)"),
        "{summary}"
    );
    // Commonest kind first; the summary ends before the `checked` line.
    assert!(summary.find("12 ×") < summary.find(" 2 ×"), "{summary}");
    // -q prints neither warnings nor the summary.
    let run = site.run(&["check", "-q", "--format", "text"]);
    run.assert_code(0);
    assert_eq!(run.stderr, "", "-q");
    // A few warnings, all printed: no summary.
    let few = noisy_site();
    let run = few.run(&["check", "--format", "text"]);
    assert!(!run.stderr.contains("summary:"), "{}", run.stderr);
}

/// What folio prints on a terminal (`script` gives it one), or `None`
/// after a skip line.
fn on_a_terminal(site: &Site, args: &str) -> Option<String> {
    let tools = super::common::validators(&["script"], "the output on a terminal not checked")?;
    let log = site.path("typescript");
    let line = format!("{} {args}", env!("CARGO_BIN_EXE_folio"));
    let run = tools
        .get("script")
        .command()
        .args(["-qec", &line, log.to_str().unwrap()])
        .current_dir(site.root())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env("NO_COLOR", "1")
        .output()
        .expect("run script");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&log).unwrap();
    let _ = std::fs::remove_file(&log);
    Some(text.replace("\r\n", "\n"))
}

#[test]
fn a_terminal_gets_three_warnings_of_each_kind_then_the_summary() {
    let site = site_of_many_warnings();
    let Some(screen) = on_a_terminal(&site, "check --format text") else {
        return;
    };
    assert_eq!(
        headlines(&screen),
        3 + 2,
        "3 shortcodes, both images:\n{screen}"
    );
    assert!(
        screen.contains("summary: 14 warnings, 5 shown above (-v shows all)"),
        "{screen}"
    );
    assert!(
        screen.contains("12 × shortcode … is not supported (teams ×6"),
        "{screen}"
    );
    assert!(
        !screen.contains('\u{1b}'),
        "NO_COLOR on a terminal:\n{screen}"
    );
    // The three shown are the first three, in the page's order.
    let first: Vec<&str> = screen
        .lines()
        .filter(|l| l.starts_with("warning: content/page.md"))
        .map(|l| l.split(':').nth(2).unwrap())
        .collect();
    assert_eq!(first, ["5", "7", "9", "29", "29"], "{screen}");
    let Some(screen) = on_a_terminal(&site, "check -v --format text") else {
        return;
    };
    assert_eq!(headlines(&screen), 14, "{screen}");
    assert!(screen.contains("summary: 14 warnings\n"), "{screen}");
}

#[test]
fn missing_characters_are_reported_once_each_with_place_and_count() {
    let site = Site::new();
    site.config(&book_config("[page.md, two.md]"));
    site.write(
        "content/page.md",
        "---\ntitle: Page\n---\n\nPlain first.\n\nSnow \u{378} here,\nand \u{378} again \u{379}.\n",
    );
    site.write(
        "content/two.md",
        "---\ntitle: Two\n---\n\n- a list with \u{378}\n- and \u{380} in it\n\n| a | b |\n|---|---|\n| x | \u{381} |\n",
    );
    let run = site.run(&["check", "-v"]);
    run.assert_code(0);
    let err = &run.stderr;
    let snow: Vec<&str> = err.lines().filter(|l| l.contains("U+0378")).collect();
    assert_eq!(snow.len(), 1, "one warning for U+0378:\n{err}");
    assert!(
        snow[0].starts_with(
            "warning: content/page.md:7: no font has the character `\u{378}` (U+0378; 3 times"
        ),
        "{err}"
    );
    assert!(
        err.contains("content/page.md:8: no font has the character `\u{379}` (U+0379; once)"),
        "{err}"
    );
    assert!(
        err.contains("content/two.md:6: no font has the character `\u{380}`"),
        "{err}"
    );
    assert!(
        err.contains("content/two.md:10: no font has the character `\u{381}`"),
        "{err}"
    );
    assert_eq!(err.matches("no font has the character").count(), 4, "{err}");
    // The good page of the harness alone has none.
    let clean = Site::new();
    clean.write("content/page.md", PAGE);
    let run = clean.run(&["check", "-v"]);
    assert!(!run.stderr.contains("no font"), "{}", run.stderr);
}
