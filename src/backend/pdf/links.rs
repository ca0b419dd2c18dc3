//! Link annotations: external links as URI actions, internal links (model
//! cross-page links, contents entries, footnote references) as destinations
//! on the right page and position. No visible border. Written with their
//! page, as soon as it is: every page's object id is reserved beforehand.

use super::draw::LinkDest;
use super::layout::Placement;
use super::tags::Tagging;
use super::write::Sheet;
use pdf_writer::types::{ActionType, AnnotationFlags, AnnotationType};
use pdf_writer::{Finish, Pdf, Rect, Ref, Str, TextStr};

/// A link area on a page, in PDF coordinates (origin at the bottom left of
/// the trimmed page).
#[derive(Debug, Clone)]
pub struct LinkArea {
    pub rect: [f32; 4],
    pub dest: LinkDest,
    /// Its `Link` node in the structure tree (none in an artifact).
    pub node: Option<u32>,
}

/// Where a link lands: page index and `y` from the page's top.
fn target(placement: &Placement, key: &str, missing: &mut Vec<String>) -> Option<(usize, f32)> {
    if let Some(&found) = placement.anchors.get(key) {
        return Some(found);
    }
    missing.push(key.to_string());
    // An unknown anchor on a known page: go to the page.
    let page = key.split('#').next().unwrap_or(key);
    placement.anchors.get(page).copied()
}

/// Writes the annotations of page number `index` (object `page`) and
/// returns their ids; each goes into the structure tree under its `Link`
/// node, with the link's text as its `/Contents`. Anchors that cannot be
/// found are added to `missing` (their links go to the page's start, or
/// nowhere).
#[allow(clippy::too_many_arguments)]
pub fn write(
    pdf: &mut Pdf,
    next: &mut impl FnMut() -> Ref,
    areas: &[LinkArea],
    (index, page): (usize, Ref),
    pages: &[Ref],
    placement: &Placement,
    sheet: Sheet,
    missing: &mut Vec<String>,
    tagging: &mut Tagging,
) -> Vec<Ref> {
    let b = sheet.bleed;
    let mut ids = Vec::with_capacity(areas.len());
    for area in areas {
        let dest = match &area.dest {
            LinkDest::Uri(_) => None,
            LinkDest::Anchor(key) => {
                let Some((index, y)) = target(placement, key, missing) else {
                    continue;
                };
                let Some(&target) = pages.get(index) else {
                    continue;
                };
                Some((target, round(sheet.page_h - y + 4.0 + b)))
            }
        };
        let id = next();
        let [x1, y1, x2, y2] = area.rect.map(|v| round(v + b));
        let mut annot = pdf.annotation(id);
        annot
            .subtype(AnnotationType::Link)
            .rect(Rect::new(x1, y1, x2, y2))
            .border(0.0, 0.0, 0.0, None)
            .flags(AnnotationFlags::PRINT)
            .page(page);
        if let Some(node) = area.node {
            let key = tagging.annotation(u32::try_from(index).unwrap_or(u32::MAX), id, node);
            annot.struct_parent(key);
            let text = tagging
                .link_text
                .get(&node)
                .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|t| !t.is_empty());
            let text = text.unwrap_or_else(|| match &area.dest {
                LinkDest::Uri(url) => url.clone(),
                LinkDest::Anchor(key) => key.split('\u{1}').next().unwrap_or(key).to_string(),
            });
            annot.contents(TextStr(&text));
        }
        match (&area.dest, dest) {
            (LinkDest::Uri(url), _) => {
                annot
                    .action()
                    .action_type(ActionType::Uri)
                    .uri(Str(url.as_bytes()));
            }
            (_, Some((target, top))) => {
                annot
                    .insert(pdf_writer::Name(b"Dest"))
                    .start::<pdf_writer::writers::Destination>()
                    .page(target)
                    .xyz(0.0, top, None);
            }
            _ => {}
        }
        annot.finish();
        ids.push(id);
    }
    ids
}

/// Two decimals are plenty for positions in points.
pub fn round(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}
