//! The WASM entry point: hydrate the server-rendered dashboard.

/// Called by the generated JS once the WASM is loaded.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Pages are split into chunks loaded on demand (see `app::shell`).
    leptos::mount::hydrate_lazy(app::App);
}
