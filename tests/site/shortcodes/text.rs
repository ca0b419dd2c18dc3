//! Text as Hugo shows it: smart punctuation (on by default, never in code,
//! URLs or shortcode arguments, off on request) and emoji codes.

use super::{build, page};

// --------------------------------------------------------- typographer

#[test]
fn smart_punctuation_as_hugo_shows_it() {
    let site = page(
        "",
        "\n# It's \"done\"\n\n\"Hello,\" she said -- \"it's the '90s...\" Rock --- and 'single' quotes.\n\nDon't stop: \"*emphasis*\" and \"**strong**\". Pages 3--5.\n\n- \"Listed\" items' quotes\n\n| \"Cell\" |\n|---|\n| isn't |\n",
    );
    let (_, out) = build(&site);
    out.all("It’s “done”")
        .all("“Hello,” she said – “it’s the ’90s…” Rock — and ‘single’ quotes.")
        .all("Don’t stop: “emphasis” and “strong”. Pages 3–5.")
        .all("“Listed” items’ quotes")
        .all("“Cell”")
        .all("isn’t");
    out.epub_has("“<em>emphasis</em>”");
}

#[test]
fn smart_punctuation_never_touches_code_urls_or_shortcode_arguments() {
    let site = page(
        "",
        "\nCode `it's -- \"x\"...` and https://example.org/a--b/it's...\n\n```\nlet s = \"it's\"; // --- ...\n```\n\n    indented \"code\" -- here\n\n<https://example.org/c--d> and [link](https://example.org/e--f \"it's a title\").\n\nWrite {{</* figure src=\"it's--x.png\" */>}} like this.\n\n<p>HTML \"text\" -- <a href=\"https://example.org/g--h\">g</a></p>\n",
    );
    let (_, out) = build(&site);
    out.all("it's -- \"x\"...")
        .all("https://example.org/a--b/it's…")
        .all("let s = \"it's\"; // --- ...")
        .all("indented \"code\" -- here")
        .all("https://example.org/c--d")
        // Raw HTML is not Markdown: Hugo leaves its text alone too.
        .all("HTML \"text\" --");
    out.text_has("{{< figure src=\"it's--x.png\" >}}")
        .pdf_has("{{< figure src=\"it's--x.png\" >}}")
        .epub_has("{{&lt; figure src=\"it's--x.png\" &gt;}}");
    out.text_has("https://example.org/e--f \"it's a title\"")
        .epub_has("href=\"https://example.org/e--f\"")
        .epub_has("href=\"https://example.org/g--h\"");
}

#[test]
fn smart_punctuation_can_be_turned_off() {
    let body = "\n\"Quoted\" -- it's... here --- there.\n";
    let site = page("typographer: false\n", body);
    let (_, out) = build(&site);
    out.all("\"Quoted\" -- it's... here --- there.");
    out.none("“").none("’").none("–").none("…");
}

// ---------------------------------------------------------------- emoji

#[test]
fn emoji_codes_when_enabled_never_in_code() {
    let body = "\nThanks :tada: :+1: :smile:! Not :nonsense: or 10:30:45.\n\n`:smile:` in code.\n";
    let on = page("emoji: true\n", body);
    let (run, out) = build(&on);
    out.text_has("Thanks 🎉 👍 😄! Not :nonsense: or 10:30:45.")
        .epub_has("Thanks 🎉 👍 😄! Not :nonsense: or 10:30:45.")
        .text_has(":smile: in code")
        .epub_has("<code>:smile:</code> in code")
        .pdf_has(":smile: in code");
    // The shipped fonts have no emoji: a system emoji font prints it, and
    // without one the PDF says so rather than print nothing.
    if run.stderr.contains("no font has the character `🎉`") {
        run.assert_stderr(&["page.md:5: no font has the character `🎉`"]);
    } else {
        out.pdf_has("Thanks 🎉 👍 😄!");
    }
    out.pdf_has("Thanks");
    let off = page("", body);
    let (_, out) = build(&off);
    out.all("Thanks :tada: :+1: :smile:!");
    out.none("🎉");
}
