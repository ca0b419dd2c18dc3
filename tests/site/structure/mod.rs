//! Bundles, ordering, bylines and navigation at site scale.
//!
//! Most cases build one hand-made site (see [`docs_site`]) whose weights
//! interleave a leaf bundle, plain pages and a subsection, with a blog of
//! dated, authored posts, and read every output back: the model as JSON,
//! the text files, the EPUB's nav, NCX and chapters (quick-xml), the PDF's
//! outline (lopdf) and printed contents (pdftotext, when installed).

mod bundles;
mod bylines;
mod navigation;
mod read;

use super::common;
use super::harness::{Run, Site};
use serde_json::Value;

/// The pages of the docs site in Hugo's reading order, by title.
const ORDER: [&str; 12] = [
    "Home",
    "Docs",
    "Install",
    "Usage",
    "Advanced",
    "Tuning",
    "FAQ",
    "Blog",
    "First post",
    "Third post",
    "Second post",
    "About",
];

/// A 2×2 PNG.
fn png() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(2, 2, image::Rgb([200, 30, 30]))
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

/// `folio.yaml` for a whole-site book `b` (no `pages:`) in all formats,
/// with its own cover logo (the shipped style names one this site lacks),
/// and `extra` added to the book's settings (indented four spaces).
fn site_config(extra: &str) -> String {
    let root = common::root();
    format!(
        "content: content\nstatic: static\nfonts: {}\ntemplates: {}\nbooks:\n  b:\n    title: Structure\n    base_url: https://docs.example.net/\n    logo: /logo.svg\n    formats: [text, pdf, epub]\n{extra}",
        root.join("fonts").display(),
        root.join("templates").display()
    )
}

/// A small Hugo site: sections, a leaf bundle with resources, a blog.
fn docs_site(extra: &str) -> Site {
    let site = Site::empty();
    site.config(&site_config(extra));
    site.write(
        "static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"><rect width=\"40\" height=\"20\" fill=\"#1b3a57\"/></svg>",
    );
    let page = |rel: &str, text: &str| {
        site.write(&format!("content/{rel}"), text);
    };
    page("_index.md", "---\ntitle: Home\n---\n\nWelcome home.\n");
    page(
        "docs/_index.md",
        "---\ntitle: Docs\nweight: 1\ndescription: Everything about the docs.\n---\n\nThe documentation.\n",
    );
    page(
        "docs/usage.md",
        "---\ntitle: Usage\nweight: 2\ndescription: Running it every day.\n---\n\n## Running\n\nRun it.\n",
    );
    page(
        "docs/install/index.md",
        "---\ntitle: Install\nweight: 1\ndescription: Getting it onto your machine.\n---\n\n![The install diagram](diagram.png)\n\nInstall text.\n",
    );
    site.write("content/docs/install/diagram.png", png());
    page(
        "docs/install/notes.md",
        "---\ntitle: Notes\n---\n\nRESOURCE-NOTES-MARKER\n",
    );
    page(
        "docs/install/more/extra.md",
        "---\ntitle: Extra\nweight: -5\n---\n\nRESOURCE-EXTRA-MARKER\n",
    );
    page(
        "docs/advanced/_index.md",
        "---\ntitle: Advanced\nweight: 3\n---\n\nDeep things.\n",
    );
    page(
        "docs/advanced/tuning.md",
        "---\ntitle: Tuning\nweight: 1\n---\n\n## Memory\n\nText.\n\n### Heap\n\nMore.\n",
    );
    page("docs/faq.md", "---\ntitle: FAQ\n---\n\nQuestions.\n");
    page(
        "blog/_index.md",
        "---\ntitle: Blog\nweight: 2\n---\n\nNews.\n",
    );
    page(
        "blog/first.md",
        "---\ntitle: First post\ndate: 2024-03-05\nauthor: Jane Doe\n---\n\nFirst.\n",
    );
    page(
        "blog/second.md",
        "Title: Second post\nDate: 2023-12-24 10:00\nAuthor: Peter Saint\n\nSecond.\n",
    );
    page(
        "blog/third.md",
        "---\ntitle: Third post\ndate: 2024-01-01T09:30:00+02:00\nauthor:\n  name: Carl\n  email: carl@example.net\nauthors: [Ann, {name: Bob}, Carl]\n---\n\nThird.\n",
    );
    page(
        "about.md",
        "---\ntitle: About\nweight: 3\n---\n\nAbout us.\n",
    );
    site
}

/// Builds and asserts success with no warning at all.
fn build_clean(site: &Site) -> Run {
    let run = site.run(&["build"]);
    run.assert_code(0);
    assert!(
        !run.stderr.contains("warning"),
        "a clean site builds without warnings:\n{}",
        run.stderr
    );
    run
}

/// The book's model, from `folio model`.
fn model(site: &Site) -> Value {
    let run = site.run(&["model", "--book", "b"]);
    run.assert_code(0);
    serde_json::from_str(&run.stdout).expect("the model is JSON")
}

fn pages(model: &Value) -> Vec<Value> {
    model["pages"].as_array().expect("pages").clone()
}

fn titles(model: &Value) -> Vec<String> {
    pages(model)
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_string())
        .collect()
}

/// The model page titled `title`.
fn page_titled(model: &Value, title: &str) -> Value {
    pages(model)
        .into_iter()
        .find(|p| p["title"] == title)
        .unwrap_or_else(|| panic!("no page `{title}`"))
}
