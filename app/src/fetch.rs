//! The one way a page loads server data: [`load`], a `Resource` whose
//! hydration payload is decoded by the same `serde_json` code path as a
//! server function's response.
//!
//! Why: Leptos's default resource codec decodes the server-rendered value
//! with `serde_json::from_str`, while server functions decode their body
//! with `serde_json::from_slice`. Each path is a separate instantiation of
//! every DTO's `Deserialize`, so the WASM carried each DTO's decoder twice
//! (twiggy: ~270 KB of code before `wasm-opt`). [`SliceJson`] decodes from
//! bytes as well, and the two share one copy.

use leptos::prelude::*;
use leptos::server::codee::{Decoder, Encoder};
use serde::{de::DeserializeOwned, Serialize};

/// JSON that is decoded from bytes, the way server functions decode theirs.
pub struct SliceJson;

impl<T: Serialize> Encoder<T> for SliceJson {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(val: &T) -> Result<Self::Encoded, Self::Error> {
        serde_json::to_string(val)
    }
}

impl<T: DeserializeOwned> Decoder<T> for SliceJson {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(val: &Self::Encoded) -> Result<T, Self::Error> {
        serde_json::from_slice(val.as_bytes())
    }
}

/// A page's server data, loaded with [`load`].
pub type Loaded<T> = Resource<T, SliceJson>;

/// A resource that re-runs `fetcher` whenever `source` changes, like
/// `Resource::new`, but decoded with [`SliceJson`]; and again once the
/// server has taken a new interface language
/// ([`crate::i18n::LanguageApplied`]).
#[track_caller]
pub fn load<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Loaded<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: Send + Sync + Clone + PartialEq + 'static,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    let applied = use_context::<crate::i18n::LanguageApplied>().map(|a| a.0);
    Resource::new_with_options(
        move || (source(), applied.map(|a| a.get()).unwrap_or_default()),
        move |(source, _)| fetcher(source),
        false,
    )
}
