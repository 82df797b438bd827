//! `manju-bindgen <input.wasm> <out-dir>`: writes wasm-bindgen's ES module (`--target web`)
//! and the processed `.wasm` for one build of the core, as `wasm-bindgen --target web
//! --out-dir <out-dir> <input.wasm>` would (the same files, byte for byte). Used by `scripts/build-wasm.sh`.
//!
//! A `.wasm` made with another version of the `wasm-bindgen` crate is refused by the
//! library itself, with both versions in its message.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, out_dir] = args.as_slice() else {
        eprintln!("usage: manju-bindgen <input.wasm> <out-dir>");
        return ExitCode::from(2);
    };
    // The library's defaults are not the command's: these are what `wasm-bindgen --target
    // web` sets (the module finds its .wasm beside itself; TypeScript declarations).
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    let generated = bindgen
        .input_path(input)
        .web(true)
        .map(|bindgen| {
            bindgen
                .typescript(true)
                .omit_default_module_path(false)
                .demangle(true)
        })
        .and_then(|bindgen| bindgen.generate(out_dir));
    match generated {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("manju-bindgen: {input}: {err:#}");
            ExitCode::FAILURE
        }
    }
}
