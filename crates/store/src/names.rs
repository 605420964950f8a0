//! How customer names are kept, whatever channel brought them.

/// A customer name as it is kept: control, zero-width and
/// direction-changing characters dropped (they reach staff screens and CSV
/// exports, where they would reorder or hide what is around them), runs of
/// white space made one space, trimmed; `None` when nothing is left.
pub fn clean_customer_name(name: Option<&str>) -> Option<String> {
    let mut clean = String::new();
    for part in name?
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|part| !part.is_empty())
    {
        let part: String = part
            .chars()
            .filter(|&c| !crate::resources::invisible(c))
            .collect();
        if part.is_empty() {
            continue;
        }
        if !clean.is_empty() {
            clean.push(' ');
        }
        clean.push_str(&part);
    }
    (!clean.is_empty()).then_some(clean)
}

#[cfg(test)]
mod tests {
    use super::clean_customer_name;

    #[test]
    fn names_lose_invisible_and_direction_changing_characters() {
        let cases = [
            ("  Budi   Santoso ", Some("Budi Santoso")),
            ("Budi\u{202E}oskas", Some("Budioskas")),
            ("Ani\u{200B}\u{FEFF}", Some("Ani")),
            ("Line\r\nbreak\tname", Some("Line break name")),
            ("=cmd\u{0007}", Some("=cmd")),
            ("\u{202E}\u{2066}", None),
            ("   ", None),
            ("Siti Nurhaliza 🏸", Some("Siti Nurhaliza 🏸")),
            ("Rina\u{061c}\u{e0041} =x", Some("Rina =x")),
            ("\u{3164}\u{115f}\u{2800}", None),
        ];
        for (given, kept) in cases {
            assert_eq!(
                clean_customer_name(Some(given)).as_deref(),
                kept,
                "{given:?}"
            );
        }
        assert_eq!(clean_customer_name(None), None);
    }
}
