//! A `private_key_jwt` client that names its keys by `jwks_uri` (RFC 7591 §2): before an
//! assertion is signed, the set published there is read, so that a key the provider cannot
//! find there is said before anything is sent (a rotation whose new key was not published
//! yet is the usual cause).

use super::keys::now;
use super::rotation::kids;
use crate::error::{Error, Result};
use crate::ops::{CallInfo, CallKind, Registrar};
use crate::profile::Profile;

impl Registrar {
    /// Checks the set at `client_id`'s `jwks_uri` (when it has one) holds the key its
    /// assertions are signed with: a refusal when the set answers without it; a warning when
    /// Registrar cannot read the set (the provider may reach what Registrar cannot).
    pub(crate) async fn check_published_key(&self, profile: &Profile, client_id: &str) -> Result<Vec<String>> {
        let registration = self.store.registration(&profile.id, client_id)?;
        let Some(uri) = registration.metadata_returned.str("jwks_uri").map(str::to_string) else {
            return Ok(Vec::new());
        };
        let t = now();
        let Some(kid) = self
            .keys(&profile.id, Some(client_id))?
            .into_iter()
            .rfind(|k| k.is_active(t))
            .map(|k| k.kid)
        else {
            return Ok(Vec::new());
        };
        let transport = self.transport(profile)?;
        let info = CallInfo {
            profile_id: Some(&profile.id),
            client_id: Some(client_id),
            operation: CallKind::Try,
        };
        let set = self.read_jwk_set(transport.as_ref(), &uri, Some(info)).await;
        match set {
            Err(why) => Ok(vec![format!(
                "the client's jwks_uri {uri} did not give Registrar its keys (it {why}); if the provider cannot read it either, it cannot verify the assertion"
            )]),
            Ok(set) if kids(&set).contains(&kid) => Ok(Vec::new()),
            Ok(set) => Err(Error::config(
                "keys",
                format!(
                    "the JWK Set at the client's jwks_uri {uri} does not hold key {kid}, which signs its assertions (it holds {}): publish the key there first; nothing was sent",
                    match kids(&set).join(", ") {
                        held if held.is_empty() => "no key".to_string(),
                        held => held,
                    }
                ),
            )),
        }
    }
}
