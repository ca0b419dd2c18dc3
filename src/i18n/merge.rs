//! `folio i18n update`: a language's PO file merged with a new template
//! the way `msgmerge --previous` does it. An exact msgid keeps its
//! translation (and an obsolete one comes back); otherwise the most
//! similar translated old message, at or above [`FUZZY_THRESHOLD`], lends
//! its translation as `#, fuzzy` with the old text as `#| msgid`; old
//! translations no message uses become `#~` obsolete entries, untranslated
//! ones are dropped.

use super::po::{Catalog, Entry};
use super::template::{po_date, set_header_field};
use std::collections::HashMap;

/// msgmerge's threshold (its `FUZZY_THRESHOLD`): a similarity below it is
/// not a match.
pub const FUZZY_THRESHOLD: f64 = 0.6;

/// `old` (the language's PO file, if any) merged with `template`; a new
/// file gets `header` as its header.
pub fn merge(old: Option<&Catalog>, template: &Catalog, header: Entry, date: i64) -> Catalog {
    let empty = Catalog::default();
    let old = old.unwrap_or(&empty);
    let mut exact: HashMap<(Option<&str>, &str), usize> = HashMap::new();
    // Live entries win over obsolete ones with the same text.
    for (i, e) in old.entries.iter().enumerate().rev() {
        let key = (e.msgctxt.as_deref(), e.msgid.as_str());
        if !e.obsolete || !exact.contains_key(&key) {
            exact.insert(key, i);
        }
    }
    let candidates: Vec<usize> = (0..old.entries.len())
        .filter(|&i| {
            old.entries
                .get(i)
                .is_some_and(|e| !e.obsolete && !e.msgstr.is_empty())
        })
        .collect();
    let mut used = vec![false; old.entries.len()];
    let mut entries = Vec::with_capacity(template.entries.len());
    for t in &template.entries {
        let key = (t.msgctxt.as_deref(), t.msgid.as_str());
        let mut e = t.clone();
        e.msgstr.clear();
        e.flags.retain(|f| f != "fuzzy");
        if let Some(&i) = exact.get(&key)
            && let Some(o) = old.entries.get(i)
        {
            e.msgstr = o.msgstr.clone();
            e.translator = o.translator.clone();
            e.flags = o.flags.clone();
            if o.is_fuzzy() {
                e.previous_msgctxt = o.previous_msgctxt.clone();
                e.previous_msgid = o.previous_msgid.clone();
            }
            used[i] = true;
        } else if let Some(i) = closest(&t.msgid, t.msgctxt.as_deref(), old, &candidates)
            && let Some(o) = old.entries.get(i)
        {
            e.msgstr = o.msgstr.clone();
            e.translator = o.translator.clone();
            e.flags = o.flags.clone();
            e.set_fuzzy(true);
            e.previous_msgctxt = o.msgctxt.clone();
            e.previous_msgid = Some(o.msgid.clone());
            used[i] = true;
        }
        entries.push(e);
    }
    for (i, o) in old.entries.iter().enumerate() {
        if used.get(i).copied().unwrap_or(true) || o.msgstr.is_empty() {
            continue;
        }
        let mut gone = Entry::new(o.msgctxt.clone(), o.msgid.clone());
        gone.msgstr = o.msgstr.clone();
        gone.translator = o.translator.clone();
        gone.flags = o.flags.clone();
        if o.obsolete {
            gone.previous_msgctxt = o.previous_msgctxt.clone();
            gone.previous_msgid = o.previous_msgid.clone();
        }
        gone.obsolete = true;
        entries.push(gone);
    }
    let mut header = old.header.clone().unwrap_or(header);
    if let Some(created) = template
        .header
        .as_ref()
        .and_then(|h| field(&h.msgstr, "POT-Creation-Date"))
    {
        set_header_field(&mut header, "POT-Creation-Date", &created);
    } else {
        set_header_field(&mut header, "POT-Creation-Date", &po_date(date));
    }
    Catalog {
        header: Some(header),
        entries,
    }
}

fn field(msgstr: &str, name: &str) -> Option<String> {
    msgstr.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key.trim() == name).then(|| value.trim().to_string())
    })
}

/// The old translated message most similar to `msgid` (same context), if
/// any reaches the threshold; the first of equals.
fn closest(msgid: &str, ctxt: Option<&str>, old: &Catalog, candidates: &[usize]) -> Option<usize> {
    let a: Vec<char> = msgid.chars().collect();
    let mut best: Option<(f64, usize)> = None;
    for &i in candidates {
        let Some(o) = old.entries.get(i) else {
            continue;
        };
        if o.msgctxt.as_deref() != ctxt || o.msgid.is_empty() {
            continue;
        }
        let b: Vec<char> = o.msgid.chars().collect();
        let floor = best.map_or(FUZZY_THRESHOLD, |(s, _)| s);
        // The ratio can be no higher than the lengths allow.
        let bound = 2.0 * a.len().min(b.len()) as f64 / (a.len() + b.len()) as f64;
        if bound < floor || (bound == floor && best.is_some()) {
            continue;
        }
        let score = similarity(&a, &b);
        if score >= floor && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, i));
        }
    }
    best.map(|(_, i)| i)
}

/// `2·LCS / (|a| + |b|)` over characters: the share of the two texts a
/// diff keeps (msgmerge's `fstrcmp` measures the same).
pub fn similarity(a: &[char], b: &[char]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * lcs(a, b) as f64 / (a.len() + b.len()) as f64
}

/// Length of the longest common subsequence, bit-parallel (Allison–Dix /
/// Hyyrö): `|a|/64` words per character of `b`, so long paragraphs cost
/// microseconds.
fn lcs(a: &[char], b: &[char]) -> usize {
    let words = a.len().div_ceil(64);
    if words == 0 || b.is_empty() {
        return 0;
    }
    let mut masks: HashMap<char, Vec<u64>> = HashMap::new();
    for (i, c) in a.iter().enumerate() {
        let m = masks.entry(*c).or_insert_with(|| vec![0; words]);
        if let Some(w) = m.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }
    let zero = vec![0u64; words];
    // `v`: ones where no match is used yet (the complement of Hyyrö's row).
    let mut v = vec![u64::MAX; words];
    for c in b {
        let m = masks.get(c).unwrap_or(&zero);
        let mut carry = 0u64;
        for (vw, &mw) in v.iter_mut().zip(m) {
            let u = *vw & mw;
            let (sum1, c1) = vw.overflowing_add(u);
            let (sum2, c2) = sum1.overflowing_add(carry);
            carry = u64::from(c1 || c2);
            *vw = sum2 | (*vw - u);
        }
    }
    let mut zeros = 0usize;
    for (k, w) in v.iter().enumerate() {
        let bits = if k + 1 == words && !a.len().is_multiple_of(64) {
            a.len() % 64
        } else {
            64
        };
        let mask = if bits == 64 {
            u64::MAX
        } else {
            (1u64 << bits) - 1
        };
        zeros += (!w & mask).count_ones() as usize;
    }
    zeros
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(a: &[char], b: &[char]) -> usize {
        let mut row = vec![0usize; b.len() + 1];
        for x in a {
            let mut prev = 0;
            for (j, y) in b.iter().enumerate() {
                let keep = row[j + 1];
                row[j + 1] = if x == y {
                    prev + 1
                } else {
                    row[j + 1].max(row[j])
                };
                prev = keep;
            }
        }
        row[b.len()]
    }

    #[test]
    fn bit_parallel_lcs_equals_the_textbook_one() {
        let texts = [
            "",
            "a",
            "The quick brown fox jumps over the lazy dog.",
            "The quick brown fox jumped over the lazy cat!",
            "Grüße aus Köln — ünïcödé",
            &"abcdefghij".repeat(20),
            &"abdcefhgij".repeat(21),
        ];
        for a in texts {
            for b in texts {
                let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                assert_eq!(lcs(&a, &b), naive(&a, &b), "{a:?} / {b:?}");
            }
        }
    }

    fn entry(id: &str, str_: &str) -> Entry {
        let mut e = Entry::new(None, id.into());
        e.msgstr = str_.into();
        e
    }

    #[test]
    fn exact_kept_close_fuzzy_removed_obsolete() {
        let old = Catalog {
            header: None,
            entries: vec![
                entry("The quick brown fox jumps over the lazy dog.", "Fuchs"),
                entry("Removed message here.", "Entfernt"),
                entry("Untranslated removed.", ""),
                entry("Stays the same.", "Bleibt"),
            ],
        };
        let template = Catalog {
            header: None,
            entries: vec![
                entry("The quick brown fox jumped over the lazy dog.", ""),
                entry("Stays the same.", ""),
                entry("Something else entirely.", ""),
            ],
        };
        let head = Entry::new(None, String::new());
        let new = merge(Some(&old), &template, head, 0);
        let e = &new.entries;
        assert_eq!(e.len(), 4);
        assert!(e[0].is_fuzzy());
        assert_eq!(e[0].msgstr, "Fuchs");
        assert_eq!(
            e[0].previous_msgid.as_deref(),
            Some("The quick brown fox jumps over the lazy dog.")
        );
        assert!(e[1].is_translated());
        assert_eq!(e[1].msgstr, "Bleibt");
        assert!(e[2].msgstr.is_empty() && !e[2].is_fuzzy());
        assert!(e[3].obsolete);
        assert_eq!(e[3].msgid, "Removed message here.");
    }
}
