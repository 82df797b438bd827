//! 2-D affine transforms (stage and image space to screen space).

/// `[a, b, c, d, e, f]`: (x, y) ↦ (a·x + c·y + e, b·x + d·y + f), as in canvas `setTransform`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Affine(pub [f64; 6]);

impl Affine {
    pub const IDENTITY: Affine = Affine([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    pub fn translate(x: f64, y: f64) -> Affine {
        Affine([1.0, 0.0, 0.0, 1.0, x, y])
    }

    pub fn scale(s: f64) -> Affine {
        Affine([s, 0.0, 0.0, s, 0.0, 0.0])
    }

    /// Clockwise rotation by `degrees` (y points down, so this is the usual matrix).
    pub fn rotate(degrees: f64) -> Affine {
        if degrees == 0.0 {
            return Affine::IDENTITY;
        }
        // libm, not std: the same bits natively and in wasm.
        let r = degrees.to_radians();
        let (s, c) = (libm::sin(r), libm::cos(r));
        Affine([c, s, -s, c, 0.0, 0.0])
    }

    /// `self` after `first`: maps p to self(first(p)).
    pub fn then(self, next: Affine) -> Affine {
        next.compose(self)
    }

    /// `self ∘ other`: maps p to self(other(p)).
    pub fn compose(self, o: Affine) -> Affine {
        let [a, b, c, d, e, f] = self.0;
        let [oa, ob, oc, od, oe, of] = o.0;
        Affine([
            a * oa + c * ob,
            b * oa + d * ob,
            a * oc + c * od,
            b * oc + d * od,
            a * oe + c * of + e,
            b * oe + d * of + f,
        ])
    }

    pub fn apply(self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }

    pub fn invert(self) -> Option<Affine> {
        let [a, b, c, d, e, f] = self.0;
        let det = a * d - b * c;
        if det.abs() < 1e-12 || !det.is_finite() {
            return None;
        }
        let inv = 1.0 / det;
        Some(Affine([
            d * inv,
            -b * inv,
            -c * inv,
            a * inv,
            (c * f - d * e) * inv,
            (b * e - a * f) * inv,
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_and_invert() {
        let m = Affine::translate(10.0, 5.0)
            .compose(Affine::rotate(90.0))
            .compose(Affine::scale(2.0));
        let (x, y) = m.apply(1.0, 0.0);
        // scale → (2, 0); rotate 90° clockwise (y down) → (0, 2); translate → (10, 7).
        assert!(
            (x - 10.0).abs() < 1e-12 && (y - 7.0).abs() < 1e-12,
            "{x} {y}"
        );
        let back = m.invert().unwrap().apply(x, y);
        assert!((back.0 - 1.0).abs() < 1e-12 && back.1.abs() < 1e-12);
        assert!(Affine::scale(0.0).invert().is_none());
        let t = Affine::scale(2.0).then(Affine::translate(1.0, 0.0));
        assert_eq!(t.apply(1.0, 1.0), (3.0, 2.0));
    }
}
