//! The inbox: conversations, one opened with its deliveries and the
//! customer beside it, notes, templates. Reads go through the store's
//! tenant-scoped inbox queries; replies, take-over and hand-back are in
//! [`super::conversations`].

use super::{convert, Services};
use crate::dto::{ConversationDto, ConversationRowDto, CustomerPanelDto, InboxPage, TemplateDto};
use crate::error::AppError;
use chrono::{DateTime, Duration, Utc};
use domain::calendar_words::day_label;
use domain::language::Lang;
use domain::{BookingStatus, ConversationId, CustomerId, Money, TimeRange};
use store::{BookingFilter, Channel, InboxFilter, InboxRow, StaffUser};

/// The newest messages an opened conversation shows.
const THREAD_MESSAGES: i64 = 200;
/// How long a list line's text may be.
const LINE_CHARS: usize = 90;

/// "19:05" today, "Thu 26 Nov" before.
fn when(at: DateTime<Utc>, now: DateTime<Utc>, zone: chrono_tz::Tz, lang: Lang) -> String {
    let local = at.with_timezone(&zone);
    if local.date_naive() == now.with_timezone(&zone).date_naive() {
        local.format("%H:%M").to_string()
    } else {
        day_label(lang, local.date_naive())
    }
}

fn line(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > LINE_CHARS {
        let cut: String = flat.chars().take(LINE_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        flat
    }
}

fn row(r: &InboxRow, now: DateTime<Utc>, zone: chrono_tz::Tz, lang: Lang) -> ConversationRowDto {
    let with_person = r.handoff.is_some();
    ConversationRowDto {
        conversation_id: r.conversation.0,
        channel: r.channel.as_str().to_string(),
        phone: r.phone.clone(),
        customer_name: r.customer_name.clone(),
        last_text: line(&r.last_body),
        last_from_customer: r.last_from_customer,
        last_at: when(r.last_at, now, zone, lang),
        unread: r.unread,
        with_person,
        waiting: with_person && (r.handler_name.is_none() || r.last_from_customer),
        handler: r.handler_name.clone(),
        reason: r.handoff.as_ref().map(|h| h.reason.as_str().to_string()),
    }
}

pub async fn list(
    state: Services,
    staff: StaffUser,
    with_person: bool,
    search: Option<String>,
    before: Option<i64>,
) -> Result<InboxPage, AppError> {
    let lang = crate::i18n::initial();
    let now = state.clock.now();
    let zone = super::venue_zone(&state, &staff).await?;
    let filter = InboxFilter {
        with_person,
        search,
        before_message: before,
    };
    let rows = state.store.inbox(staff.tenant_id, &filter, now).await?;
    let next = (rows.len() as i64 >= store::INBOX_PAGE)
        .then(|| rows.last().map(|r| r.last_message_id))
        .flatten();
    let waiting = state.store.waiting_for_person(staff.tenant_id, now).await?;
    Ok(InboxPage {
        rows: rows.iter().map(|r| row(r, now, zone, lang)).collect(),
        waiting,
        next,
    })
}

/// Opens a conversation: its newest messages, the customer, what may be
/// sent; with `read`, staff have now read it.
pub async fn open(
    state: Services,
    staff: StaffUser,
    conversation: ConversationId,
    read: bool,
) -> Result<ConversationDto, AppError> {
    let lang = crate::i18n::initial();
    let now = state.clock.now();
    let zone = super::venue_zone(&state, &staff).await?;
    let thread = state
        .store
        .inbox_thread(staff.tenant_id, conversation, THREAD_MESSAGES, now)
        .await?;
    if let Some(newest) = thread.messages.last().filter(|_| read) {
        state
            .store
            .mark_read(staff.tenant_id, conversation, newest.id)
            .await?;
    }
    let mut row = row(&thread.row, now, zone, lang);
    if read {
        row.unread = 0;
    }
    let messages = thread
        .messages
        .iter()
        .map(|m| {
            let local = m.at.with_timezone(&zone);
            let time = if local.date_naive() == now.with_timezone(&zone).date_naive() {
                local.format("%H:%M").to_string()
            } else {
                format!(
                    "{} {}",
                    day_label(lang, local.date_naive()),
                    local.format("%H:%M")
                )
            };
            let mut bubble = super::chat::bubble(super::chat::Stored {
                id: m.id,
                from_customer: m.from_customer,
                body: m.body.clone(),
                kind: &m.kind,
                payload: m.payload.as_deref(),
                time,
            });
            bubble.author = m.author_name.clone();
            bubble.delivery = m.delivery.clone();
            bubble.failure = m.failure.clone();
            bubble
        })
        .collect();
    let window_open = thread.row.channel == Channel::Simulator
        || thread
            .last_inbound_at
            .is_some_and(|at| now - at < Duration::hours(24));
    let templates = if thread.row.channel == Channel::Whatsapp {
        state
            .store
            .templates(staff.tenant_id)
            .await?
            .into_iter()
            .filter(|t| t.is_approved() && t.header_parameters == 0)
            .map(|t| TemplateDto {
                name: t.name,
                language: t.language,
                body: t.body,
                parameters: t.parameters,
            })
            .collect()
    } else {
        Vec::new()
    };
    let customer = panel(&state, &staff, &thread.row, thread.notes.clone(), now).await?;
    Ok(ConversationDto {
        row,
        messages,
        window_open,
        templates,
        customer,
    })
}

/// The customer beside the thread: bookings ahead and behind, no-shows,
/// what they spent, staff's notes.
async fn panel(
    state: &Services,
    staff: &StaffUser,
    row: &InboxRow,
    notes: String,
    now: DateTime<Utc>,
) -> Result<CustomerPanelDto, AppError> {
    let customer = row.customer;
    let span = |from: DateTime<Utc>, to: DateTime<Utc>| {
        TimeRange::new(from, to).map_err(|e| AppError::Invalid(e.to_string()))
    };
    let ahead = BookingFilter {
        customer_id: Some(customer),
        overlapping: Some(span(now, now + Duration::days(3650))?),
        limit: Some(5),
        ..BookingFilter::default()
    };
    let upcoming = state
        .store
        .bookings(staff.tenant_id, &ahead)
        .await?
        .into_iter()
        .filter(|b| b.status.is_active())
        .collect::<Vec<_>>();
    let behind = BookingFilter {
        customer_id: Some(customer),
        overlapping: Some(span(now - Duration::days(3650), now)?),
        limit: Some(5000),
        ..BookingFilter::default()
    };
    let past = state.store.bookings(staff.tenant_id, &behind).await?;
    let no_shows = past
        .iter()
        .filter(|b| b.status == BookingStatus::NoShow)
        .count() as i64;
    let spent = sum_of(
        past.iter()
            .filter(|b| {
                matches!(
                    b.status,
                    BookingStatus::Confirmed | BookingStatus::CheckedIn | BookingStatus::Completed
                )
            })
            .map(|b| b.price),
    );
    // Money collected, whatever became of the booking (a no-show's
    // deposit stays paid).
    let paid = sum_of(
        past.iter()
            .chain(&upcoming)
            .map(|b| b.payment.collected)
            .filter(|m| m.minor > 0),
    );
    Ok(CustomerPanelDto {
        customer_id: customer.0,
        name: row.customer_name.clone(),
        phone: row.phone.clone(),
        upcoming: upcoming.iter().map(|b| convert::booking(b, now)).collect(),
        past: past
            .iter()
            .rev()
            .take(5)
            .map(|b| convert::booking(b, now))
            .collect(),
        no_shows,
        total_spent: spent.map_or_else(|| "—".to_string(), |m| m.to_string()),
        total_paid: paid.map_or_else(|| "—".to_string(), |m| m.to_string()),
        notes,
    })
}

/// The sum of `amounts` (`None` for none), in their one currency; an
/// amount that cannot be added (another currency, an overflow) is left out.
fn sum_of(amounts: impl Iterator<Item = Money>) -> Option<Money> {
    amounts.fold(None, |sum, m| match sum {
        None => Some(m),
        Some(sum) => Some(sum.checked_add(m).unwrap_or(sum)),
    })
}

pub async fn set_notes(
    state: Services,
    staff: StaffUser,
    customer: i64,
    notes: String,
) -> Result<(), AppError> {
    Ok(state
        .store
        .set_customer_notes(staff.tenant_id, CustomerId(customer), &notes)
        .await?)
}

/// Sends an approved template into a WhatsApp conversation, its values one
/// per line.
pub async fn send_template(
    state: Services,
    staff: StaffUser,
    conversation: ConversationId,
    name: String,
    language: String,
    values: String,
) -> Result<i64, AppError> {
    let now = state.clock.now();
    let thread = state
        .store
        .inbox_thread(staff.tenant_id, conversation, 1, now)
        .await?;
    if thread.row.channel != Channel::Whatsapp {
        return Err(AppError::Invalid(
            "Templates are for WhatsApp conversations.".into(),
        ));
    }
    let phone = domain::PhoneE164::parse(&thread.row.phone)
        .map_err(|e| AppError::Invalid(e.to_string()))?;
    let values: Vec<&str> = values
        .lines()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    let queued = bot::send_template(
        &state.store,
        staff.tenant_id,
        &phone,
        &name,
        &language,
        &values,
        Some(staff.id.0),
        now,
    )
    .await
    .map_err(|error| match error {
        bot::TemplateError::Store(store) => AppError::from(store),
        other => AppError::Invalid(other.to_string()),
    })?;
    Ok(queued.message_id)
}
