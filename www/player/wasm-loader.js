// Which build of the core this browser runs. scripts/build-wasm.sh makes three from the same
// source: www/pkg/ with WebAssembly SIMD (the compositor's row kernels four pixels at a
// time), www/pkg-relaxed/ with relaxed SIMD as well (the same kernels in fewer
// instructions) and www/pkg-nosimd/ without SIMD, for browsers that do not validate it.
// All three make the same pixels.

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

/**
 * A module whose one function uses `i8x16.relaxed_swizzle` and
 * `i16x8.relaxed_q15mulr_s`, the relaxed SIMD instructions the relaxed build's kernels
 * use: a browser that validates it runs that build.
 *   (func (param v128) (result v128)
 *     local.get 0  local.get 0  i8x16.relaxed_swizzle  local.get 0  i16x8.relaxed_q15mulr_s)
 */
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 123, 1, 123, 3, 2, 1, 0, 10, 16, 1, 14, 0,
  32, 0, 32, 0, 253, 128, 2, 32, 0, 253, 145, 2, 11,
]);

/** Whether this browser runs WebAssembly SIMD128. */
export function simdSupported() {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** Whether this browser runs WebAssembly SIMD128 with the relaxed instructions. */
export function relaxedSimdSupported() {
  try {
    return simdSupported() && WebAssembly.validate(RELAXED_PROBE);
  } catch {
    return false;
  }
}

/**
 * The directories (relative to www/player/) of the builds this browser can run, best
 * first: a host that did not deploy one of them still gets the next.
 */
function coreBuilds() {
  if (relaxedSimdSupported()) return ['../pkg-relaxed/', '../pkg/', '../pkg-nosimd/'];
  return simdSupported() ? ['../pkg/', '../pkg-nosimd/'] : ['../pkg-nosimd/'];
}

function packageUrl(dir) {
  return new URL(`${dir}manju.js`, import.meta.url).href;
}

/** The URL of the wasm-bindgen module of the best build for this browser. */
export function corePackageUrl() {
  return packageUrl(coreBuilds()[0]);
}

let corePromise = null;

/**
 * Loads and instantiates the wasm core once per page: `{Session, ZipArchive, importDraft, memory}`.
 * The one place that knows how the module is initialised.
 */
export function loadCore() {
  corePromise ??= (async () => {
    let failure = null;
    for (const dir of coreBuilds()) {
      try {
        const pkg = await import(packageUrl(dir));
        const wasm = await pkg.default();
        return { Session: pkg.Session, ZipArchive: pkg.ZipArchive, importDraft: pkg.importDraft, memory: wasm.memory, build: dir };
      } catch (err) {
        // Not deployed, or not loadable here: the next build down may be.
        failure ??= err;
      }
    }
    throw failure;
  })().catch((err) => {
    corePromise = null; // let a later load try again
    throw err;
  });
  return corePromise;
}
