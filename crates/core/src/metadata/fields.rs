//! The field names RFC 7591, RFC 7592 and OpenID Connect DCR 1.0 define.

/// Fields with a form in the UI; every other field is a vendor field.
pub const KNOWN_FIELDS: &[&str] = &[
    "client_id",
    "client_secret",
    "client_id_issued_at",
    "client_secret_expires_at",
    "registration_access_token",
    "registration_client_uri",
    "redirect_uris",
    "token_endpoint_auth_method",
    "grant_types",
    "response_types",
    "client_name",
    "client_uri",
    "logo_uri",
    "scope",
    "contacts",
    "tos_uri",
    "policy_uri",
    "jwks_uri",
    "jwks",
    "software_id",
    "software_version",
    "software_statement",
    "application_type",
    "sector_identifier_uri",
    "subject_type",
    "id_token_signed_response_alg",
    "id_token_encrypted_response_alg",
    "id_token_encrypted_response_enc",
    "userinfo_signed_response_alg",
    "userinfo_encrypted_response_alg",
    "userinfo_encrypted_response_enc",
    "request_object_signing_alg",
    "request_object_encryption_alg",
    "request_object_encryption_enc",
    "token_endpoint_auth_signing_alg",
    "default_max_age",
    "require_auth_time",
    "default_acr_values",
    "initiate_login_uri",
    "request_uris",
    "post_logout_redirect_uris",
];

/// Fields only a provider sets; RFC 7592 forbids sending the last four on update.
pub const RESPONSE_ONLY_FIELDS: &[&str] = &[
    "registration_access_token",
    "registration_client_uri",
    "client_secret_expires_at",
    "client_id_issued_at",
];

/// Fields whose values are secrets and go to the keychain only.
pub const SECRET_FIELDS: &[&str] = &["client_secret", "registration_access_token"];

/// Whether `name` is one of [`KNOWN_FIELDS`]; any other is a vendor field.
pub fn is_known_field(name: &str) -> bool {
    KNOWN_FIELDS.contains(&name)
}
