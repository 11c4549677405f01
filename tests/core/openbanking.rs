//! Open Banking UK DCR (v3.3) end to end through Registrar, against the mock's openbanking
//! dialect over real HTTPS with client certificates: a local directory key the bank trusts,
//! the software's signing key and transport certificate in custody, a software statement
//! signed locally, signed registration requests, `private_key_jwt` and `tls_client_auth`
//! clients registered, read, rotated, tried (certificate-bound tokens) and deleted; then
//! every refusal the issue names, each with its own message; and no private key anywhere
//! Registrar writes.

use registrar_core::custody::{CertificateSubject, KeyRecord, NewKey, SignatureCheck};
use registrar_core::{ClientMetadata, Error, HistoryFilter, TokenChoice, TryGrant};
use registrar_mock_op::tls::LocalhostCertificate;
use registrar_mock_op::Dialect;
use registrar_tests::custody::{assert_no_key_material, custody_keys};
use registrar_tests::{database_text, meta, Harness, Keychain};
use serde_json::{json, Value};

/// How long old and new keys are both published in a rotation: long enough for a busy
/// machine to send the update within it.
const OVERLAP_SECS: i64 = 5;

const ORG_ID: &str = "0015800001041RHAAY";
const SOFTWARE_ID: &str = "registrar-tpp-software";
pub(crate) const REDIRECT: &str = "https://tpp.example.org/callback";
const SSA_LABEL: &str = "directory ssa";

pub(crate) fn new_key(kind: &str, alg: &str, label: &str) -> NewKey {
    NewKey {
        kind: Some(kind.into()),
        alg: Some(alg.into()),
        label: Some(label.into()),
        ..Default::default()
    }
}

fn transport_subject(common_name: &str) -> CertificateSubject {
    CertificateSubject {
        common_name: common_name.into(),
        organization: Some("Registrar Tests".into()),
        organizational_unit: Some(ORG_ID.into()),
        country: Some("GB".into()),
        dns_names: vec![],
    }
}

/// A bank (the mock over mutual TLS) trusting a directory whose key is in the profile's
/// custody, and a profile set up as an Open Banking TPP: signing key, transport certificate,
/// software statement.
pub(crate) struct Bank {
    pub(crate) h: Harness,
    pub(crate) directory: KeyRecord,
    pub(crate) software: KeyRecord,
    pub(crate) transport: KeyRecord,
    /// The kind and algorithm of the software's keys (`rsa`/PS256 or `p256`/ES256).
    kind: &'static str,
    alg: &'static str,
}

impl Bank {
    pub(crate) async fn open(kind: &'static str, alg: &'static str) -> Self {
        let tls = LocalhostCertificate::generate().expect("a CA and a localhost certificate");
        let config = tls.server_config(true).expect("the mock's TLS configuration");
        let mut h = Harness::with(Dialect::OpenBanking, Keychain::Memory, |c| c.tls = Some(config)).await;
        let name = h.profile.name.clone();
        let r = &h.registrar;
        assert!(h.profile.signing.fapi, "the openbanking preset is FAPI");
        assert!(h.profile.registration_endpoint.starts_with("https://"));

        let directory = r
            .generate_key(&name, &new_key("p256", "ES256", "directory"))
            .expect("the directory key");
        h.mock
            .admin()
            .trust_directory(json!({ "keys": [directory.public_jwk.clone()] }));
        let software = r
            .generate_key(&name, &new_key(kind, alg, "software signing"))
            .expect("the software's signing key");
        let transport = r
            .generate_key(&name, &new_key("p256", "ES256", "transport"))
            .expect("the transport key");
        let transport = r
            .self_signed_certificate(&name, &transport.kid, &transport_subject("tpp transport"), 30)
            .expect("a self-signed transport certificate");
        let certificate = transport.certificate.as_ref().expect("kept with the key");
        assert!(certificate.self_signed);
        assert!(
            certificate.subject_dn.contains("CN=tpp transport"),
            "{}",
            certificate.subject_dn
        );
        assert!(
            transport.public_jwk["x5c"].as_array().is_some_and(|c| c.len() == 1),
            "the key's JWK carries its certificate: {}",
            transport.public_jwk
        );

        h.profile.tls.ca_certificate_pem = Some(tls.ca_pem);
        h.profile.tls.client_certificate = Some(transport.kid.clone());
        h.profile.signing.request_signing_key = Some(software.kid.clone());
        h.profile = r
            .save_profile(&h.profile, &Default::default())
            .expect("the profile takes its keys");
        let bank = Bank {
            h,
            directory,
            software,
            transport,
            kind,
            alg,
        };
        let ssa = bank.statement(&bank.directory.kid, |_| {}, Some(3600));
        bank.keep_statement(SSA_LABEL, &ssa);
        bank.use_statement(Some(SSA_LABEL));
        bank
    }

    pub(crate) fn r(&self) -> &registrar_core::Registrar {
        &self.h.registrar
    }

    pub(crate) fn p(&self) -> &str {
        &self.h.profile.name
    }

    /// The software statement's claims as a directory issues them, `edit`ed, signed by
    /// `signer` (a key of the profile) with `lifetime`.
    pub(crate) fn statement(
        &self,
        signer: &str,
        edit: impl FnOnce(&mut serde_json::Map<String, Value>),
        lifetime: Option<i64>,
    ) -> String {
        let jwks = self.r().public_jwks(self.p(), None).expect("the profile's public keys");
        let mut claims = json!({
            "software_id": SOFTWARE_ID,
            "software_client_name": "Registrar TPP",
            "software_redirect_uris": [REDIRECT],
            "software_roles": ["AISP", "PISP"],
            "software_jwks": jwks,
            "org_id": ORG_ID,
            "org_name": "Registrar Tests",
        });
        edit(claims.as_object_mut().expect("an object"));
        self.r()
            .sign_software_statement(self.p(), signer, &claims, lifetime)
            .expect("the statement is signed")
    }

    pub(crate) fn keep_statement(&self, label: &str, jwt: &str) {
        let kept = self
            .r()
            .keep_software_statement(self.p(), label, jwt, "signed locally")
            .expect("the statement is kept");
        assert_eq!(kept.inspection.summary.software_id.as_deref(), Some(SOFTWARE_ID));
        assert_eq!(kept.inspection.summary.org_id.as_deref(), Some(ORG_ID));
        assert_eq!(kept.inspection.summary.redirect_uris, vec![REDIRECT.to_string()]);
    }

    pub(crate) fn use_statement(&self, label: Option<&str>) {
        let mut profile = self.r().profile(self.p()).expect("the profile");
        profile.signing.software_statement = label.map(str::to_string);
        self.r()
            .save_profile(&profile, &Default::default())
            .expect("the profile names its statement");
    }

    pub(crate) fn use_certificate(&self, kid: Option<&str>) {
        let mut profile = self.r().profile(self.p()).expect("the profile");
        profile.tls.client_certificate = kid.map(str::to_string);
        self.r()
            .save_profile(&profile, &Default::default())
            .expect("the profile names its certificate");
    }

    pub(crate) fn requests(&self) -> u64 {
        self.h.mock.admin().request_count()
    }

    /// A `private_key_jwt` client's metadata carrying `key`'s public half.
    pub(crate) fn key_client(&self, key: &KeyRecord) -> ClientMetadata {
        meta(json!({
            "token_endpoint_auth_method": "private_key_jwt",
            "token_endpoint_auth_signing_alg": self.alg,
            "grant_types": ["client_credentials", "authorization_code"],
            "response_types": ["code"],
            "redirect_uris": [REDIRECT],
            "scope": "openid accounts",
            "tls_client_certificate_bound_access_tokens": true,
            "jwks": { "keys": [key.public_jwk.clone()] },
        }))
    }

    /// A `tls_client_auth` client named by the transport certificate's subject.
    pub(crate) fn certificate_client(&self) -> ClientMetadata {
        let certificate = self.transport.certificate.as_ref().expect("a certificate");
        let mut m = meta(json!({
            "token_endpoint_auth_method": "tls_client_auth",
            "grant_types": ["client_credentials"],
            "response_types": [],
            "scope": "openid accounts",
            "tls_client_certificate_bound_access_tokens": true,
        }));
        for (k, v) in certificate.registration_fields("tls_client_auth") {
            m.set(k, v);
        }
        m
    }

    /// A client_credentials try of `client_id`: the certificate binding its token's
    /// introspection shows.
    pub(crate) async fn try_and_introspect(&self, client_id: &str) -> String {
        let target = self
            .r()
            .try_target(self.p(), client_id, Some(TryGrant::ClientCredentials))
            .await
            .unwrap_or_else(|e| panic!("{}: try target of {client_id}: {e}", self.alg));
        let outcome = self
            .r()
            .try_client_credentials(&target, None)
            .await
            .unwrap_or_else(|e| panic!("{}: client_credentials of {client_id}: {e}", self.alg));
        assert!(outcome.report.access_token_length > 0);
        let token_calls: Vec<_> = outcome
            .report
            .exchanges
            .iter()
            .filter(|e| e.method == "POST" && e.url == self.h.mock.token_endpoint())
            .collect();
        assert_eq!(token_calls.len(), 1, "{:#?}", outcome.report.exchanges);
        assert_eq!(token_calls[0].status, Some(200));
        let introspection = self
            .r()
            .try_introspect(&outcome.session, TokenChoice::AccessToken)
            .await
            .unwrap_or_else(|e| panic!("{}: introspection for {client_id}: {e}", self.alg));
        assert_eq!(introspection["active"], json!(true), "{introspection:?}");
        assert_eq!(introspection["client_id"], json!(client_id), "{introspection:?}");
        // Members RFC 7662 does not name come under `other`, as the provider sent them.
        let bound = introspection["other"]["cnf"]["x5t#S256"]
            .as_str()
            .unwrap_or_else(|| panic!("the token is bound to a certificate: {introspection:?}"))
            .to_string();
        // A client authenticating by certificate: the report names the one the token is bound to.
        if let Some(presented) = &outcome.report.presented_certificate {
            assert_eq!(presented.x5t_s256, bound, "the report names the certificate");
        }
        bound
    }
}

fn display(e: &Error) -> String {
    e.to_string()
}

/// The whole flow with PS256 (RSA) and ES256 (P-256) software keys.
#[tokio::test]
async fn an_open_banking_registration_end_to_end_with_ps256_and_es256() {
    for (kind, alg) in [("rsa", "PS256"), ("p256", "ES256")] {
        let bank = Bank::open(kind, alg).await;
        lifecycle(&bank).await;
    }
}

async fn lifecycle(bank: &Bank) {
    let r = bank.r();
    let p = bank.p();
    let alg = bank.alg;
    let admin = bank.h.mock.admin();
    let transport_x5t = bank
        .transport
        .certificate
        .as_ref()
        .expect("a certificate")
        .x5t_s256
        .clone();

    // The statement as the user inspects it: the directory's signature checks out.
    let kept = r.software_statement(p, SSA_LABEL).expect("kept");
    let directory_jwks = json!({ "keys": [bank.directory.public_jwk.clone()] });
    let inspection = r
        .inspect_software_statement(p, &kept.jwt, Some(directory_jwks), None)
        .await
        .expect("inspected");
    assert_eq!(
        inspection.signature,
        SignatureCheck::Valid {
            kid: Some(bank.directory.kid.clone())
        },
        "{alg}"
    );
    assert!(
        !inspection.expired && inspection.problems.is_empty(),
        "{alg}: {:?}",
        inspection.problems
    );

    // A private_key_jwt client with a key of its own.
    let client_key = r
        .generate_key(p, &new_key(bank.kind, alg, "client signing"))
        .expect("the client's key");
    let registered = r
        .register(p, bank.key_client(&client_key))
        .await
        .unwrap_or_else(|e| panic!("{alg}: private_key_jwt registration: {e}"));
    assert_eq!(registered.status, 201, "{alg}");
    let key_client = registered.registration.client_id.clone();
    let returned = &registered.registration.metadata_returned;
    assert_eq!(returned.str("software_id"), Some(SOFTWARE_ID), "{alg}");
    assert_eq!(
        returned.str("client_name"),
        Some("Registrar TPP"),
        "{alg}: from the statement"
    );
    assert_eq!(returned.str("token_endpoint_auth_method"), Some("private_key_jwt"));
    assert!(registered.client_secret.is_none(), "{alg}: no shared secret");
    assert!(
        r.registration_access_token(&bank.h.profile.id, &key_client)
            .unwrap()
            .is_some(),
        "{alg}: the RAT is kept"
    );
    // It went as a signed request, over mutual TLS, carrying the statement.
    let history = r
        .history(&HistoryFilter {
            client_id: Some(key_client.clone()),
            ..Default::default()
        })
        .expect("history");
    let register_call = history
        .iter()
        .find(|e| e.operation == "register")
        .unwrap_or_else(|| panic!("{alg}: the registration is in the history: {history:#?}"));
    assert!(
        register_call
            .request_headers
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("content-type") && v == "application/jwt"),
        "{alg}: {:?}",
        register_call.request_headers
    );
    let signed = register_call.request_body.as_deref().expect("a body");
    let request = registrar_keys::jws::verify(
        signed,
        &json!({ "keys": [bank.software.public_jwk.clone()] }),
        &[registrar_keys::Alg::PS256, registrar_keys::Alg::ES256],
    )
    .unwrap_or_else(|e| panic!("{alg}: the request is signed by the software key: {e}"));
    assert_eq!(request.header["alg"], json!(alg));
    assert_eq!(request.claims["iss"], json!(SOFTWARE_ID));
    assert_eq!(request.claims["aud"], json!(bank.h.mock.issuer()));
    assert_eq!(request.claims["software_statement"], json!(kept.jwt));
    for claim in ["iat", "exp", "jti"] {
        assert!(
            request.claims.get(claim).is_some(),
            "{alg}: {claim} in {}",
            request.claims
        );
    }

    r.bind_key(p, &client_key.kid, Some(&key_client))
        .expect("the key is the client's");
    assert_eq!(
        registrar_core::custody::kids(&r.public_jwks(p, Some(&key_client)).unwrap()),
        vec![client_key.kid.clone()]
    );

    // A tls_client_auth client, named by the transport certificate's subject.
    let registered = r
        .register(p, bank.certificate_client())
        .await
        .unwrap_or_else(|e| panic!("{alg}: tls_client_auth registration: {e}"));
    let cert_client = registered.registration.client_id.clone();
    let subject_dn = &bank.transport.certificate.as_ref().unwrap().subject_dn;
    assert_eq!(
        registered
            .registration
            .metadata_returned
            .str("tls_client_auth_subject_dn"),
        Some(subject_dn.as_str())
    );

    // Read both.
    for id in [&key_client, &cert_client] {
        let read = r.read(p, id).await.unwrap_or_else(|e| panic!("{alg}: read {id}: {e}"));
        assert_eq!(read.registration.client_id, *id);
        assert!(read.drift.is_empty(), "{alg}: {:?}", read.drift);
    }

    // Tokens with each method, bound to the certificate the call presented.
    assert_eq!(
        bank.try_and_introspect(&key_client).await,
        transport_x5t,
        "{alg}: private_key_jwt"
    );
    assert_eq!(
        bank.try_and_introspect(&cert_client).await,
        transport_x5t,
        "{alg}: tls_client_auth"
    );

    // Rotation with overlap: the update carries both keys, then only the new one.
    let rotated = r
        .rotate_client_key(p, &key_client, &NewKey::default(), OVERLAP_SECS)
        .await
        .unwrap_or_else(|e| panic!("{alg}: rotate: {e}"));
    let new_key_record = rotated.keys[0].clone();
    assert_eq!(new_key_record.alg, alg, "the new key is like the old");
    let update = rotated.update.as_ref().expect("an update was sent");
    let mut both = vec![client_key.kid.clone(), new_key_record.kid.clone()];
    both.sort();
    let mut sent = registrar_core::custody::kids(update.registration.metadata_returned.get("jwks").unwrap());
    sent.sort();
    assert_eq!(sent, both, "{alg}: the provider holds old and new keys");
    let mut on_provider = registrar_core::custody::kids(&admin.get_client(&key_client).unwrap()["jwks"]);
    on_provider.sort();
    assert_eq!(on_provider, both, "{alg}");
    // The newest key signs now.
    assert_eq!(
        bank.try_and_introspect(&key_client).await,
        transport_x5t,
        "{alg}: new key"
    );

    tokio::time::sleep(std::time::Duration::from_millis(OVERLAP_SECS as u64 * 1000 + 100)).await;
    let finished = r
        .finish_key_rotation(p, &key_client)
        .await
        .unwrap_or_else(|e| panic!("{alg}: finish rotation: {e}"));
    assert_eq!(
        finished.keys.iter().map(|k| k.kid.clone()).collect::<Vec<_>>(),
        vec![client_key.kid.clone()],
        "{alg}: the old key retired"
    );
    assert!(finished.update.is_some(), "{alg}: {:?}", finished.notes);
    assert_eq!(
        registrar_core::custody::kids(&admin.get_client(&key_client).unwrap()["jwks"]),
        vec![new_key_record.kid.clone()],
        "{alg}"
    );
    assert!(r.key(p, &client_key.kid).is_err(), "{alg}: the old key left custody");
    assert_eq!(
        bank.try_and_introspect(&key_client).await,
        transport_x5t,
        "{alg}: after the rotation"
    );

    // Delete both.
    for id in [&key_client, &cert_client] {
        let deleted = r
            .delete(p, id)
            .await
            .unwrap_or_else(|e| panic!("{alg}: delete {id}: {e}"));
        assert_eq!(deleted.status, 204, "{alg}");
        assert!(admin.get_client(id).is_none(), "{alg}: gone from the bank");
    }
}

/// Each refusal the issue names, with its own message.
#[tokio::test]
async fn what_cannot_work_is_refused_each_with_its_own_message() {
    let bank = Bank::open("p256", "ES256").await;
    let r = bank.r();
    let p = bank.p();
    let client_key = r
        .generate_key(p, &new_key("p256", "ES256", "client signing"))
        .expect("a key");
    let mut errors: Vec<String> = Vec::new();

    // An expired statement: refused before anything is sent.
    let expired = bank.statement(
        &bank.directory.kid,
        |c| {
            let t = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs() as i64;
            c.insert("iat".into(), json!(t - 7200));
            c.insert("exp".into(), json!(t - 3600));
        },
        None,
    );
    bank.keep_statement("expired", &expired);
    bank.use_statement(Some("expired"));
    let before = bank.requests();
    let e = r
        .register(p, bank.key_client(&client_key))
        .await
        .expect_err("an expired statement is not sent");
    let text = display(&e);
    assert!(matches!(e, Error::Validation(_)), "{e:?}");
    assert!(
        text.contains("\"expired\"") && text.contains("expired") && text.contains("nothing was sent"),
        "{text}"
    );
    assert_eq!(bank.requests(), before, "nothing reached the bank");
    assert!(
        r.expiring_custody(Some(p), 0)
            .unwrap()
            .iter()
            .any(|x| x.name == "expired"),
        "the expired statement is in the expiring view"
    );
    errors.push(text);

    // Signed by a directory the bank does not trust.
    let rogue = r
        .generate_key(p, &new_key("p256", "ES256", "rogue directory"))
        .expect("a key");
    let untrusted = bank.statement(&rogue.kid, |_| {}, Some(600));
    bank.keep_statement("untrusted", &untrusted);
    bank.use_statement(Some("untrusted"));
    let e = r
        .register(p, bank.key_client(&client_key))
        .await
        .expect_err("an unapproved statement");
    match &e {
        Error::Provider { status, code, .. } => {
            assert_eq!(
                (*status, code.as_deref()),
                (400, Some("unapproved_software_statement")),
                "{e}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(display(&e).contains("unapproved_software_statement"), "{e}");
    errors.push(display(&e));
    bank.use_statement(Some(SSA_LABEL));

    // A redirect URI the statement does not list.
    let mut outside = bank.key_client(&client_key);
    outside.set("redirect_uris", json!(["https://elsewhere.example.org/cb"]));
    let e = r
        .register(p, outside)
        .await
        .expect_err("a redirect outside the statement");
    match &e {
        Error::Provider { status, code, .. } => {
            assert_eq!((*status, code.as_deref()), (400, Some("invalid_redirect_uri")), "{e}");
        }
        other => panic!("{other:?}"),
    }
    assert!(display(&e).contains("elsewhere.example.org"), "the URI is named: {e}");
    errors.push(display(&e));

    // No client certificate: the bank's 401 said as such.
    bank.use_certificate(None);
    let e = r
        .register(p, bank.key_client(&client_key))
        .await
        .expect_err("no client certificate");
    let text = display(&e);
    assert!(text.contains("401"), "{text}");
    assert!(text.contains("a client certificate (mutual TLS) is required"), "{text}");
    assert!(
        text.contains("tls.client_certificate") && !text.contains("registration access token"),
        "what to do about it: {text}"
    );
    errors.push(text);
    bank.use_certificate(Some(&bank.transport.kid));

    // A client whose key signs with an algorithm the bank does not list: refused locally.
    let registered = r
        .register(p, bank.key_client(&client_key))
        .await
        .unwrap_or_else(|e| panic!("registration: {e}"));
    let id = registered.registration.client_id.clone();
    r.bind_key(p, &client_key.kid, Some(&id)).expect("bound");
    let eddsa = r
        .generate_key(
            p,
            &NewKey {
                kind: Some("ed25519".into()),
                client_id: Some(id.clone()),
                label: Some("not for this bank".into()),
                ..Default::default()
            },
        )
        .expect("an Ed25519 key for the client");
    assert_eq!(eddsa.alg, "EdDSA");
    let e = r
        .try_target(p, &id, Some(TryGrant::ClientCredentials))
        .await
        .expect_err("EdDSA is not listed");
    let text = display(&e);
    assert!(
        text.contains(&eddsa.kid)
            && text.contains("EdDSA")
            && text.contains("token_endpoint_auth_signing_alg_values_supported")
            && text.contains("nothing was sent"),
        "{text}"
    );
    let posted = r
        .history(&HistoryFilter {
            client_id: Some(id.clone()),
            ..Default::default()
        })
        .unwrap()
        .iter()
        .filter(|x| x.url == bank.h.mock.token_endpoint())
        .count();
    assert_eq!(posted, 0, "no token request");
    errors.push(text);

    // A certificate imported for a key it is not for.
    let other = r.generate_key(p, &new_key("p256", "ES256", "other")).expect("a key");
    let pem = bank.transport.certificate.as_ref().unwrap().pem.clone();
    let e = r
        .import_certificate(p, &pem, Some(&other.kid))
        .expect_err("the transport certificate is not the other key's");
    let text = display(&e);
    assert!(
        text.contains(&format!("is not for key {}", other.kid)) && text.contains("CN=tpp transport"),
        "{text}"
    );
    assert!(r.key(p, &other.kid).unwrap().certificate.is_none(), "nothing was kept");
    errors.push(text);
    // One for no key of the profile at all.
    let stranger = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.distinguished_name.push(rcgen::DnType::CommonName, "stranger");
    let foreign = params.self_signed(&stranger).unwrap().pem();
    let e = r
        .import_certificate(p, &foreign, None)
        .expect_err("a certificate for a key not in custody");
    let text = display(&e);
    assert!(
        text.contains("CN=stranger") && text.contains("is for none of the profile's"),
        "{text}"
    );
    errors.push(text);

    // Nothing secret in what Registrar wrote or said.
    let keys = custody_keys(r, p);
    assert!(keys.len() >= 6, "{}", keys.len());
    // The scan finds a key where there is one.
    let control = keys[0].private_pem.clone();
    let one = keys[..1].to_vec();
    assert!(std::panic::catch_unwind(move || assert_no_key_material(&control, "a control", &one)).is_err());
    assert_no_key_material(&database_text(&bank.h.database_path()), "the database", &keys);
    let history = serde_json::to_string(&r.history(&HistoryFilter::default()).unwrap()).unwrap();
    assert_no_key_material(&history, "the history", &keys);
    assert_no_key_material(&errors.join("\n"), "the errors", &keys);
}
