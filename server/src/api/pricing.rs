//! `GET /api/v1/quote`, and a resource's pricing rules:
//! `GET|POST /api/v1/resources/{id}/price-rules`,
//! `DELETE /api/v1/price-rules/{id}`.

use super::error::{about, path_id, range_of, ApiError};
use super::schema::{ErrorBody, PriceRuleList, PriceRuleOut, QuoteOut};
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
use store::StoreError;
use utoipa::IntoParams;

/// A resource's pricing rules, highest priority first.
#[utoipa::path(get, path = "/resources/{id}/price-rules", operation_id = "pricing_list_rules", tag = "rules",
    params(("id" = i64, Path, description = "The resource's id")),
    responses(
        (status = 200, description = "Rules", body = PriceRuleList),
        (status = 404, description = "`unknown_resource`", body = ErrorBody),
    ))]
pub async fn list_rules(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<Json<PriceRuleList>, ApiError> {
    let resource = resources::find(&state, caller.tenant, path_id(&id, "resource")?).await?;
    let rules = state.store.price_rules(caller.tenant, resource.id).await?;
    Ok(Json(PriceRuleList {
        price_rules: rules.iter().map(PriceRuleOut::from).collect(),
    }))
}

/// Body: a rule as the domain writes it, e.g. `{"name": "Peak", "priority":
/// 10, "when": {"weekdays": ["Fri"], "dates": [], "from_minute": 1020,
/// "to_minute": 1380}, "adjustment": {"type": "multiplier", "permille": 1500}}`.
/// Add a pricing rule (peak hours, weekends, dates): a multiplier or a
/// fixed hourly price, with a priority.
#[utoipa::path(post, path = "/resources/{id}/price-rules", operation_id = "pricing_add_rule", tag = "rules",
    params(("id" = i64, Path, description = "The resource's id")),
    request_body = PriceRule,
    responses(
        (status = 201, description = "The stored rule", body = PriceRuleOut),
        (status = 400, description = "`invalid_price_rule`, `invalid_json`", body = ErrorBody),
        (status = 403, description = "`staff_only` (rules, prices and blackouts need a staff-policy key)", body = ErrorBody),
        (status = 404, description = "`unknown_resource`", body = ErrorBody),
    ))]
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
    Ok((StatusCode::CREATED, Json(PriceRuleOut::from(&stored))).into_response())
}

/// Delete a pricing rule.
#[utoipa::path(delete, path = "/price-rules/{id}", operation_id = "pricing_delete_rule", tag = "rules",
    params(("id" = i64, Path, description = "The rule's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "`staff_only` (rules, prices and blackouts need a staff-policy key)", body = ErrorBody),
        (status = 404, description = "`unknown_price_rule`", body = ErrorBody),
    ))]
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

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuoteQuery {
    #[param(value_type = i64)]
    resource_id: ResourceId,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

/// The price of a slot, piece by piece (base rate, peak hours…).
/// The price of a slot, piece by piece where pricing rules change within it.
#[utoipa::path(get, path = "/quote", operation_id = "pricing_quote", tag = "rules",
    params(QuoteQuery),
    responses(
        (status = 200, description = "The quote", body = QuoteOut),
        (status = 400, description = "`end_before_start`, `unsupported_date`, `invalid_query`", body = ErrorBody),
        (status = 404, description = "`unknown_resource`", body = ErrorBody),
        (status = 422, description = "`bad_length`", body = ErrorBody),
    ))]
pub async fn quote(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    query: Result<Query<QuoteQuery>, QueryRejection>,
) -> Result<Json<QuoteOut>, ApiError> {
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
    Ok(Json(QuoteOut::new(&resource, &range, &quote)))
}
