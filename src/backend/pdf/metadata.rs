//! Document metadata: the Info dictionary and the XMP packet from one
//! [`Described`] (so their entries agree; dates from `SOURCE_DATE_EPOCH`),
//! the catalog with `/Lang`, the title shown in the window, `/Metadata` and
//! the PDF/A output intent, and a content-derived `/ID`.

use super::icc;
use super::xmp;
use crate::date::civil;
use crate::model::BookMeta;
use pdf_writer::types::{OutputIntentSubtype, PageLayout, PageMode};
use pdf_writer::{Filter, Name, Pdf, Ref, Str, TextStr};
use sha2::{Digest, Sha256};

/// Producer string written into the Info dictionary.
pub const PRODUCER: &str = concat!("folio ", env!("CARGO_PKG_VERSION"), " (pdf-writer 0.15)");

/// The tool that made the document (Info `/Creator`, `xmp:CreatorTool`).
pub const CREATOR_TOOL: &str = concat!("folio ", env!("CARGO_PKG_VERSION"));

/// A PDF date string, `D:YYYYMMDDHHmmSSZ`.
pub fn pdf_date(ts: i64) -> String {
    let c = civil(ts);
    format!(
        "D:{:04}{:02}{:02}{:02}{:02}{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// What the Info dictionary and the XMP packet say of the book, each text
/// cleaned of characters XML cannot hold so both say the same.
#[derive(Debug, Clone, Default)]
pub struct Described {
    pub title: String,
    /// The authors, else the publisher.
    pub creators: Vec<String>,
    /// The description, else the subtitle.
    pub subject: Option<String>,
    /// The keywords as one string, `a, b` (Info `/Keywords`,
    /// `pdf:Keywords`), and one by one (`dc:subject`).
    pub keywords: Option<String>,
    pub keyword_list: Vec<String>,
    pub publisher: Option<String>,
    pub rights: Option<String>,
    /// BCP 47, as in the catalog's `/Lang` (may be empty).
    pub language: String,
    /// Unix seconds (`SOURCE_DATE_EPOCH`).
    pub date: i64,
}

impl Described {
    /// The description of `meta`.
    pub fn of(meta: &BookMeta) -> Described {
        let some = |s: &Option<String>| s.as_deref().map(clean).filter(|s| !s.is_empty());
        let creators: Vec<String> = if meta.authors.is_empty() {
            some(&meta.publisher).into_iter().collect()
        } else {
            meta.authors.iter().map(|a| clean(a)).collect()
        };
        let keyword_list: Vec<String> = meta.keywords.iter().map(|k| clean(k)).collect();
        Described {
            title: clean(&meta.title),
            creators,
            subject: some(&meta.description).or_else(|| some(&meta.subtitle)),
            keywords: Some(keyword_list.join(", ")).filter(|k| !k.is_empty()),
            keyword_list,
            publisher: some(&meta.publisher),
            rights: some(&meta.rights),
            language: meta.language.clone(),
            date: meta.date,
        }
    }
}

/// `s` without the characters XML 1.0 cannot hold (C0 controls but tab
/// and line ends, U+FFFE and U+FFFF).
pub fn clean(s: &str) -> String {
    s.chars()
        .filter(|&c| c >= ' ' || matches!(c, '\t' | '\n' | '\r'))
        .filter(|&c| !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        .collect()
}

/// Writes the Info dictionary at `id`. `/Author` is written when there is
/// one creator: PDF/A wants it equal to the one entry of `dc:creator`, and
/// several authors are listed in the XMP only.
pub fn info(pdf: &mut Pdf, id: Ref, d: &Described) {
    let mut info = pdf.document_info(id);
    info.title(TextStr(&d.title));
    if let [author] = d.creators.as_slice() {
        info.author(TextStr(author));
    }
    if let Some(subject) = &d.subject {
        info.subject(TextStr(subject));
    }
    if let Some(keywords) = &d.keywords {
        info.keywords(TextStr(keywords));
    }
    info.creator(TextStr(CREATOR_TOOL));
    info.producer(TextStr(PRODUCER));
    let date = pdf_date(d.date);
    info.pair(Name(b"CreationDate"), Str(date.as_bytes()));
    info.pair(Name(b"ModDate"), Str(date.as_bytes()));
    info.pair(Name(b"Trapped"), Name(b"False"));
}

/// The objects of the catalog that archival and accessible files need.
#[derive(Debug, Clone, Copy)]
pub struct Archival {
    /// The XMP metadata stream.
    pub metadata: Ref,
    /// The sRGB ICC profile of the PDF/A output intent, when PDF/A is
    /// claimed.
    pub output_profile: Option<Ref>,
    /// The structure tree root of a tagged file.
    pub struct_tree: Option<Ref>,
}

/// Writes the XMP packet of `d` at `id`, uncompressed (PDF/A: a metadata
/// stream has no filter, so that it can be found without PDF tools).
pub fn xmp_stream(pdf: &mut Pdf, id: Ref, d: &Described, claims: super::standard::Claims) {
    let packet = xmp::packet(d, claims);
    pdf.metadata(id, &packet);
}

/// Writes the sRGB ICC profile of the output intent at `id`.
pub fn output_profile(pdf: &mut Pdf, id: Ref) {
    let profile = icc::srgb_profile();
    let packed = super::deflate::deflate(&profile, 6);
    let mut stream = pdf.icc_profile(id, &packed);
    stream.filter(Filter::FlateDecode);
    stream.n(3);
}

/// Writes the catalog: pages, outline, language, how viewers open it, the
/// XMP metadata, for PDF/A the sRGB output intent and, for tagged PDF, the
/// structure tree root and `/MarkInfo`.
pub fn catalog(
    pdf: &mut Pdf,
    id: Ref,
    pages: Ref,
    outline: Option<Ref>,
    meta: &BookMeta,
    archival: Archival,
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
    catalog.metadata(archival.metadata);
    if let Some(profile) = archival.output_profile {
        catalog
            .output_intents()
            .push()
            .subtype(OutputIntentSubtype::PDFA)
            .output_condition_identifier(TextStr(icc::CONDITION))
            .info(TextStr(icc::DESCRIPTION))
            .dest_output_profile(profile);
    }
    if let Some(root) = archival.struct_tree {
        catalog.pair(Name(b"StructTreeRoot"), root);
        catalog.mark_info().marked(true);
    }
}

/// What `/ID` holds until the file's hash is known: a byte string that
/// pdf-writer writes in hex, as the hash is patched in.
pub const ID_PLACEHOLDER: [u8; 16] = [0xFF; 16];

/// Patches the `/ID` placeholder of the finished file with a hash of its
/// bytes (SHA-256 of the whole file, placeholder included), so identical
/// input gives identical output and different documents different ids,
/// without serialising twice. `prefix` already hashed the first `from`
/// bytes of `out` (on another thread, while the end of the file was
/// written).
pub fn patch_id(out: &mut [u8], mut prefix: Sha256, from: usize) {
    prefix.update(out.get(from..).unwrap_or_default());
    let hash = prefix.finalize();
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
    fn info_and_xmp_share_cleaned_values() {
        let meta = BookMeta {
            title: "A\u{7}B".into(),
            publisher: Some("XSF".into()),
            keywords: vec!["x".into(), "y".into()],
            ..BookMeta::default()
        };
        let d = Described::of(&meta);
        assert_eq!(d.title, "AB");
        // No author: the publisher is the creator.
        assert_eq!(d.creators, ["XSF"]);
        assert_eq!(d.keywords.as_deref(), Some("x, y"));
        assert_eq!(clean("tab\there é\u{FFFF}"), "tab\there é");
    }

    #[test]
    fn id_from_a_hashed_prefix_is_the_whole_files() {
        let file = |tail: &str| {
            format!(
                "%PDF body\ntrailer <</ID [<{0}> <{0}>]>>{tail}",
                "FF".repeat(16)
            )
        };
        let mut whole = file("").into_bytes();
        let mut split = whole.clone();
        patch_id(&mut whole, Sha256::new(), 0);
        let mut prefix = Sha256::new();
        prefix.update(&split[..5]);
        patch_id(&mut split, prefix, 5);
        assert_eq!(whole, split);
        let text = String::from_utf8_lossy(&whole);
        assert!(!text.contains(&"FF".repeat(16)), "both ids patched: {text}");
        // Another file, another id.
        let mut other = file(" ").into_bytes();
        patch_id(&mut other, Sha256::new(), 0);
        assert_ne!(whole[..whole.len() - 1], other[..whole.len() - 1]);
    }

    #[test]
    fn dates() {
        assert_eq!(pdf_date(0), "D:19700101000000Z");
        assert_eq!(pdf_date(951_782_400), "D:20000229000000Z");
    }
}
