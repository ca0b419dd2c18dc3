//! Gettext PO files: a reader that keeps everything a translator or
//! `msgmerge` writes (translator and extracted comments, references,
//! flags, `#|` previous strings, `#~` obsolete entries) and a writer whose
//! output `msgcat --no-wrap` leaves unchanged. Written here because the PO
//! crates drop `#|` and `#~` (polib), which `update` must keep.
//!
//! Plural entries (`msgid_plural`, `msgstr[n]`) are not folio's: the
//! reader refuses them with a located error rather than losing them.

use crate::diag::Diagnostic;
use std::path::Path;

/// One entry of a PO file (the header is the entry with an empty msgid).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// `# ` lines, the translator's own.
    pub translator: Vec<String>,
    /// `#.` lines, written by folio (ids, types, link targets).
    pub extracted: Vec<String>,
    /// `#:` references (`content/about.md:12`), one per item.
    pub references: Vec<String>,
    /// `#,` flags (`fuzzy`, `no-wrap`).
    pub flags: Vec<String>,
    /// `#| msgctxt`: the context before a fuzzy match.
    pub previous_msgctxt: Option<String>,
    /// `#| msgid`: the source text a fuzzy translation was made for.
    pub previous_msgid: Option<String>,
    pub msgctxt: Option<String>,
    pub msgid: String,
    pub msgstr: String,
    /// Written as `#~` (a message the source no longer has).
    pub obsolete: bool,
    /// The line of `msgid` in the file read (0 for a new entry).
    pub line: u32,
}

impl Entry {
    /// A new entry for `msgid`.
    pub fn new(msgctxt: Option<String>, msgid: String) -> Self {
        Entry {
            msgctxt,
            msgid,
            ..Entry::default()
        }
    }

    /// Whether the entry carries the `fuzzy` flag.
    pub fn is_fuzzy(&self) -> bool {
        self.flags.iter().any(|f| f == "fuzzy")
    }

    /// Sets or clears the `fuzzy` flag (kept first, as msgmerge writes it).
    pub fn set_fuzzy(&mut self, fuzzy: bool) {
        self.flags.retain(|f| f != "fuzzy");
        if fuzzy {
            self.flags.insert(0, "fuzzy".to_string());
        }
    }

    /// The header entry (empty msgid, no context).
    pub fn is_header(&self) -> bool {
        self.msgid.is_empty() && self.msgctxt.is_none()
    }

    /// Translated and usable: a msgstr, not fuzzy, not obsolete.
    pub fn is_translated(&self) -> bool {
        !self.msgstr.is_empty() && !self.is_fuzzy() && !self.obsolete
    }
}

/// A whole PO (or POT) file: the header entry, if any, then the others.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    pub header: Option<Entry>,
    pub entries: Vec<Entry>,
}

impl Catalog {
    /// The value of header field `name` (`Language`), if present.
    pub fn header_field(&self, name: &str) -> Option<&str> {
        let header = self.header.as_ref()?;
        header.msgstr.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            (key.trim() == name).then(|| value.trim())
        })
    }
}

/// Which string a `msgid`/`msgstr`/… keyword or continuation line fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Ctxt,
    Id,
    Str,
    PrevCtxt,
    PrevId,
}

/// Reads a PO file's text; `path` names it in errors (`path:LINE`).
pub fn parse(path: &Path, text: &str) -> Result<Catalog, Diagnostic> {
    let mut reader = Reader {
        path,
        catalog: Catalog::default(),
        entry: Entry::default(),
        field: None,
        started: false,
        has_str: false,
    };
    for (i, raw) in text.lines().enumerate() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        reader.line(raw.trim_end_matches('\r'), line_no)?;
    }
    reader.finish();
    Ok(reader.catalog)
}

struct Reader<'a> {
    path: &'a Path,
    catalog: Catalog,
    entry: Entry,
    field: Option<Field>,
    /// A keyword of the current entry has been read (a comment after it
    /// starts the next entry).
    started: bool,
    /// The current entry's msgstr keyword has been read.
    has_str: bool,
}

impl Reader<'_> {
    fn error(&self, line: u32, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.path, line, message)
    }

    fn line(&mut self, raw: &str, no: u32) -> Result<(), Diagnostic> {
        let trimmed = raw.trim_start();
        if trimmed.is_empty() {
            self.field = None;
            return Ok(());
        }
        // `#~ msgid …`, `#~| msgid …`: obsolete entry lines.
        let (obsolete, rest) = match trimmed.strip_prefix("#~") {
            Some(rest) => (true, rest.trim_start()),
            None => (false, trimmed),
        };
        if obsolete && let Some(prev) = rest.strip_prefix('|') {
            return self.previous(prev.trim_start(), no, true);
        }
        if !obsolete && rest.starts_with('#') {
            return self.comment(rest, no);
        }
        if obsolete && rest.is_empty() {
            return Ok(());
        }
        self.keyword(rest, no, obsolete)
    }

    fn comment(&mut self, rest: &str, no: u32) -> Result<(), Diagnostic> {
        if self.started {
            self.finish();
        }
        self.field = None;
        let body = |s: &str| s.strip_prefix(' ').unwrap_or(s).to_string();
        if let Some(c) = rest.strip_prefix("#.") {
            self.entry.extracted.push(body(c));
        } else if let Some(c) = rest.strip_prefix("#:") {
            self.entry
                .references
                .extend(c.split_whitespace().map(str::to_string));
        } else if let Some(c) = rest.strip_prefix("#,") {
            self.entry.flags.extend(
                c.split(',')
                    .map(str::trim)
                    .filter(|f| !f.is_empty())
                    .map(str::to_string),
            );
        } else if let Some(c) = rest.strip_prefix("#|") {
            return self.previous(c.trim_start(), no, false);
        } else {
            self.entry.translator.push(body(&rest[1..]));
        }
        Ok(())
    }

    fn previous(&mut self, rest: &str, no: u32, obsolete: bool) -> Result<(), Diagnostic> {
        if self.started {
            self.finish();
        }
        self.entry.obsolete |= obsolete;
        let (field, value) = if let Some(v) = rest.strip_prefix("msgctxt") {
            (Field::PrevCtxt, v)
        } else if let Some(v) = rest.strip_prefix("msgid") {
            (Field::PrevId, v)
        } else if rest.starts_with('"') {
            match self.field {
                Some(f @ (Field::PrevCtxt | Field::PrevId)) => (f, rest),
                _ => return Err(self.error(no, "a `#|` string continues nothing")),
            }
        } else {
            return Err(self.error(no, "`#|` must be followed by msgctxt, msgid or a string"));
        };
        let text = self.string(value.trim_start(), no)?;
        let slot = match field {
            Field::PrevCtxt => &mut self.entry.previous_msgctxt,
            _ => &mut self.entry.previous_msgid,
        };
        slot.get_or_insert_with(String::new).push_str(&text);
        self.field = Some(field);
        Ok(())
    }

    fn keyword(&mut self, rest: &str, no: u32, obsolete: bool) -> Result<(), Diagnostic> {
        let (field, value) = if let Some(v) = rest.strip_prefix("msgctxt ") {
            (Field::Ctxt, v)
        } else if rest.starts_with("msgid_plural") || rest.starts_with("msgstr[") {
            return Err(self
                .error(no, "plural messages are not supported in folio catalogs")
                .with_hint("folio extracts no plural messages; remove this entry"));
        } else if let Some(v) = rest.strip_prefix("msgid ") {
            (Field::Id, v)
        } else if let Some(v) = rest.strip_prefix("msgstr ") {
            (Field::Str, v)
        } else if rest.starts_with('"') {
            match self.field {
                Some(f) => (f, rest),
                None => return Err(self.error(no, "a string continues no msgid or msgstr")),
            }
        } else {
            return Err(self.error(no, "expected msgctxt, msgid, msgstr, a string or a comment"));
        };
        if rest.starts_with("msg") {
            // A keyword that starts an entry after a complete one.
            let begins =
                matches!(field, Field::Ctxt) || (matches!(field, Field::Id) && self.has_str);
            if begins && self.started {
                self.finish();
            }
            match field {
                Field::Str if self.entry.line == 0 => {
                    return Err(self.error(no, "msgstr without a msgid before it"));
                }
                Field::Str if self.has_str => {
                    return Err(self.error(no, "a second msgstr for one msgid"));
                }
                Field::Id if self.entry.line > 0 => {
                    return Err(self.error(no, "a second msgid without a msgstr between"));
                }
                Field::Str => self.has_str = true,
                Field::Id => self.entry.line = no,
                _ => {}
            }
            self.started = true;
            self.entry.obsolete = obsolete;
        }
        let text = self.string(value.trim_start(), no)?;
        match field {
            Field::Ctxt => self
                .entry
                .msgctxt
                .get_or_insert_with(String::new)
                .push_str(&text),
            Field::Id => self.entry.msgid.push_str(&text),
            Field::Str => self.entry.msgstr.push_str(&text),
            _ => {}
        }
        self.field = Some(field);
        Ok(())
    }

    fn string(&self, quoted: &str, no: u32) -> Result<String, Diagnostic> {
        unquote(quoted).ok_or_else(|| {
            self.error(no, "malformed string: expected text in double quotes")
                .with_hint("escape `\"` and `\\` inside a string as `\\\"` and `\\\\`")
        })
    }

    fn finish(&mut self) {
        let entry = std::mem::take(&mut self.entry);
        self.started = false;
        self.field = None;
        self.has_str = false;
        let empty = entry.line == 0
            && entry.translator.is_empty()
            && entry.extracted.is_empty()
            && entry.references.is_empty();
        if empty {
            return;
        }
        if entry.is_header() && !entry.obsolete && self.catalog.header.is_none() {
            self.catalog.header = Some(entry);
        } else {
            self.catalog.entries.push(entry);
        }
    }
}

/// The text of `"…"` with C escapes read; `None` when it is not one
/// quoted string.
fn unquote(s: &str) -> Option<String> {
    let inner = s.trim_end().strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return None,
            '\\' => out.push(match chars.next()? {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                'a' => '\u{7}',
                'b' => '\u{8}',
                'f' => '\u{c}',
                'v' => '\u{b}',
                '\\' => '\\',
                '"' => '"',
                _ => return None,
            }),
            c => out.push(c),
        }
    }
    Some(out)
}

/// The C-escaped form of `s`, as gettext writes it.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out
}

/// Writes `keyword "value"` as msgcat --no-wrap does: one line, unless the
/// value has a newline before its end; then `""` and one line per line.
fn write_string(out: &mut String, prefix: &str, keyword: &str, value: &str) {
    let inner_newline = value
        .char_indices()
        .any(|(i, c)| c == '\n' && i + 1 < value.len());
    if !inner_newline {
        out.push_str(&format!("{prefix}{keyword} \"{}\"\n", escape(value)));
        return;
    }
    out.push_str(&format!("{prefix}{keyword} \"\"\n"));
    for piece in value.split_inclusive('\n') {
        out.push_str(&format!("{prefix}\"{}\"\n", escape(piece)));
    }
}

/// The width gettext fills `#:` lines to.
const PAGE_WIDTH: usize = 79;

fn write_entry(out: &mut String, e: &Entry) {
    for c in &e.translator {
        if c.is_empty() {
            out.push_str("#\n");
        } else {
            out.push_str(&format!("# {c}\n"));
        }
    }
    for c in &e.extracted {
        out.push_str(&format!("#. {c}\n"));
    }
    if !e.references.is_empty() && !e.obsolete {
        let mut line = String::from("#:");
        for r in &e.references {
            if line.len() > 2 && line.len() + 1 + r.len() > PAGE_WIDTH {
                out.push_str(&line);
                out.push('\n');
                line = String::from("#:");
            }
            line.push(' ');
            line.push_str(r);
        }
        out.push_str(&line);
        out.push('\n');
    }
    if !e.flags.is_empty() {
        out.push_str(&format!("#, {}\n", e.flags.join(", ")));
    }
    let (prev, prefix) = if e.obsolete {
        ("#~| ", "#~ ")
    } else {
        ("#| ", "")
    };
    if let Some(c) = &e.previous_msgctxt {
        write_string(out, prev, "msgctxt", c);
    }
    if let Some(id) = &e.previous_msgid {
        write_string(out, prev, "msgid", id);
    }
    if let Some(c) = &e.msgctxt {
        write_string(out, prefix, "msgctxt", c);
    }
    write_string(out, prefix, "msgid", &e.msgid);
    write_string(out, prefix, "msgstr", &e.msgstr);
}

/// The catalog as PO text: header, live entries, then obsolete ones, a
/// blank line between entries.
pub fn write(catalog: &Catalog) -> String {
    let mut out = String::new();
    let live = catalog.entries.iter().filter(|e| !e.obsolete);
    let obsolete = catalog.entries.iter().filter(|e| e.obsolete);
    for e in catalog.header.iter().chain(live).chain(obsolete) {
        if !out.is_empty() {
            out.push('\n');
        }
        write_entry(&mut out, e);
    }
    out
}

#[cfg(test)]
#[path = "po_tests.rs"]
mod tests;
