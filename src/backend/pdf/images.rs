//! Images for the PDF: PNG and JPEG from the static root, decoded losslessly
//! (pixels go into the PDF Flate-compressed, never re-encoded as JPEG); SVG
//! rasterised by resvg at the style's dpi for the size it is printed, with
//! the shipped fonts loaded so its text renders.

use crate::model::{Asset, AssetFormat};
use anyhow::{Result, anyhow};
use printpdf::{RawImage, RawImageData, RawImageFormat};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A decoded image ready for the PDF.
pub struct Image {
    /// What printpdf embeds. For a passed-through JPEG a 1×1 stand-in,
    /// swapped for the JPEG's own bytes once the file is assembled.
    pub raw: RawImage,
    /// A baseline or progressive JPEG in RGB or grey, carried as it is
    /// (`DCTDecode`): no decoding, no re-encoding.
    pub jpeg: Option<Jpeg>,
}

/// JPEG bytes and what the PDF image dictionary needs to know of them.
pub struct Jpeg {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub components: u8,
}

/// Loaded images, each decoded or rasterised once per printed size.
pub struct Images {
    pub list: Vec<Image>,
    by_key: HashMap<(PathBuf, u32), usize>,
    svg_options: resvg::usvg::Options<'static>,
    dpi: f32,
}

impl Images {
    /// An empty table; `font_files` are loaded into resvg's font database.
    pub fn new(font_files: &[&[u8]], dpi: f32) -> Images {
        let mut svg_options = resvg::usvg::Options::default();
        {
            let db = svg_options.fontdb_mut();
            for bytes in font_files {
                db.load_font_data(bytes.to_vec());
            }
            db.set_sans_serif_family("Noto Sans");
            db.set_serif_family("Noto Serif");
            db.set_monospace_family("Noto Sans Mono");
        }
        Images {
            list: Vec::new(),
            by_key: HashMap::new(),
            svg_options,
            dpi,
        }
    }

    /// The intrinsic size of an image in CSS pixels.
    pub fn size(&self, asset: &Asset) -> Result<(f32, f32)> {
        match asset.format {
            AssetFormat::Png | AssetFormat::Jpeg => {
                let (w, h) = image::image_dimensions(&asset.path).map_err(|e| anyhow!("{e}"))?;
                Ok((w as f32, h as f32))
            }
            AssetFormat::Svg => {
                let tree = self.svg_tree(&asset.path)?;
                let s = tree.size();
                Ok((s.width(), s.height()))
            }
            _ => Err(anyhow!(
                "this image format cannot go into a PDF (PNG, JPEG and SVG can)"
            )),
        }
    }

    fn svg_tree(&self, path: &Path) -> Result<resvg::usvg::Tree> {
        let data = std::fs::read(path).map_err(|e| anyhow!("{e}"))?;
        resvg::usvg::Tree::from_data(&data, &self.svg_options).map_err(|e| anyhow!("{e}"))
    }

    /// The image's index, loading it if needed; `printed_width` (points)
    /// sets an SVG's raster size.
    pub fn load(&mut self, asset: &Asset, printed_width: f32) -> Result<usize> {
        let px = match asset.format {
            AssetFormat::Svg => (printed_width / 72.0 * self.dpi).round().max(1.0) as u32,
            _ => 0,
        };
        let key = (asset.path.clone(), px);
        if let Some(&i) = self.by_key.get(&key) {
            return Ok(i);
        }
        let jpeg = match asset.format {
            AssetFormat::Jpeg => read_jpeg(&asset.path)?,
            _ => None,
        };
        let raw = match (&jpeg, asset.format) {
            (Some(_), _) => RawImage {
                pixels: RawImageData::U8(vec![0]),
                width: 1,
                height: 1,
                data_format: RawImageFormat::R8,
                tag: Vec::new(),
            },
            (None, AssetFormat::Png | AssetFormat::Jpeg) => decode_raster(&asset.path)?,
            (None, AssetFormat::Svg) => self.rasterise(&asset.path, px)?,
            _ => return Err(anyhow!("this image format cannot go into a PDF")),
        };
        self.list.push(Image { raw, jpeg });
        self.by_key.insert(key, self.list.len() - 1);
        Ok(self.list.len() - 1)
    }

    fn rasterise(&self, path: &Path, width_px: u32) -> Result<RawImage> {
        let tree = self.svg_tree(path)?;
        let size = tree.size();
        let scale = width_px as f32 / size.width().max(1.0);
        let height_px = (size.height() * scale).round().max(1.0) as u32;
        let mut pixmap = resvg::tiny_skia::Pixmap::new(width_px, height_px)
            .ok_or_else(|| anyhow!("image too large to rasterise"))?;
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        // resvg works in premultiplied alpha; the PDF wants straight alpha.
        let mut rgba = Vec::with_capacity(pixmap.pixels().len() * 4);
        for p in pixmap.pixels() {
            let c = p.demultiply();
            rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
        }
        Ok(RawImage {
            pixels: RawImageData::U8(rgba),
            width: width_px as usize,
            height: height_px as usize,
            data_format: RawImageFormat::RGBA8,
            tag: Vec::new(),
        })
    }
}

/// The JPEG's bytes if it can go into the PDF unchanged: 8-bit, one or
/// three components (CMYK JPEGs are decoded instead: their Adobe inversion
/// varies between writers).
fn read_jpeg(path: &Path) -> Result<Option<Jpeg>> {
    let bytes = std::fs::read(path).map_err(|e| anyhow!("{e}"))?;
    let mut i = 2;
    if bytes.get(..2) != Some(&[0xFF, 0xD8]) {
        return Err(anyhow!("not a JPEG file"));
    }
    // Walk the marker segments to the frame header (SOF0..SOF15 except
    // DHT, JPG and DAC).
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return Ok(None);
        }
        let marker = bytes[i + 1];
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        let is_sof = (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            let seg = bytes.get(i + 4..i + 2 + len).unwrap_or(&[]);
            if seg.len() < 6 {
                return Ok(None);
            }
            let precision = seg[0];
            let height = u32::from(u16::from_be_bytes([seg[1], seg[2]]));
            let width = u32::from(u16::from_be_bytes([seg[3], seg[4]]));
            let components = seg[5];
            let usable = precision == 8 && matches!(components, 1 | 3) && width > 0 && height > 0;
            return Ok(usable.then_some(Jpeg {
                width,
                height,
                components,
                bytes,
            }));
        }
        i += 2 + len;
    }
    Ok(None)
}

fn decode_raster(path: &Path) -> Result<RawImage> {
    let img = image::open(path).map_err(|e| anyhow!("{e}"))?;
    let (width, height) = (img.width() as usize, img.height() as usize);
    let has_alpha = img.color().has_alpha();
    let (pixels, format) = if has_alpha {
        (img.into_rgba8().into_raw(), RawImageFormat::RGBA8)
    } else if img.color().has_color() {
        (img.into_rgb8().into_raw(), RawImageFormat::RGB8)
    } else {
        (img.into_luma8().into_raw(), RawImageFormat::R8)
    };
    Ok(RawImage {
        pixels: RawImageData::U8(pixels),
        width,
        height,
        data_format: format,
        tag: Vec::new(),
    })
}

/// Replaces the stand-ins of passed-through JPEGs with their own bytes.
pub fn swap_in_jpegs(
    doc: &mut lopdf::Document,
    images: &Images,
    pages: &[lopdf::ObjectId],
) -> Result<()> {
    use lopdf::{Dictionary, Object, Stream};
    if images.list.iter().all(|i| i.jpeg.is_none()) {
        return Ok(());
    }
    // Resource name -> object, from the pages' XObject dictionaries.
    let mut by_name = std::collections::HashMap::new();
    for &page in pages {
        let Ok(resources) = doc
            .get_dictionary(page)
            .and_then(|p| p.get(b"Resources"))
            .cloned()
        else {
            continue;
        };
        let resources = match resources {
            Object::Reference(r) => doc.get_dictionary(r).cloned().unwrap_or_default(),
            Object::Dictionary(d) => d,
            _ => continue,
        };
        let xobjects = match resources.get(b"XObject") {
            Ok(Object::Reference(r)) => doc.get_dictionary(*r).cloned().unwrap_or_default(),
            Ok(Object::Dictionary(d)) => d.clone(),
            _ => continue,
        };
        for (name, obj) in xobjects.iter() {
            if let Object::Reference(r) = obj {
                by_name.insert(name.clone(), *r);
            }
        }
    }
    for (i, image) in images.list.iter().enumerate() {
        let Some(jpeg) = &image.jpeg else { continue };
        let name = super::write::image_id(i).0.into_bytes();
        let Some(&id) = by_name.get(&name) else {
            continue;
        };
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"XObject".to_vec()));
        dict.set("Subtype", Object::Name(b"Image".to_vec()));
        dict.set("Width", Object::Integer(i64::from(jpeg.width)));
        dict.set("Height", Object::Integer(i64::from(jpeg.height)));
        let space: &[u8] = if jpeg.components == 1 {
            b"DeviceGray"
        } else {
            b"DeviceRGB"
        };
        dict.set("ColorSpace", Object::Name(space.to_vec()));
        dict.set("BitsPerComponent", Object::Integer(8));
        dict.set("Filter", Object::Name(b"DCTDecode".to_vec()));
        let stream = Stream::new(dict, jpeg.bytes.clone()).with_compression(false);
        doc.objects.insert(id, Object::Stream(stream));
    }
    Ok(())
}
