//! The HTTP history, already redacted by the core: a table of exchanges, or each one in
//! full with headers and bodies (`history --full`) for support work.

use super::table::{self, or_dash};
use super::time::timestamp;
use super::Human;
use registrar_core::Exchange;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct ExchangeView {
    pub id: i64,
    pub at: i64,
    pub profile: Option<String>,
    pub client_id: Option<String>,
    pub operation: String,
    pub method: String,
    pub url: String,
    /// The HTTP status; absent when no answer came (see `error`).
    pub status: Option<u16>,
    pub duration_ms: u64,
    pub error: Option<String>,
    pub request_headers: Vec<(String, String)>,
    pub request_body: Option<String>,
    pub response_headers: Vec<(String, String)>,
    pub response_body: Option<String>,
}

impl ExchangeView {
    pub fn new(e: Exchange, profile: Option<String>) -> Self {
        Self {
            id: e.id,
            at: e.at,
            profile,
            client_id: e.client_id,
            operation: e.operation,
            method: e.method,
            url: e.url,
            status: e.status,
            duration_ms: e.duration_ms,
            error: e.error,
            request_headers: e.request_headers,
            request_body: e.request_body,
            response_headers: e.response_headers,
            response_body: e.response_body,
        }
    }

    fn status_text(&self) -> String {
        self.status.map(|s| s.to_string()).unwrap_or_else(|| "-".into())
    }

    fn full(&self) -> String {
        let mut out = format!(
            "#{} {} {} {} {} \u{2192} {} ({} ms)\n",
            self.id,
            timestamp(self.at),
            self.operation,
            self.method,
            self.url,
            self.status_text(),
            self.duration_ms
        );
        if let Some(error) = &self.error {
            out.push_str(&format!("error: {error}\n"));
        }
        for (name, headers, body) in [
            ("request", &self.request_headers, &self.request_body),
            ("response", &self.response_headers, &self.response_body),
        ] {
            out.push_str(&format!("-- {name}\n"));
            for (k, v) in headers {
                out.push_str(&format!("{k}: {v}\n"));
            }
            if let Some(body) = body {
                out.push('\n');
                out.push_str(body);
                out.push('\n');
            }
        }
        out
    }
}

#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct Exchanges {
    pub items: Vec<ExchangeView>,
    #[serde(skip)]
    pub full: bool,
}

impl Human for Exchanges {
    fn human(&self) -> String {
        if self.items.is_empty() {
            return "No exchanges recorded.".into();
        }
        if self.full {
            return self.items.iter().map(ExchangeView::full).collect::<Vec<_>>().join("\n");
        }
        let mut t = table::list(&[
            "id",
            "time",
            "profile",
            "client_id",
            "operation",
            "status",
            "ms",
            "url / error",
        ]);
        for e in &self.items {
            let target = match &e.error {
                Some(error) => error.clone(),
                None => format!("{} {}", e.method, e.url),
            };
            t.add_row(vec![
                e.id.to_string(),
                timestamp(e.at),
                or_dash(e.profile.as_deref()),
                or_dash(e.client_id.as_deref()),
                e.operation.clone(),
                e.status_text(),
                e.duration_ms.to_string(),
                target,
            ]);
        }
        t.to_string()
    }
}
