//! PDF/A-2u and PDF/UA-1 claims (issue 11, item 2). No PDF/A validator is
//! packaged here (veraPDF is not in Debian or PyPI), so the rules folio
//! must keep are checked on the file itself, read back with lopdf: the XMP
//! packet (well-formed XML, the identification entries, each Info entry
//! equal to its XMP twin), the sRGB output intent and its ICC profile,
//! annotation flags and actions, no `.notdef` glyph shown by a text
//! operator, every font embedded with a ToUnicode entry for every glyph
//! drawn, RGB and grey colour only, an `/ID` and no encryption.

use crate::common;
use crate::{fixture, options, pdf_tools, validate};
use folio::Diagnostics;
use folio::backend::pdf::render;
use folio::backend::pdf::standard::Standards;
use lopdf::{Dictionary, Document, Object};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// `obj`, or the object it refers to.
fn resolve<'a>(doc: &'a Document, obj: &'a Object) -> &'a Object {
    doc.dereference(obj).map(|(_, o)| o).unwrap_or(obj)
}

fn dict<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    let o = resolve(doc, d.get(key).ok()?);
    match o {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

fn name<'a>(d: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    d.get(key).ok().and_then(|o| o.as_name().ok())
}

/// A text string (PDFDocEncoding read as Latin-1, or UTF-16BE).
fn text(o: &Object) -> String {
    let Ok(b) = o.as_str() else {
        return String::new();
    };
    if let Some(rest) = b.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        b.iter().map(|&c| char::from(c)).collect()
    }
}

/// The catalog's XMP packet: an uncompressed XML metadata stream that
/// parses as XML.
pub fn xmp(doc: &Document) -> String {
    let catalog = doc.catalog().unwrap();
    let id = catalog
        .get(b"Metadata")
        .and_then(|o| o.as_reference())
        .expect("a /Metadata stream");
    let Object::Stream(stream) = doc.get_object(id).unwrap() else {
        panic!("/Metadata is not a stream");
    };
    assert_eq!(name(&stream.dict, b"Type"), Some(&b"Metadata"[..]));
    assert_eq!(name(&stream.dict, b"Subtype"), Some(&b"XML"[..]));
    assert!(stream.dict.get(b"Filter").is_err(), "XMP is compressed");
    let packet = String::from_utf8(stream.content.clone()).expect("XMP is UTF-8");
    let mut reader = quick_xml::Reader::from_str(&packet);
    let mut depth = 0i32;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("XMP is not XML: {e}\n{packet}"),
        }
    }
    assert_eq!(depth, 0, "unbalanced XMP:\n{packet}");
    packet
}

/// The text of XMP element `tag` (its first `rdf:li` for an array or a
/// language alternative, whose `x-default` comes first), unescaped.
fn xmp_value(packet: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = packet.find(&open)? + open.len();
    let end = start + packet[start..].find(&format!("</{tag}>"))?;
    let mut inner = &packet[start..end];
    if let Some(li) = inner.find("<rdf:li") {
        let from = li + inner[li..].find('>')? + 1;
        let to = from + inner[from..].find("</rdf:li>")?;
        inner = &inner[from..to];
    }
    Some(quick_xml::escape::unescape(inner).unwrap().into_owned())
}

/// The number of items of XMP array `tag`.
fn xmp_items(packet: &str, tag: &str) -> usize {
    let open = format!("<{tag}>");
    let Some(start) = packet.find(&open) else {
        return 0;
    };
    let end = start + packet[start..].find(&format!("</{tag}>")).unwrap();
    packet[start..end].matches("<rdf:li").count()
}

/// `D:YYYYMMDDHHmmSSZ` as XMP writes it.
fn iso_date(pdf: &str) -> String {
    let d = pdf.strip_prefix("D:").unwrap();
    assert!(d.len() == 15 && d.ends_with('Z'), "{pdf}");
    format!(
        "{}-{}-{}T{}:{}:{}Z",
        &d[0..4],
        &d[4..6],
        &d[6..8],
        &d[8..10],
        &d[10..12],
        &d[12..14]
    )
}

/// What a file claims in its XMP.
#[derive(Debug, PartialEq)]
pub struct Claimed {
    pub pdfa_2u: bool,
    pub pdfua_1: bool,
}

/// Checks the rules on one PDF and returns what it claims and its XMP.
pub fn check(bytes: &[u8]) -> (Claimed, String) {
    let version = bytes.get(..8).unwrap_or_default();
    assert!(
        version.starts_with(b"%PDF-1.") && (b'4'..=b'7').contains(&version[7]),
        "header {:?}",
        String::from_utf8_lossy(version)
    );
    let doc = Document::load_mem(bytes).unwrap();
    assert!(doc.trailer.get(b"Encrypt").is_err(), "encrypted");
    let id = doc.trailer.get(b"ID").unwrap().as_array().unwrap();
    assert_eq!(id.len(), 2);
    let packet = xmp(&doc);
    info_matches_xmp(&doc, &packet);
    let claimed = Claimed {
        pdfa_2u: packet.contains("<pdfaid:part>"),
        pdfua_1: packet.contains("<pdfuaid:part>"),
    };
    if claimed.pdfa_2u {
        assert_eq!(xmp_value(&packet, "pdfaid:part").as_deref(), Some("2"));
        assert_eq!(
            xmp_value(&packet, "pdfaid:conformance").as_deref(),
            Some("U")
        );
    }
    if claimed.pdfua_1 {
        assert_eq!(xmp_value(&packet, "pdfuaid:part").as_deref(), Some("1"));
        // PDF/UA's schema is not one PDF/A knows: the file describes it.
        assert_eq!(
            packet.contains("<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"),
            claimed.pdfa_2u,
            "{packet}"
        );
    }
    output_intent(&doc, claimed.pdfa_2u);
    let used = content(&doc);
    fonts(&doc, &used, claimed.pdfa_2u);
    images(&doc);
    annotations(&doc);
    (claimed, packet)
}

/// Each Info entry PDF/A compares equals its XMP twin.
fn info_matches_xmp(doc: &Document, packet: &str) {
    let info_id = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = doc.get_dictionary(info_id).unwrap();
    let pairs = [
        (&b"Title"[..], "dc:title"),
        (b"Author", "dc:creator"),
        (b"Subject", "dc:description"),
        (b"Keywords", "pdf:Keywords"),
        (b"Creator", "xmp:CreatorTool"),
        (b"Producer", "pdf:Producer"),
    ];
    for (key, tag) in pairs {
        let Ok(value) = info.get(key) else {
            continue;
        };
        assert_eq!(
            Some(text(value)),
            xmp_value(packet, tag),
            "Info {} and XMP {tag} differ",
            String::from_utf8_lossy(key)
        );
    }
    if info.get(b"Author").is_ok() {
        assert_eq!(xmp_items(packet, "dc:creator"), 1, "Author is one name");
    }
    for (key, tag) in [
        (&b"CreationDate"[..], "xmp:CreateDate"),
        (b"ModDate", "xmp:ModifyDate"),
    ] {
        let date = text(info.get(key).unwrap());
        assert_eq!(Some(iso_date(&date)), xmp_value(packet, tag));
    }
}

/// With a PDF/A claim, one sRGB output intent whose profile is an RGB
/// display profile; without, none.
fn output_intent(doc: &Document, pdfa: bool) {
    let catalog = doc.catalog().unwrap();
    let Ok(intents) = catalog.get(b"OutputIntents") else {
        assert!(!pdfa, "PDF/A without an output intent");
        return;
    };
    assert!(pdfa, "an output intent without a PDF/A claim");
    let intents = resolve(doc, intents).as_array().unwrap();
    assert_eq!(intents.len(), 1);
    let Object::Dictionary(intent) = resolve(doc, &intents[0]) else {
        panic!("output intent is not a dictionary");
    };
    assert_eq!(name(intent, b"S"), Some(&b"GTS_PDFA1"[..]));
    assert_eq!(
        text(intent.get(b"OutputConditionIdentifier").unwrap()),
        "sRGB IEC61966-2.1"
    );
    let profile = intent
        .get(b"DestOutputProfile")
        .unwrap()
        .as_reference()
        .unwrap();
    let Object::Stream(stream) = doc.get_object(profile).unwrap() else {
        panic!("no ICC stream");
    };
    assert_eq!(stream.dict.get(b"N").unwrap().as_i64().unwrap(), 3);
    let icc = stream.decompressed_content().unwrap();
    let size = u32::from_be_bytes(icc[0..4].try_into().unwrap()) as usize;
    assert_eq!(size, icc.len());
    assert_eq!(icc[8], 2, "ICC version 2");
    assert_eq!(&icc[12..24], b"mntrRGB XYZ ");
    assert_eq!(&icc[36..40], b"acsp");
}

/// Walks every page's content: no `.notdef` (code 0) shown, no CMYK
/// colour (the output intent is RGB); returns the glyph codes shown, by
/// font resource name.
fn content(doc: &Document) -> BTreeMap<Vec<u8>, BTreeSet<u16>> {
    let mut used: BTreeMap<Vec<u8>, BTreeSet<u16>> = BTreeMap::new();
    for page in doc.get_pages().into_values() {
        let content = doc.get_and_decode_page_content(page).unwrap();
        let mut font: Vec<u8> = Vec::new();
        for op in &content.operations {
            let strings: Vec<&Object> = match op.operator.as_str() {
                "Tf" => {
                    font = op.operands[0].as_name().unwrap().to_vec();
                    continue;
                }
                "k" | "K" | "cs" | "CS" | "scn" | "SCN" => {
                    panic!("colour operator `{}` in page content", op.operator)
                }
                _ => match super::read::shown_strings(op) {
                    Some(strings) => strings,
                    None => continue,
                },
            };
            for s in strings {
                let Ok(bytes) = s.as_str() else { continue };
                for code in bytes.chunks(2) {
                    let cid = u16::from_be_bytes([code[0], *code.get(1).unwrap_or(&0)]);
                    assert_ne!(cid, 0, ".notdef shown with a text operator");
                    used.entry(font.clone()).or_default().insert(cid);
                }
            }
        }
    }
    used
}

/// The CIDs a ToUnicode CMap maps (bfchar entries and bfrange spans).
fn mapped(cmap: &str) -> BTreeSet<u16> {
    let mut out = BTreeSet::new();
    let hex = |s: &str| u16::from_str_radix(s.trim_matches(['<', '>']), 16).ok();
    let mut mode = "";
    for line in cmap.lines() {
        let line = line.trim();
        if line.ends_with("beginbfchar") {
            mode = "char";
        } else if line.ends_with("beginbfrange") {
            mode = "range";
        } else if line.starts_with("end") {
            mode = "";
        } else if mode == "char" {
            let first = line.split_whitespace().next().and_then(hex);
            out.extend(first);
        } else if mode == "range" {
            let mut parts = line.split_whitespace();
            if let (Some(lo), Some(hi)) = (parts.next().and_then(hex), parts.next().and_then(hex)) {
                out.extend(lo..=hi);
            }
        }
    }
    out
}

/// Every font is a Type 0 font with its program embedded and a ToUnicode
/// map; with `pdfa` (PDF/A-2u claimed) one with an entry (not U+0000) for
/// every glyph `used` shows in it.
fn fonts(doc: &Document, used: &BTreeMap<Vec<u8>, BTreeSet<u16>>, pdfa: bool) {
    let (_, first) = doc.get_pages().into_iter().next().unwrap();
    let page = doc.get_dictionary(first).unwrap();
    let resources = dict(doc, page, b"Resources").expect("resources");
    let fonts = dict(doc, resources, b"Font").expect("fonts");
    for (font, cids) in used {
        let type0 = dict(doc, fonts, font).expect("font in the resources");
        assert_eq!(name(type0, b"Subtype"), Some(&b"Type0"[..]));
        let descendants = resolve(doc, type0.get(b"DescendantFonts").unwrap())
            .as_array()
            .unwrap();
        let Object::Dictionary(cid_font) = resolve(doc, &descendants[0]) else {
            panic!("no CID font");
        };
        let descriptor = dict(doc, cid_font, b"FontDescriptor").unwrap();
        assert!(
            descriptor.get(b"FontFile2").is_ok() || descriptor.get(b"FontFile3").is_ok(),
            "font not embedded"
        );
        let to_unicode = type0.get(b"ToUnicode").unwrap().as_reference().unwrap();
        let Object::Stream(cmap) = doc.get_object(to_unicode).unwrap() else {
            panic!("ToUnicode is not a stream");
        };
        let cmap = String::from_utf8(cmap.decompressed_content().unwrap()).unwrap();
        assert!(!cmap.contains("<0000>\n") && !cmap.contains("<0000> <0000>"));
        let have = mapped(&cmap);
        let unmapped: Vec<&u16> = cids.difference(&have).collect();
        assert!(
            unmapped.is_empty() || !pdfa,
            "font {}: glyphs without Unicode: {unmapped:?}",
            String::from_utf8_lossy(font)
        );
    }
}

/// Images are RGB or grey (the output intent is RGB), never interpolated
/// (PDF/A 6.2.8), their soft masks grey.
fn images(doc: &Document) {
    for object in doc.objects.values() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if name(&stream.dict, b"Subtype") != Some(b"Image") {
            continue;
        }
        let space = name(&stream.dict, b"ColorSpace");
        assert!(
            matches!(space, Some(b"DeviceRGB" | b"DeviceGray")),
            "image colour space {:?}",
            space.map(String::from_utf8_lossy)
        );
        let interpolate = stream.dict.get(b"Interpolate").and_then(|o| o.as_bool());
        assert!(!interpolate.unwrap_or(false), "interpolated image");
    }
}

/// Every annotation prints and is not hidden (PDF/A 6.3.2); links need no
/// appearance (6.3.3) but every other annotation does; actions only go to
/// a place or a URI.
fn annotations(doc: &Document) {
    for page in doc.get_pages().into_values() {
        for annot in doc.get_page_annotations(page).unwrap_or_default() {
            let flags = annot.get(b"F").and_then(|f| f.as_i64()).unwrap_or(0);
            assert_eq!(flags & 4, 4, "annotation not printed: {annot:?}");
            // Invisible, Hidden, NoView, ToggleNoView.
            assert_eq!(flags & (1 | 2 | 32 | 256), 0, "hidden: {annot:?}");
            if name(annot, b"Subtype") != Some(b"Link") {
                assert!(annot.get(b"AP").is_ok(), "no appearance: {annot:?}");
            }
            if let Some(action) = dict(doc, annot, b"A") {
                let kind = name(action, b"S").unwrap_or_default();
                assert!(kind == b"URI" || kind == b"GoTo", "action {action:?}");
            }
        }
    }
}

/// A scratch project with one PDF book of one page, the repository's
/// fonts and `style` (the built-in style's text) as its PDF style.
fn project(style: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = common::root();
    let templates = match style {
        Some(text) => {
            let t = dir.path().join("templates");
            std::fs::create_dir_all(&t).unwrap();
            std::fs::write(t.join("pdf-style.yaml"), text).unwrap();
            t
        }
        None => root.join("templates"),
    };
    let config = format!(
        "fonts: {}\ntemplates: {}\nbooks:\n  b:\n    title: Claims\n    authors: [Ann, Bo]\n    language: en\n    formats: [pdf]\n    pages: [page.md]\n",
        root.join("fonts").display(),
        templates.display()
    );
    std::fs::write(dir.path().join("folio.yaml"), config).unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    let page = "---\ntitle: Page\n---\n\nSome [text](https://xmpp.org/) and x\u{378}y.\n";
    std::fs::write(dir.path().join("content/page.md"), page).unwrap();
    dir
}

fn built_in_style() -> String {
    std::fs::read_to_string(common::root().join("templates/pdf-style.yaml")).unwrap()
}

/// `folio build` with `args`; the PDF's bytes.
fn build(dir: &Path, args: &[&str]) -> Vec<u8> {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let (code, _, stderr) = common::folio(dir, &all);
    assert_eq!(code, 0, "{stderr}");
    std::fs::read(dir.join("dist/b.pdf")).unwrap()
}

#[test]
fn the_default_claims_both_with_dates_from_source_date_epoch() {
    let dir = project(None);
    let bytes = build(dir.path(), &[]);
    let (claimed, packet) = check(&bytes);
    assert_eq!(
        claimed,
        Claimed {
            pdfa_2u: true,
            pdfua_1: true
        }
    );
    // SOURCE_DATE_EPOCH=1700000000 (common::folio).
    for tag in ["xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"] {
        assert_eq!(
            xmp_value(&packet, tag).as_deref(),
            Some("2023-11-14T22:13:20Z")
        );
    }
    // Two authors: both in the XMP, in order; Info has no one Author to
    // match them.
    assert!(packet.contains("<rdf:Seq><rdf:li>Ann</rdf:li><rdf:li>Bo</rdf:li></rdf:Seq>"));
    assert_eq!(xmp_value(&packet, "dc:title").as_deref(), Some("Claims"));
    assert!(packet.contains("<rdf:li xml:lang=\"en\">Claims</rdf:li>"));
    // Same bytes again.
    assert!(build(dir.path(), &[]) == bytes, "not reproducible");
    if let Some(tools) = pdf_tools() {
        validate(&tools, &bytes);
    }
    let why = "the XMP not read back by poppler (pdfinfo -meta)";
    if let Some(tools) = common::validators(&["pdfinfo"], why) {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("b.pdf");
        std::fs::write(&path, &bytes).unwrap();
        let (ok, meta) = tools.run("pdfinfo", &["-meta", path.to_str().unwrap()]);
        assert!(
            ok && meta.contains("<pdfaid:part>2</pdfaid:part>"),
            "{meta}"
        );
        assert!(meta.contains("<pdfuaid:part>1</pdfuaid:part>"), "{meta}");
    }
}

#[test]
fn the_style_key_and_the_flag_choose_the_claims() {
    let with = |standard: &str| {
        let style = built_in_style().replace(
            "standard: pdf/a-2u+pdf/ua-1",
            &format!("standard: {standard}"),
        );
        assert!(style.contains(standard));
        project(Some(&style))
    };
    let claims = |bytes: &[u8]| check(bytes).0;
    let none = Claimed {
        pdfa_2u: false,
        pdfua_1: false,
    };
    let ua = Claimed {
        pdfa_2u: false,
        pdfua_1: true,
    };
    let dir = with("none");
    assert_eq!(claims(&build(dir.path(), &[])), none);
    // The flag overrides the style, either way.
    let both = build(dir.path(), &["--pdf-standard", "pdf/a-2u+pdf/ua-1"]);
    assert!(claims(&both).pdfa_2u && claims(&both).pdfua_1);
    let dir = with("[pdf/ua-1]");
    assert_eq!(claims(&build(dir.path(), &[])), ua);
    let dir = project(None);
    assert_eq!(
        claims(&build(dir.path(), &["--pdf-standard", "none"])),
        none
    );
    let a = claims(&build(dir.path(), &["--pdf-standard", "PDF/A-2u"]));
    assert!(a.pdfa_2u && !a.pdfua_1);
}

#[test]
fn unknown_standards_are_refused() {
    let dir = project(None);
    let (code, _, stderr) = common::folio(dir.path(), &["build", "--pdf-standard", "pdf/x-4"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("unknown PDF standard `pdf/x-4`"),
        "{stderr}"
    );
    let style = built_in_style().replace("standard: pdf/a-2u+pdf/ua-1", "standard: pdf/a-1b");
    let line = style.lines().position(|l| l.contains("pdf/a-1b")).unwrap() + 1;
    let dir = project(Some(&style));
    let (code, _, stderr) = common::folio(dir.path(), &["build"]);
    assert_ne!(code, 0);
    assert!(
        stderr.contains(&format!("pdf-style.yaml:{line}")),
        "no line {line}:\n{stderr}"
    );
    assert!(
        stderr.contains("unknown PDF standard `pdf/a-1b`"),
        "{stderr}"
    );
}

#[test]
fn render_options_override_the_style() {
    let mut opts = options(None);
    opts.standard = Some("none".parse::<Standards>().unwrap());
    let bytes = render(&fixture(), &opts, &mut Diagnostics::default()).unwrap();
    let (claimed, packet) = check(&bytes);
    assert!(!claimed.pdfa_2u && !claimed.pdfua_1, "{packet}");
    // The XMP is there without a claim, with the same title.
    assert_eq!(
        xmp_value(&packet, "dc:title").as_deref(),
        Some("Fixture Book")
    );
}

#[test]
fn glyphs_without_text_withdraw_the_pdfa_claim() {
    let font = "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf";
    if !Path::new(font).exists() {
        common::skip(
            "Devanagari font not installed (apt-get install fonts-noto-core): PDF/A claim withdrawal unchecked",
        );
        return;
    }
    let dir = project(None);
    // Conjuncts and vowel signs: shaping gives clusters of several glyphs,
    // the later ones without text of their own.
    let page = "---\ntitle: Page\n---\n\nक्षत्रिय हिन्दी किताब.\n";
    std::fs::write(dir.path().join("content/page.md"), page).unwrap();
    let (code, _, stderr) = common::folio(dir.path(), &["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("the PDF does not claim PDF/A-2u") && stderr.contains("NotoSansDevanagari"),
        "{stderr}"
    );
    let bytes = std::fs::read(dir.path().join("dist/b.pdf")).unwrap();
    let (claimed, _) = check(&bytes);
    assert_eq!(
        claimed,
        Claimed {
            pdfa_2u: false,
            pdfua_1: true
        }
    );
    // Asked for PDF/UA only, the build says nothing of PDF/A.
    let (code, _, stderr) = common::folio(dir.path(), &["build", "--pdf-standard", "pdf/ua-1"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("PDF/A"), "{stderr}");
}
