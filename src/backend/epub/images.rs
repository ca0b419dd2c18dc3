//! Images inside pages, known by their bytes whatever their names. PNG,
//! JPEG and GIF (EPUB core media types) go in as they are unless their
//! longer side exceeds `limits.epub_image_max`: then they are scaled down
//! (JPEG stays JPEG, PNG and the first frame of a GIF become PNG). WebP,
//! no core media type, becomes JPEG when it is a lossy photo without
//! alpha and PNG otherwise. SVG is rasterised to PNG by resvg: every
//! reading system shows PNG (EPUB 2 readers and store converters
//! included), the SVG's text is drawn with the project's fonts instead of
//! whatever the reader has, and files from the web (editor metadata,
//! external references) cannot trip epubcheck. Other formats are left out
//! with a warning; the page shows the image's text instead.
//!
//! Each file is added once, however often pages use it, under a name
//! unique in the package regardless of case (zip readers on macOS and
//! Windows would merge `Convo.png` and `convo.png`).

use super::raster;
use crate::diag::{Diagnostic, Diagnostics};
use crate::image::raster::{check_bytes_of, decode, dimensions, read_file};
use crate::image::resolve::site_path;
use crate::image::svg::SvgLoader;
use crate::image::{format, memo, shrink};
use crate::limits::Limits;
use crate::model::{Asset, AssetFormat};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Rasterised SVGs: at most this many pixels on the longer side...
const SVG_MAX_SIDE: u32 = 1600;
/// ...and at most twice their own size (sharp on high-density screens).
const SVG_MAX_SCALE: f32 = 2.0;

/// The tallest inline image set in the line (CSS pixels): badges are 20,
/// emoji and icons up to 48.
pub(crate) const ICON_MAX_PX: u32 = 48;

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
    /// Names taken, lower-cased.
    names: HashSet<String>,
    files: Vec<ImageFile>,
    /// Pixel size of each raster file, by href.
    sizes: HashMap<String, (u32, u32)>,
}

impl ImageStore {
    pub(crate) fn new(svgs: SvgLoader) -> ImageStore {
        ImageStore {
            svgs,
            by_source: HashMap::new(),
            // The cover image is `images/cover.png`.
            names: HashSet::from(["cover".to_string()]),
            files: Vec::new(),
            sizes: HashMap::new(),
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

    /// Whether the image at package `href` is small enough to sit in a line
    /// of text (a badge, an icon): at most [`ICON_MAX_PX`] high. The page
    /// marks it, and the style sheet sizes it to the line.
    pub(crate) fn is_icon(&self, href: &str) -> bool {
        self.sizes
            .get(href)
            .is_some_and(|&(_, height)| height <= ICON_MAX_PX)
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
        let converted = match format::from_bytes(&bytes) {
            AssetFormat::Other => {
                diags.push(
                    refuse("is not PNG, JPEG, GIF, WebP or SVG".into())
                        .with_hint("convert it to PNG or JPEG"),
                );
                return None;
            }
            found => convert(&self.svgs, path, found, bytes, &limits),
        };
        let (media_type, ext, bytes) = match converted {
            Ok(converted) => converted,
            Err(why) => {
                // Readers would have to decode it: the same limits apply.
                diags.push(refuse(why));
                return None;
            }
        };
        let href = format!("images/{}.{ext}", self.unique_name(path));
        if let Ok(Some(size)) = dimensions(std::io::Cursor::new(&bytes)) {
            self.sizes.insert(href.clone(), size);
        }
        self.files.push(ImageFile {
            href: href.clone(),
            media_type,
            bytes,
        });
        Some(href)
    }

    /// A file name from the source's stem, unique in the package whatever
    /// the case: stable, since files are added in reading order.
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
        while !self.names.insert(name.to_ascii_lowercase()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        name
    }
}

/// The image at `path` (its `bytes`, of format `found`) as the package
/// holds it: `(media type, extension, bytes)`. An SVG is drawn to PNG, a
/// raster fitted ([`fit_raster`]). Kept in the watch mode's memo, keyed by
/// the bytes, path and limits, unless an SVG may refer to other files (its
/// result would then depend on them too).
fn convert(
    svgs: &SvgLoader,
    path: &Path,
    found: AssetFormat,
    bytes: Vec<u8>,
    limits: &Limits,
) -> Result<(&'static str, &'static str, Vec<u8>), String> {
    let draw_svg = |bytes: &[u8]| {
        svgs.load_data(path, bytes)
            .map_err(|e| e.to_string())
            .and_then(|svg| {
                raster::svg_to_png(&svg.tree, SVG_MAX_SIDE, SVG_MAX_SCALE, limits)
                    .map_err(|e| format!("{e:#}"))
            })
            .map(|png| ("image/png", "png", png))
    };
    let self_contained =
        found != AssetFormat::Svg || !(contains(&bytes, b"<image") || contains(&bytes, b"feImage"));
    if !self_contained {
        return draw_svg(&bytes);
    }
    let mut key = memo::Key::new("epub-image");
    key.add(&bytes)
        .add(path.as_os_str().as_encoded_bytes())
        .add(format!("{limits:?}").as_bytes());
    memo::get_or_compute(
        key,
        |result: &Result<(&'static str, &'static str, Vec<u8>), String>| {
            result.as_ref().map_or(0, |(_, _, b)| b.len())
        },
        || match found {
            AssetFormat::Svg => draw_svg(&bytes),
            raster => fit_raster(raster, bytes, limits),
        },
    )
}

/// Whether `needle` occurs in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A raster image ready for the package: `(media type, extension,
/// bytes)`. PNG, JPEG and GIF within `limits.epub_image_max` as they are;
/// larger ones scaled down; WebP converted.
fn fit_raster(
    found: AssetFormat,
    bytes: Vec<u8>,
    limits: &Limits,
) -> Result<(&'static str, &'static str, Vec<u8>), String> {
    check_bytes_of(&bytes, limits).map_err(|e| e.to_string())?;
    let (width, height) = dimensions(std::io::Cursor::new(&bytes))?
        .ok_or_else(|| "has no readable size".to_string())?;
    let within = width.max(height) <= limits.epub_image_max;
    if within && let Some((media_type, ext)) = format::epub_media(found) {
        return Ok((media_type, ext, bytes));
    }
    let photo = match found {
        AssetFormat::Jpeg => true,
        AssetFormat::Webp => format::webp_is_lossy_opaque(&bytes),
        _ => false,
    };
    let image = decode(&bytes, limits).map_err(|e| e.to_string())?;
    drop(bytes);
    let image = shrink::shrink(image, limits.epub_image_max);
    if photo {
        Ok(("image/jpeg", "jpg", shrink::encode_jpeg(&image)?))
    } else {
        Ok(("image/png", "png", shrink::encode_png(&image)?))
    }
}
