//! Reading a stored reply back: the outbox keeps each reply as its Graph
//! object, and the sender and the thread rebuild the typed reply from it,
//! through the same constructors, so a row edited or corrupted in the
//! database can never be posted beyond Meta's limits.

use super::{Button, Frame, Reply, ReplyError, Result, Row, Section, Template};
use serde_json::Value;

impl Reply {
    /// Reads a stored reply back (kind and payload as [`Reply::kind`] and
    /// [`Reply::payload`] wrote them), checking every limit again.
    pub fn from_stored(kind: &str, payload: &Value) -> Result<Reply> {
        let unreadable = |what: &str| ReplyError::Unreadable(format!("{kind}: {what}"));
        let text = |value: &Value| value.as_str().map(str::to_string);
        match kind {
            "text" => Reply::text(payload["body"].as_str().ok_or_else(|| unreadable("body"))?),
            "interactive" => {
                let frame = Frame::new(
                    payload["header"]["text"].as_str(),
                    payload["body"]["text"]
                        .as_str()
                        .ok_or_else(|| unreadable("body"))?,
                    payload["footer"]["text"].as_str(),
                )?;
                let action = &payload["action"];
                match payload["type"].as_str() {
                    Some("button") => {
                        let buttons = action["buttons"]
                            .as_array()
                            .ok_or_else(|| unreadable("buttons"))?
                            .iter()
                            .map(|b| {
                                Button::new(
                                    &text(&b["reply"]["id"]).unwrap_or_default(),
                                    &text(&b["reply"]["title"]).unwrap_or_default(),
                                )
                            })
                            .collect::<Result<Vec<_>>>()?;
                        Reply::buttons(frame, buttons)
                    }
                    Some("list") => {
                        let sections = action["sections"]
                            .as_array()
                            .ok_or_else(|| unreadable("sections"))?
                            .iter()
                            .map(|s| {
                                let rows = s["rows"]
                                    .as_array()
                                    .ok_or_else(|| unreadable("rows"))?
                                    .iter()
                                    .map(|r| {
                                        Row::new(
                                            &text(&r["id"]).unwrap_or_default(),
                                            &text(&r["title"]).unwrap_or_default(),
                                            r["description"].as_str(),
                                        )
                                    })
                                    .collect::<Result<Vec<_>>>()?;
                                Section::new(s["title"].as_str(), rows)
                            })
                            .collect::<Result<Vec<_>>>()?;
                        Reply::list(
                            frame,
                            action["button"].as_str().unwrap_or_default(),
                            sections,
                        )
                    }
                    _ => Err(unreadable("type")),
                }
            }
            "template" => {
                let parameters: Vec<String> = payload["components"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|c| c["type"] == "body")
                    .flat_map(|c| c["parameters"].as_array().into_iter().flatten())
                    .filter_map(|p| text(&p["text"]))
                    .collect();
                let parameters: Vec<&str> = parameters.iter().map(String::as_str).collect();
                Template::new(
                    payload["name"].as_str().unwrap_or_default(),
                    payload["language"]["code"].as_str().unwrap_or_default(),
                    &parameters,
                )
                .map(Reply::Template)
            }
            _ => Err(unreadable("kind")),
        }
    }
}
