//! Every external link target a valid URL in every output.

use super::*;

#[test]
fn idn_hosts_become_punycode_in_every_output_without_a_warning() {
    let site = site_with(
        "Read [Hanokh](https://חנוך.se/) and [Marius](https://マリウス.com/blog/) and \
         [a wiki](https://de.wikipedia.org/wiki/Übersicht).\n",
        &[],
    );
    let run = site.run(&["build"]);
    run.assert_code(0);
    assert!(!run.stderr.contains("page.md"), "{}", run.stderr);
    for url in [
        "https://xn--9dbdkw.se/",
        "https://xn--gckvb8fzb.com/blog/",
        "https://de.wikipedia.org/wiki/%C3%9Cbersicht",
    ] {
        assert!(
            epub_hrefs(&site).iter().any(|h| h == url),
            "EPUB lacks {url}"
        );
        assert!(pdf_uris(&site).iter().any(|u| u == url), "PDF lacks {url}");
        assert!(text_output(&site).contains(url), "text lacks {url}");
    }
    assert!(!epub_xhtml(&site).contains("חנוך.se"));
    assert_epubcheck_clean(&site);
}

#[test]
fn scheme_typos_are_repaired_with_a_located_warning() {
    let site = site_with(
        "One [single slash](https:/xmpp.org/one/).\n\n\
         Two [no colon](http//xmpp.org/two/).\n\n\
         Three [no slashes](HTTPS:xmpp.org/three/).\n\n\
         Four [backslashes](<https:\\\\xmpp.org\\four>).\n",
        &[],
    );
    let run = site.run(&["build"]);
    run.assert_code(0);
    for (line, url, what) in [
        (5, "https://xmpp.org/one/", "`//` missing"),
        (7, "http://xmpp.org/two/", "`:` missing after `http`"),
        (9, "https://xmpp.org/three/", "`//` missing"),
        (11, "https://xmpp.org/four", "turned `\\` into `/`"),
    ] {
        let warning = format!("content/page.md:{line}: link `");
        let found = run
            .stderr
            .lines()
            .find(|l| l.contains(&warning))
            .unwrap_or_else(|| panic!("no warning at line {line}:\n{}", run.stderr));
        assert!(found.contains(what) && found.contains(url), "{found}");
        assert!(
            epub_hrefs(&site).iter().any(|h| h == url),
            "EPUB lacks {url}"
        );
        assert!(pdf_uris(&site).iter().any(|u| u == url), "PDF lacks {url}");
        assert!(text_output(&site).contains(url), "text lacks {url}");
    }
    // The links pass never saw `http//…` as a site path.
    assert!(!site.outputs_contain(b"http//"));
    assert_epubcheck_clean(&site);
}

#[test]
fn markdown_leftovers_second_hashes_and_spaces_are_repaired() {
    let site = site_with(
        "See [the newsletter](https://xmpp.org/newsletter/]).\n\n\
         A [fragment](https://example.net/page#one#two).\n\n\
         A [spaced](<https://example.net/a file.html>) link.\n\n\
         <a href=\"https://example.net/html link/\">HTML</a> too.\n\n\
         Kept: [wiki](https://en.wikipedia.org/wiki/Jabber_(protocol)).\n",
        &[],
    );
    let run = site.run(&["build"]);
    run.assert_code(0);
    run.assert_stderr(&[
        "content/page.md:5: link `https://xmpp.org/newsletter/]`: dropped the `]` at its end",
        "content/page.md:7: link `https://example.net/page#one#two`: encoded the second `#` as `%23`",
        "content/page.md:9: link `https://example.net/a file.html`: encoded a space as `%20`",
        "content/page.md:11: link `https://example.net/html link/`: encoded a space as `%20`",
    ]);
    assert!(!run.stderr.contains("Jabber_"), "{}", run.stderr);
    let hrefs = epub_hrefs(&site);
    let uris = pdf_uris(&site);
    for url in [
        "https://xmpp.org/newsletter/",
        "https://example.net/page#one%23two",
        "https://example.net/a%20file.html",
        "https://example.net/html%20link/",
        "https://en.wikipedia.org/wiki/Jabber_(protocol)",
    ] {
        assert!(
            hrefs.iter().any(|h| h == url),
            "EPUB lacks {url}: {hrefs:?}"
        );
        assert!(uris.iter().any(|u| u == url), "PDF lacks {url}: {uris:?}");
    }
    assert_epubcheck_clean(&site);
}

#[test]
fn unparseable_urls_keep_their_text_and_lose_the_link() {
    let site = site_with(
        "A [broken host](<https://exa mple.net/>) here.\n\n\
         A [bad port](https://example.net:99999/) there.\n\n\
         An [empty host](https://) too.\n",
        &[],
    );
    let run = site.run(&["build"]);
    run.assert_code(0);
    for (line, href) in [
        (5, "https://exa mple.net/"),
        (7, "https://example.net:99999/"),
        (9, "https://"),
    ] {
        run.assert_stderr(&[&format!(
            "content/page.md:{line}: link `{href}` is not a valid URL"
        )]);
    }
    for text in ["broken host", "bad port", "empty host"] {
        assert!(site.outputs_contain(text.as_bytes()), "{text} lost");
    }
    assert!(
        !epub_hrefs(&site)
            .iter()
            .any(|h| h.contains("mple") || h.contains("99999")),
        "{:?}",
        epub_hrefs(&site)
    );
    assert!(
        pdf_uris(&site)
            .iter()
            .all(|u| !u.contains("mple") && u != "https://")
    );
    assert!(!text_output(&site).contains("99999"));
    assert_epubcheck_clean(&site);
}

#[test]
fn mail_chat_and_phone_links_stay_valid() {
    let site = site_with(
        "Write to [the editor](mailto:editor@xmpp.org), join \
         [the room](xmpp:council@muc.xmpp.org?join), call [us](tel:+49-30-1234), \
         or [Jürgen](<mailto:jürgen@example.org?subject=Hello World>).\n",
        &[],
    );
    let run = site.run(&["build"]);
    run.assert_code(0);
    let hrefs = epub_hrefs(&site);
    for url in [
        "mailto:editor@xmpp.org",
        "xmpp:council@muc.xmpp.org?join",
        "tel:+49-30-1234",
        "mailto:j%C3%BCrgen@example.org?subject=Hello%20World",
    ] {
        assert!(
            hrefs.iter().any(|h| h == url),
            "EPUB lacks {url}: {hrefs:?}"
        );
        assert!(pdf_uris(&site).iter().any(|u| u == url), "PDF lacks {url}");
    }
    assert_epubcheck_clean(&site);
}

#[test]
fn figure_links_and_attribution_links_are_normalised() {
    let site = site_with(
        "{{< figure src=\"/images/a.png\" alt=\"A chart\" link=\"https:/xmpp.org/chart/\" \
         attr=\"by Marius\" attrlink=\"https://マリウス.com/\" >}}\n",
        &[("images/a.png", image_bytes(40, 30, RED, ImageFormat::Png))],
    );
    let run = site.run(&["build"]);
    run.assert_code(0);
    run.assert_stderr(&["content/page.md:5: link `https:/xmpp.org/chart/`"]);
    let hrefs = epub_hrefs(&site);
    assert!(
        hrefs.iter().any(|h| h == "https://xmpp.org/chart/"),
        "{hrefs:?}"
    );
    assert!(
        hrefs.iter().any(|h| h == "https://xn--gckvb8fzb.com/"),
        "{hrefs:?}"
    );
    assert!(
        pdf_uris(&site)
            .iter()
            .any(|u| u == "https://xmpp.org/chart/")
    );
    assert_epubcheck_clean(&site);
}
