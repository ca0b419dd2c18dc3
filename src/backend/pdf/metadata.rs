//! Document metadata: the Info dictionary from the book (dates from
//! `SOURCE_DATE_EPOCH`), the catalog with `/Lang` and the title shown in
//! the window, a content-derived `/ID`.

use crate::date::civil;
use crate::model::BookMeta;
use pdf_writer::types::{PageLayout, PageMode};
use pdf_writer::{Name, Pdf, Ref, Str, TextStr};
use sha2::{Digest, Sha256};

/// Producer string written into the Info dictionary.
pub const PRODUCER: &str = concat!("folio ", env!("CARGO_PKG_VERSION"), " (pdf-writer 0.15)");

/// A PDF date string, `D:YYYYMMDDHHmmSSZ`.
pub fn pdf_date(ts: i64) -> String {
    let c = civil(ts);
    format!(
        "D:{:04}{:02}{:02}{:02}{:02}{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// Writes the Info dictionary at `id` from the book's metadata.
pub fn info(pdf: &mut Pdf, id: Ref, meta: &BookMeta) {
    let mut info = pdf.document_info(id);
    info.title(TextStr(&meta.title));
    let authors = meta.authors.join(", ");
    if !meta.authors.is_empty() {
        info.author(TextStr(&authors));
    } else if let Some(p) = &meta.publisher {
        info.author(TextStr(p));
    }
    if let Some(d) = meta.description.as_ref().or(meta.subtitle.as_ref()) {
        info.subject(TextStr(d));
    }
    let keywords = meta.keywords.join(", ");
    if !meta.keywords.is_empty() {
        info.keywords(TextStr(&keywords));
    }
    info.creator(TextStr(concat!("folio ", env!("CARGO_PKG_VERSION"))));
    info.producer(TextStr(PRODUCER));
    let date = pdf_date(meta.date);
    info.pair(Name(b"CreationDate"), Str(date.as_bytes()));
    info.pair(Name(b"ModDate"), Str(date.as_bytes()));
    info.pair(Name(b"Trapped"), Name(b"False"));
}

/// Writes the catalog: pages, outline, language, how viewers open it and,
/// for tagged PDF, the structure tree root and `/MarkInfo`.
pub fn catalog(
    pdf: &mut Pdf,
    id: Ref,
    pages: Ref,
    outline: Option<Ref>,
    meta: &BookMeta,
    struct_tree: Option<Ref>,
) {
    let mut catalog = pdf.catalog(id);
    catalog.pages(pages);
    if let Some(outline) = outline {
        catalog.outlines(outline);
    }
    catalog
        .page_mode(PageMode::UseOutlines)
        .page_layout(PageLayout::OneColumn);
    if !meta.language.is_empty() {
        catalog.lang(TextStr(&meta.language));
    }
    catalog.viewer_preferences().display_doc_title(true);
    if let Some(root) = struct_tree {
        catalog.pair(Name(b"StructTreeRoot"), root);
        catalog.mark_info().marked(true);
    }
}

/// What `/ID` holds until the file's hash is known: a byte string that
/// pdf-writer writes in hex, as the hash is patched in.
pub const ID_PLACEHOLDER: [u8; 16] = [0xFF; 16];

/// Patches the `/ID` placeholder of the finished file with a hash of its
/// bytes, so identical input gives identical output and different documents
/// different ids, without serialising twice.
pub fn patch_id(out: &mut [u8]) {
    let hash = Sha256::digest(&*out);
    let hex: String = hash[..16].iter().map(|b| format!("{b:02X}")).collect();
    let needle = format!("<{}>", "FF".repeat(16));
    // The trailer comes last: patch the last two occurrences.
    let mut end = out.len();
    for _ in 0..2 {
        let Some(pos) = find_last(&out[..end], needle.as_bytes()) else {
            break;
        };
        out[pos + 1..pos + 33].copy_from_slice(hex.as_bytes());
        end = pos;
    }
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    // The trailer is within the last kilobyte.
    let from = hay.len().saturating_sub(1024);
    hay[from..]
        .windows(needle.len())
        .rposition(|w| w == needle)
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(pdf_date(0), "D:19700101000000Z");
        assert_eq!(pdf_date(951_782_400), "D:20000229000000Z");
    }
}
