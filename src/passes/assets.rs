//! Asset resolution: every image `src` to a file inside the static root (or,
//! for a relative `src`, beside the page), never outside either. A missing
//! image is a warning naming the page and line; the node keeps `asset: None`
//! and each backend shows a placeholder.

use crate::diag::Diagnostics;
use crate::model::{
    Asset, AssetFormat, BlockKind, Book, Inline, for_each_block_mut, for_each_inline_mut,
};
use std::path::{Component, Path, PathBuf};

/// Resolves every figure and image in `book`.
pub fn resolve(book: &mut Book, static_dir: &Path, diags: &mut Diagnostics) {
    let static_root = static_dir.canonicalize().ok();
    for page in &mut book.pages {
        let page_dir = page
            .source
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let source = page.source.clone();
        let mut find = |line: u32, src: &str| -> Option<Asset> {
            match locate(src, static_root.as_deref(), &page_dir) {
                Ok(asset) => Some(asset),
                Err(why) => {
                    diags.warn(&source, line, format!("image `{src}` {why}"));
                    None
                }
            }
        };
        for_each_block_mut(&mut page.blocks, &mut |block| {
            if let BlockKind::Figure(fig) = &mut block.kind {
                fig.asset = find(block.span.line, &fig.src);
            }
        });
        for_each_inline_mut(page, &mut |line, inline| {
            if let Inline::Image { src, asset, .. } = inline {
                *asset = find(line, src);
            }
        });
    }
}

/// Finds `src` on disk. Site-absolute sources live in the static root;
/// relative ones beside the page first (Hugo page bundles), then in the
/// static root.
pub fn locate(src: &str, static_root: Option<&Path>, page_dir: &Path) -> Result<Asset, String> {
    let src = src.trim();
    if src.is_empty() {
        return Err("has an empty source".into());
    }
    if src.contains("://") || src.starts_with("//") || src.starts_with("data:") {
        return Err("is not a local file and is not embedded".into());
    }
    let path_part = src.split(['?', '#']).next().unwrap_or(src);
    let decoded = percent_decode(path_part);
    let rel = Path::new(decoded.trim_start_matches('/'));
    let Some(rel) = clean_relative(rel) else {
        return Err("points outside the static root".into());
    };
    let mut candidates: Vec<(PathBuf, PathBuf)> = Vec::new();
    if !path_part.starts_with('/')
        && let Ok(dir) = page_dir.canonicalize()
    {
        candidates.push((dir.join(&rel), dir.clone()));
    }
    if let Some(root) = static_root {
        candidates.push((root.join(&rel), root.to_path_buf()));
    }
    for (candidate, root) in candidates {
        if let Ok(real) = candidate.canonicalize() {
            // Symlinks may not lead out of the root either.
            if real.starts_with(&root) && real.is_file() {
                let format = sniff(&real);
                return Ok(Asset { path: real, format });
            }
        }
    }
    Err("not found in the static root".into())
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

/// The image format from the file's first bytes, else its extension.
fn sniff(path: &Path) -> AssetFormat {
    use std::io::Read;
    let mut head = [0u8; 16];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let head = &head[..n];
    if head.starts_with(b"\x89PNG") {
        return AssetFormat::Png;
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return AssetFormat::Jpeg;
    }
    if head.starts_with(b"GIF8") {
        return AssetFormat::Gif;
    }
    if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return AssetFormat::Webp;
    }
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("svg") => AssetFormat::Svg,
        _ => AssetFormat::Other,
    }
}

/// `%20` and friends, as browsers decode paths.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(hex),
                bytes.get(i + 2).and_then(hex),
            )
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
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

    #[test]
    fn finds_images_in_static_root_and_refuses_escapes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("static");
        std::fs::create_dir_all(root.join("images")).unwrap();
        std::fs::write(root.join("images/a b.png"), b"\x89PNG\r\n\x1a\n").unwrap();
        std::fs::write(dir.path().join("secret.svg"), b"<svg/>").unwrap();
        let root = root.canonicalize().unwrap();
        let a = locate("/images/a%20b.png", Some(&root), dir.path()).unwrap();
        assert_eq!(a.format, AssetFormat::Png);
        assert!(locate("/../secret.svg", Some(&root), dir.path()).is_err());
        assert!(locate("/images/../../secret.svg", Some(&root), dir.path()).is_err());
        assert!(locate("/images/missing.png", Some(&root), dir.path()).is_err());
        assert!(locate("https://example.org/x.png", Some(&root), dir.path()).is_err());
    }
}
