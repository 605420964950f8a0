//! Questions about the venue answered from its own documents by the
//! built-in engine (no LLM): the best passage quoted with its source when
//! it clears the floor, a person when a venue question finds nothing, and
//! the booking under way left as it was.

mod common;

use bot::Assist;
use common::{now, venue, Venue};
use knowledge::Knowledge;

const PHONE: &str = "+6281234500001";

async fn with_documents() -> Venue {
    let mut v = venue().await;
    let k = Knowledge::full_text_only(v.store.clone());
    k.upload(
        v.tenant,
        None,
        "Peraturan.md",
        "# Peraturan\n\n## Parkir\nParkir motor gratis. Parkir mobil Rp 5.000 untuk 1 jam pertama, di basement.\n\n## Pembayaran\nPembayaran bisa lewat QRIS, transfer BCA atau tunai di kasir.\n"
            .as_bytes(),
        now(),
    )
    .await
    .expect("upload");
    k.add_faq(
        v.tenant,
        None,
        "Do you rent rackets?",
        "Yes: badminton rackets are Rp 20.000 per session at reception.",
        now(),
    )
    .await
    .expect("faq");
    while k.index_next().await.expect("index").is_some() {}
    v.assist = Assist::with_knowledge(k);
    v
}

#[tokio::test]
async fn a_venue_question_is_answered_from_the_documents_with_its_source() {
    let v = with_documents().await;
    let out = v.say(PHONE, "bisa bayar pakai qris?").await;
    let reply = &out.replies[0];
    assert!(reply.contains("QRIS"), "{reply}");
    assert!(reply.contains("Sumber: Peraturan.md"), "{reply}");
    let out = v.say(PHONE, "do you rent rackets?").await;
    let reply = &out.replies[0];
    assert!(
        reply.starts_with("Yes: badminton rackets"),
        "the FAQ's answer, not its question: {reply}"
    );
    assert!(reply.contains("Source: FAQ"), "{reply}");
    assert!(v.handed_off().await.is_empty());
}

#[tokio::test]
async fn a_venue_question_nothing_answers_goes_to_a_person() {
    let v = with_documents().await;
    let out = v
        .say(PHONE, "is there a sauna? what are the sauna rules?")
        .await;
    let waiting = v.handed_off().await;
    assert_eq!(waiting.len(), 1, "{:?}", out.replies);
    assert_eq!(waiting[0].handoff.reason, store::HandoffReason::Unanswered);
}

#[tokio::test]
async fn a_question_in_the_middle_of_a_booking_keeps_the_booking_going() {
    let v = with_documents().await;
    let first = v.say(PHONE, "mau booking futsal besok").await;
    assert!(!first.replies.is_empty());
    let before = v.conversation(PHONE).await.state;
    let out = v.say(PHONE, "parkir mobil berapa?").await;
    assert!(out.replies[0].contains("Rp 5.000"), "{:?}", out.replies);
    assert_eq!(
        v.conversation(PHONE).await.state,
        before,
        "the booking under way stays"
    );
    let next = v.say(PHONE, "jam 7 malam").await;
    assert!(
        next.replies.iter().any(|r| r.contains("19.00")),
        "{:?}",
        next.replies
    );
}

#[tokio::test]
async fn a_question_beside_a_held_offer_keeps_it_and_never_goes_to_a_person() {
    let v = with_documents().await;
    let phone = "0811 2000 031";
    v.say(phone, "book futsal tomorrow 7pm").await;
    // Answered from the documents, with the offer's reminder.
    let rackets = v.say(phone, "do you rent rackets?").await;
    let text = &rackets.replies[0];
    assert!(text.contains("rackets") && text.contains("YES"), "{text}");
    // Nothing answers: no person, the reminder instead; unclear words
    // do not add up to a handoff either.
    for question in ["is there a sauna?", "hmm", "and what else?"] {
        let out = v.say(phone, question).await;
        assert!(
            out.replies[0].contains("YES"),
            "{question}: {:?}",
            out.replies
        );
    }
    assert!(v.handed_off().await.is_empty());
    let done = v.say(phone, "yes").await;
    assert!(done.booked.is_some(), "{:?}", done.replies);
}

#[tokio::test]
async fn without_a_knowledge_base_nothing_changes() {
    let v = venue().await;
    let out = v.say(PHONE, "bisa bayar pakai qris?").await;
    assert!(
        out.replies[0].contains("belum bisa saya jawab"),
        "{:?}",
        out.replies
    );
    assert!(v.handed_off().await.is_empty());
}
