//! The bot's questions: what, which day, what time, as lists and
//! buttons to tap with the same words typed as a fallback.

use super::{date, interactive, is_id, kinds_on_offer, time};
use crate::planner::Question;
use crate::taps::Tap;
use chrono::{NaiveDate, NaiveTime};
use domain::language::Lang;
use domain::ResourceKind;
use store::Resource;
use whatsapp::reply::{clip, limits, Button, Frame, Reply, Row, Section};

/// "What would you like to book?", the kinds as a list to tap.
pub fn ask_kind(lang: Lang, kinds: &[ResourceKind], resources: &[Resource], menu: i64) -> Reply {
    let question = ask(lang, &Question::WhatKind, resources);
    let rows = kinds.iter().take(limits::LIST_ROWS).map(|kind| {
        let label = kind.label(is_id(lang));
        Row::new(
            &Tap::Kind {
                menu,
                kind: kind.clone(),
            }
            .id(),
            &clip(&capitalise(label), limits::ROW_TITLE),
            None,
        )
    });
    let built = rows.collect::<Result<Vec<_>, _>>().and_then(|rows| {
        Reply::list(
            Frame::body(&question)?,
            if is_id(lang) { "Pilih" } else { "Choose" },
            vec![Section::new(None, rows)?],
        )
    });
    interactive(built, question)
}

/// "For which day?", with today, tomorrow and the day after as buttons.
pub fn ask_day(
    lang: Lang,
    question: &Question,
    today: NaiveDate,
    days: &[NaiveDate],
    menu: i64,
) -> Reply {
    let body = ask(lang, question, &[]);
    let id = is_id(lang);
    let buttons = days.iter().take(3).map(|day| {
        let ahead = (*day - today).num_days();
        let title = match (ahead, id) {
            (0, true) => "Hari ini".to_string(),
            (0, false) => "Today".to_string(),
            (1, true) => "Besok".to_string(),
            (1, false) => "Tomorrow".to_string(),
            _ => date(lang, *day),
        };
        Button::new(
            &Tap::Day { menu, date: *day }.id(),
            &clip(&title, limits::BUTTON_TITLE),
        )
    });
    let built = buttons
        .collect::<Result<Vec<_>, _>>()
        .and_then(|buttons| Reply::buttons(Frame::body(&body)?, buttons));
    interactive(built, body)
}

/// "7:00 in the morning or 19:00 in the evening?", as two buttons.
pub fn ask_morning_or_evening(
    lang: Lang,
    day: NaiveDate,
    morning: NaiveTime,
    evening: NaiveTime,
    menu: i64,
) -> Reply {
    let body = ask(lang, &Question::MorningOrEvening { morning, evening }, &[]);
    let buttons = [morning, evening].map(|t| {
        Button::new(
            &Tap::Time {
                menu,
                date: day,
                time: t,
            }
            .id(),
            &time(lang, t),
        )
    });
    let built = buttons
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .and_then(|buttons| Reply::buttons(Frame::body(&body)?, buttons));
    interactive(built, body)
}

/// "Padel court" from "padel court": a reply's first word.
pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub fn ask(lang: Lang, question: &Question, resources: &[Resource]) -> String {
    match (question, is_id(lang)) {
        (Question::WhatKind, true) => format!(
            "Mau booking apa? Tersedia {}.",
            kinds_on_offer(lang, resources)
        ),
        (Question::WhatKind, false) => format!(
            "What would you like to book? We have {}.",
            kinds_on_offer(lang, resources)
        ),
        (Question::WhatDay, true) => {
            "Untuk hari apa? (misalnya besok, Sabtu, atau 1/12)".to_string()
        }
        (Question::WhatDay, false) => {
            "For which day? (e.g. tomorrow, Saturday or 1/12)".to_string()
        }
        (Question::WhatTime { date: Some(d) }, true) => {
            format!("Jam berapa untuk {}?", date(lang, *d))
        }
        (Question::WhatTime { date: Some(d) }, false) => {
            format!("What time on {}?", date(lang, *d))
        }
        (Question::WhatTime { date: None }, true) => "Untuk hari apa dan jam berapa?".to_string(),
        (Question::WhatTime { date: None }, false) => "For which day and what time?".to_string(),
        (Question::MorningOrEvening { morning, evening }, true) => {
            format!(
                "Jam {} pagi atau {} malam?",
                time(lang, *morning),
                time(lang, *evening)
            )
        }
        (Question::MorningOrEvening { morning, evening }, false) => {
            format!(
                "{} in the morning or {} in the evening?",
                time(lang, *morning),
                time(lang, *evening)
            )
        }
    }
}
