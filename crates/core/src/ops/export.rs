//! Exports: a registration as JSON, as a `.env` file, or as a curl script that replays its
//! read; a profile without its secrets, for a colleague. Secrets go in only when asked
//! for. Every provider-supplied value is quoted for the shell, since a client name is
//! text from a provider and may be hostile.

use super::management_url::management_url;
use super::Registrar;
use crate::error::{Error, Result};
use crate::profile::{ManagementAuth, Profile, ProfileId, ProfileSecrets};
use crate::secrets::SecretKey;
use crate::store::registrations::Registration;
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
        Ok(match self.export_one(&profile, &reg, format, with_secrets, None)? {
            Piece::Json(value) => serde_json::to_string_pretty(&value).unwrap_or_default() + "\n",
            Piece::Text(text) if format == ExportFormat::Curl => format!("{CURL_HEADER}{text}"),
            Piece::Text(text) => text,
        })
    }

    /// One registration in `format`, as a part of a file: a curl script's lines without the
    /// script's opening. `prefix` names its variables apart from other clients' in the same
    /// file (`{prefix}_OIDC_CLIENT_ID`).
    fn export_one(
        &self,
        profile: &Profile,
        reg: &Registration,
        format: ExportFormat,
        with_secrets: bool,
        prefix: Option<&str>,
    ) -> Result<Piece> {
        let client_id = reg.client_id.as_str();
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
                Piece::Json(serde_json::to_value(&meta).unwrap_or_default())
            }
            ExportFormat::Env => {
                let mut out = format!(
                    "# {} on {} — exported by Registrar\n",
                    one_line(reg.client_name.as_deref().unwrap_or(client_id)),
                    one_line(&profile.name)
                );
                let var = |k: &str| prefix.map_or_else(|| k.to_string(), |p| format!("{p}_{k}"));
                let mut line = |k: &str, v: &str| out.push_str(&format!("{}={}\n", var(k), shell_quote(v)));
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
                    out.push_str(&format!(
                        "# {} is not exported; export again with secrets to include it\n",
                        var("OIDC_CLIENT_SECRET")
                    ));
                }
                Piece::Text(out)
            }
            ExportFormat::Curl => Piece::Text(curl_script(profile, reg, token.as_ref().map(|t| t.expose()), prefix)),
        })
    }

    /// Several registrations of `profile` in one text: a JSON array of what [`Self::export`]
    /// writes for each, a `.env` file whose variables carry a prefix per client
    /// (`BILLING_OIDC_CLIENT_ID`), or one curl script reading each client in turn (each with
    /// its own token variable). One client is exported exactly as [`Self::export`] does.
    pub fn export_many(
        &self,
        profile: &str,
        client_ids: &[String],
        format: ExportFormat,
        with_secrets: bool,
    ) -> Result<String> {
        match client_ids {
            [] => Err(Error::field("client_ids", "name at least one client to export")),
            [one] => self.export(profile, one, format, with_secrets),
            many => {
                let profile = self.store.profile(profile)?;
                let mut prefixes = Prefixes::default();
                let mut parts = Vec::with_capacity(many.len());
                for client_id in many {
                    let reg = self.store.registration(&profile.id, client_id)?;
                    let prefix = prefixes.claim(reg.client_name.as_deref().unwrap_or(client_id));
                    parts.push(self.export_one(&profile, &reg, format, with_secrets, Some(&prefix))?);
                }
                Ok(join_exports(format, parts))
            }
        }
    }

    /// A readable file name for an export of `client_ids`: the client's name (or id) for
    /// one, the profile's name and the count for several, with the format's extension.
    pub fn export_file_name(&self, profile: &str, client_ids: &[String], format: ExportFormat) -> Result<String> {
        let profile = self.store.profile(profile)?;
        let stem = match client_ids {
            [one] => {
                let reg = self.store.registration(&profile.id, one)?;
                reg.client_name
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or(reg.client_id)
            }
            many => format!("{} - {} clients", profile.name, many.len()),
        };
        let extension = match format {
            ExportFormat::Json => "json",
            ExportFormat::Env => "env",
            ExportFormat::Curl => "sh",
        };
        Ok(format!("{}.{extension}", file_stem(&stem)))
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

/// One client's part of an export file.
enum Piece {
    /// Its JSON object.
    Json(Value),
    /// Its lines (of a `.env` file, or of a curl script without the script's opening).
    Text(String),
}

/// The opening of every curl script.
const CURL_HEADER: &str = "#!/bin/sh\n# Reads this client from its provider, as Registrar does (RFC 7592).\nset -eu\n";
/// Several clients' reads: one that cannot run (no token exported, curl failing) is said
/// and skipped, the others still run, and the script's status says whether any failed.
const CURL_HEADER_MANY: &str = "#!/bin/sh\n# Reads these clients from their provider, as Registrar does (RFC 7592).\n\
    # A client that cannot be read is reported and skipped; the exit status is 1 if any was.\nset -u\nfailed=0\n";
const CURL_FOOTER_MANY: &str = "exit \"$failed\"\n";

/// Several clients' parts joined into one file of the format: a JSON array, the `.env`
/// blocks one after another, or one script reading each.
fn join_exports(format: ExportFormat, parts: Vec<Piece>) -> String {
    let mut values = Vec::new();
    let mut texts = Vec::new();
    for part in parts {
        match part {
            Piece::Json(value) => values.push(value),
            Piece::Text(text) => texts.push(text),
        }
    }
    match format {
        ExportFormat::Json => serde_json::to_string_pretty(&values).unwrap_or_default() + "\n",
        ExportFormat::Env => texts.join("\n"),
        ExportFormat::Curl => format!("{CURL_HEADER_MANY}{}{CURL_FOOTER_MANY}", texts.join("\n")),
    }
}

/// Variable prefixes for several clients in one file: each client's name in capitals with
/// anything but letters and digits as `_`, made unique with a number.
#[derive(Default)]
struct Prefixes(std::collections::HashSet<String>);

impl Prefixes {
    fn claim(&mut self, name: &str) -> String {
        let mut base: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect::<String>()
            .split('_')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("_");
        // A shell variable starts with a letter or `_`.
        if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            base = format!("CLIENT_{base}").trim_end_matches('_').to_string();
        }
        let mut candidate = base.clone();
        let mut n = 2;
        while !self.0.insert(candidate.clone()) {
            candidate = format!("{base}_{n}");
            n += 1;
        }
        candidate
    }
}

/// A file name's stem from a name a provider chose: no path separators, nothing Windows
/// refuses in a name, no control characters, no leading dots, not too long.
fn file_stem(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '<' | '>' | '"' | '|' | '?' | '*') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .take(80)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    if cleaned.is_empty() {
        "export".into()
    } else {
        cleaned.to_string()
    }
}

/// The lines of a script that reads the client, without the script's opening (the caller
/// adds [`CURL_HEADER`] or [`CURL_HEADER_MANY`]); with `prefix` (one of several clients in one script)
/// its token variable is `{prefix}_REGISTRATION_ACCESS_TOKEN`, and a client that cannot be
/// read (no URL, a credential not exported, curl failing) is reported and marked failed
/// without ending the script (see [`CURL_HEADER_MANY`]).
fn curl_script(profile: &Profile, reg: &Registration, token: Option<&str>, prefix: Option<&str>) -> String {
    let many = prefix.is_some();
    let mut out = String::new();
    if many {
        out.push_str(&format!(
            "\n# {} ({})\n",
            one_line(reg.client_name.as_deref().unwrap_or(&reg.client_id)),
            one_line(&reg.client_id)
        ));
    }
    let token_var = prefix.map_or_else(
        || "REGISTRATION_ACCESS_TOKEN".to_string(),
        |p| format!("{p}_REGISTRATION_ACCESS_TOKEN"),
    );
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
            let end = if many { "failed=1\n" } else { "exit 1\n" };
            out.push_str(&format!("echo {} >&2\n{end}", shell_quote(&message)));
            return out;
        }
    };
    // The variable the request needs, and what to say when it is not set.
    let (needed, hint, auth) = match profile.management_auth {
        ManagementAuth::RegistrationAccessToken => {
            if let Some(t) = token {
                out.push_str(&format!("{token_var}={}\n", shell_quote(t)));
            }
            let auth = authorization_header(&profile.settings.management_scheme, &token_var);
            (
                token_var,
                "export it first (registrar export --with-secrets shows it)",
                auth,
            )
        }
        ManagementAuth::AdminCredentials => match profile.admin_username() {
            Some(username) => (
                "ADMIN_PASSWORD".to_string(),
                "export the admin password first",
                format!("-u {}\"$ADMIN_PASSWORD\"", shell_quote(&format!("{username}:"))),
            ),
            // An API token (Okta's SSWS) or a token got with client_credentials.
            None => (
                "ADMIN_TOKEN".to_string(),
                "export the profile's API or access token first",
                authorization_header(&profile.settings.registration_scheme, "ADMIN_TOKEN"),
            ),
        },
    };
    let curl = format!("curl -sS -H 'Accept: application/json' {auth} {}", shell_quote(&url));
    if many {
        let skipped = one_line(&format!("{}: skipped; {needed} is not set: {hint}", reg.client_id));
        out.push_str(&format!(
            "if [ -n \"${{{needed}:-}}\" ]; then\n  {curl} || failed=1\nelse\n  echo {} >&2\n  failed=1\nfi\n",
            shell_quote(&skipped)
        ));
    } else {
        if token.is_none() || needed.starts_with("ADMIN_") {
            out.push_str(&format!(": \"${{{needed}:?{hint}}}\"\n"));
        }
        out.push_str(&curl);
        out.push('\n');
    }
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
    fn prefixes_are_shell_names_and_unique() {
        let mut p = Prefixes::default();
        assert_eq!(p.claim("Billing app"), "BILLING_APP");
        assert_eq!(p.claim("billing-app"), "BILLING_APP_2");
        assert_eq!(p.claim("$(rm -rf /)"), "RM_RF");
        assert_eq!(p.claim("9 lives"), "CLIENT_9_LIVES");
        assert_eq!(p.claim("日本"), "CLIENT");
        assert_eq!(p.claim(""), "CLIENT_2");
    }

    #[test]
    fn file_stems_are_names_not_paths() {
        assert_eq!(file_stem("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(file_stem("..."), "export");
        assert_eq!(file_stem(" .hidden "), "hidden");
        assert_eq!(file_stem("a\nb"), "a_b");
        assert_eq!(file_stem("what? <all>|\"*\""), "what_ _all_____");
        assert_eq!(file_stem(&"x".repeat(200)).len(), 80);
    }

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
