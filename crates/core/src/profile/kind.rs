//! The provider kinds Registrar knows, each a preset of engine settings. Differences are
//! data here; `op-dialects.md` and the vendor documents are the source of each value.

use super::{EngineSettings, ManagementAuth, Operations, RegistrationAuth, TokenAuthMethod, UpdateSecret};
use crate::metadata::ValidationRules;
use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// The products Registrar has a preset for; anything else is [`ProviderKind::Generic`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum), value(rename_all = "lower"))]
pub enum ProviderKind {
    /// A plain RFC 7591/7592 provider.
    Generic,
    /// Soffid: registration and read only, as Soffid documents.
    Soffid,
    /// WSO2 Identity Server 5.3.
    Wso2,
    /// INDIGO IAM (MITREid Connect).
    Indigo,
    /// SimpleIdServer: registration with a `client_credentials` token.
    #[serde(rename = "simpleidserver")]
    SimpleIdServer,
    /// IBM WebSphere Liberty OpenID Connect Provider.
    Liberty,
    /// An Open Banking UK ASPSP (DCR v3.3): registration as a signed JWT with a software
    /// statement, over mutual TLS; FAPI rules.
    #[serde(rename = "openbanking")]
    OpenBanking,
    /// Keycloak's client registration service (OIDC endpoint).
    Keycloak,
    /// Okta: `/oauth2/v1/clients`, every call with the same API token (`SSWS`).
    Okta,
    /// Auth0: registration only; no RFC 7592 management.
    Auth0,
    /// Curity Identity Server.
    Curity,
    /// Ory Hydra.
    Hydra,
    /// Janssen Auth Server (and Gluu's oxAuth before it).
    Janssen,
}

/// A kind's defaults for a new profile.
#[derive(Debug, Clone)]
pub struct Preset {
    pub registration_auth: RegistrationAuth,
    pub management_auth: ManagementAuth,
    pub settings: EngineSettings,
}

impl ProviderKind {
    /// Every kind, `Generic` first.
    pub const ALL: [ProviderKind; 13] = [
        ProviderKind::Generic,
        ProviderKind::Soffid,
        ProviderKind::Wso2,
        ProviderKind::Indigo,
        ProviderKind::SimpleIdServer,
        ProviderKind::Liberty,
        ProviderKind::OpenBanking,
        ProviderKind::Keycloak,
        ProviderKind::Okta,
        ProviderKind::Auth0,
        ProviderKind::Curity,
        ProviderKind::Hydra,
        ProviderKind::Janssen,
    ];

    /// The kind's stable name, as serialised and as the CLI takes it (`"simpleidserver"`).
    pub fn as_str(&self) -> &'static str {
        match self {
            ProviderKind::Generic => "generic",
            ProviderKind::Soffid => "soffid",
            ProviderKind::Wso2 => "wso2",
            ProviderKind::Indigo => "indigo",
            ProviderKind::SimpleIdServer => "simpleidserver",
            ProviderKind::Liberty => "liberty",
            ProviderKind::OpenBanking => "openbanking",
            ProviderKind::Keycloak => "keycloak",
            ProviderKind::Okta => "okta",
            ProviderKind::Auth0 => "auth0",
            ProviderKind::Curity => "curity",
            ProviderKind::Hydra => "hydra",
            ProviderKind::Janssen => "janssen",
        }
    }

    /// A human name for messages and the UI.
    pub fn label(&self) -> &'static str {
        match self {
            ProviderKind::Generic => "RFC 7591/7592 provider",
            ProviderKind::Soffid => "Soffid",
            ProviderKind::Wso2 => "WSO2 Identity Server 5.3",
            ProviderKind::Indigo => "INDIGO IAM (MITREid)",
            ProviderKind::SimpleIdServer => "SimpleIdServer",
            ProviderKind::Liberty => "IBM WebSphere Liberty OP",
            ProviderKind::OpenBanking => "Open Banking UK (DCR 3.3)",
            ProviderKind::Keycloak => "Keycloak",
            ProviderKind::Okta => "Okta",
            ProviderKind::Auth0 => "Auth0",
            ProviderKind::Curity => "Curity Identity Server",
            ProviderKind::Hydra => "Ory Hydra",
            ProviderKind::Janssen => "Janssen / Gluu",
        }
    }

    /// The kind's defaults for a new profile: registration and management auth, engine settings.
    pub fn preset(&self) -> Preset {
        let base = EngineSettings::default();
        let rat = ManagementAuth::RegistrationAccessToken;
        match self {
            // Products run by others, documented by their vendors: presets of their own file.
            ProviderKind::Keycloak => super::vendor_presets::keycloak(),
            ProviderKind::Okta => super::vendor_presets::okta(),
            ProviderKind::Auth0 => super::vendor_presets::auth0(),
            ProviderKind::Curity => super::vendor_presets::curity(),
            ProviderKind::Hydra => super::vendor_presets::hydra(),
            ProviderKind::Janssen => super::vendor_presets::janssen(),
            ProviderKind::Generic => Preset {
                registration_auth: RegistrationAuth::None,
                management_auth: rat,
                settings: base,
            },
            // Soffid documents register and read only.
            ProviderKind::Soffid => Preset {
                registration_auth: RegistrationAuth::InitialAccessToken,
                management_auth: rat,
                settings: EngineSettings {
                    operations: Operations {
                        read: true,
                        update: false,
                        delete: false,
                    },
                    ..base
                },
            },
            // WSO2 5.3 returns no registration_client_uri and no token; delete lives under
            // /identity/register and names the owner-prefixed application.
            ProviderKind::Wso2 => Preset {
                registration_auth: RegistrationAuth::Basic {
                    username: String::new(),
                },
                management_auth: ManagementAuth::AdminCredentials,
                settings: EngineSettings {
                    operations: Operations {
                        read: false,
                        update: false,
                        delete: true,
                    },
                    client_uri_template: Some("../register/{client_id}".into()),
                    delete_query: vec![
                        ("userId".into(), "{username}".into()),
                        ("applicationName".into(), "{client_name}".into()),
                    ],
                    update_secret: UpdateSecret::Omit,
                    validation: ValidationRules {
                        bare_host_redirects: true,
                        regexp_redirects: true,
                        ..ValidationRules::default()
                    },
                    ..base
                },
            },
            // Open Banking UK: no initial token; the software statement inside a signed
            // request, over mutual TLS, is the authorisation (SigningSettings says how).
            ProviderKind::OpenBanking => Preset {
                registration_auth: RegistrationAuth::None,
                management_auth: rat,
                settings: base,
            },
            ProviderKind::Indigo => Preset {
                registration_auth: RegistrationAuth::None,
                management_auth: rat,
                settings: base,
            },
            ProviderKind::SimpleIdServer => Preset {
                registration_auth: RegistrationAuth::ClientCredentials {
                    client_id: String::new(),
                    scope: Some("register".into()),
                },
                management_auth: rat,
                settings: EngineSettings {
                    token_auth: TokenAuthMethod::ClientSecretPost,
                    drift_ignore: vec!["update_datetime".into()],
                    ..base
                },
            },
            // Liberty: admin Basic for everything, secrets masked as "*", ETags.
            ProviderKind::Liberty => Preset {
                registration_auth: RegistrationAuth::Basic {
                    username: String::new(),
                },
                management_auth: ManagementAuth::AdminCredentials,
                settings: EngineSettings {
                    update_secret: UpdateSecret::SendMask,
                    secret_mask: Some("*".into()),
                    use_etag: true,
                    validation: ValidationRules {
                        client_chosen_credentials: true,
                        ..ValidationRules::default()
                    },
                    ..base
                },
            },
        }
    }
}

impl fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ProviderKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ProviderKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                let known: Vec<&str> = ProviderKind::ALL.iter().map(ProviderKind::as_str).collect();
                format!("unknown provider kind {s:?}; expected one of {}", known.join(", "))
            })
    }
}
