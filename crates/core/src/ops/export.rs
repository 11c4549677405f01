//! Exports: a registration as JSON, as a `.env` file, or as a curl script that replays its
//! read; a profile without its secrets, for a colleague. Secrets go in only when asked
//! for. Every provider-supplied value is quoted for the shell, since a client name is
//! text from a provider and may be hostile.

use super::management_url::management_url;
use super::Registrar;
use crate::error::{Error, Result};
use crate::profile::{ManagementAuth, Profile, ProfileId, ProfileSecrets};
use crate::secrets::SecretKey;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How [`Registrar::export`] writes a registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum ExportFormat {
    /// The provider's metadata as JSON, with `registration_client_uri`.
    Json,
    /// A `.env` file of `OIDC_*` variables (client id, issuer, token endpoint, redirect URIs, scope).
    Env,
    /// A POSIX shell script that reads the client with curl (RFC 7592 §2.1).
    Curl,
}

impl std::str::FromStr for ExportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "json" => Ok(Self::Json),
            "env" => Ok(Self::Env),
            "curl" => Ok(Self::Curl),
            other => Err(format!("unknown export format {other:?}; use json, env or curl")),
        }
    }
}

/// The file format of an exported profile.
#[derive(Debug, Serialize, Deserialize)]
struct ProfileExport {
    registrar_profile: u32,
    profile: Profile,
}

impl Registrar {
    /// One registration of `profile` (its id or name) in `format`. Its client secret and
    /// registration access token go in only `with_secrets`.
    pub fn export(&self, profile: &str, client_id: &str, format: ExportFormat, with_secrets: bool) -> Result<String> {
        let profile = self.store.profile(profile)?;
        let reg = self.store.registration(&profile.id, client_id)?;
        let secret = if with_secrets {
            self.secrets.get(&SecretKey::client_secret(&profile.id, client_id))?
        } else {
            None
        };
        let token = if with_secrets {
            self.secrets
                .get(&SecretKey::registration_access_token(&profile.id, client_id))?
        } else {
            None
        };
        Ok(match format {
            ExportFormat::Json => {
                let mut meta = reg.metadata_returned.clone();
                if let Some(s) = &secret {
                    meta.set("client_secret", Value::String(s.expose().into()));
                }
                if let Some(t) = &token {
                    meta.set("registration_access_token", Value::String(t.expose().into()));
                }
                if let Some(uri) = &reg.registration_client_uri {
                    meta.set("registration_client_uri", Value::String(uri.clone()));
                }
                serde_json::to_string_pretty(&meta).unwrap_or_default() + "\n"
            }
            ExportFormat::Env => {
                let mut out = format!(
                    "# {} on {} — exported by Registrar\n",
                    one_line(reg.client_name.as_deref().unwrap_or(client_id)),
                    one_line(&profile.name)
                );
                let mut line = |k: &str, v: &str| out.push_str(&format!("{k}={}\n", shell_quote(v)));
                line("OIDC_CLIENT_ID", client_id);
                if let Some(s) = &secret {
                    line("OIDC_CLIENT_SECRET", s.expose());
                }
                if let Some(issuer) = &profile.issuer {
                    line("OIDC_ISSUER", issuer);
                }
                if let Some(t) = &profile.token_endpoint {
                    line("OIDC_TOKEN_ENDPOINT", t);
                }
                line("OIDC_REDIRECT_URIS", &reg.metadata_returned.redirect_uris().join(" "));
                if let Some(scope) = reg.metadata_returned.str("scope") {
                    line("OIDC_SCOPE", scope);
                }
                if secret.is_none() {
                    out.push_str("# OIDC_CLIENT_SECRET is not exported; export again with secrets to include it\n");
                }
                out
            }
            ExportFormat::Curl => curl_script(&profile, &reg, token.as_ref().map(|t| t.expose())),
        })
    }

    /// The profile as JSON, without secrets and without its local id.
    pub fn export_profile(&self, profile: &str) -> Result<String> {
        let mut profile = self.store.profile(profile)?;
        profile.id = ProfileId::from("");
        let export = ProfileExport {
            registrar_profile: 1,
            profile,
        };
        Ok(serde_json::to_string_pretty(&export).unwrap_or_default() + "\n")
    }

    /// Adds a profile from `export_profile`'s output, under a new id (and `name`, if given).
    pub fn import_profile(&self, json: &str, name: Option<&str>, secrets: &ProfileSecrets) -> Result<Profile> {
        let export: ProfileExport = serde_json::from_str(json)
            .map_err(|e| Error::field("profile", format!("is not a Registrar profile export: {e}")))?;
        let mut profile = export.profile;
        profile.id = ProfileId::generate();
        if let Some(name) = name {
            profile.name = name.to_string();
        }
        self.save_profile(&profile, secrets)
    }
}

fn curl_script(profile: &Profile, reg: &crate::store::registrations::Registration, token: Option<&str>) -> String {
    let mut out =
        String::from("#!/bin/sh\n# Reads this client from its provider, as Registrar does (RFC 7592).\nset -eu\n");
    // The URL Registrar itself would read from (the returned URI, else the profile's
    // template); where there is none, or the provider offers no read, the script says so
    // and fails instead of handing curl something that is not a URL.
    let url = if profile.settings.operations.read {
        management_url(profile, reg).map_err(|e| e.to_string())
    } else {
        Err(format!(
            "the profile {} says its provider offers no read of a client",
            profile.name
        ))
    };
    let url = match url {
        Ok(url) => url.to_string(),
        Err(why) => {
            let message = one_line(&format!("cannot read {} from its provider: {why}", reg.client_id));
            out.push_str(&format!("echo {} >&2\nexit 1\n", shell_quote(&message)));
            return out;
        }
    };
    let auth = match profile.management_auth {
        ManagementAuth::RegistrationAccessToken => {
            match token {
                Some(t) => out.push_str(&format!("REGISTRATION_ACCESS_TOKEN={}\n", shell_quote(t))),
                None => out.push_str(
                    ": \"${REGISTRATION_ACCESS_TOKEN:?export it first (registrar export --with-secrets shows it)}\"\n",
                ),
            }
            authorization_header(&profile.settings.management_scheme, "REGISTRATION_ACCESS_TOKEN")
        }
        ManagementAuth::AdminCredentials => match profile.admin_username() {
            Some(username) => {
                out.push_str(": \"${ADMIN_PASSWORD:?export the admin password first}\"\n");
                format!("-u {}\"$ADMIN_PASSWORD\"", shell_quote(&format!("{username}:")))
            }
            // An API token (Okta's SSWS) or a token got with client_credentials.
            None => {
                out.push_str(": \"${ADMIN_TOKEN:?export the profile's API or access token first}\"\n");
                authorization_header(&profile.settings.registration_scheme, "ADMIN_TOKEN")
            }
        },
    };
    out.push_str(&format!(
        "curl -sS -H 'Accept: application/json' {auth} {}\n",
        shell_quote(&url)
    ));
    out
}

/// `-H 'Authorization: SCHEME '"$VARIABLE"`: the scheme comes from a profile that may have
/// been imported from someone else, so it is quoted as data, never expanded.
fn authorization_header(scheme: &str, variable: &str) -> String {
    format!(
        "-H {}\"${variable}\"",
        shell_quote(&format!("Authorization: {scheme} "))
    )
}

/// Single-quotes a value for POSIX shells.
pub(crate) fn shell_quote(v: &str) -> String {
    format!("'{}'", v.replace('\'', "'\\''"))
}

fn one_line(v: &str) -> String {
    v.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_survives_hostile_values() {
        assert_eq!(shell_quote("a'b; rm -rf /"), "'a'\\''b; rm -rf /'");
        assert_eq!(one_line("x\ny"), "x y");
        assert_eq!(
            authorization_header("Bearer $(touch /tmp/x)`id`", "T"),
            "-H 'Authorization: Bearer $(touch /tmp/x)`id` '\"$T\""
        );
    }
}
