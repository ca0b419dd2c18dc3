//! External URLs made valid, once, in the model: every backend then writes
//! the same URL, and EPUB and PDF validators accept it.
//!
//! Each external link target (Markdown and HTML links, autolinks, figure
//! links and `attrlink`) goes through the WHATWG URL parser of the `url`
//! crate: hosts become punycode, what must be percent-encoded is. Obvious
//! typos are repaired first, each with a warning naming the file, line and
//! what changed: `http//host`, `https:/host`, a `]` or `)` copied from the
//! Markdown around the link, a second `#`, spaces. A URL that still cannot
//! be parsed keeps its text and loses the link, with a warning.
//!
//! Remote images (`https://…/x.png`) become a linked line,
//! `Image: alt (URL)`: folio never touches the network.
//!
//! Site-relative links are the links pass's business; this pass runs after
//! it and sees them as absolute URLs on the base URL.

use crate::diag::Diagnostics;
use crate::model::{
    Block, BlockKind, Book, Inline, Link, LinkTarget, Page, for_each_block_mut, for_each_inline_mut,
};
use std::cell::RefCell;
use std::path::Path;

/// A URL the parser accepted, and the repairs that made it parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalised {
    /// The URL as the WHATWG serialiser writes it (ASCII only).
    pub url: String,
    /// What was changed that the author should fix, in words
    /// (`added the \`:\` missing after \`https\``).
    pub repairs: Vec<String>,
}

/// `raw` as a valid absolute URL, with the typos repaired; `Err` with the
/// parser's reason when it is none. A URL without a scheme is an error
/// too (`relative URL without a base`).
pub fn normalise(raw: &str) -> Result<Normalised, String> {
    let mut repairs = Vec::new();
    let mut text = raw.trim().to_string();
    add_missing_colon(&mut text, &mut repairs);
    drop_unbalanced_tail(&mut text, &mut repairs);
    encode_spaces(&mut text, &mut repairs);
    encode_second_hash(&mut text, &mut repairs);
    let violations = RefCell::new(Vec::new());
    let parsed = url::Url::options()
        .syntax_violation_callback(Some(&|v| violations.borrow_mut().push(v)))
        .parse(&text)
        .map_err(|e| e.to_string())?;
    for violation in violations.into_inner() {
        match violation {
            url::SyntaxViolation::ExpectedDoubleSlash => repairs.push(format!(
                "wrote the `//` missing after `{}:`",
                parsed.scheme()
            )),
            url::SyntaxViolation::Backslash => repairs.push("turned `\\` into `/`".into()),
            // Encodings the parser does silently (non-ASCII, `|`, tabs):
            // how URLs are written, nothing to fix.
            _ => {}
        }
    }
    repairs.dedup();
    Ok(Normalised {
        url: parsed.as_str().to_string(),
        repairs,
    })
}

/// The URL of a remote image source (`https://…`, `http://…`, `//…`),
/// normalised; `None` for anything folio may find on disk.
pub fn remote_image(src: &str) -> Option<Result<Normalised, String>> {
    let src = src.trim();
    let lower = src.get(..8).unwrap_or(src).to_ascii_lowercase();
    if src.starts_with("//") {
        return Some(normalise(&format!("https:{src}")));
    }
    let remote = ["http:", "https:", "http//", "https//"]
        .iter()
        .any(|p| lower.starts_with(p));
    remote.then(|| normalise(src))
}

/// `http//host` → `http://host` (only for the web's own schemes: anything
/// else without a colon is a relative path).
fn add_missing_colon(text: &mut String, repairs: &mut Vec<String>) {
    for scheme in ["https", "http"] {
        let typo = format!("{scheme}//");
        if text
            .get(..typo.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(&typo))
        {
            text.insert(scheme.len(), ':');
            repairs.push(format!("added the `:` missing after `{scheme}`"));
            return;
        }
    }
}

/// A trailing `]`, `)` or `>` with no partner inside the URL is the
/// Markdown around it (`[see https://x.org/]`), not part of it; a
/// balanced one (`…/Foo_(bar)`) stays.
fn drop_unbalanced_tail(text: &mut String, repairs: &mut Vec<String>) {
    loop {
        let Some(last) = text.chars().last() else {
            return;
        };
        let open = match last {
            ']' => '[',
            ')' => '(',
            '>' => '<',
            _ => return,
        };
        let opened = text.chars().filter(|&c| c == open).count();
        let closed = text.chars().filter(|&c| c == last).count();
        if closed <= opened {
            return;
        }
        text.pop();
        repairs.push(format!("dropped the `{last}` at its end"));
    }
}

/// Spaces (and other white space) inside a URL as `%20`: validators reject
/// them, and for `mailto:` or `xmpp:` the parser keeps them as they are.
fn encode_spaces(text: &mut String, repairs: &mut Vec<String>) {
    let count = text.chars().filter(|c| c.is_whitespace()).count();
    if count == 0 {
        return;
    }
    *text = text
        .chars()
        .map(|c| {
            if c.is_whitespace() {
                "%20".to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    let what = if count == 1 { "a space" } else { "spaces" };
    repairs.push(format!("encoded {what} as `%20`"));
}

/// A fragment may hold no `#`: every `#` after the first as `%23`.
fn encode_second_hash(text: &mut String, repairs: &mut Vec<String>) {
    let Some(first) = text.find('#') else {
        return;
    };
    let (head, fragment) = text.split_at(first + 1);
    if !fragment.contains('#') {
        return;
    }
    *text = format!("{head}{}", fragment.replace('#', "%23"));
    repairs.push("encoded the second `#` as `%23`".into());
}

/// Normalises every external link target of `book` and turns its remote
/// images into links, warning about each repair and each dropped link.
pub fn run(book: &mut Book, diags: &mut Diagnostics) {
    let labels = &book.meta.labels;
    // Each page on its own, on every core; warnings back in page order.
    let found = crate::par::par_map_mut(&mut book.pages, |page| {
        let mut found = Diagnostics::default();
        run_page(page, labels, &mut found);
        found
    });
    for page_diags in found {
        diags.extend(page_diags);
    }
}

/// [`run`] on one page: what it does depends on nothing but the page and
/// the book's `labels` (`folio watch` keeps its result while both hold).
pub fn run_page(page: &mut Page, labels: &crate::model::Labels, diags: &mut Diagnostics) {
    let source = page.source.clone();
    links(page, &source, diags);
    let at = At {
        source: &source,
        labels,
    };
    remote_images(&mut page.blocks, &at, diags);
    for note in &mut page.footnotes {
        remote_images(&mut note.blocks, &at, diags);
    }
}

/// What to do with one link.
enum Outcome {
    Keep,
    Drop,
}

/// Normalises `link`'s target; `Drop` when it cannot be made valid.
fn fix_link(link: &mut Link, source: &Path, line: u32, diags: &mut Diagnostics) -> Outcome {
    match &mut link.target {
        LinkTarget::External { url } => {
            // `http//host` has no scheme for the links pass, which put it
            // on the base URL: start again from what the author wrote.
            let raw = if typo_scheme(&link.href) {
                link.href.clone()
            } else {
                url.clone()
            };
            match normalise(&raw) {
                Ok(fixed) => {
                    if !fixed.repairs.is_empty() {
                        diags.warn(
                            source,
                            line,
                            format!(
                                "link `{}`: {}; it now points to `{}`",
                                link.href.trim(),
                                fixed.repairs.join(", "),
                                fixed.url
                            ),
                        );
                    }
                    *url = fixed.url;
                    Outcome::Keep
                }
                // No scheme: a site path on an empty base URL. The backends
                // decide what such a path can link to.
                Err(_) if !raw.contains(':') => Outcome::Keep,
                Err(why) => {
                    diags.warn(
                        source,
                        line,
                        format!(
                            "link `{}` is not a valid URL ({why}): its text is kept without the link",
                            link.href.trim()
                        ),
                    );
                    Outcome::Drop
                }
            }
        }
        // Made by folio from page URLs: encoded, never warned about.
        LinkTarget::Internal { url, .. } => {
            if let Ok(fixed) = normalise(url) {
                *url = fixed.url;
            }
            Outcome::Keep
        }
        LinkTarget::Unresolved | LinkTarget::Ref => Outcome::Keep,
    }
}

/// `http//…` or `https//…`: a scheme that lost its colon.
fn typo_scheme(href: &str) -> bool {
    let head = href.trim().get(..7).unwrap_or("").to_ascii_lowercase();
    head.starts_with("http//") || head.starts_with("https//")
}

fn links(page: &mut Page, source: &Path, diags: &mut Diagnostics) {
    for_each_inline_mut(page, &mut |line, inline| {
        if let Inline::Link { link, content, .. } = inline
            && let Outcome::Drop = fix_link(link, source, line, diags)
        {
            *inline = Inline::Span {
                classes: Vec::new(),
                lang: None,
                content: std::mem::take(content),
            };
        }
    });
    let mut figures = |blocks: &mut [Block]| {
        for_each_block_mut(blocks, &mut |block| {
            let line = block.span.line;
            if let BlockKind::Figure(fig) = &mut block.kind {
                for slot in [&mut fig.link, &mut fig.attrlink] {
                    if let Some(link) = slot
                        && let Outcome::Drop = fix_link(link, source, line, diags)
                    {
                        *slot = None;
                    }
                }
            }
        });
    };
    figures(&mut page.blocks);
    for note in &mut page.footnotes {
        figures(&mut note.blocks);
    }
}

/// The class of the line that stands for a remote image.
pub const REMOTE_IMAGE_CLASS: &str = "image-remote";

/// Every remote image in `blocks` (inline or figure) as a linked line.
/// Where a remote image is, for its warning, and the book's labels for
/// its placeholder.
struct At<'a> {
    source: &'a Path,
    labels: &'a crate::model::Labels,
}

fn remote_images(blocks: &mut [Block], at: &At, diags: &mut Diagnostics) {
    for_each_block_mut(blocks, &mut |block| {
        let line = block.span.line;
        match &mut block.kind {
            BlockKind::Paragraph { content } | BlockKind::Heading { content, .. } => {
                inline_images(content, false, at, line, diags)
            }
            BlockKind::Table(table) => {
                for cell in table.head.iter_mut().chain(table.rows.iter_mut().flatten()) {
                    inline_images(cell, false, at, line, diags);
                }
            }
            BlockKind::Figure(fig) => {
                inline_images(&mut fig.caption, false, at, line, diags);
                let Some(found) = remote_image(&fig.src) else {
                    return;
                };
                let alt = [fig.alt.as_deref(), fig.title.as_deref()]
                    .into_iter()
                    .flatten()
                    .map(str::trim)
                    .find(|a| !a.is_empty())
                    .map(str::to_string)
                    .unwrap_or_else(|| crate::model::inlines_text(&fig.caption));
                let Some(mut content) =
                    placeholder(&fig.src, &alt, None, false, found, at, line, diags)
                else {
                    return;
                };
                let caption = std::mem::take(&mut fig.caption);
                if !caption.is_empty() && caption_adds(&caption, &alt) {
                    content.push(Inline::LineBreak);
                    content.extend(caption);
                }
                block.kind = BlockKind::Paragraph { content };
            }
            _ => {}
        }
    });
}

/// Whether a figure's caption says more than the alt text shown already.
fn caption_adds(caption: &[Inline], alt: &str) -> bool {
    crate::model::inlines_text(caption).trim() != alt.trim()
}

/// Replaces remote images among `inlines` (and inside them); `in_link`
/// when they sit inside a link already, which then stays their only link.
fn inline_images(
    inlines: &mut Vec<Inline>,
    in_link: bool,
    at: &At,
    line: u32,
    diags: &mut Diagnostics,
) {
    let mut out = Vec::with_capacity(inlines.len());
    for mut inline in inlines.drain(..) {
        match &mut inline {
            Inline::Image {
                src, alt, title, ..
            } => {
                if let Some(found) = remote_image(src)
                    && let Some(content) =
                        placeholder(src, alt, title.clone(), in_link, found, at, line, diags)
                {
                    out.extend(content);
                    continue;
                }
            }
            Inline::Link { content, .. } => inline_images(content, true, at, line, diags),
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Strike { content }
            | Inline::Sup { content }
            | Inline::Sub { content }
            | Inline::Span { content, .. } => inline_images(content, in_link, at, line, diags),
            _ => {}
        }
        out.push(inline);
    }
    *inlines = out;
}

/// The inlines that stand for a remote image: `Image: alt (URL)` in a span
/// of class [`REMOTE_IMAGE_CLASS`], linked to the URL unless `in_link`.
/// `None` (the image left as it is, for the assets pass to report) when
/// its URL cannot be made valid.
#[allow(clippy::too_many_arguments)]
fn placeholder(
    src: &str,
    alt: &str,
    title: Option<String>,
    in_link: bool,
    found: Result<Normalised, String>,
    at: &At,
    line: u32,
    diags: &mut Diagnostics,
) -> Option<Vec<Inline>> {
    let source = at.source;
    let fixed = match found {
        Ok(fixed) => fixed,
        Err(why) => {
            diags.warn(
                source,
                line,
                format!("image `{}` is not a valid URL ({why})", src.trim()),
            );
            return None;
        }
    };
    let mut note = format!(
        "image `{}` is on the web, and folio never downloads: a link to it is shown instead",
        src.trim()
    );
    if !fixed.repairs.is_empty() {
        note.push_str(&format!(" (its URL: {})", fixed.repairs.join(", ")));
    }
    diags.warn(source, line, note);
    let alt = alt.trim();
    let image = at.labels.get("Image");
    let text = if alt.is_empty() {
        format!("{image} ({})", fixed.url)
    } else {
        format!("{image}: {alt} ({})", fixed.url)
    };
    let words = vec![Inline::Text { text }];
    let content = if in_link {
        words
    } else {
        vec![Inline::Link {
            link: Link {
                href: src.trim().to_string(),
                target: LinkTarget::External { url: fixed.url },
            },
            title,
            content: words,
        }]
    };
    Some(vec![Inline::Span {
        classes: vec![REMOTE_IMAGE_CLASS.to_string()],
        lang: None,
        content,
    }])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(raw: &str) -> String {
        normalise(raw).unwrap().url
    }

    fn repairs(raw: &str) -> Vec<String> {
        normalise(raw).unwrap().repairs
    }

    #[test]
    fn valid_urls_stay_and_need_no_repair() {
        for raw in [
            "https://xmpp.org/about/faq/",
            "https://en.wikipedia.org/wiki/Foo_(bar)",
            "mailto:editor@xmpp.org",
            "xmpp:council@muc.xmpp.org?join",
            "tel:+49-30-1234",
            "https://example.com/a?b=c&d=e#top",
            "http://[::1]:8080/x",
        ] {
            assert_eq!(url(raw), raw, "{raw}");
            assert!(repairs(raw).is_empty(), "{raw}: {:?}", repairs(raw));
        }
        // The serialiser's own canonical form: silent.
        assert_eq!(url("HTTPS://Example.COM"), "https://example.com/");
    }

    #[test]
    fn hosts_become_punycode_and_paths_percent_encoded() {
        assert_eq!(url("https://חנוך.se/"), "https://xn--9dbdkw.se/");
        assert_eq!(
            url("https://マリウス.com/blog"),
            "https://xn--gckvb8fzb.com/blog"
        );
        assert_eq!(
            url("https://de.wikipedia.org/wiki/Übersicht"),
            "https://de.wikipedia.org/wiki/%C3%9Cbersicht"
        );
        assert!(repairs("https://マリウス.com/").is_empty());
        assert_eq!(url("mailto:ü@example.org"), "mailto:%C3%BC@example.org");
    }

    #[test]
    fn typos_are_repaired_and_named() {
        assert_eq!(url("https:/xmpp.org/x"), "https://xmpp.org/x");
        assert!(repairs("https:/xmpp.org/x")[0].contains("`//`"));
        assert_eq!(url("http//xmpp.org/"), "http://xmpp.org/");
        assert!(repairs("HTTPS//xmpp.org/")[0].contains("`:`"));
        assert_eq!(
            url("https://xmpp.org/newsletter/]"),
            "https://xmpp.org/newsletter/"
        );
        assert_eq!(url("https://a.org/x)]"), "https://a.org/x");
        assert_eq!(repairs("https://a.org/x)]").len(), 2);
        assert_eq!(url("https://a.org/#one#two"), "https://a.org/#one%23two");
        assert!(repairs("https://a.org/#one#two")[0].contains("`#`"));
        assert_eq!(url(" https://a.org/a b c "), "https://a.org/a%20b%20c");
        assert_eq!(repairs("https://a.org/a b").len(), 1);
        assert_eq!(url("mailto:a b@c.org"), "mailto:a%20b@c.org");
        assert_eq!(url("https:\\\\a.org\\x"), "https://a.org/x");
    }

    #[test]
    fn what_cannot_be_parsed_is_an_error() {
        for raw in [
            "https://",
            "https://exa mple.org/",
            "http://[::1/",
            "https://a.org:99999/",
            "not a url",
            "",
        ] {
            assert!(normalise(raw).is_err(), "{raw}: {:?}", normalise(raw));
        }
    }

    #[test]
    fn remote_image_sources_are_recognised() {
        let found = |s: &str| remote_image(s).map(|r| r.unwrap().url);
        assert_eq!(
            found("https://img.example.org/a b.png").as_deref(),
            Some("https://img.example.org/a%20b.png")
        );
        assert_eq!(
            found("//cdn.example.org/x.gif").as_deref(),
            Some("https://cdn.example.org/x.gif")
        );
        assert_eq!(
            found("HTTP://x.org/y.png").as_deref(),
            Some("http://x.org/y.png")
        );
        assert_eq!(found("/images/x.png"), None);
        assert_eq!(found("images/http.png"), None);
        assert_eq!(found("data:image/png;base64,AAAA"), None);
    }
}
