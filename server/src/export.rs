//! `GET /export/bookings.csv`: the bookings list as the dashboard filters
//! it (the same query string), for a spreadsheet.
//!
//! Written with a real CSV writer (quotes, commas and line breaks in names
//! survive), UTF-8 with a byte-order mark and CRLF line ends, so Excel and
//! LibreOffice open Indonesian names as written. Amounts are a plain
//! number column (`150000`) next to the currency, so a spreadsheet can sum
//! them; the formatted price ("Rp 150.000") is a column of its own.
//!
//! Signed-in staff only (every role: staff see the same list on the
//! bookings page), scoped to the session's tenant like every read; each
//! finished export is logged with who took it and how many rows.
//! The file is streamed a page at a time and capped at
//! [`app::api::ssr::EXPORT_ROWS`] rows, so one request holds one page of
//! rows in memory however many it exports.

use app::api::ssr::{filter_of, BookingQuery, CurrentStaff, EXPORT_ROWS};
use app::error::AppError;
use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::response::{IntoResponse, Response};
use booking::Services;
use chrono::Utc;
use domain::Money;
use futures_util::stream;
use http::{header, StatusCode};
use store::{Booking, BookingCursor, BookingFilter, StaffUser};

pub const EXPORT_PATH: &str = "/export/bookings.csv";

/// Rows read (and written) per step.
const STEP: i64 = 500;

const HEADER: [&str; 18] = [
    "Booking",
    "Code",
    "Status",
    "Customer",
    "Phone",
    "Resource",
    "Outlet",
    "Date",
    "Start",
    "End",
    "Amount",
    "Currency",
    "Price",
    "Payment",
    "Paid",
    "Method",
    "Channel",
    "Created (UTC)",
];

pub async fn bookings_csv(
    State(services): State<Services>,
    query: Result<Query<BookingQuery>, axum::extract::rejection::QueryRejection>,
    request: Request,
) -> Response {
    let Some(staff) = request
        .extensions()
        .get::<CurrentStaff>()
        .and_then(|current| current.0.clone())
    else {
        return refused(&AppError::Unauthorized);
    };
    let Ok(Query(query)) = query else {
        return refused(&AppError::Invalid("The filters are not understood.".into()));
    };
    let filter = match filter_of(&services, &staff, &query).await {
        Ok(filter) => filter,
        Err(error) => return refused(&error),
    };
    let name = format!("bookings-{}.csv", services.clock.now().format("%Y-%m-%d"));
    let outlets = match services.store.outlets(staff.tenant_id).await {
        Ok(outlets) => outlets.into_iter().map(|o| (o.id, o.name)).collect(),
        Err(error) => return refused(&error.into()),
    };
    let start = Step {
        services,
        staff,
        outlets,
        filter,
        written: 0,
        first: true,
        done: false,
    };
    let body = Body::from_stream(stream::unfold(start, next_chunk));
    Response::builder()
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        )
        .header(header::CACHE_CONTROL, "no-store")
        .body(body)
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// An error in the REST API's JSON shape (`{"error":{"code","message"}}`),
/// with its status: a script downloading the export reads it like any
/// other refusal.
fn refused(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let code = error.code().unwrap_or(match error {
        AppError::Unauthorized => "unauthorized",
        AppError::NotFound => "not_found",
        AppError::Forbidden => "forbidden",
        AppError::Invalid(_) | AppError::Refused { .. } => "invalid",
        AppError::Internal | AppError::Transport(_) => "internal",
    });
    let body = serde_json::json!({ "error": { "code": code, "message": error.to_string() } });
    (status, axum::Json(body)).into_response()
}

struct Step {
    services: Services,
    staff: StaffUser,
    /// The tenant's outlets by id, read once for the whole file.
    outlets: std::collections::HashMap<domain::OutletId, String>,
    filter: BookingFilter,
    written: usize,
    first: bool,
    done: bool,
}

async fn next_chunk(mut step: Step) -> Option<(Result<Vec<u8>, std::io::Error>, Step)> {
    if step.done {
        return None;
    }
    let mut out = Vec::new();
    if step.first {
        step.first = false;
        out.extend_from_slice(b"\xEF\xBB\xBF");
        out.extend(line(&HEADER.map(str::to_string)));
    }
    let room = EXPORT_ROWS.saturating_sub(step.written) as i64;
    step.filter.limit = Some(STEP.min(room));
    if room == 0 {
        step.done = true;
        logged(&step);
        return Some((Ok(out), step));
    }
    let rows = match step
        .services
        .store
        .bookings(step.staff.tenant_id, &step.filter)
        .await
    {
        Ok(rows) => rows,
        Err(error) => {
            tracing::error!(%error, "the bookings export failed part way");
            return Some((Err(std::io::Error::other("the export failed")), step));
        }
    };
    let customers: Vec<_> = rows.iter().filter_map(|b| b.customer_id).collect();
    let names = step
        .services
        .store
        .customer_names(step.staff.tenant_id, &customers)
        .await
        .unwrap_or_default();
    for booking in &rows {
        let name = booking
            .customer_id
            .and_then(|c| names.get(&c).cloned())
            .unwrap_or_default();
        let outlet = step
            .outlets
            .get(&booking.outlet_id)
            .cloned()
            .unwrap_or_default();
        out.extend(line(&record(booking, name, outlet)));
    }
    step.written += rows.len();
    match rows.last() {
        Some(last) if rows.len() as i64 == STEP => {
            step.filter.after = Some(BookingCursor::after(last));
        }
        _ => {
            step.done = true;
            logged(&step);
        }
    }
    Some((Ok(out), step))
}

/// Customers' names and numbers left the venue's hands: who took them and
/// how many, for the operator (not the filter: its search may be a phone).
fn logged(step: &Step) {
    tracing::info!(
        tenant = %step.staff.tenant_id,
        user = %step.staff.id,
        role = step.staff.role.as_str(),
        rows = step.written,
        "bookings exported as CSV"
    );
}

fn record(b: &Booking, customer: String, outlet: String) -> [String; 18] {
    let start = b.range.start().with_timezone(&b.timezone);
    let end = b.range.end().with_timezone(&b.timezone);
    [
        b.id.0.to_string(),
        b.code.as_ref().map(ToString::to_string).unwrap_or_default(),
        b.status.as_str().to_string(),
        as_text(customer),
        // E.164 (a `+` and digits, checked when stored): nothing to run.
        b.customer_phone.clone().unwrap_or_default(),
        as_text(b.resource_name.clone()),
        as_text(outlet),
        start.format("%Y-%m-%d").to_string(),
        start.format("%H:%M").to_string(),
        end.format("%H:%M").to_string(),
        plain_amount(b.price),
        b.price.currency.code().to_string(),
        as_text(b.price.to_string()),
        b.payment.state.as_str().to_string(),
        plain_amount(b.payment.collected),
        b.payment
            .method
            .map(|m| m.as_str())
            .unwrap_or_default()
            .to_string(),
        channel(b.source).to_string(),
        b.created_at
            .with_timezone(&Utc)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
    ]
}

/// The channel as the dashboard's lists name it, from the same catalogue
/// (the file's headers are English, so its words are too).
fn channel(source: store::BookingSource) -> &'static str {
    (app::i18n::texts(app::i18n::Lang::En).channel_label)(source.as_str())
}

/// An amount as a spreadsheet reads a number: "150000", "12.50".
fn plain_amount(money: Money) -> String {
    let digits = money.currency.minor_digits();
    if digits == 0 {
        return money.minor.to_string();
    }
    let scale = 10_i64.pow(digits);
    format!(
        "{}{}.{:0width$}",
        if money.minor < 0 { "-" } else { "" },
        (money.minor / scale).abs(),
        (money.minor % scale).abs(),
        width = digits as usize
    )
}

/// A text cell a spreadsheet would read as a formula is written with a
/// leading `'`, which spreadsheets show as text:
/// customer names come from WhatsApp profiles, which anyone can set to
/// `=HYPERLINK(…)`.
fn as_text(cell: String) -> String {
    const ACTIVE: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];
    if cell.starts_with(ACTIVE) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// One CSV line (RFC 4180: fields with a comma, quote or line break are
/// quoted, quotes doubled; CRLF at the end).
fn line<const N: usize>(fields: &[String; N]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing into memory cannot fail; a field that could not be written
    // would be the writer's bug, and the line is then left out.
    if writer.write_record(fields.iter()).is_err() {
        return Vec::new();
    }
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_written_as_text() {
        assert_eq!(
            super::as_text("=HYPERLINK(\"x\")".into()),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(super::as_text("+1+cmd".into()), "'+1+cmd");
        assert_eq!(super::as_text("＝1+1".into()), "'＝1+1");
        assert_eq!(super::as_text("Budi".into()), "Budi");
    }

    #[test]
    fn fields_are_quoted_as_spreadsheets_expect() {
        let line = super::line(&[
            "Budi \"Bud\" Santoso, Jr.".to_string(),
            "Rp 150.000".to_string(),
            "two\nlines".to_string(),
        ]);
        assert_eq!(
            String::from_utf8(line).expect("utf-8"),
            "\"Budi \"\"Bud\"\" Santoso, Jr.\",Rp 150.000,\"two\nlines\"\r\n"
        );
    }
}
