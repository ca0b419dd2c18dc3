//! Dropping the objects nothing refers to (printpdf's XMP packet, say).
//! lopdf's own `prune_objects` looks each reference up in a list, which
//! is quadratic in the objects of a long book; this walks the references
//! once with a set, without recursion.

use lopdf::{Document, Object, ObjectId};
use std::collections::HashSet;

/// Removes every object not reachable from the trailer.
pub(crate) fn unreferenced(doc: &mut Document) {
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut queue: Vec<ObjectId> = Vec::new();
    let mut pending: Vec<&Object> = doc.trailer.iter().map(|(_, v)| v).collect();
    loop {
        while let Some(object) = pending.pop() {
            match object {
                Object::Reference(id) if seen.insert(*id) => queue.push(*id),
                Object::Array(items) => pending.extend(items.iter()),
                Object::Dictionary(dict) => pending.extend(dict.iter().map(|(_, v)| v)),
                Object::Stream(stream) => pending.extend(stream.dict.iter().map(|(_, v)| v)),
                _ => {}
            }
        }
        let Some(id) = queue.pop() else { break };
        if let Some(object) = doc.objects.get(&id) {
            pending.push(object);
        }
    }
    doc.objects.retain(|id, _| seen.contains(id));
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    #[test]
    fn keeps_what_the_trailer_reaches_and_drops_the_rest() {
        let mut doc = Document::with_version("1.7");
        let leaf = doc.add_object(Object::Integer(7));
        let cycle_a = doc.new_object_id();
        let cycle_b = doc.add_object(dictionary! { "A" => cycle_a, "L" => vec![leaf.into()] });
        doc.objects
            .insert(cycle_a, Object::Dictionary(dictionary! { "B" => cycle_b }));
        let orphan = doc.add_object(dictionary! { "L" => leaf });
        doc.trailer.set("Root", cycle_a);
        unreferenced(&mut doc);
        assert!(doc.objects.contains_key(&cycle_a));
        assert!(doc.objects.contains_key(&cycle_b));
        assert!(doc.objects.contains_key(&leaf));
        assert!(!doc.objects.contains_key(&orphan));
    }
}
