//! `GET /api/v1/openapi.json`: the API described in OpenAPI 3.1, written
//! by hand next to the handlers it describes.

use axum::Json;
use serde_json::{json, Value};

fn error_response(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

pub async fn document() -> Json<Value> {
    Json(spec())
}

/// The whole document: each operation's own answers, then the ones every
/// operation shares (see [`add_shared_responses`]).
pub fn spec() -> Value {
    let mut doc = core();
    if let (Some(paths), Value::Object(more)) = (doc["paths"].as_object_mut(), rule_paths()) {
        paths.extend(more);
    }
    doc["components"] = components();
    add_shared_responses(&mut doc);
    doc
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
                            if !text.contains(codes) {
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

/// Resources, availability and bookings.
fn core() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Pesan API",
            "version": "1.0.0",
            "description": "Bookings for venues that rent space by the hour. Authenticate with a tenant API key: `Authorization: Bearer <key>` (create one with `pesan api-keys create --tenant <slug>`). Every refusal carries a machine-readable `error.code`."
        },
        "servers": [{ "url": "/api/v1" }],
        "security": [{ "bearer": [] }],
        "paths": {
            "/resources": { "get": {
                "summary": "List the tenant's bookable resources",
                "responses": { "200": { "description": "Resources", "content": { "application/json": { "schema": {
                    "type": "object", "properties": { "resources": { "type": "array", "items": { "$ref": "#/components/schemas/Resource" } } } } } } },
                    "401": error_response("Missing or unknown API key (`unauthorized`)") }
            }},
            "/availability": { "get": {
                "summary": "Free slots of a resource, or of every resource of a type (in an outlet), over local dates",
                "parameters": [
                    { "name": "resource_id", "in": "query", "schema": { "type": "integer" } },
                    { "name": "resource_type", "in": "query", "schema": { "type": "string", "enum": ["futsal", "badminton", "tennis", "basketball", "meeting_room", "studio", "karaoke"] } },
                    { "name": "outlet_id", "in": "query", "schema": { "type": "integer" } },
                    { "name": "from", "in": "query", "required": true, "schema": { "type": "string", "format": "date" } },
                    { "name": "to", "in": "query", "schema": { "type": "string", "format": "date" }, "description": "Inclusive; at most 31 days after `from`" },
                    { "name": "minutes", "in": "query", "schema": { "type": "integer" }, "description": "Duration; the resource's minimum by default" }
                ],
                "responses": { "200": { "description": "Free slots", "content": { "application/json": { "schema": {
                    "type": "object", "properties": { "slots": { "type": "array", "items": { "$ref": "#/components/schemas/Slot" } } } } } } },
                    "400": error_response("`invalid_date`, `end_before_start`, `range_too_long`, `missing_resource`, `unknown_resource_type`"),
                    "404": error_response("`unknown_resource`"),
                    "422": error_response("`bad_length`") }
            }},
            "/bookings": {
                "get": {
                    "summary": "List bookings",
                    "parameters": [
                        { "name": "from", "in": "query", "schema": { "type": "string", "format": "date-time" } },
                        { "name": "to", "in": "query", "schema": { "type": "string", "format": "date-time" } },
                        { "name": "resource_id", "in": "query", "schema": { "type": "integer" } },
                        { "name": "status", "in": "query", "schema": { "$ref": "#/components/schemas/Status" } },
                        { "name": "series_id", "in": "query", "schema": { "type": "integer" } },
                        { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 500, "default": 100 } },
                        { "name": "cursor", "in": "query", "schema": { "type": "string" }, "description": "`next_cursor` of the page before" }
                    ],
                    "responses": { "200": { "description": "A page of bookings overlapping the range, by start; `next_cursor` is null on the last page", "content": { "application/json": { "schema": {
                        "type": "object", "properties": { "bookings": { "type": "array", "items": { "$ref": "#/components/schemas/Booking" } },
                        "next_cursor": { "type": ["string", "null"] } } } } } },
                        "400": error_response("`end_before_start`, `unsupported_date`, `unknown_status`, `invalid_query`, `invalid_cursor`, `invalid_limit`") }
                },
                "post": {
                    "summary": "Create a confirmed booking",
                    "parameters": [{ "name": "Idempotency-Key", "in": "header", "schema": { "type": "string", "maxLength": 200 },
                        "description": "Per tenant and endpoint, for 24 hours: a retry of the same request returns the first result (`Idempotent-Replayed: true`) and creates nothing; the same key with another request is 422 `idempotency_key_reused`" }],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NewBooking" } } } },
                    "responses": {
                        "201": { "description": "Created (or replayed for a reused Idempotency-Key)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Booking" } } } },
                        "400": error_response("`invalid_json`, `invalid`, `end_before_start`, `unsupported_date`, `invalid_phone`, `invalid_name`, `too_many_resources`, `invalid_idempotency_key`"),
                        "404": error_response("`unknown_resource`"),
                        "409": error_response("`slot_taken`, `blackout`"),
                        "422": error_response("`in_the_past`, `beyond_horizon`, `outside_opening_hours`, `unaligned` (off the grid, or seconds in a start or end), `bad_length`, `too_long`, `idempotency_key_reused`")
                    }
                }
            },
            "/bookings/{id}/history": { "get": {
                "summary": "A booking's history: every status change and move, oldest first, with who (`staff:3`, `customer:+62…`, `api:7`, `system`), when and why",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "responses": { "200": { "description": "The history", "content": { "application/json": { "schema": { "type": "object", "properties": {
                    "booking_id": { "type": "integer" },
                    "events": { "type": "array", "items": { "type": "object", "properties": {
                        "from": { "oneOf": [{ "$ref": "#/components/schemas/Status" }, { "type": "null" }] }, "to": { "$ref": "#/components/schemas/Status" },
                        "actor": { "type": "string" }, "reason": { "type": ["string", "null"] }, "at": { "type": "string", "format": "date-time" } } } } } } } } },
                    "404": error_response("`unknown_booking`") }
            }},
            "/bookings/{id}/cancel": { "post": {
                "summary": "Cancel a booking, with a reason (kept in its history)",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["reason"],
                    "additionalProperties": false, "properties": { "reason": { "type": "string" } } } } } },
                "responses": { "200": { "description": "The cancelled booking", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Booking" } } } },
                    "400": error_response("`reason_required`, `invalid_json`"),
                    "404": error_response("`unknown_booking`"),
                    "409": error_response("`illegal_transition` (already cancelled, completed…), `too_late_to_change` (a customer-policy key after the resource's cutoff)") }
            }},
            "/bookings/{id}/status": { "post": {
                "summary": "Move a booking along its lifecycle (checked_in, completed, no_show, cancelled with a reason)",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["status"],
                    "additionalProperties": false, "properties": { "status": { "$ref": "#/components/schemas/Status" }, "reason": { "type": "string" } } } } } },
                "responses": { "200": { "description": "The changed booking", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Booking" } } } },
                    "400": error_response("`unknown_status`, `reason_required`, `invalid_json`"),
                    "404": error_response("`unknown_booking`"),
                    "409": error_response("`illegal_transition`, `hold_expired`, `too_late_to_change`, `too_early` (a check-in more than 60 minutes before the start, a no-show or completion before it)") }
            }},
            "/bookings/{id}/reschedule": { "post": {
                "summary": "Move a booking to another slot (and optionally resource); the old slot is freed only if the new one is taken",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["start", "end"],
                    "additionalProperties": false, "properties": { "start": { "type": "string", "format": "date-time" }, "end": { "type": "string", "format": "date-time" },
                    "resource_id": { "type": "integer" } } } } } },
                "responses": { "200": { "description": "The moved booking", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Booking" } } } },
                    "400": error_response("`end_before_start`, `unsupported_date`, `invalid_json`"),
                    "404": error_response("`unknown_booking`, `unknown_resource`"),
                    "409": error_response("`slot_taken`, `blackout`, `not_movable`, `changed_meanwhile`, `too_late_to_change`"),
                    "422": error_response("`in_the_past`, `beyond_horizon`, `outside_opening_hours`, `unaligned`, `bad_length`") }
            }},
            "/bookings/{id}": { "get": {
                "summary": "One booking",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "responses": { "200": { "description": "The booking", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Booking" } } } },
                    "404": error_response("`unknown_booking`") }
            }}
        }
    })
}

/// Booking windows, pricing, blackouts, holds and recurring series.
fn rule_paths() -> Value {
    json!({
            "/resources/{id}": { "patch": {
                "summary": "Change a resource's booking window: buffer between bookings, lead time, horizon; a field left out or null keeps its value",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "additionalProperties": false, "properties": {
                    "buffer_minutes": { "type": ["integer", "null"], "minimum": 0, "maximum": 240 },
                    "lead_minutes": { "type": ["integer", "null"], "minimum": 0, "maximum": 10080, "description": "A booking must start at least this long after now" },
                    "horizon_days": { "type": ["integer", "null"], "minimum": 1, "maximum": 730, "description": "How far ahead the resource may be booked" },
                    "change_cutoff_minutes": { "type": ["integer", "null"], "minimum": 0, "maximum": 20160, "description": "Customers (customer-policy keys, the bot) may cancel or move until this many minutes before the start; staff always" } } } } } },
                "responses": { "200": { "description": "The resource", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Resource" } } } },
                    "400": error_response("`invalid`, `invalid_json`"), "404": error_response("`unknown_resource`") }
            }},
            "/resources/{id}/price-rules": {
                "get": {
                    "summary": "A resource's pricing rules, highest priority first",
                    "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                    "responses": { "200": { "description": "Rules", "content": { "application/json": { "schema": { "type": "object", "properties": {
                        "price_rules": { "type": "array", "items": { "$ref": "#/components/schemas/PriceRule" } } } } } } },
                        "404": error_response("`unknown_resource`") }
                },
                "post": {
                    "summary": "Add a pricing rule (peak hours, weekends, dates): a multiplier or a fixed hourly price, with a priority",
                    "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/PriceRule" } } } },
                    "responses": { "201": { "description": "The stored rule", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/PriceRule" } } } },
                        "400": error_response("`invalid_price_rule`, `invalid_json`"), "404": error_response("`unknown_resource`") }
                }
            },
            "/price-rules/{id}": { "delete": {
                "summary": "Delete a pricing rule",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "responses": { "204": { "description": "Deleted" }, "404": error_response("`unknown_price_rule`") }
            }},
            "/quote": { "get": {
                "summary": "The price of a slot, piece by piece where pricing rules change within it",
                "parameters": [
                    { "name": "resource_id", "in": "query", "required": true, "schema": { "type": "integer" } },
                    { "name": "start", "in": "query", "required": true, "schema": { "type": "string", "format": "date-time" } },
                    { "name": "end", "in": "query", "required": true, "schema": { "type": "string", "format": "date-time" } }
                ],
                "responses": { "200": { "description": "The quote", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Quote" } } } },
                    "400": error_response("`end_before_start`, `invalid_query`"), "404": error_response("`unknown_resource`"), "422": error_response("`bad_length`") }
            }},
            "/blackouts": {
                "get": {
                    "summary": "Blackouts overlapping a range",
                    "parameters": [
                        { "name": "from", "in": "query", "required": true, "schema": { "type": "string", "format": "date-time" } },
                        { "name": "to", "in": "query", "required": true, "schema": { "type": "string", "format": "date-time" } },
                        { "name": "outlet_id", "in": "query", "schema": { "type": "integer" } }
                    ],
                    "responses": { "200": { "description": "Blackouts", "content": { "application/json": { "schema": { "type": "object", "properties": {
                        "blackouts": { "type": "array", "items": { "$ref": "#/components/schemas/Blackout" } } } } } } },
                        "400": error_response("`end_before_start`, `invalid_query`") }
                },
                "post": {
                    "summary": "Close an outlet (outlet_id) or one resource (resource_id) for a while; bookings already inside are kept and returned as `conflicts`",
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["start", "end", "reason"], "additionalProperties": false, "properties": {
                        "outlet_id": { "type": "integer" }, "resource_id": { "type": "integer" },
                        "start": { "type": "string", "format": "date-time" }, "end": { "type": "string", "format": "date-time" }, "reason": { "type": "string", "maxLength": 200 } } } } } },
                    "responses": { "201": { "description": "Created", "content": { "application/json": { "schema": { "type": "object", "properties": {
                        "blackout": { "$ref": "#/components/schemas/Blackout" }, "conflicts": { "type": "array", "items": { "$ref": "#/components/schemas/Booking" } } } } } } },
                        "400": error_response("`end_before_start`, `missing_outlet`, `invalid`, `invalid_json`"), "404": error_response("`unknown_outlet`, `unknown_resource`") }
                }
            },
            "/blackouts/{id}": { "delete": {
                "summary": "Lift a blackout",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "responses": { "204": { "description": "Lifted" }, "404": error_response("`unknown_blackout`") }
            }},
            "/holds": { "post": {
                "summary": "Hold a slot while the customer decides (10 minutes by default, at most 30): it blocks the slot for everyone else",
                "parameters": [{ "name": "Idempotency-Key", "in": "header", "schema": { "type": "string", "maxLength": 200 },
                    "description": "Per tenant and endpoint, for 24 hours: a retry of the same request returns the first hold; another request with the key is 422 `idempotency_key_reused`" }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["start", "end", "customer_phone"], "additionalProperties": false, "properties": {
                    "resource_id": { "type": "integer" }, "resource_ids": { "type": "array", "items": { "type": "integer" }, "maxItems": 10 }, "start": { "type": "string", "format": "date-time" }, "end": { "type": "string", "format": "date-time" },
                    "customer_phone": { "type": "string" }, "customer_name": { "type": "string" },
                    "hold_minutes": { "type": "integer", "minimum": 1, "maximum": 30, "default": 10 } } } } } },
                "responses": { "201": { "description": "The hold: a pending booking with `hold_expires_at`", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Booking" } } } },
                    "400": error_response("`invalid_hold_length`, `invalid_json`, `end_before_start`, `unsupported_date`, `invalid_phone`, `invalid_name`, `too_many_resources`, `invalid_idempotency_key`"), "404": error_response("`unknown_resource`"),
                    "409": error_response("`slot_taken`, `blackout`"), "422": error_response("`in_the_past`, `beyond_horizon`, `outside_opening_hours`, `unaligned`, `bad_length`, `too_long`, `idempotency_key_reused`") }
            }},
            "/holds/{id}/confirm": { "post": {
                "summary": "Turn a live hold into a confirmed booking",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "responses": { "200": { "description": "The confirmed booking", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Booking" } } } },
                    "404": error_response("`unknown_booking`"), "409": error_response("`hold_expired`, `not_a_hold`") }
            }},
            "/holds/{id}": { "delete": {
                "summary": "Release a hold before it lapses",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "responses": { "200": { "description": "The released (cancelled) hold", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Booking" } } } },
                    "404": error_response("`unknown_booking`"), "409": error_response("`not_a_hold`") }
            }},
            "/series": { "post": {
                "summary": "Book a recurring series (RFC 5545 RRULE: FREQ=WEEKLY or MONTHLY, INTERVAL, BYDAY, BYMONTHDAY, COUNT or UNTIL); every occurrence is checked and reported",
                "parameters": [{ "name": "Idempotency-Key", "in": "header", "schema": { "type": "string", "maxLength": 200 },
                    "description": "As for bookings: a retry of the same request returns the first series" }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object",
                    "required": ["resource_id", "start", "end", "rrule", "customer_phone", "mode"], "additionalProperties": false, "properties": {
                    "resource_id": { "type": "integer" },
                    "start": { "type": "string", "format": "date-time", "description": "The first occurrence; later ones keep its local wall-clock time across DST" },
                    "end": { "type": "string", "format": "date-time" },
                    "rrule": { "type": "string", "example": "FREQ=WEEKLY;BYDAY=TH;COUNT=10" },
                    "customer_phone": { "type": "string" }, "customer_name": { "type": "string" },
                    "mode": { "type": "string", "enum": ["all_or_nothing", "free_ones"] } } } } } },
                "responses": { "201": { "description": "Booked (all, or the free ones)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SeriesReport" } } } },
                    "400": error_response("`invalid_rrule`, `invalid_phone`, `invalid_name`, `end_before_start`, `unsupported_date`, `invalid_json`, `invalid_idempotency_key`"), "404": error_response("`unknown_resource`"),
                    "422": error_response("`bad_length`, `too_long`, `idempotency_key_reused`"),
                    "409": { "description": "`series_not_free`: all-or-nothing met a refusal, or nothing was free; nothing was written; the report says why per occurrence",
                        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SeriesReport" } } } } }
            }},
            "/series/{id}": { "get": {
                "summary": "A series' occurrences, every status",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "responses": { "200": { "description": "The series", "content": { "application/json": { "schema": { "type": "object", "properties": {
                    "id": { "type": "integer" }, "bookings": { "type": "array", "items": { "$ref": "#/components/schemas/Booking" } } } } } } },
                    "404": error_response("`unknown_series`") }
            }},
            "/series/{id}/cancel": { "post": {
                "summary": "Cancel all occurrences not yet under way, or one occurrence and the ones after it (one alone: POST /bookings/{id}/status)",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["scope", "reason"], "additionalProperties": false, "properties": {
                    "scope": { "type": "string", "enum": ["all", "this_and_following"] }, "booking_id": { "type": "integer" }, "reason": { "type": "string" } } } } } },
                "responses": { "200": { "description": "The cancelled bookings' ids", "content": { "application/json": { "schema": { "type": "object", "properties": {
                    "series_id": { "type": "integer" }, "cancelled": { "type": "array", "items": { "type": "integer" } } } } } } },
                    "400": error_response("`missing_booking`, `reason_required`, `not_in_series`"), "404": error_response("`unknown_series`") }
            }}
    })
}

fn components() -> Value {
    json!({

            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": { "type": "object", "required": ["error"], "properties": { "error": { "type": "object", "required": ["code", "message"],
                    "properties": { "code": { "type": "string" }, "message": { "type": "string" } } } } },
                "Money": { "type": "object", "properties": { "amount": { "type": "integer", "description": "Minor units (whole rupiah for IDR)" }, "currency": { "type": "string" },
                    "display": { "type": "string", "example": "Rp 150.000" } } },
                "PriceRule": { "type": "object", "required": ["name", "priority", "when", "adjustment"], "properties": {
                    "id": { "type": "integer", "readOnly": true }, "resource_id": { "type": "integer", "readOnly": true },
                    "name": { "type": "string" }, "priority": { "type": "integer", "description": "Among rules that apply, the highest wins" },
                    "when": { "type": "object", "required": ["weekdays", "dates", "from_minute", "to_minute"], "properties": {
                        "weekdays": { "type": "array", "items": { "type": "string", "enum": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] }, "description": "Empty: any day" },
                        "dates": { "type": "array", "items": { "type": "string", "format": "date" }, "description": "Empty: any date" },
                        "from_minute": { "type": "integer", "minimum": 0, "maximum": 1439, "description": "Local minutes after midnight" },
                        "to_minute": { "type": "integer", "minimum": 1, "maximum": 1440 } } },
                    "adjustment": { "oneOf": [
                        { "type": "object", "required": ["type", "permille"], "properties": { "type": { "const": "multiplier" }, "permille": { "type": "integer", "description": "1500 = ×1.5" } } },
                        { "type": "object", "required": ["type", "price"], "properties": { "type": { "const": "fixed_hourly" }, "price": { "type": "object", "properties": {
                            "minor": { "type": "integer" }, "currency": { "type": "string" } } } } } ] } } },
                "Quote": { "type": "object", "properties": { "resource_id": { "type": "integer" }, "start": { "type": "string", "format": "date-time" }, "end": { "type": "string", "format": "date-time" },
                    "pieces": { "type": "array", "items": { "type": "object", "properties": { "start": { "type": "string", "format": "date-time" }, "end": { "type": "string", "format": "date-time" },
                        "rule": { "type": ["string", "null"] }, "hourly": { "$ref": "#/components/schemas/Money" }, "amount": { "$ref": "#/components/schemas/Money" } } } },
                    "total": { "$ref": "#/components/schemas/Money" } } },
                "Blackout": { "type": "object", "properties": { "id": { "type": "integer" }, "outlet_id": { "type": "integer" }, "resource_id": { "type": ["integer", "null"] },
                    "start": { "type": "string", "format": "date-time" }, "end": { "type": "string", "format": "date-time" }, "reason": { "type": "string" } } },
                "SeriesReport": { "type": "object", "properties": { "series_id": { "type": ["integer", "null"] }, "booked": { "type": "integer" }, "refused": { "type": "integer" },
                    "occurrences": { "type": "array", "items": { "type": "object", "properties": {
                        "start": { "type": "string", "format": "date-time" }, "end": { "type": "string", "format": "date-time" }, "local_start": { "type": "string" },
                        "status": { "type": "string", "enum": ["booked", "free", "refused"], "description": "`free`: would have been booked (all-or-nothing refused)" },
                        "booking_id": { "type": ["integer", "null"] },
                        "code": { "type": "string", "description": "When refused: `slot_taken`, `blackout`, `in_the_past`, `beyond_horizon`, `outside_opening_hours`, `unaligned`, `bad_length`" },
                        "message": { "type": "string" } } } },
                    "error": { "$ref": "#/components/schemas/Error/properties/error" } } },
                "Status": { "type": "string", "enum": ["pending", "confirmed", "checked_in", "completed", "cancelled", "no_show"] },
                "Resource": { "type": "object", "properties": {
                    "id": { "type": "integer" }, "outlet_id": { "type": "integer" }, "outlet": { "type": "string" }, "name": { "type": "string" },
                    "type": { "type": "string" }, "timezone": { "type": "string" }, "slot_minutes": { "type": "integer" },
                    "min_minutes": { "type": "integer" }, "max_minutes": { "type": "integer" }, "buffer_minutes": { "type": "integer" },
                    "lead_minutes": { "type": "integer" }, "horizon_days": { "type": "integer" },
                    "change_cutoff_minutes": { "type": "integer", "description": "Customers may cancel or move until this many minutes before the start" },
                    "hourly_rate": { "$ref": "#/components/schemas/Money" } } },
                "Slot": { "type": "object", "properties": { "resource_id": { "type": "integer" }, "start": { "type": "string", "format": "date-time" },
                    "end": { "type": "string", "format": "date-time" }, "local_start": { "type": "string" } } },
                "NewBooking": { "type": "object", "required": ["start", "end", "customer_phone"], "additionalProperties": false, "properties": {
                    "resource_id": { "type": "integer", "description": "The resource to book (or give `resource_ids`)" },
                    "resource_ids": { "type": "array", "items": { "type": "integer" }, "maxItems": 10,
                        "description": "Several resources for the same time (\"2 courts\"): all are booked under one code, or none" },
                    "start": { "type": "string", "format": "date-time" }, "end": { "type": "string", "format": "date-time" },
                    "customer_phone": { "type": "string", "description": "E.164, or a local number of the tenant's country (0812…, 812…)" }, "customer_name": { "type": "string", "maxLength": 120 } } },
                "Booking": { "type": "object", "properties": {
                    "id": { "type": "integer" }, "resource_id": { "type": "integer" }, "resource_name": { "type": "string" },
                    "start": { "type": "string", "format": "date-time" }, "end": { "type": "string", "format": "date-time" }, "local_start": { "type": "string" },
                    "status": { "$ref": "#/components/schemas/Status" }, "customer_phone": { "type": ["string", "null"] },
                    "price": { "$ref": "#/components/schemas/Money" }, "source": { "type": "string" },
                    "series_id": { "type": ["integer", "null"] }, "hold_expires_at": { "type": ["string", "null"], "format": "date-time" },
                    "code": { "type": ["string", "null"], "description": "Six Crockford base32 characters the customer quotes; shared by the bookings of one request" },
                    "bookings": { "type": "array", "items": { "type": "object" }, "description": "In a create's answer: every booking of the request (one per resource)" } } }
            }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_lists_the_answers_of_the_shared_layers() {
        let doc = spec();
        let paths = doc["paths"].as_object().expect("paths");
        assert!(paths.len() >= 18, "every route is described");
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
}
