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
    pub raw: RawImage,
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
        let raw = match asset.format {
            AssetFormat::Png | AssetFormat::Jpeg => decode_raster(&asset.path)?,
            AssetFormat::Svg => self.rasterise(&asset.path, px)?,
            _ => return Err(anyhow!("this image format cannot go into a PDF")),
        };
        self.list.push(Image { raw });
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
