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

impl Ops {
    /// An empty stream with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Ops {
        Ops {
            buf: Vec::with_capacity(capacity),
        }
    }

    /// A number operand: at most three decimals, no trailing zeros.
    pub fn num(&mut self, v: f32) -> &mut Ops {
        let v = if v.is_finite() { v } else { 0.0 };
        let milli = (f64::from(v) * 1000.0).round() as i64;
        if milli < 0 {
            self.buf.push(b'-');
        }
        let milli = milli.unsigned_abs();
        let (int, frac) = (milli / 1000, milli % 1000);
        self.buf
            .extend_from_slice(itoa::Buffer::new().format(int).as_bytes());
        if frac != 0 {
            self.buf.push(b'.');
            // Three digits, then drop the trailing zeros.
            let digits = [frac / 100, frac / 10 % 10, frac % 10].map(|d| b'0' + d as u8);
            let keep = if frac % 100 == 0 {
                1
            } else if frac % 10 == 0 {
                2
            } else {
                3
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

    /// A hex string of two-byte glyph ids inside a `TJ` array.
    pub fn glyphs(&mut self, ids: &[u16]) {
        self.buf.reserve(4 * ids.len() + 2);
        self.buf.push(b'<');
        for id in ids {
            for b in id.to_be_bytes() {
                self.buf.push(HEX[usize::from(b >> 4)]);
                self.buf.push(HEX[usize::from(b & 15)]);
            }
        }
        self.buf.push(b'>');
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
    fn glyph_ids_are_hex_in_a_tj_array() {
        let mut ops = Ops::with_capacity(0);
        ops.begin_array();
        ops.glyphs(&[0x22, 0x1ab]);
        ops.adjust(20.0);
        ops.glyphs(&[7]);
        ops.end_array_tj();
        assert_eq!(
            String::from_utf8(ops.into_bytes()).unwrap(),
            "[<002201AB>20 <0007>]TJ\n"
        );
    }
}
