//! What lopdf reads back from a PDF: text strings, the outline, link
//! annotations, the Info dictionary, the paper size and the images.

/// A text string of `d` (UTF-16BE with a byte order mark, else read as
/// UTF-8); empty when missing.
fn text_string(d: &lopdf::Dictionary, key: &[u8]) -> String {
    match d.get(key) {
        Ok(lopdf::Object::String(b, _)) => {
            if b.starts_with(&[0xFE, 0xFF]) {
                let units: Vec<u16> = b[2..]
                    .chunks(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                String::from_utf16_lossy(&units)
            } else {
                String::from_utf8_lossy(b).into_owned()
            }
        }
        _ => String::new(),
    }
}

/// Outline entries (all levels) and top-level entries, read with lopdf.
pub fn outline(doc: &lopdf::Document) -> (Vec<String>, usize) {
    fn title(d: &lopdf::Dictionary) -> String {
        text_string(d, b"Title")
    }
    fn walk(doc: &lopdf::Document, first: Option<lopdf::ObjectId>, out: &mut Vec<String>) -> usize {
        let mut n = 0;
        let mut cur = first;
        while let Some(id) = cur {
            let d = doc.get_dictionary(id).unwrap();
            out.push(title(d));
            n += 1;
            walk(
                doc,
                d.get(b"First").and_then(|o| o.as_reference()).ok(),
                out,
            );
            cur = d.get(b"Next").and_then(|o| o.as_reference()).ok();
        }
        n
    }
    let catalog = doc.catalog().unwrap();
    let root = catalog
        .get(b"Outlines")
        .and_then(|o| o.as_reference())
        .unwrap();
    let root = doc.get_dictionary(root).unwrap();
    let mut titles = Vec::new();
    let top = walk(
        doc,
        root.get(b"First").and_then(|o| o.as_reference()).ok(),
        &mut titles,
    );
    (titles, top)
}

/// Link annotations: (URIs, internal destinations).
pub fn annotations(doc: &lopdf::Document) -> (Vec<String>, usize) {
    let mut uris = Vec::new();
    let mut internal = 0;
    for (_, page) in doc.get_pages() {
        let page = doc.get_dictionary(page).unwrap();
        let Ok(annots) = page.get(b"Annots").and_then(|a| a.as_array()) else {
            continue;
        };
        for a in annots {
            let d = doc.get_dictionary(a.as_reference().unwrap()).unwrap();
            assert_eq!(d.get(b"Subtype").unwrap().as_name().unwrap(), b"Link");
            let border = d.get(b"Border").unwrap().as_array().unwrap();
            assert_eq!(
                border.last().unwrap().as_i64().unwrap(),
                0,
                "link border must be invisible"
            );
            if let Ok(action) = d.get(b"A").and_then(|a| a.as_dict()) {
                let uri = action.get(b"URI").unwrap().as_str().unwrap();
                uris.push(String::from_utf8_lossy(uri).into_owned());
            } else {
                assert!(d.get(b"Dest").is_ok());
                internal += 1;
            }
        }
    }
    (uris, internal)
}

/// The Info dictionary's `key` as text.
pub fn info(doc: &lopdf::Document, key: &[u8]) -> String {
    let info = doc
        .trailer
        .get(b"Info")
        .and_then(|o| o.as_reference())
        .and_then(|id| doc.get_dictionary(id))
        .expect("an Info dictionary");
    text_string(info, key)
}

/// Width and height of the first page in points (its MediaBox, or the one
/// it inherits from its page tree).
pub fn page_size(doc: &lopdf::Document) -> (f32, f32) {
    let (_, first) = doc.get_pages().into_iter().next().expect("a page");
    let mut dict = doc.get_dictionary(first).unwrap();
    let media = loop {
        if let Ok(b) = dict.get(b"MediaBox").and_then(|o| o.as_array()) {
            break b;
        }
        let parent = dict.get(b"Parent").and_then(|o| o.as_reference()).unwrap();
        dict = doc.get_dictionary(parent).unwrap();
    };
    let n: Vec<f32> = media.iter().map(|o| o.as_float().unwrap()).collect();
    (n[2] - n[0], n[3] - n[1])
}

/// The first page is `size` (points, to half a point: millimetre sizes
/// are not whole points).
pub fn assert_paper(doc: &lopdf::Document, size: (f32, f32)) {
    let (w, h) = page_size(doc);
    assert!(
        (w - size.0).abs() < 0.5 && (h - size.1).abs() < 0.5,
        "page is {w} x {h}, not {} x {}",
        size.0,
        size.1
    );
}

/// The image XObjects: (filter, width, height, has a soft mask).
pub fn images(doc: &lopdf::Document) -> Vec<(String, i64, i64, bool)> {
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .map(|s| &s.dict)
        .filter(|d| d.get(b"Subtype").and_then(|o| o.as_name()).ok() == Some(b"Image"))
        .map(|d| {
            let filter = match d.get(b"Filter") {
                Ok(lopdf::Object::Name(n)) => String::from_utf8_lossy(n).into_owned(),
                Ok(lopdf::Object::Array(a)) => a
                    .iter()
                    .filter_map(|o| o.as_name().ok())
                    .map(|n| String::from_utf8_lossy(n).into_owned())
                    .collect::<Vec<_>>()
                    .join(" "),
                _ => String::new(),
            };
            let int = |k: &[u8]| d.get(k).and_then(|o| o.as_i64()).unwrap_or(0);
            (
                filter,
                int(b"Width"),
                int(b"Height"),
                d.get(b"SMask").is_ok(),
            )
        })
        .collect()
}

/// The strings a text-showing operator (`Tj`, `'`, `"`, `TJ`) shows;
/// `None` for any other operator.
pub fn shown_strings(op: &lopdf::content::Operation) -> Option<Vec<&lopdf::Object>> {
    match op.operator.as_str() {
        "Tj" | "'" | "\"" => Some(op.operands.iter().collect()),
        "TJ" => Some(
            op.operands
                .iter()
                .filter_map(|o| o.as_array().ok())
                .flatten()
                .collect(),
        ),
        _ => None,
    }
}
