//! Tagged PDF (issue 11, item 1): every content stream walked with lopdf
//! (each painting operator inside marked content with an MCID or inside an
//! artifact, BDC/EMC balanced, MCIDs unique per page and each claimed by
//! exactly one structure element through the ParentTree, link annotations
//! tied to `Link` elements), and the structure read back by poppler
//! (`pdfinfo -struct-text`): its text in reading order holds the book's
//! words, headings sit under `H1`–`H6`, list items under `LI`.

use super::words::{counted_words, missing_words, pdf_words};
use super::*;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::{BTreeMap, HashMap, HashSet};

fn corpus_book() -> Option<Book> {
    let (content, static_dir) = common::corpus()?;
    let project = Project::site(content, Some(static_dir), None);
    let options = LoadOptions {
        drafts: false,
        date: DATE,
        ..LoadOptions::default()
    };
    Some(load_book(&project, "site", &options).unwrap().book)
}

fn pdf_of(book: &Book) -> Vec<u8> {
    render(book, &options(None), &mut Diagnostics::default()).unwrap()
}

fn dict<'a>(doc: &'a Document, o: &'a Object) -> &'a Dictionary {
    match o {
        Object::Reference(id) => doc.get_dictionary(*id).unwrap(),
        Object::Dictionary(d) => d,
        other => panic!("not a dictionary: {other:?}"),
    }
}

fn array<'a>(doc: &'a Document, o: &'a Object) -> &'a Vec<Object> {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap().as_array().unwrap(),
        Object::Array(a) => a,
        other => panic!("not an array: {other:?}"),
    }
}

/// Operators that put marks on the page.
const PAINTING: &[&str] = &[
    "Tj", "TJ", "'", "\"", "Do", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh",
];

/// Walks every page's content stream; returns, by page id, the MCIDs it
/// holds.
fn walk_content(doc: &Document) -> BTreeMap<ObjectId, Vec<i64>> {
    let mut by_page = BTreeMap::new();
    for (number, page) in doc.get_pages() {
        let content = doc.get_and_decode_page_content(page).unwrap();
        // Open marked content: (MCID, artifact).
        let mut stack: Vec<(Option<i64>, bool)> = Vec::new();
        let mut mcids = Vec::new();
        for op in &content.operations {
            match op.operator.as_str() {
                "BDC" | "BMC" => {
                    let tag = op.operands[0].as_name().unwrap();
                    let mcid = op
                        .operands
                        .get(1)
                        .and_then(|p| p.as_dict().ok())
                        .and_then(|d| d.get(b"MCID").ok())
                        .map(|m| m.as_i64().unwrap());
                    if let Some(m) = mcid {
                        mcids.push(m);
                    }
                    stack.push((mcid, tag == b"Artifact"));
                }
                "EMC" => {
                    assert!(stack.pop().is_some(), "page {number}: EMC without BDC");
                }
                name if PAINTING.contains(&name) => {
                    assert!(
                        stack.iter().any(|(m, art)| m.is_some() || *art),
                        "page {number}: `{name}` outside marked content and artifacts"
                    );
                    // Nothing of the structure inside an artifact.
                    let art = stack.iter().position(|(_, a)| *a);
                    let tagged = stack.iter().position(|(m, _)| m.is_some());
                    assert!(
                        !(art.is_some() && tagged.is_some_and(|t| t > art.unwrap())),
                        "page {number}: marked content inside an artifact"
                    );
                }
                _ => {}
            }
        }
        assert!(stack.is_empty(), "page {number}: BDC without EMC");
        let unique: HashSet<_> = mcids.iter().collect();
        assert_eq!(unique.len(), mcids.len(), "page {number}: MCIDs repeat");
        by_page.insert(page, mcids);
    }
    by_page
}

/// What the structure tree holds: (page, MCID) → the elements claiming
/// it, annotation → its element, and each element's type.
#[derive(Default)]
struct Tree {
    claims: HashMap<(ObjectId, i64), Vec<ObjectId>>,
    objrs: HashMap<ObjectId, ObjectId>,
    kinds: HashMap<ObjectId, Vec<u8>>,
    /// Child elements in order.
    children: HashMap<ObjectId, Vec<ObjectId>>,
}

fn walk_tree(doc: &Document, id: ObjectId, tree: &mut Tree) {
    let elem = doc.get_dictionary(id).unwrap();
    let kind = elem.get(b"S").unwrap().as_name().unwrap().to_vec();
    tree.kinds.insert(id, kind);
    let page = elem.get(b"Pg").ok().map(|p| p.as_reference().unwrap());
    let kids = match elem.get(b"K") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(other) => vec![other.clone()],
        Err(_) => Vec::new(),
    };
    for kid in &kids {
        match kid {
            Object::Integer(mcid) => {
                let page = page.expect("an MCID kid needs /Pg on its element");
                tree.claims.entry((page, *mcid)).or_default().push(id);
            }
            Object::Reference(r) => {
                let d = doc.get_dictionary(*r).unwrap();
                // An element has a structure type (`/Type` is optional).
                if d.get(b"S").is_ok() {
                    tree.children.entry(id).or_default().push(*r);
                    walk_tree(doc, *r, tree);
                } else {
                    panic!("unexpected indirect kid {d:?}");
                }
            }
            Object::Dictionary(d) => {
                let pg = d.get(b"Pg").unwrap().as_reference().unwrap();
                match d.get(b"Type").unwrap().as_name().unwrap() {
                    b"MCR" => {
                        let mcid = d.get(b"MCID").unwrap().as_i64().unwrap();
                        tree.claims.entry((pg, mcid)).or_default().push(id);
                    }
                    b"OBJR" => {
                        let obj = d.get(b"Obj").unwrap().as_reference().unwrap();
                        assert!(tree.objrs.insert(obj, id).is_none(), "annotation twice");
                    }
                    other => panic!("unexpected kid type {other:?}"),
                }
            }
            other => panic!("unexpected kid {other:?}"),
        }
    }
}

impl Tree {
    fn kind(&self, id: ObjectId) -> &[u8] {
        &self.kinds[&id]
    }

    /// Whether `id` or an element under it is of `kind`.
    fn holds(&self, id: ObjectId, kind: &[u8]) -> bool {
        self.kind(id) == kind
            || self
                .children
                .get(&id)
                .is_some_and(|c| c.iter().any(|&k| self.holds(k, kind)))
    }
}

/// The structure tree of `doc`.
fn tree_of(doc: &Document) -> Tree {
    let root = dict(doc, doc.catalog().unwrap().get(b"StructTreeRoot").unwrap());
    let top = array(doc, root.get(b"K").unwrap());
    let mut tree = Tree::default();
    walk_tree(doc, top[0].as_reference().unwrap(), &mut tree);
    tree
}

/// The lopdf checks of tagged PDF on `bytes`; returns how many MCIDs the
/// pages hold.
fn assert_tagged(bytes: &[u8]) -> usize {
    let doc = Document::load_mem(bytes).unwrap();
    let catalog = doc.catalog().unwrap();
    let mark_info = dict(&doc, catalog.get(b"MarkInfo").unwrap());
    assert!(mark_info.get(b"Marked").unwrap().as_bool().unwrap());
    let root = dict(&doc, catalog.get(b"StructTreeRoot").unwrap());
    assert_eq!(
        root.get(b"Type").unwrap().as_name().unwrap(),
        b"StructTreeRoot"
    );
    let mcids = walk_content(&doc);

    let mut tree = Tree::default();
    let top = array(&doc, root.get(b"K").unwrap());
    assert_eq!(top.len(), 1);
    let doc_elem = top[0].as_reference().unwrap();
    walk_tree(&doc, doc_elem, &mut tree);
    assert_eq!(tree.kinds[&doc_elem], b"Document");

    // The parent tree: page keys to arrays by MCID, annotation keys to
    // their element.
    let parent_tree = dict(&doc, root.get(b"ParentTree").unwrap());
    let nums = array(&doc, parent_tree.get(b"Nums").unwrap());
    let mut parents: HashMap<i64, &Object> = HashMap::new();
    for pair in nums.chunks(2) {
        parents.insert(pair[0].as_i64().unwrap(), &pair[1]);
    }
    let next_key = root.get(b"ParentTreeNextKey").unwrap().as_i64().unwrap();
    assert!(parents.keys().all(|&k| k < next_key));

    let mut total = 0;
    for (page, ids) in &mcids {
        let p = doc.get_dictionary(*page).unwrap();
        assert_eq!(p.get(b"Tabs").unwrap().as_name().unwrap(), b"S");
        let key = p.get(b"StructParents").unwrap().as_i64().unwrap();
        let by_mcid = array(&doc, parents[&key]);
        assert_eq!(
            by_mcid.len(),
            ids.len(),
            "parent tree entry of page key {key}"
        );
        for &mcid in ids {
            let claimed = tree.claims.get(&(*page, mcid)).cloned().unwrap_or_default();
            assert_eq!(
                claimed.len(),
                1,
                "MCID {mcid} of page key {key} claimed by {} elements",
                claimed.len()
            );
            let Ok(idx) = usize::try_from(mcid) else {
                panic!("negative MCID");
            };
            assert_eq!(by_mcid[idx].as_reference().unwrap(), claimed[0]);
        }
        total += ids.len();
        // Every link annotation belongs to a Link element.
        if let Ok(annots) = p.get(b"Annots").and_then(|a| a.as_array()) {
            for a in annots {
                let a = a.as_reference().unwrap();
                let annot = doc.get_dictionary(a).unwrap();
                let key = annot.get(b"StructParent").unwrap().as_i64().unwrap();
                let elem = parents[&key].as_reference().unwrap();
                assert_eq!(tree.kinds[&elem], b"Link");
                assert_eq!(tree.objrs.get(&a), Some(&elem));
                let contents = annot.get(b"Contents").unwrap().as_str().unwrap();
                assert!(!contents.is_empty());
            }
        }
    }
    // No element claims content the pages do not have.
    let all: usize = tree.claims.values().map(Vec::len).sum();
    assert_eq!(all, total, "elements claim MCIDs that no page has");
    total
}

#[test]
fn every_piece_of_content_is_tagged_or_an_artifact() {
    // The fixture has every block kind; the press kit is the real thing.
    let fixture_mcids = assert_tagged(&pdf_of(&fixture()));
    assert!(fixture_mcids > 20, "{fixture_mcids}");
    assert!(assert_tagged(&pdf_of(&press_kit())) > 20);
}

/// The fixture's structure: each footnote right after the block that
/// refers to it, table headers with column scope, figures with their
/// alternative text and caption, list items with label and body.
#[test]
fn the_tree_holds_the_blocks_in_reading_order() {
    let bytes = pdf_of(&fixture());
    let doc = Document::load_mem(&bytes).unwrap();
    let tree = tree_of(&doc);
    let of = |kind: &[u8]| -> Vec<ObjectId> {
        let mut ids: Vec<_> = tree
            .kinds
            .iter()
            .filter(|(_, k)| k.as_slice() == kind)
            .map(|(id, _)| *id)
            .collect();
        ids.sort();
        ids
    };
    // The cover, then the contents, then the chapters.
    let top = &tree.children[&of(b"Document")[0]];
    assert!(top.len() > 2);
    assert!(!tree.holds(top[0], b"TOC") && tree.holds(top[0], b"H1"));
    assert!(tree.holds(top[1], b"TOC"));
    assert!(top[2..].iter().all(|&c| !tree.holds(c, b"TOC")));
    let notes = of(b"Note");
    assert!(!notes.is_empty());
    for note in &notes {
        let (parent, kids) = tree
            .children
            .iter()
            .find(|(_, kids)| kids.contains(note))
            .expect("a note has a parent");
        let at = kids.iter().position(|k| k == note).unwrap();
        // The block before the note (and before the notes of that block
        // placed ahead of it).
        let before = kids[..at]
            .iter()
            .rev()
            .find(|&&k| tree.kind(k) != b"Note")
            .copied()
            .expect("a note comes after its block");
        assert!(
            tree.holds(before, b"Reference"),
            "the block before a note refers to it (in {:?})",
            String::from_utf8_lossy(tree.kind(*parent))
        );
    }
    for th in of(b"TH") {
        let th = doc.get_dictionary(th).unwrap();
        let a = dict(&doc, th.get(b"A").unwrap());
        assert_eq!(a.get(b"O").unwrap().as_name().unwrap(), b"Table");
        assert_eq!(a.get(b"Scope").unwrap().as_name().unwrap(), b"Column");
    }
    assert!(!of(b"TH").is_empty() && !of(b"TD").is_empty());
    for table in of(b"Table") {
        let parts: Vec<&[u8]> = tree.children[&table]
            .iter()
            .map(|&k| tree.kind(k))
            .collect();
        assert!(
            parts.iter().all(|k| [&b"THead"[..], b"TBody"].contains(k)),
            "{parts:?}"
        );
    }
    for figure in of(b"Figure") {
        let f = doc.get_dictionary(figure).unwrap();
        assert!(!f.get(b"Alt").unwrap().as_str().unwrap().is_empty());
    }
    assert!(!of(b"Caption").is_empty());
    for li in of(b"LI") {
        let kinds: Vec<&[u8]> = tree.children[&li].iter().map(|&k| tree.kind(k)).collect();
        assert!(kinds.last() == Some(&&b"LBody"[..]), "{kinds:?}");
        assert!(
            kinds.iter().all(|k| [&b"Lbl"[..], b"LBody"].contains(k)),
            "{kinds:?}"
        );
    }
    for kind in [
        &b"L"[..],
        b"BlockQuote",
        b"Code",
        b"TOC",
        b"TOCI",
        b"Link",
        b"Sect",
        b"H1",
    ] {
        assert!(!of(kind).is_empty(), "no {}", String::from_utf8_lossy(kind));
    }
}

/// The corpus PDF (skipped with a line when `../shared` is missing).
#[test]
fn corpus_pdf_is_tagged() {
    let Some(book) = corpus_book() else {
        return;
    };
    let bytes = pdf_of(&book);
    assert!(assert_tagged(&bytes) > 1000);
    let Some(tools) = common::validators(&["pdfinfo"], "pdfinfo's view of the corpus") else {
        return;
    };
    let (_dir, path) = saved(&bytes);
    let (ok, out) = tools.run("pdfinfo", &[path.as_os_str()]);
    assert!(ok, "{out}");
    assert!(out.contains("Tagged:          yes"), "{out}");
}

fn saved(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.pdf");
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

/// One element of `pdfinfo -struct-text`: its type and its text, read in
/// order (inline elements run on; a block starts a new line).
struct Element {
    kind: String,
    text: String,
}

/// Parses `pdfinfo -struct-text`: every element with the text under it;
/// and the whole text in reading order.
fn struct_text(out: &str) -> (Vec<Element>, String) {
    let mut elements: Vec<Element> = Vec::new();
    // Open elements: (indent, index).
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut all = String::new();
    for line in out.lines() {
        let indent = line.len() - line.trim_start().len();
        let body = line.trim_start();
        while open.last().is_some_and(|&(i, _)| i >= indent) {
            open.pop();
        }
        if let Some(quoted) = body.strip_prefix('"') {
            let text = quoted.strip_suffix('"').unwrap_or(quoted);
            // The halves of a split word are two strings: "stan-" "dards".
            let joins = all.ends_with('-')
                && all.chars().rev().nth(1).is_some_and(char::is_alphabetic)
                && text.chars().next().is_some_and(char::is_lowercase);
            if joins {
                all.pop();
                for &(_, e) in &open {
                    elements[e].text.pop();
                }
            }
            all.push_str(text);
            for &(_, e) in &open {
                elements[e].text.push_str(text);
            }
        } else if body.starts_with("Object ") {
        } else if !body.is_empty() {
            let kind = body.split_whitespace().next().unwrap_or("").to_string();
            if !body.contains("(inline)") {
                all.push('\n');
                for &(_, e) in &open {
                    elements[e].text.push('\n');
                }
            }
            elements.push(Element {
                kind,
                text: String::new(),
            });
            open.push((indent, elements.len() - 1));
        }
    }
    (elements, all)
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn headings(blocks: &[Block], out: &mut Vec<String>, items: &mut Vec<String>) {
    for b in blocks {
        match &b.kind {
            BlockKind::Heading { content, .. } => out.push(squeeze(&inlines_text(content))),
            BlockKind::List { items: list, .. } => {
                for item in list {
                    if let Some(Block {
                        kind: BlockKind::Paragraph { content },
                        ..
                    }) = item.blocks.first()
                    {
                        items.push(squeeze(&inlines_text(content)));
                    }
                    headings(&item.blocks, out, items);
                }
            }
            BlockKind::Quote { blocks } | BlockKind::Container { blocks, .. } => {
                headings(blocks, out, items)
            }
            _ => {}
        }
    }
}

#[test]
fn the_structure_reads_as_the_book() {
    let Some(tools) = common::validators(&["pdfinfo"], "the structure as poppler reads it") else {
        return;
    };
    let book = press_kit();
    let bytes = pdf_of(&book);
    let (_dir, path) = saved(&bytes);
    let (ok, info) = tools.run("pdfinfo", &[path.as_os_str()]);
    assert!(ok && info.contains("Tagged:          yes"), "{info}");
    let (ok, out) = tools.run(
        "pdfinfo",
        &[std::ffi::OsStr::new("-struct-text"), path.as_os_str()],
    );
    assert!(ok, "{out}");
    let (elements, all) = struct_text(&out);

    // ≥ 99 % of the text output's words, in the tree's reading order.
    let have = pdf_words(&all);
    let (mut missing, mut total) = (Vec::new(), 0);
    for page in &book.pages {
        let text = render_page(page, &TextOptions::default());
        total += counted_words(&text);
        missing.extend(missing_words(&text, &have));
    }
    assert!(total > 500, "{total}");
    assert!(
        missing.len() * 100 <= total,
        "{} of {total} words missing from the structure's text: {:?}",
        missing.len(),
        &missing[..missing.len().min(30)]
    );

    // Page titles under H1, Markdown headings under H2–H6, first
    // paragraphs of list items under LI.
    let under = |kinds: &[&str]| -> Vec<String> {
        elements
            .iter()
            .filter(|e| kinds.contains(&e.kind.as_str()))
            .map(|e| squeeze(&e.text))
            .collect()
    };
    let h1 = under(&["H1"]);
    let lower = under(&["H2", "H3", "H4", "H5", "H6"]);
    // Without note marks (superscript digits) run into the words.
    let li = under(&["LI"])
        .join("\n")
        .replace(|c: char| "⁰¹²³⁴⁵⁶⁷⁸⁹".contains(c), "");
    let (mut heads, mut items) = (Vec::new(), Vec::new());
    for page in &book.pages {
        assert!(h1.contains(&squeeze(&page.title)), "no H1 `{}`", page.title);
        headings(&page.blocks, &mut heads, &mut items);
    }
    assert!(!heads.is_empty() && !items.is_empty());
    for h in &heads {
        assert!(
            lower.contains(h),
            "heading `{h}` not under H2–H6: {lower:?}"
        );
    }
    for item in &items {
        assert!(
            li.contains(item.as_str()),
            "list item `{item}` not under LI"
        );
    }
    // Headings skip no rank within a chapter.
    let mut last = 0;
    for e in &elements {
        if let Some(n) = e.kind.strip_prefix('H').and_then(|n| n.parse::<u8>().ok()) {
            assert!(n <= last + 1 || n == 1, "H{n} after H{last}");
            last = n;
        }
    }
}
