//! Where a line may break inside a run of text without spaces: between
//! ideographs and kana (Chinese, Japanese), and between the words of Thai,
//! Lao, Khmer and Burmese, found with their dictionaries. The places are
//! Unicode line breaking's (UAX #14, icu_segmenter), so a line never
//! starts with a closing bracket or a full stop (kinsoku).

use icu_segmenter::LineSegmenter;
use icu_segmenter::options::LineBreakOptions;
use std::sync::OnceLock;

/// Whether `c` is of a script written without spaces between words.
fn unspaced(c: char) -> bool {
    matches!(u32::from(c),
        0x0E00..=0x0EFF       // Thai, Lao
        | 0x1000..=0x109F     // Myanmar
        | 0x1780..=0x17FF     // Khmer
        | 0x2E80..=0x2FFF     // CJK radicals
        | 0x3000..=0x30FF     // CJK punctuation, kana
        | 0x3100..=0x31FF     // bopomofo, kana extensions
        | 0x3400..=0x4DBF     // CJK extension A
        | 0x4E00..=0x9FFF     // CJK unified ideographs
        | 0xF900..=0xFAFF     // compatibility ideographs
        | 0xFF00..=0xFFEF     // full-width forms
        | 0x20000..=0x3FFFF) // CJK extensions B on
}

/// The byte offsets inside `word` (no spaces in it) where UAX #14 allows a
/// break next to a character of a script written without spaces; empty
/// (and no segmenter run) for other text.
pub fn unspaced_breaks(word: &str) -> Vec<usize> {
    // Every such script is past U+0800, so its characters are three or
    // four bytes long, led by a byte from 0xE0: most words have none, and
    // a scan of bytes is cheaper than decoding characters.
    if !word.bytes().any(|b| b >= 0xE0) || !word.chars().any(unspaced) {
        return Vec::new();
    }
    static SEGMENTER: OnceLock<icu_segmenter::LineSegmenterBorrowed<'static>> = OnceLock::new();
    let segmenter =
        SEGMENTER.get_or_init(|| LineSegmenter::new_dictionary(LineBreakOptions::default()));
    segmenter
        .segment_str(word)
        .filter(|&at| at > 0 && at < word.len())
        .filter(|&at| {
            // Only next to such a script: Latin inside keeps its own rules
            // (hyphens, slashes).
            let before = word[..at].chars().next_back().is_some_and(unspaced);
            let after = word[at..].chars().next().is_some_and(unspaced);
            before || after
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(word: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut last = 0;
        for at in unspaced_breaks(word).into_iter().chain([word.len()]) {
            out.push(&word[last..at]);
            last = at;
        }
        out
    }

    #[test]
    fn japanese_breaks_between_characters_but_not_before_closing_marks() {
        assert_eq!(
            pieces("日本語の文章です。"),
            ["日", "本", "語", "の", "文", "章", "で", "す。"]
        );
        // No break before a small kana or a closing bracket either.
        let p = pieces("「東京」へ行った");
        assert!(p.iter().all(|s| !s.starts_with(['」', 'っ'])), "{p:?}");
        assert!(
            p.first()
                .is_some_and(|s| s.starts_with('「') && s.len() > 3)
        );
    }

    #[test]
    fn chinese_breaks_between_ideographs() {
        assert_eq!(pieces("中文文本"), ["中", "文", "文", "本"]);
    }

    #[test]
    fn thai_breaks_between_words_from_the_dictionary() {
        let p = pieces("ภาษาไทยเป็นภาษาที่สวยงาม");
        assert!(p.len() >= 4, "{p:?}");
        assert!(p.contains(&"ภาษา") && p.contains(&"ไทย"), "{p:?}");
        // Never inside a cluster: no piece starts with a combining vowel or tone.
        for s in &p {
            let c = s.chars().next().unwrap();
            assert!(
                !matches!(u32::from(c), 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E),
                "{p:?}"
            );
        }
    }

    #[test]
    fn latin_words_get_no_breaks() {
        assert!(unspaced_breaks("hyphen-ated/word").is_empty());
        assert!(unspaced_breaks("").is_empty());
        // Latin next to kanji breaks only at the script boundary.
        assert_eq!(pieces("PDF出力"), ["PDF", "出", "力"]);
    }
}
