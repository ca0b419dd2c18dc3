//! `--site DIR`: Hugo's configuration, languages, permalinks and aliases.
