//! DNS rebinding guard. A web page on a domain the attacker controls can make that domain
//! resolve to 127.0.0.1 and then read the mock (its admin API lists every client's
//! secrets) from the browser; such requests carry the attacker's domain in `Host`. Only
//! `localhost` and IP literals are served.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::StatusCode;

pub(crate) async fn only_local_names(request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if allowed(host) {
        next.run(request).await
    } else {
        (
            StatusCode::MISDIRECTED_REQUEST,
            "this mock provider answers only to localhost and IP addresses (DNS rebinding guard)\n",
        )
            .into_response()
    }
}

fn allowed(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        // [::1]:port
        Some(rest) => {
            return rest
                .split(']')
                .next()
                .is_some_and(|ip| ip.parse::<std::net::Ipv6Addr>().is_ok())
        }
        None => host.rsplit_once(':').map_or(host, |(name, port)| {
            if port.chars().all(|c| c.is_ascii_digit()) {
                name
            } else {
                host
            }
        }),
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::Ipv4Addr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::allowed;

    #[test]
    fn local_names_and_addresses_only() {
        for ok in [
            "127.0.0.1:9400",
            "localhost:9400",
            "LOCALHOST",
            "[::1]:9400",
            "192.168.1.5:9400",
        ] {
            assert!(allowed(ok), "{ok}");
        }
        for refused in [
            "evil.example:9400",
            "localhost.evil.example:9400",
            "",
            "127.0.0.1.nip.io:9400",
        ] {
            assert!(!allowed(refused), "{refused}");
        }
    }
}
