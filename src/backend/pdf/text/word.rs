//! A word (its parts in several styles) to the line breaker's items:
//! boxes of shaped text, penalties at its hyphenation points and after
//! hard hyphens and slashes, glue between ideographs; the word's buffers
//! are kept from word to word.

use super::scratch::{keep, keep_string, recycle};
use super::{Align, Frag, Item, RunStyle, Setter};
use crate::backend::pdf::breaks;
use crate::backend::pdf::style::FamilyName;

impl<'a> Setter<'a> {
    /// Turns a word (parts in several styles) into boxes with penalties at
    /// its hyphenation points and after hard hyphens and slashes; empties
    /// `word` (its buffers kept for the next).
    pub(super) fn flush_word<'s>(
        &self,
        word: &mut Word<'s>,
        items: &mut Vec<Item<'s>>,
        measure: f32,
        align: Align,
    ) where
        'a: 's,
    {
        if word.parts.is_empty() {
            return;
        }
        // Ragged text (headings, table cells, captions) is not hyphenated;
        // headings do not break at hard hyphens either ("2004-2005").
        let hyphenate = align == Align::Justify;
        let Word {
            text: full,
            parts,
            breaks,
            points,
            chars,
        } = word;
        let full: &str = full;
        let mono = parts.iter().all(|(_, s)| s.family == FamilyName::Mono);
        self.break_points(full, mono || !hyphenate, points, chars);
        // `Some(hyphen)`: a penalty; `None`: a break between ideographs or
        // Thai words, a glue that stretches when the line is justified.
        breaks.clear();
        breaks.extend(
            points
                .iter()
                .filter(|&&(at, hyphen)| {
                    hyphen
                        || align != Align::Heading
                        || !full.get(..at).is_some_and(|p| p.ends_with(['-', '–', '—']))
                })
                .map(|&(at, hyphen)| (at, Some(hyphen))),
        );
        for at in breaks::unspaced_breaks(full) {
            if !breaks.iter().any(|b| b.0 == at) {
                breaks.push((at, None));
            }
        }
        breaks.sort_by_key(|b| b.0);
        // Split the parts at the break points.
        let mut offset = 0;
        let mut bi = 0;
        for &(end, style) in parts.iter() {
            let text = full.get(offset..end).unwrap_or_default();
            let mut local = 0;
            // The hyphen in this part's style, shaped on first need.
            let mut hyphen_frag: Option<Option<Frag>> = None;
            while let Some(&(at, kind)) = breaks.get(bi).filter(|b| b.0 < end) {
                if at > offset {
                    let cut = at - offset;
                    self.push_boxes(
                        text.get(local..cut).unwrap_or_default(),
                        style,
                        items,
                        measure,
                    );
                    local = cut;
                }
                let Some(hyphen) = kind else {
                    items.push(unspaced_glue(style, hyphenate));
                    bi += 1;
                    continue;
                };
                let hyphen = match hyphen {
                    true => hyphen_frag
                        .get_or_insert_with(|| self.first_frag("-", style))
                        .clone(),
                    false => None,
                };
                // A break after a hard hyphen ends the line with a hyphen too.
                let dash = full.get(..at).is_some_and(|p| p.ends_with(['-', '–', '—']));
                items.push(Item::Penalty {
                    // Hyphenation costs more than a break at a hard hyphen
                    // (TeX's \hyphenpenalty over \exhyphenpenalty).
                    penalty: if hyphen.is_some() {
                        100.0
                    } else if dash {
                        50.0
                    } else {
                        80.0
                    },
                    flagged: hyphen.is_some() || dash,
                    hyphen,
                });
                bi += 1;
            }
            if local < text.len() {
                self.push_boxes(text.get(local..).unwrap_or_default(), style, items, measure);
            }
            offset = end;
        }
        word.clear();
    }

    fn push_boxes<'s>(
        &self,
        text: &str,
        style: &'s RunStyle,
        items: &mut Vec<Item<'s>>,
        measure: f32,
    ) where
        'a: 's,
    {
        self.each_frag(text, style, |frag| {
            if frag.width() <= measure {
                items.push(Item::Box(frag));
                return;
            }
            // Wider than the line: allow a break between any two clusters so
            // nothing sticks out (long URLs, hashes).
            let shaped = &frag.shaped;
            let mut starts: Vec<usize> = shaped.glyphs.iter().map(|g| g.cluster).collect();
            starts.sort_unstable();
            starts.dedup();
            starts.push(shaped.text.len());
            for (k, pair) in starts.windows(2).enumerate() {
                let Some(piece) = shaped.text.get(pair[0]..pair[1]) else {
                    continue;
                };
                if k > 0 {
                    items.push(Item::Penalty {
                        penalty: 900.0,
                        flagged: false,
                        hyphen: None,
                    });
                }
                let one = self.fonts.shape_in(frag.face, piece);
                items.push(Item::Box(Frag {
                    shaped: one.shaped,
                    ..frag.clone()
                }));
            }
        });
    }

    /// Byte offsets in `word` where a line may break, and whether a hyphen
    /// is added there.
    /// With `no_hyphens`, only hard hyphens and slashes break. Into
    /// `out`, with `chars` as scratch (both cleared first).
    fn break_points(
        &self,
        word: &str,
        no_hyphens: bool,
        out: &mut Vec<(usize, bool)>,
        chars: &mut Vec<(usize, char)>,
    ) {
        out.clear();
        chars.clear();
        let urlish = word.contains("://") || word.contains('@') || word.starts_with("www.");
        chars.extend(word.char_indices());
        let chars: &[(usize, char)] = chars;
        for (k, &(i, c)) in chars.iter().enumerate() {
            let next = chars.get(k + 1).map(|&(_, n)| n);
            let Some(next) = next else { break };
            let at = i + c.len_utf8();
            let breakable = match c {
                // Not inside numbers and codes ("2004-2005", "XEP-0234").
                '-' | '–' | '—' => next.is_alphabetic() && k > 0,
                '/' => next.is_alphanumeric() || urlish,
                '.' | '_' | '?' | '&' | '=' | '#' => urlish && next.is_alphanumeric(),
                _ => false,
            };
            if breakable {
                out.push((at, false));
            }
        }
        if self.hyphens.enabled() && !no_hyphens && !urlish {
            // Hyphenate each run of letters on its own (a word may carry
            // punctuation or be split across styles).
            let mut k = 0;
            while k < chars.len() {
                if !chars[k].1.is_alphabetic() {
                    k += 1;
                    continue;
                }
                let start = chars[k].0;
                let mut e = k;
                while e < chars.len() && chars[e].1.is_alphabetic() {
                    e += 1;
                }
                let end = chars.get(e).map(|&(i, _)| i).unwrap_or(word.len());
                let sub = &word[start..end];
                let letters = e - k;
                let all_caps = sub.chars().all(|c| c.is_uppercase());
                if letters >= 6 && !all_caps {
                    self.hyphens
                        .each_break(&self.lang, sub, |b| out.push((start + b, true)));
                }
                k = e;
            }
        }
        out.sort_unstable();
        out.dedup_by_key(|b| b.0);
    }
}

/// The glue between two ideographs (or Thai words): no width, and in
/// justified text the stretch that spreads a line over the measure
/// (ragged text gets a generous stretch for choosing breaks only).
fn unspaced_glue(style: &RunStyle, justified: bool) -> Item<'static> {
    Item::Glue {
        width: 0.0,
        stretch: style.size * if justified { 0.2 } else { 4.0 },
        shrink: 0.0,
        space: None,
    }
}

/// A word being gathered from text runs (it may span styles), with the
/// scratch its break points are found in: one per thread, cleared
/// between words, so a word costs no allocation of its own.
#[derive(Default)]
pub(super) struct Word<'s> {
    /// The word's text, all parts.
    text: String,
    /// Where each part in one style ends in `text`, with the style.
    parts: Vec<(usize, &'s RunStyle)>,
    /// Break points, by offset: `Some(hyphen)` a penalty, `None` a glue.
    breaks: Vec<(usize, Option<bool>)>,
    /// Hyphenation and hard-hyphen points ([`Setter::break_points`]).
    points: Vec<(usize, bool)>,
    /// The word's characters with their offsets.
    chars: Vec<(usize, char)>,
}

impl<'s> Word<'s> {
    /// Adds text in `style` (to the last part when it is in that style).
    pub(super) fn push(&mut self, text: &str, style: &'s RunStyle) {
        self.text.push_str(text);
        match self.parts.last_mut() {
            Some((end, s)) if *s == style => *end = self.text.len(),
            _ => self.parts.push((self.text.len(), style)),
        }
    }

    fn clear(&mut self) {
        self.text.clear();
        self.parts.clear();
    }

    /// The buffers emptied, for a word of another paragraph.
    pub(super) fn recycle<'t>(self) -> Word<'t> {
        Word {
            text: keep_string(self.text),
            parts: keep(recycle(self.parts)),
            breaks: keep(self.breaks),
            points: keep(self.points),
            chars: keep(self.chars),
        }
    }
}
