//! The closed choices of the profile flags, as clap value enums so that help and
//! completions list them, each mapped onto the core's type.

use clap::ValueEnum;
use registrar_core::ProviderKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// A plain RFC 7591/7592 provider (Keycloak, Curity, ... start here).
    Generic,
    Soffid,
    /// WSO2 Identity Server 5.3.
    Wso2,
    /// INDIGO IAM (MITREid Connect).
    Indigo,
    Simpleidserver,
    /// IBM WebSphere Liberty OpenID Connect Provider.
    Liberty,
}

impl KindArg {
    pub fn kind(self) -> ProviderKind {
        match self {
            Self::Generic => ProviderKind::Generic,
            Self::Soffid => ProviderKind::Soffid,
            Self::Wso2 => ProviderKind::Wso2,
            Self::Indigo => ProviderKind::Indigo,
            Self::Simpleidserver => ProviderKind::SimpleIdServer,
            Self::Liberty => ProviderKind::Liberty,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RegistrationAuthArg {
    /// Open registration.
    None,
    /// An initial access token (RFC 7591 section 3).
    Bearer,
    /// HTTP Basic with an admin user (--username).
    Basic,
    /// A token from the token endpoint with the client_credentials grant (--client-id).
    ClientCredentials,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ManagementAuthArg {
    /// Each client's registration access token (RFC 7592).
    Rat,
    /// The profile's admin credentials.
    Admin,
}
