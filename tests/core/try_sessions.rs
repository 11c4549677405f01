//! Try sessions through the engine, against the mock's authorization server: a redirect URI
//! borrowed for the try and given back, and an ID token signed with a key the client has
//! not seen yet (the provider rotated its keys), which is checked after reading the JWK
//! Set again.

use registrar_core::tokens::CheckOutcome;
use registrar_core::{AuthorizationOptions, ClientMetadata, TryGrant};
use registrar_mock_op::Dialect;
use registrar_tests::browser::Browser;
use registrar_tests::Harness;
use serde_json::json;
use std::time::Duration;

fn meta(v: serde_json::Value) -> ClientMetadata {
    ClientMetadata::from_map(v.as_object().cloned().unwrap())
}

/// Runs the authorization code grant as the user, through the loopback listener.
async fn sign_in(h: &Harness, client_id: &str, options: AuthorizationOptions) -> registrar_core::TryOutcome {
    sign_in_at(&h.registrar, h.p(), client_id, options).await
}

async fn sign_in_at(
    registrar: &registrar_core::Registrar,
    profile: &str,
    client_id: &str,
    options: AuthorizationOptions,
) -> registrar_core::TryOutcome {
    let target = registrar
        .try_target(profile, client_id, Some(TryGrant::AuthorizationCode))
        .await
        .expect("the client can be tried");
    let mut pending = registrar
        .authorization_begin(&target, options)
        .await
        .expect("the request is prepared");
    let url = pending.url().to_string();
    let redirect = pending.redirect_uri().to_string();
    let user = async {
        let browser = Browser::default();
        let back = browser.authorize(&url, &redirect).await.expect("the user signs in");
        browser.visit(&back).await.expect("the listener answers");
    };
    let (callback, ()) = tokio::join!(pending.wait_for_redirect(Duration::from_secs(30)), user);
    registrar
        .authorization_finish(pending, &callback.expect("the browser came back"))
        .await
        .expect("the code is exchanged")
}

#[tokio::test]
async fn a_loopback_redirect_is_added_for_the_try_and_removed_after_it() {
    let h = Harness::start(Dialect::Generic).await;
    let id = h
        .registrar
        .register(
            h.p(),
            meta(json!({
                "client_name": "web only",
                "redirect_uris": ["https://app.example.org/callback"],
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
            })),
        )
        .await
        .unwrap()
        .registration
        .client_id;
    let target = h
        .registrar
        .try_target(h.p(), &id, Some(TryGrant::AuthorizationCode))
        .await
        .unwrap();
    let refused = h
        .registrar
        .authorization_begin(&target, AuthorizationOptions::default())
        .await
        .expect_err("no loopback redirect URI, and none may be added");
    assert!(refused.to_string().contains("loopback"), "{refused}");

    let outcome = sign_in(
        &h,
        &id,
        AuthorizationOptions {
            add_loopback: true,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(outcome.report.grant_type, "authorization_code");
    assert!(outcome.report.warnings.is_empty(), "{:?}", outcome.report.warnings);
    let at_provider = h.mock.admin().get_client(&id).expect("the client is still there");
    assert_eq!(
        at_provider["redirect_uris"],
        json!(["https://app.example.org/callback"]),
        "the borrowed redirect URI is given back"
    );
    let stored = h.registrar.registration(h.p(), &id).unwrap();
    assert_eq!(
        stored.metadata_returned.redirect_uris(),
        vec!["https://app.example.org/callback"]
    );
}

#[tokio::test]
async fn an_id_token_signed_with_a_rotated_key_is_checked_after_the_jwks_is_read_again() {
    let h = Harness::start(Dialect::Generic).await;
    let id = h
        .registrar
        .register(
            h.p(),
            meta(json!({
                "client_name": "rotation",
                "redirect_uris": ["http://127.0.0.1/callback"],
                "grant_types": ["authorization_code", "refresh_token"],
                "response_types": ["code"],
                "scope": "openid offline_access",
            })),
        )
        .await
        .unwrap()
        .registration
        .client_id;
    let mut outcome = sign_in(
        &h,
        &id,
        AuthorizationOptions {
            scope: Some("openid offline_access".into()),
            ..Default::default()
        },
    )
    .await;
    let signature = |r: &registrar_core::TryReport| {
        r.explanation
            .id_token
            .as_ref()
            .and_then(|t| t.checks.iter().find(|c| c.name == "signature").cloned())
            .expect("a signature check")
    };
    assert_eq!(signature(&outcome.report).outcome, CheckOutcome::Passed);
    let jwks_reads = |r: &registrar_core::TryReport| r.exchanges.iter().filter(|x| x.url.contains("jwks")).count();
    assert_eq!(jwks_reads(&outcome.report), 1);

    // The provider rotates and withdraws the old key: the session's copy no longer has the
    // key of the next ID token.
    h.mock.admin().rotate_signing_key(false);
    let refreshed = h
        .registrar
        .try_refresh(&mut outcome.session)
        .await
        .expect("the refresh works");
    assert_eq!(signature(&refreshed).outcome, CheckOutcome::Passed, "{refreshed:#?}");
    assert_eq!(jwks_reads(&refreshed), 1, "the JWK Set was read again once");
    assert!(
        refreshed.warnings.iter().any(|w| w.contains("rotated its keys")),
        "{:?}",
        refreshed.warnings
    );
    assert_eq!(refreshed.refresh_token_rotated, Some(true));
}

/// The same at node-oidc-provider, whose JWK Set is first served as it was before a key
/// rotation (`staleJwks`): the ID token's key is not in that copy, so the check fails on
/// it — the report says so — and passes once the set is read again.
#[tokio::test]
async fn node_oidc_providers_id_token_is_checked_after_a_stale_jwks_is_read_again() {
    let op = registrar_tests::real_provider::RealProvider::node_oidc(json!({"staleJwks": 1}));
    let local = registrar_tests::local::Local::new();
    let p = local.profile(
        "node",
        registrar_core::ProviderKind::Generic,
        Some(&op.issuer),
        &op.registration_endpoint,
        None,
    );
    let r = &local.registrar;
    let id = r
        .register(
            &p.id,
            meta(json!({
                "client_name": "rotation at node-oidc-provider",
                "redirect_uris": ["http://127.0.0.1/callback"],
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
                "token_endpoint_auth_method": "client_secret_basic",
                "application_type": "native",
            })),
        )
        .await
        .expect("node-oidc-provider registers the client")
        .registration
        .client_id;
    let outcome = sign_in_at(
        r,
        &p.id,
        &id,
        AuthorizationOptions {
            scope: Some("openid".into()),
            ..Default::default()
        },
    )
    .await;
    let report = &outcome.report;
    let signature = report
        .explanation
        .id_token
        .as_ref()
        .and_then(|t| t.checks.iter().find(|c| c.name == "signature"))
        .expect("a signature check");
    assert_eq!(signature.outcome, CheckOutcome::Passed, "{report:#?}");
    let jwks_reads = report.exchanges.iter().filter(|x| x.url.ends_with("/jwks")).count();
    assert_eq!(
        jwks_reads, 2,
        "the stale set, then the provider's own: {:#?}",
        report.exchanges
    );
    assert!(
        report.warnings.iter().any(|w| w.contains("rotated its keys")),
        "{:?}",
        report.warnings
    );
}

/// The mock's ID token faults, each seen through a whole try as the check it breaks: a
/// relying party must reject each, and the report says which check failed and why.
#[tokio::test]
async fn each_id_token_fault_fails_exactly_its_check() {
    use registrar_mock_op::Fault;
    let h = Harness::start(Dialect::Generic).await;
    let id = h
        .registrar
        .register(
            h.p(),
            meta(json!({
                "client_name": "faults",
                "redirect_uris": ["http://127.0.0.1/callback"],
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
            })),
        )
        .await
        .unwrap()
        .registration
        .client_id;
    for (fault, broken) in [
        (Fault::IdTokenWrongIssuer { count: 1 }, "iss"),
        (Fault::IdTokenBadSignature { count: 1 }, "signature"),
        (Fault::IdTokenExpired { count: 1 }, "exp"),
    ] {
        h.mock.admin().inject(fault);
        let outcome = sign_in(&h, &id, AuthorizationOptions::default()).await;
        let checks = &outcome
            .report
            .explanation
            .id_token
            .as_ref()
            .expect("an ID token")
            .checks;
        let failed: Vec<&str> = checks
            .iter()
            .filter(|c| c.outcome == CheckOutcome::Failed)
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(failed, vec![broken], "{checks:#?}");
    }
}
