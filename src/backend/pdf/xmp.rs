//! The document's XMP metadata packet (the catalog's `/Metadata` stream):
//! Dublin Core title, creators, description, language, rights and
//! publisher, the XMP dates and tool, the Adobe PDF producer and keywords,
//! and the PDF/A and PDF/UA identification a file claims. Written by hand:
//! one fixed shape of RDF/XML, every value escaped.
//!
//! The values come from the same [`Described`] as the Info dictionary, so
//! each Info entry equals its XMP twin, as PDF/A requires (veraPDF compares
//! Title, Author, Subject, Keywords, Creator, Producer and the two dates).

use super::metadata::{CREATOR_TOOL, Described, PRODUCER};
use super::standard::Claims;
use crate::date::civil;
use std::fmt::Write;

/// The XMP packet of a document described by `d`, with the claims `claims`
/// (UTF-8, with the `xpacket` wrapper PDF/A asks for).
pub fn packet(d: &Described, claims: Claims) -> Vec<u8> {
    let mut x = String::with_capacity(4096);
    // The BOM in `begin` says the packet is UTF-8; the id is XMP's fixed one.
    x.push_str("<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
    x.push_str("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n");
    x.push_str("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    x.push_str("<rdf:Description rdf:about=\"\"");
    for (prefix, uri) in NAMESPACES {
        let _ = write!(x, "\n xmlns:{prefix}=\"{uri}\"");
    }
    if claims.pdfa_2u {
        x.push_str("\n xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"");
    }
    if claims.pdfua_1 {
        x.push_str("\n xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"");
    }
    let extension = claims.pdfa_2u && claims.pdfua_1;
    if extension {
        for (prefix, uri) in EXTENSION_NAMESPACES {
            let _ = write!(x, "\n xmlns:{prefix}=\"{uri}\"");
        }
    }
    x.push_str(">\n");
    dublin_core(&mut x, d);
    let date = xmp_date(d.date);
    for key in ["CreateDate", "ModifyDate", "MetadataDate"] {
        simple(&mut x, &format!("xmp:{key}"), &date);
    }
    simple(&mut x, "xmp:CreatorTool", CREATOR_TOOL);
    simple(&mut x, "pdf:Producer", PRODUCER);
    if let Some(keywords) = &d.keywords {
        simple(&mut x, "pdf:Keywords", keywords);
    }
    if claims.pdfa_2u {
        simple(&mut x, "pdfaid:part", "2");
        simple(&mut x, "pdfaid:conformance", "U");
    }
    if claims.pdfua_1 {
        simple(&mut x, "pdfuaid:part", "1");
    }
    if extension {
        x.push_str(PDFUA_EXTENSION);
    }
    x.push_str("</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
    x.into_bytes()
}

/// The schemas every packet uses.
const NAMESPACES: [(&str, &str); 3] = [
    ("dc", "http://purl.org/dc/elements/1.1/"),
    ("xmp", "http://ns.adobe.com/xap/1.0/"),
    ("pdf", "http://ns.adobe.com/pdf/1.3/"),
];

/// The PDF/A extension schema container's schemas.
const EXTENSION_NAMESPACES: [(&str, &str); 3] = [
    ("pdfaExtension", "http://www.aiim.org/pdfa/ns/extension/"),
    ("pdfaSchema", "http://www.aiim.org/pdfa/ns/schema#"),
    ("pdfaProperty", "http://www.aiim.org/pdfa/ns/property#"),
];

/// PDF/A allows only the schemas of the XMP specification (2005) and those
/// described in the file: `pdfuaid` came later (ISO 14289), so a file that
/// claims both describes it. (`pdfaid` is PDF/A's own and needs no
/// description.)
const PDFUA_EXTENSION: &str = "<pdfaExtension:schemas><rdf:Bag>\
<rdf:li rdf:parseType=\"Resource\">\
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\
<pdfaSchema:property><rdf:Seq>\
<rdf:li rdf:parseType=\"Resource\">\
<pdfaProperty:name>part</pdfaProperty:name>\
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\
<pdfaProperty:category>internal</pdfaProperty:category>\
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>\
</rdf:li>\
</rdf:Seq></pdfaSchema:property>\
</rdf:li>\
</rdf:Bag></pdfaExtension:schemas>\n";

/// The Dublin Core entries.
fn dublin_core(x: &mut String, d: &Described) {
    simple(x, "dc:format", "application/pdf");
    let lang = Some(d.language.as_str()).filter(|l| is_language_tag(l));
    alt(x, "dc:title", &d.title, lang);
    if !d.creators.is_empty() {
        list(x, "dc:creator", "Seq", &d.creators);
    }
    if let Some(subject) = &d.subject {
        alt(x, "dc:description", subject, lang);
    }
    if let Some(lang) = lang {
        list(x, "dc:language", "Bag", &[lang.to_string()]);
    }
    if !d.keyword_list.is_empty() {
        list(x, "dc:subject", "Bag", &d.keyword_list);
    }
    if let Some(publisher) = &d.publisher {
        list(x, "dc:publisher", "Bag", std::slice::from_ref(publisher));
    }
    if let Some(rights) = &d.rights {
        alt(x, "dc:rights", rights, lang);
    }
}

/// `<name>value</name>`.
fn simple(x: &mut String, name: &str, value: &str) {
    let _ = writeln!(x, "<{name}>{}</{name}>", escape(value));
}

/// A language alternative: the default and, when known, the same text
/// under the book's language.
fn alt(x: &mut String, name: &str, value: &str, lang: Option<&str>) {
    let value = escape(value);
    let _ = write!(
        x,
        "<{name}><rdf:Alt><rdf:li xml:lang=\"x-default\">{value}</rdf:li>"
    );
    if let Some(lang) = lang {
        let _ = write!(x, "<rdf:li xml:lang=\"{lang}\">{value}</rdf:li>");
    }
    let _ = writeln!(x, "</rdf:Alt></{name}>");
}

/// An ordered (`Seq`) or unordered (`Bag`) array.
fn list(x: &mut String, name: &str, kind: &str, items: &[String]) {
    let _ = write!(x, "<{name}><rdf:{kind}>");
    for item in items {
        let _ = write!(x, "<rdf:li>{}</rdf:li>", escape(item));
    }
    let _ = writeln!(x, "</rdf:{kind}></{name}>");
}

/// Text as XML character data (or an attribute value).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Whether `tag` can stand in `xml:lang` as written (letters, digits and
/// hyphens, starting with a letter: a BCP 47 tag's shape).
fn is_language_tag(tag: &str) -> bool {
    tag.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && tag.len() <= 35
        && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// An XMP (ISO 8601) date in UTC: `2023-11-14T22:13:20Z`.
pub fn xmp_date(ts: i64) -> String {
    let c = civil(ts);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::BookMeta;

    fn described() -> Described {
        let meta = BookMeta {
            title: "Tom & Jerry <\"2\">".into(),
            authors: vec!["Ann".into(), "Bo".into()],
            description: Some("About\u{1}it".into()),
            keywords: vec!["a".into(), "b".into()],
            language: "de-CH".into(),
            date: 1_700_000_000,
            ..BookMeta::default()
        };
        Described::of(&meta)
    }

    fn text(claims: Claims) -> String {
        String::from_utf8(packet(&described(), claims)).unwrap()
    }

    #[test]
    fn values_are_escaped_and_cleaned() {
        let x = text(Claims::default());
        assert!(
            x.contains("<rdf:li xml:lang=\"x-default\">Tom &amp; Jerry &lt;&quot;2&quot;&gt;</rdf:li><rdf:li xml:lang=\"de-CH\">"),
            "{x}"
        );
        // A control character (not allowed in XML) is dropped.
        assert!(x.contains(">Aboutit<"), "{x}");
        assert!(x.contains(
            "<dc:creator><rdf:Seq><rdf:li>Ann</rdf:li><rdf:li>Bo</rdf:li></rdf:Seq></dc:creator>"
        ));
        assert!(x.contains("<pdf:Keywords>a, b</pdf:Keywords>"));
        assert!(x.contains("<xmp:CreateDate>2023-11-14T22:13:20Z</xmp:CreateDate>"));
        assert!(x.contains("<dc:language><rdf:Bag><rdf:li>de-CH</rdf:li></rdf:Bag></dc:language>"));
        assert!(x.starts_with("<?xpacket begin=\"\u{FEFF}\""));
        assert!(x.ends_with("<?xpacket end=\"w\"?>"));
    }

    #[test]
    fn claims_decide_the_identification() {
        let none = text(Claims::default());
        assert!(!none.contains("pdfaid") && !none.contains("pdfuaid"));
        let ua = text(Claims {
            pdfa_2u: false,
            pdfua_1: true,
        });
        assert!(ua.contains("<pdfuaid:part>1</pdfuaid:part>"));
        // Without a PDF/A claim no schema needs describing.
        assert!(!ua.contains("pdfaExtension") && !ua.contains("pdfaid"));
        let both = text(Claims {
            pdfa_2u: true,
            pdfua_1: true,
        });
        assert!(
            both.contains(
                "<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>U</pdfaid:conformance>"
            )
        );
        assert!(both.contains("<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"));
    }

    #[test]
    fn odd_language_tags_stay_out_of_xml_lang() {
        assert!(is_language_tag("en") && is_language_tag("zh-Hant-TW"));
        assert!(!is_language_tag("") && !is_language_tag("en\"x") && !is_language_tag("1en"));
    }
}
