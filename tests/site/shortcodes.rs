//! Hugo's built-in shortcodes, data-driven widgets, smart punctuation, emoji.
