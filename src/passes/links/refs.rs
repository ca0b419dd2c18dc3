//! Hugo's `ref` and `relref`: a page found by its content path (`about/faq.md`,
//! `/about/faq`, `../faq`) or its unique name, in the linking page's
//! language first.

use super::paths::{normalize_fs, split_fragment};
use super::{From, LinkIndex, Problem};
use crate::model::{LinkTarget, Page};
use std::path::Path;

impl LinkIndex {
    /// Indexes `page` (source `rel`) by the content paths a `ref` may use.
    pub(super) fn add_content_path(&mut self, rel: &Path, page: &Page) {
        let written = rel.to_string_lossy();
        let Some(key) = content_key(&written, Some(&page.lang)) else {
            return;
        };
        let mut keys = vec![key.clone()];
        // `faq.de.md` is also found as written.
        if let Some(full) = content_key(&written, None).filter(|k| *k != key) {
            keys.push(full);
        }
        // `docs/install/index.md` and `blog/_index.md` are their folders too.
        if let Some(folder) = key
            .strip_suffix("/_index")
            .or_else(|| key.strip_suffix("/index"))
        {
            keys.push(folder.to_string());
        } else if key == "_index" || key == "index" {
            keys.push(String::new());
        }
        // The name of a bundle or section is its folder's.
        let named = key
            .strip_suffix("/_index")
            .or_else(|| key.strip_suffix("/index"))
            .unwrap_or(&key);
        let name = named.rsplit('/').next().unwrap_or_default().to_string();
        for key in keys {
            let ids = self.by_content.entry(key).or_default();
            if !ids.contains(&page.id) {
                ids.push(page.id.clone());
            }
        }
        if !name.is_empty() {
            self.by_name.entry(name).or_default().push(page.id.clone());
        }
        self.langs.insert(page.id.clone(), page.lang.clone());
    }

    /// Resolves the target of a Hugo `ref`/`relref` found on page `from`
    /// (in language `lang`), as Hugo looks it up: `/about/faq` from the
    /// content root; `faq.md` or `../faq` first beside the page, then from
    /// the root; a bare name (`faq`) by the one page of that name. The
    /// extension is optional, a bundle is found by its folder, `#anchor`
    /// is checked like any anchor.
    pub fn resolve_ref(
        &self,
        path: &str,
        from: From<'_>,
        lang: &str,
    ) -> Result<LinkTarget, (LinkTarget, Problem)> {
        let (path, fragment) = split_fragment(path.trim());
        if path.is_empty() {
            return self.internal(from.page_id, fragment);
        }
        let key = content_key(path, None).unwrap_or_default();
        let mut candidates: Vec<String> = Vec::new();
        if !path.starts_with('/') {
            let dir = from.source_rel.parent().unwrap_or(Path::new(""));
            let beside = normalize_fs(&dir.join(&key));
            candidates.push(beside.to_string_lossy().replace('\\', "/"));
        }
        candidates.push(key.clone());
        for candidate in &candidates {
            if let Some(id) = self.pick(self.by_content.get(candidate), lang) {
                return self.internal(&id, fragment);
            }
        }
        if !key.contains('/')
            && let Some(ids) = self.by_name.get(&key)
            && let Some(id) = self.pick(Some(ids), lang)
        {
            let same_lang: Vec<&String> = ids
                .iter()
                .filter(|i| self.langs.get(*i).is_some_and(|l| l == lang))
                .collect();
            if same_lang.len() > 1 {
                let mut found: Vec<String> = same_lang
                    .iter()
                    .filter_map(|i| self.urls.get(*i).cloned())
                    .collect();
                found.sort();
                let target = self.internal(&id, fragment).unwrap_or_else(|(t, _)| t);
                return Err((target, Problem::AmbiguousRef(found)));
            }
            return self.internal(&id, fragment);
        }
        let mut url = self.public(key.trim_matches('/'));
        if !url.ends_with('/') {
            url.push('/');
        }
        if let Some(f) = fragment.filter(|f| !f.is_empty()) {
            url.push('#');
            url.push_str(f);
        }
        Err((LinkTarget::External { url }, Problem::MissingRef))
    }

    /// Of the pages `ids`, the one in `lang`, else the first.
    pub(super) fn pick(&self, ids: Option<&Vec<String>>, lang: &str) -> Option<String> {
        let ids = ids?;
        ids.iter()
            .find(|id| self.langs.get(*id).is_some_and(|l| l == lang))
            .or_else(|| ids.first())
            .cloned()
    }
}

/// A content path as `ref` keys it: `/`-separated, lower-cased, without
/// leading `./` or `/`, trailing `/`, the Markdown extension or (when it
/// is `lang`) the language suffix (`faq.de.md`); `None` when empty.
pub(super) fn content_key(path: &str, lang: Option<&str>) -> Option<String> {
    let mut key = path.trim().replace('\\', "/").to_lowercase();
    while let Some(rest) = key.strip_prefix("./") {
        key = rest.to_string();
    }
    let mut key = key.trim_matches('/').to_string();
    for ext in [".md", ".markdown"] {
        if let Some(stem) = key.strip_suffix(ext) {
            key = stem.to_string();
            break;
        }
    }
    if let Some(lang) = lang.filter(|l| !l.is_empty())
        && let Some(stem) = key.strip_suffix(&format!(".{}", lang.to_lowercase()))
    {
        key = stem.to_string();
    }
    (!key.is_empty()).then_some(key)
}
