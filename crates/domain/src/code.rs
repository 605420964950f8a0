//! Booking codes: six characters of Crockford's base32 that a customer can
//! read out on the phone or type into WhatsApp ("K7P-2QX"). They are random,
//! not sequential, so one code says nothing about how many bookings a venue
//! has or what the next one will be; the store keeps them unique per tenant.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Crockford's alphabet: digits and letters without I, L, O and U, which
/// are easily confused (I, L with 1; O with 0) or spell words by accident.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// How many characters a code has: 32⁶ ≈ 1.07 billion codes per tenant.
pub const CODE_LENGTH: usize = 6;

/// A booking's short code, always six upper-case Crockford characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BookingCode(String);

/// Why a typed-in code is not a booking code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a booking code has six letters and digits, like K7P2QX")]
pub struct BadCode;

impl BookingCode {
    /// The code made of the low 30 bits of `random` (five bits a character).
    pub fn from_random(random: u32) -> Self {
        let code = (0..CODE_LENGTH)
            .map(|i| char::from(ALPHABET[((random >> (5 * i)) & 31) as usize]))
            .collect();
        BookingCode(code)
    }

    /// Reads a code as a customer may type it: any case, with spaces or
    /// dashes, and I/L for 1 and O for 0, as Crockford intends.
    pub fn parse(input: &str) -> Result<Self, BadCode> {
        let mut code = String::with_capacity(CODE_LENGTH);
        for ch in input.chars() {
            let ch = match ch.to_ascii_uppercase() {
                ' ' | '-' => continue,
                'I' | 'L' => '1',
                'O' => '0',
                other => other,
            };
            if !ch.is_ascii() || !ALPHABET.contains(&(ch as u8)) || code.len() == CODE_LENGTH {
                return Err(BadCode);
            }
            code.push(ch);
        }
        if code.len() != CODE_LENGTH {
            return Err(BadCode);
        }
        Ok(BookingCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BookingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for BookingCode {
    type Err = BadCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        BookingCode::parse(s)
    }
}

impl TryFrom<String> for BookingCode {
    type Error = BadCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        BookingCode::parse(&value)
    }
}

impl From<BookingCode> for String {
    fn from(code: BookingCode) -> Self {
        code.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_crockford_characters() {
        for random in [0, 1, 31, 32, u32::MAX, 0x2bad_beef] {
            let code = BookingCode::from_random(random);
            assert_eq!(code.as_str().len(), CODE_LENGTH);
            assert!(code.as_str().bytes().all(|b| ALPHABET.contains(&b)));
            assert_eq!(BookingCode::parse(code.as_str()), Ok(code));
        }
    }

    #[test]
    fn customers_may_type_codes_loosely() {
        let code = BookingCode::parse("k7p-2qx").expect("parses");
        assert_eq!(code.as_str(), "K7P2QX");
        assert_eq!(
            BookingCode::parse("o1l 2ab").map(String::from),
            Ok("011 2AB".replace(' ', ""))
        );
        for bad in ["", "K7P2Q", "K7P2QXY", "K7P2QU", "K7P2Q!", "К7P2QX"] {
            assert_eq!(BookingCode::parse(bad), Err(BadCode), "{bad:?}");
        }
    }

    #[test]
    fn neighbouring_randoms_give_unrelated_looking_codes() {
        // Codes come from random numbers, but even consecutive inputs differ
        // in their first character, so codes never read as a counter.
        assert_ne!(
            BookingCode::from_random(1).as_str()[..1],
            BookingCode::from_random(2).as_str()[..1]
        );
    }
}
