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
//! What is decoded, drawn and compressed is kept on disk between builds
//! ([`cache`]), in the output folder.

use crate::image::raster;
use crate::image::resolve::site_path;
use crate::image::svg::SvgLoader;
use crate::model::{Asset, AssetFormat};

#[path = "images/cache.rs"]
pub mod cache;
#[path = "images/pixels.rs"]
mod pixels;
#[path = "images/png.rs"]
mod png;
use super::deflate::{Pending, Worker};
use super::disk_cache::DiskCache;
use super::sync::lock;
use anyhow::{Result, anyhow};
use pixels::{Decoded, decode_raster, rasterise};
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

/// Deflate level of image samples (libdeflate's, see [`super::deflate`]).
/// Chosen with zlib's levels: on the corpus and the press kit (four SVG
/// logos drawn at 300 dpi) level 6 cost 50 ms more of the deflate thread
/// than 4 for a PDF 1.1 % (kit 6.5 %) smaller, level 2 saved 35 ms more
/// for a kit 21 % bigger. libdeflate's level 4 is faster than zlib's and
/// a little smaller (press kit 314 → 310 kB). Both cores are busy in a
/// build, so time on the worker is time off the build.
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
    trees: Mutex<HashMap<PathBuf, Once<Arc<Parsed>>>>,
    svgs: SvgLoader,
    dpi: f32,
    /// Compresses decoded pixels while layout goes on; `None` when the
    /// images are only measured, never written (the pixels are dropped).
    packer: Option<Mutex<Worker>>,
    /// The store outlives its build (`folio watch`): the writer gets
    /// copies of the images, not the images themselves.
    kept: bool,
    /// Images decoded and compressed by earlier builds, on disk.
    cache: Option<Disk>,
}

/// The disk cache and what its SVG keys need.
struct Disk {
    cache: Arc<DiskCache>,
    /// The faces SVG text is set in, fingerprinted when first needed.
    faces: Vec<crate::shipped::Blob>,
    fonts: OnceLock<[u8; 32]>,
    /// The limits, as the keys take them.
    limits: String,
}

/// A parsed SVG and the digest of the bytes it was parsed from (its own
/// and those of the files nested in it).
struct Parsed {
    tree: usvg::Tree,
    digest: [u8; 32],
}

/// One loaded image: taken by the writer; whether it is mostly white on
/// transparency.
pub struct Loaded {
    image: Mutex<Option<Image>>,
    white: bool,
    /// The disk cache's key of an image made by this build, until it is
    /// handed to the cache.
    save: Mutex<Option<cache::Key>>,
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
            cache: None,
        }
    }

    /// A store reading images from `cache`, and handing it those it
    /// makes; `faces` are those SVG text is set in (their bytes are part of
    /// an SVG's key).
    pub fn cached(mut self, cache: Arc<DiskCache>, faces: Vec<crate::shipped::Blob>) -> Self {
        let limits = format!("{:?}", self.svgs.limits());
        self.cache = Some(Disk {
            cache,
            faces,
            fonts: OnceLock::new(),
            limits,
        });
        self
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
    fn svg_tree(&self, path: &Path) -> Result<Arc<Parsed>> {
        let found = slot(&self.trees, &path.to_path_buf());
        let found = found.get_or_init(|| {
            let data =
                raster::read_file(path, self.svgs.limits()).map_err(|e| format!("it {e}"))?;
            let svg = self
                .svgs
                .load_data(path, &data)
                .map_err(|e| format!("it {e}"))?;
            // The key covers what was drawn: these bytes, not the file's
            // later ones, and every nested file as it was read.
            let digest = match self.cache {
                Some(_) => {
                    let mut all = cache::digest(&data).to_vec();
                    for (nested, hash) in &svg.read {
                        all.extend_from_slice(nested.as_os_str().as_encoded_bytes());
                        all.push(0);
                        all.extend_from_slice(hash);
                    }
                    cache::digest(&all)
                }
                None => [0; 32],
            };
            Ok(Arc::new(Parsed {
                tree: svg.tree,
                digest,
            }))
        });
        found.clone().map_err(|e| anyhow!(e))
    }

    /// The disk cache's key of an image: a raster file's bytes (`source`
    /// their digest), or an SVG drawn `px` wide.
    fn key(&self, kind: &str, px: u32, source: &[u8; 32]) -> Option<cache::Key> {
        let disk = self.cache.as_ref()?;
        let svg = kind == "svg";
        let fonts = svg.then(|| {
            disk.fonts.get_or_init(|| {
                let mut all = Vec::with_capacity(disk.faces.len() * 32);
                for face in &disk.faces {
                    let digest = crate::shipped::built_in_face_digest(face)
                        .unwrap_or_else(|| cache::digest(face));
                    all.extend_from_slice(&digest);
                }
                cache::digest(&all)
            })
        });
        let parts = cache::KeyParts {
            kind,
            level: LEVEL,
            width: px,
            limits: &disk.limits,
            dpi: if svg { self.dpi } else { 0.0 },
            fonts,
            source,
        };
        Some(parts.key())
    }

    /// The image the disk cache holds under `key`, if any.
    fn hit(&self, key: Option<&cache::Key>) -> Option<Arc<Loaded>> {
        let entry = cache::get(&self.cache.as_ref()?.cache, key?, self.svgs.limits())?;
        // A layout that is only measured needs no pixels: the entry
        // proves the file decoded before.
        let packed = self.packer.is_some().then(|| Packed {
            samples: Pending::Ready(entry.samples),
            alpha: entry.alpha.map(Pending::Ready),
        });
        Some(Arc::new(Loaded {
            image: Mutex::new(Some(Image {
                width: entry.width,
                height: entry.height,
                data: ImageData::Pixels {
                    colors: entry.colors,
                    packed,
                },
            })),
            white: entry.white,
            save: Mutex::new(None),
        }))
    }

    /// Hands `image`, made by this build under `loaded`'s key, to the disk
    /// cache (once), its compression finished first.
    fn remember(&self, loaded: &Loaded, image: &mut Image) {
        let Some(disk) = &self.cache else {
            return;
        };
        let Some(key) = lock(&loaded.save).take() else {
            return;
        };
        let ImageData::Pixels {
            colors,
            packed: Some(packed),
        } = &mut image.data
        else {
            return;
        };
        let Some(samples) = settle(&mut packed.samples).map(<[u8]>::to_vec) else {
            return;
        };
        let alpha = match &mut packed.alpha {
            Some(a) => match settle(a) {
                Some(a) => Some(a.to_vec()),
                None => return,
            },
            None => None,
        };
        let entry = cache::Entry {
            width: image.width,
            height: image.height,
            colors: *colors,
            white: loaded.white,
            samples,
            alpha,
        };
        cache::put(&disk.cache, key, &entry);
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
        let mut save = None;
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
                    let key = self
                        .cache
                        .as_ref()
                        .and_then(|_| self.key("raster", 0, &cache::digest(&bytes)));
                    if let Some(hit) = self.hit(key.as_ref()) {
                        return Ok(hit);
                    }
                    let d = decode_raster(&bytes, &limits).map_err(|e| anyhow!("it {e}"))?;
                    white = d.white_on_clear();
                    save = key.filter(|_| self.packer.is_some());
                    self.image(d)
                }
            }
            AssetFormat::Svg => {
                let parsed = self.svg_tree(&asset.path)?;
                let key = self.key("svg", px, &parsed.digest);
                if let Some(hit) = self.hit(key.as_ref()) {
                    return Ok(hit);
                }
                let d = rasterise(&parsed.tree, px, &limits).map_err(|e| anyhow!("it {e}"))?;
                save = key.filter(|_| self.packer.is_some());
                self.image(d)
            }
            AssetFormat::Other => return Err(anyhow!("this image format cannot go into a PDF")),
        };
        Ok(Arc::new(Loaded {
            image: Mutex::new(Some(image)),
            white,
            save: Mutex::new(save),
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
                let parsed = self.store.svg_tree(&asset.path)?;
                let s = parsed.tree.size();
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
    /// Images this build made are handed to the disk cache, if any.
    pub fn into_list(self) -> Vec<Image> {
        let store = &self.store;
        self.list
            .into_iter()
            .filter_map(|(_, _, loaded)| {
                let mut slot = lock(&loaded.image);
                if store.kept {
                    let image = slot.as_mut()?;
                    store.remember(&loaded, image);
                    image.ready_copy()
                } else {
                    let mut image = slot.take()?;
                    store.remember(&loaded, &mut image);
                    Some(image)
                }
            })
            .collect()
    }
}

/// The compressed bytes of `pending`, waiting for them first (they are
/// kept, ready, in it); `None` when the worker is gone.
fn settle(pending: &mut Pending) -> Option<&[u8]> {
    if let Pending::Queued(rx) = pending {
        *pending = Pending::Ready(rx.recv().ok()?);
    }
    match pending {
        Pending::Ready(bytes) => Some(bytes),
        Pending::Queued(_) => None,
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

#[cfg(test)]
mod tests {
    use super::*;

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
