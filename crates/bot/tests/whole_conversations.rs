//! The whole conversations, each in English and in Indonesian, each
//! ending in the database state it should: a booking in three messages, a
//! taken slot with alternatives, a price question turned into a booking, a
//! cancel (by list when there are several), a move with a price change,
//! "my bookings" with two bookings, and a handoff. Demo venue, real
//! SQLite; now = Wed 2026-11-25 10:00 Jakarta (03:00 UTC).

mod common;

use chrono::{TimeZone, Utc, Weekday};
use common::{now, venue, Venue};
use domain::pricing::{Adjustment, PriceRule, RuleWhen};
use domain::{BookingStatus, Money};
use store::{Booking, BookingFilter};

/// What the customer types, per language.
struct Script {
    lang: &'static str,
    hello_badminton: &'static str,
    tomorrow_8pm_2h: &'static str,
    yes: &'static str,
    futsal_tomorrow_7pm: &'static str,
    futsal_tomorrow_4pm: &'static str,
    how_much_5_to_7: &'static str,
    cancel_futsal_tomorrow: &'static str,
    cancel_my_booking: &'static str,
    move_to_7pm: &'static str,
    my_bookings: &'static str,
    a_person: &'static str,
}

const EN: Script = Script {
    lang: "en",
    hello_badminton: "hi, can I book a badminton court?",
    tomorrow_8pm_2h: "tomorrow 8pm for 2 hours",
    yes: "yes",
    futsal_tomorrow_7pm: "futsal tomorrow 7pm",
    futsal_tomorrow_4pm: "book futsal tomorrow 4pm",
    how_much_5_to_7: "how much is futsal tomorrow 5pm to 7pm?",
    cancel_futsal_tomorrow: "please cancel my futsal booking tomorrow, team can't make it",
    cancel_my_booking: "i need to cancel my booking",
    move_to_7pm: "can i move my booking to 7pm?",
    my_bookings: "show my bookings pls",
    a_person: "can i talk to a real person?",
};

const ID: Script = Script {
    lang: "id",
    hello_badminton: "halo kak mau main badminton",
    tomorrow_8pm_2h: "besok jam 8 malam 2 jam",
    yes: "ya",
    futsal_tomorrow_7pm: "futsal besok jam 7 malam",
    futsal_tomorrow_4pm: "booking futsal besok jam 4 sore",
    how_much_5_to_7: "berapa harga futsal besok jam 5 sore sampai jam 7 malam?",
    cancel_futsal_tomorrow: "kak tolong batalin booking futsal saya besok, timnya ga lengkap",
    cancel_my_booking: "mau cancel booking saya kak",
    move_to_7pm: "kak booking saya pindah ke jam 7 malam ya",
    my_bookings: "cek booking saya dong",
    a_person: "mau ngobrol sama admin langsung dong",
};

const SCRIPTS: [&Script; 2] = [&EN, &ID];

fn utc(day: u32, hour: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0)
        .single()
        .expect("valid")
}

async fn all(v: &Venue) -> Vec<Booking> {
    v.store
        .bookings(v.tenant, &BookingFilter::default())
        .await
        .expect("list")
}

async fn of(v: &Venue, phone: &str, status: BookingStatus) -> Vec<Booking> {
    let e164 = domain::PhoneE164::parse(phone).expect("phone");
    all(v)
        .await
        .into_iter()
        .filter(|b| b.customer_phone.as_deref() == Some(e164.as_str()) && b.status == status)
        .collect()
}

/// Thursday evenings from 18:00 cost 1.5× on Futsal Court 1.
async fn evening_peak(v: &Venue) {
    let resources = v.store.resources(v.tenant).await.expect("resources");
    let court = resources
        .iter()
        .find(|r| r.name == "Futsal Court 1")
        .expect("court 1");
    v.store
        .add_price_rule(
            v.tenant,
            court,
            PriceRule {
                name: "Peak".into(),
                priority: 10,
                when: RuleWhen::weekdays(&[Weekday::Thu]).between(18 * 60, 23 * 60),
                adjustment: Adjustment::Multiplier { permille: 1500 },
            },
            now(),
        )
        .await
        .expect("rule");
}

#[tokio::test]
async fn a_booking_in_three_messages() {
    for s in SCRIPTS {
        let v = venue().await;
        let phone = "0811 3000 001";
        let ask = v.say(phone, s.hello_badminton).await;
        assert!(
            ask.booked.is_none() && v.count(BookingStatus::Pending).await == 0,
            "{}: {:?}",
            s.lang,
            ask.replies
        );
        let offer = v.say(phone, s.tomorrow_8pm_2h).await;
        assert_eq!(
            v.count(BookingStatus::Pending).await,
            1,
            "{}: {:?}",
            s.lang,
            offer.replies
        );
        let done = v.say(phone, s.yes).await;
        assert!(done.booked.is_some(), "{}: {:?}", s.lang, done.replies);
        let booked = of(&v, phone, BookingStatus::Confirmed).await;
        assert_eq!(booked.len(), 1);
        assert_eq!(booked[0].range.start(), utc(26, 13), "20:00 in Jakarta");
        assert_eq!(booked[0].range.minutes(), 120);
        let code = booked[0].code.as_ref().expect("code").to_string();
        assert!(
            done.replies[0].contains(&code),
            "{}: {}",
            s.lang,
            done.replies[0]
        );
    }
}

#[tokio::test]
async fn a_taken_slot_offers_the_nearest_free_times_as_a_list() {
    for s in SCRIPTS {
        let v = venue().await;
        // Every futsal court (two in Kemang, one in Kelapa Gading) is taken at 19:00.
        for n in 0..3 {
            let phone = format!("0811 3001 00{n}");
            v.say(&phone, "book futsal tomorrow 7pm").await;
            let done = v.say(&phone, "yes").await;
            assert!(done.booked.is_some(), "{:?}", done.replies);
        }
        let phone = "0811 3001 009";
        let taken = v.say(phone, s.futsal_tomorrow_7pm).await;
        let list = &taken.messages[0];
        let choices = list.choices();
        assert!(!choices.is_empty(), "{}: {:?}", s.lang, taken.replies);
        assert_eq!(
            v.count(BookingStatus::Pending).await,
            0,
            "nothing held for a taken slot"
        );
        // The nearest free times, an hour either side among them.
        let titles: Vec<&str> = choices.iter().map(|(_, t)| *t).collect();
        let after = if s.lang == "id" { "20.00" } else { "20:00" };
        let before = if s.lang == "id" { "18.00" } else { "18:00" };
        assert!(
            titles.contains(&after) && titles.contains(&before),
            "{}: {titles:?}",
            s.lang
        );
        let first = after;
        let offer = v.tap(phone, list, first, now()).await;
        assert_eq!(
            v.count(BookingStatus::Pending).await,
            1,
            "{:?}",
            offer.replies
        );
        let done = v.say(phone, s.yes).await;
        assert!(done.booked.is_some(), "{:?}", done.replies);
        let mine = of(&v, phone, BookingStatus::Confirmed).await;
        let hour = mine[0]
            .range
            .start()
            .with_timezone(&chrono_tz::Asia::Jakarta)
            .format("%H:%M")
            .to_string();
        assert_eq!(hour.replace(':', "."), first.replace(':', "."));
    }
}

#[tokio::test]
async fn a_price_question_turns_into_a_booking() {
    for s in SCRIPTS {
        let v = venue().await;
        evening_peak(&v).await;
        let phone = "0811 3002 001";
        let answer = v.say(phone, s.how_much_5_to_7).await;
        // 17–18 at Rp 150.000 and 18–19 at the peak's Rp 225.000.
        let breakdown = &answer.replies[0];
        assert!(breakdown.contains("Rp 375.000"), "{}: {breakdown}", s.lang);
        assert!(
            breakdown.contains("Rp 225.000") && breakdown.contains("Peak"),
            "{}: {breakdown}",
            s.lang
        );
        assert_eq!(
            answer.replies.len(),
            2,
            "the price, then the offer: {:?}",
            answer.replies
        );
        assert_eq!(v.count(BookingStatus::Pending).await, 1);
        let done = v.say(phone, s.yes).await;
        assert!(done.booked.is_some(), "{:?}", done.replies);
        let booked = of(&v, phone, BookingStatus::Confirmed).await;
        assert_eq!(booked[0].price, Money::idr(375_000));
        assert_eq!(booked[0].range.start(), utc(26, 10), "17:00 in Jakarta");
    }
}

#[tokio::test]
async fn a_cancel_goes_through_the_service_with_the_customers_words() {
    for s in SCRIPTS {
        let v = venue().await;
        let phone = "0811 3003 001";
        v.say(phone, "book futsal tomorrow 7pm").await;
        v.say(phone, "yes").await;
        let ask = v.say(phone, s.cancel_futsal_tomorrow).await;
        assert_eq!(
            ask.messages[0].choices().len(),
            2,
            "{}: {:?}",
            s.lang,
            ask.replies
        );
        assert_eq!(
            v.count(BookingStatus::Confirmed).await,
            1,
            "nothing before yes"
        );
        let done = v.say(phone, s.yes).await;
        let cancelled = of(&v, phone, BookingStatus::Cancelled).await;
        assert_eq!(cancelled.len(), 1, "{}: {:?}", s.lang, done.replies);
        let history = v
            .store
            .booking_history(v.tenant, cancelled[0].id)
            .await
            .expect("history");
        let reason = history
            .iter()
            .rev()
            .find_map(|e| e.reason.clone())
            .expect("a reason");
        assert!(reason.contains(s.cancel_futsal_tomorrow), "{reason}");
    }
}

#[tokio::test]
async fn with_several_bookings_the_bot_asks_which_by_list() {
    for s in SCRIPTS {
        let v = venue().await;
        let phone = "0811 3004 001";
        for text in ["book futsal tomorrow 7pm", "book badminton saturday 9am"] {
            v.say(phone, text).await;
            v.say(phone, "yes").await;
        }
        let which = v.say(phone, s.cancel_my_booking).await;
        let list = &which.messages[0];
        assert_eq!(list.choices().len(), 2, "{}: {:?}", s.lang, which.replies);
        // The second row: Saturday's badminton.
        let (_, title) = list.choices()[1];
        let confirm = v.tap(phone, list, title, now()).await;
        let buttons = &confirm.messages[0];
        let (_, yes) = buttons.choices()[0];
        v.tap(phone, buttons, yes, now()).await;
        let cancelled = of(&v, phone, BookingStatus::Cancelled).await;
        assert_eq!(cancelled.len(), 1);
        assert!(
            cancelled[0].resource_name.starts_with("Badminton"),
            "{}",
            cancelled[0].resource_name
        );
        assert_eq!(
            of(&v, phone, BookingStatus::Confirmed).await.len(),
            1,
            "the futsal stays"
        );
    }
}

#[tokio::test]
async fn a_move_into_peak_hours_says_and_charges_the_new_price() {
    for s in SCRIPTS {
        let v = venue().await;
        evening_peak(&v).await;
        let phone = "0811 3005 001";
        v.say(phone, s.futsal_tomorrow_4pm).await;
        v.say(phone, s.yes).await;
        let before = of(&v, phone, BookingStatus::Confirmed).await;
        assert_eq!(before[0].price, Money::idr(150_000));
        let ask = v.say(phone, s.move_to_7pm).await;
        let text = &ask.replies[0];
        assert!(
            text.contains("Rp 225.000") && text.contains("Rp 150.000"),
            "{}: {text}",
            s.lang
        );
        let done = v.say(phone, s.yes).await;
        let after = of(&v, phone, BookingStatus::Confirmed).await;
        assert_eq!(after.len(), 1, "{:?}", done.replies);
        assert_eq!(after[0].id, before[0].id, "the same booking, moved");
        assert_eq!(after[0].range.start(), utc(26, 12), "19:00 in Jakarta");
        assert_eq!(after[0].price, Money::idr(225_000));
        assert_eq!(after[0].code, before[0].code);
        let history = v
            .store
            .booking_history(v.tenant, after[0].id)
            .await
            .expect("history");
        assert!(
            history.iter().any(|e| e
                .reason
                .as_deref()
                .is_some_and(|r| r.contains(s.move_to_7pm))),
            "{history:?}"
        );
    }
}

#[tokio::test]
async fn my_bookings_with_two_bookings() {
    for s in SCRIPTS {
        let v = venue().await;
        let phone = "0811 3006 001";
        for text in ["book futsal tomorrow 7pm", "book badminton saturday 9am"] {
            v.say(phone, text).await;
            v.say(phone, "yes").await;
        }
        let list = v.say(phone, s.my_bookings).await;
        let text = &list.replies[0];
        assert_eq!(text.matches('•').count(), 2, "{}: {text}", s.lang);
        for booking in of(&v, phone, BookingStatus::Confirmed).await {
            assert!(
                text.contains(&booking.code.expect("code").to_string()),
                "{text}"
            );
        }
    }
}

#[tokio::test]
async fn asking_for_a_person_hands_the_conversation_over() {
    for s in SCRIPTS {
        let v = venue().await;
        let reply = v.say("0811 3007 001", s.a_person).await;
        assert_eq!(
            v.handed_off().await.len(),
            1,
            "{}: {:?}",
            s.lang,
            reply.replies
        );
        // While a person has it, the bot stays quiet.
        let quiet = v.say("0811 3007 001", s.futsal_tomorrow_7pm).await;
        assert!(quiet.replies.is_empty(), "{:?}", quiet.replies);
    }
}

#[tokio::test]
async fn a_court_asked_by_number_is_offered_and_when_taken_the_others_are_listed() {
    for s in SCRIPTS {
        let v = venue().await;
        let (ask_2, pick) = if s.lang == "id" {
            (
                "booking futsal lapangan 2 besok jam 7 malam",
                "Futsal Court 1",
            )
        } else {
            ("book futsal court 2 tomorrow 7pm", "Futsal Court 1")
        };
        // Court 2 is offered, not the first court.
        let first = v.say("0811 3008 001", ask_2).await;
        assert!(
            first.replies[0].contains("Futsal Court 2"),
            "{}: {}",
            s.lang,
            first.replies[0]
        );
        v.say("0811 3008 001", s.yes).await;
        // Now court 2 is taken at 19:00: the others at 19:00 and other times on court 2.
        let taken = v.say("0811 3008 002", ask_2).await;
        let list = &taken.messages[0];
        let titles: Vec<&str> = list.choices().into_iter().map(|(_, t)| t).collect();
        assert!(
            titles.contains(&"Futsal Court 1") && titles.contains(&"Futsal Court 3"),
            "{}: {titles:?}",
            s.lang
        );
        assert!(
            titles
                .iter()
                .any(|t| t.starts_with("18") || t.starts_with("20")),
            "{titles:?}"
        );
        let offer = v.tap("0811 3008 002", list, pick, now()).await;
        assert!(
            offer.replies[0].contains("Futsal Court 1"),
            "{}",
            offer.replies[0]
        );
        let done = v.say("0811 3008 002", s.yes).await;
        assert!(done.booked.is_some(), "{:?}", done.replies);
        let mine = of(&v, "0811 3008 002", BookingStatus::Confirmed).await;
        assert_eq!(mine[0].resource_name, "Futsal Court 1");
        assert_eq!(mine[0].range.start(), utc(26, 12), "19:00 in Jakarta");
    }
}
