//! WhatsApp numbers in E.164, the one form in which a customer is recognised
//! whether they typed `0812…`, `+62 812…` or `62-812…`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A phone number in E.164: `+`, a country code and at most 15 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneE164(String);

/// Why a phone number was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("a phone number is required")]
    Empty,
    #[error(
        "a phone number may only contain digits, spaces, dashes, dots, brackets and a leading +"
    )]
    InvalidCharacter,
    #[error("a phone number has 8 to 15 digits including the country code")]
    WrongLength,
    #[error("a country code cannot start with 0")]
    LeadingZero,
}

/// Indonesia's country code, assumed for numbers written the local way (`08…`).
pub const DEFAULT_COUNTRY_CODE: &str = "62";

impl PhoneE164 {
    /// Parses a number as people write it, assuming Indonesia for local
    /// numbers that start with a single `0`.
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        Self::parse_with_country(input, DEFAULT_COUNTRY_CODE)
    }

    /// Parses a number, using `country_code` for local numbers (`0…`).
    pub fn parse_with_country(input: &str, country_code: &str) -> Result<Self, PhoneError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(PhoneError::Empty);
        }
        let (explicit_plus, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let mut digits = String::with_capacity(rest.len());
        for ch in rest.chars() {
            match ch {
                '0'..='9' => digits.push(ch),
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(PhoneError::InvalidCharacter),
            }
        }
        if digits.is_empty() {
            return Err(PhoneError::Empty);
        }
        let international = if explicit_plus {
            digits
        } else if let Some(after) = digits.strip_prefix("00") {
            after.to_string()
        } else if let Some(local) = digits.strip_prefix('0') {
            format!("{country_code}{local}")
        } else {
            digits
        };
        if international.starts_with('0') {
            return Err(PhoneError::LeadingZero);
        }
        if !(8..=15).contains(&international.len()) {
            return Err(PhoneError::WrongLength);
        }
        Ok(PhoneE164(format!("+{international}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PhoneE164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PhoneE164 {
    type Error = PhoneError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PhoneE164::parse(&value)
    }
}

impl From<PhoneE164> for String {
    fn from(value: PhoneE164) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_local_numbers_get_the_country_code() {
        assert_eq!(
            PhoneE164::parse("0812-3456-7890").expect("valid").as_str(),
            "+6281234567890"
        );
        assert_eq!(
            PhoneE164::parse("081234567890").expect("valid").as_str(),
            "+6281234567890"
        );
    }

    #[test]
    fn international_forms_are_normalised() {
        for input in [
            "+62 812 3456 7890",
            "6281234567890",
            "006281234567890",
            "+62 (812) 3456.7890",
        ] {
            assert_eq!(
                PhoneE164::parse(input).expect("valid").as_str(),
                "+6281234567890",
                "{input}"
            );
        }
        assert_eq!(
            PhoneE164::parse_with_country("06 1234 5678", "31")
                .expect("valid")
                .as_str(),
            "+31612345678"
        );
    }

    #[test]
    fn garbage_is_refused_with_a_reason() {
        assert_eq!(PhoneE164::parse(""), Err(PhoneError::Empty));
        assert_eq!(
            PhoneE164::parse("+62 812 abc"),
            Err(PhoneError::InvalidCharacter)
        );
        assert_eq!(PhoneE164::parse("+1234"), Err(PhoneError::WrongLength));
        assert_eq!(
            PhoneE164::parse("+6281234567890123"),
            Err(PhoneError::WrongLength)
        );
        assert_eq!(
            PhoneE164::parse("+0812345678"),
            Err(PhoneError::LeadingZero)
        );
    }

    #[test]
    fn deserializing_validates() {
        let ok: Result<PhoneE164, _> = serde_json::from_str("\"0812 3456 7890\"");
        assert_eq!(ok.expect("valid").as_str(), "+6281234567890");
        let bad: Result<PhoneE164, _> = serde_json::from_str("\"hello\"");
        assert!(bad.is_err());
    }
}
