//! Server functions: the dashboard's only way to the data.
//!
//! Each is a thin shell: it names an endpoint under `/rpc`, and on the
//! server hands over to `ssr`, which checks the session and scopes every
//! query to the session's tenant.
//!
//! The form-backed functions take one argument per form field, so a plain
//! HTML form (`ActionForm`) posts to them before and after hydration; the
//! macro copies that long signature into the generated client code, hence
//! the module-wide allowance below.
#![allow(clippy::too_many_arguments)]

mod analytics;
mod inbox;
mod kinds;
mod knowledge;
mod payments;
#[cfg(feature = "ssr")]
pub mod ssr;
mod team;

pub use analytics::{get_analytics, GetAnalytics};

pub use inbox::{
    conversation_send_template, get_conversation, list_conversations, set_customer_notes,
    ConversationSendTemplate, GetConversation, ListConversations, SetCustomerNotes,
};

pub use kinds::{
    delete_resource_kind, get_resource_kinds, save_resource_kind, DeleteResourceKind,
    GetResourceKinds, SaveResourceKind,
};

pub use knowledge::{
    add_faq_entry, delete_document, get_knowledge, reindex_document, try_question, AddFaqEntry,
    DeleteDocument, GetKnowledge, ReindexDocument, TryQuestion, KNOWLEDGE_UPLOAD_PATH,
};

pub use payments::{
    get_payment_history, record_payment, set_payment_instructions, GetPaymentHistory,
    RecordPayment, SetPaymentInstructions,
};

pub use team::{
    change_password, create_invite, create_outlet, get_settings, get_team, invite_offer,
    remove_member, replace_whatsapp_token, revoke_invite, set_member_role, set_my_name,
    set_venue_language, update_outlet, ChangePassword, CreateInvite, CreateOutlet, GetSettings,
    GetTeam, InviteOffer, RemoveMember, ReplaceWhatsappToken, RevokeInvite, SetMemberRole,
    SetMyName, SetVenueLanguage, UpdateOutlet,
};

use crate::dto::{
    AgentSettingsDto, ApiKeyDto, BlackoutCreated, BlackoutDto, BookingDto, BookingEventDto,
    BookingPage, Calendar, ChatThread, HandoffDto, NewApiKeyDto, OutletDto, Overview, PriceGridDto,
    PriceRuleDto, ResourceDto, SlotQuote, StaffDto,
};
use crate::error::AppError;
use domain::{BookingId, ConversationId, OutletId, ResourceId};
use leptos::prelude::*;

/// The signed-in staff member, or `None`.
#[server(prefix = "/rpc", endpoint = "me")]
pub async fn me() -> Result<Option<StaffDto>, AppError> {
    Ok(ssr::current_staff().ok().map(|s| StaffDto {
        name: s.name,
        email: s.email,
        role: s.role,
        tenant_name: s.tenant_name,
        must_change_password: s.must_change_password,
    }))
}

/// Remembers the signed-in user's interface language: `en` or `id`.
#[server(prefix = "/rpc", endpoint = "set_language")]
pub async fn set_language(lang: String) -> Result<(), AppError> {
    ssr::with_staff_before_password_change(|state, staff| {
        ssr::account::set_language(state, staff, lang)
    })
    .await
}

#[server(prefix = "/rpc", endpoint = "get_overview")]
pub async fn get_overview() -> Result<Overview, AppError> {
    ssr::with_staff(ssr::analytics::overview).await
}

#[server(prefix = "/rpc", endpoint = "list_outlets")]
pub async fn list_outlets() -> Result<Vec<OutletDto>, AppError> {
    ssr::with_staff(ssr::outlets).await
}

#[server(prefix = "/rpc", endpoint = "list_resources")]
pub async fn list_resources() -> Result<Vec<ResourceDto>, AppError> {
    ssr::with_staff(ssr::resources).await
}

#[server(prefix = "/rpc", endpoint = "get_resource")]
pub async fn get_resource(id: ResourceId) -> Result<ResourceDto, AppError> {
    ssr::with_staff(|state, staff| ssr::resource(state, staff, id)).await
}

/// Creates a resource from the dashboard form; hours are one line per weekday.
#[server(prefix = "/rpc", endpoint = "create_resource")]
pub async fn create_resource(
    outlet_id: OutletId,
    name: String,
    kind: String,
    capacity: i64,
    slot_minutes: i64,
    min_minutes: i64,
    max_minutes: i64,
    hourly_rate: String,
    mon: String,
    tue: String,
    wed: String,
    thu: String,
    fri: String,
    sat: String,
    sun: String,
) -> Result<ResourceDto, AppError> {
    let form = ssr::ResourceForm {
        outlet_id,
        name,
        kind,
        capacity,
        slot_minutes,
        min_minutes,
        max_minutes,
        hourly_rate,
        week: [mon, tue, wed, thu, fri, sat, sun],
    };
    ssr::with_staff(|state, staff| ssr::create_resource(state, staff, form)).await
}

/// Changes a resource's name, type, capacity, lengths and base rate.
#[server(prefix = "/rpc", endpoint = "update_resource")]
#[allow(clippy::too_many_arguments)]
pub async fn update_resource(
    resource_id: ResourceId,
    name: String,
    kind: String,
    capacity: i64,
    slot_minutes: i64,
    min_minutes: i64,
    max_minutes: i64,
    hourly_rate: String,
) -> Result<ResourceDto, AppError> {
    let form = ssr::SettingsForm {
        name,
        kind,
        capacity,
        slot_minutes,
        min_minutes,
        max_minutes,
        hourly_rate,
    };
    ssr::with_staff(|state, staff| ssr::update_resource(state, staff, resource_id, form)).await
}

/// Archives a resource (refused while it has bookings to come).
#[server(prefix = "/rpc", endpoint = "archive_resource")]
pub async fn archive_resource(resource_id: ResourceId) -> Result<(), AppError> {
    ssr::with_staff(|state, staff| ssr::archive_resource(state, staff, resource_id)).await
}

#[server(prefix = "/rpc", endpoint = "restore_resource")]
pub async fn restore_resource(resource_id: ResourceId) -> Result<ResourceDto, AppError> {
    ssr::with_staff(|state, staff| ssr::restore_resource(state, staff, resource_id)).await
}

#[server(prefix = "/rpc", endpoint = "list_archived_resources")]
pub async fn list_archived_resources() -> Result<Vec<ResourceDto>, AppError> {
    ssr::with_staff(ssr::archived_resources).await
}

/// One week of the resource's hourly prices under its rules.
#[server(prefix = "/rpc", endpoint = "price_grid")]
pub async fn price_grid(
    resource_id: ResourceId,
    #[server(default)] week: Option<String>,
) -> Result<PriceGridDto, AppError> {
    ssr::with_staff(|state, staff| ssr::price_grid(state, staff, resource_id, week)).await
}

#[server(prefix = "/rpc", endpoint = "update_hours")]
pub async fn update_hours(
    resource_id: ResourceId,
    mon: String,
    tue: String,
    wed: String,
    thu: String,
    fri: String,
    sat: String,
    sun: String,
) -> Result<ResourceDto, AppError> {
    let week = [mon, tue, wed, thu, fri, sat, sun];
    ssr::with_staff(|state, staff| ssr::update_hours(state, staff, resource_id, week)).await
}

/// Bookings from `from` (today unless given) to `to`, narrowed by outlet,
/// resource, status, channel and a search (name, number or code); a page
/// of 50 at a time, `after` the cursor of the page before.
#[server(prefix = "/rpc", endpoint = "list_bookings")]
pub async fn list_bookings(
    #[server(default)] status: Option<String>,
    #[server(default)] from: Option<String>,
    #[server(default)] to: Option<String>,
    #[server(default)] outlet: Option<i64>,
    #[server(default)] resource: Option<i64>,
    #[server(default)] channel: Option<String>,
    #[server(default)] q: Option<String>,
    #[server(default)] after: Option<String>,
) -> Result<BookingPage, AppError> {
    let query = ssr::BookingQuery {
        status,
        from,
        to,
        outlet,
        resource,
        channel,
        q,
        after,
    };
    ssr::with_staff(|state, staff| ssr::bookings(state, staff, query)).await
}

#[server(prefix = "/rpc", endpoint = "get_booking")]
pub async fn get_booking(id: BookingId) -> Result<BookingDto, AppError> {
    ssr::with_staff(|state, staff| ssr::booking(state, staff, id)).await
}

/// A booking entered by staff (a walk-in, a phone call), from the calendar.
#[server(prefix = "/rpc", endpoint = "create_staff_booking")]
pub async fn create_staff_booking(
    resource_id: ResourceId,
    date: String,
    start: String,
    minutes: i64,
    customer_phone: String,
    customer_name: String,
) -> Result<BookingDto, AppError> {
    let form = ssr::StaffBookingForm {
        resource_id,
        date,
        start,
        minutes,
        customer_phone,
        customer_name,
    };
    ssr::with_staff(|state, staff| ssr::create_booking(state, staff, form)).await
}

/// A booking's history: every change, who made it, when and why.
#[server(prefix = "/rpc", endpoint = "get_booking_history")]
pub async fn get_booking_history(id: BookingId) -> Result<Vec<BookingEventDto>, AppError> {
    ssr::with_staff(|state, staff| ssr::history(state, staff, id)).await
}

/// Checks a customer in, marks a no-show, completes or cancels a booking.
#[server(prefix = "/rpc", endpoint = "change_booking_status")]
pub async fn change_booking_status(
    id: BookingId,
    status: String,
    reason: Option<String>,
) -> Result<BookingDto, AppError> {
    ssr::with_staff(|state, staff| ssr::change_status(state, staff, id, status, reason)).await
}

/// One outlet's calendar: `view` is `day` (default), `week` or `month`;
/// the first outlet and today when not given.
#[server(prefix = "/rpc", endpoint = "get_calendar")]
pub async fn get_calendar(
    #[server(default)] outlet_id: Option<OutletId>,
    #[server(default)] view: Option<String>,
    #[server(default)] date: Option<String>,
) -> Result<Calendar, AppError> {
    ssr::with_staff(|state, staff| ssr::calendar::calendar(state, staff, outlet_id, view, date))
        .await
}

/// What a booking of `minutes` from `start` on `date` would cost, and
/// whether the slot is free now: shown before staff save a new booking.
#[server(prefix = "/rpc", endpoint = "quote_slot")]
pub async fn quote_slot(
    resource_id: ResourceId,
    date: String,
    start: String,
    minutes: i64,
) -> Result<SlotQuote, AppError> {
    ssr::with_staff(|state, staff| {
        ssr::calendar::quote(state, staff, resource_id, date, start, minutes)
    })
    .await
}

/// Moves or resizes a booking (dragged on the calendar) through the
/// booking service, re-priced; refused moves change nothing.
#[server(prefix = "/rpc", endpoint = "move_booking")]
pub async fn move_booking(
    id: BookingId,
    resource_id: ResourceId,
    date: String,
    start: String,
    minutes: i64,
    #[server(default)] seen: Option<String>,
) -> Result<BookingDto, AppError> {
    ssr::with_staff(|state, staff| {
        ssr::calendar::move_booking(state, staff, id, resource_id, date, start, minutes, seen)
    })
    .await
}

#[server(prefix = "/rpc", endpoint = "simulator_thread")]
pub async fn simulator_thread(phone: String) -> Result<ChatThread, AppError> {
    ssr::with_staff(|state, staff| ssr::simulator_thread(state, staff, phone)).await
}

/// Sends `text` as the customer `phone` and returns the thread with the bot's replies.
#[server(prefix = "/rpc", endpoint = "simulator_send")]
pub async fn simulator_send(phone: String, text: String) -> Result<ChatThread, AppError> {
    ssr::with_staff(|state, staff| ssr::simulator_send(state, staff, phone, text)).await
}

/// Taps a reply button (`kind` "button") or list row (`kind` "list") as
/// the customer `phone`; WhatsApp sends the choice's id and title back.
#[server(prefix = "/rpc", endpoint = "simulator_tap")]
pub async fn simulator_tap(
    phone: String,
    kind: String,
    id: String,
    title: String,
) -> Result<ChatThread, AppError> {
    ssr::with_staff(|state, staff| ssr::simulator_tap(state, staff, phone, kind, id, title)).await
}

/// The conversations a person answers now (the bot is silent in them).
#[server(prefix = "/rpc", endpoint = "list_handoffs")]
pub async fn list_handoffs() -> Result<Vec<HandoffDto>, AppError> {
    ssr::with_staff(ssr::conversations::handoffs).await
}

/// Sends `text` to the customer as the signed-in staff member; the
/// conversation stays with a person for the venue's quiet period. Returns
/// the stored message's id.
#[server(prefix = "/rpc", endpoint = "conversation_reply")]
pub async fn conversation_reply(
    conversation_id: ConversationId,
    text: String,
) -> Result<i64, AppError> {
    ssr::with_staff(|state, staff| ssr::conversations::reply(state, staff, conversation_id, text))
        .await
}

/// A person takes the conversation; the bot stays silent.
#[server(prefix = "/rpc", endpoint = "conversation_take_over")]
pub async fn conversation_take_over(conversation_id: ConversationId) -> Result<(), AppError> {
    ssr::with_staff(|state, staff| ssr::conversations::take_over(state, staff, conversation_id))
        .await
}

/// The bot answers the conversation again.
#[server(prefix = "/rpc", endpoint = "conversation_hand_back")]
pub async fn conversation_hand_back(conversation_id: ConversationId) -> Result<(), AppError> {
    ssr::with_staff(|state, staff| ssr::conversations::hand_back(state, staff, conversation_id))
        .await
}

/// Minutes after the last staff reply before a handed-off conversation
/// returns to the bot (1 minute to 30 days; 12 hours unless set).
#[server(prefix = "/rpc", endpoint = "update_handoff_quiet_period")]
pub async fn update_handoff_quiet_period(minutes: i64) -> Result<(), AppError> {
    ssr::with_staff(|state, staff| ssr::conversations::set_quiet_period(state, staff, minutes))
        .await
}

/// The buffer between bookings, how late (lead) and how far ahead (horizon)
/// a resource may be booked, and until when customers may change a booking.
#[server(prefix = "/rpc", endpoint = "update_booking_window")]
pub async fn update_booking_window(
    resource_id: ResourceId,
    buffer_minutes: i64,
    lead_minutes: i64,
    horizon_days: i64,
    #[server(default)] change_cutoff_minutes: Option<i64>,
) -> Result<ResourceDto, AppError> {
    let window = store::BookingWindow {
        buffer_minutes: Some(buffer_minutes),
        lead_minutes: Some(lead_minutes),
        horizon_days: Some(horizon_days),
        change_cutoff_minutes,
    };
    ssr::with_staff(|state, staff| ssr::rules::update_window(state, staff, resource_id, window))
        .await
}

#[server(prefix = "/rpc", endpoint = "list_price_rules")]
pub async fn list_price_rules(resource_id: ResourceId) -> Result<Vec<PriceRuleDto>, AppError> {
    ssr::with_staff(|state, staff| ssr::rules::price_rules(state, staff, resource_id)).await
}

/// Adds a pricing rule from the form: ticked weekdays, dates, a time of day,
/// and a multiplier or a fixed hourly price.
#[server(prefix = "/rpc", endpoint = "add_price_rule")]
pub async fn add_price_rule(
    resource_id: ResourceId,
    name: String,
    priority: i32,
    mon: Option<String>,
    tue: Option<String>,
    wed: Option<String>,
    thu: Option<String>,
    fri: Option<String>,
    sat: Option<String>,
    sun: Option<String>,
    dates: String,
    from: String,
    to: String,
    kind: String,
    value: String,
) -> Result<PriceRuleDto, AppError> {
    let form = ssr::rules::PriceRuleForm {
        name,
        priority,
        days: [mon, tue, wed, thu, fri, sat, sun].map(|ticked| ticked.is_some()),
        dates,
        from,
        to,
        kind,
        value,
    };
    ssr::with_staff(|state, staff| ssr::rules::add_price_rule(state, staff, resource_id, form))
        .await
}

#[server(prefix = "/rpc", endpoint = "delete_price_rule")]
pub async fn delete_price_rule(id: i64) -> Result<(), AppError> {
    ssr::with_staff(|state, staff| ssr::rules::delete_price_rule(state, staff, id)).await
}

/// Upcoming blackouts of a resource and of its whole outlet.
#[server(prefix = "/rpc", endpoint = "list_blackouts")]
pub async fn list_blackouts(resource_id: ResourceId) -> Result<Vec<BlackoutDto>, AppError> {
    ssr::with_staff(|state, staff| ssr::rules::blackouts(state, staff, resource_id)).await
}

/// Closes the resource (or its whole outlet) from `start` to `end`, local
/// `datetime-local` values; bookings already inside are kept and returned.
#[server(prefix = "/rpc", endpoint = "add_blackout")]
pub async fn add_blackout(
    resource_id: ResourceId,
    whole_outlet: Option<String>,
    start: String,
    end: String,
    reason: String,
) -> Result<BlackoutCreated, AppError> {
    let whole = whole_outlet.is_some();
    ssr::with_staff(|state, staff| {
        ssr::rules::add_blackout(state, staff, resource_id, whole, start, end, reason)
    })
    .await
}

#[server(prefix = "/rpc", endpoint = "delete_blackout")]
pub async fn delete_blackout(id: i64) -> Result<(), AppError> {
    ssr::with_staff(|state, staff| ssr::rules::delete_blackout(state, staff, id)).await
}

/// The tenant's agent switch and instructions.
#[server(prefix = "/rpc", endpoint = "get_agent_settings")]
pub async fn get_agent_settings() -> Result<AgentSettingsDto, AppError> {
    ssr::with_staff(ssr::agent::get).await
}

/// Switches the AI agent on or off for the tenant (it answers only when an
/// LLM is configured).
#[server(prefix = "/rpc", endpoint = "set_agent_enabled")]
pub async fn set_agent_enabled(enabled: bool) -> Result<AgentSettingsDto, AppError> {
    ssr::with_staff(|state, staff| ssr::agent::set_enabled(state, staff, enabled)).await
}

/// Sets the owner's instructions to the agent (at most 4,000 characters).
#[server(prefix = "/rpc", endpoint = "set_agent_instructions")]
pub async fn set_agent_instructions(instructions: String) -> Result<AgentSettingsDto, AppError> {
    ssr::with_staff(|state, staff| ssr::agent::set_instructions(state, staff, instructions)).await
}

#[server(prefix = "/rpc", endpoint = "list_api_keys")]
pub async fn list_api_keys() -> Result<Vec<ApiKeyDto>, AppError> {
    ssr::with_staff(ssr::api_keys::list).await
}

/// Creates an API key; the answer holds its secret, which is never shown again.
#[server(prefix = "/rpc", endpoint = "create_api_key")]
pub async fn create_api_key(name: String) -> Result<NewApiKeyDto, AppError> {
    ssr::with_staff(|state, staff| ssr::api_keys::create(state, staff, name)).await
}

#[server(prefix = "/rpc", endpoint = "revoke_api_key")]
pub async fn revoke_api_key(id: i64) -> Result<(), AppError> {
    ssr::with_staff(|state, staff| ssr::api_keys::revoke(state, staff, id)).await
}
