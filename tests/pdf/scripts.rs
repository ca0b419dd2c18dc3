//! Every script in print (issue 10, item 9): characters the shipped fonts
//! lack come from system fallback fonts (Debian's fonts-noto-core,
//! fonts-noto-cjk and fonts-symbola), right-to-left text reads back in
//! logical order, a character no font has is a warning and never a wrong
//! character, CJK lines break between ideographs and are justified, and
//! each page is hyphenated in its own language. Built through the CLI in a
//! scratch project; the tests that need the system fonts skip without them
//! (and fail under CI).

use crate::common;
use crate::{pdf_tools, pdftotext, validate};
use hyphenation::{Hyphenator, Language, Load, Standard};
use std::path::Path;

/// A scratch project with one book `b` of `content/page.md` (text, PDF
/// and EPUB) in `language`, using the repository's fonts and templates.
fn project(language: &str, page: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = common::root();
    let config = format!(
        "fonts: {}\ntemplates: {}\nbooks:\n  b:\n    title: Book\n    language: {language}\n    formats: [text, pdf, epub]\n    pages: [page.md]\n",
        root.join("fonts").display(),
        root.join("templates").display()
    );
    std::fs::write(dir.path().join("folio.yaml"), config).unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/page.md"), page).unwrap();
    dir
}

/// Builds the project; returns stderr (the build must succeed).
fn build(dir: &Path) -> String {
    let (code, _, stderr) = common::folio(dir, &["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// The system fonts these tests need (Debian's paths), or `None` after a
/// skip line.
fn script_fonts() -> Option<()> {
    let fonts = [
        "/usr/share/fonts/truetype/noto/NotoSansHebrew-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",
    ];
    let missing: Vec<&str> = fonts
        .iter()
        .copied()
        .filter(|f| !Path::new(f).exists())
        .collect();
    if missing.is_empty() {
        return Some(());
    }
    common::skip(&format!(
        "fallback fonts not installed (apt-get install fonts-noto-core fonts-noto-cjk fonts-symbola): {}",
        missing.join(", ")
    ));
    None
}

/// pdftotext's output without the bidi embedding marks it adds around
/// right-to-left text, and with runs of white space as one space.
fn plain(text: &str) -> String {
    let text: String = text
        .chars()
        .filter(|c| !matches!(u32::from(*c), 0x202A..=0x202E | 0x2066..=0x2069))
        .collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The number of glyphs drawn with code 0 (.notdef, the missing-glyph box)
/// in the PDF's page content streams (Identity-H: two bytes a glyph): none
/// since PDF/A-2 forbids it.
fn notdef_glyphs(pdf: &[u8]) -> usize {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let mut count = 0;
    for page in doc.get_pages().into_values() {
        let content = doc.get_and_decode_page_content(page).unwrap();
        for op in &content.operations {
            for s in super::read::shown_strings(op).unwrap_or_default() {
                if let Ok(bytes) = s.as_str() {
                    count += bytes.chunks(2).filter(|c| *c == [0, 0]).count();
                }
            }
        }
    }
    count
}

/// The number of stroked rectangles (`re` … `S`) in the page content
/// streams: the boxes drawn for characters no font has.
fn stroked_boxes(pdf: &[u8]) -> usize {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let mut count = 0;
    for page in doc.get_pages().into_values() {
        let content = doc.get_and_decode_page_content(page).unwrap();
        let ops: Vec<&str> = content
            .operations
            .iter()
            .map(|o| o.operator.as_str())
            .collect();
        count += ops.windows(2).filter(|w| w == &["re", "S"]).count();
    }
    count
}

/// The EPUB's chapter for `content/page.md`.
fn epub_page(dir: &Path) -> String {
    let file = std::fs::File::open(dir.join("dist/b.epub")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut out = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("OEBPS/page.xhtml").unwrap(), &mut out).unwrap();
    out
}

const SCRIPTS: &str = "---\ntitle: Scripts\n---\n\n\
    Hebrew שלום עולם and Arabic مرحبا بالعالم in English.\n\n\
    Japanese 日本語の文章です and Thai ภาษาไทยเป็นภาษาที่สวยงาม here.\n\n\
    Emoji 😀 and 🎉, a snowman ☃ and an unassigned x\u{378}y.\n";

#[test]
fn every_script_prints_from_fallback_fonts_and_reads_back_in_order() {
    let Some(()) = script_fonts() else { return };
    let dir = project("en", SCRIPTS);
    let stderr = build(dir.path());
    // Only the unassigned character lacks a font, named at its line.
    assert!(
        stderr.contains("content/page.md:9: no font has the character `\u{378}` (U+0378; once)"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("no font has").count(), 1, "{stderr}");
    let pdf = std::fs::read(dir.path().join("dist/b.pdf")).unwrap();
    // One box, drawn (PDF/A: no .notdef in the text): the unassigned
    // character's; every other glyph is real.
    assert_eq!(notdef_glyphs(&pdf), 0);
    assert_eq!(stroked_boxes(&pdf), 1);
    // Every glyph of every script has its Unicode text (PDF/A-2u).
    crate::archival::check(&pdf);
    // The system's fonts are picked in a stable order: same bytes again.
    build(dir.path());
    assert!(
        std::fs::read(dir.path().join("dist/b.pdf")).unwrap() == pdf,
        "not reproducible"
    );
    let Some(tools) = pdf_tools() else { return };
    let (_tmp, path) = validate(&tools, &pdf);
    let (_, fonts) = tools.run("pdffonts", &[path.to_str().unwrap()]);
    for family in ["CJK", "Thai", "Symbola"] {
        assert!(fonts.contains(family), "no {family} font:\n{fonts}");
    }
    let text = plain(&pdftotext(&tools, &path));
    // Each run in logical order, the runs in reading order (pdftotext may
    // drop the space where a right-to-left run ends).
    assert_in_order(
        &text,
        &[
            "Hebrew",
            "שלום עולם",
            "and Arabic",
            "مرحبا بالعالم",
            "in English.",
            "Japanese 日本語の文章です and Thai ภาษาไทยเป็นภาษาที่สวยงาม here.",
            "Emoji 😀 and 🎉, a snowman ☃ and an unassigned x",
        ],
    );
    // The box copies out as nothing, never as another character.
    assert!(
        text.contains("unassigned x y.") || text.contains("unassigned xy."),
        "{text}"
    );
    assert!(
        !text.contains('\u{1F4E2}') && !text.contains('\u{FFFD}'),
        "{text}"
    );
    // The EPUB marks each script's language, and the direction of the
    // right-to-left ones.
    let page = epub_page(dir.path());
    for span in [
        "<span lang=\"he\" xml:lang=\"he\" dir=\"rtl\">שלום עולם</span>",
        "<span lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\">مرحبا بالعالم</span>",
        "<span lang=\"ja\" xml:lang=\"ja\">日本語の文章です</span>",
        "<span lang=\"th\" xml:lang=\"th\">ภาษาไทยเป็นภาษาที่สวยงาม</span>",
    ] {
        assert!(page.contains(span), "`{span}` not in:\n{page}");
    }
    epubcheck(&dir.path().join("dist/b.epub"));
}

/// Asserts each of `parts` is in `text`, each after the one before.
fn assert_in_order(text: &str, parts: &[&str]) {
    let mut from = 0;
    for part in parts {
        match text[from..].find(part) {
            Some(at) => from += at + part.len(),
            None => panic!("`{part}` not after byte {from} of:\n{text}"),
        }
    }
}

/// epubcheck finds nothing (skips without it).
fn epubcheck(path: &Path) {
    let tool = match common::epubcheck() {
        Ok(tool) => tool,
        Err(missing) => {
            common::skip(&format!(
                "EPUB not checked by epubcheck: {}",
                common::Missing::describe(&[missing])
            ));
            return;
        }
    };
    let (_, out) = tool.run(&[path]);
    assert!(
        out.contains("0 fatals / 0 errors / 0 warnings"),
        "epubcheck:\n{out}"
    );
}

#[test]
fn characters_no_font_has_warn_and_copy_out_as_nothing() {
    // Unassigned code points: no font anywhere has them.
    let odd = ['\u{378}', '\u{530}', '\u{5FF}', '\u{1C8F}'];
    let page = format!(
        "---\ntitle: Odd\n---\n\nFirst a{}b here.\n\nThen c{}d and e{}f,\nand g{}h.\n",
        odd[0], odd[1], odd[2], odd[3]
    );
    let dir = project("en", &page);
    let stderr = build(dir.path());
    for (c, line) in odd.iter().zip([5, 7, 7, 8]) {
        let want = format!(
            "content/page.md:{line}: no font has the character `{c}` (U+{:04X}; once)",
            u32::from(*c)
        );
        assert!(stderr.contains(&want), "`{want}` not in:\n{stderr}");
    }
    let pdf = std::fs::read(dir.path().join("dist/b.pdf")).unwrap();
    assert_eq!(notdef_glyphs(&pdf), 0);
    assert_eq!(stroked_boxes(&pdf), odd.len());
    let Some(tools) = pdf_tools() else { return };
    let (_tmp, path) = validate(&tools, &pdf);
    let text = pdftotext(&tools, &path);
    // Each box gives back nothing (at most the gap it leaves): no other
    // character stands in for it (glyph 0 had a ToUnicode entry, the
    // last missing character drawn, U+1F4E2 in the issue).
    for (before, after) in [("a", "b"), ("c", "d"), ("e", "f"), ("g", "h")] {
        let ok = [format!("{before}{after}"), format!("{before} {after}")]
            .iter()
            .any(|w| plain(&text).contains(&format!(" {w}")));
        assert!(ok, "`{before}…{after}` not clean in:\n{text}");
    }
    for c in odd {
        assert!(!text.contains(c), "{text}");
    }
}

#[test]
fn right_to_left_words_read_back_in_logical_order() {
    let Some(()) = script_fonts() else { return };
    // Several shapes: RTL inside LTR, LTR and numbers inside RTL, a whole
    // Arabic paragraph that wraps.
    // (No lam-alef: pdftotext reverses a ligature's two letters.)
    let arabic = "هذه جملة عربية طويلة في فقرة كاملة من اليمين إلى اليسار مع كلمات كثيرة. ";
    let page = format!(
        "---\ntitle: RTL\n---\n\nEnglish with עברית בתוך and more.\n\n\
         עברית עם folio pdf ומספר 2024 בסוף.\n\n{}\n",
        arabic.repeat(4)
    );
    let dir = project("en", &page);
    build(dir.path());
    let Some(tools) = pdf_tools() else { return };
    let path = dir.path().join("dist/b.pdf");
    let text = plain(&pdftotext(&tools, &path));
    // Words of each run in logical order (pdftotext orders a mixed line
    // by its own guess of the line's direction, so runs are checked one
    // by one).
    for words in [
        "English with",
        "עברית בתוך",
        "and more.",
        "עברית עם folio pdf",
        "ומספר 2024",
        "בסוף",
        "هذه جملة عربية طويلة في فقرة كاملة من اليمين إلى اليسار",
    ] {
        assert!(text.contains(words), "`{words}` not in:\n{text}");
    }
    // The right-to-left paragraph stands at the right margin: its last
    // (short) line ends where the full lines do.
    let (_, bbox) = tools.run("pdftotext", &["-bbox-layout", path.to_str().unwrap(), "-"]);
    let lines = line_boxes(&bbox);
    let hebrew = lines
        .iter()
        // (-bbox-layout gives right-to-left words in visual order.)
        .find(|l| l.text.contains("2024") && l.text.contains("folio"))
        .expect("the Hebrew line");
    let english = lines
        .iter()
        .find(|l| l.text.contains("English"))
        .expect("the English line");
    assert!(
        hebrew.x_min > english.x_min + 100.0,
        "not right-aligned: {hebrew:?} vs {english:?}"
    );
    // The margins are even: the text block ends as far from the right edge.
    let right = 595.3 - english.x_min;
    assert!((hebrew.x_max - right).abs() < 2.0, "{hebrew:?}");
}

/// A line of `pdftotext -bbox-layout`: its extent and its words.
#[derive(Debug)]
struct LineBox {
    x_min: f32,
    x_max: f32,
    text: String,
}

/// The lines of `pdftotext -bbox-layout` output.
fn line_boxes(xml: &str) -> Vec<LineBox> {
    let attr = |tag: &str, name: &str| -> f32 {
        let key = format!("{name}=\"");
        tag.split(&key)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(f32::NAN)
    };
    let mut out = Vec::new();
    for chunk in xml.split("<line ").skip(1) {
        let Some(end) = chunk.find("</line>") else {
            continue;
        };
        let body = &chunk[..end];
        let head = body.split('>').next().unwrap_or("");
        let words: Vec<&str> = body
            .split("<word ")
            .skip(1)
            .filter_map(|w| w.split('>').nth(1)?.split("</word").next())
            .collect();
        out.push(LineBox {
            x_min: attr(head, "xMin"),
            x_max: attr(head, "xMax"),
            text: words.join(" "),
        });
    }
    out
}

#[test]
fn japanese_breaks_between_ideographs_and_is_justified() {
    let Some(()) = script_fonts() else { return };
    let para = "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。\
        何でも薄暗いじめじめした所でニャーニャー泣いていた事だけは記憶している。\
        吾輩はここで始めて人間というものを見た。しかもあとで聞くとそれは書生という\
        人間中で一番獰悪な種族であったそうだ。";
    let dir = project("ja", &format!("---\ntitle: 猫\n---\n\n{para}\n"));
    let stderr = build(dir.path());
    // Japanese is not hyphenated: nothing to warn about.
    assert!(!stderr.contains("hyphenation"), "{stderr}");
    let Some(tools) = pdf_tools() else { return };
    let path = dir.path().join("dist/b.pdf");
    // A Japanese book takes its kanji from a Japanese face, not from the
    // first CJK family by name (HK).
    let (_, fonts) = tools.run("pdffonts", &[path.to_str().unwrap()]);
    assert!(fonts.contains("CJKjp"), "{fonts}");
    assert!(!fonts.contains("CJKhk"), "{fonts}");
    let (_, bbox) = tools.run("pdftotext", &["-bbox-layout", path.to_str().unwrap(), "-"]);
    // The paragraph's lines (not the title, nor its contents entry).
    let lines: Vec<LineBox> = line_boxes(&bbox)
        .into_iter()
        .filter(|l| l.text.chars().count() > 3 && para.contains(&l.text.replace(' ', "")))
        .collect();
    assert!(lines.len() >= 3, "{lines:?}");
    // The lines, joined, are the paragraph: broken, nothing lost.
    let joined: String = lines.iter().map(|l| l.text.replace(' ', "")).collect();
    assert!(joined.contains(para), "{joined}");
    // Every line but the last is justified to the same right edge, and
    // none starts with a closing mark (UAX #14 forbids the break).
    let (full, last) = lines.split_at(lines.len() - 1);
    let right = full[0].x_max;
    for l in full {
        assert!((l.x_max - right).abs() < 1.0, "ragged: {l:?} vs {right}");
        assert!((l.x_min - full[0].x_min).abs() < 0.5, "{l:?}");
    }
    assert!(last[0].x_max < right, "{last:?}");
    for l in &lines {
        assert!(!l.text.starts_with(['。', '、', 'ー', 'ゃ']), "{l:?}");
    }
}

#[test]
fn a_german_page_in_an_english_book_is_hyphenated_in_german() {
    // Long compounds in a narrow column's worth of text: hyphens appear,
    // and each is at a German break point.
    let german = "Die Donaudampfschifffahrtsgesellschaft veröffentlichte \
        Bundesverfassungsgerichtsentscheidungen über Rechtsschutzversicherungsgesellschaften \
        und Arbeiterunfallversicherungsgesetze, während Geschwindigkeitsbegrenzungen \
        und Grundstücksverkehrsgenehmigungszuständigkeiten Verwaltungsgerichte beschäftigten. ";
    let page = format!(
        "---\ntitle: Deutsch\nlang: de\n---\n\n{}\n",
        german.repeat(3)
    );
    let dir = project("en", &page);
    build(dir.path());
    let Some(tools) = pdf_tools() else { return };
    // (Plain pdftotext joins hyphenated words; the layout keeps them.)
    let pdf = dir.path().join("dist/b.pdf");
    let (ok, text) = tools.run(
        "pdftotext",
        &["-layout", "-enc", "UTF-8", pdf.to_str().unwrap(), "-"],
    );
    assert!(ok, "{text}");
    let de = Standard::from_embedded(Language::German1996).unwrap();
    let en = Standard::from_embedded(Language::EnglishUS).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut breaks = 0;
    let mut only_german = 0;
    for pair in lines.windows(2) {
        let Some(head) = pair[0].trim_end().strip_suffix('-') else {
            continue;
        };
        let head = head.split_whitespace().last().unwrap_or("");
        let tail = pair[1].split_whitespace().next().unwrap_or("");
        let tail = tail.trim_end_matches(|c: char| !c.is_alphabetic());
        if head.is_empty() || tail.is_empty() || !head.chars().all(char::is_alphabetic) {
            continue;
        }
        let word = format!("{head}{tail}").to_lowercase();
        let at = head.to_lowercase().len();
        assert!(
            de.hyphenate(&word).breaks.contains(&at),
            "`{word}` broken after {at} bytes: not a German break point"
        );
        breaks += 1;
        if !en.hyphenate(&word).breaks.contains(&at) {
            only_german += 1;
        }
    }
    assert!(breaks >= 2, "too few hyphenated words:\n{text}");
    assert!(only_german > 0, "every break is also English's:\n{text}");
}

#[test]
fn system_fallback_off_keeps_to_the_projects_fonts() {
    // Hebrew is in no shipped font: with the system's fonts off, each
    // letter is a warning whatever is installed.
    let dir = project("en", "---\ntitle: Off\n---\n\nHebrew שלום here.\n");
    let style = std::fs::read_to_string(common::root().join("templates/pdf-style.yaml")).unwrap();
    assert!(style.contains("system_fallback: true"), "the default is on");
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("pdf-style.yaml"),
        style.replace("system_fallback: true", "system_fallback: false"),
    )
    .unwrap();
    let config = std::fs::read_to_string(dir.path().join("folio.yaml")).unwrap();
    let config: String = config
        .lines()
        .map(|l| match l.starts_with("templates:") {
            true => format!("templates: {}\n", templates.display()),
            false => format!("{l}\n"),
        })
        .collect();
    std::fs::write(dir.path().join("folio.yaml"), config).unwrap();
    let (code, _, stderr) = common::folio(dir.path(), &["build", "--format", "pdf"]);
    assert_eq!(code, 0, "{stderr}");
    for c in ['ש', 'ל', 'ו', 'ם'] {
        let want = format!("content/page.md:5: no font has the character `{c}`");
        assert!(stderr.contains(&want), "`{want}` not in:\n{stderr}");
    }
    let pdf = std::fs::read(dir.path().join("dist/b.pdf")).unwrap();
    assert_eq!(notdef_glyphs(&pdf), 0);
    assert_eq!(stroked_boxes(&pdf), 4);
}
