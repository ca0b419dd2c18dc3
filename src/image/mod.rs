//! Images, shared by the assets pass and every backend: where a reference
//! leads ([`resolve`]), what a file is from its bytes ([`format`]), raster
//! headers and decoding within the limits ([`raster`]), scaling down for
//! the EPUB ([`shrink`]), SVG loading with every reference contained
//! ([`svg`]), drawing SVG within a pixel budget ([`draw`]), and a memo of
//! conversions for watch mode ([`memo`]).
//!
//! The assets pass [`inspect`]s each image once and warns about it once;
//! an image refused there reaches the backends as a missing image, which
//! they show as a placeholder. The backends apply the same limits again
//! when they decode, so a file that changed in between cannot slip past.

mod cost;
pub mod draw;
pub mod format;
pub mod memo;
pub mod raster;
pub mod resolve;
mod scan;
pub mod shrink;
pub mod svg;

use crate::model::{Asset, AssetFormat};
use std::path::{Path, PathBuf};
use svg::{Skipped, SvgLoader};

/// What [`inspect`] found about one image file.
#[derive(Debug, Default)]
pub struct Inspection {
    /// Why the image cannot be used at all, if it cannot.
    pub refused: Option<String>,
    /// References inside an SVG that were left out.
    pub skipped: Vec<Skipped>,
}

/// Checks that `asset` can be drawn within the limits: a raster image
/// (PNG, JPEG, GIF, WebP, known by its bytes) by its file size and
/// header, an SVG by loading it (every reference in it resolved or left
/// out) and fitting it to the pixel budget.
pub fn inspect(asset: &Asset, loader: &SvgLoader) -> Inspection {
    let limits = loader.limits();
    match asset.format {
        AssetFormat::Svg => match loader.load(&asset.path) {
            Ok(svg) => Inspection {
                // The scale a large figure is drawn at; what cannot be
                // drawn there within the limits cannot be drawn anywhere.
                refused: draw::fit(&svg.tree, nominal_scale(&svg.tree), limits).err(),
                skipped: svg.skipped,
            },
            Err(why) => Inspection {
                refused: Some(why.to_string()),
                skipped: Vec::new(),
            },
        },
        AssetFormat::Other => Inspection {
            refused: Some("is not a PNG, JPEG, GIF, WebP or SVG image".into()),
            skipped: Vec::new(),
        },
        _ => Inspection {
            refused: raster::check_file(&asset.path, limits)
                .err()
                .map(|e| e.to_string()),
            skipped: Vec::new(),
        },
    }
}

/// Pixels per unit that make the longer side of `tree` 2000 pixels.
fn nominal_scale(tree: &resvg::usvg::Tree) -> f64 {
    let size = tree.size();
    2000.0 / f64::from(size.width().max(size.height()))
}

/// Where a warning about a file in the static root points: the static
/// folder as the user named it (`content/`), joined with the file's path
/// in the site, so the location reads like every other one.
pub fn display_path(file: &Path, static_root: Option<&Path>, static_dir: &Path) -> PathBuf {
    match static_root.and_then(|root| file.strip_prefix(root).ok()) {
        Some(rel) => static_dir.join(rel),
        None => file.to_path_buf(),
    }
}

/// The warning for a reference an SVG left out, located at the SVG file.
pub fn skipped_warning(
    skipped: &Skipped,
    static_root: Option<&Path>,
    static_dir: &Path,
) -> crate::diag::Diagnostic {
    let (location, name) = match &skipped.file {
        Some(file) => (
            display_path(file, static_root, static_dir),
            resolve::site_path(file, static_root),
        ),
        None => (PathBuf::from("<svg>"), "<svg>".to_string()),
    };
    crate::diag::Diagnostic::warning(
        location,
        skipped.line,
        format!(
            "SVG image `{name}` refers to `{}`, which {}: left out",
            skipped.href, skipped.why
        ),
    )
}
