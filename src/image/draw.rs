//! Drawing an SVG tree to pixels within the limits: the pixmap (and what
//! resvg allocates besides it, see [`super::cost`]) never exceeds
//! `limits.image_pixels`, its sides never `limits.image_side`, and the
//! pixels painted never `limits.svg_work`. An SVG that would break them is
//! drawn smaller; one that cannot be drawn at a useful size is refused.

use super::cost::{self, Cost};
use crate::limits::Limits;
use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg;

/// The fewest pixels an SVG is scaled down to before it is refused: below
/// this a picture is a smudge, not worth printing.
const MIN_PIXELS: f64 = 64.0 * 64.0;

/// The size to draw a tree at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    pub width: u32,
    pub height: u32,
    /// Pixels per user unit, across and down.
    pub scale_x: f32,
    pub scale_y: f32,
}

/// The largest size up to `scale` pixels per user unit at which `tree`
/// can be drawn within `limits`; `Err` says why it cannot be drawn at all.
pub fn fit(tree: &usvg::Tree, scale: f64, limits: &Limits) -> Result<Fit, String> {
    let size = tree.size();
    let (w, h) = (f64::from(size.width()), f64::from(size.height()));
    let side = f64::from(limits.image_side.max(1));
    if w.max(h) / w.min(h) > side {
        return Err(format!(
            "is {} × {} (width × height): too thin to draw with sides of at most {} pixels (limits.image_side)",
            size.width(),
            size.height(),
            limits.image_side
        ));
    }
    let mut scale = scale.min(side / w.max(h));
    if !(scale.is_finite() && scale > 0.0) {
        return Err("has no size to draw".into());
    }
    let pixels = limits.image_pixels as f64;
    let work = limits.svg_work as f64;
    // Costs grow at least with the area, so a few rounds settle it.
    for _ in 0..32 {
        let Cost {
            memory,
            work: painted,
        } = cost::estimate(tree, scale);
        if memory <= pixels && painted <= work {
            return Ok(at_scale(w, h, scale));
        }
        if w * h * scale * scale <= MIN_PIXELS {
            return Err(too_costly(memory, painted, limits));
        }
        let room = (pixels / memory).min(work / painted);
        // Never below the smallest useful size: try that last.
        let smallest = (MIN_PIXELS / (w * h)).sqrt();
        scale = (scale * room.sqrt().min(0.9)).max(smallest);
    }
    let Cost {
        memory,
        work: painted,
    } = cost::estimate(tree, scale);
    Err(too_costly(memory, painted, limits))
}

fn at_scale(w: f64, h: f64, scale: f64) -> Fit {
    let width = (w * scale).round().max(1.0) as u32;
    let height = (h * scale).round().max(1.0) as u32;
    Fit {
        width,
        height,
        scale_x: (f64::from(width) / w) as f32,
        scale_y: (f64::from(height) / h) as f32,
    }
}

fn too_costly(memory: f64, work: f64, limits: &Limits) -> String {
    if memory > limits.image_pixels as f64 {
        format!(
            "would need {} of layers, patterns and filters to draw even at {MIN_PIXELS} pixels, over limits.image_pixels ({})",
            pixels(memory),
            pixels(limits.image_pixels as f64)
        )
    } else {
        format!(
            "would paint {} to draw even at {MIN_PIXELS} pixels, over limits.svg_work ({})",
            pixels(work),
            pixels(limits.svg_work as f64)
        )
    }
}

/// `40 megapixels`, or `4096 pixels` below a million.
fn pixels(n: f64) -> String {
    if n >= 1e6 {
        format!("{:.0} megapixels", n / 1e6)
    } else {
        format!("{n:.0} pixels")
    }
}

/// Draws `tree` at `fit` on a new transparent pixmap (premultiplied RGBA).
pub fn render(tree: &usvg::Tree, fit: Fit) -> Result<Pixmap, String> {
    let mut pixmap = Pixmap::new(fit.width, fit.height)
        .ok_or_else(|| format!("cannot make a {} × {} pixmap", fit.width, fit.height))?;
    resvg::render(
        tree,
        Transform::from_scale(fit.scale_x, fit.scale_y),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(svg: &str) -> usvg::Tree {
        usvg::Tree::from_str(svg, &usvg::Options::default()).unwrap()
    }

    #[test]
    fn huge_declared_sizes_are_drawn_within_the_budget() {
        let limits = Limits::default();
        let t = tree(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="1e7" height="1e7"><rect width="1e7" height="1e7"/></svg>"#,
        );
        let f = fit(&t, 1.0, &limits).unwrap();
        assert!(
            f.width <= limits.image_side && f.height <= limits.image_side,
            "{f:?}"
        );
        assert!(
            u64::from(f.width) * u64::from(f.height) <= limits.image_pixels,
            "{f:?}"
        );
        // A small picture keeps the size asked for.
        let small = tree(r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"/>"#);
        let f = fit(&small, 2.0, &limits).unwrap();
        assert_eq!((f.width, f.height), (200, 100));
    }

    #[test]
    fn absurd_shapes_and_costs_are_refused() {
        let limits = Limits::default();
        let thin = tree(r#"<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1e9"/>"#);
        let err = fit(&thin, 1.0, &limits).unwrap_err();
        assert!(err.contains("too thin"), "{err}");
        let noise = tree(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><filter id="f"><feTurbulence baseFrequency="0.1" numOctaves="1000000000"/></filter><rect width="100" height="100" filter="url(#f)"/></svg>"##,
        );
        let err = fit(&noise, 1.0, &limits).unwrap_err();
        assert!(err.contains("limits.svg_work"), "{err}");
    }

    #[test]
    fn costly_pictures_are_drawn_smaller() {
        let limits = Limits::default();
        let layers = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1000">{}<rect x="-1e6" y="-1e6" width="2e6" height="2e6"/>{}</svg>"#,
            r#"<g opacity="0.9">"#.repeat(20),
            "</g>".repeat(20)
        );
        let t = tree(&layers);
        let f = fit(&t, 2.0, &limits).unwrap();
        assert!(f.width < 2000, "{f:?}");
        let c = cost::estimate(&t, f64::from(f.scale_x));
        assert!(c.memory <= limits.image_pixels as f64, "{c:?}");
        assert!(render(&t, f).is_ok());
    }
}
