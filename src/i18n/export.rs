//! `folio i18n export-hugo --lang L`: each source page translated into
//! `page.L.md` beside it, so the website gets the translations the books
//! have. The front matter is the source's with `title` and `description`
//! translated and a marker comment; the body is regenerated as Markdown
//! from the translated segments ([`super::markdown`]), the source text
//! standing where a translation is missing, fuzzy or rejected. A
//! `page.L.md` without the marker is a translator's own and is kept
//! unless `force`.

use super::check::reject_reason;
use super::inlines::parse;
use super::markdown::{self, Segments};
use super::msgid::{self, Message};
use super::po::Catalog;
use super::status::Lookup;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Page, inlines_text};
use crate::source::{FrontMatterFormat, split_front_matter};
use std::path::{Path, PathBuf};

/// The comment that marks a page as written by `export-hugo` (and so
/// safe to write again).
pub const MARKER: &str = "# written by `folio i18n export-hugo` from the PO file: translate there";

/// `page.L.md` for the page at `source`.
pub fn target(source: &Path, lang: &str) -> Option<PathBuf> {
    let stem = source.file_stem()?.to_str()?;
    let ext = source.extension().and_then(|e| e.to_str()).unwrap_or("md");
    Some(source.with_file_name(format!("{stem}.{lang}.{ext}")))
}

/// What an export writes.
pub struct Export<'a> {
    /// The language (`page.<lang>.md`).
    pub lang: &'a str,
    /// Front-matter keys translated besides title and description.
    pub keys: &'a [String],
    /// Replace hand-written translations too.
    pub force: bool,
}

/// The translated page for `page` (read again from its source file for
/// the front matter), or `None` with a warning when a hand-written
/// translation is there and `force` is off.
pub fn export_page(
    page: &Page,
    catalog: Option<&Catalog>,
    po_path: &Path,
    how: &Export,
    diags: &mut Diagnostics,
) -> Result<Option<(PathBuf, String)>, Diagnostic> {
    let Some(target) = target(&page.source, how.lang) else {
        return Ok(None);
    };
    if !how.force
        && let Ok(existing) = std::fs::read_to_string(&target)
        && !existing.contains(MARKER)
    {
        diags.push(
            Diagnostic::warning(&target, 0, "a hand-written translation: kept, not exported")
                .with_hint("pass --force to replace it with the PO file's translation"),
        );
        return Ok(None);
    }
    let text = std::fs::read_to_string(&page.source)
        .map_err(|e| Diagnostic::error(&page.source, 0, "cannot read the page").with_cause(e))?;
    let text = text.replace("\r\n", "\n");
    let split = split_front_matter(&text, &page.source)?;
    let mut seg = Translated {
        lookup: Lookup::new(catalog),
        po_path,
        diags,
    };
    let mut values = vec![("title".to_string(), seg.plain(&page.title))];
    if let Some(d) = page.description.as_deref() {
        values.push(("description".to_string(), seg.plain(d)));
    }
    // Only plain string values are rewritten (a list keeps its lines).
    for (key, i, text) in super::extract::front_matter_strings(page, how.keys) {
        if i.is_none() {
            values.push((key.to_string(), seg.plain(text)));
        }
    }
    let front = front_matter(split.format, split.front, &values);
    let body = markdown::body(&page.blocks, &page.footnotes, &mut seg);
    Ok(Some((target, format!("{front}\n{body}"))))
}

/// A YAML double-quoted (and TOML basic) string.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// The front matter with the top-level keys of `values` replaced (the
/// first, the title, added when the source has none), the marker first.
fn front_matter(format: FrontMatterFormat, front: &str, values: &[(String, String)]) -> String {
    let (open, sep) = match format {
        FrontMatterFormat::Toml => ("+++", " = "),
        _ => ("---", ": "),
    };
    let mut lines = vec![MARKER.to_string()];
    let mut seen_title = false;
    let keep_lines = matches!(format, FrontMatterFormat::Yaml | FrontMatterFormat::Toml);
    if keep_lines {
        for line in front.lines() {
            let key = line.split([':', '=']).next().unwrap_or_default().trim_end();
            let top = !line.starts_with([' ', '\t']);
            let value = values.iter().find(|(k, _)| top && k == key);
            if let Some((k, v)) = value {
                seen_title |= k == "title";
                lines.push(format!("{k}{sep}{}", quoted(v)));
            } else if line.trim() != MARKER {
                lines.push(line.to_string());
            }
        }
    } else {
        for (k, v) in values.iter().skip(1) {
            lines.push(format!("{k}{sep}{}", quoted(v)));
        }
    }
    if !seen_title && let Some((k, v)) = values.first() {
        lines.insert(1, format!("{k}{sep}{}", quoted(v)));
    }
    format!("{open}\n{}\n{open}\n", lines.join("\n"))
}

struct Translated<'a, 'd> {
    lookup: Lookup<'a>,
    po_path: &'a Path,
    diags: &'d mut Diagnostics,
}

impl Translated<'_, '_> {
    /// The usable translation of `text`, if any (a rejected one warned
    /// about with the PO file's line, as a build does).
    fn usable(&mut self, text: &str) -> Option<String> {
        let entry = self.lookup.entry(text)?;
        if entry.msgstr.is_empty() || entry.is_fuzzy() {
            return None;
        }
        if let Some(reason) = reject_reason(&entry.msgid, &entry.msgstr) {
            self.diags.push(Diagnostic::warning(
                self.po_path,
                entry.line,
                format!("translation not used: {reason}"),
            ));
            return None;
        }
        Some(entry.msgstr.clone())
    }
}

impl Segments for Translated<'_, '_> {
    fn inlines(&mut self, message: &Message) -> String {
        let text = if msgid::has_letters(&message.text) {
            self.usable(&message.text)
                .unwrap_or_else(|| message.text.clone())
        } else {
            message.text.clone()
        };
        markdown::inline_links(&text, &message.targets)
    }

    fn plain(&mut self, text: &str) -> String {
        let message = msgid::plain(text);
        match self.usable(&message.text) {
            Some(t) => inlines_text(&parse(&t, &[], &[])),
            None => text.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_keeps_keys_and_translates_title_and_description() {
        let yaml = "title: Quokkas\ndate: 2024-03-01\ndescription: All about \"them\"\ntags:\n  - title: nested\n";
        let v = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let out = front_matter(
            FrontMatterFormat::Yaml,
            yaml,
            &v(&[("title", "Quokkas (de)"), ("description", "Alles")]),
        );
        assert_eq!(
            out,
            format!(
                "---\n{MARKER}\ntitle: \"Quokkas (de)\"\ndate: 2024-03-01\ndescription: \"Alles\"\ntags:\n  - title: nested\n---\n"
            )
        );
        let toml = "title = 'Q'\nweight = 3\n";
        let out = front_matter(FrontMatterFormat::Toml, toml, &v(&[("title", "Q2")]));
        assert_eq!(
            out,
            format!("+++\n{MARKER}\ntitle = \"Q2\"\nweight = 3\n+++\n")
        );
        let out = front_matter(
            FrontMatterFormat::None,
            "",
            &v(&[("title", "T"), ("description", "D")]),
        );
        assert_eq!(
            out,
            format!("---\n{MARKER}\ntitle: \"T\"\ndescription: \"D\"\n---\n")
        );
    }

    #[test]
    fn the_target_sits_beside_the_source() {
        assert_eq!(
            target(Path::new("content/about/_index.md"), "de"),
            Some(PathBuf::from("content/about/_index.de.md"))
        );
    }
}
