//! The client metadata fields each provider kind is documented to take beyond the ones the
//! register form has inputs for, with their type and what they do, so the form can offer
//! them. Facts only: each entry comes from the provider's document in `../shared/seeds/`
//! (cited per kind), in its own words where it gives some; a field a document only shows
//! in an example says so. Kinds without a seed document, or whose document shows no field
//! beyond the form's (INDIGO IAM), have none.

use super::ProviderKind;
use serde::Serialize;

/// The JSON type a vendor field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum VendorFieldType {
    /// A JSON string.
    String,
    /// A JSON boolean.
    Boolean,
    /// A JSON integer.
    Integer,
    /// A JSON array of strings.
    StringList,
}

/// One field a provider kind takes, for the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct VendorField {
    /// The metadata field's name, as sent.
    pub name: &'static str,
    /// Its JSON type.
    pub kind: VendorFieldType,
    /// What it does, in one line, from the provider's document.
    pub description: &'static str,
}

const fn field(name: &'static str, kind: VendorFieldType, description: &'static str) -> VendorField {
    VendorField {
        name,
        kind,
        description,
    }
}

use VendorFieldType::{Boolean, Integer, String as Text, StringList};

/// IBM WebSphere Liberty, "Configure an OpenID Connect Provider to accept client registration
/// requests" (seed: ibm-liberty-op-registration.txt), its table of client registration
/// metadata.
const LIBERTY: &[VendorField] = &[
    field(
        "preauthorized_scope",
        Text,
        "Space-delimited scopes the client is preauthorized for, that do not require user consent.",
    ),
    field(
        "introspect_tokens",
        Boolean,
        "Whether the client has the privilege to introspect an access token issued by the OP.",
    ),
    field(
        "trusted_uri_prefixes",
        StringList,
        "URI prefixes the client has deemed safe for sending access tokens.",
    ),
    field(
        "functional_user_id",
        Text,
        "The user ID to associate with a request made on behalf of the client in a client_credentials grant.",
    ),
    field(
        "functional_user_groupIds",
        StringList,
        "Group IDs (case-sensitive) to associate with access tokens this client gets with client_credentials; ignored without functional_user_id.",
    ),
    field(
        "post_logout_redirect_uris",
        StringList,
        "Post logout redirect URIs to which the client is constrained.",
    ),
    field(
        "subject_type",
        Text,
        "The subject type constraint described by the client, e.g. public.",
    ),
];

/// WSO2 Identity Server 5.3.0, "OpenID Connect Dynamic Client Registration" (seed:
/// wso2-is-5.3.0-dcr.txt).
const WSO2: &[VendorField] = &[field(
    "ext_param_owner",
    Text,
    "The application's owner; the answer names the client <ext_param_owner>_<client_name>.",
)];

/// SimpleIdServer 4.0, "Dynamic client registration API" (seed: simpleidserver-dcr.txt). The
/// document describes none of these: its registration answer returns them with the values
/// quoted, set although the request did not send them.
const SIMPLEIDSERVER: &[VendorField] = &[
    field(
        "token_expiration_time_seconds",
        Integer,
        "Returned with 1800 when not sent, in the document's registration answer.",
    ),
    field(
        "refresh_token_expiration_time_seconds",
        Integer,
        "Returned with 1800 when not sent, in the document's registration answer.",
    ),
    field(
        "preferred_token_profile",
        Text,
        "Returned as \"Bearer\" when not sent, in the document's registration answer.",
    ),
    field(
        "is_consent_disabled",
        Boolean,
        "Returned as false when not sent, in the document's registration answer.",
    ),
    field(
        "tls_client_certificate_bound_access_token",
        Boolean,
        "Returned as false when not sent, in the document's registration answer.",
    ),
    field(
        "backchannel_user_code_parameter",
        Boolean,
        "Returned as false when not sent, in the document's registration answer.",
    ),
    field(
        "frontchannel_logout_session_required",
        Boolean,
        "Returned as false when not sent, in the document's registration answer.",
    ),
    field(
        "backchannel_logout_session_required",
        Boolean,
        "Returned as false when not sent, in the document's registration answer.",
    ),
    field(
        "require_auth_time",
        Boolean,
        "Returned as false when not sent, in the document's registration answer.",
    ),
    field(
        "subject_type",
        Text,
        "Returned as \"public\" when not sent, in the document's registration answer.",
    ),
    field(
        "id_token_signed_response_alg",
        Text,
        "Returned as \"RS256\" when not sent, in the document's registration answer.",
    ),
    field(
        "token_signed_response_alg",
        Text,
        "Returned as \"RS256\" when not sent, in the document's registration answer.",
    ),
    field(
        "authorization_signed_response_alg",
        Text,
        "Returned as \"RS256\" when not sent, in the document's registration answer.",
    ),
    field(
        "default_acr_values",
        StringList,
        "Returned empty when not sent, in the document's registration answer.",
    ),
    field(
        "post_logout_redirect_uris",
        StringList,
        "Returned empty when not sent, in the document's registration answer.",
    ),
    field(
        "authorization_data_types",
        StringList,
        "Returned empty when not sent, in the document's registration answer.",
    ),
];

/// Soffid, "Openid-connect Dynamic Register" (seed: soffid-dynamic-register.txt): the
/// fields its register example sends beyond the form's.
const SOFFID: &[VendorField] = &[
    field(
        "subject_type",
        Text,
        "Sent as \"pairwise\" in the document's register example.",
    ),
    field(
        "userinfo_encrypted_response_alg",
        Text,
        "Sent as \"RSA1_5\" in the document's register example (encrypted userinfo).",
    ),
    field(
        "userinfo_encrypted_response_enc",
        Text,
        "Sent as \"A128CBC-HS256\" in the document's register example (encrypted userinfo).",
    ),
    field(
        "request_uris",
        StringList,
        "Sent with one request object URI in the document's register example.",
    ),
];

/// The fields `kind` is documented to take beyond the form's, in the document's order;
/// empty for a kind without a seed document or with none to add (INDIGO IAM's seed shows
/// only fields the form has).
pub fn vendor_fields(kind: ProviderKind) -> &'static [VendorField] {
    match kind {
        ProviderKind::Liberty => LIBERTY,
        ProviderKind::Wso2 => WSO2,
        ProviderKind::SimpleIdServer => SIMPLEIDSERVER,
        ProviderKind::Soffid => SOFFID,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::RESPONSE_ONLY_FIELDS;

    #[test]
    fn liberty_offers_its_documented_fields_with_their_types() {
        let liberty = vendor_fields(ProviderKind::Liberty);
        let kind_of = |name: &str| liberty.iter().find(|f| f.name == name).map(|f| f.kind);
        assert_eq!(kind_of("introspect_tokens"), Some(VendorFieldType::Boolean));
        assert_eq!(kind_of("preauthorized_scope"), Some(VendorFieldType::String));
        assert_eq!(kind_of("functional_user_id"), Some(VendorFieldType::String));
        assert_eq!(kind_of("functional_user_groupIds"), Some(VendorFieldType::StringList));
        assert_eq!(kind_of("trusted_uri_prefixes"), Some(VendorFieldType::StringList));
    }

    #[test]
    fn each_kind_has_its_own_and_kinds_without_a_document_none() {
        assert_eq!(vendor_fields(ProviderKind::Wso2)[0].name, "ext_param_owner");
        assert!(vendor_fields(ProviderKind::SimpleIdServer)
            .iter()
            .any(|f| f.name == "is_consent_disabled"));
        assert!(vendor_fields(ProviderKind::Soffid)
            .iter()
            .any(|f| f.name == "userinfo_encrypted_response_alg"));
        for kind in [ProviderKind::Generic, ProviderKind::Indigo, ProviderKind::Keycloak] {
            assert!(vendor_fields(kind).is_empty(), "{kind:?}");
        }
    }

    #[test]
    fn every_field_is_described_once_and_none_is_the_providers_to_set() {
        for kind in ProviderKind::ALL {
            let fields = vendor_fields(kind);
            for (i, f) in fields.iter().enumerate() {
                assert!(!f.description.trim().is_empty(), "{kind:?} {}", f.name);
                assert!(!f.description.contains('\n'), "one line: {kind:?} {}", f.name);
                assert!(!RESPONSE_ONLY_FIELDS.contains(&f.name), "{kind:?} {}", f.name);
                assert!(
                    fields[..i].iter().all(|g| g.name != f.name),
                    "{kind:?} {} twice",
                    f.name
                );
            }
        }
    }
}
