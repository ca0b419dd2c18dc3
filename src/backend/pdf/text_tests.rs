//! Paragraph setting checked on real fonts: no line wider than the
//! measure, hyphens only where text is justified, prepared images in
//! the line and the rest as their alt text.

use super::draw::{DrawOp, GlyphRun, PlacedGlyph};
use super::fonts::{FontSet, LocalFonts};
use super::hyphen::Hyphenators;
use super::style::FamilyName;
use super::text::*;
use crate::backend::pdf::style::Style;
use std::path::Path;

fn fonts() -> LocalFonts {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let style = Style::load(&root.join("templates")).unwrap();
    LocalFonts::new(std::sync::Arc::new(
        FontSet::load(&root.join("fonts"), &style.fonts).unwrap(),
    ))
}

fn body(size: f32) -> RunStyle {
    RunStyle::plain(FamilyName::Serif, false, size, [0.0; 3])
}

/// A setter with English hyphenation, as the press kit uses (the
/// contents' tests in `front.rs` set text with it too).
pub(super) fn english_setter<'a>(fonts: &'a LocalFonts, h: &'a Hyphenators) -> Setter<'a> {
    Setter {
        fonts,
        hyphens: h,
        lang: "en".into(),
        rtl_book: false,
        link_color: [0.0; 3],
        code_scale: 0.9,
        page_id: "p".into(),
        pictures: Default::default(),
        link_notes: Default::default(),
        link_numbers: Default::default(),
    }
}

#[test]
fn no_line_is_wider_than_the_measure() {
    let fonts = fonts();
    let h = Hyphenators::new(true);
    let setter = english_setter(&fonts, &h);
    let text = "Internationalisation and interoperability of decentralised, federated \
                communication: https://example.org/a/very/long/path/that/cannot/fit/on/one/line/at/all \
                and supercalifragilisticexpialidociousnesses in narrow columns. "
        .repeat(4);
    for measure in [60.0, 90.0, 150.0, 300.0, 451.0] {
        for align in [Align::Justify, Align::Left] {
            let lines = setter.set_text(&text, &body(10.5), align, measure, 15.0);
            assert!(lines.len() > 1);
            for line in &lines {
                assert!(line.width <= measure + 0.01, "{} > {measure}", line.width);
                // Glyphs stay inside the measure too.
                for op in &line.ops {
                    if let DrawOp::Text(run) = op {
                        for g in &run.glyphs {
                            assert!(run.x + g.x <= measure + 0.01);
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn hyphenates_justified_text_only() {
    let fonts = fonts();
    let h = Hyphenators::new(true);
    let setter = english_setter(&fonts, &h);
    let text = "characteristically internationalisation representatives ".repeat(6);
    let texts = |align| -> String {
        let lines = setter.set_text(&text, &body(10.5), align, 120.0, 15.0);
        lines
            .iter()
            .flat_map(|l| l.ops.iter())
            .filter_map(|op| match op {
                DrawOp::Text(run) => Some(
                    run.glyphs
                        .iter()
                        .map(|g| fonts.glyph_text(g.text).to_string())
                        .collect::<String>(),
                ),
                _ => None,
            })
            .collect()
    };
    assert!(texts(Align::Justify).contains('-'));
    assert!(!texts(Align::Left).contains('-'));
}

#[test]
fn prepared_images_sit_in_the_line_and_others_show_their_alt_text() {
    use crate::model::{Asset, AssetFormat, Inline};
    let fonts = fonts();
    let h = Hyphenators::new(true);
    let setter = english_setter(&fonts, &h);
    let image = |name: &str| Inline::Image {
        src: format!("/{name}"),
        asset: Some(Asset {
            path: format!("/static/{name}").into(),
            format: AssetFormat::Png,
        }),
        alt: format!("alt of {name}"),
        title: None,
    };
    let text = |t: &str| Inline::Text { text: t.into() };
    let inlines = vec![
        text("Before "),
        image("badge.png"),
        text(" between "),
        image("big.png"),
        text(" and "),
        image("other.png"),
        text(" after."),
    ];
    let picture = Picture {
        image: 7,
        w: 30.0,
        h: 9.0,
    };
    setter
        .pictures
        .borrow_mut()
        .insert("/static/badge.png".into(), Some(picture));
    setter
        .pictures
        .borrow_mut()
        .insert("/static/big.png".into(), None);
    let lines = setter.set(&inlines, &body(10.5), Align::Left, 400.0, 15.0);
    assert_eq!(lines.len(), 1);
    let line = &lines[0];
    let images: Vec<_> = line
        .ops
        .iter()
        .filter_map(|op| match op {
            DrawOp::Image {
                image,
                x,
                y,
                w,
                h,
                alt,
            } => Some((*image, *x, *y, *w, *h, alt.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(images.len(), 1, "only the prepared image is drawn");
    let (index, x, y, w, height, alt) = images[0].clone();
    assert_eq!((index, w, height), (7, 30.0, 9.0));
    // Its alternative text goes with it, for its Figure in the tree.
    assert_eq!(alt.as_deref(), Some("alt of badge.png"));
    // On the baseline, after "Before ", inside the line.
    assert!((y + height - line.baseline).abs() < 0.01 && y >= 0.0);
    assert!(x > 20.0 && x + w < line.width);
    let words: String = line
        .ops
        .iter()
        .filter_map(|op| match op {
            DrawOp::Text(run) => Some(glyphs_text(&fonts, &run.glyphs)),
            _ => None,
        })
        .collect();
    assert!(words.contains("alt of other.png"), "{words}");
    assert!(
        !words.contains("badge") && !words.contains("big"),
        "{words}"
    );
}

/// The text placed glyphs stand for (their ToUnicode texts).
fn glyphs_text(fonts: &FontSet, glyphs: &[PlacedGlyph]) -> String {
    glyphs
        .iter()
        .map(|g| fonts.glyph_text(g.text))
        .collect::<Vec<_>>()
        .concat()
}

/// The text of each line, without the space a line broken at a space
/// ends with (drawn for text extraction).
fn line_texts(fonts: &FontSet, lines: &[Line]) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            l.ops
                .iter()
                .filter_map(|op| match op {
                    DrawOp::Text(run) => Some(glyphs_text(fonts, &run.glyphs)),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join(" ")
                .trim_end()
                .to_string()
        })
        .collect()
}

#[test]
fn headings_never_break_at_a_hyphen_and_are_balanced() {
    let fonts = fonts();
    let h = Hyphenators::new(true);
    let setter = english_setter(&fonts, &h);
    let style = RunStyle::plain(FamilyName::Sans, true, 16.0, [0.0; 3]);
    let width = |t: &str| setter.set_text(t, &style, Align::Left, 1000.0, 20.0)[0].width;
    // At every measure that holds "Peer-Reviewed" but not the whole title,
    // ragged text sometimes breaks at the hyphen, a heading never.
    let title = "Annual Report Peer-Reviewed";
    let (lo, hi) = (width("Peer-Reviewed") + 0.5, width(title) - 0.5);
    let mut left_breaks = 0;
    for k in 0..=40 {
        let measure = lo + (hi - lo) * k as f32 / 40.0;
        let set = |align| {
            line_texts(
                &fonts,
                &setter.set_text(title, &style, align, measure, 20.0),
            )
        };
        left_breaks += set(Align::Left).iter().filter(|l| l.ends_with('-')).count();
        let heading = set(Align::Heading);
        assert!(
            heading.iter().all(|l| !l.ends_with('-')),
            "{measure}: {heading:?}"
        );
    }
    assert!(left_breaks > 0);
    // Numbers are never broken at their hyphen, even in ragged text.
    let measure = width("Report 2004-") + 1.0;
    let set =
        |t: &str, align| line_texts(&fonts, &setter.set_text(t, &style, align, measure, 20.0));
    assert_eq!(
        set("Report 2004-2005", Align::Left),
        ["Report", "2004-2005"]
    );
    // Balanced: a long heading over two lines of about the same length,
    // not a full line and the year alone.
    let title = "Annual Report of the Board of Directors 2004-2005";
    let measure = width("Annual Report of the Board of Directors") + 1.0;
    let plain = setter.set_text(title, &style, Align::Left, measure, 20.0);
    let plain = line_texts(&fonts, &plain);
    assert!(plain[1].split_whitespace().count() <= 2, "{plain:?}");
    let lines = setter.set_text(title, &style, Align::Heading, measure, 20.0);
    let texts = line_texts(&fonts, &lines);
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(texts.iter().all(|t| !t.ends_with('-')), "{texts:?}");
    assert!(texts[1].split_whitespace().count() >= 3, "{texts:?}");
    assert!(lines.iter().all(|l| l.width <= measure));
    assert!(
        (lines[0].width - lines[1].width).abs() < width("Directors"),
        "{texts:?}"
    );
}

#[test]
fn split_words_read_whole_and_lines_end_in_their_space() {
    let fonts = fonts();
    let h = Hyphenators::new(true);
    let setter = english_setter(&fonts, &h);
    let text = "Internationalization considerations accompany the standardization \
                of extensible communication protocols wherever interoperability \
                between independent implementations is expected by organizations";
    let lines = setter.set_text(text, &body(10.0), Align::Justify, 110.0, 13.0);
    let runs = |l: &Line| -> Vec<GlyphRun> {
        l.ops
            .iter()
            .filter_map(|op| match op {
                DrawOp::Text(r) => Some(r.clone()),
                _ => None,
            })
            .collect()
    };
    let texts = |glyphs: &[PlacedGlyph]| glyphs_text(&fonts, glyphs);
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut split = 0;
    for pair in lines.windows(2) {
        let (a, b) = (runs(&pair[0]), runs(&pair[1]));
        let last = a.last().expect("a line has text");
        if pair[0].split {
            split += 1;
            let head = last.actual.last().expect("the first half reads whole");
            assert_eq!(head.to, last.glyphs.len());
            let shown = texts(&last.glyphs[head.from..head.to]);
            assert!(shown.ends_with('-'), "{shown}");
            let tail = b[0]
                .actual
                .first()
                .expect("the second half reads as nothing");
            assert!(tail.text.is_empty() && tail.from == 0);
            let rest = texts(&b[0].glyphs[..tail.to]);
            assert_eq!(head.text, format!("{}{rest}", shown.trim_end_matches('-')));
            assert!(words.contains(&head.text.as_str()), "{}", head.text);
        } else {
            // Broken at a space: the space is drawn, so the words of the
            // two lines stay apart when read in order.
            let end = last.glyphs.last().map(|g| fonts.glyph_text(g.text));
            assert_eq!(end.as_deref(), Some(" "));
            assert!(last.actual.iter().all(|a| a.text.is_empty()));
        }
    }
    assert!(split > 0, "{:?}", line_texts(&fonts, &lines));
}

#[test]
fn a_word_across_styles_is_one_word_hyphenated_in_either_part() {
    use crate::model::Inline;
    let fonts = fonts();
    let h = Hyphenators::new(true);
    let setter = english_setter(&fonts, &h);
    let text = |t: &str| Inline::Text { text: t.into() };
    // "internationalisation", its tail bold, among plain words, several
    // times over (each word gathered in the same reused buffer).
    let mut inlines = Vec::new();
    for _ in 0..6 {
        inlines.push(text("the inter"));
        inlines.push(Inline::Strong {
            content: vec![text("nationalisation")],
        });
        inlines.push(text(" of representatives "));
    }
    let (regular, _) = fonts.slot(super::fonts::Variant {
        family: FamilyName::Serif,
        bold: false,
        italic: false,
    });
    let (bold, _) = fonts.slot(super::fonts::Variant {
        family: FamilyName::Serif,
        bold: true,
        italic: false,
    });
    assert_ne!(regular, bold);
    for measure in [70.0, 110.0, 400.0] {
        let lines = setter.set(&inlines, &body(10.5), Align::Justify, measure, 15.0);
        // Read back with the hyphens the setter added taken out, the words
        // are whole: no space between the parts in two styles.
        // (Each line's runs read in order, spaces being glyphs too.)
        let texts: Vec<String> = lines
            .iter()
            .map(|l| {
                let runs = l.ops.iter().filter_map(|op| match op {
                    DrawOp::Text(run) => Some(glyphs_text(&fonts, &run.glyphs)),
                    _ => None,
                });
                runs.collect::<String>().trim_end().to_string()
            })
            .collect();
        let all = texts.join(" | ");
        let mut joined = String::new();
        for (line, text) in lines.iter().zip(&texts) {
            match line.split {
                true => joined.push_str(text.strip_suffix('-').unwrap_or(text)),
                false => {
                    joined.push_str(text);
                    joined.push(' ');
                }
            }
        }
        let words: Vec<&str> = joined.split_whitespace().collect();
        assert_eq!(words.len(), 6 * 4, "{all}");
        assert!(
            words
                .chunks(4)
                .all(|w| w == ["the", "internationalisation", "of", "representatives"]),
            "{all}"
        );
        // The bold part is set in the bold face, the rest in the regular.
        let runs: Vec<&GlyphRun> = lines
            .iter()
            .flat_map(|l| &l.ops)
            .filter_map(|op| match op {
                DrawOp::Text(run) => Some(run),
                _ => None,
            })
            .collect();
        let in_face = |face| -> String {
            runs.iter()
                .filter(|r| r.face == face)
                .map(|r| glyphs_text(&fonts, &r.glyphs))
                .collect()
        };
        assert!(in_face(bold).contains("national"), "{all}");
        assert!(!in_face(regular).contains("national"), "{all}");
        assert!(in_face(regular).contains("inter"), "{all}");
    }
    // Narrow, some word is hyphenated.
    let narrow = setter.set(&inlines, &body(10.5), Align::Justify, 70.0, 15.0);
    assert!(narrow.iter().any(|l| l.split));
}

/// Paragraph setting reuses the thread's buffers: a paragraph set after
/// others (longer ones, hyphenated, right to left, with a hard break)
/// comes out exactly as on a thread that set nothing before.
#[test]
fn a_paragraph_comes_out_the_same_in_reused_buffers() {
    let text = "Decentralised communication keeps interoperability, internationalisation \
                and representatives of federated servers in narrow columns.";
    let set = |setter: &Setter, align| {
        format!(
            "{:?}",
            setter.set_text(text, &body(10.5), align, 120.0, 15.0)
        )
    };
    let h = Hyphenators::new(true);
    let (justified, ragged) = std::thread::scope(|s| {
        let fresh = s.spawn(|| {
            let fonts = fonts();
            let setter = english_setter(&fonts, &h);
            (set(&setter, Align::Justify), set(&setter, Align::Left))
        });
        fresh.join().unwrap()
    });
    let fonts = fonts();
    let setter = english_setter(&fonts, &h);
    // Others first, in this thread: longer, shorter, right to left.
    let long = text.repeat(40);
    assert!(
        setter
            .set_text(&long, &body(9.0), Align::Justify, 200.0, 12.0)
            .len()
            > 20
    );
    setter.set_text("שלום עולם hello", &body(10.0), Align::Left, 300.0, 12.0);
    setter.set_text("x", &body(10.0), Align::Center, 300.0, 12.0);
    assert_eq!(set(&setter, Align::Justify), justified);
    assert_eq!(set(&setter, Align::Left), ragged);
    assert!(
        justified.contains("split: true"),
        "narrow justified text is hyphenated"
    );
}

/// A thread shapes every new text in one buffer, kept from text to text:
/// what one text left in it (a right-to-left direction, a script, a
/// cluster level) must not change the next one's shaping.
#[test]
fn a_kept_shaping_buffer_shapes_as_a_new_one() {
    let texts = [
        "office",
        "שלום",
        "AVATAR",
        "Ωμέγα",
        "x\u{301}y",
        "Wave",
        "",
        "office.",
    ];
    let glyphs = |fonts: &LocalFonts, text: &str| {
        let piece = fonts.shape_in(0, text);
        let glyphs: Vec<(u16, u32, usize)> = piece
            .shaped
            .glyphs
            .iter()
            .map(|g| (g.gid, g.advance.to_bits(), g.cluster))
            .collect();
        (glyphs, piece.shaped.width.to_bits())
    };
    let kept = fonts();
    for text in texts {
        // A new font set: its own cache and a buffer that shaped nothing.
        let fresh = glyphs(&fonts(), text);
        assert_eq!(glyphs(&kept, text), fresh, "{text}");
        assert_eq!(fresh.0.is_empty(), text.is_empty(), "{text}");
    }
}
