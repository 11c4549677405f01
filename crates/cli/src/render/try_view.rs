//! The result of trying a client: the grant, the tokens explained (redacted unless asked),
//! the ID token's checks, what the follow-up actions answered, and the HTTP exchanges.

use super::Human;
use registrar_core::tokens::{CheckOutcome, TokenView};
use registrar_core::{TokenChoice, TryReport};
use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt::Write;

#[derive(Debug, Serialize)]
pub struct TryView {
    pub profile: String,
    /// The report names the client (`client_id`), once.
    #[serde(flatten)]
    pub report: TryReport,
    #[serde(flatten)]
    pub actions: TryActions,
}

/// What the follow-up actions of `registrar try` answered.
#[derive(Debug, Default, Serialize)]
pub struct TryActions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh: Option<TryReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub introspection: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub userinfo: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked: Option<Vec<TokenChoice>>,
    /// With --call-resource (and `connect`): what the protected resource answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<registrar_core::ResourceAnswer>,
    /// Only with --show-tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokens: Option<ShownTokens>,
}

/// The tokens themselves, printed because the user asked.
#[derive(Debug, Serialize)]
pub struct ShownTokens {
    pub access_token: Option<String>,
    pub id_token: Option<String>,
    pub refresh_token: Option<String>,
}

impl Human for TryView {
    fn human(&self) -> String {
        let mut out = String::new();
        let r = &self.report;
        let _ = writeln!(out, "Client {} works: {}", r.client_id, summary(r));
        explain(&mut out, r);
        if let Some(refresh) = &self.actions.refresh {
            let rotation = match refresh.refresh_token_rotated {
                Some(true) => "the refresh token rotated (a new one came back)",
                _ => "the refresh token did not rotate (the same one stays in use)",
            };
            let _ = writeln!(out, "\nRefresh: {}; {rotation}.", summary(refresh));
            explain(&mut out, refresh);
        }
        if let Some(map) = &self.actions.introspection {
            let _ = writeln!(out, "\nIntrospection of the access token:");
            fields(&mut out, map);
        }
        if let Some(answer) = &self.actions.resource {
            let _ = write!(out, "\n{}", super::ResourceAnswerView(answer.clone()).human());
        }
        if let Some(map) = &self.actions.userinfo {
            let _ = writeln!(out, "\nUserinfo:");
            fields(&mut out, map);
        }
        if let Some(revoked) = &self.actions.revoked {
            let names: Vec<&str> = revoked
                .iter()
                .map(|t| match t {
                    TokenChoice::AccessToken => "access token",
                    TokenChoice::RefreshToken => "refresh token",
                })
                .collect();
            let _ = writeln!(
                out,
                "\nRevoked: {}.",
                if names.is_empty() {
                    "nothing".into()
                } else {
                    names.join(", ")
                }
            );
        }
        if let Some(tokens) = &self.actions.tokens {
            let _ = writeln!(out, "\nTokens (secrets, shown because --show-tokens asked):");
            for (name, value) in [
                ("access_token", &tokens.access_token),
                ("id_token", &tokens.id_token),
                ("refresh_token", &tokens.refresh_token),
            ] {
                if let Some(value) = value {
                    let _ = writeln!(out, "  {name}: {value}");
                }
            }
        }
        out
    }
}

fn summary(r: &TryReport) -> String {
    let expires = r
        .expires_in_secs
        .map(|s| format!(", valid for {s} s"))
        .unwrap_or_default();
    let scope = r
        .scope
        .as_deref()
        .map(|s| format!(", scope \"{s}\""))
        .unwrap_or_default();
    format!(
        "{} at {} gave a {} token{expires}{scope}.",
        r.grant_type, r.token_endpoint, r.token_type
    )
}

fn explain(out: &mut String, r: &TryReport) {
    let e = &r.explanation;
    for (name, view) in [
        ("Access token", &e.access_token),
        ("ID token", &e.id_token),
        ("Refresh token", &e.refresh_token),
    ] {
        if let Some(view) = view {
            token(out, name, view);
        }
    }
    if let Some(cert) = &r.presented_certificate {
        let _ = writeln!(
            out,
            "Client certificate (mutual TLS): {}, x5t#S256 {} (a bound token's cnf carries it)",
            cert.subject_dn, cert.x5t_s256
        );
    }
    if !r.exchanges.is_empty() {
        let _ = writeln!(out, "Exchanges:");
        for x in &r.exchanges {
            let status = x.status.map_or_else(|| "no answer".to_string(), |s| s.to_string());
            let _ = writeln!(out, "  {} {} → {status} ({} ms)", x.method, x.url, x.duration_ms);
        }
    }
}

fn token(out: &mut String, name: &str, view: &TokenView) {
    let kind = serde_json::to_value(view.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let _ = writeln!(out, "{name}: {kind}, {}", view.preview);
    if let Some(header) = &view.header {
        let alg = header.alg.as_deref().unwrap_or("?");
        let kid = header.kid.as_deref().map(|k| format!(", kid {k}")).unwrap_or_default();
        let _ = writeln!(out, "  header: alg {alg}{kid}");
    }
    if let Some(claims) = &view.claims {
        let _ = writeln!(out, "  claims:");
        for (k, v) in claims {
            let when = view
                .times
                .iter()
                .find(|t| &t.claim == k)
                .map(|t| {
                    format!(
                        " ({}{})",
                        t.date.as_deref().map(|d| format!("{d}, ")).unwrap_or_default(),
                        t.relative
                    )
                })
                .unwrap_or_default();
            let _ = writeln!(out, "    {k}: {}{when}", compact(v));
        }
    }
    if !view.checks.is_empty() {
        let _ = writeln!(out, "  checks:");
        for c in &view.checks {
            let mark = match c.outcome {
                CheckOutcome::Passed => "passed",
                CheckOutcome::Failed => "FAILED",
                CheckOutcome::Skipped => "skipped",
            };
            let _ = writeln!(out, "    {mark:<7} {}: {}", c.name, c.detail);
        }
    }
    for note in &view.notes {
        let _ = writeln!(out, "  note: {note}");
    }
}

fn fields(out: &mut String, map: &Map<String, Value>) {
    for (k, v) in map {
        let _ = writeln!(out, "  {k}: {}", compact(v));
    }
}

fn compact(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
