//! Reading an EPUB back: the zip's entries, each XHTML document as XML, its
//! text, and every check that needs no external tool.

use folio::backend::text::TextOptions;
use folio::model::*;
use quick_xml::events::Event;
use std::collections::{BTreeSet, HashMap};
use std::io::{Cursor, Read};

/// An EPUB's files by name, in archive order.
pub struct Epub {
    /// Entry names in archive order.
    pub names: Vec<String>,
    /// Entry contents by name.
    pub files: HashMap<String, Vec<u8>>,
}

impl Epub {
    /// Unzips `bytes` (panics when they are not a zip).
    pub fn read(bytes: &[u8]) -> Epub {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("EPUB is a zip");
        let mut names = Vec::new();
        let mut files = HashMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            names.push(f.name().to_string());
            files.insert(f.name().to_string(), data);
        }
        Epub { names, files }
    }

    /// Entry `name` as UTF-8 text.
    pub fn text(&self, name: &str) -> String {
        String::from_utf8(self.files[name].clone()).expect("UTF-8")
    }
}

/// Parses `xml` fully; panics with the position of the first error.
pub fn parse_xml(name: &str, xml: &str) -> Vec<Event<'static>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut events = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(e) => events.push(e.into_owned()),
            Err(e) => panic!(
                "{name} is not well-formed XML at {}: {e}",
                reader.buffer_position()
            ),
        }
    }
    events
}

fn attr(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name.as_bytes())
        .map(|a| a.unescape_value().unwrap().into_owned())
}

/// The text content of an XHTML document's body.
fn body_text(events: &[Event]) -> String {
    let mut out = String::new();
    let mut in_body = false;
    for e in events {
        match e {
            Event::Start(s) if s.name().as_ref() == b"body" => in_body = true,
            Event::Text(t) if in_body => {
                out.push_str(&t.decode().unwrap());
                out.push(' ');
            }
            Event::GeneralRef(r) if in_body => {
                if let Some(c) = r.resolve_char_ref().ok().flatten() {
                    out.push(c);
                } else {
                    out.push_str(match r.decode().unwrap().as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::Start(s) | Event::Empty(s) if in_body && s.name().as_ref() == b"img" => {
                out.push_str(&attr(s, "alt").unwrap_or_default());
                out.push(' ');
            }
            _ => {}
        }
    }
    out
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The words of a page's plain-text output (the text backend), less what
/// only the text format has: its link list, the reference numbers, the
/// `[Figure: ...]` and `Notes:` labels, task marks, and the file name the
/// text names an image by when it has no text at all (the EPUB warns).
fn page_words(page: &Page) -> Vec<String> {
    let mut text = folio::backend::text::render_page(page, &TextOptions::default());
    if let Some(cut) = text.find("\nLinks:\n") {
        text.truncate(cut);
    }
    let mut nameless = Vec::new();
    let mut note_nameless = |src: &str, label: &str| {
        let name = src.rsplit('/').next().unwrap_or(src);
        nameless.push(format!("[{label}: {name}]"));
    };
    for block in &page.blocks {
        collect_nameless(block, &mut note_nameless);
    }
    for name in nameless {
        text = text.replace(&name, " ");
    }
    for label in [
        "[Figure: ",
        "[Image: ",
        "(alt text: ",
        "\nNotes:\n",
        "[x] ",
        "[ ] ",
    ] {
        text = text.replace(label, " ");
    }
    words(&text)
        .into_iter()
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

/// Calls `f` with the src of every image that has no text of its own.
fn collect_nameless(block: &Block, f: &mut impl FnMut(&str, &str)) {
    fn inlines(content: &[Inline], f: &mut impl FnMut(&str, &str)) {
        for i in content {
            match i {
                Inline::Image { src, alt, .. } if alt.is_empty() => f(src, "Image"),
                Inline::Emph { content }
                | Inline::Strong { content }
                | Inline::Strike { content }
                | Inline::Sup { content }
                | Inline::Sub { content }
                | Inline::Span { content, .. }
                | Inline::Link { content, .. } => inlines(content, f),
                _ => {}
            }
        }
    }
    match &block.kind {
        BlockKind::Figure(fig)
            if fig.alt.as_deref().unwrap_or("").is_empty()
                && fig.caption.is_empty()
                && fig.title.is_none() =>
        {
            f(&fig.src, "Figure")
        }
        BlockKind::Paragraph { content } | BlockKind::Heading { content, .. } => {
            inlines(content, f)
        }
        BlockKind::Table(t) => t
            .head
            .iter()
            .chain(t.rows.iter().flatten())
            .for_each(|c| inlines(c, f)),
        BlockKind::List { items, .. } => items
            .iter()
            .flat_map(|i| &i.blocks)
            .for_each(|b| collect_nameless(b, f)),
        BlockKind::Quote { blocks } | BlockKind::Container { blocks, .. } => {
            blocks.iter().for_each(|b| collect_nameless(b, f))
        }
        _ => {}
    }
}

/// Every check that needs no external tool. Returns the EPUB read back.
pub fn check_structure(bytes: &[u8], book: &Book) -> Epub {
    let epub = Epub::read(bytes);
    // mimetype first, stored, exact content.
    {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let first = zip.by_index(0).unwrap();
        assert_eq!(first.name(), "mimetype");
        assert_eq!(first.compression(), zip::CompressionMethod::Stored);
    }
    assert_eq!(epub.files["mimetype"], b"application/epub+zip");
    let container = epub.text("META-INF/container.xml");
    assert!(container.contains("full-path=\"OEBPS/content.opf\""));

    // Images are whole files of the type their name says.
    for name in &epub.names {
        let data = &epub.files[name];
        if name.ends_with(".png") {
            assert!(
                data.starts_with(b"\x89PNG\r\n\x1a\n"),
                "{name} is not a PNG"
            );
        } else if name.ends_with(".jpg") {
            assert!(
                data.starts_with(&[0xFF, 0xD8, 0xFF]),
                "{name} is not a JPEG"
            );
        }
    }

    // The manifest lists every file in the zip and nothing more.
    let opf = epub.text("OEBPS/content.opf");
    let mut manifest = BTreeSet::new();
    for e in parse_xml("content.opf", &opf) {
        if let Event::Empty(s) | Event::Start(s) = &e
            && s.name().as_ref() == b"item"
        {
            manifest.insert(format!("OEBPS/{}", attr(s, "href").unwrap()));
        }
    }
    let in_zip: BTreeSet<String> = epub
        .names
        .iter()
        .filter(|n| *n != "mimetype" && !n.starts_with("META-INF/") && *n != "OEBPS/content.opf")
        .cloned()
        .collect();
    assert_eq!(manifest, in_zip, "manifest and archive differ");

    // Every XHTML document is XML; collect ids and links.
    let mut ids: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut links: Vec<(String, String)> = Vec::new();
    let mut texts: HashMap<String, String> = HashMap::new();
    for name in epub.names.iter().filter(|n| n.ends_with(".xhtml")) {
        let events = parse_xml(name, &epub.text(name));
        let mut set = BTreeSet::new();
        for e in &events {
            if let Event::Start(s) | Event::Empty(s) = e {
                if let Some(id) = attr(s, "id") {
                    assert!(set.insert(id.clone()), "{name}: duplicate id {id}");
                }
                for key in ["href", "src"] {
                    if let Some(target) = attr(s, key)
                        && s.name().as_ref() != b"link"
                    {
                        links.push((name.clone(), target));
                    }
                }
            }
        }
        texts.insert(name.clone(), body_text(&events));
        ids.insert(name.clone(), set);
    }

    // Every internal target exists; nothing points at the site relatively.
    for (from, target) in &links {
        if target.contains(':') {
            // A URL with a scheme (https, mailto, xmpp...), never a script.
            assert!(
                !target.starts_with("javascript:"),
                "{from}: script link {target}"
            );
            continue;
        }
        let (file, fragment) = match target.split_once('#') {
            Some((f, frag)) => (f, Some(frag)),
            None => (target.as_str(), None),
        };
        let file = if file.is_empty() {
            from.clone()
        } else {
            format!("OEBPS/{file}")
        };
        assert!(
            epub.files.contains_key(&file),
            "{from}: link to missing {target}"
        );
        if let Some(fragment) = fragment {
            assert!(
                ids.get(&file).is_some_and(|s| s.contains(fragment)),
                "{from}: link to missing fragment {target}"
            );
        }
    }

    // Each chapter's text has the words of the page, and the nav lists it.
    let nav = epub.text("OEBPS/nav.xhtml");
    let nav_events = parse_xml("nav.xhtml", &nav);
    let nav_hrefs: BTreeSet<String> = nav_events
        .iter()
        .filter_map(|e| match e {
            Event::Start(s) if s.name().as_ref() == b"a" => attr(s, "href"),
            _ => None,
        })
        .collect();
    let chapter_files: Vec<&String> = epub
        .names
        .iter()
        .filter(|n| {
            n.ends_with(".xhtml") && !n.ends_with("nav.xhtml") && !n.ends_with("cover.xhtml")
        })
        .collect();
    assert_eq!(chapter_files.len(), book.pages.len());
    for (page, file) in book.pages.iter().zip(&chapter_files) {
        let href = file.trim_start_matches("OEBPS/");
        assert!(nav_hrefs.contains(href), "nav lacks chapter {href}");
        let have: BTreeSet<String> = words(&texts[*file]).into_iter().collect();
        for word in page_words(page) {
            assert!(
                have.contains(&word),
                "{file} lacks the word `{word}` of page {}",
                page.id
            );
        }
    }
    epub
}
