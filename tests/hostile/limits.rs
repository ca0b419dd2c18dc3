//! Resource limits: huge or decompression-bomb images and SVGs are refused
//! with a warning and a placeholder, or drawn smaller, never an abort or a
//! runaway allocation. Every bomb is made here, a few hundred bytes to a
//! few kilobytes each, and built with the heap capped (`prlimit --data`):
//! an allocation past the cap aborts, which the harness reports.

use super::harness::*;
use super::svg::{
    FIGURE_PAGE, INSIDE, epub_has_colour, figure_site, filled, hex, pdf_has_colour, pdf_text, svg,
};
use std::io::Write;
use std::time::{Duration, Instant};

/// The heap a build with any one bomb in it must stay under.
const HEAP: u64 = 400_000_000;
/// A build with a bomb must not take longer than this (measured: well
/// under 2 s on the release binary; the slack is for a busy machine).
const SLOW: Duration = Duration::from_secs(15);

/// A PNG of `width` × `height` pixels of `depth`-bit grey, of which
/// `rows` rows of zeros are really there (all of them: a real image
/// compressed from zeros; fewer: a header that lies).
fn png(width: u32, height: u32, depth: u8, rows: u32) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[depth, 0, 0, 0, 0]);
    let row = vec![0u8; 1 + (width as usize * depth as usize).div_ceil(8)];
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    for _ in 0..rows {
        z.write_all(&row).unwrap();
    }
    let idat = z.finish().unwrap();
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [(&b"IHDR"[..], &ihdr[..]), (b"IDAT", &idat), (b"IEND", &[])] {
        let mut chunk = kind.to_vec();
        chunk.extend_from_slice(data);
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(&chunk);
        let mut crc = flate2::Crc::new();
        crc.update(&chunk);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    out
}

/// A real 16 × 16 JPEG whose frame header then claims `width` × `height`.
fn jpeg_claiming(width: u16, height: u16) -> Vec<u8> {
    let mut jpeg = Vec::new();
    image::RgbImage::from_pixel(16, 16, image::Rgb(INSIDE))
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    let sof = jpeg
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("a baseline frame header");
    jpeg[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    jpeg[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    jpeg
}

/// A project whose page shows `content/images/{name}` as a figure with
/// alt text `The bomb` (line 7 of `content/page.md`).
fn bomb_site(name: &str, bytes: &[u8]) -> Site {
    let site = Site::new();
    site.write(
        "content/page.md",
        format!("---\ntitle: Page\n---\n\nHello.\n\n![The bomb](/images/{name})\n"),
    );
    site.write(&format!("content/images/{name}"), bytes);
    site
}

/// Builds with the heap capped and the clock running; asserts success.
fn build_capped(site: &Site) -> Run {
    let start = Instant::now();
    let run = site.run_in_memory(&["build"], HEAP);
    let took = start.elapsed();
    run.assert_code(0);
    assert!(took < SLOW, "the build took {took:?}:\n{}", run.stderr);
    run
}

/// The page shows a placeholder for image `alt` in the PDF and the EPUB.
fn assert_placeholder(site: &Site, alt: &str) {
    if let Some(text) = pdf_text(site) {
        assert!(
            text.contains(&format!("Image not available: {alt}")),
            "no placeholder in the PDF:\n{text}"
        );
    }
    // The EPUB shows the alt text in place of a missing image.
    assert!(
        site.outputs_contain(format!("class=\"image-missing\">{alt}</").as_bytes()),
        "no placeholder in the EPUB"
    );
}

/// Refused with one warning at the page line, naming the image and (in
/// `why`) its size against the limit, and shown as a placeholder.
fn assert_refused(site: &Site, name: &str, why: &str) {
    let run = build_capped(site);
    let named = format!("content/page.md:7: image `/images/{name}` ");
    let lines: Vec<_> = run.stderr.lines().filter(|l| l.contains(&named)).collect();
    assert!(
        lines.len() == 1 && lines[0].contains(why),
        "expected one warning `{named}...{why}`:\n{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches(&format!("`/images/{name}`")).count(),
        1,
        "{}",
        run.stderr
    );
    assert_placeholder(site, "The bomb");
}

#[test]
fn a_png_header_claiming_20000_squared_is_refused() {
    // 400 KB if all its rows were there; a few dozen bytes are.
    let site = bomb_site("bomb.png", &png(20_000, 20_000, 8, 2));
    assert_refused(
        &site,
        "bomb.png",
        "is 20000 × 20000 pixels, over limits.image_side (16384 pixels a side)",
    );
}

#[test]
fn grey_pngs_compressed_from_zeros_are_refused() {
    // Real images: every row is there, 31 KB and 50 KB of zeros.
    for (name, bytes, size) in [
        (
            "one-bit.png",
            png(16_000, 16_000, 1, 16_000),
            "16000 × 16000",
        ),
        ("grey.png", png(7_000, 7_000, 8, 7_000), "7000 × 7000"),
    ] {
        let site = bomb_site(name, &bytes);
        assert_refused(
            &site,
            name,
            &format!("is {size} pixels, over limits.image_pixels (40000000 pixels)"),
        );
    }
}

#[test]
fn a_jpeg_header_claiming_a_huge_frame_is_refused() {
    let site = bomb_site("huge.jpg", &jpeg_claiming(60_000, 50_000));
    assert_refused(
        &site,
        "huge.jpg",
        "is 60000 × 50000 pixels, over limits.image_side",
    );
    // The same JPEG, honest, goes into both outputs.
    site.write("content/images/huge.jpg", jpeg_claiming(16, 16));
    let run = build_capped(&site);
    assert!(!run.stderr.contains("huge.jpg"), "{}", run.stderr);
    assert!(!pdf_text(&site).is_some_and(|t| t.contains("Image not available")));
}

#[test]
fn a_gif_header_claiming_a_huge_screen_is_refused() {
    // The EPUB would carry a GIF as it is, for readers to decode.
    let gif = b"GIF89a\xff\xff\xff\xff\x00\x00\x00;";
    let site = bomb_site("huge.gif", gif);
    assert_refused(
        &site,
        "huge.gif",
        "is 65535 × 65535 pixels, over limits.image_side",
    );
}

#[test]
fn image_files_over_the_byte_limit_are_not_read() {
    let noise: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let mut big_svg = filled(INSIDE, "");
    big_svg.push_str(&format!("<!-- {} -->", "x".repeat(6_000)));
    for (name, bytes) in [
        (
            "big.png",
            png(64, 64, 8, 64)
                .into_iter()
                .chain(noise.clone())
                .collect::<Vec<u8>>(),
        ),
        ("big.svg", big_svg.into_bytes()),
    ] {
        let site = bomb_site(name, &bytes);
        site.config(&format!(
            "{}limits:\n  image_bytes: 5000\n",
            book_config("[page.md]")
        ));
        assert_refused(&site, name, " bytes, over limits.image_bytes (5000 bytes)");
        // Under the default limits the same file is fine.
        site.config(&book_config("[page.md]"));
        let run = build_capped(&site);
        assert!(!run.stderr.contains(name), "{}", run.stderr);
    }
}

#[test]
fn the_pixel_limits_are_configurable() {
    let site = bomb_site("small.png", &png(2_000, 1_000, 8, 1_000));
    site.config(&format!(
        "{}limits:\n  image_pixels: 1000000\n",
        book_config("[page.md]")
    ));
    assert_refused(
        &site,
        "small.png",
        "is 2000 × 1000 pixels, over limits.image_pixels (1000000 pixels)",
    );
    site.config(&format!(
        "{}limits:\n  image_side: 1500\n",
        book_config("[page.md]")
    ));
    assert_refused(
        &site,
        "small.png",
        "is 2000 × 1000 pixels, over limits.image_side (1500 pixels a side)",
    );
    site.config(&book_config("[page.md]"));
    let run = build_capped(&site);
    assert!(!run.stderr.contains("small.png"), "{}", run.stderr);
}

#[test]
fn an_svg_one_by_a_billion_is_refused() {
    for (w, h) in [("1", "1e9"), ("1e9", "1"), ("0.001", "100")] {
        let thin = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\"><rect width=\"{w}\" height=\"{h}\"/></svg>"
        );
        let site = bomb_site("thin.svg", thin.as_bytes());
        assert_refused(
            &site,
            "thin.svg",
            "(width × height): too thin to draw with sides of at most 16384 pixels (limits.image_side)",
        );
    }
}

/// The pixel sizes of the raster images in the PDF.
fn pdf_image_sizes(site: &Site) -> Vec<(i64, i64)> {
    let doc = lopdf::Document::load(site.path("dist/b.pdf")).unwrap();
    doc.objects
        .values()
        .filter_map(|obj| match obj {
            lopdf::Object::Stream(s) if matches!(s.dict.get(b"Subtype"), Ok(lopdf::Object::Name(n)) if n == b"Image") => {
                Some((s.dict.get(b"Width").ok()?.as_i64().ok()?, s.dict.get(b"Height").ok()?.as_i64().ok()?))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn svgs_of_huge_declared_size_are_drawn_within_the_budget() {
    let fill = hex(INSIDE);
    for x in [
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1e30 1e30\"><rect width=\"1e30\" height=\"1e30\" fill=\"{fill}\"/></svg>"
        ),
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1e8\" height=\"5e7\"><rect width=\"1e8\" height=\"5e7\" fill=\"{fill}\"/></svg>"
        ),
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"100\" viewBox=\"-1e9 -1e9 2e9 2e9\"><circle r=\"1e9\" fill=\"{fill}\"/></svg>"
        ),
    ] {
        let site = figure_site(&x, Some("/images/x.svg"));
        let run = build_capped(&site);
        assert!(!run.stderr.contains("x.svg"), "{}", run.stderr);
        assert!(pdf_has_colour(&site, INSIDE) && epub_has_colour(&site, INSIDE));
        for (w, h) in pdf_image_sizes(&site) {
            assert!(
                w <= 16_384 && h <= 16_384 && w * h <= 40_000_000,
                "{w} × {h}"
            );
        }
    }
}

#[test]
fn svgs_that_would_need_huge_layers_are_drawn_smaller() {
    // Twenty nested layers, each as large as resvg allows: 20 × 25
    // canvases at once if drawn at full size (measured before: 26 s and
    // 590 MB).
    let layers = format!(
        "{}<rect x=\"-1e5\" y=\"-1e5\" width=\"1e6\" height=\"1e6\" fill=\"{}\"/>{}",
        "<g opacity=\"0.99\">".repeat(20),
        hex(INSIDE),
        "</g>".repeat(20)
    );
    let site = figure_site(&svg(&layers), Some("/images/x.svg"));
    let run = build_capped(&site);
    assert!(!run.stderr.contains("x.svg"), "{}", run.stderr);
    assert!(!pdf_text(&site).is_some_and(|t| t.contains("Image not available")));
}

/// Asserts an SVG bomb is refused naming `limit`, with a placeholder.
fn assert_svg_refused(body: &str, limit: &str) {
    let site = bomb_site("bomb.svg", body.as_bytes());
    assert_refused(&site, "bomb.svg", limit);
}

#[test]
fn svgs_asking_for_huge_tiles_or_filters_are_refused() {
    // A pattern tile of 10^10 pixels.
    assert_svg_refused(
        &svg(
            "<pattern id=\"p\" width=\"1e5\" height=\"1e5\" patternUnits=\"userSpaceOnUse\"><rect width=\"1e5\" height=\"1e5\"/></pattern><rect width=\"100\" height=\"100\" fill=\"url(#p)\"/>",
        ),
        "would need 4096 megapixels of layers, patterns and filters to draw even at 4096 pixels, over limits.image_pixels (40 megapixels)",
    );
    // A hundred million octaves of noise.
    assert_svg_refused(
        &svg(
            "<filter id=\"f\"><feTurbulence baseFrequency=\"0.05\" numOctaves=\"100000000\"/></filter><rect width=\"100\" height=\"100\" filter=\"url(#f)\"/>",
        ),
        "over limits.svg_work",
    );
    // A billion dashes.
    assert_svg_refused(
        &svg(&"<path d=\"M0 0 L1e6 1e6\" stroke=\"black\" stroke-dasharray=\"0.001\"/>".repeat(50)),
        "over limits.svg_work",
    );
}

#[test]
fn svgs_that_expand_to_too_many_elements_are_refused() {
    let too_many = "cannot be drawn: it makes more than 200000 elements, counting the copies `<use>` and markers make, nested SVG images, and text by its characters (limits.svg_elements)";
    // <use> ten times over six levels: a million rectangles from 2 KB.
    let mut uses = String::from("<defs><rect id=\"a0\" width=\"100\" height=\"100\"/>");
    for i in 1..=6 {
        uses.push_str(&format!(
            "<g id=\"a{i}\">{}</g>",
            format!("<use href=\"#a{}\"/>", i - 1).repeat(10)
        ));
    }
    uses.push_str("</defs><use href=\"#a6\"/>");
    assert_svg_refused(&svg(&uses), too_many);
    // A 50-element marker on each of 20000 vertices.
    let points: Vec<String> = (0..20_000)
        .map(|i| format!("{} {}", i % 100, i / 100 % 100))
        .collect();
    assert_svg_refused(
        &svg(&format!(
            "<marker id=\"m\">{}</marker><polyline points=\"{}\" marker-mid=\"url(#m)\" stroke=\"black\"/>",
            "<circle r=\"1\"/>".repeat(50),
            points.join(" ")
        )),
        too_many,
    );
    // Text takes time by the character: 120 KB in one element (measured
    // before: over two minutes).
    assert_svg_refused(
        &svg(&format!(
            "<text y=\"20\">{}</text>",
            "lorem ipsum ".repeat(10_000)
        )),
        too_many,
    );
    // Elements nested deeper than usvg allows.
    assert_svg_refused(
        &svg(&format!("{}{}", "<g>".repeat(5_000), "</g>".repeat(5_000))),
        "nests elements deeper than 1024 levels",
    );
}

#[test]
fn bombs_as_the_cover_logo_leave_the_covers_without_it() {
    for (name, bytes, why) in [
        (
            "bomb.png",
            png(20_000, 20_000, 8, 2),
            "is 20000 × 20000 pixels",
        ),
        (
            "thin.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1e9\"/>".to_vec(),
            "is 1 × 1000000000 (width × height): too thin to draw",
        ),
    ] {
        let site = Site::new();
        site.config(&format!(
            "{}    logo: /images/{name}\n",
            book_config("[page.md]")
        ));
        site.write(&format!("content/images/{name}"), &bytes);
        let run = build_capped(&site);
        // About the file itself, not a line of it.
        run.assert_stderr(&[&format!(
            "warning: content/images/{name}: cover logo `/images/{name}` {why}"
        )]);
        assert_eq!(
            run.stderr.matches(&format!("`/images/{name}`")).count(),
            1,
            "{}",
            run.stderr
        );
    }
}

#[test]
fn a_bomb_used_many_times_is_reported_once() {
    let bomb = png(20_000, 20_000, 8, 2);
    let site = bomb_site("bomb.png", &bomb);
    site.write(
        "content/page.md",
        format!("{FIGURE_PAGE}\n![The bomb](/images/bomb.png) and ![again](/images/bomb.png)\n")
            .replace("/images/x.svg", "/images/bomb.png"),
    );
    site.write(
        "content/other.md",
        "---\ntitle: Other\n---\n\n![The bomb](/images/bomb.png)\n",
    );
    site.config(&book_config("[page.md, other.md]"));
    let run = build_capped(&site);
    assert_eq!(
        run.stderr.matches("`/images/bomb.png`").count(),
        1,
        "{}",
        run.stderr
    );
    run.assert_located("content/page.md", Some(7));
}
