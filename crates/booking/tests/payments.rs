//! Payments recorded through the booking service on both backends: checked
//! against the price under the booking's lock, kept with their history,
//! staff only, tenant-scoped, and two desks recording at once leave one
//! consistent state.

#[path = "../../store/tests/common/mod.rs"]
mod common;
mod support;

use booking::{BookingError, PaymentEntry};
use domain::{BookingId, Money, PaymentMethod, PaymentState};
use store::Store;
use support::{book_for, customer, service_at, staff};

use common::{futsal_court_1, now, rival_tenant, slot};

fn entry(state: PaymentState, amount: Option<i64>, method: Option<PaymentMethod>) -> PaymentEntry {
    PaymentEntry {
        state,
        amount,
        method,
        note: String::new(),
    }
}

async fn payments_are_checked_kept_and_staff_only(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    let booked = book_for(
        &service,
        tenant,
        vec![court.id],
        slot(12, 60),
        "0812 7777 0001",
    )
    .await
    .expect("book");
    let b = &booked.bookings[0];
    assert_eq!(b.payment.state, PaymentState::Unpaid);
    assert_eq!(b.payment.collected, Money::zero(b.price.currency));
    let price = b.price.minor;
    assert!(price > 0);

    // Refusals write nothing.
    for (bad, code) in [
        (
            entry(
                PaymentState::Deposit,
                Some(price),
                Some(PaymentMethod::Cash),
            ),
            "deposit_not_below_price",
        ),
        (
            entry(
                PaymentState::Paid,
                Some(price + 1),
                Some(PaymentMethod::Cash),
            ),
            "over_price",
        ),
        (entry(PaymentState::Paid, None, None), "method_required"),
        (
            entry(PaymentState::Deposit, None, Some(PaymentMethod::Qris)),
            "amount_required",
        ),
        (
            entry(PaymentState::Unpaid, Some(5), None),
            "unpaid_with_amount",
        ),
    ] {
        let e = service
            .record_payment(&staff(tenant), b.id, &bad)
            .await
            .expect_err("refused");
        assert_eq!(e.code(), code);
        assert_eq!(e.status(), 400);
    }
    assert!(store
        .payment_history(tenant, b.id)
        .await
        .expect("h")
        .is_empty());

    // A customer (or a customer-policy key) cannot mark a booking paid.
    assert_eq!(
        service
            .record_payment(
                &customer(tenant),
                b.id,
                &entry(PaymentState::Paid, None, Some(PaymentMethod::Cash))
            )
            .await,
        Err(BookingError::StaffOnly)
    );
    // Another tenant's booking does not exist for them.
    let rival = rival_tenant(&store).await;
    assert_eq!(
        service
            .record_payment(
                &staff(rival),
                b.id,
                &entry(PaymentState::Paid, None, Some(PaymentMethod::Cash))
            )
            .await,
        Err(BookingError::NotFound(booking::Item::Booking))
    );
    assert_eq!(
        service
            .record_payment(
                &staff(tenant),
                BookingId(i64::MAX),
                &entry(PaymentState::Unpaid, None, None)
            )
            .await,
        Err(BookingError::NotFound(booking::Item::Booking))
    );
    let long = PaymentEntry {
        note: "n".repeat(store::MAX_PAYMENT_NOTE + 1),
        ..entry(PaymentState::Paid, None, Some(PaymentMethod::Cash))
    };
    assert_eq!(
        service.record_payment(&staff(tenant), b.id, &long).await,
        Err(BookingError::NoteTooLong(store::MAX_PAYMENT_NOTE))
    );

    // A deposit by transfer, then the rest in cash, then a correction.
    let deposit = PaymentEntry {
        note: "ref 8812\u{7}".into(),
        ..entry(
            PaymentState::Deposit,
            Some(50_000),
            Some(PaymentMethod::Transfer),
        )
    };
    let after = service
        .record_payment(&staff(tenant), b.id, &deposit)
        .await
        .expect("deposit");
    assert_eq!(after.payment.state, PaymentState::Deposit);
    assert_eq!(after.payment.collected.minor, 50_000);
    assert_eq!(after.payment.method, Some(PaymentMethod::Transfer));
    assert_eq!(after.price.minor, price, "the booked value is untouched");
    let paid = service
        .record_payment(
            &staff(tenant),
            b.id,
            &entry(PaymentState::Paid, None, Some(PaymentMethod::Cash)),
        )
        .await
        .expect("paid");
    assert_eq!(paid.payment.collected.minor, price);
    let read = store.booking(tenant, b.id).await.expect("read");
    assert_eq!(
        read.payment, paid.payment,
        "what is read is what was written"
    );
    service
        .record_payment(
            &staff(tenant),
            b.id,
            &entry(PaymentState::Unpaid, None, None),
        )
        .await
        .expect("back to unpaid");
    let history = store.payment_history(tenant, b.id).await.expect("history");
    let states: Vec<_> = history.iter().map(|e| (e.state, e.amount_minor)).collect();
    assert_eq!(
        states,
        vec![
            (PaymentState::Deposit, 50_000),
            (PaymentState::Paid, price),
            (PaymentState::Unpaid, 0)
        ]
    );
    assert_eq!(history[0].note, "ref 8812", "control characters dropped");
    assert_eq!(history[0].actor, "system");
    assert!(store.payment_history(rival, b.id).await.is_err());

    // A cancelled booking keeps its deposit and can still take one.
    service
        .cancel(&staff(tenant), b.id, "rain")
        .await
        .expect("cancel");
    let kept = service
        .record_payment(&staff(tenant), b.id, &deposit)
        .await
        .expect("deposit after cancel");
    assert_eq!(kept.payment.state, PaymentState::Deposit);
}

async fn two_desks_recording_at_once_leave_one_consistent_payment(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    let booked = book_for(
        &service,
        tenant,
        vec![court.id],
        slot(14, 60),
        "0812 7777 0002",
    )
    .await
    .expect("book");
    let id = booked.bookings[0].id;
    let mut tasks = Vec::new();
    for i in 0..8 {
        let service = service.clone();
        tasks.push(tokio::spawn(async move {
            let e = if i % 2 == 0 {
                entry(PaymentState::Paid, None, Some(PaymentMethod::Qris))
            } else {
                entry(
                    PaymentState::Deposit,
                    Some(10_000 + i),
                    Some(PaymentMethod::Cash),
                )
            };
            service.record_payment(&staff(tenant), id, &e).await
        }));
    }
    for task in tasks {
        task.await.expect("join").expect("recorded");
    }
    let history = store.payment_history(tenant, id).await.expect("history");
    assert_eq!(history.len(), 8, "every recording kept");
    let last = history.last().expect("last");
    let now = store.booking(tenant, id).await.expect("read").payment;
    assert_eq!(
        (now.state, now.collected.minor, now.method),
        (last.state, last.amount_minor, last.method),
        "the booking shows the last recorded payment"
    );
}

/// A move re-prices a booking: the money collected stays, and what it
/// amounts to follows the new price.
async fn a_move_keeps_the_money_and_restates_what_it_covers(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    store
        .add_price_rule(
            tenant,
            &court,
            domain::pricing::PriceRule {
                name: "Evening".into(),
                priority: 10,
                when: domain::pricing::RuleWhen {
                    from_minute: 18 * 60,
                    to_minute: 23 * 60,
                    ..domain::pricing::RuleWhen::weekdays(&[])
                },
                adjustment: domain::pricing::Adjustment::Multiplier { permille: 2000 },
            },
            now(),
        )
        .await
        .expect("rule");
    let service = service_at(&store, now());
    // 12:00 Jakarta, then 19:00 Jakarta (the evening rule doubles it).
    let booked = book_for(
        &service,
        tenant,
        vec![court.id],
        slot(5, 60),
        "0812 7777 0003",
    )
    .await
    .expect("book");
    let b = &booked.bookings[0];
    service
        .record_payment(
            &staff(tenant),
            b.id,
            &entry(PaymentState::Paid, None, Some(PaymentMethod::Cash)),
        )
        .await
        .expect("paid");
    let moved = |range| booking::MoveRequest {
        resource: None,
        range,
        seen: None,
    };
    let dearer = service
        .reschedule(&staff(tenant), b.id, moved(slot(12, 60)))
        .await
        .expect("move");
    assert_eq!(dearer.price.minor, 2 * b.price.minor);
    assert_eq!(dearer.payment.state, PaymentState::Deposit);
    assert_eq!(dearer.payment.collected, b.price, "the money stays");
    let back = service
        .reschedule(&staff(tenant), b.id, moved(slot(6, 60)))
        .await
        .expect("move back");
    assert_eq!(back.payment.state, PaymentState::Paid);
    assert_eq!(back.payment.method, Some(PaymentMethod::Cash));
}

conformance!(
    a_move_keeps_the_money_and_restates_what_it_covers,
    payments_are_checked_kept_and_staff_only,
    two_desks_recording_at_once_leave_one_consistent_payment,
);
