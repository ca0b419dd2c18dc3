//! Model pieces cut to a nesting budget. The builder caps nesting while it
//! builds, but a shortcode's content is built before the place it lands in
//! is known; when it lands, it is cut to the levels left there. Levels are
//! counted as the builder counts them: a container of blocks (quote, list
//! with its items, div) or of inlines (emphasis, link, span...) is one.
//! Past the budget, a container gives way to its content, so no text is
//! lost. The input was built under the same limit, so the recursion here is
//! bounded by it.

use crate::model::{Block, BlockKind, Inline};

/// Cuts `list` so no container lies more than `budget` levels down; true
/// when anything was flattened.
pub(super) fn blocks(list: &mut Vec<Block>, budget: usize) -> bool {
    // Most content fits: check without rebuilding (nested shortcodes are
    // cut once per level they land in).
    if blocks_fit(list, budget) {
        return false;
    }
    cut_blocks(list, budget)
}

/// Cuts `list` so no inline container lies more than `budget` levels down;
/// true when anything was flattened.
pub(super) fn inlines(list: &mut Vec<Inline>, budget: usize) -> bool {
    if inlines_fit(list, budget) {
        return false;
    }
    cut_inlines(list, budget)
}

fn blocks_fit(list: &[Block], budget: usize) -> bool {
    list.iter().all(|b| match &b.kind {
        BlockKind::Quote { blocks } | BlockKind::Container { blocks, .. } => {
            budget > 0 && blocks_fit(blocks, budget - 1)
        }
        BlockKind::List { items, .. } => {
            budget > 0 && items.iter().all(|i| blocks_fit(&i.blocks, budget - 1))
        }
        BlockKind::Paragraph { content } | BlockKind::Heading { content, .. } => {
            inlines_fit(content, budget)
        }
        BlockKind::Table(t) => t
            .head
            .iter()
            .chain(t.rows.iter().flatten())
            .all(|c| inlines_fit(c, budget)),
        BlockKind::Figure(f) => inlines_fit(&f.caption, budget),
        BlockKind::Details {
            summary, blocks, ..
        } => budget > 0 && inlines_fit(summary, budget - 1) && blocks_fit(blocks, budget - 1),
        BlockKind::Code { .. } | BlockKind::Rule | BlockKind::Embed(_) | BlockKind::Qr(_) => true,
    })
}

fn inlines_fit(list: &[Inline], budget: usize) -> bool {
    list.iter().all(|i| match i {
        Inline::Emph { content }
        | Inline::Strong { content }
        | Inline::Strike { content }
        | Inline::Sup { content }
        | Inline::Sub { content }
        | Inline::Span { content, .. }
        | Inline::Link { content, .. } => budget > 0 && inlines_fit(content, budget - 1),
        _ => true,
    })
}

fn cut_blocks(list: &mut Vec<Block>, budget: usize) -> bool {
    let mut cut = false;
    let mut out = Vec::with_capacity(list.len());
    for mut b in std::mem::take(list) {
        let inner = match &mut b.kind {
            BlockKind::Quote { blocks: inner } | BlockKind::Container { blocks: inner, .. } => {
                inner
            }
            BlockKind::List { items, .. } => {
                if budget == 0 {
                    cut = true;
                    for item in items.iter_mut() {
                        let mut content = std::mem::take(&mut item.blocks);
                        cut_blocks(&mut content, 0);
                        out.extend(content);
                    }
                } else {
                    for item in items.iter_mut() {
                        cut |= cut_blocks(&mut item.blocks, budget - 1);
                    }
                    out.push(b);
                }
                continue;
            }
            BlockKind::Paragraph { content } | BlockKind::Heading { content, .. } => {
                cut |= cut_inlines(content, budget);
                out.push(b);
                continue;
            }
            BlockKind::Table(t) => {
                for cell in t.head.iter_mut().chain(t.rows.iter_mut().flatten()) {
                    cut |= cut_inlines(cell, budget);
                }
                out.push(b);
                continue;
            }
            BlockKind::Figure(f) => {
                cut |= cut_inlines(&mut f.caption, budget);
                out.push(b);
                continue;
            }
            BlockKind::Details {
                summary, blocks, ..
            } => {
                if budget == 0 {
                    // The summary stays as a paragraph before the content.
                    cut = true;
                    let mut content = std::mem::take(summary);
                    cut_inlines(&mut content, 0);
                    let span = b.span;
                    out.push(Block {
                        id: String::new(),
                        span,
                        kind: BlockKind::Paragraph { content },
                    });
                    let mut inner = std::mem::take(blocks);
                    cut_blocks(&mut inner, 0);
                    out.extend(inner);
                } else {
                    cut |= cut_inlines(summary, budget - 1);
                    cut |= cut_blocks(blocks, budget - 1);
                    out.push(b);
                }
                continue;
            }
            BlockKind::Code { .. } | BlockKind::Rule | BlockKind::Embed(_) | BlockKind::Qr(_) => {
                out.push(b);
                continue;
            }
        };
        if budget == 0 {
            cut = true;
            let mut content = std::mem::take(inner);
            cut_blocks(&mut content, 0);
            out.extend(content);
        } else {
            cut |= cut_blocks(inner, budget - 1);
            out.push(b);
        }
    }
    *list = out;
    cut
}

fn cut_inlines(list: &mut Vec<Inline>, budget: usize) -> bool {
    let mut cut = false;
    let mut out = Vec::with_capacity(list.len());
    for mut inline in std::mem::take(list) {
        match &mut inline {
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Strike { content }
            | Inline::Sup { content }
            | Inline::Sub { content }
            | Inline::Span { content, .. }
            | Inline::Link { content, .. } => {
                if budget == 0 {
                    cut = true;
                    let mut content = std::mem::take(content);
                    cut_inlines(&mut content, 0);
                    out.extend(content);
                } else {
                    cut |= cut_inlines(content, budget - 1);
                    out.push(inline);
                }
            }
            _ => out.push(inline),
        }
    }
    *list = out;
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ListItem, Span, inlines_text};

    fn text(t: &str) -> Inline {
        Inline::Text { text: t.into() }
    }

    fn block(kind: BlockKind) -> Block {
        Block {
            id: String::new(),
            span: Span::default(),
            kind,
        }
    }

    /// `n` quotes around a paragraph with `m` nested emphases.
    fn deep(n: usize, m: usize) -> Vec<Block> {
        let mut content = vec![text("deepest")];
        for _ in 0..m {
            content = vec![Inline::Emph { content }];
        }
        let mut b = vec![block(BlockKind::Paragraph { content })];
        for _ in 0..n {
            b = vec![block(BlockKind::Quote { blocks: b })];
        }
        b
    }

    fn depth(blocks: &[Block]) -> usize {
        blocks
            .iter()
            .map(|b| match &b.kind {
                BlockKind::Quote { blocks } | BlockKind::Container { blocks, .. } => {
                    1 + depth(blocks)
                }
                BlockKind::List { items, .. } => {
                    1 + items.iter().map(|i| depth(&i.blocks)).max().unwrap_or(0)
                }
                BlockKind::Paragraph { content } => inline_depth(content),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }

    fn inline_depth(inlines: &[Inline]) -> usize {
        inlines
            .iter()
            .map(|i| match i {
                Inline::Emph { content } | Inline::Link { content, .. } => {
                    1 + inline_depth(content)
                }
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn within_budget_nothing_changes() {
        let mut b = deep(3, 2);
        assert!(!blocks(&mut b, 5));
        assert_eq!(depth(&b), 5);
    }

    #[test]
    fn past_budget_containers_give_way_to_their_content() {
        for (n, m, budget) in [(10, 0, 4), (2, 8, 5), (6, 6, 0), (0, 9, 3)] {
            let mut b = deep(n, m);
            assert!(blocks(&mut b, budget), "{n} {m} {budget}");
            assert_eq!(depth(&b), budget, "{n} {m} {budget}");
            let mut words = String::new();
            for x in &b {
                let mut x = x;
                while let BlockKind::Quote { blocks } = &x.kind {
                    x = &blocks[0];
                }
                if let BlockKind::Paragraph { content } = &x.kind {
                    words.push_str(&inlines_text(content));
                }
            }
            assert_eq!(words, "deepest");
        }
    }

    #[test]
    fn a_list_and_its_items_are_one_level() {
        let item = |blocks| ListItem { task: None, blocks };
        let list = |blocks| {
            block(BlockKind::List {
                start: None,
                items: vec![item(blocks), item(vec![])],
            })
        };
        let mut b = vec![list(vec![list(vec![list(deep(0, 0))])])];
        assert_eq!(depth(&b), 3);
        assert!(!blocks(&mut b, 3));
        assert!(blocks(&mut b, 1));
        assert_eq!(depth(&b), 1);
        assert!(matches!(&b[0].kind, BlockKind::List { items, .. } if items[0].blocks.len() == 1));
    }
}
