//! The WASM entry point: hydrate the server-rendered dashboard.

/// Called by the generated JS once the WASM is loaded.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Pages are split into chunks loaded on demand (see `app::shell`).
    leptos::mount::hydrate_lazy(app::App);
}

/// Room for cargo-leptos's WASM splitter to lay the read-only data out again.
///
/// The splitter (`wasm_split_cli_support` 0.2.3) gives every split file its
/// share of `.rodata`, each share aligned again; when the shares plus that
/// padding come out longer than the linked segment, it gives up and puts the
/// *whole* segment in `pesan.wasm` (+35 KB gzip on every page, seen when the
/// resource page became three routes). Nothing refers to these bytes, so the
/// linker keeps them only because of `#[used]` and the splitter places them in
/// no file: they lengthen the input segment without lengthening any output,
/// which is the slack the re-layout needs. See `docs/TOOLCHAIN.md`.
#[used]
static SPLIT_LAYOUT_SLACK: [u8; 4096] = [0x5a; 4096];
