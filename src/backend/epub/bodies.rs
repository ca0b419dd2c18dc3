//! The chapters' bodies of a book: rendered on every core (or, when a
//! page's text holds `deferred`'s placeholder characters, on one), each
//! taken from the chapter memo instead when it holds it unchanged.

use super::chaptermemo::Kept;
use super::links::{BookIndex, Chapter, Lookup};
use super::{deferred, images, xhtml};
use crate::backend::PageStart;
use crate::diag::Diagnostics;
use crate::image::svg::SvgLoader;
use crate::model::{Labels, Page};
use std::sync::Arc;

/// A page with its chapter, the print pages that begin in it, and its
/// chapter as an earlier build made it (if the memo holds one).
pub(crate) struct Body<'a> {
    pub page: &'a Page,
    pub chapter: &'a Chapter,
    pub print: &'a [&'a PageStart],
    pub kept: Option<&'a Arc<Kept>>,
}

/// Where a rendered body came from, for the chapter memo.
pub(crate) enum Made {
    /// The memo's chapter, which holds for this build.
    Kept(Arc<Kept>),
    /// Rendered now, using no image: what its links looked up and what it
    /// warned about (it can be kept).
    Fresh {
        lookups: Vec<Lookup>,
        diags: Diagnostics,
    },
    /// Rendered now, not to be kept.
    Unkept,
}

/// The chapters' bodies to render, in book order.
pub(crate) struct Bodies<'a> {
    pub pages: &'a [Body<'a>],
    pub index: &'a BookIndex,
    pub labels: &'a Labels,
    pub svgs: &'a SvgLoader,
    /// Whether rendered bodies are to be kept (their look-ups recorded).
    pub keep: bool,
}

/// Rendered bodies in book order (a kept chapter's body is empty: its
/// XHTML is kept whole), where each came from, the package's images, the
/// warnings.
pub(crate) type Rendered = (
    Vec<xhtml::RenderedPage>,
    Vec<Made>,
    images::ImageStore,
    Diagnostics,
);

impl Bodies<'_> {
    /// The bodies rendered on one thread, in book order (images are named
    /// and warnings told in that order); none is taken from nor kept in
    /// the memo.
    pub(crate) fn in_order(&self) -> Rendered {
        let mut images = images::ImageStore::new(self.svgs.clone());
        let mut diags = Diagnostics::default();
        let rendered: Vec<_> = self
            .pages
            .iter()
            .map(|body| {
                let (index, labels) = (self.index, self.labels);
                let (page, print) = (body.page, body.print);
                xhtml::render_page(page, index, labels, print, &mut images, &mut diags, None)
            })
            .collect();
        let made = rendered.iter().map(|_| Made::Unkept).collect();
        (rendered, made, images, diags)
    }

    /// The bodies rendered on every core, their images named and their
    /// warnings told at an in-order merge ([`deferred`]): the same as
    /// [`Bodies::in_order`]. `None` when a page's text holds the
    /// placeholders' characters.
    pub(crate) fn in_parallel(&self) -> Option<Rendered> {
        let conversions = deferred::Conversions::default();
        let done = crate::par::par_map(self.pages, |body| {
            let mut images = deferred::PageImages::new(self.svgs, &conversions);
            if let Some(kept) = body
                .kept
                .filter(|k| k.serves(body.page, &body.chapter.file, body.print, self.index))
            {
                let deferred = deferred::Deferred::new(String::new(), kept.diags.clone(), images);
                return (
                    kept.rendered.clone(),
                    deferred,
                    Made::Kept(Arc::clone(kept)),
                );
            }
            let mut diags = Diagnostics::default();
            let mut lookups = self.keep.then(Vec::new);
            let mut rendered = xhtml::render_page(
                body.page,
                self.index,
                self.labels,
                body.print,
                &mut images,
                &mut diags,
                lookups.as_mut(),
            );
            let made = match lookups {
                Some(lookups) if images.used_none() => Made::Fresh {
                    lookups,
                    diags: diags.clone(),
                },
                _ => Made::Unkept,
            };
            let text = std::mem::take(&mut rendered.body);
            (rendered, deferred::Deferred::new(text, diags, images), made)
        });
        let mut images = images::ImageStore::new(self.svgs.clone());
        let mut diags = Diagnostics::default();
        let mut rendered = Vec::with_capacity(done.len());
        let mut made = Vec::with_capacity(done.len());
        for (mut page, body, from) in done {
            page.body = deferred::merge(body, &mut images, &mut diags)?;
            rendered.push(page);
            made.push(from);
        }
        Some((rendered, made, images, diags))
    }
}
