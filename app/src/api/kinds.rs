//! Server functions for the venue's own kinds of space (see
//! [`super::ssr::kinds`]).

use crate::dto::KindDto;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::ssr;

/// The venue's own kinds, by name.
#[server(prefix = "/rpc", endpoint = "get_resource_kinds")]
pub async fn get_resource_kinds() -> Result<Vec<KindDto>, AppError> {
    ssr::with_staff(ssr::kinds::list).await
}

/// Adds a kind (`key` empty) or renames one and replaces its words;
/// `words` one per line or separated by commas.
#[server(prefix = "/rpc", endpoint = "save_resource_kind")]
pub async fn save_resource_kind(
    #[server(default)] key: String,
    name_en: String,
    #[server(default)] name_id: String,
    #[server(default)] words: String,
) -> Result<KindDto, AppError> {
    let form = ssr::kinds::KindForm {
        key,
        name_en,
        name_id,
        words,
    };
    ssr::with_staff(|services, staff| ssr::kinds::save(services, staff, form)).await
}

/// Deletes a kind no resource is of.
#[server(prefix = "/rpc", endpoint = "delete_resource_kind")]
pub async fn delete_resource_kind(key: String) -> Result<(), AppError> {
    ssr::with_staff(|services, staff| ssr::kinds::delete(services, staff, key)).await
}
