//! What the lifecycle operations return. Secrets that the user must see once (a new
//! client secret) travel as `Secret`; the shells decide how to show them.

use crate::metadata::ClientMetadata;
use crate::secret::Secret;
use crate::store::registrations::Registration;

#[derive(Debug, Clone)]
pub struct RegisterOutcome {
    pub registration: Registration,
    pub client_secret: Option<Secret>,
    pub registration_access_token: Option<Secret>,
    /// Things the user must know, such as "the keychain failed: copy the secret now".
    pub warnings: Vec<String>,
}

/// The result of a read (refresh) or an update.
#[derive(Debug, Clone)]
pub struct SyncOutcome {
    pub registration: Registration,
    /// The provider's metadata as it was known before this call.
    pub previous: ClientMetadata,
    pub rotated_registration_access_token: bool,
    pub rotated_client_secret: bool,
    /// The client secret, when this call issued a new one.
    pub new_client_secret: Option<Secret>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct DeleteOutcome {
    pub client_id: String,
    pub status: u16,
    pub warnings: Vec<String>,
}
