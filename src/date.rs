//! The one date a build writes (`SOURCE_DATE_EPOCH`) broken into calendar
//! fields, through chrono (already in the tree through epub-builder) rather
//! than hand-written calendar arithmetic.

use chrono::{DateTime, Datelike, Timelike, Utc};

/// A UTC calendar date and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

/// The UTC calendar date of Unix seconds `ts` (out-of-range values clamp to
/// the Unix epoch).
pub fn civil(ts: i64) -> Civil {
    let t: DateTime<Utc> = DateTime::from_timestamp(ts, 0).unwrap_or_default();
    Civil {
        year: t.year(),
        month: t.month(),
        day: t.day(),
        hour: t.hour(),
        minute: t.minute(),
        second: t.second(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(
            civil(0),
            Civil {
                year: 1970,
                month: 1,
                day: 1,
                hour: 0,
                minute: 0,
                second: 0
            }
        );
        let leap = civil(951_782_400 + 3_723); // 2000-02-29 01:02:03
        assert_eq!((leap.year, leap.month, leap.day), (2000, 2, 29));
        assert_eq!((leap.hour, leap.minute, leap.second), (1, 2, 3));
        assert_eq!(civil(1_700_000_000).year, 2023);
    }
}
