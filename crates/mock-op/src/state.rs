//! The state one running mock shares between its handlers and its [`crate::AdminHandle`].

use std::sync::atomic::AtomicU64;

use std::sync::{PoisonError, RwLock};

use serde_json::Value;

use crate::access_tokens::AccessTokens;
use crate::body::BodyRules;
use crate::client_assertion::SeenAssertions;
use crate::faults::{FaultQueue, ResourceFaults};
use crate::grants::Grants;
use crate::interactions::Interactions;
use crate::rotation::Rotation;
use crate::shutdown;
use crate::signing_keys::SigningKeys;
use crate::store::Store;
use crate::urls::Urls;
use crate::validate::Rules;
use crate::{Credentials, Dialect, MockConfig, Timing};

/// Everything behind one mock's `Arc`.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) dialect: Dialect,
    pub(crate) credentials: Credentials,
    pub(crate) require_initial_token: bool,
    pub(crate) max_body_bytes: usize,
    pub(crate) urls: Urls,
    pub(crate) body_rules: BodyRules,
    pub(crate) rules: Rules,
    pub(crate) rotation: Rotation,
    pub(crate) store: Store,
    pub(crate) faults: FaultQueue,
    /// Misconfigurations of the protected resource, switchable while running.
    pub(crate) resource_faults: ResourceFaults,
    pub(crate) access_tokens: AccessTokens,
    /// Codes, tokens and device authorizations of the authorization server.
    pub(crate) grants: Grants,
    /// Login pages in progress.
    pub(crate) interactions: Interactions,
    pub(crate) signing_keys: SigningKeys,
    pub(crate) timing: Timing,
    /// Requests received on the provider API (admin requests excluded).
    pub(crate) requests: AtomicU64,
    /// Source of Soffid's sequential `DR_<n>` client ids.
    pub(crate) next_number: AtomicU64,
    pub(crate) shutdown: shutdown::Signal,
    /// `jti`s of `private_key_jwt` assertions already used.
    pub(crate) assertion_ids: SeenAssertions,
    /// Openbanking: the JWK Set of the directory whose software statements are trusted.
    trusted_directory: RwLock<Option<Value>>,
    /// Openbanking: plain JSON registrations are taken too.
    pub(crate) accept_unsigned_requests: bool,
}

impl Shared {
    pub(crate) fn new(config: MockConfig, base_url: &str, shutdown: shutdown::Signal) -> Self {
        let rotation = Rotation::default();
        rotation.set(
            config.rotate_rat_on_read,
            config.rotate_rat_on_update,
            config.rotate_secret_on_read,
        );
        Shared {
            dialect: config.dialect,
            urls: Urls::new(config.dialect, base_url, &config.liberty_provider),
            body_rules: BodyRules::for_dialect(config.dialect),
            rules: Rules::for_dialect(config.dialect),
            credentials: config.credentials,
            require_initial_token: config.require_initial_token,
            max_body_bytes: config.max_body_bytes,
            rotation,
            store: Store::new(),
            faults: FaultQueue::default(),
            resource_faults: ResourceFaults::new(&config.resource_faults),
            access_tokens: AccessTokens::new(),
            grants: Grants::default(),
            interactions: Interactions::default(),
            signing_keys: SigningKeys::new(),
            timing: config.timing,
            requests: AtomicU64::new(0),
            next_number: AtomicU64::new(1),
            shutdown,
            assertion_ids: SeenAssertions::default(),
            trusted_directory: RwLock::new(config.trusted_directory_jwks),
            accept_unsigned_requests: config.accept_unsigned_requests,
        }
    }

    /// The trusted directory's JWK Set, if one is set.
    pub(crate) fn trusted_directory(&self) -> Option<Value> {
        self.trusted_directory
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub(crate) fn trust_directory(&self, jwks: Option<Value>) {
        *self.trusted_directory.write().unwrap_or_else(PoisonError::into_inner) = jwks;
    }
}
