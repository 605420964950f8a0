//! Recording what a customer paid: a venue's own bookkeeping, so only
//! under the staff policy (a customer on WhatsApp cannot mark their own
//! booking paid, nor can a customer-policy API key).

use crate::error::{BookingError, Item, Result};
use crate::request::Caller;
use crate::service::BookingService;
use domain::availability::Policy;
use domain::payment::check_payment;
use domain::{BookingId, PaymentMethod, PaymentState};
use store::{Booking, MAX_PAYMENT_NOTE};

/// A payment as the front desk enters it (see [`check_payment`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentEntry {
    pub state: PaymentState,
    /// The total received so far, in the booking's currency's minor units;
    /// `None` for "paid" is the whole price.
    pub amount: Option<i64>,
    pub method: Option<PaymentMethod>,
    /// A reference or remark ("transfer ref 8812"), kept in the history.
    pub note: String,
}

impl BookingService {
    /// Records a booking's payment, checked against its price under the
    /// booking's lock, in one transaction with its history entry. Any
    /// status may carry one: a no-show's deposit stays collected.
    pub async fn record_payment(
        &self,
        caller: &Caller,
        id: BookingId,
        entry: &PaymentEntry,
    ) -> Result<Booking> {
        if caller.policy != Policy::Staff {
            return Err(BookingError::StaffOnly);
        }
        let note = entry.note.trim();
        if note.chars().count() > MAX_PAYMENT_NOTE {
            return Err(BookingError::NoteTooLong(MAX_PAYMENT_NOTE));
        }
        let note = store::clean_text(note);
        let from_store = |e| BookingError::from_store(e, Item::Booking);
        let now = self.now();
        let mut tx = self.begin().await?;
        let price = tx
            .lock_booking_price(caller.tenant, id)
            .await
            .map_err(from_store)?;
        let payment = check_payment(entry.state, entry.amount, entry.method, price)?;
        tx.set_payment(caller.tenant, id, &payment, &note, &caller.actor, now)
            .await
            .map_err(from_store)?;
        tx.commit().await.map_err(from_store)?;
        self.booking(caller.tenant, id).await
    }
}
