//! Languages: translations by suffix and by folder, one book per
//! language with its pages, `xml:lang`, `/Lang`, hyphenation, `--lang`.

use super::*;

#[test]
fn translations_by_suffix_one_book_per_language() {
    let site = translated(&[("hugo.toml", LANGUAGES_TOML)]);
    let all = books(&site, &[]);
    assert_eq!(
        all.keys().collect::<Vec<_>>(),
        ["site", "site.de", "site.pt-br"]
    );
    assert_eq!(
        pages(book(&all, "site")),
        [
            ("/".to_string(), "Home".to_string()),
            ("/about/faq/".to_string(), "FAQ".to_string()),
            ("/about/team/".to_string(), "Team".to_string()),
        ]
    );
    assert_eq!(
        pages(book(&all, "site.de")),
        [
            ("/de/".to_string(), "Startseite".to_string()),
            ("/de/about/faq/".to_string(), "Häufige Fragen".to_string()),
            ("/de/about/team/".to_string(), "Das Team".to_string()),
        ]
    );
    assert_eq!(
        pages(book(&all, "site.pt-br")),
        [("/pt-br/about/faq/".to_string(), "Perguntas".to_string())]
    );
    // Each book's language, as the site spells it; every page in it.
    for (name, lang) in [("site", "en"), ("site.de", "de"), ("site.pt-br", "pt-BR")] {
        let b = book(&all, name);
        assert_eq!(b["meta"]["language"], lang);
        for p in b["pages"].as_array().unwrap() {
            assert_eq!(p["lang"], lang, "{name}: {}", p["url"]);
        }
    }
    // The German title is the language's own.
    assert_eq!(book(&all, "site.de")["meta"]["title"], "Die Seite");
}

#[test]
fn a_suffix_the_site_does_not_list_is_part_of_the_name() {
    let site = translated(&[
        ("hugo.toml", LANGUAGES_TOML),
        ("content/notes.fr.md", &page("Notes", "", "x")),
        ("content/old.ro.md", &page("Vechi", "", "x")),
    ]);
    site.write(
        "hugo.toml",
        format!("disableLanguages = ['ro']\n{LANGUAGES_TOML}[languages.ro]\n"),
    );
    let all = books(&site, &[]);
    assert!(!all.contains_key("site.fr") && !all.contains_key("site.ro"));
    let en = pages(book(&all, "site"));
    assert!(
        en.contains(&("/notes.fr/".to_string(), "Notes".to_string())),
        "{en:?}"
    );
    // A turned-off language's pages are in no book.
    assert!(
        all.values()
            .all(|b| !pages(b).iter().any(|(_, t)| t == "Vechi"))
    );
}

#[test]
fn translations_by_content_dir() {
    let site = hugo(&[
        (
            "hugo.toml",
            "title = 'Dirs'\n[languages.en]\ncontentDir = 'content/english'\nweight = 1\n[languages.fr]\ncontentDir = 'content/french'\nweight = 2\n[languages.ar]\ncontentDir = 'content/arabic'\nlanguageDirection = 'rtl'\nweight = 3\n",
        ),
        (
            "content/english/_index.md",
            &page("Home", "", "[Guide](guide.md)"),
        ),
        (
            "content/english/guide.md",
            &page("Guide", "", "English guide."),
        ),
        (
            "content/french/_index.md",
            &page("Accueil", "", "[Guide](guide.md)"),
        ),
        (
            "content/french/guide.md",
            &page("Le guide", "", "Guide en français."),
        ),
        ("content/arabic/guide.md", &page("دليل", "", "نص عربي.")),
    ]);
    let all = books(&site, &[]);
    assert_eq!(
        all.keys().collect::<Vec<_>>(),
        ["site", "site.ar", "site.fr"]
    );
    assert_eq!(
        pages(book(&all, "site")),
        [
            ("/".to_string(), "Home".to_string()),
            ("/guide/".to_string(), "Guide".to_string())
        ]
    );
    let fr = book(&all, "site.fr");
    assert_eq!(
        pages(fr),
        [
            ("/fr/".to_string(), "Accueil".to_string()),
            ("/fr/guide/".to_string(), "Le guide".to_string())
        ]
    );
    assert_internal(fr, "guide.md", "/fr/guide/");
    assert_eq!(fr["meta"]["language"], "fr");
    assert_eq!(book(&all, "site.ar")["meta"]["direction"], "rtl");
    // The Arabic EPUB says so on every chapter.
    site.run(&["build", "--site", ".", "--lang", "ar", "--format", "epub"])
        .assert_code(0);
    let files = epub_files(&std::fs::read(site.path("dist/site.ar.epub")).unwrap());
    let chapter = files
        .iter()
        .find(|(name, text)| name.ends_with(".xhtml") && text.contains("نص عربي"))
        .expect("the Arabic chapter");
    assert!(
        chapter
            .1
            .contains("xml:lang=\"ar\" lang=\"ar\" dir=\"rtl\""),
        "{}",
        chapter.1
    );
    // And is a valid EPUB, its language and direction included.
    if let Some(tools) = common::validators(&["epubcheck"], "the Arabic EPUB not validated") {
        let (ok, report) = tools.run("epubcheck", &[site.path("dist/site.ar.epub")]);
        assert!(
            ok && !report.contains("ERROR") && !report.contains("WARNING"),
            "{report}"
        );
    }
}

#[test]
fn every_chapter_and_the_pdf_carry_the_books_language() {
    let site = translated(&[("hugo.toml", LANGUAGES_TOML)]);
    site.run(&["build", "--site", "."]).assert_code(0);
    for (name, lang) in [("site", "en"), ("site.de", "de"), ("site.pt-br", "pt-BR")] {
        let epub = std::fs::read(site.path(&format!("dist/{name}.epub"))).unwrap();
        let chapters = chapter_languages(&epub);
        assert!(!chapters.is_empty(), "{name}: {chapters:?}");
        for (file, chapter_lang) in &chapters {
            assert_eq!(chapter_lang, lang, "{name}: {file}");
        }
        let opf = &epub_files(&epub)["OEBPS/content.opf"];
        assert!(
            opf.contains(&format!(">{lang}</dc:language>")),
            "{name}: {opf}"
        );
        let pdf = std::fs::read(site.path(&format!("dist/{name}.pdf"))).unwrap();
        assert_eq!(pdf_lang(&pdf), lang, "{name}");
    }
    // German text only in the German book.
    let de = std::fs::read_to_string(site.path("dist/text/site.de/site.de.txt")).unwrap();
    assert!(de.contains("Willkommen") && !de.contains("Welcome"), "{de}");
    let en = std::fs::read_to_string(site.path("dist/text/site/site.txt")).unwrap();
    assert!(en.contains("Welcome") && !en.contains("Willkommen"), "{en}");
}

#[test]
fn lang_selects_books() {
    let site = translated(&[("hugo.toml", LANGUAGES_TOML)]);
    site.run(&["build", "--site", ".", "--lang", "de", "--format", "text"])
        .assert_code(0);
    assert!(site.path("dist/text/site.de").is_dir());
    assert!(!site.path("dist/text/site").exists() && !site.path("dist/text/site.pt-br").exists());
    let two = books(&site, &["--lang", "pt-br", "--lang", "EN"]);
    assert_eq!(two.keys().collect::<Vec<_>>(), ["site", "site.pt-br"]);
    site.run(&["check", "--site", ".", "--lang", "ja"])
        .assert_code(1)
        .assert_stderr(&["the site has no language `ja`", "en, de, pt-br"]);
    // `site: languages:` in folio.yaml does the same for a plain build.
    let root = common::root();
    site.config(&format!(
        "fonts: {}\ntemplates: {}\nsite:\n  path: .\n  languages: [de]\n",
        root.join("fonts").display(),
        root.join("templates").display()
    ));
    let run = site.run(&["check"]);
    run.assert_code(0)
        .assert_stderr(&["checked 1 book, 3 pages"]);
    site.config("site:\n  path: .\n  languages: [xx]\n");
    site.run(&["check"])
        .assert_code(1)
        .assert_located("folio.yaml", Some(3));
}

#[test]
fn german_pdf_is_hyphenated_at_german_break_points() {
    use hyphenation::{Hyphenator, Language, Load, Standard};
    let Some(tools) = common::validators(&["pdftotext"], "German hyphenation not read back") else {
        return;
    };
    let words = [
        "Donaudampfschifffahrtsgesellschaft",
        "Rechtsschutzversicherungsgesellschaften",
        "Kraftfahrzeughaftpflichtversicherung",
        "Bundesausbildungsförderungsgesetz",
        "Arbeitsunfähigkeitsbescheinigung",
    ];
    let sentence = format!(
        "Die {} und die {} prüfen die {} nach dem {} mit der {}. ",
        words[0], words[1], words[2], words[3], words[4]
    );
    let site = hugo(&[
        ("hugo.toml", "[languages.en]\n[languages.de]\n"),
        ("content/a.md", &page("A", "", "English.")),
        (
            "content/a.de.md",
            &page("Lange Wörter", "", &sentence.repeat(12)),
        ),
    ]);
    site.run(&["build", "--site", ".", "--lang", "de", "--format", "pdf"])
        .assert_code(0);
    let (ok, text) = tools.run(
        "pdftotext",
        &[
            "-layout".as_ref(),
            site.path("dist/site.de.pdf").as_os_str(),
            "-".as_ref(),
        ],
    );
    assert!(ok, "{text}");
    let german = Standard::from_embedded(Language::German1996).unwrap();
    let english = Standard::from_embedded(Language::EnglishUS).unwrap();
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut breaks = Vec::new();
    for pair in lines.windows(2) {
        let Some(head) = pair[0].strip_suffix('-') else {
            continue;
        };
        let head = head.rsplit(' ').next().unwrap_or_default();
        let tail = pair[1].split([' ', '.']).next().unwrap_or_default();
        let word = format!("{head}{tail}");
        if words.contains(&word.as_str()) {
            breaks.push((word, head.len()));
        }
    }
    assert!(breaks.len() >= 3, "hardly any hyphenated words:\n{text}");
    let mut only_german = 0;
    for (word, at) in &breaks {
        let lower = word.to_lowercase();
        assert!(
            german.hyphenate(&lower).breaks.contains(at),
            "`{word}` broken after {at} bytes, not a German break point"
        );
        if !english.hyphenate(&lower).breaks.contains(at) {
            only_german += 1;
        }
    }
    assert!(only_german > 0, "every break is also English's: {breaks:?}");
}

#[test]
fn a_language_without_patterns_warns_once_per_book() {
    let site = hugo(&[
        (
            "hugo.toml",
            "[languages.en]\n[languages.ja]\n[languages.tlh]\n",
        ),
        ("content/a.md", &page("A", "", "English.")),
        ("content/a.ja.md", &page("エー", "", "日本語の文章。")),
        ("content/b.ja.md", &page("ビー", "", "もう一つ。")),
        ("content/a.tlh.md", &page("wa'", "", "tlhIngan Hol.")),
    ]);
    let run = site.run(&["build", "--site", ".", "--format", "pdf"]);
    run.assert_code(0);
    assert_eq!(
        run.stderr
            .matches("no hyphenation patterns for language `tlh`")
            .count(),
        1,
        "{}",
        run.stderr
    );
    // Japanese is not hyphenated (its lines break between characters):
    // nothing to warn about.
    assert!(!run.stderr.contains("language `ja`"), "{}", run.stderr);
    assert!(!run.stderr.contains("language `en`"), "{}", run.stderr);
}

#[test]
fn default_language_in_a_subfolder() {
    let site = translated(&[(
        "hugo.toml",
        &format!("defaultContentLanguageInSubdir = true\n{LANGUAGES_TOML}"),
    )]);
    let all = books(&site, &[]);
    let en = book(&all, "site");
    assert_eq!(pages(en)[0].0, "/en/");
    assert_internal(en, "/about/faq/", "/en/about/faq/");
}

#[test]
fn configured_books_take_a_pages_language_from_suffix_or_front_matter() {
    let site = translated(&[("hugo.toml", LANGUAGES_TOML)]);
    site.write(
        "content/extra.md",
        page("Extra", "lang: de\n", "Auf Deutsch, ohne Endung."),
    );
    let root = common::root();
    site.config(&format!(
        "fonts: {}\ntemplates: {}\nsite: .\nbooks:\n  mixed:\n    title: Mixed\n    formats: [epub]\n    pages: [about/faq.md, about/faq.de.md, about/faq.pt-br.md, extra.md]\n",
        root.join("fonts").display(),
        root.join("templates").display()
    ));
    let run = site.run(&["model", "--book", "mixed"]);
    run.assert_code(0);
    let mixed: Value = serde_json::from_str(&run.stdout).unwrap();
    let langs: Vec<&str> = mixed["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["lang"].as_str().unwrap())
        .collect();
    assert_eq!(langs, ["en", "de", "pt-BR", "de"]);
    assert_eq!(mixed["pages"][3]["url"], "/de/extra/");
    site.run(&["build"]).assert_code(0);
    let chapters = chapter_languages(&std::fs::read(site.path("dist/mixed.epub")).unwrap());
    let mut found: Vec<&str> = chapters.iter().map(|(_, l)| l.as_str()).collect();
    found.sort();
    assert_eq!(found, ["de", "de", "en", "pt-BR"], "{chapters:?}");
}

#[test]
fn many_languages_are_bounded_and_each_page_is_read_by_its_book() {
    // 60 languages, a page each: 60 books, each of its one page.
    let mut config = String::from("title = 'Babel'\ndefaultContentLanguage = 'l00'\n");
    let mut files = Vec::new();
    for i in 0..60 {
        let code = format!("l{i:02}");
        config.push_str(&format!("[languages.{code}]\nweight = {}\n", i + 1));
        files.push((
            format!("content/page.{code}.md"),
            page(&format!("Page {code}"), "", &format!("Text {code}.")),
        ));
    }
    let mut all: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    all.push(("hugo.toml", &config));
    let site = hugo(&all);
    let started = std::time::Instant::now();
    let run = site.run(&["check", "--site", "."]);
    run.assert_code(0)
        .assert_stderr(&["checked 60 books, 60 pages"]);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    // More languages than `limits: languages` is an error at the table.
    let root = common::root();
    site.config(&format!(
        "fonts: {}\ntemplates: {}\nlimits:\n  languages: 59\n",
        root.join("fonts").display(),
        root.join("templates").display()
    ));
    site.run(&["check", "--site", "."])
        .assert_code(1)
        .assert_stderr(&["lists 60 languages, more than the limit of 59"])
        .assert_located("hugo.toml", Some(3));
}

#[test]
fn a_language_whose_pages_are_all_drafts_has_no_book_without_drafts() {
    let site = hugo(&[
        (
            "hugo.toml",
            "[languages.en]\n[languages.de]\n[languages.fr]\n",
        ),
        ("content/a.md", &page("A", "", "English.")),
        ("content/a.de.md", &page("A", "draft: true\n", "Entwurf.")),
        ("content/b.fr.md", &page("B", "draft: true\n", "Brouillon.")),
        ("content/a.fr.md", &page("A", "", "Français.")),
    ]);
    let run = site.run(&["build", "--site", ".", "--format", "text"]);
    run.assert_code(0);
    assert!(site.path("dist/text/site.fr").is_dir());
    assert!(!site.path("dist/text/site.de").exists(), "a book of drafts");
    assert!(!site.outputs_contain(b"Brouillon"));
    site.run(&["build", "--site", ".", "--format", "text", "--drafts"])
        .assert_code(0);
    assert!(site.outputs_contain(b"Entwurf") && site.outputs_contain(b"Brouillon"));
}
