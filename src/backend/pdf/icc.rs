//! The sRGB ICC profile of the PDF/A output intent, made in code (folio's
//! own bytes under folio's licence: no third-party profile to ship). A
//! version 2 display profile with the nine tags a matrix/TRC RGB profile
//! needs: description, copyright, white point, the three colorants (the
//! sRGB primaries, Bradford-adapted from D65 to the D50 connection space)
//! and the three tone curves (one shared table of the sRGB curve).

/// The output condition the profile stands for, as PDF/A names it.
pub const CONDITION: &str = "sRGB IEC61966-2.1";

/// What the profile's `desc` tag and the output intent's `/Info` say.
pub const DESCRIPTION: &str = "sRGB IEC61966-2.1 (folio)";

const COPYRIGHT: &str = "No copyright, use freely";

/// Entries of the tone curve table (2 KB; a finer table changes nothing a
/// viewer shows).
const CURVE_POINTS: usize = 1024;

/// sRGB chromaticities (IEC 61966-2-1): red, green, blue, white (D65).
const PRIMARIES: [[f64; 2]; 3] = [[0.64, 0.33], [0.30, 0.60], [0.15, 0.06]];
const WHITE_D65: [f64; 2] = [0.3127, 0.3290];

/// The profile connection space's white, D50 as ICC rounds it.
const D50: [f64; 3] = [0.9642, 1.0, 0.8249];

/// The Bradford cone response matrix.
const BRADFORD: [[f64; 3]; 3] = [
    [0.8951, 0.2664, -0.1614],
    [-0.7502, 1.7135, 0.0367],
    [0.0389, -0.0685, 1.0296],
];

type Matrix = [[f64; 3]; 3];

/// The profile's bytes.
pub fn srgb_profile() -> Vec<u8> {
    let columns = colorants();
    let white = xyz_of(WHITE_D65);
    // Tag data, each element 4-byte aligned; the three curves share one.
    let curve = curve_tag();
    let elements: [(&[u8; 4], Vec<u8>); 7] = [
        (b"desc", desc_tag(DESCRIPTION)),
        (b"cprt", text_tag(COPYRIGHT)),
        (b"wtpt", xyz_tag(white)),
        (b"rXYZ", xyz_tag(column(&columns, 0))),
        (b"gXYZ", xyz_tag(column(&columns, 1))),
        (b"bXYZ", xyz_tag(column(&columns, 2))),
        (b"rTRC", curve),
    ];
    let tag_count = elements.len() + 2;
    let table_end = 128 + 4 + 12 * tag_count;
    let mut data = Vec::new();
    let mut table = Vec::new();
    for (sig, bytes) in &elements {
        let at = table_end + data.len();
        table.push((**sig, at, bytes.len()));
        data.extend_from_slice(bytes);
        while data.len() % 4 != 0 {
            data.push(0);
        }
    }
    if let Some(&(_, at, len)) = table.last() {
        table.push((*b"gTRC", at, len));
        table.push((*b"bTRC", at, len));
    }
    let size = table_end + data.len();
    let mut out = Vec::with_capacity(size);
    header(&mut out, size);
    push_u32(&mut out, tag_count);
    for (sig, at, len) in table {
        out.extend_from_slice(&sig);
        push_u32(&mut out, at);
        push_u32(&mut out, len);
    }
    out.extend_from_slice(&data);
    out
}

/// The 128-byte header of a version 2.1 RGB display profile.
fn header(out: &mut Vec<u8>, size: usize) {
    push_u32(out, size);
    out.extend_from_slice(&[0; 4]); // preferred CMM: any
    out.extend_from_slice(&[2, 0x10, 0, 0]); // version 2.1.0
    out.extend_from_slice(b"mntr");
    out.extend_from_slice(b"RGB ");
    out.extend_from_slice(b"XYZ ");
    // Creation date, fixed: the profile is the same in every build.
    for v in [2026u16, 1, 1, 0, 0, 0] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(b"acsp");
    // Platform, flags, manufacturer, model, attributes (8), intent:
    // none, perceptual.
    out.extend_from_slice(&[0; 4 + 4 + 4 + 4 + 8 + 4]);
    for v in D50 {
        push_s15f16(out, v);
    }
    // Creator, then the profile id (version 4 only) and reserved bytes.
    out.extend_from_slice(&[0; 4 + 16 + 28]);
}

/// `textDescriptionType`: ASCII, no Unicode or ScriptCode text.
fn desc_tag(text: &str) -> Vec<u8> {
    let mut t = b"desc\0\0\0\0".to_vec();
    push_u32(&mut t, text.len() + 1);
    t.extend_from_slice(text.as_bytes());
    t.push(0);
    // Unicode language and count, ScriptCode code and count, and the
    // ScriptCode string's fixed 67 bytes.
    t.extend_from_slice(&[0; 4 + 4 + 2 + 1 + 67]);
    t
}

/// `textType`: NUL-terminated ASCII.
fn text_tag(text: &str) -> Vec<u8> {
    let mut t = b"text\0\0\0\0".to_vec();
    t.extend_from_slice(text.as_bytes());
    t.push(0);
    t
}

fn xyz_tag(xyz: [f64; 3]) -> Vec<u8> {
    let mut t = b"XYZ \0\0\0\0".to_vec();
    for v in xyz {
        push_s15f16(&mut t, v);
    }
    t
}

/// `curveType`: the sRGB transfer function sampled at evenly spaced inputs.
fn curve_tag() -> Vec<u8> {
    let mut t = b"curv\0\0\0\0".to_vec();
    push_u32(&mut t, CURVE_POINTS);
    for i in 0..CURVE_POINTS {
        let v = srgb_to_linear(i as f64 / (CURVE_POINTS - 1) as f64);
        t.extend_from_slice(&((v * 65535.0).round() as u16).to_be_bytes());
    }
    t
}

/// The sRGB decoding function (IEC 61966-2-1).
pub fn srgb_to_linear(v: f64) -> f64 {
    if v <= 0.04045 {
        v / 12.92
    } else {
        ((v + 0.055) / 1.055).powf(2.4)
    }
}

/// The sRGB primaries' XYZ under D50: the RGB to XYZ matrix (columns red,
/// green, blue) from the chromaticities, adapted from D65 with Bradford.
pub fn colorants() -> Matrix {
    let xyz: Vec<[f64; 3]> = PRIMARIES.iter().map(|&p| xyz_of(p)).collect();
    let mut m: Matrix = [[0.0; 3]; 3];
    for (col, p) in xyz.iter().enumerate() {
        for (row, line) in m.iter_mut().enumerate() {
            line[col] = p[row];
        }
    }
    // Scale each primary so that R = G = B = 1 gives the white.
    let white = xyz_of(WHITE_D65);
    let s = apply(&invert(&m), white);
    for line in &mut m {
        for (v, k) in line.iter_mut().zip(s) {
            *v *= k;
        }
    }
    let src = apply(&BRADFORD, white);
    let dst = apply(&BRADFORD, D50);
    let mut scale: Matrix = [[0.0; 3]; 3];
    for i in 0..3 {
        scale[i][i] = dst[i] / src[i];
    }
    let adapt = multiply(&invert(&BRADFORD), &multiply(&scale, &BRADFORD));
    multiply(&adapt, &m)
}

/// XYZ (Y = 1) of chromaticity `x`, `y`.
fn xyz_of([x, y]: [f64; 2]) -> [f64; 3] {
    [x / y, 1.0, (1.0 - x - y) / y]
}

fn column(m: &Matrix, c: usize) -> [f64; 3] {
    [m[0][c], m[1][c], m[2][c]]
}

fn apply(m: &Matrix, v: [f64; 3]) -> [f64; 3] {
    m.map(|row| row[0] * v[0] + row[1] * v[1] + row[2] * v[2])
}

fn multiply(a: &Matrix, b: &Matrix) -> Matrix {
    let mut out = [[0.0; 3]; 3];
    for (i, line) in out.iter_mut().enumerate() {
        for (j, v) in line.iter_mut().enumerate() {
            *v = (0..3).map(|k| a[i][k] * b[k][j]).sum();
        }
    }
    out
}

/// The inverse by cofactors (the matrices here are far from singular).
fn invert(m: &Matrix) -> Matrix {
    let c = |r: usize, k: usize| {
        let (r1, r2) = ((r + 1) % 3, (r + 2) % 3);
        let (k1, k2) = ((k + 1) % 3, (k + 2) % 3);
        m[r1][k1] * m[r2][k2] - m[r1][k2] * m[r2][k1]
    };
    let det = m[0][0] * c(0, 0) + m[0][1] * c(0, 1) + m[0][2] * c(0, 2);
    let mut out = [[0.0; 3]; 3];
    for (i, line) in out.iter_mut().enumerate() {
        for (j, v) in line.iter_mut().enumerate() {
            *v = c(j, i) / det;
        }
    }
    out
}

fn push_u32(out: &mut Vec<u8>, v: usize) {
    out.extend_from_slice(&u32::try_from(v).unwrap_or(u32::MAX).to_be_bytes());
}

/// An `s15Fixed16Number`.
fn push_s15f16(out: &mut Vec<u8>, v: f64) {
    out.extend_from_slice(&((v * 65536.0).round() as i32).to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u32_at(b: &[u8], at: usize) -> usize {
        u32::from_be_bytes(b[at..at + 4].try_into().unwrap()) as usize
    }

    fn s15f16_at(b: &[u8], at: usize) -> f64 {
        f64::from(i32::from_be_bytes(b[at..at + 4].try_into().unwrap())) / 65536.0
    }

    /// Tag signature → (offset, size), each checked to lie in the profile.
    fn tags(p: &[u8]) -> std::collections::HashMap<[u8; 4], (usize, usize)> {
        let count = u32_at(p, 128);
        let mut out = std::collections::HashMap::new();
        for i in 0..count {
            let e = 132 + 12 * i;
            let sig: [u8; 4] = p[e..e + 4].try_into().unwrap();
            let (at, len) = (u32_at(p, e + 4), u32_at(p, e + 8));
            assert_eq!(at % 4, 0, "{sig:?} not aligned");
            assert!(at >= 132 + 12 * count && at + len <= p.len(), "{sig:?}");
            out.insert(sig, (at, len));
        }
        out
    }

    #[test]
    fn header_and_tag_table_hold() {
        let p = srgb_profile();
        assert_eq!(u32_at(&p, 0), p.len());
        assert_eq!(p.len() % 4, 0);
        assert_eq!(&p[8..10], &[2, 0x10]);
        assert_eq!(&p[12..24], b"mntrRGB XYZ ");
        assert_eq!(&p[36..40], b"acsp");
        assert!((s15f16_at(&p, 68) - 0.9642).abs() < 1e-4);
        let t = tags(&p);
        assert_eq!(t.len(), 9);
        let types = [
            (b"desc", b"desc"),
            (b"cprt", b"text"),
            (b"wtpt", b"XYZ "),
            (b"rXYZ", b"XYZ "),
            (b"gXYZ", b"XYZ "),
            (b"bXYZ", b"XYZ "),
            (b"rTRC", b"curv"),
            (b"gTRC", b"curv"),
            (b"bTRC", b"curv"),
        ];
        for (sig, kind) in types {
            let (at, _) = t[sig];
            assert_eq!(&p[at..at + 4], kind, "{}", String::from_utf8_lossy(sig));
        }
        let (at, len) = t[b"desc"];
        let n = u32_at(&p, at + 8);
        assert_eq!(&p[at + 12..at + 12 + n], b"sRGB IEC61966-2.1 (folio)\0");
        assert_eq!(len, 12 + n + 78);
        // Same input, same bytes.
        assert_eq!(p, srgb_profile());
    }

    #[test]
    fn colorants_are_srgb_under_d50() {
        let p = srgb_profile();
        let t = tags(&p);
        // The values of the ICC's own sRGB profiles.
        let expected = [
            (b"rXYZ", [0.4361, 0.2225, 0.0139]),
            (b"gXYZ", [0.3851, 0.7169, 0.0971]),
            (b"bXYZ", [0.1431, 0.0606, 0.7141]),
            (b"wtpt", [0.9505, 1.0, 1.0891]),
        ];
        for (sig, xyz) in expected {
            let (at, _) = t[sig];
            for (i, v) in xyz.iter().enumerate() {
                let got = s15f16_at(&p, at + 8 + 4 * i);
                assert!((got - v).abs() < 6e-4, "{sig:?}[{i}] {got} != {v}");
            }
        }
        // The colorants add up to the connection space's white.
        let m = colorants();
        for (row, d50) in m.iter().zip(D50) {
            assert!((row.iter().sum::<f64>() - d50).abs() < 1e-9);
        }
    }

    #[test]
    fn curve_is_the_srgb_curve() {
        let p = srgb_profile();
        let (at, len) = tags(&p)[b"gTRC"];
        let n = u32_at(&p, at + 8);
        assert_eq!(n, CURVE_POINTS);
        assert_eq!(len, 12 + 2 * n);
        let v = |i: usize| u16::from_be_bytes([p[at + 12 + 2 * i], p[at + 13 + 2 * i]]);
        assert_eq!((v(0), v(n - 1)), (0, 65535));
        assert!((1..n).all(|i| v(i) >= v(i - 1)));
        // Mid grey (input 0.5) is 21.4 % linear light.
        let mid = f64::from(v(511)) / 65535.0;
        assert!((mid - srgb_to_linear(511.0 / 1023.0)).abs() < 1e-4);
        assert!((srgb_to_linear(0.5) - 0.214).abs() < 1e-3);
    }
}
