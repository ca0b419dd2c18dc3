//! What layout produces: drawing operations in points, with `y` measured
//! downwards from the top of the thing being laid out (a line, a block, a
//! page). The writer turns them into PDF operators.

use super::fonts::TextId;
use super::tags::{RunTag, Tag};
use std::sync::Arc;

/// RGB in 0..=1.
pub type Rgb = [f32; 3];

/// A glyph placed on a run's baseline.
#[derive(Debug, Clone, Copy)]
pub struct PlacedGlyph {
    pub gid: u16,
    /// Distance from the run's start, in points.
    pub x: f32,
    /// The text the glyph stands for (ToUnicode), numbered by the font set;
    /// none for the second and later glyphs of a cluster.
    pub text: TextId,
}

/// Glyphs of one face, size and colour on one baseline.
#[derive(Debug, Clone)]
pub struct GlyphRun {
    pub face: usize,
    pub size: f32,
    pub color: Rgb,
    /// Synthesised italic (the family ships no italic).
    pub oblique: bool,
    pub x: f32,
    /// Baseline.
    pub y: f32,
    pub glyphs: Vec<PlacedGlyph>,
    /// The language of the text when it is not the document's (a
    /// translation's segment left in the source language): marked content
    /// with `/Lang` around the run.
    pub lang: Option<Arc<str>>,
    /// What the run is in the structure tree, within its item.
    pub tag: RunTag,
    /// Glyphs that read as another text, in order: the halves of words
    /// split by hyphenation (the first reads as the whole word, the second
    /// as nothing).
    pub actual: Vec<ActualText>,
}

/// Glyphs `from..to` of a run read as `text` (`/ActualText`).
#[derive(Debug, Clone, PartialEq)]
pub struct ActualText {
    pub from: usize,
    pub to: usize,
    pub text: String,
}

/// Where a link goes.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkDest {
    Uri(String),
    /// An anchor key (see `layout::anchor_key`).
    Anchor(String),
}

/// A drawing operation.
#[derive(Debug, Clone)]
pub enum DrawOp {
    Text(GlyphRun),
    /// A filled rectangle; `y` is its top.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
    /// A stroked rectangle outline; `y` is its top.
    Frame {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        width: f32,
        color: Rgb,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: Rgb,
    },
    /// An image XObject (index into the image table); `y` is its top.
    Image {
        image: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        /// The alternative text of an image set in a line of text (a
        /// `Figure` of its own in the structure tree, decoration when
        /// empty); `None` for an image its item's tag covers.
        alt: Option<Arc<str>>,
    },
    /// A clickable area; `y` is its top.
    Link {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        dest: LinkDest,
        /// The link's node: that of its text, or a new one in the item's.
        tag: RunTag,
    },
    /// What the operations after it (up to the next mark) belong to in
    /// the structure tree (tagged PDF).
    Mark(Tag),
    /// The page number an anchor lands on, right-aligned at `right`, drawn
    /// once every page is known (contents entries).
    PageNumberOf {
        key: String,
        right: f32,
        baseline: f32,
        face: usize,
        size: f32,
        color: Rgb,
    },
}

impl DrawOp {
    /// The same operation moved by `dx`, `dy`.
    pub fn shifted(mut self, dx: f32, dy: f32) -> DrawOp {
        match &mut self {
            DrawOp::Text(run) => {
                run.x += dx;
                run.y += dy;
            }
            DrawOp::Rect { x, y, .. }
            | DrawOp::Frame { x, y, .. }
            | DrawOp::Image { x, y, .. }
            | DrawOp::Link { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            DrawOp::Line { x1, y1, x2, y2, .. } => {
                *x1 += dx;
                *x2 += dx;
                *y1 += dy;
                *y2 += dy;
            }
            DrawOp::PageNumberOf {
                right, baseline, ..
            } => {
                *right += dx;
                *baseline += dy;
            }
            DrawOp::Mark(_) => {}
        }
        self
    }
}
