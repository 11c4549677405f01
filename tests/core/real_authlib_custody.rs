//! Software statements and `private_key_jwt` against Authlib's own endpoints (PyPI, pinned
//! in tests/providers/authlib): statements signed by a local directory key whose public
//! JWK Set Authlib trusts (`--software-statement-jwks`, claims validated), one that expired
//! refused before it is sent, one signed by another key refused by Authlib; and clients
//! authenticating with an Ed25519 and a PS256 key from custody.

use registrar_core::custody::{KeyRecord, NewKey, SignatureCheck};
use registrar_core::{Error, HistoryFilter, Profile, ProviderKind, Registrar, TryGrant};
use registrar_tests::custody::{assert_no_key_material, custody_keys};
use registrar_tests::local::Local;
use registrar_tests::real_provider::RealProvider;
use registrar_tests::{database_text, meta};
use serde_json::{json, Value};

const SSA_REDIRECT: &str = "https://ssa.example.org/callback";

/// A Registrar with a "directory" profile holding the directory's signing key (its public
/// JWK Set in a file for Authlib), and Authlib trusting it.
struct World {
    local: Local,
    directory: KeyRecord,
    op: RealProvider,
    _jwks_file: tempfile::NamedTempFile,
    profile: Profile,
}

impl World {
    fn start() -> Self {
        let local = Local::new();
        // The directory is another party; a profile of its own keeps its key apart.
        local.profile(
            "directory",
            ProviderKind::Generic,
            None,
            "https://directory.example.org/register",
            None,
        );
        let directory = local
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
        let jwks = local.registrar.public_jwks("directory", None).unwrap();
        let file = tempfile::NamedTempFile::new().expect("a temporary file");
        std::fs::write(file.path(), jwks.to_string()).expect("the directory's JWK Set written");
        let path = file.path().to_str().expect("a UTF-8 path").to_string();
        let op = RealProvider::authlib(&[
            "--software-statement-jwks",
            &path,
            "--software-statement-validate-claims",
            "--private-key-jwt",
            "--client-assertion-algs",
            "ES256,PS256,RS256,EdDSA",
        ]);
        let profile = local.profile(
            "authlib",
            ProviderKind::Generic,
            Some(&op.issuer),
            &op.registration_endpoint,
            None,
        );
        Self {
            local,
            directory,
            op,
            _jwks_file: file,
            profile,
        }
    }

    fn r(&self) -> &Registrar {
        &self.local.registrar
    }

    /// A statement signed by the directory profile's key `kid`, its claims `edit`ed.
    fn statement(&self, kid: &str, edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
        let mut claims = json!({
            "software_id": "registrar-authlib-software",
            "software_version": "1.2",
            "client_name": "From SSA",
            "redirect_uris": [SSA_REDIRECT],
            "scope": "read",
        });
        edit(claims.as_object_mut().unwrap());
        self.r()
            .sign_software_statement("directory", kid, &claims, Some(600))
            .expect("signed")
    }

    /// Keeps `jwt` in the Authlib profile under `label` and makes it the one sent.
    fn use_statement(&self, label: &str, jwt: &str) {
        self.r()
            .keep_software_statement("authlib", label, jwt, "signed locally")
            .expect("kept");
        let mut profile = self.r().profile("authlib").unwrap();
        profile.signing.software_statement = Some(label.into());
        self.r().save_profile(&profile, &Default::default()).unwrap();
    }

    fn history_len(&self) -> usize {
        self.r().history(&HistoryFilter::default()).unwrap().len()
    }
}

fn body() -> registrar_core::ClientMetadata {
    meta(json!({
        "client_name": "From body",
        "redirect_uris": ["https://other.example.org/cb"],
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "client_secret_basic",
        "contacts": ["ops@example.org"],
    }))
}

#[tokio::test]
async fn software_statements_signed_by_a_local_directory_key() {
    let w = World::start();
    let r = w.r();
    let p = &w.profile;

    // A good statement: its claims win over the body's (RFC 7591 §2.3).
    let good = w.statement(&w.directory.kid, |_| {});
    let inspection = r
        .inspect_software_statement("authlib", &good, Some(r.public_jwks("directory", None).unwrap()), None)
        .await
        .unwrap();
    assert!(
        matches!(inspection.signature, SignatureCheck::Valid { .. }),
        "{inspection:?}"
    );
    w.use_statement("good", &good);
    let registered = r
        .register(&p.id, body())
        .await
        .unwrap_or_else(|e| panic!("registration with the statement: {e}"));
    let returned = &registered.registration.metadata_returned;
    assert_eq!(returned.client_name(), Some("From SSA"));
    assert_eq!(returned.get("redirect_uris"), Some(&json!([SSA_REDIRECT])));
    assert_eq!(returned.str("software_id"), Some("registrar-authlib-software"));
    assert_eq!(returned.str("software_version"), Some("1.2"));
    assert_eq!(returned.str("scope"), Some("read"));
    assert_eq!(
        returned.get("contacts"),
        Some(&json!(["ops@example.org"])),
        "the body's own field"
    );
    let sent = r
        .history(&HistoryFilter {
            client_id: Some(registered.registration.client_id.clone()),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .find(|e| e.operation == "register")
        .and_then(|e| e.request_body)
        .expect("the registration's body");
    let sent: Value = serde_json::from_str(&sent).expect("plain JSON");
    assert_eq!(
        sent["software_statement"],
        json!(good),
        "the profile's statement went along"
    );
    assert_eq!(
        r.delete(&p.id, &registered.registration.client_id)
            .await
            .unwrap()
            .status,
        204
    );

    // An expired statement (Authlib would refuse it too): refused before anything is sent.
    let expired = w.statement(&w.directory.kid, |c| {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        c.insert("iat".into(), json!(t - 7200));
        c.insert("exp".into(), json!(t - 60));
    });
    w.use_statement("expired", &expired);
    let before = w.history_len();
    let e = r.register(&p.id, body()).await.expect_err("expired");
    let text = e.to_string();
    assert!(matches!(e, Error::Validation(_)), "{e:?}");
    assert!(
        text.contains("\"expired\"") && text.contains("nothing was sent"),
        "{text}"
    );
    // The same one carried in the metadata itself.
    let mut with_own = body();
    with_own.set("software_statement", json!(expired));
    let e = r.register(&p.id, with_own).await.expect_err("expired, in the metadata");
    assert!(e.to_string().contains("in the metadata"), "{e}");
    assert_eq!(w.history_len(), before, "no request reached Authlib");

    // Signed by a key Authlib does not trust.
    let other = r
        .generate_key(
            "directory",
            &NewKey {
                kind: Some("p256".into()),
                label: Some("not the directory".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let forged = w.statement(&other.kid, |_| {});
    let inspection = r
        .inspect_software_statement(
            "authlib",
            &forged,
            Some(json!({"keys": [w.directory.public_jwk]})),
            None,
        )
        .await
        .unwrap();
    assert!(
        matches!(inspection.signature, SignatureCheck::Invalid { .. }),
        "the inspector sees it first: {inspection:?}"
    );
    w.use_statement("forged", &forged);
    let e = r.register(&p.id, body()).await.expect_err("forged");
    match &e {
        Error::Provider { status, code, .. } => {
            assert_eq!(
                (*status, code.as_deref()),
                (400, Some("invalid_software_statement")),
                "{e}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("invalid_software_statement"), "{e}");
}

#[tokio::test]
async fn private_key_jwt_with_an_ed25519_and_a_ps256_key() {
    let w = World::start();
    let r = w.r();
    let p = &w.profile;
    for (kind, alg) in [("ed25519", "EdDSA"), ("rsa", "PS256")] {
        let key = r
            .generate_key(
                &p.id,
                &NewKey {
                    kind: Some(kind.into()),
                    alg: Some(alg.into()),
                    label: Some(format!("{alg} client key")),
                    ..Default::default()
                },
            )
            .unwrap_or_else(|e| panic!("{alg}: {e}"));
        assert_eq!(key.alg, alg);
        let registered = r
            .register(
                &p.id,
                meta(json!({
                    "client_name": format!("{alg} client"),
                    "token_endpoint_auth_method": "private_key_jwt",
                    "grant_types": ["client_credentials"],
                    "response_types": [],
                    "scope": "read",
                    "jwks": { "keys": [key.public_jwk.clone()] },
                })),
            )
            .await
            .unwrap_or_else(|e| panic!("{alg}: registration: {e}"));
        let id = registered.registration.client_id.clone();
        assert_eq!(
            registered
                .registration
                .metadata_returned
                .str("token_endpoint_auth_method"),
            Some("private_key_jwt")
        );
        r.bind_key(&p.id, &key.kid, Some(&id)).unwrap();
        let target = r
            .try_target(&p.id, &id, Some(TryGrant::ClientCredentials))
            .await
            .unwrap_or_else(|e| panic!("{alg}: try target: {e}"));
        let outcome = r
            .try_client_credentials(&target, Some("read"))
            .await
            .unwrap_or_else(|e| panic!("{alg}: client_credentials: {e}"));
        assert!(outcome.report.access_token_length > 0, "{alg}");
        assert_eq!(outcome.report.token_endpoint, format!("{}/token", w.op.issuer));
        // The assertion went, and nothing of the key: its body holds no secret in the history.
        let token_call = outcome
            .report
            .exchanges
            .iter()
            .find(|e| e.url.ends_with("/token"))
            .expect("the token call");
        assert_eq!(token_call.status, Some(200), "{alg}");
        assert!(
            token_call
                .request_body
                .as_deref()
                .is_some_and(|b| b.contains("client_assertion_type")),
            "{alg}: {:?}",
            token_call.request_body
        );
        // Read, then rotate: the update carries old and new keys, the new one signs, and
        // once the old one is due it leaves the client (and custody).
        let read = r.read(&p.id, &id).await.unwrap_or_else(|e| panic!("{alg}: read: {e}"));
        let held =
            |m: &registrar_core::ClientMetadata| registrar_core::custody::kids(m.get("jwks").unwrap_or(&json!({})));
        assert_eq!(
            held(&read.registration.metadata_returned),
            vec![key.kid.clone()],
            "{alg}"
        );
        let rotation = r
            .rotate_client_key(&p.id, &id, &NewKey::default(), 3600)
            .await
            .unwrap_or_else(|e| panic!("{alg}: rotate: {e}"));
        let new_kid = rotation.keys[0].kid.clone();
        assert_eq!(rotation.keys[0].alg, alg, "the new key keeps the algorithm");
        let mut both = held(&rotation.update.expect("an update").registration.metadata_returned);
        both.sort();
        let mut expected = vec![key.kid.clone(), new_kid.clone()];
        expected.sort();
        assert_eq!(both, expected, "{alg}: Authlib holds both keys during the overlap");
        let target = r
            .try_target(&p.id, &id, Some(TryGrant::ClientCredentials))
            .await
            .unwrap();
        r.try_client_credentials(&target, Some("read"))
            .await
            .unwrap_or_else(|e| panic!("{alg}: a token with the new key: {e}"));
        r.retire_key(&p.id, &key.kid, Some(1)).unwrap();
        let finished = r
            .finish_key_rotation(&p.id, &id)
            .await
            .unwrap_or_else(|e| panic!("{alg}: finish: {e}"));
        assert_eq!(
            held(&finished.update.expect("an update").registration.metadata_returned),
            vec![new_kid.clone()],
            "{alg}"
        );
        r.delete(&p.id, &id)
            .await
            .unwrap_or_else(|e| panic!("{alg}: delete: {e}"));
    }
    let keys = custody_keys(r, &p.id);
    assert_eq!(keys.len(), 2);
    assert_no_key_material(&database_text(&w.local.database_path()), "the database", &keys);
    let history = serde_json::to_string(&r.history(&HistoryFilter::default()).unwrap()).unwrap();
    assert_no_key_material(&history, "the history", &keys);
}
