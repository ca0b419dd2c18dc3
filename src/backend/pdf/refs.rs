//! Object numbers, handed out as the file is written. A page's object is
//! numbered the first time anything needs it (its own writing, a link or
//! an outline entry pointing at it), since pages are written as they are
//! laid out and links may point at pages laid out but not yet written.

use pdf_writer::Ref;

/// The next free object number, and each page's object by page index.
#[derive(Debug)]
pub struct Refs {
    next: i32,
    pages: Vec<Ref>,
}

impl Default for Refs {
    fn default() -> Self {
        Refs {
            next: 1,
            pages: Vec::new(),
        }
    }
}

impl Refs {
    /// A new object number.
    pub fn next(&mut self) -> Ref {
        let r = Ref::new(self.next);
        self.next += 1;
        r
    }

    /// The object of page `index` (numbered now if it has no number yet).
    pub fn page(&mut self, index: usize) -> Ref {
        while self.pages.len() <= index {
            let r = self.next();
            self.pages.push(r);
        }
        self.pages[index]
    }

    /// Every page's object numbered so far, by page index.
    pub fn pages(&self) -> &[Ref] {
        &self.pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_numbered_once_on_first_use() {
        let mut refs = Refs::default();
        let a = refs.next();
        let third = refs.page(2);
        let first = refs.page(0);
        assert_eq!(refs.page(2), third);
        let second = refs.page(1);
        assert_eq!(refs.pages(), &[first, second, third]);
        // Pages 0 to 2 were numbered together, when page 2 was first asked for.
        assert_eq!([a, first, second, third].map(|r| r.get()), [1, 2, 3, 4]);
        assert_eq!(refs.next().get(), 5);
    }
}
