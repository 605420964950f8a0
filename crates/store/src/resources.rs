//! Bookable resources and their weekly opening hours.

use crate::db::Store;
use crate::error::{Result, StoreError};
use chrono_tz::Tz;
use domain::opening_hours::weekday_from_monday;
use domain::resource::VenueKind;
use domain::{
    BookingCode, Currency, CustomerId, LocalInterval, Money, OutletId, ResourceId, ResourceKind,
    TenantId, WeeklyHours,
};
use sqlx::{Any, Transaction};
use std::sync::Arc;

/// A resource with what the booking rules need: its outlet's zone and hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub id: ResourceId,
    pub tenant_id: TenantId,
    pub outlet_id: OutletId,
    pub outlet_name: String,
    pub timezone: Tz,
    pub name: String,
    pub kind: ResourceKind,
    pub capacity: i64,
    pub slot_minutes: i64,
    pub min_minutes: i64,
    pub max_minutes: i64,
    pub buffer_minutes: i64,
    /// How late one may book: a slot must start at least this long after now.
    pub lead_minutes: i64,
    /// How far ahead one may book, in days.
    pub horizon_days: i64,
    /// Customers may cancel or move a booking until this many minutes
    /// before its start (0: until it starts); staff at any time.
    pub change_cutoff_minutes: i64,
    pub hourly_rate: Money,
    pub hours: WeeklyHours,
}

/// The booking-window settings staff tune after creating a resource; each
/// `None` keeps the current value.
#[derive(Debug, Clone, Copy, Default)]
pub struct BookingWindow {
    pub buffer_minutes: Option<i64>,
    pub lead_minutes: Option<i64>,
    pub horizon_days: Option<i64>,
    pub change_cutoff_minutes: Option<i64>,
}

impl BookingWindow {
    fn validate(&self) -> Result<()> {
        let invalid = |msg: &str| Err(StoreError::Invalid(msg.to_string()));
        if self.buffer_minutes.is_some_and(|m| !(0..=240).contains(&m)) {
            return invalid("the buffer is between 0 and 240 minutes");
        }
        if self
            .lead_minutes
            .is_some_and(|m| !(0..=7 * 24 * 60).contains(&m))
        {
            return invalid("the lead time is between 0 minutes and 7 days");
        }
        if self.horizon_days.is_some_and(|d| !(1..=730).contains(&d)) {
            return invalid("the booking horizon is between 1 and 730 days");
        }
        if self
            .change_cutoff_minutes
            .is_some_and(|m| !(0..=14 * 24 * 60).contains(&m))
        {
            return invalid("the change cutoff is between 0 minutes and 14 days");
        }
        Ok(())
    }
}

/// What staff fill in to create a resource.
#[derive(Debug, Clone)]
pub struct NewResource {
    pub outlet_id: OutletId,
    pub name: String,
    pub kind: ResourceKind,
    pub capacity: i64,
    pub slot_minutes: i64,
    pub min_minutes: i64,
    pub max_minutes: i64,
    pub hourly_rate: Money,
    pub hours: WeeklyHours,
}

impl NewResource {
    fn validate(&self) -> Result<()> {
        self.settings().validate()
    }

    fn settings(&self) -> ResourceSettings {
        ResourceSettings {
            name: self.name.clone(),
            kind: self.kind.clone(),
            capacity: self.capacity,
            slot_minutes: self.slot_minutes,
            min_minutes: self.min_minutes,
            max_minutes: self.max_minutes,
            hourly_rate: self.hourly_rate,
        }
    }
}

/// What staff may change on a resource after creating it (its hours,
/// booking window and price rules have their own forms). The outlet stays:
/// moving a resource would move its bookings to another zone.
#[derive(Debug, Clone)]
pub struct ResourceSettings {
    pub name: String,
    pub kind: ResourceKind,
    pub capacity: i64,
    pub slot_minutes: i64,
    pub min_minutes: i64,
    pub max_minutes: i64,
    pub hourly_rate: Money,
}

impl ResourceSettings {
    fn validate(&self) -> Result<()> {
        let invalid = |msg: &str| Err(StoreError::Invalid(msg.to_string()));
        if self.name.trim().is_empty() {
            return invalid("a resource needs a name");
        }
        if self.name.trim().chars().count() > 80 {
            return invalid("a resource name has at most 80 characters");
        }
        // Names reach customers in WhatsApp replies: invisible or
        // direction-changing characters would let two names look alike.
        if self.name.chars().any(invisible) {
            return invalid("a resource name cannot contain control or invisible characters");
        }
        if !(1..=1000).contains(&self.capacity) {
            return invalid("capacity is between 1 and 1000");
        }
        if ![15, 30, 60].contains(&self.slot_minutes) {
            return invalid("slot length is 15, 30 or 60 minutes");
        }
        if self.min_minutes < self.slot_minutes || self.min_minutes % self.slot_minutes != 0 {
            return invalid("the minimum length is a whole number of slots");
        }
        if self.max_minutes < self.min_minutes
            || self.max_minutes > crate::guard::MAX_BOOKING_MINUTES
        {
            return invalid("the maximum length is between the minimum and 24 hours");
        }
        if self.hourly_rate.minor < 0 {
            return invalid("the hourly rate cannot be negative");
        }
        if self.hourly_rate.minor > MAX_HOURLY_RATE_MINOR {
            return invalid("the hourly rate is at most Rp 100.000.000");
        }
        Ok(())
    }
}

/// Control, format (zero-width, bidirectional, tags), variation selectors,
/// blank fillers (Hangul, Braille) and other characters that show nothing
/// or change how the text around them shows.
pub(crate) fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{2800}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{E0000}'..='\u{E0FFF}')
}

/// A ceiling far above any court's price, so a typo (or a hostile form)
/// cannot make a price that overflows a week of bookings' sums.
const MAX_HOURLY_RATE_MINOR: i64 = 100_000_000;

#[derive(sqlx::FromRow)]
struct ResourceRow {
    id: i64,
    tenant_id: i64,
    outlet_id: i64,
    outlet_name: String,
    timezone: String,
    name: String,
    kind: String,
    capacity: i64,
    slot_minutes: i64,
    min_minutes: i64,
    max_minutes: i64,
    buffer_minutes: i64,
    lead_minutes: i64,
    horizon_days: i64,
    change_cutoff_minutes: i64,
    hourly_rate_minor: i64,
    currency: String,
    hours: Option<String>,
    kind_name_en: Option<String>,
    kind_name_id: Option<String>,
}

/// A resource with its weekly hours, in one row: the hours come folded
/// into one string (`weekday,open,minutes;…`), so reading resources is one
/// round trip (the driver's cost per row, not the database, dominates
/// small reads through `Any`). `{extra}` adds columns. Only active
/// resources: an archived one takes no booking (see
/// [`Store::archive_resource`]); `archived_select!` reads the others.
macro_rules! resource_select {
    ($($extra:literal),*) => {
        concat!(columns_select!($($extra),*), " AND r.active")
    };
}

/// The archived resources, in the same shape as `resource_select!`.
macro_rules! archived_select {
    () => {
        concat!(columns_select!(), " AND NOT r.active")
    };
}

macro_rules! columns_select {
    ($($extra:literal),*) => {
        concat!(
            "SELECT r.id, r.tenant_id, r.outlet_id, o.name AS outlet_name, o.timezone, r.name, r.kind,
                r.capacity, r.slot_minutes, r.min_minutes, r.max_minutes, r.buffer_minutes,
                r.lead_minutes, r.horizon_days, r.change_cutoff_minutes, r.hourly_rate_minor, r.currency,
                (SELECT string_agg(h.weekday || ',' || h.open_minute || ',' || h.minutes, ';')
                   FROM opening_hours h WHERE h.tenant_id = r.tenant_id AND h.resource_id = r.id) AS hours,
                k.name_en AS kind_name_en, k.name_id AS kind_name_id",
            $($extra,)*
            " FROM resources r JOIN outlets o ON o.id = r.outlet_id AND o.tenant_id = r.tenant_id
            LEFT JOIN resource_kinds k ON k.tenant_id = r.tenant_id AND k.key = r.kind
            WHERE r.tenant_id = $1"
        )
    };
}

const RESOURCE_SELECT: &str = resource_select!("");
const ARCHIVED_SELECT: &str = archived_select!();

impl ResourceRow {
    fn into_resource(self) -> Result<Resource> {
        let hours = parse_hours(self.id, self.hours.as_deref().unwrap_or_default())?;
        let bad =
            |what: &str| StoreError::Corrupt(format!("resource {} has an invalid {what}", self.id));
        Ok(Resource {
            id: ResourceId(self.id),
            tenant_id: TenantId(self.tenant_id),
            outlet_id: OutletId(self.outlet_id),
            timezone: self.timezone.parse().map_err(|_| bad("time zone"))?,
            kind: self.kind.parse().unwrap_or_else(|_| {
                // A venue's own kind, with its names; a key whose kind is
                // gone (a hand edit) still reads, named by its key.
                let name_en = self.kind_name_en.unwrap_or_else(|| self.kind.clone());
                ResourceKind::Custom(VenueKind {
                    name_id: self.kind_name_id.unwrap_or_else(|| name_en.clone()),
                    name_en,
                    key: self.kind,
                })
            }),
            hourly_rate: Money::new(
                self.hourly_rate_minor,
                self.currency
                    .parse::<Currency>()
                    .map_err(|_| bad("currency"))?,
            ),
            outlet_name: self.outlet_name,
            name: self.name,
            capacity: self.capacity,
            slot_minutes: self.slot_minutes,
            min_minutes: self.min_minutes,
            max_minutes: self.max_minutes,
            buffer_minutes: self.buffer_minutes,
            lead_minutes: self.lead_minutes,
            horizon_days: self.horizon_days,
            change_cutoff_minutes: self.change_cutoff_minutes,
            hours,
        })
    }
}

impl Store {
    /// Creates a resource and its hours in one transaction. The outlet must
    /// belong to `tenant` (otherwise `NotFound`).
    pub async fn create_resource(&self, tenant: TenantId, new: NewResource) -> Result<Resource> {
        new.validate()?;
        self.outlet(tenant, new.outlet_id).await?;
        // A write from the start (on SQLite, `BEGIN IMMEDIATE` in this
        // process's turn): the kind is read before the insert, and a read
        // transaction upgraded to a write would fail while another writes.
        let mut tx = self.begin_write().await?;
        tx.touches(tenant);
        crate::resource_kinds::ensure_kind(&mut tx, self.backend(), tenant, &new.kind).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO resources (tenant_id, outlet_id, name, kind, capacity, slot_minutes, min_minutes, max_minutes, hourly_rate_minor, currency)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(tenant.0)
        .bind(new.outlet_id.0)
        .bind(new.name.trim())
        .bind(new.kind.as_str())
        .bind(new.capacity)
        .bind(new.slot_minutes)
        .bind(new.min_minutes)
        .bind(new.max_minutes)
        .bind(new.hourly_rate.minor)
        .bind(new.hourly_rate.currency.code())
        .fetch_one(&mut **tx)
        .await
        .map_err(|e| StoreError::from_write(e, "this outlet already has a resource with that name (archived ones count: restore or rename it)"))?;
        write_hours(&mut tx, tenant, ResourceId(id), &new.hours).await?;
        tx.commit().await?;
        self.bookings_changed(tenant);
        self.resource(tenant, ResourceId(id)).await
    }

    /// Replaces a resource's weekly hours.
    pub async fn set_opening_hours(
        &self,
        tenant: TenantId,
        id: ResourceId,
        hours: &WeeklyHours,
    ) -> Result<Resource> {
        // Under the resource's lock, like a booking's check: a booking made
        // meanwhile is checked against the old hours or the new ones, never
        // against the old ones after the new ones are in.
        let mut tx = self.begin_write().await?;
        tx.touches(tenant);
        crate::guard::lock_resource(&mut tx, self.backend(), tenant, id).await?;
        sqlx::query("DELETE FROM opening_hours WHERE tenant_id = $1 AND resource_id = $2")
            .bind(tenant.0)
            .bind(id.0)
            .execute(&mut **tx)
            .await?;
        write_hours(&mut tx, tenant, id, hours).await?;
        tx.commit().await?;
        self.resource(tenant, id).await
    }

    /// Changes the buffer, lead time, horizon and change cutoff of a
    /// resource. New rules apply to new bookings; existing ones stay as they
    /// are. Read and written in one write transaction under the resource's
    /// lock, so two partial changes at once both take effect.
    pub async fn set_booking_window(
        &self,
        tenant: TenantId,
        id: ResourceId,
        window: BookingWindow,
    ) -> Result<Resource> {
        window.validate()?;
        let mut tx = self.begin_write().await?;
        tx.touches(tenant);
        let current = locked_resource(&mut tx, self.backend(), tenant, id).await?;
        sqlx::query(
            "UPDATE resources SET buffer_minutes = $1, lead_minutes = $2, horizon_days = $3, change_cutoff_minutes = $6
             WHERE tenant_id = $4 AND id = $5",
        )
        .bind(window.buffer_minutes.unwrap_or(current.buffer_minutes))
        .bind(window.lead_minutes.unwrap_or(current.lead_minutes))
        .bind(window.horizon_days.unwrap_or(current.horizon_days))
        .bind(tenant.0)
        .bind(id.0)
        .bind(
            window
                .change_cutoff_minutes
                .unwrap_or(current.change_cutoff_minutes),
        )
        .execute(&mut **tx)
        .await?;
        tx.commit().await?;
        self.resource(tenant, id).await
    }

    /// Changes a resource's name, type, capacity, lengths and base rate.
    /// Under the resource's lock (its `settings_version` moves, so a booking
    /// priced under the old settings is checked again); bookings already
    /// made keep their price and length.
    pub async fn update_resource(
        &self,
        tenant: TenantId,
        id: ResourceId,
        settings: ResourceSettings,
    ) -> Result<Resource> {
        settings.validate()?;
        let mut tx = self.begin_write().await?;
        tx.touches(tenant);
        let current = locked_resource(&mut tx, self.backend(), tenant, id).await?;
        crate::resource_kinds::ensure_kind(&mut tx, self.backend(), tenant, &settings.kind).await?;
        sqlx::query(
            "UPDATE resources SET name = $1, kind = $2, capacity = $3, slot_minutes = $4,
                    min_minutes = $5, max_minutes = $6, hourly_rate_minor = $7
             WHERE tenant_id = $8 AND id = $9",
        )
        .bind(settings.name.trim())
        .bind(settings.kind.as_str())
        .bind(settings.capacity)
        .bind(settings.slot_minutes)
        .bind(settings.min_minutes)
        .bind(settings.max_minutes)
        // The currency is the resource's: the form speaks in its units.
        .bind(Money::new(settings.hourly_rate.minor, current.hourly_rate.currency).minor)
        .bind(tenant.0)
        .bind(id.0)
        .execute(&mut **tx)
        .await
        .map_err(|e| {
            StoreError::from_write(e, "this outlet already has a resource with that name (archived ones count: restore or rename it)")
        })?;
        tx.commit().await?;
        self.bookings_changed(tenant);
        self.resource(tenant, id).await
    }

    /// Archives a resource: it leaves the lists, the calendar and every
    /// search and takes no booking, while its bookings and their history
    /// stay. Refused while it has bookings to come (staff move or cancel
    /// them first), so archiving never strands a customer.
    pub async fn archive_resource(
        &self,
        tenant: TenantId,
        id: ResourceId,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        tx.touches(tenant);
        locked_resource(&mut tx, self.backend(), tenant, id).await?;
        // Bookings to come, lapsed holds aside; `starts_at` bounded below
        // (no booking is longer than a day) so the index does the work.
        let upcoming: i64 = sqlx::query_scalar(&format!(
            "SELECT count(*) FROM bookings
             WHERE tenant_id = $1 AND resource_id = $2 AND ends_at > $3 AND starts_at > $4
               AND status IN {}
               AND NOT (status = 'pending' AND hold_expires_at IS NOT NULL AND hold_expires_at <= $3)",
            crate::bookings::ACTIVE_STATUSES
        ))
        .bind(tenant.0)
        .bind(id.0)
        .bind(now.timestamp())
        .bind(now.timestamp() - crate::guard::MAX_BOOKING_MINUTES * 60)
        .fetch_one(&mut **tx)
        .await?;
        if upcoming > 0 {
            return Err(StoreError::Invalid(format!(
                "it still has {upcoming} booking{} to come: move or cancel {} first",
                if upcoming == 1 { "" } else { "s" },
                if upcoming == 1 { "it" } else { "them" },
            )));
        }
        sqlx::query("UPDATE resources SET active = $1 WHERE tenant_id = $2 AND id = $3")
            .bind(false)
            .bind(tenant.0)
            .bind(id.0)
            .execute(&mut **tx)
            .await?;
        tx.commit().await?;
        self.bookings_changed(tenant);
        Ok(())
    }

    /// Brings an archived resource back, with its hours and rules as they
    /// were. (Names stay unique across archived resources too, so its name
    /// is still its own.)
    pub async fn restore_resource(&self, tenant: TenantId, id: ResourceId) -> Result<Resource> {
        let mut tx = self.begin_write().await?;
        tx.touches(tenant);
        let done = sqlx::query(
            "UPDATE resources SET active = $1 WHERE tenant_id = $2 AND id = $3 AND NOT active",
        )
        .bind(true)
        .bind(tenant.0)
        .bind(id.0)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await?;
        self.bookings_changed(tenant);
        self.resource(tenant, id).await
    }

    /// The tenant's archived resources, by outlet then name.
    pub async fn archived_resources(&self, tenant: TenantId) -> Result<Vec<Resource>> {
        let rows = sqlx::query_as::<_, ResourceRow>(&format!(
            "{ARCHIVED_SELECT} ORDER BY r.outlet_id, r.name"
        ))
        .bind(tenant.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(ResourceRow::into_resource).collect()
    }

    /// One archived resource (`NotFound` if it is active or not the
    /// tenant's), so its page can still show it and offer to restore it.
    pub async fn archived_resource(&self, tenant: TenantId, id: ResourceId) -> Result<Resource> {
        let row = sqlx::query_as::<_, ResourceRow>(&format!("{ARCHIVED_SELECT} AND r.id = $2"))
            .bind(tenant.0)
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        row.into_resource()
    }

    pub async fn resource(&self, tenant: TenantId, id: ResourceId) -> Result<Resource> {
        let row = sqlx::query_as::<_, ResourceRow>(&format!("{RESOURCE_SELECT} AND r.id = $2"))
            .bind(tenant.0)
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        row.into_resource()
    }

    /// Every active resource of the tenant, by outlet then name.
    pub async fn resources(&self, tenant: TenantId) -> Result<Vec<Resource>> {
        let rows = sqlx::query_as::<_, ResourceRow>(&format!(
            "{RESOURCE_SELECT} ORDER BY r.outlet_id, r.name"
        ))
        .bind(tenant.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(ResourceRow::into_resource).collect()
    }

    /// The tenant's resources as [`Store::resources`] lists them, for an
    /// availability search: a list read lately may serve (see
    /// `crate::search_cache`), so never decide a write on it.
    pub async fn resources_for_search(&self, tenant: TenantId) -> Result<Arc<Vec<Resource>>> {
        if let Some(known) = self.search.resources(tenant) {
            return Ok(known);
        }
        let stamp = self.search.stamp(tenant);
        let read = Arc::new(self.resources(tenant).await?);
        self.search.put_resources(tenant, stamp, Arc::clone(&read));
        Ok(read)
    }
}

/// The resource inside a write transaction, its row locked on PostgreSQL
/// (see [`crate::guard::lock_resource`]), so the rules a booking is checked
/// against cannot change before it commits.
pub(crate) async fn locked_resource(
    tx: &mut Transaction<'static, Any>,
    backend: crate::db::Backend,
    tenant: TenantId,
    id: ResourceId,
) -> Result<Resource> {
    let row = sqlx::query_as::<_, ResourceRow>(&format!(
        "{RESOURCE_SELECT} AND r.id = $2{}",
        backend.for_update(" OF r")
    ))
    .bind(tenant.0)
    .bind(id.0)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    row.into_resource()
}

/// PostgreSQL: what claims a request's booking code in the statement that
/// locks its resource — the code `$4` at `$5` for tenant `$1`, nothing when
/// `$4` is null — as `claimed` (one row if it was free). `ON CONFLICT DO
/// NOTHING`: a taken code must not abort the transaction, only be refused.
macro_rules! claim_code_cte {
    () => {
        "WITH claimed AS (
             INSERT INTO booking_codes (tenant_id, code, created_at)
             SELECT $1, $4, $5 WHERE $4 IS NOT NULL
             ON CONFLICT DO NOTHING RETURNING 1) "
    };
}

/// `CodeTaken` when a claim was asked for and [`claim_code_cte`] claimed
/// nothing.
fn ensure_claimed(claim: Option<(&BookingCode, i64)>, claimed: i64) -> Result<()> {
    if claim.is_some() && claimed != 1 {
        return Err(StoreError::CodeTaken);
    }
    Ok(())
}

/// A resource as a booking needs it, read in one round trip inside the
/// write transaction (its row locked on PostgreSQL, like
/// [`locked_resource`]): the resource with its opening hours, its price
/// rules, highest priority first, and its `settings_version` (see
/// `crate::booking_cache`). Hours come folded into one string
/// (`weekday,open,minutes;…`) and the rules into one JSON array (each rule
/// is stored as a JSON document), so the driver hands over one row. On
/// PostgreSQL the same statement may claim the request's booking code
/// (`claim`), saving the claim its own round trip.
pub(crate) async fn locked_resource_and_rules(
    tx: &mut Transaction<'static, Any>,
    backend: crate::db::Backend,
    tenant: TenantId,
    id: ResourceId,
    customer_phone: Option<&str>,
    claim: Option<(&BookingCode, i64)>,
) -> Result<LockedBundle> {
    #[derive(sqlx::FromRow)]
    struct Bundle {
        #[sqlx(flatten)]
        row: ResourceRow,
        rules: Option<String>,
        customer_id: Option<i64>,
        customer_name: Option<String>,
        settings_version: i64,
        seen_version: i64,
        claimed: i64,
    }
    macro_rules! bundle_select {
        ($claimed:literal) => {
            resource_select!(
                ", (SELECT '[' || string_agg(p.rule, ',' ORDER BY p.priority DESC, p.id) || ']'
                      FROM price_rules p WHERE p.tenant_id = r.tenant_id AND p.resource_id = r.id) AS rules,
                   (SELECT c.id FROM customers c WHERE c.tenant_id = r.tenant_id AND c.phone = $3) AS customer_id,
                   (SELECT c.name FROM customers c WHERE c.tenant_id = r.tenant_id AND c.phone = $3) AS customer_name,
                   r.settings_version,
                   (SELECT s.settings_version FROM resources s WHERE s.id = r.id) AS seen_version, ",
                $claimed,
                " AS claimed"
            )
        };
    }
    let sql = match backend {
        crate::db::Backend::Postgres => format!(
            concat!(claim_code_cte!(), "{} AND r.id = $2{}"),
            bundle_select!("(SELECT count(*) FROM claimed)"),
            backend.for_update(" OF r")
        ),
        crate::db::Backend::Sqlite => {
            if claim.is_some() {
                return Err(StoreError::Invalid(
                    "on SQLite the booking's insert claims its code".into(),
                ));
            }
            format!("{} AND r.id = $2", bundle_select!("0"))
        }
    };
    // PostgreSQL, READ COMMITTED: when the lock had to wait for a settings
    // writer, the locked row is the writer's (its new settings_version) but
    // the hours, rules and outlet were read as of the statement's start,
    // before that writer committed — `seen_version` is the version they
    // belong to. Then read again: the lock is held now, so nothing moves.
    let mut claim = claim;
    let mut reads = 0;
    let bundle = loop {
        reads += 1;
        let mut query = sqlx::query_as::<_, Bundle>(&sql)
            .bind(tenant.0)
            .bind(id.0)
            .bind(customer_phone);
        if backend == crate::db::Backend::Postgres {
            query = query
                .bind(claim.map(|(code, _)| code.as_str()))
                .bind(claim.map_or(0, |(_, at)| at));
        }
        let bundle = query
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        ensure_claimed(claim.take(), bundle.claimed)?;
        if bundle.seen_version == bundle.settings_version {
            break bundle;
        }
        if reads >= 3 {
            return Err(StoreError::Corrupt(format!(
                "resource {} changed under its own lock",
                id.0
            )));
        }
    };
    let rules = match bundle.rules.as_deref() {
        None => Vec::new(),
        Some(json) => serde_json::from_str(json).map_err(|e| {
            StoreError::Corrupt(format!(
                "stored price rules of resource {} are unreadable: {e}",
                id.0
            ))
        })?,
    };
    Ok(LockedBundle {
        resource: bundle.row.into_resource()?,
        rules,
        customer: bundle.customer_id.map(|id| (id, bundle.customer_name)),
        version: bundle.settings_version,
    })
}

/// PostgreSQL: locks the tenant's active resource `id`, claiming `claim`
/// (the request's code) in the same statement (`CodeTaken` if taken), and
/// tells whether its `settings_version` is still `version` and, when given,
/// the customer `(id, number, name the request gave)` still has that number
/// and name. `NotFound` when the resource is gone or archived. What a
/// booking that kept an earlier read (see `crate::booking_cache`) runs
/// instead of [`locked_resource_and_rules`]: one lean round trip.
pub(crate) async fn lock_and_check(
    tx: &mut Transaction<'static, Any>,
    tenant: TenantId,
    id: ResourceId,
    version: i64,
    claim: Option<(&BookingCode, i64)>,
    customer: Option<(CustomerId, &str, Option<&str>)>,
) -> Result<bool> {
    let row: Option<(i64, i64, i64)> = sqlx::query_as(concat!(
        claim_code_cte!(),
        "SELECT r.settings_version, (SELECT count(*) FROM claimed),
                CASE WHEN $3 IS NULL OR EXISTS (
                    SELECT 1 FROM customers c WHERE c.tenant_id = r.tenant_id AND c.id = $3
                      AND c.phone = $6 AND ($7 IS NULL OR c.name = $7)) THEN 1 ELSE 0 END
         FROM resources r WHERE r.tenant_id = $1 AND r.id = $2 AND r.active
         FOR UPDATE OF r"
    ))
    .bind(tenant.0)
    .bind(id.0)
    .bind(customer.map(|(c, _, _)| c.0))
    .bind(claim.map(|(code, _)| code.as_str()))
    .bind(claim.map_or(0, |(_, at)| at))
    .bind(customer.map(|(_, phone, _)| phone))
    .bind(customer.and_then(|(_, _, name)| name))
    .fetch_optional(&mut **tx)
    .await?;
    let (current, claimed, customer_holds) = row.ok_or(StoreError::NotFound)?;
    ensure_claimed(claim, claimed)?;
    Ok(current == version && customer_holds == 1)
}

/// What a booking reads in one round trip: the locked resource, its price
/// rules, the customer with the given number as `(id, name)` if known, and
/// the resource's `settings_version`.
pub(crate) struct LockedBundle {
    pub resource: Resource,
    pub rules: Vec<domain::pricing::PriceRule>,
    pub customer: Option<(i64, Option<String>)>,
    pub version: i64,
}

/// A resource's folded hours (`weekday,open,minutes;…`, see
/// [`resource_select`]) as its week.
fn parse_hours(resource: i64, folded: &str) -> Result<WeeklyHours> {
    let unreadable = || {
        StoreError::Corrupt(format!(
            "stored opening hours of resource {resource} are unreadable"
        ))
    };
    let mut intervals: Vec<(i64, i64, i64)> = Vec::new();
    for item in folded.split(';').filter(|item| !item.is_empty()) {
        let mut parts = item.split(',').map(str::parse::<i64>);
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(Ok(weekday)), Some(Ok(open)), Some(Ok(minutes)), None) => {
                intervals.push((weekday, open, minutes))
            }
            _ => return Err(unreadable()),
        }
    }
    // string_agg's order is unspecified: by weekday, then opening.
    intervals.sort_unstable();
    let mut days: Vec<Vec<LocalInterval>> = vec![Vec::new(); 7];
    for (weekday, open, minutes) in intervals {
        let interval = LocalInterval::from_open_and_length(
            u16::try_from(open).unwrap_or(u16::MAX),
            u16::try_from(minutes).unwrap_or(0),
        )
        .map_err(|e| StoreError::Corrupt(format!("stored opening hours are invalid: {e}")))?;
        days[usize::try_from(weekday).unwrap_or(0) % 7].push(interval);
    }
    let mut hours = WeeklyHours::default();
    for (index, intervals) in days.into_iter().enumerate() {
        hours.set_day(weekday_from_monday(index), intervals);
    }
    Ok(hours)
}

async fn write_hours(
    tx: &mut Transaction<'_, Any>,
    tenant: TenantId,
    id: ResourceId,
    hours: &WeeklyHours,
) -> Result<()> {
    for (day, interval) in hours.iter() {
        sqlx::query("INSERT INTO opening_hours (tenant_id, resource_id, weekday, open_minute, minutes) VALUES ($1, $2, $3, $4, $5)")
            .bind(tenant.0)
            .bind(id.0)
            .bind(i64::from(day.num_days_from_monday()))
            .bind(i64::from(interval.open_minute()))
            .bind(i64::from(interval.minutes()))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
