//! What a customer has paid for a booking, as the front desk records it.
//!
//! Pesan does not move money: venues in Indonesia take cash at the desk, a
//! bank transfer or a QRIS scan, and staff note it here. The booked value
//! (the price) and the money collected are kept apart, so revenue figures
//! can show both and an unpaid booking is never counted as income.

use crate::Money;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How much of a booking's price has been collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    #[default]
    Unpaid,
    /// Part of the price, paid to secure the slot.
    Deposit,
    Paid,
}

impl PaymentState {
    pub const ALL: [PaymentState; 3] = [
        PaymentState::Unpaid,
        PaymentState::Deposit,
        PaymentState::Paid,
    ];

    /// The stable name used in storage and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentState::Unpaid => "unpaid",
            PaymentState::Deposit => "deposit",
            PaymentState::Paid => "paid",
        }
    }
}

/// How the money came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Cash,
    /// A bank transfer.
    Transfer,
    /// Indonesia's QR payment standard (any bank or e-wallet app).
    Qris,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 3] = [
        PaymentMethod::Cash,
        PaymentMethod::Transfer,
        PaymentMethod::Qris,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Transfer => "transfer",
            PaymentMethod::Qris => "qris",
        }
    }
}

/// A stored or submitted name that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown payment {0:?}")]
pub struct UnknownPayment(pub String);

impl FromStr for PaymentState {
    type Err = UnknownPayment;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PaymentState::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| UnknownPayment(s.chars().take(40).collect()))
    }
}

impl FromStr for PaymentMethod {
    type Err = UnknownPayment;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PaymentMethod::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| UnknownPayment(s.chars().take(40).collect()))
    }
}

impl fmt::Display for PaymentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for PaymentMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A booking's payment: its state, the amount collected (in the booking's
/// currency) and how it came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub state: PaymentState,
    pub collected: Money,
    pub method: Option<PaymentMethod>,
}

impl Payment {
    /// Nothing collected yet: every booking starts here.
    pub fn unpaid(price: Money) -> Self {
        Payment {
            state: PaymentState::Unpaid,
            collected: Money::zero(price.currency),
            method: None,
        }
    }
}

/// Why a payment as entered cannot be recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    #[error("a deposit or a payment needs the amount received")]
    AmountRequired,
    #[error("a deposit must be less than the price; record the full amount as paid")]
    DepositNotBelowPrice,
    #[error("the amount is more than the booking's price")]
    OverPrice,
    #[error("paid means the whole price; record part of it as a deposit")]
    PaidNotWhole,
    #[error("say how it was paid: cash, transfer or QRIS")]
    MethodRequired,
    #[error("an unpaid booking has no amount or method")]
    UnpaidWithAmount,
}

impl PaymentError {
    /// A stable code for clients.
    pub fn code(self) -> &'static str {
        match self {
            PaymentError::AmountRequired => "amount_required",
            PaymentError::DepositNotBelowPrice => "deposit_not_below_price",
            PaymentError::OverPrice => "over_price",
            PaymentError::PaidNotWhole => "paid_not_whole",
            PaymentError::MethodRequired => "method_required",
            PaymentError::UnpaidWithAmount => "unpaid_with_amount",
        }
    }
}

/// Checks a payment as staff entered it against the booking's `price`.
///
/// `amount` is the total received so far, in the price's minor units. A
/// deposit is part of the price, so at least one and less than all of it;
/// "paid" is the whole price (`None` fills it in: one tap at the desk), so
/// "paid" never hides money still owed, and an amount above the price is
/// almost always a typo that would inflate revenue. Setting a booking back
/// to unpaid (a refund, a mistake) carries nothing.
pub fn check_payment(
    state: PaymentState,
    amount: Option<i64>,
    method: Option<PaymentMethod>,
    price: Money,
) -> Result<Payment, PaymentError> {
    let money = |minor| Money::new(minor, price.currency);
    match state {
        PaymentState::Unpaid => {
            if amount.is_some_and(|a| a != 0) || method.is_some() {
                return Err(PaymentError::UnpaidWithAmount);
            }
            Ok(Payment::unpaid(price))
        }
        PaymentState::Deposit => {
            let method = method.ok_or(PaymentError::MethodRequired)?;
            let amount = amount
                .filter(|a| *a > 0)
                .ok_or(PaymentError::AmountRequired)?;
            if amount >= price.minor {
                return Err(PaymentError::DepositNotBelowPrice);
            }
            Ok(Payment {
                state,
                collected: money(amount),
                method: Some(method),
            })
        }
        PaymentState::Paid => {
            let method = method.ok_or(PaymentError::MethodRequired)?;
            let amount = amount.unwrap_or(price.minor);
            if amount > price.minor {
                return Err(PaymentError::OverPrice);
            }
            if amount != price.minor {
                return Err(PaymentError::PaidNotWhole);
            }
            Ok(Payment {
                state,
                collected: money(amount),
                method: Some(method),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRICE: Money = Money {
        minor: 150_000,
        currency: crate::Currency::IDR,
    };

    #[test]
    fn paid_defaults_to_the_whole_price() {
        let p = check_payment(PaymentState::Paid, None, Some(PaymentMethod::Qris), PRICE)
            .expect("valid");
        assert_eq!(p.collected, PRICE);
        assert_eq!(p.method, Some(PaymentMethod::Qris));
    }

    #[test]
    fn paid_is_the_whole_price_neither_less_nor_more() {
        let p = check_payment(
            PaymentState::Paid,
            Some(150_000),
            Some(PaymentMethod::Cash),
            PRICE,
        )
        .expect("valid");
        assert_eq!(p.collected.minor, 150_000);
        for short in [120_000, 0, -1] {
            assert_eq!(
                check_payment(
                    PaymentState::Paid,
                    Some(short),
                    Some(PaymentMethod::Cash),
                    PRICE
                ),
                Err(PaymentError::PaidNotWhole)
            );
        }
        assert_eq!(
            check_payment(
                PaymentState::Paid,
                Some(150_001),
                Some(PaymentMethod::Cash),
                PRICE
            ),
            Err(PaymentError::OverPrice)
        );
    }

    #[test]
    fn deposits_are_part_of_the_price() {
        let cash = Some(PaymentMethod::Transfer);
        assert!(check_payment(PaymentState::Deposit, Some(50_000), cash, PRICE).is_ok());
        for bad in [None, Some(0), Some(-5)] {
            assert_eq!(
                check_payment(PaymentState::Deposit, bad, cash, PRICE),
                Err(PaymentError::AmountRequired)
            );
        }
        for whole in [150_000, 150_001, i64::MAX] {
            assert_eq!(
                check_payment(PaymentState::Deposit, Some(whole), cash, PRICE),
                Err(PaymentError::DepositNotBelowPrice)
            );
        }
    }

    #[test]
    fn money_needs_a_method_and_unpaid_carries_none() {
        assert_eq!(
            check_payment(PaymentState::Paid, None, None, PRICE),
            Err(PaymentError::MethodRequired)
        );
        assert_eq!(
            check_payment(PaymentState::Unpaid, Some(10), None, PRICE),
            Err(PaymentError::UnpaidWithAmount)
        );
        let unpaid = check_payment(PaymentState::Unpaid, Some(0), None, PRICE).expect("valid");
        assert_eq!(unpaid, Payment::unpaid(PRICE));
    }

    #[test]
    fn a_free_booking_is_paid_with_nothing_but_takes_no_deposit() {
        let free = Money::idr(0);
        let cash = Some(PaymentMethod::Cash);
        assert!(check_payment(PaymentState::Paid, None, cash, free).is_ok());
        assert_eq!(
            check_payment(PaymentState::Deposit, Some(1), cash, free),
            Err(PaymentError::DepositNotBelowPrice)
        );
    }

    #[test]
    fn names_round_trip_and_strangers_are_refused() {
        for s in PaymentState::ALL {
            assert_eq!(s.as_str().parse::<PaymentState>(), Ok(s));
        }
        for m in PaymentMethod::ALL {
            assert_eq!(m.as_str().parse::<PaymentMethod>(), Ok(m));
        }
        assert!("PAID".parse::<PaymentState>().is_err());
        assert!("gopay".parse::<PaymentMethod>().is_err());
    }
}
