//! The disk cache of processed PDF images and compressed font programs
//! (`dist/.folio-cache/`): a cold, a warm and a damaged cache give the same
//! PDF; an edited image, nested SVG or font is never served stale;
//! `--no-cache` and `check` write none; `clean` removes it.

use super::common;
use super::harness::{Run, Site};
use std::path::{Path, PathBuf};

const CACHE: &str = "dist/.folio-cache";
const ENTRIES: &str = "dist/.folio-cache/pdf-images";
const FONTS: &str = "dist/.folio-cache/pdf-fonts";

/// An RGBA PNG (decoded, so cached; a plain RGB one would pass through)
/// in `shade`, half transparent.
fn png(shade: u8) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(40, 30, |x, _| {
        image::Rgba([shade, 255 - shade, 90, if x < 20 { 255 } else { 120 }])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    img.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

/// An SVG of `fill` with text in Noto Sans, and a nested SVG file.
fn svg(fill: &str) -> String {
    format!(
        "<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink' width='200' height='80'>\
         <rect width='200' height='80' fill='{fill}'/>\
         <text x='10' y='50' font-family='Noto Sans' font-size='30'>Folio</text>\
         <image x='150' y='10' width='40' height='40' xlink:href='inner.svg'/></svg>"
    )
}

fn inner(fill: &str) -> String {
    format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='40' height='40'><circle cx='20' cy='20' r='18' fill='{fill}'/></svg>"
    )
}

/// A PDF-only book with a PNG and an SVG, its fonts folder the site's own
/// (a copy of the built-in Noto Sans, to edit).
fn site() -> Site {
    let site = Site::empty();
    let root = common::root();
    site.config(&format!(
        "fonts: fonts\ntemplates: {}\nstatic: static\nbooks:\n  b:\n    title: Book\n    language: en\n    formats: [pdf]\n    pages: [page.md]\n",
        root.join("templates").display()
    ));
    site.write(
        "content/page.md",
        "---\ntitle: Page\n---\n\nA photo:\n\n![A photo](/images/photo.png)\n\nA logo:\n\n![A logo](/images/logo.svg)\n",
    );
    site.write("static/images/photo.png", png(30));
    site.write("static/images/logo.svg", svg("#c0e0ff"));
    site.write("static/images/inner.svg", inner("#803000"));
    let font = std::fs::read(root.join("fonts/NotoSans-Regular.ttf")).unwrap();
    site.write("fonts/NotoSans-Regular.ttf", font);
    site
}

fn pdf(site: &Site) -> Vec<u8> {
    std::fs::read(site.path("dist/b.pdf")).unwrap()
}

fn build(site: &Site, args: &[&str]) -> Run {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let run = site.run(&all);
    run.assert_code(0);
    run
}

/// The cache's image entries, by path, with their bytes.
fn entries(site: &Site) -> Vec<(PathBuf, Vec<u8>)> {
    entries_in(site, ENTRIES)
}

/// The entries of the cache's folder `folder`, by path, with their bytes.
fn entries_in(site: &Site, folder: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(site.path(folder))
        .map(|dir| {
            dir.flatten()
                .map(|e| (e.path(), std::fs::read(e.path()).unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

/// The PDF a build with no cache at all writes (into another folder).
fn uncached(site: &Site) -> Vec<u8> {
    build(site, &["--no-cache", "--out", "fresh"]);
    assert!(!site.path("fresh/.folio-cache").exists());
    std::fs::read(site.path("fresh/b.pdf")).unwrap()
}

#[test]
fn cold_warm_and_damaged_caches_give_the_same_pdf() {
    let site = site();
    build(&site, &[]);
    let cold = pdf(&site);
    let written = entries(&site);
    // The PNG and the SVG (drawn once, at its printed width).
    assert_eq!(written.len(), 2, "two entries");
    assert!(cold == uncached(&site), "cold cache and no cache");

    build(&site, &[]);
    assert!(pdf(&site) == cold, "warm cache");
    assert!(entries(&site) == written, "hits leave entries as they are");

    // Damaged: one entry cut short, the other garbage of the same length.
    let (first, second) = (&written[0], &written[1]);
    std::fs::write(&first.0, &first.1[..first.1.len() / 2]).unwrap();
    std::fs::write(&second.0, vec![0xA5; second.1.len()]).unwrap();
    build(&site, &[]);
    assert!(pdf(&site) == cold, "damaged entries");
    assert!(entries(&site) == written, "damaged entries are rewritten");

    // A byte flipped in the pixels, past the header.
    let mut flipped = first.1.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x40;
    std::fs::write(&first.0, &flipped).unwrap();
    build(&site, &[]);
    assert!(pdf(&site) == cold, "flipped byte");
    assert!(entries(&site) == written, "entries rewritten");

    // An entry that is a link to a file outside, holding a good entry:
    // never followed, and replaced by a file of its own.
    entry_linked_outside_is_replaced(&site, first, &cold);
    assert!(entries(&site) == written, "entries rewritten");
}

/// Replaces cache entry `entry` by a link to a copy of it outside, builds,
/// and checks the link was never followed and was replaced by a file of
/// its own: the PDF is still `cold`, the copy untouched.
fn entry_linked_outside_is_replaced(site: &Site, (path, bytes): &(PathBuf, Vec<u8>), cold: &[u8]) {
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("entry");
    std::fs::write(&target, bytes).unwrap();
    std::fs::remove_file(path).unwrap();
    std::os::unix::fs::symlink(&target, path).unwrap();
    build(site, &[]);
    assert!(pdf(site) == cold, "entry linked outside");
    let meta = std::fs::symlink_metadata(path).unwrap();
    assert!(meta.is_file(), "the link was replaced by an entry");
    assert!(
        std::fs::read(&target).unwrap() == *bytes,
        "outside untouched"
    );
}

/// Moves the cache's folder `folder` into `outside` (a file of the user's
/// put in it at `mine`) and links it back, builds, and checks the link was
/// neither read nor written through: the PDF is still `cold`. Returns the
/// moved folder and what it holds.
fn folder_linked_outside_is_left_alone(
    site: &Site,
    folder: &str,
    (outside, mine): (&Path, &str),
    cold: &[u8],
) -> (PathBuf, Vec<(PathBuf, Vec<u8>)>) {
    let moved = outside.join(Path::new(folder).file_name().unwrap());
    std::fs::rename(site.path(folder), &moved).unwrap();
    std::fs::write(moved.join(mine), "a file of the user's").unwrap();
    let before = listing(&moved);
    std::os::unix::fs::symlink(&moved, site.path(folder)).unwrap();
    build(site, &[]);
    assert!(pdf(site) == cold, "same PDF through a linked folder");
    assert!(
        listing(&moved) == before,
        "nothing written through the link"
    );
    (moved, before)
}

#[test]
fn a_cache_folder_that_is_a_link_is_neither_read_nor_written() {
    let site = site();
    build(&site, &[]);
    let cold = pdf(&site);
    // The cache moved outside and linked back: its entries are good, but
    // a link in the output folder may lead anywhere.
    let outside = tempfile::tempdir().unwrap();
    let (moved, before) = folder_linked_outside_is_left_alone(
        &site,
        CACHE,
        (outside.path(), "pdf-images/mine"),
        &cold,
    );
    // `clean` removes the link, not what it leads to.
    site.run(&["clean"]).assert_code(0);
    assert!(std::fs::symlink_metadata(site.path(CACHE)).is_err());
    assert!(listing(&moved) == before, "clean leaves the outside alone");
}

#[test]
fn font_programs_cold_warm_damaged_or_linked_give_the_same_pdf() {
    let site = site();
    build(&site, &[]);
    let cold = pdf(&site);
    let written = entries_in(&site, FONTS);
    assert!(!written.is_empty(), "a font program per face");
    assert!(cold == uncached(&site), "cold cache and no cache");

    build(&site, &[]);
    assert!(pdf(&site) == cold, "warm cache");
    assert!(
        entries_in(&site, FONTS) == written,
        "hits leave entries alone"
    );

    // Each entry damaged: cut short, garbage of its length, a byte of the
    // program flipped, by turns.
    for (i, (path, bytes)) in written.iter().enumerate() {
        let mut bad = bytes.clone();
        match i % 3 {
            0 => bad.truncate(bytes.len() / 2),
            1 => bad.fill(0xA5),
            _ => *bad.last_mut().unwrap() ^= 0x40,
        }
        std::fs::write(path, bad).unwrap();
    }
    build(&site, &[]);
    assert!(pdf(&site) == cold, "damaged entries");
    assert!(
        entries_in(&site, FONTS) == written,
        "damaged entries rewritten"
    );

    // An entry that is a link to a good entry outside: never followed, and
    // replaced by a file of its own.
    entry_linked_outside_is_replaced(&site, &written[0], &cold);

    // The programs' folder moved outside and linked back: neither read
    // nor written.
    let outside = tempfile::tempdir().unwrap();
    folder_linked_outside_is_left_alone(&site, FONTS, (outside.path(), "mine"), &cold);
}

/// Each file under `dir` with its bytes.
fn listing(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(listing(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out.sort();
    out
}

/// A change made to the site.
type Edit = Box<dyn Fn(&Site)>;

#[test]
fn edited_images_nested_files_and_fonts_are_not_served_stale() {
    let site = site();
    build(&site, &[]);
    let mut last = pdf(&site);
    let edits: [(&str, Edit); 4] = [
        (
            "the PNG",
            Box::new(|s: &Site| {
                s.write("static/images/photo.png", png(200));
            }),
        ),
        (
            "the SVG",
            Box::new(|s: &Site| {
                s.write("static/images/logo.svg", svg("#ffe0c0"));
            }),
        ),
        (
            "the SVG nested in it",
            Box::new(|s: &Site| {
                s.write("static/images/inner.svg", inner("#003080"));
            }),
        ),
        (
            "the font of the SVG's text",
            Box::new(|s: &Site| {
                let other = common::root().join("fonts/NotoSansMono-Regular.ttf");
                s.write("fonts/NotoSans-Regular.ttf", std::fs::read(other).unwrap());
            }),
        ),
    ];
    for (what, edit) in edits {
        edit(&site);
        build(&site, &[]);
        let now = pdf(&site);
        assert!(now != last, "{what}: the edit changes the PDF");
        assert!(now == uncached(&site), "{what}: as built without a cache");
        last = now;
    }
}

#[test]
fn no_cache_and_check_write_none_and_clean_removes_it() {
    let site = site();
    build(&site, &["--no-cache"]);
    assert!(site.path("dist/b.pdf").exists());
    assert!(!site.path(CACHE).exists(), "--no-cache writes no cache");
    site.run(&["check"]).assert_code(0);
    assert!(!site.path(CACHE).exists(), "check writes nothing");

    build(&site, &[]);
    let written = entries(&site);
    assert_eq!(written.len(), 2);
    let programs = entries_in(&site, FONTS).len();
    assert!(programs > 0, "a font program per face");
    let run = site.run(&["clean", "--dry-run"]);
    run.assert_code(0);
    for (path, _) in &written {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(run.stderr.contains(&name), "{name} listed:\n{}", run.stderr);
    }
    assert!(site.path(CACHE).is_dir(), "a dry run removes nothing");
    // The PDF, two images and the programs.
    let removed = format!("removed {} files", 3 + programs);
    site.run(&["clean"])
        .assert_code(0)
        .assert_stderr(&[removed.as_str()]);
    assert!(!site.path(CACHE).exists(), "clean removes the cache");
    assert!(!site.path("dist/b.pdf").exists());
}
