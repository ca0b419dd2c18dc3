//! The shortcode lexer and pairing: `parse_tree` on any text. Every node
//! must lie inside the input on character boundaries, siblings in order
//! without overlap, a paired call's inner content between its opener and
//! its end; a lexing error must point inside the input.
#![no_main]

#[path = "common.rs"]
mod common;

use folio::parse::shortcode::{Node, parse_tree};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::alt_signal_stack();
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    match parse_tree(body, folio::Limits::default().nesting) {
        Ok(nodes) => check(body, &nodes, 0, body.len()),
        Err(e) => assert!(
            e.offset < body.len() && body.is_char_boundary(e.offset),
            "error offset {} outside the body ({} bytes)",
            e.offset,
            body.len()
        ),
    }
});

/// `nodes` are ordered, disjoint and inside `from..to` of `body`.
fn check(body: &str, nodes: &[Node], from: usize, to: usize) {
    let mut at = from;
    for node in nodes {
        let (start, end) = node.range();
        assert!(
            at <= start && start < end && end <= to,
            "node {start}..{end} out of order or outside {at}..{to}"
        );
        assert!(body.is_char_boundary(start) && body.is_char_boundary(end));
        if let Node::Shortcode {
            call,
            inner: Some(inner),
            ..
        } = node
        {
            assert!(
                call.end <= inner.start && inner.start <= inner.end && inner.end <= end,
                "inner {}..{} outside its call {start}..{end}",
                inner.start,
                inner.end
            );
            check(body, &inner.nodes, inner.start, inner.end);
        }
        at = end;
    }
}
