//! "Test connection": a short battery that reports what a provider really does, as a list
//! of small steps, each its own function with its own result.
//!
//! Read-only by default: discovery, and a request that cannot create anything (an empty
//! list) to see whether credentials are checked before the body. With writes allowed, a
//! throw-away client is registered, first without the profile's credentials (the only
//! way to judge "registration needs a token" from a request whose body is valid), then
//! read, updated partially and fully, and deleted, and every answer is compared. The
//! throw-away metadata is chosen from what discovery advertises; a provider that refuses
//! it as invalid gets the smallest valid client before the probe gives up. The probe
//! cleans up after itself and says so when it could not.

mod registration_auth;
mod report;
mod throwaway;
mod writes;

pub use report::{ProbeFindings, ProbeOptions, ProbeOutcome, ProbeReport, ProbeStep, RegistrationAuthFinding};

use super::Registrar;
use crate::error::{Error, Result};
use crate::profile::{Operations, Profile};
use crate::Discovery;
use report::suggest;

type Progress<'a> = &'a (dyn Fn(&ProbeStep) + Send + Sync);

/// The steps taken so far, each also handed to the caller's progress as it is taken.
struct Run<'a> {
    steps: Vec<ProbeStep>,
    progress: Progress<'a>,
}

impl Run<'_> {
    fn step(&mut self, name: &str, ok: bool, status: Option<u16>, detail: impl Into<String>) {
        let outcome = if ok { ProbeOutcome::Pass } else { ProbeOutcome::Fail };
        self.step_as(name, outcome, status, detail);
    }

    fn step_as(&mut self, name: &str, outcome: ProbeOutcome, status: Option<u16>, detail: impl Into<String>) {
        let step = ProbeStep {
            name: name.into(),
            ok: outcome.ok(),
            outcome,
            status,
            detail: detail.into(),
        };
        (self.progress)(&step);
        self.steps.push(step);
    }

    fn failed(&mut self, name: &str, e: &Error) {
        self.step(name, false, status_of(e), e.to_string());
    }

    /// An RFC 7592 operation's answer: "not offered" when it says the operation does not
    /// exist here, a failure otherwise.
    fn refused(&mut self, name: &str, e: &Error) {
        if not_offered(e) {
            let detail = format!("the provider does not offer it: {e}");
            self.step_as(name, ProbeOutcome::NotOffered, status_of(e), detail);
        } else {
            self.failed(name, e);
        }
    }
}

impl Registrar {
    /// Tests a profile's provider step by step ("Test connection"), reporting each step to
    /// `progress` as it is taken. Read-only unless `options` allow writes; never changes the profile.
    pub async fn probe(&self, profile: &str, options: ProbeOptions, progress: Progress<'_>) -> Result<ProbeReport> {
        let stored = self.store.profile(profile)?;
        let mut run = Run {
            steps: Vec::new(),
            progress,
        };
        let mut findings = ProbeFindings::default();
        let discovery = self.probe_discovery(&stored, &mut run, &mut findings).await;

        let (mut cleaned_up, mut cleanup_note) = (None, None);
        if options.allow_writes {
            // Try every operation, whatever the profile says, to learn what is offered.
            let mut probing = stored.clone();
            probing.settings.operations = Operations::all();
            (cleaned_up, cleanup_note) = self
                .probe_writes(&probing, discovery.as_ref(), &mut run, &mut findings)
                .await;
        } else {
            findings.registration_auth = self.probe_registration_auth_read_only(&stored, &mut run).await;
            run.step_as(
                "writes",
                ProbeOutcome::Skipped,
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

    /// The issuer's discovery, compared with the profile's registration endpoint.
    async fn probe_discovery(&self, p: &Profile, run: &mut Run<'_>, f: &mut ProbeFindings) -> Option<Discovery> {
        let issuer = p.issuer.as_ref()?;
        match self.discover(issuer, &p.tls).await {
            Ok(d) => {
                f.discovery_found = Some(true);
                let named = d.registration_endpoint.as_deref();
                let matches = named == Some(p.registration_endpoint.as_str());
                let found_at = d
                    .documents
                    .iter()
                    .filter(|doc| doc.used)
                    .map(|doc| doc.url.as_str())
                    .collect::<Vec<_>>()
                    .join(" and ");
                let detail = match (matches, d.source_of("registration_endpoint")) {
                    (true, Some(source)) => format!(
                        "found at {found_at}; the registration endpoint is named by the {}",
                        source.document.label()
                    ),
                    _ => format!(
                        "found at {found_at}, but it names registration endpoint {} and the profile has {}",
                        named.unwrap_or("(none)"),
                        p.registration_endpoint
                    ),
                };
                run.step("discovery", matches, None, detail);
                Some(d)
            }
            Err(e) => {
                f.discovery_found = Some(false);
                run.failed("discovery", &e);
                None
            }
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

/// Answers that refuse the caller, not the request's content.
fn refused_credentials(e: &Error) -> bool {
    matches!(e, Error::Auth { .. })
}

/// Answers that refuse the metadata: worth another try with other metadata.
fn refused_metadata(e: &Error) -> bool {
    matches!(e, Error::Provider { status: 400, .. } | Error::Validation(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(status: u16) -> Error {
        Error::Provider {
            status,
            code: None,
            description: None,
            field: None,
        }
    }

    fn one(e: &Error) -> ProbeStep {
        let progress = |_: &ProbeStep| {};
        let mut run = Run {
            steps: Vec::new(),
            progress: &progress,
        };
        run.refused("read", e);
        run.steps.remove(0)
    }

    #[test]
    fn an_operation_the_provider_lacks_is_not_offered_not_failed() {
        for status in [404, 405, 501] {
            let step = one(&provider(status));
            assert_eq!(step.outcome, ProbeOutcome::NotOffered, "{status}");
            assert!(step.ok, "not offered is no failure ({status})");
            assert_eq!(step.status, Some(status));
        }
        let step = one(&provider(500));
        assert_eq!((step.outcome, step.ok), (ProbeOutcome::Fail, false));
    }

    #[test]
    fn outcomes_serialise_in_snake_case_and_old_steps_read_as_pass() {
        assert_eq!(serde_json::to_value(ProbeOutcome::NotOffered).unwrap(), "not_offered");
        let old: ProbeStep = serde_json::from_str(r#"{"name":"read","ok":true,"status":200,"detail":"fine"}"#).unwrap();
        assert_eq!(old.outcome, ProbeOutcome::Pass);
        let words: Vec<_> = [
            ProbeOutcome::Pass,
            ProbeOutcome::Fail,
            ProbeOutcome::NotOffered,
            ProbeOutcome::Skipped,
        ]
        .iter()
        .map(|o| o.word())
        .collect();
        assert_eq!(words, ["pass", "fail", "not offered", "skipped"]);
    }
}
