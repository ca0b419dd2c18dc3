//! Where an image reference leads on disk, by one set of containment rules
//! for every caller: Markdown image sources (the assets pass), the cover
//! logo, and every `href` inside an SVG image. A reference resolves to a
//! file inside its root or to nothing. Symlinks are followed by hand, one
//! component at a time, so a link that leads out of the root is refused
//! before anything outside the root is opened or even stat'ed.

use crate::model::{Asset, AssetFormat};
use std::ffi::OsString;
use std::fmt;
use std::path::{Component, Path, PathBuf};

/// Why a reference does not resolve to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The reference is empty.
    Empty,
    /// A network URL (`https:`, `//host/...`) or another scheme.
    Remote,
    /// A `file:` URL: folio reads paths inside its roots, never URLs.
    FileUrl,
    /// `..` would leave the root.
    Escapes,
    /// A symlink on the way leads out of the root.
    SymlinkOut,
    /// Nothing (or a folder) at that path inside the root.
    NotFound,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Refused::Empty => "has an empty source",
            Refused::Remote => "is not a local file and is not embedded",
            Refused::FileUrl => "is a `file:` URL (folio reads only files inside the static root)",
            Refused::Escapes => "points outside the static root",
            Refused::SymlinkOut => "is a symlink that leads outside the static root",
            Refused::NotFound => "is not found in the static root",
        })
    }
}

/// Finds a Markdown image `src` on disk. Site-absolute sources live in the
/// static root; relative ones beside the page first (Hugo page bundles),
/// then in the static root.
pub fn locate(src: &str, static_root: Option<&Path>, page_dir: &Path) -> Result<Asset, Refused> {
    let src = src.trim();
    let decoded = local_path(src)?;
    let absolute = decoded.starts_with('/');
    let rel = clean_relative(Path::new(decoded.trim_start_matches('/'))).ok_or(Refused::Escapes)?;
    let mut roots: Vec<PathBuf> = Vec::new();
    if !absolute && let Ok(dir) = page_dir.canonicalize() {
        roots.push(dir);
    }
    if let Some(root) = static_root {
        roots.push(root.to_path_buf());
    }
    let mut why = Refused::NotFound;
    for root in roots {
        match contained(&root, &rel) {
            Ok(path) => {
                let format = sniff(&path);
                return Ok(Asset { path, format });
            }
            // A link out is worth naming even if another root has nothing.
            Err(Refused::SymlinkOut) => why = Refused::SymlinkOut,
            Err(_) => {}
        }
    }
    Err(why)
}

/// Resolves `href`, written in an SVG image whose folder is `svg_dir`
/// (relative to the static root), to a file inside `static_root`
/// (canonical). Site-absolute hrefs start at the static root; relative ones
/// at the SVG's folder and may climb with `..` as long as they stay inside.
pub fn locate_href(href: &str, static_root: &Path, svg_dir: &Path) -> Result<PathBuf, Refused> {
    let decoded = local_path(href.trim())?;
    let joined = match decoded.strip_prefix('/') {
        Some(abs) => PathBuf::from(abs),
        None => svg_dir.join(&decoded),
    };
    let rel = clean_relative(&joined).ok_or(Refused::Escapes)?;
    contained(static_root, &rel)
}

/// The percent-decoded path of a local reference, without query or
/// fragment; URLs of any scheme are refused.
fn local_path(src: &str) -> Result<String, Refused> {
    if src.is_empty() {
        return Err(Refused::Empty);
    }
    if src.starts_with("//") {
        return Err(Refused::Remote);
    }
    if let Some(scheme) = scheme(src) {
        return Err(if scheme.eq_ignore_ascii_case("file") {
            Refused::FileUrl
        } else {
            Refused::Remote
        });
    }
    let path_part = src.split(['?', '#']).next().unwrap_or(src);
    if path_part.is_empty() {
        // `#id` alone names something inside the document, not a file.
        return Err(Refused::Empty);
    }
    Ok(percent_decode(path_part))
}

/// The URL scheme of `src` (`https` in `https://...`), if it has one.
/// A Windows drive (`C:`) counts as one: it is no path inside a root.
fn scheme(src: &str) -> Option<&str> {
    let (head, _) = src.split_once(':')?;
    let mut chars = head.chars();
    let first = chars.next()?;
    let valid = first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(head)
}

/// A relative path with `.` removed; `None` if `..` would leave its root.
fn clean_relative(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir | Component::RootDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// Most symlinks followed in one path (as the kernel's `ELOOP` limit).
const MAX_LINKS: usize = 40;

/// The file at `root/rel`, with every symlink on the way read and checked
/// before it is followed: a link whose target lies outside `root` is
/// refused without touching the target. `root` must be canonical and
/// `rel` clean (see [`clean_relative`]).
fn contained(root: &Path, rel: &Path) -> Result<PathBuf, Refused> {
    // Components still to walk, the next one last.
    let mut pending: Vec<OsString> = rel
        .components()
        .rev()
        .map(|c| c.as_os_str().to_os_string())
        .collect();
    let mut here = root.to_path_buf();
    let mut links = 0;
    while let Some(part) = pending.pop() {
        if part == ".." {
            // Only symlink targets bring `..` here; `here` has no links in
            // it, so going up is exact.
            if here == root {
                return Err(Refused::SymlinkOut);
            }
            here.pop();
            continue;
        }
        if part == "." {
            continue;
        }
        let next = here.join(&part);
        let meta = std::fs::symlink_metadata(&next).map_err(|_| Refused::NotFound)?;
        if !meta.file_type().is_symlink() {
            here = next;
            continue;
        }
        links += 1;
        if links > MAX_LINKS {
            return Err(Refused::NotFound);
        }
        let target = std::fs::read_link(&next).map_err(|_| Refused::NotFound)?;
        let rest: Vec<OsString> = if target.is_absolute() {
            let inside = lexical(&target)
                .and_then(|t| t.strip_prefix(root).ok().map(Path::to_path_buf))
                .ok_or(Refused::SymlinkOut)?;
            here = root.to_path_buf();
            inside
                .components()
                .map(|c| c.as_os_str().to_os_string())
                .collect()
        } else {
            target
                .components()
                .map(|c| c.as_os_str().to_os_string())
                .collect()
        };
        pending.extend(rest.into_iter().rev());
    }
    let is_file = std::fs::metadata(&here).is_ok_and(|m| m.is_file());
    if is_file {
        Ok(here)
    } else {
        Err(Refused::NotFound)
    }
}

/// An absolute path with `.` and `..` applied as text.
fn lexical(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    Some(out)
}

/// How every warning names an image: its path in the site
/// (`/images/x.svg`) when it lies in the static root, else its file path.
pub fn site_path(path: &Path, static_root: Option<&Path>) -> String {
    match static_root.and_then(|root| path.strip_prefix(root).ok()) {
        Some(rel) => {
            let parts: Vec<_> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            format!("/{}", parts.join("/"))
        }
        None => path.display().to_string(),
    }
}

/// The image format from the file's first bytes (see
/// [`super::format::from_bytes`]), else an `.svg` extension.
pub fn sniff(path: &Path) -> AssetFormat {
    use std::io::Read;
    let mut head = Vec::with_capacity(super::format::HEAD);
    let _ = std::fs::File::open(path)
        .and_then(|f| f.take(super::format::HEAD as u64).read_to_end(&mut head));
    match super::format::from_bytes(&head) {
        AssetFormat::Other => match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("svg") => AssetFormat::Svg,
            _ => AssetFormat::Other,
        },
        found => found,
    }
}

/// `%20` and friends, as browsers decode paths.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(hex),
                bytes.get(i + 2).and_then(hex),
            )
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

fn hex(b: &u8) -> Option<u8> {
    (*b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("static");
        std::fs::create_dir_all(root.join("images/logos")).unwrap();
        std::fs::write(root.join("images/a b.png"), b"\x89PNG\r\n\x1a\n").unwrap();
        std::fs::write(root.join("images/logos/x.svg"), b"<svg/>").unwrap();
        std::fs::write(dir.path().join("secret.svg"), b"<svg/>").unwrap();
        let root = root.canonicalize().unwrap();
        (dir, root)
    }

    #[test]
    fn finds_images_in_static_root_and_refuses_escapes() {
        let (dir, root) = site();
        let a = locate("/images/a%20b.png", Some(&root), dir.path()).unwrap();
        assert_eq!(a.format, AssetFormat::Png);
        assert_eq!(site_path(&a.path, Some(&root)), "/images/a b.png");
        let refused = |src| locate(src, Some(&root), dir.path()).unwrap_err();
        assert_eq!(refused("/../secret.svg"), Refused::Escapes);
        assert_eq!(refused("/images/../../secret.svg"), Refused::Escapes);
        assert_eq!(refused("/images/missing.png"), Refused::NotFound);
        assert_eq!(refused("/images"), Refused::NotFound);
        assert_eq!(refused("https://example.org/x.png"), Refused::Remote);
        assert_eq!(refused("//example.org/x.png"), Refused::Remote);
        assert_eq!(refused("file:///etc/passwd"), Refused::FileUrl);
        assert_eq!(refused("FILE:/etc/passwd"), Refused::FileUrl);
        assert_eq!(refused("C:/secret.svg"), Refused::Remote);
        assert_eq!(refused(" "), Refused::Empty);
    }

    #[test]
    fn svg_hrefs_resolve_beside_the_svg_and_stay_inside() {
        let (_dir, root) = site();
        let logos = Path::new("images/logos");
        let found = |href| locate_href(href, &root, logos);
        assert!(found("x.svg").unwrap().ends_with("images/logos/x.svg"));
        assert!(found("./x.svg#frag").unwrap().ends_with("logos/x.svg"));
        assert!(found("../logos/x.svg").unwrap().ends_with("logos/x.svg"));
        assert!(found("/images/a%20b.png").unwrap().ends_with("a b.png"));
        assert_eq!(found("../../../secret.svg"), Err(Refused::Escapes));
        // Site-absolute: inside the static root, whatever it looks like.
        assert_eq!(found("/etc/passwd"), Err(Refused::NotFound));
        assert_eq!(found("#id"), Err(Refused::Empty));
        assert_eq!(found("http://example.org/x.svg"), Err(Refused::Remote));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_followed_only_inside_the_root() {
        use std::os::unix::fs::symlink;
        let (dir, root) = site();
        let images = root.join("images");
        symlink(dir.path().join("secret.svg"), images.join("out.svg")).unwrap();
        symlink("../../secret.svg", images.join("up.svg")).unwrap();
        symlink("logos/x.svg", images.join("in.svg")).unwrap();
        symlink(root.join("images/logos"), images.join("dir")).unwrap();
        symlink("loop.svg", images.join("loop.svg")).unwrap();
        let found = |href| locate_href(href, &root, Path::new("images"));
        assert_eq!(found("out.svg"), Err(Refused::SymlinkOut));
        assert_eq!(found("up.svg"), Err(Refused::SymlinkOut));
        assert_eq!(found("loop.svg"), Err(Refused::NotFound));
        assert!(found("in.svg").unwrap().ends_with("images/logos/x.svg"));
        assert!(found("dir/x.svg").unwrap().ends_with("images/logos/x.svg"));
        let md = locate("/images/out.svg", Some(&root), dir.path());
        assert_eq!(md.unwrap_err(), Refused::SymlinkOut);
    }
}
