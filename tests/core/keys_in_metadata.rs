//! A client registered with keys in custody on a plain provider (the generic mock): its
//! public keys in `jwks`, the keys bound to it, private_key_jwt tries signed with them,
//! and a rotation with overlap whose update carries old and new keys until it finishes.

use registrar_core::custody::NewKey;
use registrar_core::{ClientMetadata, Secret};
use registrar_mock_op::Dialect;
use registrar_tests::Harness;
use serde_json::{json, Value};

fn m2m(name: &str) -> ClientMetadata {
    ClientMetadata::from_map(
        json!({
            "client_name": name,
            "grant_types": ["client_credentials"],
            "response_types": [],
            "token_endpoint_auth_method": "private_key_jwt"
        })
        .as_object()
        .cloned()
        .unwrap(),
    )
}

fn kids(jwks: &Value) -> Vec<String> {
    registrar_core::custody::kids(jwks)
}

#[tokio::test]
async fn a_private_key_jwt_client_registers_tries_and_rotates_with_keys_in_custody() {
    let h = Harness::start(Dialect::Generic).await;
    let key = h
        .registrar
        .generate_key(
            h.p(),
            &NewKey {
                kind: Some("p256".into()),
                label: Some("m2m".into()),
                ..NewKey::default()
            },
        )
        .unwrap();
    let outcome = h
        .registrar
        .register_with_keys(h.p(), m2m("keyed"), std::slice::from_ref(&key.kid))
        .await
        .unwrap();
    let id = outcome.registration.client_id.clone();
    assert_eq!(
        kids(&outcome.registration.metadata_returned.get("jwks").cloned().unwrap()),
        vec![key.kid.clone()]
    );
    let on_provider = h.mock.admin().get_client(&id).unwrap();
    assert_eq!(
        kids(&on_provider["jwks"]),
        vec![key.kid.clone()],
        "the provider holds the public key"
    );
    assert!(on_provider.get("client_secret").is_none_or(Value::is_null) || outcome.client_secret.is_some());
    assert_eq!(
        h.registrar.key(h.p(), &key.kid).unwrap().client_id.as_deref(),
        Some(id.as_str())
    );

    // A second client cannot take a key that belongs to the first.
    let e = h
        .registrar
        .register_with_keys(h.p(), m2m("thief"), std::slice::from_ref(&key.kid))
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains(&format!("already belongs to client {id}")),
        "{e}"
    );

    let target = h.registrar.try_target(h.p(), &id, None).await.unwrap();
    let report = h.registrar.try_client_credentials(&target, None).await.unwrap().report;
    assert!(report.access_token_length > 10);
    let history = serde_json::to_string(&h.registrar.history(&Default::default()).unwrap()).unwrap();
    assert!(
        history.contains("client_assertion=***"),
        "the assertion is masked in the history"
    );

    // Rotate with an hour's overlap: the update carries both keys; the new one signs.
    let rotation = h
        .registrar
        .rotate_client_key(h.p(), &id, &NewKey::default(), 3600)
        .await
        .unwrap();
    let new_kid = rotation.keys[0].kid.clone();
    assert_ne!(new_kid, key.kid);
    assert!(rotation.update.is_some(), "{:?}", rotation.notes);
    let mut both = kids(&h.mock.admin().get_client(&id).unwrap()["jwks"]);
    both.sort();
    let mut expected = vec![key.kid.clone(), new_kid.clone()];
    expected.sort();
    assert_eq!(both, expected);
    let target = h.registrar.try_target(h.p(), &id, None).await.unwrap();
    assert!(format!("{:?}", target.auth).contains("private_key_jwt"));
    h.registrar.try_client_credentials(&target, None).await.unwrap();

    // Not yet due: finishing retires nothing. Once due, the old key leaves client and custody.
    let early = h.registrar.finish_key_rotation(h.p(), &id).await.unwrap();
    assert!(early.keys.is_empty(), "{:?}", early.notes);
    h.registrar.retire_key(h.p(), &key.kid, Some(1)).unwrap();
    let done = h.registrar.finish_key_rotation(h.p(), &id).await.unwrap();
    assert_eq!(
        done.keys.iter().map(|k| k.kid.clone()).collect::<Vec<_>>(),
        vec![key.kid.clone()]
    );
    assert_eq!(
        kids(&h.mock.admin().get_client(&id).unwrap()["jwks"]),
        vec![new_kid.clone()]
    );
    assert!(
        h.registrar.key(h.p(), &key.kid).is_err(),
        "the retired key left custody"
    );
    let target = h.registrar.try_target(h.p(), &id, None).await.unwrap();
    h.registrar.try_client_credentials(&target, None).await.unwrap();
}

#[tokio::test]
async fn a_client_without_a_key_in_custody_is_refused_before_anything_is_sent() {
    let h = Harness::start(Dialect::Generic).await;
    let key = h.registrar.generate_key(h.p(), &NewKey::default()).unwrap();
    let id = h
        .registrar
        .register_with_keys(h.p(), m2m("orphaned"), std::slice::from_ref(&key.kid))
        .await
        .unwrap()
        .registration
        .client_id;
    h.registrar.delete_key(h.p(), &key.kid).unwrap();
    let before = h.mock.admin().request_count();
    let e = h.registrar.try_target(h.p(), &id, None).await.unwrap_err();
    assert!(e.to_string().contains("holds no active key"), "{e}");
    assert!(
        h.mock.admin().request_count() <= before + 2,
        "only discovery may have been fetched"
    );
}

#[tokio::test]
async fn private_keys_never_reach_the_database_history_or_errors() {
    let h = Harness::start(Dialect::Generic).await;
    let key = h
        .registrar
        .generate_key(
            h.p(),
            &NewKey {
                kind: Some("rsa".into()),
                ..NewKey::default()
            },
        )
        .unwrap();
    let pem: Secret = h.registrar.export_private_key(h.p(), &key.kid).unwrap();
    assert!(pem.expose().starts_with("-----BEGIN PRIVATE KEY-----"));
    let id = h
        .registrar
        .register_with_keys(h.p(), m2m("scan"), std::slice::from_ref(&key.kid))
        .await
        .unwrap()
        .registration
        .client_id;
    let target = h.registrar.try_target(h.p(), &id, None).await.unwrap();
    h.registrar.try_client_credentials(&target, None).await.unwrap();
    // The base64 body of the PEM, in any of its lines, is nowhere on disk.
    let body: String = pem.expose().lines().filter(|l| !l.starts_with("-----")).collect();
    // The database and its write-ahead log, where recent writes are until a checkpoint.
    let mut db_text = String::new();
    for entry in std::fs::read_dir(h.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("registrar.sqlite3")
        {
            db_text.push_str(&String::from_utf8_lossy(&std::fs::read(&path).unwrap()));
        }
    }
    assert!(
        db_text.contains(&key.kid),
        "the scan reads where the key's public record is"
    );
    for line in pem.expose().lines().filter(|l| !l.starts_with("-----")) {
        assert!(!db_text.contains(line), "a line of the private key is in the database");
    }
    let history = serde_json::to_string(&h.registrar.history(&Default::default()).unwrap()).unwrap();
    assert!(!history.contains(&body[..40]));
    // Importing garbage names the problem and echoes nothing of it.
    let e = h
        .registrar
        .import_key(h.p(), &Secret::new("not a key at all"), &NewKey::default())
        .unwrap_err();
    assert!(
        e.to_string().contains("BEGIN") && !e.to_string().contains("not a key at all"),
        "{e}"
    );
}

#[tokio::test]
async fn a_jwks_uri_that_does_not_answer_is_refused_and_a_served_one_works() {
    let h = Harness::start(Dialect::Generic).await;
    let key = h.registrar.generate_key(h.p(), &NewKey::default()).unwrap();
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let mut by_uri = m2m("by reference");
    by_uri.set("jwks_uri", json!(format!("http://127.0.0.1:{closed}/jwks.json")));
    let e = h
        .registrar
        .register_with_keys(h.p(), by_uri.clone(), std::slice::from_ref(&key.kid))
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("does not answer") && e.to_string().contains("nothing was sent"),
        "{e}"
    );
    assert_eq!(h.mock.admin().client_count(), 0);

    let server = registrar_core::custody::JwksServer::start(None, json!({"keys": []}))
        .await
        .unwrap();
    by_uri.set("jwks_uri", json!(server.url()));
    let e = h
        .registrar
        .register_with_keys(h.p(), by_uri.clone(), std::slice::from_ref(&key.kid))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("empty JWK Set"), "{e}");
    server.set(h.registrar.public_jwks(h.p(), None).unwrap());
    let id = h
        .registrar
        .register_with_keys(h.p(), by_uri, std::slice::from_ref(&key.kid))
        .await
        .unwrap()
        .registration
        .client_id;
    let stored = h.mock.admin().get_client(&id).unwrap();
    assert_eq!(stored["jwks_uri"], server.url());
    assert!(
        stored.get("jwks").is_none_or(Value::is_null),
        "by reference, not inline: {stored}"
    );
    let target = h.registrar.try_target(h.p(), &id, None).await.unwrap();
    h.registrar.try_client_credentials(&target, None).await.unwrap();
}

/// Removing a profile removes its private keys from a keychain that cannot list its
/// entries (Windows Credential Manager): the database names them.
#[test]
fn removing_a_profile_removes_its_private_keys_from_any_keychain() {
    use registrar_core::http::ReqwestFactory;
    use registrar_core::secrets::{MemoryStore, SecretStore};
    use std::sync::Arc;
    let memory = Arc::new(MemoryStore::without_listing());
    let dir = tempfile::tempdir().unwrap();
    let store = registrar_core::Store::open(&dir.path().join("r.sqlite3")).unwrap();
    let registrar = registrar_core::Registrar::with_parts(
        store,
        memory.clone() as Arc<dyn SecretStore>,
        Arc::new(ReqwestFactory::new()),
    );
    let profile = registrar_core::Profile::new(
        "bank",
        registrar_core::ProviderKind::OpenBanking,
        "https://aspsp.example/register",
    );
    let profile = registrar.save_profile(&profile, &Default::default()).unwrap();
    assert!(profile.signing.fapi, "an Open Banking profile follows FAPI");
    for kind in ["p256", "rsa"] {
        registrar
            .generate_key(
                &profile.id,
                &NewKey {
                    kind: Some(kind.into()),
                    ..NewKey::default()
                },
            )
            .unwrap();
    }
    assert!(!memory.entries().is_empty());
    registrar.remove_profile(&profile.id).unwrap();
    assert!(memory.entries().is_empty(), "{:?}", memory.entries());
}

#[tokio::test]
async fn the_methods_a_new_client_can_use_follow_custody_and_fapi() {
    let mut h = Harness::start(Dialect::Generic).await;
    let choice = |choices: &[registrar_core::custody::AuthMethodChoice], m: &str| {
        choices.iter().find(|c| c.method == m).cloned().unwrap()
    };
    let before = h.registrar.auth_method_choices(h.p()).await.unwrap();
    assert!(choice(&before, "private_key_jwt").available);
    assert!(choice(&before, "private_key_jwt").note.unwrap().contains("generated"));
    assert!(!choice(&before, "self_signed_tls_client_auth").available);
    assert!(choice(&before, "client_secret_basic").available);
    assert_eq!(choice(&before, "client_secret_basic").advertised, Some(true));

    let key = h.registrar.generate_key(h.p(), &NewKey::default()).unwrap();
    let subject = registrar_core::custody::CertificateSubject {
        common_name: "tpp".into(),
        ..Default::default()
    };
    h.registrar
        .self_signed_certificate(h.p(), &key.kid, &subject, 30)
        .unwrap();
    let after = h.registrar.auth_method_choices(h.p()).await.unwrap();
    assert_eq!(
        choice(&after, "self_signed_tls_client_auth").keys,
        vec![key.kid.clone()]
    );
    assert!(
        !choice(&after, "tls_client_auth").available,
        "a self-signed certificate is not a CA's"
    );

    h.profile.signing.fapi = true;
    h.profile = h.registrar.save_profile(&h.profile, &Default::default()).unwrap();
    let fapi = h.registrar.auth_method_choices(h.p()).await.unwrap();
    assert!(!choice(&fapi, "client_secret_basic").available);
    assert!(choice(&fapi, "none").note.unwrap().contains("FAPI"));
    assert_eq!(
        choice(&fapi, "private_key_jwt").keys,
        vec![key.kid.clone()],
        "ES256 is FAPI's"
    );
}

#[tokio::test]
async fn a_profile_naming_a_key_custody_no_longer_holds_says_which_setting_to_change() {
    let mut h = Harness::start(Dialect::Generic).await;
    let key = h.registrar.generate_key(h.p(), &NewKey::default()).unwrap();
    h.profile.signing.request_signing_key = Some(key.kid.clone());
    h.profile.tls.client_certificate = Some(key.kid.clone());
    h.profile = h.registrar.save_profile(&h.profile, &Default::default()).unwrap();
    h.registrar.delete_key(h.p(), &key.kid).unwrap();
    let mut plain = m2m("after the key");
    plain.set("token_endpoint_auth_method", json!("client_secret_basic"));
    // The signer is looked for first (its signature is made while the transport is built).
    let e = h.registrar.register(h.p(), plain.clone()).await.unwrap_err();
    assert_eq!(e.code(), registrar_core::ErrorCode::Config, "{e}");
    assert!(
        e.to_string().contains("signing.request_signing_key") && e.to_string().contains("no longer in custody"),
        "{e}"
    );
    h.profile.signing.request_signing_key = None;
    h.profile = h.registrar.save_profile(&h.profile, &Default::default()).unwrap();
    let e = h.registrar.register(h.p(), plain).await.unwrap_err();
    assert!(
        e.to_string().contains("tls.client_certificate") && e.to_string().contains("no longer in custody"),
        "{e}"
    );
    assert_eq!(h.mock.admin().client_count(), 0, "nothing was registered");
}

/// A provider whose TLS refuses the client certificate (not one its CA issued): the
/// failure says it was the mutual TLS handshake, with the certificate's subject.
#[tokio::test]
async fn a_refused_mutual_tls_handshake_names_the_certificate() {
    let (config, ca_pem) = registrar_tests::tls_proxy::mutual_tls_server_config();
    let mut h = Harness::with(Dialect::Generic, registrar_tests::Keychain::Memory, |c| {
        c.tls = Some(config)
    })
    .await;
    let key = h.registrar.generate_key(h.p(), &NewKey::default()).unwrap();
    let subject = registrar_core::custody::CertificateSubject {
        common_name: "unknown-tpp".into(),
        organization: Some("Nobody Ltd".into()),
        ..Default::default()
    };
    h.registrar
        .self_signed_certificate(h.p(), &key.kid, &subject, 30)
        .unwrap();
    h.profile.tls.ca_certificate_pem = Some(ca_pem);
    h.profile.tls.client_certificate = Some(key.kid.clone());
    h.profile = h.registrar.save_profile(&h.profile, &Default::default()).unwrap();
    let mut plain = m2m("refused");
    plain.set("token_endpoint_auth_method", json!("client_secret_basic"));
    let e = h.registrar.register(h.p(), plain).await.unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("refused the mutual TLS handshake") && text.contains("CN=unknown-tpp,O=Nobody Ltd"),
        "{text}"
    );
    assert_eq!(h.mock.admin().client_count(), 0);
}

/// The profile's software statement is part of what was sent: stored with the metadata
/// sent, never reported as something the provider added, and replaced by the profile's
/// current one on update.
#[tokio::test]
async fn the_profiles_software_statement_is_what_was_sent_not_drift() {
    let mut h = Harness::start(Dialect::Generic).await;
    let directory = h.registrar.generate_key(h.p(), &NewKey::default()).unwrap();
    let claims = json!({"software_id": "tpp-1", "software_client_name": "TPP"});
    let first = h
        .registrar
        .sign_software_statement(h.p(), &directory.kid, &claims, None)
        .unwrap();
    h.registrar
        .keep_software_statement(h.p(), "tpp", &first, "signed locally")
        .unwrap();
    h.profile.signing.software_statement = Some("tpp".into());
    h.profile = h.registrar.save_profile(&h.profile, &Default::default()).unwrap();
    let mut plain = m2m("with statement");
    plain.set("token_endpoint_auth_method", json!("client_secret_basic"));
    let outcome = h.registrar.register(h.p(), plain).await.unwrap();
    let sent = outcome
        .registration
        .metadata_sent
        .clone()
        .expect("what was sent is kept");
    assert_eq!(sent.str("software_statement"), Some(first.as_str()));
    assert!(
        !outcome
            .provider_changes
            .changes
            .iter()
            .any(|c| c.field == "software_statement"),
        "{:?}",
        outcome.provider_changes
    );
    // A new statement kept under the same name goes with the next update.
    let second = h
        .registrar
        .sign_software_statement(h.p(), &directory.kid, &json!({"software_id": "tpp-1", "v": 2}), None)
        .unwrap();
    h.registrar
        .keep_software_statement(h.p(), "tpp", &second, "signed locally")
        .unwrap();
    let id = outcome.registration.client_id;
    let current = h.registrar.registration(h.p(), &id).unwrap().metadata_returned;
    h.registrar.update(h.p(), &id, current).await.unwrap();
    let requests = h.registrar.history(&Default::default()).unwrap();
    let put = requests
        .iter()
        .find(|r| r.method == "PUT")
        .expect("the update is in the history");
    assert!(
        put.request_body.as_deref().unwrap_or_default().contains(&second[..60]),
        "the fresh statement was sent"
    );
}

/// A profile whose registrations are authorised by a client_credentials token (the
/// SimpleIdServer dialect) gets that token with private_key_jwt: its registering client
/// holds a key in the profile's custody and no secret.
#[tokio::test]
async fn a_profiles_registering_client_may_authenticate_with_its_key() {
    use registrar_core::profile::TokenAuthMethod;
    use registrar_core::RegistrationAuth;
    let mut h = Harness::start(Dialect::SimpleIdServer).await;
    let key = h.registrar.generate_key(h.p(), &NewKey::default()).unwrap();
    let mut registering = m2m("registering client");
    registering.set("scope", json!("register"));
    let id = h
        .registrar
        .register_with_keys(h.p(), registering, std::slice::from_ref(&key.kid))
        .await
        .unwrap()
        .registration
        .client_id;
    // The key signs for the profile now, not for a client tried on its own.
    h.registrar.bind_key(h.p(), &key.kid, None).unwrap();
    h.profile.registration_auth = RegistrationAuth::ClientCredentials {
        client_id: id.clone(),
        scope: Some("register".into()),
    };
    h.profile.settings.token_auth = TokenAuthMethod::PrivateKeyJwt;
    h.profile = h.registrar.save_profile(&h.profile, &Default::default()).unwrap();
    let mut plain = m2m("registered with a keyed token");
    plain.set("token_endpoint_auth_method", json!("client_secret_basic"));
    h.registrar.register(h.p(), plain).await.unwrap();
    let history = h.registrar.history(&Default::default()).unwrap();
    let token_call = history
        .iter()
        .find(|r| r.operation == "token")
        .expect("the profile's token request is in the history");
    let body = token_call.request_body.as_deref().unwrap_or_default();
    assert!(
        body.contains("client_assertion=***") && !body.contains("client_secret"),
        "{body}"
    );
}

/// The request's signature is made on a thread of its own while the call is prepared: a
/// signing key the keychain holds in a form no key can be read from still refuses the
/// registration before anything is sent, and the journal entry opened meanwhile is closed.
#[tokio::test]
async fn a_signing_key_that_cannot_be_read_refuses_the_registration_before_it_is_sent() {
    use registrar_core::secrets::{Labels, SecretKey};
    let mut h = Harness::start(Dialect::Generic).await;
    let key = h.registrar.generate_key(h.p(), &NewKey::default()).unwrap();
    h.profile.signing.request_signing_key = Some(key.kid.clone());
    h.profile.signing.request_audience = Some("https://as.example.org".into());
    h.profile = h.registrar.save_profile(&h.profile, &Default::default()).unwrap();
    h.registrar
        .secrets()
        .set(
            &SecretKey::private_key(&h.profile.id, &key.kid),
            &Secret::new("registrar-rsa-primes:1:AQAB.AQ.AQ"),
            &Labels::profile(&h.profile.name),
        )
        .unwrap();
    let before = h.mock.admin().request_count();
    let mut plain = m2m("never sent");
    plain.set("token_endpoint_auth_method", json!("client_secret_basic"));
    let e = h.registrar.register(h.p(), plain).await.unwrap_err();
    assert_eq!(e.code(), registrar_core::ErrorCode::Validation, "{e}");
    assert!(e.to_string().contains("stored RSA key"), "{e}");
    assert_eq!(h.mock.admin().client_count(), 0, "nothing was registered");
    assert_eq!(h.mock.admin().request_count(), before, "nothing was sent");
    assert!(
        h.registrar.unresolved().unwrap().is_empty(),
        "the journal entry is closed"
    );
}
