//! The WhatsApp Cloud API channel: the webhook Meta posts to (this
//! module's [`webhook`]), the sender, the media downloader, the template
//! list's reader, and what they need from the configuration.

pub mod media;
pub mod sender;
pub mod templates;
pub mod webhook;
pub mod worker;

use crate::config::Secret;

/// What the WhatsApp routes need from the configuration.
#[derive(Debug, Clone, Default)]
pub struct WhatsappSettings {
    /// The Meta app's secret that signs webhooks; without it every POST is
    /// refused (503), since nothing could be told apart from a forgery.
    pub app_secret: Option<Secret>,
    /// What Meta presents to subscribe the webhook.
    pub verify_token: Option<Secret>,
    /// Wakes the inbound worker when the webhook stored something.
    pub wake: std::sync::Arc<tokio::sync::Notify>,
}
