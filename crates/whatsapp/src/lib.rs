//! Meta's WhatsApp Cloud API, as Pesan speaks it, without I/O: verifying a
//! webhook's signature, reading its payload into typed events, deciding
//! what a Graph API error means for the message that got it, reading the
//! account's message templates, and sealing a number's access token for
//! storage. The server and the workers do the
//! I/O; everything here is pure and unit-tested against Meta's documented
//! shapes.

pub mod errors;
pub mod reply;
pub mod seal;
pub mod send;
pub mod signature;
pub mod templates;
pub mod webhook;
