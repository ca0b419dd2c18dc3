//! Deep nesting and quadratic blow-ups: no input aborts the process or
//! takes time or memory out of proportion to its size.
