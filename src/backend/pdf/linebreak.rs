//! Optimal line breaking in the style of Knuth and Plass: boxes, glue and
//! penalties; the breaks minimise the total demerits of the paragraph.
//!
//! Beyond the classic demerits (badness, penalties, hyphens on consecutive
//! lines, fitness classes of adjacent lines more than one class apart) the
//! breaker keeps typographic rules of its own:
//! - never three hyphenated line ends in a row ([`MAX_HYPHEN_RUN`]; only the
//!   emergency pass may, at a great cost);
//! - no hyphen break in the last word of a paragraph;
//! - a last line holding one word, or shorter than [`SHORT_LAST_LINE`] ems,
//!   costs [`SHORT_LAST_DEMERITS`], so a paragraph avoids it when it can;
//! - a hyphen at the end of either line before the last costs extra: page
//!   breaking may end a page there (a paragraph leaves at least two lines
//!   at the head of a page).
//!
//! A line may be stretched as far as needed in the last, emergency pass but
//! never shrunk beyond its glue's shrink, so no line is wider than the measure
//! as long as every box fits (the caller splits boxes that do not).
//!
//! The emergency pass keeps every break of the last line width active, so
//! on a huge paragraph with a break after every letter (a 1 MB URL) it costs
//! the items times the breaks per line; past [`FIRST_FIT_ABOVE`] items it
//! breaks first-fit instead, in linear time.

use std::cell::Cell;

/// A penalty that forbids a break.
pub const INFINITY: f32 = 10_000.0;
/// Stretch of the glue that fills the last line.
pub const FILL: f32 = 1.0e6;
/// Paragraphs with more items than this (some 10 000 words) are broken
/// first-fit when the optimal passes fail.
pub const FIRST_FIT_ABOVE: usize = 20_000;
/// Most hyphenated line ends in a row.
pub const MAX_HYPHEN_RUN: u8 = 2;
/// Hyphen-run states a node may be in (0 to [`MAX_HYPHEN_RUN`]).
const RUNS: usize = MAX_HYPHEN_RUN as usize + 1;
/// A last line narrower than this many ems is short.
pub const SHORT_LAST_LINE: f32 = 1.5;
/// Demerits of a last line that holds one word or is short: about what one
/// line stretched to 1.45 times its stretch costs, so a paragraph takes
/// some looser lines to avoid it (on the corpus: 76 such lines down to 46).
pub const SHORT_LAST_DEMERITS: f64 = 100_000.0;
/// Demerits of hyphens on consecutive lines (TeX's `\doublehyphendemerits`).
const DOUBLE_HYPHEN_DEMERITS: f64 = 10_000.0;
/// Demerits of a hyphen ending one of the two lines before the last.
const PAGE_END_HYPHEN_DEMERITS: f64 = 5_000.0;
/// Demerits of adjacent lines whose fitness classes differ by more than one
/// (TeX's `\adjdemerits`).
const ADJ_DEMERITS: f64 = 10_000.0;

/// The line-breaking view of an item.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Box {
        width: f32,
    },
    Glue {
        width: f32,
        stretch: f32,
        shrink: f32,
    },
    Penalty {
        width: f32,
        penalty: f32,
        flagged: bool,
    },
}

/// A chosen break: the item index it happens at, and the adjustment ratio of
/// the line that ends there (glue grows by `ratio * stretch` when positive,
/// shrinks by `-ratio * shrink` when negative).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Break {
    pub at: usize,
    pub ratio: f32,
}

#[derive(Debug, Clone, Copy)]
struct Node {
    at: usize,
    line: usize,
    fitness: u8,
    /// Hyphenated line ends in a row ending here.
    hyphens: u8,
    /// Whether the line ending here ends with a hyphen.
    flagged: bool,
    width: f64,
    stretch: f64,
    shrink: f64,
    /// Word spaces (finite glue) before the next line's start.
    spaces: usize,
    demerits: f64,
    prev: Option<usize>,
}

impl Node {
    /// The paragraph's start: no line before it, a decent fitness.
    const START: Node = Node {
        at: 0,
        line: 0,
        fitness: 1,
        hyphens: 0,
        flagged: false,
        width: 0.0,
        stretch: 0.0,
        shrink: 0.0,
        spaces: 0,
        demerits: 0.0,
        prev: None,
    };
}

/// The fitness class of a line of adjustment ratio `ratio`: tight (shrunk
/// past half its shrink), decent, loose, very loose (past its stretch).
pub fn fitness(ratio: f64) -> u8 {
    if ratio < -0.5 {
        0
    } else if ratio <= 0.5 {
        1
    } else if ratio <= 1.0 {
        2
    } else {
        3
    }
}

/// Breaks `items` into lines of `measure` points (`em`: the text size, for
/// the short last line). Tries a strict tolerance first, then looser ones;
/// the last pass always succeeds when every box fits.
pub fn break_lines(items: &[Kind], measure: f32, em: f32) -> Vec<Break> {
    for tolerance in [2.0, 6.0] {
        if let Some(b) = run(items, measure, em, tolerance, false) {
            return b;
        }
    }
    if items.len() > FIRST_FIT_ABOVE {
        return first_fit(items, measure);
    }
    run(items, measure, em, f32::INFINITY, true).unwrap_or_else(|| {
        vec![Break {
            at: items.len().saturating_sub(1),
            ratio: 0.0,
        }]
    })
}

/// Ragged lines of even length (headings): the breaks of the narrowest
/// measure, down to the widest box, that needs no more lines than
/// `measure` does. Ratios are against `measure`.
pub fn balanced(items: &[Kind], measure: f32, em: f32) -> Vec<Break> {
    let full = break_lines(items, measure, em);
    if full.len() < 2 || items.len() > FIRST_FIT_ABOVE {
        return full;
    }
    let widest = items
        .iter()
        .map(|k| match *k {
            Kind::Box { width } => width,
            _ => 0.0,
        })
        .fold(0.0f32, f32::max);
    let (mut lo, mut hi) = (widest.max(measure / full.len() as f32), measure);
    let mut best = full.clone();
    // A dozen halvings find the width to a fraction of a point.
    for _ in 0..12 {
        if hi - lo < 0.5 {
            break;
        }
        let mid = (lo + hi) / 2.0;
        let b = break_lines(items, mid, em);
        if b.len() <= full.len() && fits(items, &b, mid) {
            best = b;
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let mut start = 0;
    best.into_iter()
        .map(|b| {
            let ratio = line_ratio(items, start, b.at, measure);
            start = next_start(items, b.at);
            Break { at: b.at, ratio }
        })
        .collect()
}

/// Whether every line of `breaks` is within `measure` at its natural width.
fn fits(items: &[Kind], breaks: &[Break], measure: f32) -> bool {
    let mut start = 0;
    breaks.iter().all(|b| {
        let w = natural_width(items, start, b.at);
        start = next_start(items, b.at);
        w <= measure + 0.01
    })
}

/// The natural width of the line `start..=end` (`end` is its break).
fn natural_width(items: &[Kind], start: usize, end: usize) -> f32 {
    let mut w = 0.0;
    for (i, item) in items.iter().enumerate().take(end + 1).skip(start) {
        match *item {
            Kind::Box { width } => w += width,
            Kind::Glue { width, .. } if i != end => w += width,
            Kind::Penalty { width, .. } if i == end => w += width,
            _ => {}
        }
    }
    w
}

/// The first item of the line after a break at `at`: what the break
/// discards (glue, penalties) is skipped, up to a forced break.
fn next_start(items: &[Kind], at: usize) -> usize {
    let mut start = at + 1;
    while start < items.len() && !matches!(items[start], Kind::Box { .. }) {
        if matches!(items[start], Kind::Penalty { penalty, .. } if penalty <= -INFINITY) {
            break;
        }
        start += 1;
    }
    start
}

/// The index of the last word space (finite glue) before the paragraph's
/// end: hyphen breaks after it would hyphenate the last word.
fn last_space(items: &[Kind]) -> Option<usize> {
    items
        .iter()
        .rposition(|k| matches!(*k, Kind::Glue { stretch, .. } if stretch < FILL))
}

fn is_legal(items: &[Kind], i: usize) -> bool {
    match items[i] {
        Kind::Penalty { penalty, .. } => penalty < INFINITY,
        Kind::Glue { .. } => i > 0 && matches!(items[i - 1], Kind::Box { .. }),
        Kind::Box { .. } => false,
    }
}

/// What a candidate line costs beyond its badness: the rules of the module
/// doc. `None` when the line is not allowed in this pass.
struct Candidate {
    ratio: f64,
    penalty: f32,
    flagged: bool,
    forced: bool,
    /// Natural width of the line and its word spaces.
    width: f64,
    spaces: usize,
}

fn demerits(c: &Candidate, from: &Node, nodes: &[Node], em: f64, emergency: bool) -> Option<f64> {
    let hyphens = if c.flagged { from.hyphens + 1 } else { 0 };
    let mut d = 0.0;
    if hyphens > MAX_HYPHEN_RUN {
        if !emergency {
            return None;
        }
        d += 1.0e7;
    }
    let capped = c.ratio.min(10.0);
    let badness = 100.0 * capped.abs().powi(3);
    d += (1.0 + badness).powi(2);
    let pp = f64::from(c.penalty);
    if c.penalty >= 0.0 {
        d += pp.powi(2);
    } else if c.penalty > -INFINITY {
        d -= pp.powi(2);
    }
    if c.ratio.is_infinite() {
        d += 1.0e8;
    }
    if c.flagged && from.flagged {
        d += DOUBLE_HYPHEN_DEMERITS;
    }
    if c.forced {
        // The line before the last, and the one before it, may end a page.
        if from.flagged {
            d += PAGE_END_HYPHEN_DEMERITS;
        }
        if from.prev.is_some_and(|p| nodes[p].flagged) {
            d += PAGE_END_HYPHEN_DEMERITS;
        }
        if c.spaces == 0 || c.width < f64::from(SHORT_LAST_LINE) * em {
            d += SHORT_LAST_DEMERITS;
        }
    }
    let fit = fitness(c.ratio);
    if (i32::from(fit) - i32::from(from.fitness)).abs() > 1 {
        d += ADJ_DEMERITS;
    }
    Some(d + from.demerits)
}

fn run(
    items: &[Kind],
    measure: f32,
    em: f32,
    tolerance: f32,
    emergency: bool,
) -> Option<Vec<Break>> {
    let measure = f64::from(measure);
    let em = f64::from(em);
    // The thread's node buffers: kept from paragraph to paragraph.
    let (mut nodes, mut active) = BUFFERS.take();
    let found = run_in(
        items,
        (measure, em, tolerance, emergency),
        &mut nodes,
        &mut active,
    );
    if nodes.capacity() <= KEEP_AT_MOST && active.capacity() <= KEEP_AT_MOST {
        nodes.clear();
        active.clear();
        BUFFERS.set((nodes, active));
    }
    found
}

/// Node buffers larger than this are dropped after use, not kept.
const KEEP_AT_MOST: usize = 1 << 14;

thread_local! {
    /// The nodes and the active ones, kept per thread between paragraphs.
    static BUFFERS: Cell<(Vec<Node>, Vec<usize>)> = const { Cell::new((Vec::new(), Vec::new())) };
}

/// [`run`] in `nodes` and `active` (empty).
fn run_in(
    items: &[Kind],
    (measure, em, tolerance, emergency): (f64, f64, f32, bool),
    nodes: &mut Vec<Node>,
    active: &mut Vec<usize>,
) -> Option<Vec<Break>> {
    let last_space = last_space(items);
    // About one node per line candidate: a few per line of the paragraph.
    nodes.reserve(items.len() / 4 + 8);
    nodes.push(Node::START);
    active.push(0);
    // Running sums of widths, stretch, shrink and word spaces up to item i.
    let (mut sw, mut sy, mut sz, mut sn) = (0.0f64, 0.0f64, 0.0f64, 0usize);
    for i in 0..items.len() {
        let in_last_word = last_space.is_none_or(|s| i > s);
        if is_legal(items, i) {
            let (pw, pp, flagged) = match items[i] {
                Kind::Penalty {
                    width,
                    penalty,
                    flagged,
                } => (f64::from(width), penalty, flagged),
                _ => (0.0, 0.0, false),
            };
            let forced = pp <= -INFINITY;
            // No hyphen in the last word of the paragraph (unless nothing
            // else fits: the emergency pass).
            let banned = flagged && in_last_word && !emergency;
            // Best candidate per fitness class and hyphen run: (demerits, from node).
            let mut best: [Option<(f64, usize)>; 4 * RUNS] = [None; 4 * RUNS];
            let mut k = 0;
            while k < active.len() {
                let idx = active[k];
                let a = nodes[idx];
                let width = sw - a.width + pw;
                let ratio = if width < measure {
                    let stretch = sy - a.stretch;
                    if stretch > 0.0 {
                        (measure - width) / stretch
                    } else {
                        f64::INFINITY
                    }
                } else if width > measure {
                    let shrink = sz - a.shrink;
                    if shrink > 0.0 {
                        (measure - width) / shrink
                    } else {
                        f64::NEG_INFINITY
                    }
                } else {
                    0.0
                };
                // Rounding slack: a line a hair too wide still counts as fitting.
                let ratio = if ratio < -1.0 && width - (sz - a.shrink) <= measure + 0.01 {
                    -1.0
                } else {
                    ratio
                };
                if ratio < -1.0 || forced {
                    active.remove(k);
                } else {
                    k += 1;
                }
                if banned || ratio < -1.0 || (f64::from(tolerance) < ratio && !emergency) {
                    continue;
                }
                let cand = Candidate {
                    ratio,
                    penalty: pp,
                    flagged,
                    forced,
                    width,
                    spaces: sn - a.spaces,
                };
                if let Some(d) = demerits(&cand, &a, nodes, em, emergency) {
                    let hyphens = if flagged {
                        (a.hyphens + 1).min(MAX_HYPHEN_RUN)
                    } else {
                        0
                    };
                    let slot = &mut best[usize::from(fitness(ratio)) * RUNS + usize::from(hyphens)];
                    if slot.is_none_or(|(bd, _)| d < bd) {
                        *slot = Some((d, idx));
                    }
                }
            }
            if best.iter().all(Option::is_none) {
                if active.is_empty() {
                    return None;
                }
                // No line may end here: no node, no totals to count.
                add_totals(&items[i], (&mut sw, &mut sy, &mut sz, &mut sn));
                continue;
            }
            // Totals after the break skip the glue and penalties that follow it.
            let (mut tw, mut ty, mut tz, mut tn) = (sw, sy, sz, sn);
            for item in &items[i..] {
                match *item {
                    Kind::Box { .. } => break,
                    Kind::Glue {
                        width,
                        stretch,
                        shrink,
                    } => {
                        tw += f64::from(width);
                        ty += f64::from(stretch);
                        tz += f64::from(shrink);
                        tn += usize::from(stretch < FILL);
                    }
                    Kind::Penalty { penalty, .. } => {
                        if penalty <= -INFINITY && !std::ptr::eq(item, &items[i]) {
                            break;
                        }
                    }
                }
            }
            for (slot, cand) in best.iter().enumerate() {
                if let Some((d, from)) = *cand {
                    nodes.push(Node {
                        at: i,
                        line: nodes[from].line + 1,
                        fitness: (slot / RUNS) as u8,
                        hyphens: (slot % RUNS) as u8,
                        flagged,
                        width: tw,
                        stretch: ty,
                        shrink: tz,
                        spaces: tn,
                        demerits: d,
                        prev: Some(from),
                    });
                    active.push(nodes.len() - 1);
                }
            }
            if active.is_empty() {
                return None;
            }
        }
        add_totals(&items[i], (&mut sw, &mut sy, &mut sz, &mut sn));
    }
    // The paragraph ends with a forced break: take the best node there.
    let last = items.len().checked_sub(1)?;
    let best = active
        .iter()
        .copied()
        .filter(|&n| nodes[n].at == last)
        .min_by(|&a, &b| nodes[a].demerits.total_cmp(&nodes[b].demerits))?;
    let mut breaks = Vec::new();
    let mut cur = Some(best);
    while let Some(n) = cur {
        let node = nodes[n];
        if node.prev.is_none() {
            break;
        }
        breaks.push(node.at);
        cur = node.prev;
    }
    breaks.reverse();
    // Recompute each line's ratio from its breaks.
    let mut out = Vec::with_capacity(breaks.len());
    let mut start = 0;
    for &b in &breaks {
        out.push(Break {
            at: b,
            ratio: line_ratio(items, start, b, measure as f32),
        });
        start = next_start(items, b);
    }
    Some(out)
}

/// Adds `item` to the running sums of widths, stretch, shrink and word
/// spaces.
fn add_totals(item: &Kind, (sw, sy, sz, sn): (&mut f64, &mut f64, &mut f64, &mut usize)) {
    match *item {
        Kind::Box { width } => *sw += f64::from(width),
        Kind::Glue {
            width,
            stretch,
            shrink,
        } => {
            *sw += f64::from(width);
            *sy += f64::from(stretch);
            *sz += f64::from(shrink);
            *sn += usize::from(stretch < FILL);
        }
        Kind::Penalty { .. } => {}
    }
}

/// Breaks at the last legal break that keeps each line within `measure`
/// (or, when even the first break is too wide, at that one); forced breaks
/// always break. Each item is looked at a bounded number of times.
fn first_fit(items: &[Kind], measure: f32) -> Vec<Break> {
    let measure64 = f64::from(measure);
    let mut out = Vec::new();
    let mut start = 0;
    while start < items.len() {
        let mut width = 0.0f64;
        let mut fit: Option<usize> = None;
        let mut end = None;
        for (i, item) in items.iter().enumerate().skip(start) {
            if is_legal(items, i) {
                let (pw, forced) = match *item {
                    Kind::Penalty { width, penalty, .. } => {
                        (f64::from(width), penalty <= -INFINITY)
                    }
                    _ => (0.0, false),
                };
                if width + pw > measure64 && fit.is_some() {
                    end = fit;
                    break;
                }
                if forced || width + pw > measure64 {
                    end = Some(i);
                    break;
                }
                fit = Some(i);
            }
            width += match *item {
                Kind::Box { width } => f64::from(width),
                Kind::Glue { width, .. } => f64::from(width),
                Kind::Penalty { .. } => 0.0,
            };
        }
        let Some(at) = end.or(fit) else {
            // No break left (the caller always ends with a forced one).
            out.push(Break {
                at: items.len().saturating_sub(1),
                ratio: 0.0,
            });
            break;
        };
        out.push(Break {
            at,
            ratio: line_ratio(items, start, at, measure),
        });
        start = at + 1;
        // What a break discards at the start of the next line.
        while start < items.len() && !matches!(items[start], Kind::Box { .. }) {
            if matches!(items[start], Kind::Penalty { penalty, .. } if penalty <= -INFINITY) {
                break;
            }
            start += 1;
        }
        if out.last().is_some_and(|b| b.at + 1 >= items.len()) {
            break;
        }
    }
    out
}

/// The adjustment ratio of the line made of items `start..=end` (the item at
/// `end` is the break: a penalty adds its width, glue is dropped).
pub fn line_ratio(items: &[Kind], start: usize, end: usize, measure: f32) -> f32 {
    let (mut w, mut y, mut z) = (0.0f32, 0.0f32, 0.0f32);
    for (i, item) in items.iter().enumerate().take(end + 1).skip(start) {
        match *item {
            Kind::Box { width } => w += width,
            Kind::Glue {
                width,
                stretch,
                shrink,
            } if i != end => {
                w += width;
                y += stretch;
                z += shrink;
            }
            Kind::Penalty { width, .. } if i == end => w += width,
            _ => {}
        }
    }
    if w < measure {
        if y > 0.0 { (measure - w) / y } else { 0.0 }
    } else if w > measure && z > 0.0 {
        ((measure - w) / z).max(-1.0)
    } else {
        0.0
    }
}

#[cfg(test)]
#[path = "linebreak_tests.rs"]
mod tests;
