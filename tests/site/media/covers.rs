//! Covers that fit any logo: no text over it, whatever its shape.

use super::*;

/// A project with a cover logo `logo` (under `content/images/`) and a
/// long title, subtitle and publisher.
fn cover_site(logo: &str, bytes: Vec<u8>) -> Site {
    let site = Site::new();
    let root = common::root();
    site.config(&format!(
        "fonts: {}\ntemplates: {}\nbooks:\n  b:\n    title: A Rather Long Book Title For A Cover\n    subtitle: With a subtitle that runs on for a while\n    publisher: The Publisher\n    logo: /images/{logo}\n    formats: [text, pdf, epub]\n    pages: [page.md]\n",
        root.join("fonts").display(),
        root.join("templates").display()
    ));
    site.write(&format!("content/images/{logo}"), bytes);
    site
}

fn svg_logo(width: u32, height: u32) -> Vec<u8> {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\"><rect width=\"{width}\" height=\"{height}\" fill=\"#dc1414\"/></svg>"
    )
    .into_bytes()
}

/// The logos every cover must fit: wide, square and tall, raster and SVG.
fn logos() -> Vec<(&'static str, Vec<u8>, f32)> {
    vec![
        (
            "wide.png",
            image_bytes(800, 200, RED, ImageFormat::Png),
            4.0,
        ),
        (
            "square.png",
            image_bytes(500, 500, RED, ImageFormat::Png),
            1.0,
        ),
        (
            "tall.png",
            image_bytes(200, 600, RED, ImageFormat::Png),
            1.0 / 3.0,
        ),
        ("square.svg", svg_logo(100, 100), 1.0),
        ("tall.svg", svg_logo(100, 300), 1.0 / 3.0),
    ]
}

#[test]
fn no_pdf_cover_text_overlaps_the_logo_whatever_its_shape() {
    for (name, bytes, aspect) in logos() {
        let site = cover_site(name, bytes);
        let run = site.run(&["build"]);
        run.assert_code(0);
        assert!(!run.stderr.contains("logo"), "{name}: {}", run.stderr);
        let (Some(pages), Some(texts)) = (drawn_images(&site), words(&site)) else {
            return;
        };
        let [(logo, ..)] = pages[0][..] else {
            panic!("{name}: one image on the cover: {:?}", pages[0]);
        };
        let drawn = (logo.x1 - logo.x0) / (logo.y1 - logo.y0);
        assert!((drawn / aspect - 1.0).abs() < 0.02, "{name}: drawn {drawn}");
        let cover_words = &texts[0];
        assert!(cover_words.iter().any(|(w, _)| w == "Rather"), "{name}");
        for (word, area) in cover_words {
            assert!(
                !area.overlaps(&logo),
                "{name}: `{word}` {area:?} over {logo:?}"
            );
        }
        let title = cover_words.iter().find(|(w, _)| w == "Rather").unwrap().1;
        assert!(
            title.y0 > logo.y1,
            "{name}: the title is not below the logo"
        );
    }
}

/// Rows of the EPUB cover holding the logo red and the title's colour.
fn cover_rows(site: &Site) -> (std::ops::RangeInclusive<u32>, u32, (u32, u32)) {
    let entries = epub_entries(site);
    let (_, png) = entries
        .iter()
        .find(|(name, _)| name.ends_with("cover.png"))
        .expect("a cover image");
    let cover = image::load_from_memory(png).unwrap().to_rgb8();
    let (mut red_top, mut red_bottom, mut title_top) = (u32::MAX, 0, u32::MAX);
    let (mut red_left, mut red_right) = (u32::MAX, 0);
    for (x, y, px) in cover.enumerate_pixels() {
        if px.0 == RED {
            red_top = red_top.min(y);
            red_bottom = red_bottom.max(y);
            red_left = red_left.min(x);
            red_right = red_right.max(x);
        }
        // The title's colour (#1b3a57), in the glyphs' solid middles.
        if px.0 == [0x1b, 0x3a, 0x57] {
            title_top = title_top.min(y);
        }
    }
    assert!(red_top <= red_bottom, "no logo on the cover");
    (
        red_top..=red_bottom,
        title_top,
        (red_right - red_left + 1, red_bottom - red_top + 1),
    )
}

#[test]
fn the_epub_cover_puts_the_title_below_the_logo_whatever_its_shape() {
    for (name, bytes, aspect) in logos() {
        let site = cover_site(name, bytes);
        site.build_ok();
        let (logo_rows, title_top, (w, h)) = cover_rows(&site);
        assert!(
            title_top > *logo_rows.end(),
            "{name}: title from row {title_top}, logo rows {logo_rows:?}"
        );
        let drawn = w as f32 / h as f32;
        assert!((drawn / aspect - 1.0).abs() < 0.03, "{name}: drawn {drawn}");
        if name == "tall.svg" {
            assert_epubcheck_clean(&site);
        }
    }
}

// ---------------------------------------------------------------- more

#[test]
fn a_remote_badge_inside_a_link_keeps_only_that_link() {
    let site = site_with(
        "Status: [![build passing](https://img.example.net/badge.svg)](https://ci.example.net/x) today.\n",
        &[],
    );
    let run = site.run(&["build"]);
    run.assert_code(0);
    run.assert_stderr(&[
        "content/page.md:5: image `https://img.example.net/badge.svg` is on the web",
    ]);
    let xhtml = epub_xhtml(&site);
    assert!(
        xhtml.contains(
            "<a href=\"https://ci.example.net/x\"><span class=\"image-remote\">Image: build passing (https://img.example.net/badge.svg)</span></a>"
        ),
        "{xhtml}"
    );
    // No link inside a link: the badge's own URL is text only.
    assert!(
        !epub_hrefs(&site)
            .iter()
            .any(|h| h.contains("img.example.net"))
    );
    // The link, and its URL printed as a note (the default style's
    // `links: footnotes`), which links too.
    let mut uris = pdf_uris(&site);
    uris.dedup();
    assert_eq!(uris, ["https://ci.example.net/x"]);
    assert_epubcheck_clean(&site);
}

#[test]
fn a_file_that_is_no_image_is_refused_once_with_a_placeholder() {
    let site = site_with(
        "Intro.\n\n![A fake](/images/fake.png)\n",
        &[("images/fake.png", b"this is text, not a picture\n".to_vec())],
    );
    let run = site.run(&["build"]);
    run.assert_code(0);
    let line =
        "content/page.md:7: image `/images/fake.png` is not a PNG, JPEG, GIF, WebP or SVG image";
    run.assert_stderr(&[line]);
    assert_eq!(
        run.stderr.matches("is not a PNG").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(site.outputs_contain(b"class=\"image-missing\">A fake</"));
    assert!(epub_images(&site).is_empty());
    if let Some(pages) = words(&site) {
        let all: Vec<&str> = pages.iter().flatten().map(|(w, _)| w.as_str()).collect();
        assert!(
            all.join(" ").contains("Image not available: A fake"),
            "{all:?}"
        );
    }
}

#[test]
fn a_linked_small_image_is_linked_in_its_line_and_table_images_fit_their_cells() {
    let site = site_with(
        "Status: [![ok](/images/badge.png)](https://ci.example.net/x) today.\n\n\
         | Client | Logo |\n|---|---|\n| Dino | ![Dino](/images/big.png) |\n",
        &[
            (
                "images/badge.png",
                image_bytes(80, 20, [20, 160, 20], ImageFormat::Png),
            ),
            (
                "images/big.png",
                image_bytes(400, 400, RED, ImageFormat::Png),
            ),
        ],
    );
    let run = site.run(&["build"]);
    run.assert_code(0);
    assert!(
        pdf_uris(&site)
            .iter()
            .any(|u| u == "https://ci.example.net/x")
    );
    let (Some(pages), Some(texts)) = (drawn_images(&site), words(&site)) else {
        return;
    };
    let page = texts
        .iter()
        .position(|p| p.iter().any(|(w, _)| w == "Status:"))
        .expect("the paragraph");
    let status = texts[page].iter().find(|(w, _)| w == "Status:").unwrap().1;
    let dino = texts[page].iter().find(|(w, _)| w == "Dino").unwrap().1;
    let drawn = |w: u32, h: u32| {
        pages[page]
            .iter()
            .find(|&&(_, pw, ph)| (pw, ph) == (w, h))
            .map(|(a, ..)| *a)
            .unwrap_or_else(|| panic!("{w}×{h} not drawn"))
    };
    let badge = drawn(80, 20);
    assert!(badge.y0 >= status.y0 - 1.5 && badge.y1 <= status.y1 + 1.5);
    // A large image in a cell is scaled into the cell's line, not dropped.
    let logo = drawn(400, 400);
    assert!(logo.y1 - logo.y0 <= 16.0, "{logo:?}");
    assert!(
        (logo.y0 - dino.y0).abs() < 6.0,
        "{logo:?} not in {dino:?}'s row"
    );
}
