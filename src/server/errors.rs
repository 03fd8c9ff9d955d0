//! Errors of the HTTP API as JSON, `{"error": {"code", "message"}}`, with the status that says
//! whose fault it is. A query the library refuses is the client's (400), never a 500; a cluster
//! that fails is a 502; what is the server's is logged in full and answered without paths.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// An error answered to a client.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    /// Stable, for programs: `bad_request`, `not_found`, `unauthorized`…
    pub code: &'static str,
    /// For people; never a path of the server's disk.
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// The server's fault: the whole chain goes to the log, the client gets one line.
    pub fn internal(err: &aes_search::Error) -> ApiError {
        eprintln!("aes-search: {}", chain(err));
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server could not answer (see its log)",
        )
    }
}

impl From<aes_search::Error> for ApiError {
    fn from(err: aes_search::Error) -> ApiError {
        use aes_search::Error;
        match err {
            Error::EmptyQuery => Self::new(StatusCode::BAD_REQUEST, "empty_query", err.to_string()),
            Error::QueryTooLong(_) => {
                Self::new(StatusCode::BAD_REQUEST, "query_too_long", err.to_string())
            }
            Error::Locked { pid, .. } => Self::new(
                StatusCode::CONFLICT,
                "sync_running",
                match pid {
                    Some(pid) => format!(
                        "the index is being updated by another process (pid {pid}); \
                         try again when it is done"
                    ),
                    None => "the index is being updated by another process; \
                             try again when it is done"
                        .to_string(),
                },
            ),
            // The cluster's address and reasons are the server's business: logged, not sent.
            Error::Cluster { .. } => {
                eprintln!("aes-search: {}", chain(&err));
                Self::new(
                    StatusCode::BAD_GATEWAY,
                    "cluster_unavailable",
                    "the search cluster could not answer (see the server's log)",
                )
            }
            other => Self::internal(&other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code, "message": self.message}});
        (self.status, Json(body)).into_response()
    }
}

/// An error and its causes on one line.
pub fn chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    message
}
