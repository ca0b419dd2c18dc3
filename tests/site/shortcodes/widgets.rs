//! Widget shortcodes rendered by templates from the site's data files, and
//! what happens when a template or a data file is wrong or hostile.

use super::super::harness::{assert_never_opened, secret};
use super::{WIDGETS, build, page, project, with_fixture};

// -------------------------------------------------------------- widgets

#[test]
fn widget_templates_render_member_and_sponsor_lists_from_data() {
    let site = project(WIDGETS, "[page.md, about/council.md]");
    with_fixture(&site);
    let (run, out) = build(&site);
    assert!(!run.stderr.contains("shortcode"), "{}", run.stderr);
    // Members sorted by name, roles named (linked where a team has a page).
    out.all("Arno_Bell")
        .reads("Mira Okafor (Infrastructure)")
        .reads("Zoë Quill (XMPP Council, XMPP Registrar)")
        .reads("Jon Early (Infrastructure)");
    out.text_has("- Zoë Quill (XMPP Council [2], XMPP Registrar)\n");
    let arno = out.text.find("Arno_Bell").unwrap();
    let mira = out.text.find("Mira Okafor").unwrap();
    let zoe = out.text.find("Zoë Quill").unwrap();
    assert!(arno < mira && mira < zoe, "not sorted:\n{}", out.text);
    // A role's page in the book is a link inside the book.
    out.epub_has("<a href=\"about-council.xhtml\">XMPP Council</a>")
        .epub_has("<a href=\"https://xmpp.org/about/infrastructure/\">Infrastructure</a>");
    // Sponsors by tier: an empty tier shows nothing, gold with
    // descriptions, silver as a list of links.
    out.none("Platinum Sponsors");
    out.all("Gold Sponsors")
        .all("Northwind runs federated servers for schools and libraries.")
        .all("More about Quay Labs")
        .all("Silver Sponsors")
        .all("Tern & Co");
    out.epub_has("<a href=\"https://tern.example/\">Tern &amp; Co</a>")
        .epub_has("<a href=\"https://xmpp.org/sponsors/northwind-hosting/\">More about Northwind Hosting</a>");
    out.none("{{<").none("{%").none("null").none("None");
}

#[test]
fn widget_templates_see_arguments_inner_content_page_and_nested_shortcodes() {
    let site = project(
        "shortcodes:\n  card: { template: shortcodes/card.md }\n",
        "[page.md, about/faq.md]",
    );
    site.write(
        "templates/shortcodes/card.md",
        "**{{ args[0] }}** for {{ args.who }} ({{ positional|length }} positional, {{ named|length }} named) on {{ page.title }}, {{ page.team.lead }}.\n\n{{ inner }}\n\nMore: [FAQ]({{ '{{' }}< ref \"faq\" >}}) {{ '{{' }}< youtube abc123 >}}\n",
    );
    site.write(
        "content/page.md",
        "---\ntitle: Page\nteam:\n  lead: Bo\n---\n\n{{% card \"Hello\" who=\"you\" %}}\nInner *Markdown* with {{< param \"team.lead\" >}}.\n{{% /card %}}\n",
    );
    site.write("content/about/faq.md", "---\ntitle: FAQ\n---\n\nAnswers.\n");
    let (run, out) = build(&site);
    assert!(!run.stderr.contains("warning: content"), "{}", run.stderr);
    out.all("Hello for you (1 positional, 1 named) on Page, Bo.")
        .all("Inner Markdown with Bo.")
        .all("https://www.youtube.com/watch?v=abc123");
    out.epub_has("<strong>Hello</strong>")
        .epub_has("<em>Markdown</em>")
        .epub_has("<a href=\"about-faq.xhtml\">FAQ</a>");
    out.none("{{<");
}

#[test]
fn widget_data_comes_from_json_yaml_toml_and_nested_folders() {
    let site = page(
        "data: data\nshortcodes:\n  teams: { template: shortcodes/teams.md }\n",
        "\n{{< teams >}}\n",
    );
    site.write("data/people/core.yaml", "lead: Ann\nsince: 2019\n");
    site.write("data/people/ops.toml", "lead = \"Bo\"\nsince = 2021\n");
    site.write("data/site.json", "{\"motto\": \"Open standards\"}\n");
    site.write("data/notes.txt", "not data");
    site.write(
        "templates/shortcodes/teams.md",
        "{% for name, team in data.people|items %}\n- {{ name }}: {{ team.lead }} since {{ team.since }}\n{% endfor %}\n\n{{ data.site.motto }}; {{ data.notes or \"no notes\" }}.\n",
    );
    let (run, out) = build(&site);
    assert!(!run.stderr.contains("warning: content"), "{}", run.stderr);
    out.all("core: Ann since 2019")
        .all("ops: Bo since 2021")
        .all("Open standards; no notes.");
}

#[test]
fn template_errors_name_the_template_and_the_page() {
    let site = page(
        "shortcodes:\n  broken: { template: shortcodes/broken.md }\n  failing: { template: shortcodes/failing.md }\n",
        "\nFirst.\n\n{{< broken >}}\n\n{{< failing >}}\n",
    );
    site.write(
        "templates/shortcodes/broken.md",
        "Line one.\n\n{% for x in %}\n",
    );
    site.write(
        "templates/shortcodes/failing.md",
        "Fine.\n{{ range(5) }}\n{{ range(100000000) }}\n",
    );
    let (run, out) = build(&site);
    run.assert_stderr(&[
        "page.md:7: shortcode `broken`: template templates/shortcodes/broken.md:3: syntax error",
        "page.md:9: shortcode `failing`: template templates/shortcodes/failing.md:3: invalid operation",
    ]);
    // The shortcode becomes the note; the page is built.
    out.all("First.")
        .all("(shown on the website: https://xmpp.org/page/)");
    out.none("Fine.");
}

#[test]
fn a_template_folio_cannot_read_is_a_config_error() {
    let (_dir, secret_path, marker) = secret();
    for (template, setup, needle) in [
        ("shortcodes/missing.md", None, "does not exist"),
        ("../outside.md", None, "leaves the templates folder"),
        (
            "/etc/passwd",
            None,
            "an absolute path outside the templates folder",
        ),
        (
            "shortcodes/link.md",
            Some(&secret_path),
            "outside the templates folder",
        ),
    ] {
        let site = page(
            &format!("shortcodes:\n  w: {{ template: \"{template}\" }}\n"),
            "\n{{< w >}}\n",
        );
        if let Some(target) = setup {
            std::fs::create_dir_all(site.path("templates/shortcodes")).unwrap();
            std::os::unix::fs::symlink(target, site.path("templates/shortcodes/link.md")).unwrap();
        }
        let run = site.run(&["build"]);
        run.assert_code(1)
            .assert_stderr(&[needle])
            .assert_located("folio.yaml", Some(6));
        assert!(!site.outputs_contain(marker.as_bytes()));
        if setup.is_some() {
            assert_never_opened(&site, &["build"], &secret_path);
        }
    }
}

#[test]
fn a_widget_that_calls_itself_stops() {
    let site = page(
        "shortcodes:\n  loop: { template: shortcodes/loop.md }\n",
        "\nBefore.\n\n{{< loop >}}\n\nAfter.\n",
    );
    site.write(
        "templates/shortcodes/loop.md",
        "x{{ '{{' }}< loop >}}{{ '{{' }}< loop >}}\n",
    );
    let start = std::time::Instant::now();
    let (run, out) = build(&site);
    assert!(start.elapsed().as_secs() < 30, "took {:?}", start.elapsed());
    run.assert_stderr(&["shortcode `loop`"]);
    out.all("Before.").all("After.");
}

#[test]
fn a_widget_loop_that_never_ends_runs_out_of_fuel() {
    let site = page(
        "shortcodes:\n  spin: { template: shortcodes/spin.md }\n",
        "\n{{< spin >}}\n\nAfter.\n",
    );
    site.write(
        "templates/shortcodes/spin.md",
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}\n",
    );
    let (run, out) = build(&site);
    run.assert_stderr(&["page.md:5: shortcode `spin`", "fuel"]);
    out.all("After.");
}

#[test]
fn broken_data_files_are_errors_at_their_line() {
    for (name, text, line) in [
        (
            "members.json",
            "{\n  \"members\": [\n    {\"name\": \"A\",}\n  ]\n}\n",
            3,
        ),
        ("members.yaml", "members:\n  - name: A\n  - name: [B\n", 4),
        ("members.toml", "[team]\nname = \"A\"\nname = \"B\"\n", 3),
    ] {
        let site = page(
            "data: data\nshortcodes:\n  w: { template: w.md }\n",
            "\n{{< w >}}\n",
        );
        site.write("templates/w.md", "{{ data.members }}");
        site.write(&format!("data/{name}"), text);
        let run = site.run(&["build"]);
        run.assert_code(1).assert_located(name, Some(line));
    }
}

#[test]
fn data_outside_the_data_folder_is_never_read() {
    let (_dir, secret_path, marker) = secret();
    let site = page(
        "data: data\nshortcodes:\n  w: { template: w.md }\n",
        "\n{{< w >}}\n",
    );
    site.write("templates/w.md", "{{ data }}");
    site.write("data/ok.json", "{\"fine\": 1}");
    std::os::unix::fs::symlink(&secret_path, site.path("data/leak.json")).unwrap();
    let run = site.run(&["build"]);
    run.assert_code(1)
        .assert_stderr(&["leak.json", "outside the data folder"]);
    assert!(!site.outputs_contain(marker.as_bytes()));
    assert_never_opened(&site, &["build"], &secret_path);
}
