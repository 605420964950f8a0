//! Kinds of bookable space, the words customers use for them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a resource is, as a customer would ask for it ("futsal", "ruang rapat").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = ResourceType))]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    Futsal,
    Badminton,
    Tennis,
    Basketball,
    MeetingRoom,
    Studio,
    Karaoke,
}

impl ResourceKind {
    pub const ALL: [ResourceKind; 7] = [
        ResourceKind::Futsal,
        ResourceKind::Badminton,
        ResourceKind::Tennis,
        ResourceKind::Basketball,
        ResourceKind::MeetingRoom,
        ResourceKind::Studio,
        ResourceKind::Karaoke,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Futsal => "futsal",
            ResourceKind::Badminton => "badminton",
            ResourceKind::Tennis => "tennis",
            ResourceKind::Basketball => "basketball",
            ResourceKind::MeetingRoom => "meeting_room",
            ResourceKind::Studio => "studio",
            ResourceKind::Karaoke => "karaoke",
        }
    }

    /// How to name it in a reply, in English or Indonesian.
    pub fn label(self, indonesian: bool) -> &'static str {
        match (self, indonesian) {
            (ResourceKind::Futsal, false) => "futsal court",
            (ResourceKind::Futsal, true) => "lapangan futsal",
            (ResourceKind::Badminton, false) => "badminton court",
            (ResourceKind::Badminton, true) => "lapangan badminton",
            (ResourceKind::Tennis, false) => "tennis court",
            (ResourceKind::Tennis, true) => "lapangan tenis",
            (ResourceKind::Basketball, false) => "basketball court",
            (ResourceKind::Basketball, true) => "lapangan basket",
            (ResourceKind::MeetingRoom, false) => "meeting room",
            (ResourceKind::MeetingRoom, true) => "ruang rapat",
            (ResourceKind::Studio, false) => "studio",
            (ResourceKind::Studio, true) => "studio",
            (ResourceKind::Karaoke, false) => "karaoke room",
            (ResourceKind::Karaoke, true) => "ruang karaoke",
        }
    }
}

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A resource kind name that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown resource type {0:?}")]
pub struct UnknownKind(pub String);

impl FromStr for ResourceKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == s.trim())
            .ok_or_else(|| UnknownKind(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in ResourceKind::ALL {
            assert_eq!(kind.as_str().parse::<ResourceKind>(), Ok(kind));
        }
        assert!("swimming".parse::<ResourceKind>().is_err());
    }
}
