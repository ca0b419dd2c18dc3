//! The PDF style file (`templates/pdf-style.yaml`): page size, margins, font
//! files per role, sizes, leading, colours and the cover layout. The look
//! lives there, not in code; every struct denies unknown fields so a typo is
//! an error naming its line.

use crate::config::Paper;
use crate::diag::Diagnostic;
use anyhow::Result;
use serde::Deserialize;
use std::path::Path;

/// The style file's name inside the templates folder.
pub const STYLE_FILE: &str = "pdf-style.yaml";

/// The whole style.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Style {
    pub page: PageStyle,
    pub fonts: FontFiles,
    pub colors: Colors,
    pub body: TextStyle,
    /// Chapter titles (a page's title), at the top of a new page.
    pub chapter: HeadingStyle,
    /// Headings in the body by level: `#` is the first entry; deeper levels
    /// than listed use the last one.
    pub headings: Vec<HeadingStyle>,
    pub lists: ListStyle,
    pub quote: QuoteStyle,
    pub code: CodeStyle,
    pub table: TableStyle,
    pub figure: FigureStyle,
    pub footnotes: FootnoteStyle,
    pub running: RunningStyle,
    pub contents: ContentsStyle,
    pub cover: CoverStyle,
}

/// Paper and margins, in points.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageStyle {
    pub paper: Paper,
    pub margin_top: f32,
    pub margin_bottom: f32,
    pub margin_left: f32,
    pub margin_right: f32,
}

/// Font files (relative to the fonts folder) for each role.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontFiles {
    pub serif: FaceFiles,
    pub sans: FaceFiles,
    pub mono: FaceFiles,
}

/// The four styles of one family. A missing italic is synthesised by slanting
/// the upright face.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaceFiles {
    pub regular: String,
    pub bold: String,
    pub italic: Option<String>,
    pub bold_italic: Option<String>,
}

/// Colours as `#rrggbb`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Colors {
    pub text: String,
    pub heading: String,
    pub accent: String,
    pub link: String,
    pub muted: String,
    pub rule: String,
    pub code_background: String,
    pub table_header_background: String,
    pub placeholder: String,
}

/// Which family a piece of text is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FamilyName {
    Serif,
    Sans,
    Mono,
}

/// Body text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextStyle {
    pub family: FamilyName,
    pub size: f32,
    pub leading: f32,
    /// Space after a paragraph.
    pub paragraph_space: f32,
    /// Hyphenate words at line ends (in the book's language).
    pub hyphenate: bool,
}

/// A heading level.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadingStyle {
    pub family: FamilyName,
    pub bold: bool,
    pub size: f32,
    pub leading: f32,
    pub space_before: f32,
    pub space_after: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListStyle {
    /// Indent of each nesting level.
    pub indent: f32,
    /// Space between items.
    pub item_space: f32,
    /// Bullet characters by nesting depth (cycled).
    pub bullets: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteStyle {
    pub indent: f32,
    pub rule_width: f32,
    pub italic: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeStyle {
    pub size: f32,
    pub leading: f32,
    pub padding: f32,
    /// Relative size of inline code against the surrounding text.
    pub inline_scale: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableStyle {
    pub family: FamilyName,
    pub size: f32,
    pub leading: f32,
    pub padding: f32,
    pub rule_width: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureStyle {
    /// CSS pixels per point for `width="400"` attributes (0.75 = 96 dpi).
    pub points_per_px: f32,
    /// Largest share of the page's text height an image may take.
    pub max_height_ratio: f32,
    pub caption_size: f32,
    pub caption_leading: f32,
    /// Resolution SVGs are rasterised at, for the size they are printed.
    pub svg_dpi: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FootnoteStyle {
    /// Heading of the notes at the end of each chapter.
    pub title: String,
    pub size: f32,
    pub leading: f32,
}

/// Running header and footer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunningStyle {
    pub family: FamilyName,
    pub size: f32,
    /// Distance of the header baseline above the text area.
    pub header_offset: f32,
    /// Distance of the footer baseline below the text area.
    pub footer_offset: f32,
}

/// The table of contents.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentsStyle {
    pub title: String,
    pub family: FamilyName,
    pub chapter_size: f32,
    pub section_size: f32,
    pub leading: f32,
    pub chapter_space: f32,
    pub section_indent: f32,
    /// Deepest body heading level listed (0: chapters only).
    pub depth: u8,
    pub leader_spacing: f32,
}

/// The cover page; distances from the top of the page, in points.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverStyle {
    /// The logo's `src` as written in the content (`/images/...`); found
    /// through the book's resolved figures.
    pub logo: Option<String>,
    pub logo_width: f32,
    pub logo_top: f32,
    pub title_top: f32,
    pub title_size: f32,
    pub subtitle_size: f32,
    pub publisher_size: f32,
    /// Height of the accent band at the foot of the cover (0: none).
    pub band_height: f32,
}

impl Style {
    /// Reads the style file from the templates folder.
    pub fn load(templates_dir: &Path) -> Result<Style> {
        let path = templates_dir.join(STYLE_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error(&path, 0, "cannot read the PDF style file")
                .with_cause(e)
                .with_hint("the templates folder must hold pdf-style.yaml")
        })?;
        Self::parse(&text, &path)
    }

    /// Parses style text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Style> {
        let style: Style = serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = e
                .location()
                .map(|l| (l.line() as u32, l.column() as u32))
                .unwrap_or((0, 0));
            let msg = e.to_string();
            let cause = match msg.rfind(" at line ") {
                Some(i) => msg[..i].to_string(),
                None => msg,
            };
            Diagnostic::error(path, line, "invalid PDF style")
                .with_column(column)
                .with_cause(cause)
        })?;
        style.check(path)?;
        Ok(style)
    }

    /// Values serde cannot check: sizes must be positive, colours parse.
    fn check(&self, path: &Path) -> Result<()> {
        let bad = |what: &str| -> anyhow::Error {
            Diagnostic::error(path, 0, format!("invalid PDF style: {what}")).into()
        };
        if self.headings.is_empty() {
            return Err(bad("`headings` needs at least one level"));
        }
        for size in [
            self.body.size,
            self.body.leading,
            self.code.size,
            self.table.size,
        ] {
            if !(size > 0.0 && size < 500.0) {
                return Err(bad("font sizes and leading must be positive"));
            }
        }
        let c = &self.colors;
        for color in [
            &c.text,
            &c.heading,
            &c.accent,
            &c.link,
            &c.muted,
            &c.rule,
            &c.code_background,
            &c.table_header_background,
            &c.placeholder,
        ] {
            if parse_color(color).is_none() {
                return Err(bad(&format!("colour `{color}` is not #rrggbb")));
            }
        }
        Ok(())
    }
}

/// `#rrggbb` to RGB in 0..=1.
pub fn parse_color(s: &str) -> Option<[f32; 3]> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let channel = |i: usize| {
        u8::from_str_radix(&hex[i..i + 2], 16)
            .ok()
            .map(|v| f32::from(v) / 255.0)
    };
    Some([channel(0)?, channel(2)?, channel(4)?])
}

/// A colour known to parse (checked when the style was loaded).
pub fn color(s: &str) -> [f32; 3] {
    parse_color(s).unwrap_or([0.0, 0.0, 0.0])
}

/// Page width and height in points.
pub fn paper_size(paper: Paper) -> (f32, f32) {
    match paper {
        Paper::A4 => (595.276, 841.89),
        Paper::Letter => (612.0, 792.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_style_parses() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let style = Style::load(&dir).unwrap();
        assert_eq!(style.page.paper, Paper::A4);
    }

    #[test]
    fn typo_names_line() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let text = std::fs::read_to_string(dir.join(STYLE_FILE)).unwrap();
        let text = text.replacen("margin_top:", "margin_tpo:", 1);
        let err = Style::parse(&text, Path::new("pdf-style.yaml")).unwrap_err();
        let d = err.downcast_ref::<Diagnostic>().unwrap();
        assert!(d.line > 0, "{d}");
        assert!(
            d.cause.as_deref().unwrap_or("").contains("margin_tpo"),
            "{d}"
        );
    }

    #[test]
    fn colors() {
        assert_eq!(parse_color("#ff0000"), Some([1.0, 0.0, 0.0]));
        assert_eq!(parse_color("red"), None);
    }
}
