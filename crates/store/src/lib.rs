//! Pesan's persistence.
//!
//! Every repository function takes the caller's [`TenantId`] and every query
//! filters on it, so a bug in a handler cannot reach another tenant's rows;
//! composite foreign keys in the schema back this up inside the database.
//!
//! Error strategy: one [`StoreError`] for the layer. Absent or foreign rows
//! are [`StoreError::NotFound`] (a handler answers 404, never "forbidden",
//! so ids of other tenants leak nothing); a double booking, whether caught
//! by our check or by the database trigger, is [`StoreError::SlotTaken`];
//! anything else from the driver is `Database`, logged and shown as a 500.
//!
//! [`TenantId`]: domain::TenantId

mod accounts;
mod agent;
mod analytics;
mod api_keys;
mod availability;
mod blackouts;
mod booking_cache;
mod booking_tx;
mod bookings;
mod changes;
mod conversations;
mod db;
pub mod demo;
mod error;
mod feed;
mod guard;
mod handoff;
mod holds;
mod idempotency;
mod inbound_queue;
mod inbox;
mod intake;
mod knowledge;
mod knowledge_chunks;
mod media;
mod move_note;
mod names;
mod outbox;
mod outlets;
mod payments;
mod pricing;
mod resource_kinds;
mod resources;
mod search_cache;
mod series;
mod settings_status;
mod staff;
mod templates;
mod tenants;
mod whatsapp;

pub use accounts::{
    generate_password, SessionToken, StaffUser, GENERATED_PASSWORD_LEN, MAX_EMAIL_BYTES,
    MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS, SESSION_TTL_DAYS,
};
pub use agent::{AgentSettings, AgentTurnRecord, UsageDay, UsageDelta, MAX_INSTRUCTIONS_CHARS};
pub use analytics::ConversationOutcomes;
pub use api_keys::{ApiKey, KeyOwner};
pub use blackouts::{Blackout, NewBlackout};
pub use booking_tx::{BookingTx, LockedBooking, NewSeriesRow, StatusChange};
pub use bookings::{
    Booking, BookingCursor, BookingEvent, BookingFilter, BookingSource, NewBooking,
};
pub use changes::Move;
pub use conversations::{
    Channel, ChatMessage, Conversation, Direction, Outgoing, TurnRecord, MAX_CUSTOMER_NAME,
    TURN_LEASE_SECONDS,
};
pub use db::{Backend, Store};
pub use error::{Result, StoreError};
pub use feed::{Change, Topic};
pub use guard::MAX_BOOKING_MINUTES;
pub use handoff::{HandedOff, Handoff, HandoffChange, HandoffReason, StaffReplyOutcome};
pub use idempotency::{Remembered, KEY_TTL_HOURS, MAX_IDEMPOTENCY_KEY};
pub use inbound_queue::{Answering, QueuedInbound, INBOUND_LEASE_SECONDS};
pub use inbox::{InboxFilter, InboxMessage, InboxRow, InboxThread, INBOX_PAGE, MAX_CUSTOMER_NOTES};
pub use knowledge::{
    ClaimedDocument, Document, DocumentState, NewDocument, INDEX_LEASE_SECONDS, MAX_INDEX_ATTEMPTS,
};
pub use knowledge_chunks::{NewChunk, StoredChunk, StoredVectors, MAX_QUERY_TERMS};
pub use media::{
    MediaDownload, MediaFile, MediaReference, MediaState, MAX_MEDIA_BYTES, MEDIA_LEASE_SECONDS,
};
pub use move_note::MoveNote;
pub use names::clean_customer_name;
pub use outbox::{
    OutboxSend, Queued, RESEND_GRACE_SECONDS, SEND_LEASE_SECONDS, SERVICE_WINDOW_SECONDS,
};
pub use outlets::{OutletDetails, MAX_ADDRESS, MAX_MAP_URL, MAX_OUTLET_NAME};
pub use payments::{clean_text, PaymentEvent, MAX_PAYMENT_INSTRUCTIONS, MAX_PAYMENT_NOTE};
pub use pricing::{StoredPriceRule, MAX_PRICE_RULES};
pub use resource_kinds::StoredKind;
pub use resources::{BookingWindow, NewResource, Resource, ResourceSettings};
pub use search_cache::SEARCH_CACHE_MAX_AGE;
pub use series::CancelScope;
pub use settings_status::{LastSend, NumberStatus};
pub use staff::{
    Acting, Invite, InviteOffer, InviteToken, TeamMember, INVITE_TTL_DAYS, MAX_OPEN_INVITES,
    MAX_PERSON_NAME,
};
pub use templates::{
    NewTemplate, StoredTemplate, TemplateStatusUpdate, TemplateSync, TEMPLATE_APPROVED,
};
pub use tenants::{
    checked_country, checked_slug, CreatedTenant, NewTenant, Outlet, Tenant, DEFAULT_COUNTRY,
};
pub use whatsapp::{
    is_simulated, InboundEffect, NewInbound, NewStatus, NewUserMessage, NewWhatsappNumber,
    StoredInbound, WhatsappNumber, SIMULATOR_NUMBER_PREFIX,
};
