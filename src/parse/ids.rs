//! Block ids and heading anchors, assigned once a page body is built.
//!
//! Heading anchors follow Hugo: lower-cased, letters and digits kept
//! (Unicode too), spaces and `-` become `-`, other punctuation is removed,
//! duplicates get `-1`, `-2`. A `{#custom}` attribute wins.
//!
//! Block ids are derived from the block's kind and text only (a kind prefix
//! and 8 hex digits of a SHA-256), so editing one paragraph leaves the ids of
//! the others alone; translations (PO/XLIFF) key on them. Duplicates within
//! a page get `-2`, `-3`.

use crate::model::{Block, BlockKind, Footnote, Inline, inlines_text};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// Hugo-style slug of a heading text.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            out.extend(c.to_lowercase());
        } else if c == ' ' || c == '-' {
            out.push('-');
        }
    }
    out
}

/// Fills empty heading anchors and every block id of a page.
pub fn assign(blocks: &mut [Block], footnotes: &mut [Footnote]) {
    let mut anchors = Anchors::default();
    // Custom anchors are reserved first so a slug never steals one.
    visit(blocks, &mut |b| {
        if let BlockKind::Heading { anchor, .. } = &b.kind
            && !anchor.is_empty()
        {
            anchors.reserved.insert(anchor.clone());
        }
    });
    let mut ids = Ids::default();
    assign_blocks(blocks, &mut anchors, &mut ids);
    for f in footnotes.iter_mut() {
        f.id = ids.unique(format!("fn-{}", slugify(&f.label)));
        assign_blocks(&mut f.blocks, &mut anchors, &mut ids);
    }
}

#[derive(Default)]
struct Anchors {
    /// Custom anchors written in the page.
    reserved: HashSet<String>,
    /// Anchors given out so far.
    used: HashSet<String>,
    counts: HashMap<String, u32>,
}

impl Anchors {
    fn slug(&mut self, text: &str) -> String {
        let base = slugify(text);
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        self.unique(base)
    }

    /// A custom anchor as written, unless an earlier heading has it already.
    fn custom(&mut self, anchor: &str) -> String {
        if self.used.insert(anchor.to_string()) {
            anchor.to_string()
        } else {
            self.unique(anchor.to_string())
        }
    }

    fn unique(&mut self, base: String) -> String {
        let mut candidate = base.clone();
        while self.used.contains(&candidate) || self.reserved.contains(&candidate) {
            let n = self.counts.entry(base.clone()).or_insert(0);
            *n += 1;
            candidate = format!("{base}-{n}");
        }
        self.used.insert(candidate.clone());
        candidate
    }
}

#[derive(Default)]
struct Ids {
    used: HashSet<String>,
}

impl Ids {
    fn unique(&mut self, base: String) -> String {
        let mut candidate = base.clone();
        let mut n = 1;
        while self.used.contains(&candidate) {
            n += 1;
            candidate = format!("{base}-{n}");
        }
        self.used.insert(candidate.clone());
        candidate
    }
}

fn visit(blocks: &[Block], f: &mut dyn FnMut(&Block)) {
    for b in blocks {
        f(b);
        for child in children(&b.kind) {
            visit(child, f);
        }
    }
}

fn children(kind: &BlockKind) -> Vec<&Vec<Block>> {
    match kind {
        BlockKind::Quote { blocks } | BlockKind::Container { blocks, .. } => vec![blocks],
        BlockKind::List { items, .. } => items.iter().map(|i| &i.blocks).collect(),
        _ => Vec::new(),
    }
}

fn assign_blocks(blocks: &mut [Block], anchors: &mut Anchors, ids: &mut Ids) {
    for b in blocks.iter_mut() {
        if let BlockKind::Heading {
            anchor, content, ..
        } = &mut b.kind
        {
            *anchor = if anchor.is_empty() {
                anchors.slug(&inlines_text(content))
            } else {
                anchors.custom(anchor)
            };
        }
        let (prefix, text) = signature(&b.kind);
        b.id = ids.unique(format!("{prefix}-{}", short_hash(prefix, &text)));
        match &mut b.kind {
            BlockKind::Quote { blocks } | BlockKind::Container { blocks, .. } => {
                assign_blocks(blocks, anchors, ids)
            }
            BlockKind::List { items, .. } => {
                for item in items {
                    assign_blocks(&mut item.blocks, anchors, ids);
                }
            }
            _ => {}
        }
    }
}

fn short_hash(prefix: &str, text: &str) -> String {
    let digest = Sha256::digest(format!("{prefix}\0{text}").as_bytes());
    digest.iter().take(4).map(|b| format!("{b:02x}")).collect()
}

/// The kind prefix and the text a block's id is derived from.
fn signature(kind: &BlockKind) -> (&'static str, String) {
    match kind {
        BlockKind::Paragraph { content } => ("p", inlines_text(content)),
        BlockKind::Heading { content, .. } => ("h", inlines_text(content)),
        BlockKind::List { items, .. } => (
            "li",
            items
                .iter()
                .map(|i| blocks_text(&i.blocks))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        BlockKind::Quote { blocks } => ("q", blocks_text(blocks)),
        BlockKind::Code { text, .. } => ("code", text.clone()),
        BlockKind::Table(t) => {
            let mut s = cells_text(&t.head);
            for row in &t.rows {
                s.push('\n');
                s.push_str(&cells_text(row));
            }
            ("tbl", s)
        }
        BlockKind::Rule => ("hr", String::new()),
        BlockKind::Figure(f) => ("fig", format!("{}\n{}", f.src, inlines_text(&f.caption))),
        BlockKind::Container { origin, blocks, .. } => {
            ("div", format!("{origin}\n{}", blocks_text(blocks)))
        }
    }
}

fn cells_text(cells: &[Vec<Inline>]) -> String {
    cells
        .iter()
        .map(|c| inlines_text(c))
        .collect::<Vec<_>>()
        .join("\t")
}

fn blocks_text(blocks: &[Block]) -> String {
    blocks
        .iter()
        .map(|b| signature(&b.kind).1)
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hugo_slugs() {
        assert_eq!(slugify("FAQ: What's XMPP?"), "faq-whats-xmpp");
        assert_eq!(slugify("Über uns"), "über-uns");
        assert_eq!(slugify("a - b"), "a---b");
    }

    #[test]
    fn anchors_are_unique() {
        let mut a = Anchors::default();
        assert_eq!(a.slug("FAQ"), "faq");
        assert_eq!(a.slug("FAQ"), "faq-1");
        assert_eq!(a.slug("FAQ"), "faq-2");
        assert_eq!(a.custom("faq"), "faq-3");
        assert_eq!(a.custom("own"), "own");
        assert_eq!(a.custom("own"), "own-1");
    }
}
