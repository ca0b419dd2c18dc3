//! Images inside pages. PNG, JPEG and GIF go in as they are. SVG is
//! rasterised to PNG by resvg: every reading system shows PNG (EPUB 2
//! readers and store converters included), the SVG's text is drawn with the
//! project's fonts instead of whatever the reader has, and files from the
//! web (editor metadata, external references) cannot trip epubcheck.
//! Other formats (WebP, unknown) are left out with a warning; the page
//! shows the image's text instead.
//!
//! Each file is added once, however often pages use it.

use super::raster;
use crate::diag::{Diagnostic, Diagnostics};
use crate::image::raster::{check_bytes_of, read_file};
use crate::image::resolve::site_path;
use crate::image::svg::SvgLoader;
use crate::model::Asset;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Rasterised SVGs: at most this many pixels on the longer side...
const SVG_MAX_SIDE: u32 = 1600;
/// ...and at most twice their own size (sharp on high-density screens).
const SVG_MAX_SCALE: f32 = 2.0;

/// One image file of the package.
#[derive(Debug)]
pub(crate) struct ImageFile {
    /// Path inside the package, relative to the chapters (`images/logo.png`).
    pub href: String,
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
}

/// The images added so far, by source file.
pub(crate) struct ImageStore {
    svgs: SvgLoader,
    by_source: HashMap<PathBuf, Option<String>>,
    names: HashSet<String>,
    files: Vec<ImageFile>,
}

impl ImageStore {
    pub(crate) fn new(svgs: SvgLoader) -> ImageStore {
        ImageStore {
            svgs,
            by_source: HashMap::new(),
            // The cover image is `images/cover.png`.
            names: HashSet::from(["cover".to_string()]),
            files: Vec::new(),
        }
    }

    /// The package href of `asset`, adding the file on first use; `None`
    /// (with a warning naming `page_source`) when it cannot be used.
    pub(crate) fn href(
        &mut self,
        asset: &Asset,
        page_source: &Path,
        line: u32,
        diags: &mut Diagnostics,
    ) -> Option<String> {
        if let Some(known) = self.by_source.get(&asset.path) {
            return known.clone();
        }
        let added = self.add(&asset.path, page_source, line, diags);
        self.by_source.insert(asset.path.clone(), added.clone());
        added
    }

    /// Adds a PNG folio drew itself (a QR code) as `images/NAME.png`;
    /// returns its package href.
    pub(crate) fn generated_png(&mut self, name: &str, bytes: Vec<u8>) -> String {
        let href = format!("images/{}.png", self.unique_name(Path::new(name)));
        self.files.push(ImageFile {
            href: href.clone(),
            media_type: "image/png",
            bytes,
        });
        href
    }

    /// The image files, in order of first use.
    pub(crate) fn into_files(self) -> Vec<ImageFile> {
        self.files
    }

    fn add(
        &mut self,
        path: &Path,
        page_source: &Path,
        line: u32,
        diags: &mut Diagnostics,
    ) -> Option<String> {
        let limits = *self.svgs.limits();
        let name = site_path(path, self.svgs.static_root());
        let refuse = |why: String| {
            Diagnostic::warning(
                page_source,
                line,
                format!("image `{name}` {why}; the EPUB shows its text instead"),
            )
        };
        let bytes = match read_file(path, &limits) {
            Ok(b) => b,
            Err(why) => {
                diags.push(refuse(why.to_string()));
                return None;
            }
        };
        // Trust the bytes, not the file name: epubcheck compares them with
        // the declared media type.
        let sniffed = sniff(&bytes);
        if matches!(sniffed, Some(Sniffed::Png | Sniffed::Jpeg | Sniffed::Gif))
            && let Err(why) = check_bytes_of(&bytes, &limits)
        {
            // Readers would have to decode it: the same limits apply.
            diags.push(refuse(why.to_string()));
            return None;
        }
        let (media_type, ext, bytes) = match sniffed {
            Some(Sniffed::Png) => ("image/png", "png", bytes),
            Some(Sniffed::Jpeg) => ("image/jpeg", "jpg", bytes),
            Some(Sniffed::Gif) => ("image/gif", "gif", bytes),
            Some(Sniffed::Svg) => {
                let png = self
                    .svgs
                    .load_data(path, &bytes)
                    .map_err(|e| e.to_string())
                    .and_then(|svg| {
                        raster::svg_to_png(&svg.tree, SVG_MAX_SIDE, SVG_MAX_SCALE, &limits)
                            .map_err(|e| format!("{e:#}"))
                    });
                match png {
                    Ok(png) => ("image/png", "png", png),
                    Err(why) => {
                        diags.push(refuse(why));
                        return None;
                    }
                }
            }
            None => {
                diags.push(
                    refuse("is not PNG, JPEG, GIF or SVG".into())
                        .with_hint("convert it to PNG or JPEG"),
                );
                return None;
            }
        };
        let href = format!("images/{}.{ext}", self.unique_name(path));
        self.files.push(ImageFile {
            href: href.clone(),
            media_type,
            bytes,
        });
        Some(href)
    }

    /// A file name from the source's stem, unique in the package.
    fn unique_name(&mut self, path: &Path) -> String {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("image");
        let base: String = stem
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let base = if base.is_empty() {
            "image".to_string()
        } else {
            base
        };
        let mut name = base.clone();
        let mut n = 2;
        while !self.names.insert(name.clone()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        name
    }
}

enum Sniffed {
    Png,
    Jpeg,
    Gif,
    Svg,
}

/// The image format from the file's first bytes.
fn sniff(bytes: &[u8]) -> Option<Sniffed> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(Sniffed::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(Sniffed::Jpeg);
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Some(Sniffed::Gif);
    }
    // SVG is text: look for the root element near the start.
    let head = bytes.get(..bytes.len().min(4096)).unwrap_or(bytes);
    let text = String::from_utf8_lossy(head);
    if text.contains("<svg") {
        return Some(Sniffed::Svg);
    }
    None
}
