//! The exercise link as a QR code, drawn by the page as one SVG path (no
//! network, no image). The `qrcode` crate does the encoding (its default
//! features, an image renderer among them, are off); the drawing is a few
//! lines here because its SVG renderer writes a whole XML document, and the
//! page wants a path it can place in its own `<svg>` and colour by CSS.

use qrcode::{EcLevel, QrCode};

/// Light modules around the code, as the standard asks (4).
pub const QUIET_ZONE: usize = 4;
/// Bytes the largest QR code (version 40) holds at low error correction.
pub const MAX_BYTES: usize = 2953;
/// Above this many modules a side (version 22) a code printed small gets
/// hard for a phone to read: the handout prints it larger.
pub const DENSE_MODULES: usize = 105;

/// A QR code ready to draw: a square of `size` modules (the quiet zone
/// included) and the dark modules as one SVG path in module units.
#[derive(Clone, Debug, PartialEq)]
pub struct QrShape {
    pub size: usize,
    /// Modules a side without the quiet zone.
    pub modules: usize,
    pub path: String,
}

impl QrShape {
    /// Whether the code is dense enough to print large.
    pub fn dense(&self) -> bool {
        self.modules > DENSE_MODULES
    }
}

/// The QR code of `text`: medium error correction (15% of the code may be
/// lost: a crease, a smudge) when it fits, else low. A text too long for any
/// QR code gives the message the page shows in its place.
pub fn qr(text: &str) -> Result<QrShape, String> {
    let code = QrCode::with_error_correction_level(text, EcLevel::M)
        .or_else(|_| QrCode::with_error_correction_level(text, EcLevel::L))
        .map_err(|_| {
            format!(
                "This link is too long for a QR code ({} characters; a QR code holds at most {}). \
                 Hand out the link itself, or shorten the task.",
                crate::format::count(text.len() as f64),
                crate::format::count(MAX_BYTES as f64)
            )
        })?;
    let modules = code.width();
    let dark: Vec<bool> = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Ok(QrShape {
        size: modules + 2 * QUIET_ZONE,
        modules,
        path: path(&dark, modules),
    })
}

/// The dark modules of a `width`-square grid (row-major) as one path: a
/// rectangle per run of dark modules in a row, shifted by the quiet zone.
pub fn path(dark: &[bool], width: usize) -> String {
    use std::fmt::Write as _;
    let mut d = String::new();
    for (y, row) in dark.chunks(width.max(1)).enumerate() {
        let mut x = 0;
        while x < row.len() {
            if !row[x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < row.len() && row[x] {
                x += 1;
            }
            let _ = write!(
                d,
                "M{} {}h{}v1h-{}z",
                start + QUIET_ZONE,
                y + QUIET_ZONE,
                x - start,
                x - start
            );
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dark modules a path draws, read back from its rectangles.
    fn painted(path: &str, size: usize) -> Vec<bool> {
        let mut grid = vec![false; size * size];
        for rect in path.split('M').filter(|r| !r.is_empty()) {
            let nums: Vec<usize> = rect
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap())
                .collect();
            let (x, y, w) = (nums[0], nums[1], nums[2]);
            for i in x..x + w {
                grid[y * size + i] = true;
            }
        }
        grid
    }

    #[test]
    fn the_path_draws_exactly_the_dark_modules() {
        let text = "https://example.org/#v=1&seed=1&trials=10000&s=eyJ2ZXJzaW9uIjoxfQ";
        let shape = qr(text).unwrap();
        let code = QrCode::new(text).unwrap();
        assert_eq!(shape.modules, code.width());
        assert_eq!(shape.size, code.width() + 8);
        let grid = painted(&shape.path, shape.size);
        let colors = code.to_colors();
        for y in 0..shape.size {
            for x in 0..shape.size {
                let inside = (QUIET_ZONE..QUIET_ZONE + shape.modules).contains(&x)
                    && (QUIET_ZONE..QUIET_ZONE + shape.modules).contains(&y);
                let want = inside
                    && colors[(y - QUIET_ZONE) * shape.modules + (x - QUIET_ZONE)]
                        == qrcode::Color::Dark;
                assert_eq!(grid[y * shape.size + x], want, "({x}, {y})");
            }
        }
        // The finder pattern's top row: seven dark modules from the corner.
        assert!(
            shape.path.starts_with("M4 4h7v1h-7z"),
            "{}",
            &shape.path[..40]
        );
        assert!(!shape.dense());
    }

    #[test]
    fn a_link_too_long_for_a_code_says_so() {
        let long = "x".repeat(MAX_BYTES + 1);
        let e = qr(&long).unwrap_err();
        assert!(
            e.contains("too long for a QR code (2,954 characters"),
            "{e}"
        );
        // The longest that fits, at low error correction.
        let fits = "x".repeat(MAX_BYTES);
        let shape = qr(&fits).unwrap();
        assert_eq!(shape.modules, 177);
        assert!(shape.dense());
    }
}
