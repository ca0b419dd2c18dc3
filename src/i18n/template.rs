//! The template (`po/messages.pot`): one catalog for every book, units
//! with the same text merged into one entry with several references.

use super::extract::Unit;
use super::po::{Catalog, Entry};
use std::collections::HashMap;

/// The catalog of `units` (in order of first appearance), headed for
/// project `project` at build date `date` (Unix seconds).
pub fn template(units: &[Unit], project: &str, date: i64) -> Catalog {
    let mut entries: Vec<Entry> = Vec::new();
    let mut by_text: HashMap<String, usize> = HashMap::new();
    for unit in units {
        let index = *by_text.entry(unit.message.text.clone()).or_insert_with(|| {
            entries.push(Entry::new(None, unit.message.text.clone()));
            entries.len() - 1
        });
        let Some(entry) = entries.get_mut(index) else {
            continue;
        };
        add_once(&mut entry.extracted, format!("id: {}", unit.id));
        add_once(&mut entry.extracted, format!("type: {}", unit.kind));
        for (n, target) in unit.message.targets.iter().enumerate() {
            add_once(&mut entry.extracted, format!("[{}]: {target}", n + 1));
        }
        add_once(&mut entry.references, unit.reference.clone());
    }
    // Comments in a stable order: ids, then types, then targets.
    for e in &mut entries {
        e.extracted.sort_by_key(|c| {
            if c.starts_with("id: ") {
                0
            } else if c.starts_with("type: ") {
                1
            } else {
                2
            }
        });
    }
    // folio's own labels last, in context `folio-ui` (never merged with
    // a book's text of the same words).
    entries.extend(super::labels::template_entries());
    Catalog {
        header: Some(header(project, date, None)),
        entries,
    }
}

fn add_once(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// `2023-11-14 22:13+0000`, gettext's date form.
pub fn po_date(ts: i64) -> String {
    let c = crate::date::civil(ts);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}+0000",
        c.year, c.month, c.day, c.hour, c.minute
    )
}

/// The header entry: a template's (fuzzy, placeholders) when `language`
/// is `None`, else a PO file's for that language.
pub fn header(project: &str, date: i64, language: Option<&str>) -> Entry {
    let when = po_date(date);
    let (revision, lang) = match language {
        Some(l) => (when.clone(), l),
        None => ("YEAR-MO-DA HO:MI+ZONE".to_string(), ""),
    };
    let fields = [
        ("Project-Id-Version", project.to_string()),
        ("POT-Creation-Date", when),
        ("PO-Revision-Date", revision),
        ("Last-Translator", "FULL NAME <EMAIL@ADDRESS>".to_string()),
        ("Language-Team", "none".to_string()),
        ("Language", lang.to_string()),
        ("MIME-Version", "1.0".to_string()),
        ("Content-Type", "text/plain; charset=UTF-8".to_string()),
        ("Content-Transfer-Encoding", "8bit".to_string()),
        (
            "X-Generator",
            format!("folio {}", env!("CARGO_PKG_VERSION")),
        ),
    ];
    let msgstr = fields
        .iter()
        .map(|(k, v)| format!("{k}: {v}\n"))
        .collect::<String>();
    let mut e = Entry::new(None, String::new());
    e.msgstr = msgstr;
    if language.is_none() {
        e.translator = vec![
            format!("Messages of {project}, extracted by folio."),
            "This file is distributed under the same license as the project.".to_string(),
        ];
        e.set_fuzzy(true);
    }
    e
}

/// `header`'s msgstr with field `name` set to `value` (added at the end
/// when absent).
pub fn set_header_field(header: &mut Entry, name: &str, value: &str) {
    let mut found = false;
    let mut out = String::new();
    for line in header.msgstr.split_inclusive('\n') {
        match line.split_once(':') {
            Some((key, _)) if key.trim() == name => {
                out.push_str(&format!("{name}: {value}\n"));
                found = true;
            }
            _ => out.push_str(line),
        }
    }
    if !found {
        out.push_str(&format!("{name}: {value}\n"));
    }
    header.msgstr = out;
}
