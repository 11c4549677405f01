//! Presets for products that no mock here imitates: each is the generic engine with the
//! settings its vendor documents, cited above it. `tests/core/presets.rs` checks each
//! preset's requests against a recording server.

use super::kind::Preset;
use super::{EngineSettings, ManagementAuth, Operations, RegistrationAuth, UpdateSecret};

/// Keycloak's client registration service, OpenID Connect flavour
/// (Securing Applications guide, "Client Registration"):
/// `{server}/realms/{realm}/clients-registrations/openid-connect`, authenticated with an
/// initial access token or an admin's bearer token; each client is managed at
/// `registration_client_uri` with its registration access token, which Keycloak rotates
/// on update (the engine stores each new one first; a read returns the same or a re-signed
/// one, stored too). `client_id` is required in an update's body (the engine always sends
/// it) and `client_secret` there is ignored. Policy refusals come back as 403
/// `insufficient_scope` with "Policy '...' rejected request ..." in `error_description`.
pub(super) fn keycloak() -> Preset {
    Preset {
        registration_auth: RegistrationAuth::InitialAccessToken,
        management_auth: ManagementAuth::RegistrationAccessToken,
        settings: EngineSettings {
            // The secret and its expiry are the server's; Keycloak answers with the
            // current secret, and the engine never sends one back it did not choose.
            update_secret: UpdateSecret::Omit,
            ..EngineSettings::default()
        },
    }
}

/// Okta's Dynamic Client Registration API (developer.okta.com, "Dynamic Client
/// Registration API"): `POST {org}/oauth2/v1/clients` with an API token (`SSWS`) or an
/// access token with `okta.clients.register`; clients are read, replaced and deleted at
/// `/oauth2/v1/clients/{clientId}` with the same credential, and no registration access
/// token is issued. Updates replace the whole client (the engine sends the full metadata,
/// never `client_secret_expires_at` or `client_id_issued_at`).
pub(super) fn okta() -> Preset {
    Preset {
        registration_auth: RegistrationAuth::InitialAccessToken,
        management_auth: ManagementAuth::AdminCredentials,
        settings: EngineSettings {
            registration_scheme: "SSWS".into(),
            management_scheme: "SSWS".into(),
            client_uri_template: Some("clients/{client_id}".into()),
            update_secret: UpdateSecret::Omit,
            ..EngineSettings::default()
        },
    }
}

/// Auth0's OIDC Dynamic Client Registration (auth0.com docs, "Dynamic Application
/// Registration"): `POST {tenant}/oidc/register`, open once the tenant enables it, and no
/// RFC 7592 management: clients are changed through the Management API instead.
pub(super) fn auth0() -> Preset {
    Preset {
        registration_auth: RegistrationAuth::None,
        management_auth: ManagementAuth::RegistrationAccessToken,
        settings: EngineSettings {
            operations: Operations {
                read: false,
                update: false,
                delete: false,
            },
            ..EngineSettings::default()
        },
    }
}

/// Curity Identity Server's DCR endpoint (curity.io, "Dynamic Client Registration"):
/// `{base}/oauth/v2/oauth-dynamic-client-registration`, authenticated with an access token
/// that has the `dcr` scope, got with `client_credentials` by a client made for that;
/// RFC 7592 management at `registration_client_uri` with the registration access token.
/// ("Dynamic Client Registration Management"): every GET and PUT rotates both the
/// registration access token and the client secret, so no secret is sent back on update.
pub(super) fn curity() -> Preset {
    Preset {
        registration_auth: RegistrationAuth::ClientCredentials {
            client_id: String::new(),
            scope: Some("dcr".into()),
        },
        management_auth: ManagementAuth::RegistrationAccessToken,
        settings: EngineSettings {
            update_secret: UpdateSecret::Omit,
            ..EngineSettings::default()
        },
    }
}

/// Ory Hydra (ory.sh docs, "OpenID Connect Dynamic Client Registration"):
/// `POST {public}/oauth2/register`, open when `oidc.dynamic_client_registration.enabled`
/// is set; each client is managed at `{public}/oauth2/register/{id}` with its registration
/// access token. The URI is returned only at creation (hence the template), PUT rotates
/// the token, and a `client_secret` in an update is refused with 403.
pub(super) fn hydra() -> Preset {
    Preset {
        registration_auth: RegistrationAuth::None,
        management_auth: ManagementAuth::RegistrationAccessToken,
        settings: EngineSettings {
            client_uri_template: Some("register/{client_id}".into()),
            update_secret: UpdateSecret::Omit,
            ..EngineSettings::default()
        },
    }
}

/// Janssen Auth Server (docs.jans.io, "Client Registration"; Gluu's oxAuth had the same
/// API under `/oxauth`): `POST {host}/jans-auth/restv1/register`, open by default; the
/// client is managed at `registration_client_uri` (`.../register?client_id=...`, used
/// verbatim; Gluu's ids hold `@` and `!`, so the template encodes them) with its
/// registration access token. Updates take the full metadata; no secret is sent back.
pub(super) fn janssen() -> Preset {
    Preset {
        registration_auth: RegistrationAuth::None,
        management_auth: ManagementAuth::RegistrationAccessToken,
        settings: EngineSettings {
            client_uri_template: Some("?client_id={client_id}".into()),
            update_secret: UpdateSecret::Omit,
            ..EngineSettings::default()
        },
    }
}
