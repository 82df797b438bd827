//! The benchmark's binding (`npm run bench`, `www/bench/`): the scenes of
//! `compositor::bench` drawn by the same compositor as the player, their display lists
//! as JSON for the page's Canvas 2D implementation, their images for it to draw, and the
//! row kernels alone. Also the kernels' self-check, which the browser tests run in both
//! wasm builds.

use crate::compositor::Compositor;
use crate::compositor::bench::{
    FRAMES, KERNELS, KernelBench, SCENES, Scene, compositor_check, kernel_check,
};
use crate::timeline::DisplayList;
use wasm_bindgen::prelude::*;

/// Whether this build uses WebAssembly SIMD128.
#[wasm_bindgen(js_name = simdBuild)]
pub fn simd_build() -> bool {
    cfg!(target_feature = "simd128")
}

/// The row kernels compared with their per-pixel definition: the differences found
/// (none, when the SIMD kernels are right).
#[wasm_bindgen(js_name = kernelCheck)]
pub fn kernel_check_js() -> Vec<String> {
    kernel_check()
}

/// The compositor against its shortcut-free reference on `cases` generated display
/// lists (see `compositor::check`): the first difference, or `undefined`.
#[wasm_bindgen(js_name = compositorCheck)]
pub fn compositor_check_js(cases: u32, seed: u32) -> Option<String> {
    compositor_check(cases, u64::from(seed))
}

/// One benchmark scene and a compositor of its size.
#[wasm_bindgen]
pub struct BenchScene {
    scene: Scene,
    compositor: Compositor,
}

#[wasm_bindgen]
impl BenchScene {
    /// The scenes' names.
    pub fn names() -> Vec<String> {
        SCENES.iter().map(|s| s.to_string()).collect()
    }

    /// Generates scene `name`'s images (the page scene's 24 megapixels take a while).
    pub fn create(name: &str) -> Result<BenchScene, JsError> {
        let scene = Scene::new(name).ok_or_else(|| JsError::new(&format!("no scene {name}")))?;
        let compositor = Compositor::new(scene.width(), scene.height());
        Ok(BenchScene { scene, compositor })
    }

    #[wasm_bindgen(getter)]
    pub fn frames(&self) -> u32 {
        FRAMES
    }

    #[wasm_bindgen(getter)]
    pub fn width(&self) -> u32 {
        self.scene.width()
    }

    #[wasm_bindgen(getter)]
    pub fn height(&self) -> u32 {
        self.scene.height()
    }

    /// Draws frame `i`; with `items`, only the first `items` items of its list (to see
    /// what each costs).
    pub fn render(&mut self, i: u32, items: Option<u32>) {
        let mut list = self.scene.list(i);
        if let Some(k) = items {
            list = DisplayList {
                items: list.items.into_iter().take(k as usize).collect(),
                ..list
            };
        }
        self.compositor.render(&list, &self.scene.store);
    }

    /// How many items frame `i`'s list has.
    #[wasm_bindgen(js_name = itemCount)]
    pub fn item_count(&self, i: u32) -> u32 {
        self.scene.list(i).items.len() as u32
    }

    /// Frame `i`'s display list as JSON (see `Scene::describe`).
    pub fn describe(&self, i: u32) -> String {
        self.scene.describe(i)
    }

    /// The ids of the scene's images.
    #[wasm_bindgen(js_name = imageIds)]
    pub fn image_ids(&self) -> Vec<String> {
        self.scene.images.iter().map(|i| i.0.to_string()).collect()
    }

    /// `[width, height, byte offset]` of an image's premultiplied RGBA pixels in memory.
    #[wasm_bindgen(js_name = imageInfo)]
    pub fn image_info(&self, id: &str) -> Vec<f64> {
        self.scene.store.image(id).map_or_else(Vec::new, |img| {
            vec![
                f64::from(img.width),
                f64::from(img.height),
                img.data.as_ptr() as usize as f64,
            ]
        })
    }

    #[wasm_bindgen(js_name = framePtr)]
    pub fn frame_ptr(&self) -> usize {
        self.compositor.frame().data().as_ptr() as usize
    }

    #[wasm_bindgen(js_name = frameLen)]
    pub fn frame_len(&self) -> usize {
        self.compositor.frame().data().len()
    }
}

/// The row kernels alone, each over a frame's worth of rows.
#[wasm_bindgen]
pub struct BenchKernels {
    bench: KernelBench,
}

#[wasm_bindgen]
impl BenchKernels {
    #[wasm_bindgen(constructor)]
    pub fn new() -> BenchKernels {
        BenchKernels {
            bench: KernelBench::default(),
        }
    }

    pub fn names() -> Vec<String> {
        KERNELS.iter().map(|s| s.to_string()).collect()
    }

    /// Runs kernel `name` over 1920 rows of 1080 pixels.
    pub fn run(&mut self, name: &str) -> bool {
        self.bench.run(name)
    }
}

impl Default for BenchKernels {
    fn default() -> Self {
        Self::new()
    }
}
