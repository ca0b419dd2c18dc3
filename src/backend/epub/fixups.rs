//! Everything folio corrects in epub-builder 0.8.3's output, in one place.
//! Each fix-up names the upstream shortcoming it works around, so it can be
//! dropped when epub-builder fixes it. Checked by epubcheck in the tests.
//!
//! epub-builder's zip writer is private, so most fix-ups run on the
//! finished archive: read it back, patch three text files, and write it
//! again. [`meta_property`] works around two bugs before the fact.
//!
//! | file        | upstream shortcoming                                   | fix-up |
//! |-------------|--------------------------------------------------------|--------|
//! | content.opf | `dc:language` reuses `dc:creator`'s ids (RSC-005)       | own ids |
//! | content.opf | `dc:title` has no id to refine                         | `id="title"` |
//! | content.opf | no `dc:publisher`, no subtitle (metadata trait private) | inserted |
//! | content.opf | nav document not in the spine (RSC-011 on its landmark) | second itemref |
//! | content.opf | no `xml:lang` on `<package>`                            | the book's language |
//! | content.opf | `MetadataOpfV3::add_refines` sets `id`; content unescaped | [`meta_property`] |
//! | nav.xhtml   | TOC nests by heading level only, indented per level    | folio's list |
//! | nav.xhtml   | landmarks only for files with a TOC title, never the TOC | rewritten |
//! | nav.xhtml   | no language                                            | `xml:lang`, `lang` |
//! | nav.xhtml   | no `role="doc-toc"` beside `epub:type="toc"`           | added |
//! | toc.ncx     | no `dtb:uid`, `dtb:depth` always 1, docTitle = TOC name | set |
//! | toc.ncx     | navMap nests by heading level only                     | folio's points |
//! | zip         | entries stamped with the current time                  | re-packed |
//!
//! One more lives where the strings are made: epub-builder escapes markup
//! but passes on characters XML forbids, so titles and metadata go through
//! `escape::xml_chars` first.

use super::escape::{push_attr, push_text};
use super::nav::Landmark;
use anyhow::{Context, Result};
use epub_builder::MetadataOpfV3;
use std::collections::HashMap;
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// A `<meta property>` for the OPF, built around two epub-builder 0.8.3
/// bugs in `MetadataOpfV3`: `add_refines` sets the `id` instead of
/// `refines` (so the field is set directly), and the content is written
/// without escaping (so it is escaped here).
pub(crate) fn meta_property(name: &str, value: &str, refines: Option<&str>) -> MetadataOpfV3 {
    let mut content = String::new();
    push_text(&mut content, value);
    let mut meta = MetadataOpfV3::new(name.to_string(), content);
    meta.refines = refines.map(str::to_string);
    meta
}

/// What the fix-ups need to know about the book.
pub(crate) struct FixupInput<'a> {
    pub language: &'a str,
    pub title: &'a str,
    /// `urn:uuid:...`, as in the OPF.
    pub identifier: &'a str,
    pub landmarks: &'a [Landmark],
    /// Print page markers (href, page number) for the nav's page list.
    pub page_list: &'a [(String, u32)],
    /// Depth of the TOC tree, for the NCX.
    pub toc_depth: usize,
    /// The nav document's table of contents (`<ol>`, see `nav::nav_list`).
    pub toc_list: &'a str,
    /// The NCX's `navPoint`s (see `nav::ncx_points`).
    pub ncx_points: &'a str,
    /// Unix seconds for every entry's time stamp.
    pub date: i64,
    /// Contents of the files added empty (images), by path in the archive.
    pub binaries: HashMap<String, Vec<u8>>,
    /// Files added empty (chapters) whose entries are ready, each as a
    /// one-entry archive (see `entries`), by path in the archive.
    pub deflated: HashMap<String, std::sync::Arc<Vec<u8>>>,
    /// The package files of earlier builds (`folio watch`): one patched
    /// to the same bytes is neither checked nor deflated again.
    pub package: Option<&'a super::entries::Shelf>,
    /// Metadata elements to add to the OPF (see [`super::metadata::dc_elements`]).
    pub extra_metadata: &'a str,
}

/// Patches the archive epub-builder wrote and re-packs it reproducibly.
pub(crate) fn apply(epub: &[u8], input: &FixupInput) -> Result<Vec<u8>> {
    // (The images arrive here empty and get their bytes from `binaries`.)
    let mut archive =
        ZipArchive::new(Cursor::new(epub)).context("epub-builder wrote an unreadable archive")?;
    let time = zip_time(input.date);
    let package = patched_package(&mut archive, input)?;
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(epub.len())));
    for i in 0..archive.len() {
        let name = archive.by_index_raw(i)?.name().to_string();
        if let Some(zipped) = input.deflated.get(&name).or_else(|| package.get(&name)) {
            super::entries::copy_into(&mut out, zipped, time)?;
            continue;
        }
        // The mimetype must be stored (the OCF rule epub-builder follows);
        // images are compressed already, deflating them again only costs time.
        let stored = name == "mimetype" || is_compressed(&name);
        if !input.binaries.contains_key(&name) {
            // Chapters and the stylesheet as epub-builder compressed them
            // (the same zip crate and level folio would use): copied as
            // they are, not inflated and deflated again.
            let raw = archive.by_index_raw(i)?;
            let method = raw.compression();
            if (stored && method == CompressionMethod::Stored)
                || (!stored && method == CompressionMethod::Deflated)
            {
                out.raw_copy_file_touch(raw, time, Some(0o644))?;
                continue;
            }
        }
        let data = match input.binaries.get(&name) {
            Some(binary) => binary.clone(),
            None => {
                let mut entry = archive.by_index(i)?;
                let mut data = Vec::with_capacity(entry.size() as usize);
                entry.read_to_end(&mut data)?;
                data
            }
        };
        let options = SimpleFileOptions::default()
            .compression_method(if stored {
                CompressionMethod::Stored
            } else {
                CompressionMethod::Deflated
            })
            .last_modified_time(time)
            .unix_permissions(0o644);
        out.start_file(name.as_str(), options)?;
        out.write_all(&data)?;
    }
    Ok(out.finish()?.into_inner())
}

/// The XML files epub-builder writes and folio patches, patched, checked
/// and deflated (as `entries` deflates chapters), by path in the archive.
/// A file whose patched bytes `input.package` holds was checked when it
/// was kept.
fn patched_package(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    input: &FixupInput,
) -> Result<HashMap<String, std::sync::Arc<Vec<u8>>>> {
    let mut files = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        let name = entry.name().to_string();
        if !is_generated_xml(&name) {
            continue;
        }
        let mut data = Vec::with_capacity(entry.size() as usize);
        entry.read_to_end(&mut data)?;
        let data = match name.as_str() {
            "OEBPS/content.opf" => {
                fix_opf(&text(data, &name)?, input.extra_metadata, input.language).into_bytes()
            }
            "OEBPS/nav.xhtml" => fix_nav(&text(data, &name)?, input).into_bytes(),
            "OEBPS/toc.ncx" => fix_ncx(&text(data, &name)?, input).into_bytes(),
            _ => data,
        };
        if !input.package.is_some_and(|kept| kept.holds(&name, &data)) {
            check_xml(&data, &name)?;
        }
        files.push((name, data));
    }
    let files: Vec<(String, &[u8])> = files
        .iter()
        .map(|(name, data)| (name.clone(), data.as_slice()))
        .collect();
    super::entries::deflate_all(&files, input.package)
}

/// The XML files epub-builder writes itself and folio patches (chapters
/// and the cover page were checked when their templates were rendered).
fn is_generated_xml(name: &str) -> bool {
    matches!(
        name,
        "OEBPS/content.opf" | "OEBPS/nav.xhtml" | "OEBPS/toc.ncx" | "META-INF/container.xml"
    )
}

/// A package file that is not well-formed is folio's bug (or epub-builder's),
/// never the reader's problem: stop before the EPUB is written.
fn check_xml(data: &[u8], name: &str) -> Result<()> {
    let text = std::str::from_utf8(data).with_context(|| format!("{name} is not UTF-8"))?;
    super::wellformed::check(text).map_err(|e| {
        anyhow::anyhow!(
            "folio generated {name} that is not well-formed XML (line {} column {}: {}); please report this",
            e.line,
            e.column,
            e.message
        )
    })
}

fn text(data: Vec<u8>, name: &str) -> Result<String> {
    String::from_utf8(data)
        .with_context(|| format!("epub-builder wrote {name} in another encoding than UTF-8"))
}

fn is_compressed(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".png", ".jpg", ".jpeg", ".gif"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// epub-builder 0.8.3 stamps every zip entry with the current time (and
/// its writer is private): use the book's date instead, clamped to the
/// range a zip time can hold (1980 to 2107).
fn zip_time(unix: i64) -> zip::DateTime {
    let c = crate::date::civil(unix);
    let fallback = zip::DateTime::default(); // 1980-01-01 00:00:00
    if c.year < 1980 {
        return fallback;
    }
    if c.year > 2107 {
        return zip::DateTime::from_date_and_time(2107, 12, 31, 23, 59, 58).unwrap_or(fallback);
    }
    zip::DateTime::from_date_and_time(
        c.year as u16,
        c.month as u8,
        c.day as u8,
        c.hour as u8,
        c.minute as u8,
        c.second as u8,
    )
    .unwrap_or(fallback)
}

/// The package document.
fn fix_opf(opf: &str, extra_metadata: &str, language: &str) -> String {
    // The package's own language (epub-builder 0.8.3 writes none): reading
    // systems and accessibility checkers take the metadata's text language
    // from it.
    let opf = opf.replacen(
        "<package version=\"3.0\"",
        &{
            let mut tag = String::from("<package version=\"3.0\" xml:lang=\"");
            push_attr(&mut tag, language);
            tag.push('"');
            tag
        },
        1,
    );
    // epub-builder 0.8.3 gives `dc:language` the ids of `dc:creator`
    // (`epub-creator-0`, ...): duplicate ids, which epubcheck rejects (RSC-005).
    let opf = opf.replace(
        "<dc:language id=\"epub-creator-",
        "<dc:language id=\"epub-language-",
    );
    // epub-builder 0.8.3 writes `dc:title` without an id, so nothing can
    // refine it; folio's metadata marks it as the main title (the subtitle
    // is a second `dc:title`).
    let opf = opf.replacen(
        "<dc:title>",
        &format!("<dc:title id=\"{}\">", super::metadata::TITLE_ID),
        1,
    );
    // epub-builder 0.8.3 leaves the nav document out of the spine, so the
    // landmark to the table of contents points outside the reading order
    // (RSC-011). Readers also like a contents page after the cover: put
    // it second.
    let opf = match opf
        .find("<itemref ")
        .and_then(|start| opf[start..].find("/>").map(|end| start + end + 2))
    {
        Some(after_first) => {
            let mut opf = opf;
            opf.insert_str(after_first, "\n    <itemref idref=\"nav\"/>");
            opf
        }
        None => opf,
    };
    // epub-builder 0.8.3 cannot write `dc:publisher` or a subtitle (its
    // metadata trait is private): add them to the metadata here.
    opf.replacen(
        "  </metadata>",
        &format!("{extra_metadata}  </metadata>"),
        1,
    )
}

/// The navigation document.
fn fix_nav(nav: &str, input: &FixupInput) -> String {
    let mut nav = nav.to_string();
    // epub-builder 0.8.3 nests entries by level only (so chapters cannot
    // nest under their sections) and indents every level: put folio's list
    // after the contents' title, in place of its own.
    if let Some(title) = nav.find("<h1 id=\"toc-title\">")
        && let Some(len) = nav[title..].find("</h1>")
        && let Some(end) = nav[title..].find("</nav>")
        && len < end
    {
        let start = title + len + "</h1>".len();
        let end = title + end;
        nav.replace_range(start..end, &format!("\n{}\n  ", input.toc_list));
    }
    // The contents' role for assistive technology, matching its epub:type.
    nav = nav.replacen(
        "<nav epub:type = \"toc\" id=\"toc\">",
        "<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\">",
        1,
    );
    // epub-builder 0.8.3 lists a landmark only for a file that also has a
    // TOC entry, never the TOC itself, and writes an empty (invalid) list when
    // there is none: write folio's landmarks instead.
    if let Some(start) = nav.find("<nav epub:type = \"landmarks\">")
        && let Some(len) = nav[start..].find("</nav>")
    {
        let end = start + len + "</nav>".len();
        let mut navs = landmarks_nav(input.landmarks);
        navs.push_str(&page_list_nav(input.page_list));
        nav.replace_range(start..end, &navs);
    }
    // epub-builder 0.8.3 gives the nav document no language; reading
    // systems pick a voice and hyphenation from it.
    let mut lang = String::new();
    push_attr(&mut lang, input.language);
    nav.replacen(
        "xmlns:epub=\"http://www.idpf.org/2007/ops\">",
        &format!(
            "xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"{lang}\" lang=\"{lang}\">"
        ),
        1,
    )
}

fn landmarks_nav(landmarks: &[Landmark]) -> String {
    let mut s = String::from(
        "<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\">\n    <ol>\n",
    );
    for mark in landmarks {
        s.push_str("      <li><a epub:type=\"");
        s.push_str(mark.kind);
        s.push_str("\" href=\"");
        push_attr(&mut s, &mark.href);
        s.push_str("\">");
        push_text(&mut s, &mark.label);
        s.push_str("</a></li>\n");
    }
    s.push_str("    </ol>\n  </nav>");
    s
}

/// The page list: where each print page begins (empty without one).
fn page_list_nav(pages: &[(String, u32)]) -> String {
    if pages.is_empty() {
        return String::new();
    }
    let mut s = String::from(
        "\n  <nav epub:type=\"page-list\" role=\"doc-pagelist\" id=\"page-list\" hidden=\"hidden\">\n    <ol>\n",
    );
    for (href, number) in pages {
        s.push_str("      <li><a href=\"");
        push_attr(&mut s, href);
        s.push_str(&format!("\">{number}</a></li>\n"));
    }
    s.push_str("    </ol>\n  </nav>");
    s
}

/// The EPUB 2 table of contents.
fn fix_ncx(ncx: &str, input: &FixupInput) -> String {
    // epub-builder 0.8.3 leaves out `dtb:uid` (EPUB 2 readers match the NCX
    // to the book by it), always writes `dtb:depth` 1 however deep the TOC
    // is, and titles the NCX with the TOC's name instead of the book's.
    let mut head = String::from("<meta name=\"dtb:uid\" content=\"");
    push_attr(&mut head, input.identifier);
    head.push_str(&format!(
        "\" />\n    <meta name=\"dtb:depth\" content=\"{}\" />",
        input.toc_depth.max(1)
    ));
    let mut ncx = ncx.replacen("<meta name=\"dtb:depth\" content=\"1\" />", &head, 1);
    // epub-builder 0.8.3 nests navPoints by level only: folio's instead.
    if let (Some(start), Some(end)) = (ncx.find("<navMap>"), ncx.find("</navMap>"))
        && end > start
    {
        let start = start + "<navMap>".len();
        ncx.replace_range(start..end, &format!("\n{}  ", input.ncx_points));
    }
    let mut title = String::from("<docTitle>\n    <text>");
    push_text(&mut title, input.title);
    title.push_str("</text>\n  </docTitle>");
    match (ncx.find("<docTitle>"), ncx.find("</docTitle>")) {
        (Some(start), Some(end)) if end > start => {
            let mut ncx = ncx;
            ncx.replace_range(start..end + "</docTitle>".len(), &title);
            ncx
        }
        _ => ncx,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_convert() {
        let t = zip_time(1_700_000_000); // 2023-11-14 22:13:20
        assert_eq!(
            (t.year(), t.month(), t.day(), t.hour(), t.minute()),
            (2023, 11, 14, 22, 13)
        );
        assert_eq!(zip_time(0), zip::DateTime::default());
    }

    #[test]
    fn language_ids_differ_from_creator_ids() {
        let opf = "<dc:title>T</dc:title><dc:language id=\"epub-creator-0\">en</dc:language><dc:creator id=\"epub-creator-0\">X</dc:creator>";
        let fixed = fix_opf(opf, "", "en");
        assert!(fixed.contains("<dc:language id=\"epub-language-0\">"));
        assert!(fixed.contains("<dc:title id=\"title\">"));
    }
}
