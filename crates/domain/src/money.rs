//! Money as an integer number of the currency's minor unit.
//!
//! Prices are multiplied by durations and summed piece by piece; floats would
//! lose rupiah on the way, so amounts are `i64` minor units and every
//! operation that could overflow is checked.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The currencies a venue can price in. IDR first: it is the first market.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Currency {
    #[default]
    IDR,
    SGD,
    MYR,
    USD,
    EUR,
}

impl Currency {
    /// ISO 4217 code.
    pub fn code(self) -> &'static str {
        match self {
            Currency::IDR => "IDR",
            Currency::SGD => "SGD",
            Currency::MYR => "MYR",
            Currency::USD => "USD",
            Currency::EUR => "EUR",
        }
    }

    /// Digits after the decimal separator. Rupiah are quoted whole in practice
    /// (ISO says 2, but nobody pays Rp 0,50), so IDR counts whole rupiah.
    pub fn minor_digits(self) -> u32 {
        match self {
            Currency::IDR => 0,
            _ => 2,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Currency::IDR => "Rp",
            Currency::SGD => "S$",
            Currency::MYR => "RM",
            Currency::USD => "$",
            Currency::EUR => "€",
        }
    }

    /// Thousands and decimal separators as customers of that currency write them.
    fn separators(self) -> (char, char) {
        match self {
            Currency::IDR | Currency::EUR => ('.', ','),
            _ => (',', '.'),
        }
    }
}

/// A currency code we do not price in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported currency {0:?}")]
pub struct UnknownCurrency(pub String);

impl FromStr for Currency {
    type Err = UnknownCurrency;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "IDR" => Ok(Currency::IDR),
            "SGD" => Ok(Currency::SGD),
            "MYR" => Ok(Currency::MYR),
            "USD" => Ok(Currency::USD),
            "EUR" => Ok(Currency::EUR),
            _ => Err(UnknownCurrency(s.to_string())),
        }
    }
}

/// An amount of money: minor units plus currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

/// Why an arithmetic operation on money was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("cannot combine {0} with {1}")]
    CurrencyMismatch(&'static str, &'static str),
    #[error("amount out of range")]
    Overflow,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }

    /// Rupiah, the default currency.
    pub fn idr(rupiah: i64) -> Self {
        Money::new(rupiah, Currency::IDR)
    }

    pub fn zero(currency: Currency) -> Self {
        Money::new(0, currency)
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(
                self.currency.code(),
                other.currency.code(),
            ));
        }
        self.minor
            .checked_add(other.minor)
            .map(|minor| Money::new(minor, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    /// The price of `minutes` at this hourly rate, rounded half up to the
    /// minor unit (a 90-minute slot at Rp 150.000/h is Rp 225.000).
    pub fn for_minutes(self, minutes: i64) -> Result<Money, MoneyError> {
        let scaled = i128::from(self.minor) * i128::from(minutes);
        let rounded = if scaled >= 0 {
            (scaled + 30) / 60
        } else {
            (scaled - 30) / 60
        };
        i64::try_from(rounded)
            .map(|minor| Money::new(minor, self.currency))
            .map_err(|_| MoneyError::Overflow)
    }
}

impl fmt::Display for Money {
    /// "Rp 150.000", "S$ 1,234.50": how a customer expects to read a price.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.currency.minor_digits();
        let (thousands, decimal) = self.currency.separators();
        let scale = 10u64.pow(digits);
        let abs = self.minor.unsigned_abs();
        let (whole, frac) = (abs / scale, abs % scale);
        let whole_text = whole.to_string();
        let mut grouped = String::with_capacity(whole_text.len() + whole_text.len() / 3);
        for (i, ch) in whole_text.chars().enumerate() {
            if i > 0 && (whole_text.len() - i) % 3 == 0 {
                grouped.push(thousands);
            }
            grouped.push(ch);
        }
        let sign = if self.minor < 0 { "-" } else { "" };
        write!(f, "{sign}{} {grouped}", self.currency.symbol())?;
        if digits > 0 {
            write!(f, "{decimal}{frac:0width$}", width = digits as usize)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupiah_are_grouped_with_dots() {
        assert_eq!(Money::idr(150_000).to_string(), "Rp 150.000");
        assert_eq!(Money::idr(1_250_000).to_string(), "Rp 1.250.000");
        assert_eq!(Money::idr(0).to_string(), "Rp 0");
        assert_eq!(Money::idr(999).to_string(), "Rp 999");
        assert_eq!(Money::idr(-5_000).to_string(), "-Rp 5.000");
    }

    #[test]
    fn cent_currencies_show_two_decimals() {
        assert_eq!(
            Money::new(123_450, Currency::SGD).to_string(),
            "S$ 1,234.50"
        );
        assert_eq!(Money::new(5, Currency::EUR).to_string(), "€ 0,05");
    }

    #[test]
    fn adding_different_currencies_is_refused() {
        let sum = Money::idr(1).checked_add(Money::new(1, Currency::USD));
        assert!(matches!(
            sum,
            Err(MoneyError::CurrencyMismatch("IDR", "USD"))
        ));
        assert_eq!(Money::idr(1).checked_add(Money::idr(2)), Ok(Money::idr(3)));
        assert_eq!(
            Money::idr(i64::MAX).checked_add(Money::idr(1)),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn hourly_rate_is_prorated_by_minutes() {
        let rate = Money::idr(150_000);
        assert_eq!(rate.for_minutes(60), Ok(Money::idr(150_000)));
        assert_eq!(rate.for_minutes(90), Ok(Money::idr(225_000)));
        assert_eq!(rate.for_minutes(120), Ok(Money::idr(300_000)));
        assert_eq!(Money::idr(100).for_minutes(1), Ok(Money::idr(2)));
    }

    #[test]
    fn currency_codes_parse_case_insensitively() {
        assert_eq!("idr".parse::<Currency>(), Ok(Currency::IDR));
        assert!("XXX".parse::<Currency>().is_err());
    }
}
