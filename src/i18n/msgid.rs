//! A message's text written from the model as normalized Markdown, never
//! copied from the source, so re-wrapping or re-formatting a page changes
//! no msgid: `*em*`, `**strong**`, `~~strike~~`, code spans, `[^n]`
//! footnote references, and links and images as numbered references
//! (`[FAQ][1]`, `![logo][2]`) whose targets are kept apart (extracted
//! comments), so a translation tool never sees or mangles a URL.

use crate::model::Inline;

/// A message: its text and the targets of its numbered references, in
/// order (`targets[0]` is `[1]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub targets: Vec<String>,
}

/// The message of `inlines`: whitespace runs collapsed to one space and
/// trimmed, as a renderer shows them.
pub fn message(inlines: &[Inline]) -> Message {
    let mut w = Writer::default();
    w.inlines(inlines);
    let text = collapse(&w.out);
    Message {
        text,
        targets: w.targets,
    }
}

/// Plain text (a title, alt text) as a message: Markdown's special
/// characters escaped, whitespace collapsed.
pub fn plain(text: &str) -> Message {
    let mut w = Writer::default();
    w.text(text);
    Message {
        text: collapse(&w.out),
        targets: Vec::new(),
    }
}

/// Whether a message is worth translating: it has a letter outside its
/// reference targets and code spans.
pub fn has_letters(text: &str) -> bool {
    let mut in_code = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' => in_code = !in_code,
            '\\' => {
                chars.next();
            }
            c if !in_code && c.is_alphabetic() => return true,
            _ => {}
        }
    }
    false
}

#[derive(Default)]
struct Writer {
    out: String,
    targets: Vec<String>,
}

impl Writer {
    fn inlines(&mut self, inlines: &[Inline]) {
        for i in inlines {
            self.inline(i);
        }
    }

    fn wrapped(&mut self, mark: &str, content: &[Inline]) {
        self.out.push_str(mark);
        self.inlines(content);
        self.out.push_str(mark);
    }

    fn reference(&mut self, target: &str) -> usize {
        self.targets.push(target.to_string());
        self.targets.len()
    }

    fn inline(&mut self, inline: &Inline) {
        match inline {
            Inline::Text { text } => self.text(text),
            Inline::Code { text } => self.code(text),
            Inline::Emph { content } => self.wrapped("*", content),
            Inline::Strong { content } => self.wrapped("**", content),
            Inline::Strike { content } => self.wrapped("~~", content),
            Inline::Sup { content } => {
                self.out.push_str("<sup>");
                self.inlines(content);
                self.out.push_str("</sup>");
            }
            Inline::Sub { content } => {
                self.out.push_str("<sub>");
                self.inlines(content);
                self.out.push_str("</sub>");
            }
            Inline::Span { content, .. } => self.inlines(content),
            Inline::Link { link, content, .. } => {
                let n = self.reference(&link.href);
                self.out.push('[');
                // A link that shows its own address (`<https://…>`) has no
                // text to translate: `[][n]`, and the URL stays out.
                let shown = crate::model::inlines_text(content);
                let bare = |s: &str| {
                    s.trim_start_matches("mailto:")
                        .trim_end_matches('/')
                        .to_string()
                };
                if bare(&shown) != bare(&link.href) {
                    self.inlines(content);
                }
                self.out.push_str(&format!("][{n}]"));
            }
            Inline::Image { src, alt, .. } => {
                let n = self.reference(src);
                self.out.push_str("![");
                self.text(alt);
                self.out.push_str(&format!("][{n}]"));
            }
            Inline::LineBreak => self.out.push_str("\\\n"),
            Inline::SoftBreak => self.out.push(' '),
            Inline::FootnoteRef { label, .. } => self.out.push_str(&format!("[^{label}]")),
        }
    }

    /// Text with the characters Markdown would read as markup escaped.
    fn text(&mut self, text: &str) {
        for c in text.chars() {
            if matches!(c, '\\' | '*' | '_' | '[' | ']' | '`' | '<' | '~') {
                self.out.push('\\');
            }
            self.out.push(c);
        }
    }

    /// A code span fenced by one backtick more than the longest run inside.
    fn code(&mut self, text: &str) {
        let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat(longest + 1);
        let pad = if text.starts_with('`') || text.ends_with('`') {
            " "
        } else {
            ""
        };
        self.out
            .push_str(&format!("{fence}{pad}{text}{pad}{fence}"));
    }
}

/// Whitespace runs to one space (a hard break's newline kept), trimmed.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek() == Some(&'\n') {
            chars.next();
            // A hard break: drop the spaces before it.
            while out.ends_with(' ') {
                out.pop();
            }
            out.push_str("\\\n");
            space = false;
            while chars.peek().is_some_and(|c| c.is_whitespace()) {
                chars.next();
            }
            continue;
        }
        if c == '\\' {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
            if let Some(next) = chars.next() {
                out.push(next);
            }
            continue;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() && !out.ends_with('\n') {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    while out.ends_with("\\\n") {
        out.truncate(out.len() - 2);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Link, LinkTarget};

    fn text(s: &str) -> Inline {
        Inline::Text { text: s.into() }
    }

    fn link(href: &str, content: Vec<Inline>) -> Inline {
        Inline::Link {
            link: Link {
                href: href.into(),
                target: LinkTarget::Unresolved,
            },
            title: None,
            content,
        }
    }

    #[test]
    fn markup_becomes_normalized_markdown_and_targets_go_apart() {
        let m = message(&[
            text("Read the "),
            link("/about/faq/", vec![text("FAQ")]),
            text(" and "),
            Inline::Emph {
                content: vec![text("then")],
            },
            Inline::SoftBreak,
            Inline::Strong {
                content: vec![text("the")],
            },
            text(" "),
            Inline::Code { text: "a`b".into() },
            Inline::FootnoteRef {
                label: "x".into(),
                number: 1,
            },
            Inline::Image {
                src: "/img/logo.png".into(),
                asset: None,
                alt: "logo".into(),
                title: None,
            },
        ]);
        assert_eq!(
            m.text,
            "Read the [FAQ][1] and *then* **the** ``a`b``[^x]![logo][2]"
        );
        assert_eq!(m.targets, vec!["/about/faq/", "/img/logo.png"]);
    }

    #[test]
    fn rewrapping_changes_nothing() {
        let one = message(&[text("a b  c")]);
        let two = message(&[
            text("a"),
            Inline::SoftBreak,
            text(" b"),
            Inline::SoftBreak,
            text("c "),
        ]);
        let three = message(&[text("  a\tb"), Inline::SoftBreak, text("c")]);
        assert_eq!(one.text, "a b c");
        assert_eq!(two.text, one.text);
        assert_eq!(three.text, one.text);
    }

    #[test]
    fn markdown_characters_in_text_are_escaped() {
        assert_eq!(
            plain("2*3 = [x] _y_ `z` <b>").text,
            r"2\*3 = \[x\] \_y\_ \`z\` \<b>"
        );
    }

    #[test]
    fn hard_breaks_are_kept_and_trailing_ones_dropped() {
        let m = message(&[
            text("one  "),
            Inline::LineBreak,
            text("two"),
            Inline::LineBreak,
        ]);
        assert_eq!(m.text, "one\\\ntwo");
    }

    #[test]
    fn letters_outside_code_and_references_count() {
        assert!(has_letters("Hello"));
        assert!(has_letters("Grüße [1][2]"));
        assert!(!has_letters("`code` 42 — ![][1]"));
        assert!(!has_letters("1.2.3"));
    }
}
