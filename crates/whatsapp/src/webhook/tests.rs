//! Bodies in the shapes of Meta's webhook reference, one per kind.

use super::*;

/// A `messages` delivery for number 1122334455667 carrying `value`'s extra
/// fields (messages, statuses, contacts).
fn envelope(value: &str) -> Vec<u8> {
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"102290129340398","changes":[{{"value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550783881","phone_number_id":"1122334455667"}},{value}}},"field":"messages"}}]}}]}}"#
    )
    .into_bytes()
}

fn one_message(message: &str) -> InboundMessage {
    let body = envelope(&format!(
        r#""contacts":[{{"profile":{{"name":"Sheena Nelson"}},"wa_id":"6281255550001"}}],"messages":[{message}]"#
    ));
    let delivery = parse(&body).expect("a delivery");
    let Change::Messages(change) = &delivery.changes[0] else {
        panic!("a messages change");
    };
    assert_eq!(change.phone_number_id, "1122334455667");
    assert_eq!(
        change.contacts[0].profile_name.as_deref(),
        Some("Sheena Nelson")
    );
    assert_eq!(change.messages.len(), 1);
    change.messages[0].clone()
}

#[test]
fn text() {
    let m = one_message(
        r#"{"from":"6281255550001","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=","timestamp":"1749416383","type":"text","text":{"body":"book futsal tomorrow 7pm"}}"#,
    );
    assert_eq!(m.from.as_deref(), Some("6281255550001"));
    assert_eq!(m.timestamp, 1_749_416_383);
    assert_eq!(m.kind.text(), Some("book futsal tomorrow 7pm"));
    assert_eq!(m.kind.name(), "text");
}

#[test]
fn interactive_replies_and_template_buttons() {
    let m = one_message(
        r#"{"context":{"from":"15550783881","id":"wamid.OFFER"},"from":"6281255550001","id":"wamid.B1","timestamp":"1749416383","type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"offer:7:confirm","title":"Confirm"}}}"#,
    );
    assert_eq!(m.context_id.as_deref(), Some("wamid.OFFER"));
    assert_eq!(
        m.kind,
        InboundKind::ButtonReply {
            id: "offer:7:confirm".into(),
            title: "Confirm".into()
        }
    );
    let m = one_message(
        r#"{"from":"6281255550001","id":"wamid.L1","timestamp":"1749416383","type":"interactive","interactive":{"type":"list_reply","list_reply":{"id":"offer:7:alt:2","title":"Court 2 19:00","description":"Rp150.000"}}}"#,
    );
    assert_eq!(m.kind.text(), Some("Court 2 19:00"));
    assert_eq!(m.kind.name(), "list_reply");
    let m = one_message(
        r#"{"context":{"from":"15550783881","id":"wamid.T"},"from":"6281255550001","id":"wamid.Q1","timestamp":"1749416383","type":"button","button":{"payload":"reminder:9:keep","text":"Keep booking"}}"#,
    );
    assert_eq!(
        m.kind,
        InboundKind::TemplateButton {
            payload: "reminder:9:keep".into(),
            text: "Keep booking".into()
        }
    );
}

#[test]
fn location_media_reactions_contacts() {
    let m = one_message(
        r#"{"from":"6281255550001","id":"wamid.LOC","timestamp":"1749416383","type":"location","location":{"address":"Jl. Sudirman 1","latitude":-6.2088,"longitude":106.8456,"name":"Home"}}"#,
    );
    assert!(
        matches!(m.kind, InboundKind::Location { latitude, .. } if (latitude + 6.2088).abs() < 1e-9)
    );
    for media in ["image", "video", "document", "audio", "sticker"] {
        let m = one_message(&format!(
            r#"{{"from":"6281255550001","id":"wamid.{media}","timestamp":"1749416383","type":"{media}","{media}":{{"caption":"transfer receipt","mime_type":"image/jpeg","sha256":"kgZ0nNg9nXh7lQ7S0BRzMX8Q2hS6Oa0Lr+qGxN0ZB9Y=","id":"1003383421387256"}}}}"#
        ));
        assert_eq!(m.kind.name(), media);
        assert!(
            matches!(&m.kind, InboundKind::Media { media_id, caption, .. }
            if media_id == "1003383421387256" && caption.as_deref() == Some("transfer receipt"))
        );
        assert_eq!(m.kind.text(), None);
    }
    let m = one_message(
        r#"{"from":"6281255550001","id":"wamid.R","timestamp":"1749416383","type":"reaction","reaction":{"message_id":"wamid.OURS","emoji":"\uD83D\uDE00"}}"#,
    );
    assert_eq!(
        m.kind,
        InboundKind::Reaction {
            message_id: "wamid.OURS".into(),
            emoji: "😀".into()
        }
    );
    let m = one_message(
        r#"{"from":"6281255550001","id":"wamid.C","timestamp":"1749416383","type":"contacts","contacts":[{"name":{"formatted_name":"Budi"},"phones":[{"phone":"+62 812 5555 0002","wa_id":"6281255550002","type":"CELL"}]}]}"#,
    );
    assert_eq!(m.kind, InboundKind::Contacts { count: 1 });
}

#[test]
fn system_unsupported_and_unknown_types_are_kept() {
    let m = one_message(
        r#"{"from":"6281255550001","id":"wamid.S","timestamp":"1749416383","type":"system","system":{"body":"User A changed from 6281255550001 to 6281255550009","new_wa_id":"6281255550009","type":"user_changed_number"}}"#,
    );
    assert_eq!(
        m.kind,
        InboundKind::System {
            body: Some("User A changed from 6281255550001 to 6281255550009".into()),
            new_wa_id: Some("6281255550009".into())
        }
    );
    let m = one_message(
        r#"{"from":"6281255550001","id":"wamid.U","timestamp":"1749416383","type":"unsupported","errors":[{"code":131051,"title":"Message type unknown","message":"Message type unknown","error_data":{"details":"Message type is currently not supported."}}],"unsupported":{"type":"poll"}}"#,
    );
    assert_eq!(
        m.kind,
        InboundKind::Unsupported {
            type_name: "unsupported".into()
        }
    );
    // A type Meta adds next year, a text without its body, no type at all.
    let m = one_message(
        r#"{"from":"6281255550001","id":"wamid.N","timestamp":"1749416383","type":"hologram","hologram":{}}"#,
    );
    assert_eq!(m.kind.name(), "hologram");
    let m = one_message(
        r#"{"from":"6281255550001","id":"wamid.T2","timestamp":"1749416383","type":"text","text":{}}"#,
    );
    assert_eq!(m.kind.name(), "text");
    assert!(matches!(m.kind, InboundKind::Unsupported { .. }));
    let m = one_message(r#"{"from":"6281255550001","id":"wamid.X","timestamp":"x"}"#);
    assert_eq!(m.kind.name(), "unknown");
    assert_eq!(m.timestamp, 0);
}

#[test]
fn statuses_carry_our_callback_data_and_errors() {
    let body = envelope(
        r#""statuses":[{"id":"wamid.OURS","status":"delivered","timestamp":"1749416400","recipient_id":"6281255550001","biz_opaque_callback_data":"outbox:42","conversation":{"id":"abc","origin":{"type":"service"}},"pricing":{"billable":false,"pricing_model":"PMP","category":"service"}},{"id":"wamid.OURS2","status":"failed","timestamp":"1749416401","recipient_id":"6281255550001","errors":[{"code":131047,"title":"Re-engagement message","message":"Re-engagement message","error_data":{"details":"Message failed to send because more than 24 hours have passed since the customer last replied to this number."}}]},{"id":"wamid.X","status":"deleted"}]"#,
    );
    let delivery = parse(&body).expect("a delivery");
    let Change::Messages(change) = &delivery.changes[0] else {
        panic!("messages");
    };
    assert_eq!(change.statuses.len(), 2, "an unknown status is skipped");
    assert_eq!(change.statuses[0].state, DeliveryState::Delivered);
    assert_eq!(
        change.statuses[0].callback_data.as_deref(),
        Some("outbox:42")
    );
    assert_eq!(change.statuses[1].state, DeliveryState::Failed);
    assert_eq!(change.statuses[1].errors[0].code, 131047);
    assert!(DeliveryState::Sent < DeliveryState::Delivered);
    assert!(DeliveryState::Delivered < DeliveryState::Read);
}

#[test]
fn other_fields_and_template_updates() {
    let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"event":"APPROVED","message_template_id":12345678,"message_template_name":"booking_reminder","message_template_language":"id","reason":"NONE"},"field":"message_template_status_update"},{"value":{},"field":"account_update"}]}]}"#;
    let delivery = parse(body).expect("a delivery");
    assert_eq!(
        delivery.changes[0],
        Change::TemplateStatus(TemplateStatus {
            waba_id: Some("1".into()),
            event: "APPROVED".into(),
            template_id: Some("12345678".into()),
            name: Some("booking_reminder".into()),
            language: Some("id".into()),
            reason: Some("NONE".into()),
        })
    );
    assert_eq!(
        delivery.changes[1],
        Change::Other {
            field: "account_update".into()
        }
    );
}

#[test]
fn only_non_objects_are_refused() {
    assert!(matches!(parse(b"not json"), Err(PayloadError::NotJson(_))));
    assert_eq!(parse(b"[1,2]"), Err(PayloadError::NotAnObject));
    assert_eq!(parse(b"{}"), Ok(Delivery::default()));
    assert_eq!(parse(br#"{"entry":"x"}"#), Ok(Delivery::default()));
    // A message without an id cannot be stored once; it is skipped.
    let body = envelope(r#""messages":[{"from":"1","type":"text","text":{"body":"hi"}}]"#);
    let Ok(Delivery { changes }) = parse(&body) else {
        panic!("a delivery");
    };
    assert!(matches!(&changes[0], Change::Messages(m) if m.messages.is_empty()));
}

proptest::proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
        let _ = parse(&bytes);
    }

    #[test]
    fn arbitrary_messages_never_panic(message in arbitrary_json(4)) {
        let body = envelope(&format!(r#""messages":[{message}],"statuses":[{message}],"contacts":[{message}]"#));
        let _ = parse(&body);
    }
}

/// Arbitrary JSON values, nested up to `depth`, with the keys Meta uses so
/// the reader's paths are walked.
fn arbitrary_json(depth: u32) -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let key = prop_oneof![
        Just("id"),
        Just("type"),
        Just("text"),
        Just("body"),
        Just("from"),
        Just("timestamp"),
        Just("interactive"),
        Just("button_reply"),
        Just("list_reply"),
        Just("location"),
        Just("latitude"),
        Just("image"),
        Just("status"),
        Just("errors"),
        Just("code"),
        Just("context"),
        Just("system"),
        Just("reaction"),
        Just("edit"),
        Just("revoke"),
    ];
    let leaf = prop_oneof![
        Just("null".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| f.to_string()),
        "[a-z_ ]{0,12}".prop_map(|s| format!("{s:?}")),
        Just("\"text\"".to_string()),
        Just("\"button_reply\"".to_string()),
        Just("\"interactive\"".to_string()),
        Just("\"failed\"".to_string()),
    ];
    leaf.prop_recursive(depth, 64, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4)
                .prop_map(|v| format!("[{}]", v.join(","))),
            proptest::collection::vec((key.clone(), inner), 0..6).prop_map(|v| {
                let fields: Vec<String> =
                    v.into_iter().map(|(k, v)| format!("{k:?}:{v}")).collect();
                format!("{{{}}}", fields.join(","))
            }),
        ]
    })
}
