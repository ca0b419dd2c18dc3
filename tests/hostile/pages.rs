//! Pages from outside the content root are never read: `pages:` entries
//! with `..` or absolute paths, and symlinks out, are errors naming the
//! `folio.yaml` line that lists them.
