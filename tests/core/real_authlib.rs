//! The core against Authlib's own RFC 7591/7592 endpoints (PyPI, pinned in
//! tests/providers/authlib): an initial access token, replace-on-update (RFC 7592) and
//! merge-on-update, registration access token rotation on and off, discovery that only
//! RFC 8414 completes, and the probe on each.

use registrar_core::{ClientMetadata, DocumentKind, ProbeOptions, ProviderKind, RegistrationAuthFinding};
use registrar_tests::local::Local;
use registrar_tests::meta;
use registrar_tests::real_provider::RealProvider;
use serde_json::json;

const IAT: &str = "authlib-initial-access-token";

fn client(name: &str) -> ClientMetadata {
    meta(json!({
        "client_name": name,
        "redirect_uris": ["https://app.example.org/callback"],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "client_secret_post",
        "scope": "read write",
        "contacts": ["ops@example.org"]
    }))
}

fn authlib(update: &str, rotate: bool) -> RealProvider {
    let mut flags = vec!["--initial-access-token", IAT, "--update", update];
    if rotate {
        flags.push("--rotate-token");
    }
    RealProvider::authlib(&flags)
}

#[tokio::test]
async fn lifecycle_with_an_initial_access_token_in_replace_and_merge_modes() {
    for (update, rotate) in [("replace", true), ("merge", false)] {
        let op = authlib(update, rotate);
        let local = Local::new();
        let p = local.profile(
            "authlib",
            ProviderKind::Generic,
            Some(&op.issuer),
            &op.registration_endpoint,
            Some(IAT),
        );
        let r = &local.registrar;
        let ctx = format!("{update}, rotate {rotate}");

        let registered = r
            .register(&p.id, client("authlib app"))
            .await
            .unwrap_or_else(|e| panic!("{ctx}: {e}"));
        let id = registered.registration.client_id.clone();
        let token = r.registration_access_token(&p.id, &id).unwrap().expect("a token");

        // Only the name changes; a replacing provider keeps everything else because the
        // engine sends the whole metadata back.
        let mut desired = registered.registration.metadata_returned.clone();
        desired.set("client_name", json!("renamed"));
        let updated = r
            .update(&p.id, &id, desired)
            .await
            .unwrap_or_else(|e| panic!("{ctx}: update: {e}"));
        let back = &updated.registration.metadata_returned;
        assert_eq!(back.client_name(), Some("renamed"), "{ctx}");
        assert_eq!(
            back.str("token_endpoint_auth_method"),
            Some("client_secret_post"),
            "{ctx}"
        );
        assert_eq!(back.redirect_uris(), vec!["https://app.example.org/callback"], "{ctx}");
        assert_eq!(back.str("scope"), Some("read write"), "{ctx}");
        assert!(updated.drift.is_empty(), "{ctx}: {:?}", updated.drift);
        assert_eq!(updated.rotated_registration_access_token, rotate, "{ctx}");
        let now = r.registration_access_token(&p.id, &id).unwrap().expect("a token");
        assert_eq!(now != token, rotate, "{ctx}");

        r.read(&p.id, &id).await.unwrap_or_else(|e| panic!("{ctx}: read: {e}"));
        let deleted = r
            .delete(&p.id, &id)
            .await
            .unwrap_or_else(|e| panic!("{ctx}: delete: {e}"));
        assert_eq!(deleted.status, 204, "{ctx}");
    }
}

#[tokio::test]
async fn the_probe_tells_replace_from_merge_and_rotation() {
    for (update, rotate) in [("replace", true), ("merge", false)] {
        let op = authlib(update, rotate);
        let local = Local::new();
        let p = local.profile(
            "authlib",
            ProviderKind::Generic,
            Some(&op.issuer),
            &op.registration_endpoint,
            Some(IAT),
        );
        let report = local
            .registrar
            .probe(&p.id, ProbeOptions { allow_writes: true }, &|_| {})
            .await
            .unwrap();
        let f = &report.findings;
        let ctx = format!("{update}, rotate {rotate}: {:#?}", report.steps);
        // Authlib refuses a missing token with 400 access_denied and no challenge.
        assert_eq!(f.registration_auth, RegistrationAuthFinding::Credentials, "{ctx}");
        assert_eq!(f.registration_auth_disagreement, None, "{ctx}");
        assert_eq!(f.update_needs_full_metadata, Some(update == "replace"), "{ctx}");
        assert_eq!(f.rotates_token_on_update, Some(rotate), "{ctx}");
        assert_eq!(f.rotates_secret_on_update, Some(false), "{ctx}");
        assert_eq!(f.unknown_fields_kept, Some(false), "{ctx}");
        assert!(f.fields_dropped.iter().any(|d| d == "x_registrar_probe"), "{ctx}");
        assert_eq!(f.delete_status, Some(204), "{ctx}");
        assert_eq!(report.cleaned_up, Some(true), "{ctx}");
        assert!(report.steps.iter().all(|s| s.ok), "{ctx}");
    }
}

#[tokio::test]
async fn a_registration_endpoint_only_the_rfc8414_document_names_is_found() {
    let op = RealProvider::authlib(&["--openid-config-without-registration"]);
    let local = Local::new();
    let d = local.registrar.discover(&op.issuer, &Default::default()).await.unwrap();
    assert_eq!(
        d.registration_endpoint.as_deref(),
        Some(op.registration_endpoint.as_str())
    );
    let source = d.source_of("registration_endpoint").expect("a source");
    assert_eq!(source.document, DocumentKind::OauthAuthorizationServer);
    assert_eq!(
        d.source_of("token_endpoint").map(|s| s.document),
        Some(DocumentKind::OpenidConfiguration),
        "the OpenID document comes first"
    );
    let profile = d.propose_profile("from discovery").unwrap();
    assert_eq!(profile.registration_endpoint, op.registration_endpoint);
}
