//! What server functions send to the dashboard: plain data, already in the
//! outlet's local time, so the browser never converts zones (and server and
//! browser render the same text during hydration).

use domain::{
    BookingId, BookingStatus, Money, OutletId, Payment, PaymentMethod, PaymentState, ResourceId,
    ResourceKind, Role,
};
use serde::{Deserialize, Serialize};

/// The signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffDto {
    pub name: String,
    pub email: String,
    pub role: Role,
    pub tenant_name: String,
    /// Signs in with a password someone else chose: the account page asks
    /// for a new one before anything else.
    pub must_change_password: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutletDto {
    pub id: OutletId,
    pub name: String,
    pub address: String,
    pub timezone: String,
    /// E.164, or empty.
    pub contact_phone: String,
    /// `https://…`, or empty.
    pub map_url: String,
}

/// The team page: who can sign in, the open invite links (for those who
/// may manage the team), and who is looking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamDto {
    pub me: i64,
    pub my_role: Role,
    pub members: Vec<MemberDto>,
    pub invites: Vec<InviteDto>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberDto {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// Still has a password someone else chose.
    pub must_change_password: bool,
    /// In the venue's zone.
    pub joined: chrono::NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteDto {
    pub id: i64,
    pub role: Role,
    pub note: String,
    /// The last day it can be used, in the venue's zone.
    pub expires: chrono::NaiveDate,
}

/// A new invite and its link (a path; the page prefixes its own origin),
/// shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewInviteDto {
    pub invite: InviteDto,
    pub path: String,
}

/// What an invite link's page shows before the account is made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteOfferDto {
    pub tenant_name: String,
    pub role: Role,
    pub note: String,
}

/// One weekday's opening hours as text ("08:00-23:00", "" when closed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayHours {
    pub day: String,
    pub hours: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceDto {
    pub id: ResourceId,
    pub outlet_id: OutletId,
    pub outlet_name: String,
    pub name: String,
    pub kind: ResourceKind,
    pub capacity: i64,
    pub slot_minutes: i64,
    pub min_minutes: i64,
    pub max_minutes: i64,
    pub buffer_minutes: i64,
    pub lead_minutes: i64,
    pub horizon_days: i64,
    /// Customers may cancel or move until this many minutes before the start.
    pub change_cutoff_minutes: i64,
    pub hourly_rate: Money,
    /// Monday first.
    pub hours: Vec<DayHours>,
    /// Archived: takes no booking, kept for its history (see
    /// `Store::archive_resource`).
    pub archived: bool,
}

/// A kind of space the venue defined, as its settings show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindDto {
    pub key: String,
    pub name_en: String,
    pub name_id: String,
    /// The words customers use for it, lower case.
    pub words: Vec<String>,
    /// Resources of this kind, archived ones too: one in use cannot go.
    pub resources: i64,
}

/// One week of hourly prices for a resource's page (see
/// `domain::price_grid`), already formatted for the outlet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceGridDto {
    /// `YYYY-MM-DD` of the grid's first day, and of the weeks around it.
    pub first: String,
    pub previous: String,
    pub next: String,
    /// The seven dates across (`YYYY-MM-DD`, weekday from Monday = 0).
    pub days: Vec<(String, u8)>,
    pub rows: Vec<PriceGridRow>,
}

/// One hour down the grid: `"18:00"` and a cell per day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceGridRow {
    pub hour: String,
    /// `None` when closed; otherwise the price and the rule that set it.
    pub cells: Vec<Option<(Money, Option<String>)>>,
}

/// A pricing rule as staff read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceRuleDto {
    pub id: i64,
    pub name: String,
    pub priority: i32,
    /// "Mon–Fri 17:00–23:00: ×1.5".
    pub description: String,
}

/// Closed time, in the outlet's local time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlackoutDto {
    pub id: i64,
    /// "Whole outlet" or the resource's name.
    pub scope: String,
    /// "Thu 26 Nov 2026 10:00 – 14:00" (the end's date when it differs).
    pub when: String,
    pub reason: String,
}

/// A new blackout and the active bookings inside it (kept; staff call them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlackoutCreated {
    pub blackout: BlackoutDto,
    pub conflicts: Vec<BookingDto>,
}

/// The tenant's agent settings: whether the AI agent answers customers
/// (when an LLM is configured at all) and the owner's instructions to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentSettingsDto {
    pub enabled: bool,
    pub instructions: String,
}

/// The settings page: the bot, the WhatsApp numbers and the AI services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsDto {
    pub agent: AgentSettingsDto,
    /// After this long without a staff message, a handed-off conversation
    /// goes back to the bot.
    pub quiet_minutes: i64,
    pub numbers: Vec<NumberStatusDto>,
    /// The LLM model, when one is configured.
    pub llm_model: Option<String>,
    /// The embedding model, when one is configured.
    pub embed_model: Option<String>,
    /// `database` or `Qdrant`.
    pub vector_store: String,
    /// Whether this server can seal a new access token (it has the key).
    pub can_replace_token: bool,
    /// The venue's slug, for the CLI commands the page suggests.
    pub tenant_slug: String,
    /// What the bot's booking confirmation says about paying.
    pub payment_instructions: String,
    /// The same for customers answered in Indonesian (empty: the one above).
    pub payment_instructions_id: String,
    /// The language new conversations start in: `en` or `id`.
    pub venue_lang: String,
}

/// A WhatsApp number and what it last did. The token is never sent: only
/// its last characters, to tell tokens apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberStatusDto {
    pub id: i64,
    pub phone_number_id: String,
    pub display_phone: Option<String>,
    pub token_hint: String,
    pub paused_reason: Option<String>,
    /// In the venue's zone, `YYYY-MM-DD HH:MM`.
    pub last_inbound: Option<String>,
    pub last_send_state: Option<String>,
    pub last_send_at: Option<String>,
    pub last_send_error: Option<String>,
}

/// An API key as listed (the secret is never shown again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyDto {
    pub id: i64,
    pub name: String,
    /// The secret's first characters, to tell keys apart.
    pub prefix: String,
    pub created: String,
    pub revoked: bool,
}

/// A key just created, with its secret: shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiKeyDto {
    pub key: ApiKeyDto,
    pub secret: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingDto {
    pub id: BookingId,
    pub resource_id: ResourceId,
    pub resource_name: String,
    pub customer_phone: Option<String>,
    /// The name the customer gave (filled where a list shows it).
    #[serde(default)]
    pub customer_name: Option<String>,
    pub status: BookingStatus,
    /// Local date, e.g. "Thu 26 Nov 2026".
    pub date: String,
    /// The same date for forms and links: "2026-11-26".
    #[serde(default)]
    pub iso_date: String,
    /// Local start and end, "19:00".
    pub start: String,
    pub end: String,
    pub price: Money,
    pub source: String,
    /// The code the customer quotes ("K7P2QX").
    pub code: Option<String>,
    /// Minutes from when it was read to its start (negative once under
    /// way): which lifecycle steps to offer (check-in opens an hour before,
    /// no-show and completion at the start).
    pub minutes_to_start: i64,
    /// What the customer has paid so far.
    pub payment: Payment,
}

/// One recorded payment change, for the booking's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentEventDto {
    pub state: PaymentState,
    pub amount: Money,
    pub method: Option<PaymentMethod>,
    pub note: String,
    pub actor: String,
    /// In the outlet's time: "Wed 25 Nov 2026 10:00".
    pub at: String,
}

/// A page of the bookings list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingPage {
    pub rows: Vec<BookingDto>,
    /// The cursor of the next page, when there is one.
    pub next: Option<String>,
}

/// One change in a booking's life, for its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingEventDto {
    /// "Pending → Confirmed", or "Created as Confirmed".
    pub change: String,
    /// Who: "Staff member #3", "Customer +62…", "API key #7", "Pesan".
    pub actor: String,
    pub reason: Option<String>,
    /// When, in the outlet's time: "Wed 25 Nov 2026 10:00".
    pub at: String,
}

/// A chat bubble in the simulator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatBubble {
    pub id: i64,
    pub from_customer: bool,
    pub body: String,
    pub time: String,
    /// Reply buttons (`menu` is `None`) or a list's rows (opened by the
    /// `menu` button), as WhatsApp draws them; tapping one sends it.
    pub choices: Vec<ChoiceDto>,
    pub menu: Option<String>,
    /// The staff member who wrote it (the inbox; `None` for the bot).
    pub author: Option<String>,
    /// Where its sending is: `queued`, `sending`, `sent`, `delivered`,
    /// `read`, `failed` (`None`: the customer's, or the simulator's).
    pub delivery: Option<String>,
    /// Why it was not delivered.
    pub failure: Option<String>,
    /// An attachment's kind (`image`, `document`…), when it carries one.
    pub media: Option<String>,
}

/// A button or list row the customer can tap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceDto {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
}

/// A conversation a person answers (the bot is silent in it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoffDto {
    pub conversation_id: i64,
    /// `whatsapp` or `simulator`.
    pub channel: String,
    pub phone: String,
    pub customer_name: Option<String>,
    /// `asked`, `unclear` or `staff`.
    pub reason: String,
    /// Local time in the venue's zone, e.g. "Thu 26 Nov 19:05".
    pub since: String,
    /// When the bot answers again if nobody replies before (local).
    pub returns_to_bot: String,
}

/// The simulator's view of one customer's thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatThread {
    pub phone: String,
    pub messages: Vec<ChatBubble>,
}

/// What the overview page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub date_label: String,
    pub bookings_today: Vec<BookingDto>,
    /// Today's booked value, and the money collected on today's bookings
    /// so far: the desk counts the drawer against the second.
    pub revenue_today: Money,
    pub collected_today: Money,
    /// Today's bookings that have arrived (checked in or completed), and
    /// all of today's that take place.
    pub arrived_today: i64,
    pub expected_today: i64,
    /// Today's bookings marked as no-shows (not among the expected).
    pub no_shows_today: i64,
    /// Booked time over open time, per mille.
    pub occupancy_today: Option<u16>,
    pub occupancy_week: Option<u16>,
    /// This week (Monday to Sunday): booked value and money collected.
    pub week_booked: Money,
    pub week_collected: Money,
}

mod analytics;
mod calendar;
mod inbox;
mod knowledge;
pub use analytics::{AnalyticsDto, TakingsDto};
pub use calendar::{
    Calendar, CalendarBlock, CalendarDayColumn, CalendarLane, MonthCell, NowLine, SlotQuote,
};
pub use inbox::{ConversationDto, ConversationRowDto, CustomerPanelDto, InboxPage, TemplateDto};
pub use knowledge::{DocumentDto, KnowledgeDto, PassageDto, TryQuestionDto};
