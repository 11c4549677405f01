//! What an Open Banking provider adds to (or changes in) its discovery document: the three
//! key- and certificate-based authentication methods, PS256/ES256, certificate-bound access
//! tokens, and RFC 8705 §5's `mtls_endpoint_aliases`. The whole server is mutual TLS, so the
//! aliases are the very same URLs (a client that prefers them loses nothing).

use serde_json::{json, Value};

use super::{ALGORITHMS, AUTH_METHODS};
use crate::jose;
use crate::state::Shared;

pub(crate) fn advertise(shared: &Shared, document: &mut Value) {
    let Some(document) = document.as_object_mut() else {
        return;
    };
    let urls = &shared.urls;
    let algorithms: Vec<String> = jose::names(ALGORITHMS).split(", ").map(str::to_owned).collect();
    for key in [
        "token_endpoint_auth_methods_supported",
        "introspection_endpoint_auth_methods_supported",
        "revocation_endpoint_auth_methods_supported",
    ] {
        document.insert(key.into(), json!(AUTH_METHODS));
    }
    for key in [
        "token_endpoint_auth_signing_alg_values_supported",
        "request_object_signing_alg_values_supported",
    ] {
        document.insert(key.into(), json!(algorithms));
    }
    document.insert("tls_client_certificate_bound_access_tokens".into(), true.into());
    document.insert(
        "mtls_endpoint_aliases".into(),
        json!({
            "token_endpoint": urls.token,
            "registration_endpoint": urls.registration,
            "introspection_endpoint": urls.introspection,
            "revocation_endpoint": urls.revocation,
            "device_authorization_endpoint": urls.device_authorization,
            "userinfo_endpoint": urls.userinfo,
        }),
    );
}
