//! What the bot (or staff) says to a customer, typed so that Meta's limits
//! hold by construction: a reply that would be refused by the Graph API
//! (a fourth button, a 25-character row title, two buttons with the same
//! title) cannot be built. Anything that reaches the outbox can be posted.
//!
//! A reply is stored as its Graph API object (`text`, `interactive` or
//! `template`), so the sender posts exactly what was recorded, and the
//! thread can show buttons and lists the way WhatsApp does.

use serde_json::{json, Value};

/// Meta's limits on free-form and interactive messages, in characters.
pub mod limits {
    pub const TEXT_BODY: usize = 4096;
    pub const INTERACTIVE_BODY: usize = 1024;
    pub const HEADER: usize = 60;
    pub const FOOTER: usize = 60;
    pub const BUTTONS: usize = 3;
    pub const BUTTON_TITLE: usize = 20;
    pub const BUTTON_ID: usize = 256;
    pub const LIST_BUTTON: usize = 20;
    pub const LIST_ROWS: usize = 10;
    pub const LIST_SECTIONS: usize = 10;
    pub const SECTION_TITLE: usize = 24;
    pub const ROW_TITLE: usize = 24;
    pub const ROW_DESCRIPTION: usize = 72;
    pub const ROW_ID: usize = 200;
    pub const TEMPLATE_NAME: usize = 512;
    pub const TEMPLATE_PARAMETER: usize = 1024;
}

/// Why a reply cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplyError {
    #[error("{field} is empty")]
    Empty { field: &'static str },
    #[error("{field} has {length} characters, at most {max} are allowed")]
    TooLong {
        field: &'static str,
        length: usize,
        max: usize,
    },
    #[error("{count} {what}, at most {max} are allowed")]
    TooMany {
        what: &'static str,
        count: usize,
        max: usize,
    },
    #[error("two {what} share {value:?}")]
    Duplicate { what: &'static str, value: String },
    #[error("{field}: {reason}")]
    Unsendable {
        field: &'static str,
        reason: &'static str,
    },
    #[error("the stored reply cannot be read: {0}")]
    Unreadable(String),
}

type Result<T> = std::result::Result<T, ReplyError>;

fn checked(field: &'static str, text: &str, max: usize) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ReplyError::Empty { field });
    }
    let length = text.chars().count();
    if length > max {
        return Err(ReplyError::TooLong { field, length, max });
    }
    Ok(text.to_string())
}

fn optional(field: &'static str, text: Option<&str>, max: usize) -> Result<Option<String>> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => checked(field, text, max).map(Some),
    }
}

/// Shortens `text` to at most `max` characters, ending in "…" when cut:
/// for titles made from data (a resource's name) that may be long.
pub fn clip(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

/// A reply button: the id comes back when the customer taps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    id: String,
    title: String,
}

impl Button {
    pub fn new(id: &str, title: &str) -> Result<Button> {
        Ok(Button {
            id: checked("button id", id, limits::BUTTON_ID)?,
            title: checked("button title", title, limits::BUTTON_TITLE)?,
        })
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn title(&self) -> &str {
        &self.title
    }
}

/// A row of a list message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    id: String,
    title: String,
    description: Option<String>,
}

impl Row {
    pub fn new(id: &str, title: &str, description: Option<&str>) -> Result<Row> {
        Ok(Row {
            id: checked("row id", id, limits::ROW_ID)?,
            title: checked("row title", title, limits::ROW_TITLE)?,
            description: optional("row description", description, limits::ROW_DESCRIPTION)?,
        })
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
}

/// A titled group of rows (the title is required once there are several).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    title: Option<String>,
    rows: Vec<Row>,
}

impl Section {
    pub fn new(title: Option<&str>, rows: Vec<Row>) -> Result<Section> {
        if rows.is_empty() {
            return Err(ReplyError::Empty {
                field: "section rows",
            });
        }
        Ok(Section {
            title: optional("section title", title, limits::SECTION_TITLE)?,
            rows,
        })
    }

    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }
}

/// Header, body and footer shared by buttons and lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    header: Option<String>,
    body: String,
    footer: Option<String>,
}

impl Frame {
    pub fn new(header: Option<&str>, body: &str, footer: Option<&str>) -> Result<Frame> {
        Ok(Frame {
            header: optional("header", header, limits::HEADER)?,
            body: checked("body", body, limits::INTERACTIVE_BODY)?,
            footer: optional("footer", footer, limits::FOOTER)?,
        })
    }

    /// A frame with only a body.
    pub fn body(body: &str) -> Result<Frame> {
        Frame::new(None, body, None)
    }

    fn json(&self, kind: &str, action: Value) -> Value {
        let mut object = json!({
            "type": kind,
            "body": { "text": self.body },
            "action": action,
        });
        if let Some(header) = &self.header {
            object["header"] = json!({ "type": "text", "text": header });
        }
        if let Some(footer) = &self.footer {
            object["footer"] = json!({ "text": footer });
        }
        object
    }
}

/// An approved template to send by name (the only thing that may go out
/// beyond the 24-hour window). Parameters fill the body's `{{n}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    name: String,
    language: String,
    parameters: Vec<String>,
}

impl Template {
    pub fn new(name: &str, language: &str, parameters: &[&str]) -> Result<Template> {
        let parameters = parameters
            .iter()
            .map(|p| {
                let p = checked("template parameter", p, limits::TEMPLATE_PARAMETER)?;
                // Meta refuses (132018) a parameter with a new line, a tab
                // or more than four spaces in a row.
                if p.contains(['\n', '\r', '\t']) || p.contains("     ") {
                    return Err(ReplyError::Unsendable {
                        field: "template parameter",
                        reason: "no new lines, tabs or more than four spaces in a row",
                    });
                }
                Ok(p)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Template {
            name: checked("template name", name, limits::TEMPLATE_NAME)?,
            language: checked("template language", language, 16)?,
            parameters,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn language(&self) -> &str {
        &self.language
    }

    pub fn parameters(&self) -> &[String] {
        &self.parameters
    }
}

/// One message to a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Text(String),
    /// Up to three reply buttons with unique titles.
    Buttons {
        frame: Frame,
        buttons: Vec<Button>,
    },
    /// A menu: a button that opens up to ten rows in up to ten sections.
    List {
        frame: Frame,
        button: String,
        sections: Vec<Section>,
    },
    Template(Template),
}

impl Reply {
    pub fn text(body: &str) -> Result<Reply> {
        checked("text", body, limits::TEXT_BODY).map(Reply::Text)
    }

    pub fn buttons(frame: Frame, buttons: Vec<Button>) -> Result<Reply> {
        if buttons.is_empty() {
            return Err(ReplyError::Empty { field: "buttons" });
        }
        if buttons.len() > limits::BUTTONS {
            return Err(ReplyError::TooMany {
                what: "buttons",
                count: buttons.len(),
                max: limits::BUTTONS,
            });
        }
        for (i, button) in buttons.iter().enumerate() {
            for other in &buttons[..i] {
                if other.title == button.title {
                    return Err(ReplyError::Duplicate {
                        what: "buttons",
                        value: button.title.clone(),
                    });
                }
                if other.id == button.id {
                    return Err(ReplyError::Duplicate {
                        what: "button ids",
                        value: button.id.clone(),
                    });
                }
            }
        }
        Ok(Reply::Buttons { frame, buttons })
    }

    pub fn list(frame: Frame, button: &str, sections: Vec<Section>) -> Result<Reply> {
        let button = checked("list button", button, limits::LIST_BUTTON)?;
        if sections.is_empty() {
            return Err(ReplyError::Empty { field: "sections" });
        }
        if sections.len() > limits::LIST_SECTIONS {
            return Err(ReplyError::TooMany {
                what: "sections",
                count: sections.len(),
                max: limits::LIST_SECTIONS,
            });
        }
        let rows: Vec<&Row> = sections.iter().flat_map(|s| &s.rows).collect();
        if rows.len() > limits::LIST_ROWS {
            return Err(ReplyError::TooMany {
                what: "rows",
                count: rows.len(),
                max: limits::LIST_ROWS,
            });
        }
        if sections.len() > 1 && sections.iter().any(|s| s.title.is_none()) {
            return Err(ReplyError::Empty {
                field: "section title",
            });
        }
        for (i, row) in rows.iter().enumerate() {
            if rows[..i].iter().any(|other| other.id == row.id) {
                return Err(ReplyError::Duplicate {
                    what: "row ids",
                    value: row.id.clone(),
                });
            }
        }
        Ok(Reply::List {
            frame,
            button,
            sections,
        })
    }

    /// The stored kind: `text`, `interactive` or `template`.
    pub fn kind(&self) -> &'static str {
        match self {
            Reply::Text(_) => "text",
            Reply::Buttons { .. } | Reply::List { .. } => "interactive",
            Reply::Template(_) => "template",
        }
    }

    /// Free-form messages may only go out within 24 hours of the
    /// customer's latest message; templates may go out any time.
    pub fn needs_open_window(&self) -> bool {
        !matches!(self, Reply::Template(_))
    }

    /// The Graph API object for this kind (the value of the request's
    /// `text`, `interactive` or `template` field), as stored.
    pub fn payload(&self) -> Value {
        match self {
            Reply::Text(body) => json!({ "preview_url": false, "body": body }),
            Reply::Buttons { frame, buttons } => frame.json(
                "button",
                json!({ "buttons": buttons.iter().map(|b| json!({
                    "type": "reply",
                    "reply": { "id": b.id, "title": b.title },
                })).collect::<Vec<_>>() }),
            ),
            Reply::List {
                frame,
                button,
                sections,
            } => frame.json(
                "list",
                json!({
                    "button": button,
                    "sections": sections.iter().map(|s| {
                        let mut section = json!({ "rows": s.rows.iter().map(|r| {
                            let mut row = json!({ "id": r.id, "title": r.title });
                            if let Some(description) = &r.description {
                                row["description"] = json!(description);
                            }
                            row
                        }).collect::<Vec<_>>() });
                        if let Some(title) = &s.title {
                            section["title"] = json!(title);
                        }
                        section
                    }).collect::<Vec<_>>(),
                }),
            ),
            Reply::Template(template) => {
                let mut object = json!({
                    "name": template.name,
                    "language": { "code": template.language },
                });
                if !template.parameters.is_empty() {
                    object["components"] = json!([{
                        "type": "body",
                        "parameters": template.parameters.iter()
                            .map(|p| json!({ "type": "text", "text": p }))
                            .collect::<Vec<_>>(),
                    }]);
                }
                object
            }
        }
    }

    /// The whole send request to `to`, carrying the outbox row's id.
    pub fn request(&self, to: &str, outbox_id: i64) -> Value {
        let kind = self.kind();
        let mut request = json!({
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to,
            "type": kind,
            "biz_opaque_callback_data": crate::send::callback_data(outbox_id),
        });
        request[kind] = self.payload();
        request
    }

    /// What the reply says, as plain text: the thread's summary, the
    /// simulator's fallback, and what staff search.
    pub fn plain_text(&self) -> String {
        match self {
            Reply::Text(body) => body.clone(),
            Reply::Buttons { frame, buttons } => {
                let titles: Vec<String> =
                    buttons.iter().map(|b| format!("[{}]", b.title)).collect();
                format!("{}\n{}", frame.plain(), titles.join(" "))
            }
            Reply::List {
                frame, sections, ..
            } => {
                let mut text = frame.plain();
                for row in sections.iter().flat_map(|s| &s.rows) {
                    text.push_str("\n• ");
                    text.push_str(&row.title);
                    if let Some(description) = &row.description {
                        text.push_str(" — ");
                        text.push_str(description);
                    }
                }
                text
            }
            Reply::Template(template) => {
                if template.parameters.is_empty() {
                    format!("[template {}]", template.name)
                } else {
                    format!(
                        "[template {}] {}",
                        template.name,
                        template.parameters.join(" · ")
                    )
                }
            }
        }
    }

    /// What the message says without its buttons or rows (header, body,
    /// footer): the bubble's text when the choices are drawn apart.
    pub fn message_text(&self) -> String {
        match self {
            Reply::Buttons { frame, .. } | Reply::List { frame, .. } => frame.plain(),
            other => other.plain_text(),
        }
    }

    /// The label of a list's menu button; `None` for other replies.
    pub fn menu_label(&self) -> Option<&str> {
        match self {
            Reply::List { button, .. } => Some(button),
            _ => None,
        }
    }

    /// The buttons or rows a customer can tap, as (id, title).
    pub fn choices(&self) -> Vec<(&str, &str)> {
        match self {
            Reply::Buttons { buttons, .. } => buttons
                .iter()
                .map(|b| (b.id.as_str(), b.title.as_str()))
                .collect(),
            Reply::List { sections, .. } => sections
                .iter()
                .flat_map(|s| &s.rows)
                .map(|r| (r.id.as_str(), r.title.as_str()))
                .collect(),
            Reply::Text(_) | Reply::Template(_) => Vec::new(),
        }
    }
}

impl Frame {
    fn plain(&self) -> String {
        let mut text = String::new();
        if let Some(header) = &self.header {
            text.push_str(header);
            text.push('\n');
        }
        text.push_str(&self.body);
        if let Some(footer) = &self.footer {
            text.push('\n');
            text.push_str(footer);
        }
        text
    }
}

mod stored;

#[cfg(test)]
mod tests;
