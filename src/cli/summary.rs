//! Warnings grouped by kind ([`Diagnostic::kind`]): which ones the human
//! format prints and the summary after them, with the commonest details of
//! each kind:
//!
//! ```text
//! summary: 79 warnings, 9 shown above (-v shows all)
//!   56 × shortcode … is not supported (teams ×23, communication ×5, …)
//! ```
//!
//! On a terminal, a person reads: the first [`SHOWN_PER_KIND`] of each kind
//! show what the problem looks like and where, the rest are the same
//! problem elsewhere, counted rather than printed, so that a site's one new
//! warning is not lost among three hundred known ones (`-v` prints all).
//! Piped or redirected, a program or a log reads: every warning is printed
//! (a `grep` must find them all). The summary follows when warnings were
//! left out or when there are more than [`SUMMARY_AFTER`].

use super::report::{Styles, paint};
use folio::Diagnostic;
use std::collections::HashMap;
use std::fmt::Write as _;

/// Warnings of one kind printed in full without `-v`.
pub const SHOWN_PER_KIND: usize = 3;

/// Warnings a run may print before a summary of them is worth its lines.
pub const SUMMARY_AFTER: usize = 10;

/// Details named per kind in the summary.
const DETAILS_NAMED: usize = 3;

/// Longest detail shown, in characters.
const DETAIL_CHARS: usize = 40;

/// One kind of warning.
#[derive(Debug)]
struct Group {
    kind: String,
    count: usize,
    /// Each detail and its count, in the order first seen.
    details: Vec<(String, usize)>,
    /// Where each detail is in `details` (a site may have 100 000).
    detail_index: HashMap<String, usize>,
    first_seen: usize,
}

/// The warnings of a run, grouped.
#[derive(Debug)]
pub struct Summary {
    groups: Vec<Group>,
    /// The group of each warning, in the run's order.
    group_of: Vec<usize>,
}

impl Summary {
    pub fn new(items: &[Diagnostic]) -> Summary {
        let mut groups: Vec<Group> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut group_of = Vec::with_capacity(items.len());
        for (i, d) in items.iter().enumerate() {
            let kind = d.kind();
            let g = *index.entry(kind.clone()).or_insert_with(|| {
                groups.push(Group {
                    kind,
                    count: 0,
                    details: Vec::new(),
                    detail_index: HashMap::new(),
                    first_seen: i,
                });
                groups.len() - 1
            });
            let group = &mut groups[g];
            group.count += 1;
            if let Some(detail) = d.detail() {
                match group.detail_index.get(detail) {
                    Some(&at) => group.details[at].1 += 1,
                    None => {
                        group
                            .detail_index
                            .insert(detail.to_string(), group.details.len());
                        group.details.push((detail.to_string(), 1));
                    }
                }
            }
            group_of.push(g);
        }
        Summary { groups, group_of }
    }

    /// Whether each warning is printed: every one with `all`, else the
    /// first [`SHOWN_PER_KIND`] of each kind.
    pub fn shown(&self, all: bool) -> Vec<bool> {
        let mut seen = vec![0usize; self.groups.len()];
        self.group_of
            .iter()
            .map(|&g| {
                seen[g] += 1;
                all || seen[g] <= SHOWN_PER_KIND
            })
            .collect()
    }

    /// The summary (see the module's comment for when): the total, how many
    /// were printed, and one line per kind, commonest first.
    pub fn render(&self, styles: &Styles, all: bool) -> String {
        let total = self.group_of.len();
        let shown = self.shown(all).iter().filter(|&&s| s).count();
        if shown == total && total <= SUMMARY_AFTER {
            return String::new();
        }
        let mut out = paint(styles.note, "summary:");
        let _ = write!(out, " {total} warnings");
        if shown < total {
            let _ = write!(out, ", {shown} shown above (-v shows all)");
        }
        out.push('\n');
        let mut groups: Vec<&Group> = self.groups.iter().collect();
        groups.sort_by_key(|g| (std::cmp::Reverse(g.count), g.first_seen));
        let width = total.to_string().len();
        for g in groups {
            let _ = write!(
                out,
                "  {} × {}",
                paint(styles.emphasis, &format!("{:>width$}", g.count)),
                g.kind
            );
            if !g.details.is_empty() {
                let _ = write!(out, " ({})", details(g));
            }
            out.push('\n');
        }
        out
    }
}

/// `teams ×23, communication ×5, …`: the commonest details, ties in the
/// order first seen.
fn details(g: &Group) -> String {
    let mut sorted: Vec<&(String, usize)> = g.details.iter().collect();
    // A stable sort keeps first-seen order among equal counts.
    sorted.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let mut parts: Vec<String> = sorted
        .iter()
        .take(DETAILS_NAMED)
        .map(|(detail, n)| {
            let detail = shorten(detail);
            if *n > 1 {
                format!("{detail} ×{n}")
            } else {
                detail
            }
        })
        .collect();
    if sorted.len() > DETAILS_NAMED {
        parts.push("…".to_string());
    }
    parts.join(", ")
}

fn shorten(detail: &str) -> String {
    let clean: String = detail
        .chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if clean.chars().count() <= DETAIL_CHARS {
        return clean;
    }
    let mut cut: String = clean.chars().take(DETAIL_CHARS - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warn(message: &str) -> Diagnostic {
        Diagnostic::warning("p.md", 1, message)
    }

    #[test]
    fn groups_by_kind_with_commonest_details_first() {
        let mut items = Vec::new();
        for _ in 0..12 {
            items.push(warn("shortcode `member-list` is not supported: dropped"));
        }
        for _ in 0..9 {
            items.push(warn("shortcode `teams` is not supported: dropped"));
        }
        items.push(warn("shortcode `a` is not supported: dropped"));
        items.push(warn("shortcode `b` is not supported: dropped"));
        items.push(warn("broken link `/x/`"));
        let summary = Summary::new(&items);
        let text = summary.render(&Styles::plain(), false);
        assert!(
            text.contains("23 × shortcode … is not supported (member-list ×12, teams ×9, a, …)"),
            "{text}"
        );
        assert!(text.contains(" 1 × broken link … (/x/)"), "{text}");
        assert!(
            text.starts_with("summary: 24 warnings, 4 shown above (-v shows all)"),
            "{text}"
        );
        // The first three of each kind are printed, in the run's order.
        let shown = summary.shown(false);
        assert_eq!(shown.iter().filter(|&&s| s).count(), 4);
        assert!(shown[..3].iter().all(|&s| s) && !shown[3]);
        assert!(shown[23]);
        assert!(summary.shown(true).iter().all(|&s| s));
        let verbose = summary.render(&Styles::plain(), true);
        assert!(verbose.starts_with("summary: 24 warnings\n"), "{verbose}");
    }

    #[test]
    fn no_summary_for_a_few_warnings_all_shown() {
        let few: Vec<_> = (0..SUMMARY_AFTER)
            .map(|i| warn(&format!("broken link `/x{i}/`")))
            .collect();
        assert_eq!(Summary::new(&few).render(&Styles::plain(), true), "");
        // Capped (four of a kind), a summary says what was left out.
        assert!(
            Summary::new(&few[..4])
                .render(&Styles::plain(), false)
                .starts_with("summary: 4 warnings, 3 shown above")
        );
        let many: Vec<_> = (0..=SUMMARY_AFTER)
            .map(|i| warn(&format!("broken link `/x{i}/`")))
            .collect();
        let text = Summary::new(&many).render(&Styles::plain(), true);
        assert!(text.starts_with("summary: 11 warnings\n"), "{text}");
    }

    #[test]
    fn a_hundred_thousand_details_take_linear_time() {
        let many: Vec<_> = (0..100_000)
            .map(|i| warn(&format!("broken link `#m{i}`")))
            .collect();
        let start = std::time::Instant::now();
        let text = Summary::new(&many).render(&Styles::plain(), false);
        assert!(
            text.contains("100000 × broken link … (#m0, #m1, #m2, …)"),
            "{text}"
        );
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn long_details_are_cut() {
        let long = "x".repeat(100);
        let mut items = vec![
            warn(&format!("image `{long}` not found")),
            warn("image `y` not found"),
        ];
        items.extend((0..SUMMARY_AFTER).map(|_| warn("image `z` not found")));
        let text = Summary::new(&items).render(&Styles::plain(), true);
        assert!(
            text.contains(&format!("(z ×10, {}…, y)", "x".repeat(DETAIL_CHARS - 1))),
            "{text}"
        );
    }
}
