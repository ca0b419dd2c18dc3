//! Hugo's configuration files: each shape, precedence, case, folio.yaml
//! over the site, a site without one, errors at their file and line.

use super::*;

#[test]
fn config_in_hugo_toml() {
    let site = hugo(&[
        (
            "hugo.toml",
            "baseURL = 'https://hugo.example.net/'\ntitle = 'Toml Site'\n[params]\nsubtitle = 'From TOML'\ndescription = 'A site in TOML'\nauthor = 'Ann Author'\ndateFormat = '2 January 2006'\n",
        ),
        (
            "content/a.md",
            &page("A", "", "Go to [b](/b/) or [out](/out/)."),
        ),
        ("content/b.md", &page("B", "", "Bee.")),
    ]);
    let all = books(&site, &[]);
    let meta = &book(&all, "site")["meta"];
    assert_eq!(meta["title"], "Toml Site");
    assert_eq!(meta["base_url"], "https://hugo.example.net/");
    assert_eq!(meta["subtitle"], "From TOML");
    assert_eq!(meta["description"], "A site in TOML");
    assert_eq!(meta["authors"], serde_json::json!(["Ann Author"]));
    assert_eq!(meta["date_format"], "2 January 2006");
    assert_internal(book(&all, "site"), "/b/", "/b/");
    assert_eq!(
        links(book(&all, "site"))["/out/"]["url"],
        "https://hugo.example.net/out/"
    );
}

#[test]
fn config_in_hugo_yaml() {
    let site = hugo(&[
        (
            "hugo.yaml",
            "baseURL: https://yaml.example.net/docs/\ntitle: Yaml Site\nparams:\n  author:\n    name: The Team\n",
        ),
        (
            "content/a.md",
            &page("A", "", "[Home](https://yaml.example.net/docs/a/)"),
        ),
    ]);
    let all = books(&site, &[]);
    let site_book = book(&all, "site");
    assert_eq!(site_book["meta"]["title"], "Yaml Site");
    assert_eq!(
        site_book["meta"]["base_url"],
        "https://yaml.example.net/docs/"
    );
    assert_eq!(
        site_book["meta"]["authors"],
        serde_json::json!(["The Team"])
    );
    // A link on the base URL, path and all, is the page itself.
    assert_internal(site_book, "https://yaml.example.net/docs/a/", "/a/");
}

#[test]
fn config_in_config_json_the_old_name() {
    let site = hugo(&[
        (
            "config.json",
            "{\n  \"baseURL\": \"https://json.example.net\",\n  \"title\": \"Json Site\"\n}\n",
        ),
        ("content/a.md", &page("A", "", "x")),
    ]);
    let all = books(&site, &[]);
    let meta = &book(&all, "site")["meta"];
    assert_eq!(meta["title"], "Json Site");
    // A base URL without its slash gets one.
    assert_eq!(meta["base_url"], "https://json.example.net/");
}

#[test]
fn config_folder_with_languages_json_and_a_params_file() {
    let site = translated(&[
        (
            "config/_default/hugo.toml",
            "baseURL = 'https://dir.example.net/'\ntitle = 'Folder Site'\n",
        ),
        (
            "config/_default/languages.json",
            "{\"en\": {\"weight\": 1}, \"de\": {\"weight\": 2, \"title\": \"Deutsche Seite\", \"params\": {\"subtitle\": \"Auf Deutsch\"}}, \"pt-br\": {\"weight\": 3}}",
        ),
        (
            "config/_default/params.yaml",
            "subtitle: In English\ndescription: Shared by all\n",
        ),
        // Hugo's build environment is production: its params win.
        (
            "config/production/params.toml",
            "description = 'For production'\n",
        ),
        (
            "config/_default/menus.de.toml",
            "[[main]]\nname = 'Start'\nurl = '/de/'\n",
        ),
    ]);
    let all = books(&site, &[]);
    let en = &book(&all, "site")["meta"];
    assert_eq!(en["title"], "Folder Site");
    assert_eq!(en["subtitle"], "In English");
    assert_eq!(en["description"], "For production");
    let de = &book(&all, "site.de")["meta"];
    assert_eq!(de["title"], "Deutsche Seite");
    assert_eq!(de["subtitle"], "Auf Deutsch");
    assert_eq!(de["description"], "For production");
    assert_eq!(de["base_url"], "https://dir.example.net/");
}

#[test]
fn keys_ignore_case_as_in_hugo() {
    let site = translated(&[(
        "hugo.yaml",
        "BASEURL: https://case.example.net/\nDefaultContentLanguage: EN\nPARAMS:\n  SubTitle: Any Case\nLanguages:\n  En: {Weight: 1}\n  DE: {WEIGHT: 2, LanguageName: Deutsch, Title: Deutsch}\n  pt-BR: {LanguageCode: pt-BR}\n",
    )]);
    let all = books(&site, &[]);
    assert_eq!(
        all.keys().collect::<Vec<_>>(),
        ["site", "site.de", "site.pt-br"]
    );
    let en = &book(&all, "site")["meta"];
    assert_eq!(en["language"], "en");
    assert_eq!(en["subtitle"], "Any Case");
    assert_eq!(en["base_url"], "https://case.example.net/");
    assert_eq!(book(&all, "site.de")["meta"]["title"], "Deutsch");
    assert_eq!(book(&all, "site.pt-br")["meta"]["language"], "pt-BR");
    // Two spellings of one key in one mapping are an error at the second.
    site.write("hugo.yaml", "title: a\nbaseURL: x\nTitle: b\n");
    site.run(&["build", "--site", "."])
        .assert_code(1)
        .assert_stderr(&["`title` is given twice"])
        .assert_located("hugo.yaml", Some(3));
}

#[test]
fn the_default_language_owns_pages_without_a_suffix() {
    let site = translated(&[(
        "hugo.toml",
        &format!("defaultContentLanguage = 'de'\n{LANGUAGES_TOML}"),
    )]);
    let all = books(&site, &[]);
    // German is the default: its book is `site`, unprefixed, and holds the
    // pages without a suffix too, as Hugo has it.
    let de = book(&all, "site");
    assert_eq!(de["meta"]["language"], "de");
    let urls: Vec<String> = pages(de).into_iter().map(|(u, _)| u).collect();
    assert!(urls.contains(&"/about/faq/".to_string()), "{urls:?}");
    assert!(!all.contains_key("site.en"), "no page says it is English");
}

#[test]
fn only_the_first_root_file_is_read_and_it_wins_over_the_folder() {
    let site = hugo(&[
        ("hugo.toml", "title = 'From hugo.toml'\n"),
        (
            "config.toml",
            "title = 'From config.toml'\nbaseURL = 'https://wrong.example/'\n",
        ),
        (
            "config/_default/hugo.json",
            "{\"title\": \"From the folder\", \"baseURL\": \"https://folder.example.net/\"}",
        ),
        ("content/a.md", &page("A", "", "x")),
    ]);
    let all = books(&site, &[]);
    let meta = &book(&all, "site")["meta"];
    assert_eq!(meta["title"], "From hugo.toml");
    assert_eq!(meta["base_url"], "https://folder.example.net/");
}

#[test]
fn folio_yaml_wins_over_the_site() {
    let site = translated(&[(
        "hugo/hugo.toml",
        "baseURL = 'https://site.example.net/'\ntitle = 'Site Title'\n[params]\nsubtitle = 'Site subtitle'\nauthor = 'Site Author'\n",
    )]);
    // The pages live in the site folder `hugo/`, named by folio.yaml.
    for (rel, text) in TRANSLATED {
        site.write(&format!("hugo/{rel}"), text);
    }
    let root = common::root();
    let tools = format!(
        "fonts: {}\ntemplates: {}\n",
        root.join("fonts").display(),
        root.join("templates").display()
    );
    site.config(&format!(
        "{tools}site:\n  path: hugo\n  title: Overridden\ndefaults:\n  base_url: https://folio.example.org/\n  authors: [Folio Author]\n"
    ));
    let run = site.run(&["model"]);
    run.assert_code(0);
    let all: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let meta = &all[0]["meta"];
    assert_eq!(meta["name"], "site");
    assert_eq!(meta["title"], "Overridden");
    assert_eq!(meta["base_url"], "https://folio.example.org/");
    assert_eq!(meta["authors"], serde_json::json!(["Folio Author"]));
    assert_eq!(
        meta["subtitle"], "Site subtitle",
        "what folio.yaml leaves out"
    );
    // With books, folio.yaml's books read the site's pages.
    site.config(&format!(
        "{tools}site: hugo\nbooks:\n  faq:\n    title: Just the FAQ\n    language: de\n    formats: [text]\n    pages: [about/faq.de.md]\n"
    ));
    let run = site.run(&["model", "--book", "faq"]);
    run.assert_code(0);
    let faq: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(faq["meta"]["title"], "Just the FAQ");
    assert_eq!(faq["meta"]["base_url"], "https://site.example.net/");
    assert_eq!(
        pages(&faq),
        [("/de/about/faq/".to_string(), "Häufige Fragen".to_string())]
    );
    // A site folder that is not there is an error at its line.
    site.config(&format!("{tools}site: nowhere\n"));
    site.run(&["build"])
        .assert_code(1)
        .assert_stderr(&["the site folder", "does not exist"])
        .assert_located("folio.yaml", Some(3));
}

#[test]
fn without_config_the_base_url_is_unknown_once_and_links_stay_relative() {
    let site = hugo(&[
        (
            "content/a.md",
            &page("A", "", "[B](/b/) and [gone](/gone/)"),
        ),
        ("content/b.md", &page("B", "", "Bee.")),
        ("content/b.fr.md", &page("Bé", "", "[A](/a/)")),
    ]);
    let run = site.run(&["build", "--site", "."]);
    run.assert_code(0);
    // Two books (English and, by its two-letter suffix, French), one warning.
    assert_eq!(
        run.stderr.matches("base URL is unknown").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(site.path("dist/site.pdf").is_file() && site.path("dist/site.fr.epub").is_file());
    assert!(!site.outputs_contain(b"example.org"));
    assert!(
        site.outputs_contain(b"/gone/"),
        "links out stay site-relative"
    );
    let all = books(&site, &[]);
    assert_eq!(links(book(&all, "site"))["/gone/"]["url"], "/gone/");
    assert_eq!(
        pages(book(&all, "site.fr")),
        [("/fr/b/".to_string(), "Bé".to_string())]
    );
}

#[test]
fn config_errors_name_the_file_and_line() {
    let cases: [(&str, &str, &str, u32); 7] = [
        (
            "hugo.toml",
            "title = 'x'\nbaseURL = \n",
            "invalid site configuration",
            2,
        ),
        (
            "hugo.json",
            "{\n  \"title\": \"x\",\n  \"languages\": [1,,]\n}\n",
            "invalid site configuration",
            3,
        ),
        (
            "hugo.yaml",
            "title: x\nlanguages:\n  en: {}\n  de:\n    weight: heavy\n",
            "weight of language `de` must be an integer",
            5,
        ),
        (
            "hugo.toml",
            "title = 'x'\n[permalinks]\nblog = '/:yaer/:title/'\n",
            "unknown permalink token `:yaer`",
            3,
        ),
        (
            "hugo.toml",
            "title = 'x'\ncontentDir = '../../etc'\n",
            "is not a folder inside the site folder",
            2,
        ),
        (
            "config/_default/languages.toml",
            "[en]\n[de]\nlanguageDirection = 'upwards'\n",
            "write `ltr` or `rtl`",
            3,
        ),
        (
            "hugo.toml",
            "defaultContentLanguage = 'fr'\n[languages.en]\n",
            "the default language `fr` is not among the site's languages",
            1,
        ),
    ];
    for (file, text, message, line) in cases {
        let site = hugo(&[("content/a.md", &page("A", "", "x")), (file, text)]);
        let run = site.run(&["build", "--site", "."]);
        run.assert_code(1).assert_stderr(&[message]);
        let name = Path::new(file).file_name().unwrap().to_str().unwrap();
        run.assert_located(name, Some(line));
        assert!(!site.path("dist").exists(), "{file}: nothing written");
    }
}

#[test]
fn a_config_that_points_outside_the_site_is_refused_unread() {
    let (_dir, secret_path, marker) = secret();
    // The root config file a symbolic link to a file outside the site.
    let site = hugo(&[("content/a.md", &page("A", "", "x"))]);
    std::os::unix::fs::symlink(&secret_path, site.path("hugo.toml")).unwrap();
    let args = ["build", "--site", "."];
    site.run(&args)
        .assert_code(1)
        .assert_stderr(&["hugo.toml", "outside the site folder"]);
    assert_never_opened(&site, &args, &secret_path);
    // A language code that would make a path is refused at its line.
    let site = hugo(&[
        ("content/a.md", &page("A", "", "x")),
        ("hugo.toml", "[languages.en]\n[languages.'../../x']\n"),
    ]);
    site.run(&args)
        .assert_code(1)
        .assert_stderr(&["is not a language code"])
        .assert_located("hugo.toml", Some(2));
    // A static folder out of the site.
    let site = hugo(&[
        ("content/a.md", &page("A", "", "![s](/secret.txt)")),
        (
            "hugo.toml",
            &format!(
                "staticDir = ['static', '{}']\n",
                secret_path.parent().unwrap().display()
            ),
        ),
    ]);
    site.run(&args)
        .assert_code(1)
        .assert_located("hugo.toml", Some(1));
    assert!(!site.outputs_contain(marker.as_bytes()));
}

#[test]
fn hostile_configs_fail_fast_naming_their_file() {
    let deep_json = format!("{{\"a\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_yaml = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let deep_toml = format!("a = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let huge = format!("title = \"{}\"\n", "a".repeat(2 << 20));
    let cases: [(&str, &str, &str); 5] = [
        ("hugo.json", &deep_json, "recursion limit exceeded"),
        ("hugo.yaml", &deep_yaml, "nested more than 64 levels deep"),
        (
            "config/_default/params.toml",
            &deep_toml,
            "nested more than 64 levels deep",
        ),
        ("hugo.yaml", &bomb, "repetition limit exceeded"),
        ("hugo.toml", &huge, "more than the limit of 1048576"),
    ];
    for (file, text, message) in cases {
        let site = hugo(&[("content/a.md", &page("A", "", "x")), (file, text)]);
        let started = std::time::Instant::now();
        let run = site.run(&["check", "--site", "."]);
        run.assert_code(1).assert_stderr(&[file, message]);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{file}: {:?}",
            started.elapsed()
        );
    }
}
