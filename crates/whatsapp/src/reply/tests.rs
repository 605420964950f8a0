use super::*;
use proptest::prelude::*;

fn offer() -> Reply {
    Reply::buttons(
        Frame::new(
            Some("Futsal 1"),
            "Tomorrow 19:00–20:00 is free: Rp 150.000.",
            Some("Held 10 min"),
        )
        .expect("valid"),
        vec![
            Button::new("o:7:confirm", "Confirm").expect("valid"),
            Button::new("o:7:change", "Change").expect("valid"),
            Button::new("o:7:cancel", "Cancel").expect("valid"),
        ],
    )
    .expect("valid")
}

#[test]
fn buttons_follow_metas_shape() {
    let request = offer().request("6281255550001", 42);
    assert_eq!(request["type"], "interactive");
    assert_eq!(request["to"], "6281255550001");
    assert_eq!(request["biz_opaque_callback_data"], "outbox:42");
    let interactive = &request["interactive"];
    assert_eq!(interactive["type"], "button");
    assert_eq!(interactive["header"]["type"], "text");
    assert_eq!(interactive["header"]["text"], "Futsal 1");
    assert_eq!(interactive["footer"]["text"], "Held 10 min");
    assert_eq!(interactive["action"]["buttons"][1]["type"], "reply");
    assert_eq!(
        interactive["action"]["buttons"][1]["reply"]["id"],
        "o:7:change"
    );
    assert_eq!(
        interactive["action"]["buttons"][1]["reply"]["title"],
        "Change"
    );
}

#[test]
fn a_list_follows_metas_shape() {
    let rows = vec![
        Row::new("t:1:2026-11-26T18:00", "18:00", Some("Futsal 1")).expect("valid"),
        Row::new("t:1:2026-11-26T21:00", "21:00", None).expect("valid"),
    ];
    let list = Reply::list(
        Frame::body("Still free that day:").expect("valid"),
        "Free times",
        vec![Section::new(Some("Thu 26 Nov"), rows).expect("valid")],
    )
    .expect("valid");
    let request = list.request("62812", 9);
    let interactive = &request["interactive"];
    assert_eq!(interactive["type"], "list");
    assert_eq!(interactive["action"]["button"], "Free times");
    assert_eq!(interactive["action"]["sections"][0]["title"], "Thu 26 Nov");
    assert_eq!(
        interactive["action"]["sections"][0]["rows"][0]["description"],
        "Futsal 1"
    );
    assert!(interactive["action"]["sections"][0]["rows"][1]
        .get("description")
        .is_none());
    assert!(interactive.get("header").is_none());
    assert_eq!(list.choices().len(), 2);
    assert!(list.plain_text().contains("• 18:00 — Futsal 1"));
}

#[test]
fn text_and_templates_follow_metas_shape() {
    let text = Reply::text("Halo!").expect("valid").request("62812", 1);
    assert_eq!(text["type"], "text");
    assert_eq!(text["text"]["body"], "Halo!");
    let template = Reply::Template(
        Template::new("booking_reminder", "id", &["Futsal 1", "19.00"]).expect("valid"),
    );
    assert!(!template.needs_open_window());
    let request = template.request("62812", 2);
    assert_eq!(request["type"], "template");
    assert_eq!(request["template"]["name"], "booking_reminder");
    assert_eq!(request["template"]["language"]["code"], "id");
    assert_eq!(request["template"]["components"][0]["type"], "body");
    assert_eq!(
        request["template"]["components"][0]["parameters"][1]["text"],
        "19.00"
    );
    let bare = Reply::Template(Template::new("hello_world", "en_US", &[]).expect("valid"));
    assert!(bare.payload().get("components").is_none());
}

#[test]
fn metas_limits_hold_by_construction() {
    let long = |n: usize| "x".repeat(n);
    assert!(Reply::text(&long(4096)).is_ok());
    assert!(matches!(
        Reply::text(&long(4097)),
        Err(ReplyError::TooLong { max: 4096, .. })
    ));
    assert!(matches!(Reply::text("  "), Err(ReplyError::Empty { .. })));
    assert!(Frame::body(&long(1024)).is_ok());
    assert!(Frame::body(&long(1025)).is_err());
    assert!(Frame::new(Some(&long(61)), "b", None).is_err());
    assert!(Frame::new(None, "b", Some(&long(61))).is_err());
    assert!(Button::new("a", &long(20)).is_ok());
    assert!(Button::new("a", &long(21)).is_err());
    assert!(Button::new(&long(256), "a").is_ok());
    assert!(Button::new(&long(257), "a").is_err());
    assert!(Row::new("a", &long(24), Some(&long(72))).is_ok());
    assert!(Row::new("a", &long(25), None).is_err());
    assert!(Row::new("a", "t", Some(&long(73))).is_err());
    assert!(Row::new(&long(201), "t", None).is_err());
    let frame = || Frame::body("body").expect("valid");
    let button = |i: usize| Button::new(&format!("id{i}"), &format!("B{i}")).expect("valid");
    assert!(matches!(
        Reply::buttons(frame(), (0..4).map(button).collect()),
        Err(ReplyError::TooMany { max: 3, .. })
    ));
    assert!(matches!(
        Reply::buttons(
            frame(),
            vec![
                Button::new("a", "Same").expect("valid"),
                Button::new("b", "Same").expect("valid")
            ]
        ),
        Err(ReplyError::Duplicate { .. })
    ));
    assert!(Reply::buttons(frame(), vec![]).is_err());
    let row = |i: usize| Row::new(&format!("r{i}"), &format!("Row {i}"), None).expect("valid");
    let section = |rows: std::ops::Range<usize>, title: Option<&str>| {
        Section::new(title, rows.map(row).collect()).expect("valid")
    };
    assert!(Reply::list(frame(), "Pick", vec![section(0..10, None)]).is_ok());
    assert!(matches!(
        Reply::list(frame(), "Pick", vec![section(0..11, None)]),
        Err(ReplyError::TooMany { max: 10, .. })
    ));
    assert!(Reply::list(
        frame(),
        "Pick",
        vec![section(0..5, Some("A")), section(5..10, Some("B"))]
    )
    .is_ok());
    assert!(Reply::list(
        frame(),
        "Pick",
        vec![section(0..5, Some("A")), section(5..10, None)]
    )
    .is_err());
    assert!(Reply::list(
        frame(),
        "Pick",
        vec![section(0..5, Some("A")), section(4..6, Some("B"))]
    )
    .is_err());
    assert!(Reply::list(frame(), &long(21), vec![section(0..1, None)]).is_err());
    let eleven: Vec<Section> = (0..11).map(|i| section(i..i + 1, Some("S"))).collect();
    assert!(matches!(
        Reply::list(frame(), "Pick", eleven),
        Err(ReplyError::TooMany {
            what: "sections",
            ..
        })
    ));
}

#[test]
fn clip_fits_data_into_a_title() {
    assert_eq!(clip("Futsal 1", 20), "Futsal 1");
    let clipped = clip("Lapangan Badminton Utama Nomor Tiga", 24);
    assert_eq!(clipped.chars().count(), 24);
    assert!(clipped.ends_with('…'));
    assert!(Row::new("a", &clip("ÄÖÜ äöü 日本語 テキスト ながいなまえ", 24), None).is_ok());
}

#[test]
fn stored_replies_read_back_the_same() {
    for reply in [
        offer(),
        Reply::text("Halo!").expect("valid"),
        Reply::Template(Template::new("booking_reminder", "id", &["a", "b"]).expect("valid")),
    ] {
        let back = Reply::from_stored(reply.kind(), &reply.payload()).expect("valid");
        assert_eq!(back, reply);
    }
    assert!(Reply::from_stored("interactive", &serde_json::json!({"type": "carousel"})).is_err());
    assert!(Reply::from_stored("sticker", &serde_json::json!({})).is_err());
}

proptest! {
    #[test]
    fn any_buildable_list_reads_back_and_stays_in_limits(
        titles in proptest::collection::vec("\\PC{1,30}", 1..12),
        body in "\\PC{1,1100}",
    ) {
        let rows: Vec<Row> = titles
            .iter()
            .enumerate()
            .filter_map(|(i, t)| Row::new(&format!("r{i}"), t, None).ok())
            .collect();
        let Ok(frame) = Frame::body(&body) else { return Ok(()); };
        let Ok(section) = Section::new(None, rows) else { return Ok(()); };
        if let Ok(list) = Reply::list(frame, "Pick", vec![section]) {
            prop_assert!(list.choices().len() <= limits::LIST_ROWS);
            for (id, title) in list.choices() {
                prop_assert!(title.chars().count() <= limits::ROW_TITLE);
                prop_assert!(id.chars().count() <= limits::ROW_ID);
            }
            prop_assert_eq!(Reply::from_stored(list.kind(), &list.payload()).expect("valid"), list);
        }
    }
}
