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

/// What a page's rendering asks of the package's images: the sequential
/// [`ImageStore`], or a page's [`super::deferred::PageImages`] on a worker
/// thread, whose names are given at the in-order merge.
pub(crate) trait Images {
    /// The package href of `asset`; `None` (with a warning naming
    /// `page_source`) when it cannot be used.
    fn href(
        &mut self,
        asset: &Asset,
        page_source: &Path,
        line: u32,
        diags: &mut Diagnostics,
    ) -> Option<String>;

    /// Adds a PNG folio drew itself (a QR code); returns its href.
    fn generated_png(&mut self, name: &str, bytes: Vec<u8>) -> String;

    /// Whether the image at `href` sits in a line of text ([`ICON_MAX_PX`]).
    fn is_icon(&self, href: &str) -> bool;
}

/// An image file as the package holds it, or the warning that leaves it
/// out (made for the page that first uses it).
pub(crate) type Converted = Result<ConvertedImage, Diagnostic>;

/// An image converted for the package.
#[derive(Debug)]
pub(crate) struct ConvertedImage {
    pub media_type: &'static str,
    pub ext: &'static str,
    pub bytes: Vec<u8>,
    /// Pixel size, when it could be read.
    pub size: Option<(u32, u32)>,
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

    /// The image files, in order of first use.
    pub(crate) fn into_files(self) -> Vec<ImageFile> {
        self.files
    }

    /// The href of the image at `path` once `converted` (a page's first
    /// use names and adds it; a later use finds it): `Err` with the
    /// warning when it cannot be used and this is its first use, `Ok(None)`
    /// when it cannot be used and was warned about already.
    pub(crate) fn href_of(
        &mut self,
        path: &Path,
        converted: impl FnOnce() -> Converted,
    ) -> Result<Option<String>, Diagnostic> {
        if let Some(known) = self.by_source.get(path) {
            return Ok(known.clone());
        }
        let added = match converted() {
            Ok(image) => {
                let href = format!("images/{}.{}", self.unique_name(path), image.ext);
                if let Some(size) = image.size {
                    self.sizes.insert(href.clone(), size);
                }
                self.files.push(ImageFile {
                    href: href.clone(),
                    media_type: image.media_type,
                    bytes: image.bytes,
                });
                Ok(Some(href))
            }
            Err(warning) => Err(warning),
        };
        let href = added.as_ref().ok().cloned().flatten();
        self.by_source.insert(path.to_path_buf(), href);
        added
    }

    /// Adds `bytes` (a PNG folio drew) as `images/NAME.png`.
    fn add_png(&mut self, name: &str, bytes: Vec<u8>) -> String {
        let href = format!("images/{}.png", self.unique_name(Path::new(name)));
        self.files.push(ImageFile {
            href: href.clone(),
            media_type: "image/png",
            bytes,
        });
        href
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

impl Images for ImageStore {
    fn href(
        &mut self,
        asset: &Asset,
        page_source: &Path,
        line: u32,
        diags: &mut Diagnostics,
    ) -> Option<String> {
        if let Some(known) = self.by_source.get(&asset.path) {
            return known.clone();
        }
        let svgs = self.svgs.clone();
        match self.href_of(&asset.path, || {
            convert_file(&svgs, &asset.path, page_source, line)
        }) {
            Ok(href) => href,
            Err(warning) => {
                diags.push(warning);
                None
            }
        }
    }

    fn generated_png(&mut self, name: &str, bytes: Vec<u8>) -> String {
        self.add_png(name, bytes)
    }

    /// Small enough to sit in a line of text (a badge, an icon): at most
    /// [`ICON_MAX_PX`] high. The page marks it, and the style sheet sizes
    /// it to the line.
    fn is_icon(&self, href: &str) -> bool {
        self.sizes
            .get(href)
            .is_some_and(|&(_, height)| is_icon_size(height))
    }
}

/// Whether an image `height` pixels high is an icon.
pub(crate) fn is_icon_size(height: u32) -> bool {
    height <= ICON_MAX_PX
}

/// The image file at `path`, first used by `page_source` at `line`, read
/// and converted for the package; or the warning that leaves it out.
pub(crate) fn convert_file(
    svgs: &SvgLoader,
    path: &Path,
    page_source: &Path,
    line: u32,
) -> Converted {
    let limits = *svgs.limits();
    let name = site_path(path, svgs.static_root());
    let refuse = |why: String| {
        Diagnostic::warning(
            page_source,
            line,
            format!("image `{name}` {why}; the EPUB shows its text instead"),
        )
    };
    let bytes = read_file(path, &limits).map_err(|why| refuse(why.to_string()))?;
    // Trust the bytes, not the file name: epubcheck compares them with
    // the declared media type.
    let found = format::from_bytes(&bytes);
    if found == AssetFormat::Other {
        return Err(refuse("is not PNG, JPEG, GIF, WebP or SVG".into())
            .with_hint("convert it to PNG or JPEG"));
    }
    // Readers would have to decode it: the same limits apply.
    let (media_type, ext, bytes) = convert(svgs, path, found, bytes, &limits).map_err(refuse)?;
    let size = dimensions(std::io::Cursor::new(&bytes)).ok().flatten();
    Ok(ConvertedImage {
        media_type,
        ext,
        bytes,
        size,
    })
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
