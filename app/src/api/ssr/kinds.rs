//! The venue's own kinds of space (padel, mini soccer): owners and admins
//! define them and the words customers use; every staff role reads them
//! (the resource forms list them).

use super::{require_manager, Services};
use crate::dto::KindDto;
use crate::error::AppError;
use domain::resource::{is_kind_key, KindDefinition, KindError, MAX_VENUE_KINDS};
use store::{StaffUser, StoreError, StoredKind};

fn dto(kind: StoredKind) -> KindDto {
    KindDto {
        key: kind.kind.key,
        name_en: kind.kind.name_en,
        name_id: kind.kind.name_id,
        words: kind.words,
        resources: kind.resources,
    }
}

/// A refusal the page translates by its code (`kind_<reason>`).
fn refused(code: &str, message: String) -> AppError {
    AppError::Refused {
        code: format!("kind_{code}"),
        status: 400,
        message,
    }
}

impl From<KindError> for AppError {
    fn from(error: KindError) -> Self {
        let message = error.to_string();
        refused(error.code(), super::sentence(&message))
    }
}

pub async fn list(state: Services, staff: StaffUser) -> Result<Vec<KindDto>, AppError> {
    Ok(state
        .store
        .resource_kinds(staff.tenant_id)
        .await?
        .into_iter()
        .map(dto)
        .collect())
}

/// The form's fields: `key` empty for a new kind; words one per line or
/// separated by commas.
pub struct KindForm {
    pub key: String,
    pub name_en: String,
    pub name_id: String,
    pub words: String,
}

pub async fn save(state: Services, staff: StaffUser, form: KindForm) -> Result<KindDto, AppError> {
    require_manager(&staff)?;
    let key = form.key.trim();
    if !key.is_empty() && !is_kind_key(key) {
        return Err(AppError::NotFound);
    }
    // Bounded before splitting: 20 words of 40 characters fit easily.
    if form.words.chars().count() > 2_000 {
        return Err(KindError::TooManyWords.into());
    }
    let definition = KindDefinition {
        name_en: form.name_en,
        name_id: form.name_id,
        words: form.words.split(['\n', ',']).map(str::to_string).collect(),
    };
    let checked = definition.check((!key.is_empty()).then_some(key))?;
    let store = &state.store;
    let saved = if key.is_empty() {
        store.create_resource_kind(staff.tenant_id, &checked).await
    } else {
        store.update_resource_kind(staff.tenant_id, &checked).await
    };
    match saved {
        Ok(kind) => Ok(dto(kind)),
        Err(StoreError::Duplicate(message)) => Err(refused("exists", super::sentence(&message))),
        Err(taken @ StoreError::WordTaken { .. }) => {
            Err(refused("word_taken", super::sentence(&taken.to_string())))
        }
        Err(StoreError::Invalid(_)) => Err(refused(
            "too_many",
            format!("A venue has at most {MAX_VENUE_KINDS} kinds of its own."),
        )),
        Err(other) => Err(other.into()),
    }
}

pub async fn delete(state: Services, staff: StaffUser, key: String) -> Result<(), AppError> {
    require_manager(&staff)?;
    if !is_kind_key(key.trim()) {
        return Err(AppError::NotFound);
    }
    match state
        .store
        .delete_resource_kind(staff.tenant_id, key.trim())
        .await
    {
        Err(StoreError::Invalid(message)) => Err(refused("in_use", super::sentence(&message))),
        other => Ok(other?),
    }
}
