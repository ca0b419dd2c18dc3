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
    let mut hashes = Vec::new();
    signatures(blocks, &mut hashes);
    assign_blocks(blocks, &mut hashes.into_iter(), &mut anchors, &mut ids);
    for f in footnotes.iter_mut() {
        f.id = ids.unique(format!("fn-{}", slugify(&f.label)));
        let mut hashes = Vec::new();
        signatures(&f.blocks, &mut hashes);
        assign_blocks(
            &mut f.blocks,
            &mut hashes.into_iter(),
            &mut anchors,
            &mut ids,
        );
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
    /// Base -> the last suffix tried for it: every smaller one is taken, so
    /// a page of identical blocks costs linear time.
    last: HashMap<String, u32>,
}

impl Ids {
    fn unique(&mut self, base: String) -> String {
        if self.used.insert(base.clone()) {
            return base;
        }
        let n = self.last.entry(base.clone()).or_insert(1);
        loop {
            *n += 1;
            let candidate = format!("{base}-{n}");
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
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
        BlockKind::Quote { blocks }
        | BlockKind::Container { blocks, .. }
        | BlockKind::Details { blocks, .. } => vec![blocks],
        BlockKind::List { items, .. } => items.iter().map(|i| &i.blocks).collect(),
        _ => Vec::new(),
    }
}

/// Gives each block (in document order, parents first) its heading anchor
/// and its id, taking the hashed ids from `hashes` in the same order.
fn assign_blocks(
    blocks: &mut [Block],
    hashes: &mut std::vec::IntoIter<String>,
    anchors: &mut Anchors,
    ids: &mut Ids,
) {
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
        b.id = ids.unique(hashes.next().unwrap_or_default());
        match &mut b.kind {
            BlockKind::Quote { blocks }
            | BlockKind::Container { blocks, .. }
            | BlockKind::Details { blocks, .. } => assign_blocks(blocks, hashes, anchors, ids),
            BlockKind::List { items, .. } => {
                for item in items {
                    assign_blocks(&mut item.blocks, hashes, anchors, ids);
                }
            }
            _ => {}
        }
    }
}

/// Pushes the hashed id (`p-1a2b3c4d`) of each block of `blocks` and of
/// the blocks inside them onto `out`, in document order (parents first),
/// and returns each block's signature text. A container's text is made
/// from its children's, once: a deep page costs its depth times its size,
/// not its depth squared.
fn signatures(blocks: &[Block], out: &mut Vec<String>) -> Vec<String> {
    let mut texts = Vec::with_capacity(blocks.len());
    for b in blocks {
        let slot = out.len();
        out.push(String::new());
        let (prefix, text) = match &b.kind {
            BlockKind::Quote { blocks } => ("q", signatures(blocks, out).join("\n")),
            BlockKind::Container { origin, blocks, .. } => (
                "div",
                format!("{origin}\n{}", signatures(blocks, out).join("\n")),
            ),
            BlockKind::Details {
                summary, blocks, ..
            } => (
                "details",
                format!(
                    "{}\n{}",
                    inlines_text(summary),
                    signatures(blocks, out).join("\n")
                ),
            ),
            BlockKind::List { items, .. } => (
                "li",
                items
                    .iter()
                    .map(|i| signatures(&i.blocks, out).join("\n"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            leaf => leaf_signature(leaf),
        };
        if let Some(id) = out.get_mut(slot) {
            *id = hashed_id(prefix, &text);
        }
        texts.push(text);
    }
    texts
}

/// `prefix-` and the first 8 hex digits of SHA-256 of `prefix`, a NUL and
/// `text` (fed in pieces: no copy of the text, which for a container is
/// all of its children's).
fn hashed_id(prefix: &str, text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::new()
        .chain_update(prefix)
        .chain_update([0u8])
        .chain_update(text)
        .finalize();
    let mut id = String::with_capacity(prefix.len() + 9);
    id.push_str(prefix);
    id.push('-');
    for b in digest.iter().take(4) {
        id.push(char::from(HEX[usize::from(b >> 4)]));
        id.push(char::from(HEX[usize::from(b & 15)]));
    }
    id
}

/// The kind prefix and the text the id of a block without child blocks is
/// derived from.
fn leaf_signature(kind: &BlockKind) -> (&'static str, String) {
    match kind {
        BlockKind::Paragraph { content } => ("p", inlines_text(content)),
        BlockKind::Heading { content, .. } => ("h", inlines_text(content)),
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
        BlockKind::Embed(e) => ("embed", e.url.clone()),
        BlockKind::Qr(q) => ("qr", q.text.clone()),
        // Containers are signed by `signatures`, from their children.
        BlockKind::List { .. } => ("li", String::new()),
        BlockKind::Quote { .. } => ("q", String::new()),
        BlockKind::Container { .. } => ("div", String::new()),
        BlockKind::Details { .. } => ("details", String::new()),
    }
}

fn cells_text(cells: &[Vec<Inline>]) -> String {
    cells
        .iter()
        .map(|c| inlines_text(c))
        .collect::<Vec<_>>()
        .join("\t")
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
    fn ids_count_on_from_the_last_suffix() {
        let mut ids = Ids::default();
        let got: Vec<String> = (0..4).map(|_| ids.unique("p-1".into())).collect();
        assert_eq!(got, ["p-1", "p-1-2", "p-1-3", "p-1-4"]);
        // A suffix taken by another base is skipped, as before.
        assert_eq!(ids.unique("q".into()), "q");
        assert_eq!(ids.unique("q-3".into()), "q-3");
        assert_eq!(ids.unique("q".into()), "q-2");
        assert_eq!(ids.unique("q".into()), "q-4");
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
