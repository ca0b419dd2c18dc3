//! Links and images as the web serves them, and covers that fit any logo.
