//! The demo venue every fresh install starts with, so the product can be
//! tried (and tested in a browser) without typing in a venue first.

use crate::db::Store;
use crate::error::Result;
use crate::resources::NewResource;
use chrono::Weekday;
use domain::{LocalInterval, Money, ResourceKind, Role, TenantId, WeeklyHours};

/// The demo tenant's slug.
pub const DEMO_SLUG: &str = "demo";
/// The demo staff login, printed by `pesan serve` and `pesan seed-demo`.
pub const DEMO_EMAIL: &str = "owner@demo.pesan.id";
pub const DEMO_PASSWORD: &str = "pesan-demo";

/// What seeding did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSeed {
    pub tenant_id: TenantId,
    /// False when the demo tenant already existed and nothing was written.
    pub created: bool,
}

fn hours(text: &str) -> Vec<LocalInterval> {
    LocalInterval::parse_day(text).unwrap_or_default()
}

fn court_hours() -> WeeklyHours {
    WeeklyHours::every_day(hours("08:00-23:00"))
}

fn office_hours() -> WeeklyHours {
    let mut week = WeeklyHours::every_day(hours("08:00-18:00"));
    week.set_day(Weekday::Sat, hours("09:00-15:00"));
    week.set_day(Weekday::Sun, Vec::new());
    week
}

/// Creates "Demo Sports Center" with two Jakarta outlets, courts, a meeting
/// room, opening hours, prices and an owner login. Idempotent.
pub async fn seed_demo(store: &Store) -> Result<DemoSeed> {
    if let Some(tenant) = store.tenant_by_slug(DEMO_SLUG).await? {
        return Ok(DemoSeed {
            tenant_id: tenant.id,
            created: false,
        });
    }
    let tenant = store.create_tenant(DEMO_SLUG, "Demo Sports Center").await?;
    let jakarta = chrono_tz::Asia::Jakarta;
    let kemang = store
        .create_outlet(
            tenant.id,
            "Kemang",
            "Jl. Kemang Raya No. 10, Jakarta Selatan",
            jakarta,
        )
        .await?;
    let gading = store
        .create_outlet(
            tenant.id,
            "Kelapa Gading",
            "Jl. Boulevard Raya No. 5, Jakarta Utara",
            jakarta,
        )
        .await?;
    let resources = [
        (
            kemang.id,
            "Futsal Court 1",
            ResourceKind::Futsal,
            150_000,
            court_hours(),
        ),
        (
            kemang.id,
            "Futsal Court 2",
            ResourceKind::Futsal,
            150_000,
            court_hours(),
        ),
        (
            kemang.id,
            "Badminton Court 1",
            ResourceKind::Badminton,
            60_000,
            court_hours(),
        ),
        (
            kemang.id,
            "Badminton Court 2",
            ResourceKind::Badminton,
            60_000,
            court_hours(),
        ),
        (
            kemang.id,
            "Meeting Room A",
            ResourceKind::MeetingRoom,
            200_000,
            office_hours(),
        ),
        (
            gading.id,
            "Futsal Court 3",
            ResourceKind::Futsal,
            175_000,
            court_hours(),
        ),
        (
            gading.id,
            "Badminton Court 3",
            ResourceKind::Badminton,
            65_000,
            court_hours(),
        ),
        (
            gading.id,
            "Meeting Room B",
            ResourceKind::MeetingRoom,
            250_000,
            office_hours(),
        ),
    ];
    for (outlet_id, name, kind, rate, hours) in resources {
        let capacity = match kind {
            ResourceKind::Futsal => 12,
            ResourceKind::Badminton => 4,
            _ => 8,
        };
        store
            .create_resource(
                tenant.id,
                NewResource {
                    outlet_id,
                    name: name.to_string(),
                    kind,
                    capacity,
                    slot_minutes: 60,
                    min_minutes: 60,
                    max_minutes: 240,
                    hourly_rate: Money::idr(rate),
                    hours,
                },
            )
            .await?;
    }
    store
        .create_user(
            tenant.id,
            DEMO_EMAIL,
            "Demo Owner",
            Role::Owner,
            DEMO_PASSWORD,
        )
        .await?;
    Ok(DemoSeed {
        tenant_id: tenant.id,
        created: true,
    })
}
