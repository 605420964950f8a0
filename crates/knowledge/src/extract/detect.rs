//! Recognising a file's format from its name or its first bytes, and the
//! signatures the readers check before parsing.

use super::Format;

/// The format named by the file's extension, if it is one we read.
pub(super) fn by_extension(file_name: &str) -> Option<Format> {
    // Browsers send bare names, but a Windows path can slip through.
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let (_, ext) = base.trim().rsplit_once('.')?;
    match ext.to_ascii_lowercase().as_str() {
        "pdf" => Some(Format::Pdf),
        "docx" => Some(Format::Docx),
        "xlsx" => Some(Format::Xlsx),
        "csv" => Some(Format::Csv),
        "txt" => Some(Format::Txt),
        "md" | "markdown" => Some(Format::Markdown),
        _ => None,
    }
}

/// The format given away by the bytes themselves: a PDF header, or an
/// Office Open XML zip whose main part names the application.
pub(super) fn by_content(bytes: &[u8]) -> Option<Format> {
    if is_pdf(bytes) {
        return Some(Format::Pdf);
    }
    if bytes.starts_with(ZIP_MAGIC) {
        // Entry names are stored uncompressed in the local headers and the
        // central directory, so a byte search finds them without unzipping.
        if contains(bytes, b"word/document.xml") {
            return Some(Format::Docx);
        }
        if contains(bytes, b"xl/workbook.xml") {
            return Some(Format::Xlsx);
        }
    }
    None
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// OLE2 / Compound File Binary: what Office writes for a password-protected
/// DOCX or XLSX, and also the container of the legacy `.doc` and `.xls`.
const CFB_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// PDF readers accept the header anywhere in the first 1024 bytes.
fn is_pdf(bytes: &[u8]) -> bool {
    contains(&bytes[..bytes.len().min(1024)], b"%PDF-")
}

/// What a CFB container named `.docx`/`.xlsx` really is.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Compound {
    /// Not a CFB file: go on with the zip reader.
    No,
    /// An encrypted Office Open XML package (or a CFB we can't tell apart).
    Encrypted,
    /// A legacy binary `.doc`/`.xls` given a new extension.
    Legacy,
}

/// Tells an encrypted Office file from a renamed legacy one by the stream
/// names in the CFB directory (UTF-16LE): `EncryptionInfo` vs `WordDocument`
/// or `Workbook`/`Book`. Unknown CFB files count as encrypted, the common case.
pub(super) fn compound(bytes: &[u8]) -> Compound {
    if !bytes.starts_with(CFB_MAGIC) {
        return Compound::No;
    }
    let has = |name: &str| {
        let utf16: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        contains(bytes, &utf16)
    };
    if has("EncryptionInfo") || has("EncryptedPackage") {
        Compound::Encrypted
    } else if has("WordDocument") || has("Workbook") || has("Book\0") {
        Compound::Legacy
    } else {
        Compound::Encrypted
    }
}

pub(super) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}
