//! What the PDF writer itself promises (issue 12): font subset tags derived
//! from the subset, PNG data passed through untouched when the PDF can take
//! it (a soft mask when it has alpha), each image embedded once however
//! often it is drawn, and the bleed's page boxes.

use super::fixture::{block, fixture, page, para, t};
use super::{options, render};
use folio::Diagnostics;
use folio::model::*;
use lopdf::{Document, Object};
use std::path::Path;

fn build(book: &Book) -> Document {
    let mut diags = Diagnostics::default();
    let bytes = render(book, &options(None), &mut diags).expect("renders");
    Document::load_mem(&bytes).expect("lopdf reads it")
}

/// `BaseFont` of every Type 0 font, sorted.
fn base_fonts(doc: &Document) -> Vec<String> {
    let mut out: Vec<String> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Subtype").and_then(|o| o.as_name()).ok() == Some(b"Type0"))
        .filter_map(|d| d.get(b"BaseFont").and_then(|o| o.as_name()).ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect();
    out.sort();
    out
}

/// The face names of `fonts` with their tags, by face.
fn tags_by_face(fonts: &[String]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = fonts
        .iter()
        .map(|f| {
            let (tag, face) = f.split_once('+').expect("a subset tag");
            assert!(
                tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()),
                "tag of {f}"
            );
            (face.to_string(), tag.to_string())
        })
        .collect();
    out.sort();
    out
}

/// A one-chapter book of `blocks`.
fn book_of(blocks: Vec<Block>) -> Book {
    let mut book = fixture();
    book.pages = vec![page("only", "Only", blocks, Vec::new())];
    book
}

#[test]
fn subset_tags_follow_the_glyphs_used() {
    let a = book_of(vec![para(vec![t("Alpha beta gamma")])]);
    let b = book_of(vec![para(vec![t("Quixotic zephyrs jump")])]);
    let tags_a = tags_by_face(&base_fonts(&build(&a)));
    let again = tags_by_face(&base_fonts(&build(&a)));
    let tags_b = tags_by_face(&base_fonts(&build(&b)));
    assert_eq!(tags_a, again, "the same document, the same tags");
    // Same faces (cover, contents, body), other glyphs in the body face.
    let faces = |v: &[(String, String)]| v.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>();
    assert_eq!(faces(&tags_a), faces(&tags_b));
    let body = "NotoSerif-Regular";
    let tag = |v: &[(String, String)]| {
        v.iter()
            .find(|(f, _)| f == body)
            .map(|(_, t)| t.clone())
            .expect("the body face")
    };
    assert_ne!(tag(&tags_a), tag(&tags_b), "{tags_a:?} / {tags_b:?}");
    // No two faces of one document share a tag either.
    let mut seen: Vec<&String> = tags_a.iter().map(|(_, t)| t).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), tags_a.len(), "{tags_a:?}");
}

/// The IDAT chunks of a PNG, joined.
fn idat(png: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut pos = 8;
    while pos + 8 <= png.len() {
        let len = u32::from_be_bytes(png[pos..pos + 4].try_into().unwrap()) as usize;
        if &png[pos + 4..pos + 8] == b"IDAT" {
            out.extend_from_slice(&png[pos + 8..pos + 8 + len]);
        }
        pos += 12 + len;
    }
    out
}

fn figure(id: &str, path: &Path) -> Block {
    block(
        id,
        BlockKind::Figure(Box::new(Figure {
            src: format!("/images/{id}.png"),
            asset: Some(Asset {
                path: path.to_path_buf(),
                format: AssetFormat::Png,
            }),
            caption: vec![t("A picture")],
            width: Some("100".into()),
            ..Figure::default()
        })),
    )
}

#[test]
fn png_data_passes_through_and_each_image_is_embedded_once() {
    use image::ImageEncoder;
    let dir = tempfile::tempdir().unwrap();
    let (plain, alpha) = (dir.path().join("plain.png"), dir.path().join("alpha.png"));
    for (path, channels, kind) in [
        (&plain, 3, image::ExtendedColorType::Rgb8),
        (&alpha, 4, image::ExtendedColorType::Rgba8),
    ] {
        let file = std::fs::File::create(path).unwrap();
        let (w, h) = (40u32, 30u32);
        let data: Vec<u8> = (0..w * h * channels)
            .map(|i| {
                if channels == 4 && i % 4 == 3 {
                    (i % 251) as u8
                } else {
                    (i * 7 % 256) as u8
                }
            })
            .collect();
        image::codecs::png::PngEncoder::new(file)
            .write_image(&data, w, h, kind)
            .unwrap();
    }
    // The plain PNG drawn three times, the other once.
    let book = book_of(vec![
        figure("plain", &plain),
        para(vec![t("Between the pictures.")]),
        figure("plain", &plain),
        figure("alpha", &alpha),
        figure("plain", &plain),
    ]);
    let doc = build(&book);
    let streams: Vec<&lopdf::Stream> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(|o| o.as_name()).ok() == Some(b"Image"))
        .collect();
    let sized = |w: i64| {
        streams
            .iter()
            .filter(|s| s.dict.get(b"Width").and_then(Object::as_i64).ok() == Some(w))
            .count()
    };
    // One XObject for the plain PNG; the alpha one and its mask are 40 wide too.
    assert_eq!(sized(40), 3, "plain, alpha, alpha's mask");
    let passed: Vec<&&lopdf::Stream> = streams
        .iter()
        .filter(|s| s.dict.get(b"DecodeParms").is_ok())
        .collect();
    assert_eq!(passed.len(), 1, "one passed-through PNG");
    let parms = passed[0]
        .dict
        .get(b"DecodeParms")
        .unwrap()
        .as_dict()
        .unwrap();
    assert_eq!(parms.get(b"Predictor").unwrap().as_i64().unwrap(), 15);
    assert_eq!(parms.get(b"Colors").unwrap().as_i64().unwrap(), 3);
    assert_eq!(parms.get(b"Columns").unwrap().as_i64().unwrap(), 40);
    assert_eq!(
        passed[0].content,
        idat(&std::fs::read(&plain).unwrap()),
        "the IDAT bytes, unchanged"
    );
    // The PNG with alpha is decoded: its colour has a soft mask.
    let masked: Vec<_> = streams
        .iter()
        .filter(|s| s.dict.get(b"SMask").is_ok())
        .collect();
    assert_eq!(masked.len(), 1);
}

/// A copy of the shipped templates with `page.bleed` set.
fn templates_with_bleed(dir: &Path, bleed: &str) -> std::path::PathBuf {
    let from = super::common::root().join("templates");
    let to = dir.join("templates");
    copy_dir(&from, &to);
    let style = to.join("pdf-style.yaml");
    let text = std::fs::read_to_string(&style).unwrap();
    let text = text.replacen("page:\n", &format!("page:\n  bleed: {bleed}\n"), 1);
    std::fs::write(&style, text).unwrap();
    to
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn rect(doc: &Document, page: lopdf::ObjectId, key: &[u8]) -> Option<Vec<f32>> {
    let d = doc.get_dictionary(page).ok()?;
    let a = d.get(key).ok()?.as_array().ok()?;
    Some(a.iter().map(|o| o.as_float().unwrap_or(0.0)).collect())
}

#[test]
fn bleed_grows_the_media_box_around_the_trim() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = options(None);
    opts.resources.templates_dir = templates_with_bleed(dir.path(), "9");
    let book = book_of(vec![para(vec![t("Printed to the edge.")])]);
    let mut diags = Diagnostics::default();
    let bytes = render(&book, &opts, &mut diags).expect("renders");
    let doc = Document::load_mem(&bytes).unwrap();
    let first = *doc.get_pages().values().next().unwrap();
    let (w, h) = (595.276f32, 841.89f32);
    let close =
        |a: &[f32], b: &[f32]| a.len() == 4 && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 0.01);
    let media = rect(&doc, first, b"MediaBox").unwrap();
    assert!(close(&media, &[0.0, 0.0, w + 18.0, h + 18.0]), "{media:?}");
    let trim = rect(&doc, first, b"TrimBox").unwrap();
    assert!(close(&trim, &[9.0, 9.0, w + 9.0, h + 9.0]), "{trim:?}");
    assert_eq!(rect(&doc, first, b"BleedBox").unwrap(), media);
    // Without bleed, no boxes but the media box, the paper's size.
    let plain = build(&book);
    let first = *plain.get_pages().values().next().unwrap();
    assert!(rect(&plain, first, b"TrimBox").is_none());
    assert!(close(
        &rect(&plain, first, b"MediaBox").unwrap(),
        &[0.0, 0.0, w, h]
    ));

    // What poppler reads of the boxes.
    let Some(tools) = super::common::validators(&["pdfinfo"], "bleed boxes read with lopdf only")
    else {
        return;
    };
    let path = dir.path().join("bleed.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let (ok, out) = tools.run("pdfinfo", &["-box", path.to_str().unwrap()]);
    assert!(ok, "{out}");
    let line = |name: &str| {
        out.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} in {out}"))
            .split_whitespace()
            .skip(1)
            .map(|v| v.parse::<f32>().unwrap())
            .collect::<Vec<_>>()
    };
    assert!(
        close(&line("TrimBox:"), &[9.0, 9.0, w + 9.0, h + 9.0]),
        "{out}"
    );
    assert!(
        close(&line("BleedBox:"), &[0.0, 0.0, w + 18.0, h + 18.0]),
        "{out}"
    );
    assert!(
        close(&line("MediaBox:"), &[0.0, 0.0, w + 18.0, h + 18.0]),
        "{out}"
    );
}

#[test]
fn a_bleed_out_of_range_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = options(None);
    opts.resources.templates_dir = templates_with_bleed(dir.path(), "-3");
    let book = book_of(vec![para(vec![t("x")])]);
    let err = render(&book, &opts, &mut Diagnostics::default()).unwrap_err();
    let msg = format!("{err:#}");
    assert!(
        msg.contains("bleed") && msg.contains("pdf-style.yaml"),
        "{msg}"
    );
}
