//! Booking codes in what customers type: copied from a confirmation,
//! lower-cased, hyphenated or split in two, and told apart from times
//! ("7pm") and words ("badmin").

use domain::BookingCode;

/// Booking codes typed in a message: "K7P2QX", "k7p-2qx", "K7P 2QX",
/// "HZSCVK". A word counts with both a letter and a digit, or in capitals,
/// so "badmin" and "the 7pm one" are words.
pub(crate) fn codes_in(text: &str) -> Vec<BookingCode> {
    codes(text, true)
}

/// Codes with both letters and digits only: the ones sure enough to answer
/// "that code is not yours" ("CANCEL" in capitals is a word, not a code).
pub(crate) fn certain_codes_in(text: &str) -> Vec<BookingCode> {
    codes(text, false)
}

fn codes(text: &str, with_capitals: bool) -> Vec<BookingCode> {
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let looks_like = |w: &str| {
        w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(|c| c.is_ascii_alphabetic())
    };
    let mut codes = Vec::new();
    for (i, word) in words.iter().enumerate() {
        // "7pm", "12noon", "19h30": times, not codes.
        let clock = |w: &str| {
            let lower = w.to_lowercase();
            let digits = lower.trim_start_matches(|c: char| c.is_ascii_digit());
            digits.len() < lower.len()
                && matches!(
                    digits,
                    "am" | "pm" | "noon" | "h" | "jam" | "th" | "st" | "nd" | "rd"
                )
        };
        if clock(word) {
            continue;
        }
        let mut candidates = vec![(*word).to_string()];
        if let Some(next) = words.get(i + 1) {
            if word.len() == 3
                && next.len() == 3
                && looks_like(word)
                && looks_like(next)
                && !clock(next)
            {
                candidates.push(format!("{word}{next}"));
            }
        }
        for candidate in candidates {
            let bare: String = candidate.chars().filter(|c| *c != '-').collect();
            // A code with no digit counts when typed in capitals, as copied
            // from the confirmation ("HZSCVK"); "futsal" never does.
            let capitals = with_capitals
                && bare
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
            if bare.len() == domain::code::CODE_LENGTH && (looks_like(&bare) || capitals) {
                if let Ok(code) = BookingCode::parse(&bare) {
                    if !codes.contains(&code) {
                        codes.push(code);
                    }
                }
            }
        }
    }
    codes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> BookingCode {
        BookingCode::parse(text).expect("a code")
    }

    #[test]
    fn codes_however_typed_and_words_that_are_not_codes() {
        assert_eq!(codes_in("cancel K7P2QX"), [code("K7P2QX")]);
        assert_eq!(codes_in("cancel k7p-2qx pls"), [code("K7P2QX")]);
        assert_eq!(codes_in("cancel K7P 2QX"), [code("K7P2QX")]);
        assert_eq!(codes_in("batalin HZSCVK ya"), [code("HZSCVK")]);
        for words in [
            "cancel the 7pm one",
            "cancel my sat 7pm booking",
            "batalin yg jam 7pm",
            "cancel for 2nd dec",
            "move the 7pm to 9pm",
            "book futsal 12noon",
            "cancel badmin",
        ] {
            assert!(codes_in(words).is_empty(), "{words}");
        }
        // Capitals alone make a guess to narrow with, never a "not yours".
        assert_eq!(codes_in("CANCEL"), [code("CANCEL")]);
        assert!(certain_codes_in("CANCEL MY BOOKING").is_empty());
    }
}
