//! Link annotations: external links as URI actions, internal links (model
//! cross-page links, contents entries, footnote references) as destinations
//! on the right page and position. No visible border. Written with their
//! page, as soon as it is: every page's object id is reserved beforehand.

use super::draw::LinkDest;
use super::layout::Placement;
use super::write::Sheet;
use pdf_writer::types::{ActionType, AnnotationFlags, AnnotationType};
use pdf_writer::{Finish, Pdf, Rect, Ref, Str};

/// A link area on a page, in PDF coordinates (origin at the bottom left of
/// the trimmed page).
#[derive(Debug, Clone)]
pub struct LinkArea {
    pub rect: [f32; 4],
    pub dest: LinkDest,
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

/// Writes the annotations of one page at `page` and returns their ids.
/// Anchors that cannot be found are added to `missing` (their links go to
/// the page's start, or nowhere).
#[allow(clippy::too_many_arguments)]
pub fn write(
    pdf: &mut Pdf,
    next: &mut impl FnMut() -> Ref,
    areas: &[LinkArea],
    page: Ref,
    pages: &[Ref],
    placement: &Placement,
    sheet: Sheet,
    missing: &mut Vec<String>,
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
