//! Document metadata and the fix-ups printpdf's output needs: the Info
//! dictionary from the book (dates from `SOURCE_DATE_EPOCH`), `/Lang`, a
//! version header matching the features used, a content-derived `/ID`.

use crate::date::civil;
use crate::model::BookMeta;
use lopdf::{Dictionary, Document, Object, StringFormat};
use sha2::{Digest, Sha256};

/// Producer string written into the Info dictionary.
pub const PRODUCER: &str = concat!(
    "folio ",
    env!("CARGO_PKG_VERSION"),
    " (printpdf 0.12, lopdf 0.44)"
);

/// A PDF date string, `D:YYYYMMDDHHmmSSZ`.
pub fn pdf_date(ts: i64) -> String {
    let c = civil(ts);
    format!(
        "D:{:04}{:02}{:02}{:02}{:02}{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// A PDF text string: PDFDocEncoding-safe ASCII as is, anything else as
/// UTF-16BE with a byte order mark.
pub fn text_string(s: &str) -> Object {
    if s.chars().all(|c| c.is_ascii() && !c.is_ascii_control()) {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for unit in s.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

/// Writes the Info dictionary and catalog entries, and sets the version.
pub fn apply(doc: &mut Document, meta: &BookMeta) -> anyhow::Result<()> {
    let mut info = Dictionary::new();
    info.set("Title", text_string(&meta.title));
    if !meta.authors.is_empty() {
        info.set("Author", text_string(&meta.authors.join(", ")));
    } else if let Some(p) = &meta.publisher {
        info.set("Author", text_string(p));
    }
    if let Some(d) = meta.description.as_ref().or(meta.subtitle.as_ref()) {
        info.set("Subject", text_string(d));
    }
    if !meta.keywords.is_empty() {
        info.set("Keywords", text_string(&meta.keywords.join(", ")));
    }
    info.set(
        "Creator",
        text_string(concat!("folio ", env!("CARGO_PKG_VERSION"))),
    );
    info.set("Producer", text_string(PRODUCER));
    let date = pdf_date(meta.date);
    info.set("CreationDate", Object::string_literal(date.clone()));
    info.set("ModDate", Object::string_literal(date));
    info.set("Trapped", Object::Name(b"False".to_vec()));
    let info_id = doc.add_object(info);
    doc.trailer.set("Info", Object::Reference(info_id));

    let catalog = doc.catalog_mut()?;
    // printpdf writes XMP with random ids and its own dates, and a
    // `/PageMode` string: replace with what we mean.
    catalog.remove(b"Metadata");
    catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    catalog.set("PageLayout", Object::Name(b"OneColumn".to_vec()));
    if !meta.language.is_empty() {
        catalog.set("Lang", text_string(&meta.language));
    }
    let mut prefs = Dictionary::new();
    prefs.set("DisplayDocTitle", Object::Boolean(true));
    catalog.set("ViewerPreferences", prefs);
    // Transparency (the logo's soft mask) needs PDF 1.4.
    doc.version = "1.4".to_string();
    Ok(())
}

/// Removes what printpdf adds for PDF/X that folio does not claim, in every
/// dictionary (an empty `/GTS_PDFXVersion` makes readers think the file is
/// PDF/X), and output intents.
pub fn strip_pdfx(doc: &mut Document) {
    for obj in doc.objects.values_mut() {
        if let Object::Dictionary(d) = obj {
            d.remove(b"GTS_PDFXVersion");
            d.remove(b"GTS_PDFXConformance");
        }
    }
    if let Ok(c) = doc.catalog_mut() {
        c.remove(b"OutputIntents");
    }
}

/// Flate-compresses every stream that has no filter yet (printpdf leaves
/// page contents uncompressed). Level 6: glyph-id streams are repetitive, so
/// lopdf's own `compress` (level 9) costs much more time for little gain.
pub fn compress(doc: &mut Document) {
    use flate2::Compression;
    use flate2::write::ZlibEncoder;
    use std::io::Write;
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        let mut encoder = ZlibEncoder::new(
            Vec::with_capacity(stream.content.len() / 4),
            Compression::new(6),
        );
        if encoder.write_all(&stream.content).is_err() {
            continue;
        }
        let Ok(compressed) = encoder.finish() else {
            continue;
        };
        if compressed.len() + 19 < stream.content.len() {
            stream
                .dict
                .set("Filter", Object::Name(b"FlateDecode".to_vec()));
            stream.set_content(compressed);
        }
    }
}

/// Saves the document with an `/ID` that is a hash of its bytes, so identical
/// input gives identical output and different documents different ids. The
/// id is written as a placeholder of the same length and patched afterwards,
/// which saves serialising twice.
pub fn save_with_id(doc: &mut Document) -> anyhow::Result<Vec<u8>> {
    let placeholder = vec![0u8; 16];
    doc.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(placeholder.clone(), StringFormat::Hexadecimal),
            Object::String(placeholder, StringFormat::Hexadecimal),
        ]),
    );
    let mut out = Vec::new();
    doc.save_to(&mut out)?;
    let hash = Sha256::digest(&out);
    let hex: String = hash[..16].iter().map(|b| format!("{b:02X}")).collect();
    let needle = format!("<{}>", "0".repeat(32));
    // The trailer comes last: patch the last two occurrences.
    let mut patched = 0;
    let mut end = out.len();
    while patched < 2 {
        let Some(pos) = find_last(&out[..end], needle.as_bytes()) else {
            break;
        };
        out[pos + 1..pos + 33].copy_from_slice(hex.as_bytes());
        end = pos;
        patched += 1;
    }
    Ok(out)
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
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
