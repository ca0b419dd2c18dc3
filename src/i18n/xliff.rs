//! XLIFF 2.1 for CAT tools: a language's PO file written as one `<unit>`
//! per message (inline Markdown as `<pc>`/`<ph>` codes with their original
//! data, see [`super::codes`]) and translations read back into the PO
//! file, which stays the master: import sets only msgstr and the fuzzy
//! flag. States: untranslated is `initial`, fuzzy `translated` (not yet
//! accepted), translated `final`; on import `reviewed` counts as `final`.

use super::codes::{Piece, join, split};
use super::po::Catalog;
use crate::diag::Diagnostic;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

/// The XLIFF document of `catalog` (source language `src`, target `trg`).
pub fn export(catalog: &Catalog, src: &str, trg: &str) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.1\" srcLang=\"{}\" trgLang=\"{}\">",
        attr(src),
        attr(trg)
    );
    out.push_str("  <file id=\"messages\">\n");
    let mut ids = HashSet::new();
    for (n, e) in catalog.entries.iter().filter(|e| !e.obsolete).enumerate() {
        let id = unit_id(e.extracted.iter(), n, &mut ids);
        let _ = writeln!(out, "    <unit id=\"{}\">", attr(&id));
        let mut notes = String::new();
        if let Some(ctxt) = &e.msgctxt {
            let _ = writeln!(
                notes,
                "        <note category=\"msgctxt\">{}</note>",
                text(ctxt)
            );
        }
        if !e.references.is_empty() {
            let _ = writeln!(
                notes,
                "        <note category=\"location\">{}</note>",
                text(&e.references.join(" "))
            );
        }
        for c in e.extracted.iter().filter(|c| !c.starts_with("id: ")) {
            let _ = writeln!(
                notes,
                "        <note category=\"developer\">{}</note>",
                text(c)
            );
        }
        if !notes.is_empty() {
            let _ = write!(out, "      <notes>\n{notes}      </notes>\n");
        }
        let mut data = Data::default();
        let source = data.inline(&split(&e.msgid), None);
        let target =
            (!e.msgstr.is_empty()).then(|| data.inline(&split(&e.msgstr), Some(&source.1)));
        if !data.items.is_empty() {
            out.push_str("      <originalData>\n");
            for (id, d) in &data.items {
                let _ = writeln!(out, "        <data id=\"{id}\">{}</data>", text(d));
            }
            out.push_str("      </originalData>\n");
        }
        let state = if e.msgstr.is_empty() {
            "initial"
        } else if e.is_fuzzy() {
            "translated"
        } else {
            "final"
        };
        let _ = writeln!(out, "      <segment state=\"{state}\">");
        let _ = writeln!(out, "        <source>{}</source>", source.0);
        if let Some((t, _)) = target {
            let _ = writeln!(out, "        <target>{t}</target>");
        }
        out.push_str("      </segment>\n    </unit>\n");
    }
    out.push_str("  </file>\n</xliff>\n");
    out
}

/// A unit id (an XML NMTOKEN) from the entry's `id:` comment: `/` as `:`,
/// other characters a name may not hold as `_`; `u<n>` without one.
fn unit_id<'a>(
    mut comments: impl Iterator<Item = &'a String>,
    n: usize,
    seen: &mut HashSet<String>,
) -> String {
    let base = comments
        .find_map(|c| c.strip_prefix("id: "))
        .map(|id| {
            id.chars()
                .map(|c| match c {
                    '/' => ':',
                    c if c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':') => c,
                    _ => '_',
                })
                .collect::<String>()
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("u{}", n + 1));
    let mut id = base.clone();
    let mut k = 1;
    while !seen.insert(id.clone()) {
        k += 1;
        id = format!("{base}-{k}");
    }
    id
}

/// The original data of one unit's codes.
#[derive(Default)]
struct Data {
    items: Vec<(String, String)>,
    codes: usize,
}

/// The codes written for a source: (code id, start data, end data).
type Codes = Vec<(String, String, String)>;

impl Data {
    fn add(&mut self, d: &str) -> String {
        let id = format!("d{}", self.items.len() + 1);
        self.items.push((id.clone(), d.to_string()));
        id
    }

    fn data_id(&self, d: &str) -> Option<String> {
        self.items
            .iter()
            .find(|(_, v)| v == d)
            .map(|(id, _)| id.clone())
    }

    /// The XML of `pieces`, and its codes; a target's codes take the id of
    /// the source's code with the same data (each once).
    fn inline(&mut self, pieces: &[Piece], source: Option<&Codes>) -> (String, Codes) {
        let mut out = String::new();
        let mut codes: Codes = Vec::new();
        let mut used: HashSet<String> = HashSet::new();
        let mut open: Vec<()> = Vec::new();
        let code_id = |this: &mut Self, start: &str, end: &str, used: &mut HashSet<String>| {
            if let Some(src) = source
                && let Some((id, _, _)) = src
                    .iter()
                    .find(|(id, s, e)| s == start && e == end && !used.contains(id))
            {
                used.insert(id.clone());
                return id.clone();
            }
            this.codes += 1;
            let id = if source.is_some() {
                format!("t{}", this.codes)
            } else {
                this.codes.to_string()
            };
            used.insert(id.clone());
            id
        };
        for p in pieces {
            match p {
                Piece::Text(t) => out.push_str(&text_or_codes(t, self)),
                Piece::Open { start, end } => {
                    let id = code_id(self, start, end, &mut used);
                    let s = self.data_id(start).unwrap_or_else(|| self.add(start));
                    let e = self.data_id(end).unwrap_or_else(|| self.add(end));
                    let _ = write!(
                        out,
                        "<pc id=\"{id}\" dataRefStart=\"{s}\" dataRefEnd=\"{e}\">"
                    );
                    codes.push((id, start.clone(), end.clone()));
                    open.push(());
                }
                Piece::Close => {
                    if open.pop().is_some() {
                        out.push_str("</pc>");
                    }
                }
                Piece::Placeholder(d) => {
                    let id = code_id(self, d, "", &mut used);
                    let r = self.data_id(d).unwrap_or_else(|| self.add(d));
                    let _ = write!(out, "<ph id=\"{id}\" dataRef=\"{r}\"/>");
                    codes.push((id, d.clone(), String::new()));
                }
            }
        }
        while open.pop().is_some() {
            out.push_str("</pc>");
        }
        (out, codes)
    }
}

/// Escaped text; characters XML cannot hold become placeholders.
fn text_or_codes(t: &str, data: &mut Data) -> String {
    let mut out = String::new();
    for c in t.chars() {
        if is_xml_char(c) {
            out.push_str(&text(c.encode_utf8(&mut [0; 4])));
        } else {
            let d = c.to_string();
            let r = data.data_id(&d).unwrap_or_else(|| data.add(&d));
            data.codes += 1;
            let _ = write!(out, "<ph id=\"c{}\" dataRef=\"{r}\"/>", data.codes);
        }
    }
    out
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn attr(s: &str) -> String {
    text(s).replace('"', "&quot;")
}

/// One unit read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub id: String,
    pub msgctxt: Option<String>,
    pub source: String,
    pub target: Option<String>,
    pub state: String,
    /// The line of the unit in the file.
    pub line: u32,
}

/// Which part of a unit the reader is in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Into_ {
    None,
    Ctxt,
    Data,
    Source,
    Target,
}

/// Reads an XLIFF 2 document's units; `path` names it in errors.
pub fn import(path: &Path, xml: &str) -> Result<Vec<Imported>, Diagnostic> {
    let mut reader = Reader::from_str(xml);
    let mut st = Importer {
        path,
        xml,
        counted: (0, 1),
        units: Vec::new(),
        unit: None,
        data: HashMap::new(),
        data_id: String::new(),
        buf: String::new(),
        into: Into_::None,
        pieces: Vec::new(),
        seen_xliff: false,
    };
    loop {
        let pos = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let line = st.line_at(reader.error_position());
                return Err(Diagnostic::error(
                    path,
                    line,
                    format!("malformed XLIFF: {e}"),
                ));
            }
        };
        match event {
            Event::Eof => break,
            Event::Start(e) => st.start(&e, pos, false)?,
            Event::Empty(e) => st.start(&e, pos, true)?,
            Event::End(e) => st.end(e.local_name().as_ref()),
            Event::Text(t) => {
                let s = t
                    .decode()
                    .map_err(|e| st.error(pos, &format!("bad text: {e}")))?;
                st.text(&s);
            }
            Event::CData(t) => st.text(&String::from_utf8_lossy(&t)),
            Event::GeneralRef(r) => {
                let s = match &*r {
                    b"lt" => "<".to_string(),
                    b"gt" => ">".to_string(),
                    b"amp" => "&".to_string(),
                    b"quot" => "\"".to_string(),
                    b"apos" => "'".to_string(),
                    _ => match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => return Err(st.error(pos, "unknown entity")),
                    },
                };
                st.text(&s);
            }
            _ => {}
        }
    }
    if !st.seen_xliff {
        return Err(Diagnostic::error(
            path,
            1,
            "not an XLIFF document (no <xliff> element)",
        ));
    }
    Ok(st.units)
}

/// The reader's state between events.
struct Importer<'a> {
    path: &'a Path,
    xml: &'a str,
    /// Lines counted so far: (byte offset, line there), so that locating
    /// every unit costs one pass over the file.
    counted: (usize, u32),
    units: Vec<Imported>,
    unit: Option<Imported>,
    data: HashMap<String, String>,
    data_id: String,
    buf: String,
    into: Into_,
    pieces: Vec<Piece>,
    seen_xliff: bool,
}

impl Importer<'_> {
    fn line_at(&mut self, pos: u64) -> u32 {
        let pos = usize::try_from(pos)
            .unwrap_or(usize::MAX)
            .min(self.xml.len());
        let (from, line) = if pos >= self.counted.0 {
            self.counted
        } else {
            (0, 1)
        };
        let n = self
            .xml
            .as_bytes()
            .get(from..pos)
            .map_or(0, |s| s.iter().filter(|&&b| b == b'\n').count());
        let line = line.saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
        self.counted = (pos, line);
        line
    }

    fn error(&mut self, pos: u64, message: &str) -> Diagnostic {
        let line = self.line_at(pos);
        Diagnostic::error(self.path, line, message.to_string())
    }

    fn in_segment_text(&self) -> bool {
        matches!(self.into, Into_::Source | Into_::Target)
    }

    fn start(&mut self, e: &BytesStart, pos: u64, empty: bool) -> Result<(), Diagnostic> {
        match local(e).as_str() {
            "xliff" => {
                if !get(e, "version").unwrap_or_default().starts_with("2.") {
                    return Err(
                        self.error(pos, "not an XLIFF 2 document (version=\"2.x\" expected)")
                    );
                }
                self.seen_xliff = true;
            }
            "unit" if !empty => {
                self.data.clear();
                let line = self.line_at(pos);
                self.unit = Some(Imported {
                    id: get(e, "id").unwrap_or_default(),
                    msgctxt: None,
                    source: String::new(),
                    target: None,
                    state: "initial".into(),
                    line,
                });
            }
            "note" if !empty && get(e, "category").as_deref() == Some("msgctxt") => {
                self.into = Into_::Ctxt;
                self.buf.clear();
            }
            "data" if !empty => {
                self.into = Into_::Data;
                self.data_id = get(e, "id").unwrap_or_default();
                self.buf.clear();
            }
            "segment" => {
                if let Some(u) = &mut self.unit {
                    u.state = get(e, "state").unwrap_or_else(|| "initial".into());
                }
            }
            "source" | "target" if !empty => {
                self.into = if local(e) == "source" {
                    Into_::Source
                } else {
                    Into_::Target
                };
                self.pieces.clear();
            }
            "pc" if self.in_segment_text() => {
                let open = pc(e, &self.data).ok_or_else(|| {
                    self.error(pos, "<pc> without known dataRefStart and dataRefEnd")
                })?;
                self.pieces.push(open);
                // An empty pair: start and end with nothing between.
                if empty {
                    self.pieces.push(Piece::Close);
                }
            }
            "ph" if self.in_segment_text() => {
                let d = code_data(e, "dataRef", &self.data)
                    .ok_or_else(|| self.error(pos, "<ph> without known dataRef"))?;
                self.pieces.push(Piece::Placeholder(d));
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &[u8]) {
        match name {
            b"unit" => self.units.extend(self.unit.take()),
            b"pc" if self.in_segment_text() => self.pieces.push(Piece::Close),
            b"note" if self.into == Into_::Ctxt => {
                if let Some(u) = &mut self.unit {
                    u.msgctxt = Some(self.buf.clone());
                }
                self.into = Into_::None;
            }
            b"data" if self.into == Into_::Data => {
                self.data
                    .insert(std::mem::take(&mut self.data_id), self.buf.clone());
                self.into = Into_::None;
            }
            b"source" | b"target" if self.in_segment_text() => {
                let md = join(&self.pieces);
                if let Some(u) = &mut self.unit {
                    if self.into == Into_::Source {
                        u.source = md;
                    } else {
                        u.target = Some(md);
                    }
                }
                self.into = Into_::None;
            }
            _ => {}
        }
    }

    fn text(&mut self, s: &str) {
        push_text(self.into, &mut self.buf, &mut self.pieces, s);
    }
}

/// A `<pc>`'s start as a piece, from its data references.
fn pc(e: &BytesStart, data: &HashMap<String, String>) -> Option<Piece> {
    Some(Piece::Open {
        start: code_data(e, "dataRefStart", data)?,
        end: code_data(e, "dataRefEnd", data)?,
    })
}

fn push_text(into: Into_, buf: &mut String, pieces: &mut Vec<Piece>, s: &str) {
    match into {
        Into_::Source | Into_::Target => match pieces.last_mut() {
            Some(Piece::Text(t)) => t.push_str(s),
            _ => pieces.push(Piece::Text(s.to_string())),
        },
        Into_::Ctxt | Into_::Data => buf.push_str(s),
        Into_::None => {}
    }
}

fn local(e: &BytesStart) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

fn get(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == name.as_bytes())
            .then(|| a.unescape_value().ok().map(|v| v.into_owned()))
            .flatten()
    })
}

fn code_data(e: &BytesStart, attr_name: &str, data: &HashMap<String, String>) -> Option<String> {
    data.get(&get(e, attr_name)?).cloned()
}

/// What applying imported units to a PO file did.
#[derive(Debug, Default)]
pub struct Merged {
    pub updated: usize,
    /// Units whose source is no message of the PO file (line of each).
    pub unknown: Vec<(u32, String)>,
}

/// Sets the msgstr and fuzzy flag of `catalog`'s entries from `units`.
pub fn apply(catalog: &mut Catalog, units: &[Imported]) -> Merged {
    let mut merged = Merged::default();
    for u in units {
        let Some(e) = catalog
            .entries
            .iter_mut()
            .find(|e| !e.obsolete && e.msgid == u.source && e.msgctxt == u.msgctxt)
        else {
            merged.unknown.push((u.line, u.id.clone()));
            continue;
        };
        let target = u.target.clone().unwrap_or_default();
        let fuzzy = !target.is_empty() && matches!(u.state.as_str(), "initial" | "translated");
        if e.msgstr != target || e.is_fuzzy() != fuzzy {
            merged.updated += 1;
        }
        e.msgstr = target;
        e.set_fuzzy(fuzzy);
        if !fuzzy {
            e.previous_msgid = None;
            e.previous_msgctxt = None;
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::po::{Entry, write};

    fn catalog() -> Catalog {
        let mut entries = Vec::new();
        let mut add = |id: &str, s: &str, fuzzy: bool, ctxt: Option<&str>| {
            let mut e = Entry::new(ctxt.map(str::to_string), id.into());
            e.msgstr = s.into();
            e.set_fuzzy(fuzzy);
            e.extracted = vec![
                format!("id: page/p-{}", entries.len()),
                "type: paragraph".into(),
            ];
            e.references = vec!["content/a.md:3".into()];
            entries.push(e);
        };
        add(
            "Read the [FAQ][1] & *more* `a<b`[^n]",
            "Lies die [FAQ][1] & *mehr* `a<b`[^n]",
            false,
            None,
        );
        add("Untranslated \\*star\\* <sup>2</sup>", "", false, None);
        add(
            "A fuzzy one\\\nwith a break",
            "Ein unscharfer\\\nmit Umbruch",
            true,
            None,
        );
        add("Contents", "Inhalt", false, Some("folio-ui"));
        add(
            "![logo][1] and [a ![b][2] c][3]",
            "![Logo][1] und [a ![b][2] c][3]",
            false,
            None,
        );
        add("Emph moved *x* y", "Y *x* bewegt, [neu](/de/)", false, None);
        Catalog {
            header: None,
            entries,
        }
    }

    #[test]
    fn export_then_import_changes_nothing() {
        let c = catalog();
        let xml = export(&c, "en", "de");
        let mut r = Reader::from_str(&xml);
        while !matches!(r.read_event().expect("well-formed"), Event::Eof) {}
        let units = import(Path::new("po/de.xlf"), &xml).expect("reads");
        assert_eq!(units.len(), c.entries.len());
        let mut back = c.clone();
        for e in &mut back.entries {
            e.msgstr = "garbage".into();
            e.set_fuzzy(false);
        }
        let merged = apply(&mut back, &units);
        assert!(merged.unknown.is_empty());
        assert_eq!(write(&back), write(&c));
    }

    #[test]
    fn codes_states_and_ids_are_written() {
        let xml = export(&catalog(), "en", "de");
        assert!(xml.contains("<unit id=\"page:p-0\">"), "{xml}");
        assert!(
            xml.contains("<pc id=\"1\" dataRefStart=\"d1\" dataRefEnd=\"d2\">FAQ</pc>"),
            "{xml}"
        );
        assert!(xml.contains("<data id=\"d2\">][1]</data>"), "{xml}");
        assert!(xml.contains("<data id=\"d4\">`a&lt;b`</data>"), "{xml}");
        assert!(xml.contains("<source>Read the <pc"), "{xml}");
        assert!(xml.contains(" &amp; "), "{xml}");
        assert_eq!(xml.matches("<segment state=\"final\">").count(), 4);
        assert_eq!(xml.matches("<segment state=\"translated\">").count(), 1);
        assert_eq!(xml.matches("<segment state=\"initial\">").count(), 1);
        assert!(xml.contains("<note category=\"msgctxt\">folio-ui</note>"));
        // A code the translation adds gets its own id and data.
        assert!(xml.contains("<pc id=\"t"), "{xml}");
    }

    #[test]
    fn broken_xliff_is_a_located_error() {
        let cases = [
            (
                "<xliff version=\"2.1\"><file><unit id=\"a\">\n<segment><source>x</target>",
                2,
            ),
            ("<xliff version=\"1.2\"/>", 1),
            ("<nothing/>", 1),
            (
                "<xliff version=\"2.1\"><file><unit id=\"a\">\n\n<segment><source><ph dataRef=\"zz\"/></source></segment></unit></file></xliff>",
                3,
            ),
        ];
        for (xml, line) in cases {
            let e = import(Path::new("po/de.xlf"), xml).expect_err(xml);
            assert!(
                e.to_string().contains(&format!("po/de.xlf:{line}")),
                "{xml}: {e}"
            );
        }
    }
}
