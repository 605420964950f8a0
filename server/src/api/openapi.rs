//! `GET /api/v1/openapi.json`: the API described in OpenAPI 3.1, written
//! by hand next to the handlers it describes.

use axum::Json;
use serde_json::{json, Value};

fn error_response(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

pub async fn document() -> Json<Value> {
    Json(json!({
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
                        { "name": "limit", "in": "query", "schema": { "type": "integer", "maximum": 5000 } }
                    ],
                    "responses": { "200": { "description": "Bookings overlapping the range", "content": { "application/json": { "schema": {
                        "type": "object", "properties": { "bookings": { "type": "array", "items": { "$ref": "#/components/schemas/Booking" } } } } } } },
                        "400": error_response("`end_before_start`, `unknown_status`, `invalid_query`") }
                },
                "post": {
                    "summary": "Create a confirmed booking",
                    "parameters": [{ "name": "Idempotency-Key", "in": "header", "schema": { "type": "string", "maxLength": 200 },
                        "description": "A retry with a key already used returns the first booking and creates nothing" }],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NewBooking" } } } },
                    "responses": {
                        "201": { "description": "Created (or replayed for a reused Idempotency-Key)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Booking" } } } },
                        "400": error_response("`invalid_json`, `end_before_start`, `invalid_phone`"),
                        "404": error_response("`unknown_resource`"),
                        "409": error_response("`slot_taken`"),
                        "422": error_response("`in_the_past`, `beyond_horizon`, `outside_opening_hours`, `unaligned`, `bad_length`")
                    }
                }
            },
            "/bookings/{id}/status": { "post": {
                "summary": "Move a booking along its lifecycle (checked_in, completed, no_show, cancelled with a reason)",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["status"],
                    "additionalProperties": false, "properties": { "status": { "$ref": "#/components/schemas/Status" }, "reason": { "type": "string" } } } } } },
                "responses": { "200": { "description": "The changed booking", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Booking" } } } },
                    "400": error_response("`unknown_status`, `invalid` (a cancellation needs a reason), `invalid_json`"),
                    "404": error_response("`unknown_booking`"),
                    "409": error_response("`illegal_transition`") }
            }},
            "/bookings/{id}/reschedule": { "post": {
                "summary": "Move a booking to another slot (and optionally resource); the old slot is freed only if the new one is taken",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["start", "end"],
                    "additionalProperties": false, "properties": { "start": { "type": "string", "format": "date-time" }, "end": { "type": "string", "format": "date-time" },
                    "resource_id": { "type": "integer" } } } } } },
                "responses": { "200": { "description": "The moved booking", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Booking" } } } },
                    "400": error_response("`end_before_start`, `invalid`, `invalid_json`"),
                    "404": error_response("`unknown_booking`, `unknown_resource`"),
                    "409": error_response("`slot_taken`"),
                    "422": error_response("`in_the_past`, `beyond_horizon`, `outside_opening_hours`, `unaligned`, `bad_length`") }
            }},
            "/bookings/{id}": { "get": {
                "summary": "One booking",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "responses": { "200": { "description": "The booking", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Booking" } } } },
                    "404": error_response("`unknown_booking`") }
            }}
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": { "type": "object", "required": ["error"], "properties": { "error": { "type": "object", "required": ["code", "message"],
                    "properties": { "code": { "type": "string" }, "message": { "type": "string" } } } } },
                "Money": { "type": "object", "properties": { "amount": { "type": "integer", "description": "Minor units (whole rupiah for IDR)" }, "currency": { "type": "string" } } },
                "Status": { "type": "string", "enum": ["pending", "confirmed", "checked_in", "completed", "cancelled", "no_show"] },
                "Resource": { "type": "object", "properties": {
                    "id": { "type": "integer" }, "outlet_id": { "type": "integer" }, "outlet": { "type": "string" }, "name": { "type": "string" },
                    "type": { "type": "string" }, "timezone": { "type": "string" }, "slot_minutes": { "type": "integer" },
                    "min_minutes": { "type": "integer" }, "max_minutes": { "type": "integer" }, "buffer_minutes": { "type": "integer" },
                    "hourly_rate": { "$ref": "#/components/schemas/Money" } } },
                "Slot": { "type": "object", "properties": { "resource_id": { "type": "integer" }, "start": { "type": "string", "format": "date-time" },
                    "end": { "type": "string", "format": "date-time" }, "local_start": { "type": "string" } } },
                "NewBooking": { "type": "object", "required": ["resource_id", "start", "end", "customer_phone"], "additionalProperties": false, "properties": {
                    "resource_id": { "type": "integer" }, "start": { "type": "string", "format": "date-time" }, "end": { "type": "string", "format": "date-time" },
                    "customer_phone": { "type": "string", "description": "E.164 or local Indonesian form" }, "customer_name": { "type": "string" } } },
                "Booking": { "type": "object", "properties": {
                    "id": { "type": "integer" }, "resource_id": { "type": "integer" }, "resource_name": { "type": "string" },
                    "start": { "type": "string", "format": "date-time" }, "end": { "type": "string", "format": "date-time" }, "local_start": { "type": "string" },
                    "status": { "$ref": "#/components/schemas/Status" }, "customer_phone": { "type": ["string", "null"] },
                    "price": { "$ref": "#/components/schemas/Money" }, "source": { "type": "string" } } }
            }
        }
    }))
}
