//! A look at an SVG's XML before usvg converts it: how many elements the
//! conversion would make (`<use>` copies its target, a marker is copied
//! onto every vertex it marks, so a few kilobytes can ask for billions),
//! and the line of every `href`, for warnings. Iterative throughout: an
//! SVG may nest deeper than the stack would allow recursion.
//!
//! Text counts for more than its elements: usvg 0.49 lays out a character
//! in about the time it makes 25 elements, and a `<text>` in time that
//! grows with its characters squared and with characters times spans
//! (measured: 7200 characters in 300 spans take 0.8 s).

use resvg::usvg::roxmltree::{Document, Node, NodeId};
use std::collections::HashMap;

/// Deepest element nesting usvg accepts (its own limit).
const MAX_DEPTH: usize = 1024;
/// Elements' worth of work per character of text...
const PER_CHAR: u64 = 25;
/// ...plus this fraction of characters squared...
const PER_CHAR_SQUARED: u64 = 700;
/// ...plus characters times spans, halved.
const PER_CHAR_SPAN: u64 = 2;

/// What [`scan`] found.
pub(crate) struct Scan {
    /// Elements after copying `<use>` targets and markers (saturating).
    pub elements: u64,
    /// The line of the first element holding each `href` value.
    pub href_lines: HashMap<String, u32>,
}

/// Scans `doc`; `Err` names what usvg would refuse anyway (nesting deeper
/// than it allows), so that it is refused before any work is done.
pub(crate) fn scan(doc: &Document) -> Result<Scan, String> {
    let nodes = doc.descendants().count();
    let mut depth = vec![0usize; nodes];
    let mut href_lines = HashMap::new();
    let mut ids = HashMap::new();
    let mut markers = Vec::new();
    let mut marked = Vec::new();
    let mut has_style = false;
    for node in doc.descendants().filter(Node::is_element) {
        let d = node
            .parent()
            .and_then(|p| depth.get(index(p.id())).copied())
            .unwrap_or(0)
            + 1;
        if d > MAX_DEPTH {
            return Err(format!("nests elements deeper than {MAX_DEPTH} levels"));
        }
        if let Some(slot) = depth.get_mut(index(node.id())) {
            *slot = d;
        }
        if let Some(id) = node.attribute("id") {
            ids.entry(id).or_insert(node.id());
        }
        if let Some(href) = href(&node) {
            let line = doc.text_pos_at(node.range().start).row;
            href_lines.entry(href.to_string()).or_insert(line);
        }
        match node.tag_name().name() {
            "marker" => markers.push(node.id()),
            "style" => has_style = true,
            "path" | "line" | "polyline" | "polygon" => marked.push(node),
            _ => {}
        }
    }
    let mut sizes = Sizes::new(doc, nodes, &ids);
    let mut elements = doc
        .root()
        .children()
        .filter(Node::is_element)
        .fold(0u64, |sum, n| sum.saturating_add(sizes.of(n.id())));
    if !markers.is_empty() {
        // Any shape may carry markers, by attribute or style sheet; count
        // the largest marker on every vertex of every shape that might.
        let marker = markers.iter().map(|&m| sizes.of(m)).max().unwrap_or(0);
        for shape in marked {
            if has_style || may_mark(&shape) {
                elements = elements.saturating_add(vertices(&shape).saturating_mul(marker));
            }
        }
    }
    Ok(Scan {
        elements,
        href_lines,
    })
}

fn index(id: NodeId) -> usize {
    id.get_usize()
}

/// The `href` or `xlink:href` of an element.
fn href<'a>(node: &Node<'a, '_>) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == "href")
        .map(|a| a.value())
}

/// Whether an element names a marker itself (attribute or inline style).
fn may_mark(node: &Node) -> bool {
    node.attributes().any(|a| {
        a.name().starts_with("marker") || (a.name() == "style" && a.value().contains("marker"))
    })
}

/// An upper bound on a shape's vertices: half the numbers in its geometry.
fn vertices(node: &Node) -> u64 {
    let geometry = node
        .attribute("d")
        .or_else(|| node.attribute("points"))
        .unwrap_or("");
    let numbers = geometry
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|s| !s.is_empty())
        .count() as u64;
    numbers / 2 + 2
}

/// Expanded element counts per node, computed once each.
struct Sizes<'d, 'a, 'input> {
    doc: &'d Document<'input>,
    ids: &'d HashMap<&'a str, NodeId>,
    /// `None`: not yet counted; `Some(None)`: being counted (a `<use>`
    /// cycle, which usvg drops); `Some(Some(n))`: done.
    memo: Vec<Option<Option<u64>>>,
}

impl<'d, 'a, 'input> Sizes<'d, 'a, 'input> {
    fn new(doc: &'d Document<'input>, nodes: usize, ids: &'d HashMap<&'a str, NodeId>) -> Self {
        Sizes {
            doc,
            ids,
            memo: vec![None; nodes],
        }
    }

    /// The elements `id` stands for once copied out: itself, its element
    /// children, and the target of a `<use>`. An explicit stack instead of
    /// recursion: chains of `<use>` can be as long as the file.
    fn of(&mut self, id: NodeId) -> u64 {
        let mut stack = vec![(id, false)];
        while let Some((id, children_done)) = stack.pop() {
            let i = index(id);
            if children_done {
                let own = 1u64.saturating_add(self.text_weight(id));
                let total = self.deps(id).iter().fold(own, |sum, dep| {
                    let n = match self.memo.get(index(*dep)) {
                        Some(Some(Some(n))) => *n,
                        _ => 0,
                    };
                    sum.saturating_add(n)
                });
                if let Some(slot) = self.memo.get_mut(i) {
                    *slot = Some(Some(total));
                }
                continue;
            }
            if self.memo.get(i).is_some_and(Option::is_some) {
                continue;
            }
            if let Some(slot) = self.memo.get_mut(i) {
                *slot = Some(None);
            }
            stack.push((id, true));
            for dep in self.deps(id) {
                if self.memo.get(index(dep)).is_some_and(Option::is_none) {
                    stack.push((dep, false));
                }
            }
        }
        match self.memo.get(index(id)) {
            Some(Some(Some(n))) => *n,
            _ => 0,
        }
    }

    /// What laying out a `<text>` element costs, in elements.
    fn text_weight(&self, id: NodeId) -> u64 {
        let Some(node) = self
            .doc
            .get_node(id)
            .filter(|n| n.tag_name().name() == "text")
        else {
            return 0;
        };
        let (mut chars, mut spans) = (0u64, 1u64);
        for d in node.descendants().skip(1) {
            if d.is_element() {
                spans += 1;
            } else if let Some(text) = d.text() {
                chars += text.chars().count() as u64;
            }
        }
        chars
            .saturating_mul(PER_CHAR)
            .saturating_add(chars.saturating_mul(chars) / PER_CHAR_SQUARED)
            .saturating_add(chars.saturating_mul(spans) / PER_CHAR_SPAN)
    }

    /// Element children, and for `<use>` its target.
    fn deps(&self, id: NodeId) -> Vec<NodeId> {
        let Some(node) = self.doc.get_node(id) else {
            return Vec::new();
        };
        let mut deps: Vec<NodeId> = node
            .children()
            .filter(Node::is_element)
            .map(|c| c.id())
            .collect();
        if node.tag_name().name() == "use"
            && let Some(target) = href(&node)
                .and_then(|h| h.strip_prefix('#'))
                .and_then(|h| self.ids.get(h))
        {
            deps.push(*target);
        }
        deps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Scan, String> {
        let options = resvg::usvg::roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let doc = Document::parse_with_options(text, options).unwrap();
        scan(&doc)
    }

    #[test]
    fn use_copies_are_counted() {
        // Each level uses the one below ten times: 10^6 rectangles.
        let mut svg =
            String::from(r#"<svg xmlns="http://www.w3.org/2000/svg"><defs><rect id="a0"/>"#);
        for i in 1..=6 {
            svg.push_str(&format!("<g id=\"a{i}\">"));
            for _ in 0..10 {
                svg.push_str(&format!("<use href=\"#a{}\"/>", i - 1));
            }
            svg.push_str("</g>");
        }
        svg.push_str(r##"</defs><use href="#a6"/></svg>"##);
        let scan = parse(&svg).unwrap();
        assert!(scan.elements > 1_000_000, "{}", scan.elements);
    }

    #[test]
    fn use_cycles_end() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg"><g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g></svg>"##;
        assert!(parse(svg).unwrap().elements < 10);
    }

    #[test]
    fn markers_are_counted_per_vertex() {
        let points: Vec<String> = (0..1000).map(|i| format!("{i} {i}")).collect();
        let svg = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg"><marker id="m"><circle/><circle/></marker><polyline points="{}" marker-mid="url(#m)"/></svg>"##,
            points.join(" ")
        );
        assert!(parse(&svg).unwrap().elements > 3000);
    }

    #[test]
    fn text_counts_by_its_characters() {
        let text = |body: &str| {
            let svg =
                format!("<svg xmlns=\"http://www.w3.org/2000/svg\"><text>{body}</text></svg>");
            parse(&svg).unwrap().elements
        };
        assert!(text("XMPP") < 200);
        assert!(text(&"lorem ipsum ".repeat(1000)) > 300_000);
        assert!(text(&"<tspan>lorem ipsum</tspan>".repeat(300)) > 200_000);
    }

    #[test]
    fn deep_nesting_is_refused_and_hrefs_have_lines() {
        let deep = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\">{}{}</svg>",
            "<g>".repeat(5000),
            "</g>".repeat(5000)
        );
        assert!(parse(&deep).is_err());
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"\n xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n<image xlink:href=\"a.svg\"/>\n\n<image href=\"/b.svg\"/></svg>";
        let scan = parse(svg).unwrap();
        assert_eq!(scan.href_lines.get("a.svg"), Some(&3));
        assert_eq!(scan.href_lines.get("/b.svg"), Some(&5));
    }
}
