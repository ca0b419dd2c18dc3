//! Resource limits: huge or decompression-bomb images and SVGs are refused
//! with a warning and a placeholder, never an abort or a runaway allocation.
