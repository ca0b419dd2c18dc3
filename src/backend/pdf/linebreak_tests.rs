//! The breaker on hand-made paragraphs: one test per rule of the module
//! doc, plus the old guarantees (no overfull line, huge paragraphs).

use super::*;

const EM: f32 = 10.0;

fn glue() -> Kind {
    Kind::Glue {
        width: 3.0,
        stretch: 2.0,
        shrink: 0.6,
    }
}

fn finish(items: &mut Vec<Kind>) {
    items.push(Kind::Glue {
        width: 0.0,
        stretch: FILL,
        shrink: 0.0,
    });
    items.push(Kind::Penalty {
        width: 0.0,
        penalty: -INFINITY,
        flagged: false,
    });
}

fn words(n: usize, w: f32) -> Vec<Kind> {
    let mut items = Vec::new();
    for i in 0..n {
        if i > 0 {
            items.push(Kind::Glue {
                width: 3.0,
                stretch: 1.5,
                shrink: 1.0,
            });
        }
        items.push(Kind::Box { width: w });
    }
    finish(&mut items);
    items
}

/// Words of uneven widths (a fixed pseudo-random sequence), each split in
/// two by a hyphen break costing `penalty`.
fn hyphenated_words(n: usize, penalty: f32) -> Vec<Kind> {
    let mut items = Vec::new();
    let mut seed = 7u32;
    for i in 0..n {
        if i > 0 {
            items.push(glue());
        }
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let w = 8.0 + ((seed >> 16) % 23) as f32;
        items.push(Kind::Box { width: w * 0.4 });
        items.push(Kind::Penalty {
            width: 3.0,
            penalty,
            flagged: true,
        });
        items.push(Kind::Box { width: w * 0.6 });
    }
    finish(&mut items);
    items
}

fn line_widths(items: &[Kind], breaks: &[Break]) -> Vec<f32> {
    let mut start = 0;
    let mut out = Vec::new();
    for b in breaks {
        let mut w = 0.0;
        for (i, item) in items.iter().enumerate().take(b.at + 1).skip(start) {
            match *item {
                Kind::Box { width } => w += width,
                Kind::Glue {
                    width,
                    stretch,
                    shrink,
                } if i != b.at && stretch < FILL => {
                    w += width
                        + if b.ratio > 0.0 {
                            b.ratio * stretch
                        } else {
                            b.ratio * shrink
                        }
                }
                Kind::Penalty { width, .. } if i == b.at => w += width,
                _ => {}
            }
        }
        out.push(w);
        start = b.at + 1;
    }
    out
}

/// Boxes on each line.
fn boxes_per_line(items: &[Kind], breaks: &[Break]) -> Vec<usize> {
    let mut start = 0;
    breaks
        .iter()
        .map(|b| {
            let n = items[start..=b.at]
                .iter()
                .filter(|k| matches!(k, Kind::Box { .. }))
                .count();
            start = b.at + 1;
            n
        })
        .collect()
}

fn flagged_ends(items: &[Kind], breaks: &[Break]) -> Vec<bool> {
    breaks
        .iter()
        .map(|b| matches!(items[b.at], Kind::Penalty { flagged: true, .. }))
        .collect()
}

#[test]
fn no_line_is_overfull() {
    let items = words(60, 20.0);
    let breaks = break_lines(&items, 100.0, EM);
    assert!(breaks.len() >= 12);
    for w in line_widths(&items, &breaks) {
        assert!(w <= 100.01, "{w}");
    }
    assert_eq!(breaks.last().map(|b| b.at), Some(items.len() - 1));
}

#[test]
fn huge_paragraphs_break_first_fit_within_the_measure() {
    // A 60 000-letter word with a break after every letter.
    let mut items = Vec::new();
    for i in 0..60_000 {
        if i > 0 {
            items.push(Kind::Penalty {
                width: 0.0,
                penalty: 900.0,
                flagged: false,
            });
        }
        items.push(Kind::Box { width: 5.0 });
    }
    finish(&mut items);
    let breaks = break_lines(&items, 100.0, EM);
    assert_eq!(breaks.len(), 3000);
    assert!(line_widths(&items, &breaks).iter().all(|&w| w <= 100.0));
    assert_eq!(breaks.last().map(|b| b.at), Some(items.len() - 1));
    // Words and spaces: every line but the last is filled.
    let items = words(30_000, 20.0);
    let breaks = first_fit(&items, 100.0);
    let widths = line_widths(&items, &breaks);
    assert!(widths.iter().all(|&w| w <= 100.01), "{widths:?}");
    assert_eq!(breaks.last().map(|b| b.at), Some(items.len() - 1));
    assert_eq!(breaks.len(), 7500);
}

#[test]
fn wide_words_still_break() {
    let items = words(10, 90.0);
    let breaks = break_lines(&items, 100.0, EM);
    assert_eq!(breaks.len(), 10);
}

#[test]
fn fitness_classes_and_adjacent_demerits() {
    assert_eq!(
        [-0.8, -0.2, 0.3, 0.7, 1.5].map(fitness),
        [0, 1, 1, 2, 3],
        "tight, decent, decent, loose, very loose"
    );
    let node = |fitness| Node {
        fitness,
        ..Node::START
    };
    let line = |ratio| Candidate {
        ratio,
        penalty: 0.0,
        flagged: false,
        forced: false,
        width: 100.0,
        spaces: 5,
    };
    let d = |from: u8, ratio: f64| demerits(&line(ratio), &node(from), &[], 10.0, false).unwrap();
    // A very loose line after a tight one pays the adjacent demerits; after
    // a loose one (one class apart) it does not.
    assert_eq!(d(0, 1.2) - d(2, 1.2), ADJ_DEMERITS);
    assert_eq!(d(3, -0.8) - d(1, -0.8), ADJ_DEMERITS);
    assert_eq!(d(1, 0.2), d(2, 0.2));
}

#[test]
fn never_three_hyphenated_lines_in_a_row() {
    // Hyphen breaks that pay (negative penalty): without the limit every
    // line would end with one.
    let items = hyphenated_words(80, -500.0);
    let mut pairs = 0;
    for measure in (80..=130).step_by(5) {
        let measure = measure as f32;
        let breaks = break_lines(&items, measure, EM);
        let flags = flagged_ends(&items, &breaks);
        assert!(flags.len() > 8, "{flags:?}");
        pairs += flags.windows(2).filter(|w| *w == [true, true]).count();
        assert!(
            !flags.windows(3).any(|w| w == [true, true, true]),
            "{measure}: {flags:?}"
        );
        assert!(
            line_widths(&items, &breaks)
                .iter()
                .all(|&w| w <= measure + 0.01)
        );
    }
    assert!(pairs > 0, "two in a row are allowed");
}

#[test]
fn spaces_never_shrink_past_their_shrink() {
    // Lines that would fit one more word if spaces shrank further.
    let items = words(40, 14.0);
    for b in break_lines(&items, 100.0, EM) {
        assert!(b.ratio >= -1.0, "{b:?}");
    }
}

#[test]
fn a_last_line_of_one_word_is_avoided_when_it_can_be() {
    // 17 words of 10 pt: 8 + 8 + 1 fits best, but 8 + 7 + 2 (one line at
    // ratio 1) avoids the lone last word.
    let mut items = Vec::new();
    for i in 0..17 {
        if i > 0 {
            items.push(glue());
        }
        items.push(Kind::Box { width: 10.0 });
    }
    finish(&mut items);
    let breaks = break_lines(&items, 101.0, EM);
    let per_line = boxes_per_line(&items, &breaks);
    assert_eq!(per_line.len(), 3, "{per_line:?}");
    assert!(*per_line.last().unwrap() >= 2, "{per_line:?}");
    // One word alone cannot be avoided in a one-word paragraph.
    let items = words(1, 10.0);
    assert_eq!(break_lines(&items, 101.0, EM).len(), 1);
}

#[test]
fn a_short_last_line_costs_like_a_lone_word() {
    let c = |width: f64, spaces| Candidate {
        ratio: 0.0,
        penalty: -INFINITY,
        flagged: false,
        forced: true,
        width,
        spaces,
    };
    let start = Node::START;
    let d = |c: Candidate| demerits(&c, &start, &[], f64::from(EM), false).unwrap();
    let normal = d(c(60.0, 3));
    // One word, or two words narrower than 1.5 em.
    assert_eq!(d(c(60.0, 0)) - normal, SHORT_LAST_DEMERITS);
    assert_eq!(d(c(12.0, 1)) - normal, SHORT_LAST_DEMERITS);
}

#[test]
fn the_last_word_is_not_hyphenated() {
    // Every word may be hyphenated, profitably; the last one never is.
    let items = hyphenated_words(15, -300.0);
    let breaks = break_lines(&items, 100.0, EM);
    let last_hyphen = items.len() - 4;
    assert!(matches!(
        items[last_hyphen],
        Kind::Penalty { flagged: true, .. }
    ));
    assert!(
        breaks
            .iter()
            .any(|b| b.at < last_hyphen
                && matches!(items[b.at], Kind::Penalty { flagged: true, .. }))
    );
    assert!(breaks.iter().all(|b| b.at != last_hyphen), "{breaks:?}");
}

#[test]
fn a_hyphen_before_the_last_two_lines_costs_extra() {
    // Page breaking may end a page after either line before the last.
    let node = |flagged, prev| Node {
        at: 1,
        line: 1,
        hyphens: u8::from(flagged),
        flagged,
        prev,
        ..Node::START
    };
    let nodes = [node(false, None), node(true, Some(0))];
    let last = Candidate {
        ratio: 0.0,
        penalty: -INFINITY,
        flagged: false,
        forced: true,
        width: 60.0,
        spaces: 3,
    };
    let d = |from: &Node| demerits(&last, from, &nodes, f64::from(EM), false).unwrap();
    let plain = d(&node(false, Some(0)));
    assert_eq!(d(&node(true, Some(0))) - plain, PAGE_END_HYPHEN_DEMERITS);
    assert_eq!(d(&node(false, Some(1))) - plain, PAGE_END_HYPHEN_DEMERITS);
    assert_eq!(
        d(&node(true, Some(1))) - plain,
        2.0 * PAGE_END_HYPHEN_DEMERITS
    );
}

#[test]
fn balanced_lines_are_even() {
    // A heading: ragged glue, 9 words; at 200 pt the optimum fills the
    // first line and leaves a word or two on the second.
    let mut items = Vec::new();
    for i in 0..9 {
        if i > 0 {
            items.push(Kind::Glue {
                width: 4.0,
                stretch: 16.0,
                shrink: 0.0,
            });
        }
        items.push(Kind::Box { width: 20.0 });
    }
    finish(&mut items);
    let natural = |b: &[Break]| {
        let mut start = 0;
        b.iter()
            .map(|b| {
                let w = natural_width(&items, start, b.at);
                start = next_start(&items, b.at);
                w
            })
            .collect::<Vec<f32>>()
    };
    let plain = natural(&break_lines(&items, 200.0, EM));
    assert_eq!(plain.len(), 2);
    assert!(plain[0] - plain[1] > 80.0, "{plain:?}");
    let even = natural(&balanced(&items, 200.0, EM));
    assert_eq!(even.len(), 2, "no more lines than needed");
    assert!((even[0] - even[1]).abs() <= 24.0, "{even:?}");
    assert!(even.iter().all(|&w| w <= 200.0));
    // One line stays one line.
    assert_eq!(balanced(&items, 400.0, EM).len(), 1);
}
