// Which build of the core this browser runs, and loading it. scripts/build-wasm.sh makes
// two from the same source: www/pkg/ with WebAssembly SIMD (the compositor's row kernels
// four pixels at a time) and www/pkg-nosimd/ without it, for browsers that do not validate
// SIMD. Both make the same pixels.

/**
 * A module whose one function uses `i8x16.swizzle` and `i16x8.extmul_low_i8x16_u`,
 * among the last instructions added to SIMD128: a browser that validates it runs the
 * SIMD build.
 *   (func (param v128) (result v128)
 *     local.get 0  local.get 0  i8x16.swizzle  local.get 0  i16x8.extmul_low_i8x16_u)
 */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 123, 1, 123, 3, 2, 1, 0, 10, 15, 1, 13, 0,
  32, 0, 32, 0, 253, 14, 32, 0, 253, 158, 1, 11,
]);

/** Whether this browser runs WebAssembly SIMD128. */
export function simdSupported() {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** The URL of the wasm-bindgen module of the build for this browser. */
export function corePackageUrl() {
  const dir = simdSupported() ? '../pkg/' : '../pkg-nosimd/';
  return new URL(`${dir}manju.js`, import.meta.url).href;
}

let corePromise = null;

/**
 * Loads and instantiates the wasm core once per page: `{Session, ZipArchive, memory}`.
 * The one place that knows how the module is initialised.
 */
export function loadCore() {
  corePromise ??= (async () => {
    const pkg = await import(corePackageUrl());
    const wasm = await pkg.default();
    return { Session: pkg.Session, ZipArchive: pkg.ZipArchive, memory: wasm.memory };
  })().catch((err) => {
    corePromise = null; // let a later load try again
    throw err;
  });
  return corePromise;
}
