//! SVG images read nothing outside the static root: every `href` they
//! hold resolves through folio's own resolver, or is not opened at all.
