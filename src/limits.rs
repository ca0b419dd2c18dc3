//! Bounds on what one input may cost. No page, image or config, however
//! large or deep, may abort folio or make it run away in time or memory;
//! these are the numbers that keep it so. Each can be changed under
//! `limits:` in `folio.yaml` (see the README's "Security model").

use serde::{Deserialize, Deserializer, Serialize};

/// The highest `nesting` folio accepts. Measured on the release build, 20
/// pages on the 2 MB parsing threads: 2 000 levels of lists build, 3 000
/// overflow a stack; this keeps a margin of two.
pub const MAX_NESTING: usize = 1000;

/// The smallest `epub_image_max` folio accepts: below it, pictures turn
/// into smudges.
pub const MIN_EPUB_IMAGE_MAX: u32 = 64;

/// The limits of one build. `Default` gives the values a site needs with
/// room to spare; raising them is at the user's own risk of memory use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Deepest nesting of blocks (quotes, lists, HTML elements, paired
    /// shortcodes) and of inlines kept in the model. Deeper content is
    /// flattened into the deepest allowed level, with one warning per page.
    /// Also the deepest sections nest in a book's navigation (deeper ones
    /// are listed at that depth, with a warning).
    /// At most [`MAX_NESTING`]: the walks of the model recurse once per
    /// level, and pages are parsed on threads with 2 MB stacks.
    #[serde(deserialize_with = "nesting")]
    pub nesting: usize,
    /// Largest front matter, in bytes, handed to the YAML/TOML parser.
    pub front_matter_bytes: usize,
    /// Deepest nesting of collections in front matter.
    pub front_matter_depth: usize,
    /// Largest raster image folio decodes or draws, in pixels (width ×
    /// height); bigger images are refused with a warning and a placeholder.
    pub image_pixels: u64,
    /// Longest side of a raster image folio decodes or draws, in pixels.
    pub image_side: u32,
    /// Largest image file (raster or SVG) folio reads, in bytes.
    pub image_bytes: u64,
    /// Deepest chain of SVG images inside SVG images (by file or data URL).
    pub svg_depth: usize,
    /// Most elements one SVG image may make, counting the copies `<use>`
    /// and markers make and every SVG nested in it. Text counts by its
    /// layout time: a character as 25 elements or more.
    pub svg_elements: u64,
    /// Most pixels drawing one SVG image may paint, counting every shape,
    /// layer, pattern tile and filter pass by its area: a bound on time.
    /// An SVG that needs more is drawn smaller, or refused.
    pub svg_work: u64,
    /// Most languages a Hugo site's configuration may list: each is a book
    /// of its own, read and written apart.
    pub languages: usize,
    /// Most bytes folio reads from the site's data folder (all its JSON,
    /// YAML and TOML files together) and from one widget template.
    pub data_bytes: u64,
    /// Most work one widget template render may do (minijinja's fuel: about
    /// one unit per instruction); a template that needs more stops with a
    /// warning.
    pub template_fuel: u64,
    /// Most QR codes (Hugo's `qr` shortcode) one page may draw: each takes
    /// about a millisecond to encode and draw. Past it, their text is shown,
    /// with one warning per page.
    pub qr_codes: usize,
    /// Longest side, in pixels, of a raster image in the EPUB: a larger
    /// one is scaled down (Catmull-Rom), JPEG kept as JPEG, others as PNG.
    /// Reading systems gain nothing from more; the PDF keeps every pixel.
    /// At least [`MIN_EPUB_IMAGE_MAX`].
    #[serde(deserialize_with = "epub_image_max")]
    pub epub_image_max: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            nesting: 64,
            front_matter_bytes: 1 << 20,
            front_matter_depth: 64,
            // 40 megapixels: a 5312×2988 photo is 16; RGBA at this size is 160 MB.
            image_pixels: 40_000_000,
            image_side: 16_384,
            // A 40-megapixel photo is about 20 MB as JPEG.
            image_bytes: 64 << 20,
            svg_depth: 4,
            // Detailed maps have tens of thousands; logos a few hundred.
            svg_elements: 200_000,
            // About half a second of resvg's time on one core.
            svg_work: 400_000_000,
            // Multilingual sites run to a few dozen.
            languages: 250,
            // xmpp.org's data folder is 124 KB.
            data_bytes: 32 << 20,
            // A list of a few thousand entries takes some 100 000.
            template_fuel: 20_000_000,
            // A page has one or two; a printed sheet of codes, a few dozen.
            qr_codes: 100,
            // A 2560-pixel side fills a high-density tablet screen.
            epub_image_max: 2560,
        }
    }
}

/// `nesting`, refused above [`MAX_NESTING`] (the error names its line).
fn nesting<'de, D: Deserializer<'de>>(de: D) -> Result<usize, D::Error> {
    let n = usize::deserialize(de)?;
    if n > MAX_NESTING {
        return Err(serde::de::Error::custom(format!(
            "limits.nesting is {n}, more than the {MAX_NESTING} levels folio can walk safely"
        )));
    }
    Ok(n)
}

/// `epub_image_max`, refused below [`MIN_EPUB_IMAGE_MAX`].
fn epub_image_max<'de, D: Deserializer<'de>>(de: D) -> Result<u32, D::Error> {
    let n = u32::deserialize(de)?;
    if n < MIN_EPUB_IMAGE_MAX {
        return Err(serde::de::Error::custom(format!(
            "limits.epub_image_max is {n}, less than the {MIN_EPUB_IMAGE_MAX} pixels a picture needs"
        )));
    }
    Ok(n)
}
