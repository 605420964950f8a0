//! Pesan's dashboard: the Leptos app shared by the server (SSR) and the
//! browser (hydration).
//!
//! `api` holds the server functions and the types they exchange; their
//! bodies run only on the server, the browser gets generated fetch calls.
//! Everything server-only sits in `api::ssr`, compiled with the `ssr`
//! feature, so the WASM build never pulls sqlx or tokio.

// Pages nest inside the layout's and forms' typed children (see
// `components::sync_view`): server rendering's async `resolve` of the
// deepest view passes rustc's default query depth of 128.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod dto;
pub mod error;
pub mod fetch;
pub mod i18n;
pub mod live;
pub mod pages;
mod shell;

pub use shell::{shell, App};
