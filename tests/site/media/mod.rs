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

mod covers;
mod images;
mod urls;

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
