//! Cutting text to size by characters, never inside a UTF-8 sequence (an
//! emoji or an accented letter in a customer's message must not panic).

/// `text` cut to at most `max_chars` characters, ending with `…` when cut.
pub(crate) fn cut(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        None => text.to_owned(),
        Some(_) if max_chars == 0 => String::new(),
        Some(_) => {
            let keep = text
                .char_indices()
                .nth(max_chars - 1)
                .map_or(text.len(), |(at, _)| at);
            let mut out = text[..keep].to_owned();
            out.push('…');
            out
        }
    }
}

/// `text` on one line (newlines become spaces), cut to `max_chars`: for
/// values placed inside a line of the prompt or an error message.
pub(crate) fn one_line(text: &str, max_chars: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    cut(flat.trim(), max_chars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_by_characters_with_an_ellipsis() {
        assert_eq!(cut("halo", 4), "halo");
        assert_eq!(cut("halo kak", 4), "hal…");
        assert_eq!(cut("🎾🎾🎾", 2), "🎾…");
        assert_eq!(cut("abc", 0), "");
        assert_eq!(cut("", 3), "");
    }

    #[test]
    fn one_line_flattens_newlines() {
        assert_eq!(one_line(" a\nb\r\n ", 10), "a b");
    }
}
