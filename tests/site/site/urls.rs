//! Permalinks and aliases: page URLs from the config's patterns, and
//! links by any URL of a page (and in its language first) made internal.

use super::*;

#[test]
fn permalinks_with_every_token() {
    let site = hugo(&[
        (
            "hugo.toml",
            "baseURL = 'https://p.example.net/'\n[permalinks]\nblog = '/:year/:month/:day/:title/'\nnews = '/:section/:monthname-:yearday/:slug/'\ndocs = '/manual/:sections/:filename/'\nbundles = '/b/:contentbasename/:weekdayname/'\nnotes = '/n/:slugorfilename/'\n",
        ),
        (
            "content/blog/first-post.md",
            &page(
                "Hello, World: Part 2!",
                "date: 2024-08-05T10:00:00+02:00\n",
                "x",
            ),
        ),
        (
            "content/news/item.md",
            &page("Big News", "date: 2023-02-01\nslug: The Item\n", "x"),
        ),
        ("content/docs/setup/install.md", &page("Install", "", "x")),
        (
            "content/bundles/trip/index.md",
            &page("A Trip", "date: 2024-08-04\n", "x"),
        ),
        ("content/notes/untitled.md", &page("Untitled", "", "x")),
        // An explicit url wins over the pattern.
        (
            "content/blog/moved.md",
            &page("Moved", "date: 2020-01-01\nurl: /elsewhere/moved/\n", "x"),
        ),
        // A blog post without a date gets Hugo's zero date.
        ("content/blog/undated.md", &page("No Date", "", "x")),
    ]);
    let all = books(&site, &[]);
    let mut urls: Vec<String> = pages(book(&all, "site"))
        .into_iter()
        .map(|(u, _)| u)
        .collect();
    urls.sort();
    assert_eq!(
        urls,
        [
            "/0001/01/01/no-date/",
            "/2024/08/05/hello-world-part-2/",
            "/b/trip/sunday/",
            "/elsewhere/moved/",
            "/manual/docs/setup/install/",
            "/n/untitled/",
            "/news/february-32/the-item/",
        ]
    );
}

#[test]
fn permalinks_make_site_links_to_posts_internal() {
    let site = hugo(&[
        (
            "hugo.json",
            "{\"baseURL\": \"https://xmpp.example/\", \"permalinks\": {\"page\": {\"blog\": \"/:year/:month/:slug/\"}, \"section\": {\"blog\": \"/news/\"}}}",
        ),
        ("content/blog/_index.md", &page("Blog", "", "All posts.")),
        (
            "content/blog/post.md",
            &page("The Post", "date: 2024-08-15\nslug: newsletter\n", "Body."),
        ),
        (
            "content/index-page.md",
            &page(
                "Links",
                "",
                "[a](/2024/08/newsletter/) [b](https://xmpp.example/2024/08/newsletter/) [c](/news/) [d](/blog/post/)",
            ),
        ),
    ]);
    let all = books(&site, &[]);
    let b = book(&all, "site");
    assert_internal(b, "/2024/08/newsletter/", "/2024/08/newsletter/");
    assert_internal(
        b,
        "https://xmpp.example/2024/08/newsletter/",
        "/2024/08/newsletter/",
    );
    assert_internal(b, "/news/", "/news/");
    // The file path is not the post's URL any more.
    assert_eq!(links(b)["/blog/post/"]["kind"], "external");
}

#[test]
fn aliases_and_every_url_form_find_the_page() {
    let site = translated(&[
        (
            "hugo.toml",
            &format!("baseURL = 'https://a.example.net/'\n{LANGUAGES_TOML}"),
        ),
        (
            "content/guide/new.md",
            &page("New", "aliases: [/old-guide/, legacy, /Über/]\n", "x"),
        ),
        (
            "content/guide/new.de.md",
            &page("Neu", "aliases: [alt]\n", "x"),
        ),
        (
            "content/links.md",
            &page(
                "Links",
                "",
                "[1](/old-guide/) [2](/old-guide) [3](/guide/legacy/index.html) [4](/guide/new.html) [5](http://a.example.net/guide/new) [6](/%C3%BCber/) [7](/GUIDE/NEW/) [8](/de/guide/alt/)",
            ),
        ),
    ]);
    let all = books(&site, &[]);
    let en = book(&all, "site");
    for href in [
        "/old-guide/",
        "/old-guide",
        "/guide/legacy/index.html",
        "/guide/new.html",
        "http://a.example.net/guide/new",
        "/%C3%BCber/",
        "/GUIDE/NEW/",
    ] {
        assert_internal(en, href, "/guide/new/");
    }
    // The German page's relative alias is under its own prefix: a page of
    // another book, so a link out on the base URL.
    assert_eq!(
        links(en)["/de/guide/alt/"]["url"],
        "https://a.example.net/de/guide/alt/"
    );
}

#[test]
fn links_resolve_in_the_same_language_first() {
    let site = translated(&[("hugo.toml", LANGUAGES_TOML)]);
    let all = books(&site, &[]);
    let de = book(&all, "site.de");
    // `faq.md` and `/about/faq/` from the German team page: the German FAQ.
    assert_internal(de, "faq.md", "/de/about/faq/");
    assert_internal(de, "/about/faq/", "/de/about/faq/");
    let en = book(&all, "site");
    assert_internal(en, "faq.md", "/about/faq/");
    assert_internal(en, "/about/faq/", "/about/faq/");
    // In a book holding both, each page still finds its own language's.
    let root = common::root();
    site.config(&format!(
        "fonts: {}\ntemplates: {}\nsite: .\nbooks:\n  both:\n    title: Both\n    pages: [about/faq.md, about/faq.de.md, about/team.md, about/team.de.md]\n",
        root.join("fonts").display(),
        root.join("templates").display()
    ));
    let run = site.run(&["model", "--book", "both"]);
    run.assert_code(0);
    let both: Value = serde_json::from_str(&run.stdout).unwrap();
    let target_of = |page: usize, href: &str| -> String {
        let page = &both["pages"][page];
        let links = links(&serde_json::json!({ "pages": [page] }));
        let id = links[href]["page"].as_str().unwrap().to_string();
        both["pages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == id.as_str())
            .unwrap()["url"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(target_of(2, "faq.md"), "/about/faq/");
    assert_eq!(target_of(3, "faq.md"), "/de/about/faq/");
    assert_eq!(target_of(3, "/about/faq/"), "/de/about/faq/");
}
