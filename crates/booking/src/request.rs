//! What callers hand the booking service: who asks, under which policy,
//! and what they want. Types that parse: a request that gets this far has
//! a real time range, a parsed phone and a well-formed idempotency key.

use crate::error::BookingError;
use domain::availability::Policy;
use domain::{Actor, CustomerId, PhoneE164, ResourceId, TenantId, TimeRange};
use sha2::{Digest, Sha256};
use store::{BookingSource, MAX_IDEMPOTENCY_KEY};

/// Who is asking: the tenant, the rules that apply to them, and how they
/// are named in the booking's history and reports.
#[derive(Debug, Clone)]
pub struct Caller {
    pub tenant: TenantId,
    pub policy: Policy,
    pub actor: Actor,
    pub source: BookingSource,
}

/// Who the booking is for.
#[derive(Debug, Clone)]
pub enum CustomerRef {
    /// Found or created by phone number, inside the booking's transaction;
    /// a given name is kept.
    Phone {
        phone: PhoneE164,
        name: Option<String>,
    },
    /// Already known (the bot's conversation has one).
    Known(CustomerId),
}

/// The most resources one request takes at once ("3 lapangan").
pub const MAX_RESOURCES_PER_REQUEST: usize = 10;
/// How long a hold lasts unless the caller asks for another length.
pub const DEFAULT_HOLD_MINUTES: i64 = 10;
/// The longest hold: long enough to pay, short enough not to hoard slots.
pub const MAX_HOLD_MINUTES: i64 = 30;

/// A booking (or hold) of one or more resources for the same time: all are
/// booked under one code, or none is.
#[derive(Debug, Clone)]
pub struct BookRequest {
    pub resources: Vec<ResourceId>,
    pub range: TimeRange,
    pub customer: Option<CustomerRef>,
    /// `Some(minutes)` makes it a hold that lapses unless confirmed.
    pub hold_minutes: Option<i64>,
}

/// Where a booking moves to.
#[derive(Debug, Clone, Copy)]
pub struct MoveRequest {
    /// Another resource, or `None` for the same one.
    pub resource: Option<ResourceId>,
    pub range: TimeRange,
    /// Where the caller saw the booking when it chose the move, if it
    /// chose from a view (the calendar): a view drawn before another desk
    /// moved the booking must not silently undo that move.
    pub seen: Option<Seen>,
}

/// A booking's place as a caller last saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub resource: ResourceId,
    pub range: TimeRange,
}

/// A client's `Idempotency-Key` for one endpoint, with the hash of the
/// request it came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey {
    pub(crate) endpoint: &'static str,
    pub(crate) key: String,
    pub(crate) request_hash: String,
}

impl IdempotencyKey {
    /// A key as sent (1 to 200 visible ASCII characters, spaces allowed between them), scoped to
    /// `endpoint`, for the request whose canonical bytes are `request`.
    pub fn new(endpoint: &'static str, key: &str, request: &[u8]) -> Result<Self, BookingError> {
        let key = key.trim();
        if key.is_empty()
            || key.len() > MAX_IDEMPOTENCY_KEY
            || !key.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
        {
            return Err(BookingError::InvalidIdempotencyKey(MAX_IDEMPOTENCY_KEY));
        }
        Ok(IdempotencyKey {
            endpoint,
            key: key.to_string(),
            request_hash: hex::encode(Sha256::digest(request)),
        })
    }
}

/// The canonical bytes of a JSON request, so a retry that sends the same
/// fields in another order or spacing is recognised as the same request.
/// Keys are sorted here rather than trusting the map type: another crate
/// may turn on serde_json's `preserve_order`.
pub fn canonical_json(value: &serde_json::Value) -> Vec<u8> {
    let mut out = Vec::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &serde_json::Value, out: &mut Vec<u8>) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push(b'{');
            for (index, (key, item)) in entries.into_iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                out.extend(serde_json::to_vec(key).unwrap_or_default());
                out.push(b':');
                write_canonical(item, out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        scalar => out.extend(serde_json::to_vec(scalar).unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_request_in_another_order_hashes_the_same() {
        let a: serde_json::Value =
            serde_json::from_str(r#"{"b": [1, {"y": 2, "x": 1}], "a": "z"}"#).expect("json");
        let b: serde_json::Value =
            serde_json::from_str(r#"{"a":"z","b":[1,{"x":1,"y":2}]}"#).expect("json");
        assert_eq!(canonical_json(&a), canonical_json(&b));
        let key = |v| IdempotencyKey::new("bookings", "k", &canonical_json(v)).expect("key");
        assert_eq!(key(&a), key(&b));
        let c: serde_json::Value = serde_json::from_str(r#"{"a":"z","b":[1]}"#).expect("json");
        assert_ne!(key(&a), key(&c));
    }

    #[test]
    fn unreadable_keys_are_refused() {
        for bad in ["", "  ", "ключ", "a\tb", &"k".repeat(201)] {
            assert_eq!(
                IdempotencyKey::new("bookings", bad, b"{}").map_err(|e| e.code()),
                Err("invalid_idempotency_key"),
                "{bad:?}"
            );
        }
        assert!(IdempotencyKey::new("bookings", "order-42", b"{}").is_ok());
    }
}
