//! Outlets as staff edit them: name, address, time zone, the number
//! customers can reach and a map link. The bot reads these when a customer
//! asks where the venue is, so what is saved is checked as if a customer
//! were about to read it.

use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::tenants::Outlet;
use chrono_tz::Tz;
use domain::{OutletId, PhoneE164, TenantId};

/// Longest outlet name.
pub const MAX_OUTLET_NAME: usize = 80;
/// Longest address (a street, a district, a city, directions).
pub const MAX_ADDRESS: usize = 300;
/// Longest map link.
pub const MAX_MAP_URL: usize = 500;

/// What staff fill in for an outlet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutletDetails {
    pub name: String,
    pub address: String,
    /// An IANA zone name (`Asia/Jakarta`).
    pub timezone: String,
    /// As typed (`0812…`, `+62 812…`), or empty.
    pub contact_phone: String,
    /// `https://…`, or empty.
    pub map_url: String,
}

/// [`OutletDetails`] after checking: what is stored.
struct Checked {
    name: String,
    address: String,
    timezone: Tz,
    contact_phone: String,
    map_url: String,
}

fn invalid<T>(message: &str) -> Result<T> {
    Err(StoreError::Invalid(message.to_string()))
}

impl OutletDetails {
    fn checked(&self) -> Result<Checked> {
        let name = self.name.trim();
        if name.is_empty() {
            return invalid("an outlet needs a name");
        }
        if name.chars().count() > MAX_OUTLET_NAME {
            return invalid("an outlet name has at most 80 characters");
        }
        if name.chars().any(crate::resources::invisible) {
            return invalid("an outlet name cannot contain control or invisible characters");
        }
        // Addresses may span lines; other control characters are refused.
        let address = self.address.trim().replace("\r\n", "\n");
        if address.chars().count() > MAX_ADDRESS {
            return invalid("an address has at most 300 characters");
        }
        if address
            .chars()
            .any(|c| c != '\n' && crate::resources::invisible(c))
        {
            return invalid("an address cannot contain control or invisible characters");
        }
        let timezone =
            self.timezone.trim().parse::<Tz>().or_else(|_| {
                invalid("choose a time zone from the list (for example Asia/Jakarta)")
            })?;
        let contact_phone = match self.contact_phone.trim() {
            "" => String::new(),
            typed => PhoneE164::parse(typed)
                .map_err(|e| StoreError::Invalid(format!("the contact number: {e}")))?
                .as_str()
                .to_string(),
        };
        let map_url = self.map_url.trim();
        if !map_url.is_empty() {
            if map_url.len() > MAX_MAP_URL {
                return invalid("a map link has at most 500 characters");
            }
            if !plausible_map_link(map_url) {
                return invalid("a map link is an https:// address with no spaces");
            }
        }
        Ok(Checked {
            name: name.to_string(),
            address,
            timezone,
            contact_phone,
            map_url: map_url.to_string(),
        })
    }
}

/// An `https://` link customers can trust to go where it says: a host of
/// letters, digits, dots and dashes (an optional port), no `user@` before
/// it (`https://maps.google.com@evil.example` goes to evil.example), and
/// nothing after it that is not a URL character.
fn plausible_map_link(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://") else {
        return false;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let host = authority
        .rsplit_once(':')
        .filter(|(_, port)| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(authority, |(host, _)| host);
    let host_ok = !host.is_empty()
        && host.contains('.')
        && !host.starts_with(['.', '-'])
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    let tail_ok = tail.bytes().all(|b| {
        b.is_ascii_graphic()
            && !matches!(
                b,
                b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}'
            )
    });
    host_ok && tail_ok
}

impl Store {
    /// Adds an outlet with every detail staff can give it.
    pub async fn add_outlet(&self, tenant: TenantId, details: &OutletDetails) -> Result<Outlet> {
        let c = details.checked()?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO outlets (tenant_id, name, address, timezone, contact_phone, map_url)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(tenant.0)
        .bind(&c.name)
        .bind(&c.address)
        .bind(c.timezone.name())
        .bind(&c.contact_phone)
        .bind(&c.map_url)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| StoreError::from_write(e, "an outlet with that name already exists"))?;
        self.outlet(tenant, OutletId(id)).await
    }

    /// Saves an outlet's details. A new time zone moves its opening hours
    /// with it (they are local times) and makes every booking check read
    /// them afresh (a trigger bumps its resources' settings version).
    pub async fn update_outlet(
        &self,
        tenant: TenantId,
        id: OutletId,
        details: &OutletDetails,
    ) -> Result<Outlet> {
        let c = details.checked()?;
        let mut tx = self.begin_write().await?;
        tx.touches(tenant);
        let done = sqlx::query(
            "UPDATE outlets SET name = $1, address = $2, timezone = $3, contact_phone = $4, map_url = $5
             WHERE tenant_id = $6 AND id = $7",
        )
        .bind(&c.name)
        .bind(&c.address)
        .bind(c.timezone.name())
        .bind(&c.contact_phone)
        .bind(&c.map_url)
        .bind(tenant.0)
        .bind(id.0)
        .execute(&mut **tx)
        .await
        .map_err(|e| StoreError::from_write(e, "an outlet with that name already exists"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await?;
        self.bookings_changed(tenant);
        self.outlet(tenant, id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details() -> OutletDetails {
        OutletDetails {
            name: " Senayan ".into(),
            address: "Jl. Asia Afrika 8\r\nJakarta".into(),
            timezone: "Asia/Jakarta".into(),
            contact_phone: "0812 3456 7890".into(),
            map_url: "https://maps.example/senayan".into(),
        }
    }

    #[test]
    fn details_are_normalised() {
        let c = details().checked().expect("valid");
        assert_eq!(c.name, "Senayan");
        assert_eq!(c.address, "Jl. Asia Afrika 8\nJakarta");
        assert_eq!(c.contact_phone, "+6281234567890");
        assert_eq!(c.timezone, chrono_tz::Asia::Jakarta);
    }

    #[test]
    fn hostile_details_are_refused_with_a_reason() {
        type Spoil = fn(&mut OutletDetails);
        let cases: [(&str, Spoil); 10] = [
            ("empty name", |d| d.name = "  ".into()),
            ("long name", |d| d.name = "x".repeat(81)),
            ("zero width", |d| d.name = "Sen\u{200b}ayan".into()),
            ("bidi address", |d| d.address = "Jl.\u{202e}evil".into()),
            ("zone", |d| d.timezone = "Mars/Olympus".into()),
            ("phone", |d| d.contact_phone = "call me".into()),
            ("javascript link", |d| {
                d.map_url = "javascript:alert(1)".into()
            }),
            ("spaced link", |d| d.map_url = "https://a b".into()),
            ("user info", |d| {
                d.map_url = "https://maps.google.com@evil.example/x".into()
            }),
            ("quote", |d| {
                d.map_url = "https://maps.example/\"onload".into()
            }),
        ];
        for (what, spoil) in cases {
            let mut d = details();
            spoil(&mut d);
            assert!(
                matches!(d.checked(), Err(StoreError::Invalid(_))),
                "{what} accepted"
            );
        }
        for good in [
            "https://maps.app.goo.gl/AbC123",
            "https://www.google.com/maps/place/-6.2,106.8?q=Senayan+Arena&z=17",
            "https://maps.example:8443/x#here",
        ] {
            let mut d = details();
            d.map_url = good.into();
            assert!(d.checked().is_ok(), "{good} refused");
        }
        let mut plain = details();
        plain.contact_phone = String::new();
        plain.map_url = String::new();
        assert!(plain.checked().is_ok());
    }
}
