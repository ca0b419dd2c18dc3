//! The pass memo's keying: a page is taken from it only when its parse,
//! its own fields and every book-wide input are the last load's, and what
//! it gives (pages and warnings, in order) is what a fresh run gives.

use super::*;
use crate::model::{Block, BlockKind, BookMeta, Inline, Link, LinkTarget, Span};
use crate::parse::ParsedBody;

/// A paragraph (its id an anchor) linking to each of `hrefs`.
fn para(id: &str, hrefs: &[&str]) -> Block {
    let content = hrefs
        .iter()
        .map(|href| Inline::Link {
            link: Link {
                href: href.to_string(),
                target: LinkTarget::Unresolved,
            },
            title: None,
            content: vec![Inline::Text {
                text: "x".to_string(),
            }],
        })
        .collect();
    Block {
        id: id.to_string(),
        span: Span {
            line: 3,
            ..Span::default()
        },
        kind: BlockKind::Paragraph { content },
    }
}

fn body(url: &str, blocks: Vec<Block>) -> Arc<ParsedPage> {
    Arc::new(ParsedPage {
        url: url.to_string(),
        body: ParsedBody {
            blocks,
            footnotes: Vec::new(),
        },
        diags: Diagnostics::default(),
    })
}

/// Page `id` of file `content/{id}.md`, without its body.
fn shell(id: &str) -> Page {
    Page {
        source: Path::new("content").join(format!("{id}.md")),
        title: id.to_uppercase(),
        ..Page::stub(id)
    }
}

fn book(pages: Vec<Page>) -> Book {
    Book {
        meta: BookMeta {
            base_url: "https://example.net/".into(),
            language: "en".into(),
            ..BookMeta::default()
        },
        pages,
    }
}

const ROOTS: (&str, &str) = ("content", "static");

/// The book of `pages` with `bodies` through the memo: the book, its
/// warnings, and (passed, taken) pages.
fn memoised(
    memo: &mut BookMemo,
    mut book: Book,
    bodies: &[Arc<ParsedPage>],
) -> (Book, String, (usize, usize)) {
    let mut diags = Diagnostics::default();
    let roots = (Path::new(ROOTS.0), Path::new(ROOTS.1));
    let counts = run(
        memo,
        &mut book,
        bodies,
        roots,
        &Limits::default(),
        &mut diags,
    );
    (book, warnings(&diags), counts)
}

/// The same book through every pass, as `folio build` runs them.
fn fresh(mut book: Book, bodies: &[Arc<ParsedPage>]) -> (Book, String) {
    for (page, body) in book.pages.iter_mut().zip(bodies) {
        page.blocks.clone_from(&body.body.blocks);
        page.footnotes.clone_from(&body.body.footnotes);
    }
    let mut diags = Diagnostics::default();
    passes::run(
        &mut book,
        Path::new(ROOTS.0),
        Path::new(ROOTS.1),
        &Limits::default(),
        &mut diags,
    );
    (book, warnings(&diags))
}

/// Each warning on a line: file, line, message, in order.
fn warnings(diags: &Diagnostics) -> String {
    diags
        .items
        .iter()
        .map(|d| format!("{:?}:{} {}\n", d.path, d.line, d.message))
        .collect()
}

/// Runs `pages` with `bodies` through the memo, checks the result against
/// a fresh run and returns (passed, taken).
fn check(memo: &mut BookMemo, pages: &[Page], bodies: &[Arc<ParsedPage>]) -> (usize, usize) {
    let (got, warned, counts) = memoised(memo, book(pages.to_vec()), bodies);
    let (want, want_warned) = fresh(book(pages.to_vec()), bodies);
    assert_eq!(got.pages, want.pages);
    assert_eq!(warned, want_warned);
    counts
}

/// Page a links to b's `#part` and to a bad URL; b links to a page that
/// is not there and to another bad URL; c links nowhere.
fn pages() -> (Vec<Page>, Vec<Arc<ParsedPage>>) {
    let bodies = vec![
        body(
            "/a/",
            vec![para("intro", &["b.md#part", "http//a.example"])],
        ),
        body(
            "/b/",
            vec![para("part", &["missing.md", "https:/b.example"])],
        ),
        body("/c/", vec![para("end", &[])]),
    ];
    (vec![shell("a"), shell("b"), shell("c")], bodies)
}

#[test]
fn an_unchanged_book_is_taken_whole_with_its_warnings_pass_by_pass() {
    let (pages, bodies) = pages();
    let mut memo = BookMemo::default();
    assert_eq!(check(&mut memo, &pages, &bodies), (3, 0));
    assert_eq!(check(&mut memo, &pages, &bodies), (0, 3));
    // A fresh run warns each pass over every page in turn: both links
    // warnings come before both URL warnings.
    let (_, warned, _) = memoised(&mut memo, book(pages.clone()), &bodies);
    let order: Vec<&str> = warned
        .lines()
        .map(|l| match l {
            _ if l.contains("missing.md") => "link b",
            _ if l.contains("a.example") => "url a",
            _ if l.contains("b.example") => "url b",
            _ => l,
        })
        .collect();
    assert_eq!(order, ["link b", "url a", "url b"], "{warned}");
}

#[test]
fn a_page_parsed_again_is_passed_again_alone() {
    let (pages, mut bodies) = pages();
    let mut memo = BookMemo::default();
    check(&mut memo, &pages, &bodies);
    // The same content, another parse: not taken on trust.
    bodies[2] = body("/c/", vec![para("end", &["https://c.example/"])]);
    assert_eq!(check(&mut memo, &pages, &bodies), (1, 2));
    assert_eq!(check(&mut memo, &pages, &bodies), (0, 3));
}

#[test]
fn a_page_whose_own_fields_changed_is_passed_again_alone() {
    let (mut pages, bodies) = pages();
    let mut memo = BookMemo::default();
    check(&mut memo, &pages, &bodies);
    // A title is not in the link index: only its page runs again.
    pages[1].title = "Bee".into();
    assert_eq!(check(&mut memo, &pages, &bodies), (1, 2));
}

#[test]
fn a_page_whose_look_ups_give_otherwise_is_passed_again() {
    let (mut pages, mut bodies) = pages();
    let mut memo = BookMemo::default();
    check(&mut memo, &pages, &bodies);
    // b's anchor `part` gone: a's link to it breaks (a itself unchanged);
    // c links nowhere and is taken.
    bodies[1] = body(
        "/b/",
        vec![para("other", &["missing.md", "https:/b.example"])],
    );
    assert_eq!(check(&mut memo, &pages, &bodies), (2, 1));
    let (_, warned, _) = memoised(&mut memo, book(pages.clone()), &bodies);
    assert!(warned.contains("has no anchor `#part`"), "{warned}");
    // A new paragraph on b (a new anchor no link names): only b again.
    bodies[1] = body(
        "/b/",
        vec![
            para("other", &["missing.md", "https:/b.example"]),
            para("more", &[]),
        ],
    );
    assert_eq!(check(&mut memo, &pages, &bodies), (1, 2));
    // The page b linked to as missing comes: b (and b alone) again.
    pages[2].source = Path::new("content").join("missing.md");
    pages[2].source_rel = "missing.md".into();
    assert_eq!(check(&mut memo, &pages, &bodies), (2, 1));
    // b's URL changes: a, which links to it, goes again.
    pages[1].url = "/see/".into();
    assert_eq!(check(&mut memo, &pages, &bodies), (2, 1));
    assert_eq!(check(&mut memo, &pages, &bodies), (0, 3));
}

#[test]
fn other_labels_or_roots_pass_every_page_again() {
    let (pages, bodies) = pages();
    let mut memo = BookMemo::default();
    check(&mut memo, &pages, &bodies);
    let mut relabelled = book(pages.clone());
    relabelled.meta.labels = Labels::new([("Image".to_string(), "Bild".to_string())].into());
    let (_, _, counts) = memoised(&mut memo, relabelled, &bodies);
    assert_eq!(counts, (3, 0));
    // Back to the first labels: passed again, not the stale result.
    assert_eq!(check(&mut memo, &pages, &bodies), (3, 0));
    let mut diags = Diagnostics::default();
    let other = (Path::new("elsewhere"), Path::new(ROOTS.1));
    let counts = run(
        &mut memo,
        &mut book(pages.clone()),
        &bodies,
        other,
        &Limits::default(),
        &mut diags,
    );
    assert_eq!(counts, (3, 0));
}

#[test]
fn a_load_takes_the_spare_copies_made_ahead_and_gets_the_same_book() {
    let (pages, bodies) = pages();
    let mut memo = BookMemo::default();
    check(&mut memo, &pages, &bodies);
    // The copies are made on a thread of their own: wait for them.
    let all_spare = |memo: &BookMemo| {
        memo.pages
            .values()
            .all(|m| m.spare.lock().unwrap().as_ref() == Some(&*m.passed))
    };
    let start = std::time::Instant::now();
    while !all_spare(&memo) {
        assert!(start.elapsed().as_secs() < 20, "no spare copies made");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    // Taken (the spares then gone, their copies in the book), the book is
    // a fresh run's; the next copies are made ahead again.
    let spares: Vec<Page> = memo
        .pages
        .values()
        .filter_map(|m| m.spare.lock().unwrap().clone())
        .collect();
    assert_eq!(spares.len(), 3);
    assert_eq!(check(&mut memo, &pages, &bodies), (0, 3));
    let start = std::time::Instant::now();
    while !all_spare(&memo) {
        assert!(start.elapsed().as_secs() < 20, "no spare copies made again");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}
