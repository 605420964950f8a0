//! Phone numbers as customers and staff type them, read against the
//! tenant's country with libphonenumber's metadata (the `phonenumber`
//! crate): "0812 5555 0001", "812 5555 0001", "+62 812-5555-0001" and
//! "6281255550001" are all +6281255550001 for an Indonesian venue.

use crate::error::BookingError;
use domain::PhoneE164;
use phonenumber::country;

/// The country assumed when a tenant has none set.
pub const DEFAULT_REGION: &str = "ID";

/// Whether `region` is a country libphonenumber knows (so phone numbers
/// written the local way can be read for it): "ID", "SG"; not "XX".
pub fn is_known_region(region: &str) -> bool {
    region
        .trim()
        .to_ascii_uppercase()
        .parse::<country::Id>()
        .is_ok()
}

/// Parses `input` as a number of `region` (ISO 3166 alpha-2, e.g. "ID")
/// unless it carries its own country code; an impossible number is
/// `invalid_phone`.
pub fn parse_phone(input: &str, region: &str) -> Result<PhoneE164, BookingError> {
    let invalid = || BookingError::InvalidPhone(format!("{input:?} is not a valid phone number"));
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(BookingError::InvalidPhone(
            "a phone number is required".into(),
        ));
    }
    // Letters are refused rather than read as keypad digits ("O812…" with
    // a letter O would otherwise become another customer's number), and so
    // are extensions ("ext 5", "x12"): WhatsApp numbers have none.
    if trimmed.chars().count() > 40 || trimmed.chars().any(char::is_alphabetic) {
        return Err(invalid());
    }
    let region: country::Id = region.parse().map_err(|_| invalid())?;
    let mut candidates = vec![trimmed.to_string()];
    // Written with the country code but without "+" (as WhatsApp shows
    // numbers): try it as international too.
    if trimmed.starts_with(|c: char| c.is_ascii_digit() && c != '0') {
        candidates.push(format!("+{trimmed}"));
    }
    for candidate in candidates {
        let Ok(number) = phonenumber::parse(Some(region), &candidate) else {
            continue;
        };
        if phonenumber::is_valid(&number) {
            let e164 = number.format().mode(phonenumber::Mode::E164).to_string();
            return PhoneE164::parse(&e164).map_err(|_| invalid());
        }
    }
    Err(invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_numbers_in_every_usual_form() {
        for written in [
            "0812 5555 0001",
            "812 5555 0001",
            "+62 812-5555-0001",
            "6281255550001",
            "+6281255550001",
            "(0812) 5555-0001",
        ] {
            assert_eq!(
                parse_phone(written, "ID").map(|p| p.as_str().to_string()),
                Ok("+6281255550001".to_string()),
                "{written}"
            );
        }
    }

    #[test]
    fn letters_are_never_read_as_keypad_digits() {
        for written in [
            "O812 5555 OOO1",
            "0812-5555-000a",
            "0812 CALL NOW1",
            "0812 5555 0001 ext 5",
            "tel:+6281255550001",
        ] {
            assert!(parse_phone(written, "ID").is_err(), "{written}");
        }
    }

    #[test]
    fn foreign_numbers_keep_their_country() {
        assert_eq!(
            parse_phone("+31 6 12345678", "ID").map(|p| p.as_str().to_string()),
            Ok("+31612345678".to_string())
        );
        assert_eq!(
            parse_phone("06 12345678", "NL").map(|p| p.as_str().to_string()),
            Ok("+31612345678".to_string())
        );
    }

    #[test]
    fn only_real_countries_are_regions() {
        assert!(is_known_region("ID") && is_known_region("sg") && is_known_region("NL"));
        assert!(!is_known_region("XX") && !is_known_region("") && !is_known_region("IDN"));
    }

    #[test]
    fn impossible_numbers_are_refused() {
        for bad in [
            "",
            "   ",
            "12",
            "0812",
            "+62 1",
            "abc",
            "0812-5555-0001-9999-1234",
            "☎️",
        ] {
            assert_eq!(
                parse_phone(bad, "ID").map_err(|e| e.code()),
                Err("invalid_phone"),
                "{bad:?}"
            );
        }
    }
}
