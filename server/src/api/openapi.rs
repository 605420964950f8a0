//! `GET /api/v1/openapi.json`: the API described in OpenAPI 3.1, derived
//! from the handlers' `#[utoipa::path]` attributes and the types they read
//! and answer with, plus the answers every operation shares.

use serde_json::{json, Value};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::OpenApi;

fn error_response(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErrorBody" } } } })
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Pesan API",
        version = "1.0.0",
        description = "Bookings for venues that rent space by the hour. Authenticate with a tenant API key: `Authorization: Bearer <key>` (create one with `pesan api-keys create --tenant <slug>`). Every refusal carries a machine-readable `error.code`."
    ),
    servers((url = "/api/v1")),
    security(("bearer" = [])),
    components(schemas(
        super::schema::ErrorBody,
        domain::BookingStatus
    )),
    modifiers(&BearerScheme)
)]
struct ApiDoc;

struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// The document's frame (info, servers, security); the router adds the
/// operations.
pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The document as served: the collected operations with the shared
/// answers added.
pub fn finish(doc: utoipa::openapi::OpenApi) -> Value {
    let mut value = serde_json::to_value(&doc).unwrap_or(Value::Null);
    add_shared_responses(&mut value);
    value
}

/// Answers that do not depend on the operation, added to every one from
/// the layers in front of the handlers, so none can be forgotten: the key
/// check (401), the rate limit (429), the body guard (413, and 400
/// `invalid_text` for NUL characters), the path's id (400 `invalid_id`),
/// the request timeout (408, without a body) and the panic net (500).
fn add_shared_responses(doc: &mut Value) {
    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let has_id = path.contains('{');
        let Some(operations) = item.as_object_mut() else {
            continue;
        };
        for (method, operation) in operations.iter_mut() {
            let has_body = operation.get("requestBody").is_some();
            let responses = &mut operation["responses"];
            let mut add = |status: &str, codes: &str| {
                let Some(responses) = responses.as_object_mut() else {
                    return;
                };
                match responses.get_mut(status) {
                    // The operation's own entry: name the shared codes too.
                    Some(existing) => {
                        if let Some(Value::String(text)) = existing.get_mut("description") {
                            // Once per code: an operation may name it already.
                            let code = codes.split(' ').next().unwrap_or(codes);
                            if !text.contains(code) {
                                text.push_str(", ");
                                text.push_str(codes);
                            }
                        }
                    }
                    None => {
                        responses.insert(status.to_string(), error_response(codes));
                    }
                }
            };
            add(
                "401",
                "`unauthorized` (missing, unknown or revoked API key)",
            );
            add(
                "429",
                "`rate_limited` (too many requests with this key; see `Retry-After`)",
            );
            add(
                "500",
                "`internal` (a fault on our side; nothing was written)",
            );
            if has_id {
                add("400", "`invalid_id` (an id in the path is not a number)");
            }
            if has_body || method == "post" || method == "patch" {
                add("413", "`body_too_large` (bodies are at most 1 MiB)");
                add("400", "`invalid_text` (a NUL character in the body)");
            }
            if let Some(responses) = operation["responses"].as_object_mut() {
                responses.entry("408").or_insert_with(|| {
                    json!({ "description": "The request took longer than 30 seconds (no body)" })
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Value {
        let (_, doc) = crate::api::operations().split_for_parts();
        finish(doc)
    }

    #[test]
    fn every_route_is_documented_with_the_shared_answers() {
        let doc = spec();
        let paths = doc["paths"].as_object().expect("paths");
        assert_eq!(paths.len(), 30, "{:?}", paths.keys().collect::<Vec<_>>());
        let operations: usize = paths
            .values()
            .map(|item| item.as_object().map_or(0, |o| o.len()))
            .sum();
        assert_eq!(operations, 35);
        for (path, item) in paths {
            for (method, operation) in item.as_object().expect("operations") {
                let responses = operation["responses"].as_object().expect("responses");
                for status in ["401", "408", "429", "500"] {
                    assert!(
                        responses.contains_key(status),
                        "{method} {path} lacks {status}"
                    );
                }
                if path.contains('{') {
                    let text = responses["400"]["description"].as_str().unwrap_or("");
                    assert!(text.contains("invalid_id"), "{method} {path}: {text}");
                }
                if method == "post" || method == "patch" {
                    assert!(responses.contains_key("413"), "{method} {path} lacks 413");
                }
            }
        }
    }

    #[test]
    fn bodies_and_answers_come_from_the_handlers_types() {
        let doc = spec();
        let file = &doc["paths"]["/messages/{id}/media"]["get"]["responses"]["200"]["content"]
            ["application/octet-stream"]["schema"];
        let file = match file.get("$ref").and_then(Value::as_str) {
            Some(name) => doc["components"]["schemas"]
                [name.trim_start_matches("#/components/schemas/")]
            .clone(),
            None => file.clone(),
        };
        assert_eq!(
            (file["type"].as_str(), file["format"].as_str()),
            (Some("string"), Some("binary")),
            "{file}"
        );
        let bad_text = doc["paths"]["/conversations/{id}/messages"]["post"]["responses"]["400"]
            ["description"]
            .as_str()
            .unwrap_or_default();
        assert_eq!(bad_text.matches("invalid_text").count(), 1, "{bad_text}");
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        for name in [
            "BookingOut",
            "CreateBooking",
            "PriceRule",
            "SeriesReportOut",
            "ErrorBody",
            "Status",
        ] {
            assert!(schemas.contains_key(name), "missing schema {name}");
        }
        let create = &doc["paths"]["/bookings"]["post"];
        assert_eq!(
            create["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/CreateBooking"
        );
        assert!(create["responses"]["409"]["description"]
            .as_str()
            .unwrap_or("")
            .contains("slot_taken"));
        assert_eq!(
            doc["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
    }
}
