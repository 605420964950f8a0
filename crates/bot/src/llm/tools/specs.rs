//! The tools as the model sees them: names, what each is for, and the
//! JSON schema of its arguments.

use agent::ToolSpec;
use serde_json::json;

/// The tools as the model sees them.
pub(super) fn specs(with_knowledge: bool) -> Vec<ToolSpec> {
    let date = json!({"type": "string", "description": "The local date, YYYY-MM-DD."});
    let start = json!({"type": "string", "description": "The local start time, HH:MM (24-hour)."});
    let minutes = json!({"type": "integer", "description": "Length in minutes; default: the shortest booking allowed."});
    let code = json!({"type": "string", "description": "The booking code the customer was given."});
    let slot = json!({
        "type": "object",
        "properties": {
            "resource_id": {"type": "integer", "description": "From check_availability."},
            "date": date, "start": start, "minutes": minutes,
        },
        "required": ["resource_id", "date", "start"],
    });
    let mut specs = vec![
        ToolSpec {
            name: "check_availability",
            description: "Free start times on one date, per court or room, with the hourly rate. Call it before offering any time.",
            parameters: json!({
                "type": "object",
                "properties": {
                    "date": date,
                    "resource": {"type": "string", "description": "A court or room name, or a kind (futsal, badminton, tennis, meeting room); omit for all."},
                    "minutes": minutes,
                },
                "required": ["date"],
            }),
        },
        ToolSpec {
            name: "quote_price",
            description: "The exact price of one slot (peak hours included). Never state a price without it.",
            parameters: slot.clone(),
        },
        ToolSpec {
            name: "hold_slot",
            description: "Holds one slot for the customer for 10 minutes and returns its booking code and price. Ask the customer to confirm, then call confirm_hold.",
            parameters: slot,
        },
        ToolSpec {
            name: "confirm_hold",
            description: "Confirms the customer's held slot once they said yes. Pass on any payment_instructions it returns, word for word (payment_instructions_indonesian instead, when it returns them and the customer writes Indonesian).",
            parameters: json!({"type": "object", "properties": {"code": code}, "required": ["code"]}),
        },
        ToolSpec {
            name: "my_bookings",
            description: "The customer's upcoming bookings and holds.",
            parameters: json!({"type": "object", "properties": {}}),
        },
        ToolSpec {
            name: "cancel_booking",
            description: "Cancels one of the customer's upcoming bookings (or lets a hold go), by its code. Only when the customer asked for it.",
            parameters: json!({"type": "object", "properties": {"code": code}, "required": ["code"]}),
        },
        ToolSpec {
            name: "reschedule_booking",
            description: "Moves one of the customer's upcoming bookings to another date and start time, same length and court.",
            parameters: json!({
                "type": "object",
                "properties": {"code": code, "date": date, "start": start},
                "required": ["code", "date", "start"],
            }),
        },
        ToolSpec {
            name: "hand_off",
            description: "Passes the conversation to a person at the venue: when the customer asks for one, complains, or needs something no tool does.",
            parameters: json!({
                "type": "object",
                "properties": {"reason": {"type": "string", "description": "One line for the staff."}},
                "required": ["reason"],
            }),
        },
    ];
    if with_knowledge {
        specs.push(ToolSpec {
            name: "search_knowledge",
            description: "Searches the venue's own documents (house rules, prices, FAQ) for a question about the venue: parking, payment, rentals, rules.",
            parameters: json!({
                "type": "object",
                "properties": {"question": {"type": "string"}},
                "required": ["question"],
            }),
        });
    }
    specs
}
