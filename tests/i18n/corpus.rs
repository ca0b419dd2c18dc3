//! The xmpp.org corpus as a Hugo site: its catalog is valid gettext, holds
//! no shortcode and no URL in a msgid, and a pseudo-translated site book
//! carries every translated segment into its text output.

use super::catalogs::pseudo_translate;
use super::common;
use super::harness::*;

#[test]
fn the_corpus_catalog_is_clean_and_translates_back() {
    let Some(_) = common::corpus() else {
        return;
    };
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let site = Site::empty();
    let dir = dir.display().to_string();
    site.run(&["i18n", "update", "--site", &dir, "--lang", "de"])
        .assert_code(0);
    let pot = std::fs::read_to_string(site.path("po/messages.pot")).unwrap();
    let msgids: Vec<&str> = pot.lines().filter(|l| l.starts_with("msgid ")).collect();
    assert!(msgids.len() > 2000, "{} messages", msgids.len());
    for m in &msgids {
        assert!(!m.contains("{{<") && !m.contains("{{%"), "{m}");
        // Link targets are comments; an address written as prose (a
        // namespace, say) is text like any other.
        let unescaped = m.replace("\\\\]", "").replace("\\\\<", "");
        assert!(
            !unescaped.contains("](") && !unescaped.contains("<http"),
            "{m}"
        );
    }
    let prose = msgids.iter().filter(|m| m.contains("://")).count();
    assert!(prose < 40, "{prose} msgids hold an address");
    // Only the default language's book is source text.
    assert!(pot.contains("#. id: book/site/title\n") && !pot.contains("book/site.de/"));
    if common::validators(&["msgfmt"], "the corpus catalog against msgfmt").is_some() {
        for rel in ["po/messages.pot", "po/de.po"] {
            let out = std::process::Command::new("msgfmt")
                .args(["--check", "-o", "/dev/null"])
                .arg(site.path(rel))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{rel}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let po = std::fs::read_to_string(site.path("po/de.po")).unwrap();
    site.write("po/de.po", pseudo_translate(&po));
    let run = site.run(&[
        "i18n", "build", "--site", &dir, "--lang", "de", "--format", "text",
    ]);
    run.assert_code(0);
    let text: String = site
        .outputs()
        .into_iter()
        .filter(|(p, _)| p.starts_with("text/site.de"))
        .map(|(_, b)| String::from_utf8_lossy(&b).into_owned())
        .collect();
    let marked = text.matches("§ ").count();
    assert!(marked > 2000, "{marked} translated segments in the text");
}
