//! A right-to-left book (its language Hebrew, so `rtl` without being
//! told): everything the layout places beside text is mirrored: list
//! numbers and task boxes at the right of their items, table columns from
//! the right, footnote numbers at the right of their notes, the running
//! head's book title at the right, contents page numbers at the left.

use super::common;
use super::typography::bbox_words;

type Word = (f32, f32, f32, String);

const PAGE: &str = "---\ntitle: שלום עולם\n---\n\nפסקה ראשונה בעברית עם הערה[^1] בסוף.\n\n\
1. אחד\n2. שניים\n\n> ציטוט קצר.\n\n| ימין | שמאל |\n|---|---|\n| תא | תאים |\n\n[^1]: הערת שוליים.\n";

fn second_page() -> String {
    let mut page = String::from("---\ntitle: פרק שני\n---\n\n");
    for i in 0..60 {
        page.push_str(&format!("שורה נוספת של טקסט בעברית מספר {i}.\n\n"));
    }
    page
}

/// The first word on `page` whose text is `text` (`pdftotext -bbox` gives
/// a right-to-left word's letters in the order they stand on the page).
fn find<'a>(page: &'a [Word], text: &str) -> &'a Word {
    page.iter()
        .find(|w| is(w, text))
        .unwrap_or_else(|| panic!("no `{text}` in {page:?}"))
}

/// Whether `w` reads `text`, in either order of its letters.
fn is(w: &Word, text: &str) -> bool {
    w.3 == text || w.3.chars().rev().eq(text.chars())
}

/// Whether two words stand on one line.
fn same_line(a: &Word, b: &Word) -> bool {
    (a.1 - b.1).abs() < 3.0
}

#[test]
fn a_hebrew_book_mirrors_what_stands_beside_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let root = common::root();
    std::fs::write(
        dir.path().join("folio.yaml"),
        format!(
            "fonts: {}\ntemplates: {}\nbooks:\n  b:\n    title: ספר\n    language: he\n    formats: [pdf]\n    pages: [p.md, q.md]\n",
            root.join("fonts").display(),
            root.join("templates").display(),
        ),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/p.md"), PAGE).unwrap();
    std::fs::write(dir.path().join("content/q.md"), second_page()).unwrap();
    let (code, _, stderr) = common::folio(dir.path(), &["build"]);
    assert_eq!(code, 0, "{stderr}");
    let Some(tools) = common::validators(&["pdftotext"], "RTL layout not read back") else {
        return;
    };
    let pages = bbox_words(&tools, &dir.path().join("dist/b.pdf"));
    // Cover, contents, the first chapter, then the second.
    let (contents, first) = (&pages[1], &pages[2]);

    // Contents: the number in a column at the left, the title at the right.
    let entry = find(contents, "שלום");
    let number = contents
        .iter()
        .find(|w| w.3 == "3" && same_line(w, entry))
        .expect("page number on the entry's line");
    assert!(number.2 < entry.0, "{number:?} not left of {entry:?}");

    // List numbers at the right of their items.
    let item = find(first, "אחד");
    let label = first
        .iter()
        .find(|w| w.3.contains('1') && same_line(w, item))
        .expect("list number on the item's line");
    assert!(label.0 > item.2, "{label:?} not right of {item:?}");

    // Table columns from the right: the first column's header at the right.
    let (a, b) = (find(first, "ימין"), find(first, "שמאל"));
    assert!(same_line(a, b) && a.0 > b.2, "{a:?} not right of {b:?}");

    // The footnote's number at the right of its text, at the foot.
    let note = find(first, "שוליים.");
    let note_number = first
        .iter()
        .find(|w| w.3 == "1" && same_line(w, note))
        .expect("note number on the note's line");
    assert!(
        note_number.0 > note.2,
        "{note_number:?} not right of {note:?}"
    );

    // Running head on the second chapter's second page: the book's title
    // at the right, the chapter's at the left.
    let running = pages
        .iter()
        .skip(3)
        .find(|p| p.iter().any(|w| is(w, "ספר")))
        .expect("a page with a running head");
    let (book, chapter) = (find(running, "ספר"), find(running, "פרק"));
    assert!(
        same_line(book, chapter) && book.0 > chapter.2,
        "{book:?} not right of {chapter:?}"
    );
}
