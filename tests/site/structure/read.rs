//! Reading the outputs back: EPUB entries, text files, the nav and NCX
//! trees (quick-xml), the PDF outline (lopdf) and the printed contents
//! (pdftotext).

use super::Site;
use super::common;
use quick_xml::events::Event;
use std::io::Read;

/// One entry of `dist/b.epub`, as text.
pub(super) fn epub_entry(site: &Site, name: &str) -> String {
    let bytes = std::fs::read(site.path("dist/b.epub")).expect("dist/b.epub");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the EPUB"))
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The text file of the page whose id is `id`, found through the book's
/// index (`contents.tsv`: position, file, url, title), whose url gives the
/// id.
pub(super) fn text_page(site: &Site, id: &str) -> String {
    let dir = site.path("dist/text/b");
    let index = std::fs::read_to_string(dir.join("contents.tsv")).expect("contents.tsv");
    let file = index
        .lines()
        .skip(1)
        .map(|line| line.split('\t').collect::<Vec<_>>())
        .find(|row| {
            row.get(2)
                .is_some_and(|url| url.trim_matches('/').replace('/', "-") == id)
        })
        .and_then(|row| row.get(1).map(|f| f.to_string()))
        .unwrap_or_else(|| panic!("no text file for {id} in {index}"));
    std::fs::read_to_string(dir.join(file)).unwrap()
}

/// A list entry of a navigation tree: its depth (1: top level), label and
/// target.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Entry {
    pub depth: usize,
    pub label: String,
    pub href: String,
}

/// The entries of the nav document's table of contents, with the depth of
/// `<ol>`s each sits in; also checks that every `<ol>` holds `<li>`s only
/// and every `<li>` starts with its link.
pub(super) fn nav_entries(nav: &str) -> Vec<Entry> {
    let start = nav
        .find("epub:type = \"toc\"")
        .or_else(|| nav.find("epub:type=\"toc\""));
    let start = start.expect("a toc nav");
    let end = start + nav[start..].find("</nav>").expect("its end");
    let mut reader = quick_xml::Reader::from_str(&nav[start..end]);
    let (mut depth, mut entries, mut in_link) = (0usize, Vec::new(), false);
    let mut last_open = Vec::new();
    loop {
        match reader.read_event().expect("well-formed nav") {
            Event::Eof => break,
            Event::Start(e) => {
                let name = e.name().as_ref().to_vec();
                match name.as_slice() {
                    b"ol" => {
                        assert!(last_open.last().is_none_or(|n: &Vec<u8>| n == b"li"));
                        depth += 1;
                    }
                    b"li" => assert_eq!(last_open.last().map(Vec::as_slice), Some(&b"ol"[..])),
                    b"a" => {
                        let href = e
                            .try_get_attribute("href")
                            .unwrap()
                            .expect("a link's href")
                            .unescape_value()
                            .unwrap()
                            .into_owned();
                        entries.push(Entry {
                            depth,
                            label: String::new(),
                            href,
                        });
                        in_link = true;
                    }
                    _ => {}
                }
                last_open.push(name);
            }
            Event::End(e) => {
                if e.name().as_ref() == b"ol" {
                    depth -= 1;
                }
                if e.name().as_ref() == b"a" {
                    in_link = false;
                }
                last_open.pop();
            }
            Event::Text(t) if in_link => {
                let entry = entries.last_mut().unwrap();
                entry.label.push_str(&t.decode().unwrap());
            }
            _ => {}
        }
    }
    entries
}

/// The NCX's navPoints: (nesting depth, label, playOrder, id).
pub(super) fn ncx_points(ncx: &str) -> Vec<(usize, String, u64, String)> {
    let mut reader = quick_xml::Reader::from_str(ncx);
    let (mut depth, mut points, mut in_text) = (0usize, Vec::new(), false);
    loop {
        match reader.read_event().expect("well-formed NCX") {
            Event::Eof => break,
            Event::Start(e) if e.name().as_ref() == b"navPoint" => {
                depth += 1;
                let attr = |k: &str| {
                    e.try_get_attribute(k)
                        .unwrap()
                        .unwrap()
                        .unescape_value()
                        .unwrap()
                        .into_owned()
                };
                points.push((
                    depth,
                    String::new(),
                    attr("playOrder").parse().unwrap(),
                    attr("id"),
                ));
            }
            Event::End(e) if e.name().as_ref() == b"navPoint" => depth -= 1,
            Event::Start(e) if e.name().as_ref() == b"text" => in_text = true,
            Event::End(e) if e.name().as_ref() == b"text" => in_text = false,
            Event::Text(t) if in_text && !points.is_empty() => {
                points.last_mut().unwrap().1.push_str(&t.decode().unwrap());
            }
            _ => {}
        }
    }
    points
}

/// The PDF outline as (depth, title) in document order.
pub(super) fn pdf_outline(site: &Site) -> Vec<(usize, String)> {
    let doc = lopdf::Document::load(site.path("dist/b.pdf")).expect("dist/b.pdf");
    let title = |d: &lopdf::Dictionary| match d.get(b"Title") {
        Ok(lopdf::Object::String(b, _)) if b.starts_with(&[0xFE, 0xFF]) => {
            let units: Vec<u16> = b[2..]
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        Ok(lopdf::Object::String(b, _)) => String::from_utf8_lossy(b).into_owned(),
        _ => String::new(),
    };
    let next = |d: &lopdf::Dictionary, key: &[u8]| d.get(key).and_then(|o| o.as_reference()).ok();
    let root = doc
        .catalog()
        .unwrap()
        .get(b"Outlines")
        .and_then(|o| o.as_reference())
        .expect("an outline");
    let mut out = Vec::new();
    // (item, depth); depth first, as a reader's panel lists them.
    let mut todo: Vec<(lopdf::ObjectId, usize)> = Vec::new();
    let first = next(doc.get_dictionary(root).unwrap(), b"First");
    todo.extend(first.map(|f| (f, 1)));
    while let Some((id, depth)) = todo.pop() {
        let d = doc.get_dictionary(id).unwrap();
        out.push((depth, title(d)));
        if let Some(n) = next(d, b"Next") {
            todo.push((n, depth));
        }
        if let Some(f) = next(d, b"First") {
            todo.push((f, depth + 1));
        }
    }
    out
}

/// Words of the PDF's contents page (page 2) with their left edge, from
/// `pdftotext -bbox`; `None` (after a skip line) without poppler.
pub(super) fn contents_words(site: &Site) -> Option<Vec<(String, f32)>> {
    let tools = common::validators(&["pdftotext"], "the printed contents not read")?;
    let pdf = site.path("dist/b.pdf");
    let (ok, html) = tools.run(
        "pdftotext",
        &["-bbox", "-f", "2", "-l", "2", pdf.to_str().unwrap(), "-"],
    );
    assert!(ok, "{html}");
    let words = html
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let x = l.split("xMin=\"").nth(1)?.split('"').next()?.parse().ok()?;
            let word = l.split('>').nth(1)?.split('<').next()?.to_string();
            Some((word, x))
        })
        .collect();
    Some(words)
}

/// The left edge of the first `word` in `words`.
pub(super) fn x_of(words: &[(String, f32)], word: &str) -> f32 {
    words
        .iter()
        .find(|(w, _)| w == word)
        .unwrap_or_else(|| panic!("`{word}` not in the contents: {words:?}"))
        .1
}
