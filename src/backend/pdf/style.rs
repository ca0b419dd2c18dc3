//! The PDF style file (`templates/pdf-style.yaml`, else folio's built-in
//! copy): page size, margins, font files per role (each from the fonts
//! folder, else built in), sizes, leading, colours and the cover layout.
//! The look lives there, not in code; every struct denies unknown fields so
//! a typo is an error naming its line.

use crate::config::Paper;
use crate::diag::Diagnostic;
use crate::precheck::{self, Syntax};
use crate::shipped::{self, Folder};
use crate::yaml_spans::{At, YamlSpans, parse_typed};
use anyhow::Result;
use serde::Deserialize;
use std::path::{Path, PathBuf};

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
    /// How links print: coloured only, or with each external link's URL as
    /// a footnote too (`footnotes`: for paper).
    #[serde(default)]
    pub links: LinkPrint,
    /// The standards the file claims: PDF/A-2u, PDF/UA-1, both (when absent)
    /// or none.
    #[serde(default)]
    pub pdf: super::standard::PdfSection,
    /// Where each value is written, for messages.
    #[serde(skip)]
    locations: YamlSpans,
    /// The style file, for messages.
    #[serde(skip)]
    path: PathBuf,
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
    /// Paper beyond the trim on each side, for print (0: none). The media
    /// box grows by it, with crop marks in it at the corners.
    #[serde(default)]
    pub bleed: f32,
}

/// Font files (relative to the fonts folder) for each role.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontFiles {
    pub serif: FaceFiles,
    pub sans: FaceFiles,
    pub mono: FaceFiles,
    /// Font files tried, in order, for a character the wanted face lacks
    /// (after the shipped faces; relative to the fonts folder or built in).
    #[serde(default)]
    pub fallback: Vec<String>,
    /// Whether the system's fonts are the last fallback (scanned only when
    /// a character no other face has turns up). The one place folio reads
    /// files outside the project: off keeps a build to the project's roots.
    #[serde(default = "yes")]
    pub system_fallback: bool,
}

fn yes() -> bool {
    true
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
    /// A raster image is never printed larger than its pixels at this
    /// resolution (a small logo stays small); SVG scales freely.
    #[serde(default = "default_raster_dpi")]
    pub raster_dpi: f32,
    /// The box of a figure whose image is mostly white on transparency, so
    /// that it shows on white paper (`None`: no backdrop).
    #[serde(default)]
    pub backdrop: Option<FigureBox>,
    /// Boxes by the figure shortcode's `class` (the first listed class
    /// found here wins over the backdrop).
    #[serde(default)]
    pub classes: std::collections::BTreeMap<String, FigureBox>,
}

/// How links print (`links:`).
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LinkPrint {
    /// In the link colour, clickable; the target is not printed.
    #[default]
    Color,
    /// Also each external URL as a footnote, numbered after the page's own
    /// notes, at the foot of each page the link is on.
    Footnotes,
}

/// A box drawn around a figure's image.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FigureBox {
    /// Fill colour (#rrggbb); none when absent.
    #[serde(default)]
    pub background: Option<String>,
    /// Space between the image and the box's edge.
    #[serde(default)]
    pub padding: f32,
    /// Width of the border line; 0 for none.
    #[serde(default)]
    pub border: f32,
    /// Colour of the border (#rrggbb); the `rule` colour when absent.
    #[serde(default)]
    pub border_color: Option<String>,
}

fn default_raster_dpi() -> f32 {
    150.0
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
    /// Space between the last leader dot and the page number.
    #[serde(default = "default_leader_gap")]
    pub leader_gap: f32,
}

fn default_leader_gap() -> f32 {
    6.0
}

/// The cover page; distances from the top of the page, in points.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverStyle {
    /// The logo's `src` as written in the content (`/images/...`); found
    /// through the book's resolved figures.
    pub logo: Option<String>,
    /// The logo's box: it is fitted inside `logo_width` × `logo_height`,
    /// keeping its proportions (a wordmark by its width, a square or tall
    /// mark by its height), centred; the title goes below it.
    pub logo_width: f32,
    #[serde(default = "default_logo_height")]
    pub logo_height: f32,
    pub logo_top: f32,
    pub title_top: f32,
    pub title_size: f32,
    pub subtitle_size: f32,
    pub publisher_size: f32,
    /// Height of the accent band at the foot of the cover (0: none).
    pub band_height: f32,
}

/// A logo box as high as a square mark needs, for style files written
/// before `logo_height` existed.
fn default_logo_height() -> f32 {
    150.0
}

impl Style {
    /// Reads the style file: the templates folder's `pdf-style.yaml`, else
    /// the built-in one. Messages name the file read (`(built-in)
    /// templates/pdf-style.yaml` for folio's own).
    pub fn load(templates_dir: &Path) -> Result<Style> {
        let found =
            shipped::find(Folder::Templates, templates_dir, STYLE_FILE)?.ok_or_else(|| {
                Diagnostic::error(templates_dir.join(STYLE_FILE), 0, "no PDF style file")
            })?;
        Self::parse(found.text()?, &found.origin)
    }

    /// Parses style text; `path` is only used in messages. Every value is
    /// checked; an impossible one is an error at its line.
    pub fn parse(text: &str, path: &Path) -> Result<Style> {
        precheck::check(
            text,
            Syntax::Yaml,
            &crate::limits::Limits::default(),
            path,
            1,
            "the PDF style",
        )?;
        let (mut style, locations): (Style, YamlSpans) =
            parse_typed(text, path, "invalid PDF style")?;
        style.locations = locations;
        style.path = path.to_path_buf();
        style.check()?;
        Ok(style)
    }

    /// Every font file the style names is a file inside `fonts_dir`
    /// (symbolic links resolved) or one of folio's built-in fonts: errors
    /// name the style file's line.
    pub fn check_fonts(&self, fonts_dir: &Path) -> Result<()> {
        // A project without a fonts folder uses the built-in fonts only.
        let root = fonts_dir.canonicalize().ok();
        let families = [
            ("serif", &self.fonts.serif),
            ("sans", &self.fonts.sans),
            ("mono", &self.fonts.mono),
        ];
        for (i, file) in self.fonts.fallback.iter().enumerate() {
            if let Err(problem) = font_file(root.as_deref(), file) {
                let at = At::keys(&["fonts", "fallback"]).item(i);
                return Err(self
                    .error(&at, format!("font file `{file}` {problem}"))
                    .with_hint(format!(
                        "font files are named relative to the fonts folder {}",
                        fonts_dir.display()
                    ))
                    .into());
            }
        }
        for (family, faces) in families {
            let files = [
                ("regular", Some(&faces.regular)),
                ("bold", Some(&faces.bold)),
                ("italic", faces.italic.as_ref()),
                ("bold_italic", faces.bold_italic.as_ref()),
            ];
            for (face, file) in files {
                let Some(file) = file else { continue };
                let at = At::keys(&["fonts", family, face]);
                let problem = match font_file(root.as_deref(), file) {
                    Ok(()) => continue,
                    Err(problem) => problem,
                };
                return Err(self
                    .error(&at, format!("font file `{file}` {problem}"))
                    .with_hint(format!(
                        "font files are named relative to the fonts folder {}; folio's built-in ones are {}",
                        fonts_dir.display(),
                        built_in_faces()
                    ))
                    .into());
            }
        }
        Ok(())
    }

    /// Warnings for text colours whose contrast with what they are set on
    /// is below WCAG 2.1 AA (4.5:1), each at the line of the text colour:
    /// `text`, `link`, `heading` and `muted` on the white page, `text` on
    /// the code and table-header backgrounds, `muted` on the placeholder of
    /// a missing image. `accent` and `rule` draw rules and bands, not text.
    pub fn contrast_warnings(&self) -> Vec<Diagnostic> {
        let c = &self.colors;
        let white = "#ffffff";
        let pairs = [
            ("text", &c.text, "the page", white),
            ("link", &c.link, "the page", white),
            ("heading", &c.heading, "the page", white),
            ("muted", &c.muted, "the page", white),
            (
                "text",
                &c.text,
                "code_background",
                c.code_background.as_str(),
            ),
            (
                "text",
                &c.text,
                "table_header_background",
                c.table_header_background.as_str(),
            ),
            ("muted", &c.muted, "placeholder", c.placeholder.as_str()),
        ];
        let mut out = Vec::new();
        for (key, text, on, background) in pairs {
            let Some(ratio) = crate::contrast::text_ratio(text, background) else {
                continue;
            };
            if ratio >= crate::contrast::AA_TEXT {
                continue;
            }
            let mark = self.locations.value(&At::keys(&["colors", key]));
            out.push(
                Diagnostic::warning(
                    &self.path,
                    mark.line,
                    format!(
                        "colour `{key}` ({text}) on {on} ({background}) has a contrast of {ratio:.2}:1, below the 4.5:1 WCAG 2.1 AA asks of text"
                    ),
                )
                .with_column(mark.column)
                .with_hint("darken the text colour or lighten what it is set on"),
            );
        }
        out
    }

    /// The style file, as messages name it.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// An error at the value of `at`.
    fn error(&self, at: &At, message: String) -> Diagnostic {
        let mark = self.locations.value(at);
        Diagnostic::error(
            &self.path,
            mark.line,
            format!("invalid PDF style: {message}"),
        )
        .with_column(mark.column)
    }

    /// Values serde cannot check: sizes positive, lengths not negative,
    /// margins that leave a text area, colours that parse.
    fn check(&self) -> Result<()> {
        let mut c = Checks::default();
        self.check_page(&mut c);
        self.check_text(&mut c);
        self.check_blocks(&mut c);
        self.check_front(&mut c);
        let colors = &self.colors;
        for (key, color) in [
            ("text", &colors.text),
            ("heading", &colors.heading),
            ("accent", &colors.accent),
            ("link", &colors.link),
            ("muted", &colors.muted),
            ("rule", &colors.rule),
            ("code_background", &colors.code_background),
            ("table_header_background", &colors.table_header_background),
            ("placeholder", &colors.placeholder),
        ] {
            if parse_color(color).is_none() {
                c.fail(&["colors", key], format!("colour `{color}` is not #rrggbb"));
            }
        }
        match c.first {
            Some((at, message)) => Err(self.error(&at, message).into()),
            None => Ok(()),
        }
    }

    fn check_page(&self, c: &mut Checks) {
        let p = &self.page;
        for (key, v) in [
            ("margin_top", p.margin_top),
            ("margin_bottom", p.margin_bottom),
            ("margin_left", p.margin_left),
            ("margin_right", p.margin_right),
        ] {
            c.length(&["page", key], v);
        }
        // A printer's bleed is a few millimetres; 72 pt (an inch) is ample.
        c.range(&["page", "bleed"], p.bleed, 0.0, 72.0);
        // `--paper` may swap the paper: the margins must fit both.
        let (width, _) = paper_size(Paper::A4);
        let (_, height) = paper_size(Paper::Letter);
        // Blame the larger margin of the pair: most likely the mistake.
        if width - p.margin_left - p.margin_right < MIN_TEXT_WIDTH {
            let key = if p.margin_left >= p.margin_right {
                "margin_left"
            } else {
                "margin_right"
            };
            c.fail(
                &["page", key],
                format!(
                    "the left and right margins ({} + {} pt) leave less than {MIN_TEXT_WIDTH} pt of text width on A4 paper ({width} pt wide)",
                    p.margin_left, p.margin_right
                ),
            );
        }
        if height - p.margin_top - p.margin_bottom < MIN_TEXT_HEIGHT {
            let key = if p.margin_top >= p.margin_bottom {
                "margin_top"
            } else {
                "margin_bottom"
            };
            c.fail(
                &["page", key],
                format!(
                    "the top and bottom margins ({} + {} pt) leave less than {MIN_TEXT_HEIGHT} pt of text height on Letter paper ({height} pt high)",
                    p.margin_top, p.margin_bottom
                ),
            );
        }
    }

    fn check_text(&self, c: &mut Checks) {
        let b = &self.body;
        c.size(&["body", "size"], b.size);
        c.size(&["body", "leading"], b.leading);
        c.length(&["body", "paragraph_space"], b.paragraph_space);
        heading(c, At::keys(&["chapter"]), &self.chapter);
        if self.headings.is_empty() {
            c.fail(&["headings"], "`headings` needs at least one level".into());
        }
        for (i, h) in self.headings.iter().enumerate() {
            heading(c, At::keys(&["headings"]).item(i), h);
        }
        let f = &self.footnotes;
        c.size(&["footnotes", "size"], f.size);
        c.size(&["footnotes", "leading"], f.leading);
        let r = &self.running;
        c.size(&["running", "size"], r.size);
        c.length(&["running", "header_offset"], r.header_offset);
        c.length(&["running", "footer_offset"], r.footer_offset);
    }

    fn check_blocks(&self, c: &mut Checks) {
        let l = &self.lists;
        c.length(&["lists", "indent"], l.indent);
        c.length(&["lists", "item_space"], l.item_space);
        if l.bullets.is_empty() {
            c.fail(
                &["lists", "bullets"],
                "`bullets` needs at least one bullet".into(),
            );
        }
        c.length(&["quote", "indent"], self.quote.indent);
        c.length(&["quote", "rule_width"], self.quote.rule_width);
        let k = &self.code;
        c.size(&["code", "size"], k.size);
        c.size(&["code", "leading"], k.leading);
        c.length(&["code", "padding"], k.padding);
        c.range(&["code", "inline_scale"], k.inline_scale, 0.1, 4.0);
        let t = &self.table;
        c.size(&["table", "size"], t.size);
        c.size(&["table", "leading"], t.leading);
        c.length(&["table", "padding"], t.padding);
        c.length(&["table", "rule_width"], t.rule_width);
        let f = &self.figure;
        c.range(&["figure", "points_per_px"], f.points_per_px, 0.01, 10.0);
        c.range(&["figure", "raster_dpi"], f.raster_dpi, 1.0, 10_000.0);
        let boxes = f
            .backdrop
            .iter()
            .map(|b| (At::keys(&["figure", "backdrop"]), b))
            .chain(
                f.classes
                    .iter()
                    .map(|(name, b)| (At::keys(&["figure", "classes"]).key(name), b)),
            );
        for (at, b) in boxes {
            c.length_at(at.clone().key("padding"), b.padding);
            c.length_at(at.clone().key("border"), b.border);
            for (key, v) in [
                ("background", &b.background),
                ("border_color", &b.border_color),
            ] {
                if let Some(v) = v.as_deref().filter(|v| parse_color(v).is_none()) {
                    c.fail_at(at.clone().key(key), format!("colour `{v}` is not #rrggbb"));
                }
            }
        }
        c.range(
            &["figure", "max_height_ratio"],
            f.max_height_ratio,
            0.05,
            1.0,
        );
        c.size(&["figure", "caption_size"], f.caption_size);
        c.size(&["figure", "caption_leading"], f.caption_leading);
        // The raster size follows the dpi: bound it like image sizes.
        c.range(&["figure", "svg_dpi"], f.svg_dpi, 36.0, 1200.0);
    }

    fn check_front(&self, c: &mut Checks) {
        let t = &self.contents;
        c.size(&["contents", "chapter_size"], t.chapter_size);
        c.size(&["contents", "section_size"], t.section_size);
        c.size(&["contents", "leading"], t.leading);
        c.length(&["contents", "chapter_space"], t.chapter_space);
        c.length(&["contents", "section_indent"], t.section_indent);
        if t.depth > 6 {
            c.fail(
                &["contents", "depth"],
                format!("`depth` is {}; headings go down to level 6", t.depth),
            );
        }
        // Dots are drawn this far apart: a tiny step would draw millions.
        c.range(
            &["contents", "leader_spacing"],
            t.leader_spacing,
            1.0,
            100.0,
        );
        c.range(&["contents", "leader_gap"], t.leader_gap, 0.0, 100.0);
        let v = &self.cover;
        let (width, height) = paper_size(Paper::A4);
        c.range(&["cover", "logo_width"], v.logo_width, 1.0, width);
        c.range(&["cover", "logo_height"], v.logo_height, 1.0, height);
        c.range(&["cover", "logo_top"], v.logo_top, 0.0, height);
        c.range(&["cover", "title_top"], v.title_top, 0.0, height);
        c.size(&["cover", "title_size"], v.title_size);
        c.size(&["cover", "subtitle_size"], v.subtitle_size);
        c.size(&["cover", "publisher_size"], v.publisher_size);
        c.range(&["cover", "band_height"], v.band_height, 0.0, height);
    }
}

/// The smallest text area folio lays pages out in, in points.
const MIN_TEXT_WIDTH: f32 = 72.0;
const MIN_TEXT_HEIGHT: f32 = 144.0;
/// Largest font size or leading; beyond it no line fits on a page.
const MAX_SIZE: f32 = 300.0;
/// Largest length (space, indent, margin): more than any paper is long.
const MAX_LENGTH: f32 = 2000.0;

fn heading(c: &mut Checks, at: At, h: &HeadingStyle) {
    c.size_at(at.clone().key("size"), h.size);
    c.size_at(at.clone().key("leading"), h.leading);
    c.length_at(at.clone().key("space_before"), h.space_before);
    c.length_at(at.key("space_after"), h.space_after);
}

/// The first impossible value found, and where.
#[derive(Default)]
struct Checks {
    first: Option<(At, String)>,
}

impl Checks {
    fn fail(&mut self, keys: &[&str], message: String) {
        self.fail_at(At::keys(keys), message);
    }

    fn fail_at(&mut self, at: At, message: String) {
        if self.first.is_none() {
            self.first = Some((at, message));
        }
    }

    /// A font size or leading: above 0, at most [`MAX_SIZE`].
    fn size(&mut self, keys: &[&str], v: f32) {
        self.size_at(At::keys(keys), v);
    }

    fn size_at(&mut self, at: At, v: f32) {
        if !(v > 0.0 && v <= MAX_SIZE) {
            let key = last_key(&at);
            self.fail_at(
                at,
                format!("`{key}` is {v}; it must be above 0 and at most {MAX_SIZE}"),
            );
        }
    }

    /// A space, indent or margin: 0 or more, at most [`MAX_LENGTH`].
    fn length(&mut self, keys: &[&str], v: f32) {
        self.length_at(At::keys(keys), v);
    }

    fn length_at(&mut self, at: At, v: f32) {
        if !(0.0..=MAX_LENGTH).contains(&v) {
            let key = last_key(&at);
            self.fail_at(
                at,
                format!("`{key}` is {v}; it must be 0 or more, at most {MAX_LENGTH}"),
            );
        }
    }

    fn range(&mut self, keys: &[&str], v: f32, low: f32, high: f32) {
        if !(low..=high).contains(&v) {
            let key = keys.last().copied().unwrap_or_default();
            self.fail(
                keys,
                format!("`{key}` is {v}; it must be from {low} to {high}"),
            );
        }
    }
}

fn last_key(at: &At) -> String {
    at.last_key().unwrap_or_default()
}

/// Why `file` is neither a font file inside the (resolved) fonts folder
/// `root` (`None`: the project has none) nor a built-in font.
fn font_file(root: Option<&Path>, file: &str) -> std::result::Result<(), &'static str> {
    if crate::config::leaves_root(Path::new(file)).is_some() {
        return Err("is not a file inside the fonts folder");
    }
    let real = root.and_then(|root| root.join(file).canonicalize().ok().map(|r| (root, r)));
    match real {
        Some((root, real)) if !real.starts_with(root) => {
            Err("is a symbolic link to a file outside the fonts folder")
        }
        Some((_, real)) if real.is_file() => Ok(()),
        Some(_) => Err("is not a file"),
        None if Folder::Fonts.built_in(file).is_some() => Ok(()),
        None => {
            Err("does not exist in the fonts folder, and folio has no built-in font of that name")
        }
    }
}

/// The built-in font faces' names, for messages.
fn built_in_faces() -> String {
    Folder::Fonts
        .built_ins()
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| name.ends_with(".ttf"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `#rrggbb` to RGB in 0..=1.
pub fn parse_color(s: &str) -> Option<[f32; 3]> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let channel = |i: usize| {
        u8::from_str_radix(hex.get(i..i + 2)?, 16)
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
#[path = "style_tests.rs"]
mod tests;
