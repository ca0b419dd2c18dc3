//! Which ISO standards a PDF claims to meet (`pdf: { standard: ... }` in
//! the style file, `--pdf-standard` on `folio build`): PDF/A-2u (archival:
//! XMP identification, an sRGB output intent, Unicode for every glyph) and
//! PDF/UA-1 (accessible: a tagged document that says so in its XMP). What
//! both need of fonts, annotations and metadata holds for every PDF folio
//! writes; a claim adds its XMP entries, and PDF/A the output intent.

use super::fonts::FontSet;
use super::write::Glyphs;
use serde::Deserialize;
use std::fmt;
use std::str::FromStr;

/// The standards a PDF claims; both by default (folio's press kit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standards {
    /// PDF/A-2u (ISO 19005-2, level U).
    pub pdfa_2u: bool,
    /// PDF/UA-1 (ISO 14289-1).
    pub pdfua_1: bool,
}

impl Default for Standards {
    fn default() -> Self {
        Standards {
            pdfa_2u: true,
            pdfua_1: true,
        }
    }
}

impl Standards {
    /// No claim at all (`none`).
    pub const NONE: Standards = Standards {
        pdfa_2u: false,
        pdfua_1: false,
    };

    /// Adds one standard by its name (`pdf/a-2u`, `pdf/ua-1`; any case), or
    /// says what the names are.
    fn add(&mut self, name: &str) -> Result<(), String> {
        match name.trim().to_ascii_lowercase().as_str() {
            "pdf/a-2u" => self.pdfa_2u = true,
            "pdf/ua-1" => self.pdfua_1 = true,
            "none" => {}
            "" => return Err("an empty PDF standard".into()),
            other => {
                return Err(format!(
                    "unknown PDF standard `{other}`; folio writes pdf/a-2u, pdf/ua-1, both (pdf/a-2u+pdf/ua-1) or none"
                ));
            }
        }
        Ok(())
    }

    /// Standards from their names; `none` may not be combined with one.
    fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, String> {
        let mut out = Standards::NONE;
        let mut none = false;
        let mut count = 0;
        for name in names {
            count += 1;
            none |= name.trim().eq_ignore_ascii_case("none");
            out.add(name)?;
        }
        if count == 0 {
            return Err("no PDF standard given (write `none` for no claim)".into());
        }
        if none && out != Standards::NONE {
            return Err("`none` cannot be combined with a PDF standard".into());
        }
        Ok(out)
    }

    /// What the file claims, given whether it is tagged: a PDF/UA claim
    /// needs the structure tree, so an untagged file makes none.
    pub fn claims(self, tagged: bool) -> Claims {
        Claims {
            pdfa_2u: self.pdfa_2u,
            pdfua_1: self.pdfua_1 && tagged,
        }
    }
}

/// The claims a written file makes (see [`Standards::claims`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Claims {
    pub pdfa_2u: bool,
    pub pdfua_1: bool,
}

/// Why the file cannot claim PDF/A-2u, which wants the Unicode text of
/// every glyph shown: the glyphs drawn for no text of their own (the later
/// glyphs of a cluster that shaping split, as in Devanagari conjuncts),
/// counted by font; `None` when every glyph has its text.
pub(super) fn unmapped_glyphs(fonts: &FontSet, glyphs: &Glyphs) -> Option<String> {
    let mut found = Vec::new();
    for (&face, used) in glyphs {
        // CID 0 is `.notdef`, in every subset and never shown.
        let count = (1..used.remap.num_gids())
            .filter(|&cid| used.texts.get(usize::from(cid)).is_none_or(|t| t.is_none()))
            .count();
        if count > 0 {
            found.push(format!("{count} of {}", fonts.face(face).file));
        }
    }
    (!found.is_empty()).then(|| {
        format!(
            "the PDF does not claim PDF/A-2u: glyphs that stand for no text of their own (the second and later glyphs of a shaped cluster) have no Unicode text, which PDF/A-2u asks of every glyph ({})",
            found.join(", ")
        )
    })
}

impl FromStr for Standards {
    type Err = String;

    /// `pdf/a-2u`, `pdf/ua-1`, `pdf/a-2u+pdf/ua-1` (`+` or `,` between
    /// names) or `none`.
    fn from_str(s: &str) -> Result<Self, String> {
        Standards::from_names(s.split(['+', ',']))
    }
}

impl fmt::Display for Standards {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.pdfa_2u, self.pdfua_1) {
            (true, true) => f.write_str("pdf/a-2u+pdf/ua-1"),
            (true, false) => f.write_str("pdf/a-2u"),
            (false, true) => f.write_str("pdf/ua-1"),
            (false, false) => f.write_str("none"),
        }
    }
}

impl<'de> Deserialize<'de> for Standards {
    /// A string as [`FromStr`] reads it, or a list of names.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Standards;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("pdf/a-2u, pdf/ua-1, pdf/a-2u+pdf/ua-1, a list of them, or none")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Standards, E> {
                v.parse().map_err(E::custom)
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Standards, A::Error> {
                let mut names: Vec<String> = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    names.push(name);
                }
                Standards::from_names(names.iter().map(String::as_str))
                    .map_err(serde::de::Error::custom)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// The style file's `pdf:` section: what the file claims to be.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PdfSection {
    /// The standards claimed (both when absent).
    #[serde(default)]
    pub standard: Standards,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_combine() {
        let both = Standards::default();
        assert_eq!("pdf/a-2u+pdf/ua-1".parse(), Ok(both));
        assert_eq!("PDF/UA-1, pdf/a-2u".parse(), Ok(both));
        assert_eq!(
            "pdf/a-2u".parse(),
            Ok(Standards {
                pdfa_2u: true,
                pdfua_1: false
            })
        );
        assert_eq!("none".parse(), Ok(Standards::NONE));
        for s in [both, Standards::NONE, "pdf/ua-1".parse().unwrap()] {
            assert_eq!(s.to_string().parse(), Ok(s));
        }
    }

    #[test]
    fn bad_names_are_refused() {
        let err = "pdf/a-1b".parse::<Standards>().unwrap_err();
        assert!(err.contains("unknown PDF standard `pdf/a-1b`"), "{err}");
        assert!("none+pdf/ua-1".parse::<Standards>().is_err());
        assert!("pdf/a-2u+".parse::<Standards>().is_err());
    }

    #[test]
    fn ua_claim_needs_tags() {
        let both = Standards::default();
        assert!(both.claims(true).pdfua_1);
        assert!(!both.claims(false).pdfua_1);
        assert!(both.claims(false).pdfa_2u);
    }

    #[test]
    fn style_section_reads_a_string_or_a_list() {
        let s: PdfSection = serde_yaml::from_str("standard: [pdf/a-2u]").unwrap();
        assert!(s.standard.pdfa_2u && !s.standard.pdfua_1);
        let s: PdfSection = serde_yaml::from_str("standard: none").unwrap();
        assert_eq!(s.standard, Standards::NONE);
        let s: PdfSection = serde_yaml::from_str("{}").unwrap();
        assert_eq!(s.standard, Standards::default());
        let e = serde_yaml::from_str::<PdfSection>("standard: pdf/x-4").unwrap_err();
        assert!(e.to_string().contains("pdf/x-4"), "{e}");
    }
}
