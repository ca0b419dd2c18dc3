//! Authors and dates under chapter titles, in every output.

use super::read::*;
use super::*;
use std::io::Read;

#[test]
fn bylines_in_every_output_in_the_books_language() {
    let site = docs_site("");
    build_clean(&site);
    let first = text_page(&site, "blog-first");
    assert!(
        first.starts_with("First post\n==========\nJane Doe · March 5, 2024\n"),
        "{first}"
    );
    let xhtml = epub_entry(&site, "OEBPS/blog-first.xhtml");
    assert!(
        xhtml.contains("<p class=\"byline\"><span class=\"author\">Jane Doe</span> · <time datetime=\"2024-03-05\">March 5, 2024</time></p>"),
        "{xhtml}"
    );
    // Pelican's header, its time of day not shown.
    assert!(text_page(&site, "blog-second").contains("\nPeter Saint · December 24, 2023\n"));
    // A page with neither has no byline.
    assert_eq!(text_page(&site, "about").lines().nth(2), Some(""));
    assert!(!epub_entry(&site, "OEBPS/about.xhtml").contains("byline"));
    if let Some(tools) = common::validators(&["pdftotext"], "PDF bylines not read") {
        let pdf = site.path("dist/b.pdf");
        let (ok, text) = tools.run("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        assert!(ok);
        let page = text
            .split('\u{c}')
            .find(|p| p.contains("First."))
            .expect("the post's page");
        let title = page.find("First post").expect("title");
        let byline = page.find("Jane Doe · March 5, 2024").expect("byline");
        let body = page.find("First.").unwrap();
        assert!(title < byline && byline < body, "{page}");
    }
    // German: the language's own form and month names (PDF lines are not
    // hyphenated in German, which is warned about).
    let site = docs_site("    language: de\n");
    site.run(&["build"]).assert_code(0);
    assert!(text_page(&site, "blog-first").contains("\nJane Doe · 5. März 2024\n"));
    assert!(
        epub_entry(&site, "OEBPS/blog-third.xhtml")
            .contains("<time datetime=\"2024-01-01\">1. Januar 2024</time>")
    );
}

#[test]
fn authors_come_in_every_form() {
    let site = docs_site("");
    let m = model(&site);
    let authors = |title: &str| page_titled(&m, title)["authors"].clone();
    assert_eq!(authors("First post"), serde_json::json!(["Jane Doe"]));
    assert_eq!(authors("Second post"), serde_json::json!(["Peter Saint"]));
    // `author` as a map, then `authors` with a map, each name once.
    assert_eq!(
        authors("Third post"),
        serde_json::json!(["Carl", "Ann", "Bob"])
    );
    assert_eq!(authors("About"), serde_json::json!([]));
    let third = page_titled(&m, "Third post");
    assert_eq!(third["date_parsed"], "2024-01-01T09:30:00");
    assert_eq!(third["byline"]["date"]["text"], "January 1, 2024");
    // Shapes that are no name are left out, not fatal.
    site.write(
        "content/about.md",
        "---\ntitle: About\nweight: 3\nauthor: 42\nauthors: {a: b}\n---\n\nAbout us.\n",
    );
    let m = model(&site);
    assert_eq!(page_titled(&m, "About")["byline"], Value::Null);
    build_clean(&site);
}

#[test]
fn the_sites_date_format_is_a_go_layout() {
    // Hugo's `params.dateFormat` reaches the book as `BookMeta.date_format`;
    // here it is set on a loaded book and the bylines made again.
    let site = docs_site("");
    let project = folio::Project::from_config(&site.path("folio.yaml")).unwrap();
    let mut book = folio::load_book(&project, "b", &folio::LoadOptions::default())
        .unwrap()
        .book;
    for (layout, lang, want) in [
        ("Monday, 02.01.2006", "en", "Jane Doe · Tuesday, 05.03.2024"),
        ("Jan 2, 2006", "en", "Jane Doe · Mar 5, 2024"),
        ("2 January 2006", "fr", "Jane Doe · 5 mars 2024"),
        ("2006-01-02", "de", "Jane Doe · 2024-03-05"),
    ] {
        book.meta.date_format = Some(layout.to_string());
        book.meta.language = lang.to_string();
        for page in &mut book.pages {
            page.lang = lang.to_string();
        }
        folio::passes::structure::bylines(&mut book);
        let first = book.pages.iter().find(|p| p.title == "First post").unwrap();
        let text = folio::backend::text::render_page(first, &Default::default());
        assert!(text.contains(&format!("\n{want}\n")), "{layout}: {text}");
        let mut diags = folio::Diagnostics::default();
        let epub = folio::backend::epub::render(
            &book,
            &folio::backend::epub::EpubOptions::new(project.resources()),
            &mut diags,
        )
        .unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
        let mut xhtml = String::new();
        zip.by_name("OEBPS/blog-first.xhtml")
            .unwrap()
            .read_to_string(&mut xhtml)
            .unwrap();
        let date = want.split(" · ").nth(1).unwrap();
        assert!(
            xhtml.contains(&format!("<time datetime=\"2024-03-05\">{date}</time>")),
            "{xhtml}"
        );
    }
}

#[test]
fn bylines_can_be_turned_off() {
    let site = docs_site("    bylines: false\n");
    build_clean(&site);
    assert!(!text_page(&site, "blog-first").contains("Jane Doe"));
    assert!(!epub_entry(&site, "OEBPS/blog-first.xhtml").contains("byline"));
    let m = model(&site);
    let first = page_titled(&m, "First post");
    assert_eq!(first["byline"], Value::Null);
    assert_eq!(
        first["authors"],
        serde_json::json!(["Jane Doe"]),
        "still in the model"
    );
    // From the defaults too; a book's own `true` wins over them.
    let config = site_config("    bylines: true\n").replacen(
        "books:",
        "defaults:\n  bylines: false\nbooks:",
        1,
    );
    site.config(&config);
    build_clean(&site);
    assert!(text_page(&site, "blog-first").contains("Jane Doe · March 5, 2024"));
}
