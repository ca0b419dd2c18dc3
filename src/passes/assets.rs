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
use crate::model::{Asset, BlockKind, Book, Inline, for_each_block_mut, for_each_inline_mut};
use resvg::usvg::fontdb;
use std::collections::HashMap;
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
    for page in &mut book.pages {
        let page_dir = page
            .source
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let source = page.source.clone();
        let mut find = |line: u32, src: &str| -> Option<Asset> {
            match locate(src, static_root.as_deref(), &page_dir) {
                Ok(asset) => {
                    let name = site_path(&asset.path, static_root.as_deref());
                    checker.check(asset, diags, |why| {
                        Diagnostic::warning(&source, line, format!("image `{name}` {why}"))
                            .with_hint("a placeholder is shown in its place")
                    })
                }
                Err(why) => {
                    diags.warn(&source, line, format!("image `{src}` {why}"));
                    None
                }
            }
        };
        for_each_block_mut(&mut page.blocks, &mut |block| {
            if let BlockKind::Figure(fig) = &mut block.kind {
                fig.asset = find(block.span.line, &fig.src);
            }
        });
        for_each_inline_mut(page, &mut |line, inline| {
            if let Inline::Image { src, asset, .. } = inline {
                *asset = find(line, src);
            }
        });
    }
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
