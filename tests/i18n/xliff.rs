//! `folio i18n xliff export|import`: XLIFF 2.1 beside the PO file, which
//! stays the master.

use super::catalogs::{pseudo_translate, quokka_site, read};

#[test]
fn export_then_import_leaves_the_po_file_byte_identical() {
    let site = quokka_site();
    site.run(&["i18n", "update", "--lang", "de"]).assert_code(0);
    // Some translated, one fuzzy, the rest untranslated.
    let po = pseudo_translate(&read(&site, "po/de.po"));
    let mut kept = 0;
    let partial: String = po
        .split("\n\n")
        .map(|e| {
            kept += 1;
            if kept % 3 == 0 {
                let mut lines: Vec<&str> = e.lines().collect();
                if let Some(last) = lines.last_mut()
                    && last.starts_with("msgstr \"§")
                {
                    *last = "msgstr \"\"";
                }
                lines.join("\n")
            } else if kept == 4 {
                e.replacen("\nmsgid ", "\n#, fuzzy\nmsgid ", 1)
            } else {
                e.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n")
        .trim_end()
        .to_string()
        + "\n";
    site.write("po/de.po", &partial);
    site.run(&["i18n", "xliff", "export", "--lang", "de"])
        .assert_code(0);
    let xlf = read(&site, "po/de.xlf");
    assert!(
        xlf.contains("version=\"2.1\" srcLang=\"en\" trgLang=\"de\""),
        "{xlf}"
    );
    assert!(
        xlf.contains("<segment state=\"initial\">") && xlf.contains("<segment state=\"final\">")
    );
    assert!(
        xlf.contains("<segment state=\"translated\">"),
        "the fuzzy entry"
    );
    // URLs stay in the original data, never in the text to translate.
    for line in xlf
        .lines()
        .filter(|l| l.contains("<source>") || l.contains("<target>"))
    {
        assert!(!line.contains("://"), "{line}");
    }
    let run = site.run(&["i18n", "xliff", "import", "--lang", "de"]);
    run.assert_code(0).assert_stderr(&["0 messages changed"]);
    assert_eq!(read(&site, "po/de.po"), partial);
}

#[test]
fn a_translation_made_in_the_xliff_comes_back_into_the_po_file() {
    let site = quokka_site();
    site.run(&["i18n", "update", "--lang", "de"]).assert_code(0);
    site.run(&["i18n", "xliff", "export", "--lang", "de"])
        .assert_code(0);
    let xlf = read(&site, "po/de.xlf");
    // A CAT tool fills in a target, keeping the codes, and accepts it.
    let source = xlf
        .lines()
        .find(|l| l.contains("<source>The quokka is a small"))
        .expect("the paragraph's unit")
        .trim()
        .to_string();
    let target = source
        .replace("<source>", "<target>")
        .replace("</source>", "</target>")
        .replace("The quokka is a small", "Das Quokka ist ein kleines");
    let done = xlf.replacen(
        &format!("<segment state=\"initial\">\n        {source}"),
        &format!("<segment state=\"final\">\n        {source}\n        {target}"),
        1,
    );
    assert_ne!(done, xlf);
    site.write("po/de.xlf", &done);
    site.run(&["i18n", "xliff", "import", "--lang", "de"])
        .assert_code(0)
        .assert_stderr(&["1 message changed"]);
    let po = read(&site, "po/de.po");
    assert!(
        po.contains("msgstr \"Das Quokka ist ein kleines *marsupial* found on [Rottnest Island][1], see the [FAQ][2] and `quokka --help`[^1].\""),
        "{po}"
    );
}

#[test]
fn broken_xliff_is_a_located_error_and_the_po_file_is_kept() {
    let site = quokka_site();
    site.run(&["i18n", "update", "--lang", "de"]).assert_code(0);
    let po = read(&site, "po/de.po");
    site.write("po/de.xlf", "<?xml version=\"1.0\"?>\n<xliff version=\"2.1\">\n<file><unit id=\"a\">\n<segment><source>x</target>\n");
    let run = site.run(&["i18n", "xliff", "import", "--lang", "de"]);
    run.assert_code(1).assert_stderr(&["malformed XLIFF"]);
    run.assert_located("po/de.xlf", Some(4));
    assert_eq!(read(&site, "po/de.po"), po);
    site.write(
        "po/de.xlf",
        "<xliff version=\"2.1\"><file><unit id=\"zz\"><segment state=\"final\"><source>Not a message</source><target>Keine</target></segment></unit></file></xliff>",
    );
    site.run(&["i18n", "xliff", "import", "--lang", "de"])
        .assert_code(0)
        .assert_stderr(&["unit `zz` matches no message"]);
    assert_eq!(read(&site, "po/de.po"), po);
}
