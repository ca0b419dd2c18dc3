//! The press kit's front matter: the cover page and the table of contents,
//! and the running header and footer of the other pages.

use super::draw::{DrawOp, LinkDest};
use super::fonts::Variant;
use super::layout::{Layouter, OutlineMark, PageOut, Placement, VItem};
use super::style::{FamilyName, Style, color};
use super::tags::{Artifact, Kind, ROOT, RunTag, Tag};
use super::text::{Align, Line, RunStyle, Setter};
use crate::diag::Diagnostic;
use crate::model::{Asset, Block, BlockKind, Book, BookMeta, Inline};
use std::cell::RefCell;
use std::collections::HashMap;

/// Finds the resolved asset of the logo named in the style, among the book's
/// figures and images.
fn find_asset(book: &Book, src: &str) -> Option<Asset> {
    fn in_blocks(blocks: &[Block], src: &str) -> Option<Asset> {
        for b in blocks {
            let hit = match &b.kind {
                BlockKind::Figure(f) if f.src == src => f.asset.clone(),
                BlockKind::Paragraph { content } => content.iter().find_map(|i| match i {
                    Inline::Image { src: s, asset, .. } if s == src => asset.clone(),
                    _ => None,
                }),
                BlockKind::Container { blocks, .. } | BlockKind::Quote { blocks } => {
                    in_blocks(blocks, src)
                }
                _ => None,
            };
            if hit.is_some() {
                return hit;
            }
        }
        None
    }
    book.pages.iter().find_map(|p| in_blocks(&p.blocks, src))
}

/// The cover logo, fitted in the style's logo box (`logo_width` ×
/// `logo_height`) with its own proportions and centred across the page:
/// its drawing and its bottom edge. `None` (with a warning) when there is
/// no logo or it cannot be drawn.
fn cover_logo(lay: &mut Layouter, book: &Book, page_w: f32) -> Option<(DrawOp, f32)> {
    let cs = lay.style.cover.clone();
    // The book's own logo (`logo:` in folio.yaml) wins over the style's.
    let (src, found) = match (&book.meta.logo, cs.logo.as_deref()) {
        (Some(asset), _) => (asset.path.display().to_string(), Some(asset.clone())),
        (None, Some(src)) => (src.to_string(), find_asset(book, src)),
        (None, None) => return None,
    };
    let Some(asset) = found else {
        lay.diags.push(
            Diagnostic::warning(
                lay.style_path(),
                0,
                format!("cover logo `{src}` is not an image of this book"),
            )
            .with_hint("the cover is printed without a logo"),
        );
        return None;
    };
    let placed = lay.images.size(&asset).and_then(|(pw, ph)| {
        let (w, h) = fit_box(pw, ph, cs.logo_width, cs.logo_height);
        Ok((lay.images.load(&asset, w)?, w, h))
    });
    match placed {
        Ok((image, w, h)) => Some((
            DrawOp::Image {
                image,
                x: (page_w - w) / 2.0,
                y: cs.logo_top,
                w,
                h,
                alt: None,
            },
            cs.logo_top + h,
        )),
        Err(e) => {
            let name = lay.images.name(&asset);
            lay.diags.push(
                Diagnostic::warning(
                    lay.style_path(),
                    0,
                    format!("cover logo `{name}` cannot be used: {e}"),
                )
                .with_hint("the cover is printed without a logo"),
            );
            None
        }
    }
}

/// `width` × `height` scaled to fit inside `max_w` × `max_h`, keeping
/// proportions (a degenerate size counts as square).
fn fit_box(width: f32, height: f32, max_w: f32, max_h: f32) -> (f32, f32) {
    let (width, height) = if width > 0.0 && height > 0.0 {
        (width, height)
    } else {
        (1.0, 1.0)
    };
    let scale = (max_w / width).min(max_h / height);
    (width * scale, height * scale)
}

/// The cover: logo, title, subtitle, publisher and date; no header or
/// folio. The title starts below the logo's real bottom edge, whatever
/// the logo's shape.
pub fn cover(lay: &mut Layouter, book: &Book, page_w: f32, page_h: f32) -> PageOut {
    let cs = lay.style.cover.clone();
    let colors = lay.style.colors.clone();
    // The cover is a section of its own: the title as H1, the rest as
    // paragraphs; the logo, rules and bands are decoration.
    let sect = lay.tags.add(Kind::Sect, ROOT);
    let mut ops = vec![DrawOp::Mark(Tag::Artifact(Artifact::Layout))];
    let mut title_top = cs.title_top;
    if let Some((logo, bottom)) = cover_logo(lay, book, page_w) {
        ops.push(logo);
        // Half a title line of air under the logo at least.
        title_top = title_top.max(bottom + cs.title_size * 0.6);
    }
    let measure = page_w - 2.0 * lay.left;
    let heading = color(&colors.heading);
    let muted = color(&colors.muted);
    let mut y = title_top;
    let title = RunStyle::plain(FamilyName::Sans, true, cs.title_size, heading);
    ops.push(DrawOp::Mark(Tag::Node(lay.tags.add(Kind::H(1), sect))));
    for line in lay.setter.set_text(
        &book.meta.title,
        &title,
        Align::Center,
        measure,
        cs.title_size * 1.2,
    ) {
        ops.extend(line.ops.into_iter().map(|op| op.shifted(lay.left, y)));
        y += cs.title_size * 1.2;
    }
    y += 10.0;
    ops.push(DrawOp::Line {
        x1: page_w / 2.0 - 30.0,
        y1: y,
        x2: page_w / 2.0 + 30.0,
        y2: y,
        width: 2.5,
        color: color(&colors.accent),
    });
    y += 18.0;
    if let Some(sub) = &book.meta.subtitle {
        let st = RunStyle::plain(FamilyName::Sans, false, cs.subtitle_size, muted);
        ops.push(DrawOp::Mark(Tag::Node(lay.tags.add(Kind::P, sect))));
        for line in lay.setter.set_text(
            sub,
            &st,
            Align::Center,
            measure * 0.8,
            cs.subtitle_size * 1.35,
        ) {
            ops.extend(
                line.ops
                    .into_iter()
                    .map(|op| op.shifted(lay.left + measure * 0.1, y)),
            );
            y += cs.subtitle_size * 1.35;
        }
    }
    // Publisher and date sit above the foot band.
    let mut foot = page_h - lay.style.page.margin_bottom - 30.0;
    let date = crate::date::show_build_date(book.meta.date, &book.meta.language);
    let dt = RunStyle::plain(FamilyName::Sans, false, cs.publisher_size * 0.9, muted);
    ops.push(DrawOp::Mark(Tag::Node(lay.tags.add(Kind::P, sect))));
    for line in lay
        .setter
        .set_text(&date, &dt, Align::Center, measure, cs.publisher_size * 1.4)
    {
        ops.extend(line.ops.into_iter().map(|op| op.shifted(lay.left, foot)));
    }
    foot -= cs.publisher_size * 1.5;
    if let Some(p) = &book.meta.publisher {
        let pt = RunStyle::plain(FamilyName::Sans, true, cs.publisher_size, heading);
        ops.push(DrawOp::Mark(Tag::Node(lay.tags.add(Kind::P, sect))));
        for line in lay
            .setter
            .set_text(p, &pt, Align::Center, measure, cs.publisher_size * 1.4)
        {
            ops.extend(line.ops.into_iter().map(|op| op.shifted(lay.left, foot)));
        }
    }
    if cs.band_height > 0.0 {
        // The band runs off the page: into the bleed, where there is one.
        let bleed = lay.style.page.bleed;
        ops.push(DrawOp::Rect {
            x: -bleed,
            y: page_h - cs.band_height,
            w: page_w + 2.0 * bleed,
            h: cs.band_height + bleed,
            color: heading,
        });
        ops.push(DrawOp::Rect {
            x: -bleed,
            y: page_h - cs.band_height - 3.0,
            w: page_w + 2.0 * bleed,
            h: 3.0,
            color: color(&colors.accent),
        });
    }
    PageOut {
        ops,
        chapter: None,
        first_of_chapter: false,
        folio: false,
    }
}

/// The lines of the contents' entries as one layout of the contents set
/// them (the count ahead of the chapters), kept for the next (the one
/// written, once pages are known), which takes them instead of setting
/// each title again: the same text in the same style and measure sets the
/// same lines, but for the entry's link number.
#[derive(Default)]
pub struct EntryLines {
    /// Whether lines set are kept (the count ahead, when it is followed
    /// by the written contents).
    keep: bool,
    /// By the entry's key, title, level and depth: the lines and the link
    /// tag their runs carry.
    lines: HashMap<EntryKey, (Vec<Line>, RunTag)>,
}

/// A contents entry's key, title, level and depth.
type EntryKey = (String, String, u8, usize);

impl EntryLines {
    /// Lines set from now on are kept, for a layout to come.
    pub fn keeping() -> EntryLines {
        EntryLines {
            keep: true,
            lines: HashMap::new(),
        }
    }

    /// No more lines are kept: the ones kept are taken.
    pub fn stop_keeping(&mut self) {
        self.keep = false;
    }

    /// The lines of `mark`'s entry set with `style` (tagged `style.tag`)
    /// in `measure`: kept ones when there are, else set (and kept when
    /// keeping).
    fn entry(
        &mut self,
        setter: &Setter,
        mark: &OutlineMark,
        style: &RunStyle,
        (measure, leading): (f32, f32),
    ) -> Vec<Line> {
        let key = (mark.key.clone(), mark.title.clone(), mark.level, mark.depth);
        if let Some((mut lines, tag)) = self.lines.remove(&key) {
            // The same lines but for the link number the runs carry.
            for op in lines.iter_mut().flat_map(|l| l.ops.iter_mut()) {
                if let DrawOp::Text(run) = op
                    && run.tag == tag
                {
                    run.tag = style.tag;
                }
            }
            return lines;
        }
        let lines = setter.set_text(&mark.title, style, Align::Left, measure, leading);
        if self.keep {
            self.lines.insert(key, (lines.clone(), style.tag));
        }
        lines
    }
}

/// The contents: chapters nested under their sections and their headings
/// down to the book's `toc.pdf` levels (else the style's `contents.depth`),
/// indented by level, with dot leaders, page numbers (filled in once pages
/// are known) and links. Entries' lines come from `kept` when it has them.
pub fn contents(
    lay: &mut Layouter,
    meta: &BookMeta,
    marks: &[OutlineMark],
    kept: &mut EntryLines,
) -> Vec<VItem> {
    let cs = lay.style.contents.clone();
    let colors = lay.style.colors.clone();
    let ch = lay.style.chapter.clone();
    let mut out = Vec::new();
    // A section with the title as H1 and the entries as a TOC.
    let sect = lay.tags.add(Kind::Sect, ROOT);
    let heading = lay.tags.add(Kind::H(1), sect);
    let title = RunStyle::plain(ch.family, ch.bold, ch.size, color(&colors.heading));
    for line in lay.setter.set_text(
        lay.labels.get(&cs.title),
        &title,
        Align::Heading,
        lay.width,
        ch.leading,
    ) {
        let mut item = VItem::content(
            ch.leading + 8.0,
            line.ops
                .into_iter()
                .map(|op| op.shifted(lay.left, 0.0))
                .collect(),
        );
        // Under the title's first letter: at the right in a right-to-left book.
        let x = if lay.rtl() {
            lay.left + lay.width - 48.0
        } else {
            lay.left
        };
        item.ops.push(DrawOp::Line {
            x1: x,
            y1: ch.leading + 6.0,
            x2: x + 48.0,
            y2: ch.leading + 6.0,
            width: 2.5,
            color: color(&colors.accent),
        });
        item.tag = Some(Tag::Node(heading));
        out.push(item);
    }
    out.push(VItem::space_of(ch.space_after));
    let toc = lay.tags.add(Kind::TOC, sect);
    let number_w = 28.0;
    let text_color = color(&colors.text);
    let muted = color(&colors.muted);
    // `toc.pdf` counts the chapters as 1; the style's depth counts headings.
    let deepest = meta.toc_pdf.map_or(cs.depth, |d| d.saturating_sub(1));
    // However deep the site, an entry keeps half the line for its title.
    let max_indent = (lay.width - number_w - 12.0) / 2.0;
    for mark in marks.iter().filter(|m| m.level <= deepest) {
        let chapter = mark.level == 0;
        // Top-level chapters stand out; nested ones are plain; headings muted.
        let top = chapter && mark.depth == 0;
        let size = if chapter {
            cs.chapter_size
        } else {
            cs.section_size
        };
        let indent = (cs.section_indent * mark.tree_level() as f32).min(max_indent);
        // Each entry is a TOCI whose title is its link.
        let entry = lay.tags.add(Kind::TOCI, toc);
        let link = RunTag::Link(lay.setter.link_numbers.next());
        let st = RunStyle {
            tag: link,
            ..RunStyle::plain(
                cs.family,
                top,
                size,
                if chapter { text_color } else { muted },
            )
        };
        let x0 = lay.left + indent;
        let measure = lay.width - indent - number_w - 12.0;
        let lines = kept.entry(&lay.setter, mark, &st, (measure, cs.leading));
        if top {
            out.push(VItem::space_of(cs.chapter_space));
        }
        let n = lines.len();
        let right = lay.left + lay.width;
        for (i, line) in lines.into_iter().enumerate() {
            let last = i + 1 == n;
            // Left to right: title, leaders, number at the right margin.
            // Right to left: the title flush right, the numbers in a
            // column at the left, leaders from that column to the title.
            let geometry = if lay.rtl() {
                let dx = right - indent - (line.left() + line.width);
                Entry {
                    dx,
                    leaders: (lay.left + number_w + cs.leader_gap, dx + line.left() - 6.0),
                    number_right: lay.left + number_w,
                    link: (lay.left, lay.width - indent),
                }
            } else {
                Entry {
                    dx: x0,
                    leaders: (x0 + line.width + 6.0, right - cs.leader_gap),
                    number_right: right,
                    link: (x0, right - x0),
                }
            };
            let mut ops: Vec<DrawOp> = line
                .ops
                .into_iter()
                .filter(|op| !matches!(op, DrawOp::Link { .. }))
                .map(|op| op.shifted(geometry.dx, 0.0))
                .collect();
            if last {
                // Dot leaders on a fixed grid so they line up across entries.
                let (face, _) = lay.fonts.slot(Variant {
                    family: cs.family,
                    bold: false,
                    italic: false,
                });
                let dot = lay.fonts.shape_in(face, ".");
                // Up to the gap before the widest number; `fit_leaders` cuts
                // them back to the gap before the real one.
                let (start, end) = geometry.leaders;
                let step = cs.leader_spacing;
                let mut x = (start / step).ceil() * step;
                let mut glyphs = Vec::new();
                let gid = dot.shaped.glyphs.first().map(|g| g.gid).unwrap_or(0);
                let text = lay.fonts.text_id(".");
                while x + step <= end {
                    glyphs.push(super::draw::PlacedGlyph {
                        gid,
                        x: x - start,
                        text,
                    });
                    x += step;
                }
                if !glyphs.is_empty() {
                    ops.push(DrawOp::Text(super::draw::GlyphRun {
                        face,
                        size: cs.section_size,
                        color: muted,
                        oblique: false,
                        x: start,
                        y: line.baseline,
                        glyphs,
                        lang: None,
                        tag: RunTag::Artifact,
                        actual: Vec::new(),
                    }));
                }
                ops.push(DrawOp::PageNumberOf {
                    key: mark.key.clone(),
                    right: geometry.number_right,
                    baseline: line.baseline,
                    face: lay
                        .fonts
                        .slot(Variant {
                            family: cs.family,
                            bold: top,
                            italic: false,
                        })
                        .0,
                    size,
                    color: text_color,
                });
            }
            ops.push(DrawOp::Link {
                x: geometry.link.0,
                y: 0.0,
                w: geometry.link.1,
                h: cs.leading,
                dest: LinkDest::Anchor(mark.key.clone()),
                tag: link,
            });
            let mut item = VItem::content(cs.leading, ops);
            item.tag = Some(Tag::Node(entry));
            item.keep_with_next = !last || chapter;
            out.push(item);
        }
    }
    out
}

/// Where one line of a contents entry goes: its text's shift, its leaders'
/// start and end, the right edge of its page number, its link's `x` and
/// width.
struct Entry {
    dx: f32,
    leaders: (f32, f32),
    number_right: f32,
    link: (f32, f32),
}

/// What the running header (book title, chapter title) and the page
/// number in the footer are set with: added to each page as it is written.
pub struct Heads<'a> {
    pub style: &'a Style,
    /// Sets the heads in the book's language.
    pub setter: Setter<'a>,
    /// The text area's left edge and width.
    pub left: f32,
    pub width: f32,
    pub page_h: f32,
    pub book_title: String,
    /// The last line set for each side of the header (the book title's,
    /// the chapter's), by its text: a chapter's pages repeat it.
    pub lines: HeadLines,
}

/// A running head's set line (none when nothing of it could be set), by
/// side, with the text it was set from.
pub type HeadLines = RefCell<[Option<(String, Option<Line>)>; 2]>;

impl Heads<'_> {
    /// `text` set on one line of at most `width` for side `side`, from the
    /// cache when that side's last text was the same.
    fn head_line(
        &self,
        side: usize,
        text: &str,
        style: &RunStyle,
        width: f32,
        leading: f32,
    ) -> Option<Line> {
        let mut lines = self.lines.borrow_mut();
        let slot = lines.get_mut(side)?;
        if let Some((kept, line)) = slot.as_ref()
            && kept == text
        {
            return line.clone();
        }
        let line = one_line(&self.setter, text, style, width, leading);
        *slot = Some((text.to_string(), line.clone()));
        line
    }

    /// Adds the header and folio to `page`, page index `index` of the
    /// book, as it wants them.
    pub fn add(&self, page: &mut PageOut, index: usize) {
        let rs = &self.style.running;
        let muted = color(&self.style.colors.muted);
        let top = self.style.page.margin_top - rs.header_offset;
        let bottom = self.page_h - self.style.page.margin_bottom + rs.footer_offset;
        let st = RunStyle::plain(rs.family, false, rs.size, muted);
        if let (Some(ch), false) = (&page.chapter, page.first_of_chapter) {
            let bold = RunStyle::plain(rs.family, true, rs.size, muted);
            let half = self.width / 2.0 - 6.0;
            let leading = rs.size * 1.3;
            page.ops.push(DrawOp::Mark(Tag::Artifact(Artifact::Header)));
            // Book title on the outer left, chapter on the right; swapped
            // in a right-to-left book.
            let book_at_left = !self.setter.rtl_book;
            let right_edge = self.left + self.width;
            let sides = [
                (&self.book_title, &st, book_at_left),
                (ch, &bold, !book_at_left),
            ];
            for (side, (text, style, at_left)) in sides.into_iter().enumerate() {
                if let Some(line) = self.head_line(side, text, style, half, leading) {
                    let dx = if at_left {
                        self.left - line.left()
                    } else {
                        right_edge - line.width - line.left()
                    };
                    page.ops.extend(
                        line.ops
                            .into_iter()
                            .map(|op| op.shifted(dx, top - line.baseline)),
                    );
                }
            }
            page.ops.push(DrawOp::Line {
                x1: self.left,
                y1: top + 5.0,
                x2: self.left + self.width,
                y2: top + 5.0,
                width: 0.4,
                color: color(&self.style.colors.rule),
            });
        }
        if page.folio {
            page.ops.push(DrawOp::Mark(Tag::Artifact(Artifact::Footer)));
            let n = (index + 1).to_string();
            if let Some(line) = self
                .setter
                .set_text(&n, &st, Align::Center, self.width, rs.size * 1.3)
                .into_iter()
                .next()
            {
                page.ops.extend(
                    line.ops
                        .into_iter()
                        .map(|op| op.shifted(self.left, bottom - line.baseline)),
                );
            }
        }
    }
}

/// The title of a page in the running heads: its Hugo `linkTitle` when set
/// (the short title the site's menus use), else its title.
pub fn running_title(page: &crate::model::Page) -> String {
    page.front_matter
        .get("linktitle")
        .and_then(|v| v.as_str())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(&page.title)
        .to_string()
}

/// `text` on one line of at most `width` points: whole when it fits, else
/// shortened at a word boundary with "…" (within a word only when its first
/// word alone is too wide).
fn one_line(
    setter: &Setter,
    text: &str,
    style: &RunStyle,
    width: f32,
    leading: f32,
) -> Option<Line> {
    let set = |t: &str| {
        setter
            .set_text(t, style, Align::Left, 1.0e5, leading)
            .into_iter()
            .next()
    };
    let whole = set(text)?;
    if whole.width <= width {
        return Some(whole);
    }
    Some(shorten(text, |t| set(t).filter(|l| l.width <= width)).unwrap_or(whole))
}

/// The longest prefix of `text` ending at a word boundary, with "…", that
/// `fits` accepts; else the longest such prefix of characters.
fn shorten<T>(text: &str, fits: impl Fn(&str) -> Option<T>) -> Option<T> {
    let words: Vec<&str> = text.split_whitespace().collect();
    for n in (1..words.len()).rev() {
        let head = words[..n].join(" ");
        // No dangling punctuation before the ellipsis ("Foo, …").
        let head = head.trim_end_matches([',', ';', ':', '-', '–', '—']);
        if let Some(t) = fits(&format!("{head}…")) {
            return Some(t);
        }
    }
    let chars: Vec<char> = text.chars().collect();
    (1..chars.len()).rev().find_map(|n| {
        let head: String = chars[..n].iter().collect();
        fits(&format!("{}…", head.trim_end()))
    })
}

/// Cuts each contents entry's dot leaders back to the style's `leader_gap`
/// before its page number and moves them up to it, now that the number is
/// known (the leaders were drawn to the margin; the number is drawn by the
/// writer).
pub fn fit_leaders(lay: &Layouter, placement: &Placement, pages: &mut [PageOut]) {
    // Right to left, the numbers stand in a column of their own, right-
    // aligned where the leaders start: nothing to cut back.
    if lay.rtl() {
        return;
    }
    let gap = lay.style.contents.leader_gap;
    for page in pages.iter_mut() {
        for i in 1..page.ops.len() {
            let DrawOp::PageNumberOf {
                key,
                right,
                face,
                size,
                ..
            } = &page.ops[i]
            else {
                continue;
            };
            let Some(&(n, _)) = placement.anchors.get(key) else {
                continue;
            };
            let width = lay.fonts.shape_in(*face, &(n + 1).to_string()).shaped.width * size;
            let end = right - width - gap;
            let dot_text = lay.fonts.text_id(".");
            if let DrawOp::Text(run) = &mut page.ops[i - 1]
                && run.glyphs.iter().all(|g| g.text == dot_text)
            {
                let dot = lay.fonts.shape_in(run.face, ".").shaped.width * run.size;
                let x = run.x;
                run.glyphs.retain(|g| x + g.x + dot <= end);
                // The last dot ends exactly at the gap (dots of entries
                // with equally wide numbers still line up).
                let shift = run.glyphs.last().map_or(0.0, |g| end - (x + g.x + dot));
                for g in &mut run.glyphs {
                    g.x += shift;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::pdf::fonts::{FontSet, LocalFonts};
    use crate::backend::pdf::hyphen::Hyphenators;
    use std::path::Path;

    #[test]
    fn kept_entry_lines_are_the_lines_set_anew_with_the_new_link() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let style = Style::load(&root.join("templates")).unwrap();
        let set = std::sync::Arc::new(FontSet::load(&root.join("fonts"), &style.fonts).unwrap());
        let fonts = LocalFonts::new(set);
        let h = Hyphenators::new(true);
        let setter = crate::backend::pdf::text_tests::english_setter(&fonts, &h);
        let mark = OutlineMark {
            level: 0,
            depth: 1,
            title: "Interoperability of decentralised federated communication".into(),
            key: "about/xsf".into(),
        };
        let style = |n| RunStyle {
            tag: RunTag::Link(n),
            ..RunStyle::plain(FamilyName::Sans, false, 10.0, [0.0; 3])
        };
        let tags = |lines: &[Line]| -> Vec<RunTag> {
            lines
                .iter()
                .flat_map(|l| &l.ops)
                .filter_map(|op| match op {
                    DrawOp::Text(run) => Some(run.tag),
                    _ => None,
                })
                .collect()
        };
        let mut kept = EntryLines::keeping();
        let counted = kept.entry(&setter, &mark, &style(1), (120.0, 14.0));
        assert!(counted.len() > 1, "the title takes several lines");
        assert!(tags(&counted).iter().all(|&t| t == RunTag::Link(1)));
        kept.stop_keeping();
        let taken = kept.entry(&setter, &mark, &style(7), (120.0, 14.0));
        let fresh = setter.set_text(&mark.title, &style(7), Align::Left, 120.0, 14.0);
        assert!(tags(&taken).iter().all(|&t| t == RunTag::Link(7)));
        assert_eq!(format!("{taken:?}"), format!("{fresh:?}"));
        // Taken once: the next entry like it is set anew, and nothing is
        // kept once keeping stopped.
        assert!(kept.lines.is_empty());
        let again = kept.entry(&setter, &mark, &style(9), (120.0, 14.0));
        assert!(tags(&again).iter().all(|&t| t == RunTag::Link(9)));
        assert!(kept.lines.is_empty());
        // Another title is not taken for this one.
        let mut kept = EntryLines::keeping();
        kept.entry(&setter, &mark, &style(1), (120.0, 14.0));
        let other = OutlineMark {
            title: "Short".into(),
            ..mark.clone()
        };
        let short = kept.entry(&setter, &other, &style(2), (120.0, 14.0));
        assert_eq!(short.len(), 1);
    }
}
