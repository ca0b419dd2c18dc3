//! Link annotations: external links as URI actions, internal links (model
//! cross-page links, contents entries, footnote references) as destinations
//! on the right page and position. No visible border. Written with their
//! page, as soon as it is; a link to an anchor not laid out yet (a later
//! chapter's heading) keeps its object number in its page's `/Annots` and
//! is written once every page is placed ([`Later`]).

use super::draw::LinkDest;
use super::layout::Placement;
use super::refs::Refs;
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

/// An annotation whose target was not placed when its page was written.
#[derive(Debug)]
pub struct Later {
    id: Ref,
    key: String,
    shape: Shape,
}

/// What an annotation is besides its action: its area (on the sheet), its
/// page, its parent-tree key and its text.
#[derive(Debug)]
struct Shape {
    rect: [f32; 4],
    page: Ref,
    struct_key: Option<i32>,
    text: Option<String>,
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
/// node, with the link's text as its `/Contents`. A link to an anchor
/// not placed yet goes to `later`.
#[allow(clippy::too_many_arguments)]
pub fn write(
    pdf: &mut Pdf,
    refs: &mut Refs,
    areas: &[LinkArea],
    (index, page): (usize, Ref),
    placement: &Placement,
    sheet: Sheet,
    tagging: &mut Tagging,
    later: &mut Vec<Later>,
) -> Vec<Ref> {
    let b = sheet.bleed;
    let mut ids = Vec::with_capacity(areas.len());
    for area in areas {
        let id = refs.next();
        let mut shape = Shape {
            rect: area.rect.map(|v| round(v + b)),
            page,
            struct_key: None,
            text: None,
        };
        if let Some(node) = area.node {
            let page_no = u32::try_from(index).unwrap_or(u32::MAX);
            shape.struct_key = Some(tagging.annotation(page_no, id, node));
            let text = tagging
                .link_text
                .get(&node)
                .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|t| !t.is_empty());
            shape.text = Some(text.unwrap_or_else(|| match &area.dest {
                LinkDest::Uri(url) => url.clone(),
                LinkDest::Anchor(key) => key.split('\u{1}').next().unwrap_or(key).to_string(),
            }));
        }
        match &area.dest {
            LinkDest::Uri(url) => annotation(pdf, id, &shape, Action::Uri(url)),
            LinkDest::Anchor(key) => match placement.anchors.get(key) {
                Some(&(at, y)) => {
                    let dest = (refs.page(at), top(sheet, y));
                    annotation(pdf, id, &shape, Action::Dest(dest));
                }
                None => later.push(Later {
                    id,
                    key: key.clone(),
                    shape,
                }),
            },
        }
        ids.push(id);
    }
    ids
}

/// Writes the annotations put off until every page was placed. Anchors
/// still not found are added to `missing`; their links go to the page's
/// start, or nowhere (an annotation without an action).
pub fn write_later(
    pdf: &mut Pdf,
    refs: &mut Refs,
    later: Vec<Later>,
    placement: &Placement,
    sheet: Sheet,
    missing: &mut Vec<String>,
) {
    for link in later {
        let action = match target(placement, &link.key, missing) {
            Some((at, y)) => Action::Dest((refs.page(at), top(sheet, y))),
            None => Action::Nothing,
        };
        annotation(pdf, link.id, &link.shape, action);
    }
}

/// What activating a link does.
enum Action<'a> {
    Uri(&'a str),
    /// Shows the page at the height.
    Dest((Ref, f32)),
    Nothing,
}

/// The `y` of a destination `y` from the top of the trimmed page.
fn top(sheet: Sheet, y: f32) -> f32 {
    round(sheet.page_h - y + 4.0 + sheet.bleed)
}

/// Writes one link annotation.
fn annotation(pdf: &mut Pdf, id: Ref, shape: &Shape, action: Action) {
    let [x1, y1, x2, y2] = shape.rect;
    let mut annot = pdf.annotation(id);
    annot
        .subtype(AnnotationType::Link)
        .rect(Rect::new(x1, y1, x2, y2))
        .border(0.0, 0.0, 0.0, None)
        .flags(AnnotationFlags::PRINT)
        .page(shape.page);
    if let Some(key) = shape.struct_key {
        annot.struct_parent(key);
    }
    if let Some(text) = &shape.text {
        annot.contents(TextStr(text));
    }
    match action {
        Action::Uri(url) => {
            annot
                .action()
                .action_type(ActionType::Uri)
                .uri(Str(url.as_bytes()));
        }
        Action::Dest((target, top)) => {
            annot
                .insert(pdf_writer::Name(b"Dest"))
                .start::<pdf_writer::writers::Destination>()
                .page(target)
                .xyz(0.0, top, None);
        }
        Action::Nothing => {}
    }
    annot.finish();
}

/// Two decimals are plenty for positions in points.
pub fn round(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}
