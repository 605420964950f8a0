use super::*;

const FIRST_PAGE: &str = r#"{
  "data": [
    {
      "name": "booking_confirmation",
      "components": [
        {"type": "HEADER", "format": "TEXT", "text": "Booking {{1}}"},
        {"type": "BODY", "text": "Hi {{1}}, your booking {{2}} at {{3}} is confirmed. See you, {{1}}!",
         "example": {"body_text": [["Sheena", "PSN-7K2Q", "19:00"]]}},
        {"type": "FOOTER", "text": "Pesan"},
        {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Cancel"}]}
      ],
      "language": "id",
      "status": "APPROVED",
      "category": "UTILITY",
      "id": "1257395301645810"
    },
    {
      "name": "promo",
      "components": [
        {"type": "HEADER", "format": "IMAGE"},
        {"type": "BODY", "text": "Halo {{first_name}}, diskon {{discount}} untuk {{first_name}}"}
      ],
      "language": "en_US",
      "status": "PENDING",
      "category": "MARKETING",
      "id": 987654321
    },
    {"name": "no_language", "status": "APPROVED"},
    {"language": "id", "status": "APPROVED"},
    "not an object",
    {"name": "bare", "language": "en"}
  ],
  "paging": {
    "cursors": {"before": "QVFIUmxtbz", "after": "QVFIU=jRk&x"},
    "next": "https://example.invalid/v23.0/102290129340398/message_templates?after=QVFIU"
  }
}"#;

#[test]
fn a_page_in_meta_shape() {
    let page = parse_page(FIRST_PAGE.as_bytes()).expect("a page");
    assert_eq!(page.after.as_deref(), Some("QVFIU=jRk&x"));
    assert_eq!(page.templates.len(), 3);
    let confirmation = &page.templates[0];
    assert_eq!(confirmation.name, "booking_confirmation");
    assert_eq!(confirmation.language, "id");
    assert_eq!(confirmation.status, "APPROVED");
    assert!(confirmation.is_approved());
    assert_eq!(confirmation.category, "UTILITY");
    assert_eq!(confirmation.id.as_deref(), Some("1257395301645810"));
    assert_eq!(
        confirmation.body.as_deref(),
        Some("Hi {{1}}, your booking {{2}} at {{3}} is confirmed. See you, {{1}}!")
    );
    assert_eq!(confirmation.body_parameters, 3);
    assert_eq!(confirmation.header_parameters, 1);
    assert_eq!(confirmation.components.as_array().map(Vec::len), Some(4));

    let promo = &page.templates[1];
    assert_eq!(promo.id.as_deref(), Some("987654321"));
    assert!(!promo.is_approved());
    assert_eq!(promo.body_parameters, 2, "named, counted once each");
    assert_eq!(promo.header_parameters, 1, "an image header takes a media");

    let bare = &page.templates[2];
    assert_eq!(bare.status, "");
    assert_eq!(bare.body, None);
    assert_eq!((bare.body_parameters, bare.header_parameters), (0, 0));
    assert_eq!(bare.components, serde_json::json!([]));
}

#[test]
fn the_last_page_has_no_next() {
    let last = br#"{"data":[],"paging":{"cursors":{"before":"A","after":"B"}}}"#;
    assert_eq!(parse_page(last), Ok(Page::default()));
    assert_eq!(parse_page(b"{}"), Ok(Page::default()));
    assert_eq!(
        parse_page(br#"{"data":[],"paging":{"next":"x","cursors":{}}}"#),
        Err(PageError::NoCursor)
    );
    assert_eq!(parse_page(b"[]"), Err(PageError::NotAnObject));
    assert!(matches!(parse_page(b"<html>"), Err(PageError::NotJson(_))));
}

#[test]
fn the_list_url_asks_for_the_fields_and_pages_on() {
    assert_eq!(
        list_url("http://127.0.0.1:9/", "v23.0", "102290129340398", None),
        "http://127.0.0.1:9/v23.0/102290129340398/message_templates?fields=name,language,status,category,components&limit=100"
    );
    assert_eq!(
        list_url("http://127.0.0.1:9", "v23.0", "1", Some("QVFIU=jRk&x")),
        "http://127.0.0.1:9/v23.0/1/message_templates?fields=name,language,status,category,components&limit=100&after=QVFIU%3DjRk%26x"
    );
}

#[test]
fn placeholders_are_distinct_and_well_formed() {
    assert_eq!(placeholders("Hi {{1}} {{2}} {{1}}"), vec!["1", "2"]);
    assert_eq!(placeholders("{{ name }} and {{{2}}}"), vec!["name", "2"]);
    assert!(placeholders("{{}} {{not valid}} {{é}} {{1").is_empty());
    assert!(placeholders("").is_empty());
}

#[test]
fn status_events() {
    assert_eq!(status_after("PAUSED").as_deref(), Some("PAUSED"));
    assert_eq!(status_after("approved").as_deref(), Some("APPROVED"));
    assert_eq!(status_after("REINSTATED").as_deref(), Some("APPROVED"));
    assert_eq!(status_after("FLAGGED"), None);
    assert_eq!(status_after(""), None);
    assert_eq!(status_after("DROP TABLE;"), None);
}

proptest::proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
        let _ = parse_page(&bytes);
    }

    #[test]
    fn arbitrary_json_never_panics(page in arbitrary_json(5)) {
        let _ = parse_page(page.as_bytes());
        let _ = parse_page(format!(r#"{{"data":[{page}],"paging":{page}}}"#).as_bytes());
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,64}", event in "\\PC{0,16}") {
        let _ = placeholders(&text);
        let _ = status_after(&event);
        let _ = list_url("http://x", "v1", &text, Some(&text));
    }
}

/// Arbitrary JSON values, nested up to `depth`, with the keys Meta's list
/// uses so the reader's paths are walked.
fn arbitrary_json(depth: u32) -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let key = prop_oneof![
        Just("data"),
        Just("name"),
        Just("language"),
        Just("status"),
        Just("category"),
        Just("id"),
        Just("components"),
        Just("type"),
        Just("format"),
        Just("text"),
        Just("paging"),
        Just("cursors"),
        Just("after"),
        Just("next"),
    ];
    let leaf = prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        Just("1e400".to_string()),
        Just(r#""BODY""#.to_string()),
        Just(r#""HEADER""#.to_string()),
        Just(r#""IMAGE""#.to_string()),
        Just(r#""{{1}} {{x}} {{""#.to_string()),
        "\\PC{0,12}".prop_map(|s| serde_json::Value::String(s).to_string()),
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
