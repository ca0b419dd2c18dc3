//! What drawing an SVG costs, estimated from its usvg tree before resvg
//! runs. resvg allocates a layer for every group with opacity, a clip, a
//! mask or a filter (up to 25 times the canvas each, and nested layers are
//! held at once), a tile for every pattern (as large as the pattern says),
//! and runs filters whose time grows with their radius or octave count.
//! None of that is bounded by the size of the picture, so a small file can
//! ask for gigabytes or hours; [`estimate`] adds it up so that the caller
//! can draw smaller or refuse.
//!
//! The model follows resvg 0.49 (`render.rs`, `filter/`, `path.rs`,
//! `image.rs`) and errs on the side of counting too much.

use resvg::usvg::{self, Group, ImageKind, Node, Paint, Path, filter};

/// resvg clips a layer to 5 × 5 canvases (`max_filter_bbox`)...
const LAYER_CAP: f64 = 25.0;
/// ...and a filtered layer may be rotated first, which can double it.
const FILTER_LAYER_CAP: f64 = 2.0 * LAYER_CAP;
/// tiny-skia gives up dashing a path into more pieces than this.
const MAX_DASHES: f64 = 1_000_000.0;
/// Work for one dash: a short path to stroke and fill.
const DASH_WORK: f64 = 64.0;

/// The cost of drawing a tree at one scale, in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Cost {
    /// The most pixels held at once, the canvas included.
    pub memory: f64,
    /// Pixels painted, a measure of time.
    pub work: f64,
}

/// The cost of drawing `tree` at `scale` pixels per user unit.
pub(crate) fn estimate(tree: &usvg::Tree, scale: f64) -> Cost {
    let size = tree.size();
    let canvas =
        (f64::from(size.width()) * scale).max(1.0) * (f64::from(size.height()) * scale).max(1.0);
    let mut walk = Walk { work: canvas };
    let env = Env {
        target: canvas,
        cap: canvas * LAYER_CAP,
        scale2: scale * scale,
        scale,
    };
    let held = walk.group(tree.root(), &env);
    Cost {
        memory: canvas + held,
        work: walk.work,
    }
}

/// Where a node is drawn: the pixmap it lands on, resvg's layer cap there,
/// and the factor from the node's absolute units to pixels.
#[derive(Clone, Copy)]
struct Env {
    /// Area of the pixmap drawn into.
    target: f64,
    /// Largest layer resvg makes here.
    cap: f64,
    /// Pixels per square unit of the nodes' absolute coordinates.
    scale2: f64,
    /// Pixels per unit (the square root of `scale2`).
    scale: f64,
}

struct Walk {
    work: f64,
}

impl Walk {
    /// Draws a group's children one after the other; returns the most
    /// pixels any of them holds at once.
    fn group(&mut self, group: &Group, env: &Env) -> f64 {
        group
            .children()
            .iter()
            .map(|node| self.node(node, env))
            .fold(0.0, f64::max)
    }

    fn node(&mut self, node: &Node, env: &Env) -> f64 {
        match node {
            Node::Group(group) => self.child_group(group, env),
            Node::Path(path) => self.path(path, env),
            Node::Image(image) => self.image(image, env),
            Node::Text(text) => self.group(text.flattened(), env),
        }
    }

    /// A group, in a layer of its own when resvg isolates it.
    fn child_group(&mut self, group: &Group, env: &Env) -> f64 {
        if !group.should_isolate() {
            return self.group(group, env);
        }
        let cap = if group.filters().is_empty() {
            env.cap
        } else {
            env.cap / LAYER_CAP * FILTER_LAYER_CAP
        };
        let bbox = group.abs_layer_bounding_box();
        let layer = (area(bbox.width(), bbox.height()) * env.scale2 + 1.0).min(cap);
        let inner = Env {
            target: layer,
            ..*env
        };
        // The layer is filled once and composited once.
        self.work += 2.0 * layer;
        let mut held = layer + self.group(group, &inner);
        for f in group.filters() {
            held += self.filter(f, layer, &inner);
        }
        if let Some(clip) = group.clip_path() {
            self.work += 2.0 * layer;
            held += layer + self.group(clip.root(), &inner);
        }
        let mut mask = group.mask();
        while let Some(m) = mask {
            // A pixmap and two one-byte masks of the layer's size.
            self.work += 3.0 * layer;
            held += 1.5 * layer + self.group(m.root(), &inner);
            mask = m.mask();
        }
        held
    }

    /// A filter on a layer of `region` pixels: every primitive's result is
    /// kept until the filter ends.
    fn filter(&mut self, f: &filter::Filter, region: f64, env: &Env) -> f64 {
        let side = region.sqrt();
        let mut held = region;
        for primitive in f.primitives() {
            held += region;
            let per_pixel = match primitive.kind() {
                filter::Kind::Morphology(m) => {
                    let rx = (f64::from(m.radius_x().get()) * env.scale).min(side);
                    let ry = (f64::from(m.radius_y().get()) * env.scale).min(side);
                    (2.0 * rx + 1.0) * (2.0 * ry + 1.0)
                }
                filter::Kind::Turbulence(t) => 4.0 * f64::from(t.num_octaves()).max(1.0),
                filter::Kind::ConvolveMatrix(c) => {
                    f64::from(c.matrix().columns()) * f64::from(c.matrix().rows())
                }
                filter::Kind::GaussianBlur(_) | filter::Kind::DropShadow(_) => 12.0,
                filter::Kind::DiffuseLighting(_) | filter::Kind::SpecularLighting(_) => 16.0,
                filter::Kind::Image(image) => {
                    held += self.group(image.root(), env);
                    2.0
                }
                _ => 2.0,
            };
            self.work += region * per_pixel;
        }
        held
    }

    /// A path: its fill and stroke over the area they cover, its dashes,
    /// and the tile of any pattern it is painted with.
    fn path(&mut self, path: &Path, env: &Env) -> f64 {
        let bbox = path.abs_stroke_bounding_box();
        let covered = (area(bbox.width(), bbox.height()) * env.scale2 + 1.0).min(env.target);
        let mut held: f64 = 0.0;
        let mut paints = Vec::new();
        if let Some(fill) = path.fill() {
            self.work += covered;
            paints.push(fill.paint());
        }
        if let Some(stroke) = path.stroke() {
            self.work += covered;
            paints.push(stroke.paint());
            if let Some(dashes) = stroke.dasharray() {
                let period: f64 = dashes.iter().map(|d| f64::from(*d)).sum();
                let length = polyline_length(path) * transform_scale(path.abs_transform());
                let pieces = if period > 0.0 {
                    (length / period * dashes.len() as f64).min(MAX_DASHES)
                } else {
                    0.0
                };
                self.work += pieces * DASH_WORK;
            }
        }
        for paint in paints {
            if let Paint::Pattern(pattern) = paint {
                held = held.max(self.pattern(pattern, path, env));
            }
        }
        held
    }

    /// A pattern tile, drawn at the scale the path is drawn at.
    fn pattern(&mut self, pattern: &usvg::Pattern, path: &Path, env: &Env) -> f64 {
        let ts = path.abs_transform().pre_concat(pattern.transform());
        let (sx, sy) = ts.get_scale();
        let sx = f64::from(sx) * env.scale;
        let sy = f64::from(sy) * env.scale;
        let rect = pattern.rect();
        let tile = (f64::from(rect.width()) * sx).round().max(1.0)
            * (f64::from(rect.height()) * sy).round().max(1.0);
        let inner = Env {
            target: tile,
            cap: tile * LAYER_CAP,
            scale2: sx * sy,
            scale: (sx * sy).sqrt(),
        };
        self.work += tile;
        tile + self.group(pattern.root(), &inner)
    }

    /// A nested SVG image: resvg draws it on a pixmap as large as the one
    /// it lands on, then copies that over.
    fn image(&mut self, image: &usvg::Image, env: &Env) -> f64 {
        let ImageKind::SVG(tree) = image.kind() else {
            // Raster images inside SVG are not drawn (resvg is built
            // without them).
            return 0.0;
        };
        self.work += 2.0 * env.target;
        let (sx, sy) = image.abs_transform().get_scale();
        let scale2 = env.scale2 * f64::from(sx) * f64::from(sy);
        let inner = Env {
            target: env.target,
            cap: env.target * LAYER_CAP,
            scale2,
            scale: scale2.sqrt(),
        };
        env.target + self.group(tree.root(), &inner)
    }
}

fn area(width: f32, height: f32) -> f64 {
    let a = f64::from(width) * f64::from(height);
    if a.is_finite() { a.max(0.0) } else { f64::MAX }
}

/// The scale a transform applies to lengths (geometric mean of its axes).
fn transform_scale(ts: usvg::Transform) -> f64 {
    let (sx, sy) = ts.get_scale();
    (f64::from(sx) * f64::from(sy)).abs().sqrt()
}

/// The length of a path through all its points, control points included:
/// at least as long as the curve.
fn polyline_length(path: &Path) -> f64 {
    path.data()
        .points()
        .windows(2)
        .map(|w| match w {
            [a, b] => f64::from(a.distance(*b)),
            _ => 0.0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(svg: &str) -> usvg::Tree {
        usvg::Tree::from_str(svg, &usvg::Options::default()).unwrap()
    }

    #[test]
    fn a_plain_picture_costs_about_its_canvas() {
        let t = tree(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="100"/></svg>"#,
        );
        let c = estimate(&t, 1.0);
        assert!(c.memory < 11_000.0, "{c:?}");
        assert!(c.work < 30_000.0, "{c:?}");
        // Four times the pixels at twice the scale.
        let c2 = estimate(&t, 2.0);
        assert!((c2.memory / c.memory - 4.0).abs() < 0.1, "{c2:?}");
    }

    #[test]
    fn nested_layers_add_up() {
        let svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">{}<rect x="-1e6" y="-1e6" width="2e6" height="2e6"/>{}</svg>"#,
            r#"<g opacity="0.5">"#.repeat(20),
            "</g>".repeat(20)
        );
        let c = estimate(&tree(&svg), 1.0);
        // Twenty layers of 25 canvases each.
        assert!(c.memory > 20.0 * 25.0 * 10_000.0, "{c:?}");
    }

    #[test]
    fn pattern_tiles_and_filters_count() {
        let pattern = r##"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><pattern id="p" width="1e5" height="1e5" patternUnits="userSpaceOnUse"><rect width="1" height="1"/></pattern><rect width="10" height="10" fill="url(#p)"/></svg>"##;
        assert!(estimate(&tree(pattern), 1.0).memory > 1e9);
        let morph = r##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><filter id="f"><feMorphology radius="500"/></filter><rect width="100" height="100" filter="url(#f)"/></svg>"##;
        assert!(estimate(&tree(morph), 1.0).work > 1e8);
        let noise = r##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><filter id="f"><feTurbulence baseFrequency="0.1" numOctaves="100000000"/></filter><rect width="100" height="100" filter="url(#f)"/></svg>"##;
        assert!(estimate(&tree(noise), 1.0).work > 1e12);
    }
}
