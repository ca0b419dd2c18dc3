//! Images for the PDF: PNG, JPEG, GIF (its first frame) and WebP from the
//! static root, known by their bytes (the assets pass sniffed them). JPEG
//! goes in as it is, and so does the compressed data of a plain 8-bit PNG
//! without alpha ([`png`]); the others are decoded losslessly once (pixels
//! go into the PDF Flate-compressed, never re-encoded as JPEG, the alpha
//! channel as a soft mask), at full resolution within the limits: a PDF is
//! for print. SVG
//! rasterised by resvg at the style's dpi for the size it is printed, with
//! the shipped fonts loaded so its text renders. Loading, limits and
//! containment are [`crate::image`]'s, shared with the EPUB.

use crate::image::draw;
use crate::image::raster::{self, Unusable};
use crate::image::resolve::site_path;
use crate::image::svg::SvgLoader;
use crate::model::{Asset, AssetFormat};

#[path = "images/png.rs"]
mod png;
use super::deflate::{Pending, Worker};
use super::sync::lock;
use anyhow::{Result, anyhow};
use resvg::usvg;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// An image ready for the PDF, in the form its XObject takes.
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub data: ImageData,
}

/// The bytes of an image XObject.
pub enum ImageData {
    /// A baseline or progressive JPEG in RGB or grey, carried as it is
    /// (`DCTDecode`): no decoding, no re-encoding.
    Jpeg { bytes: Vec<u8>, components: u8 },
    /// The zlib data of an 8-bit, non-interlaced PNG without alpha or
    /// palette (its IDAT chunks joined), carried as it is: `FlateDecode`
    /// with the PNG predictor undoes the row filters the way a PNG reader does.
    Png { idat: Vec<u8>, colors: u8 },
    /// Decoded 8-bit samples (`colors` per pixel), with the alpha channel
    /// split out into its own plane for a soft mask, both zlib-compressed
    /// on a worker thread while layout goes on; `None` for a layout that is
    /// never written.
    Pixels { colors: u8, packed: Option<Packed> },
}

/// An image's samples and alpha plane, being compressed.
pub struct Packed {
    pub samples: Pending,
    pub alpha: Option<Pending>,
}

impl Image {
    /// A copy, its compression finished first (`None` when the worker
    /// that compressed it is gone).
    fn ready_copy(&mut self) -> Option<Image> {
        let data = match &mut self.data {
            ImageData::Jpeg { bytes, components } => ImageData::Jpeg {
                bytes: bytes.clone(),
                components: *components,
            },
            ImageData::Png { idat, colors } => ImageData::Png {
                idat: idat.clone(),
                colors: *colors,
            },
            ImageData::Pixels { colors, packed } => ImageData::Pixels {
                colors: *colors,
                packed: match packed {
                    Some(p) => Some(Packed {
                        samples: Pending::Ready(p.samples.ready_copy()?),
                        alpha: match &mut p.alpha {
                            Some(a) => Some(Pending::Ready(a.ready_copy()?)),
                            None => None,
                        },
                    }),
                    None => None,
                },
            },
        };
        Some(Image {
            width: self.width,
            height: self.height,
            data,
        })
    }
}

/// Deflate level of image samples. Measured on the corpus (CPU of the
/// deflate thread, PDF size) and the press kit (four SVG logos drawn at
/// 300 dpi): level 6 (zlib's default) 170 ms; level 4 50 ms less, the
/// corpus PDF 1.1 % and the kit 6.5 % bigger; level 2 85 ms less but the
/// kit 21 % bigger; level 5 30 ms less, 0.2 % and 1.5 % bigger. Both
/// cores are busy in a build, so time on the worker is time off the build.
const LEVEL: u32 = 4;

/// An image's file and raster width (0 for a raster file, which is
/// loaded at its own size).
type Key = (PathBuf, u32);

/// A slot filled once, by the first thread that needs it.
type Once<T> = Arc<OnceLock<Result<T, String>>>;

/// Images decoded or rasterised once per printed size, and SVG files parsed
/// once, whichever layout thread needs them first (the others wait for it).
pub struct ImageStore {
    loaded: Mutex<HashMap<Key, Once<Arc<Loaded>>>>,
    /// Parsed SVG trees by file (or why the file cannot be used).
    trees: Mutex<HashMap<PathBuf, Once<Arc<usvg::Tree>>>>,
    svgs: SvgLoader,
    dpi: f32,
    /// Compresses decoded pixels while layout goes on; `None` when the
    /// images are only measured, never written (the pixels are dropped).
    packer: Option<Mutex<Worker>>,
    /// The store outlives its build (`folio watch`): the writer gets
    /// copies of the images, not the images themselves.
    kept: bool,
}

/// One loaded image: taken by the writer; whether it is mostly white on
/// transparency.
pub struct Loaded {
    image: Mutex<Option<Image>>,
    white: bool,
}

/// The slot of `key` in `map`, made when new (the map is locked only to
/// find it).
fn slot<K: std::hash::Hash + Eq + Clone, T>(map: &Mutex<HashMap<K, Once<T>>>, key: &K) -> Once<T> {
    let mut map = lock(map);
    match map.get(key) {
        Some(found) => Arc::clone(found),
        None => {
            let made = Arc::new(OnceLock::new());
            map.insert(key.clone(), Arc::clone(&made));
            made
        }
    }
}

impl ImageStore {
    /// An empty store loading SVG images with `svgs`.
    pub fn new(svgs: SvgLoader, dpi: f32) -> ImageStore {
        ImageStore {
            loaded: Mutex::new(HashMap::new()),
            trees: Mutex::new(HashMap::new()),
            svgs,
            dpi,
            packer: Some(Mutex::new(Worker::default())),
            kept: false,
        }
    }

    /// A store kept for later builds: the writer copies its images.
    pub fn kept(mut self) -> ImageStore {
        self.kept = true;
        self
    }

    /// Images for a layout that is never written: decoded (so broken files
    /// are found as when writing) but not compressed.
    pub fn measure_only(mut self) -> ImageStore {
        self.packer = None;
        self
    }

    /// Decoded samples as the writer takes them.
    fn pixels(&self, samples: Vec<u8>, colors: u8, alpha: Option<Vec<u8>>) -> ImageData {
        let packed = self.packer.as_ref().map(|worker| {
            let mut worker = lock(worker);
            Packed {
                alpha: alpha.map(|a| worker.deflate(a, LEVEL)),
                samples: worker.deflate(samples, LEVEL),
            }
        });
        ImageData::Pixels { colors, packed }
    }

    /// The image of decoded pixels, handed to the packer.
    fn image(&self, d: Decoded) -> Image {
        Image {
            width: d.width,
            height: d.height,
            data: self.pixels(d.samples, d.colors, d.alpha),
        }
    }

    /// The SVG at `path`, parsed once. What it refers to and cannot have
    /// was reported by the assets pass.
    fn svg_tree(&self, path: &Path) -> Result<Arc<usvg::Tree>> {
        let found = slot(&self.trees, &path.to_path_buf());
        let found = found.get_or_init(|| {
            self.svgs
                .load(path)
                .map(|svg| Arc::new(svg.tree))
                .map_err(|e| format!("it {e}"))
        });
        found.clone().map_err(|e| anyhow!(e))
    }

    /// The image of `key` (`asset` at that raster width), loaded once.
    fn get(&self, asset: &Asset, key: &Key) -> Result<Arc<Loaded>> {
        let found = slot(&self.loaded, key);
        let found = found.get_or_init(|| self.load(asset, key.1).map_err(|e| e.to_string()));
        found.clone().map_err(|e| anyhow!(e))
    }

    /// Reads and decodes (or rasterises `px` wide) an image.
    fn load(&self, asset: &Asset, px: u32) -> Result<Arc<Loaded>> {
        let limits = *self.svgs.limits();
        let mut white = false;
        let image = match asset.format {
            AssetFormat::Png | AssetFormat::Jpeg | AssetFormat::Gif | AssetFormat::Webp => {
                let bytes =
                    raster::read_file(&asset.path, &limits).map_err(|e| anyhow!("it {e}"))?;
                if let Some(header) = read_jpeg(&bytes) {
                    raster::check_pixels(header.width, header.height, &limits)
                        .map_err(|e| anyhow!("it {e}"))?;
                    Image {
                        width: header.width,
                        height: header.height,
                        data: ImageData::Jpeg {
                            bytes,
                            components: header.components,
                        },
                    }
                } else if let Some(png) = png::pass_through(&bytes, &limits) {
                    png
                } else {
                    let d = decode_raster(&bytes, &limits).map_err(|e| anyhow!("it {e}"))?;
                    white = d.white_on_clear();
                    self.image(d)
                }
            }
            AssetFormat::Svg => {
                let tree = self.svg_tree(&asset.path)?;
                let d = rasterise(&tree, px, &limits).map_err(|e| anyhow!("it {e}"))?;
                self.image(d)
            }
            AssetFormat::Other => return Err(anyhow!("this image format cannot go into a PDF")),
        };
        Ok(Arc::new(Loaded {
            image: Mutex::new(Some(image)),
            white,
        }))
    }
}

/// The images a layout uses, numbered in order of first use: a chapter's
/// own numbers while it is laid out on its thread, the book's once merged
/// ([`Images::adopt`]).
#[derive(Clone)]
pub struct Images {
    store: Arc<ImageStore>,
    list: Vec<(Key, AssetFormat, Arc<Loaded>)>,
    by_key: HashMap<Key, usize>,
}

impl Images {
    /// An empty table over `store`.
    pub fn new(store: Arc<ImageStore>) -> Images {
        Images {
            store,
            list: Vec::new(),
            by_key: HashMap::new(),
        }
    }

    /// How warnings name an image: its path in the site.
    pub fn name(&self, asset: &Asset) -> String {
        site_path(&asset.path, self.store.svgs.static_root())
    }

    /// The intrinsic size of an image in CSS pixels.
    pub fn size(&mut self, asset: &Asset) -> Result<(f32, f32)> {
        match asset.format {
            AssetFormat::Png | AssetFormat::Jpeg | AssetFormat::Gif | AssetFormat::Webp => {
                let limits = self.store.svgs.limits();
                raster::check_file(&asset.path, limits).map_err(|e| anyhow!("it {e}"))?;
                let file = std::fs::File::open(&asset.path).map_err(|e| anyhow!("{e}"))?;
                let (w, h) = raster::dimensions(std::io::BufReader::new(file))
                    .map_err(|e| anyhow!("it {e}"))?
                    .ok_or_else(|| anyhow!("it is not a PNG, JPEG, GIF or WebP file"))?;
                Ok((w as f32, h as f32))
            }
            AssetFormat::Svg => {
                let tree = self.store.svg_tree(&asset.path)?;
                let s = tree.size();
                Ok((s.width(), s.height()))
            }
            AssetFormat::Other => Err(anyhow!(
                "this image format cannot go into a PDF (PNG, JPEG, GIF, WebP and SVG can)"
            )),
        }
    }

    /// The image's index, loading it if needed; `printed_width` (points)
    /// sets an SVG's raster size.
    pub fn load(&mut self, asset: &Asset, printed_width: f32) -> Result<usize> {
        let px = match asset.format {
            AssetFormat::Svg => (printed_width / 72.0 * self.store.dpi).round().max(1.0) as u32,
            _ => 0,
        };
        let key = (asset.path.clone(), px);
        if let Some(&i) = self.by_key.get(&key) {
            return Ok(i);
        }
        let loaded = self.store.get(asset, &key)?;
        Ok(self.adopt(key, asset.format, loaded))
    }

    /// The index of an image another table loaded, numbered here when new.
    fn adopt(&mut self, key: Key, format: AssetFormat, loaded: Arc<Loaded>) -> usize {
        if let Some(&i) = self.by_key.get(&key) {
            return i;
        }
        self.list.push((key.clone(), format, loaded));
        let index = self.list.len() - 1;
        self.by_key.insert(key, index);
        index
    }

    /// Numbers `chapter`'s images here (in its order of first use) and
    /// returns the number each of its own became.
    pub fn merge(&mut self, chapter: Images) -> Vec<usize> {
        chapter
            .list
            .into_iter()
            .map(|(key, format, loaded)| self.adopt(key, format, loaded))
            .collect()
    }

    /// Whether a PNG, GIF or WebP image is mostly white on transparency
    /// (it is loaded to find out). An image that cannot be read is not (the
    /// figure reports it).
    pub fn white_on_clear(&mut self, asset: &Asset) -> bool {
        if !matches!(
            asset.format,
            AssetFormat::Png | AssetFormat::Gif | AssetFormat::Webp
        ) {
            return false;
        }
        self.load(asset, 0.0)
            .ok()
            .and_then(|index| self.list.get(index))
            .is_some_and(|(_, _, loaded)| loaded.white)
    }

    /// The same table (same numbers) over `store`, each image fetched
    /// from it: for a chapter kept from an earlier build.
    pub fn refetch(self, store: &Arc<ImageStore>) -> Result<Images> {
        let mut fresh = Images::new(Arc::clone(store));
        for (key, format, _) in self.list {
            let asset = Asset {
                path: key.0.clone(),
                format,
            };
            let loaded = store.get(&asset, &key)?;
            fresh.adopt(key, format, loaded);
        }
        Ok(fresh)
    }

    /// The images, by index, for the writer: each taken once, or copied
    /// from a store kept for later builds.
    pub fn into_list(self) -> Vec<Image> {
        let kept = self.store.kept;
        self.list
            .into_iter()
            .filter_map(|(_, _, loaded)| {
                let mut slot = lock(&loaded.image);
                if kept {
                    slot.as_mut().and_then(Image::ready_copy)
                } else {
                    slot.take()
                }
            })
            .collect()
    }
}

/// Decoded pixels: `colors` samples per pixel and an alpha plane if any
/// pixel is not opaque.
struct Decoded {
    width: u32,
    height: u32,
    samples: Vec<u8>,
    colors: u8,
    alpha: Option<Vec<u8>>,
}

impl Decoded {
    /// Whether the image is mostly white on transparency (a white logo
    /// made for a dark website header, which would vanish on paper).
    fn white_on_clear(&self) -> bool {
        let Some(alpha) = &self.alpha else {
            return false;
        };
        let colors = usize::from(self.colors);
        white_on_clear(alpha.len(), |i| {
            let a = *alpha.get(i)?;
            match *self.samples.get(i * colors..(i + 1) * colors)? {
                [r, g, b] => Some([r, g, b, a]),
                [y] => Some([y, y, y, a]),
                _ => None,
            }
        })
    }
}

/// Share of pixels that must be (mostly) transparent.
const MIN_TRANSPARENT: f64 = 0.1;
/// Share of the opaque pixels that must be near white.
const MIN_WHITE: f64 = 0.6;
/// A channel this bright or brighter is near white.
const WHITE: u8 = 224;
/// Pixels looked at, at most: a sample is as good as all of them.
const SAMPLES: u64 = 40_000;

/// The white-on-transparency test on `total` pixels, `pixel(i)` giving
/// pixel `i` as RGBA.
fn white_on_clear(total: usize, pixel: impl Fn(usize) -> Option<[u8; 4]>) -> bool {
    if total == 0 {
        return false;
    }
    let step = usize::try_from((total as u64).div_ceil(SAMPLES))
        .unwrap_or(1)
        .max(1);
    let (mut seen, mut clear, mut white) = (0u64, 0u64, 0u64);
    for [r, g, b, a] in (0..total).step_by(step).filter_map(pixel) {
        seen += 1;
        if a < 128 {
            clear += 1;
        } else if r >= WHITE && g >= WHITE && b >= WHITE {
            white += 1;
        }
    }
    let opaque = seen - clear;
    opaque > 0
        && clear as f64 >= MIN_TRANSPARENT * seen as f64
        && white as f64 >= MIN_WHITE * opaque as f64
}

/// Draws `tree` about `width_px` wide, or smaller where the limits say so.
fn rasterise(tree: &usvg::Tree, width_px: u32, limits: &crate::Limits) -> Result<Decoded, String> {
    let scale = f64::from(width_px) / f64::from(tree.size().width());
    let fit = draw::fit(tree, scale, limits)?;
    let pixmap = draw::render(tree, fit)?;
    // resvg works in premultiplied alpha; the PDF wants straight alpha:
    // converted while the alpha is split out, in the pixmap's own buffer.
    let (samples, alpha) = split_alpha(pixmap.take(), 3, true);
    Ok(Decoded {
        width: fit.width,
        height: fit.height,
        samples,
        colors: 3,
        alpha,
    })
}

/// Splits interleaved samples with a trailing alpha byte (`colors`, 3 or
/// 1, + 1 per pixel) into colour samples and an alpha plane; no plane when
/// every pixel is opaque. `premultiplied` RGBA (resvg's) is made straight.
/// The samples are packed in place, in the buffer they came in, a block at
/// a time: no second buffer as big as the image to allocate and fault in.
fn split_alpha(
    mut pixels: Vec<u8>,
    colors: usize,
    premultiplied: bool,
) -> (Vec<u8>, Option<Vec<u8>>) {
    /// Pixels per block: the block's samples are copied out, then back
    /// to where they go, which is never past what is still to be read.
    const BLOCK: usize = 4096;
    let stride = colors + 1;
    let n = pixels.len() / stride;
    let mut alpha = vec![0u8; n];
    let mut block = vec![0u8; BLOCK * colors];
    for (i, alpha) in alpha.chunks_mut(BLOCK).enumerate() {
        let start = i * BLOCK;
        let count = alpha.len();
        let (Some(from), Some(out)) = (
            pixels.get(start * stride..(start + count) * stride),
            block.get_mut(..count * colors),
        ) else {
            break;
        };
        // One loop per layout, zipped so it has no bounds checks and no
        // calls in it.
        if colors == 3 {
            let pairs = from.chunks_exact(4).zip(out.chunks_exact_mut(3));
            for ((px, rgb), a) in pairs.zip(alpha.iter_mut()) {
                if let (&[r, g, b, alpha], [or, og, ob]) = (px, rgb) {
                    // Opaque and clear pixels (most of them) are the same
                    // either way.
                    [*or, *og, *ob] = if premultiplied && alpha != 255 && alpha != 0 {
                        straight(r, g, b, alpha)
                    } else {
                        [r, g, b]
                    };
                    *a = alpha;
                }
            }
        } else {
            let pairs = from.chunks_exact(2).zip(out.iter_mut());
            for ((px, y), a) in pairs.zip(alpha.iter_mut()) {
                if let &[grey, alpha] = px {
                    *y = grey;
                    *a = alpha;
                }
            }
        }
        if let (Some(to), Some(out)) = (
            pixels.get_mut(start * colors..(start + count) * colors),
            block.get(..count * colors),
        ) {
            to.copy_from_slice(out);
        }
    }
    pixels.truncate(n * colors);
    pixels.shrink_to_fit();
    let opaque = alpha.iter().all(|&a| a == 255);
    (pixels, (!opaque).then_some(alpha))
}

/// A premultiplied colour made straight, as tiny-skia does it.
fn straight(r: u8, g: u8, b: u8, a: u8) -> [u8; 3] {
    match resvg::tiny_skia::PremultipliedColorU8::from_rgba(r, g, b, a) {
        Some(c) => {
            let c = c.demultiply();
            [c.red(), c.green(), c.blue()]
        }
        None => [r, g, b],
    }
}

/// What the PDF image dictionary needs to know of a JPEG.
struct JpegHeader {
    width: u32,
    height: u32,
    components: u8,
}

/// The header of a JPEG that can go into the PDF unchanged (8-bit, one or
/// three components), with empty bytes; `None` for any other JPEG (CMYK
/// JPEGs are decoded instead: their Adobe inversion varies between
/// writers) and for anything else.
fn read_jpeg(bytes: &[u8]) -> Option<JpegHeader> {
    if bytes.get(..2) != Some(&[0xFF, 0xD8]) {
        return None;
    }
    let mut i = 2;
    // Walk the marker segments to the frame header (SOF0..SOF15 except
    // DHT, JPG and DAC).
    while let Some(&[0xFF, marker, hi, lo]) = bytes.get(i..i + 4) {
        let len = usize::from(u16::from_be_bytes([hi, lo]));
        let is_sof = (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            let &[precision, h1, h2, w1, w2, components, ..] = bytes.get(i + 4..i + 2 + len)?
            else {
                return None;
            };
            let height = u32::from(u16::from_be_bytes([h1, h2]));
            let width = u32::from(u16::from_be_bytes([w1, w2]));
            let usable = precision == 8 && matches!(components, 1 | 3) && width > 0 && height > 0;
            return usable.then_some(JpegHeader {
                width,
                height,
                components,
            });
        }
        i += 2 + len;
    }
    None
}

/// Decodes a PNG, JPEG, GIF or WebP within the limits, into the PDF's
/// pixel layout.
fn decode_raster(bytes: &[u8], limits: &crate::Limits) -> Result<Decoded, Unusable> {
    let img = raster::decode(bytes, limits)?;
    let (width, height) = (img.width(), img.height());
    let color = img.color();
    let (samples, colors, alpha) = match (color.has_color(), color.has_alpha()) {
        (true, true) => {
            let (s, a) = split_alpha(img.into_rgba8().into_raw(), 3, false);
            (s, 3, a)
        }
        (false, true) => {
            let (s, a) = split_alpha(img.into_luma_alpha8().into_raw(), 1, false);
            (s, 1, a)
        }
        (true, false) => (img.into_rgb8().into_raw(), 3, None),
        (false, false) => (img.into_luma8().into_raw(), 1, None),
    };
    Ok(Decoded {
        width,
        height,
        samples,
        colors,
        alpha,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 60 × 40 RGBA image from `f`, decoded as the table decodes it.
    fn decoded(f: impl Fn(u32, u32) -> [u8; 4]) -> Decoded {
        let mut rgba = Vec::new();
        for y in 0..40 {
            for x in 0..60 {
                rgba.extend_from_slice(&f(x, y));
            }
        }
        let (samples, alpha) = split_alpha(rgba, 3, false);
        Decoded {
            width: 60,
            height: 40,
            samples,
            colors: 3,
            alpha,
        }
    }

    #[test]
    fn white_on_transparency_is_found() {
        // A white mark in the middle of a clear canvas.
        let mark = |ink: [u8; 4], ground: [u8; 4]| {
            decoded(move |x, _| if (20..40).contains(&x) { ink } else { ground })
        };
        assert!(mark([255; 4], [0; 4]).white_on_clear());
        // The same mark in dark blue, or white on an opaque canvas: no.
        assert!(!mark([20, 40, 90, 255], [0; 4]).white_on_clear());
        assert!(!mark([255; 4], [0, 0, 0, 255]).white_on_clear());
        assert!(!decoded(|_, _| [0; 4]).white_on_clear(), "all clear");
        // Grey with alpha: a white mark too.
        let (samples, alpha) = split_alpha(vec![255, 255, 0, 0, 0, 0, 255, 200], 1, false);
        let grey = Decoded {
            width: 4,
            height: 1,
            samples,
            colors: 1,
            alpha,
        };
        assert!(grey.white_on_clear());
    }

    #[test]
    fn alpha_is_split_into_its_own_plane_unless_all_opaque() {
        let rgba = [1, 2, 3, 255, 4, 5, 6, 7];
        assert_eq!(
            split_alpha(rgba.to_vec(), 3, false),
            (vec![1, 2, 3, 4, 5, 6], Some(vec![255, 7]))
        );
        assert_eq!(
            split_alpha(vec![9, 255, 8, 255], 1, false),
            (vec![9, 8], None)
        );
    }

    #[test]
    fn alpha_is_split_in_place_across_blocks() {
        // Past several blocks, and not a whole number of them.
        let n = 3 * 4096 + 17;
        let rgba: Vec<u8> = (0..n * 4).map(|i| (i * 7 % 251) as u8).collect();
        let (samples, alpha) = split_alpha(rgba.clone(), 3, false);
        let want: Vec<u8> = rgba
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        assert_eq!(samples, want);
        let want_alpha: Vec<u8> = rgba.chunks_exact(4).map(|p| p[3]).collect();
        assert_eq!(alpha, Some(want_alpha));
        let grey: Vec<u8> = (0..n * 2).map(|i| (i % 13) as u8).collect();
        let (samples, alpha) = split_alpha(grey.clone(), 1, false);
        assert_eq!(samples, grey.iter().step_by(2).copied().collect::<Vec<_>>());
        assert_eq!(alpha.unwrap().len(), n);
        // A cut-off last pixel is dropped, not read past.
        assert_eq!(
            split_alpha(vec![1, 2, 3, 255, 9], 3, false),
            (vec![1, 2, 3], None)
        );
    }

    #[test]
    fn premultiplied_pixels_are_made_straight() {
        // Half-transparent red as resvg stores it, then opaque and clear.
        let (samples, alpha) = split_alpha(vec![128, 0, 0, 128, 5, 6, 7, 255, 0, 0, 0, 0], 3, true);
        assert_eq!(samples, vec![255, 0, 0, 5, 6, 7, 0, 0, 0]);
        assert_eq!(alpha, Some(vec![128, 255, 0]));
    }

    #[test]
    fn jpeg_headers_are_read_without_trusting_lengths() {
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00];
        jpeg.extend_from_slice(&[
            0xFF, 0xC0, 0x00, 0x0B, 8, 0x01, 0x00, 0x02, 0x00, 3, 1, 0x11, 0,
        ]);
        let header = read_jpeg(&jpeg).unwrap();
        assert_eq!(
            (header.width, header.height, header.components),
            (512, 256, 3)
        );
        // Cut anywhere, or with a segment length past the end: no header,
        // no panic.
        for end in 0..jpeg.len() {
            assert!(read_jpeg(&jpeg[..end]).is_none());
        }
        let mut lying = jpeg.clone();
        lying[5] = 0xFF;
        assert!(read_jpeg(&lying).is_none());
        // CMYK is decoded, not passed through.
        let mut cmyk = jpeg;
        cmyk[17] = 4;
        assert!(read_jpeg(&cmyk).is_none());
    }
}
