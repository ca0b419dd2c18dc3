//! Boxes around figure images: the style's box for a figure `class`, or
//! the backdrop for an image that is mostly white on transparency (a white
//! logo made for a dark website header), which would vanish on white paper.

use super::Layouter;
use crate::backend::pdf::style::FigureBox;
use crate::model::{Asset, Figure};

impl Layouter<'_> {
    /// The box to draw around `fig`'s image: its class's, else the
    /// backdrop when the image needs one.
    pub(super) fn figure_box(&mut self, fig: &Figure, asset: &Asset) -> Option<FigureBox> {
        let fs = &self.style.figure;
        if let Some(b) = fig
            .class
            .as_deref()
            .into_iter()
            .flat_map(str::split_whitespace)
            .find_map(|c| fs.classes.get(c))
        {
            return Some(b.clone());
        }
        let backdrop = fs.backdrop.clone()?;
        // Decoded by the image table, once for the test and the PDF.
        let images = &mut *self.images;
        let white = *self
            .white_on_clear
            .entry(asset.path.clone())
            .or_insert_with(|| images.white_on_clear(asset));
        white.then_some(backdrop)
    }
}
