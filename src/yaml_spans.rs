//! Where each key and list entry of a YAML file is: `folio.yaml` and the
//! style file are parsed twice, once typed (serde, which keeps no
//! positions) and once here, into a table from the path of every node
//! (`books.press-kit.pages[2]`) to its line and column. Errors about a
//! value that serde accepted (a missing page, a negative size) can then
//! name the exact line. The same walk finds duplicate keys at any level,
//! which serde would let the last one win silently in a map.

use crate::diag::{Diagnostic, to_line};
use saphyr_parser::{Event, Parser, ScanError, Span};
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// A 1-based line and column in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mark {
    pub line: u32,
    pub column: u32,
}

impl Mark {
    fn of(span: &Span) -> Mark {
        Mark {
            line: to_line(span.start.line()),
            column: to_line(span.start.col()).saturating_add(1),
        }
    }
}

/// One step of a path into the document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Step {
    Key(String),
    Index(usize),
}

/// Where one node is: its key (for a mapping entry; the item itself for a
/// list entry) and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Place {
    /// The key of a mapping entry, or the start of a list item.
    pub key: Mark,
    /// The start of the value.
    pub value: Mark,
}

/// The positions of every node of one YAML document.
#[derive(Debug, Clone, Default)]
pub struct YamlSpans {
    places: BTreeMap<Vec<Step>, Place>,
}

/// A path into a document: keys, and list indexes through [`At::item`].
#[derive(Debug, Clone, Default)]
pub struct At(Vec<Step>);

impl At {
    /// The path of keys `keys` from the top.
    pub fn keys(keys: &[&str]) -> At {
        At(keys.iter().map(|k| Step::Key((*k).to_string())).collect())
    }

    /// This path, then key `key`.
    pub fn key(mut self, key: &str) -> At {
        self.0.push(Step::Key(key.to_string()));
        self
    }

    /// The last key of the path (a list item's own key above it).
    pub fn last_key(&self) -> Option<String> {
        self.0.iter().rev().find_map(|step| match step {
            Step::Key(k) => Some(k.clone()),
            Step::Index(_) => None,
        })
    }

    /// This path, then list entry `index` (0-based).
    pub fn item(mut self, index: usize) -> At {
        self.0.push(Step::Index(index));
        self
    }
}

/// Why a document could not be indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpanError {
    /// Not YAML: the parser's message and where it stopped.
    Syntax { message: String, at: Mark },
    /// The same key twice in one mapping.
    Duplicate {
        /// The key path of the mapping holding it, as `a.b[2]`.
        parent: String,
        key: String,
        first: Mark,
        second: Mark,
    },
}

impl YamlSpans {
    /// Indexes `text` (one document; later documents are ignored, as serde
    /// reads only the first).
    pub fn parse(text: &str) -> Result<YamlSpans, SpanError> {
        Walker::default().run(text)
    }

    /// Where the node at `at` is, if the document has it.
    pub fn place(&self, at: &At) -> Option<Place> {
        self.places.get(&at.0).copied()
    }

    /// The key of the node at `at` (a list item's own start), or the
    /// nearest enclosing node that exists (a missing key is reported on its
    /// parent), or line 0 for an empty document.
    pub fn key(&self, at: &At) -> Mark {
        self.nearest(at).key
    }

    /// The value of the node at `at`, or as [`YamlSpans::key`] for a
    /// missing one.
    pub fn value(&self, at: &At) -> Mark {
        self.nearest(at).value
    }

    fn nearest(&self, at: &At) -> Place {
        let mut path = at.0.as_slice();
        loop {
            if let Some(place) = self.places.get(path) {
                return *place;
            }
            match path.split_last() {
                Some((_, parent)) => path = parent,
                None => return Place::default(),
            }
        }
    }
}

/// A mapping or list being walked.
#[derive(Debug)]
enum Frame {
    Map {
        /// Keys seen so far, with where.
        seen: HashMap<String, Mark>,
        /// The key whose value comes next (`None`: a key comes next).
        pending: Option<(Step, Mark)>,
    },
    List {
        next: usize,
    },
}

#[derive(Default)]
struct Walker {
    path: Vec<Step>,
    frames: Vec<Frame>,
    places: BTreeMap<Vec<Step>, Place>,
    /// Nesting inside a complex (non-scalar) key, which has no path of its own.
    in_complex_key: usize,
}

/// What a node event is, for the walk.
enum Node {
    Scalar(String),
    Open(bool),
    Close,
    Other,
}

impl Walker {
    fn run(mut self, text: &str) -> Result<YamlSpans, SpanError> {
        let mut parser = Parser::new_from_str(text);
        let mut documents = 0;
        while let Some(next) = parser.next_event() {
            let (event, span) = next.map_err(syntax)?;
            let node = match event {
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents > 1 {
                        break;
                    }
                    continue;
                }
                Event::Scalar(value, ..) => Node::Scalar(value.into_owned()),
                Event::Alias(_) => Node::Scalar("*".to_string()),
                Event::MappingStart(..) => Node::Open(true),
                Event::SequenceStart(..) => Node::Open(false),
                Event::MappingEnd | Event::SequenceEnd => Node::Close,
                _ => Node::Other,
            };
            self.node(node, &span)?;
        }
        Ok(YamlSpans {
            places: self.places,
        })
    }

    fn node(&mut self, node: Node, span: &Span) -> Result<(), SpanError> {
        let mark = Mark::of(span);
        if self.in_complex_key > 0 {
            match node {
                Node::Open(_) => self.in_complex_key += 1,
                Node::Close => self.in_complex_key -= 1,
                _ => {}
            }
            return Ok(());
        }
        if let Node::Close = node {
            self.frames.pop();
            // The collection that closed was the value of its parent's step.
            self.path.pop();
            return Ok(());
        }
        if let Node::Other = node {
            return Ok(());
        }
        // A key of the enclosing mapping, or a value (of a key or a list)?
        if matches!(self.frames.last(), Some(Frame::Map { pending: None, .. })) {
            return self.key(node, mark);
        }
        self.value(node, mark);
        Ok(())
    }

    /// A key of the innermost mapping: remembered, or a duplicate.
    fn key(&mut self, node: Node, mark: Mark) -> Result<(), SpanError> {
        let Some(Frame::Map { seen, pending }) = self.frames.last_mut() else {
            return Ok(());
        };
        let Node::Scalar(key) = node else {
            // `? [a, b]: value`: a key serde cannot use as a field name
            // anyway; skip it and give its value an empty key.
            self.in_complex_key = 1;
            *pending = Some((Step::Key(String::new()), mark));
            return Ok(());
        };
        if let Some(first) = seen.get(&key) {
            return Err(SpanError::Duplicate {
                parent: show_path(&self.path),
                key,
                first: *first,
                second: mark,
            });
        }
        seen.insert(key.clone(), mark);
        *pending = Some((Step::Key(key), mark));
        Ok(())
    }

    /// A value: of the pending key, of the next list entry, or the root.
    fn value(&mut self, node: Node, mark: Mark) {
        let (step, key_mark) = match self.frames.last_mut() {
            Some(Frame::Map { pending, .. }) => match pending.take() {
                Some(p) => p,
                None => return,
            },
            Some(Frame::List { next }) => {
                *next += 1;
                (Step::Index(*next - 1), mark)
            }
            None => {
                if let Node::Open(is_map) = node {
                    self.frames.push(new_frame(is_map));
                    self.path.push(Step::Key(String::new()));
                    self.places.insert(
                        Vec::new(),
                        Place {
                            key: mark,
                            value: mark,
                        },
                    );
                }
                return;
            }
        };
        let mut here = self.path.get(1..).unwrap_or_default().to_vec();
        here.push(step.clone());
        self.places.insert(
            here,
            Place {
                key: key_mark,
                value: mark,
            },
        );
        if let Node::Open(is_map) = node {
            self.frames.push(new_frame(is_map));
            self.path.push(step);
        }
    }
}

fn new_frame(is_map: bool) -> Frame {
    if is_map {
        Frame::Map {
            seen: HashMap::new(),
            pending: None,
        }
    } else {
        Frame::List { next: 0 }
    }
}

/// `books.b.pages[2]` (the root step is skipped).
fn show_path(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path.iter().skip(1) {
        match step {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn syntax(err: ScanError) -> SpanError {
    SpanError::Syntax {
        message: err.info().to_string(),
        at: Mark {
            line: to_line(err.marker().line()),
            column: to_line(err.marker().col()).saturating_add(1),
        },
    }
}

/// A YAML config file read typed and indexed: duplicate keys are errors
/// naming both lines, syntax and type errors name the line serde (or the
/// indexer) stopped at. `what` heads the message (`invalid configuration`).
pub fn parse_typed<T: DeserializeOwned>(
    text: &str,
    path: &Path,
    what: &str,
) -> anyhow::Result<(T, YamlSpans)> {
    let spans = match YamlSpans::parse(text) {
        Ok(spans) => spans,
        Err(SpanError::Duplicate {
            parent,
            key,
            first,
            second,
        }) => {
            let within = if parent.is_empty() {
                String::new()
            } else {
                format!(" in `{parent}`")
            };
            return Err(Diagnostic::error(path, second.line, what)
                .with_column(second.column)
                .with_cause(format!(
                    "duplicate key `{key}`{within}: first given on line {}",
                    first.line
                ))
                .with_hint("keep one of them: otherwise the last one would silently win")
                .into());
        }
        Err(SpanError::Syntax { message, at }) => {
            // libyaml (through serde) has the messages users know; the
            // indexer's stands only where the two parsers disagree.
            serde_yaml::from_str::<T>(text).map_err(|e| serde_error(&e, path, what))?;
            return Err(Diagnostic::error(path, at.line, what)
                .with_column(at.column)
                .with_cause(message)
                .into());
        }
    };
    let typed = serde_yaml::from_str::<T>(text).map_err(|e| serde_error(&e, path, what))?;
    Ok((typed, spans))
}

fn serde_error(e: &serde_yaml::Error, path: &Path, what: &str) -> anyhow::Error {
    let (line, column) = e
        .location()
        .map(|l| (to_line(l.line()), to_line(l.column())))
        .unwrap_or((0, 0));
    Diagnostic::error(path, line, what)
        .with_column(column)
        .with_cause(strip_location(&e.to_string()))
        .into()
}

/// serde_yaml appends " at line L column C"; the diagnostic says where.
fn strip_location(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg.get(..i).unwrap_or(msg).to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
top: 1
books:
  a:
    title: A
    pages:
      - x.md
      - \"y.md\"
  b: { title: B, pages: [z.md, w.md] }
";

    #[test]
    fn keys_and_items_have_their_lines() {
        let s = YamlSpans::parse(TEXT).unwrap();
        let a = At::keys(&["books", "a"]);
        assert_eq!(s.key(&At::keys(&["top"])), Mark { line: 1, column: 1 });
        assert_eq!(s.key(&a.clone().key("title")).line, 4);
        assert_eq!(
            s.value(&a.clone().key("title")),
            Mark {
                line: 4,
                column: 12
            }
        );
        assert_eq!(
            s.key(&a.clone().key("pages").item(1)),
            Mark { line: 7, column: 9 }
        );
        let b = At::keys(&["books", "b"]);
        assert_eq!(
            s.value(&b.clone().key("pages").item(1)),
            Mark {
                line: 8,
                column: 32
            }
        );
        // A missing node is reported on its nearest parent.
        assert_eq!(s.key(&b.key("logo")).line, 8);
        assert_eq!(s.key(&At::keys(&["nothing"])).line, 1);
    }

    #[test]
    fn duplicate_keys_at_any_level_name_both_lines() {
        for (text, key, first, second) in [
            ("a: 1\nb: 2\na: 3\n", "a", 1, 3),
            (
                "books:\n  x:\n    title: 1\n  y: {}\n  x:\n    title: 2\n",
                "x",
                2,
                5,
            ),
            ("l:\n  - {k: 1, j: 2, k: 3}\n", "k", 2, 2),
            ("m:\n  n:\n    o: 1\n    \"o\": 2\n", "o", 3, 4),
        ] {
            match YamlSpans::parse(text) {
                Err(SpanError::Duplicate {
                    key: k,
                    first: f,
                    second: s,
                    ..
                }) => {
                    assert_eq!((k.as_str(), f.line, s.line), (key, first, second), "{text}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn typed_parse_reports_duplicates_and_syntax() {
        let err = parse_typed::<serde_yaml::Value>(
            "books:\n  x: 1\n  x: 2\n",
            Path::new("f.yaml"),
            "bad",
        )
        .unwrap_err();
        let d = err.downcast_ref::<Diagnostic>().unwrap();
        assert_eq!((d.line, d.column), (3, 3));
        assert!(
            d.cause
                .as_deref()
                .unwrap()
                .contains("first given on line 2"),
            "{d}"
        );

        let err =
            parse_typed::<serde_yaml::Value>("a: [1, 2\n", Path::new("f.yaml"), "bad").unwrap_err();
        let d = err.downcast_ref::<Diagnostic>().unwrap();
        assert!(d.line > 0, "{d}");
    }
}
