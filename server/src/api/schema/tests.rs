//! The hand-written instants and slots held to chrono and serde.
use super::*;
use chrono::{Duration, TimeZone};

#[test]
fn instants_are_written_as_chrono_writes_them() {
    let zones = [
        chrono_tz::Asia::Jakarta,
        chrono_tz::Asia::Kathmandu,
        chrono_tz::America::St_Johns,
    ];
    let mut at = Utc
        .with_ymd_and_hms(1999, 12, 31, 23, 59, 58)
        .single()
        .expect("valid");
    // Every few hours and seconds over three decades, across leap days
    // and the zones' offsets.
    while at.year() < 2030 {
        assert_eq!(rfc3339(at), at.to_rfc3339_opts(SecondsFormat::Secs, false));
        for zone in &zones {
            assert_eq!(
                local_minute(at, zone),
                at.with_timezone(zone).format("%Y-%m-%dT%H:%M").to_string()
            );
        }
        at += Duration::seconds(7 * 3600 + 13 * 60 + 7);
    }
    // Years chrono writes with a sign or more digits.
    for year in [-5, 0, 9999, 10000, 12345] {
        if let Some(at) = Utc.with_ymd_and_hms(year, 3, 1, 8, 5, 9).single() {
            assert_eq!(rfc3339(at), at.to_rfc3339_opts(SecondsFormat::Secs, false));
            assert_eq!(
                local_minute(at, &zones[0]),
                at.with_timezone(&zones[0])
                    .format("%Y-%m-%dT%H:%M")
                    .to_string()
            );
        }
    }
}

fn court(id: i64, timezone: Tz) -> Resource {
    Resource {
        id: domain::ResourceId(id),
        tenant_id: domain::TenantId(1),
        outlet_id: domain::OutletId(1),
        outlet_name: "Main".into(),
        timezone,
        name: format!("Court {id}"),
        kind: domain::ResourceKind::Futsal,
        capacity: 10,
        slot_minutes: 60,
        min_minutes: 60,
        max_minutes: 180,
        buffer_minutes: 0,
        lead_minutes: 0,
        horizon_days: 90,
        change_cutoff_minutes: 0,
        hourly_rate: Money::idr(150_000),
        hours: domain::WeeklyHours::default(),
    }
}

#[test]
fn the_written_slots_are_what_serde_writes() {
    let courts = [
        court(7, chrono_tz::Asia::Jakarta),
        court(1_234_567_890_123, chrono_tz::America::St_Johns),
        court(-3, chrono_tz::Asia::Kathmandu),
        court(9, chrono_tz::Asia::Makassar),
    ];
    let start = Utc
        .with_ymd_and_hms(2026, 12, 31, 16, 30, 0)
        .single()
        .expect("valid");
    let far = Utc
        .with_ymd_and_hms(12345, 1, 1, 0, 0, 0)
        .single()
        .expect("valid");
    let ranges: Vec<Vec<TimeRange>> = vec![
        (0..50)
            .map(|i| TimeRange::starting_at(start + Duration::minutes(i * 97), 60).expect("range"))
            .collect(),
        vec![TimeRange::starting_at(start, 90).expect("range")],
        Vec::new(),
        vec![TimeRange::starting_at(far, 120).expect("range")],
    ];
    for found in [
        courts.iter().zip(&ranges).collect::<Vec<_>>(),
        courts.iter().zip(&ranges).skip(2).collect(),
        Vec::new(),
    ] {
        let typed = Slots {
            slots: found
                .iter()
                .flat_map(|(court, ranges)| ranges.iter().map(|r| SlotOut::new(court, r)))
                .collect(),
        };
        let written = SlotsJson::write(found.iter().map(|(c, r)| (*c, r.as_slice())));
        assert_eq!(written.0, serde_json::to_string(&typed).expect("json"));
    }
}
