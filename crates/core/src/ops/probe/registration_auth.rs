//! Does registration need credentials? Read-only, the probe can only send something no
//! provider creates a client from (an empty list): a 401 or 403 says yes, but a 400 says
//! only that the body was judged first. With writes, a valid throw-away client is sent
//! without credentials: refused as unauthorised means yes; created means no.

use super::report::{ProbeFindings, RegistrationAuthFinding};
use super::{refused_credentials, refused_metadata, status_of, throwaway, Run};
use crate::error::Error;
use crate::http::HttpRequest;
use crate::ops::call::{CallInfo, CallKind};
use crate::ops::outcome::RegisterOutcome;
use crate::ops::Registrar;
use crate::profile::{Profile, RegistrationAuth};
use crate::Discovery;
use serde_json::json;

/// What came of registering the throw-away client.
pub(super) enum Registered {
    Client(Box<RegisterOutcome>),
    /// Nothing was created; the steps say why.
    Nothing,
}

impl Registrar {
    /// The read-only judgement, from an empty list sent without credentials.
    pub(super) async fn probe_registration_auth_read_only(
        &self,
        profile: &Profile,
        run: &mut Run<'_>,
    ) -> RegistrationAuthFinding {
        const STEP: &str = "registration auth";
        let Ok(url) = url::Url::parse(&profile.registration_endpoint) else {
            run.step(STEP, false, None, "the registration endpoint is not a URL");
            return RegistrationAuthFinding::Unknown;
        };
        let transport = match self.transport(profile) {
            Ok(t) => t,
            Err(e) => {
                run.failed(STEP, &e);
                return RegistrationAuthFinding::Unknown;
            }
        };
        let info = CallInfo {
            profile_id: Some(&profile.id),
            client_id: None,
            operation: CallKind::Probe,
        };
        let request = HttpRequest::new(http::Method::POST, url).json(&json!([]));
        match self.send(info, transport.as_ref(), request, &[]).await {
            Ok(r) if r.status == 401 || r.status == 403 => {
                let finding = from_challenge(r.header("www-authenticate"));
                run.step(
                    STEP,
                    true,
                    Some(r.status),
                    format!("registration needs {}", finding.describe()),
                );
                finding
            }
            Ok(r) if r.is_success() => {
                run.step(
                    STEP,
                    false,
                    Some(r.status),
                    "the provider accepted an empty list as a registration: it validates nothing",
                );
                RegistrationAuthFinding::None
            }
            Ok(r) => {
                let profile_says = match profile.registration_auth {
                    RegistrationAuth::None => "the profile registers without credentials",
                    _ => "the profile sends credentials",
                };
                run.step(
                    STEP,
                    true,
                    Some(r.status),
                    format!(
                        "cannot tell without writes: the provider judged the (deliberately invalid) body before any credentials; {profile_says}"
                    ),
                );
                RegistrationAuthFinding::Unknown
            }
            Err(e) => {
                run.failed(STEP, &e);
                RegistrationAuthFinding::Unknown
            }
        }
    }

    /// Registers the throw-away client, first without credentials to learn whether
    /// registration needs them, then (when it does and the profile has some) with them.
    pub(super) async fn probe_register(
        &self,
        p: &Profile,
        name: &str,
        discovery: Option<&Discovery>,
        run: &mut Run<'_>,
        f: &mut ProbeFindings,
    ) -> Registered {
        let has_credentials = p.registration_auth != RegistrationAuth::None;
        let mut anonymous = p.clone();
        anonymous.registration_auth = RegistrationAuth::None;
        let sets = throwaway::candidates(name, discovery);

        let (unauthenticated, tried) = self
            .register_first_valid(&anonymous, &sets, "without credentials", run)
            .await;
        f.register_attempts = tried;
        match unauthenticated {
            Ok(outcome) => {
                f.registration_auth = RegistrationAuthFinding::None;
                let detail = if has_credentials {
                    let note = "the provider registered a client without credentials, but the profile sends some: registration is open (the profile's credentials are not needed, or not checked)";
                    f.registration_auth_disagreement = Some(note.into());
                    note.to_string()
                } else {
                    "open registration: a valid client was created without credentials".to_string()
                };
                run.step("registration auth", !has_credentials, Some(outcome.status), detail);
                return Registered::Client(outcome);
            }
            Err(e) if refused_credentials(&e) => {
                let (challenge, description) = match &e {
                    Error::Auth {
                        challenge, description, ..
                    } => (challenge.clone(), description.clone()),
                    _ => (None, None),
                };
                f.registration_auth = match challenge.as_deref() {
                    None | Some("") => RegistrationAuthFinding::Credentials,
                    Some(c) => from_challenge(Some(c)),
                };
                if !has_credentials {
                    let note = "the provider refused a valid client without credentials, and the profile has none: set the profile's registration auth";
                    f.registration_auth_disagreement = Some(note.into());
                    run.step("registration auth", false, status_of(&e), note);
                    return Registered::Nothing;
                }
                run.step(
                    "registration auth",
                    true,
                    status_of(&e),
                    format!(
                        "registration needs credentials: a valid client without them was refused{}",
                        description.map(|c| format!(" ({c})")).unwrap_or_default()
                    ),
                );
            }
            Err(e) => {
                run.step(
                    "registration auth",
                    false,
                    status_of(&e),
                    format!("cannot tell: every throw-away client was refused for its content ({e})"),
                );
                if !has_credentials {
                    return Registered::Nothing;
                }
            }
        }
        let (authenticated, tried) = self
            .register_first_valid(p, &sets, "with the profile's credentials", run)
            .await;
        f.register_attempts = tried;
        match authenticated {
            Ok(outcome) => Registered::Client(outcome),
            Err(_) => Registered::Nothing,
        }
    }

    /// Tries each metadata set until one registers; a refusal of the metadata moves on to
    /// the next, anything else stops. Returns how many sets were sent.
    async fn register_first_valid(
        &self,
        p: &Profile,
        sets: &[crate::ClientMetadata],
        how: &str,
        run: &mut Run<'_>,
    ) -> (Result<Box<RegisterOutcome>, Error>, u8) {
        let mut last = None;
        for (i, metadata) in sets.iter().enumerate() {
            let attempt = format!("register {how} (metadata set {} of {})", i + 1, sets.len());
            match self.register_with(p, metadata.clone()).await {
                Ok(outcome) => {
                    run.step(
                        &attempt,
                        true,
                        Some(outcome.status),
                        format!("created {}", outcome.registration.client_id),
                    );
                    return (Ok(Box::new(outcome)), i as u8 + 1);
                }
                Err(e) if refused_metadata(&e) && i + 1 < sets.len() => {
                    run.step(
                        &attempt,
                        false,
                        status_of(&e),
                        format!("refused for its content, trying a smaller client: {e}"),
                    );
                    last = Some(e);
                }
                // Without credentials, a refusal of the caller is the answer sought.
                Err(e) if refused_credentials(&e) && p.registration_auth == RegistrationAuth::None => {
                    run.step(
                        &attempt,
                        true,
                        status_of(&e),
                        format!("refused without credentials: {e}"),
                    );
                    return (Err(e), i as u8 + 1);
                }
                Err(e) => {
                    run.failed(&attempt, &e);
                    return (Err(e), i as u8 + 1);
                }
            }
        }
        let e = last.unwrap_or_else(|| Error::InvalidResponse("no throw-away metadata to send".into()));
        (Err(e), sets.len() as u8)
    }
}

fn from_challenge(challenge: Option<&str>) -> RegistrationAuthFinding {
    let challenge = challenge.unwrap_or_default().trim().to_ascii_lowercase();
    if challenge.starts_with("basic") {
        RegistrationAuthFinding::Basic
    } else if challenge.starts_with("bearer") || challenge.is_empty() {
        RegistrationAuthFinding::Bearer
    } else {
        RegistrationAuthFinding::Credentials
    }
}
