//! Bundles, ordering, bylines and navigation at site scale.
