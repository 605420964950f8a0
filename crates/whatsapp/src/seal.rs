//! Access tokens at rest. A WhatsApp number's token lets whoever holds it
//! message every customer of the venue, so the database holds it sealed
//! with XChaCha20-Poly1305 under a key that is not in the database
//! (`PESAN_SECRET_KEY`, or a key file beside an embedded database). The
//! row's identity is bound in as associated data, so a sealed token copied
//! onto another tenant's row does not open.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use std::fmt;

/// The prefix of every sealed value: the scheme, so a later one can be
/// told apart.
const VERSION: &str = "v1:";
const NONCE_BYTES: usize = 24;

/// 32 bytes of key. `Debug` never shows them.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

/// Why a key or a sealed value could not be used. Never carries the
/// secret itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("the secret key must be 64 hexadecimal characters (32 bytes)")]
    BadKey,
    #[error("the sealed value is damaged or was sealed under another key")]
    CannotOpen,
}

impl SecretKey {
    /// A key written as 64 hex characters (surrounding blanks ignored).
    pub fn from_hex(text: &str) -> Result<SecretKey, SealError> {
        let bytes = hex::decode(text.trim()).map_err(|_| SealError::BadKey)?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| SealError::BadKey)?;
        Ok(SecretKey(bytes))
    }

    /// A new random key from the operating system.
    pub fn generate() -> SecretKey {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        SecretKey(bytes)
    }

    /// The key as 64 hex characters, for writing a key file.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Seals `secret`, bound to `context` (what the row is, for example
    /// `whatsapp_numbers/1122334455667`).
    pub fn seal(&self, secret: &str, context: &str) -> String {
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let payload = Payload {
            msg: secret.as_bytes(),
            aad: context.as_bytes(),
        };
        // Encryption fails only for messages of gigabytes.
        let sealed = cipher
            .encrypt(XNonce::from_slice(&nonce), payload)
            .unwrap_or_default();
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        format!("{VERSION}{}", hex::encode(bytes))
    }

    /// The secret sealed under this key and `context`.
    pub fn open(&self, sealed: &str, context: &str) -> Result<String, SealError> {
        let bytes = sealed
            .strip_prefix(VERSION)
            .and_then(|h| hex::decode(h).ok())
            .filter(|b| b.len() > NONCE_BYTES)
            .ok_or(SealError::CannotOpen)?;
        let (nonce, body) = bytes.split_at(NONCE_BYTES);
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        let plain = cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| SealError::CannotOpen)?;
        String::from_utf8(plain).map_err(|_| SealError::CannotOpen)
    }
}

/// The visible end of a token, for a dashboard or a CLI to show which one
/// is stored without showing it (`…3f9a`).
pub fn hint(secret: &str) -> String {
    let tail: String = secret
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if secret.chars().count() <= 8 {
        "…".to_string()
    } else {
        format!("…{tail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_tokens_open_only_with_their_key_and_context() {
        let key = SecretKey::generate();
        let sealed = key.seal("EAAG-token-123", "whatsapp_numbers/1");
        assert!(!sealed.contains("EAAG"));
        assert_eq!(
            key.open(&sealed, "whatsapp_numbers/1").as_deref(),
            Ok("EAAG-token-123")
        );
        // Another row, another key, a flipped byte, garbage.
        assert_eq!(
            key.open(&sealed, "whatsapp_numbers/2"),
            Err(SealError::CannotOpen)
        );
        assert_eq!(
            SecretKey::generate().open(&sealed, "whatsapp_numbers/1"),
            Err(SealError::CannotOpen)
        );
        let mut damaged = sealed.clone().into_bytes();
        let last = damaged.len() - 1;
        damaged[last] = if damaged[last] == b'0' { b'1' } else { b'0' };
        let damaged = String::from_utf8(damaged).expect("hex");
        assert_eq!(
            key.open(&damaged, "whatsapp_numbers/1"),
            Err(SealError::CannotOpen)
        );
        assert_eq!(
            key.open("v1:00", "whatsapp_numbers/1"),
            Err(SealError::CannotOpen)
        );
        assert_eq!(
            key.open("EAAG-token-123", "whatsapp_numbers/1"),
            Err(SealError::CannotOpen)
        );
        // Two seals of one token differ (a fresh nonce each time).
        assert_ne!(sealed, key.seal("EAAG-token-123", "whatsapp_numbers/1"));
    }

    #[test]
    fn keys_are_64_hex_characters_and_never_printed() {
        let key = SecretKey::generate();
        let again = SecretKey::from_hex(&format!(" {}\n", key.to_hex())).expect("a key");
        let sealed = key.seal("t", "c");
        assert_eq!(again.open(&sealed, "c").as_deref(), Ok("t"));
        assert_eq!(SecretKey::from_hex("abcd").err(), Some(SealError::BadKey));
        assert_eq!(
            SecretKey::from_hex(&"zz".repeat(32)).err(),
            Some(SealError::BadKey)
        );
        assert_eq!(format!("{key:?}"), "SecretKey(***)");
    }

    #[test]
    fn hints_show_four_characters_at_most() {
        assert_eq!(hint("EAAGabcdefgh1234"), "…1234");
        assert_eq!(hint("short"), "…");
    }
}
