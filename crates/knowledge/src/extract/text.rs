//! Text clean-up shared by every format: decoding bytes of unknown encoding
//! and normalising whitespace.

/// Bytes of a text file as a `String`, whatever the encoding. UTF-8 (with or
/// without a BOM) is the norm; a UTF-16 BOM (Notepad's "Unicode", Excel's
/// "Unicode text") is honoured; anything else that is not valid UTF-8 is read
/// as Windows-1252, the superset of Latin-1 that older Windows tools write.
/// Never fails: a wrong guess gives odd letters, not a refused upload.
pub(crate) fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8_or_1252(rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode_utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode_utf16(rest, u16::from_be_bytes);
    }
    decode_utf8_or_1252(bytes)
}

fn decode_utf8_or_1252(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
    }
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// One Windows-1252 byte as a char: Latin-1 except 0x80–0x9F, where
/// Windows puts typographic quotes, dashes, € and a few letters.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// Normalises extracted text for chunking: CRLF/CR become LF, NULs and other
/// control characters go, runs of spaces and tabs (and other horizontal
/// whitespace such as no-break spaces) become one space, lines are trimmed,
/// and runs of blank lines become one blank line (a paragraph break). Form
/// feeds count as paragraph breaks. Returns `""` when nothing is left.
pub(crate) fn tidy(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_blank = false;
    let normalised = raw
        .replace("\r\n", "\n")
        .replace(['\u{0C}', '\u{2029}'], "\n\n");
    for line in normalised.split(['\n', '\r', '\u{2028}']) {
        let line = collapse_line(line);
        if line.is_empty() {
            pending_blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if pending_blank {
                out.push('\n');
            }
        }
        pending_blank = false;
        out.push_str(&line);
    }
    out
}

/// One line with control characters dropped and horizontal whitespace
/// collapsed and trimmed. Also used for spreadsheet cells, which must stay
/// on one line.
pub(crate) fn collapse_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut space = false;
    for c in line.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
        } else if c.is_control() || is_invisible(c) {
            continue;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Characters that render as nothing and only get in the way of search:
/// the BOM left inside text and soft hyphens.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{FEFF}' | '\u{00AD}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_collapses_and_keeps_paragraphs() {
        let raw = "  Hello \t  world \r\n\r\n\r\n\tSecond\0 para \u{a0}x\n\n";
        assert_eq!(tidy(raw), "Hello world\n\nSecond para x");
        assert_eq!(tidy(" \n\t\n\0"), "");
        assert_eq!(tidy("a\rb\u{0C}c"), "a\nb\n\nc");
    }

    #[test]
    fn decode_falls_back_to_windows_1252() {
        assert_eq!(decode(b"caf\xE9 \x80 5"), "café € 5");
        assert_eq!(decode("\u{FEFF}héllo".as_bytes()), "héllo");
        assert_eq!(decode(b"\xFF\xFEh\0i\0"), "hi");
        assert_eq!(decode(b"\xFE\xFF\0h\0i"), "hi");
    }
}
