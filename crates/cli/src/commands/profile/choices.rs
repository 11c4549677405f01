//! The closed choices of the profile flags, as clap value enums so that help and
//! completions list them, each mapped onto the core's type. The provider kind is the
//! core's own `ProviderKind` (its `clap` feature).

use clap::ValueEnum;

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
