//! TXT and Markdown: decoded and tidied, nothing else. Markdown keeps its
//! markup, which reads fine and marks headings for the chunker.

use super::{push_section, text, Budget, ExtractError, Locator, Section};

/// Share of control bytes above which a "text" file is really binary (an
/// image or archive renamed `.txt`), worth refusing rather than indexing.
const MAX_CONTROL_SHARE: f64 = 0.1;

pub(super) fn extract(bytes: &[u8], budget: &mut Budget) -> Result<Vec<Section>, ExtractError> {
    let decoded = text::decode(bytes);
    if looks_binary(&decoded) {
        return Err(ExtractError::Corrupt(
            "text file: it looks like a binary file".into(),
        ));
    }
    let mut sections = Vec::new();
    push_section(&mut sections, budget, Locator::Whole, &decoded)?;
    Ok(sections)
}

/// True when many characters are control characters other than line
/// breaks and tabs. NULs alone are tolerated up to the same share, so a
/// stray NUL in a real text file is just dropped.
fn looks_binary(decoded: &str) -> bool {
    let total = decoded.chars().count();
    if total == 0 {
        return false;
    }
    let control = decoded
        .chars()
        .filter(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0C}'))
        .count();
    control as f64 / total as f64 > MAX_CONTROL_SHARE
}
