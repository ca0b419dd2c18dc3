//! Hugo's built-in shortcodes as typed model nodes:
//!
//! - `ref`/`relref` (`"about/faq.md"`, `"/about/faq"`, `"faq"`, with an
//!   optional `#anchor`; positional or `path=`): a link the links pass
//!   resolves to the page ([`LinkTarget::Ref`]). Written as a link
//!   destination (`[FAQ]({{< ref "faq" >}})`) it is that link's target;
//!   alone in text it is a link showing the page's URL, as Hugo prints it.
//! - `highlight LANG [OPTIONS]`: a code block in that language (the
//!   options, line numbers and highlighted lines, mean nothing in print).
//! - `details summary="..." open=true`: a [`BlockKind::Details`], the
//!   inner content parsed as Markdown.
//! - `param "key"` (dotted keys, any case): the page's front matter value
//!   (or its `params:`), else the site's param, as text.
//! - `youtube`, `vimeo`, `x` (and the older `twitter`, `tweet`),
//!   `instagram`, `gist`: a [`BlockKind::Embed`] naming the service, with
//!   the address readers can follow.
//! - `qr` (`text=` or the inner content; `level=`, `alt=`): a
//!   [`BlockKind::Qr`].
//! - `comment`: nothing.
//!
//! An argument that cannot work (no path, an id that is not one) is a
//! warning naming the file and line.

use super::builder::block;
use super::markdown::Ctx;
use super::qr;
use super::shortcode::{Call, Inner};
use super::squeeze::blocks_as_inlines;
use crate::diag::Diagnostic;
use crate::model::{Block, BlockKind, Embed, EmbedService, Inline, Link, LinkTarget, Qr, Span};
use serde_json::Value;

/// The `n`th positional argument of `call`.
fn positional(call: &Call, n: usize) -> Option<&str> {
    call.args
        .iter()
        .filter(|a| a.key.is_none())
        .nth(n)
        .map(|a| a.value.as_str())
}

/// A named argument, else the `n`th positional one, trimmed and not empty.
fn arg<'c>(call: &'c Call, name: &str, n: usize) -> Option<&'c str> {
    call.named(name)
        .or_else(|| positional(call, n))
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// Hugo's `true` for a boolean argument.
fn truthy(value: Option<&str>) -> bool {
    value.is_some_and(|v| {
        matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "true" | "1" | "yes" | "open"
        )
    })
}

impl Ctx<'_> {
    /// The blocks of Hugo's built-in shortcode `call`; `None` when it is
    /// not one.
    pub(super) fn builtin(
        &mut self,
        call: &Call,
        inner: Option<&Inner>,
        end: usize,
    ) -> Option<Vec<Block>> {
        let span = self.span(call.start, end);
        let blocks = match call.name.as_str() {
            "ref" | "relref" => self.reference(call, span),
            "highlight" => self.highlight(call, inner, span),
            "details" => self.details(call, inner, end, span),
            "param" => self.param(call, span),
            "youtube" | "vimeo" | "vimeo_simple" | "x" | "x_simple" | "twitter"
            | "twitter_simple" | "tweet" | "instagram" | "instagram_simple" | "gist" => {
                self.embed(call, span)
            }
            "qr" => self.qr(call, inner, span),
            "comment" => Vec::new(),
            _ => return None,
        };
        Some(blocks)
    }

    /// The content path a `ref`/`relref` names, when `call` is one (and
    /// `folio.yaml` does not say otherwise).
    pub(super) fn ref_href(&self, call: &Call) -> Option<String> {
        let is_ref = matches!(call.name.as_str(), "ref" | "relref")
            && !self.options.shortcodes.contains_key(&call.name);
        if !is_ref {
            return None;
        }
        arg(call, "path", 0).map(str::to_string)
    }

    fn reference(&mut self, call: &Call, span: Span) -> Vec<Block> {
        let Some(path) = self.ref_href(call) else {
            self.diags.warn(
                self.path,
                span.line,
                format!(
                    "shortcode `{}` names no page: give its path, e.g. `{{{{< {} \"about/faq.md\" >}}}}`",
                    call.name, call.name
                ),
            );
            return Vec::new();
        };
        // Its text is the page's URL, filled in when the link is resolved.
        let link = Inline::Link {
            link: Link {
                href: path,
                target: LinkTarget::Ref,
            },
            title: None,
            content: Vec::new(),
        };
        vec![block(
            span,
            BlockKind::Paragraph {
                content: vec![link],
            },
        )]
    }

    fn highlight(&mut self, call: &Call, inner: Option<&Inner>, span: Span) -> Vec<Block> {
        let Some(inner) = inner else {
            self.diags.warn(
                self.path,
                span.line,
                "shortcode `highlight` holds no code: close it with `{{< /highlight >}}`",
            );
            return Vec::new();
        };
        // Hugo trims line breaks, not indentation, around the code.
        let text = self
            .inner_text(inner)
            .trim_matches(|c| c == '\n' || c == '\r')
            .to_string();
        let lang = positional(call, 0)
            .or_else(|| call.named("lang"))
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string);
        vec![block(span, BlockKind::Code { lang, text })]
    }

    fn details(
        &mut self,
        call: &Call,
        inner: Option<&Inner>,
        end: usize,
        span: Span,
    ) -> Vec<Block> {
        let summary_md = call
            .named("summary")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or("Details");
        let summary = blocks_as_inlines(&self.parse_text(summary_md, call.start, end));
        // One level down, as any container's content.
        let blocks = match inner {
            Some(inner) => self.parse_range(inner.start, inner.end, &inner.nodes, 1),
            None => Vec::new(),
        };
        vec![block(
            span,
            BlockKind::Details {
                summary,
                open: truthy(call.named("open")),
                blocks,
            },
        )]
    }

    fn param(&mut self, call: &Call, span: Span) -> Vec<Block> {
        let Some(key) = arg(call, "key", 0) else {
            self.diags.warn(
                self.path,
                span.line,
                "shortcode `param` names no parameter: write `{{< param \"name\" >}}`",
            );
            return Vec::new();
        };
        let front = self.page.front_matter;
        let found = front
            .and_then(|fm| lookup_map(fm, key))
            .or_else(|| {
                front
                    .and_then(|fm| fm.get("params"))
                    .and_then(|p| lookup(p, key))
            })
            .or_else(|| lookup(&self.options.site_params, key))
            .filter(|v| !v.is_null());
        let text = match found {
            None => {
                self.diags.warn(
                    self.path,
                    span.line,
                    format!(
                        "param `{key}` is set neither in the page's front matter nor in the site's params: left out"
                    ),
                );
                return Vec::new();
            }
            Some(value) => match as_text(value) {
                Some(text) => text,
                None => {
                    self.diags.warn(
                        self.path,
                        span.line,
                        format!("param `{key}` is a mapping, not a value: left out"),
                    );
                    return Vec::new();
                }
            },
        };
        vec![block(
            span,
            BlockKind::Paragraph {
                content: vec![Inline::Text { text }],
            },
        )]
    }

    fn embed(&mut self, call: &Call, span: Span) -> Vec<Block> {
        match embed_of(call) {
            Ok(embed) => vec![block(span, BlockKind::Embed(embed))],
            Err(why) => {
                self.diags.warn(
                    self.path,
                    span.line,
                    format!(
                        "shortcode `{}` {why}: shown as a note pointing to the page on the website",
                        call.name
                    ),
                );
                self.web_note(&call.name, span)
            }
        }
    }

    fn qr(&mut self, call: &Call, inner: Option<&Inner>, span: Span) -> Vec<Block> {
        let text = call
            .named("text")
            .map(str::to_string)
            .or_else(|| inner.map(|i| self.inner_text(i).to_string()))
            .map(|t| t.trim().to_string())
            .unwrap_or_default();
        if text.is_empty() {
            self.diags.warn(
                self.path,
                span.line,
                "shortcode `qr` has no text to encode: give `text=\"...\"` or put it inside",
            );
            return Vec::new();
        }
        let limit = self.options.limits.qr_codes;
        self.qr_codes += 1;
        let encoded = if self.qr_codes > limit {
            if self.qr_codes == limit + 1 {
                self.diags.push(
                    Diagnostic::warning(
                        self.path,
                        span.line,
                        format!(
                            "the page has more than {limit} QR codes: from here on their text is shown instead"
                        ),
                    )
                    .with_hint("raise `limits: qr_codes` in folio.yaml if this is intended"),
                );
            }
            return vec![block(
                span,
                BlockKind::Paragraph {
                    content: vec![Inline::Text { text }],
                },
            )];
        } else {
            qr::encode(&text, call.named("level").unwrap_or("medium"))
        };
        match encoded {
            Ok(modules) => vec![block(
                span,
                BlockKind::Qr(Qr {
                    alt: call.named("alt").map(str::to_string),
                    text,
                    modules,
                }),
            )],
            Err(why) => {
                self.diags.warn(
                    self.path,
                    span.line,
                    format!("shortcode `qr`: {why}: its text is shown instead"),
                );
                vec![block(
                    span,
                    BlockKind::Paragraph {
                        content: vec![Inline::Text { text }],
                    },
                )]
            }
        }
    }
}

/// The embed an embed shortcode names, or why it names none.
fn embed_of(call: &Call) -> Result<Embed, String> {
    let id = |name: &str, n: usize, ok: fn(char) -> bool, what: &str| {
        let value = arg(call, name, n).ok_or_else(|| format!("gives no {what}"))?;
        if value.len() > 200 || !value.chars().all(ok) {
            return Err(format!("has `{value}`, which is not a {what}"));
        }
        Ok(value.to_string())
    };
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let digits = |c: char| c.is_ascii_digit();
    let title = call
        .named("title")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    let (service, url, title) = match call.name.as_str() {
        "youtube" => {
            let v = id("id", 0, word, "video id")?;
            (
                EmbedService::Youtube,
                format!("https://www.youtube.com/watch?v={v}"),
                title,
            )
        }
        "vimeo" | "vimeo_simple" => {
            let v = id("id", 0, digits, "video number")?;
            (EmbedService::Vimeo, format!("https://vimeo.com/{v}"), title)
        }
        "tweet" if call.named("user").is_none() && positional(call, 1).is_none() => {
            let v = id("id", 0, digits, "post number")?;
            (
                EmbedService::X,
                format!("https://x.com/i/status/{v}"),
                title,
            )
        }
        "x" | "x_simple" | "twitter" | "twitter_simple" | "tweet" => {
            let user = id(
                "user",
                0,
                |c| c.is_ascii_alphanumeric() || c == '_',
                "user name",
            )?;
            let v = id("id", 1, digits, "post number")?;
            (
                EmbedService::X,
                format!("https://x.com/{user}/status/{v}"),
                title,
            )
        }
        "instagram" | "instagram_simple" => {
            let v = id("id", 0, word, "post id")?;
            (
                EmbedService::Instagram,
                format!("https://www.instagram.com/p/{v}/"),
                title,
            )
        }
        _ => {
            let user = id(
                "user",
                0,
                |c| c.is_ascii_alphanumeric() || c == '-',
                "user name",
            )?;
            let v = id("id", 1, |c| c.is_ascii_alphanumeric(), "gist id")?;
            let mut url = format!("https://gist.github.com/{user}/{v}");
            let file = arg(call, "file", 2).map(str::to_string);
            if let Some(file) = &file {
                // GitHub's anchor of one file of a gist.
                let anchor: String = file
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() {
                            c.to_ascii_lowercase()
                        } else {
                            '-'
                        }
                    })
                    .collect();
                url.push_str("#file-");
                url.push_str(&anchor);
            }
            (EmbedService::Gist, url, title.or(file))
        }
    };
    Ok(Embed {
        service,
        url,
        title,
    })
}

/// `key` (dotted, any case) in a front matter map.
fn lookup_map<'v>(
    map: &'v std::collections::BTreeMap<String, Value>,
    key: &str,
) -> Option<&'v Value> {
    let (first, rest) = match key.split_once('.') {
        Some((first, rest)) => (first, Some(rest)),
        None => (key, None),
    };
    let value = map.get(&first.to_lowercase()).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(first))
            .map(|(_, v)| v)
    })?;
    match rest {
        Some(rest) => lookup(value, rest),
        None => Some(value),
    }
}

/// `key` (dotted, any case) in a JSON value.
fn lookup<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    let mut at = value;
    for part in key.split('.') {
        let map = at.as_object()?;
        at = map.get(part).or_else(|| {
            map.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(part))
                .map(|(_, v)| v)
        })?;
    }
    Some(at)
}

/// A param as text: strings as they are, numbers and booleans as their
/// text, a list of those joined by commas; `None` for a mapping.
fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        Value::Array(items) => items
            .iter()
            .map(as_text)
            .collect::<Option<Vec<_>>>()
            .map(|parts| parts.join(", ")),
        Value::Object(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dotted_keys_in_any_case() {
        let v = json!({"Author": {"Name": "XSF"}, "list": ["a", 2, true]});
        assert_eq!(lookup(&v, "author.name"), Some(&json!("XSF")));
        assert_eq!(lookup(&v, "AUTHOR.NAME"), Some(&json!("XSF")));
        assert_eq!(lookup(&v, "author.missing"), None);
        assert_eq!(as_text(&v["list"]).as_deref(), Some("a, 2, true"));
        assert_eq!(as_text(&v["Author"]), None);
    }
}
