//! The catalogs as translate-toolkit reads them: `pocount` gives
//! `folio i18n status`'s counts, `po2xliff` then `xliff2po` keep msgid,
//! msgstr and fuzzy, and folio's XLIFF loads in `Xliff2File`.

use super::catalogs::{pseudo_translate, quokka_site, read};
use super::common;
use super::harness::*;
use std::collections::BTreeMap;

/// A PO file with translated, fuzzy, untranslated and rejected entries.
fn mixed_site() -> Site {
    let site = quokka_site();
    site.run(&["i18n", "update", "--lang", "de"]).assert_code(0);
    let po = pseudo_translate(&read(&site, "po/de.po"))
        .replace(
            "msgid \"Quokkas smile a lot.\"\nmsgstr \"§ Quokkas smile a lot.\"",
            "msgid \"Quokkas smile a lot.\"\nmsgstr \"\"",
        )
        .replace(
            "#: content/guide.md:14\n",
            "#: content/guide.md:14\n#, fuzzy\n",
        )
        .replace(
            "msgstr \"§ An image ![the logo][1] inline.\"",
            "msgstr \"Ein Bild ohne Logo e.g. v1.2 <b>fett</b>.\"",
        );
    site.write("po/de.po", po);
    site
}

#[test]
fn pocount_counts_what_status_counts() {
    let Some(tools) = common::validators(&["pocount"], "status against pocount") else {
        return;
    };
    let site = mixed_site();
    let (ok, csv) = tools.run(
        "pocount",
        &["--csv".as_ref(), site.path("po/de.po").as_os_str()],
    );
    assert!(ok, "{csv}");
    let row: Vec<usize> = csv
        .lines()
        .find(|l| l.contains("de.po,"))
        .expect("a row for de.po")
        .split(',')
        .skip(1)
        .map(|n| n.trim().parse().expect("a number"))
        .collect();
    let run = site.run(&["i18n", "status", "--lang", "de", "--json"]);
    run.assert_code(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let c = &json[0]["catalog"];
    let n = |state: &str, what: &str| c[state][what].as_u64().unwrap() as usize;
    // pocount has no "rejected": a rejected translation is translated to it.
    assert_eq!(n("rejected", "messages"), 1);
    assert_eq!(
        row[0],
        n("translated", "messages") + n("rejected", "messages"),
        "{csv}"
    );
    assert_eq!(
        row[1],
        n("translated", "words") + n("rejected", "words"),
        "{csv}"
    );
    assert_eq!(row[3], n("fuzzy", "messages"), "{csv}");
    assert_eq!(row[4], n("fuzzy", "words"), "{csv}");
    assert_eq!(row[5], n("untranslated", "messages"), "{csv}");
    assert_eq!(row[6], n("untranslated", "words"), "{csv}");
}

/// msgid → (msgstr, fuzzy) of a PO file, through `msgcat --no-wrap` so
/// that wrapping does not matter.
fn entries(site: &Site, rel: &str) -> BTreeMap<String, (String, bool)> {
    let out = std::process::Command::new("msgcat")
        .args(["--no-wrap", "-o", "-"])
        .arg(site.path(rel))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.split("\n\n")
        .filter_map(|e| {
            let id = e.lines().find_map(|l| l.strip_prefix("msgid "))?;
            let s = e.lines().find_map(|l| l.strip_prefix("msgstr "))?;
            (id != "\"\"").then(|| (id.to_string(), (s.to_string(), e.contains("#, fuzzy"))))
        })
        .collect()
}

#[test]
fn po2xliff_then_xliff2po_keeps_msgid_msgstr_and_fuzzy() {
    let Some(tools) = common::validators(
        &["po2xliff", "xliff2po", "msgcat"],
        "PO through translate-toolkit's XLIFF",
    ) else {
        return;
    };
    let site = mixed_site();
    let (ok, out) = tools.run("po2xliff", &[site.path("po/de.po"), site.path("tk.xlf")]);
    assert!(ok, "{out}");
    let (ok, out) = tools.run("xliff2po", &[site.path("tk.xlf"), site.path("back.po")]);
    assert!(ok, "{out}");
    let before = entries(&site, "po/de.po");
    assert!(before.len() > 10 && before.values().any(|(_, f)| *f));
    assert_eq!(entries(&site, "back.po"), before);
}

#[test]
fn folio_xliff_loads_in_translate_toolkit() {
    let Some(tools) = common::validators(&["pocount"], "folio's XLIFF in Xliff2File") else {
        return;
    };
    // The interpreter that has translate-toolkit: pocount's own.
    let (_, help) = tools.run("pocount", &["--version"]);
    let script = std::process::Command::new("sh")
        .args(["-c", "command -v pocount"])
        .output()
        .unwrap();
    let script = String::from_utf8_lossy(&script.stdout).trim().to_string();
    let first = std::fs::read_to_string(&script).unwrap_or_default();
    let python = first
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("#!"))
        .map(|l| l.trim().to_string())
        .unwrap_or_else(|| "python3".into());
    let site = mixed_site();
    site.run(&["i18n", "xliff", "export", "--lang", "de"])
        .assert_code(0);
    let code = "import sys\nfrom translate.storage.xliff2 import Xliff2File\nf = Xliff2File.parsestring(open(sys.argv[1], 'rb').read())\nfor u in f.units:\n    print(repr(u.source), repr(u.target))\n";
    let mut cmd = std::process::Command::new(python.split_whitespace().next().unwrap_or("python3"));
    cmd.args(python.split_whitespace().skip(1));
    let out = cmd
        .args(["-c", code])
        .arg(site.path("po/de.xlf"))
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        if err.contains("No module named 'translate.storage.xliff2'") {
            common::skip(&format!(
                "translate-toolkit ≥ 3.17 needed for Xliff2File ({help})"
            ));
            return;
        }
        panic!("{err}");
    }
    let units = listed.lines().count();
    let po_entries = read(&site, "po/de.po").matches("\nmsgid ").count();
    assert_eq!(units, po_entries, "{listed}");
    assert!(listed.contains("'§ The Quokka Guide'"), "{listed}");
}
