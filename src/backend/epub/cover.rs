//! The cover: `templates/epub/cover.svg` filled with the book's title,
//! subtitle, publisher and logo, drawn to PNG by resvg with the project's
//! fonts, plus the cover page that shows it.

use super::raster;
use super::templates::{self, Templates};
use crate::diag::Diagnostics;
use crate::model::BookMeta;
use anyhow::Result;
use base64::Engine;
use resvg::usvg::fontdb;
use serde::Serialize;
use std::path::Path;
use std::sync::Arc;

/// Cover size in pixels: 2:3, large enough for store listings.
pub(crate) const WIDTH: u32 = 1200;
pub(crate) const HEIGHT: u32 = 1800;

/// An SVG logo is drawn this wide (or high) before it goes on the cover.
const LOGO_MAX_SIDE: u32 = 900;

/// Characters per line, roughly what fits at the template's font sizes.
const TITLE_COLUMNS: usize = 17;
const SUBTITLE_COLUMNS: usize = 36;

#[derive(Serialize)]
struct CoverContext<'a> {
    width: u32,
    height: u32,
    logo: Option<minijinja::Value>,
    title_lines: Vec<String>,
    subtitle_lines: Vec<String>,
    publisher: Option<&'a str>,
    book: &'a BookMeta,
}

/// The cover image as PNG.
pub(crate) fn render_image(
    meta: &BookMeta,
    logo: Option<&Path>,
    templates: &Templates,
    fonts: &Arc<fontdb::Database>,
    diags: &mut Diagnostics,
) -> Result<Vec<u8>> {
    let logo = logo.and_then(|path| logo_data_url(path, fonts, diags));
    let context = CoverContext {
        width: WIDTH,
        height: HEIGHT,
        // A data URL is safe in an attribute as it is; marking it safe keeps
        // the escaper from copying a large string for nothing.
        logo: logo.map(minijinja::Value::from_safe_string),
        title_lines: wrap(&meta.title, TITLE_COLUMNS),
        subtitle_lines: meta
            .subtitle
            .as_deref()
            .map(|s| wrap(s, SUBTITLE_COLUMNS))
            .unwrap_or_default(),
        publisher: meta.publisher.as_deref().filter(|p| !p.trim().is_empty()),
        book: meta,
    };
    let svg = templates.render(templates::COVER_SVG, &context)?;
    let options = raster::svg_options(fonts, None);
    raster::svg_to_png(svg.as_bytes(), &options, WIDTH.max(HEIGHT), 1.0).map_err(|e| {
        anyhow::anyhow!(
            "cannot draw the EPUB cover from {}: {e:#}",
            templates::COVER_SVG
        )
    })
}

/// Text that stands for the cover image.
pub(crate) fn alt_text(meta: &BookMeta) -> String {
    match meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(subtitle) => format!("Cover: {}. {subtitle}", meta.title),
        None => format!("Cover: {}", meta.title),
    }
}

/// The logo file as a `data:` URL for the cover SVG's `<image>`; `None`
/// with a warning when it cannot be read or is not SVG, PNG or JPEG.
fn logo_data_url(
    path: &Path,
    fonts: &Arc<fontdb::Database>,
    diags: &mut Diagnostics,
) -> Option<String> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.warn(
                path,
                0,
                format!("cannot read the cover logo ({e}); the cover has none"),
            );
            return None;
        }
    };
    let (mime, bytes) = if bytes.starts_with(b"\x89PNG") {
        ("image/png", bytes)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        ("image/jpeg", bytes)
    } else if String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).contains("<svg") {
        // An SVG nested in the cover SVG costs resvg three times as much
        // to draw as the same logo drawn first and placed as a bitmap.
        let options = raster::svg_options(fonts, path.parent());
        match raster::svg_to_png(&bytes, &options, LOGO_MAX_SIDE, f32::MAX) {
            Ok(png) => ("image/png", png),
            Err(e) => {
                diags.push(
                    crate::diag::Diagnostic::warning(
                        path,
                        0,
                        "cannot draw the cover logo; the cover has none",
                    )
                    .with_cause(format!("{e:#}")),
                );
                return None;
            }
        }
    } else {
        diags.warn(
            path,
            0,
            "the cover logo is not SVG, PNG or JPEG; the cover has none",
        );
        return None;
    };
    let data = base64::engine::general_purpose::STANDARD.encode(&bytes);
    Some(format!("data:{mime};base64,{data}"))
}

/// `text` in lines of about `columns` characters, breaking between words.
fn wrap(text: &str, columns: usize) -> Vec<String> {
    textwrap::wrap(text.trim(), columns)
        .into_iter()
        .map(|line| line.into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_subtitles_wrap() {
        let lines = wrap(
            "An offline booklet on the Extensible Messaging and Presence Protocol",
            SUBTITLE_COLUMNS,
        );
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(lines.iter().all(|l| l.chars().count() <= SUBTITLE_COLUMNS));
    }
}
