//! An embedded video, post or gist: print cannot play it, so the service
//! and title in bold and the address below, printed in full (a reader of
//! paper types it) and clickable, beside an accent rule.

use super::{Frame, Layouter, VItem};
use crate::backend::pdf::style::color;
use crate::backend::pdf::text::{Align, RunStyle};
use crate::model::{Embed, Inline, Link, LinkTarget};

impl Layouter<'_> {
    pub(super) fn embed(&mut self, embed: &Embed, frame: Frame, out: &mut Vec<VItem>) {
        let body = self.style.body.clone();
        let inner = self.indented(frame, self.style.quote.indent);
        let mut label = vec![Inline::Strong {
            content: vec![Inline::Text {
                text: self.labels.get(embed.service.label()).to_string(),
            }],
        }];
        if let Some(title) = embed.title.as_deref().filter(|t| !t.trim().is_empty()) {
            label.push(Inline::Text {
                text: format!(": {title}"),
            });
        }
        label.push(Inline::LineBreak);
        label.push(visible_link(&embed.url));
        let run = RunStyle {
            italic: false,
            ..self.body_style()
        };
        let lines = self
            .setter
            .set(&label, &run, Align::Left, inner.width, body.leading);
        let mut tmp = Vec::new();
        self.push_lines(lines, body.leading, inner, &mut tmp);
        out.push(VItem::space(body.paragraph_space / 2.0));
        let accent = color(&self.style.colors.accent);
        self.ruled(tmp, frame, inner, accent, out);
        out.push(VItem::space(body.paragraph_space));
    }
}

/// A link to `url` that shows `url`.
pub(super) fn visible_link(url: &str) -> Inline {
    Inline::Link {
        link: Link {
            href: url.to_string(),
            target: LinkTarget::External {
                url: url.to_string(),
            },
        },
        title: None,
        content: vec![Inline::Text {
            text: url.to_string(),
        }],
    }
}
