//! Chapter bodies rendered on every core with the package's image names
//! given afterwards, in book order: an image's name (`pic.png`, then
//! `pic-2.png`) and whether its warning is told depend on which page uses
//! it first, so a worker writes a placeholder for each href and records
//! the use; [`merge`] then names the images as one thread rendering the
//! pages in order would have, and drops the warnings of images an
//! earlier page already warned about. The bytes and the warnings are
//! those of the sequential render.

use super::images::{Converted, ImageStore, Images, convert_file, is_icon_size};
use crate::diag::{Diagnostic, Diagnostics};
use crate::image::svg::SvgLoader;
use crate::model::Asset;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// Opens and closes a placeholder: noncharacters, which a page's text
/// may still hold (so [`merge`] counts them before trusting them).
const OPEN: char = '\u{FDD0}';
const CLOSE: char = '\u{FDD1}';

/// Each image file converted once, by whichever worker first needs it.
#[derive(Default)]
pub(crate) struct Conversions {
    done: Mutex<HashMap<PathBuf, Arc<OnceLock<Converted>>>>,
}

impl Conversions {
    /// The image at `path` converted (by this call, or an earlier one),
    /// its warning naming the page and line that asked first.
    fn get(
        &self,
        svgs: &SvgLoader,
        path: &Path,
        page: &Path,
        line: u32,
    ) -> Arc<OnceLock<Converted>> {
        let cell = {
            let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(done.entry(path.to_path_buf()).or_default())
        };
        cell.get_or_init(|| convert_file(svgs, path, page, line));
        cell
    }
}

/// One use of an image by a page, in the order the page made them.
enum Use {
    /// A file: its conversion, and where in the page's warnings the
    /// warning of a failed one sits (if the page made one).
    File {
        path: PathBuf,
        converted: Arc<OnceLock<Converted>>,
        warning: Option<usize>,
    },
    /// A PNG folio drew (a QR code), with the name it asks for.
    Drawn { name: String, bytes: Vec<u8> },
}

/// A page's images as its worker sees them: hrefs are placeholders.
pub(crate) struct PageImages<'a> {
    svgs: &'a SvgLoader,
    conversions: &'a Conversions,
    uses: Vec<Use>,
}

impl<'a> PageImages<'a> {
    pub(crate) fn new(svgs: &'a SvgLoader, conversions: &'a Conversions) -> PageImages<'a> {
        PageImages {
            svgs,
            conversions,
            uses: Vec::new(),
        }
    }

    /// Whether the page used no image (its body and warnings then owe
    /// nothing to the other pages' images).
    pub(crate) fn used_none(&self) -> bool {
        self.uses.is_empty()
    }

    fn placeholder(&self) -> String {
        format!("{OPEN}{}{CLOSE}", self.uses.len())
    }
}

impl Images for PageImages<'_> {
    fn href(
        &mut self,
        asset: &Asset,
        page_source: &Path,
        line: u32,
        diags: &mut Diagnostics,
    ) -> Option<String> {
        let converted = self
            .conversions
            .get(self.svgs, &asset.path, page_source, line);
        // The warning as this page would make it, should it be the first
        // to use the file; the merge keeps it only then.
        let (href, warning) = match converted.get() {
            Some(Ok(_)) => (Some(self.placeholder()), None),
            Some(Err(first)) => {
                diags.push(Diagnostic {
                    path: Some(page_source.to_path_buf()),
                    line,
                    ..first.clone()
                });
                (None, Some(diags.len() - 1))
            }
            // `get` above filled it.
            None => (None, None),
        };
        self.uses.push(Use::File {
            path: asset.path.clone(),
            converted,
            warning,
        });
        href
    }

    fn generated_png(&mut self, name: &str, bytes: Vec<u8>) -> String {
        let href = self.placeholder();
        self.uses.push(Use::Drawn {
            name: name.to_string(),
            bytes,
        });
        href
    }

    fn is_icon(&self, href: &str) -> bool {
        let n = href
            .strip_prefix(OPEN)
            .and_then(|h| h.strip_suffix(CLOSE))
            .and_then(|n| n.parse::<usize>().ok());
        match n.and_then(|n| self.uses.get(n)) {
            Some(Use::File { converted, .. }) => converted
                .get()
                .and_then(|c| c.as_ref().ok())
                .and_then(|c| c.size)
                .is_some_and(|(_, height)| is_icon_size(height)),
            _ => false,
        }
    }
}

/// What a worker rendered of one page: its body with placeholders, its
/// warnings, and its image uses.
pub(crate) struct Deferred {
    pub body: String,
    pub diags: Diagnostics,
    uses: Vec<Use>,
}

impl Deferred {
    pub(crate) fn new(body: String, diags: Diagnostics, images: PageImages<'_>) -> Deferred {
        Deferred {
            body,
            diags,
            uses: images.uses,
        }
    }
}

/// `page`'s body with its images named in `store` (in the order the page
/// used them), and its warnings added to `diags`; `None` when the body
/// holds placeholder characters of its own (the caller then renders the
/// book on one thread).
pub(crate) fn merge(
    page: Deferred,
    store: &mut ImageStore,
    diags: &mut Diagnostics,
) -> Option<String> {
    let marks = page.body.matches(OPEN).count();
    let drawn = page
        .uses
        .iter()
        .filter(|u| match u {
            Use::File { converted, .. } => matches!(converted.get(), Some(Ok(_))),
            Use::Drawn { .. } => true,
        })
        .count();
    if marks != drawn || page.body.matches(CLOSE).count() != drawn {
        return None;
    }
    let mut hrefs: Vec<Option<String>> = Vec::with_capacity(page.uses.len());
    let mut dropped = Vec::new();
    for used in page.uses {
        match used {
            Use::File {
                path,
                converted,
                warning,
            } => {
                let first = store.href_of(&path, || match converted.get() {
                    Some(Ok(image)) => Ok(super::images::ConvertedImage {
                        media_type: image.media_type,
                        ext: image.ext,
                        bytes: image.bytes.clone(),
                        size: image.size,
                    }),
                    // The page's own warning is the one told.
                    _ => Err(Diagnostic::warning(&path, 0, "")),
                });
                match first {
                    Ok(href) => {
                        // Not the first use of a file that cannot be used.
                        dropped.extend(warning);
                        hrefs.push(href);
                    }
                    Err(_) => hrefs.push(None),
                }
            }
            Use::Drawn { name, bytes } => hrefs.push(Some(store.generated_png(&name, bytes))),
        }
    }
    for (i, warning) in page.diags.items.into_iter().enumerate() {
        if !dropped.contains(&i) {
            diags.push(warning);
        }
    }
    Some(fill(&page.body, &hrefs))
}

/// `body` with each placeholder replaced by its href.
fn fill(body: &str, hrefs: &[Option<String>]) -> String {
    if hrefs.is_empty() {
        return body.to_string();
    }
    let mut out = String::with_capacity(body.len() + 32 * hrefs.len());
    let mut rest = body;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len_utf8()..];
        let Some(end) = after.find(CLOSE) else {
            out.push_str(&rest[start..]);
            return out;
        };
        let href = after[..end]
            .parse::<usize>()
            .ok()
            .and_then(|n| hrefs.get(n))
            .and_then(Option::as_deref)
            .unwrap_or_default();
        out.push_str(href);
        rest = &after[end + CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> ImageStore {
        ImageStore::new(store_svgs())
    }

    #[test]
    fn drawn_images_are_named_at_the_merge_in_page_order() {
        let svgs = store_svgs();
        let conversions = Conversions::default();
        let mut store = store();
        let mut diags = Diagnostics::default();
        let mut bodies = Vec::new();
        for _ in 0..2 {
            let mut images = PageImages::new(&svgs, &conversions);
            let href = images.generated_png("qr", vec![1, 2, 3]);
            assert!(!images.is_icon(&href));
            let body = format!("<img src=\"{href}\"/>");
            bodies.push(Deferred::new(body, Diagnostics::default(), images));
        }
        let merged: Vec<String> = bodies
            .into_iter()
            .map(|b| merge(b, &mut store, &mut diags).unwrap())
            .collect();
        assert_eq!(
            merged,
            [
                "<img src=\"images/qr.png\"/>",
                "<img src=\"images/qr-2.png\"/>"
            ]
        );
        assert_eq!(store.into_files().len(), 2);
    }

    #[test]
    fn a_page_holding_the_placeholder_characters_is_refused() {
        let svgs = store_svgs();
        let conversions = Conversions::default();
        let images = PageImages::new(&svgs, &conversions);
        let body = format!("text {OPEN}0{CLOSE}");
        let page = Deferred::new(body, Diagnostics::default(), images);
        assert!(merge(page, &mut store(), &mut Diagnostics::default()).is_none());
    }

    #[test]
    fn an_unusable_file_is_warned_about_by_its_first_page_only() {
        let svgs = store_svgs();
        let conversions = Conversions::default();
        let asset = Asset {
            path: PathBuf::from("/nonexistent/missing.png"),
            format: crate::model::AssetFormat::Png,
        };
        let mut store = store();
        let mut diags = Diagnostics::default();
        for page in ["one.md", "two.md"] {
            let mut images = PageImages::new(&svgs, &conversions);
            let mut page_diags = Diagnostics::default();
            let href = images.href(&asset, Path::new(page), 3, &mut page_diags);
            assert_eq!(href, None);
            assert_eq!(page_diags.len(), 1, "each page makes its warning");
            let body = "<p>text</p>".to_string();
            let merged = merge(
                Deferred::new(body, page_diags, images),
                &mut store,
                &mut diags,
            );
            assert_eq!(merged.as_deref(), Some("<p>text</p>"));
        }
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags.items[0].path.as_deref(), Some(Path::new("one.md")));
    }

    fn store_svgs() -> SvgLoader {
        let fonts = std::sync::Arc::new(fontdb::Database::new());
        SvgLoader::new(fonts, Path::new("/nonexistent"), Default::default())
    }
}
