//! Timestamps for people. JSON keeps the core's Unix seconds, which scripts compare
//! without parsing; tables show RFC 3339 in UTC.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

pub fn timestamp(secs: i64) -> String {
    OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| secs.to_string())
}

pub fn optional(secs: Option<i64>, none: &str) -> String {
    secs.map(timestamp).unwrap_or_else(|| none.to_string())
}

/// `client_secret_expires_at`: RFC 7591 says 0 means it never expires.
pub fn secret_expiry(secs: Option<i64>) -> String {
    match secs {
        None => "-".into(),
        Some(0) => "never".into(),
        Some(t) => timestamp(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_and_the_rfc_7591_never() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(secret_expiry(Some(0)), "never");
        assert_eq!(secret_expiry(None), "-");
        assert_eq!(optional(Some(86_400), "-"), "1970-01-02T00:00:00Z");
    }
}
