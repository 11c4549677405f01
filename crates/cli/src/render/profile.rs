//! A profile as the CLI shows it. Field names follow the `profile add` flags, so what
//! `profile show --json` prints reads like the command that made it. Secrets are never
//! part of a profile.

use super::table::{self, or_dash};
use super::Human;
use registrar_core::{ManagementAuth, Profile, RegistrationAuth};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Serialize)]
pub struct ProfileView {
    pub name: String,
    pub id: registrar_core::ProfileId,
    pub kind: &'static str,
    pub issuer: Option<String>,
    pub registration_endpoint: String,
    pub token_endpoint: Option<String>,
    /// `none`, `bearer`, `basic` or `client-credentials`.
    pub registration_auth: &'static str,
    pub username: Option<String>,
    pub client_id: Option<String>,
    pub scope: Option<String>,
    /// `rat` or `admin`.
    pub management_auth: &'static str,
    pub operations: Operations,
    pub registration_scheme: String,
    pub management_scheme: String,
    pub params: BTreeMap<String, String>,
    pub ca_certificate: bool,
    pub accept_invalid_certs: bool,
    pub connect_timeout_secs: u64,
    pub timeout_secs: u64,
    /// The key whose certificate is presented on every request (mutual TLS).
    pub client_certificate: Option<String>,
    /// The key registrations and updates are signed with (application/jwt).
    pub sign_requests: Option<String>,
    /// The `aud` of signed requests, when not the issuer.
    pub request_audience: Option<String>,
    /// The software statement every registration carries (its label).
    pub software_statement: Option<String>,
    /// FAPI algorithm rules (PS256, ES256 only).
    pub fapi: bool,
    /// The protected resource (an MCP server) the profile was made from.
    pub resource: Option<registrar_core::profile::BoundResource>,
    /// Clients recorded locally for this profile.
    pub clients: usize,
}

#[derive(Debug, Serialize)]
pub struct Operations {
    pub register: bool,
    pub read: bool,
    pub update: bool,
    pub delete: bool,
}

pub fn registration_auth_name(auth: &RegistrationAuth) -> &'static str {
    match auth {
        RegistrationAuth::None => "none",
        RegistrationAuth::InitialAccessToken => "bearer",
        RegistrationAuth::Basic { .. } => "basic",
        RegistrationAuth::ClientCredentials { .. } => "client-credentials",
    }
}

pub fn management_auth_name(auth: ManagementAuth) -> &'static str {
    match auth {
        ManagementAuth::RegistrationAccessToken => "rat",
        ManagementAuth::AdminCredentials => "admin",
    }
}

impl ProfileView {
    pub fn new(p: &Profile, clients: usize) -> Self {
        let (username, client_id, scope) = match &p.registration_auth {
            RegistrationAuth::Basic { username } => (Some(username.clone()), None, None),
            RegistrationAuth::ClientCredentials { client_id, scope } => (None, Some(client_id.clone()), scope.clone()),
            _ => (None, None, None),
        };
        let ops = &p.settings.operations;
        Self {
            name: p.name.clone(),
            id: p.id.clone(),
            kind: p.kind.as_str(),
            issuer: p.issuer.clone(),
            registration_endpoint: p.registration_endpoint.clone(),
            token_endpoint: p.token_endpoint.clone(),
            registration_auth: registration_auth_name(&p.registration_auth),
            username,
            client_id,
            scope,
            management_auth: management_auth_name(p.management_auth),
            operations: Operations {
                register: true,
                read: ops.read,
                update: ops.update,
                delete: ops.delete,
            },
            registration_scheme: p.settings.registration_scheme.clone(),
            management_scheme: p.settings.management_scheme.clone(),
            params: p.extra_params.clone(),
            ca_certificate: p.tls.ca_certificate_pem.is_some(),
            accept_invalid_certs: p.tls.accept_invalid_certificates,
            connect_timeout_secs: p.timeouts.connect_secs,
            timeout_secs: p.timeouts.request_secs,
            client_certificate: p.tls.client_certificate.clone(),
            sign_requests: p.signing.request_signing_key.clone(),
            request_audience: p.signing.request_audience.clone(),
            software_statement: p.signing.software_statement.clone(),
            fapi: p.signing.fapi,
            resource: p.resource.clone(),
            clients,
        }
    }

    fn registration_auth_text(&self) -> String {
        match (self.registration_auth, &self.username, &self.client_id) {
            ("basic", Some(user), _) => format!("basic, as {user}"),
            ("client-credentials", _, Some(id)) => format!(
                "client-credentials, as {id}{}",
                self.scope
                    .as_deref()
                    .map(|s| format!(" (scope {s})"))
                    .unwrap_or_default()
            ),
            ("bearer", _, _) => format!("bearer initial access token ({} scheme)", self.registration_scheme),
            (other, _, _) => other.to_string(),
        }
    }

    fn operations_text(&self) -> String {
        let o = &self.operations;
        let ops = [
            ("register", o.register),
            ("read", o.read),
            ("update", o.update),
            ("delete", o.delete),
        ];
        ops.iter()
            .filter(|(_, on)| *on)
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Human for ProfileView {
    fn human(&self) -> String {
        let management = match self.management_auth {
            "rat" => format!("registration access token ({} scheme)", self.management_scheme),
            _ => "admin credentials".to_string(),
        };
        let params = if self.params.is_empty() {
            "-".to_string()
        } else {
            self.params
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let tls = match (self.ca_certificate, self.accept_invalid_certs) {
            (_, true) => "certificate checks OFF (loopback only)",
            (true, false) => "system roots and the profile's CA certificate",
            (false, false) => "system roots",
        };
        let mut rows = vec![
            ("name", self.name.clone()),
            ("id", self.id.to_string()),
            ("kind", self.kind.to_string()),
            ("issuer", or_dash(self.issuer.as_deref())),
            ("registration endpoint", self.registration_endpoint.clone()),
            ("token endpoint", or_dash(self.token_endpoint.as_deref())),
            ("registration auth", self.registration_auth_text()),
            ("management auth", management),
            ("operations", self.operations_text()),
            ("params", params),
            ("TLS", tls.to_string()),
        ];
        if let Some(kid) = &self.client_certificate {
            rows.push(("mutual TLS", format!("certificate of key {kid}")));
        }
        if let Some(kid) = &self.sign_requests {
            let aud = self.request_audience.as_deref().unwrap_or("the issuer");
            rows.push(("signed requests", format!("key {kid}, aud {aud}")));
        }
        if let Some(label) = &self.software_statement {
            rows.push(("software statement", label.clone()));
        }
        if self.fapi {
            rows.push(("FAPI", "PS256 and ES256 only".to_string()));
        }
        rows.push((
            "timeouts",
            format!("connect {}s, request {}s", self.connect_timeout_secs, self.timeout_secs),
        ));
        if let Some(r) = &self.resource {
            let scopes = if r.scopes.is_empty() {
                String::new()
            } else {
                format!(", scopes {}", r.scopes.join(" "))
            };
            rows.push(("resource", format!("{}{scopes}", r.url)));
        }
        rows.push(("clients", self.clients.to_string()));
        table::fields(rows).to_string()
    }
}

#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct Profiles(pub Vec<ProfileView>);

impl Human for Profiles {
    fn human(&self) -> String {
        if self.0.is_empty() {
            return "No profiles. Add one with `registrar profile add`.".into();
        }
        let mut t = table::list(&[
            "name",
            "kind",
            "registration endpoint",
            "registration auth",
            "operations",
            "clients",
        ]);
        for p in &self.0 {
            t.add_row(vec![
                p.name.clone(),
                p.kind.to_string(),
                p.registration_endpoint.clone(),
                p.registration_auth.to_string(),
                p.operations_text(),
                p.clients.to_string(),
            ]);
        }
        t.to_string()
    }
}

#[derive(Debug, Serialize)]
pub struct ProfileRemovedView {
    pub name: String,
    pub id: registrar_core::ProfileId,
    pub clients_forgotten: usize,
    pub warnings: Vec<String>,
}

impl Human for ProfileRemovedView {
    fn human(&self) -> String {
        format!(
            "Removed profile {} and forgot {} client record(s); the clients still exist on the provider.",
            self.name, self.clients_forgotten
        )
    }
}
