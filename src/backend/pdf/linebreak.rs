//! Optimal line breaking in the style of Knuth and Plass: boxes, glue and
//! penalties; the breaks minimise the total demerits of the paragraph.
//!
//! A line may be stretched as far as needed in the last, emergency pass but
//! never shrunk beyond its glue's shrink, so no line is wider than the measure
//! as long as every box fits (the caller splits boxes that do not).
//!
//! The emergency pass keeps every break of the last line width active, so
//! on a huge paragraph with a break after every letter (a 1 MB URL) it costs
//! the items times the breaks per line; past [`FIRST_FIT_ABOVE`] items it
//! breaks first-fit instead, in linear time.

/// A penalty that forbids a break.
pub const INFINITY: f32 = 10_000.0;
/// Stretch of the glue that fills the last line.
pub const FILL: f32 = 1.0e6;
/// Paragraphs with more items than this (some 10 000 words) are broken
/// first-fit when the optimal passes fail.
pub const FIRST_FIT_ABOVE: usize = 20_000;

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
    width: f64,
    stretch: f64,
    shrink: f64,
    demerits: f64,
    prev: Option<usize>,
}

/// Breaks `items` into lines of `measure` points. Tries a strict tolerance
/// first, then looser ones; the last pass always succeeds when every box fits.
pub fn break_lines(items: &[Kind], measure: f32) -> Vec<Break> {
    for tolerance in [2.0, 6.0] {
        if let Some(b) = run(items, measure, tolerance, false) {
            return b;
        }
    }
    if items.len() > FIRST_FIT_ABOVE {
        return first_fit(items, measure);
    }
    run(items, measure, f32::INFINITY, true).unwrap_or_else(|| {
        vec![Break {
            at: items.len().saturating_sub(1),
            ratio: 0.0,
        }]
    })
}

fn is_legal(items: &[Kind], i: usize) -> bool {
    match items[i] {
        Kind::Penalty { penalty, .. } => penalty < INFINITY,
        Kind::Glue { .. } => i > 0 && matches!(items[i - 1], Kind::Box { .. }),
        Kind::Box { .. } => false,
    }
}

fn run(items: &[Kind], measure: f32, tolerance: f32, emergency: bool) -> Option<Vec<Break>> {
    let measure = f64::from(measure);
    let mut nodes = vec![Node {
        at: 0,
        line: 0,
        fitness: 1,
        width: 0.0,
        stretch: 0.0,
        shrink: 0.0,
        demerits: 0.0,
        prev: None,
    }];
    let mut active: Vec<usize> = vec![0];
    // Running sums of widths, stretch and shrink up to item i.
    let (mut sw, mut sy, mut sz) = (0.0f64, 0.0f64, 0.0f64);
    for i in 0..items.len() {
        if is_legal(items, i) {
            let (pw, pp, flagged) = match items[i] {
                Kind::Penalty {
                    width,
                    penalty,
                    flagged,
                } => (f64::from(width), penalty, flagged),
                _ => (0.0, 0.0, false),
            };
            // Best candidate per fitness class: (demerits, from node, ratio).
            let mut best: [Option<(f64, usize, f32)>; 4] = [None; 4];
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
                if ratio < -1.0 || pp <= -INFINITY {
                    active.remove(k);
                } else {
                    k += 1;
                }
                if ratio >= -1.0 && (f64::from(tolerance) >= ratio || emergency) {
                    let capped = ratio.min(10.0);
                    let badness = 100.0 * capped.abs().powi(3);
                    let mut d = (1.0 + badness).powi(2);
                    if pp >= 0.0 {
                        d += f64::from(pp).powi(2);
                    } else if pp > -INFINITY {
                        d -= f64::from(pp).powi(2);
                    }
                    if ratio.is_infinite() {
                        d += 1.0e8;
                    }
                    let prev_flagged =
                        matches!(items.get(a.at), Some(Kind::Penalty { flagged: true, .. }))
                            && a.at > 0;
                    if flagged && prev_flagged {
                        // Hyphens on consecutive lines (TeX's \doublehyphendemerits).
                        d += 10_000.0;
                    }
                    // A hyphen just before the last line leaves a stub: avoid.
                    if pp <= -INFINITY && prev_flagged {
                        d += 5000.0;
                    }
                    let fitness: u8 = if ratio < -0.5 {
                        0
                    } else if ratio <= 0.5 {
                        1
                    } else if ratio <= 1.0 {
                        2
                    } else {
                        3
                    };
                    if (i32::from(fitness) - i32::from(a.fitness)).abs() > 1 {
                        d += 3000.0;
                    }
                    d += a.demerits;
                    let slot = &mut best[usize::from(fitness)];
                    if slot.is_none_or(|(bd, _, _)| d < bd) {
                        *slot = Some((d, idx, ratio as f32));
                    }
                }
            }
            // Totals after the break skip the glue and penalties that follow it.
            let (mut tw, mut ty, mut tz) = (sw, sy, sz);
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
                    }
                    Kind::Penalty { penalty, .. } => {
                        if penalty <= -INFINITY && !std::ptr::eq(item, &items[i]) {
                            break;
                        }
                    }
                }
            }
            for (fitness, cand) in best.iter().enumerate() {
                if let Some((d, from, _)) = *cand {
                    nodes.push(Node {
                        at: i,
                        line: nodes[from].line + 1,
                        fitness: fitness as u8,
                        width: tw,
                        stretch: ty,
                        shrink: tz,
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
        match items[i] {
            Kind::Box { width } => sw += f64::from(width),
            Kind::Glue {
                width,
                stretch,
                shrink,
            } => {
                sw += f64::from(width);
                sy += f64::from(stretch);
                sz += f64::from(shrink);
            }
            Kind::Penalty { .. } => {}
        }
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
        start = b + 1;
        while start < items.len() && !matches!(items[start], Kind::Box { .. }) {
            if let Kind::Penalty { penalty, .. } = items[start]
                && penalty <= -INFINITY
            {
                break;
            }
            start += 1;
        }
    }
    Some(out)
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
mod tests {
    use super::*;

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
                    } if i != b.at => {
                        w += width
                            + if b.ratio > 0.0 {
                                b.ratio * stretch
                            } else {
                                b.ratio * shrink
                            }
                    }
                    _ => {}
                }
            }
            out.push(w);
            start = b.at + 1;
        }
        out
    }

    #[test]
    fn no_line_is_overfull() {
        let items = words(60, 20.0);
        let breaks = break_lines(&items, 100.0);
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
        items.extend(&words(0, 0.0)[1..]);
        let breaks = break_lines(&items, 100.0);
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
        let breaks = break_lines(&items, 100.0);
        assert_eq!(breaks.len(), 10);
    }
}
