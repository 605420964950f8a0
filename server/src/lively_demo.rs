//! `pesan seed-demo`: the demo venue made to look lived in, with dates
//! relative to today, so someone trying Pesan signs in to a real week and
//! not to zeros: bookings across courts, channels and statuses, a peak-hour
//! price, a closed afternoon, conversations on the WhatsApp simulator (one
//! waiting for a person) and a knowledge base.
//!
//! Every booking is made through the booking service (as the bot, the desk
//! or the API would), with "now" set back to when it would have been made,
//! and every status step too; the conversations go through the bot's real
//! turn. It fills the demo once: a demo venue that already has bookings is
//! left as it is.

use anyhow::Context;
use booking::{BookRequest, Caller, CustomerRef, PaymentEntry, Services};
use chrono::{DateTime, Duration, NaiveTime, Utc, Weekday};
use domain::availability::Policy;
use domain::opening_hours::local_to_utc;
use domain::pricing::{Adjustment, PriceRule, RuleWhen};
use domain::{Actor, BookingStatus, PaymentMethod, PaymentState, PhoneE164, TimeRange};
use store::demo::DEMO_SLUG;
use store::{BookingFilter, BookingSource, Channel, NewBlackout, Resource};

/// What was made.
#[derive(Debug, Default)]
pub struct Filled {
    pub bookings: usize,
    pub conversations: usize,
    pub documents: usize,
    /// The venue had bookings already: nothing was added.
    pub already: bool,
}

/// Customers of the demo week (name, number).
const CUSTOMERS: [(&str, &str); 12] = [
    ("Budi Santoso", "0812 8800 0101"),
    ("Siti Nurhaliza", "0812 8800 0102"),
    ("Agus Pratama", "0812 8800 0103"),
    ("Dewi Lestari", "0812 8800 0104"),
    ("Rizky Hidayat", "0812 8800 0105"),
    ("Putri Ayu", "0812 8800 0106"),
    ("Andi Wijaya", "0812 8800 0107"),
    ("Maya Sari", "0812 8800 0108"),
    ("Fajar Nugroho", "0812 8800 0109"),
    ("Rina Kusuma", "0812 8800 0110"),
    ("Hendra Gunawan", "0812 8800 0111"),
    ("Lina Marlina", "0812 8800 0112"),
];

/// A small, fixed sequence of numbers: the same demo every time.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % sides.max(1)
    }
}

/// Fills the demo venue (made first if missing) around `now`.
pub async fn fill(
    services: &Services,
    knowledge: Option<&knowledge::Knowledge>,
    now: DateTime<Utc>,
) -> anyhow::Result<Filled> {
    let store = &services.store;
    store::demo::seed_demo(store)
        .await
        .context("cannot create the demo venue")?;
    let tenant = store
        .tenant_by_slug(DEMO_SLUG)
        .await?
        .context("the demo venue is missing")?
        .id;
    // Only the demo: the venue whose owner still signs in with the
    // published demo password, never a real venue that took the slug.
    let owner = store
        .verify_login(store::demo::DEMO_EMAIL, store::demo::DEMO_PASSWORD)
        .await?;
    if owner.is_none_or(|o| o.tenant_id != tenant) {
        anyhow::bail!(
            "the venue {DEMO_SLUG:?} is not the demo (its owner's password was changed); it was left as it is"
        );
    }
    let any = BookingFilter {
        limit: Some(1),
        ..BookingFilter::default()
    };
    if !store.bookings(tenant, &any).await?.is_empty() {
        return Ok(Filled {
            already: true,
            ..Filled::default()
        });
    }
    let resources = store.resources(tenant).await?;
    let zone = resources
        .first()
        .map_or(chrono_tz::Asia::Jakarta, |r| r.timezone);
    let today = now.with_timezone(&zone).date_naive();
    let mut filled = Filled::default();

    // How customers find and reach each outlet (the bot's location answer).
    for (outlet, phone) in store.outlets(tenant).await?.into_iter().zip([
        "0812 8800 0001",
        "0812 8800 0002",
        "0812 8800 0003",
    ]) {
        if outlet.map_url.is_empty() && outlet.contact_phone.is_empty() {
            let slug: String = outlet
                .name
                .to_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            store
                .update_outlet(
                    tenant,
                    outlet.id,
                    &store::OutletDetails {
                        name: outlet.name.clone(),
                        address: outlet.address.clone(),
                        timezone: outlet.timezone.name().to_string(),
                        contact_phone: phone.into(),
                        map_url: format!("https://maps.google.com/?q=pesan-demo-{slug}"),
                    },
                )
                .await?;
        }
    }

    // What the bot tells customers about paying once they are booked.
    if store.payment_instructions(tenant).await?.is_empty() {
        store
            .set_payment_instructions(
                tenant,
                "Pay at the desk (cash or QRIS), or transfer to BCA 123 456 7890 a.n. Demo Sports Center and send the receipt here.",
                Some("Bayar di meja depan (tunai atau QRIS), atau transfer ke BCA 123 456 7890 a.n. Demo Sports Center lalu kirim buktinya di sini."),
            )
            .await?;
    }

    // Peak hours on the futsal courts, weekday evenings.
    for court in resources.iter().filter(|r| r.name.starts_with("Futsal")) {
        if store.price_rules(tenant, court.id).await?.is_empty() {
            store
                .add_price_rule(
                    tenant,
                    court,
                    PriceRule {
                        name: "Weekday peak".into(),
                        priority: 10,
                        when: RuleWhen {
                            from_minute: 17 * 60,
                            to_minute: 23 * 60,
                            ..RuleWhen::weekdays(&[
                                Weekday::Mon,
                                Weekday::Tue,
                                Weekday::Wed,
                                Weekday::Thu,
                                Weekday::Fri,
                            ])
                        },
                        adjustment: Adjustment::Multiplier { permille: 1500 },
                    },
                    now,
                )
                .await?;
        }
    }
    // An afternoon closed for resurfacing, two days ahead.
    if let Some(court) = resources.iter().find(|r| r.name == "Badminton Court 2") {
        let day = today + Duration::days(2);
        let from = local_to_utc(day.and_time(at(13)), zone);
        store
            .create_blackout(
                tenant,
                NewBlackout {
                    outlet_id: court.outlet_id,
                    resource_id: Some(court.id),
                    range: TimeRange::new(from, from + Duration::hours(3))?,
                    reason: "Floor resurfacing".into(),
                },
                now,
            )
            .await?;
    }

    // A week of bookings: three days back, today, three days ahead.
    let mut dice = Dice(20_261_126);
    // Three weeks back (the analytics page opens on the last four weeks)
    // and a few days ahead.
    for offset in -20..=3_i64 {
        let day = today + Duration::days(offset);
        for resource in resources.iter().filter(|r| !r.name.starts_with("Meeting")) {
            let mut hour = 8 + dice.roll(3) as u32;
            while hour < 22 {
                let length = if dice.roll(4) == 0 { 2 } else { 1 };
                if hour + length > 23 || dice.roll(3) == 0 {
                    hour += 1;
                    continue;
                }
                // Tomorrow evening's futsal stays free for the README's
                // simulator examples ("tomorrow 7pm", "besok jam 8 malam").
                let readme_slot = offset == 1
                    && resource.name.starts_with("Futsal")
                    && hour < 21
                    && hour + length > 19;
                if readme_slot {
                    hour += 1;
                    continue;
                }
                let start = local_to_utc(day.and_time(at(hour)), zone);
                let range = TimeRange::new(start, start + Duration::hours(i64::from(length)))?;
                if booked(services, tenant, resource, range, &mut dice, now).await? {
                    filled.bookings += 1;
                }
                hour += length + dice.roll(2) as u32;
            }
        }
    }

    // The knowledge base first, indexed, so the bot answers the demo
    // customers' questions (parking, payment) from it as it would live.
    let mut assist = bot::Assist::default();
    if let Some(knowledge) = knowledge {
        filled.documents = knowledge_base(knowledge, tenant, now).await?;
        index_all(knowledge).await;
        assist = bot::Assist::with_knowledge(knowledge.clone());
    }
    filled.conversations = conversations(services, &assist, tenant, now).await?;
    Ok(filled)
}

fn at(hour: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// One booking through the service as the channel that made it would,
/// then its life up to now: checked in, completed, a no-show, a
/// cancellation, or a hold still waiting.
async fn booked(
    services: &Services,
    tenant: domain::TenantId,
    resource: &Resource,
    range: TimeRange,
    dice: &mut Dice,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let (name, phone) = CUSTOMERS[dice.roll(CUSTOMERS.len() as u64) as usize];
    let phone = PhoneE164::parse(phone)?;
    let (source, actor, policy) = match dice.roll(10) {
        0..=5 => (
            BookingSource::Whatsapp,
            Actor::Customer(phone.clone()),
            Policy::Customer,
        ),
        6..=8 => (BookingSource::Dashboard, Actor::System, Policy::Staff),
        _ => (BookingSource::Api, Actor::System, Policy::Staff),
    };
    let caller = Caller {
        tenant,
        policy,
        actor,
        source,
    };
    // Made a day or two before it starts (or just now, for later ones).
    let made = (range.start() - Duration::hours(24 + dice.roll(24) as i64)).min(now);
    let hold = range.start() > now && source == BookingSource::Whatsapp && dice.roll(8) == 0;
    let request = BookRequest {
        resources: vec![resource.id],
        range,
        customer: Some(CustomerRef::Phone {
            phone,
            name: Some(name.to_string()),
        }),
        hold_minutes: hold.then_some(60 * 24),
    };
    let service = services.bookings.at(made);
    let Ok(booked) = service.book(&caller, request, None).await else {
        // A rule said no (lead time, a blackout): the demo does without it.
        return Ok(false);
    };
    let Some(booking) = booked.bookings.first() else {
        return Ok(false);
    };
    let desk = Caller {
        tenant,
        policy: Policy::Staff,
        actor: Actor::System,
        source: BookingSource::Dashboard,
    };
    let started = range.start() <= now;
    let steps: &[(BookingStatus, Option<&str>)] = match (started, range.end() <= now, dice.roll(12))
    {
        (_, _, 0) => &[(
            BookingStatus::Cancelled,
            Some("Customer's team could not make it"),
        )],
        (true, true, 1) => &[(BookingStatus::NoShow, None)],
        (true, true, _) => &[
            (BookingStatus::CheckedIn, None),
            (BookingStatus::Completed, None),
        ],
        (true, false, _) => &[(BookingStatus::CheckedIn, None)],
        _ => &[],
    };
    for (step, reason) in steps {
        let when = match step {
            BookingStatus::Cancelled => made.max(now.min(range.start() - Duration::hours(2))),
            BookingStatus::CheckedIn => range.start().min(now),
            _ => range.end().min(now),
        };
        services
            .bookings
            .at(when)
            .change_status(&desk, booking.id, *step, *reason)
            .await
            .ok();
    }
    // Played bookings were paid at the desk; some upcoming ones carry a
    // deposit by transfer; the rest are still to pay.
    let method = [
        PaymentMethod::Cash,
        PaymentMethod::Qris,
        PaymentMethod::Transfer,
    ][dice.roll(3) as usize];
    let played = steps
        .iter()
        .any(|(s, _)| matches!(s, BookingStatus::CheckedIn | BookingStatus::Completed));
    let entry = if played && dice.roll(6) != 0 {
        Some((PaymentState::Paid, None, method))
    } else if !started && steps.is_empty() && dice.roll(3) == 0 {
        Some((
            PaymentState::Deposit,
            Some(booking.price.minor / 2),
            PaymentMethod::Transfer,
        ))
    } else {
        None
    };
    if let Some((state, amount, method)) = entry {
        let paid_at = range.start().min(now);
        services
            .bookings
            .at(paid_at)
            .record_payment(
                &desk,
                booking.id,
                &PaymentEntry {
                    state,
                    amount,
                    method: Some(method),
                    note: String::new(),
                },
            )
            .await
            .ok();
    }
    Ok(true)
}

/// Conversations through the bot's real turn, on the simulator: a booking
/// by chat, questions in both languages, and one customer waiting for a
/// person.
async fn conversations(
    services: &Services,
    assist: &bot::Assist,
    tenant: domain::TenantId,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let chats: [(&str, &[&str]); 4] = [
        ("0812 8800 0201", &["book badminton tomorrow 4pm", "yes"]),
        (
            "0812 8800 0202",
            &["jam berapa buka hari minggu?", "berapa harga futsal malam?"],
        ),
        ("0812 8800 0203", &["hi, is there parking at Kemang?"]),
        (
            "0812 8800 0204",
            &[
                "my booking was double charged",
                "I want to talk to a person please",
            ],
        ),
    ];
    let mut count = 0;
    for (index, (phone, lines)) in chats.iter().enumerate() {
        let phone = PhoneE164::parse(phone)?;
        for (turn, text) in lines.iter().enumerate() {
            let at = now - Duration::minutes(90 - 20 * index as i64 - 3 * turn as i64);
            bot::handle_message_with(
                &services.bookings,
                assist,
                bot::Inbound {
                    tenant,
                    phone: phone.clone(),
                    text: (*text).to_string(),
                    tap: None,
                    channel: Channel::Simulator,
                    external_id: None,
                    answering: None,
                    said_at: None,
                    now: at,
                },
            )
            .await
            .with_context(|| format!("the demo conversation {phone}: {text:?}"))?;
        }
        count += 1;
    }
    Ok(count)
}

/// Indexes what was just uploaded (a few small documents). A document that
/// cannot be indexed now (an embedding endpoint down) stays queued for the
/// server's indexer; the demo goes on without it.
async fn index_all(knowledge: &knowledge::Knowledge) {
    for _ in 0..16 {
        match knowledge.index_next().await {
            Ok(Some(_)) => {}
            Ok(None) => return,
            Err(error) => {
                tracing::warn!(%error, "the demo's documents are indexed later, by the server");
                return;
            }
        }
    }
}

/// The venue's house rules as a document, and the questions customers ask.
async fn knowledge_base(
    knowledge: &knowledge::Knowledge,
    tenant: domain::TenantId,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let rules = "Demo Sports Center — house rules\n\n\
        Shoes: futsal courts need non-marking indoor shoes or turf shoes; studs are not allowed.\n\
        Arrival: please arrive 10 minutes early; the next booking starts on time.\n\
        Payment: pay at the front desk by cash, bank transfer or QRIS; a deposit of 50% holds \
        a booking for teams of more than 10.\n\
        Cancellations: free until 6 hours before the start; later, the deposit is kept.\n\
        Parking: free parking for 40 cars and plenty of motorbikes at Kemang; paid parking at Kelapa Gading mall.\n\
        Rental: futsal balls and badminton rackets can be borrowed at the desk for free; shuttlecocks are sold.\n\
        Showers and lockers are open until closing.\n";
    knowledge
        .upload(tenant, None, "house-rules.txt", rules.as_bytes(), now)
        .await?;
    let faqs = [
        (
            "Is there parking?",
            "Yes: free parking for 40 cars at Kemang; at Kelapa Gading use the mall's paid parking.",
        ),
        (
            "Bisa bayar pakai QRIS?",
            "Bisa. Kami menerima tunai, transfer bank dan QRIS di meja depan.",
        ),
        (
            "Can I rent rackets?",
            "Badminton rackets and futsal balls are free to borrow at the desk; shuttlecocks are sold.",
        ),
    ];
    for (question, answer) in faqs {
        knowledge
            .add_faq(tenant, None, question, answer, now)
            .await?;
    }
    Ok(1 + faqs.len())
}
