//! Broken configuration: every error names `folio.yaml:LINE:COL` (or the
//! style or template file), exits 1 and writes nothing.
