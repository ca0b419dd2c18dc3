//! A self-contained binary: built-in fonts, style and templates, `folio init`.
