//! What a PDF needs before its first page that the pages do not change:
//! the style file (parsed and checked), the font set and the image store
//! (with the SVG font database). [`EarlySetup`] makes it on a thread of
//! its own while the books load, which otherwise run on one core, and the
//! layout takes it when it starts; its warnings and its error come out
//! then, in the order a setup made in place gives them.

use super::fonts::FontSet;
use super::images::ImageStore;
use super::memo;
use super::style::Style;
use super::{PdfOptions, Purpose};
use crate::diag::Diagnostics;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

/// The setup of one layout: the warnings found so far, in order, then
/// what was made or the error that stopped it.
pub(super) struct Setup {
    pub diags: Diagnostics,
    pub ready: anyhow::Result<Ready>,
}

/// What the setup made.
pub(super) struct Ready {
    pub style: Style,
    pub fonts: Arc<FontSet>,
    pub store: Arc<ImageStore>,
}

impl Setup {
    /// The setup for a layout with `options`, for `purpose`, made here.
    pub fn make(options: &PdfOptions, purpose: Purpose) -> Setup {
        let mut diags = Diagnostics::default();
        let ready = ready(options, purpose, &mut diags);
        Setup { diags, ready }
    }
}

fn ready(options: &PdfOptions, purpose: Purpose, diags: &mut Diagnostics) -> anyhow::Result<Ready> {
    let style = Style::load(&options.resources.templates_dir)?;
    for warning in style.contrast_warnings() {
        diags.push(warning);
    }
    style.check_fonts(&options.resources.fonts_dir)?;
    if options.memo.is_some() {
        // `folio watch`: the memo keeps the font set and the images.
        let fonts = font_set(options, &style)?;
        let store = images_of(options, &style, purpose, diags);
        return Ok(Ready {
            style,
            fonts,
            store,
        });
    }
    // Every face is read once, for the SVG font database, and the style's
    // faces taken from there: its warnings said after the font set's error,
    // as when the font set was loaded first.
    let mut found = Diagnostics::default();
    let faces = crate::shipped::faces(&options.resources.fonts_dir, &mut found);
    let fonts = FontSet::load_read(&options.resources.fonts_dir, &style.fonts, &faces)?;
    diags.extend(found);
    let faces = faces.into_iter().map(|face| face.bytes).collect();
    let store = image_store(options, &style, purpose, faces);
    Ok(Ready {
        style,
        fonts: Arc::new(fonts),
        store: Arc::new(store),
    })
}

/// A PDF's setup started on a thread before its book is loaded (`folio
/// build`), taken by the first PDF written with the same options; the
/// other layouts make their own. Cloning shares it.
#[derive(Clone)]
pub struct EarlySetup(Arc<Mutex<Option<Started>>>);

/// The thread making the setup, and what it was started for.
struct Started {
    key: String,
    thread: JoinHandle<Setup>,
}

impl std::fmt::Debug for EarlySetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EarlySetup")
    }
}

impl EarlySetup {
    /// Starts the setup of a PDF written with `options` (no layout memo:
    /// `folio watch` keeps its fonts and images there already).
    pub fn start(options: &PdfOptions) -> Option<EarlySetup> {
        if options.memo.is_some() {
            return None;
        }
        let key = key(options);
        let mine = options.clone();
        let thread = std::thread::Builder::new()
            .name("pdf-setup".into())
            .spawn(move || Setup::make(&mine, Purpose::Write))
            .ok()?;
        Some(EarlySetup(Arc::new(Mutex::new(Some(Started {
            key,
            thread,
        })))))
    }

    /// The setup, when it was started for a layout with `options` for
    /// `purpose` and not taken yet; `None` otherwise (the layout makes
    /// its own).
    pub(super) fn take(&self, options: &PdfOptions, purpose: Purpose) -> Option<Setup> {
        if purpose != Purpose::Write || options.memo.is_some() {
            return None;
        }
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.as_ref()?.key != key(options) {
            return None;
        }
        let started = slot.take()?;
        drop(slot);
        Some(started.thread.join().unwrap_or_else(|_| Setup {
            diags: Diagnostics::default(),
            ready: Err(anyhow::anyhow!("the PDF setup stopped unexpectedly")),
        }))
    }
}

/// What a setup depends on among the options: the folders (and limits),
/// the image cache's folder.
fn key(options: &PdfOptions) -> String {
    let cache = options.disk_cache.as_ref().map(|c| c.out_dir());
    format!("{:?} {cache:?}", options.resources)
}

/// The style's font set: the memo's when it holds one loaded from the
/// same files, else loaded (and kept in the memo, if any).
fn font_set(options: &PdfOptions, style: &Style) -> anyhow::Result<Arc<FontSet>> {
    let fonts_dir = &options.resources.fonts_dir;
    let load = || FontSet::load(fonts_dir, &style.fonts);
    let what = format!("{:?}", style.fonts);
    let memo = options.memo.as_ref().zip(memo::digest(
        &[fonts_dir.as_os_str().as_encoded_bytes(), what.as_bytes()],
        None,
    ));
    match memo {
        Some((memo, key)) => memo.fonts(key, load),
        None => Ok(Arc::new(load()?)),
    }
}

/// The images of a layout for `purpose`: the memo's store when it holds
/// one for the same folders and purpose, else a new one (kept in the
/// memo, if any).
fn images_of(
    options: &PdfOptions,
    style: &Style,
    purpose: Purpose,
    diags: &mut Diagnostics,
) -> Arc<ImageStore> {
    let cache = options.disk_cache.as_ref().map(|c| c.out_dir());
    let what = format!(
        "{:?} {:?} {cache:?}",
        options.resources, style.figure.svg_dpi
    );
    let measure = [u8::from(purpose == Purpose::Measure)];
    let memo = options
        .memo
        .as_ref()
        .zip(memo::digest(&[what.as_bytes(), &measure], None));
    match memo {
        Some((memo, key)) => {
            memo.images(key, diags, |d| read_image_store(options, style, purpose, d))
        }
        None => Arc::new(read_image_store(options, style, purpose, diags)),
    }
}

/// [`image_store`] with every face read for it.
fn read_image_store(
    options: &PdfOptions,
    style: &Style,
    purpose: Purpose,
    diags: &mut Diagnostics,
) -> ImageStore {
    let faces = crate::shipped::faces(&options.resources.fonts_dir, diags)
        .into_iter()
        .map(|face| face.bytes)
        .collect();
    image_store(options, style, purpose, faces)
}

/// The images of a layout: SVG text is drawn with `faces`, every face
/// there is, as in the EPUB; decoded pixels are compressed only when
/// written.
fn image_store(
    options: &PdfOptions,
    style: &Style,
    purpose: Purpose,
    faces: Vec<crate::shipped::Blob>,
) -> ImageStore {
    // As `svg::load_fonts` (`faces`: every face there is), the faces kept
    // for the disk cache's keys.
    let svgs = crate::image::svg::SvgLoader::new(
        crate::image::svg::font_db(faces.iter().cloned()),
        &options.resources.static_dir,
        options.resources.limits,
    );
    let store = ImageStore::new(svgs, style.figure.svg_dpi);
    let store = match &options.disk_cache {
        Some(cache) => store.cached(Arc::clone(cache), faces),
        None => store,
    };
    match purpose {
        Purpose::Write => store,
        Purpose::Measure => store.measure_only(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Resources;

    fn options(root: &std::path::Path) -> PdfOptions {
        PdfOptions {
            resources: Resources {
                fonts_dir: root.join("fonts"),
                templates_dir: root.join("templates"),
                static_dir: root.join("static"),
                limits: crate::limits::Limits::default(),
            },
            paper: None,
            standard: None,
            threads: None,
            memo: None,
            disk_cache: None,
        }
    }

    #[test]
    fn taken_once_and_only_for_the_same_folders() {
        let dir = tempfile::tempdir().unwrap();
        let mine = options(dir.path());
        let early = EarlySetup::start(&mine).expect("started");
        let other = options(&dir.path().join("elsewhere"));
        assert!(early.take(&other, Purpose::Write).is_none());
        assert!(early.take(&mine, Purpose::Measure).is_none());
        let setup = early.take(&mine, Purpose::Write).expect("taken");
        let ready = setup.ready.expect("the built-in style and fonts");
        assert!(ready.fonts.face_count() > 0);
        assert!(early.take(&mine, Purpose::Write).is_none(), "taken once");
    }

    #[test]
    fn a_bad_style_is_the_same_error_as_in_place() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path()
                .join("templates")
                .join(super::super::style::STYLE_FILE),
            "page: [unclosed\n",
        )
        .unwrap();
        let mine = options(dir.path());
        let early = EarlySetup::start(&mine).expect("started");
        let taken = early.take(&mine, Purpose::Write).expect("taken");
        let here = Setup::make(&mine, Purpose::Write);
        let (Err(a), Err(b)) = (taken.ready, here.ready) else {
            panic!("a bad style file is an error");
        };
        assert_eq!(format!("{a:#}"), format!("{b:#}"));
        assert!(format!("{a:#}").contains(super::super::style::STYLE_FILE));
        assert_eq!(taken.diags.items.len(), here.diags.items.len());
    }

    #[test]
    fn a_project_face_read_once_is_the_one_the_pdf_uses() {
        let dir = tempfile::tempdir().unwrap();
        let fonts = dir.path().join("fonts");
        std::fs::create_dir(&fonts).unwrap();
        // The project's serif regular: the built-in sans regular's bytes.
        let sans = crate::shipped::Folder::Fonts
            .built_in("NotoSans-Regular.ttf")
            .expect("built in");
        std::fs::write(fonts.join("NotoSerif-Regular.ttf"), sans).unwrap();
        let setup = Setup::make(&options(dir.path()), Purpose::Write);
        let ready = setup.ready.expect("a usable font");
        let face = ready.fonts.face(0);
        assert_eq!(face.file, "NotoSerif-Regular.ttf");
        assert_eq!(&face.bytes[..], sans);
        // And as a font set loaded from the files alone.
        let alone = FontSet::load(&fonts, &ready.style.fonts).unwrap();
        assert_eq!(&alone.face(0).bytes[..], &face.bytes[..]);
    }

    #[test]
    fn a_bad_project_face_is_the_font_sets_error_not_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let fonts = dir.path().join("fonts");
        std::fs::create_dir(&fonts).unwrap();
        std::fs::write(fonts.join("NotoSerif-Regular.ttf"), b"not a font").unwrap();
        let setup = Setup::make(&options(dir.path()), Purpose::Write);
        let Err(e) = setup.ready else {
            panic!("a face that is not a font is an error");
        };
        let alone = FontSet::load(
            &fonts,
            &Style::load(&dir.path().join("templates")).unwrap().fonts,
        );
        let Err(alone) = alone else {
            panic!("the same error loading the font set alone");
        };
        assert_eq!(format!("{e:#}"), format!("{alone:#}"));
        assert!(format!("{e:#}").contains("NotoSerif-Regular.ttf"));
        assert!(setup.diags.items.is_empty(), "{:?}", setup.diags.items);
    }
}
