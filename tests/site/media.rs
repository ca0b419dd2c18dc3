//! Links and images as the web serves them, and covers that fit any logo.
//!
//! URLs: every external link target is a valid URL in every output (IDN
//! hosts as punycode, typos repaired with a located warning, unparseable
//! ones unlinked). Images: known by their bytes (GIF, WebP, misnamed
//! files), unique EPUB names whatever the case, large ones scaled down for
//! the EPUB only, remote ones a linked line without any network access,
//! small ones set in the line of the PDF and large ones after their
//! paragraph. Covers: no text over the logo, whatever its shape.

use super::common;
use super::harness::{Site, book_config, traced_calls};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use regex::Regex;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

// ---------------------------------------------------------------- fixtures

/// The logo red: no other pixel of a cover has it.
const RED: [u8; 3] = [220, 20, 20];

/// A `width` × `height` image in `color`, encoded as `format`.
fn image_bytes(width: u32, height: u32, color: [u8; 3], format: ImageFormat) -> Vec<u8> {
    let image = DynamicImage::ImageRgb8(RgbImage::from_pixel(width, height, Rgb(color)));
    encode(&image, format)
}

/// A photo-like `width` × `height` picture (gradients) as `format`.
fn photo_bytes(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let image = DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
        Rgb([
            (x / 20 % 256) as u8,
            (y / 12 % 256) as u8,
            ((x + y) % 256) as u8,
        ])
    }));
    encode(&image, format)
}

fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    match format {
        ImageFormat::WebP => image::codecs::webp::WebPEncoder::new_lossless(&mut out)
            .encode(
                image.to_rgba8().as_raw(),
                image.width(),
                image.height(),
                image::ExtendedColorType::Rgba8,
            )
            .unwrap(),
        _ => image.write_to(&mut Cursor::new(&mut out), format).unwrap(),
    }
    out
}

/// An animated GIF: a red first frame, then a blue one.
fn animated_gif(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut out);
        for color in [[220, 20, 20, 255], [20, 20, 220, 255]] {
            let frame = image::Frame::new(image::RgbaImage::from_pixel(
                width,
                height,
                image::Rgba(color),
            ));
            encoder.encode_frame(frame).unwrap();
        }
    }
    out
}

/// A project whose one page has `body` (its first line is line 5) and
/// `files` under `content/` (the static root).
fn site_with(body: &str, files: &[(&str, Vec<u8>)]) -> Site {
    let site = Site::new();
    site.write(
        "content/page.md",
        format!("---\ntitle: Page\n---\n\n{body}"),
    );
    for (path, bytes) in files {
        site.write(&format!("content/{path}"), bytes);
    }
    site
}

// ---------------------------------------------------------------- readers

/// Every entry of the EPUB, by name.
fn epub_entries(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let bytes = std::fs::read(site.path("dist/b.epub")).expect("the EPUB");
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a readable EPUB");
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        out.insert(entry.name().to_string(), data);
    }
    out
}

/// Every XHTML chapter of the EPUB, joined.
fn epub_xhtml(site: &Site) -> String {
    epub_entries(site)
        .iter()
        .filter(|(name, _)| name.ends_with(".xhtml"))
        .map(|(_, data)| String::from_utf8_lossy(data).into_owned())
        .collect()
}

/// The images of the EPUB's manifest: (href, media type, bytes).
fn epub_images(site: &Site) -> Vec<(String, String, Vec<u8>)> {
    let entries = epub_entries(site);
    let (opf_name, opf) = entries
        .iter()
        .find(|(name, _)| name.ends_with(".opf"))
        .expect("a package document");
    let dir = opf_name.rsplit_once('/').map_or("", |(d, _)| d);
    let opf = String::from_utf8_lossy(opf);
    let item = Regex::new(r"<item [^>]*>").unwrap();
    let href = Regex::new(r#"href="([^"]+)""#).unwrap();
    let media = Regex::new(r#"media-type="(image/[^"]+)""#).unwrap();
    item.find_iter(&opf)
        .filter_map(|m| {
            let tag = m.as_str();
            let href = href.captures(tag)?[1].to_string();
            let media = media.captures(tag)?[1].to_string();
            Some((href, media))
        })
        .filter(|(href, _)| !href.contains("cover"))
        .map(|(href, media)| {
            let path = if dir.is_empty() {
                href.clone()
            } else {
                format!("{dir}/{href}")
            };
            let bytes = entries
                .get(&path)
                .cloned()
                .expect("a manifest item is in the zip");
            (href, media, bytes)
        })
        .collect()
}

/// Every `href` of the EPUB's chapters.
fn epub_hrefs(site: &Site) -> Vec<String> {
    let href = Regex::new(r#"href="([^"]*)""#).unwrap();
    href.captures_iter(&epub_xhtml(site))
        .map(|c| c[1].replace("&amp;", "&"))
        .collect()
}

fn pdf(site: &Site) -> lopdf::Document {
    lopdf::Document::load(site.path("dist/b.pdf")).expect("a readable PDF")
}

/// Every image XObject of the PDF: (width, height, filter).
fn pdf_images(site: &Site) -> Vec<(i64, i64, String)> {
    let doc = pdf(site);
    let mut out = Vec::new();
    for object in doc.objects.values() {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        let dict = &stream.dict;
        if dict.get(b"Subtype").and_then(|s| s.as_name()).ok() != Some(b"Image") {
            continue;
        }
        let int = |key: &[u8]| dict.get(key).and_then(|v| v.as_i64()).unwrap_or(-1);
        let filter = dict
            .get(b"Filter")
            .ok()
            .and_then(|f| f.as_name().ok())
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .unwrap_or_default();
        out.push((int(b"Width"), int(b"Height"), filter));
    }
    out
}

/// The decompressed colour samples of the PDF's `width` × `height` RGB
/// image.
fn pdf_image_pixels(site: &Site, width: i64, height: i64) -> Vec<u8> {
    let doc = pdf(site);
    doc.objects
        .values()
        .find_map(|object| {
            let lopdf::Object::Stream(stream) = object else {
                return None;
            };
            let dict = &stream.dict;
            let int = |key: &[u8]| dict.get(key).and_then(|v| v.as_i64()).ok();
            let rgb = dict.get(b"ColorSpace").and_then(|c| c.as_name()).ok() == Some(b"DeviceRGB");
            (int(b"Width") == Some(width) && int(b"Height") == Some(height) && rgb).then(|| {
                stream
                    .decompressed_content()
                    .unwrap_or_else(|_| stream.content.clone())
            })
        })
        .unwrap_or_else(|| panic!("no {width}×{height} RGB image in the PDF"))
}

/// Every URI a link annotation of the PDF points to.
fn pdf_uris(site: &Site) -> Vec<String> {
    let doc = pdf(site);
    let mut out = Vec::new();
    let mut visit = |dict: &lopdf::Dictionary| {
        if let Ok(lopdf::Object::String(bytes, _)) = dict.get(b"URI") {
            out.push(String::from_utf8_lossy(bytes).into_owned());
        }
    };
    for object in doc.objects.values() {
        if let lopdf::Object::Dictionary(dict) = object {
            visit(dict);
            if let Ok(lopdf::Object::Dictionary(action)) = dict.get(b"A") {
                visit(action);
            }
        }
    }
    out
}

fn text_output(site: &Site) -> String {
    std::fs::read_to_string(site.path("dist/text/b/page.txt")).expect("the text output")
}

/// A box on a PDF page: left, top, right, bottom in points, y downwards.
#[derive(Debug, Clone, Copy)]
struct Area {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
}

impl Area {
    fn overlaps(&self, other: &Area) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }
}

/// Per page, every image drawn (from `mutool trace`) with its pixel size;
/// `None` after a skip line when mutool is missing.
fn drawn_images(site: &Site) -> Option<Vec<Vec<(Area, u32, u32)>>> {
    let tools = common::validators(&["mutool"], "image placement not checked")?;
    let path = site.path("dist/b.pdf");
    let (ok, trace) = tools.run("mutool", &["trace", path.to_str().unwrap()]);
    assert!(ok, "mutool trace failed:\n{trace}");
    let image = Regex::new(
        r#"<fill_image [^>]*transform="([-\d.e]+) [-\d.e]+ [-\d.e]+ ([-\d.e]+) ([-\d.e]+) ([-\d.e]+)" width="(\d+)" height="(\d+)""#,
    )
    .unwrap();
    Some(
        trace
            .split("<page ")
            .skip(1)
            .map(|page| {
                image
                    .captures_iter(page)
                    .map(|c| {
                        let n = |i: usize| c[i].parse::<f32>().unwrap();
                        let (a, d, e, f) = (n(1), n(2), n(3), n(4));
                        let area = Area {
                            x0: e.min(e + a),
                            y0: f.min(f + d),
                            x1: e.max(e + a),
                            y1: f.max(f + d),
                        };
                        (area, c[5].parse().unwrap(), c[6].parse().unwrap())
                    })
                    .collect()
            })
            .collect(),
    )
}

/// Per page, every word with its box (from `pdftotext -bbox`); `None`
/// after a skip line when pdftotext is missing.
fn words(site: &Site) -> Option<Vec<Vec<(String, Area)>>> {
    let tools = common::validators(&["pdftotext"], "text placement not checked")?;
    let path = site.path("dist/b.pdf");
    let (ok, html) = tools.run("pdftotext", &["-bbox", path.to_str().unwrap(), "-"]);
    assert!(ok, "pdftotext failed:\n{html}");
    let word = Regex::new(
        r#"<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>"#,
    )
    .unwrap();
    Some(
        html.split("<page ")
            .skip(1)
            .map(|page| {
                word.captures_iter(page)
                    .map(|c| {
                        let n = |i: usize| c[i].parse::<f32>().unwrap();
                        let area = Area {
                            x0: n(1),
                            y0: n(2),
                            x1: n(3),
                            y1: n(4),
                        };
                        (c[5].to_string(), area)
                    })
                    .collect()
            })
            .collect(),
    )
}

/// Runs epubcheck on the site's EPUB and asserts 0 errors, 0 warnings.
fn assert_epubcheck_clean(site: &Site) {
    let Some(tools) = common::validators(&["epubcheck"], "EPUB not run through epubcheck") else {
        return;
    };
    let path = site.path("dist/b.epub");
    let (ok, report) = tools.run("epubcheck", &[path.to_str().unwrap()]);
    assert!(
        ok && report.contains("No errors or warnings detected"),
        "epubcheck:\n{report}"
    );
}

// ---------------------------------------------------------------- URLs

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

// ---------------------------------------------------------------- images

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

// ---------------------------------------------------------------- covers

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
    assert_eq!(pdf_uris(&site), ["https://ci.example.net/x"]);
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
