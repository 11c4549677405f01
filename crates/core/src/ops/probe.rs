//! "Test connection": a short battery that reports what a provider really does. Read-only
//! by default (discovery, and whether registration needs a token, learnt from a request
//! that cannot create anything); with writes allowed, a throw-away client is registered,
//! read, updated (partially, then fully) and deleted, and every answer is compared. The
//! probe cleans up after itself and says so when it could not.

use super::call::CallInfo;
use super::outcome::SecretInAnswer;
use super::Registrar;
use crate::drift::ChangeKind;
use crate::error::{Error, Result};
use crate::http::HttpRequest;
use crate::metadata::ClientMetadata;
use crate::profile::{EngineSettings, Operations, Profile, UpdateSecret};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ProbeOptions {
    /// Register, change and delete a throw-away client.
    pub allow_writes: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ProbeStep {
    pub name: String,
    pub ok: bool,
    pub status: Option<u16>,
    pub detail: String,
}

/// What was learnt; `None` where the probe could not tell.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ProbeFindings {
    pub discovery_found: Option<bool>,
    /// `none`, `bearer`, `basic` or `unknown`.
    pub registration_auth: String,
    pub register_status: Option<u16>,
    pub offers_read: Option<bool>,
    pub offers_update: Option<bool>,
    pub offers_delete: Option<bool>,
    pub rotates_token_on_read: Option<bool>,
    pub rotates_secret_on_read: Option<bool>,
    pub rotates_token_on_update: Option<bool>,
    pub secret_on_read: Option<SecretInAnswer>,
    pub update_needs_full_metadata: Option<bool>,
    pub fields_added: Vec<String>,
    pub fields_dropped: Vec<String>,
    pub fields_rewritten: Vec<String>,
    pub delete_deletes: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ProbeReport {
    pub steps: Vec<ProbeStep>,
    pub findings: ProbeFindings,
    /// The profile's settings, corrected by what was found.
    pub suggested_settings: EngineSettings,
    /// None when nothing was created; false when the throw-away client is still there.
    pub cleaned_up: Option<bool>,
    pub cleanup_note: Option<String>,
}

type Progress<'a> = &'a (dyn Fn(&ProbeStep) + Send + Sync);

struct Run<'a> {
    steps: Vec<ProbeStep>,
    progress: Progress<'a>,
}

impl Run<'_> {
    fn step(&mut self, name: &str, ok: bool, status: Option<u16>, detail: impl Into<String>) {
        let step = ProbeStep {
            name: name.into(),
            ok,
            status,
            detail: detail.into(),
        };
        (self.progress)(&step);
        self.steps.push(step);
    }

    fn failed(&mut self, name: &str, e: &Error) {
        self.step(name, false, status_of(e), e.to_string());
    }
}

impl Registrar {
    pub async fn probe(&self, profile: &str, options: ProbeOptions, progress: Progress<'_>) -> Result<ProbeReport> {
        let stored = self.store.profile(profile)?;
        let mut run = Run {
            steps: Vec::new(),
            progress,
        };
        let mut findings = ProbeFindings::default();

        if let Some(issuer) = &stored.issuer {
            match self.discover(issuer, &stored.tls).await {
                Ok(d) => {
                    findings.discovery_found = Some(true);
                    let endpoint_matches =
                        d.registration_endpoint.as_deref() == Some(stored.registration_endpoint.as_str());
                    let detail = if endpoint_matches {
                        format!("found at {}", d.document_url)
                    } else {
                        format!(
                            "found at {}, but it names registration endpoint {} and the profile has {}",
                            d.document_url,
                            d.registration_endpoint.as_deref().unwrap_or("(none)"),
                            stored.registration_endpoint
                        )
                    };
                    run.step("discovery", endpoint_matches, None, detail);
                }
                Err(e) => {
                    findings.discovery_found = Some(false);
                    run.failed("discovery", &e);
                }
            }
        }
        findings.registration_auth = self.probe_registration_auth(&stored, &mut run).await;

        let mut cleaned_up = None;
        let mut cleanup_note = None;
        if options.allow_writes {
            // Try every operation, whatever the profile says, to learn what is offered.
            let mut probing = stored.clone();
            probing.settings.operations = Operations::all();
            let outcome = self.probe_writes(&probing, &mut run, &mut findings).await;
            (cleaned_up, cleanup_note) = outcome;
        } else {
            run.step(
                "writes",
                true,
                None,
                "skipped: allow writes to register, read, update and delete a throw-away client",
            );
        }
        let suggested_settings = suggest(&stored.settings, &findings);
        Ok(ProbeReport {
            steps: run.steps,
            findings,
            suggested_settings,
            cleaned_up,
            cleanup_note,
        })
    }

    /// Sends `[]` without credentials: no provider can create a client from it, and the
    /// answer tells whether credentials are checked first.
    async fn probe_registration_auth(&self, profile: &Profile, run: &mut Run<'_>) -> String {
        let Ok(url) = url::Url::parse(&profile.registration_endpoint) else {
            run.step(
                "registration auth",
                false,
                None,
                "the registration endpoint is not a URL",
            );
            return "unknown".into();
        };
        let transport = match self.transports.transport(profile) {
            Ok(t) => t,
            Err(e) => {
                run.failed("registration auth", &e);
                return "unknown".into();
            }
        };
        let info = CallInfo {
            profile_id: Some(&profile.id),
            client_id: None,
            operation: "probe",
        };
        let request = HttpRequest::new(http::Method::POST, url).json(&json!([]));
        match self.send(info, transport.as_ref(), request, &[]).await {
            Ok(r) if r.status == 401 || r.status == 403 => {
                let challenge = r.header("www-authenticate").unwrap_or_default().to_ascii_lowercase();
                let kind = if challenge.starts_with("basic") {
                    "basic"
                } else if challenge.starts_with("bearer") || challenge.is_empty() {
                    "bearer"
                } else {
                    "unknown"
                };
                run.step(
                    "registration auth",
                    true,
                    Some(r.status),
                    format!("registration needs credentials ({kind})"),
                );
                kind.into()
            }
            Ok(r) if r.is_success() => {
                run.step(
                    "registration auth",
                    false,
                    Some(r.status),
                    "the provider accepted an empty list as a registration: it validates nothing",
                );
                "none".into()
            }
            Ok(r) => {
                run.step(
                    "registration auth",
                    true,
                    Some(r.status),
                    "open registration: the request was judged on its content",
                );
                "none".into()
            }
            Err(e) => {
                run.failed("registration auth", &e);
                "unknown".into()
            }
        }
    }

    async fn probe_writes(
        &self,
        p: &Profile,
        run: &mut Run<'_>,
        f: &mut ProbeFindings,
    ) -> (Option<bool>, Option<String>) {
        let name = format!("registrar-probe-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
        let metadata = ClientMetadata::from_map(
            json!({
                "client_name": name,
                "redirect_uris": ["https://registrar.invalid/probe"],
                "grant_types": ["authorization_code", "client_credentials"],
                "response_types": ["code"],
                "scope": "openid profile"
            })
            .as_object()
            .cloned()
            .unwrap_or_default(),
        );
        let registered = match self.register_with(p, metadata).await {
            Ok(r) => r,
            Err(e) => {
                run.failed("register", &e);
                return (None, None);
            }
        };
        let id = registered.registration.client_id.clone();
        f.register_status = Some(registered.status);
        let names = |k: ChangeKind| {
            registered
                .provider_changes
                .of(k)
                .map(|c| c.field.clone())
                .collect::<Vec<_>>()
        };
        (f.fields_added, f.fields_dropped, f.fields_rewritten) = (
            names(ChangeKind::Added),
            names(ChangeKind::Removed),
            names(ChangeKind::Changed),
        );
        run.step(
            "register",
            true,
            Some(registered.status),
            format!(
                "created {id}; the provider added {} field(s), dropped {}, rewrote {}",
                f.fields_added.len(),
                f.fields_dropped.len(),
                f.fields_rewritten.len()
            ),
        );

        match self.read_with(p, &id).await {
            Ok(read) => {
                f.offers_read = Some(true);
                f.rotates_token_on_read = Some(read.rotated_registration_access_token);
                f.rotates_secret_on_read = Some(read.rotated_client_secret);
                f.secret_on_read = Some(read.secret_in_answer);
                run.step(
                    "read",
                    true,
                    Some(read.status),
                    format!(
                        "token rotated: {}; secret rotated: {}; secret in the answer: {:?}",
                        read.rotated_registration_access_token, read.rotated_client_secret, read.secret_in_answer
                    ),
                );
            }
            Err(e) => {
                f.offers_read = Some(!not_offered(&e));
                run.failed("read", &e);
            }
        }

        self.probe_updates(p, &id, &name, run, f).await;

        // Remember how to ask for the client after it is deleted.
        let check = match self.store.registration(&p.id, &id) {
            Ok(reg) => self
                .management_target(p, &reg)
                .ok()
                .zip(self.management_authorization(p, &id).ok()),
            Err(_) => None,
        };
        match self.delete_with(p, &id).await {
            Ok(deleted) => {
                f.offers_delete = Some(true);
                f.delete_deletes = self.still_there(p, check).await.map(|there| !there);
                run.step(
                    "delete",
                    f.delete_deletes != Some(false),
                    Some(deleted.status),
                    match f.delete_deletes {
                        Some(true) => "deleted; a read afterwards confirms it is gone",
                        Some(false) => "the provider answered success but the client can still be read",
                        None => "deleted (the provider cannot read, so it was not confirmed)",
                    },
                );
                let _ = self.store.delete_registration(&p.id, &id);
                (Some(true), None)
            }
            Err(e) => {
                f.offers_delete = Some(!not_offered(&e));
                run.failed("delete", &e);
                (
                    Some(false),
                    Some(format!("the throw-away client {id} ({name}) could not be deleted and is still on the provider; it stays in the client list")),
                )
            }
        }
    }

    async fn probe_updates(&self, p: &Profile, id: &str, name: &str, run: &mut Run<'_>, f: &mut ProbeFindings) {
        let partial = ClientMetadata::from_map(
            json!({"client_id": id, "client_name": format!("{name}-partial")})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        );
        match self.update_with(p, id, partial).await {
            Ok(up) => {
                f.offers_update = Some(true);
                let kept = up.registration.metadata_returned.get("redirect_uris").is_some();
                f.update_needs_full_metadata = Some(!kept);
                run.step(
                    "partial update",
                    true,
                    Some(up.status),
                    if kept {
                        "accepted; fields not sent were kept (merge)"
                    } else {
                        "accepted, but fields not sent were dropped: always send the full metadata"
                    },
                );
            }
            Err(e) if not_offered(&e) => {
                f.offers_update = Some(false);
                run.failed("partial update", &e);
                return;
            }
            Err(e) => {
                f.update_needs_full_metadata = Some(true);
                run.step(
                    "partial update",
                    true,
                    status_of(&e),
                    format!("refused, as RFC 7592 allows: {e}"),
                );
            }
        }
        let Ok(reg) = self.store.registration(&p.id, id) else {
            return;
        };
        let mut full = reg
            .metadata_sent
            .clone()
            .unwrap_or_else(|| reg.metadata_returned.clone());
        for (k, v) in reg.metadata_returned.as_map() {
            if full.get(k).is_none() {
                full.set(k.clone(), v.clone());
            }
        }
        full.set("client_name", Value::String(format!("{name}-updated")));
        match self.update_with(p, id, full).await {
            Ok(up) => {
                f.offers_update = Some(true);
                f.rotates_token_on_update = Some(up.rotated_registration_access_token);
                run.step(
                    "full update",
                    true,
                    Some(up.status),
                    format!("token rotated: {}", up.rotated_registration_access_token),
                );
            }
            Err(e) => {
                if not_offered(&e) {
                    f.offers_update = Some(false);
                }
                run.failed("full update", &e);
            }
        }
    }

    /// Whether the client can still be read with the credentials it had; None if unknown.
    async fn still_there(&self, p: &Profile, check: Option<(url::Url, crate::Secret)>) -> Option<bool> {
        let (url, auth) = check?;
        if !p.settings.operations.read {
            return None;
        }
        let transport = self.transports.transport(p).ok()?;
        let info = CallInfo {
            profile_id: Some(&p.id),
            client_id: None,
            operation: "probe",
        };
        let request = HttpRequest::new(http::Method::GET, url).header("Authorization", auth.expose());
        let response = self
            .send(info, transport.as_ref(), request, &[auth.expose()])
            .await
            .ok()?;
        match response.status {
            200..=299 => Some(true),
            401 | 403 | 404 | 410 => Some(false),
            _ => None,
        }
    }
}

fn status_of(e: &Error) -> Option<u16> {
    match e {
        Error::Provider { status, .. } | Error::Auth { status, .. } if *status > 0 => Some(*status),
        _ => None,
    }
}

/// Answers that mean "this operation does not exist here".
fn not_offered(e: &Error) -> bool {
    matches!(
        e,
        Error::Provider {
            status: 404 | 405 | 501,
            ..
        } | Error::Unsupported { .. }
    )
}

fn suggest(current: &EngineSettings, f: &ProbeFindings) -> EngineSettings {
    let mut s = current.clone();
    if let Some(read) = f.offers_read {
        s.operations.read = read;
    }
    if let Some(update) = f.offers_update {
        s.operations.update = update;
    }
    if let Some(delete) = f.offers_delete {
        s.operations.delete = delete;
    }
    if f.secret_on_read == Some(SecretInAnswer::Masked) {
        s.secret_mask = Some(s.secret_mask.clone().unwrap_or_else(|| "*".into()));
        s.update_secret = UpdateSecret::SendMask;
    }
    s
}
