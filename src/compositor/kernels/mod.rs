//! Row kernels: the inner loops of the compositor, over rows of RGBA8 pixels.
//!
//! Two implementations with the same results to the bit: `scalar` (native builds and the
//! wasm build for browsers without SIMD) defines them; `simd` (wasm with `simd128`) does
//! the same integer arithmetic four pixels at a time. Each SIMD kernel has the scalar
//! kernel's name and signature and falls back to it for the ends of rows, so the two stay
//! structurally parallel; the browser tests compare the two wasm builds' frames with the
//! native CLI's.

// In the SIMD build, only what the SIMD kernels fall back to is used.
#[cfg_attr(
    all(target_arch = "wasm32", target_feature = "simd128"),
    allow(dead_code)
)]
mod scalar;

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
// Loads and stores of `v128` from byte slices need raw pointers; see simd.rs.
#[allow(unsafe_code)]
mod simd;

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub use scalar::{
    SpanPlan, blend_base, blend_rows, fill, lerp_in_place, lerp_rows, over_base, over_rows,
    sample_planned, sample_planned_over, sample_span, set,
};
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub use simd::{
    SpanPlan, blend_base, blend_rows, fill, lerp_in_place, lerp_rows, over_base, over_rows,
    sample_planned, sample_planned_over, sample_span, set,
};

/// How many texels past the last one a row needs for `sample_span` to stay on its fast
/// path up to the row's end (the SIMD kernel loads eight texels at a time).
pub const SPAN_PAD: i64 = 8;
