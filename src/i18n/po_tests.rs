use super::*;
use std::path::Path;

const SAMPLE: &str = r#"# Translator note
msgid ""
msgstr ""
"Language: de\n"
"Content-Type: text/plain; charset=UTF-8\n"

# my note
#. id: about/p-1234
#. type: paragraph
#. [1]: /about/faq/
#: content/about.md:12 content/other.md:3
#, fuzzy
#| msgid "Old \"text\""
msgctxt "folio-ui"
msgid "A \"quote\"\tand \\ a [link][1]"
msgstr ""
"Zeile\n"
"zwei"

msgid "plain"
msgstr "schlicht"

#, fuzzy
#~| msgid "prev"
#~ msgid "obsolete"
#~ msgstr "alt"
"#;

fn read(text: &str) -> Result<Catalog, Diagnostic> {
    parse(Path::new("po/de.po"), text)
}

#[test]
fn every_part_of_an_entry_is_read() {
    let c = read(SAMPLE).expect("parses");
    assert_eq!(c.header_field("Language"), Some("de"));
    assert_eq!(c.entries.len(), 3);
    let e = &c.entries[0];
    assert_eq!(e.translator, vec!["my note"]);
    assert_eq!(e.extracted.len(), 3);
    assert_eq!(
        e.references,
        vec!["content/about.md:12", "content/other.md:3"]
    );
    assert!(e.is_fuzzy());
    assert_eq!(e.previous_msgid.as_deref(), Some("Old \"text\""));
    assert_eq!(e.msgctxt.as_deref(), Some("folio-ui"));
    assert_eq!(e.msgid, "A \"quote\"\tand \\ a [link][1]");
    assert_eq!(e.msgstr, "Zeile\nzwei");
    assert_eq!(e.line, 15);
    assert!(c.entries[1].is_translated());
    let o = &c.entries[2];
    assert!(o.obsolete && o.is_fuzzy());
    assert_eq!(o.previous_msgid.as_deref(), Some("prev"));
    assert_eq!((o.msgid.as_str(), o.msgstr.as_str()), ("obsolete", "alt"));
}

#[test]
fn writing_what_was_read_gives_the_same_text() {
    let c = read(SAMPLE).expect("parses");
    assert_eq!(write(&c), SAMPLE);
    assert_eq!(read(&write(&c)).expect("parses again"), c);
}

#[test]
fn long_reference_lines_wrap_at_79_columns_like_gettext() {
    let mut e = Entry::new(None, "m".into());
    let long = format!("{}:1", "a".repeat(70));
    e.references = vec![long.clone(), "b:2".into(), "c:3".into()];
    let text = write(&Catalog {
        header: None,
        entries: vec![e],
    });
    assert!(
        text.starts_with(&format!("#: {long} b:2\n#: c:3\n")),
        "{text}"
    );
}

#[test]
fn malformed_files_are_located_errors() {
    let cases = [
        ("msgid \"a\nmsgstr \"\"\n", 1, "malformed string"),
        (
            "msgid \"a\"\nmsgstr \"\"\n\"x\\q\"\n",
            3,
            "malformed string",
        ),
        ("msgstr \"x\"\n", 1, "msgstr without a msgid"),
        ("msgid \"a\"\nmsgid_plural \"b\"\n", 2, "plural"),
        (
            "msgid \"a\"\nmsgstr \"\"\nmsgstr \"b\"\n",
            3,
            "second msgstr",
        ),
        ("msgid \"a\"\nhello\n", 2, "expected msgctxt"),
        ("\"orphan\"\n", 1, "continues no"),
    ];
    for (text, line, needle) in cases {
        let err = read(text).expect_err(text);
        let shown = err.to_string();
        assert!(shown.contains(needle), "{text:?}: {shown}");
        assert!(
            shown.contains(&format!("po/de.po:{line}")),
            "{text:?}: {shown}"
        );
    }
}

#[test]
fn msgcat_leaves_written_files_unchanged() {
    let Some(tools) = crate::test_external::validators(&["msgcat"], "PO round trip") else {
        return;
    };
    let _ = tools;
    let mut e = Entry::new(None, "line one\\\nline two with a long text".repeat(4));
    e.references = (0..12)
        .map(|i| format!("content/page-{i}.md:{i}"))
        .collect();
    e.extracted = vec!["id: p/x".into(), "[1]: https://example.net/a b".into()];
    let catalog = Catalog {
        header: read(SAMPLE).expect("parses").header,
        entries: vec![e, read(SAMPLE).expect("parses").entries[0].clone()],
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("x.po");
    std::fs::write(&path, write(&catalog)).expect("write");
    let out = std::process::Command::new("msgcat")
        .arg("--no-wrap")
        .arg(&path)
        .output()
        .expect("msgcat runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), write(&catalog));
}
