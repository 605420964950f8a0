//! Typed identifiers, so a resource id can never be passed where a booking id
//! is expected. They are plain integers underneath because both SQLite and
//! PostgreSQL hand out integer keys.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim().parse().map($name)
            }
        }
    };
}

id_type!(
    /// A venue business; every row in the database belongs to exactly one.
    TenantId
);
id_type!(
    /// A location of a tenant, with its own time zone.
    OutletId
);
id_type!(
    /// Something that is booked by the hour: a court, a room, a studio.
    ResourceId
);
id_type!(
    /// A booking of one resource for one time range.
    BookingId
);
id_type!(
    /// A staff member who signs in to the dashboard.
    UserId
);
id_type!(
    /// A customer, known by their WhatsApp number within one tenant.
    CustomerId
);
id_type!(
    /// A chat thread between one customer and one tenant.
    ConversationId
);
id_type!(
    /// A repeating booking (every Tuesday at 19:00 for ten weeks): its
    /// bookings carry it so they can be listed and cancelled together.
    SeriesId
);
id_type!(
    /// A pricing rule of a resource (peak hours, weekends), deleted by id.
    PriceRuleId
);
id_type!(
    /// Closed time of an outlet or a resource, reopened by id.
    BlackoutId
);
id_type!(
    /// A file or FAQ entry in a tenant's knowledge base.
    DocumentId
);
id_type!(
    /// One passage of a knowledge document, as searched and cited.
    ChunkId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_and_print_as_plain_numbers() {
        let id: ResourceId = " 42 ".parse().expect("parses");
        assert_eq!(id, ResourceId(42));
        assert_eq!(id.to_string(), "42");
        assert!("abc".parse::<BookingId>().is_err());
    }

    #[test]
    fn ids_serialize_transparently() {
        let json = serde_json::to_string(&TenantId(7)).expect("serializes");
        assert_eq!(json, "7");
    }
}
