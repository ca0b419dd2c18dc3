//! The words of a PDF's text (as pdftotext reads it) against the words of
//! the text backend's output for the same book.

use super::common;
use regex::Regex;
use std::collections::HashSet;

/// Superscript digits, as note marks are drawn.
const SUPERSCRIPTS: &str = "⁰¹²³⁴⁵⁶⁷⁸⁹";

/// Words of the PDF's text (pdftotext joins words at line-end hyphens:
/// "standards-" + "based" reads "standardsbased", see `missing_words`).
/// A footnote number set as a superscript reads as part of its word
/// ("note¹", "RFC 7395²"; "note1" where the face has no superscript
/// digits), so each word also counts without them.
pub fn pdf_words(text: &str) -> HashSet<String> {
    let mut set: HashSet<String> = common::words(text).into_iter().collect();
    let extra: Vec<String> = set
        .iter()
        .map(|w| {
            let w = w.trim_end_matches(|c: char| SUPERSCRIPTS.contains(c));
            if w.chars().next().is_some_and(char::is_alphabetic) {
                w.trim_end_matches(|c: char| c.is_ascii_digit())
            } else {
                w
            }
            .to_string()
        })
        .collect();
    set.extend(extra);
    set
}

/// The words of the text backend's output that must be in the PDF: link
/// reference lists, `[n]` markers, task markers, the `Notes:` label and
/// figure file names are the text output's own apparatus, not content.
fn text_tokens(text: &str) -> Vec<String> {
    let mut body = String::new();
    let mut in_links = false;
    for line in text.lines() {
        if line == "Links:" {
            in_links = true;
            continue;
        }
        // The label of the text output's note list (the PDF sets notes at
        // the foot of the page, without a heading).
        if line == "Notes:" {
            continue;
        }
        if in_links && (line.is_empty() || !line.starts_with('[')) {
            in_links = false;
        }
        if in_links {
            continue;
        }
        body.push_str(line);
        body.push('\n');
    }
    // `[x]` is the text output's task-list marker; the PDF draws a box.
    let refs = Regex::new(r"\[\s*\d+\]|\[\^\d+\]|\[[xX ]\]").unwrap();
    let fig_file = Regex::new(r"\[Figure: [^\]\s]+\.(svg|png|jpe?g|gif|webp)\]").unwrap();
    let alt = Regex::new(r"\(alt text: [^)]*\)").unwrap();
    let body = refs.replace_all(&body, " ");
    let body = fig_file.replace_all(&body, " ");
    let body = alt.replace_all(&body, " ");
    let body = body.replace("[Figure: ", " ");
    body.split_whitespace().map(str::to_string).collect()
}

/// Words of `text_out` missing from the PDF text. A compound split at a
/// line-end hyphen counts when its joined form is there.
pub fn missing_words(text_out: &str, pdf: &HashSet<String>) -> Vec<String> {
    let mut missing = Vec::new();
    for token in text_tokens(text_out) {
        let parts = common::words(&token);
        let mut ok = vec![false; parts.len()];
        for (i, p) in parts.iter().enumerate() {
            if pdf.contains(p) {
                ok[i] = true;
            }
        }
        for i in 0..parts.len().saturating_sub(1) {
            if pdf.contains(&format!("{}{}", parts[i], parts[i + 1])) {
                ok[i] = true;
                ok[i + 1] = true;
            }
        }
        for (p, good) in parts.iter().zip(ok) {
            if !good {
                missing.push(p.clone());
            }
        }
    }
    missing
}

/// How many words of `text_out` [`missing_words`] checks.
pub fn counted_words(text_out: &str) -> usize {
    text_tokens(text_out)
        .iter()
        .map(|t| common::words(t).len())
        .sum()
}
