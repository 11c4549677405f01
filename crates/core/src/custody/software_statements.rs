//! Software statements (RFC 7591 §2.3; Open Banking's SSA): kept per profile, decoded,
//! checked against a directory's JWK Set, refused once expired, and — for testing — signed
//! by a local "directory" key in custody.

use super::keys::now;
use crate::error::{Error, Result};
use crate::http::{HttpRequest, Transport};
use crate::ops::{CallInfo, CallKind, Registrar};
use crate::secret::Secret;
use crate::store::custody::SsaRow;
use crate::tokens::times;
use crate::ProfileId;
use registrar_keys::{jws, Alg};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The claims of a software statement people look for, read from any of the names the
/// RFC and Open Banking use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct SsaClaims {
    /// `iss`: the directory (or whoever signed it).
    pub issuer: Option<String>,
    /// `software_id`.
    pub software_id: Option<String>,
    /// `software_client_name` or `client_name`.
    pub client_name: Option<String>,
    /// `org_id` (Open Banking).
    pub org_id: Option<String>,
    /// `software_redirect_uris` or `redirect_uris`.
    pub redirect_uris: Vec<String>,
    /// `software_jwks_endpoint` or `jwks_uri`.
    pub jwks_uri: Option<String>,
    /// `iat`.
    pub issued_at: Option<i64>,
    /// `exp`; many directories issue SSAs with none.
    pub expires_at: Option<i64>,
}

/// Whether the signature verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum SignatureCheck {
    /// It verified with this key of the JWK Set named.
    Valid {
        /// The key that verified it.
        kid: Option<String>,
    },
    /// It did not verify, and why.
    Invalid {
        /// Why, in words.
        reason: String,
    },
    /// No JWK Set was named to check it against.
    NotChecked,
}

/// A software statement read: its header, claims, times, signature and problems.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct SsaInspection {
    /// The JWS header (`alg`, `kid`, `typ`).
    pub header: Value,
    /// Every claim, as signed.
    pub claims: Value,
    /// The claims people look for.
    pub summary: SsaClaims,
    /// The signature against the JWK Set named.
    pub signature: SignatureCheck,
    /// Whether `exp` has passed.
    pub expired: bool,
    /// Its times relative to now ("expires in 4 min").
    pub times: Vec<String>,
    /// What would make a provider refuse it, in words.
    pub problems: Vec<String>,
}

/// A software statement a profile keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct SoftwareStatement {
    /// The name it is kept under in the profile.
    pub label: String,
    /// Where it came from: `pasted`, `file:…`, `url:…`, `signed locally`.
    pub source: String,
    /// When it was kept (seconds since the epoch).
    pub kept_at: i64,
    /// The JWT itself.
    pub jwt: String,
    /// What it says (signature not checked; see [`Registrar::inspect_software_statement`]).
    pub inspection: SsaInspection,
}

/// Reads a software statement and checks it: its signature against `jwks` when given,
/// its times against now. An error only when it is not a JWS at all.
pub fn inspect(jwt: &str, jwks: Option<&Value>) -> Result<SsaInspection> {
    let read = jws::peek(jwt).map_err(|e| Error::field("software_statement", e.to_string()))?;
    let t = now();
    let claims = read.claims.clone();
    let text = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| claims.get(*n).and_then(Value::as_str))
            .map(str::to_string)
    };
    let list = |names: &[&str]| -> Vec<String> {
        names
            .iter()
            .find_map(|n| claims.get(*n).and_then(Value::as_array))
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default()
    };
    let summary = SsaClaims {
        issuer: text(&["iss"]),
        software_id: text(&["software_id"]),
        client_name: text(&["software_client_name", "client_name"]),
        org_id: text(&["org_id"]),
        redirect_uris: list(&["software_redirect_uris", "redirect_uris"]),
        jwks_uri: text(&["software_jwks_endpoint", "jwks_uri"]),
        issued_at: claims.get("iat").and_then(times::numeric_date),
        expires_at: claims.get("exp").and_then(times::numeric_date),
    };
    let mut problems = Vec::new();
    let expired = summary.expires_at.is_some_and(|exp| exp <= t);
    if let Some(exp) = summary.expires_at.filter(|_| expired) {
        problems.push(format!(
            "it {} ({}): providers refuse an expired software statement",
            times::relative("exp", exp, t),
            times::rfc3339(exp).unwrap_or_default()
        ));
    }
    if summary.issuer.is_none() {
        problems.push("it has no `iss`: a provider cannot tell which directory issued it".into());
    }
    if read.alg() == Some("none") {
        problems.push("it is unsigned (`alg: none`)".into());
    }
    let mut relative: Vec<String> = Vec::new();
    for (claim, at) in [("iat", summary.issued_at), ("exp", summary.expires_at)] {
        if let Some(at) = at {
            relative.push(format!(
                "{claim} {}: {}",
                times::rfc3339(at).unwrap_or_default(),
                times::relative(claim, at, t)
            ));
        }
    }
    let signature = match jwks {
        None => SignatureCheck::NotChecked,
        Some(set) => match jws::verify(jwt, set, &Alg::ALL) {
            Ok(v) => SignatureCheck::Valid {
                kid: v.kid().map(str::to_string),
            },
            Err(e) => {
                problems.push(format!("its signature: {e}"));
                SignatureCheck::Invalid { reason: e.to_string() }
            }
        },
    };
    Ok(SsaInspection {
        header: read.header,
        claims,
        summary,
        signature,
        expired,
        times: relative,
        problems,
    })
}

/// Refuses a software statement that cannot work (malformed, or expired), naming why.
pub(crate) fn check_sendable(jwt: &str, label: &str) -> Result<()> {
    let inspection = inspect(jwt, None)?;
    if let (true, Some(exp)) = (inspection.expired, inspection.summary.expires_at) {
        let t = now();
        return Err(Error::field(
            "software_statement",
            format!(
                "{label} {} ({}); nothing was sent: get a fresh one from the directory",
                times::relative("exp", exp, t),
                times::rfc3339(exp).unwrap_or_default()
            ),
        ));
    }
    Ok(())
}

impl SoftwareStatement {
    fn from_row(row: SsaRow) -> Result<Self> {
        Ok(Self {
            inspection: inspect(&row.jwt, None)?,
            label: row.label,
            source: row.source,
            kept_at: row.created_at,
            jwt: row.jwt,
        })
    }
}

impl Registrar {
    /// Keeps a software statement in `profile` under `label` (replacing one of that name).
    /// It must be a JWS; an expired one is kept (to be looked at) but never sent.
    pub fn keep_software_statement(
        &self,
        profile: &str,
        label: &str,
        jwt: &str,
        source: &str,
    ) -> Result<SoftwareStatement> {
        let profile = self.store.profile(profile)?;
        let label = label.trim();
        if label.is_empty() {
            return Err(Error::field("label", "a software statement needs a name"));
        }
        let jwt = jwt.trim();
        let inspection = inspect(jwt, None)?;
        self.store
            .save_ssa(&profile.id, label, jwt, source, inspection.summary.expires_at)?;
        self.software_statement(&profile.id, label)
    }

    /// A profile's software statements, by label.
    pub fn software_statements(&self, profile: &str) -> Result<Vec<SoftwareStatement>> {
        let profile = self.store.profile(profile)?;
        self.store
            .ssas(&profile.id)?
            .into_iter()
            .map(SoftwareStatement::from_row)
            .collect()
    }

    /// One software statement of a profile.
    pub fn software_statement(&self, profile: &str, label: &str) -> Result<SoftwareStatement> {
        self.software_statements(profile)?
            .into_iter()
            .find(|s| s.label == label)
            .ok_or_else(|| Error::not_found(format!("software statement {label:?}")))
    }

    /// Forgets a software statement.
    pub fn remove_software_statement(&self, profile: &str, label: &str) -> Result<()> {
        let profile = self.store.profile(profile)?;
        if !self.store.delete_ssa(&profile.id, label)? {
            return Err(Error::not_found(format!("software statement {label:?}")));
        }
        Ok(())
    }

    /// Checks a software statement's signature against `jwks` (a JWK Set as JSON) or the
    /// JWK Set at `jwks_uri`, fetched over the profile's transport.
    pub async fn inspect_software_statement(
        &self,
        profile: &str,
        jwt: &str,
        jwks: Option<Value>,
        jwks_uri: Option<&str>,
    ) -> Result<SsaInspection> {
        let set = match (jwks, jwks_uri) {
            (Some(set), _) => Some(set),
            (None, Some(uri)) => {
                let profile = self.store.profile(profile)?;
                let transport = self.transport(&profile)?;
                let url = url::Url::parse(uri).map_err(|e| Error::field("jwks_uri", format!("is not a URL: {e}")))?;
                let body = self
                    .fetch_text(
                        &profile.id,
                        transport.as_ref(),
                        HttpRequest::new(http::Method::GET, url),
                        &[],
                    )
                    .await?;
                Some(
                    serde_json::from_str(&body)
                        .map_err(|e| Error::InvalidResponse(format!("the JWK Set at {uri} is not JSON: {e}")))?,
                )
            }
            (None, None) => None,
        };
        inspect(jwt, set.as_ref())
    }

    /// Fetches a software statement from a directory (`GET url`, with `token` as a Bearer
    /// token when given, over the profile's transport and its client certificate) and keeps it.
    pub async fn fetch_software_statement(
        &self,
        profile: &str,
        label: &str,
        url: &str,
        token: Option<&Secret>,
    ) -> Result<SoftwareStatement> {
        let record = self.store.profile(profile)?;
        let transport = self.transport(&record)?;
        let parsed = url::Url::parse(url).map_err(|e| Error::field("url", format!("is not a URL: {e}")))?;
        let mut request =
            HttpRequest::new(http::Method::GET, parsed).header("Accept", "application/jwt, application/json");
        request
            .headers
            .retain(|(k, v)| !(k == "Accept" && v == "application/json"));
        let known: Vec<&str> = token.iter().map(|t| t.expose()).collect();
        if let Some(t) = token {
            request = request.header("Authorization", format!("Bearer {}", t.expose()));
        }
        let body = self.fetch_text(&record.id, transport.as_ref(), request, &known).await?;
        // A directory answers the JWT itself, or JSON carrying it.
        let jwt = match serde_json::from_str::<Value>(&body) {
            Ok(Value::Object(map)) => map
                .get("software_statement")
                .or_else(|| map.get("ssa"))
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| Error::InvalidResponse(format!("{url} answered JSON with no software_statement")))?,
            Ok(Value::String(s)) => s,
            _ => body.trim().to_string(),
        };
        self.keep_software_statement(profile, label, &jwt, &format!("url:{url}"))
    }

    async fn fetch_text(
        &self,
        profile_id: &ProfileId,
        transport: &dyn Transport,
        request: HttpRequest,
        known: &[&str],
    ) -> Result<String> {
        let info = CallInfo {
            profile_id: Some(profile_id),
            client_id: None,
            operation: CallKind::SoftwareStatement,
        };
        let (sent, _) = self.send_recorded(info, transport, request, known).await;
        let response = sent?;
        if !response.is_success() {
            return Err(crate::http::provider_error_masked(&response, known));
        }
        String::from_utf8(response.body).map_err(|_| Error::InvalidResponse("the answer is not UTF-8 text".into()))
    }

    /// Signs a software statement with key `kid` of the profile, playing a directory for
    /// tests and demos: `claims` as given, with `iss` (default "registrar-local-directory"),
    /// `iat`, `jti` and, when `lifetime_secs` is given, `exp` filled in where absent.
    pub fn sign_software_statement(
        &self,
        profile: &str,
        kid: &str,
        claims: &Value,
        lifetime_secs: Option<i64>,
    ) -> Result<String> {
        let record = self.key(profile, kid)?;
        let key = self.private_key(&record.profile_id, kid)?;
        let mut claims = match claims {
            Value::Object(map) => map.clone(),
            _ => return Err(Error::field("claims", "the claims must be a JSON object")),
        };
        let t = now();
        claims
            .entry("iss")
            .or_insert_with(|| json!("registrar-local-directory"));
        claims.entry("iat").or_insert_with(|| json!(t));
        claims
            .entry("jti")
            .or_insert_with(|| json!(uuid::Uuid::new_v4().to_string()));
        if let Some(life) = lifetime_secs {
            claims.entry("exp").or_insert_with(|| json!(t + life));
        }
        Ok(jws::sign(
            &key,
            record.algorithm()?,
            Some(kid),
            Some("JWT"),
            &Value::Object(claims),
        )?)
    }
}
