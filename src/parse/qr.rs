//! QR codes for Hugo's `qr` shortcode, encoded once (by the `qrcode`
//! crate) into the module grid the model keeps and every backend draws.

use qrcode::{Color, EcLevel, QrCode};

/// The rows of the QR code of `text` (`#` dark, `.` light) at Hugo's error
/// correction `level` (`low`, `medium`, `quartile`, `high`), or why there
/// is none.
pub(super) fn encode(text: &str, level: &str) -> Result<Vec<String>, String> {
    let ec = match level.trim().to_ascii_lowercase().as_str() {
        "low" | "l" => EcLevel::L,
        "medium" | "m" | "" => EcLevel::M,
        "quartile" | "q" => EcLevel::Q,
        "high" | "h" => EcLevel::H,
        other => {
            return Err(format!(
                "level `{other}` is not one of low, medium, quartile, high"
            ));
        }
    };
    let code = QrCode::with_error_correction_level(text.as_bytes(), ec).map_err(|e| {
        format!(
            "{} bytes of text cannot be encoded as a QR code ({e})",
            text.len()
        )
    })?;
    let width = code.width();
    let colors = code.to_colors();
    Ok(colors
        .chunks(width.max(1))
        .map(|row| {
            row.iter()
                .map(|c| if *c == Color::Dark { '#' } else { '.' })
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_a_square_with_finder_patterns() {
        let rows = encode("https://xmpp.org/", "medium").unwrap();
        let n = rows.len();
        assert!(n >= 21 && (n - 17).is_multiple_of(4), "{n}");
        assert!(rows.iter().all(|r| r.chars().count() == n));
        // The top-left finder pattern: a dark 7-module border.
        assert_eq!(&rows[0][..7], "#######");
        assert_eq!(&rows[1][..7], "#.....#");
        assert_eq!(&rows[3][..7], "#.###.#");
    }

    #[test]
    fn levels_and_limits() {
        let low = encode("x".repeat(100).as_str(), "low").unwrap();
        let high = encode("x".repeat(100).as_str(), "HIGH").unwrap();
        assert!(high.len() > low.len());
        assert!(encode("x", "extreme").unwrap_err().contains("low, medium"));
        assert!(encode(&"x".repeat(5000), "low").is_err());
    }
}
