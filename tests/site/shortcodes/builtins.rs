//! Hugo's built-in shortcodes through all three outputs: `ref`/`relref`,
//! `highlight`, `details`, `param`, the embeds, `qr`, and the note that
//! stands for a shortcode folio does not know.

use super::{build, page, pdf_rectangles, project};
use std::io::Read;

// ------------------------------------------------------------------ ref

#[test]
fn ref_and_relref_link_to_pages_bundles_and_anchors() {
    let site = project("", "[page.md, about/faq.md, docs/install/index.md]");
    site.write(
        "content/page.md",
        "---\ntitle: Page\n---\n\n\
         See [the FAQ]({{< ref \"about/faq.md\" >}}), [owners]({{< relref \"/about/faq#who-owns-it\" >}}),\n\
         [the guide]({{< ref \"docs/install\" >}}) and [by name]({{< ref \"install\" >}}#step-two).\n\n\
         Alone: {{< ref \"faq\" >}}\n\n\
         <p>In HTML: <a href='{{< relref \"about/faq.md\" >}}'>faq</a></p>\n",
    );
    site.write(
        "content/about/faq.md",
        "---\ntitle: FAQ\n---\n\n## Who owns it?\n\nNobody.\n",
    );
    site.write(
        "content/docs/install/index.md",
        "---\ntitle: Install\n---\n\n## Step two\n\nRun it.\n",
    );
    let (run, out) = build(&site);
    assert!(!run.stderr.contains("warning: content"), "{}", run.stderr);
    out.none("{{<").none("ref \"");
    // In the EPUB every ref is a link inside the book.
    out.epub_has("<a href=\"about-faq.xhtml\">the FAQ</a>")
        .epub_has("<a href=\"about-faq.xhtml#who-owns-it\">owners</a>")
        .epub_has("<a href=\"docs-install.xhtml\">the guide</a>")
        .epub_has("<a href=\"docs-install.xhtml#step-two\">by name</a>")
        .epub_has("<a href=\"about-faq.xhtml\">faq</a>");
    // Alone in text a ref shows the page's URL, as Hugo prints it.
    out.all("Alone: https://xmpp.org/about/faq/");
    out.text_has("https://xmpp.org/docs/install/#step-two");
}

#[test]
fn broken_and_ambiguous_refs_warn_with_file_and_line() {
    let site = project("", "[page.md, a/faq.md, b/faq.md]");
    site.write(
        "content/page.md",
        "---\ntitle: Page\n---\n\nFine.\n\n[gone]({{< ref \"about/nothere.md\" >}})\n\n\
         [which]({{< ref \"faq\" >}})\n\n[anchor]({{< ref \"a/faq.md#nope\" >}})\n\n{{< relref >}}\n",
    );
    site.write("content/a/faq.md", "---\ntitle: A\n---\n\nA.\n");
    site.write("content/b/faq.md", "---\ntitle: B\n---\n\nB.\n");
    let (run, out) = build(&site);
    run.assert_stderr(&[
        "page.md:7: broken ref `about/nothere.md`",
        "page.md:9: ambiguous ref `faq`: pages /a/faq/, /b/faq/",
        "page.md:11: broken link `a/faq.md#nope`: page /a/faq/ has no anchor `#nope`",
        "page.md:13: shortcode `relref` names no page",
    ]);
    // A broken ref still points where Hugo would put the page.
    out.text_has("gone [1]")
        .text_has("https://xmpp.org/about/nothere/");
    out.none("{{<");
}

// ------------------------------------------------------------ highlight

#[test]
fn highlight_is_a_code_block_with_its_language() {
    let site = page(
        "",
        "\nBefore.\n\n{{< highlight go \"linenos=table,hl_lines=2\" >}}\nfunc main() {\n\tfmt.Println(\"it's -- here...\")\n}\n{{< /highlight >}}\n\n{{< highlight >}}\nplain \"text\"\n{{< /highlight >}}\n",
    );
    let (run, out) = build(&site);
    assert!(!run.stderr.contains("highlight"), "{}", run.stderr);
    // Kept verbatim: code is never typographed.
    out.text_has("    func main() {\n")
        .text_has("fmt.Println(\"it's -- here...\")")
        .text_has("    plain \"text\"");
    out.epub_has("<pre><code class=\"language-go\">func main() {")
        .epub_has("fmt.Println(\"it's -- here...\")")
        .epub_has("<pre><code>plain \"text\"</code></pre>");
    out.pdf_has("func main() {").pdf_has("plain \"text\"");
    out.none("linenos");
}

// -------------------------------------------------------------- details

#[test]
fn details_is_a_titled_block_in_every_output() {
    let site = page(
        "",
        "\n{{< details summary=\"Why *XMPP*?\" open=true >}}\nBecause it is **open**.\n\n- one\n- two\n{{< /details >}}\n\n{{% details %}}\nNo summary given.\n{{% /details %}}\n\nAfter.\n",
    );
    let (run, out) = build(&site);
    assert!(!run.stderr.contains("details"), "{}", run.stderr);
    out.text_has("[Details: Why XMPP?]\n\nBecause it is open.\n\n- one\n- two\n")
        .text_has("[Details: Details]\n\nNo summary given.");
    out.epub_has("<div class=\"details\">\n<p class=\"details-summary\">Why <em>XMPP</em>?</p>\n<p>Because it is <strong>open</strong>.</p>")
        .epub_has("<p class=\"details-summary\">Details</p>");
    out.pdf_has("Why XMPP?")
        .pdf_has("Because it is open.")
        .pdf_has("No summary given.");
}

// ---------------------------------------------------------------- param

#[test]
fn param_shows_page_values_and_warns_about_missing_ones() {
    let site = page("", "");
    site.write(
        "content/page.md",
        "---\ntitle: Page\nAuthor: Ann Lee\nparams:\n  color: teal\n  meta:\n    year: 2024\ntags: [chat, open]\n---\n\nBy {{< param \"author\" >}} in {{< param \"color\" >}} ({{< param \"meta.YEAR\" >}}; {{< param tags >}}).\n\nMissing: [{{< param \"nope.deeper\" >}}].\n\nA map: [{{< param \"meta\" >}}].\n",
    );
    let (run, out) = build(&site);
    out.all("By Ann Lee in teal (2024; chat, open).")
        .all("Missing: [].")
        .all("A map: [].");
    run.assert_stderr(&[
        "page.md:13: param `nope.deeper` is set neither in the page's front matter nor in the site's params",
        "page.md:15: param `meta` is a mapping, not a value",
    ]);
}

// --------------------------------------------------------------- embeds

#[test]
fn embeds_name_the_service_and_show_the_address() {
    let site = page(
        "",
        "\n{{< youtube w7Ft2ymGmfc >}}\n\n{{< youtube id=\"dQw4w9WgXcQ\" title=\"Release talk\" >}}\n\n{{< vimeo 55073825 >}}\n\n{{< x user=\"xmpp\" id=\"1453110110599868418\" >}}\n\n{{< tweet 20 >}}\n\n{{< instagram CxOWiQNP2MO >}}\n\n{{< gist spf13 7896402 \"img.html\" >}}\n",
    );
    let (run, out) = build(&site);
    assert!(!run.stderr.contains("shortcode"), "{}", run.stderr);
    for (label, url) in [
        (
            "YouTube video",
            "https://www.youtube.com/watch?v=w7Ft2ymGmfc",
        ),
        (
            "YouTube video: Release talk",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        ),
        ("Vimeo video", "https://vimeo.com/55073825"),
        ("Post on X", "https://x.com/xmpp/status/1453110110599868418"),
        ("Post on X", "https://x.com/i/status/20"),
        ("Instagram post", "https://www.instagram.com/p/CxOWiQNP2MO/"),
        (
            "GitHub gist: img.html",
            "https://gist.github.com/spf13/7896402#file-img-html",
        ),
    ] {
        out.text_has(&format!("[{label}] {url}\n"));
        out.epub_has(&format!("<a href=\"{url}\">{url}</a>"));
        out.pdf_has(label).pdf_has(url);
        // A link the PDF reader can follow.
        assert!(
            site.outputs_contain(format!("({url})").as_bytes()),
            "no PDF link to {url}"
        );
    }
    out.epub_has("<div class=\"embed embed-vimeo\">");
}

#[test]
fn embeds_without_a_valid_id_warn_and_point_to_the_website() {
    let site = page(
        "",
        "\nOne.\n\n{{< youtube \"not an id\" >}}\n\n{{< vimeo abc >}}\n\n{{< gist >}}\n\n{{< x user=\"a b\" id=\"1\" >}}\n",
    );
    let (run, out) = build(&site);
    run.assert_stderr(&[
        "page.md:7: shortcode `youtube` has `not an id`, which is not a video id",
        "page.md:9: shortcode `vimeo` has `abc`, which is not a video number",
        "page.md:11: shortcode `gist` gives no user name",
        "page.md:13: shortcode `x` has `a b`, which is not a user name",
    ]);
    out.all("(shown on the website: https://xmpp.org/page/)");
    out.none("not an id").none("youtube.com");
}

// ------------------------------------------------------------------- qr

#[test]
fn qr_codes_are_vectors_in_the_pdf_and_images_in_the_epub() {
    let plain = page("", "\nNo code here.\n");
    build(&plain);
    let base = pdf_rectangles(&plain.path("dist/b.pdf"));
    let site = page(
        "",
        "\n{{< qr text=\"https://xmpp.org/\" alt=\"The XMPP website\" />}}\n\n{{< qr level=\"high\" >}}\nBEGIN:VCARD\nFN:Ann\nEND:VCARD\n{{< /qr >}}\n",
    );
    let (run, out) = build(&site);
    assert!(!run.stderr.contains("qr"), "{}", run.stderr);
    out.text_has("[QR code: The XMPP website: https://xmpp.org/]")
        .text_has("[QR code: BEGIN:VCARD\nFN:Ann\nEND:VCARD]");
    out.epub_has("<figure class=\"qr\"")
        .epub_has("alt=\"The XMPP website\"")
        .epub_has("<figcaption><a href=\"https://xmpp.org/\">https://xmpp.org/</a></figcaption>");
    // Drawn as rectangles, not as an image: crisp at any zoom.
    let drawn = pdf_rectangles(&site.path("dist/b.pdf")) - base;
    assert!(drawn > 100, "only {drawn} rectangles for two QR codes");
    assert!(!site.outputs_contain(b"/Subtype /Image") && !site.outputs_contain(b"/Subtype/Image"));
    out.pdf_has("https://xmpp.org/");
    // The EPUB's images: square PNGs with a light quiet zone and the dark
    // finder pattern's corner where the symbol starts (4 modules in).
    let bytes = std::fs::read(site.path("dist/b.epub")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut sides = Vec::new();
    for name in ["OEBPS/images/qr.png", "OEBPS/images/qr-2.png"] {
        let mut data = Vec::new();
        zip.by_name(name).unwrap().read_to_end(&mut data).unwrap();
        let img = image::load_from_memory(&data).unwrap().to_luma8();
        let (w, h) = img.dimensions();
        assert_eq!(w, h, "{name} is square");
        let module = w / (w / 8);
        assert_eq!(img.get_pixel(1, 1)[0], 255, "{name}: quiet zone");
        let corner = 4 * module + module / 2;
        assert_eq!(
            img.get_pixel(corner, corner)[0],
            0,
            "{name}: finder pattern"
        );
        sides.push(w);
    }
    // More text at a higher level: a larger symbol.
    assert!(sides[1] > sides[0], "{sides:?}");
}

#[test]
fn qr_codes_that_cannot_be_made_warn() {
    let long = "x".repeat(4000);
    let site = page(
        "",
        &format!(
            "\nIntro.\n\n{{{{< qr >}}}}{{{{< /qr >}}}}\n\n{{{{< qr text=\"x\" level=\"extreme\" >}}}}\n\n{{{{< qr text=\"{long}\" >}}}}\n"
        ),
    );
    let (run, out) = build(&site);
    run.assert_stderr(&[
        "page.md:7: shortcode `qr` has no text to encode",
        "page.md:9: shortcode `qr`: level `extreme` is not one of low, medium, quartile, high",
        "page.md:11: shortcode `qr`: 4000 bytes of text cannot be encoded as a QR code",
    ]);
    // What cannot be drawn is shown as text, nothing is lost.
    out.text_has(&long);
}

// -------------------------------------------------- unconfigured shortcodes

#[test]
fn unconfigured_widgets_become_a_note_pointing_to_the_website() {
    let site = page(
        "shortcodes:\n  quiet: drop\n",
        "\nIntro.\n\n{{< member-count >}}\n\nWe have {{< badge kind=\"new\" >}} members.\n\n{{< quiet >}}\n\n{{< row >}}\nKept **inner** text.\n{{< /row >}}\n",
    );
    let (run, out) = build(&site);
    run.assert_stderr(&[
        "page.md:7: shortcode `member-count` is not supported: shown as a note pointing to the page on the website",
        "page.md:9: shortcode `badge` is not supported",
        "page.md:13: shortcode `row` is not supported: kept its inner content",
    ]);
    assert!(!run.stderr.contains("`quiet`"), "{}", run.stderr);
    let note = "(shown on the website: https://xmpp.org/page/)";
    out.all(note)
        .all(&format!("We have {note} members."))
        .all("Kept inner text.");
    // Set as a note: italic, linking to the website.
    out.epub_has("<div class=\"web-only\">\n<p><em>(shown on the website: <a href=\"https://xmpp.org/page/\">https://xmpp.org/page/</a>)</em></p>")
        .epub_has("We have <span class=\"web-only\"><em>(shown");
    assert!(
        site.outputs_contain(b"(https://xmpp.org/page/)"),
        "no PDF link to the page"
    );
    out.none("{{<");
}
