//! Payments recorded at the desk (through the booking service, any staff
//! role: the front desk takes the money) and the venue's payment
//! instructions (owners and admins).

use super::bookings::desk;
use super::{convert, require_manager, Services};
use crate::dto::{BookingDto, PaymentEventDto};
use crate::error::AppError;
use booking::PaymentEntry;
use domain::{BookingId, Money, PaymentMethod, PaymentState};
use store::StaffUser;

/// A payment as the booking page's form sends it.
pub struct PaymentForm {
    pub state: String,
    /// Whole units as typed ("50000", "50.000", "Rp 50.000"); empty for
    /// "paid" means the whole price.
    pub amount: String,
    pub method: String,
    pub note: String,
}

pub async fn record(
    state: Services,
    staff: StaffUser,
    id: BookingId,
    form: PaymentForm,
) -> Result<BookingDto, AppError> {
    let payment_state: PaymentState = form
        .state
        .parse()
        .map_err(|_| AppError::Invalid("Choose unpaid, deposit or paid.".into()))?;
    let method = match form.method.trim() {
        "" => None,
        m => Some(
            m.parse::<PaymentMethod>()
                .map_err(|_| AppError::Invalid("Choose cash, transfer or QRIS.".into()))?,
        ),
    };
    let current = state.store.booking(staff.tenant_id, id).await?;
    let amount = whole_amount(&form.amount)?
        .map(|whole| to_minor(whole, current.price))
        .transpose()?;
    let entry = PaymentEntry {
        state: payment_state,
        amount,
        method,
        note: form.note,
    };
    let booking = state
        .bookings
        .record_payment(&desk(&staff), id, &entry)
        .await?;
    Ok(convert::booking(&booking, state.clock.now()))
}

/// The largest amount a person can type: far beyond any booking, well
/// within `i64` minor units of any currency.
const MAX_WHOLE_AMOUNT: i64 = 1_000_000_000_000;

/// Reads an amount typed in whole units of money: digits, with thousands
/// separators (`.`, `,`, spaces) between groups of three and an optional
/// "Rp" or "IDR" before it; a decimal part of zeros ("50.000,00") is
/// dropped, any other ("1.5", "500,50") is refused rather than guessed at,
/// since a misread separator means a hundred times too much or too little.
/// Empty is `None`.
pub fn whole_amount(text: &str) -> Result<Option<i64>, AppError> {
    let bad = || AppError::Refused {
        code: "bad_amount".into(),
        status: 400,
        message: "Type the amount in whole rupiah, such as 50000 or 50.000.".into(),
    };
    let text = text.trim();
    let text = ["Rp", "rp", "RP", "IDR", "idr"]
        .iter()
        .find_map(|p| text.strip_prefix(p))
        .unwrap_or(text)
        .trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > 24 {
        return Err(bad());
    }
    let mut groups: Vec<&str> = text.split(['.', ',', ' ', '\u{a0}']).collect();
    if groups
        .iter()
        .any(|g| g.is_empty() || !g.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    if groups.len() > 1 {
        if let Some(last) = groups.last().filter(|g| g.len() <= 2) {
            if last.bytes().any(|b| b != b'0') {
                return Err(bad());
            }
            groups.pop();
        }
    }
    let grouped = groups.len() > 1;
    if grouped && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
        return Err(bad());
    }
    let digits: String = groups.concat();
    digits
        .parse::<i64>()
        .ok()
        .filter(|v| *v <= MAX_WHOLE_AMOUNT)
        .map(Some)
        .ok_or_else(bad)
}

/// Whole units of `price`'s currency in its minor units.
fn to_minor(whole: i64, price: Money) -> Result<i64, AppError> {
    10i64
        .checked_pow(price.currency.minor_digits())
        .and_then(|scale| whole.checked_mul(scale))
        .ok_or_else(|| AppError::Invalid("That amount is too large.".into()))
}

/// A booking's payment history, oldest first, in its outlet's time.
pub async fn history(
    state: Services,
    staff: StaffUser,
    id: BookingId,
) -> Result<Vec<PaymentEventDto>, AppError> {
    let booking = state.store.booking(staff.tenant_id, id).await?;
    let names = super::bookings::staff_names(&state, &staff).await?;
    Ok(state
        .store
        .payment_history(staff.tenant_id, id)
        .await?
        .into_iter()
        .map(|e| PaymentEventDto {
            state: e.state,
            amount: Money::new(e.amount_minor, booking.price.currency),
            method: e.method,
            note: e.note,
            actor: super::bookings::actor_label(&e.actor, &names),
            at: super::bookings::when_label(e.at, booking.timezone),
        })
        .collect())
}

/// Sets what the bot tells customers about paying (owners and admins).
pub async fn set_instructions(
    state: Services,
    staff: StaffUser,
    text: String,
    text_id: Option<String>,
) -> Result<String, AppError> {
    require_manager(&staff)?;
    Ok(state
        .store
        .set_payment_instructions(staff.tenant_id, &text, text_id.as_deref())
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_as_people_type_them() {
        for (typed, want) in [
            ("50000", Some(50_000)),
            ("50.000", Some(50_000)),
            ("Rp 150.000", Some(150_000)),
            ("1,250,000", Some(1_250_000)),
            ("  ", None),
            ("Rp", None),
        ] {
            assert_eq!(whole_amount(typed).expect("readable"), want, "{typed}");
        }
        for bad in [
            "-5",
            "5e3",
            "１２",
            "50k",
            "99999999999999999999",
            "1000000000001",
        ] {
            assert!(whole_amount(bad).is_err(), "{bad}");
        }
    }
}
