//! Tests of Hugo's built-in shortcodes and the text switches at the parser:
//! what each becomes in the model, before any pass or backend.

use super::markdown::{PageContext, ParseOptions, parse_page};
use super::tests::{flatten, para_text, parse, parse_with};
use crate::diag::Diagnostics;
use crate::model::{BlockKind, Inline, LinkTarget};
use std::path::Path;

#[test]
fn param_reads_the_page_then_the_site() {
    let options = ParseOptions {
        site_params: std::sync::Arc::new(serde_json::json!({
            "author": {"name": "XSF"},
            "color": "site blue",
        })),
        ..ParseOptions::default()
    };
    let front: std::collections::BTreeMap<String, serde_json::Value> =
        [("color".to_string(), serde_json::json!("page red"))].into();
    let page = PageContext {
        url: "https://xmpp.org/p/",
        front_matter: Some(&front),
    };
    let mut diags = Diagnostics::default();
    let parsed = parse_page(
        "{{< param color >}} / {{< param \"Author.Name\" >}} / {{< param x >}}",
        1,
        Path::new("page.md"),
        &page,
        &options,
        &mut diags,
    )
    .unwrap();
    assert_eq!(para_text(&parsed.blocks[0]), "page red / XSF /");
    assert_eq!(diags.len(), 1, "{diags:?}");
}

#[test]
fn a_ref_as_link_destination_is_a_ref_link() {
    let blocks = parse(
        "[FAQ]({{< ref \"about/faq.md\" >}}) [who]({{< relref \"faq\" >}}#who) [src]({{< figure src=x >}})",
    );
    let BlockKind::Paragraph { content } = &blocks[0].kind else {
        panic!("{blocks:?}")
    };
    let links: Vec<(&str, &LinkTarget)> = content
        .iter()
        .filter_map(|i| match i {
            Inline::Link { link, .. } => Some((link.href.as_str(), &link.target)),
            _ => None,
        })
        .collect();
    assert_eq!(
        links,
        vec![
            ("about/faq.md", &LinkTarget::Ref),
            ("faq#who", &LinkTarget::Ref),
            ("{{< figure src=x >}}", &LinkTarget::Unresolved),
        ]
    );
}

#[test]
fn shortcodes_in_html_blocks_are_resolved_not_shown() {
    let blocks = parse("<div class=\"box\">\n{{< param x >}} and {{< youtube abc >}}\n</div>\n");
    let mut text = String::new();
    flatten(&blocks, &mut text);
    assert!(!text.contains("{{<"), "{text}");
    assert!(
        text.contains("https://www.youtube.com/watch?v=abc"),
        "{text}"
    );
}

#[test]
fn typographer_and_emoji_switches() {
    let body = "\"It's\" -- :tada:";
    let on = ParseOptions {
        emoji: true,
        ..ParseOptions::default()
    };
    let off = ParseOptions {
        typographer: false,
        ..ParseOptions::default()
    };
    assert_eq!(
        para_text(&parse_with(body, 1, &on).0.blocks[0]),
        "“It’s” – 🎉"
    );
    assert_eq!(
        para_text(&parse_with(body, 1, &off).0.blocks[0]),
        "\"It's\" -- :tada:"
    );
}
