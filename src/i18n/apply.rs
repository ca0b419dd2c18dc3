//! A book in another language: every segment [`super::extract`] finds is
//! replaced by its translation from a PO file when that translation is
//! there, not fuzzy and passes [`super::check`]; otherwise the source text
//! stays, marked as the source language (an `Inline::Span` with `lang`:
//! `xml:lang` in the EPUB, the tagged PDF's `/Lang` later). A rejected
//! translation is a warning naming the PO file and line, so `--strict`
//! makes it an error. A page read from its Hugo translation (`page.L.md`,
//! see `Project::translation`) is taken as it is.

use super::check::reject_reason;
use super::inlines::{footnotes, parse, references};
use super::msgid::{self, Message};
use super::po::Catalog;
use super::status::{Lookup, Tally, words};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Block, BlockKind, Book, Inline, Link, LinkTarget, inlines_text};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// What translating a book did.
#[derive(Debug, Default)]
pub struct Applied {
    /// Segments by state (each distinct text once), as `status` counts.
    pub tally: Tally,
}

/// Translates `book` into `lang` in place from `catalog` (read from
/// `po_path`): its name becomes `<name>.<lang>`, its language `lang`.
pub fn translate_book(
    book: &mut Book,
    catalog: Option<&Catalog>,
    po_path: &Path,
    lang: &str,
    keys: &[String],
    diags: &mut Diagnostics,
) -> Applied {
    let source = book.meta.language.clone();
    let mark = (!source.eq_ignore_ascii_case(lang)).then_some(source);
    let applied = translate(book, catalog, po_path, (Some(lang), keys), mark, diags);
    book.meta.name = format!("{}.{lang}", book.meta.name);
    book.meta.language = lang.to_string();
    // A Hebrew translation of an English book runs right to left.
    book.meta.direction = crate::model::Direction::of_language(lang);
    // folio's own words in `lang`: built-in, the catalog's `folio-ui`
    // entries over them.
    book.meta.labels = super::labels::resolve(lang, catalog, po_path, diags);
    applied
}

/// Fills in a Hugo site's book in another language (its pages `page.L.md`
/// translations): a segment that is still source text and has a
/// translation in `catalog` takes it; the rest stays as written, unmarked
/// (folio cannot tell a translator's words from the source's there).
pub fn fill_book(
    book: &mut Book,
    catalog: &Catalog,
    po_path: &Path,
    keys: &[String],
    diags: &mut Diagnostics,
) -> Applied {
    translate(book, Some(catalog), po_path, (None, keys), None, diags)
}

/// Whether `page` was read from its Hugo translation into `lang`
/// (`guide.de.md` for `de`).
fn is_translation_page(page: &crate::model::Page, lang: &str) -> bool {
    page.source
        .file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| s.rsplit_once('.'))
        .is_some_and(|(_, l)| l.eq_ignore_ascii_case(lang))
}

fn translate(
    book: &mut Book,
    catalog: Option<&Catalog>,
    po_path: &Path,
    (lang, keys): (Option<&str>, &[String]),
    mark: Option<String>,
    diags: &mut Diagnostics,
) -> Applied {
    let pages: HashMap<String, String> = book
        .pages
        .iter()
        .map(|p| (p.url.clone(), p.id.clone()))
        .collect();
    let mut t = Translator {
        lookup: Lookup::new(catalog),
        po_path,
        diags,
        applied: Applied::default(),
        counted: HashSet::new(),
        pages,
        base_url: book.meta.base_url.clone(),
        mark,
    };
    let meta = &mut book.meta;
    t.plain(&mut meta.title);
    if let Some(s) = &mut meta.subtitle {
        t.plain(s);
    }
    if let Some(s) = &mut meta.description {
        t.plain(s);
    }
    for page in &mut book.pages {
        if let Some(lang) = lang
            && is_translation_page(page, lang)
        {
            // Translated whole by hand: its words count as translated.
            for unit in super::extract::page_units(page, Path::new(""), keys) {
                if t.counted.insert(unit.message.text.clone()) {
                    t.applied
                        .tally
                        .add(super::status::State::Translated, words(&unit.message.text));
                }
            }
            page.lang = lang.to_string();
            continue;
        }
        let translated = t.plain(&mut page.title);
        page.title_lang = t.source_mark(translated, &page.title);
        if let Some(d) = &mut page.description {
            let translated = t.plain(d);
            page.description_lang = t.source_mark(translated, d);
        }
        t.front_matter(&mut page.front_matter, keys);
        t.blocks(&mut page.blocks);
        for f in &mut page.footnotes {
            t.blocks(&mut f.blocks);
        }
        if let Some(lang) = lang {
            page.lang = lang.to_string();
        }
    }
    t.applied
}

struct Translator<'a> {
    lookup: Lookup<'a>,
    po_path: &'a Path,
    diags: &'a mut Diagnostics,
    applied: Applied,
    counted: HashSet<String>,
    /// Page URL → page id, for links a translator writes out.
    pages: HashMap<String, String>,
    base_url: String,
    /// The source language, to mark segments left in it.
    mark: Option<String>,
}

impl Translator<'_> {
    /// The usable translation of `message`, if any; counts it.
    fn translation(&mut self, message: &Message) -> Option<String> {
        if !msgid::has_letters(&message.text) {
            return None;
        }
        let state = self.lookup.state(&message.text);
        if self.counted.insert(message.text.clone()) {
            self.applied.tally.add(state, words(&message.text));
        }
        let entry = self.lookup.entry(&message.text)?;
        if entry.msgstr.is_empty() || entry.is_fuzzy() {
            return None;
        }
        if let Some(reason) = reject_reason(&entry.msgid, &entry.msgstr) {
            self.diags.push(
                Diagnostic::warning(
                    self.po_path,
                    entry.line,
                    format!("translation not used: {reason}"),
                )
                .with_hint(
                    "the source text stands for this segment; fix the msgstr or mark it fuzzy",
                ),
            );
            return None;
        }
        Some(entry.msgstr.clone())
    }

    /// The string values of `keys` (and strings in their lists).
    fn front_matter(
        &mut self,
        front: &mut std::collections::BTreeMap<String, serde_json::Value>,
        keys: &[String],
    ) {
        for key in keys {
            match front.get_mut(key) {
                Some(serde_json::Value::String(s)) => {
                    self.plain(s);
                }
                Some(serde_json::Value::Array(items)) => {
                    for item in items {
                        if let serde_json::Value::String(s) = item {
                            self.plain(s);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Translates a plain string (a title, a description); says whether
    /// a translation was used.
    fn plain(&mut self, text: &mut String) -> bool {
        match self.translation(&msgid::plain(text)) {
            Some(t) => {
                *text = inlines_text(&parse(&t, &[], &[]));
                true
            }
            None => false,
        }
    }

    /// The source language, for a plain string with letters left
    /// untranslated in a marked build.
    fn source_mark(&self, translated: bool, text: &str) -> Option<String> {
        self.mark
            .clone()
            .filter(|_| !translated && msgid::has_letters(text))
    }

    fn inlines(&mut self, content: &mut Vec<Inline>) {
        let message = msgid::message(content);
        if let Some(t) = self.translation(&message) {
            let mut new = parse(&t, &references(content), &footnotes(content));
            self.resolve(&mut new);
            *content = new;
        } else if let Some(source) = &self.mark
            && msgid::has_letters(&message.text)
        {
            // Left in the source language: say so for readers and tools.
            *content = vec![Inline::Span {
                classes: Vec::new(),
                lang: Some(source.clone()),
                content: std::mem::take(content),
            }];
        }
    }

    /// Links a translator wrote out (`[text](/de/faq/)`): to a page of the
    /// book when one has that URL, else to the web.
    fn resolve(&self, inlines: &mut [Inline]) {
        for i in inlines {
            match i {
                Inline::Link { link, content, .. } => {
                    if link.target == LinkTarget::Unresolved {
                        *link = self.resolved(&link.href);
                    }
                    self.resolve(content);
                }
                Inline::Emph { content }
                | Inline::Strong { content }
                | Inline::Strike { content }
                | Inline::Sup { content }
                | Inline::Sub { content }
                | Inline::Span { content, .. } => self.resolve(content),
                _ => {}
            }
        }
    }

    fn resolved(&self, href: &str) -> Link {
        let (path, anchor) = match href.split_once('#') {
            Some((p, a)) => (p, Some(a.to_string())),
            None => (href, None),
        };
        let absolute = format!(
            "{}{}",
            self.base_url.trim_end_matches('/'),
            if path.starts_with('/') { path } else { "/" }
        );
        let target = if href.contains("://") || href.starts_with("mailto:") {
            LinkTarget::External { url: href.into() }
        } else if let Some(page) = self.pages.get(path) {
            LinkTarget::Internal {
                page: page.clone(),
                anchor,
                url: absolute,
            }
        } else {
            LinkTarget::External { url: absolute }
        };
        Link {
            href: href.to_string(),
            target,
        }
    }

    fn blocks(&mut self, blocks: &mut [Block]) {
        for b in blocks {
            self.block(b);
        }
    }

    fn block(&mut self, b: &mut Block) {
        match &mut b.kind {
            BlockKind::Paragraph { content } | BlockKind::Heading { content, .. } => {
                self.inlines(content)
            }
            BlockKind::List { items, .. } => {
                for item in items {
                    self.blocks(&mut item.blocks);
                }
            }
            BlockKind::Quote { blocks } | BlockKind::Container { blocks, .. } => {
                self.blocks(blocks)
            }
            BlockKind::Details {
                summary, blocks, ..
            } => {
                self.inlines(summary);
                self.blocks(blocks);
            }
            BlockKind::Table(table) => {
                for cell in table.head.iter_mut().chain(table.rows.iter_mut().flatten()) {
                    self.inlines(cell);
                }
            }
            BlockKind::Figure(f) => {
                self.inlines(&mut f.caption);
                if let Some(alt) = &mut f.alt {
                    self.plain(alt);
                }
                if let Some(title) = &mut f.title {
                    self.plain(title);
                }
            }
            BlockKind::Qr(qr) => {
                if let Some(alt) = &mut qr.alt {
                    self.plain(alt);
                }
            }
            BlockKind::Embed(e) => {
                if let Some(title) = &mut e.title {
                    self.plain(title);
                }
            }
            BlockKind::Code { .. } | BlockKind::Rule => {}
        }
    }
}
