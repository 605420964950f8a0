//! A pre-flight check of a DOCX/XLSX zip package before the real reader
//! sees it.
//!
//! Two reasons, both found while testing:
//! * docx-rs loops forever when an XML part ends before the element one of
//!   its readers waits for is closed (the readers ignore the end-of-document
//!   event and keep asking for the next one). A DOCX with a truncated
//!   `word/document.xml`, or a `word/styles.xml` whose root is not
//!   `<w:styles>`, hangs a thread at 100 % CPU. Checking that every XML part
//!   is well-formed, and that the parts named in `roots` have the expected
//!   root element, turns that into a clean [`ExtractError::Corrupt`].
//! * The readers inflate parts into memory, so a small "zip bomb" upload
//!   could exhaust it. Every part is streamed here under a cap on the total
//!   unpacked size ([`MAX_UNPACKED_BYTES`]) first.
//!
//! The check streams each part once and keeps nothing, so it costs a
//! fraction of the real parse.

use std::io::{BufReader, Cursor, Read};

use quick_xml::events::Event;
use zip::result::ZipError;

use super::{Budget, ExtractError};

/// The most bytes a package may unpack to, all parts together. Real venue
/// documents unpack to a few megabytes; a sheet at the 20 000-row cap to a
/// few tens.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

/// Checks that `bytes` is a readable zip whose XML parts are well-formed and
/// whose parts unpack to at most [`MAX_UNPACKED_BYTES`]. `roots` pairs a
/// part's file name (any folder) with the local name its root element must
/// have. `kind` names the format in error messages ("DOCX").
pub(super) fn check(
    bytes: &[u8],
    kind: &str,
    roots: &[(&str, &str)],
    budget: &Budget,
) -> Result<(), ExtractError> {
    let corrupt = |reason: &str| ExtractError::Corrupt(format!("{kind}: {reason}"));
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|error| {
        tracing::debug!(%error, "not a zip package");
        corrupt("it is not a valid zip package")
    })?;
    let mut left = MAX_UNPACKED_BYTES;
    for index in 0..archive.len() {
        budget.check_time()?;
        let entry = archive.by_index(index).map_err(|error| match error {
            ZipError::UnsupportedArchive(ZipError::PASSWORD_REQUIRED) => ExtractError::Encrypted,
            error => {
                tracing::debug!(%error, "unreadable zip entry");
                corrupt("a part of it can't be unpacked")
            }
        })?;
        if entry.is_dir() {
            continue;
        }
        let name = entry
            .name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        let is_xml = name.ends_with(".xml") || name.ends_with(".rels");
        let file_name = name.rsplit('/').next().unwrap_or_default();
        let root = roots
            .iter()
            .find(|(part, _)| *part == file_name)
            .map(|r| r.1);
        let mut capped = Capped {
            inner: entry,
            left,
            over: false,
        };
        let outcome = if is_xml {
            well_formed(&mut capped).and_then(|found| match root {
                Some(expected) if expected != found => Err(format!("root <{found}> in {name}")),
                _ => Ok(()),
            })
        } else {
            std::io::copy(&mut capped, &mut std::io::sink())
                .map(|_| ())
                .map_err(|e| e.to_string())
        };
        if capped.over {
            return Err(ExtractError::TooLarge);
        }
        if let Err(error) = outcome {
            tracing::debug!(%error, "damaged zip part");
            return Err(corrupt(if is_xml {
                "one of its parts is cut short or malformed"
            } else {
                "a part of it can't be unpacked"
            }));
        }
        left = capped.left;
    }
    Ok(())
}

/// How deep XML elements may nest in a DOCX or XLSX part.
const MAX_XML_DEPTH: usize = 128;

/// Parses one XML part to its end: tags must be balanced and properly
/// nested, with one root element, whose local name is returned.
fn well_formed(part: &mut impl Read) -> Result<String, String> {
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(part));
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut root: Option<String> = None;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                if depth == 0 {
                    set_root(&mut root, e.local_name().as_ref())?;
                }
                depth += 1;
                // docx-rs reads nested tables by recursion: a document
                // nesting thousands deep overflows the stack, which no
                // `catch_unwind` can catch. Real documents nest a few
                // dozen levels at most.
                if depth > MAX_XML_DEPTH {
                    return Err(format!("elements nested over {MAX_XML_DEPTH} deep"));
                }
            }
            Ok(Event::Empty(e)) if depth == 0 => set_root(&mut root, e.local_name().as_ref())?,
            Ok(Event::End(_)) => {
                depth = depth.checked_sub(1).ok_or("end tag without a start")?;
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(error) => return Err(error.to_string()),
        }
        buf.clear();
    }
    match (depth, root) {
        (0, Some(root)) => Ok(root),
        (0, None) => Err("no elements".into()),
        _ => Err("unclosed elements at the end".into()),
    }
}

fn set_root(root: &mut Option<String>, name: &str) -> Result<(), String> {
    if root.is_some() {
        return Err("more than one root element".into());
    }
    *root = Some(name.to_owned());
    Ok(())
}

/// A reader that fails once more than `left` bytes have come through it,
/// and remembers that it did.
struct Capped<R> {
    inner: R,
    left: u64,
    over: bool,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // One byte past the cap proves the part is larger.
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? == 0 {
                return Ok(0);
            }
            self.over = true;
            return Err(std::io::Error::other("unpacked size cap reached"));
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_must_be_closed_and_nested() {
        let check = |s: &str| well_formed(&mut s.as_bytes());
        assert_eq!(
            check("<?xml version=\"1.0\"?><w:a><b/><c>t</c></w:a>"),
            Ok("a".into())
        );
        assert!(check("<a/><b/>").is_err());
        assert!(check("<a><b></a>").is_err());
        assert!(check("<a><b>").is_err());
        assert!(check("").is_err());
    }

    #[test]
    fn capped_reader_notices_the_cap() {
        let mut capped = Capped {
            inner: &b"0123456789"[..],
            left: 4,
            over: false,
        };
        let mut out = Vec::new();
        assert!(capped.read_to_end(&mut out).is_err());
        assert!(capped.over);
        let mut exact = Capped {
            inner: &b"0123"[..],
            left: 4,
            over: false,
        };
        assert!(exact.read_to_end(&mut out).is_ok());
        assert!(!exact.over);
    }
}
