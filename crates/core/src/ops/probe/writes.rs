//! The writing half of the probe: the throw-away client's life, one step each.

use super::registration_auth::Registered;
use super::report::{ProbeFindings, ProbeOutcome};
use super::throwaway::{object, UNKNOWN_FIELD};
use super::{not_offered, status_of, Run};
use crate::drift::ChangeKind;
use crate::http::HttpRequest;
use crate::metadata::ClientMetadata;
use crate::ops::call::{CallInfo, CallKind};
use crate::ops::outcome::RegisterOutcome;
use crate::ops::update::Check;
use crate::ops::Registrar;
use crate::profile::Profile;
use crate::{Discovery, Secret};
use serde_json::{json, Value};

impl Registrar {
    /// Registers, reads, updates and deletes a throw-away client; returns whether it was
    /// cleaned up, and a note when it was not.
    pub(super) async fn probe_writes(
        &self,
        p: &Profile,
        discovery: Option<&Discovery>,
        run: &mut Run<'_>,
        f: &mut ProbeFindings,
    ) -> (Option<bool>, Option<String>) {
        let name = format!("registrar-probe-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
        let registered = match self.probe_register(p, &name, discovery, run, f).await {
            Registered::Client(outcome) => outcome,
            Registered::Nothing => return (None, None),
        };
        let id = registered.registration.client_id.clone();
        self.probe_registered(&registered, run, f);
        // What the client was at birth: the full update restores it after a partial
        // update that a replacing provider took as "drop everything else".
        let mut original = registered.registration.metadata_returned.clone();
        if let Some(sent) = &registered.registration.metadata_sent {
            for (k, v) in sent.as_map() {
                if original.get(k).is_none() && k != UNKNOWN_FIELD {
                    original.set(k.clone(), v.clone());
                }
            }
        }
        self.probe_read(p, &id, run, f).await;
        self.probe_partial_update(p, &id, &name, run, f).await;
        self.probe_full_update(p, &id, &name, original, run, f).await;
        self.probe_delete(p, &id, &name, run, f).await
    }

    /// What the provider made of the metadata it was sent.
    fn probe_registered(&self, registered: &RegisterOutcome, run: &mut Run<'_>, f: &mut ProbeFindings) {
        f.register_status = Some(registered.status);
        let changes = &registered.provider_changes;
        let names = |k: ChangeKind| changes.of(k).map(|c| c.field.clone()).collect::<Vec<_>>();
        (f.fields_added, f.fields_dropped, f.fields_rewritten) = (
            names(ChangeKind::Added),
            names(ChangeKind::Removed),
            names(ChangeKind::Changed),
        );
        let sent_unknown = registered
            .registration
            .metadata_sent
            .as_ref()
            .is_some_and(|m| m.get(UNKNOWN_FIELD).is_some());
        if sent_unknown {
            f.unknown_fields_kept = Some(registered.registration.metadata_returned.get(UNKNOWN_FIELD).is_some());
        }
        let unknown = match f.unknown_fields_kept {
            Some(true) => "; a field no specification defines was kept",
            Some(false) => "; a field no specification defines was dropped",
            None => "",
        };
        run.step(
            "compare registration",
            true,
            Some(registered.status),
            format!(
                "the provider added {} field(s) [{}], dropped {} [{}], rewrote {} [{}]{unknown}",
                f.fields_added.len(),
                f.fields_added.join(", "),
                f.fields_dropped.len(),
                f.fields_dropped.join(", "),
                f.fields_rewritten.len(),
                f.fields_rewritten.join(", "),
            ),
        );
    }

    async fn probe_read(&self, p: &Profile, id: &str, run: &mut Run<'_>, f: &mut ProbeFindings) {
        match self.read_with(p, id).await {
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
                run.refused("read", &e);
            }
        }
    }

    /// An update with only `client_id` and `client_name`: RFC 7592 lets a provider refuse
    /// it, or treat every missing field as a request to drop it.
    async fn probe_partial_update(&self, p: &Profile, id: &str, name: &str, run: &mut Run<'_>, f: &mut ProbeFindings) {
        let partial = object(json!({"client_id": id, "client_name": format!("{name}-partial")}));
        match self.update_with(p, id, partial, Check::Nothing).await {
            Ok(up) => {
                f.offers_update = Some(true);
                let kept = up.registration.metadata_returned.get("redirect_uris").is_some()
                    || up.registration.metadata_returned.get("grant_types").is_some();
                f.update_needs_full_metadata = Some(!kept);
                run.step(
                    "partial update",
                    true,
                    Some(up.status),
                    if kept {
                        "accepted; fields not sent were kept (merge)"
                    } else {
                        "accepted, but fields not sent were dropped (replace): always send the full metadata"
                    },
                );
            }
            Err(e) if not_offered(&e) => {
                f.offers_update = Some(false);
                run.refused("partial update", &e);
            }
            Err(e) => {
                f.update_needs_full_metadata = Some(true);
                f.partial_update_refused = status_of(&e).or(Some(0));
                run.step(
                    "partial update",
                    true,
                    status_of(&e),
                    format!("refused, as RFC 7592 allows: {e}"),
                );
            }
        }
    }

    /// The full metadata back with a new name: does the token or the secret rotate?
    async fn probe_full_update(
        &self,
        p: &Profile,
        id: &str,
        name: &str,
        original: ClientMetadata,
        run: &mut Run<'_>,
        f: &mut ProbeFindings,
    ) {
        if f.offers_update == Some(false) {
            run.step_as(
                "full update",
                ProbeOutcome::Skipped,
                None,
                "skipped: the partial update showed the provider does not offer update",
            );
            return;
        }
        let mut full = original;
        full.set("client_name", Value::String(format!("{name}-updated")));
        match self.update_with(p, id, full, Check::Changed).await {
            Ok(up) => {
                f.offers_update = Some(true);
                f.rotates_token_on_update = Some(up.rotated_registration_access_token);
                f.rotates_secret_on_update = Some(up.rotated_client_secret);
                run.step(
                    "full update",
                    true,
                    Some(up.status),
                    format!(
                        "token rotated: {}; secret rotated: {}",
                        up.rotated_registration_access_token, up.rotated_client_secret
                    ),
                );
            }
            Err(e) => {
                if not_offered(&e) {
                    f.offers_update = Some(false);
                }
                run.refused("full update", &e);
            }
        }
    }

    async fn probe_delete(
        &self,
        p: &Profile,
        id: &str,
        name: &str,
        run: &mut Run<'_>,
        f: &mut ProbeFindings,
    ) -> (Option<bool>, Option<String>) {
        // Remember how to ask for the client after it is deleted.
        let check = match (self.store.registration(&p.id, id), self.transport(p)) {
            (Ok(reg), Ok(transport)) => {
                let auth = self.management_authorization(p, transport.as_ref(), id).await.ok();
                self.management_target(p, &reg).ok().zip(auth)
            }
            _ => None,
        };
        match self.delete_with(p, id).await {
            Ok(deleted) => {
                f.offers_delete = Some(true);
                f.delete_status = Some(deleted.status);
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
                let _ = self.store.delete_registration(&p.id, id);
                (Some(true), None)
            }
            Err(e) => {
                f.offers_delete = Some(!not_offered(&e));
                f.delete_status = status_of(&e);
                run.refused("delete", &e);
                (
                    Some(false),
                    Some(format!("the throw-away client {id} ({name}) could not be deleted and is still on the provider; it stays in the client list")),
                )
            }
        }
    }

    /// Whether the client can still be read with the credentials it had; None if unknown.
    async fn still_there(&self, p: &Profile, check: Option<(url::Url, Secret)>) -> Option<bool> {
        let (url, auth) = check?;
        if !p.settings.operations.read {
            return None;
        }
        let transport = self.transport(p).ok()?;
        let info = CallInfo {
            profile_id: Some(&p.id),
            client_id: None,
            operation: CallKind::Probe,
        };
        let request = HttpRequest::new(http::Method::GET, url).header("Authorization", auth.expose());
        let response = self
            .send(info, transport.as_ref(), request, &[auth.expose()])
            .await
            .ok()?;
        if response.is_success() {
            return Some(true);
        }
        // Gone, or its token with it (Authlib answers 400 access_denied once it is).
        match crate::http::provider_error(&response) {
            crate::Error::Auth { .. } | crate::Error::Provider { status: 404 | 410, .. } => Some(false),
            _ => None,
        }
    }
}
