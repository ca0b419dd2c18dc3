//! Chapters laid out apart, each on whichever thread is free: what every
//! chapter's layout shares ([`Kit`]), what one hands back ([`Chapter`]:
//! its items numbered in its own structure tree, image table and link
//! numbers, with its warnings and missing characters), and the merge that
//! renumbers it into the book's tables in book order, giving the numbers
//! a layout of the whole book on one thread gives.

use super::{Layouter, NoteBlock, VItem};
use crate::backend::pdf::draw::DrawOp;
use crate::backend::pdf::fonts::LocalFonts;
use crate::backend::pdf::hyphen::Hyphenators;
use crate::backend::pdf::images::{ImageStore, Images};
use crate::backend::pdf::style::{self, Style};
use crate::backend::pdf::tags::{Graft, NodeId, ROOT, RunTag, StructTree, Tag};
use crate::backend::pdf::text::Setter;
use crate::diag::Diagnostics;
use crate::model::{Labels, Page};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

/// What the layout of every chapter (and of the front matter) shares:
/// read-only, or caches behind locks.
pub struct Kit<'a> {
    pub style: &'a Style,
    pub hyphens: &'a Hyphenators,
    pub images: Arc<ImageStore>,
    /// Text area: left edge, width and height.
    pub left: f32,
    pub width: f32,
    pub text_height: f32,
    /// The style file, for messages.
    pub style_file: PathBuf,
    pub labels: Labels,
    pub book_lang: String,
    pub rtl_book: bool,
}

impl Kit<'_> {
    /// A digest of what every chapter's layout depends on besides its page
    /// and the files the memo's owner watches ([`crate::backend::pdf::memo`]).
    pub fn digest(&self) -> Option<crate::backend::pdf::memo::Key> {
        let style = format!("{:?}", self.style);
        let labels = format!("{:?}", self.labels);
        let area: Vec<u8> = [self.left, self.width, self.text_height]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .chain([u8::from(self.rtl_book), u8::from(self.hyphens.enabled())])
            .collect();
        crate::backend::pdf::memo::digest(
            &[
                style.as_bytes(),
                labels.as_bytes(),
                self.book_lang.as_bytes(),
                self.style_file.as_os_str().as_encoded_bytes(),
                &area,
            ],
            None,
        )
    }

    /// A setter of text in `lang` with `fonts`.
    pub fn setter<'b>(&'b self, fonts: &'b LocalFonts, lang: String) -> Setter<'b> {
        let style = self.style;
        Setter {
            fonts,
            hyphens: self.hyphens,
            lang,
            rtl_book: self.rtl_book,
            link_color: style::color(&style.colors.link),
            code_scale: style.code.inline_scale,
            page_id: String::new(),
            pictures: Default::default(),
            link_notes: Default::default(),
            link_numbers: Default::default(),
        }
    }

    /// A layouter setting text in `lang` with `fonts`, numbering images in
    /// `images` and warning into `diags`.
    pub fn layouter<'b>(
        &'b self,
        fonts: &'b LocalFonts,
        images: &'b mut Images,
        diags: &'b mut Diagnostics,
        lang: String,
    ) -> Layouter<'b> {
        let style = self.style;
        let setter = self.setter(fonts, lang);
        let mut lay = Layouter::new(
            style,
            fonts,
            setter,
            images,
            diags,
            (self.left, self.width, self.text_height),
        );
        lay.style_file.clone_from(&self.style_file);
        lay.labels = self.labels.clone();
        lay.book_lang.clone_from(&self.book_lang);
        lay
    }

    /// `page` laid out as a chapter with `fonts` (this thread's), its text
    /// in `lang` unless it names its own language (`lang`: that of the
    /// page before, as on one thread).
    pub fn chapter(&self, fonts: &LocalFonts, page: &Page, lang: &str) -> Chapter {
        let mut images = Images::new(Arc::clone(&self.images));
        let mut diags = Diagnostics::default();
        let mut lay = self.layouter(fonts, &mut images, &mut diags, lang.to_string());
        let items = lay.chapter(page);
        let (depth, node) = lay.sects.last().copied().unwrap_or((page.depth, ROOT));
        let tags = std::mem::take(&mut lay.tags);
        let links = lay.setter.link_numbers.count();
        let lang = std::mem::take(&mut lay.setter.lang);
        drop(lay);
        Chapter {
            needs_system_fonts: fonts.needed_system(),
            items,
            tags,
            node,
            depth,
            images,
            links,
            notes: ChapterNotes {
                diags,
                missing: fonts.take_missing(),
                lang,
                source: page.source.clone(),
            },
        }
    }
}

/// A chapter laid out on its own: its items, numbered in its own tables.
#[derive(Clone)]
pub struct Chapter {
    items: Vec<VItem>,
    /// Its structure tree, whose root stands for the node it goes under.
    tags: StructTree,
    /// Its own node (`Sect` or `Part`), and how deep it nests.
    node: NodeId,
    depth: usize,
    images: Images,
    /// How many link numbers it used (from 1).
    links: u32,
    notes: ChapterNotes,
    /// Its text needed system fonts its thread left alone: it must be
    /// laid out again, in book order.
    needs_system_fonts: bool,
}

/// What a chapter's merge adds to the book besides its items and numbers:
/// its warnings and missing characters, and the language it ended in.
/// Kept apart so a page list's layout can merge it without the items
/// (the chapter's pagination kept, [`crate::backend::pdf::memo`]).
#[derive(Debug, Clone)]
pub struct ChapterNotes {
    diags: Diagnostics,
    missing: BTreeMap<char, PathBuf>,
    /// The language its text was set in, and its file.
    lang: String,
    source: PathBuf,
}

impl Chapter {
    /// How long it is, in points of column (its items' heights): what the
    /// layout threads count to know how far ahead of the writer they may
    /// run.
    pub fn height(&self) -> usize {
        // Saturating: a NaN height counts as none.
        self.items.iter().map(|i| i.height).sum::<f32>() as usize
    }

    /// Its warnings, missing characters and language.
    pub fn notes(&self) -> &ChapterNotes {
        &self.notes
    }

    /// Whether the chapter must be laid out again in book order (with a
    /// [`LocalFonts`] that loads system fonts), its text having needed them.
    pub fn needs_system_fonts(&self) -> bool {
        self.needs_system_fonts
    }

    /// The chapter with its images fetched from `store` (a chapter kept
    /// from an earlier build, whose images that build's writer took).
    pub fn with_images_from(mut self, store: &Arc<ImageStore>) -> anyhow::Result<Chapter> {
        self.images = self.images.refetch(store)?;
        Ok(self)
    }
}

impl Layouter<'_> {
    /// Takes `chapter` into the book being laid out by this layouter (the
    /// chapters in book order): its nodes, images and link numbers
    /// renumbered into this layouter's, its warnings and missing
    /// characters after those before it. Returns its items.
    pub fn merge(&mut self, chapter: Chapter) -> Vec<VItem> {
        let Chapter {
            mut items,
            tags,
            node,
            depth,
            images,
            links,
            notes,
            needs_system_fonts: _,
        } = chapter;
        while self.sects.last().is_some_and(|&(d, _)| d >= depth) {
            self.sects.pop();
        }
        let parent = self.sects.last().map_or(ROOT, |&(_, n)| n);
        let graft = self.tags.graft(tags, parent);
        self.sects.push((depth, graft.node(node)));
        let renumber = Renumber {
            graft,
            links: self.setter.link_numbers.count(),
            images: self.images.merge(images),
        };
        self.setter.link_numbers.skip(links);
        renumber.items(&mut items);
        self.merge_notes(notes);
        items
    }

    /// Takes a chapter's warnings, missing characters and language into
    /// the book, as its merge does.
    pub fn merge_notes(&mut self, notes: ChapterNotes) {
        let ChapterNotes {
            diags,
            missing,
            lang,
            source,
        } = notes;
        self.diags.extend(diags);
        self.fonts.add_missing(missing);
        self.setter.hyphens.note_page(&lang, &source);
        self.setter.lang = lang;
    }
}

/// A chapter's numbers to the book's.
struct Renumber {
    graft: Graft,
    /// Added to link numbers.
    links: u32,
    /// The book's number of each of the chapter's images.
    images: Vec<usize>,
}

/// Notes and table headers several items share, renumbered once (by the
/// address of what they shared).
#[derive(Default)]
struct Shared {
    notes: HashMap<usize, Arc<NoteBlock>>,
    headers: HashMap<usize, Arc<VItem>>,
}

impl Renumber {
    fn items(&self, items: &mut [VItem]) {
        let mut shared = Shared::default();
        for item in items {
            self.item(item, &mut shared);
        }
    }

    fn item(&self, item: &mut VItem, shared: &mut Shared) {
        self.ops(&mut item.ops);
        if let Some(tag) = &mut item.tag {
            self.tag(tag);
        }
        if let Some(header) = &mut item.header {
            let key = Arc::as_ptr(header) as usize;
            let done = match shared.headers.get(&key) {
                Some(done) => Arc::clone(done),
                None => {
                    let mut copy = VItem::clone(header);
                    self.item(&mut copy, shared);
                    let done = Arc::new(copy);
                    shared.headers.insert(key, Arc::clone(&done));
                    done
                }
            };
            *header = done;
        }
        for note in &mut item.notes {
            let key = Arc::as_ptr(note) as usize;
            let done = match shared.notes.get(&key) {
                Some(done) => Arc::clone(done),
                None => {
                    let mut copy = NoteBlock::clone(note);
                    self.ops(&mut copy.ops);
                    copy.tag = copy.tag.map(|n| self.graft.node(n));
                    let done = Arc::new(copy);
                    shared.notes.insert(key, Arc::clone(&done));
                    done
                }
            };
            *note = done;
        }
    }

    fn ops(&self, ops: &mut [DrawOp]) {
        for op in ops {
            match op {
                DrawOp::Text(run) => self.run_tag(&mut run.tag),
                DrawOp::Link { tag, .. } => self.run_tag(tag),
                DrawOp::Image { image, .. } => {
                    *image = self.images.get(*image).copied().unwrap_or(*image);
                }
                DrawOp::Mark(tag) => self.tag(tag),
                DrawOp::Rect { .. }
                | DrawOp::Frame { .. }
                | DrawOp::Line { .. }
                | DrawOp::PageNumberOf { .. } => {}
            }
        }
    }

    fn tag(&self, tag: &mut Tag) {
        if let Tag::Node(n) = tag {
            *n = self.graft.node(*n);
        }
    }

    fn run_tag(&self, tag: &mut RunTag) {
        if let RunTag::Link(n) | RunTag::Note(n) = tag {
            *n = n.wrapping_add(self.links);
        }
    }
}
