//! Keys, certificates and software statements (issue 17) as the CLI shows them. JSON keeps
//! the core's records (Unix seconds, full kids); tables shorten kids and show RFC 3339.
//! Nothing here ever holds a private key: the one command that writes one (`keys export`)
//! writes it to a file and shows only where.

use super::table::{self, or_dash};
use super::time::{optional, timestamp};
use super::Human;
use registrar_core::custody::{
    CertificateRecord, CustodyExpiry, ExpiringKind, KeyRecord, SignatureCheck, SoftwareStatement, SsaInspection,
};
use serde::Serialize;
use serde_json::Value;

/// A kid short enough for a table: its first 12 characters (every command takes a unique
/// prefix).
pub fn short_kid(kid: &str) -> String {
    if kid.chars().count() > 14 {
        let head: String = kid.chars().take(12).collect();
        format!("{head}…")
    } else {
        kid.to_string()
    }
}

fn owner(client_id: Option<&str>) -> String {
    client_id.map(str::to_string).unwrap_or_else(|| "(profile)".into())
}

fn certificate_cell(cert: Option<&CertificateRecord>) -> String {
    match cert {
        None => "-".into(),
        Some(c) => format!("{}\nuntil {}", c.subject_dn, timestamp(c.not_after)),
    }
}

/// `keys list`.
#[derive(Debug, Serialize)]
pub struct KeyList {
    pub profile: String,
    pub keys: Vec<KeyRecord>,
}

impl Human for KeyList {
    fn human(&self) -> String {
        if self.keys.is_empty() {
            return format!(
                "No keys in profile {}. Make one with `registrar keys generate {}`.",
                self.profile, self.profile
            );
        }
        let mut t = table::list(&[
            "kid",
            "kind",
            "alg",
            "client",
            "label",
            "created",
            "retires",
            "certificate",
        ]);
        for k in &self.keys {
            t.add_row(vec![
                short_kid(&k.kid),
                k.kind.clone(),
                k.alg.clone(),
                owner(k.client_id.as_deref()),
                or_dash(k.label.as_deref()),
                timestamp(k.created_at),
                optional(k.retire_at, "never"),
                certificate_cell(k.certificate.as_ref()),
            ]);
        }
        t.to_string()
    }
}

/// One key: `keys show`, and the result of the commands that change one.
#[derive(Debug, Serialize)]
pub struct KeyView {
    /// What was done, for people ("Generated key ..."); not in JSON.
    #[serde(skip)]
    pub headline: Option<String>,
    #[serde(flatten)]
    pub key: KeyRecord,
}

impl KeyView {
    pub fn new(key: KeyRecord) -> Self {
        Self { headline: None, key }
    }

    pub fn saying(headline: impl Into<String>, key: KeyRecord) -> Self {
        Self {
            headline: Some(headline.into()),
            key,
        }
    }
}

pub fn key_fields(k: &KeyRecord) -> String {
    table::fields([
        ("kid", k.kid.clone()),
        ("kind", k.kind.clone()),
        ("alg", k.alg.clone()),
        ("client", owner(k.client_id.as_deref())),
        ("label", or_dash(k.label.as_deref())),
        ("created", timestamp(k.created_at)),
        ("retires", optional(k.retire_at, "never")),
        ("certificate", certificate_cell(k.certificate.as_ref())),
        ("private key", "in the keychain".to_string()),
    ])
    .to_string()
}

impl Human for KeyView {
    fn human(&self) -> String {
        let jwk = serde_json::to_string_pretty(&self.key.public_jwk).unwrap_or_default();
        let head = self.headline.as_deref().map(|h| format!("{h}\n\n")).unwrap_or_default();
        format!("{head}{}\n\nPublic JWK:\n{jwk}", key_fields(&self.key))
    }
}

/// `keys delete`.
#[derive(Debug, Serialize)]
pub struct KeyDeletedView {
    pub profile: String,
    pub kid: String,
    pub deleted: bool,
}

impl Human for KeyDeletedView {
    fn human(&self) -> String {
        format!(
            "Deleted key {} of profile {}: its private half is gone from the keychain.",
            self.kid, self.profile
        )
    }
}

/// A file written (`keys export`, `keys jwks --out`, `cert csr --out`): where, never what.
#[derive(Debug, Serialize)]
pub struct WrittenView {
    pub written: String,
    pub what: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
}

impl Human for WrittenView {
    fn human(&self) -> String {
        match &self.mode {
            Some(mode) => format!("Wrote {} to {} (mode {mode}).", self.what, self.written),
            None => format!("Wrote {} to {}.", self.what, self.written),
        }
    }
}

/// `keys rotate` and `keys finish-rotation`.
#[derive(Debug, Serialize)]
pub struct RotationView {
    #[serde(skip)]
    pub headline: String,
    pub profile: String,
    pub client_id: String,
    pub keys: Vec<KeyRecord>,
    /// The update sent to the provider, when the client carries its keys inline.
    pub update: Option<registrar_core::SyncOutcome>,
    pub notes: Vec<String>,
    pub warnings: Vec<String>,
}

impl Human for RotationView {
    fn human(&self) -> String {
        let mut out = format!("{}\n", self.headline);
        if !self.keys.is_empty() {
            out.push('\n');
            out.push_str(
                &KeyList {
                    profile: self.profile.clone(),
                    keys: self.keys.clone(),
                }
                .human(),
            );
            out.push('\n');
        }
        if let Some(status) = self.update.as_ref().map(|u| u.status) {
            out.push_str(&format!(
                "\nUpdated client {} on the provider (HTTP {status}).\n",
                self.client_id
            ));
        }
        for note in &self.notes {
            out.push_str(&format!("\nNote: {note}"));
        }
        out
    }
}

/// `cert show`: the certificate of a key, and what it fills in a registration.
#[derive(Debug, Serialize)]
pub struct CertificateView {
    #[serde(skip)]
    pub headline: Option<String>,
    pub profile: String,
    pub kid: String,
    pub client_id: Option<String>,
    #[serde(flatten)]
    pub certificate: CertificateRecord,
    /// What a registration with each method would carry for it (RFC 8705 §2.1.2).
    pub registration_fields: serde_json::Map<String, Value>,
    /// Whether the profile presents it on every request (`cert use`).
    pub used_by_profile: bool,
}

impl CertificateView {
    pub fn new(profile: &str, key: &KeyRecord, certificate: CertificateRecord, used_by_profile: bool) -> Self {
        let mut fields = serde_json::Map::new();
        for method in ["tls_client_auth", "self_signed_tls_client_auth"] {
            fields.insert(method.into(), Value::Object(certificate.registration_fields(method)));
        }
        Self {
            headline: None,
            profile: profile.to_string(),
            kid: key.kid.clone(),
            client_id: key.client_id.clone(),
            certificate,
            registration_fields: fields,
            used_by_profile,
        }
    }
}

impl Human for CertificateView {
    fn human(&self) -> String {
        let c = &self.certificate;
        let mut sans: Vec<String> = Vec::new();
        sans.extend(c.san_dns.iter().map(|s| format!("DNS:{s}")));
        sans.extend(c.san_uri.iter().map(|s| format!("URI:{s}")));
        sans.extend(c.san_ip.iter().map(|s| format!("IP:{s}")));
        sans.extend(c.san_email.iter().map(|s| format!("email:{s}")));
        let fields_text = |method: &str| match self.registration_fields.get(method) {
            Some(Value::Object(map)) if !map.is_empty() => map
                .iter()
                .map(|(k, v)| format!("{k}: {}", table::cell(v)))
                .collect::<Vec<_>>()
                .join("\n"),
            _ => "(none: the key travels in jwks, with x5c)".into(),
        };
        let head = self.headline.as_deref().map(|h| format!("{h}\n\n")).unwrap_or_default();
        let rows = vec![
            ("key", self.kid.clone()),
            ("client", owner(self.client_id.as_deref())),
            ("subject", c.subject_dn.clone()),
            ("issuer", c.issuer_dn.clone()),
            ("self-signed", if c.self_signed { "yes" } else { "no" }.to_string()),
            ("serial", c.serial.clone()),
            ("SANs", if sans.is_empty() { "-".into() } else { sans.join("\n") }),
            ("valid from", timestamp(c.not_before)),
            ("valid until", timestamp(c.not_after)),
            ("x5t#S256", c.x5t_s256.clone()),
            ("tls_client_auth", fields_text("tls_client_auth")),
            (
                "self_signed_tls_client_auth",
                fields_text("self_signed_tls_client_auth"),
            ),
            (
                "mutual TLS",
                if self.used_by_profile {
                    format!("presented on every request of profile {}", self.profile)
                } else {
                    "not the profile's (`registrar cert use` makes it so)".into()
                },
            ),
        ];
        format!("{head}{}", table::fields(rows))
    }
}

/// `cert csr` without `--out`: the PEM itself (public).
#[derive(Debug, Serialize)]
pub struct CsrView {
    pub kid: String,
    pub csr_pem: String,
}

impl Human for CsrView {
    fn human(&self) -> String {
        self.csr_pem.clone()
    }
}

/// A profile setting changed (`cert use`, `ssa use`).
#[derive(Debug, Serialize)]
pub struct SettingView {
    pub profile: String,
    pub setting: &'static str,
    pub value: Option<String>,
    #[serde(skip)]
    pub sentence: String,
}

impl Human for SettingView {
    fn human(&self) -> String {
        self.sentence.clone()
    }
}

fn signature_text(check: &SignatureCheck) -> String {
    match check {
        SignatureCheck::Valid { kid } => format!("valid (key {})", kid.as_deref().unwrap_or("without kid")),
        SignatureCheck::Invalid { reason } => format!("INVALID: {reason}"),
        SignatureCheck::NotChecked => {
            "not checked (name the directory's keys with --jwks FILE or --jwks-uri URL)".into()
        }
    }
}

fn inspection_text(i: &SsaInspection) -> String {
    let s = &i.summary;
    let rows = vec![
        ("issuer", or_dash(s.issuer.as_deref())),
        ("software_id", or_dash(s.software_id.as_deref())),
        ("client name", or_dash(s.client_name.as_deref())),
        ("org_id", or_dash(s.org_id.as_deref())),
        (
            "redirect URIs",
            if s.redirect_uris.is_empty() {
                "-".into()
            } else {
                s.redirect_uris.join("\n")
            },
        ),
        ("jwks_uri", or_dash(s.jwks_uri.as_deref())),
        ("issued", optional(s.issued_at, "-")),
        ("expires", optional(s.expires_at, "never (no exp)")),
        (
            "times",
            if i.times.is_empty() {
                "-".into()
            } else {
                i.times.join("\n")
            },
        ),
        ("expired", if i.expired { "YES" } else { "no" }.to_string()),
        ("signature", signature_text(&i.signature)),
    ];
    let mut out = table::fields(rows).to_string();
    out.push_str(&format!(
        "\n\nHeader:\n{}\n\nClaims:\n{}",
        serde_json::to_string_pretty(&i.header).unwrap_or_default(),
        serde_json::to_string_pretty(&i.claims).unwrap_or_default()
    ));
    if i.problems.is_empty() {
        out.push_str("\n\nNo problems found.");
    } else {
        out.push_str("\n\nProblems:");
        for p in &i.problems {
            out.push_str(&format!("\n- {p}"));
        }
    }
    out
}

/// `ssa inspect`: a statement read without keeping it.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct InspectionView(pub SsaInspection);

impl Human for InspectionView {
    fn human(&self) -> String {
        inspection_text(&self.0)
    }
}

/// `ssa show` and `ssa add`: a kept statement, its inspection (with the signature checked
/// when a JWK Set was named).
#[derive(Debug, Serialize)]
pub struct StatementView {
    #[serde(skip)]
    pub headline: Option<String>,
    pub profile: String,
    pub label: String,
    pub source: String,
    pub kept_at: i64,
    pub jwt: String,
    /// Whether every registration of the profile carries it (`ssa use`).
    pub used_by_profile: bool,
    pub inspection: SsaInspection,
}

impl StatementView {
    pub fn new(profile: &str, s: SoftwareStatement, used_by_profile: bool) -> Self {
        Self {
            headline: None,
            profile: profile.to_string(),
            label: s.label,
            source: s.source,
            kept_at: s.kept_at,
            jwt: s.jwt,
            used_by_profile,
            inspection: s.inspection,
        }
    }
}

impl Human for StatementView {
    fn human(&self) -> String {
        let head = self.headline.as_deref().map(|h| format!("{h}\n\n")).unwrap_or_default();
        let used = if self.used_by_profile {
            "sent with every registration of the profile"
        } else {
            "kept, not sent (`registrar ssa use` makes every registration carry it)"
        };
        let top = table::fields([
            ("label", self.label.clone()),
            ("source", self.source.clone()),
            ("kept", timestamp(self.kept_at)),
            ("use", used.to_string()),
        ]);
        format!("{head}{top}\n\n{}", inspection_text(&self.inspection))
    }
}

/// `ssa list`.
#[derive(Debug, Serialize)]
pub struct StatementList {
    pub profile: String,
    /// The label every registration carries, if any.
    pub in_use: Option<String>,
    pub statements: Vec<StatementRow>,
}

#[derive(Debug, Serialize)]
pub struct StatementRow {
    pub label: String,
    pub source: String,
    pub kept_at: i64,
    pub issuer: Option<String>,
    pub software_id: Option<String>,
    pub expires_at: Option<i64>,
    pub expired: bool,
    pub problems: Vec<String>,
}

impl StatementRow {
    pub fn new(s: &SoftwareStatement) -> Self {
        Self {
            label: s.label.clone(),
            source: s.source.clone(),
            kept_at: s.kept_at,
            issuer: s.inspection.summary.issuer.clone(),
            software_id: s.inspection.summary.software_id.clone(),
            expires_at: s.inspection.summary.expires_at,
            expired: s.inspection.expired,
            problems: s.inspection.problems.clone(),
        }
    }
}

impl Human for StatementList {
    fn human(&self) -> String {
        if self.statements.is_empty() {
            return format!(
                "No software statements in profile {}. Keep one with `registrar ssa add`.",
                self.profile
            );
        }
        let mut t = table::list(&["label", "issuer", "software_id", "expires", "source", "kept", "in use"]);
        for s in &self.statements {
            let expires = match (s.expires_at, s.expired) {
                (Some(at), true) => format!("{} (EXPIRED)", timestamp(at)),
                (at, false) => optional(at, "never"),
                (None, true) => "expired".into(),
            };
            t.add_row(vec![
                s.label.clone(),
                or_dash(s.issuer.as_deref()),
                or_dash(s.software_id.as_deref()),
                expires,
                s.source.clone(),
                timestamp(s.kept_at),
                if self.in_use.as_deref() == Some(&s.label) {
                    "yes"
                } else {
                    ""
                }
                .to_string(),
            ]);
        }
        t.to_string()
    }
}

/// `ssa sign`: the statement itself (it is public: a directory hands it out).
#[derive(Debug, Serialize)]
pub struct SignedStatementView {
    pub jwt: String,
    pub kept: Option<String>,
}

impl Human for SignedStatementView {
    fn human(&self) -> String {
        self.jwt.clone()
    }
}

/// `ssa remove`.
#[derive(Debug, Serialize)]
pub struct StatementRemovedView {
    pub profile: String,
    pub label: String,
    pub removed: bool,
}

impl Human for StatementRemovedView {
    fn human(&self) -> String {
        format!(
            "Removed software statement {} from profile {}.",
            self.label, self.profile
        )
    }
}

/// One expiring thing in custody, for `registrar list`.
#[derive(Debug, Serialize)]
pub struct CustodyRow {
    pub profile: String,
    pub kind: ExpiringKind,
    pub name: String,
    pub client_id: Option<String>,
    pub detail: Option<String>,
    pub expires_at: i64,
}

impl CustodyRow {
    pub fn new(e: CustodyExpiry, profile: &str) -> Self {
        Self {
            profile: profile.to_string(),
            kind: e.kind,
            name: e.name,
            client_id: e.client_id,
            detail: e.detail,
            expires_at: e.expires_at,
        }
    }
}

pub fn custody_table(rows: &[CustodyRow]) -> String {
    let mut t = table::list(&["profile", "what", "name", "client", "detail", "expires"]);
    for r in rows {
        let (what, name) = match r.kind {
            ExpiringKind::Certificate => ("certificate", short_kid(&r.name)),
            ExpiringKind::KeyRetirement => ("key retirement", short_kid(&r.name)),
            ExpiringKind::SoftwareStatement => ("software statement", r.name.clone()),
        };
        t.add_row(vec![
            r.profile.clone(),
            what.to_string(),
            name,
            or_dash(r.client_id.as_deref()),
            or_dash(r.detail.as_deref()),
            timestamp(r.expires_at),
        ]);
    }
    t.to_string()
}

/// A window of seconds as people say it ("30d", "12h").
pub fn window_text(secs: i64) -> String {
    match secs {
        s if s > 0 && s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s > 0 && s % 3_600 == 0 => format!("{}h", s / 3_600),
        s if s > 0 && s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}
