//! The archive epub-builder makes: the package (OPF, nav, NCX), the cover
//! page and the stylesheet, with every chapter and image entry empty (they
//! get their bytes in the fix-ups). Everything it is made from is in one
//! [`Recipe`], so that `folio watch` can keep the archive of the last
//! build and reuse it while the recipe is the same: a page edit that
//! changes no title, file name or image leaves it as it was, and making it
//! (an entry compressed for each of the book's chapters, empty as they
//! are) was a tenth of a one-page EPUB rebuild on a 680-page book.

use super::{COVER_IMAGE, COVER_PAGE, epub_error};
use anyhow::Result;
use epub_builder::{
    EpubBuilder, EpubContent, EpubVersion, MetadataOpfV3, ReferenceType, ZipLibrary,
};
use std::sync::{Arc, Mutex};

/// Everything epub-builder is given. The archive is made from this and
/// nothing else ([`Recipe::archive`] reads only these fields), so equal
/// recipes make equal archives.
#[derive(Debug)]
pub(crate) struct Recipe<'a> {
    pub title: &'a str,
    pub authors: &'a [String],
    pub language: &'a str,
    pub direction: &'a str,
    pub toc_name: &'a str,
    pub description: Option<&'a str>,
    pub subjects: &'a [String],
    pub rights: Option<&'a str>,
    pub identifier: uuid::Uuid,
    pub modified: chrono::DateTime<chrono::Utc>,
    /// The publication date, when the book has one.
    pub published: Option<chrono::DateTime<chrono::Utc>>,
    pub properties: Vec<MetadataOpfV3>,
    pub stylesheet: &'a str,
    pub cover_page: &'a str,
    /// The chapters' file names, in reading order.
    pub chapters: Vec<&'a str>,
    /// The images' hrefs and media types, in order of first use.
    pub images: Vec<(&'a str, &'a str)>,
}

impl Recipe<'_> {
    /// The archive, from `kept` when it was made from an equal recipe
    /// (which it then keeps in any case).
    pub(crate) fn archive_kept(self, kept: Option<&KeptArchive>) -> Result<Arc<Vec<u8>>> {
        let Some(kept) = kept else {
            return self.archive().map(Arc::new);
        };
        // The derived Debug spells out every field (MetadataOpfV3 has no
        // PartialEq): equal text, equal recipe.
        let key = format!("{self:?}");
        let mut slot = kept.slot.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((kept_key, archive)) = slot.as_ref()
            && *kept_key == key
        {
            return Ok(Arc::clone(archive));
        }
        let archive = Arc::new(self.archive()?);
        *slot = Some((key, Arc::clone(&archive)));
        Ok(archive)
    }

    /// The archive epub-builder makes from this recipe.
    fn archive(self) -> Result<Vec<u8>> {
        let mut builder =
            EpubBuilder::new(ZipLibrary::new().map_err(epub_error)?).map_err(epub_error)?;
        builder.epub_version(EpubVersion::V30);
        builder.set_title(self.title);
        builder.set_authors(self.authors.to_vec());
        builder.set_languages(vec![self.language.to_string()]);
        // A right-to-left book turns its pages the other way (the spine's
        // `page-progression-direction`; epub-builder 0.8.3's `epub_direction`
        // sets a field its template does not read, the metadata key does).
        builder
            .metadata("direction", self.direction)
            .map_err(epub_error)?;
        builder.set_generator(format!("folio {}", env!("CARGO_PKG_VERSION")));
        builder.set_toc_name(self.toc_name);
        if let Some(description) = self.description {
            builder.add_description(description);
        }
        builder.set_subjects(self.subjects.to_vec());
        if let Some(rights) = self.rights {
            builder.set_license(rights);
        }
        builder.set_uuid(self.identifier);
        builder.set_modified_date(self.modified);
        if let Some(published) = self.published {
            builder.set_publication_date(published);
        }
        for property in self.properties {
            builder.add_metadata_opf(Box::new(property));
        }
        builder
            .stylesheet(self.stylesheet.as_bytes())
            .map_err(epub_error)?;
        builder
            .add_cover_image(COVER_IMAGE, &[][..], "image/png")
            .map_err(epub_error)?;
        builder
            .add_content(
                EpubContent::new(COVER_PAGE, self.cover_page.as_bytes())
                    .reftype(ReferenceType::Cover),
            )
            .map_err(epub_error)?;
        // The chapters go in without TOC titles: folio writes the navigation
        // itself (see `nav`), and fixups put it in place. They go in empty too,
        // and get their bytes, deflated by `entries`, at the re-pack.
        for (i, file) in self.chapters.iter().enumerate() {
            let mut content = EpubContent::new(*file, &[][..]);
            if i == 0 {
                content = content.reftype(ReferenceType::Text);
            }
            builder.add_content(content).map_err(epub_error)?;
        }
        // Images go in empty and get their bytes at the re-pack: epub-builder
        // would deflate the already compressed data, only to have it unpacked
        // again there.
        for (href, media_type) in &self.images {
            builder
                .add_resource(*href, &[][..], *media_type)
                .map_err(epub_error)?;
        }
        let mut raw = Vec::new();
        builder.generate(&mut raw).map_err(epub_error)?;
        Ok(raw)
    }
}

/// The archive of the last build and the recipe it was made from (as its
/// Debug text), kept by `folio watch` in the [`super::EntryMemo`].
#[derive(Debug, Default)]
pub(crate) struct KeptArchive {
    slot: Mutex<Option<(String, Arc<Vec<u8>>)>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recipe<'a>(chapters: Vec<&'a str>, title: &'a str) -> Recipe<'a> {
        Recipe {
            title,
            authors: &[],
            language: "en",
            direction: "ltr",
            toc_name: "Contents",
            description: None,
            subjects: &[],
            rights: None,
            identifier: uuid::Uuid::nil(),
            modified: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            published: None,
            properties: vec![MetadataOpfV3::new(
                "schema:accessMode".into(),
                "textual".into(),
            )],
            stylesheet: "body { margin: 0 }",
            cover_page: "<html/>",
            chapters,
            images: vec![],
        }
    }

    fn names(archive: &[u8]) -> Vec<String> {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(archive)).unwrap();
        (0..zip.len())
            .map(|i| zip.by_index(i).unwrap().name().to_string())
            .collect()
    }

    #[test]
    fn a_kept_archive_serves_only_an_equal_recipe() {
        let kept = KeptArchive::default();
        let first = recipe(vec!["a.xhtml", "b.xhtml"], "Book");
        let made = first.archive_kept(Some(&kept)).unwrap();
        let fresh = recipe(vec!["a.xhtml", "b.xhtml"], "Book")
            .archive()
            .unwrap();
        assert_eq!(*made, fresh, "kept or not, the same bytes");
        let again = recipe(vec!["a.xhtml", "b.xhtml"], "Book");
        assert!(Arc::ptr_eq(
            &made,
            &again.archive_kept(Some(&kept)).unwrap()
        ));
        // A chapter more, a title or a property changed: made anew.
        let more = recipe(vec!["a.xhtml", "b.xhtml", "c.xhtml"], "Book");
        let remade = more.archive_kept(Some(&kept)).unwrap();
        assert!(!Arc::ptr_eq(&made, &remade));
        assert!(names(&remade).iter().any(|n| n.ends_with("c.xhtml")));
        let retitled = recipe(vec!["a.xhtml", "b.xhtml", "c.xhtml"], "Other");
        let opf = |archive: &[u8]| {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(archive)).unwrap();
            let mut text = String::new();
            std::io::Read::read_to_string(
                &mut zip.by_name("OEBPS/content.opf").unwrap(),
                &mut text,
            )
            .unwrap();
            text
        };
        assert!(opf(&retitled.archive_kept(Some(&kept)).unwrap()).contains("Other"));
        let mut property = recipe(vec!["a.xhtml", "b.xhtml", "c.xhtml"], "Other");
        property.properties = vec![MetadataOpfV3::new(
            "schema:accessMode".into(),
            "visual".into(),
        )];
        assert!(opf(&property.archive_kept(Some(&kept)).unwrap()).contains("visual"));
    }
}
