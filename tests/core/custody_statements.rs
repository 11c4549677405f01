//! Software statements kept, fetched and inspected: one fetched from a directory with its
//! own bearer token (which stays out of the database and the history), as the JWT itself or
//! inside JSON; a directory that refuses leaves nothing kept; the signature checked against
//! a JWK Set served at a `jwks_uri` (custody's JwksServer), valid and not; an expired one
//! inspected and named; text that is not a JWS refused.

use registrar_core::custody::{JwksServer, NewKey, SignatureCheck};
use registrar_core::{HistoryFilter, ProviderKind, Secret};
use registrar_tests::database_text;
use registrar_tests::local::Local;
use registrar_tests::recording_server::{Answer, RecordingServer};
use registrar_tests::secret_scan::long_secret;
use serde_json::json;

/// A Registrar with a "directory" profile (its key signs) and a "tpp" profile.
fn world() -> (Local, String) {
    let local = Local::new();
    for name in ["directory", "tpp"] {
        local.profile(
            name,
            ProviderKind::Generic,
            None,
            &format!("https://{name}.example.org/register"),
            None,
        );
    }
    let key = local
        .registrar
        .generate_key(
            "directory",
            &NewKey {
                kind: Some("p256".into()),
                label: Some("directory".into()),
                ..Default::default()
            },
        )
        .expect("the directory key");
    (local, key.kid)
}

fn sign(local: &Local, kid: &str, lifetime: i64) -> String {
    local
        .registrar
        .sign_software_statement(
            "directory",
            kid,
            &json!({"software_id": "fetched-software", "software_redirect_uris": ["https://tpp.example.org/cb"]}),
            Some(lifetime),
        )
        .expect("signed")
}

#[tokio::test]
async fn a_statement_fetched_with_a_bearer_token_that_stays_secret() {
    let (local, kid) = world();
    let r = &local.registrar;
    let jwt = sign(&local, &kid, 600);
    let token = long_secret("directory-token");
    let (served_jwt, expected) = (jwt.clone(), format!("Bearer {token}"));
    let directory = RecordingServer::start(move |req, _| {
        if req.header("authorization") != Some(expected.as_str()) {
            return Answer::json(401, json!({"error": "invalid_token"}));
        }
        if req.target == "/ssa.json" {
            Answer::json(200, json!({ "software_statement": served_jwt }))
        } else {
            Answer {
                status: 200,
                headers: vec![("Content-Type".into(), "application/jwt".into())],
                body: served_jwt.clone(),
            }
        }
    })
    .await;

    let secret = Secret::new(token.as_str());
    let kept = r
        .fetch_software_statement("tpp", "fetched", &format!("{}/ssa", directory.url), Some(&secret))
        .await
        .unwrap_or_else(|e| panic!("fetch: {e}"));
    assert_eq!(kept.jwt, jwt);
    assert_eq!(kept.source, format!("url:{}/ssa", directory.url));
    assert_eq!(kept.inspection.summary.software_id.as_deref(), Some("fetched-software"));
    let asked = &directory.requests()[0];
    assert!(
        asked.header("accept").is_some_and(|a| a.contains("application/jwt")),
        "{:?}",
        asked.headers
    );

    let in_json = r
        .fetch_software_statement(
            "tpp",
            "from json",
            &format!("{}/ssa.json", directory.url),
            Some(&secret),
        )
        .await
        .unwrap_or_else(|e| panic!("fetch JSON: {e}"));
    assert_eq!(in_json.jwt, jwt);

    // A refusal keeps nothing.
    let e = r
        .fetch_software_statement("tpp", "refused", &format!("{}/ssa", directory.url), None)
        .await
        .expect_err("no token, no statement");
    assert!(e.to_string().contains("401"), "{e}");
    assert!(r.software_statement("tpp", "refused").is_err());
    assert_eq!(r.software_statements("tpp").unwrap().len(), 2);

    // The directory's token is nowhere Registrar writes.
    let history = serde_json::to_string(&r.history(&HistoryFilter::default()).unwrap()).unwrap();
    assert!(history.contains("/ssa"), "the fetches are in the history");
    assert!(!history.contains(&token), "the token leaked into the history");
    assert!(
        !database_text(&local.database_path()).contains(&token),
        "the token leaked into the database"
    );
    assert!(!e.to_string().contains(&token));
}

#[tokio::test]
async fn the_signature_is_checked_against_a_jwks_uri_and_expiry_is_named() {
    let (local, kid) = world();
    let r = &local.registrar;
    let jwt = sign(&local, &kid, 600);
    let jwks = r.public_jwks("directory", None).unwrap();
    let served = JwksServer::start(None, jwks).await.expect("served");

    let inspection = r
        .inspect_software_statement("tpp", &jwt, None, Some(served.url()))
        .await
        .unwrap_or_else(|e| panic!("inspect: {e}"));
    assert_eq!(inspection.signature, SignatureCheck::Valid { kid: Some(kid.clone()) });
    assert!(!inspection.expired);
    assert!(inspection.problems.is_empty(), "{:?}", inspection.problems);
    assert_eq!(inspection.header["kid"], json!(kid));

    // The directory rotated: its set no longer holds the key.
    let other = r.generate_key("tpp", &NewKey::default()).expect("another key");
    served.set(json!({ "keys": [other.public_jwk] }));
    let inspection = r
        .inspect_software_statement("tpp", &jwt, None, Some(served.url()))
        .await
        .unwrap();
    match &inspection.signature {
        SignatureCheck::Invalid { reason } => assert!(!reason.is_empty()),
        other => panic!("{other:?}"),
    }
    assert!(
        inspection.problems.iter().any(|p| p.contains("signature")),
        "{:?}",
        inspection.problems
    );

    // Expired: kept to be looked at, named in the inspection and the expiring view.
    let expired = sign(&local, &kid, -60);
    let kept = r
        .keep_software_statement("tpp", "old", &expired, "pasted")
        .expect("kept anyway");
    assert!(kept.inspection.expired);
    assert!(
        kept.inspection.problems.iter().any(|p| p.contains("expired")),
        "{:?}",
        kept.inspection.problems
    );
    assert!(r
        .expiring_custody(Some("tpp"), 0)
        .unwrap()
        .iter()
        .any(|x| x.name == "old"));

    // Not a JWS at all.
    let e = r
        .keep_software_statement("tpp", "garbage", "not a statement", "pasted")
        .expect_err("not a JWS");
    assert!(e.to_string().contains("software_statement"), "{e}");
}
