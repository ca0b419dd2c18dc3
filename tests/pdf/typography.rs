//! Typography of the PDF (issue 12): `scripts/typo-report.sh` on the press
//! kit, list labels inside the text block, contents leaders a fixed gap
//! before the page number, running heads from `linkTitle` or shortened
//! with "…", raster images not enlarged past 150 dpi, the backdrop behind
//! white-on-transparent images and the boxes of figure classes. Built
//! through the CLI in scratch projects; read back with pdftotext (skipped
//! without it) and lopdf.

use crate::common;
use std::path::Path;

/// A scratch project of one PDF book `b` of `pages` (name, Markdown), with
/// the repository's fonts and templates and `static/` as static root.
fn project(pages: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = common::root();
    let list: Vec<&str> = pages.iter().map(|(n, _)| *n).collect();
    let config = format!(
        "fonts: {}\ntemplates: {}\nstatic: static\nbooks:\n  b:\n    title: Book\n    language: en\n    formats: [pdf]\n    pages: [{}]\n",
        root.join("fonts").display(),
        root.join("templates").display(),
        list.join(", ")
    );
    std::fs::write(dir.path().join("folio.yaml"), config).unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::create_dir_all(dir.path().join("static/images")).unwrap();
    for (name, text) in pages {
        std::fs::write(dir.path().join("content").join(name), text).unwrap();
    }
    dir
}

fn build(dir: &Path) -> std::path::PathBuf {
    let (code, _, stderr) = common::folio(dir, &["build"]);
    assert_eq!(code, 0, "{stderr}");
    dir.join("dist/b.pdf")
}

fn pdftotext() -> Option<common::Tools> {
    common::validators(&["pdftotext"], "PDF typography not read back")
}

/// Words of each page from `pdftotext -bbox`: (xMin, yMin, xMax, text).
pub fn bbox_words(tools: &common::Tools, pdf: &Path) -> Vec<Vec<(f32, f32, f32, String)>> {
    let (ok, html) = tools.run("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    assert!(ok, "{html}");
    let word = regex::Regex::new(
        r#"<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>"#,
    )
    .unwrap();
    html.split("<page ")
        .skip(1)
        .map(|page| {
            word.captures_iter(page)
                .map(|c| {
                    let f = |i: usize| c[i].parse::<f32>().unwrap();
                    (f(1), f(2), f(3), c[4].replace("&amp;", "&"))
                })
                .collect()
        })
        .collect()
}

fn paragraph(n: usize) -> String {
    "Extensible messaging keeps federated servers talking to each other, and \
     the standards foundation documents every extension in the open. "
        .repeat(n)
}

#[test]
fn typo_report_holds_on_the_press_kit() {
    let Some(_) = common::validators(&["pdftotext", "python3"], "typo-report.sh not run") else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let root = common::root();
    let (code, _, stderr) = common::folio(
        &root,
        &[
            "build",
            "-q",
            "--format",
            "pdf",
            "--out",
            out.path().to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let report = std::process::Command::new(root.join("scripts/typo-report.sh"))
        .arg(out.path().join("press-kit.pdf"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&report.stdout);
    assert!(report.status.success(), "{text}");
    assert!(text.contains("overfull lines:      0"), "{text}");
    assert!(text.contains("hyphen runs 3+:      0"), "{text}");
    assert!(text.contains("into left margin:    0"), "{text}");
    // The measure: 60 to 75 characters a line.
    let median: f32 = text
        .split("chars per line:      median ")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{text}"));
    assert!((60.0..=75.0).contains(&median), "{text}");
}

#[test]
fn list_labels_stay_inside_the_text_block() {
    let items: String = (1..=12)
        .map(|i| format!("{i}. Item number {i} of the list\n"))
        .collect();
    let dir = project(&[(
        "list.md",
        &format!("---\ntitle: Lists\n---\n\n{}\n\n{items}", paragraph(3)),
    )]);
    let pdf = build(dir.path());
    let Some(tools) = pdftotext() else { return };
    let pages = bbox_words(&tools, &pdf);
    let words: Vec<_> = pages.iter().flatten().collect();
    let left = words
        .iter()
        .find(|w| w.3 == "Extensible")
        .map(|w| w.0)
        .unwrap();
    for label in ["9.", "10.", "12."] {
        let w = words.iter().find(|w| w.3 == label).unwrap();
        assert!(w.0 >= left - 0.01, "{label} at {} < {left}", w.0);
    }
    // Labels are right-aligned in their box: "9." ends where "10." ends.
    let end = |l: &str| words.iter().find(|w| w.3 == l).unwrap().2;
    assert!((end("9.") - end("10.")).abs() < 0.05);
}

#[test]
fn contents_leaders_end_a_fixed_gap_before_the_page_number() {
    let pages: Vec<(String, String)> = (1..=12)
        .map(|i| {
            (
                format!("p{i}.md"),
                format!("---\ntitle: Chapter {i}\n---\n\n{}\n", paragraph(i * 4)),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = pages
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = project(&refs);
    let pdf = build(dir.path());
    let Some(tools) = pdftotext() else { return };
    let pages = bbox_words(&tools, &pdf);
    let contents = &pages[1];
    let mut gaps = Vec::new();
    let mut numbers = Vec::new();
    for w in contents
        .iter()
        .filter(|w| w.3.chars().all(|c| c.is_ascii_digit()))
    {
        // Dots are smaller than the number: rows within 3 pt.
        let row = |o: &&(f32, f32, f32, String)| (o.1 - w.1).abs() < 3.0;
        if let Some(dot) = contents
            .iter()
            .filter(row)
            .filter(|o| !o.3.is_empty() && o.3.chars().all(|c| c == '.') && o.2 <= w.0)
            .max_by(|a, b| a.2.total_cmp(&b.2))
        {
            gaps.push(w.0 - dot.2);
            numbers.push(w.3.clone());
        }
    }
    assert!(gaps.len() >= 12, "{gaps:?} {numbers:?}");
    // One- and two-digit numbers alike: the style's 6 pt.
    assert!(numbers.iter().any(|n| n.len() == 1) && numbers.iter().any(|n| n.len() == 2));
    assert!(
        gaps.iter().all(|g| (g - 6.0).abs() < 0.1),
        "{gaps:?} {numbers:?}"
    );
}

#[test]
fn running_heads_use_the_link_title_or_a_shortened_title() {
    let long = "Uncontrolled Resource Consumption with Highly Compressed Stanzas in Federated Server Implementations";
    let dir = project(&[
        (
            "a.md",
            &format!("---\ntitle: {long}\n---\n\n{}\n", paragraph(40)),
        ),
        (
            "b.md",
            &format!(
                "---\ntitle: A Title Too Long For The Header Of The Page By Far\nlinkTitle: Short Title\n---\n\n{}\n",
                paragraph(40)
            ),
        ),
    ]);
    let pdf = build(dir.path());
    let Some(tools) = pdftotext() else { return };
    let pages = bbox_words(&tools, &pdf);
    // The header: the words above the first body line of a page.
    let header = |page: &Vec<(f32, f32, f32, String)>| -> String {
        let top = page.iter().map(|w| w.1).fold(f32::MAX, f32::min);
        page.iter()
            .filter(|w| (w.1 - top).abs() < 1.0)
            .map(|w| w.3.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let headers: Vec<String> = pages.iter().map(header).collect();
    let a = headers
        .iter()
        .find(|h| h.starts_with("Book Uncontrolled"))
        .unwrap_or_else(|| panic!("{headers:?}"));
    let shortened = a.trim_start_matches("Book ").to_string();
    assert!(shortened.ends_with('…'), "{a}");
    let head = shortened.trim_end_matches('…');
    assert!(head.len() < long.len() && long.starts_with(head), "{a}");
    // Cut at a word boundary.
    assert_eq!(long.as_bytes().get(head.len()), Some(&b' '), "{a}");
    assert!(
        headers.iter().any(|h| h == "Book Short Title"),
        "{headers:?}"
    );
}

/// A `w`×`h` PNG: a white square on transparency, or dark blue opaque.
fn png(path: &Path, w: u32, h: u32, white_on_clear: bool) {
    let img = image::RgbaImage::from_fn(w, h, |x, _| {
        if !white_on_clear {
            image::Rgba([20, 40, 90, 255])
        } else if x > w / 4 && x < 3 * w / 4 {
            image::Rgba([255, 255, 255, 255])
        } else {
            image::Rgba([0, 0, 0, 0])
        }
    });
    img.save(path).unwrap();
}

/// An image drawn: (width, height) in points, from the `cm` before its
/// `Do`; and the fill colours (`rg`) set before it.
type Drawn = ((f32, f32), Vec<[f32; 3]>);

/// Each image drawn, page by page.
fn drawn(pdf: &Path) -> Vec<Drawn> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let mut out = Vec::new();
    for (_, page) in doc.get_pages() {
        let content = doc.get_and_decode_page_content(page).unwrap();
        let (mut cm, mut fills) = ((0.0, 0.0), Vec::new());
        for op in content.operations {
            let nums: Vec<f32> = op
                .operands
                .iter()
                .filter_map(|o| o.as_float().ok())
                .collect();
            match op.operator.as_str() {
                "cm" if nums.len() == 6 => cm = (nums[0], nums[3]),
                "rg" if nums.len() == 3 => fills.push([nums[0], nums[1], nums[2]]),
                "Do" => out.push((cm, std::mem::take(&mut fills))),
                _ => {}
            }
        }
    }
    out
}

#[test]
fn raster_images_are_not_enlarged_and_white_logos_get_a_backdrop() {
    let dir = project(&[(
        "f.md",
        "---\ntitle: Figures\n---\n\n\
         {{< figure src=\"/images/white.png\" width=\"600\" >}}\n\n\
         {{< figure src=\"/images/dark.png\" width=\"600\" >}}\n\n\
         {{< figure src=\"/images/thumb.png\" class=\"mx-auto img-thumbnail\" >}}\n",
    )]);
    let images = dir.path().join("static/images");
    png(&images.join("white.png"), 60, 30, true);
    png(&images.join("dark.png"), 60, 30, false);
    png(&images.join("thumb.png"), 100, 50, false);
    let pdf = build(dir.path());
    let drawn = drawn(&pdf);
    assert_eq!(drawn.len(), 3, "{drawn:?}");
    // 60 px at 150 dpi is 28.8 pt, whatever `width` asks for.
    for (size, _) in &drawn[..2] {
        assert!(
            (size.0 - 28.8).abs() < 0.01 && (size.1 - 14.4).abs() < 0.01,
            "{size:?}"
        );
    }
    let grey = [
        0xe9 as f32 / 255.0,
        0xec as f32 / 255.0,
        0xef as f32 / 255.0,
    ];
    let near = |a: &[f32; 3], b: &[f32; 3]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 0.002);
    assert!(drawn[0].1.iter().any(|c| near(c, &grey)), "{:?}", drawn[0]);
    assert!(!drawn[1].1.iter().any(|c| near(c, &grey)), "{:?}", drawn[1]);
    // img-thumbnail: a frame, no fill; its natural size (100 px: 48 pt).
    assert!((drawn[2].0.0 - 48.0).abs() < 0.01, "{:?}", drawn[2]);
    assert!(!drawn[2].1.iter().any(|c| near(c, &grey)));
}

/// The text of each page, from pdftotext.
fn page_texts(tools: &common::Tools, pdf: &Path) -> Vec<String> {
    let (ok, text) = tools.run("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    assert!(ok, "{text}");
    text.split('\u{c}').map(str::to_string).collect()
}

#[test]
fn external_links_print_their_url_as_a_note_on_each_page() {
    let page = format!(
        "---\ntitle: Links\n---\n\nThe [foundation](https://xmpp.org/about/) keeps a note[^n] and \
         the [foundation again](https://xmpp.org/about/), and <https://example.org/>.\n\n{}\n\n\
         Later the [foundation](https://xmpp.org/about/) once more.\n\n[^n]: A plain note.\n",
        paragraph(60)
    );
    let dir = project(&[("l.md", &page)]);
    // The default style (the press kit's) prints URLs as notes.
    let pdf = build(dir.path());
    let Some(tools) = pdftotext() else { return };
    let url = "https://xmpp.org/about/";
    let pages = page_texts(&tools, &pdf);
    // A style for screens keeps links coloured only.
    let style = std::fs::read_to_string(common::root().join("templates/pdf-style.yaml"))
        .unwrap()
        .replace("links: footnotes\n", "links: color\n");
    std::fs::create_dir_all(dir.path().join("own")).unwrap();
    std::fs::write(dir.path().join("own/pdf-style.yaml"), style).unwrap();
    let config = std::fs::read_to_string(dir.path().join("folio.yaml")).unwrap();
    let root = common::root();
    let config = config.replace(
        &format!("templates: {}", root.join("templates").display()),
        "templates: own",
    );
    std::fs::write(dir.path().join("folio.yaml"), config).unwrap();
    let screen = build(dir.path());
    assert!(page_texts(&tools, &screen).iter().all(|p| !p.contains(url)));
    let with_url: Vec<usize> = (0..pages.len())
        .filter(|&i| pages[i].contains(url))
        .collect();
    // Once on the first page (two links there), again on the last one.
    assert_eq!(with_url.len(), 2, "{with_url:?}");
    assert_eq!(pages[with_url[0]].matches(url).count(), 1);
    assert!(with_url[1] > with_url[0] + 1);
    // Numbered after the page's own note: "2 https://…".
    assert!(
        pages[with_url[0]].contains(&format!("2 {url}")),
        "{}",
        pages[with_url[0]]
    );
    assert!(pages[with_url[0]].contains("1 A plain note."));
    // Note marks are the face's superscript digits: they copy out attached
    // to their word but distinct from its digits.
    assert!(
        pages[with_url[0]].contains("foundation²"),
        "{}",
        pages[with_url[0]]
    );
    assert!(
        pages[with_url[0]].contains("note¹"),
        "{}",
        pages[with_url[0]]
    );
    // An autolink shows its URL already: no note.
    let all = pages.concat();
    assert!(!all.contains("3 https://example.org"), "{all}");
}
