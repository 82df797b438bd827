//! What the API answers when it cannot do what was asked: a status that says why, the
//! field at fault (a JSON path into the request, or an HTTP header or parameter), and a
//! sentence.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub field: Option<String>,
    pub message: String,
    pub retry_after: Option<u64>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, field: Option<&str>, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            field: field.map(str::to_string),
            message: message.into(),
            retry_after: None,
        }
    }
    /// 400: the request is wrong at `field`.
    pub fn bad(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, Some(field), message)
    }
    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            Some("Authorization"),
            message.into(),
        )
    }
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, None, message)
    }
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, None, message)
    }
    pub fn conflict(field: Option<&str>, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, field, message)
    }
    pub fn too_large(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, None, message)
    }
    /// 503: the server could not do it now (the database is unreachable…); nothing was
    /// stored, and the same request may be sent again.
    pub fn unavailable(what: impl std::fmt::Display) -> ApiError {
        eprintln!("serve: {what}");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            None,
            "the review database is unavailable; nothing was stored — send it again",
        )
    }
    /// A message with `field: ` in front, as the tests and clients read it.
    pub fn text(&self) -> String {
        match &self.field {
            Some(f) => format!("{f}: {}", self.message),
            None => self.message.clone(),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> ApiError {
        ApiError::unavailable(e)
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> ApiError {
        ApiError::unavailable(format!("{e:#}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "error": {
                "status": self.status.as_u16(),
                "field": self.field,
                "message": self.message,
                "text": self.text(),
            }
        });
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(s) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        response
    }
}
