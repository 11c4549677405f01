//! Direct access to a running mock, as the provider's own admin console would give: inspect and
//! tamper with clients, switch rotation, inject faults, switch resource faults. For tests and the HTTP admin API.

use std::fmt;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::state::Shared;
use crate::{Fault, ResourceFault};

/// A cheap, cloneable handle on one mock's state.
#[derive(Clone)]
pub struct AdminHandle {
    shared: Arc<Shared>,
}

impl AdminHandle {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        AdminHandle { shared }
    }

    /// Every client's stored metadata (with `client_id` and the real `client_secret`), in
    /// registration order.
    pub fn list_clients(&self) -> Vec<Value> {
        self.shared
            .store
            .snapshot()
            .into_iter()
            .map(|record| Value::Object(record.metadata()))
            .collect()
    }

    /// One client's stored metadata.
    pub fn get_client(&self, client_id: &str) -> Option<Value> {
        self.shared
            .store
            .read(client_id, |record| Value::Object(record.metadata()))
    }

    /// Sets fields; a `null` value removes the field. `client_id` cannot be changed. Counts as
    /// a change (new ETag). False if there is no such client.
    pub fn patch_client(&self, client_id: &str, patch: Map<String, Value>) -> bool {
        self.shared
            .store
            .update(client_id, |record| {
                record.edit_metadata(|metadata| {
                    for (key, value) in patch {
                        if key == "client_id" {
                            continue;
                        }
                        if value.is_null() {
                            metadata.shift_remove(&key);
                        } else {
                            metadata.insert(key, value);
                        }
                    }
                });
                record.touch();
            })
            .is_some()
    }

    /// Deletes a client behind the API's back; false if there was none.
    pub fn remove_client(&self, client_id: &str) -> bool {
        self.shared.store.remove(client_id).is_some()
    }

    /// The client's current registration access token (none in wso2 and liberty).
    pub fn registration_access_token(&self, client_id: &str) -> Option<String> {
        self.shared
            .store
            .read(client_id, |record| record.rat.as_deref().map(str::to_owned))
            .flatten()
    }

    /// How many clients are registered.
    pub fn client_count(&self) -> usize {
        self.shared.store.len()
    }

    /// Switches rotation from the next request on (see [`crate::MockConfig`]).
    pub fn set_rotation(&self, rat_on_read: bool, rat_on_update: bool, secret_on_read: bool) {
        self.shared.rotation.set(rat_on_read, rat_on_update, secret_on_read);
    }

    /// Makes a new ID token signing key, which signs every ID token from now on, and returns
    /// its `kid`. With `keep_previous`, the old keys stay in the JWK Set (a rollover: tokens
    /// already issued still verify); without, the JWK Set holds only the new key, so tokens
    /// signed before fail verification.
    pub fn rotate_signing_key(&self, keep_previous: bool) -> String {
        self.shared.signing_keys.rotate(keep_previous)
    }

    /// The `kid` of the key new ID tokens are signed with.
    pub fn signing_kid(&self) -> String {
        self.shared.signing_keys.current_kid()
    }

    /// The JWK Set published at `jwks_uri`.
    pub fn jwks(&self) -> Value {
        self.shared.signing_keys.jwks()
    }

    /// Openbanking: trusts software statements signed by a key of this JWK Set (the
    /// directory's public keys, each with a `kid`) from the next request on, instead of the
    /// directory trusted so far. Registrar's own local "directory" key goes here.
    pub fn trust_directory(&self, jwks: Value) {
        self.shared.trust_directory(Some(jwks));
    }

    /// Openbanking: trusts no directory any more (every statement is unapproved).
    pub fn distrust_directory(&self) {
        self.shared.trust_directory(None);
    }

    /// The trusted directory's JWK Set, if any.
    pub fn trusted_directory(&self) -> Option<Value> {
        self.shared.trusted_directory()
    }

    /// Queues a fault for the provider API.
    pub fn inject(&self, fault: Fault) {
        self.shared.faults.inject(fault);
    }

    /// Drops all pending faults and the latency.
    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// Switches the protected resource's misconfigurations from the next request on: exactly
    /// these are on, the others off (an empty list switches all off).
    pub fn set_resource_faults(&self, on: &[ResourceFault]) {
        self.shared.resource_faults.set(on);
    }

    /// The resource faults switched on, in [`ResourceFault::ALL`] order.
    pub fn resource_faults(&self) -> Vec<ResourceFault> {
        self.shared.resource_faults.list()
    }

    /// Requests received on the provider API so far (admin requests are not counted).
    pub fn request_count(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }
}

impl fmt::Debug for AdminHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminHandle")
            .field("dialect", &self.shared.dialect)
            .field("base_url", &self.shared.urls.base)
            .finish_non_exhaustive()
    }
}
