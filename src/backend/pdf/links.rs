//! Link annotations: external links as URI actions, internal links (model
//! cross-page links, contents entries, footnote references) as destinations
//! on the right page and position. No visible border.

use super::draw::LinkDest;
use super::layout::Placement;
use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};

/// A link area on a page, in PDF coordinates (origin bottom left).
#[derive(Debug, Clone)]
pub struct LinkArea {
    pub rect: [f32; 4],
    pub dest: LinkDest,
}

/// Adds the annotations of every page. Returns the anchors that could not
/// be found (their links go to the page's start, or nowhere).
pub fn write(
    doc: &mut Document,
    areas: &[Vec<LinkArea>],
    pages: &[ObjectId],
    placement: &Placement,
    page_h: f32,
) -> anyhow::Result<Vec<String>> {
    let mut missing = Vec::new();
    for (page_index, list) in areas.iter().enumerate() {
        let Some(&page_id) = pages.get(page_index) else {
            continue;
        };
        let mut annots = Vec::new();
        for area in list {
            let mut d = Dictionary::new();
            d.set("Type", Object::Name(b"Annot".to_vec()));
            d.set("Subtype", Object::Name(b"Link".to_vec()));
            d.set(
                "Rect",
                Object::Array(area.rect.iter().map(|&v| Object::Real(round(v))).collect()),
            );
            d.set("Border", Object::Array(vec![0.into(), 0.into(), 0.into()]));
            d.set("F", Object::Integer(4));
            match &area.dest {
                LinkDest::Uri(url) => {
                    let mut a = Dictionary::new();
                    a.set("S", Object::Name(b"URI".to_vec()));
                    a.set(
                        "URI",
                        Object::String(url.as_bytes().to_vec(), StringFormat::Literal),
                    );
                    d.set("A", a);
                }
                LinkDest::Anchor(key) => {
                    let found = placement.anchors.get(key).or_else(|| {
                        // An unknown anchor on a known page: go to the page.
                        let page = key.split('#').next().unwrap_or(key);
                        placement.anchors.get(page)
                    });
                    let Some(&(target, y)) = found else {
                        missing.push(key.clone());
                        continue;
                    };
                    if !placement.anchors.contains_key(key) {
                        missing.push(key.clone());
                    }
                    let Some(&target_id) = pages.get(target) else {
                        continue;
                    };
                    d.set(
                        "Dest",
                        Object::Array(vec![
                            Object::Reference(target_id),
                            Object::Name(b"XYZ".to_vec()),
                            Object::Null,
                            Object::Real(round(page_h - y + 4.0)),
                            Object::Null,
                        ]),
                    );
                }
            }
            d.set("P", Object::Reference(page_id));
            annots.push(Object::Reference(doc.add_object(d)));
        }
        if annots.is_empty() {
            continue;
        }
        let page = doc.get_dictionary_mut(page_id)?;
        match page.get_mut(b"Annots") {
            Ok(Object::Array(existing)) => existing.extend(annots),
            _ => page.set("Annots", Object::Array(annots)),
        }
    }
    Ok(missing)
}

fn round(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}
