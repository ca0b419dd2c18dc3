use super::paths::*;
use super::*;

fn index() -> LinkIndex {
    let mut i = LinkIndex {
        base_url: "https://xmpp.org/".into(),
        ..Default::default()
    };
    for (id, url, src, anchors) in [
        (
            "about-faq",
            "/about/faq/",
            "about/faq.md",
            vec!["who-owns-xmpp"],
        ),
        (
            "about-xsf-mission",
            "/about/xsf/mission/",
            "about/xsf/mission.md",
            vec![],
        ),
    ] {
        i.by_url.insert(url.into(), id.into());
        i.by_source.insert(src.into(), id.into());
        i.urls.insert(id.into(), url.into());
        i.anchors.insert(
            id.into(),
            std::sync::Arc::new(anchors.into_iter().map(String::from).collect()),
        );
    }
    i.by_url
        .insert("/about/xsf/mission.html".into(), "about-xsf-mission".into());
    i
}

/// A page of `id` in `lang`, with nothing else.
fn page(id: &str, lang: &str) -> Page {
    Page {
        source: PathBuf::new(),
        source_rel: PathBuf::new(),
        url: String::new(),
        lang: lang.into(),
        ..Page::stub(id)
    }
}

fn from() -> From<'static> {
    From {
        page_id: "about-xsf-mission",
        url: "/about/xsf/mission/",
        source_rel: Path::new("about/xsf/mission.md"),
    }
}

fn internal(page: &str, anchor: Option<&str>, url: &str) -> LinkTarget {
    LinkTarget::Internal {
        page: page.into(),
        anchor: anchor.map(String::from),
        url: url.into(),
    }
}

#[test]
fn site_absolute_link_to_book_page_is_internal() {
    let i = index();
    assert_eq!(
        i.resolve("/about/faq/", from()),
        Ok(internal("about-faq", None, "https://xmpp.org/about/faq/"))
    );
    assert_eq!(
        i.resolve("/about/faq", from()),
        Ok(internal("about-faq", None, "https://xmpp.org/about/faq/"))
    );
    assert_eq!(
        i.resolve("/about/faq/#who-owns-xmpp", from()),
        Ok(internal(
            "about-faq",
            Some("who-owns-xmpp"),
            "https://xmpp.org/about/faq/#who-owns-xmpp"
        ))
    );
    assert_eq!(
        i.resolve("https://xmpp.org/about/faq/", from()),
        Ok(internal("about-faq", None, "https://xmpp.org/about/faq/"))
    );
    assert_eq!(
        i.resolve("/about/xsf/mission.html", from()),
        Ok(internal(
            "about-xsf-mission",
            None,
            "https://xmpp.org/about/xsf/mission/"
        ))
    );
}

#[test]
fn site_link_outside_book_goes_to_base_url() {
    let i = index();
    assert_eq!(
        i.resolve("/extensions/xep-0234.html", from()),
        Ok(LinkTarget::External {
            url: "https://xmpp.org/extensions/xep-0234.html".into()
        })
    );
}

#[test]
fn relative_links() {
    let i = index();
    assert_eq!(
        i.resolve("../../faq/", from()),
        Ok(internal("about-faq", None, "https://xmpp.org/about/faq/"))
    );
    assert_eq!(
        i.resolve("../faq.md", from()),
        Ok(internal("about-faq", None, "https://xmpp.org/about/faq/"))
    );
    assert!(matches!(
        i.resolve("nothere.md", from()),
        Err((_, Problem::MissingFile(_)))
    ));
    // A page URL is a folder: `../faq/` from /about/xsf/mission/ is /about/xsf/faq/.
    assert_eq!(
        i.resolve("../faq/", from()),
        Ok(LinkTarget::External {
            url: "https://xmpp.org/about/xsf/faq/".into()
        })
    );
}

#[test]
fn anchors_are_checked() {
    let i = index();
    let err = i.resolve("/about/faq/#nope", from()).unwrap_err();
    assert_eq!(
        err.0,
        internal("about-faq", None, "https://xmpp.org/about/faq/")
    );
    assert!(matches!(err.1, Problem::MissingAnchor { .. }));
    assert!(i.resolve("#missing", from()).is_err());
}

#[test]
fn aliases_languages_and_url_forms() {
    assert_eq!(alias_path("/de/docs/new/", "old"), "/de/docs/old");
    assert_eq!(alias_path("/docs/new/", "../up/"), "/up/");
    assert_eq!(alias_path("/docs/new/", "/abs/"), "/abs/");
    assert_eq!(
        without_language(Path::new("a/faq.de.md"), "de-de"),
        (PathBuf::from("a/faq.md"), true)
    );
    assert_eq!(
        without_language(Path::new("a/faq.pt-br.md"), "pt-br"),
        (PathBuf::from("a/faq.md"), true)
    );
    assert_eq!(
        without_language(Path::new("a/faq.fr.md"), "de"),
        (PathBuf::from("a/faq.fr.md"), false)
    );
    assert_eq!(url_prefix("/de/about/", "de-de"), "/de");
    assert_eq!(url_prefix("/about/", "de"), "");
    assert_eq!(url_prefix("/pt-br/x/", "pt-br"), "/pt-br");
    assert_eq!(percent_decode("/%C3%BCber/"), "/über/");
    assert_eq!(percent_decode("/100%/"), "/100%/");
    assert_eq!(percent_decode("/%FF/"), "/%FF/", "not UTF-8: as written");
    let i = index();
    assert_eq!(i.strip_base("http://XMPP.org/about/"), Some("about/"));
    assert_eq!(i.strip_base("https://xmpp.org"), Some(""));
    assert_eq!(i.strip_base("https://xmpp.org.evil/"), None);
    assert_eq!(i.strip_base("ftp://xmpp.org/"), None);
}

#[test]
fn unknown_base_url_keeps_links_site_relative() {
    let mut i = index();
    i.base_url = String::new();
    assert_eq!(
        i.resolve("/about/faq/", from()),
        Ok(internal("about-faq", None, "/about/faq/"))
    );
    assert_eq!(
        i.resolve("/extensions/", from()),
        Ok(LinkTarget::External {
            url: "/extensions/".into()
        })
    );
}

#[test]
fn refs_find_pages_as_hugo_does() {
    let mut i = index();
    for (id, src, lang) in [
        ("docs-install", "docs/install/index.md", "en"),
        ("blog", "blog/_index.md", "en"),
        ("about-faq-de", "about/faq.de.md", "de"),
    ] {
        i.add_content_path(Path::new(src), &page(id, lang));
        i.urls.insert(id.into(), format!("/{id}/"));
    }
    for src in ["about/faq.md", "about/xsf/mission.md"] {
        let id = i.by_source[Path::new(src)].clone();
        i.add_content_path(Path::new(src), &page(&id, "en"));
    }
    let target = |r: Result<LinkTarget, (LinkTarget, Problem)>| match r {
        Ok(LinkTarget::Internal { page, anchor, .. }) => (page, anchor),
        other => panic!("{other:?}"),
    };
    let en = |path: &str| target(i.resolve_ref(path, from(), "en"));
    assert_eq!(en("about/faq.md").0, "about-faq");
    assert_eq!(en("/about/faq").0, "about-faq");
    assert_eq!(en("About/FAQ/").0, "about-faq");
    assert_eq!(en("../faq.md").0, "about-faq");
    assert_eq!(en("faq").0, "about-faq");
    assert_eq!(en("docs/install").0, "docs-install");
    assert_eq!(en("install").0, "docs-install");
    assert_eq!(en("blog").0, "blog");
    assert_eq!(en("mission").0, "about-xsf-mission");
    assert_eq!(
        en("faq#who-owns-xmpp"),
        ("about-faq".to_string(), Some("who-owns-xmpp".to_string()))
    );
    // A translation is found from a page in its language.
    assert_eq!(
        target(i.resolve_ref("about/faq", from(), "de")).0,
        "about-faq-de"
    );
    assert_eq!(en("about/faq.de.md").0, "about-faq-de");
    let missing = i.resolve_ref("nothere.md#x", from(), "en").unwrap_err();
    assert_eq!(missing.1, Problem::MissingRef);
    assert_eq!(
        missing.0,
        LinkTarget::External {
            url: "https://xmpp.org/nothere/#x".into()
        }
    );
}

#[test]
fn other_schemes_are_kept() {
    let i = index();
    for href in [
        "https://www.ietf.org/",
        "mailto:a@b.c",
        "xmpp:council@muc.xmpp.org?join",
    ] {
        assert_eq!(
            i.resolve(href, from()),
            Ok(LinkTarget::External { url: href.into() })
        );
    }
    assert_eq!(
        i.resolve("//example.com/x", from()),
        Ok(LinkTarget::External {
            url: "https://example.com/x".into()
        })
    );
}
