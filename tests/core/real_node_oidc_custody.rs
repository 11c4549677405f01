//! Keys and certificates in custody against node-oidc-provider (npm, pinned in
//! tests/providers/node-oidc) over HTTPS with client certificates (`features.mTLS`),
//! `private_key_jwt` and introspection: a `private_key_jwt` client registered with its
//! keys inline, tried, rotated with overlap and tried with the new key; a
//! `self_signed_tls_client_auth` client and a `tls_client_auth` client whose certificate a
//! CA made for the test issued from Registrar's CSR, tried at the provider's mutual TLS
//! aliases with certificate-bound tokens; and a client naming its keys by `jwks_uri`, served
//! by Registrar on a loopback URL.

use registrar_core::custody::{kids, CertificateSubject, JwksServer, KeyRecord, NewKey};
use registrar_core::{ClientMetadata, HistoryFilter, Profile, ProviderKind, Registrar, TokenChoice, TryGrant};
use registrar_tests::custody::{assert_no_key_material, custody_keys, TestCa};
use registrar_tests::local::Local;
use registrar_tests::real_provider::RealProvider;
use registrar_tests::{database_text, meta};
use serde_json::{json, Value};

/// How long old and new keys are both published in a rotation: long enough for a busy
/// machine to send the update within it.
const OVERLAP_SECS: i64 = 5;

/// node-oidc-provider over HTTPS with a certificate `ca` issued, verifying client
/// certificates against `ca`, with mTLS, private_key_jwt and introspection.
fn provider(ca: &TestCa, aliases: bool) -> RealProvider {
    let (cert, key) = ca.server_certificate();
    RealProvider::node_oidc(json!({
        "https": { "cert": cert, "key": key, "ca": ca.pem() },
        "mTLS": true,
        "privateKeyJwt": true,
        "introspection": true,
        "mtlsEndpointAliases": aliases,
        "logErrors": true,
    }))
}

/// A generic profile for `op` (open registration, JSON) trusting `ca`.
fn profile(local: &Local, op: &RealProvider, ca: &TestCa) -> Profile {
    let mut p = local.profile(
        "node",
        ProviderKind::Generic,
        Some(&op.issuer),
        &op.registration_endpoint,
        None,
    );
    p.tls.ca_certificate_pem = Some(ca.pem());
    local
        .registrar
        .save_profile(&p, &Default::default())
        .expect("the profile trusts the test CA")
}

fn p256(label: &str) -> NewKey {
    NewKey {
        kind: Some("p256".into()),
        label: Some(label.into()),
        ..Default::default()
    }
}

/// A machine client authenticating with `method`, its keys inline when given.
fn machine(method: &str, jwks: Option<Value>) -> ClientMetadata {
    let mut m = meta(json!({
        "client_name": format!("{method} client"),
        "token_endpoint_auth_method": method,
        "grant_types": ["client_credentials"],
        "response_types": [],
        "redirect_uris": [],
    }));
    if method.contains("tls_client_auth") {
        m.set("tls_client_certificate_bound_access_tokens", json!(true));
    }
    if let Some(jwks) = jwks {
        m.set("jwks", jwks);
    }
    m
}

/// Registers `metadata` and binds `key` to the new client: the client's id.
async fn register_with_key(r: &Registrar, p: &Profile, metadata: ClientMetadata, key: &KeyRecord) -> String {
    let registered = r
        .register(&p.id, metadata)
        .await
        .unwrap_or_else(|e| panic!("registration: {e}"));
    assert_eq!(registered.status, 201);
    let id = registered.registration.client_id.clone();
    r.bind_key(&p.id, &key.kid, Some(&id)).expect("the key is the client's");
    id
}

/// A `client_credentials` try of `id` and its token's introspection (as the client).
async fn try_client(
    r: &Registrar,
    p: &Profile,
    id: &str,
) -> (registrar_core::TryOutcome, serde_json::Map<String, Value>) {
    let target = r
        .try_target(&p.id, id, Some(TryGrant::ClientCredentials))
        .await
        .unwrap_or_else(|e| panic!("try target of {id}: {e}"));
    let outcome = r
        .try_client_credentials(&target, None)
        .await
        .unwrap_or_else(|e| panic!("client_credentials of {id}: {e}"));
    assert!(outcome.report.access_token_length > 0);
    let introspection = r
        .try_introspect(&outcome.session, TokenChoice::AccessToken)
        .await
        .unwrap_or_else(|e| panic!("introspection for {id}: {e}"));
    assert_eq!(introspection["active"], json!(true), "{introspection:?}");
    assert_eq!(introspection["client_id"], json!(id), "{introspection:?}");
    (outcome, introspection)
}

/// The `x5t#S256` an introspection shows (RFC 7662 leaves `cnf` to `other`).
fn bound_to(introspection: &serde_json::Map<String, Value>) -> Option<String> {
    introspection["other"]["cnf"]["x5t#S256"].as_str().map(str::to_string)
}

#[tokio::test]
async fn a_private_key_jwt_client_registered_tried_rotated_and_tried_with_the_new_key() {
    let ca = TestCa::new("node test CA");
    let op = provider(&ca, false);
    let local = Local::new();
    let p = profile(&local, &op, &ca);
    let r = &local.registrar;

    let key = r.generate_key(&p.id, &p256("client signing")).expect("a key");
    let jwks = json!({ "keys": [key.public_jwk.clone()] });
    let id = register_with_key(r, &p, machine("private_key_jwt", Some(jwks)), &key).await;
    let history = r
        .history(&HistoryFilter {
            client_id: Some(id.clone()),
            ..Default::default()
        })
        .unwrap();
    let register_call = history.iter().find(|e| e.operation == "register").expect("registered");
    assert!(
        register_call
            .request_headers
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("content-type") && v.starts_with("application/json")),
        "plain JSON: {:?}",
        register_call.request_headers
    );
    let read = r.read(&p.id, &id).await.unwrap_or_else(|e| panic!("read: {e}"));
    assert_eq!(
        kids(read.registration.metadata_returned.get("jwks").unwrap()),
        vec![key.kid.clone()]
    );

    let (outcome, introspection) = try_client(r, &p, &id).await;
    assert_eq!(outcome.report.token_endpoint, format!("{}/token", op.issuer));
    assert_eq!(bound_to(&introspection), None, "no certificate was presented");

    // Rotation: the update carries both keys, the newest signs; then the old one goes.
    let rotated = r
        .rotate_client_key(&p.id, &id, &NewKey::default(), OVERLAP_SECS)
        .await
        .unwrap_or_else(|e| panic!("rotate: {e}"));
    let new = rotated.keys[0].clone();
    assert_eq!(new.kind, "p256");
    let update = rotated
        .update
        .as_ref()
        .expect("the client carries its keys inline: an update");
    let mut sent = kids(update.registration.metadata_returned.get("jwks").unwrap());
    sent.sort();
    let mut both = vec![key.kid.clone(), new.kid.clone()];
    both.sort();
    assert_eq!(sent, both, "node holds both keys during the overlap");
    try_client(r, &p, &id).await;

    tokio::time::sleep(std::time::Duration::from_millis(OVERLAP_SECS as u64 * 1000 + 100)).await;
    let finished = r
        .finish_key_rotation(&p.id, &id)
        .await
        .unwrap_or_else(|e| panic!("finish: {e}"));
    assert_eq!(finished.keys.len(), 1, "{:?}", finished.notes);
    assert_eq!(finished.keys[0].kid, key.kid);
    let update = finished
        .update
        .as_ref()
        .expect("the old key leaves the client: an update");
    assert_eq!(
        kids(update.registration.metadata_returned.get("jwks").unwrap()),
        vec![new.kid.clone()]
    );
    // Only the new key is left, in custody and at node: the token proves it signs.
    assert_eq!(kids(&r.public_jwks(&p.id, Some(&id)).unwrap()), vec![new.kid.clone()]);
    try_client(r, &p, &id).await;

    let deleted = r.delete(&p.id, &id).await.unwrap_or_else(|e| panic!("delete: {e}"));
    assert_eq!(deleted.status, 204);
}

#[tokio::test]
async fn mutual_tls_clients_get_certificate_bound_tokens_at_the_aliases() {
    let ca = TestCa::new("node test CA");
    let op = provider(&ca, true);
    let local = Local::new();
    let p = profile(&local, &op, &ca);
    let r = &local.registrar;
    let main_token_endpoint = format!("{}/token", op.issuer);

    // self_signed_tls_client_auth: the key's JWK carries its self-signed certificate.
    let key = r.generate_key(&p.id, &p256("self-signed")).expect("a key");
    let key = r
        .self_signed_certificate(
            &p.id,
            &key.kid,
            &CertificateSubject {
                common_name: "self-signed-client".into(),
                ..Default::default()
            },
            7,
        )
        .expect("a self-signed certificate");
    let x5t = key.certificate.as_ref().unwrap().x5t_s256.clone();
    let jwks = r.public_jwks(&p.id, None).unwrap();
    assert!(jwks["keys"][0]["x5c"].is_array(), "{jwks}");
    let self_signed = register_with_key(r, &p, machine("self_signed_tls_client_auth", Some(jwks)), &key).await;
    let (outcome, introspection) = try_client(r, &p, &self_signed).await;
    assert_eq!(
        bound_to(&introspection).as_deref(),
        Some(x5t.as_str()),
        "{introspection:?}"
    );
    let presented = outcome
        .report
        .presented_certificate
        .as_ref()
        .expect("the report names the certificate");
    assert_eq!(
        (presented.x5t_s256.as_str(), presented.subject_dn.as_str()),
        (x5t.as_str(), "CN=self-signed-client")
    );
    let alias = outcome.report.token_endpoint.clone();
    assert_ne!(alias, main_token_endpoint, "the mutual TLS alias is used");
    assert!(
        outcome
            .report
            .warnings
            .iter()
            .any(|w| w.contains(&alias) && w.contains("alias")),
        "{:?}",
        outcome.report.warnings
    );
    let history = r
        .history(&HistoryFilter {
            client_id: Some(self_signed.clone()),
            ..Default::default()
        })
        .unwrap();
    assert!(
        history
            .iter()
            .any(|e| e.method == "POST" && e.url == alias && e.status == Some(200)),
        "the history shows the token call at the alias {alias}: {:#?}",
        history
            .iter()
            .map(|e| (&e.method, &e.url, e.status))
            .collect::<Vec<_>>()
    );
    assert!(
        !history.iter().any(|e| e.url == main_token_endpoint),
        "not the main endpoint"
    );

    // tls_client_auth: a key, its CSR, the CA's answer imported, the subject registered.
    let key = r.generate_key(&p.id, &p256("pki")).expect("a key");
    let csr = r
        .certificate_request(
            &p.id,
            &key.kid,
            &CertificateSubject {
                common_name: "client-one".into(),
                organization: Some("Registrar Tests".into()),
                organizational_unit: Some("Clients".into()),
                country: Some("DE".into()),
                dns_names: vec![],
            },
        )
        .expect("a CSR");
    assert!(csr.contains("BEGIN CERTIFICATE REQUEST"), "{csr}");
    let chain = format!("{}{}", ca.sign_csr(&csr), ca.pem());
    let key = r
        .import_certificate(&p.id, &chain, None)
        .expect("the certificate finds its key");
    let certificate = key.certificate.clone().expect("kept");
    assert!(!certificate.self_signed);
    assert!(
        certificate.issuer_dn.contains("CN=node test CA"),
        "{}",
        certificate.issuer_dn
    );
    for part in ["CN=client-one", "OU=Clients", "O=Registrar Tests", "C=DE"] {
        assert!(certificate.subject_dn.contains(part), "{}", certificate.subject_dn);
    }
    let mut metadata = machine("tls_client_auth", None);
    for (k, v) in certificate.registration_fields("tls_client_auth") {
        metadata.set(k, v);
    }
    let pki = register_with_key(r, &p, metadata, &key).await;
    let (outcome, introspection) = try_client(r, &p, &pki).await;
    assert_eq!(outcome.report.token_endpoint, alias);
    assert_eq!(
        outcome
            .report
            .presented_certificate
            .as_ref()
            .map(|c| c.x5t_s256.as_str()),
        Some(certificate.x5t_s256.as_str())
    );
    assert_eq!(
        bound_to(&introspection).as_deref(),
        Some(certificate.x5t_s256.as_str()),
        "{introspection:?}"
    );

    // The certificates are in the expiring view (the self-signed one within its week).
    let expiring = r.expiring_custody(Some(&p.id), 8 * 86_400).unwrap();
    assert!(
        expiring
            .iter()
            .any(|x| x.detail.as_deref() == Some("CN=self-signed-client")),
        "{expiring:?}"
    );

    for id in [&self_signed, &pki] {
        assert_eq!(r.delete(&p.id, id).await.unwrap().status, 204);
    }

    // The keys that went into TLS handshakes are nowhere Registrar writes.
    let keys = custody_keys(r, &p.id);
    assert_eq!(keys.len(), 2);
    assert_no_key_material(&database_text(&local.database_path()), "the database", &keys);
    let history = serde_json::to_string(&r.history(&HistoryFilter::default()).unwrap()).unwrap();
    assert_no_key_material(&history, "the history", &keys);
}

#[tokio::test]
async fn a_client_naming_its_keys_by_a_jwks_uri_registrar_serves() {
    let ca = TestCa::new("node test CA");
    let op = provider(&ca, false);
    let local = Local::new();
    let p = profile(&local, &op, &ca);
    let r = &local.registrar;

    let key = r.generate_key(&p.id, &p256("served")).expect("a key");
    let served = JwksServer::start(None, r.public_jwks(&p.id, None).unwrap())
        .await
        .expect("the JWKS server starts");
    assert!(served.url().starts_with("http://127.0.0.1:"), "{}", served.url());
    let mut metadata = machine("private_key_jwt", None);
    metadata.set("jwks_uri", json!(served.url()));
    let id = register_with_key(r, &p, metadata, &key).await;
    served.set(r.public_jwks(&p.id, Some(&id)).unwrap());
    let (outcome, _) = try_client(r, &p, &id).await;
    assert_eq!(outcome.report.exchanges.last().map(|e| e.status), Some(Some(200)));

    // A rotation sends nothing: the served set must change, and Registrar says so.
    let rotated = r
        .rotate_client_key(&p.id, &id, &NewKey::default(), 3600)
        .await
        .unwrap_or_else(|e| panic!("rotate: {e}"));
    assert!(rotated.update.is_none());
    assert!(
        rotated
            .notes
            .iter()
            .any(|n| n.contains("jwks_uri") && n.contains(served.url())),
        "{:?}",
        rotated.notes
    );
    assert_eq!(kids(&r.public_jwks(&p.id, Some(&id)).unwrap()).len(), 2);

    // Until the served set holds the new key, a try is refused before anything is sent.
    let new = rotated.keys[0].kid.clone();
    let e = r
        .try_target(&p.id, &id, Some(TryGrant::ClientCredentials))
        .await
        .expect_err("the new key is not published yet");
    let text = e.to_string();
    assert!(
        text.contains(&new) && text.contains(served.url()) && text.contains("nothing was sent"),
        "{text}"
    );
    served.set(r.public_jwks(&p.id, Some(&id)).unwrap());
    let target = r
        .try_target(&p.id, &id, Some(TryGrant::ClientCredentials))
        .await
        .unwrap_or_else(|e| panic!("published now: {e}"));
    assert!(
        target.warnings.iter().all(|w| !w.contains("jwks_uri")),
        "{:?}",
        target.warnings
    );
    // A set Registrar cannot read is a warning, not a refusal: the provider may reach it.
    drop(served);
    let target = r
        .try_target(&p.id, &id, Some(TryGrant::ClientCredentials))
        .await
        .unwrap_or_else(|e| panic!("unreadable set: {e}"));
    assert!(
        target
            .warnings
            .iter()
            .any(|w| w.contains("jwks_uri") && w.contains("did not give Registrar its keys")),
        "{:?}",
        target.warnings
    );
    assert_eq!(r.delete(&p.id, &id).await.unwrap().status, 204);
}
