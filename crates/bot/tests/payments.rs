//! The bot's booking confirmation carries the venue's payment
//! instructions, word for word, in the customer's language's frame; a
//! venue without instructions gets the plain confirmation. Demo venue,
//! real SQLite.

mod common;

use common::venue;

#[tokio::test]
async fn the_confirmation_says_how_to_pay_when_the_venue_says_so() {
    let v = venue().await;
    let held = v.say("0811 7000 001", "book futsal tomorrow 7pm").await;
    assert!(held.replies[0].contains("Rp 150.000"), "{:?}", held.replies);
    let plain = v.say("0811 7000 001", "yes").await;
    assert!(plain.booked.is_some());
    assert!(
        !plain.replies[0].contains("Payment:"),
        "{}",
        plain.replies[0]
    );

    let saved = v
        .store
        .set_payment_instructions(
            v.tenant,
            "  Transfer to BCA 123 456 7890 a.n. Arena\r\nor pay by QRIS at the desk.\0 ",
            None,
        )
        .await
        .expect("save");
    assert_eq!(
        saved,
        "Transfer to BCA 123 456 7890 a.n. Arena\nor pay by QRIS at the desk."
    );
    v.say("0811 7000 002", "book futsal tomorrow 8pm").await;
    let done = v.say("0811 7000 002", "yes").await;
    assert!(done.booked.is_some(), "{:?}", done.replies);
    let text = &done.replies[0];
    assert!(text.starts_with("Booked"), "{text}");
    assert!(
        text.ends_with(
            "\n\nPayment: Transfer to BCA 123 456 7890 a.n. Arena\nor pay by QRIS at the desk."
        ),
        "{text}"
    );

    v.say("0811 7000 003", "booking futsal besok jam 9 malam")
        .await;
    let id = v.say("0811 7000 003", "ya").await;
    assert!(id.booked.is_some(), "{:?}", id.replies);
    assert!(
        id.replies[0].contains("\n\nPembayaran: Transfer to BCA"),
        "{}",
        id.replies[0]
    );

    // With an Indonesian text, Indonesian customers get it; English ones
    // keep the main text.
    v.store
        .set_payment_instructions(
            v.tenant,
            &saved,
            Some("Transfer ke BCA 123 456 7890 a.n. Arena."),
        )
        .await
        .expect("save");
    v.say("0811 7000 004", "booking futsal besok jam 10 malam")
        .await;
    let id = v.say("0811 7000 004", "ya").await;
    assert!(id.booked.is_some(), "{:?}", id.replies);
    assert!(
        id.replies[0].ends_with("\n\nPembayaran: Transfer ke BCA 123 456 7890 a.n. Arena."),
        "{}",
        id.replies[0]
    );
    v.say("0811 7000 005", "book futsal tomorrow 5pm").await;
    let en = v.say("0811 7000 005", "yes").await;
    assert!(en.booked.is_some(), "{:?}", en.replies);
    assert!(
        en.replies[0].contains("Payment: Transfer to BCA"),
        "{}",
        en.replies[0]
    );

    let too_long = "x".repeat(store::MAX_PAYMENT_INSTRUCTIONS + 1);
    assert!(v
        .store
        .set_payment_instructions(v.tenant, "Cash only.", Some(&too_long))
        .await
        .is_err());
    assert_eq!(
        v.store.payment_instructions(v.tenant).await.expect("read"),
        saved,
        "a refused save keeps what was there"
    );
    assert_eq!(
        v.store
            .payment_instructions_both(v.tenant)
            .await
            .expect("read")
            .1,
        "Transfer ke BCA 123 456 7890 a.n. Arena.",
        "neither text is written when one is refused"
    );
}
