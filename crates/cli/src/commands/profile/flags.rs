//! The profile settings `profile add` and `profile edit` share, and how they map onto a
//! core `Profile`. A flag that is not given leaves the setting as it is (for `add`: as
//! the kind's preset made it).

use super::choices::{ManagementAuthArg, RegistrationAuthArg};
use crate::failure::Failure;
use clap::Args;
use registrar_core::profile::TlsOptions;
use registrar_core::{ManagementAuth, Profile, RegistrationAuth};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ProfileFlags {
    /// The provider's issuer URL.
    #[arg(long, value_name = "URL")]
    pub issuer: Option<String>,
    /// Where clients are registered.
    #[arg(long, value_name = "URL")]
    pub registration_endpoint: Option<String>,
    /// The token endpoint, for client-credentials registration.
    #[arg(long, value_name = "URL")]
    pub token_endpoint: Option<String>,
    /// A URL listing the provider's clients as JSON (an admin view), for `orphans`
    /// ("" removes it).
    #[arg(long, value_name = "URL")]
    pub list_endpoint: Option<String>,
    /// How registration authenticates [default: the kind's].
    #[arg(long, value_enum)]
    pub registration_auth: Option<RegistrationAuthArg>,
    /// The admin user, with --registration-auth basic.
    #[arg(long, value_name = "USER")]
    pub username: Option<String>,
    /// The registering client's id, with --registration-auth client-credentials.
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// The scope asked for with client-credentials ("" for none).
    #[arg(long)]
    pub scope: Option<String>,
    /// How read, update and delete authenticate [default: the kind's].
    #[arg(long, value_enum)]
    pub management_auth: Option<ManagementAuthArg>,
    /// Authorization scheme for both the initial and the registration access tokens
    /// (RFC 6750: Bearer; Soffid's documents show `token`).
    #[arg(long, value_name = "SCHEME")]
    pub scheme: Option<String>,
    /// Authorization scheme for the initial access token only.
    #[arg(long, value_name = "SCHEME")]
    pub registration_scheme: Option<String>,
    /// Authorization scheme for the registration access token only.
    #[arg(long, value_name = "SCHEME")]
    pub management_scheme: Option<String>,
    /// A parameter the provider needs that no RFC names (WSO2: applicationName), as
    /// KEY=VALUE; KEY= removes it. Repeatable.
    #[arg(long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,
    /// A PEM CA certificate to trust besides the system roots ("" removes it).
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// Skip TLS certificate checks; only allowed for loopback hosts.
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub accept_invalid_certs: Option<bool>,
    /// A host besides the registration endpoint's to which clients' registration access
    /// tokens may go (a registration_client_uri the provider names there); repeatable, and
    /// "" forgets every trusted host.
    #[arg(long = "trust-host", value_name = "HOST")]
    pub trust_hosts: Vec<String>,
    /// Request timeout in seconds.
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<u64>,
}

impl ProfileFlags {
    pub fn apply(&self, profile: &mut Profile) -> Result<(), Failure> {
        if let Some(issuer) = &self.issuer {
            profile.issuer = non_empty(issuer);
        }
        if let Some(endpoint) = &self.registration_endpoint {
            profile.registration_endpoint = endpoint.trim().to_string();
        }
        if let Some(endpoint) = &self.token_endpoint {
            profile.token_endpoint = non_empty(endpoint);
        }
        profile.registration_auth = self.registration_auth(&profile.registration_auth)?;
        if let Some(auth) = self.management_auth {
            profile.management_auth = match auth {
                ManagementAuthArg::Rat => ManagementAuth::RegistrationAccessToken,
                ManagementAuthArg::Admin => ManagementAuth::AdminCredentials,
            };
        }
        let settings = &mut profile.settings;
        if let Some(list) = &self.list_endpoint {
            settings.list_endpoint = non_empty(list);
        }
        for host in &self.trust_hosts {
            let host = host.trim().to_ascii_lowercase();
            if host.is_empty() {
                settings.trusted_hosts.clear();
            } else if !settings.trusted_hosts.contains(&host) {
                settings.trusted_hosts.push(host);
            }
        }
        if let Some(scheme) = &self.scheme {
            settings.registration_scheme = scheme.clone();
            settings.management_scheme = scheme.clone();
        }
        if let Some(scheme) = &self.registration_scheme {
            settings.registration_scheme = scheme.clone();
        }
        if let Some(scheme) = &self.management_scheme {
            settings.management_scheme = scheme.clone();
        }
        for param in &self.params {
            match param.split_once('=') {
                Some((key, _)) if key.trim().is_empty() => return Err(bad_param(param)),
                Some((key, "")) => {
                    profile.extra_params.remove(key.trim());
                }
                Some((key, value)) => {
                    profile.extra_params.insert(key.trim().to_string(), value.to_string());
                }
                None => return Err(bad_param(param)),
            }
        }
        profile.tls = self.tls(&profile.tls)?;
        if let Some(secs) = self.timeout {
            if secs == 0 {
                return Err(Failure::usage("--timeout must be at least 1 second"));
            }
            profile.timeouts.request_secs = secs;
            profile.timeouts.connect_secs = profile.timeouts.connect_secs.min(secs);
        }
        Ok(())
    }

    /// The TLS options the flags ask for, starting from `current`.
    pub fn tls(&self, current: &TlsOptions) -> Result<TlsOptions, Failure> {
        let mut tls = current.clone();
        if let Some(path) = &self.ca_cert {
            tls.ca_certificate_pem = read_ca_cert(path)?;
        }
        if let Some(accept) = self.accept_invalid_certs {
            tls.accept_invalid_certificates = accept;
        }
        Ok(tls)
    }

    /// The registration authentication the flags ask for, starting from `current`.
    fn registration_auth(&self, current: &RegistrationAuth) -> Result<RegistrationAuth, Failure> {
        let target = self.registration_auth.unwrap_or(match current {
            RegistrationAuth::None => RegistrationAuthArg::None,
            RegistrationAuth::InitialAccessToken => RegistrationAuthArg::Bearer,
            RegistrationAuth::Basic { .. } => RegistrationAuthArg::Basic,
            RegistrationAuth::ClientCredentials { .. } => RegistrationAuthArg::ClientCredentials,
        });
        let misplaced = |flag: &str, given: bool, needs: &str| {
            if given {
                Err(Failure::usage(format!(
                    "{flag} only applies with --registration-auth {needs}"
                )))
            } else {
                Ok(())
            }
        };
        if target != RegistrationAuthArg::Basic {
            misplaced("--username", self.username.is_some(), "basic")?;
        }
        if target != RegistrationAuthArg::ClientCredentials {
            misplaced("--client-id", self.client_id.is_some(), "client-credentials")?;
            misplaced("--scope", self.scope.is_some(), "client-credentials")?;
        }
        Ok(match target {
            RegistrationAuthArg::None => RegistrationAuth::None,
            RegistrationAuthArg::Bearer => RegistrationAuth::InitialAccessToken,
            RegistrationAuthArg::Basic => {
                let current = match current {
                    RegistrationAuth::Basic { username } => non_empty(username),
                    _ => None,
                };
                let username = self
                    .username
                    .as_deref()
                    .and_then(non_empty)
                    .or(current)
                    .ok_or_else(|| {
                        Failure::usage("--registration-auth basic needs the admin user: pass --username USER")
                    })?;
                RegistrationAuth::Basic { username }
            }
            RegistrationAuthArg::ClientCredentials => {
                let (current_id, current_scope) = match current {
                    RegistrationAuth::ClientCredentials { client_id, scope } => (non_empty(client_id), scope.clone()),
                    _ => (None, None),
                };
                let client_id = self
                    .client_id
                    .as_deref()
                    .and_then(non_empty)
                    .or(current_id)
                    .ok_or_else(|| {
                        Failure::usage(
                            "--registration-auth client-credentials needs the registering client: pass --client-id ID",
                        )
                    })?;
                let scope = match &self.scope {
                    Some(scope) => non_empty(scope),
                    None => current_scope,
                };
                RegistrationAuth::ClientCredentials { client_id, scope }
            }
        })
    }
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

fn bad_param(param: &str) -> Failure {
    Failure::usage(format!("--param {param}: write KEY=VALUE, or KEY= to remove it"))
}

pub fn read_ca_cert(path: &std::path::Path) -> Result<Option<String>, Failure> {
    if path.as_os_str().is_empty() {
        return Ok(None);
    }
    let pem = std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("cannot read the CA certificate {}: {e}", path.display())))?;
    if !pem.contains("-----BEGIN CERTIFICATE-----") {
        return Err(Failure::usage(format!("{} holds no PEM certificate", path.display())));
    }
    Ok(Some(pem))
}
