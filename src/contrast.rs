//! Colour contrast as WCAG 2.1 measures it (success criterion 1.4.3): the
//! ratio of the relative luminances of text and background, which must be
//! at least 4.5:1 for body text (level AA). The PDF style and the EPUB
//! stylesheet are checked when they are loaded, with a warning at the line
//! of the colour that falls short.

/// The least contrast WCAG 2.1 AA allows for text of normal size. folio
/// applies it to every text colour: sizes change per style, and a colour
/// good for small text is good for large text too.
pub const AA_TEXT: f64 = 4.5;

/// `#rgb` or `#rrggbb` as 8-bit channels.
pub fn parse_hex(text: &str) -> Option<[u8; 3]> {
    let hex = text.trim().strip_prefix('#')?;
    let digit = |i: usize, len: usize| u8::from_str_radix(hex.get(i..i + len)?, 16).ok();
    match hex.len() {
        3 => Some([digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17]),
        6 => Some([digit(0, 2)?, digit(2, 2)?, digit(4, 2)?]),
        _ => None,
    }
}

/// The relative luminance of an sRGB colour (0: black, 1: white).
pub fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// The contrast ratio of two colours, from 1 (none) to 21 (black on white).
pub fn ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (light, dark) = if la >= lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

/// A text colour on a background, or `None` when either is not a colour.
pub fn text_ratio(text: &str, background: &str) -> Option<f64> {
    Some(ratio(parse_hex(text)?, parse_hex(background)?))
}

/// One rule of a stylesheet that sets a text colour or a background, with
/// the lines of both.
#[derive(Debug, Clone, PartialEq)]
pub struct CssColours {
    pub selector: String,
    pub color: Option<(String, u32)>,
    pub background: Option<(String, u32)>,
}

/// The colours of each rule of `css` (comments skipped; `background` or
/// `background-color`, its first `#hex` value). A small reader for folio's
/// own kind of stylesheet, not a CSS parser: what it cannot read it skips.
pub fn css_colours(css: &str) -> Vec<CssColours> {
    let mut out = Vec::new();
    let mut line = 1u32;
    let mut rest = css;
    let mut selector = String::new();
    let mut current: Option<CssColours> = None;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("/*") {
            let end = after.find("*/").map_or(after.len(), |e| e + 2);
            line += after[..end.min(after.len())].matches('\n').count() as u32;
            rest = after.get(end..).unwrap_or("");
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        match (c, current.as_mut()) {
            ('{', None) => {
                current = Some(CssColours {
                    selector: selector.split_whitespace().collect::<Vec<_>>().join(" "),
                    color: None,
                    background: None,
                });
                selector.clear();
            }
            ('}', Some(_)) => out.extend(current.take()),
            (_, Some(rule)) => {
                // One declaration, up to `;` or `}`.
                let end = rest.find([';', '}']).unwrap_or(rest.len());
                let declaration = &rest[..end];
                if let Some((name, value)) = declaration.split_once(':') {
                    let name = name.trim().to_ascii_lowercase();
                    let at = line
                        + declaration[..declaration.find(':').unwrap_or(0)]
                            .matches('\n')
                            .count() as u32;
                    let hex = value
                        .split_whitespace()
                        .find(|v| v.starts_with('#'))
                        .map(|v| v.trim_end_matches([',', '!']).to_string());
                    match (name.as_str(), hex) {
                        ("color", Some(hex)) => rule.color = Some((hex, at)),
                        ("background" | "background-color", Some(hex)) => {
                            rule.background = Some((hex, at));
                        }
                        _ => {}
                    }
                }
                line += declaration.matches('\n').count() as u32;
                rest = &rest[end..];
                if rest.starts_with(';') {
                    rest = &rest[1..];
                }
                continue;
            }
            (_, None) => selector.push(c),
        }
        if c == '\n' {
            line += 1;
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Where `css` sets colours whose contrast is below [`AA_TEXT`]: each text
/// colour against its rule's background (else the page's: `body`'s, else
/// white), and the page's text colour against every background set without
/// a text colour. `(line, message)` pairs.
pub fn css_problems(css: &str) -> Vec<(u32, String)> {
    let rules = css_colours(css);
    let body = rules
        .iter()
        .find(|r| r.selector == "body" || r.selector == "html");
    let page_text = body
        .and_then(|r| r.color.clone())
        .map_or("#000000".to_string(), |(c, _)| c);
    let page_background = body
        .and_then(|r| r.background.clone())
        .map_or("#ffffff".to_string(), |(c, _)| c);
    let mut out = Vec::new();
    for rule in &rules {
        let (text, line, background) = match (&rule.color, &rule.background) {
            (Some((text, line)), Some((bg, _))) => (text.clone(), *line, bg.clone()),
            (Some((text, line)), None) => (text.clone(), *line, page_background.clone()),
            (None, Some((bg, line))) => (page_text.clone(), *line, bg.clone()),
            (None, None) => continue,
        };
        if let Some(ratio) = text_ratio(&text, &background).filter(|r| *r < AA_TEXT) {
            out.push((
                line,
                format!(
                    "`{}`: text {text} on {background} has a contrast of {ratio:.2}:1, below the 4.5:1 WCAG 2.1 AA asks of text",
                    rule.selector
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_as_wcag_gives_them() {
        assert!((ratio([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        assert!((ratio([255, 255, 255], [255, 255, 255]) - 1.0).abs() < 1e-9);
        // #777 on white is the classic near miss: 4.48:1.
        let grey = text_ratio("#777", "#fff").unwrap();
        assert!((grey - 4.48).abs() < 0.01, "{grey}");
        assert_eq!(parse_hex("#1d5f9b"), Some([0x1d, 0x5f, 0x9b]));
        assert_eq!(parse_hex("red"), None);
        assert_eq!(parse_hex("#12345"), None);
    }

    #[test]
    fn stylesheet_colours_with_lines() {
        let css = "/* a\n comment { color: #fff } */\nbody { color: #222; }\n\np.note {\n  color: #999;\n  background: #fff;\n}\npre { background: #333; }\na { color: #1d5f9b; }\n";
        let rules = css_colours(css);
        assert_eq!(rules.len(), 4, "{rules:?}");
        assert_eq!(rules[1].selector, "p.note");
        assert_eq!(rules[1].color, Some(("#999".into(), 6)));
        assert_eq!(rules[1].background, Some(("#fff".into(), 7)));
        let problems = css_problems(css);
        let lines: Vec<u32> = problems.iter().map(|(l, _)| *l).collect();
        // #999 on white (2.85:1) and the page's #222 on #333 (1.3:1).
        assert_eq!(lines, [6, 9], "{problems:?}");
        assert!(problems[0].1.contains("`p.note`: text #999 on #fff"));
    }
}
