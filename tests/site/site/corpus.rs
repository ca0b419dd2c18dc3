//! The real xmpp.org site, as it is.

use super::*;

#[test]
fn the_xmpp_org_site_builds_one_book_per_language() {
    let Some(corpus) = common::corpus_dir() else {
        common::skip("../shared/corpus/xmpp-org not found: the site build not checked");
        return;
    };
    let site = hugo(&[]);
    let corpus = corpus.display().to_string();
    let run = site.run(&["build", "--site", &corpus]);
    run.assert_code(0);
    assert!(
        !run.stderr.contains("base URL is unknown"),
        "{}",
        run.stderr
    );
    let names = ["site", "site.de", "site.es", "site.fr", "site.it"];
    for name in names {
        for ext in ["pdf", "epub"] {
            assert!(
                site.path(&format!("dist/{name}.{ext}")).is_file(),
                "{name}.{ext}"
            );
        }
    }
    assert!(
        !site.outputs_contain(b"example.org"),
        "example.org in an output"
    );
    for (name, lang) in names.iter().zip(["en", "de", "es", "fr", "it"]) {
        let epub = std::fs::read(site.path(&format!("dist/{name}.epub"))).unwrap();
        let files = epub_files(&epub);
        let opf = &files["OEBPS/content.opf"];
        assert!(
            opf.contains("XMPP - The universal messaging standard"),
            "{name}: the config's title"
        );
        for (file, chapter_lang) in chapter_languages(&epub) {
            assert_eq!(chapter_lang, lang, "{name}: {file}");
        }
        let pdf = std::fs::read(site.path(&format!("dist/{name}.pdf"))).unwrap();
        assert_eq!(pdf_lang(&pdf), lang);
    }
    // The English book links on the config's base URL.
    let text = std::fs::read_to_string(site.path("dist/text/site/site.txt")).unwrap();
    assert!(text.contains("https://xmpp.org/"), "the base URL");
    // Only English in the English book: the French GSoC page is in site.fr.
    assert!(!text.contains("La XSF et le Google Summer of Code 2022"));
    let fr = std::fs::read_to_string(site.path("dist/text/site.fr/site.fr.txt")).unwrap();
    assert!(fr.contains("La XSF et le Google Summer of Code 2022"));
}
