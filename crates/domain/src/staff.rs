//! Staff roles: what a signed-in person may do in a tenant's dashboard.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A staff member's role within their tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Owns the business: everything, billing and tiers included.
    Owner,
    /// Runs the venue: resources, prices, staff.
    Admin,
    /// Front desk: calendar, bookings, inbox.
    Staff,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Staff => "staff",
        }
    }

    /// Whether this role may change resources, hours and prices.
    pub fn can_manage_resources(self) -> bool {
        matches!(self, Role::Owner | Role::Admin)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role name that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "owner" => Ok(Role::Owner),
            "admin" => Ok(Role::Admin),
            "staff" => Ok(Role::Staff),
            _ => Err(UnknownRole(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_only_owners_and_admins_manage_resources() {
        for role in [Role::Owner, Role::Admin, Role::Staff] {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!(Role::Admin.can_manage_resources());
        assert!(!Role::Staff.can_manage_resources());
    }
}
