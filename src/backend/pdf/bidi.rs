//! Right-to-left text (Hebrew, Arabic) with the Unicode bidi algorithm:
//! a paragraph's direction from its first strong character, and the
//! visual order of a line's pieces (rule L2). Lines are broken in logical
//! order; each is then drawn left to right in visual order, and harfrust
//! shapes each right-to-left piece right to left.

use unicode_bidi::{BidiInfo, Direction, Level, get_base_direction};

/// Whether `c` is of a right-to-left script or an explicit RTL mark: the
/// cheap test that keeps the bidi algorithm off left-to-right text.
fn rtl_char(c: char) -> bool {
    matches!(u32::from(c),
        0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF
        | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF
        | 0x200F | 0x202B | 0x202E | 0x2067)
}

/// Whether `text` has any right-to-left character.
pub fn has_rtl(text: &str) -> bool {
    // Every RTL character is U+0590 or above, so its UTF-8 lead byte is
    // 0xD6 or above: text without such a byte (Latin, Greek, Cyrillic) is
    // answered by a byte scan, without decoding characters.
    text.bytes().any(|b| b >= 0xD6) && text.chars().any(rtl_char)
}

/// Whether a paragraph made of `texts` runs right to left: its first
/// strong character does (rules P2, P3); one with no strong character
/// takes the book's direction (`rtl_book`).
pub fn rtl_paragraph<'a>(texts: impl Iterator<Item = &'a str> + Clone, rtl_book: bool) -> bool {
    if !rtl_book && !texts.clone().any(has_rtl) {
        return false;
    }
    let joined: String = texts.collect();
    match get_base_direction(joined.as_str()) {
        Direction::Rtl => true,
        Direction::Ltr => false,
        Direction::Mixed => rtl_book,
    }
}

/// The visual order, left to right, of a line's pieces given in logical
/// order (`texts[i]` is piece `i`'s text), in a paragraph of direction
/// `rtl`: each piece takes the embedding level of its first character,
/// and runs at each level from the highest to the lowest odd one are
/// reversed (rule L2).
pub fn visual_order(texts: &[&str], rtl: bool) -> Vec<usize> {
    let mut line = String::new();
    let mut starts = Vec::with_capacity(texts.len());
    for t in texts {
        starts.push(line.len());
        // An empty piece counts as a neutral.
        line.push_str(if t.is_empty() { " " } else { t });
    }
    let base = if rtl { Level::rtl() } else { Level::ltr() };
    let info = BidiInfo::new(&line, Some(base));
    let levels = match info.paragraphs.first() {
        Some(para) => info.reordered_levels(para, 0..line.len()),
        None => return (0..texts.len()).collect(),
    };
    let piece_levels: Vec<u8> = starts
        .iter()
        .map(|&s| levels.get(s).map_or(base.number(), |l| l.number()))
        .collect();
    let mut order: Vec<usize> = (0..texts.len()).collect();
    let highest = piece_levels.iter().copied().max().unwrap_or(0);
    let lowest_odd = piece_levels
        .iter()
        .copied()
        .filter(|l| l % 2 == 1)
        .min()
        .unwrap_or(highest + 1);
    let mut level = highest;
    while level >= lowest_odd && level > 0 {
        let mut i = 0;
        while i < order.len() {
            if piece_levels[order[i]] < level {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < order.len() && piece_levels[order[j]] >= level {
                j += 1;
            }
            order[i..j].reverse();
            i = j;
        }
        level -= 1;
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hebrew_words_in_an_english_line_are_reversed_as_a_run() {
        // "a", " ", "שלום", " ", "עולם", " ", "b"
        let texts = ["a", " ", "שלום", " ", "עולם", " ", "b"];
        assert_eq!(visual_order(&texts, false), vec![0, 1, 4, 3, 2, 5, 6]);
    }

    #[test]
    fn a_right_to_left_paragraph_keeps_latin_runs_left_to_right() {
        let texts = ["שלום", " ", "folio", " ", "pdf", " ", "עולם"];
        assert_eq!(visual_order(&texts, true), vec![6, 5, 2, 3, 4, 1, 0]);
        // Numbers in Arabic text keep their order.
        let texts = ["مرحبا", " ", "2024", " ", "بالعالم"];
        assert_eq!(visual_order(&texts, true), vec![4, 3, 2, 1, 0]);
    }

    #[test]
    fn paragraph_direction_from_the_first_strong_character() {
        assert!(rtl_paragraph(["  ", "שלום world"].into_iter(), false));
        assert!(!rtl_paragraph(["hello ", "שלום"].into_iter(), false));
        assert!(!rtl_paragraph(["plain text"].into_iter(), false));
        assert!(rtl_paragraph(["123 ", "مرحبا"].into_iter(), false));
        // No strong character: the book's direction.
        assert!(rtl_paragraph(["123 (45)"].into_iter(), true));
        assert!(!rtl_paragraph(["123 (45)"].into_iter(), false));
        // Latin first in a right-to-left book is still left to right.
        assert!(!rtl_paragraph(["folio שלום"].into_iter(), true));
        assert!(!has_rtl("日本語 ไทย"));
    }
}
