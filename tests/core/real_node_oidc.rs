//! The core against node-oidc-provider (npm, pinned in tests/providers/node-oidc): a real
//! OpenID Provider no one here wrote. Lifecycle with open registration and with an
//! initial access token, with registration access token rotation on update on and off,
//! and the probe on each.

use registrar_core::{
    ClientMetadata, DocumentKind, ProbeOptions, ProviderKind, RegistrationAuthFinding, SecretInAnswer,
};
use registrar_tests::local::Local;
use registrar_tests::meta;
use registrar_tests::real_provider::RealProvider;
use serde_json::{json, Value};

const IAT: &str = "registrar-test-initial-access-token";

/// A web client node-oidc-provider accepts with its default features.
fn web_client(name: &str) -> ClientMetadata {
    meta(json!({
        "client_name": name,
        "redirect_uris": ["https://app.example.org/callback"],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "client_secret_basic",
        "contacts": ["ops@example.org"]
    }))
}

fn provider(initial_access_token: bool, rotate: bool) -> RealProvider {
    let iat = if initial_access_token {
        Value::from(IAT)
    } else {
        Value::Null
    };
    RealProvider::node_oidc(json!({"initialAccessToken": iat, "rotateRegistrationAccessToken": rotate}))
}

#[tokio::test]
async fn lifecycle_open_and_with_an_initial_access_token_rotation_on_and_off() {
    for (with_iat, rotate) in [(false, false), (true, true), (false, true)] {
        let op = provider(with_iat, rotate);
        let local = Local::new();
        let iat = with_iat.then_some(IAT);
        let p = local.profile(
            "node",
            ProviderKind::Generic,
            Some(&op.issuer),
            &op.registration_endpoint,
            iat,
        );
        let ctx = format!("iat {with_iat}, rotate {rotate}");
        let r = &local.registrar;

        let registered = r
            .register(&p.id, web_client("real one"))
            .await
            .unwrap_or_else(|e| panic!("{ctx}: {e}"));
        assert_eq!(registered.status, 201, "{ctx}");
        let id = registered.registration.client_id.clone();
        let first_token = r.registration_access_token(&p.id, &id).unwrap().expect("token stored");
        let secret = r.client_secret(&p.id, &id).unwrap().expect("secret stored");
        assert!(registered.client_secret.is_some_and(|s| s == secret), "{ctx}");

        let read = r.read(&p.id, &id).await.unwrap_or_else(|e| panic!("{ctx}: read: {e}"));
        assert!(!read.rotated_registration_access_token, "{ctx}");
        assert!(read.drift.is_empty(), "{ctx}: {:?}", read.drift);

        // An edit of one field: everything else goes back as the provider returned it.
        let mut desired = read.registration.metadata_returned.clone();
        desired.set("client_name", json!("renamed"));
        let updated = r
            .update(&p.id, &id, desired)
            .await
            .unwrap_or_else(|e| panic!("{ctx}: update: {e}"));
        assert_eq!(
            updated.registration.metadata_returned.client_name(),
            Some("renamed"),
            "{ctx}"
        );
        assert_eq!(updated.rotated_registration_access_token, rotate, "{ctx}");
        let now = r.registration_access_token(&p.id, &id).unwrap().expect("token stored");
        assert_eq!(now != first_token, rotate, "{ctx}: the rotated token is the stored one");

        // The stored token is the one that works.
        let again = r
            .read(&p.id, &id)
            .await
            .unwrap_or_else(|e| panic!("{ctx}: read after update: {e}"));
        assert_eq!(again.registration.metadata_returned.client_name(), Some("renamed"));
        assert_eq!(again.secret_in_answer, SecretInAnswer::Shown, "{ctx}");

        let deleted = r
            .delete(&p.id, &id)
            .await
            .unwrap_or_else(|e| panic!("{ctx}: delete: {e}"));
        assert_eq!(deleted.status, 204, "{ctx}");
        assert!(r.registration_access_token(&p.id, &id).unwrap().is_none(), "{ctx}");
    }
}

#[tokio::test]
async fn the_probe_tells_token_rotation_on_update_with_an_initial_access_token_required() {
    for rotate in [true, false] {
        let op = provider(true, rotate);
        let local = Local::new();
        let p = local.profile(
            "node",
            ProviderKind::Generic,
            Some(&op.issuer),
            &op.registration_endpoint,
            Some(IAT),
        );

        let read_only = local
            .registrar
            .probe(&p.id, ProbeOptions::default(), &|_| {})
            .await
            .unwrap();
        assert_ne!(
            read_only.findings.registration_auth,
            RegistrationAuthFinding::None,
            "never 'open' from an invalid body: {:#?}",
            read_only.steps
        );

        let report = local
            .registrar
            .probe(&p.id, ProbeOptions { allow_writes: true }, &|_| {})
            .await
            .unwrap();
        let f = &report.findings;
        let ctx = format!("rotate {rotate}: {:#?}", report.steps);
        assert_eq!(f.discovery_found, Some(true), "{ctx}");
        assert_eq!(f.registration_auth, RegistrationAuthFinding::Bearer, "{ctx}");
        assert_eq!(f.registration_auth_disagreement, None, "{ctx}");
        assert_eq!(f.register_status, Some(201), "{ctx}");
        assert_eq!(f.rotates_token_on_update, Some(rotate), "{ctx}");
        assert_eq!(f.rotates_token_on_read, Some(false), "{ctx}");
        assert_eq!(
            (f.offers_read, f.offers_update, f.offers_delete),
            (Some(true), Some(true), Some(true)),
            "{ctx}"
        );
        assert_eq!(f.delete_status, Some(204), "{ctx}");
        assert_eq!(f.delete_deletes, Some(true), "{ctx}");
        assert_eq!(report.cleaned_up, Some(true), "{ctx}");
        assert!(report.steps.iter().all(|s| s.ok), "{ctx}");
    }
}

#[tokio::test]
async fn the_probe_says_when_the_provider_and_the_profile_disagree_on_registration_auth() {
    // The provider wants a token; the profile has none.
    let op = provider(true, true);
    let local = Local::new();
    let p = local.profile(
        "node",
        ProviderKind::Generic,
        Some(&op.issuer),
        &op.registration_endpoint,
        None,
    );
    let report = local
        .registrar
        .probe(&p.id, ProbeOptions { allow_writes: true }, &|_| {})
        .await
        .unwrap();
    assert_eq!(report.findings.registration_auth, RegistrationAuthFinding::Bearer);
    assert!(
        report.findings.registration_auth_disagreement.is_some(),
        "{:#?}",
        report.steps
    );
    assert_eq!(report.cleaned_up, None, "nothing was created");

    // Open registration; the profile sends a token anyway.
    let op = provider(false, true);
    let p = local.profile(
        "open",
        ProviderKind::Generic,
        Some(&op.issuer),
        &op.registration_endpoint,
        Some("unused"),
    );
    let report = local
        .registrar
        .probe(&p.id, ProbeOptions { allow_writes: true }, &|_| {})
        .await
        .unwrap();
    assert_eq!(report.findings.registration_auth, RegistrationAuthFinding::None);
    let note = report
        .findings
        .registration_auth_disagreement
        .clone()
        .unwrap_or_default();
    assert!(note.contains("without credentials"), "{note}");
    assert_eq!(report.cleaned_up, Some(true), "{:#?}", report.steps);
}

#[tokio::test]
async fn discovery_reads_both_documents_and_finds_a_registration_endpoint_only_rfc8414_names() {
    let op = RealProvider::node_oidc(json!({"discovery": "oauth"}));
    let local = Local::new();
    let d = local.registrar.discover(&op.issuer, &Default::default()).await.unwrap();
    assert_eq!(
        d.registration_endpoint.as_deref(),
        Some(op.registration_endpoint.as_str())
    );
    let source = d.source_of("registration_endpoint").expect("a source");
    assert_eq!(source.document, DocumentKind::OauthAuthorizationServer);
    assert_eq!(
        d.documents.iter().filter(|doc| doc.used).count(),
        1,
        "{:?}",
        d.documents
    );
    assert!(d.grant_types_supported.iter().any(|g| g == "authorization_code"));

    let both = RealProvider::node_oidc(json!({}));
    let d = local
        .registrar
        .discover(&both.issuer, &Default::default())
        .await
        .unwrap();
    assert_eq!(
        d.documents.iter().filter(|doc| doc.used).count(),
        2,
        "{:?}",
        d.documents
    );
    assert_eq!(
        d.source_of("registration_endpoint").map(|s| s.document),
        Some(DocumentKind::OpenidConfiguration)
    );
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}
