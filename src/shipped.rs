//! What folio ships inside its binary, and the one lookup every consumer
//! uses to find a resource.
//!
//! The default fonts (`fonts/`: ten Noto faces and their licence), the PDF
//! style (`templates/pdf-style.yaml`) and the EPUB templates
//! (`templates/epub/`) are compiled in, so a binary copied alone anywhere
//! builds every format. A project overrides them **one file at a time**: a
//! file of the same relative name in its fonts or templates folder wins,
//! and everything it does not have comes from the built-in copy. A fonts
//! folder may also add faces of its own (any `.ttf`/`.otf`): the PDF style
//! can name them, and SVG text (the EPUB cover, SVG images) can use them.
//!
//! Built-in bytes are `&'static`, never copied: a [`Blob`] shares them (or
//! a project file read once) with fontdb, harfrust and the PDF writer.

use crate::diag::{Diagnostic, Diagnostics, Severity};
use anyhow::Result;
use std::fmt;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `(name relative to the folder, bytes)` of every file built in from
/// `folder`, in name order.
macro_rules! built_in {
    ($folder:literal: $($name:literal),+ $(,)?) => {
        &[$(($name, include_bytes!(concat!("../", $folder, "/", $name)) as &[u8])),+]
    };
}

/// The built-in fonts folder: the faces the PDF style names, and the
/// licence that must travel with them.
static FONTS: &[(&str, &[u8])] = built_in!("fonts":
    "NotoSans-Bold.ttf",
    "NotoSans-BoldItalic.ttf",
    "NotoSans-Italic.ttf",
    "NotoSans-Regular.ttf",
    "NotoSansMono-Bold.ttf",
    "NotoSansMono-Regular.ttf",
    "NotoSerif-Bold.ttf",
    "NotoSerif-BoldItalic.ttf",
    "NotoSerif-Italic.ttf",
    "NotoSerif-Regular.ttf",
    "OFL.txt",
);

/// The SHA-256 of each built-in face (lower-case hex), checked against
/// the bytes by a test: the PDF image cache's keys of SVG images take the
/// digest of every face their text may be set in, and hashing the ten
/// faces' 5.4 MB took a layout thread 3 ms a build; comparing a face with
/// the built-in one of the same length takes a tenth of that.
static FONT_DIGESTS: &[(&str, &str)] = &[
    (
        "NotoSans-Bold.ttf",
        "e83493c945848ecd4a9ad0f6d19164541a0d3e23a9c952304a00a46e00272ac5",
    ),
    (
        "NotoSans-BoldItalic.ttf",
        "4315b26e5afb62f70f5ffe0edaa3363e57765ff2af2beda12b6fef197e3e5f5a",
    ),
    (
        "NotoSans-Italic.ttf",
        "5d7618dda819443fd07301c84adcee9fe8960c873ea5e5e1f0f59db384b78082",
    ),
    (
        "NotoSans-Regular.ttf",
        "89c3c497f618fdaa0b2d1e98fef93582f28c71debd2c4a8cdf41f190ced2909d",
    ),
    (
        "NotoSansMono-Bold.ttf",
        "b22563d5f03b345a62115e78d8789c9ed99c2cfa8059fad6e7a5c4ced288e21e",
    ),
    (
        "NotoSansMono-Regular.ttf",
        "6b692c4b6d15ccf59f1c1fe8d11cb8a92f51960f3e9f1f523781755a3af7e29f",
    ),
    (
        "NotoSerif-Bold.ttf",
        "0af0ff2be8f84910fb21ec5fe1b6b7395e3073250502a334baf6ca2f860c88fe",
    ),
    (
        "NotoSerif-BoldItalic.ttf",
        "78a6d685e5690b7dcda0f336b689193afc03b6bab5cf18fc1a9ecc3aa0600059",
    ),
    (
        "NotoSerif-Italic.ttf",
        "bc25600aa27cd409e1e5b3d86340df3a329bb860fcfbe57a03a95070b229e1b0",
    ),
    (
        "NotoSerif-Regular.ttf",
        "9d7583b7dc9e812afd32a14280c5cac3160012efe50c8d08938f4fea266ff67f",
    ),
];

/// The SHA-256 of `bytes` when they are a built-in face's (the project's
/// copy of it, or the built-in bytes themselves), without hashing them;
/// `None` for any other bytes.
pub fn built_in_face_digest(bytes: &[u8]) -> Option<[u8; 32]> {
    let (name, hex) = FONT_DIGESTS.iter().find(|(name, _)| {
        Folder::Fonts
            .built_in(name)
            .is_some_and(|built| built.len() == bytes.len() && built == bytes)
    })?;
    let digest = decode_digest(hex);
    debug_assert!(digest.is_some(), "{name}");
    digest
}

/// 64 hex digits as 32 bytes.
fn decode_digest(hex: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    let digits = hex.as_bytes();
    if digits.len() != 64 {
        return None;
    }
    for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        let pair = std::str::from_utf8(pair).ok()?;
        *byte = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(out)
}

/// The built-in templates folder: the PDF style and the EPUB templates.
static TEMPLATES: &[(&str, &[u8])] = built_in!("templates":
    "epub/cover.svg",
    "epub/cover.xhtml",
    "epub/page.xhtml",
    "epub/style.css",
    "pdf-style.yaml",
);

/// The two folders of overridable resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folder {
    /// `fonts/` (or `fonts:` in folio.yaml).
    Fonts,
    /// `templates/` (or `templates:` in folio.yaml).
    Templates,
}

impl Folder {
    /// The folder's default name, which is also how built-in files are named.
    pub fn name(self) -> &'static str {
        match self {
            Folder::Fonts => "fonts",
            Folder::Templates => "templates",
        }
    }

    /// Every built-in file of this folder: (relative name, bytes), by name.
    pub fn built_ins(self) -> &'static [(&'static str, &'static [u8])] {
        match self {
            Folder::Fonts => FONTS,
            Folder::Templates => TEMPLATES,
        }
    }

    /// The built-in file `name`, if folio ships one.
    pub fn built_in(self, name: &str) -> Option<&'static [u8]> {
        self.built_ins()
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, bytes)| *bytes)
    }
}

/// A resource's bytes, shared without copying: built-in bytes are
/// `'static`, a project file's are read once and reference-counted.
#[derive(Clone)]
pub struct Blob(Arc<dyn AsRef<[u8]> + Send + Sync>);

impl Blob {
    /// Bytes compiled into the binary.
    pub fn built_in(bytes: &'static [u8]) -> Blob {
        Blob(Arc::new(bytes))
    }

    /// Bytes read from a file.
    pub fn owned(bytes: Vec<u8>) -> Blob {
        Blob(Arc::new(bytes))
    }

    /// The shared handle itself, as fontdb takes font data.
    pub fn shared(&self) -> Arc<dyn AsRef<[u8]> + Send + Sync> {
        Arc::clone(&self.0)
    }
}

impl Deref for Blob {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        (*self.0).as_ref()
    }
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob({} bytes)", self.len())
    }
}

/// A resource found by [`find`]: the project's file or the built-in copy.
#[derive(Debug, Clone)]
pub struct Resource {
    /// The name relative to its folder (`epub/style.css`).
    pub name: String,
    /// What messages name: the project's file, or `(built-in)
    /// templates/epub/style.css` for the copy inside folio.
    pub origin: PathBuf,
    /// True for the copy inside folio.
    pub built_in: bool,
    pub bytes: Blob,
}

impl Resource {
    /// The bytes as UTF-8 text; an error naming the file otherwise.
    pub fn text(&self) -> Result<&str> {
        std::str::from_utf8(&self.bytes).map_err(|e| {
            Diagnostic::error(&self.origin, 0, "is not UTF-8 text")
                .with_cause(e)
                .into()
        })
    }
}

/// How messages name the built-in `name` of `folder`.
pub fn built_in_origin(folder: Folder, name: &str) -> PathBuf {
    PathBuf::from(format!("(built-in) {}/{name}", folder.name()))
}

/// Resource `name` (relative to the folder, `/`-separated): the project's
/// file `dir/name` when there is one, else the built-in copy; `None` when
/// neither exists. `dir` may be missing (a project without the folder).
/// The project's file must be a regular file inside `dir`, symbolic links
/// resolved: anything else is an error naming it.
pub fn find(folder: Folder, dir: &Path, name: &str) -> Result<Option<Resource>> {
    let path = dir.join(name);
    if std::fs::symlink_metadata(&path).is_ok() {
        check_inside(folder, dir, &path)?;
        let bytes = std::fs::read(&path).map_err(|e| {
            Diagnostic::error(&path, 0, format!("cannot read this {} file", kind(folder)))
                .with_cause(e)
        })?;
        return Ok(Some(Resource {
            name: name.to_string(),
            origin: path,
            built_in: false,
            bytes: Blob::owned(bytes),
        }));
    }
    Ok(folder.built_in(name).map(|bytes| Resource {
        name: name.to_string(),
        origin: built_in_origin(folder, name),
        built_in: true,
        bytes: Blob::built_in(bytes),
    }))
}

/// Every font face there is: the built-in faces, each replaced by the
/// project's file of the same name, plus the project's other `.ttf` and
/// `.otf` files, in name order (so the choice among equal faces is
/// stable). A project file that cannot be read is left out with a warning.
pub fn faces(dir: &Path, diags: &mut Diagnostics) -> Vec<Resource> {
    let mut names: Vec<String> = FONTS
        .iter()
        .map(|(name, _)| name.to_string())
        .filter(|name| is_face(name))
        .collect();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if is_face(&name) && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names.sort();
    let mut faces = Vec::with_capacity(names.len());
    for name in names {
        match find(Folder::Fonts, dir, &name) {
            Ok(Some(face)) => faces.push(face),
            Ok(None) => {}
            Err(e) => {
                let found = e
                    .downcast::<Diagnostic>()
                    .unwrap_or_else(|e| Diagnostic::error(dir.join(&name), 0, e.to_string()));
                let built_in = Folder::Fonts.built_in(&name);
                let hint = match built_in {
                    Some(_) => format!("folio's built-in `{name}` is used instead"),
                    None => "the face is left out".to_string(),
                };
                diags.push(Diagnostic {
                    severity: Severity::Warning,
                    hint: Some(hint),
                    ..found
                });
                if let Some(bytes) = built_in {
                    faces.push(Resource {
                        origin: built_in_origin(Folder::Fonts, &name),
                        name,
                        built_in: true,
                        bytes: Blob::built_in(bytes),
                    });
                }
            }
        }
    }
    faces
}

/// Whether a file name is a TrueType or OpenType font's.
fn is_face(name: &str) -> bool {
    Path::new(name)
        .extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| x.eq_ignore_ascii_case("ttf") || x.eq_ignore_ascii_case("otf"))
}

/// What a file of `folder` is, for messages.
fn kind(folder: Folder) -> &'static str {
    match folder {
        Folder::Fonts => "font",
        Folder::Templates => "template",
    }
}

/// `path` (which exists) is a regular file inside `dir`, links resolved:
/// a link out of the folder is never followed, and a FIFO or device is
/// never opened (reading one could block for ever).
fn check_inside(folder: Folder, dir: &Path, path: &Path) -> Result<()> {
    let problem = match (dir.canonicalize(), path.canonicalize()) {
        (Ok(root), Ok(real)) if !real.starts_with(&root) => Some(format!(
            "leads outside the {} folder: it is not read",
            folder.name()
        )),
        (Ok(_), Ok(real)) if !real.is_file() => Some(format!(
            "is not a file: a {} file was expected here",
            kind(folder)
        )),
        (Ok(_), Ok(_)) => None,
        (_, Err(e)) | (Err(e), _) => {
            return Err(Diagnostic::error(
                path,
                0,
                format!("cannot open this {} file", kind(folder)),
            )
            .with_cause(e)
            .into());
        }
    };
    match problem {
        Some(message) => Err(Diagnostic::error(path, 0, message)
            .with_hint(format!(
                "make it a file inside the {} folder, or remove it",
                folder.name()
            ))
            .into()),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of the repository's folders is built in, byte for byte,
    /// and nothing else is: the binary and a checkout agree.
    #[test]
    fn built_ins_are_the_repository_files() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for folder in [Folder::Fonts, Folder::Templates] {
            let dir = root.join(folder.name());
            let mut on_disk = Vec::new();
            let mut stack = vec![dir.clone()];
            while let Some(d) = stack.pop() {
                for entry in std::fs::read_dir(&d).unwrap().flatten() {
                    let path = entry.path();
                    if path.is_dir() {
                        stack.push(path);
                    } else {
                        let rel = path.strip_prefix(&dir).unwrap();
                        on_disk.push(rel.to_string_lossy().replace('\\', "/"));
                    }
                }
            }
            // fonts/README.md documents the folder; it is not a resource.
            on_disk.retain(|name| name != "README.md");
            on_disk.sort();
            let built: Vec<_> = folder.built_ins().iter().map(|(n, _)| *n).collect();
            assert_eq!(built, on_disk, "{}", folder.name());
            for (name, bytes) in folder.built_ins() {
                assert_eq!(std::fs::read(dir.join(name)).unwrap(), *bytes, "{name}");
            }
        }
    }

    /// The digest table holds every built-in face, and each digest is
    /// that of the face's bytes: a font updated without its digest fails
    /// here, not as a stale SVG in someone's image cache.
    #[test]
    fn built_in_face_digests_are_those_of_the_faces() {
        use sha2::{Digest, Sha256};
        let faces: Vec<&str> = FONTS
            .iter()
            .map(|(name, _)| *name)
            .filter(|name| is_face(name))
            .collect();
        let listed: Vec<&str> = FONT_DIGESTS.iter().map(|(name, _)| *name).collect();
        assert_eq!(listed, faces);
        for (name, bytes) in FONTS.iter().filter(|(name, _)| is_face(name)) {
            let real: [u8; 32] = Sha256::digest(bytes).into();
            assert_eq!(built_in_face_digest(bytes), Some(real), "{name}");
            // A copy (a project's fonts folder) is known too; a changed
            // byte is not.
            let mut copy = bytes.to_vec();
            assert_eq!(built_in_face_digest(&copy), Some(real), "{name}");
            let middle = copy.len() / 2;
            copy[middle] ^= 1;
            assert_eq!(built_in_face_digest(&copy), None, "{name}");
        }
        assert_eq!(built_in_face_digest(b"not a face"), None);
    }

    #[test]
    fn a_project_file_wins_and_the_rest_is_built_in() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("epub")).unwrap();
        std::fs::write(dir.path().join("epub/style.css"), "/* mine */").unwrap();
        let mine = find(Folder::Templates, dir.path(), "epub/style.css")
            .unwrap()
            .unwrap();
        assert!(!mine.built_in);
        assert_eq!(mine.text().unwrap(), "/* mine */");
        assert_eq!(mine.origin, dir.path().join("epub/style.css"));
        let page = find(Folder::Templates, dir.path(), "epub/page.xhtml")
            .unwrap()
            .unwrap();
        assert!(page.built_in);
        assert_eq!(
            page.origin,
            PathBuf::from("(built-in) templates/epub/page.xhtml")
        );
        assert!(page.text().unwrap().contains("<html"));
        assert!(
            find(Folder::Templates, dir.path(), "epub/none.css")
                .unwrap()
                .is_none()
        );
        // A missing folder is a project without overrides.
        let gone = dir.path().join("gone");
        let style = find(Folder::Templates, &gone, "pdf-style.yaml")
            .unwrap()
            .unwrap();
        assert!(style.built_in);
    }

    #[test]
    fn faces_are_built_ins_overridden_by_name_plus_extras() {
        let dir = tempfile::tempdir().unwrap();
        let mono = Folder::Fonts.built_in("NotoSansMono-Bold.ttf").unwrap();
        std::fs::write(dir.path().join("NotoSerif-Regular.ttf"), mono).unwrap();
        std::fs::write(dir.path().join("Extra.otf"), mono).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a font").unwrap();
        let mut diags = Diagnostics::default();
        let faces = faces(dir.path(), &mut diags);
        let names: Vec<_> = faces.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names.len(), 11, "{names:?}");
        assert_eq!(names.first(), Some(&"Extra.otf"), "{names:?}");
        assert!(names.windows(2).all(|w| w[0] < w[1]), "{names:?}");
        let serif = faces
            .iter()
            .find(|f| f.name == "NotoSerif-Regular.ttf")
            .unwrap();
        assert!(!serif.built_in);
        assert_eq!(&*serif.bytes, mono);
        assert!(
            faces
                .iter()
                .filter(|f| f.name != "NotoSerif-Regular.ttf" && f.name != "Extra.otf")
                .all(|f| f.built_in)
        );
        assert!(diags.items.is_empty(), "{:?}", diags.items);
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_folder_and_non_files_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.css"), "secret").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("epub/page.xhtml")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.css"),
            dir.path().join("pdf-style.yaml"),
        )
        .unwrap();
        for (name, needle) in [
            ("pdf-style.yaml", "leads outside the templates folder"),
            ("epub/page.xhtml", "is not a file"),
        ] {
            let err = find(Folder::Templates, dir.path(), name).unwrap_err();
            let d = err.downcast_ref::<Diagnostic>().unwrap();
            assert_eq!(d.path.as_deref(), Some(dir.path().join(name).as_path()));
            assert!(d.message.contains(needle), "{d}");
        }
        // A link in the fonts folder is skipped with a warning, not read.
        let fonts = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.css"),
            fonts.path().join("Evil.ttf"),
        )
        .unwrap();
        let mut diags = Diagnostics::default();
        let found = faces(fonts.path(), &mut diags);
        assert!(found.iter().all(|f| f.name != "Evil.ttf"));
        assert_eq!(found.len(), 10);
        assert!(
            diags
                .items
                .iter()
                .any(|d| d.message.contains("leads outside")),
            "{:?}",
            diags.items
        );
    }
}
