//! `folio i18n extract|update|status`: what a message is and how its text
//! is written, the template's determinism, msgmerge parity, gettext's
//! tools accepting the files, and status counts.

use super::common;
use super::harness::*;
use std::collections::BTreeSet;

/// A page with one of each kind of message, and things that are not.
const GUIDE: &str = r#"---
title: The Quokka Guide
description: All about quokkas.
---

# Quokkas at home

The quokka is a small *marsupial* found on [Rottnest Island](https://en.wikipedia.org/wiki/Rottnest_Island),
see the [FAQ](/faq/) and `quokka --help`[^1].

- Quokkas smile a lot.
- They eat **leaves**.

> A quoted quokka fact.

| Name | Weight |
|------|--------|
| Quokka | 3 kg |
| 42 | 7 |

```sh
echo not a message
```

{{< figure src="/img/q.png" alt="A quokka smiling" title="Smile" caption="The *famous* smile" >}}

2024 -- 2025

Shared words travel between pages.

[^1]: Quokkas are friendly footnotes.
"#;

const OTHER: &str = "---\ntitle: Other\n---\n\nShared words travel between pages.\n\nAn image ![the logo](/img/logo.png) inline.\n";

pub fn quokka_site() -> Site {
    let site = Site::empty();
    site.config(&book_config("[guide.md, other.md]").replace(
        "title: Book\n",
        "title: Book\n    subtitle: A subtitle to translate\n",
    ));
    site.write("content/guide.md", GUIDE);
    site.write("content/other.md", OTHER);
    site
}

/// The entries of a PO file: blank-line separated blocks.
fn entries(po: &str) -> Vec<&str> {
    po.split("\n\n").collect()
}

/// The entry whose msgid line is exactly `msgid "<id>"`.
fn entry<'a>(po: &'a str, id: &str) -> &'a str {
    let line = format!(
        "msgid \"{}\"",
        id.replace('\\', "\\\\").replace('"', "\\\"")
    );
    entries(po)
        .into_iter()
        .find(|e| e.lines().any(|l| l == line))
        .unwrap_or_else(|| panic!("no entry {line} in:\n{po}"))
}

fn msgids(po: &str) -> BTreeSet<String> {
    po.lines()
        .filter(|l| l.starts_with("msgid "))
        .map(str::to_string)
        .collect()
}

pub fn read(site: &Site, rel: &str) -> String {
    std::fs::read_to_string(site.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Replaces `from` by `to` in the site's file `rel` (a catalog entry a
/// test edits); the entry must be there.
pub fn edit(site: &Site, rel: &str, from: &str, to: &str) {
    let text = read(site, rel);
    assert!(text.contains(from), "{rel} lacks {from:?}");
    site.write(rel, text.replace(from, to));
}

#[test]
fn every_kind_of_message_is_extracted_with_its_type_id_and_line() {
    let site = quokka_site();
    site.run(&["i18n", "extract"]).assert_code(0);
    let pot = read(&site, "po/messages.pot");
    let cases = [
        ("Book", "type: book", "folio.yaml:1"),
        ("A subtitle to translate", "type: book", "folio.yaml:1"),
        ("The Quokka Guide", "type: title", "content/guide.md:1"),
        (
            "All about quokkas.",
            "type: description",
            "content/guide.md:1",
        ),
        ("Quokkas at home", "type: heading", "content/guide.md:6"),
        (
            "The quokka is a small *marsupial* found on [Rottnest Island][1], see the [FAQ][2] and `quokka --help`[^1].",
            "type: paragraph",
            "content/guide.md:8",
        ),
        (
            "Quokkas smile a lot.",
            "type: list item",
            "content/guide.md:11",
        ),
        (
            "They eat **leaves**.",
            "type: list item",
            "content/guide.md:12",
        ),
        (
            "A quoted quokka fact.",
            "type: quote",
            "content/guide.md:14",
        ),
        ("Name", "type: table cell", "content/guide.md:16"),
        ("Quokka", "type: table cell", "content/guide.md:16"),
        ("3 kg", "type: table cell", "content/guide.md:16"),
        ("The *famous* smile", "type: caption", "content/guide.md:25"),
        ("A quokka smiling", "type: alt", "content/guide.md:25"),
        ("Smile", "type: image title", "content/guide.md:25"),
        (
            "Quokkas are friendly footnotes.",
            "type: footnote",
            "content/guide.md:31",
        ),
        (
            "An image ![the logo][1] inline.",
            "type: paragraph",
            "content/other.md:7",
        ),
    ];
    for (id, kind, reference) in cases {
        let e = entry(&pot, id);
        assert!(e.contains(&format!("#. {kind}\n")), "{id}: {e}");
        assert!(e.contains(reference), "{id} at {reference}: {e}");
        assert!(e.contains("#. id: "), "{id}: {e}");
        assert!(
            e.ends_with("msgstr \"\"") || e.ends_with("msgstr \"\"\n"),
            "{e}"
        );
    }
    // Targets are comments, never translatable text.
    let p = entry(&pot, cases[5].0);
    assert!(
        p.contains("#. [1]: https://en.wikipedia.org/wiki/Rottnest_Island\n"),
        "{p}"
    );
    assert!(p.contains("#. [2]: /faq/\n"), "{p}");
    assert!(entry(&pot, cases[16].0).contains("#. [1]: /img/logo.png\n"));
    for line in pot.lines().filter(|l| l.starts_with("msgid ")) {
        assert!(
            !line.contains("://") && !line.contains("/faq/") && !line.contains(".png"),
            "{line}"
        );
    }
    // Code, numbers and strings without letters are not messages.
    for absent in ["echo not a message", "msgid \"42\"", "msgid \"7\"", "2024"] {
        assert!(!pot.contains(absent), "{absent} extracted:\n{pot}");
    }
    // One entry for the text both pages have, with both places.
    let shared = entry(&pot, "Shared words travel between pages.");
    assert!(
        shared.contains("content/guide.md:29") && shared.contains("content/other.md:5"),
        "{shared}"
    );
    assert_eq!(pot.matches("msgid \"Shared words").count(), 1);
    assert!(
        pot.contains("\"POT-Creation-Date: 2023-11-14 22:13+0000\\n\""),
        "{pot}"
    );
}

#[test]
fn extraction_is_deterministic_and_leaves_an_unchanged_template_alone() {
    let site = quokka_site();
    site.run(&["i18n", "extract"]).assert_code(0);
    let first = std::fs::read(site.path("po/messages.pot")).unwrap();
    let modified = std::fs::metadata(site.path("po/messages.pot"))
        .unwrap()
        .modified()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.run(&["i18n", "extract"]).assert_code(0);
    assert_eq!(std::fs::read(site.path("po/messages.pot")).unwrap(), first);
    let again = std::fs::metadata(site.path("po/messages.pot"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(modified, again, "unchanged bytes are not rewritten");
}

/// Each paragraph of `GUIDE` re-wrapped: same words, other line breaks
/// and spacing.
fn rewrapped(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut in_code = false;
    let mut in_front = 0;
    for line in text.lines() {
        if line == "---" {
            in_front += 1;
        }
        if line.starts_with("```") {
            in_code = !in_code;
        }
        let plain = in_front >= 2
            && !in_code
            && !line.is_empty()
            && !line.starts_with(['#', '|', '>', '-', '{', '`', '['])
            && line.chars().next().is_some_and(char::is_alphabetic);
        if !plain {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let mut col = 0;
        for word in line.split_whitespace() {
            if col > 0 && col + word.len() > width {
                out.push('\n');
                col = 0;
            } else if col > 0 {
                out.push_str("  ");
            }
            out.push_str(word);
            col += word.len() + 1;
        }
        out.push('\n');
    }
    out
}

#[test]
fn rewrapping_the_source_changes_no_msgid() {
    let site = quokka_site();
    site.run(&["i18n", "extract"]).assert_code(0);
    let before = msgids(&read(&site, "po/messages.pot"));
    for width in [8, 20, 200] {
        let wrapped = rewrapped(GUIDE, width);
        assert_ne!(wrapped, GUIDE);
        site.write("content/guide.md", &wrapped);
        site.write("content/other.md", rewrapped(OTHER, width));
        site.run(&["i18n", "extract"]).assert_code(0);
        assert_eq!(
            msgids(&read(&site, "po/messages.pot")),
            before,
            "width {width}:\n{wrapped}"
        );
    }
}

#[test]
fn gettext_accepts_the_template_and_po_files_unchanged() {
    let Some(_) = common::validators(&["msgfmt", "msgcat"], "PO files against gettext") else {
        return;
    };
    let site = quokka_site();
    site.run(&["i18n", "update", "--lang", "de", "--lang", "pt-BR"])
        .assert_code(0);
    for rel in ["po/messages.pot", "po/de.po", "po/pt-BR.po"] {
        let path = site.path(rel);
        let out = std::process::Command::new("msgfmt")
            .args(["--check", "--statistics", "-o", "/dev/null"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{rel}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let cat = std::process::Command::new("msgcat")
            .arg("--no-wrap")
            .arg(&path)
            .output()
            .unwrap();
        assert!(cat.status.success());
        assert_eq!(
            String::from_utf8_lossy(&cat.stdout),
            read(&site, rel),
            "{rel} through msgcat"
        );
    }
    assert!(read(&site, "po/pt-BR.po").contains("\"Language: pt-BR\\n\""));
}

/// Every msgstr of a PO file set to a marker and the msgid.
pub fn pseudo_translate(po: &str) -> String {
    let mut out = String::new();
    let mut msgid = String::new();
    for line in po.lines() {
        if let Some(id) = line.strip_prefix("msgid ") {
            msgid = id.to_string();
        }
        if line == "msgstr \"\"" && msgid != "\"\"" {
            out.push_str(&format!("msgstr \"§ {}\n", msgid.trim_start_matches('"')));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[test]
fn update_after_a_source_edit_equals_msgmerge_previous() {
    let Some(_) = common::validators(&["msgmerge"], "update against msgmerge") else {
        return;
    };
    let site = quokka_site();
    site.run(&["i18n", "update", "--lang", "de"]).assert_code(0);
    let translated = pseudo_translate(&read(&site, "po/de.po"));
    site.write("po/de.po", &translated);
    // Edit: a word changed (fuzzy), a paragraph removed (obsolete), one
    // added (untranslated), the rest as it was.
    let edited = GUIDE
        .replace("Quokkas smile a lot.", "Quokkas smile very much.")
        .replace("> A quoted quokka fact.\n", "")
        .replace(
            "# Quokkas at home\n",
            "# Quokkas at home\n\nA brand new paragraph about kangaroos.\n",
        );
    site.write("content/guide.md", edited);
    site.run(&["i18n", "update", "--lang", "de"]).assert_code(0);
    let ours = read(&site, "po/de.po");
    let theirs_path = site.write("theirs.po", &translated);
    let out = std::process::Command::new("msgmerge")
        .args(["--previous", "--no-wrap", "--quiet", "-o", "-"])
        .arg(&theirs_path)
        .arg(site.path("po/messages.pot"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(ours, String::from_utf8_lossy(&out.stdout));
    let fuzzy = entry(&ours, "Quokkas smile very much.");
    assert!(
        fuzzy.contains("#, fuzzy\n#| msgid \"Quokkas smile a lot.\"\n"),
        "{fuzzy}"
    );
    assert!(
        fuzzy.contains("msgstr \"§ Quokkas smile a lot.\""),
        "{fuzzy}"
    );
    assert!(
        ours.contains("#~ msgid \"A quoted quokka fact.\"\n#~ msgstr \"§ A quoted quokka fact.\"")
    );
    assert!(entry(&ours, "A brand new paragraph about kangaroos.").ends_with("msgstr \"\""));
    assert!(entry(&ours, "Quokkas at home").contains("msgstr \"§ Quokkas at home\""));
}

#[test]
fn status_counts_translated_fuzzy_untranslated_and_rejected() {
    let site = quokka_site();
    site.run(&["i18n", "update", "--lang", "de"]).assert_code(0);
    let po = read(&site, "po/de.po")
        .replace(
            "msgid \"Quokkas at home\"\nmsgstr \"\"",
            "msgid \"Quokkas at home\"\nmsgstr \"Quokkas zu Hause\"",
        )
        .replace(
            "msgid \"Quokkas smile a lot.\"\nmsgstr \"\"",
            "msgid \"Quokkas smile a lot.\"\nmsgstr \"Quokkas lächeln viel.\"",
        )
        .replace(
            "#: content/guide.md:14\nmsgid \"A quoted quokka fact.\"\nmsgstr \"\"",
            "#: content/guide.md:14\n#, fuzzy\nmsgid \"A quoted quokka fact.\"\nmsgstr \"Ein Zitat.\"",
        )
        .replace(
            "An image ![the logo][1] inline.\"\nmsgstr \"\"",
            "An image ![the logo][1] inline.\"\nmsgstr \"Ein Bild ohne Logo.\"",
        );
    site.write("po/de.po", po);
    let run = site.run(&["i18n", "status", "--lang", "de", "--json"]);
    run.assert_code(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let lang = &json[0];
    assert_eq!(lang["language"], "de");
    let c = &lang["catalog"];
    assert_eq!(c["translated"]["messages"], 2);
    assert_eq!(c["translated"]["words"], 3 + 4);
    assert_eq!(c["fuzzy"]["messages"], 1);
    assert_eq!(c["fuzzy"]["words"], 4);
    assert_eq!(c["rejected"]["messages"], 1);
    // As pocount counts: An, image, the, logo, 1, inline.
    assert_eq!(c["rejected"]["words"], 6);
    let book = &lang["books"][0];
    assert_eq!(book["book"], "b");
    assert_eq!(book["passes"], false);
    let pages: Vec<&str> = book["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["page"].as_str().unwrap())
        .collect();
    assert_eq!(pages, ["guide.md", "other.md"]);
    assert_eq!(book["pages"][1]["rejected"]["messages"], 1);
    assert_eq!(book["pages"][0]["translated"]["messages"], 2);
    // The human form says the same, and a low threshold passes the book.
    let run = site.run(&["i18n", "status", "--min-complete", "1"]);
    run.assert_code(0);
    assert!(
        run.stdout.contains("2 translated, 1 fuzzy"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("1 rejected"), "{}", run.stdout);
    assert!(
        run.stdout.contains("complete enough for PDF and EPUB"),
        "{}",
        run.stdout
    );
}

#[test]
fn broken_catalogs_are_located_errors() {
    let cases: [(&str, u32, &str); 4] = [
        (
            "msgid \"a\"\nmsgstr \"unterminated\n",
            2,
            "malformed string",
        ),
        (
            "\n\nmsgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"\"\n",
            4,
            "plural",
        ),
        (
            "msgid \"a\"\nmsgstr \"x\"\n\nmsgstr \"y\"\n",
            4,
            "second msgstr",
        ),
        ("msgid \"a\"\nmsgstr \"\\xff\"\n", 2, "malformed string"),
    ];
    for (text, line, needle) in cases {
        let site = quokka_site();
        site.write("po/de.po", text);
        for args in [
            &["i18n", "update", "--lang", "de"][..],
            &["i18n", "status"][..],
        ] {
            let run = site.run(args);
            run.assert_code(1).assert_stderr(&[needle]);
            run.assert_located("po/de.po", Some(line));
        }
        assert_eq!(
            read(&site, "po/de.po"),
            text,
            "a broken file is left as it was"
        );
    }
    let site = quokka_site();
    site.write("po/de.po", b"msgid \"a\"\nmsgstr \"\xff\"\n");
    site.run(&["i18n", "status"])
        .assert_code(1)
        .assert_stderr(&["not UTF-8"]);
    site.run(&["i18n", "update", "--lang", "../x"])
        .assert_code(1)
        .assert_stderr(&["not a language code"]);
    assert!(!site.path("x.po").exists());
}
