//! SVG images, loaded one way for the assets pass and both backends.
//!
//! usvg, left to itself, opens any path an `<image>` or `<feImage>` names
//! (`/etc/passwd`, `../../x.svg`) relative to the working directory. Here
//! every such `href` goes through [`super::resolve`] with the static root's
//! containment rules, raster images inside SVG are not read at all (resvg
//! is built without them, so they would not be drawn anyway), SVG inside
//! SVG (by file or data URL) is limited to `limits.svg_depth` levels with
//! cycles cut, and the elements of all of them together to
//! `limits.svg_elements`. Whatever is left out is listed in
//! [`Svg::skipped`]; the caller decides whom to tell.
//!
//! usvg follows nothing else: `<use>` and `url(#...)` only reach inside
//! the document, `<style>` `@import` and `@font-face` are ignored, and the
//! XML parser loads no external entity. Text is set only in the fonts
//! given to [`SvgLoader::new`], never the system's.

use super::raster::{self, Unusable};
use super::resolve::{self, Refused};
use super::scan;
use crate::diag::Diagnostics;
use crate::limits::Limits;
use crate::shipped::Blob;
use resvg::usvg::{self, ImageKind, fontdb, roxmltree};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

/// Family names the templates and SVG files use for the generic families.
const SERIF: &str = "Noto Serif";
const SANS: &str = "Noto Sans";
const MONO: &str = "Noto Sans Mono";

/// A font database of every face there is for SVG text: folio's built-in
/// fonts, each replaced by the fonts folder's file of the same name, plus
/// the folder's other faces (see [`crate::shipped::faces`]). Unreadable
/// project fonts are left out with a warning.
pub fn load_fonts(fonts_dir: &Path, diags: &mut Diagnostics) -> Arc<fontdb::Database> {
    font_db(
        crate::shipped::faces(fonts_dir, diags)
            .into_iter()
            .map(|face| face.bytes),
    )
}

/// A font database of exactly `faces` (font files' bytes, shared, not
/// copied), with the generic families set to the built-in Noto faces.
pub fn font_db(faces: impl IntoIterator<Item = Blob>) -> Arc<fontdb::Database> {
    let mut db = fontdb::Database::new();
    for face in faces {
        db.load_font_source(fontdb::Source::Binary(face.shared()));
    }
    db.set_serif_family(SERIF);
    db.set_sans_serif_family(SANS);
    db.set_monospace_family(MONO);
    Arc::new(db)
}

/// Something an SVG refers to that was left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The SVG file holding the reference (`None`: SVG text not from a file).
    pub file: Option<PathBuf>,
    /// The line of the referring element in `file`; 0 when unknown.
    pub line: u32,
    /// The reference as written (long data URLs shortened).
    pub href: String,
    pub why: String,
}

/// A loaded SVG and what it referred to that was left out.
pub struct Svg {
    pub tree: usvg::Tree,
    pub skipped: Vec<Skipped>,
    /// The files nested in it that were read, with the SHA-256 of the
    /// bytes read, in order (for a cache of its drawings).
    pub read: Vec<(PathBuf, [u8; 32])>,
}

/// Loads SVG images; cheap to clone.
#[derive(Clone)]
pub struct SvgLoader {
    shared: Arc<Shared>,
}

struct Shared {
    fonts: Arc<fontdb::Database>,
    /// Canonical; `None` when the static root does not exist (every file
    /// reference is then refused).
    static_root: Option<PathBuf>,
    limits: Limits,
}

impl SvgLoader {
    /// A loader drawing text in `fonts` and reading referenced files only
    /// inside `static_dir`.
    pub fn new(fonts: Arc<fontdb::Database>, static_dir: &Path, limits: Limits) -> SvgLoader {
        SvgLoader {
            shared: Arc::new(Shared {
                fonts,
                static_root: static_dir.canonicalize().ok(),
                limits,
            }),
        }
    }

    /// The static root, canonical.
    pub fn static_root(&self) -> Option<&Path> {
        self.shared.static_root.as_deref()
    }

    /// The limits this loader applies.
    pub fn limits(&self) -> &Limits {
        &self.shared.limits
    }

    /// Loads the SVG file at `path` (a canonical path, normally found by
    /// [`resolve::locate`]); relative references resolve beside it.
    pub fn load(&self, path: &Path) -> Result<Svg, Unusable> {
        let data = raster::read_file(path, &self.shared.limits)?;
        self.load_data(path, &data)
    }

    /// As [`SvgLoader::load`], for a file already read.
    pub fn load_data(&self, path: &Path, data: &[u8]) -> Result<Svg, Unusable> {
        let frame = Frame::top(Some(path), self.static_root());
        self.parse(frame, data)
    }

    /// Parses SVG text that is not a file of the site (the cover
    /// template): only site-absolute references can resolve.
    pub fn parse_text(&self, text: &str) -> Result<Svg, Unusable> {
        self.parse(Frame::top(None, None), text.as_bytes())
    }

    fn parse(&self, frame: Frame, data: &[u8]) -> Result<Svg, Unusable> {
        let session = Arc::new(Session {
            shared: self.shared.clone(),
            skipped: Mutex::new(Vec::new()),
            elements: Mutex::new(0),
            read: Mutex::new(Vec::new()),
        });
        let tree = session
            .parse(frame, data)
            .map_err(|why| Unusable::Broken(format!("cannot be drawn: {why}")))?;
        let skipped = std::mem::take(
            &mut *session
                .skipped
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        let read =
            std::mem::take(&mut *session.read.lock().unwrap_or_else(PoisonError::into_inner));
        Ok(Svg {
            tree,
            skipped,
            read,
        })
    }
}

/// One top-level load: what it left out, and the elements made so far by
/// it and every SVG nested in it.
struct Session {
    shared: Arc<Shared>,
    skipped: Mutex<Vec<Skipped>>,
    elements: Mutex<u64>,
    /// Files nested SVG came from, and the digest of what was read.
    read: Mutex<Vec<(PathBuf, [u8; 32])>>,
}

/// Where an SVG document sits in the nesting.
#[derive(Clone)]
struct Frame {
    /// The file references are reported against.
    file: Option<PathBuf>,
    /// Its folder, relative to the static root (`None`: outside it, so
    /// relative references cannot resolve).
    dir: Option<PathBuf>,
    /// 0 for the image itself, 1 for an SVG inside it, ...
    depth: usize,
    /// The files from the top down to this one, to cut cycles.
    chain: Vec<PathBuf>,
    /// The line of each `href` in `file`.
    lines: HashMap<String, u32>,
    /// For SVG from a data URL: the line of that URL in `file`.
    line: Option<u32>,
}

impl Frame {
    fn top(file: Option<&Path>, static_root: Option<&Path>) -> Frame {
        let dir = match (file, static_root) {
            (Some(file), Some(root)) => file
                .parent()
                .and_then(|p| p.strip_prefix(root).ok())
                .map(Path::to_path_buf),
            // Text of no file (the cover template): relative to the root.
            (None, _) => Some(PathBuf::new()),
            (Some(_), None) => None,
        };
        Frame {
            file: file.map(Path::to_path_buf),
            dir,
            depth: 0,
            chain: file.map(Path::to_path_buf).into_iter().collect(),
            lines: HashMap::new(),
            line: None,
        }
    }

    fn line_of(&self, href: &str) -> u32 {
        self.line
            .or_else(|| self.lines.get(href).copied())
            .or_else(|| {
                // usvg hands data URLs over decoded; find the written one.
                let mime = href.strip_prefix("data:")?.split([',', ';']).next()?;
                let prefix = format!("data:{mime}");
                self.lines
                    .iter()
                    .filter(|(h, _)| h.starts_with(&prefix))
                    .map(|(_, l)| *l)
                    .min()
            })
            .unwrap_or(0)
    }
}

impl Session {
    fn limits(&self) -> &Limits {
        &self.shared.limits
    }

    /// Parses one SVG document (the image or one nested in it).
    fn parse(self: &Arc<Self>, mut frame: Frame, data: &[u8]) -> Result<usvg::Tree, String> {
        let text = std::str::from_utf8(data).map_err(|_| {
            if data.starts_with(&[0x1f, 0x8b]) {
                "it is compressed (SVGZ), which folio does not read".to_string()
            } else {
                "it is not UTF-8 text".to_string()
            }
        })?;
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        };
        let doc = roxmltree::Document::parse_with_options(text, options)
            .map_err(|e| format!("invalid XML: {e}"))?;
        let scan = scan::scan(&doc)?;
        {
            let mut total = self.elements.lock().unwrap_or_else(PoisonError::into_inner);
            *total = total.saturating_add(scan.elements);
            if *total > self.limits().svg_elements {
                return Err(format!(
                    "it makes more than {} elements, counting the copies `<use>` and markers make, nested SVG images, and text by its characters (limits.svg_elements)",
                    self.limits().svg_elements
                ));
            }
        }
        frame.lines = scan.href_lines;
        let options = self.options(Arc::new(frame));
        usvg::Tree::from_xmltree(&doc, &options).map_err(|e| e.to_string())
    }

    /// usvg options whose every external reference comes back here.
    fn options(self: &Arc<Self>, frame: Arc<Frame>) -> usvg::Options<'static> {
        let mut options = usvg::Options {
            font_family: SANS.to_string(),
            fontdb: self.shared.fonts.clone(),
            ..usvg::Options::default()
        };
        options.font_resolver.select_font = sans_fallback();
        let (session, at) = (self.clone(), frame.clone());
        options.image_href_resolver.resolve_string =
            Box::new(move |href, _| session.resolve_file(&at, href));
        let session = self.clone();
        options.image_href_resolver.resolve_data =
            Box::new(move |mime, data, _| session.resolve_data(&frame, mime, &data));
        options
    }

    /// An `href` that is not a data URL: a file inside the static root.
    fn resolve_file(self: &Arc<Self>, frame: &Frame, href: &str) -> Option<ImageKind> {
        if let Some(why) = self.too_deep(frame) {
            return self.skip(frame, href, why);
        }
        let (Some(root), Some(dir)) = (&self.shared.static_root, &frame.dir) else {
            let why = if href.trim_start().starts_with('/') {
                Refused::NotFound
            } else {
                Refused::Escapes
            };
            return self.skip(frame, href, why.to_string());
        };
        let path = match resolve::locate_href(href, root, dir) {
            Ok(path) => path,
            Err(why) => return self.skip(frame, href, why.to_string()),
        };
        let site = resolve::site_path(&path, Some(root));
        if frame.chain.contains(&path) {
            return self.skip(frame, href, format!("leads back to `{site}` (a cycle)"));
        }
        let is_svg = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
        if !is_svg {
            return self.skip(
                frame,
                href,
                "is not an SVG image (folio draws no raster images inside SVG images)".into(),
            );
        }
        let data = match raster::read_file(&path, self.limits()) {
            Ok(data) => data,
            Err(why) => return self.skip(frame, href, why.to_string()),
        };
        {
            use sha2::Digest;
            let digest = sha2::Sha256::digest(&data).into();
            let mut read = self.read.lock().unwrap_or_else(PoisonError::into_inner);
            read.push((path.clone(), digest));
        }
        let mut chain = frame.chain.clone();
        chain.push(path.clone());
        let nested = Frame {
            dir: path
                .parent()
                .and_then(|p| p.strip_prefix(root).ok())
                .map(Path::to_path_buf),
            file: Some(path),
            depth: frame.depth + 1,
            chain,
            lines: HashMap::new(),
            line: None,
        };
        match self.parse(nested, &data) {
            Ok(tree) => Some(ImageKind::SVG(tree)),
            Err(why) => self.skip(frame, href, format!("cannot be drawn: {why}")),
        }
    }

    /// A data URL: SVG is parsed one level deeper; raster images are left
    /// out as they would not be drawn.
    fn resolve_data(self: &Arc<Self>, frame: &Frame, mime: &str, data: &[u8]) -> Option<ImageKind> {
        let href = format!("data:{mime},...");
        let raster = matches!(
            mime,
            "image/png" | "image/jpeg" | "image/jpg" | "image/gif" | "image/webp"
        ) || raster::dimensions(std::io::Cursor::new(data)).is_ok_and(|d| d.is_some());
        if raster {
            return self.skip(
                frame,
                &href,
                "is a raster image (folio draws no raster images inside SVG images)".into(),
            );
        }
        if mime != "image/svg+xml" && mime != "text/plain" {
            return self.skip(frame, &href, "is not an image folio can draw".into());
        }
        if let Some(why) = self.too_deep(frame) {
            return self.skip(frame, &href, why);
        }
        let nested = Frame {
            depth: frame.depth + 1,
            line: Some(frame.line_of(&href)),
            lines: HashMap::new(),
            ..frame.clone()
        };
        match self.parse(nested, data) {
            Ok(tree) => Some(ImageKind::SVG(tree)),
            Err(why) => self.skip(frame, &href, format!("cannot be drawn: {why}")),
        }
    }

    fn too_deep(&self, frame: &Frame) -> Option<String> {
        (frame.depth >= self.limits().svg_depth).then(|| {
            format!(
                "nests SVG images more than {} deep (limits.svg_depth)",
                self.limits().svg_depth
            )
        })
    }

    /// Records a reference left out (once per file and reference: usvg
    /// asks again for every copy a `<use>` makes).
    fn skip(&self, frame: &Frame, href: &str, why: String) -> Option<ImageKind> {
        let shown: String = if href.chars().count() > 160 {
            href.chars().take(157).chain("...".chars()).collect()
        } else {
            href.to_string()
        };
        let skipped = Skipped {
            file: frame.file.clone(),
            line: frame.line_of(href),
            href: shown,
            why,
        };
        let mut all = self.skipped.lock().unwrap_or_else(PoisonError::into_inner);
        if !all
            .iter()
            .any(|s| s.file == skipped.file && s.href == skipped.href)
        {
            all.push(skipped);
        }
        None
    }
}

/// usvg's font selection, except that text asking only for fonts folio
/// does not ship (`DejaVu Sans`, `Open Sans`...) gets the sans-serif face
/// rather than usvg's serif fallback: text in logos and diagrams from the
/// web is nearly always sans.
fn sans_fallback() -> usvg::FontSelectionFn<'static> {
    let default = usvg::FontResolver::default_font_selector();
    Box::new(move |font, db| {
        let available = font.families().iter().any(|family| match family {
            usvg::FontFamily::Named(name) => db.faces().any(|face| {
                face.families
                    .iter()
                    .any(|(n, _)| n.eq_ignore_ascii_case(name))
            }),
            _ => true,
        });
        if available {
            return default(font, db);
        }
        let style = match font.style() {
            usvg::FontStyle::Normal => fontdb::Style::Normal,
            usvg::FontStyle::Italic => fontdb::Style::Italic,
            usvg::FontStyle::Oblique => fontdb::Style::Oblique,
        };
        let query = fontdb::Query {
            families: &[fontdb::Family::SansSerif],
            weight: fontdb::Weight(font.weight()),
            stretch: fontdb::Stretch::Normal,
            style,
        };
        db.query(&query).or_else(|| default(font, db))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = "xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"";

    fn site(files: &[(&str, String)]) -> (tempfile::TempDir, SvgLoader) {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let loader = SvgLoader::new(
            Arc::new(fontdb::Database::new()),
            dir.path(),
            Limits::default(),
        );
        (dir, loader)
    }

    fn nested(tree: &usvg::Tree) -> usize {
        fn walk(g: &usvg::Group) -> usize {
            g.children()
                .iter()
                .map(|n| match n {
                    usvg::Node::Group(g) => walk(g),
                    usvg::Node::Image(i) => match i.kind() {
                        ImageKind::SVG(t) => 1 + walk(t.root()),
                        _ => 1,
                    },
                    _ => 0,
                })
                .sum()
        }
        walk(tree.root())
    }

    #[test]
    fn nested_files_resolve_beside_each_svg() {
        let (dir, loader) = site(&[
            (
                "a/top.svg",
                format!("<svg {NS}><image href=\"../b/mid.svg\" width=\"5\" height=\"5\"/></svg>"),
            ),
            (
                "b/mid.svg",
                format!("<svg {NS}>\n<image href=\"leaf.svg\" width=\"5\" height=\"5\"/></svg>"),
            ),
            (
                "b/leaf.svg",
                format!("<svg {NS}><rect width=\"5\" height=\"5\"/></svg>"),
            ),
        ]);
        let top = dir.path().join("a/top.svg").canonicalize().unwrap();
        let svg = loader.load(&top).unwrap();
        assert!(svg.skipped.is_empty(), "{:?}", svg.skipped);
        assert_eq!(nested(&svg.tree), 2);
    }

    #[test]
    fn refusals_name_the_file_and_line_that_refer() {
        let (dir, loader) = site(&[
            (
                "top.svg",
                format!("<svg {NS}><image href=\"mid.svg\" width=\"5\" height=\"5\"/></svg>"),
            ),
            (
                "mid.svg",
                format!(
                    "<svg {NS}>\n\n<image href=\"/../x.svg\" width=\"5\" height=\"5\"/>\n<image href=\"top.svg\" width=\"5\" height=\"5\"/></svg>"
                ),
            ),
        ]);
        let root = dir.path().canonicalize().unwrap();
        let svg = loader.load(&root.join("top.svg")).unwrap();
        let mid = Some(root.join("mid.svg"));
        assert_eq!(svg.skipped.len(), 2, "{:?}", svg.skipped);
        assert_eq!((&svg.skipped[0].file, svg.skipped[0].line), (&mid, 3));
        assert_eq!(svg.skipped[0].why, Refused::Escapes.to_string());
        assert_eq!((&svg.skipped[1].file, svg.skipped[1].line), (&mid, 4));
        assert!(svg.skipped[1].why.contains("a cycle"));
    }

    #[test]
    fn the_element_budget_covers_nested_files() {
        // Each file alone is within the budget; twenty copies are not.
        let many = format!("<svg {NS}>{}</svg>", "<rect/>".repeat(15_000));
        let top = format!(
            "<svg {NS}>{}</svg>",
            "<image href=\"many.svg\" width=\"1\" height=\"1\"/>".repeat(20)
        );
        let (dir, loader) = site(&[("top.svg", top), ("many.svg", many)]);
        let root = dir.path().canonicalize().unwrap();
        assert!(loader.load(&root.join("many.svg")).is_ok());
        let svg = loader.load(&root.join("top.svg")).unwrap();
        assert!(
            svg.skipped
                .iter()
                .any(|s| s.why.contains("limits.svg_elements")),
            "{:?}",
            svg.skipped
        );
    }
}
