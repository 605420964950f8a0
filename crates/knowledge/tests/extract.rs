//! `knowledge::extract` against small real files built by
//! `fixtures/build.rs`: the happy path of every format, the damaged,
//! encrypted, empty and oversized cases, and a few hundred mutated files
//! that must never panic out or hang.

#[path = "fixtures/build.rs"]
mod build;
#[path = "fixtures/mutate.rs"]
mod mutate;

use std::sync::Arc;
use std::time::{Duration, Instant};

use mutate::{mutate_zip_entry, Rng};

use knowledge::extract::{
    extract, extract_blocking, ExtractError, Format, Limits, Locator, Section,
};

fn run(format: Format, bytes: &[u8]) -> Result<Vec<Section>, ExtractError> {
    extract_blocking(format, bytes, &Limits::default())
}

fn whole_text(format: Format, bytes: &[u8]) -> String {
    let sections = run(format, bytes).expect("extracts");
    assert_eq!(sections.len(), 1, "{sections:?}");
    assert_eq!(sections[0].locator, Locator::Whole);
    sections[0].text.clone()
}

fn two_page_pdf() -> Vec<u8> {
    build::pdf(&[
        &["Opening hours", "Monday to Friday 08:00 to 22:00"],
        &["Court prices", "Peak hour 150000 per hour"],
    ])
}

#[test]
fn pdf_gives_one_section_per_page() {
    let sections = run(Format::Pdf, &two_page_pdf()).expect("extracts");
    assert_eq!(sections.len(), 2, "{sections:?}");
    assert_eq!(sections[0].locator, Locator::Page(1));
    assert_eq!(sections[1].locator, Locator::Page(2));
    assert!(sections[0].text.contains("Opening hours"), "{sections:?}");
    assert!(
        sections[0].text.contains("Monday to Friday 08:00"),
        "{sections:?}"
    );
    assert!(!sections[0].text.contains("Court prices"));
    assert!(
        sections[1].text.contains("Peak hour 150000"),
        "{sections:?}"
    );
}

#[test]
fn pdf_page_cap_is_checked_before_reading() {
    let pdf = build::pdf(&[&["one"], &["two"], &["three"]]);
    let limits = Limits {
        max_pages: 2,
        ..Limits::default()
    };
    assert_eq!(
        extract_blocking(Format::Pdf, &pdf, &limits),
        Err(ExtractError::TooManyPages(3))
    );
}

#[test]
fn pdf_with_a_password_is_refused() {
    assert_eq!(
        run(Format::Pdf, &build::encrypted_pdf("secret")),
        Err(ExtractError::Encrypted)
    );
    assert_eq!(
        run(Format::Pdf, &build::fake_encrypted_pdf()),
        Err(ExtractError::Encrypted)
    );
}

#[test]
fn pdf_with_only_an_owner_password_opens_like_in_a_viewer() {
    let sections = run(Format::Pdf, &build::encrypted_pdf("")).expect("opens without a password");
    assert!(
        sections[0].text.contains("Secret member prices"),
        "{sections:?}"
    );
}

#[test]
fn damaged_pdfs_are_clean_errors() {
    let pdf = two_page_pdf();
    let truncated = run(Format::Pdf, &pdf[..pdf.len() / 2]);
    assert!(
        matches!(
            truncated,
            Err(ExtractError::Corrupt(_) | ExtractError::NoText)
        ),
        "{truncated:?}"
    );
    let noise: Vec<u8> = (0..4000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    match run(Format::Pdf, &noise) {
        Err(ExtractError::Corrupt(reason)) => assert!(reason.starts_with("PDF: ")),
        other => panic!("{other:?}"),
    }
    let header_only = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF";
    assert!(matches!(
        run(Format::Pdf, header_only),
        Err(ExtractError::Corrupt(_))
    ));
}

#[test]
fn docx_keeps_headings_paragraphs_and_table_rows() {
    let text = whole_text(Format::Docx, &build::docx());
    assert_eq!(
        text,
        "# House rules\n\nPlease arrive ten minutes early.\n\nNon-marking shoes only.\n\n\
         ## Prices\n\nCourt | Price\nCourt 1 peak | 150000\nCourt 2 | 100000\n\nThank you."
    );
}

#[test]
fn docx_that_is_not_a_docx() {
    let other_zip = build::zip(&[("hello.txt".to_owned(), "hi".to_owned())]);
    assert!(matches!(
        run(Format::Docx, &other_zip),
        Err(ExtractError::Corrupt(_))
    ));
    let docx = build::docx();
    assert!(matches!(
        run(Format::Docx, &docx[..docx.len() / 2]),
        Err(ExtractError::Corrupt(_))
    ));
    // docx-rs alone spins forever on this one (an unclosed element at the
    // end of word/document.xml); the package check refuses it first.
    let mut rng = Rng(7);
    let cut = mutate_zip_entry(&docx, "word/document.xml", &mut rng, 0);
    assert!(matches!(
        run(Format::Docx, &cut),
        Err(ExtractError::Corrupt(_))
    ));
    // Word's "Encrypt with password" writes a CFB container.
    let encrypted = build::cfb_with_stream("EncryptionInfo");
    assert_eq!(run(Format::Docx, &encrypted), Err(ExtractError::Encrypted));
    assert_eq!(
        run(Format::Docx, &build::cfb_with_stream("Unknown")),
        Err(ExtractError::Encrypted)
    );
    // A legacy .doc renamed .docx is a format we don't read.
    let legacy = build::cfb_with_stream("WordDocument");
    assert_eq!(run(Format::Docx, &legacy), Err(ExtractError::Unsupported));
}

#[test]
fn xlsx_gives_one_section_per_visible_sheet_with_header_rows() {
    let sections = run(Format::Xlsx, &build::xlsx()).expect("extracts");
    assert_eq!(
        sections,
        vec![
            Section {
                locator: Locator::Sheet("Prices".into()),
                text: "Item | Price | Note\nItem: Court 1 peak; Price: 150000\n\
                       Item: Court 2; Price: 100000; Note: off-peak"
                    .into(),
            },
            Section {
                locator: Locator::Sheet("Hours".into()),
                text: "Monday | 08:00-22:00\nSunday | closed".into(),
            },
        ]
    );
}

#[test]
fn damaged_or_encrypted_xlsx() {
    let xlsx = build::xlsx();
    assert!(matches!(
        run(Format::Xlsx, &xlsx[..xlsx.len() - 40]),
        Err(ExtractError::Corrupt(_))
    ));
    assert!(matches!(
        run(Format::Xlsx, &build::docx()),
        Err(ExtractError::Corrupt(_))
    ));
    let encrypted = build::cfb_with_stream("EncryptedPackage");
    assert_eq!(run(Format::Xlsx, &encrypted), Err(ExtractError::Encrypted));
    assert_eq!(
        run(Format::Xlsx, &build::cfb_with_stream("Workbook")),
        Err(ExtractError::Unsupported)
    );
}

#[test]
fn sheet_row_cap() {
    let limits = Limits {
        max_sheet_rows: 2,
        ..Limits::default()
    };
    assert_eq!(
        extract_blocking(Format::Xlsx, &build::xlsx(), &limits),
        Err(ExtractError::TooLarge)
    );
    let csv = b"a,b\n1,2\n3,4\n";
    assert_eq!(
        extract_blocking(Format::Csv, csv, &limits),
        Err(ExtractError::TooLarge)
    );
}

#[test]
fn csv_with_bom_and_semicolons() {
    let csv = "\u{FEFF}Item;Price;Note\r\nCourt 1 peak;150000\r\n\"Court 2; indoor\";100000;\"off\npeak\"\r\n";
    assert_eq!(
        whole_text(Format::Csv, csv.as_bytes()),
        "Item | Price | Note\nItem: Court 1 peak; Price: 150000\n\
         Item: Court 2; indoor; Price: 100000; Note: off peak"
    );
}

#[test]
fn csv_in_latin_1_is_read_not_refused() {
    let csv = b"Caf\xE9,Prix\nCr\xE8me br\xFBl\xE9e,25000\n";
    assert_eq!(
        whole_text(Format::Csv, csv),
        "Café | Prix\nCafé: Crème brûlée; Prix: 25000"
    );
}

#[test]
fn txt_and_markdown_are_tidied() {
    let txt = b"\xEF\xBB\xBFHouse  rules\r\n\r\n\r\n\tNo\0 smoking.\r\nNo pets.\r\n";
    assert_eq!(
        whole_text(Format::Txt, txt),
        "House rules\n\nNo smoking.\nNo pets."
    );
    let md = "# Menu\n\n* Nasi goreng — 25.000\n* Es teh   manis\n";
    assert_eq!(
        whole_text(Format::Markdown, md.as_bytes()),
        "# Menu\n\n* Nasi goreng — 25.000\n* Es teh manis"
    );
    let latin1 = b"Men\xFA: caf\xE9 \x80 5";
    assert_eq!(whole_text(Format::Txt, latin1), "Menú: café € 5");
}

#[test]
fn binary_junk_named_txt_is_refused() {
    let junk: Vec<u8> = (0..2000u32).map(|i| (i % 7) as u8).collect();
    assert!(matches!(
        run(Format::Txt, &junk),
        Err(ExtractError::Corrupt(_))
    ));
}

#[test]
fn empty_and_blank_files() {
    for format in Format::ALL {
        let result = run(format, b"");
        match format {
            Format::Pdf | Format::Docx | Format::Xlsx => {
                assert!(
                    matches!(result, Err(ExtractError::Corrupt(_))),
                    "{format:?} {result:?}"
                )
            }
            _ => assert_eq!(result, Err(ExtractError::NoText), "{format:?}"),
        }
    }
    assert_eq!(run(Format::Txt, b" \r\n\t\n"), Err(ExtractError::NoText));
    assert_eq!(run(Format::Csv, b";;\n ; ;\n"), Err(ExtractError::NoText));
    assert_eq!(
        run(Format::Pdf, &build::pdf(&[&[], &[]])),
        Err(ExtractError::NoText)
    );
}

#[test]
fn character_cap_covers_all_sections() {
    let limits = Limits {
        max_chars: 30,
        ..Limits::default()
    };
    let long = "word ".repeat(20);
    assert_eq!(
        extract_blocking(Format::Txt, long.as_bytes(), &limits),
        Err(ExtractError::TooLarge)
    );
    assert_eq!(
        extract_blocking(Format::Pdf, &two_page_pdf(), &limits),
        Err(ExtractError::TooLarge)
    );
}

#[test]
fn detect_by_extension_then_content() {
    let pdf = two_page_pdf();
    let (docx, xlsx) = (build::docx(), build::xlsx());
    assert_eq!(Format::detect("Menu.PDF", b""), Some(Format::Pdf));
    assert_eq!(
        Format::detect("C:\\Users\\ani\\Rules.Docx", b""),
        Some(Format::Docx)
    );
    assert_eq!(Format::detect("prices.xlsx", b""), Some(Format::Xlsx));
    assert_eq!(Format::detect("prices.csv", b""), Some(Format::Csv));
    assert_eq!(Format::detect("notes.TXT", b""), Some(Format::Txt));
    assert_eq!(Format::detect("faq.md", b""), Some(Format::Markdown));
    assert_eq!(Format::detect("faq.markdown", b""), Some(Format::Markdown));
    assert_eq!(Format::detect("upload", &pdf), Some(Format::Pdf));
    assert_eq!(Format::detect("upload.bin", &docx), Some(Format::Docx));
    assert_eq!(Format::detect("", &xlsx), Some(Format::Xlsx));
    assert_eq!(
        Format::detect("old.doc", &build::cfb_with_stream("WordDocument")),
        None
    );
    assert_eq!(
        Format::detect("old.xls", &build::cfb_with_stream("Workbook")),
        None
    );
    assert_eq!(Format::detect("photo.jpg", b"\xFF\xD8\xFF\xE0"), None);
    let other_zip = build::zip(&[("a.txt".to_owned(), "a".to_owned())]);
    assert_eq!(Format::detect("archive.zip", &other_zip), None);
}

#[test]
fn names_labels_and_wire_forms() {
    for format in Format::ALL {
        assert_eq!(Format::parse(format.as_str()), Some(format));
        let json = serde_json::to_string(&format).expect("serializes");
        assert_eq!(json, format!("\"{}\"", format.as_str()));
    }
    assert_eq!(Format::parse("MD"), Some(Format::Markdown));
    assert_eq!(Format::parse("doc"), None);
    assert_eq!(Locator::Page(2).label(), "page 2");
    assert_eq!(Locator::Sheet("Prices".into()).label(), "sheet Prices");
    assert_eq!(Locator::Whole.label(), "");
    let json = serde_json::to_string(&Locator::Page(2)).expect("serializes");
    assert_eq!(json, r#"{"kind":"page","at":2}"#);
    let back: Locator = serde_json::from_str(r#"{"kind":"sheet","at":"Hours"}"#).expect("parses");
    assert_eq!(back, Locator::Sheet("Hours".into()));
    assert_eq!(
        ExtractError::Corrupt("PDF: it is cut short or its index is broken".into()).to_string(),
        "the file is damaged or not a real PDF: it is cut short or its index is broken"
    );
    assert_eq!(
        ExtractError::Encrypted.to_string(),
        "the file is password-protected; upload it without a password"
    );
}

#[tokio::test]
async fn async_extract_reads_off_the_runtime() {
    let bytes: Arc<[u8]> = two_page_pdf().into();
    let sections = extract(Format::Pdf, bytes, Limits::default())
        .await
        .expect("extracts");
    assert_eq!(sections.len(), 2);
}

#[tokio::test]
async fn async_extract_times_out_cleanly() {
    let pages: Vec<Vec<&str>> = (0..400)
        .map(|_| vec!["A page of rules", "and more rules"])
        .collect();
    let pages: Vec<&[&str]> = pages.iter().map(Vec::as_slice).collect();
    let bytes: Arc<[u8]> = build::pdf(&pages).into();
    let limits = Limits {
        timeout: Duration::from_millis(1),
        ..Limits::default()
    };
    let started = Instant::now();
    assert_eq!(
        extract(Format::Pdf, bytes, limits).await,
        Err(ExtractError::TimedOut)
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn blocking_extract_checks_the_deadline_too() {
    let limits = Limits {
        timeout: Duration::ZERO,
        ..Limits::default()
    };
    assert_eq!(
        extract_blocking(Format::Pdf, &two_page_pdf(), &limits),
        Err(ExtractError::TimedOut)
    );
}

#[test]
fn mutated_files_never_panic_out_or_hang() {
    let cases = mutate::corpus(&two_page_pdf());
    let limits = Limits {
        timeout: Duration::from_secs(10),
        ..Limits::default()
    };
    let mut outcomes = std::collections::BTreeMap::<String, usize>::new();
    let mut slowest = Duration::ZERO;
    let started = Instant::now();
    for (index, (format, bytes)) in cases.iter().enumerate() {
        mutate::trace(index, *format, bytes);
        let one = Instant::now();
        let result = extract_blocking(*format, bytes, &limits);
        slowest = slowest.max(one.elapsed());
        let outcome = match result {
            Ok(_) => "ok".to_owned(),
            Err(ExtractError::Corrupt(reason)) => format!("corrupt ({reason})"),
            Err(other) => format!("{other:?}"),
        };
        *outcomes
            .entry(format!("{format:?}: {outcome}"))
            .or_default() += 1;
    }
    eprintln!(
        "{} mutated files in {:?}, slowest {slowest:?}: {outcomes:#?}",
        cases.len(),
        started.elapsed()
    );
    assert!(slowest < Duration::from_secs(10), "slowest {slowest:?}");
}
