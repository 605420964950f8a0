//! The one error type of server functions, shared by both sides so the
//! browser can show the right message and the server the right status.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What a server function can fail with, phrased for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// No live session: sign in again (401).
    #[error("Your session has ended. Please sign in again.")]
    Unauthorized,
    /// Not this tenant's, or does not exist (404): the two look the same.
    #[error("Not found.")]
    NotFound,
    /// The role may not do this (403).
    #[error("Your role does not allow this.")]
    Forbidden,
    /// Input refused, with the reason (400).
    #[error("{0}")]
    Invalid(String),
    /// The booking service refused (a taken slot, a broken rule, a late
    /// change…), with its stable code and the HTTP status the REST API
    /// gives the same refusal.
    #[error("{message}")]
    Refused {
        code: String,
        status: u16,
        message: String,
    },
    /// A failure on our side; details are in the server log, not here (500).
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// The request did not reach the function (network, encoding).
    #[error("Could not reach the server: {0}")]
    Transport(String),
}

impl AppError {
    /// The stable code of a booking refusal (`slot_taken`…), if it is one.
    pub fn code(&self) -> Option<&str> {
        match self {
            AppError::Refused { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The HTTP status a client sees for this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::NotFound => 404,
            AppError::Forbidden => 403,
            AppError::Invalid(_) => 400,
            AppError::Refused { status, .. } => *status,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::Deserialization(message) => {
                AppError::Invalid(format!("Bad request: {message}"))
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}
