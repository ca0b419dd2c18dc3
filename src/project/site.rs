//! The Hugo-site side of a project: opening the site `site:` names, the
//! whole-site books (one per language with pages), `--lang`, and what
//! each book reads (its content folder, language and page rules).

use super::{BookScope, Project, SITE_BOOK};
use crate::config::{BookConfig, Config};
use crate::diag::Diagnostic;
use crate::hugo::HugoSite;
use crate::limits::Limits;
use crate::source::SiteRules;
use crate::yaml_spans::At;
use anyhow::Result;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A whole-site book of one language.
#[derive(Debug, Clone)]
pub(super) struct SiteBook {
    /// The language's code.
    pub(super) lang: String,
    /// Hugo's order of languages (the default first).
    pub(super) rank: usize,
}

impl Project {
    /// Makes the project read `site`: its data folder, and (when exported
    /// whole) one book per language with pages.
    pub(super) fn set_site(&mut self, site: HugoSite) {
        // folio.yaml's `data:` wins over the site's data folder.
        if self.data_dir.is_none() {
            self.data_dir = Some(site.data_dir.clone()).filter(|d| d.is_dir());
        }
        self.site = Some(Arc::new(site));
        self.find_site_books();
    }

    /// Counts drafts as pages when deciding which languages have a book
    /// (`--drafts`).
    pub fn include_drafts(&mut self, drafts: bool) {
        if self.drafts != drafts {
            self.drafts = drafts;
            self.find_site_books();
        }
    }

    /// The whole-site books of the project's site, one per language.
    fn find_site_books(&mut self) {
        self.site_books = match &self.site {
            Some(site) if self.whole_site => {
                languages_with_pages(site, &self.content_dir, &self.config.limits, self.drafts)
            }
            _ => BTreeMap::new(),
        };
    }

    /// Builds only the books of `languages` (`--lang`); each must be one of
    /// the site's languages.
    pub fn select_languages(&mut self, languages: &[String]) -> Result<()> {
        if languages.is_empty() {
            return Ok(());
        }
        let wanted: Vec<String> = languages.iter().map(|l| l.trim().to_lowercase()).collect();
        if self.site.is_none() && self.whole_site {
            return Err(anyhow::anyhow!(
                "--lang picks among the languages of a Hugo site: pass --site DIR (or name the site under `site:` in folio.yaml)"
            ));
        }
        if let Some(site) = &self.site {
            for lang in &wanted {
                let has_book = self.site_books.values().any(|b| &b.lang == lang);
                if site.language(lang).is_none() && !has_book {
                    let known: Vec<&str> = site.languages.iter().map(|l| l.code.as_str()).collect();
                    return Err(Diagnostic::error(
                        site.files.first().unwrap_or(&site.root),
                        0,
                        format!("the site has no language `{lang}`"),
                    )
                    .with_hint(format!("languages configured: {}", known.join(", ")))
                    .into());
                }
            }
        }
        self.languages = wanted;
        Ok(())
    }

    /// The language code of a configured book: its `language`, else the
    /// defaults', else the site's default; matched to the site's codes.
    pub(super) fn configured_language(&self, book: &BookConfig) -> Option<String> {
        let tag = book
            .language
            .clone()
            .or_else(|| self.config.defaults.language.clone());
        match (tag, &self.site) {
            (Some(tag), Some(site)) => Some(
                site.languages
                    .iter()
                    .find(|l| {
                        l.code.eq_ignore_ascii_case(&tag) || l.tag().eq_ignore_ascii_case(&tag)
                    })
                    .map_or_else(|| tag.to_lowercase(), |l| l.code.clone()),
            ),
            (Some(tag), None) => Some(tag.to_lowercase()),
            (None, Some(site)) => Some(site.default_language.clone()),
            (None, None) => None,
        }
    }

    /// What book `name` (configured as `config`) reads.
    pub fn book_scope(&self, name: &str, config: &BookConfig) -> BookScope {
        let Some(site) = &self.site else {
            return BookScope {
                content_dir: self.content_dir.clone(),
                language: None,
                only_language: false,
                exclude: Vec::new(),
                rules: SiteRules::default(),
            };
        };
        let (language, content_dir) = match self.site_books.get(name) {
            Some(book) => (book.lang.clone(), self.language_root(site, &book.lang)),
            None => (
                self.configured_language(config)
                    .unwrap_or_else(|| site.default_language.clone()),
                self.content_dir.clone(),
            ),
        };
        let mut rules = site_rules(site, &content_dir, &self.content_dir);
        // Hugo's rules alone for a site exported whole: a page's language
        // is its file name's and its folder's, as the site shows it.
        rules.ignore_front_matter_language = self.whole_site;
        BookScope {
            exclude: other_roots(site, &content_dir, &self.content_dir),
            only_language: config.pages.is_empty(),
            language: Some(language),
            content_dir,
            rules,
        }
    }

    /// The content folder of language `lang`: its own `contentDir`, else the
    /// project's.
    fn language_root(&self, site: &HugoSite, lang: &str) -> PathBuf {
        site.language(lang)
            .and_then(|l| l.content_dir.clone())
            .unwrap_or_else(|| self.content_dir.clone())
    }
}

/// Opens the site `site:` names in `config`; errors at its line.
pub(super) fn open_configured_site(
    config: &Config,
    config_path: &Path,
    dir: &Path,
) -> Result<HugoSite> {
    let at = match config.has(&At::keys(&["site", "path"])) {
        true => At::keys(&["site", "path"]),
        false => At::keys(&["site"]),
    };
    if !dir.is_dir() {
        let mark = config.value_mark(&at);
        let why = if dir.exists() {
            "is a file, not a folder"
        } else {
            "does not exist"
        };
        return Err(Diagnostic::error(
            config_path,
            mark.line,
            format!("the site folder `{}` {why}", dir.display()),
        )
        .with_column(mark.column)
        .with_hint(format!(
            "`site:` names the Hugo site's folder, relative to {}",
            config_path.display()
        ))
        .into());
    }
    Ok(HugoSite::open(dir, &config.limits)?)
}

/// Every language `site: languages:` lists is one of the site's.
pub(super) fn check_site_languages(
    config: &Config,
    config_path: &Path,
    site: &HugoSite,
) -> Result<()> {
    let listed = config
        .site
        .as_ref()
        .map(|s| s.languages.as_slice())
        .unwrap_or_default();
    for (i, code) in listed.iter().enumerate() {
        if site.language(code.trim()).is_none() && site.languages_configured {
            let mark = config.value_mark(&At::keys(&["site", "languages"]).item(i));
            let known: Vec<&str> = site.languages.iter().map(|l| l.code.as_str()).collect();
            return Err(Diagnostic::error(
                config_path,
                mark.line,
                format!("the site has no language `{code}`"),
            )
            .with_column(mark.column)
            .with_hint(format!("languages configured: {}", known.join(", ")))
            .into());
        }
    }
    Ok(())
}

/// The rules for pages under `content_dir` of `site` (`main` is the
/// project's content folder, the default language's).
pub(super) fn site_rules(site: &HugoSite, content_dir: &Path, main: &Path) -> SiteRules {
    let root_language = site
        .languages
        .iter()
        .find(|l| l.content_dir.as_deref() == Some(content_dir))
        .map(|l| l.code.clone())
        .filter(|_| content_dir != main);
    let mut permalinks = BTreeMap::from([(String::new(), site.permalinks.clone())]);
    for language in &site.languages {
        if let Some(own) = &language.permalinks {
            permalinks.insert(language.code.clone(), own.clone());
        }
    }
    SiteRules {
        languages: if site.languages_configured {
            site.languages.iter().map(|l| l.code.clone()).collect()
        } else {
            Vec::new()
        },
        disabled: site.disabled.clone(),
        default_language: site.default_language.clone(),
        default_in_subdir: site.default_in_subdir,
        own_host: site
            .languages
            .iter()
            .filter(|l| l.base_url.is_some())
            .map(|l| l.code.clone())
            .collect(),
        root_language,
        permalinks,
        ignore_front_matter_language: false,
    }
}

/// Other languages' content folders that lie inside `content_dir`.
pub(super) fn other_roots(site: &HugoSite, content_dir: &Path, main: &Path) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = site
        .languages
        .iter()
        .filter_map(|l| l.content_dir.clone())
        .collect();
    roots.push(main.to_path_buf());
    roots.sort();
    roots.dedup();
    roots
        .into_iter()
        .filter(|r| r != content_dir && r.starts_with(content_dir))
        .collect()
}

/// The whole-site books of `site`: one per language with at least one
/// page that is not a draft (or any page, with `drafts`), named `site`
/// for the default language and `site.<code>` for the others. A site with
/// no pages at all still has its `site` book (which then reports it has
/// none). A language's pages are found by file name and folder; only to
/// tell drafts apart is one read, until the first that is not a draft.
pub(super) fn languages_with_pages(
    site: &HugoSite,
    main: &Path,
    limits: &Limits,
    drafts: bool,
) -> BTreeMap<String, SiteBook> {
    let mut candidates: BTreeMap<String, Vec<(PathBuf, PathBuf)>> = BTreeMap::new();
    let mut roots: Vec<PathBuf> = site
        .languages
        .iter()
        .filter_map(|l| l.content_dir.clone())
        .collect();
    roots.push(main.to_path_buf());
    roots.sort();
    roots.dedup();
    for root in &roots {
        let rules = site_rules(site, root, main);
        let exclude = other_roots(site, root, main);
        let mut ignored = crate::diag::Diagnostics::default();
        let Ok(paths) = crate::source::discover_pages(root, &mut ignored) else {
            continue;
        };
        for path in paths {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            if exclude.iter().any(|e| path.starts_with(e)) || rules.is_disabled(rel) {
                continue;
            }
            let lang = rules.language_of(rel, &Default::default());
            // A page is read from its language's folder only (a `.pt-br.md`
            // page in the English folder of a site where Brazilian
            // Portuguese has no folder of its own is in no book).
            let home = site
                .language(&lang)
                .and_then(|l| l.content_dir.as_deref())
                .unwrap_or(main);
            if home == root {
                candidates
                    .entry(lang)
                    .or_default()
                    .push((root.clone(), path.clone()));
            }
        }
    }
    let present: std::collections::BTreeSet<String> = candidates
        .into_iter()
        .filter(|(_, pages)| {
            drafts
                || pages.iter().any(|(root, path)| {
                    let rules = site_rules(site, root, main);
                    // A page that cannot be read counts: loading the book
                    // then reports it.
                    crate::source::load_page(root, path, limits, &rules)
                        .map_or(true, |page| !page.front.draft)
                })
        })
        .map(|(lang, _)| lang)
        .collect();
    let mut books = BTreeMap::new();
    let order = std::iter::once(site.default_language.clone())
        .chain(site.languages.iter().map(|l| l.code.clone()))
        .chain(present.iter().cloned());
    let mut rank = 0;
    for lang in order {
        let is_default = lang == site.default_language;
        if !(present.contains(&lang) || is_default && present.is_empty()) {
            continue;
        }
        let name = if is_default {
            SITE_BOOK.to_string()
        } else {
            format!("{SITE_BOOK}.{lang}")
        };
        if let std::collections::btree_map::Entry::Vacant(slot) = books.entry(name) {
            slot.insert(SiteBook { lang, rank });
            rank += 1;
        }
    }
    books
}
