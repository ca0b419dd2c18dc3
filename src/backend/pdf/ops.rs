//! A content-stream buffer: PDF operators with their operands, numbers
//! rounded to thousandths (far below a device pixel), glyph ids as hex
//! strings. pdf-writer's `Content` writes a byte string in literal form
//! whenever its bytes are ASCII, which two-byte glyph ids below 128 always
//! are: `\000` escapes made content streams a third bigger than hex.

/// Properties of marked content beyond its id.
#[derive(Debug, Clone, Copy)]
pub enum Extra<'a> {
    /// The text is in this language (not the document's).
    Lang(&'a str),
    /// The glyphs read as this text (half of a split word).
    Actual(&'a str),
}

/// Operators and operands, appended in order.
pub struct Ops {
    buf: Vec<u8>,
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// What follows the backslash of each byte a literal string escapes (0:
/// none): its delimiters, the escape itself, and the line ends a reader
/// would otherwise normalise.
static ESCAPED: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'(' as usize] = b'(';
    t[b')' as usize] = b')';
    t[b'\\' as usize] = b'\\';
    t[b'\r' as usize] = b'r';
    t[b'\n' as usize] = b'n';
    t
};

/// Below this magnitude an `f32` converts to `i32` and back exactly.
const INT_EXACT: f32 = 16_777_216.0;

/// `x.round() as i64` (half away from zero, saturating) without a call
/// to libm's `round` (the baseline x86-64 target has no rounding
/// instruction, and a content stream rounds every operand).
pub fn round_f64(x: f64) -> i64 {
    let t = x as i64;
    // Exact: `x - trunc(x)` loses nothing below 2^53, and above it `x` is
    // whole (then `t` is `x`, or saturated and the difference irrelevant).
    let frac = x - t as f64;
    if frac >= 0.5 {
        t.saturating_add(1)
    } else if frac <= -0.5 {
        t.saturating_sub(1)
    } else {
        t
    }
}

/// `x.round()` for an `f32`, without libm's `roundf` (see [`round_f64`]).
pub fn round_f32(x: f32) -> f32 {
    // At or above 2^23 every `f32` is whole (and NaN and the infinities
    // go through as they are, as `round` leaves them).
    if x.is_nan() || x.abs() >= 8_388_608.0 {
        return x;
    }
    let t = x as i32;
    let frac = x - t as f32;
    let r = if frac >= 0.5 {
        t + 1
    } else if frac <= -0.5 {
        t - 1
    } else {
        t
    };
    // -0.5 < x < 0 rounds to -0.0, as `round` does.
    if r == 0 && x.is_sign_negative() {
        -0.0
    } else {
        r as f32
    }
}

impl Ops {
    /// An empty stream with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Ops {
        Ops {
            buf: Vec::with_capacity(capacity),
        }
    }

    /// A number operand: at most three decimals, no trailing zeros.
    pub fn num(&mut self, v: f32) -> &mut Ops {
        // Most operands (sizes, colours, matrix entries, whole offsets)
        // are whole numbers: no scaling or rounding for those.
        if v.abs() < INT_EXACT && v == (v as i32) as f32 {
            self.buf
                .extend_from_slice(itoa::Buffer::new().format(v as i32).as_bytes());
            self.buf.push(b' ');
            return self;
        }
        let v = if v.is_finite() { v } else { 0.0 };
        let milli = round_f64(f64::from(v) * 1000.0);
        if milli < 0 {
            self.buf.push(b'-');
        }
        let milli = milli.unsigned_abs();
        let (int, frac) = (milli / 1000, milli % 1000);
        self.buf
            .extend_from_slice(itoa::Buffer::new().format(int).as_bytes());
        if frac != 0 {
            // Three digits, then drop the trailing zeros.
            let frac = frac as u16;
            let digits = [
                b'.',
                b'0' + (frac / 100) as u8,
                b'0' + (frac / 10 % 10) as u8,
                b'0' + (frac % 10) as u8,
            ];
            let keep = if frac.is_multiple_of(100) {
                2
            } else if frac.is_multiple_of(10) {
                3
            } else {
                4
            };
            self.buf.extend_from_slice(&digits[..keep]);
        }
        self.buf.push(b' ');
        self
    }

    /// Several number operands.
    pub fn nums(&mut self, values: &[f32]) -> &mut Ops {
        for &v in values {
            self.num(v);
        }
        self
    }

    /// A name operand (`/Name`); `name` is a resource name folio made.
    pub fn name(&mut self, name: &str) -> &mut Ops {
        self.buf.push(b'/');
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.push(b' ');
        self
    }

    /// The operator ending the operation.
    pub fn op(&mut self, operator: &str) -> &mut Ops {
        self.buf.extend_from_slice(operator.as_bytes());
        self.buf.push(b'\n');
        self
    }

    /// Starts a `TJ` array.
    pub fn begin_array(&mut self) {
        self.buf.push(b'[');
    }

    /// A literal string of two-byte glyph ids inside a `TJ` array: two
    /// bytes a glyph where hex digits took four (they were half of every
    /// content stream's bytes, each one deflated and hashed). `(`, `)` and
    /// `\\` are escaped, and so are CR and LF, which a reader takes for
    /// line ends to normalise.
    pub fn glyphs(&mut self, ids: &[u16]) {
        self.buf.reserve(2 * ids.len() + 2);
        self.buf.push(b'(');
        for &id in ids {
            let [hi, lo] = id.to_be_bytes();
            if ESCAPED[usize::from(hi)] | ESCAPED[usize::from(lo)] == 0 {
                self.buf.extend_from_slice(&[hi, lo]);
                continue;
            }
            for byte in [hi, lo] {
                match ESCAPED[usize::from(byte)] {
                    0 => self.buf.push(byte),
                    escape => self.buf.extend_from_slice(&[b'\\', escape]),
                }
            }
        }
        self.buf.push(b')');
    }

    /// A position adjustment inside a `TJ` array.
    pub fn adjust(&mut self, v: f32) {
        self.num(v);
    }

    /// Ends the `TJ` array and writes the operator.
    pub fn end_array_tj(&mut self) {
        if self.buf.last() == Some(&b' ') {
            self.buf.pop();
        }
        self.buf.extend_from_slice(b"]TJ\n");
    }

    /// Opens marked content of structure type `kind` with id `mcid`
    /// (`/P <</MCID 0>> BDC`), with `extra` properties.
    pub fn begin_tagged(&mut self, kind: &str, mcid: u32, extra: Option<Extra>) {
        self.buf.push(b'/');
        self.buf.extend_from_slice(kind.as_bytes());
        self.buf.extend_from_slice(b" <</MCID ");
        self.buf
            .extend_from_slice(itoa::Buffer::new().format(mcid).as_bytes());
        match extra {
            // A language tag is letters, digits and hyphens: anything else
            // is left out rather than escaped.
            Some(Extra::Lang(lang)) => {
                self.buf.extend_from_slice(b" /Lang (");
                self.buf.extend(
                    lang.bytes()
                        .filter(|b| b.is_ascii_alphanumeric() || *b == b'-'),
                );
                self.buf.push(b')');
            }
            // UTF-16BE in hex: any text, nothing to escape.
            Some(Extra::Actual(text)) => {
                self.buf.extend_from_slice(b" /ActualText <FEFF");
                for unit in text.encode_utf16() {
                    for b in unit.to_be_bytes() {
                        self.buf.push(HEX[usize::from(b >> 4)]);
                        self.buf.push(HEX[usize::from(b & 15)]);
                    }
                }
                self.buf.push(b'>');
            }
            None => {}
        }
        self.buf.extend_from_slice(b">> BDC\n");
    }

    /// Opens an artifact: `properties` is its property dictionary's
    /// content (`/Type /Pagination /Subtype /Header`).
    pub fn begin_artifact(&mut self, properties: &str) {
        self.buf.extend_from_slice(b"/Artifact <<");
        self.buf.extend_from_slice(properties.as_bytes());
        self.buf.extend_from_slice(b">> BDC\n");
    }

    /// Closes marked content.
    pub fn end_marked(&mut self) {
        self.buf.extend_from_slice(b"EMC\n");
    }

    /// The stream's bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_exact_to_a_thousandth() {
        let mut ops = Ops::with_capacity(0);
        ops.nums(&[
            0.0,
            72.0,
            742.67004,
            -0.5,
            0.105882354,
            10.05,
            -0.0004,
            f32::NAN,
        ]);
        ops.op("X");
        assert_eq!(
            String::from_utf8(ops.into_bytes()).unwrap(),
            "0 72 742.67 -0.5 0.106 10.05 0 0 X\n"
        );
    }

    #[test]
    fn whole_and_huge_numbers_are_written_as_before() {
        let mut ops = Ops::with_capacity(0);
        ops.nums(&[-0.0, -7.0, 16_777_215.0, 1.0e9, -1.0e30, f32::INFINITY]);
        ops.op("X");
        assert_eq!(
            String::from_utf8(ops.into_bytes()).unwrap(),
            "0 -7 16777215 1000000000 -9223372036854775.808 0 X\n"
        );
    }

    #[test]
    fn rounding_without_libm_matches_round() {
        let mut values = vec![
            0.5f32,
            -0.5,
            1.5,
            -2.5,
            0.49999997,
            -0.3,
            -0.0,
            8_388_607.5,
            8_388_608.0,
            -1.0e20,
            f32::MAX,
            f32::INFINITY,
            f32::NEG_INFINITY,
        ];
        // A spread of values across magnitudes, both signs.
        values.extend((0..20_000).map(|i| (i as f32 - 10_000.0) * 0.0137));
        for v in values {
            assert_eq!(round_f32(v).to_bits(), v.round().to_bits(), "{v}");
            let x = f64::from(v) * 1000.0;
            assert_eq!(round_f64(x), x.round() as i64, "{v}");
        }
        assert!(round_f32(f32::NAN).is_nan());
        assert_eq!(round_f64(f64::NAN), 0);
    }

    #[test]
    fn marked_content_carries_its_id_and_properties() {
        let mut ops = Ops::with_capacity(0);
        ops.begin_tagged("P", 3, None);
        ops.begin_tagged("Span", 4, Some(Extra::Lang("de-CH) /X")));
        ops.begin_tagged("P", 5, Some(Extra::Actual("né")));
        ops.begin_artifact("/Type /Layout");
        assert_eq!(
            String::from_utf8(ops.into_bytes()).unwrap(),
            "/P <</MCID 3>> BDC\n/Span <</MCID 4 /Lang (de-CHX)>> BDC\n\
             /P <</MCID 5 /ActualText <FEFF006E00E9>>> BDC\n/Artifact <</Type /Layout>> BDC\n"
        );
    }

    #[test]
    fn glyph_ids_are_two_bytes_each_in_a_tj_array() {
        let mut ops = Ops::with_capacity(0);
        ops.begin_array();
        ops.glyphs(&[0x22, 0x1ab]);
        ops.adjust(20.0);
        // Bytes a string reader would take for its end, an escape or a
        // line end: escaped.
        ops.glyphs(&[0x28, 0x29, 0x5c0d, 0x0a07]);
        ops.end_array_tj();
        assert_eq!(
            ops.into_bytes(),
            b"[(\x00\x22\x01\xab)20 (\x00\\(\x00\\)\\\\\\r\\n\x07)]TJ\n".to_vec()
        );
    }
}
