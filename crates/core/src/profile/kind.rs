//! The provider kinds Registrar knows, each a preset of engine settings. Differences are
//! data here; `op-dialects.md` and the vendor documents are the source of each value.

use super::{EngineSettings, ManagementAuth, Operations, RegistrationAuth, TokenAuthMethod, UpdateSecret};
use crate::metadata::ValidationRules;
use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum ProviderKind {
    Generic,
    Soffid,
    Wso2,
    Indigo,
    #[serde(rename = "simpleidserver")]
    SimpleIdServer,
    Liberty,
}

/// A kind's defaults for a new profile.
#[derive(Debug, Clone)]
pub struct Preset {
    pub registration_auth: RegistrationAuth,
    pub management_auth: ManagementAuth,
    pub settings: EngineSettings,
}

impl ProviderKind {
    pub const ALL: [ProviderKind; 6] = [
        ProviderKind::Generic,
        ProviderKind::Soffid,
        ProviderKind::Wso2,
        ProviderKind::Indigo,
        ProviderKind::SimpleIdServer,
        ProviderKind::Liberty,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            ProviderKind::Generic => "generic",
            ProviderKind::Soffid => "soffid",
            ProviderKind::Wso2 => "wso2",
            ProviderKind::Indigo => "indigo",
            ProviderKind::SimpleIdServer => "simpleidserver",
            ProviderKind::Liberty => "liberty",
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
        }
    }

    pub fn preset(&self) -> Preset {
        let base = EngineSettings::default();
        let rat = ManagementAuth::RegistrationAccessToken;
        match self {
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
                        client_chosen_credentials: false,
                    },
                    ..base
                },
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
                format!("unknown provider kind {s:?}; expected one of generic, soffid, wso2, indigo, simpleidserver, liberty")
            })
    }
}
