//! Asset resolution: every image `src` (and the cover logo) to a file
//! inside the static root (or, for a relative `src`, beside the page),
//! never outside either; then each file inspected once against the limits,
//! with every reference inside an SVG resolved the same way. A missing or
//! refused image is a warning naming the page and line; the node keeps
//! `asset: None` and each backend shows a placeholder.

use crate::diag::{Diagnostic, Diagnostics};
use crate::image::resolve::{locate, site_path};
use crate::image::svg::SvgLoader;
use crate::image::{inspect, skipped_warning};
use crate::limits::Limits;
use crate::model::{Asset, BlockKind, Book, Inline, Page, for_each_block_mut, for_each_inline_mut};
use resvg::usvg::fontdb;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Resolves and inspects every figure and image in `book`, and its logo.
pub fn resolve(book: &mut Book, static_dir: &Path, limits: &Limits, diags: &mut Diagnostics) {
    // Text does not change whether an SVG may be drawn: no fonts needed.
    let loader = SvgLoader::new(Arc::new(fontdb::Database::new()), static_dir, *limits);
    let mut checker = Checker {
        loader,
        static_dir,
        usable: HashMap::new(),
    };
    if let Some(logo) = book.meta.logo.take() {
        let name = site_path(&logo.path, checker.loader.static_root());
        let location =
            crate::image::display_path(&logo.path, checker.loader.static_root(), static_dir);
        book.meta.logo = checker.check(logo, diags, |why| {
            Diagnostic::warning(location, 0, format!("cover logo `{name}` {why}"))
                .with_hint("the covers are made without a logo")
        });
    }
    let static_root = checker.loader.static_root().map(Path::to_path_buf);
    // Where each image is: file-system look-ups, page by page on every
    // core. Then each file is inspected once, in page order, so warnings
    // (the first use of a refused file names it) keep their order.
    let located = crate::par::par_map_mut(&mut book.pages, |page| {
        let page_dir = page
            .source
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let mut found = Vec::new();
        each_image(page, &mut |line, src, asset| {
            let result = locate(src, static_root.as_deref(), &page_dir);
            *asset = result.as_ref().ok().cloned();
            found.push((line, src.to_string(), result));
        });
        found
    });
    for (page, found) in book.pages.iter_mut().zip(located) {
        let mut refused = HashSet::new();
        for (n, (line, src, result)) in found.into_iter().enumerate() {
            let source = &page.source;
            match result {
                Ok(asset) => {
                    let name = site_path(&asset.path, static_root.as_deref());
                    let usable = checker.check(asset, diags, |why| {
                        Diagnostic::warning(source, line, format!("image `{name}` {why}"))
                            .with_hint("a placeholder is shown in its place")
                    });
                    if usable.is_none() {
                        refused.insert(n);
                    }
                }
                Err(why) => diags.warn(source, line, format!("image `{src}` {why}")),
            }
        }
        if !refused.is_empty() {
            let mut n = 0;
            each_image(page, &mut |_, _, asset| {
                if refused.contains(&n) {
                    *asset = None;
                }
                n += 1;
            });
        }
    }
}

/// Calls `f(line, src, asset)` on every image of `page`: figures first,
/// then inline images, each in document order (the same order every time).
fn each_image(page: &mut Page, f: &mut dyn FnMut(u32, &str, &mut Option<Asset>)) {
    for_each_block_mut(&mut page.blocks, &mut |block| {
        if let BlockKind::Figure(fig) = &mut block.kind {
            f(block.span.line, &fig.src, &mut fig.asset);
        }
    });
    for_each_inline_mut(page, &mut |line, inline| {
        if let Inline::Image { src, asset, .. } = inline {
            f(line, src, asset);
        }
    });
}

/// Inspects each image file once, however many pages use it.
struct Checker<'a> {
    loader: SvgLoader,
    static_dir: &'a Path,
    usable: HashMap<PathBuf, bool>,
}

impl Checker<'_> {
    /// `asset` if it can be used; else `None`, with the warning `refused`
    /// makes the first time the file is seen (and a warning for every
    /// reference an SVG leaves out).
    fn check(
        &mut self,
        asset: Asset,
        diags: &mut Diagnostics,
        refused: impl FnOnce(&str) -> Diagnostic,
    ) -> Option<Asset> {
        if let Some(&usable) = self.usable.get(&asset.path) {
            return usable.then_some(asset);
        }
        let found = inspect(&asset, &self.loader);
        for skipped in &found.skipped {
            diags.push(skipped_warning(
                skipped,
                self.loader.static_root(),
                self.static_dir,
            ));
        }
        if let Some(why) = &found.refused {
            diags.push(refused(why));
        }
        let usable = found.refused.is_none();
        self.usable.insert(asset.path.clone(), usable);
        usable.then_some(asset)
    }
}
