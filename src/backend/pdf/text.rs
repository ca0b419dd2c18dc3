//! Paragraph setting: inlines become styled words, words become boxes, glue
//! and penalties (with hyphenation points), the line breaker picks the
//! breaks, and each line becomes glyph runs, rules and link areas. Small
//! images the layout prepared ([`Picture`]s) are boxes in the line.

use super::bidi;
use super::draw::{DrawOp, LinkDest, Rgb};
use super::fonts::{LocalFonts, Shaped, Variant};
use super::hyphen::Hyphenators;
use super::linebreak::{self, FILL, INFINITY, Kind};
use super::style::FamilyName;
use super::tags::{LinkCounter, RunTag};
use crate::model::{Inline, LinkTarget};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

// One set line: glyph runs in visual order.
mod line;
// Buffers kept per thread from paragraph to paragraph.
mod scratch;
mod split;
// A word to boxes, glue and penalties at its break points.
mod word;
use line::{Bidi, RunBuilder, render_line};
use scratch::{Scratch, recycle};
use word::Word;

/// How a run of text looks.
#[derive(Debug, Clone, PartialEq)]
pub struct RunStyle {
    pub family: FamilyName,
    pub bold: bool,
    pub italic: bool,
    pub size: f32,
    pub color: Rgb,
    /// Baseline shift upwards (superscript) in points.
    pub rise: f32,
    pub link: Option<Arc<LinkDest>>,
    pub strike: bool,
    /// The footnote this text refers to (its number, set as a superscript).
    pub note: Option<u32>,
    /// The text's language when it is not the document's.
    pub lang: Option<Arc<str>>,
    /// The link or footnote reference the text is (tagged PDF).
    pub tag: RunTag,
}

impl RunStyle {
    /// Plain text in `family`: upright, no rise, link, strike or note.
    pub fn plain(family: FamilyName, bold: bool, size: f32, color: Rgb) -> RunStyle {
        RunStyle {
            family,
            bold,
            italic: false,
            size,
            color,
            rise: 0.0,
            link: None,
            strike: false,
            note: None,
            lang: None,
            tag: RunTag::Item,
        }
    }
}

/// How lines are set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Justify,
    Left,
    Center,
    /// Ragged and balanced (lines of even length), never broken at a hard
    /// hyphen: headings and titles.
    Heading,
}

/// Everything paragraph setting needs.
pub struct Setter<'a> {
    pub fonts: &'a LocalFonts,
    /// Hyphenation patterns by language.
    pub hyphens: &'a Hyphenators,
    /// The language of the text being set (its page's), for hyphenation.
    pub lang: String,
    /// The book runs right to left: paragraphs without a strong character
    /// are set right to left too.
    pub rtl_book: bool,
    pub link_color: Rgb,
    pub code_scale: f32,
    /// Page id of the page being set, for footnote anchors.
    pub page_id: String,
    /// The images of the text being set, by file, as the layout prepared
    /// them: `Some` is set in the line, `None` is placed elsewhere (after
    /// the paragraph). An image not listed is set as its alt text.
    pub pictures: RefCell<HashMap<PathBuf, Option<Picture>>>,
    /// With `links: footnotes`, the external URLs of the chapter being set
    /// that get a note; `None` while links are only coloured.
    pub link_notes: RefCell<Option<LinkNotes>>,
    /// Numbers each link set, so its runs and areas make one `Link` node.
    pub link_numbers: LinkCounter,
}

/// The URL notes of a chapter: numbered from `first` in order of first
/// reference.
#[derive(Debug, Clone, Default)]
pub struct LinkNotes {
    pub first: u32,
    pub urls: Vec<String>,
}

impl LinkNotes {
    /// The note number of `url`, added when new.
    fn number(&mut self, url: &str) -> u32 {
        let i = match self.urls.iter().position(|u| u == url) {
            Some(i) => i,
            None => {
                self.urls.push(url.to_string());
                self.urls.len() - 1
            }
        };
        self.first
            .saturating_add(u32::try_from(i).unwrap_or(u32::MAX))
    }
}

/// An image loaded for the PDF at its size in a line of text (points).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Picture {
    /// Index into the PDF's images.
    pub image: usize,
    pub w: f32,
    pub h: f32,
}

/// A piece of flattened text.
#[derive(Debug, Clone)]
enum Seg {
    Text(String, RunStyle),
    /// An image in the line; the style carries its link.
    /// An image in the line, with its alternative text.
    Picture(Picture, RunStyle, Arc<str>),
    HardBreak,
}

/// A shaped fragment in one face.
#[derive(Debug, Clone)]
struct Frag<'s> {
    face: usize,
    oblique: bool,
    /// Borrowed from the paragraph's flattened text (items are many and
    /// short-lived: a copy each was the bulk of their size).
    style: &'s RunStyle,
    /// The font set's (which outlives the paragraph): no reference count
    /// to write.
    shaped: &'s Shaped,
}

impl Frag<'_> {
    fn width(&self) -> f32 {
        self.shaped.width * self.style.size
    }
}

#[derive(Debug, Clone)]
enum Item<'s> {
    Box(Frag<'s>),
    /// An image, as wide as it is drawn, with its link.
    Picture(Picture, Option<Arc<LinkDest>>, Arc<str>),
    Glue {
        width: f32,
        stretch: f32,
        shrink: f32,
        space: Option<Frag<'s>>,
    },
    Penalty {
        penalty: f32,
        flagged: bool,
        hyphen: Option<Frag<'s>>,
    },
}

/// One set line: drawing operations relative to the line's top-left.
#[derive(Debug, Clone)]
pub struct Line {
    pub ops: Vec<DrawOp>,
    pub baseline: f32,
    pub width: f32,
    /// Footnotes referred to on this line.
    pub notes: Vec<u32>,
    /// The line ends with a hyphen (a hyphenated word or a hard hyphen): the
    /// page layout keeps it with the next line, so no page ends with one.
    pub hyphenated: bool,
    /// The line ends in a hyphen the setter added (a word split in two).
    pub split: bool,
}

impl Line {
    /// Where the line's text begins, from the left of its measure: 0
    /// unless it was set right-aligned (a right-to-left line, whose text
    /// stands at the right of the measure it was set in).
    pub fn left(&self) -> f32 {
        self.ops
            .iter()
            .filter_map(|op| match op {
                DrawOp::Text(run) => Some(run.x),
                _ => None,
            })
            .reduce(f32::min)
            .unwrap_or(0.0)
    }
}

/// The anchor key of a page or a heading in it.
pub fn anchor_key(page: &str, anchor: Option<&str>) -> String {
    match anchor {
        Some(a) if !a.is_empty() => format!("{page}#{a}"),
        _ => page.to_string(),
    }
}

/// Where a model link goes in the PDF, if anywhere.
pub fn link_dest(target: &LinkTarget, href: &str) -> Option<LinkDest> {
    match target {
        LinkTarget::External { url } => Some(LinkDest::Uri(url.clone())),
        LinkTarget::Internal { page, anchor, .. } => {
            Some(LinkDest::Anchor(anchor_key(page, anchor.as_deref())))
        }
        LinkTarget::Unresolved | LinkTarget::Ref => {
            href.contains(':').then(|| LinkDest::Uri(href.to_string()))
        }
    }
}

impl<'a> Setter<'a> {
    fn flatten(&self, inlines: &[Inline], style: &RunStyle, out: &mut Vec<Seg>) {
        for inline in inlines {
            match inline {
                Inline::Text { text } => out.push(Seg::Text(text.clone(), style.clone())),
                Inline::Code { text } => {
                    let s = RunStyle {
                        family: FamilyName::Mono,
                        size: style.size * self.code_scale,
                        ..style.clone()
                    };
                    // Code keeps its spaces but may still break at them.
                    out.push(Seg::Text(text.clone(), s));
                }
                Inline::Emph { content } => {
                    let s = RunStyle {
                        italic: !style.italic,
                        ..style.clone()
                    };
                    self.flatten(content, &s, out);
                }
                Inline::Strong { content } => {
                    let s = RunStyle {
                        bold: true,
                        ..style.clone()
                    };
                    self.flatten(content, &s, out);
                }
                Inline::Strike { content } => {
                    let s = RunStyle {
                        strike: true,
                        ..style.clone()
                    };
                    self.flatten(content, &s, out);
                }
                Inline::Sup { content } | Inline::Sub { content } => {
                    let up = matches!(inline, Inline::Sup { .. });
                    let s = RunStyle {
                        size: style.size * 0.7,
                        rise: style.rise
                            + if up {
                                style.size * 0.33
                            } else {
                                -style.size * 0.15
                            },
                        ..style.clone()
                    };
                    self.flatten(content, &s, out);
                }
                Inline::Span {
                    content,
                    lang: Some(lang),
                    ..
                } => {
                    let s = RunStyle {
                        lang: Some(Arc::from(lang.as_str())),
                        ..style.clone()
                    };
                    self.flatten(content, &s, out);
                }
                Inline::Span { content, .. } => self.flatten(content, style, out),
                Inline::Link { link, content, .. } => {
                    let s = match link_dest(&link.target, &link.href) {
                        Some(dest) => RunStyle {
                            link: Some(Arc::new(dest)),
                            tag: RunTag::Link(self.link_numbers.next()),
                            color: self.link_color,
                            ..style.clone()
                        },
                        None => style.clone(),
                    };
                    self.flatten(content, &s, out);
                    if let LinkTarget::External { url } = &link.target {
                        // An autolink shows its URL already.
                        let shown = crate::model::inlines_text(content);
                        let bare = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
                        let note = (shown.trim() != url && shown.trim() != bare)
                            .then(|| self.link_notes.borrow_mut().as_mut().map(|n| n.number(url)))
                            .flatten();
                        if let Some(number) = note {
                            out.push(self.note_mark(number, style));
                        }
                    }
                }
                Inline::Image { alt, asset, .. } => {
                    let prepared = asset
                        .as_ref()
                        .and_then(|a| self.pictures.borrow().get(&a.path).copied());
                    match prepared {
                        Some(Some(picture)) => {
                            out.push(Seg::Picture(
                                picture,
                                style.clone(),
                                Arc::from(alt.as_str()),
                            ));
                            continue;
                        }
                        // Placed after the paragraph.
                        Some(None) => continue,
                        None => {}
                    }
                    // Not drawn (missing, refused, or in text the layout did
                    // not prepare): its alt text stands in.
                    if !alt.is_empty() {
                        let s = RunStyle {
                            italic: true,
                            ..style.clone()
                        };
                        out.push(Seg::Text(alt.clone(), s));
                    }
                }
                Inline::LineBreak => out.push(Seg::HardBreak),
                Inline::SoftBreak => out.push(Seg::Text(" ".into(), style.clone())),
                Inline::FootnoteRef { number, .. } => out.push(self.note_mark(*number, style)),
            }
        }
    }

    /// The superscript number of note `number`, linking to the note: the
    /// face's own superscript digits (¹²³…) when it has them, so that the
    /// mark is drawn as the type designer made it and copies out of the PDF
    /// as "7395²", not run into the word before it as "73952"; else the
    /// digits scaled and raised.
    fn note_mark(&self, number: u32, style: &RunStyle) -> Seg {
        let sup = superscript_digits(number);
        let (face, _) = self.fonts.slot(Variant {
            family: style.family,
            bold: style.bold,
            italic: style.italic,
        });
        let designed = self.fonts.covers_text(face, &sup);
        let s = RunStyle {
            note: Some(number),
            size: if designed {
                style.size
            } else {
                style.size * 0.7
            },
            rise: if designed {
                style.rise
            } else {
                style.rise + style.size * 0.33
            },
            link: Some(Arc::new(LinkDest::Anchor(anchor_key(
                &self.page_id,
                Some(&format!("fn-{number}")),
            )))),
            color: self.link_color,
            tag: RunTag::Note(self.link_numbers.next()),
            ..style.clone()
        };
        Seg::Text(if designed { sup } else { number.to_string() }, s)
    }

    /// Hands `f` the fragments `text` is shaped into, in order (a
    /// callback, not a vector: most words are one fragment).
    fn each_frag<'s>(&self, text: &str, style: &'s RunStyle, mut f: impl FnMut(Frag<'s>))
    where
        'a: 's,
    {
        // The fonts' own lifetime, not this borrow's: the shapings outlive
        // the paragraph.
        let fonts: &'a LocalFonts = self.fonts;
        let (face, oblique) = fonts.slot(Variant {
            family: style.family,
            bold: style.bold,
            italic: style.italic,
        });
        fonts.shape_each(face, text, |p| {
            f(Frag {
                face: p.face,
                // A fallback face is upright; slant it only if the wanted face is.
                oblique: oblique && p.face == face,
                style,
                shaped: p.shaped,
            });
        });
    }

    /// The first fragment of `text` (a space, a hyphen).
    fn first_frag<'s>(&self, text: &str, style: &'s RunStyle) -> Option<Frag<'s>>
    where
        'a: 's,
    {
        let mut first = None;
        self.each_frag(text, style, |frag| {
            first.get_or_insert(frag);
        });
        first
    }

    /// The paragraph's items, into `items` (empty), with `word` as the
    /// word's scratch.
    fn items<'s>(
        &self,
        segs: &'s [Seg],
        align: Align,
        measure: f32,
        (items, word): (&mut Vec<Item<'s>>, &mut Word<'s>),
    ) where
        'a: 's,
    {
        // About one word, one space and a break in every six bytes of text.
        let bytes: usize = segs
            .iter()
            .map(|s| match s {
                Seg::Text(text, _) => text.len(),
                _ => 1,
            })
            .sum();
        items.reserve(bytes / 3 + 4);
        for seg in segs {
            match seg {
                Seg::Picture(picture, style, alt) => {
                    // Its own box: no break between it and a word it touches.
                    self.flush_word(word, items, measure, align);
                    items.push(Item::Picture(*picture, style.link.clone(), Arc::clone(alt)));
                }
                Seg::HardBreak => {
                    self.flush_word(word, items, measure, align);
                    items.push(Item::Glue {
                        width: 0.0,
                        stretch: FILL,
                        shrink: 0.0,
                        space: None,
                    });
                    items.push(Item::Penalty {
                        penalty: -INFINITY,
                        flagged: false,
                        hyphen: None,
                    });
                }
                Seg::Text(text, style) => {
                    // Every space of a run is the same glue: shaped once.
                    let mut glue = None;
                    let mut start = 0;
                    for (i, c) in text.char_indices() {
                        if c == ' ' || c == '\n' || c == '\t' {
                            if i > start {
                                word.push(&text[start..i], style);
                            }
                            self.flush_word(word, items, measure, align);
                            start = i + c.len_utf8();
                            // One glue for a run of spaces.
                            if !matches!(items.last(), Some(Item::Glue { .. })) && !items.is_empty()
                            {
                                let glue = glue.get_or_insert_with(|| self.glue(style, align));
                                items.push(glue.clone());
                            }
                        }
                    }
                    if start < text.len() {
                        word.push(&text[start..], style);
                    }
                }
            }
        }
        self.flush_word(word, items, measure, align);
        while matches!(items.last(), Some(Item::Glue { .. })) {
            items.pop();
        }
        items.push(Item::Glue {
            width: 0.0,
            stretch: FILL,
            shrink: 0.0,
            space: None,
        });
        items.push(Item::Penalty {
            penalty: -INFINITY,
            flagged: false,
            hyphen: None,
        });
    }

    fn glue<'s>(&self, style: &'s RunStyle, align: Align) -> Item<'s>
    where
        'a: 's,
    {
        let space = self.first_frag(" ", style);
        let width = space.as_ref().map(Frag::width).unwrap_or(style.size * 0.25);
        let (stretch, shrink) = match align {
            // Spaces shrink to 80 % of natural at most (issue 12).
            Align::Justify => (width * 0.6, width * 0.2),
            // Ragged lines: generous stretch for choosing breaks, set natural.
            Align::Left | Align::Center | Align::Heading => (width * 4.0, 0.0),
        };
        Item::Glue {
            width,
            stretch,
            shrink,
            space,
        }
    }

    /// Sets `inlines` in `measure` points: the lines, each `leading` high.
    pub fn set(
        &self,
        inlines: &[Inline],
        style: &RunStyle,
        align: Align,
        measure: f32,
        leading: f32,
    ) -> Vec<Line> {
        let mut segs = Vec::new();
        self.flatten(inlines, style, &mut segs);
        self.set_segs(&segs, align, measure, leading, style.size)
    }

    /// Sets plain text in one style.
    pub fn set_text(
        &self,
        text: &str,
        style: &RunStyle,
        align: Align,
        measure: f32,
        leading: f32,
    ) -> Vec<Line> {
        let segs = vec![Seg::Text(text.to_string(), style.clone())];
        self.set_segs(&segs, align, measure, leading, style.size)
    }

    /// Sets one line of text exactly as written, spaces included (code).
    pub fn set_verbatim(&self, text: &str, style: &RunStyle, leading: f32) -> Line {
        let baseline = leading - (leading - style.size) / 2.0 - style.size * 0.22;
        let mut rb = RunBuilder::default();
        let mut x = 0.0;
        self.each_frag(text, style, |frag| {
            rb.place(&frag, x, baseline);
            x += frag.width();
        });
        let ops = rb.finish().0.into_iter().map(DrawOp::Text).collect();
        Line {
            ops,
            baseline,
            width: x,
            notes: Vec::new(),
            hyphenated: false,
            split: false,
        }
    }

    fn set_segs(
        &self,
        segs: &[Seg],
        align: Align,
        measure: f32,
        leading: f32,
        size: f32,
    ) -> Vec<Line> {
        let mut scratch = Scratch::take();
        let lines = self.set_in(segs, (align, measure, leading, size), &mut scratch);
        scratch.put();
        lines
    }

    /// [`Setter::set_segs`] in the thread's buffers.
    fn set_in(
        &self,
        segs: &[Seg],
        (align, measure, leading, size): (Align, f32, f32, f32),
        scratch: &mut Scratch,
    ) -> Vec<Line> {
        let mut items = recycle(std::mem::take(&mut scratch.items));
        let mut word = std::mem::take(&mut scratch.word).recycle();
        self.items(segs, align, measure, (&mut items, &mut word));
        scratch.word = word.recycle();
        let lines = self.lines(segs, &items, (align, measure, leading, size), scratch);
        scratch.items = recycle(items);
        lines
    }

    /// The lines of a paragraph of `items`.
    fn lines(
        &self,
        segs: &[Seg],
        items: &[Item],
        (align, measure, leading, size): (Align, f32, f32, f32),
        scratch: &mut Scratch,
    ) -> Vec<Line> {
        if !items.iter().any(is_box) {
            return Vec::new();
        }
        let kinds = &mut scratch.kinds;
        kinds.clear();
        kinds.extend(items.iter().map(kind));
        let breaks = if align == Align::Heading {
            linebreak::balanced(kinds, measure, size)
        } else {
            linebreak::break_lines(kinds, measure, size)
        };
        let baseline = leading - (leading - size) / 2.0 - size * 0.22;
        let mut lines = Vec::with_capacity(breaks.len());
        let texts = segs.iter().filter_map(|s| match s {
            Seg::Text(text, _) => Some(text.as_str()),
            _ => None,
        });
        // Lines are searched for right-to-left text only when the
        // paragraph has some (one scan here, not one per line).
        let mixed = texts.clone().any(bidi::has_rtl);
        let rtl = (mixed || self.rtl_book) && bidi::rtl_paragraph(texts, self.rtl_book);
        let direction = Bidi { rtl, mixed };
        let mut start = 0;
        for b in breaks {
            let line = render_line(
                items,
                start,
                b,
                align,
                measure,
                baseline,
                direction,
                &mut scratch.line,
            );
            if !line.ops.is_empty() {
                lines.push(line);
            }
            start = b.at + 1;
        }
        split::mark_split_words(&mut lines, self.fonts);
        lines
    }
}

/// Whether `item` is printed (a word or an image), not space or a break.
fn is_box(item: &Item) -> bool {
    matches!(item, Item::Box(_) | Item::Picture(..))
}

fn kind(item: &Item) -> Kind {
    match item {
        Item::Box(f) => Kind::Box { width: f.width() },
        Item::Picture(p, ..) => Kind::Box { width: p.w },
        Item::Glue {
            width,
            stretch,
            shrink,
            ..
        } => Kind::Glue {
            width: *width,
            stretch: *stretch,
            shrink: *shrink,
        },
        Item::Penalty {
            penalty,
            flagged,
            hyphen,
        } => Kind::Penalty {
            width: hyphen.as_ref().map(Frag::width).unwrap_or(0.0),
            penalty: *penalty,
            flagged: *flagged,
        },
    }
}

/// `number` in Unicode superscript digits.
fn superscript_digits(number: u32) -> String {
    const SUP: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    number
        .to_string()
        .chars()
        .filter_map(|d| d.to_digit(10).and_then(|d| SUP.get(d as usize)).copied())
        .collect()
}
