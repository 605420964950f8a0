use serde_json::{json, Value};

use super::scan::{facts, Fact, Reading};
use super::ungrounded;

fn price_tool() -> Vec<Value> {
    vec![json!({"price_idr": 150000, "price": "Rp 150.000", "start": "19:00"})]
}

fn strict(text: &str) -> Vec<Fact> {
    facts(text, Reading::Strict)
        .into_iter()
        .map(|claim| claim.fact)
        .collect()
}

#[test]
fn indonesian_and_english_prices_are_read_as_rupiah() {
    for text in [
        "Rp 150.000",
        "Rp150,000",
        "Rp. 150.000,-",
        "Rp 150.000,00",
        "IDR 150000",
        "IDR150000",
        "150rb",
        "150 ribu",
        "150k",
        "150.000",
        "150,000",
        "harganya 150.000/jam",
        "150000 rupiah",
    ] {
        assert_eq!(strict(text), [Fact::Amount(150_000)], "{text}");
    }
    assert_eq!(strict("Rp 1,5 juta"), [Fact::Amount(1_500_000)]);
    assert_eq!(strict("1.5jt"), [Fact::Amount(1_500_000)]);
    assert_eq!(strict("Rp 1.250.000"), [Fact::Amount(1_250_000)]);
}

#[test]
fn clock_times_are_read_as_24_hour() {
    let seven_pm = Fact::Time(19 * 60);
    for text in [
        "19:00",
        "19.00",
        "jam 19.00 WIB",
        "7pm",
        "7 pm",
        "7 PM",
        "7.00 p.m.",
        "19:00:00",
    ] {
        assert_eq!(strict(text), [Fact::Time(19 * 60)], "{text}");
    }
    assert_eq!(strict("7.30am"), [Fact::Time(7 * 60 + 30)]);
    assert_eq!(strict("12am"), [Fact::Time(0)]);
    assert_eq!(strict("12 pm"), [Fact::Time(12 * 60)]);
    assert_eq!(strict("19.00-21.00"), [seven_pm, Fact::Time(21 * 60)]);
}

#[test]
fn counts_and_bare_hours_are_neither_prices_nor_times() {
    for text in [
        "jam 7",
        "jam 7 malam",
        "2 jam",
        "2 hours",
        "court 2",
        "lapangan 2",
        "10 orang",
        "1.000 orang",
        "1.30 jam",
        "4.5 stars",
        "Selasa 1/12",
        "01.12.2026",
        "0812-3456-7890",
        "10%",
        "court2",
    ] {
        assert_eq!(strict(text), [], "{text}");
    }
}

#[test]
fn booking_codes_are_upper_case_letters_and_digits() {
    assert_eq!(strict("kode: K7P2QX"), [Fact::Code("K7P2QX".into())]);
    assert_eq!(strict("kode K7P-2QX ya"), [Fact::Code("K7P2QX".into())]);
    // Not codes: too short, no digit, lower case, a labelled number.
    for text in ["A1B2", "BOOKING", "k7p2qx", "IDR150000", "1900WIB"] {
        assert!(
            strict(text).iter().all(|f| !matches!(f, Fact::Code(_))),
            "{text}"
        );
    }
    // A code's digits are not prices (8K) or times.
    assert_eq!(strict("PSN8K2Q7"), [Fact::Code("PSN8K2Q7".into())]);
}

#[test]
fn a_reply_quoting_the_tool_is_grounded() {
    let tools = price_tool();
    for reply in [
        "Harga lapangan 2 jam 19.00: Rp 150.000 per jam 🎾",
        "It's Rp150,000 per hour, starting at 7pm.",
        "Bisa kak, 150rb mulai jam 19:00",
        "Halo kak! Ada yang bisa dibantu?",
        "Untuk 10 orang, 2 jam, di court 2? Saya cek dulu ya",
    ] {
        assert_eq!(ungrounded(reply, &tools), None, "{reply}");
    }
}

#[test]
fn a_price_time_or_code_no_tool_returned_is_reported() {
    let tools = price_tool();
    assert_eq!(
        ungrounded("Harganya Rp 200.000 ya kak", &tools).as_deref(),
        Some(r#"price "Rp 200.000" (200000)"#)
    );
    assert_eq!(
        ungrounded("Slot 20.00 kosong", &tools).as_deref(),
        Some(r#"time "20.00" (20:00)"#)
    );
    assert_eq!(
        ungrounded("Kode booking kakak ZZ9ZZ9", &tools).as_deref(),
        Some(r#"code "ZZ9ZZ9""#)
    );
    // Without any tool result, every stated value is ungrounded; the first is reported.
    assert_eq!(
        ungrounded("7pm, Rp 150.000", &[]).as_deref(),
        Some(r#"time "7pm" (19:00)"#)
    );
}

#[test]
fn tool_strings_are_searched_generously() {
    let tools = vec![json!({
        "slots": ["19:00-20:00", "20.30"],
        "starts_at": "2026-12-01T21:00:00+07:00",
        "booking": {"code": "K7P2QX", "total": "Rp 300.000,-"},
        "deposit": "50rb",
        "fee": 2500.0,
        "22:00": "full"
    })];
    for reply in [
        "Jam 20.00 dan 8.30 pm kosong",
        "Mulai 9pm",
        "Kode K7P-2QX, total 300rb",
        "DP Rp 50.000",
        "Biaya admin Rp 2.500",
        "22.00 penuh",
    ] {
        assert_eq!(ungrounded(reply, &tools), None, "{reply}");
    }
    assert!(ungrounded("Total Rp 350.000", &tools).is_some());
}

#[test]
fn an_amount_in_a_tool_string_grounds_its_number() {
    // A tool said "Rp 150.000"; the model writes the bare grouped number.
    let tools = vec![json!({"note": "Harga weekend Rp 175.000 per jam"})];
    assert_eq!(ungrounded("Weekend 175.000/jam", &tools), None);
    assert!(ungrounded("Weekend 170.000/jam", &tools).is_some());
}
