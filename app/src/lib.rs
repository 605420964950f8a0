//! Pesan's dashboard: the Leptos app shared by the server (SSR) and the
//! browser (hydration).
//!
//! `api` holds the server functions and the types they exchange; their
//! bodies run only on the server, the browser gets generated fetch calls.
//! Everything server-only sits in `api::ssr`, compiled with the `ssr`
//! feature, so the WASM build never pulls sqlx or tokio.

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
