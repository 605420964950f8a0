//! `GET /api/v1/quote`, and a resource's pricing rules:
//! `GET|POST /api/v1/resources/{id}/price-rules`,
//! `DELETE /api/v1/price-rules/{id}`.

use super::bookings::money_json;
use super::error::{about, path_id, range_of, ApiError};
use super::{resources, ApiCaller};
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use booking::Services;
use chrono::{DateTime, Utc};
use domain::pricing::PriceRule;
use domain::ResourceId;
use serde::Deserialize;
use serde_json::{json, Value};
use store::{StoreError, StoredPriceRule};

fn rule_json(stored: &StoredPriceRule) -> Value {
    let mut value = serde_json::to_value(&stored.rule).unwrap_or(Value::Null);
    if let Some(object) = value.as_object_mut() {
        object.insert("id".into(), json!(stored.id));
        object.insert("resource_id".into(), json!(stored.resource_id));
    }
    value
}

pub async fn list_rules(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let resource = resources::find(&state, caller.tenant, path_id(&id, "resource")?).await?;
    let rules = state.store.price_rules(caller.tenant, resource.id).await?;
    Ok(Json(
        json!({ "price_rules": rules.iter().map(rule_json).collect::<Vec<_>>() }),
    ))
}

/// Body: a rule as the domain writes it, e.g. `{"name": "Peak", "priority":
/// 10, "when": {"weekdays": ["Fri"], "dates": [], "from_minute": 1020,
/// "to_minute": 1380}, "adjustment": {"type": "multiplier", "permille": 1500}}`.
pub async fn add_rule(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
    body: Result<Json<PriceRule>, JsonRejection>,
) -> Result<Response, ApiError> {
    caller.require_staff()?;
    let resource = resources::find(&state, caller.tenant, path_id(&id, "resource")?).await?;
    let Json(rule) = body?;
    let stored = state
        .store
        .add_price_rule(caller.tenant, &resource, rule, state.clock.now())
        .await
        .map_err(|e| match e {
            StoreError::Invalid(message) => ApiError::bad_request("invalid_price_rule", message),
            other => other.into(),
        })?;
    Ok((StatusCode::CREATED, Json(rule_json(&stored))).into_response())
}

pub async fn delete_rule(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.require_staff()?;
    let id: domain::PriceRuleId = path_id(&id, "price rule")?;
    state
        .store
        .delete_price_rule(caller.tenant, id)
        .await
        .map_err(|e| about(e, "unknown_price_rule", || format!("no price rule {id}")))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct QuoteQuery {
    resource_id: ResourceId,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

/// The price of a slot, piece by piece (base rate, peak hours…).
pub async fn quote(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    query: Result<Query<QuoteQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = query?;
    let range = range_of(q.start, q.end)?;
    let resource = resources::find(&state, caller.tenant, q.resource_id).await?;
    if range.minutes() > resource.max_minutes {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_length",
            format!(
                "{} takes bookings of at most {} minutes",
                resource.name, resource.max_minutes
            ),
        ));
    }
    let quote = state.store.quote(caller.tenant, &resource, &range).await?;
    let pieces: Vec<Value> = quote
        .pieces
        .iter()
        .map(|piece| {
            json!({
                "start": piece.range.start().to_rfc3339(),
                "end": piece.range.end().to_rfc3339(),
                "rule": piece.rule,
                "hourly": money_json(piece.hourly),
                "amount": money_json(piece.amount),
            })
        })
        .collect();
    Ok(Json(json!({
        "resource_id": resource.id,
        "start": range.start().to_rfc3339(),
        "end": range.end().to_rfc3339(),
        "pieces": pieces,
        "total": money_json(quote.total),
    })))
}
