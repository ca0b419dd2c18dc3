//! Images as the web serves them: known by their bytes, unique names, scaled
//! for the EPUB, remote ones linked, inline ones in their line.

use super::*;

/// Asserts the EPUB holds exactly one image, of `media_type`, whose bytes
/// are that type and `width` × `height` pixels.
fn assert_one_epub_image(site: &Site, media_type: &str, width: u32, height: u32) {
    let images = epub_images(site);
    assert_eq!(
        images.len(),
        1,
        "{:?}",
        images.iter().map(|i| &i.0).collect::<Vec<_>>()
    );
    let (href, declared, bytes) = &images[0];
    assert_eq!(declared, media_type, "{href}");
    let format = image::guess_format(bytes).expect("image bytes");
    assert_eq!(
        format.to_mime_type(),
        media_type,
        "{href}: bytes are {format:?}"
    );
    let image = image::load_from_memory(bytes).unwrap();
    assert_eq!((image.width(), image.height()), (width, height), "{href}");
}

#[test]
fn gifs_still_and_animated_go_into_both_outputs() {
    let site = site_with(
        "![A still GIF](/images/still.gif)\n\n![A moving GIF](/images/moving.gif)\n",
        &[
            (
                "images/still.gif",
                image_bytes(64, 48, RED, ImageFormat::Gif),
            ),
            ("images/moving.gif", animated_gif(32, 24)),
        ],
    );
    let run = site.run(&["build"]);
    run.assert_code(0);
    assert!(!run.stderr.contains(".gif"), "{}", run.stderr);
    let pdf = pdf_images(&site);
    for size in [(64, 48), (32, 24)] {
        assert!(pdf.iter().any(|&(w, h, _)| (w, h) == size), "{pdf:?}");
    }
    // The first frame is what the PDF prints: red, not blue.
    let pixels = pdf_image_pixels(&site, 32, 24);
    assert_eq!(pixels.get(..3), Some(&RED[..]));
    // The EPUB carries both as GIF, the animation whole.
    let images = epub_images(&site);
    assert_eq!(images.len(), 2);
    for (href, media_type, bytes) in &images {
        assert_eq!(media_type, "image/gif", "{href}");
        assert!(bytes.starts_with(b"GIF8"), "{href}");
    }
    let moving = images.iter().find(|i| i.0.contains("moving")).unwrap();
    let frames = image::codecs::gif::GifDecoder::new(Cursor::new(&moving.2)).unwrap();
    assert_eq!(image::AnimationDecoder::into_frames(frames).count(), 2);
    assert_epubcheck_clean(&site);
}

#[test]
fn webp_is_decoded_for_the_pdf_and_converted_for_the_epub() {
    let site = site_with(
        "![A WebP](/images/pic.webp)\n",
        &[("images/pic.webp", photo_bytes(90, 60, ImageFormat::WebP))],
    );
    let run = site.run(&["build"]);
    run.assert_code(0);
    assert!(!run.stderr.contains("pic.webp"), "{}", run.stderr);
    assert!(
        pdf_images(&site)
            .iter()
            .any(|&(w, h, _)| (w, h) == (90, 60))
    );
    // Lossless WebP: PNG keeps every pixel.
    assert_one_epub_image(&site, "image/png", 90, 60);
    assert_epubcheck_clean(&site);
}

#[test]
fn misnamed_images_are_known_by_their_bytes() {
    let site = site_with(
        "![A photo](/images/photo.png)\n\n![A drawing](/images/drawing.jpg)\n\n\
         ![An animation](/images/anim.png)\n",
        &[
            ("images/photo.png", photo_bytes(120, 80, ImageFormat::Jpeg)),
            (
                "images/drawing.jpg",
                image_bytes(90, 70, RED, ImageFormat::Png),
            ),
            ("images/anim.png", animated_gif(60, 50)),
        ],
    );
    let run = site.run(&["build"]);
    run.assert_code(0);
    assert!(!run.stderr.contains("page.md"), "{}", run.stderr);
    let pdf = pdf_images(&site);
    // The JPEG goes into the PDF as it is.
    assert!(pdf.contains(&(120, 80, "DCTDecode".into())), "{pdf:?}");
    for size in [(90, 70), (60, 50)] {
        assert!(pdf.iter().any(|&(w, h, _)| (w, h) == size), "{pdf:?}");
    }
    let images = epub_images(&site);
    assert_eq!(images.len(), 3);
    for (href, media_type, bytes) in &images {
        let format = image::guess_format(bytes).expect("image bytes");
        assert_eq!(
            format.to_mime_type(),
            media_type,
            "{href}: bytes are {format:?}"
        );
        let ext = href.rsplit('.').next().unwrap();
        assert!(
            format.extensions_str().contains(&ext),
            "{href} is {format:?}"
        );
    }
    let types: Vec<&str> = images.iter().map(|i| i.1.as_str()).collect();
    assert_eq!(types, ["image/jpeg", "image/png", "image/gif"]);
    assert_epubcheck_clean(&site);
}

#[test]
fn images_differing_only_in_case_are_two_zip_entries() {
    let site = site_with(
        "![Upper](/images/Convo.png)\n\n![Lower](/images/convo.png)\n\n![Again](/images/CONVO.png)\n",
        &[
            (
                "images/Convo.png",
                image_bytes(30, 20, RED, ImageFormat::Png),
            ),
            (
                "images/convo.png",
                image_bytes(40, 20, [0, 0, 200], ImageFormat::Png),
            ),
            (
                "images/CONVO.png",
                image_bytes(50, 20, [0, 200, 0], ImageFormat::Png),
            ),
        ],
    );
    site.build_ok();
    let images = epub_images(&site);
    let names: Vec<String> = images.iter().map(|i| i.0.to_lowercase()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    let unique: std::collections::BTreeSet<_> = names.iter().collect();
    assert_eq!(unique.len(), 3, "names clash whatever the case: {names:?}");
    let mut widths: Vec<u32> = images
        .iter()
        .map(|i| image::load_from_memory(&i.2).unwrap().width())
        .collect();
    widths.sort();
    assert_eq!(widths, [30, 40, 50]);
    // Every page reference leads to an entry.
    let xhtml = epub_xhtml(&site);
    for (href, _, _) in &images {
        assert!(xhtml.contains(&format!("src=\"{href}\"")), "{href} unused");
    }
    assert_epubcheck_clean(&site);
}

#[test]
fn large_photos_are_scaled_down_for_the_epub_only() {
    let site = site_with(
        "![A big photo](/images/big.jpg)\n\n![A big drawing](/images/tall.png)\n",
        &[
            ("images/big.jpg", photo_bytes(5000, 3000, ImageFormat::Jpeg)),
            (
                "images/tall.png",
                image_bytes(1000, 3000, RED, ImageFormat::Png),
            ),
        ],
    );
    let run = site.run(&["build"]);
    run.assert_code(0);
    let images = epub_images(&site);
    let sized = |media: &str| {
        images
            .iter()
            .find(|i| i.1 == media)
            .map(|i| {
                let img = image::load_from_memory(&i.2).unwrap();
                (img.width(), img.height())
            })
            .unwrap_or_else(|| panic!("no {media} in the EPUB"))
    };
    assert_eq!(sized("image/jpeg"), (2560, 1536));
    assert_eq!(sized("image/png"), (853, 2560));
    // The PDF is for print: every pixel, the JPEG as it is.
    let pdf = pdf_images(&site);
    assert!(pdf.contains(&(5000, 3000, "DCTDecode".into())), "{pdf:?}");
    assert!(
        pdf.iter().any(|&(w, h, _)| (w, h) == (1000, 3000)),
        "{pdf:?}"
    );
    // The bound is configurable; the same input gives the same bytes.
    site.config(&format!(
        "{}limits:\n  epub_image_max: 1000\n",
        book_config("[page.md]")
    ));
    site.build_ok();
    let first = std::fs::read(site.path("dist/b.epub")).unwrap();
    let images = epub_images(&site);
    let jpeg = images.iter().find(|i| i.1 == "image/jpeg").unwrap();
    let img = image::load_from_memory(&jpeg.2).unwrap();
    assert_eq!((img.width(), img.height()), (1000, 600));
    site.build_ok();
    assert_eq!(std::fs::read(site.path("dist/b.epub")).unwrap(), first);
}

#[test]
fn a_tiny_epub_image_bound_is_an_error_naming_its_line() {
    let site = Site::new();
    site.config(&format!(
        "{}limits:\n  epub_image_max: 8\n",
        book_config("[page.md]")
    ));
    let run = site.run(&["build"]);
    run.assert_code(1)
        .assert_stderr(&["epub_image_max is 8"])
        .assert_located("folio.yaml", Some(9));
}

#[test]
fn remote_images_are_linked_lines_and_nothing_is_fetched() {
    let site = site_with(
        "A chart: ![The usage chart](https://example.net/charts/usage.png) as of today.\n\n\
         {{< figure src=\"https://cdn.example.net/photo one.jpg\" caption=\"The summit\" >}}\n",
        &[],
    );
    let run = site.run(&["build"]);
    run.assert_code(0);
    run.assert_stderr(&[
        "content/page.md:5: image `https://example.net/charts/usage.png` is on the web",
        "content/page.md:7: image `https://cdn.example.net/photo one.jpg` is on the web",
    ]);
    let inline = "Image: The usage chart (https://example.net/charts/usage.png)";
    let figure = "Image: The summit (https://cdn.example.net/photo%20one.jpg)";
    for text in [inline, figure] {
        assert!(text_output(&site).contains(text), "text lacks {text}");
        assert!(epub_xhtml(&site).contains(text), "EPUB lacks {text}");
    }
    assert!(epub_xhtml(&site).contains(&format!(
        "<span class=\"image-remote\"><a href=\"https://example.net/charts/usage.png\">{inline}</a></span>"
    )));
    let uris = pdf_uris(&site);
    for url in [
        "https://example.net/charts/usage.png",
        "https://cdn.example.net/photo%20one.jpg",
    ] {
        assert!(
            uris.iter().any(|u| u == url),
            "PDF lacks a link to {url}: {uris:?}"
        );
    }
    if let Some(pages) = words(&site) {
        let all: String = pages
            .iter()
            .flatten()
            .map(|(w, _)| w.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(all.contains("Image: The usage chart"), "{all}");
    }
    assert_epubcheck_clean(&site);
    if let Some(calls) = traced_calls(&site, &["build"]) {
        let connects: Vec<_> = calls.iter().filter(|l| l.contains("connect(")).collect();
        assert!(connects.is_empty(), "network use: {connects:#?}");
    }
}

#[test]
fn a_small_image_in_a_paragraph_is_set_in_its_line() {
    let site = site_with(
        "Hello ![ok](/images/badge.png) world, and an icon ![i](/images/icon.gif) here.\n",
        &[
            (
                "images/badge.png",
                image_bytes(80, 20, [20, 160, 20], ImageFormat::Png),
            ),
            (
                "images/icon.gif",
                image_bytes(16, 16, RED, ImageFormat::Gif),
            ),
        ],
    );
    site.build_ok();
    // The EPUB marks both for the style sheet to size them to the line.
    let xhtml = epub_xhtml(&site);
    assert_eq!(xhtml.matches("class=\"icon\"").count(), 2, "{xhtml}");
    let (Some(pages), Some(texts)) = (drawn_images(&site), words(&site)) else {
        return;
    };
    let page = texts
        .iter()
        .position(|p| p.iter().any(|(w, _)| w == "Hello"))
        .expect("a page with the paragraph");
    let find = |word: &str| {
        texts[page]
            .iter()
            .find(|(w, _)| w.starts_with(word))
            .map(|(_, a)| *a)
            .unwrap_or_else(|| panic!("no {word}"))
    };
    let (hello, world, here) = (find("Hello"), find("world"), find("here"));
    for (w, h, after, before) in [(80, 20, hello, world), (16, 16, find("icon"), here)] {
        let (image, ..) = pages[page]
            .iter()
            .find(|&&(_, pw, ph)| (pw, ph) == (w, h))
            .unwrap_or_else(|| panic!("image {w}×{h} not drawn on the paragraph's page"));
        // Between its neighbours, within the line's box.
        assert!(image.x0 >= after.x1 && image.x1 <= before.x0, "{image:?}");
        assert!(
            image.y0 >= hello.y0 - 1.5 && image.y1 <= hello.y1 + 1.5,
            "{image:?} outside the line {hello:?}"
        );
    }
}

#[test]
fn a_large_image_in_a_paragraph_follows_it_as_a_figure() {
    let site = site_with(
        "Text before ![A tall chart](/images/tall.png) text after.\n\nNext paragraph.\n",
        &[(
            "images/tall.png",
            image_bytes(200, 600, RED, ImageFormat::Png),
        )],
    );
    site.build_ok();
    let (Some(pages), Some(texts)) = (drawn_images(&site), words(&site)) else {
        return;
    };
    let page = texts
        .iter()
        .position(|p| p.iter().any(|(w, _)| w == "before"))
        .expect("the paragraph");
    let word = |w: &str| {
        texts
            .iter()
            .enumerate()
            .find_map(|(i, p)| p.iter().find(|(x, _)| x == w).map(|(_, a)| (i, *a)))
            .unwrap_or_else(|| panic!("no {w}"))
    };
    let (_, after) = word("after.");
    let (image_page, image) = pages
        .iter()
        .enumerate()
        .find_map(|(i, p)| {
            p.iter()
                .find(|&&(_, w, h)| (w, h) == (200, 600))
                .map(|(a, ..)| (i, *a))
        })
        .expect("the image is drawn");
    assert!(
        image_page > page || image.y0 > after.y1,
        "{image:?} not below the paragraph {after:?}"
    );
    // Its alt text is its caption, below it; then the next paragraph.
    let (caption_page, caption) = word("tall");
    assert!(
        caption_page > image_page || (caption_page == image_page && caption.y0 > image.y1),
        "{caption:?}"
    );
    let (next_page, next) = word("Next");
    assert!(next_page > caption_page || next.y0 > caption.y1, "{next:?}");
    // The paragraph's text no longer carries the alt text.
    let line: Vec<&str> = texts[page]
        .iter()
        .filter(|(_, a)| (a.y0 - after.y0).abs() < 1.0)
        .map(|(w, _)| w.as_str())
        .collect();
    assert_eq!(line, ["Text", "before", "text", "after."]);
}
