//! SVG images read nothing outside the static root: every `href` they
//! hold resolves through folio's own resolver, or is not opened at all.
//! Each case puts a secret (a text file and an SVG painted in a colour no
//! other picture uses) outside the project and asserts the build warns,
//! names the SVG by its site path and the href, succeeds, and leaves the
//! secret's bytes and colour out of every output, and (where strace is
//! installed) that the secret is never opened nor even stat'ed.
use super::common;
use super::harness::*;
use std::path::{Path, PathBuf};

/// What an outside SVG is painted with; must appear in no output.
pub const OUTSIDE: [u8; 3] = [0x13, 0x57, 0x9b];
/// What SVGs inside the static root are painted with (positive controls).
pub const INSIDE: [u8; 3] = [0x2e, 0x8b, 0x57];

/// A page with one figure, the image to test, with alt text.
pub const FIGURE_PAGE: &str = "---\ntitle: Page\n---\n\nHello.\n\n![The picture](/images/x.svg)\n";

/// Secrets outside any project: a text file and an SVG.
pub struct Outside {
    _dir: tempfile::TempDir,
    pub secret: PathBuf,
    pub marker: String,
    pub svg: PathBuf,
}

impl Outside {
    pub fn new() -> Outside {
        let (dir, secret, marker) = secret();
        let svg = dir.path().join("outside.svg");
        std::fs::write(&svg, filled(OUTSIDE, &marker)).unwrap();
        let svg = svg.canonicalize().unwrap();
        Outside {
            _dir: dir,
            secret,
            marker,
            svg,
        }
    }

    /// The folder both secrets are in.
    pub fn dir(&self) -> &Path {
        self.svg.parent().unwrap()
    }
}

/// An SVG filled with `rgb`, with `text` in it.
pub fn filled(rgb: [u8; 3], text: &str) -> String {
    svg(&format!(
        "<rect width=\"100\" height=\"100\" fill=\"{}\"/><text y=\"50\">{text}</text>",
        hex(rgb)
    ))
}

/// An SVG document 100 × 100 around `body`.
pub fn svg(body: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"100\" height=\"100\">\n{body}\n</svg>\n"
    )
}

pub fn hex(rgb: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])
}

/// `<image>` elements, one per line, each 100 × 100.
pub fn images(hrefs: &[&str]) -> String {
    hrefs
        .iter()
        .map(|h| format!("<image href=\"{h}\" width=\"100\" height=\"100\"/>"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A project whose page shows `content/images/x.svg` as a figure, with
/// the book's cover logo set to `logo` if given.
pub fn figure_site(x_svg: &str, logo: Option<&str>) -> Site {
    let site = Site::new();
    let mut config = book_config("[page.md]");
    if let Some(logo) = logo {
        config.push_str(&format!("    logo: {logo}\n"));
    }
    site.config(&config);
    site.write("content/page.md", FIGURE_PAGE);
    site.write("content/images/x.svg", x_svg);
    site
}

/// Whether a raster image in the PDF has a run of pixels of `rgb`.
pub fn pdf_has_colour(site: &Site, rgb: [u8; 3]) -> bool {
    let bytes = std::fs::read(site.path("dist/b.pdf")).expect("the PDF");
    let doc = lopdf::Document::load_mem(&bytes).expect("a readable PDF");
    let run: Vec<u8> = rgb.repeat(3);
    let name = |s: &lopdf::Stream, key: &[u8], value: &[u8]| matches!(s.dict.get(key), Ok(lopdf::Object::Name(n)) if n == value);
    doc.objects.values().any(|obj| match obj {
        lopdf::Object::Stream(s)
            if name(s, b"Subtype", b"Image") && name(s, b"ColorSpace", b"DeviceRGB") =>
        {
            let data = s
                .decompressed_content()
                .unwrap_or_else(|_| s.content.clone());
            data.windows(run.len()).any(|w| w == run.as_slice())
        }
        _ => false,
    })
}

/// Whether a PNG in the EPUB has a pixel of `rgb`.
pub fn epub_has_colour(site: &Site, rgb: [u8; 3]) -> bool {
    use std::io::Read;
    let bytes = std::fs::read(site.path("dist/b.epub")).expect("the EPUB");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a readable EPUB");
    (0..zip.len()).any(|i| {
        let mut entry = zip.by_index(i).unwrap();
        if !entry.name().ends_with(".png") {
            return false;
        }
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        let image = image::load_from_memory(&data).expect("a PNG").to_rgba8();
        image.pixels().any(|p| p.0[..3] == rgb && p.0[3] == u8::MAX)
    })
}

/// The PDF's text, by pdftotext; `None` after a visible skip line (a
/// failure under CI) where poppler is not installed.
pub fn pdf_text(site: &Site) -> Option<String> {
    let tools = common::validators(&["pdftotext"], "PDF placeholder text not checked")?;
    let out = tools
        .get("pdftotext")
        .command()
        .arg(site.path("dist/b.pdf"))
        .arg("-")
        .output()
        .expect("run pdftotext");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Asserts that no traced call of `args` touched any of `paths` (opened,
/// stat'ed: reading a symlink inside the project that names one is fine)
/// and that nothing connected to the network.
pub fn assert_untouched(site: &Site, args: &[&str], paths: &[&Path]) {
    let Some(calls) = traced_calls(site, args) else {
        return;
    };
    for path in paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let hits: Vec<_> = calls
            .iter()
            .filter(|l| l.contains(&name))
            .filter(|l| {
                // `PID  call(...)`: the pid is padded to a width.
                let call = l.split_once(' ').map_or(l.as_str(), |(_, rest)| rest);
                // With threads, strace splits a call in two: its
                // `<unfinished ...>` start and `<... readlink resumed>`.
                let call = call.trim_start();
                !(call.starts_with("readlink") || call.starts_with("<... readlink resumed>"))
            })
            .collect();
        assert!(hits.is_empty(), "{} was touched: {hits:#?}", path.display());
    }
    let net: Vec<_> = calls.iter().filter(|l| l.contains("connect(")).collect();
    assert!(net.is_empty(), "network connections: {net:#?}");
}

/// Builds `site` (success expected, with every warning of `needles`), then
/// asserts nothing of `out` reached an output or was touched.
pub fn assert_contained(site: &Site, out: &Outside, needles: &[&str]) -> Run {
    let run = site.run(&["build"]);
    run.assert_code(0).assert_stderr(needles);
    assert!(
        !site.outputs_contain(out.marker.as_bytes()),
        "the secret's bytes are in an output"
    );
    assert!(
        !pdf_has_colour(site, OUTSIDE),
        "the outside SVG is drawn in the PDF"
    );
    assert!(
        !epub_has_colour(site, OUTSIDE),
        "the outside SVG is drawn in the EPUB"
    );
    assert_untouched(site, &["build"], &[&out.secret, &out.svg]);
    run
}

/// The warning about `href` in the SVG at site path `svg`.
fn refers(svg: &str, href: &str) -> String {
    format!("SVG image `{svg}` refers to `{href}`, which")
}

#[test]
fn absolute_filesystem_paths_are_not_opened() {
    let out = Outside::new();
    let secret = out.secret.display().to_string();
    let outside = out.svg.display().to_string();
    let x = svg(&images(&[&secret, &outside, "/etc/passwd"]));
    let site = figure_site(&x, None);
    let run = assert_contained(
        &site,
        &out,
        &[
            &format!(
                "{} is not found in the static root",
                refers("/images/x.svg", &secret)
            ),
            &format!(
                "{} is not found in the static root",
                refers("/images/x.svg", &outside)
            ),
            &refers("/images/x.svg", "/etc/passwd"),
        ],
    );
    // The warning points at the SVG line holding the href.
    run.assert_located("content/images/x.svg", Some(2));
}

#[test]
fn dotdot_escapes_are_not_opened() {
    let out = Outside::new();
    // From content/images/ up to / and down to the secret.
    let up = "../".repeat(20);
    let to_svg = format!(
        "{up}{}",
        out.svg.display().to_string().trim_start_matches('/')
    );
    let to_secret = format!(
        "{up}{}",
        out.secret.display().to_string().trim_start_matches('/')
    );
    let encoded = format!("%2e%2e/%2E%2E/{}", to_svg.replace('/', "%2f"));
    let x = svg(&images(&[
        &to_svg,
        &to_secret,
        &encoded,
        "/images/../../x.svg",
    ]));
    let site = figure_site(&x, None);
    assert_contained(
        &site,
        &out,
        &[
            &format!(
                "{} points outside the static root",
                refers("/images/x.svg", &to_svg)
            ),
            &format!(
                "{} points outside the static root",
                refers("/images/x.svg", &to_secret)
            ),
            &refers("/images/x.svg", "/images/../../x.svg"),
        ],
    );
}

#[test]
fn file_urls_are_not_opened() {
    let out = Outside::new();
    let urls = [
        format!("file://{}", out.svg.display()),
        format!("file:{}", out.secret.display()),
        format!("FILE://localhost{}", out.svg.display()),
    ];
    let x = svg(&images(
        &urls.iter().map(String::as_str).collect::<Vec<_>>(),
    ));
    let site = figure_site(&x, None);
    let needles: Vec<String> = urls
        .iter()
        .map(|u| format!("{} is a `file:` URL", refers("/images/x.svg", u)))
        .collect();
    assert_contained(
        &site,
        &out,
        &needles.iter().map(String::as_str).collect::<Vec<_>>(),
    );
}

#[test]
fn network_urls_are_not_fetched() {
    let out = Outside::new();
    let urls = [
        "http://127.0.0.1:9/outside.svg",
        "https://example.org/outside.svg",
        "//example.org/outside.svg",
        "ftp://example.org/secret.txt",
    ];
    let site = figure_site(&svg(&images(&urls)), None);
    let needles: Vec<String> = urls
        .iter()
        .map(|u| format!("{} is not a local file", refers("/images/x.svg", u)))
        .collect();
    assert_contained(
        &site,
        &out,
        &needles.iter().map(String::as_str).collect::<Vec<_>>(),
    );
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_static_root_are_not_followed() {
    use std::os::unix::fs::symlink;
    let out = Outside::new();
    let x = svg(&images(&[
        "link.svg",
        "hop.svg",
        "dir/outside.svg",
        "up.svg",
    ]));
    let site = figure_site(&x, None);
    let images_dir = site.path("content/images");
    symlink(&out.svg, images_dir.join("link.svg")).unwrap();
    // A link to a link inside, which leads out.
    symlink("link.svg", images_dir.join("hop.svg")).unwrap();
    symlink(out.dir(), images_dir.join("dir")).unwrap();
    let rel = format!(
        "{}{}",
        "../".repeat(30),
        out.svg.display().to_string().trim_start_matches('/')
    );
    symlink(rel, images_dir.join("up.svg")).unwrap();
    // Markdown images are held to the same rule.
    site.write(
        "content/page.md",
        format!("{FIGURE_PAGE}\n![Linked](/images/link.svg)\n"),
    );
    let run = assert_contained(
        &site,
        &out,
        &[
            &format!(
                "{} is a symlink that leads outside the static root",
                refers("/images/x.svg", "link.svg")
            ),
            &refers("/images/x.svg", "hop.svg"),
            &refers("/images/x.svg", "dir/outside.svg"),
            &refers("/images/x.svg", "up.svg"),
            "image `/images/link.svg` is a symlink that leads outside the static root",
        ],
    );
    run.assert_located("content/page.md", Some(9));
}

#[test]
fn fe_image_references_are_contained() {
    let out = Outside::new();
    let filters = format!(
        "<filter id=\"a\"><feImage href=\"{}\"/></filter>\n<filter id=\"b\"><feImage xlink:href=\"../../../../../../../../../..{}\"/></filter>\n<rect width=\"50\" height=\"50\" filter=\"url(#a)\"/><rect x=\"50\" width=\"50\" height=\"50\" filter=\"url(#b)\"/>",
        out.svg.display(),
        out.secret.display()
    );
    let site = figure_site(&svg(&filters), None);
    assert_contained(
        &site,
        &out,
        &[
            &refers("/images/x.svg", &out.svg.display().to_string()),
            "points outside the static root",
        ],
    );
}

#[cfg(unix)]
#[test]
fn the_cover_logo_is_contained_in_pdf_and_epub() {
    let out = Outside::new();
    let body = format!(
        "<rect width=\"100\" height=\"100\" fill=\"{}\"/>\n{}",
        hex(INSIDE),
        images(&[
            &out.svg.display().to_string(),
            &format!("{}{}", "../".repeat(30), out.svg.display()),
            &format!("file://{}", out.secret.display()),
            "link.svg",
        ])
    );
    let site = Site::new();
    site.config(&format!(
        "{}    logo: /images/logo.svg\n",
        book_config("[page.md]")
    ));
    site.write("content/images/logo.svg", svg(&body));
    std::os::unix::fs::symlink(&out.svg, site.path("content/images/link.svg")).unwrap();
    let run = assert_contained(
        &site,
        &out,
        &[
            &refers("/images/logo.svg", &out.svg.display().to_string()),
            "points outside the static root",
            "is a `file:` URL",
            &refers("/images/logo.svg", "link.svg"),
        ],
    );
    run.assert_located("content/images/logo.svg", Some(3));
    // The logo itself is drawn on both covers.
    assert!(pdf_has_colour(&site, INSIDE), "no logo on the PDF cover");
    assert!(epub_has_colour(&site, INSIDE), "no logo on the EPUB cover");
}

#[test]
fn svg_images_inside_the_static_root_are_drawn() {
    let x = svg(&images(&[
        "parts/a.svg",
        "/images/parts/b.svg",
        "parts/../parts/c.svg",
    ]));
    let site = figure_site(&x, None);
    site.write(
        "content/images/parts/a.svg",
        svg("<image href=\"../parts/b.svg\" width=\"10\" height=\"10\"/>"),
    );
    site.write("content/images/parts/b.svg", filled(INSIDE, ""));
    site.write("content/images/parts/c.svg", filled(INSIDE, ""));
    let run = site.run(&["build"]);
    run.assert_code(0);
    assert!(!run.stderr.contains("SVG image"), "{}", run.stderr);
    assert!(
        pdf_has_colour(&site, INSIDE),
        "nested SVG not drawn in the PDF"
    );
    assert!(
        epub_has_colour(&site, INSIDE),
        "nested SVG not drawn in the EPUB"
    );
}

#[test]
fn cycles_end_with_a_warning() {
    let site = figure_site(&svg(&images(&["a.svg", "x.svg"])), None);
    site.write("content/images/a.svg", svg(&images(&["b.svg"])));
    site.write(
        "content/images/b.svg",
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"100\">{}<rect width=\"9\" height=\"9\" fill=\"{}\"/></svg>",
            images(&["a.svg", "/images/x.svg"]),
            hex(INSIDE)
        ),
    );
    let run = site.run(&["build"]);
    run.assert_code(0).assert_stderr(&[
        "refers to `x.svg`, which leads back to `/images/x.svg` (a cycle)",
        "SVG image `/images/b.svg` refers to `a.svg`, which leads back to `/images/a.svg` (a cycle)",
    ]);
    // What is not part of a cycle is still drawn.
    assert!(pdf_has_colour(&site, INSIDE));
}

#[test]
fn nesting_deeper_than_the_limit_is_cut() {
    let chain = |site: &Site, levels: usize| {
        for i in 0..levels {
            site.write(
                &format!("content/images/n{i}.svg"),
                svg(&images(&[&format!("n{}.svg", i + 1)])),
            );
        }
        site.write(&format!("content/images/n{levels}.svg"), filled(INSIDE, ""));
    };
    // x → n0 → ... → n6: seven levels below the figure.
    let site = figure_site(&svg(&images(&["n0.svg"])), None);
    chain(&site, 6);
    let run = site.run(&["build"]);
    run.assert_code(0)
        .assert_stderr(&["nests SVG images more than 4 deep (limits.svg_depth)"]);
    assert!(
        !pdf_has_colour(&site, INSIDE),
        "drawn below the depth limit"
    );
    // The limit is the user's to raise.
    site.config(&format!(
        "{}limits:\n  svg_depth: 8\n",
        book_config("[page.md]")
    ));
    let run = site.run(&["build"]);
    run.assert_code(0);
    assert!(!run.stderr.contains("svg_depth"), "{}", run.stderr);
    assert!(pdf_has_colour(&site, INSIDE) && epub_has_colour(&site, INSIDE));
}

/// `text` as a base64 data URL of `mime`.
fn data_url(mime: &str, bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = format!("data:{mime};base64,");
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn data_urls_are_drawn_within_the_same_rules() {
    let out = Outside::new();
    let inside = data_url("image/svg+xml", filled(INSIDE, "").as_bytes());
    let png = data_url("image/png", b"\x89PNG\r\n\x1a\n");
    // An embedded SVG may not reach out either.
    let sneaky = data_url(
        "image/svg+xml",
        svg(&images(&[&out.svg.display().to_string()])).as_bytes(),
    );
    // Data URLs nested six deep.
    let mut deep = filled(OUTSIDE, "");
    for _ in 0..6 {
        deep = svg(&images(&[&data_url("image/svg+xml", deep.as_bytes())]));
    }
    let deep = data_url("image/svg+xml", deep.as_bytes());
    let site = figure_site(&svg(&images(&[&inside, &png, &sneaky, &deep])), None);
    let run = assert_contained(
        &site,
        &out,
        &[
            "refers to `data:image/png,...`, which is a raster image",
            &refers("/images/x.svg", &out.svg.display().to_string()),
            "nests SVG images more than 4 deep (limits.svg_depth)",
        ],
    );
    run.assert_located("content/images/x.svg", Some(3));
    assert!(pdf_has_colour(&site, INSIDE) && epub_has_colour(&site, INSIDE));
}

#[test]
fn nothing_else_in_an_svg_is_followed() {
    let out = Outside::new();
    let (o, s) = (
        out.svg.display().to_string(),
        out.secret.display().to_string(),
    );
    let css = out.dir().join("outside-style.css");
    std::fs::write(&css, "rect { fill: #13579b }").unwrap();
    let font = out.dir().join("outside-font.ttf");
    std::fs::write(&font, "not a font").unwrap();
    let x = format!(
        "<?xml version=\"1.0\"?>\n<?xml-stylesheet href=\"{css}\"?>\n<!DOCTYPE svg SYSTEM \"{s}\">\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"100\" height=\"100\">\n\
         <style>@import url(\"{css}\"); @font-face {{ font-family: F; src: url(\"{font}\") }}</style>\n\
         <use href=\"{o}#r\"/><use xlink:href=\"file://{o}#r\"/>\n\
         <rect width=\"9\" height=\"9\" fill=\"url({o}#g)\" style=\"fill: url('{o}#g')\"/>\n\
         <text font-family=\"F\" y=\"50\">text<tref xlink:href=\"{o}#t\"/></text>\n\
         <textPath href=\"{o}#p\">on a path</textPath>\n\
         <a href=\"file://{s}\"><script href=\"{s}\"/></a>\n\
         <foreignObject><iframe xmlns=\"http://www.w3.org/1999/xhtml\" src=\"{s}\"/></foreignObject>\n\
         </svg>\n",
        css = css.display(),
        font = font.display(),
    );
    let site = figure_site(&x, Some("/images/x.svg"));
    let run = assert_contained(&site, &out, &[]);
    // usvg reads the document and ignores what it refers to.
    assert!(!run.stderr.contains("x.svg"), "{}", run.stderr);
    assert_untouched(&site, &["build"], &[&css, &font]);
}

#[test]
fn svg_text_uses_only_the_shipped_fonts() {
    let x = svg(
        "<text x=\"5\" y=\"40\" font-family=\"DejaVu Sans, Liberation Sans, Arial\" font-size=\"30\">Text</text>\n<text x=\"5\" y=\"80\" font-family=\"monospace\">mono</text>",
    );
    let site = figure_site(&x, Some("/images/x.svg"));
    site.build_ok();
    let Some(calls) = traced_calls(&site, &["build"]) else {
        return;
    };
    let fonts_dir = common::root().join("fonts");
    let fonts: Vec<_> = calls
        .iter()
        .filter(|l| {
            let lower = l.to_ascii_lowercase();
            lower.contains(".ttf")
                || lower.contains(".otf")
                || lower.contains("fontconfig")
                || lower.contains("/fonts/")
        })
        .filter(|l| !l.contains(&*fonts_dir.to_string_lossy()))
        .collect();
    assert!(
        fonts.is_empty(),
        "fonts from outside the project: {fonts:#?}"
    );
}

#[test]
fn each_problem_is_reported_once() {
    let out = Outside::new();
    let href = out.svg.display().to_string();
    let site = figure_site(&svg(&images(&[&href])), Some("/images/x.svg"));
    site.write("content/other.md", FIGURE_PAGE.replace("Page", "Other"));
    site.config(&format!(
        "{}    logo: /images/x.svg\n",
        book_config("[page.md, other.md]")
    ));
    let needle = refers("/images/x.svg", &href);
    let run = assert_contained(&site, &out, &[&needle]);
    assert_eq!(run.stderr.matches(&needle).count(), 1, "{}", run.stderr);
    // `check` finds it too, without building.
    let check = site.run(&["check"]);
    check.assert_stderr(&[&needle]);
}
