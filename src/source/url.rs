//! A page's language and URL, as Hugo works them out.
//!
//! # Languages
//!
//! A file stem ending in a language code (`gsoc-2023.fr.md`,
//! `_index.pt-br.md`) is a translation into that language. With a site
//! configuration the codes are the site's languages; without one, any
//! two-letter suffix is taken for a language. A page without a suffix is in
//! its content folder's language (the default language, or the language
//! whose `contentDir` it is), unless its front matter says `lang:`.
//!
//! # URLs
//!
//! - The default language gets no prefix (unless the site sets
//!   `defaultContentLanguageInSubdir`); any other language is put in front
//!   (`/fr/community/gsoc-2023/`), except a language served from its own
//!   `baseURL`. An explicit `url` is taken as the whole path, without a
//!   language prefix, as Hugo does.
//! - The site's `permalinks` pattern for the page's section (top-level
//!   folder) replaces the folder path when there is one.
//! - Case: URLs are lower-cased, as Hugo does by default (its
//!   `disablePathToLower` is off), and we apply it to explicit `url`s too so
//!   that one rule holds for every page.

use super::frontmatter::FrontMatter;
use crate::hugo::Permalinks;
use crate::hugo::permalinks::{PageFields, date_of};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Component, Path};

/// The language of sites that do not say.
pub const DEFAULT_LANGUAGE: &str = "en";

/// What decides a page's language and URL: Hugo's defaults, or a site's
/// configuration ([`crate::hugo::HugoSite`]).
#[derive(Debug, Clone, Default)]
pub struct SiteRules {
    /// The site's language codes, lower-case; empty: any two-letter suffix
    /// is a language.
    pub languages: Vec<String>,
    /// Codes of languages the site turned off: their pages are in no book.
    pub disabled: Vec<String>,
    /// The default language (empty: `en`).
    pub default_language: String,
    /// The default language gets its prefix too.
    pub default_in_subdir: bool,
    /// Languages served from their own base URL, without a prefix.
    pub own_host: Vec<String>,
    /// The language of pages without a suffix under this content folder
    /// (`None`: the default language).
    pub root_language: Option<String>,
    /// Permalink patterns by language code; the site's under `""`.
    pub permalinks: BTreeMap<String, Permalinks>,
    /// Take a page's language from its file name and folder only, as Hugo
    /// does, not from a `lang:` in its front matter.
    pub ignore_front_matter_language: bool,
}

impl SiteRules {
    /// The default language's code.
    pub fn default_language(&self) -> &str {
        if self.default_language.is_empty() {
            DEFAULT_LANGUAGE
        } else {
            &self.default_language
        }
    }

    /// The language code of the page at `rel` (relative to the content
    /// folder): its suffix, else its front matter's `lang`, else the
    /// folder's language.
    pub fn language_of(&self, rel: &Path, front: &FrontMatter) -> String {
        let stem = stem_of(rel);
        if let (_, Some(lang)) = self.split_language(&stem) {
            return lang;
        }
        if let Some(lang) = front
            .all
            .get("lang")
            .filter(|_| !self.ignore_front_matter_language)
            .and_then(Value::as_str)
            .map(|l| l.trim().to_lowercase())
            .filter(|l| crate::hugo::languages::is_language_code(l))
            .filter(|l| self.languages.is_empty() || self.languages.contains(l))
        {
            return lang;
        }
        self.root_language
            .clone()
            .unwrap_or_else(|| self.default_language().to_string())
    }

    /// Whether the page at `rel` is in a language the site turned off.
    pub fn is_disabled(&self, rel: &Path) -> bool {
        let stem = stem_of(rel);
        let Some((_, suffix)) = stem.rsplit_once('.') else {
            return false;
        };
        self.disabled.iter().any(|d| d.eq_ignore_ascii_case(suffix))
    }

    /// `stem` without its language suffix, and the language (lower-case).
    pub fn split_language<'s>(&self, stem: &'s str) -> (&'s str, Option<String>) {
        match stem.rsplit_once('.') {
            Some((base, lang)) if !base.is_empty() && self.is_language(lang) => {
                (base, Some(lang.to_lowercase()))
            }
            _ => (stem, None),
        }
    }

    fn is_language(&self, suffix: &str) -> bool {
        if self.languages.is_empty() {
            suffix.len() == 2 && suffix.bytes().all(|b| b.is_ascii_lowercase())
        } else {
            self.languages
                .iter()
                .any(|l| l.eq_ignore_ascii_case(suffix))
        }
    }

    /// The URL path prefix of language `lang` (`/de`), empty for none.
    pub fn prefix_of(&self, lang: &str) -> String {
        let is_default = lang.eq_ignore_ascii_case(self.default_language());
        let own_host = self.own_host.iter().any(|l| l.eq_ignore_ascii_case(lang));
        if own_host || (is_default && !self.default_in_subdir) {
            String::new()
        } else {
            format!("/{}", lang.to_lowercase())
        }
    }

    /// The URL Hugo gives the page at `rel` (relative to the content root).
    ///
    /// An explicit `url` wins (`about/press-kit` becomes
    /// `/about/press-kit/`; one ending in a file extension such as `.html`
    /// keeps no trailing slash). Then the permalink pattern of the page's
    /// section, if any. Otherwise the URL is the section directories plus
    /// the slug or file stem; `_index.md` is its section's URL (the root one
    /// `/`), and a leaf bundle's `index.md` is its directory's URL, the slug
    /// replacing the directory name. See the module docs for languages.
    pub fn url_of(&self, rel: &Path, front: &FrontMatter) -> String {
        if let Some(url) = front.url.as_deref().filter(|url| !url.trim().is_empty()) {
            let segments: Vec<&str> = url.trim().split('/').filter(|s| !s.is_empty()).collect();
            return join_url(&segments, ends_in_extension(&segments));
        }
        let folders: Vec<String> = rel
            .parent()
            .into_iter()
            .flat_map(Path::components)
            .filter_map(|component| match component {
                Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        let full_stem = stem_of(rel);
        let (stem, _) = self.split_language(&full_stem);
        let lang = self.language_of(rel, front);
        let prefix = self.prefix_of(&lang);
        let slug = front
            .slug
            .as_deref()
            .map(|slug| slug.trim().trim_matches('/'))
            .filter(|slug| !slug.is_empty());

        if let Some(path) = self.permalink(&lang, &folders, stem, slug, front) {
            let mut segments: Vec<&str> = prefix.split('/').filter(|s| !s.is_empty()).collect();
            segments.extend(path.split('/').filter(|s| !s.is_empty()));
            let is_file = !path.ends_with('/') && ends_in_extension(&segments);
            return join_url(&segments, is_file);
        }

        let mut segments = folders;
        match stem {
            "_index" => {}
            "index" => {
                // A leaf bundle: the page is its directory, which a slug renames.
                if let (Some(slug), Some(last)) = (slug, segments.last_mut()) {
                    *last = slug.to_string();
                }
            }
            _ => segments.push(slug.unwrap_or(stem).to_string()),
        }
        let urlized: Vec<String> = segments.iter().map(|s| urlize(s)).collect();
        // A slug may hold `/` (`slug: a/b`); empty pieces would double slashes.
        let pieces: Vec<&str> = prefix
            .split('/')
            .chain(urlized.iter().flat_map(|s| s.split('/')))
            .filter(|s| !s.is_empty())
            .collect();
        join_url(&pieces, false)
    }

    /// The path the site's permalink pattern gives the page, if its section
    /// has one.
    fn permalink(
        &self,
        lang: &str,
        folders: &[String],
        stem: &str,
        slug: Option<&str>,
        front: &FrontMatter,
    ) -> Option<String> {
        let permalinks = self
            .permalinks
            .get(lang)
            .or_else(|| self.permalinks.get(""))?;
        let section = folders.first()?;
        let is_section = stem == "_index";
        // A section's own page has a pattern only as its top-level folder.
        if is_section && folders.len() > 1 {
            return None;
        }
        let pattern = permalinks.for_page(section, is_section)?;
        let base_name = if stem == "index" {
            folders.last().map_or(stem, String::as_str)
        } else {
            stem
        };
        let fields = PageFields {
            sections: folders,
            title: front.title.as_deref(),
            slug,
            filename: stem,
            content_base_name: base_name,
            date: page_date(front),
        };
        Some(pattern.expand(&fields))
    }
}

/// The URL Hugo gives a page at `rel` without a site configuration.
pub fn page_url(rel: &Path, front: &FrontMatter) -> String {
    SiteRules::default().url_of(rel, front)
}

/// Whether `rel` is a section's own page (`_index.md`, `_index.de.md`).
pub fn is_section_index(rel: &Path) -> bool {
    let stem = stem_of(rel);
    stem == "_index"
        || stem
            .strip_prefix("_index.")
            .is_some_and(|l| !l.contains('.'))
}

/// A page's date for permalinks: the first of Hugo's date keys that holds
/// one (`date`, `publishDate`, `pubDate`, `published`, `lastmod`,
/// `modified`).
fn page_date(front: &FrontMatter) -> Option<[u32; 3]> {
    [
        "date",
        "publishdate",
        "pubdate",
        "published",
        "lastmod",
        "modified",
    ]
    .iter()
    .filter_map(|key| front.all.get(*key).and_then(Value::as_str))
    .find_map(date_of)
}

fn stem_of(rel: &Path) -> String {
    rel.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A path segment as Hugo writes it into a URL: spaces become dashes.
fn urlize(segment: &str) -> String {
    segment.trim().replace(' ', "-")
}

/// Whether the last segment names a file (`roadmap.html`), not a directory.
fn ends_in_extension(segments: &[&str]) -> bool {
    segments
        .last()
        .and_then(|last| last.rsplit_once('.'))
        .is_some_and(|(name, ext)| {
            !name.is_empty() && !ext.is_empty() && ext.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// `/a/b/` (or `/a/b.html` for a file), lower-cased.
fn join_url(segments: &[&str], is_file: bool) -> String {
    let mut url = String::from("/");
    url.push_str(&segments.join("/"));
    if !is_file && !segments.is_empty() {
        url.push('/');
    }
    url.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hugo::permalinks::Pattern;

    fn front(url: Option<&str>, slug: Option<&str>) -> FrontMatter {
        FrontMatter {
            url: url.map(str::to_string),
            slug: slug.map(str::to_string),
            ..FrontMatter::default()
        }
    }

    fn url_of(rel: &str, url: Option<&str>, slug: Option<&str>) -> String {
        page_url(Path::new(rel), &front(url, slug))
    }

    #[test]
    fn explicit_url_wins_and_is_normalised() {
        assert_eq!(
            url_of("about/press-kit.md", Some("about/press-kit"), None),
            "/about/press-kit/"
        );
        assert_eq!(
            url_of("about/xsf/mission.md", Some("about/xsf/mission"), None),
            "/about/xsf/mission/"
        );
        assert_eq!(
            url_of(
                "about/xsf/communication-team.md",
                Some("about/xsf/comm-team"),
                Some("x")
            ),
            "/about/xsf/comm-team/"
        );
        assert_eq!(
            url_of("a.md", Some("/about//roadmap.html"), None),
            "/about/roadmap.html"
        );
        assert_eq!(
            url_of("a.md", Some("/Sponsors/Tigase/"), None),
            "/sponsors/tigase/"
        );
        assert_eq!(url_of("a.md", Some("/"), None), "/");
    }

    #[test]
    fn section_and_bundle_urls() {
        assert_eq!(url_of("_index.md", None, None), "/");
        assert_eq!(url_of("about/_index.md", None, None), "/about/");
        assert_eq!(
            url_of("about/xsf/records/_index.md", None, None),
            "/about/xsf/records/"
        );
        assert_eq!(url_of("about/_index.md", None, Some("ignored")), "/about/");
        assert_eq!(url_of("posts/trip/index.md", None, None), "/posts/trip/");
        assert_eq!(
            url_of("posts/trip/index.md", None, Some("journey")),
            "/posts/journey/"
        );
        assert_eq!(url_of("index.md", None, None), "/");
    }

    #[test]
    fn plain_pages_and_slugs() {
        assert_eq!(url_of("contact.md", None, None), "/contact/");
        assert_eq!(
            url_of("uses/iot/Things.markdown", None, None),
            "/uses/iot/things/"
        );
        assert_eq!(
            url_of(
                "about/xsf/records/meeting-minutes/xsf-member-meeting-2007-02-01.md",
                None,
                Some("xsf-member-meeting-2007-02-01")
            ),
            "/about/xsf/records/meeting-minutes/xsf-member-meeting-2007-02-01/"
        );
        assert_eq!(
            url_of("blog/post.md", None, Some("Other Name")),
            "/blog/other-name/"
        );
    }

    #[test]
    fn language_suffixes() {
        assert_eq!(
            url_of("community/gsoc-2023.en.md", None, None),
            "/community/gsoc-2023/"
        );
        assert_eq!(
            url_of("community/gsoc-2023.fr.md", None, None),
            "/fr/community/gsoc-2023/"
        );
        assert_eq!(
            url_of("community/_index.de.md", None, None),
            "/de/community/"
        );
        // Not languages: digits, three letters.
        assert_eq!(url_of("v1.2.md", None, None), "/v1.2/");
        assert_eq!(url_of("notes.txt.md", None, None), "/notes.txt/");
    }

    fn configured() -> SiteRules {
        let mut permalinks = Permalinks::default();
        permalinks.pages.insert(
            "blog".into(),
            Pattern::parse("/:year/:month/:title/").unwrap(),
        );
        permalinks
            .sections
            .insert("blog".into(), Pattern::parse("/news/").unwrap());
        SiteRules {
            languages: vec!["en".into(), "de".into(), "pt-br".into(), "ro".into()],
            default_language: "en".into(),
            permalinks: BTreeMap::from([(String::new(), permalinks)]),
            ..SiteRules::default()
        }
    }

    #[test]
    fn configured_languages_only() {
        let rules = configured();
        let lang = |rel: &str| rules.language_of(Path::new(rel), &FrontMatter::default());
        assert_eq!(lang("a.pt-br.md"), "pt-br");
        assert_eq!(lang("a.PT-BR.md"), "pt-br");
        assert_eq!(lang("a.de.md"), "de");
        assert_eq!(
            lang("a.fr.md"),
            "en",
            "fr is not configured: part of the name"
        );
        assert_eq!(lang("a.md"), "en");
        let url = |rel: &str| rules.url_of(Path::new(rel), &FrontMatter::default());
        assert_eq!(url("docs/a.pt-br.md"), "/pt-br/docs/a/");
        assert_eq!(url("docs/a.fr.md"), "/docs/a.fr/");
        assert_eq!(url("docs/_index.ro.md"), "/ro/docs/");
        let front = FrontMatter {
            all: [("lang".to_string(), Value::from("de"))].into(),
            ..FrontMatter::default()
        };
        assert_eq!(rules.language_of(Path::new("x.md"), &front), "de");
        assert_eq!(rules.url_of(Path::new("x.md"), &front), "/de/x/");
        let in_subdir = SiteRules {
            default_in_subdir: true,
            ..configured()
        };
        assert_eq!(
            in_subdir.url_of(Path::new("x.md"), &FrontMatter::default()),
            "/en/x/"
        );
        assert!(is_section_index(Path::new("a/_index.de.md")));
        assert!(is_section_index(Path::new("_index.md")));
        assert!(!is_section_index(Path::new("a/_index.old.de.md")));
    }

    #[test]
    fn permalinks_by_section() {
        let rules = configured();
        let front = FrontMatter {
            title: Some("Hello World".into()),
            all: [("date".to_string(), Value::from("2024-08-15T10:00:00Z"))].into(),
            ..FrontMatter::default()
        };
        assert_eq!(
            rules.url_of(Path::new("blog/hello.md"), &front),
            "/2024/08/hello-world/"
        );
        assert_eq!(
            rules.url_of(Path::new("blog/hello.de.md"), &front),
            "/de/2024/08/hello-world/"
        );
        assert_eq!(rules.url_of(Path::new("blog/_index.md"), &front), "/news/");
        // Other sections keep the folder path; `url` still wins.
        assert_eq!(
            rules.url_of(Path::new("docs/hello.md"), &front),
            "/docs/hello/"
        );
        let explicit = FrontMatter {
            url: Some("/elsewhere/".into()),
            ..front.clone()
        };
        assert_eq!(
            rules.url_of(Path::new("blog/hello.md"), &explicit),
            "/elsewhere/"
        );
    }
}
