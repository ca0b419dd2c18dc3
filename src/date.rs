//! Dates: the one date a build writes (`SOURCE_DATE_EPOCH`) broken into
//! calendar fields, and the dates pages carry in their front matter, read
//! and shown as the site shows them: through a Go layout (Hugo's
//! `dateFormat`, e.g. `January 2, 2006`) or the language's usual form.
//! Calendar arithmetic is chrono's (already in the tree through
//! epub-builder); month and weekday names for the languages folio knows
//! are in [`names`]; the cover shows the build date the same way
//! ([`show_build_date`]).

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike, Utc};
use serde::{Serialize, Serializer};

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

/// A page's date as its author wrote it: the calendar day, and the time of
/// day when one is given. The time zone is not kept: a page dated
/// `2024-03-01T23:30:00-05:00` was written on March 1 where it was written,
/// and that is the day a reader is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PageDate {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
}

impl PageDate {
    /// `2024-03-01`: the machine-readable form (HTML's `<time datetime>`).
    pub fn iso(&self) -> String {
        self.date.format("%Y-%m-%d").to_string()
    }
}

impl Serialize for PageDate {
    /// `2024-03-01`, or `2024-03-01T10:00:00` with a time.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.time {
            Some(time) => s.serialize_str(&format!("{}T{}", self.iso(), time.format("%H:%M:%S"))),
            None => s.serialize_str(&self.iso()),
        }
    }
}

/// Reads a front-matter date: ISO 8601 / RFC 3339 (`2024-03-01`,
/// `2024-03-01T10:00:00Z`, `2024-03-01 10:00:00 +0200`), Pelican's
/// `2024-03-01 10:00`, RFC 2822, or `1 Mar 2024`. `None` for anything else
/// (the loader has already warned about a date it cannot read).
pub fn parse_page_date(text: &str) -> Option<PageDate> {
    let text = text.trim();
    if let Some(date) = text
        .get(..10)
        .filter(|head| head.as_bytes().get(4) == Some(&b'-'))
        .and_then(|head| NaiveDate::parse_from_str(head, "%Y-%m-%d").ok())
    {
        let rest = text.get(10..).unwrap_or_default();
        if rest.is_empty() {
            return Some(PageDate { date, time: None });
        }
        let time = rest.strip_prefix(['T', 't', ' '])?;
        // Fractions and zones after the seconds are not shown: left out.
        let time = time
            .get(..8)
            .and_then(|t| NaiveTime::parse_from_str(t, "%H:%M:%S").ok())
            .or_else(|| {
                time.get(..5)
                    .and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok())
            })?;
        return Some(PageDate {
            date,
            time: Some(time),
        });
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(text) {
        let local = t.naive_local();
        return Some(PageDate {
            date: local.date(),
            time: Some(local.time()),
        });
    }
    NaiveDate::parse_from_str(text, "%d %b %Y")
        .ok()
        .map(|date| PageDate { date, time: None })
}

/// `date` as a reader sees it: through the Go `layout` when the site sets
/// one (`params.dateFormat`), else in the usual long form of `lang`
/// (`January 2, 2006`; `2. Januar 2006`; `2 janvier 2006` ...). Month and
/// weekday names are in `lang` either way, as Hugo localises them.
pub fn show_date(date: &PageDate, layout: Option<&str>, lang: &str) -> String {
    let names = names(lang);
    if let Some(layout) = layout.filter(|l| !l.trim().is_empty()) {
        return format_go(date, layout, names);
    }
    match names.default_layout {
        // French writes the first of the month as an ordinal: « 1er mars ».
        Some(layout) if names.first_ordinal && date.date.day() == 1 => {
            format!(
                "1er {}",
                format_go(date, layout.trim_start_matches("2 "), names)
            )
        }
        Some(layout) => format_go(date, layout, names),
        None => date.iso(),
    }
}

/// The build date `ts` (Unix seconds, UTC) in the usual long form of
/// `lang` (`November 22, 2026`, `22. November 2026`, `22 de noviembre de
/// 2026`): the date on a cover.
pub fn show_build_date(ts: i64, lang: &str) -> String {
    let c = civil(ts);
    let date = NaiveDate::from_ymd_opt(c.year, c.month, c.day).unwrap_or_default();
    show_date(&PageDate { date, time: None }, None, lang)
}

/// One element of a Go layout (Go's `time` package, `nextStdChunk`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chunk {
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekday,
    Weekday,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    Pm,
    PmLower,
    /// A time zone name or offset, or fractional seconds: page dates keep
    /// neither, so they are left out.
    Unknown,
}

/// The layout element `s` starts with and its length in bytes; `None`
/// when `s` starts with literal text.
fn chunk(s: &str) -> Option<(Chunk, usize)> {
    let lower_at = |i: usize| s.as_bytes().get(i).is_some_and(u8::is_ascii_lowercase);
    let starts = |p: &str| s.starts_with(p);
    let first = *s.as_bytes().first()?;
    Some(match first {
        b'J' if starts("January") => (Chunk::LongMonth, 7),
        b'J' if starts("Jan") && !lower_at(3) => (Chunk::Month, 3),
        b'M' if starts("Monday") => (Chunk::LongWeekday, 6),
        b'M' if starts("Mon") && !lower_at(3) => (Chunk::Weekday, 3),
        b'M' if starts("MST") => (Chunk::Unknown, 3),
        b'0' if starts("002") => (Chunk::ZeroYearDay, 3),
        b'0' => match s.as_bytes().get(1) {
            Some(b'1') => (Chunk::ZeroMonth, 2),
            Some(b'2') => (Chunk::ZeroDay, 2),
            Some(b'3') => (Chunk::ZeroHour12, 2),
            Some(b'4') => (Chunk::ZeroMinute, 2),
            Some(b'5') => (Chunk::ZeroSecond, 2),
            Some(b'6') => (Chunk::Year, 2),
            _ => return None,
        },
        b'1' if starts("15") => (Chunk::Hour, 2),
        b'1' => (Chunk::NumMonth, 1),
        b'2' if starts("2006") => (Chunk::LongYear, 4),
        b'2' => (Chunk::Day, 1),
        // `_2006` is a literal `_` before the year.
        b'_' if starts("_2") && !starts("_2006") => (Chunk::UnderDay, 2),
        b'_' if starts("__2") => (Chunk::UnderYearDay, 3),
        b'3' => (Chunk::Hour12, 1),
        b'4' => (Chunk::Minute, 1),
        b'5' => (Chunk::Second, 1),
        b'P' if starts("PM") => (Chunk::Pm, 2),
        b'p' if starts("pm") => (Chunk::PmLower, 2),
        b'-' | b'Z' => {
            let zone = ["070000", "07:00:00", "0700", "07:00", "07"]
                .iter()
                .find(|z| s.get(1..).is_some_and(|rest| rest.starts_with(*z)))?;
            (Chunk::Unknown, 1 + zone.len())
        }
        b'.' | b',' => {
            let digits = s
                .bytes()
                .skip(1)
                .take_while(|b| *b == b'0' || *b == b'9')
                .count();
            let next_is_digit = s.as_bytes().get(1 + digits).is_some_and(u8::is_ascii_digit);
            if digits == 0 || next_is_digit {
                return None;
            }
            (Chunk::Unknown, 1 + digits)
        }
        _ => return None,
    })
}

/// `date` through the Go `layout`, with `names` for months and weekdays.
fn format_go(date: &PageDate, layout: &str, names: &Names) -> String {
    let d = date.date;
    let t = date.time.unwrap_or_default();
    let month = d.month0() as usize;
    let weekday = d.weekday().num_days_from_monday() as usize;
    let hour12 = match t.hour() % 12 {
        0 => 12,
        h => h,
    };
    let mut out = String::with_capacity(layout.len() + 8);
    let mut rest = layout;
    while let Some(c) = rest.chars().next() {
        let Some((chunk, len)) = chunk(rest) else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        };
        rest = rest.get(len..).unwrap_or_default();
        let text = match chunk {
            Chunk::LongMonth => names.months[month].to_string(),
            Chunk::Month => names.months_short[month].to_string(),
            Chunk::NumMonth => d.month().to_string(),
            Chunk::ZeroMonth => format!("{:02}", d.month()),
            Chunk::LongWeekday => names.weekdays[weekday].to_string(),
            Chunk::Weekday => names.weekdays_short[weekday].to_string(),
            Chunk::Day => d.day().to_string(),
            Chunk::UnderDay => format!("{:>2}", d.day()),
            Chunk::ZeroDay => format!("{:02}", d.day()),
            Chunk::UnderYearDay => format!("{:>3}", d.ordinal()),
            Chunk::ZeroYearDay => format!("{:03}", d.ordinal()),
            Chunk::Hour => format!("{:02}", t.hour()),
            Chunk::Hour12 => hour12.to_string(),
            Chunk::ZeroHour12 => format!("{hour12:02}"),
            Chunk::Minute => t.minute().to_string(),
            Chunk::ZeroMinute => format!("{:02}", t.minute()),
            Chunk::Second => t.second().to_string(),
            Chunk::ZeroSecond => format!("{:02}", t.second()),
            Chunk::LongYear => format!("{:04}", d.year()),
            Chunk::Year => format!("{:02}", d.year().rem_euclid(100)),
            Chunk::Pm => (if t.hour() >= 12 { "PM" } else { "AM" }).to_string(),
            Chunk::PmLower => (if t.hour() >= 12 { "pm" } else { "am" }).to_string(),
            Chunk::Unknown => String::new(),
        };
        out.push_str(&text);
    }
    out
}

/// Month and weekday names of one language, and how it writes a date.
struct Names {
    months: [&'static str; 12],
    months_short: [&'static str; 12],
    /// Monday first.
    weekdays: [&'static str; 7],
    weekdays_short: [&'static str; 7],
    /// The usual long form as a Go layout; `None`: ISO 8601.
    default_layout: Option<&'static str>,
    /// The first of the month is written `1er` (French).
    first_ordinal: bool,
}

/// The months in English, January first (Hugo's permalinks and the PDF
/// cover write them too).
pub const ENGLISH_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The days of the week in English, Monday first (ISO 8601).
pub const ENGLISH_WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

const EN: Names = Names {
    months: ENGLISH_MONTHS,
    months_short: [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ],
    weekdays: ENGLISH_WEEKDAYS,
    weekdays_short: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    default_layout: Some("January 2, 2006"),
    first_ordinal: false,
};

const DE: Names = Names {
    months: [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    months_short: [
        "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.",
        "Dez.",
    ],
    weekdays: [
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Samstag",
        "Sonntag",
    ],
    weekdays_short: ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."],
    default_layout: Some("2. January 2006"),
    first_ordinal: false,
};

const FR: Names = Names {
    months: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    months_short: [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ],
    weekdays: [
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ],
    weekdays_short: ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."],
    default_layout: Some("2 January 2006"),
    first_ordinal: true,
};

const ES: Names = Names {
    months: [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    months_short: [
        "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic",
    ],
    weekdays: [
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
    ],
    weekdays_short: ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"],
    default_layout: Some("2 de January de 2006"),
    first_ordinal: false,
};

const IT: Names = Names {
    months: [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ],
    months_short: [
        "gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic",
    ],
    weekdays: [
        "lunedì",
        "martedì",
        "mercoledì",
        "giovedì",
        "venerdì",
        "sabato",
        "domenica",
    ],
    weekdays_short: ["lun", "mar", "mer", "gio", "ven", "sab", "dom"],
    default_layout: Some("2 January 2006"),
    first_ordinal: false,
};

const PT: Names = Names {
    months: [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ],
    months_short: [
        "jan.", "fev.", "mar.", "abr.", "mai.", "jun.", "jul.", "ago.", "set.", "out.", "nov.",
        "dez.",
    ],
    weekdays: [
        "segunda-feira",
        "terça-feira",
        "quarta-feira",
        "quinta-feira",
        "sexta-feira",
        "sábado",
        "domingo",
    ],
    weekdays_short: ["seg.", "ter.", "qua.", "qui.", "sex.", "sáb.", "dom."],
    default_layout: Some("2 de January de 2006"),
    first_ordinal: false,
};

const RO: Names = Names {
    months: [
        "ianuarie",
        "februarie",
        "martie",
        "aprilie",
        "mai",
        "iunie",
        "iulie",
        "august",
        "septembrie",
        "octombrie",
        "noiembrie",
        "decembrie",
    ],
    months_short: [
        "ian.", "feb.", "mar.", "apr.", "mai", "iun.", "iul.", "aug.", "sept.", "oct.", "nov.",
        "dec.",
    ],
    weekdays: [
        "luni",
        "marți",
        "miercuri",
        "joi",
        "vineri",
        "sâmbătă",
        "duminică",
    ],
    weekdays_short: ["lun.", "mar.", "mie.", "joi", "vin.", "sâm.", "dum."],
    default_layout: Some("2 January 2006"),
    first_ordinal: false,
};

/// English names in ISO 8601 form, for a language folio has no table for.
const OTHER: Names = Names {
    default_layout: None,
    ..EN
};

/// The names for BCP 47 tag `lang` (`pt-BR` uses Portuguese); English
/// names and ISO dates for a language without a table.
fn names(lang: &str) -> &'static Names {
    let primary = lang
        .trim()
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match primary.as_str() {
        "en" | "" => &EN,
        "de" => &DE,
        "fr" => &FR,
        "es" => &ES,
        "it" => &IT,
        "pt" => &PT,
        "ro" => &RO,
        _ => &OTHER,
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

    fn date(text: &str) -> PageDate {
        parse_page_date(text).unwrap_or_else(|| panic!("`{text}` should parse"))
    }

    #[test]
    fn reads_the_dates_sites_write() {
        let day = |text: &str| date(text).iso();
        assert_eq!(day("2024-03-01"), "2024-03-01");
        assert_eq!(day(" 2011-11-10 13:51 "), "2011-11-10");
        assert_eq!(day("2024-03-01T23:30:00-05:00"), "2024-03-01");
        assert_eq!(day("2024-03-01T10:00:00.123Z"), "2024-03-01");
        assert_eq!(day("Fri, 01 Mar 2024 10:00:00 +0000"), "2024-03-01");
        assert_eq!(day("1 Mar 2024"), "2024-03-01");
        let t = date("2011-11-10 13:51").time.unwrap();
        assert_eq!((t.hour(), t.minute(), t.second()), (13, 51, 0));
        for bad in [
            "",
            "someday",
            "2024-13-01",
            "2024-02-30",
            "2024-3-1",
            "2024-03-01x",
            "é",
        ] {
            assert_eq!(parse_page_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn serializes_as_iso() {
        let json = |d: PageDate| serde_json::to_string(&d).unwrap();
        assert_eq!(json(date("2024-03-01")), "\"2024-03-01\"");
        assert_eq!(json(date("2024-03-01 09:05")), "\"2024-03-01T09:05:00\"");
    }

    #[test]
    fn go_layouts() {
        let d = date("2024-03-05T14:07:09Z"); // a Tuesday
        let go = |layout: &str| show_date(&d, Some(layout), "en");
        assert_eq!(go("January 2, 2006"), "March 5, 2024");
        assert_eq!(go("Jan 2, 2006"), "Mar 5, 2024");
        assert_eq!(go("2006-01-02"), "2024-03-05");
        assert_eq!(go("02.01.2006"), "05.03.2024");
        assert_eq!(go("Monday, _2 Jan 06"), "Tuesday,  5 Mar 24");
        assert_eq!(go("Mon 1/2"), "Tue 3/5");
        assert_eq!(go("15:04:05 3:04PM pm"), "14:07:09 2:07PM pm");
        assert_eq!(go("day 002 of 2006"), "day 065 of 2024");
        // Zones and fractions are not kept: left out, not shown wrong.
        assert_eq!(go("2006-01-02T15:04:05.000Z07:00"), "2024-03-05T14:07:09");
        assert_eq!(go("2006-01-02 MST"), "2024-03-05 ");
        // Literal text, including what merely looks like a token.
        assert_eq!(go("Janitor _2006 Monument"), "Janitor _2024 Monument");
        assert_eq!(go("« 2 » – ünïcode"), "« 5 » – ünïcode");
        assert_eq!(go(""), "March 5, 2024", "an empty layout: the default");
        // Localised names under the same layout, as Hugo does.
        assert_eq!(
            show_date(&d, Some("Monday 2 January"), "de"),
            "Dienstag 5 März"
        );
        assert_eq!(show_date(&d, Some("Jan"), "pt-BR"), "mar.");
    }

    #[test]
    fn language_defaults() {
        let d = date("2024-03-05");
        let first = date("2024-03-01");
        let show = |d: &PageDate, lang: &str| show_date(d, None, lang);
        assert_eq!(show(&d, "en"), "March 5, 2024");
        assert_eq!(show(&d, "en-GB"), "March 5, 2024");
        assert_eq!(show(&d, "de"), "5. März 2024");
        assert_eq!(show(&d, "fr"), "5 mars 2024");
        assert_eq!(show(&first, "fr"), "1er mars 2024");
        assert_eq!(show(&d, "es"), "5 de marzo de 2024");
        assert_eq!(show(&d, "it"), "5 marzo 2024");
        assert_eq!(show(&d, "pt-BR"), "5 de março de 2024");
        assert_eq!(show(&d, "ro"), "5 martie 2024");
        assert_eq!(show(&d, "ja"), "2024-03-05");
        // The cover's date, from Unix seconds (2026-11-22).
        let ts = 1_795_305_600;
        assert_eq!(show_build_date(ts, "en"), "November 22, 2026");
        assert_eq!(show_build_date(ts, "de"), "22. November 2026");
        assert_eq!(show_build_date(ts, "fr"), "22 novembre 2026");
        assert_eq!(show_build_date(ts, "es"), "22 de noviembre de 2026");
        assert_eq!(show_build_date(ts, "it"), "22 novembre 2026");
        assert_eq!(show_build_date(ts, "pt-BR"), "22 de novembro de 2026");
        assert_eq!(show_build_date(ts, "ro"), "22 noiembrie 2026");
        // A site's layout wins over the language's form.
        assert_eq!(
            show_date(&first, Some("2 January 2006"), "fr"),
            "1 mars 2024"
        );
    }
}
