//! Runs of text in a script other than the page's language, marked for
//! readers and screen readers: `<span lang="he" dir="rtl">` around Hebrew
//! in an English page, `<span lang="ja">` around Japanese. The language is
//! the script's own where the script says it (Hebrew, Arabic, Thai, Lao,
//! Khmer, Burmese, Korean; ideographs with kana are Japanese, without
//! Chinese); right-to-left runs get `dir="rtl"` so the bidi algorithm
//! isolates them from the text around.

use super::escape::push_text;

/// A script that names its language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Hebrew,
    Arabic,
    Thai,
    Lao,
    Khmer,
    Myanmar,
    /// Ideographs, kana and Hangul: one run, its language decided by
    /// what is in it.
    Cjk,
}

/// What a character is for marking: a script's, a neutral (spaces,
/// punctuation, digits: they join a run around them), or another strong
/// character (Latin and the rest: ends a run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Script(Script),
    Neutral,
    Other,
}

fn class(c: char) -> Class {
    let script = match u32::from(c) {
        0x0590..=0x05FF | 0xFB1D..=0xFB4F => Script::Hebrew,
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            Script::Arabic
        }
        0x0E00..=0x0E7F => Script::Thai,
        0x0E80..=0x0EFF => Script::Lao,
        0x1780..=0x17FF => Script::Khmer,
        0x1000..=0x109F => Script::Myanmar,
        0x1100..=0x11FF
        | 0x3040..=0x30FF
        | 0x3130..=0x318F
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF
        | 0x20000..=0x3FFFF => Script::Cjk,
        _ if c.is_alphabetic() => return Class::Other,
        _ => return Class::Neutral,
    };
    Class::Script(script)
}

/// The language of a run of `script`, and whether it runs right to left.
fn language(script: Script, run: &str) -> (&'static str, bool) {
    match script {
        Script::Hebrew => ("he", true),
        Script::Arabic => ("ar", true),
        Script::Thai => ("th", false),
        Script::Lao => ("lo", false),
        Script::Khmer => ("km", false),
        Script::Myanmar => ("my", false),
        Script::Cjk => {
            let has = |lo: u32, hi: u32| run.chars().any(|c| (lo..=hi).contains(&u32::from(c)));
            if has(0x3040, 0x30FF) || has(0x31F0, 0x31FF) {
                ("ja", false)
            } else if has(0xAC00, 0xD7AF) || has(0x1100, 0x11FF) || has(0x3130, 0x318F) {
                ("ko", false)
            } else {
                ("zh", false)
            }
        }
    }
}

/// The primary subtag of a BCP 47 tag, lower-cased.
fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Appends `text` escaped, with each run of a script whose language is not
/// the page's (`page_lang`) in a `span` naming its language and, when it
/// runs right to left, its direction.
pub(crate) fn push_marked_text(out: &mut String, text: &str, page_lang: &str) {
    // Fast path: nothing but Latin and the like.
    if !text
        .chars()
        .any(|c| !c.is_ascii() && matches!(class(c), Class::Script(_)))
    {
        push_text(out, text);
        return;
    }
    let page = primary(page_lang);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut done = 0; // bytes of `text` written
    let mut k = 0;
    while k < chars.len() {
        let Class::Script(script) = class(chars[k].1) else {
            k += 1;
            continue;
        };
        // The run: from here to the last character of the same script
        // before another strong character.
        let start = chars[k].0;
        let mut last = k;
        let mut j = k + 1;
        while j < chars.len() {
            match class(chars[j].1) {
                Class::Script(s) if s == script => last = j,
                Class::Neutral => {}
                _ => break,
            }
            j += 1;
        }
        let end = chars[last].0 + chars[last].1.len_utf8();
        let run = &text[start..end];
        let (lang, rtl) = language(script, run);
        if lang != page {
            push_text(out, &text[done..start]);
            out.push_str("<span lang=\"");
            out.push_str(lang);
            out.push_str("\" xml:lang=\"");
            out.push_str(lang);
            out.push('"');
            if rtl {
                out.push_str(" dir=\"rtl\"");
            }
            out.push('>');
            push_text(out, run);
            out.push_str("</span>");
            done = end;
        }
        k = last + 1;
    }
    push_text(out, &text[done..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str, lang: &str) -> String {
        let mut out = String::new();
        push_marked_text(&mut out, text, lang);
        out
    }

    #[test]
    fn foreign_runs_get_lang_and_rtl_runs_dir() {
        assert_eq!(
            marked("Hebrew שלום עולם, then more.", "en"),
            "Hebrew <span lang=\"he\" xml:lang=\"he\" dir=\"rtl\">שלום עולם</span>, then more."
        );
        assert_eq!(
            marked("Arabic مرحبا بالعالم 2024", "en"),
            "Arabic <span lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\">مرحبا بالعالم</span> 2024"
        );
        assert_eq!(
            marked("Thai ภาษาไทย and 日本語です and 中文 and 한국어 <x>", "de"),
            "Thai <span lang=\"th\" xml:lang=\"th\">ภาษาไทย</span> and \
             <span lang=\"ja\" xml:lang=\"ja\">日本語です</span> and \
             <span lang=\"zh\" xml:lang=\"zh\">中文</span> and \
             <span lang=\"ko\" xml:lang=\"ko\">한국어</span> &lt;x&gt;"
        );
    }

    #[test]
    fn the_pages_own_language_and_plain_text_are_not_marked() {
        assert_eq!(marked("שלום עולם", "he-IL"), "שלום עולם");
        assert_eq!(marked("日本語の文章。", "ja"), "日本語の文章。");
        assert_eq!(marked("a < b & émoji 😀", "en"), "a &lt; b &amp; émoji 😀");
        // Japanese in a Chinese page is still marked (kana).
        assert_eq!(
            marked("中文和ひらがな", "zh-Hans"),
            "<span lang=\"ja\" xml:lang=\"ja\">中文和ひらがな</span>"
        );
    }
}
