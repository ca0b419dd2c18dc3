//! Package metadata: the stable identifier, the one date, and what
//! epub-builder has no setter for (publisher, subtitle, accessibility).

use super::escape::push_text;
use super::fixups::meta_property;
use crate::model::{BookMeta, Labels};
use epub_builder::MetadataOpfV3;
use sha2::{Digest, Sha256};

/// The book's identifier: a name-based UUID from a hash of the book's name,
/// title and base URL, so every build of the same book has the same one and
/// reading systems treat a rebuild as the same book.
pub(crate) fn identifier(meta: &BookMeta) -> uuid::Uuid {
    let mut hash = Sha256::new();
    for part in [&meta.name, &meta.title, &meta.base_url] {
        hash.update(part.as_bytes());
        hash.update([0u8]);
    }
    let digest = hash.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    // Version 5 and RFC 4122 variant bits, as for a SHA-1 name-based UUID.
    bytes[6] = (bytes[6] & 0x0f) | 0x50;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    uuid::Uuid::from_bytes(bytes)
}

/// The build date (`SOURCE_DATE_EPOCH`) as a UTC date-time.
pub(crate) fn modified(meta: &BookMeta) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(meta.date.max(0), 0).unwrap_or_default()
}

/// What the book offers readers with and without sight, for the
/// accessibility metadata.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Accessibility {
    /// Images shown in the book.
    pub images: usize,
    /// Of those, images without any text alternative.
    pub images_without_alt: usize,
    /// Page-break markers and a page list name the PDF edition's pages.
    pub page_breaks: bool,
}

/// The id epub-builder's `dc:title` gets in the fix-ups, for `title-type`.
pub(crate) const TITLE_ID: &str = "title";

/// What the book claims to conform to when every image has a text
/// alternative (headings without gaps, table headers with scope, links with
/// names and ARIA roles beside `epub:type` hold for every book folio
/// writes).
pub(crate) const CONFORMS_TO: &str = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA";

/// Properties epub-builder has no setter for: the title type, the
/// schema.org accessibility properties and, where it holds, the
/// conformance claim with who makes it (`certified_by`: the publisher).
pub(crate) fn properties(
    a11y: Accessibility,
    certified_by: Option<&str>,
    labels: &Labels,
) -> Vec<MetadataOpfV3> {
    let mut out = Vec::new();
    out.push(meta_property(
        "title-type",
        "main",
        Some(&format!("#{TITLE_ID}")),
    ));
    let prop = |name: &str, value: &str| meta_property(&format!("schema:{name}"), value, None);
    out.push(prop("accessMode", "textual"));
    if a11y.images > 0 {
        out.push(prop("accessMode", "visual"));
    }
    if a11y.images_without_alt == 0 {
        out.push(prop("accessModeSufficient", "textual"));
    }
    if a11y.images > 0 {
        out.push(prop("accessModeSufficient", "textual,visual"));
    }
    let mut features = vec![
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ];
    if a11y.images > 0 && a11y.images_without_alt == 0 {
        features.push("alternativeText");
    }
    if a11y.page_breaks {
        features.extend(["pageBreakMarkers", "pageNavigation"]);
    }
    for feature in features {
        out.push(prop("accessibilityFeature", feature));
    }
    out.push(prop("accessibilityHazard", "none"));
    // An image without a text alternative fails WCAG 1.1.1: no claim then.
    if a11y.images_without_alt == 0 {
        out.push(meta_property("dcterms:conformsTo", CONFORMS_TO, None));
        if let Some(by) = certified_by.map(str::trim).filter(|b| !b.is_empty()) {
            out.push(meta_property("a11y:certifiedBy", by, None));
        }
    }
    let images = match (a11y.images, a11y.images_without_alt) {
        (0, _) => labels.get("It has no images.").to_string(),
        (_, 0) => labels
            .get("Every image has a text alternative.")
            .to_string(),
        (_, n) => labels.fill(
            "{n} image(s) have no text alternative.",
            &[("n", &n.to_string())],
        ),
    };
    let summary = labels.get(
        "A reflowable text with headings in order, a navigable table of contents \
         and footnotes linked both ways.",
    );
    let mut text = format!("{summary} {images}");
    if a11y.page_breaks {
        text.push(' ');
        text.push_str(
            labels.get(
                "Page-break markers and a page list give the page numbers of the PDF edition.",
            ),
        );
    }
    out.push(prop("accessibilitySummary", &text));
    out
}

/// Dublin Core elements epub-builder 0.8.3 cannot write at all (its
/// metadata trait is private, its `MetadataOpfV3` only writes `<meta>`):
/// the subtitle and the publisher. [`super::fixups`] inserts them.
pub(crate) fn dc_elements(meta: &BookMeta, page_breaks: bool) -> String {
    let mut out = String::new();
    if page_breaks {
        // The print edition whose page numbers the page list gives, marked
        // as the source of the pagination (EPUB 3's `source-of`).
        out.push_str("    <dc:source id=\"pagination-source\">");
        let source = meta
            .labels
            .fill("{title} (PDF edition)", &[("title", meta.title.trim())]);
        push_text(&mut out, &source);
        out.push_str(
            "</dc:source>\n    <meta refines=\"#pagination-source\" property=\"source-of\">pagination</meta>\n",
        );
    }
    if let Some(subtitle) = meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        out.push_str("    <dc:title id=\"subtitle\">");
        push_text(&mut out, subtitle.trim());
        out.push_str("</dc:title>\n    <meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>\n");
    }
    if let Some(publisher) = meta.publisher.as_deref().filter(|s| !s.trim().is_empty()) {
        out.push_str("    <dc:publisher>");
        push_text(&mut out, publisher.trim());
        out.push_str("</dc:publisher>\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_is_stable_and_versioned() {
        let meta = BookMeta {
            name: "about-xmpp".into(),
            title: "About XMPP".into(),
            base_url: "https://xmpp.org/".into(),
            ..BookMeta::default()
        };
        let a = identifier(&meta);
        assert_eq!(a, identifier(&meta));
        assert_eq!(a.get_version_num(), 5);
        let other = BookMeta {
            title: "Other".into(),
            ..meta
        };
        assert_ne!(a, identifier(&other));
    }
}
