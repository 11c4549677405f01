//! Each vendor preset's requests, built from the preset alone, checked against a
//! recording server answering as the vendor documents (the citations are in
//! crates/core/src/profile/vendor_presets.rs): method, path, headers and body.

use registrar_core::{Error, Profile, ProfileSecrets, ProviderKind, RegistrationAuth, Secret};
use registrar_tests::local::Local;
use registrar_tests::meta;
use registrar_tests::recording_server::{Answer, Recorded, RecordingServer};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn client() -> registrar_core::ClientMetadata {
    meta(json!({
        "client_name": "preset app",
        "redirect_uris": ["https://app.example.org/cb"],
        "grant_types": ["authorization_code"],
        "response_types": ["code"]
    }))
}

/// Saves a profile of `kind` at `endpoint` with the preset's settings and `secret` for
/// whatever credential the preset asks for.
fn profile(local: &Local, kind: ProviderKind, endpoint: &str, token_endpoint: Option<&str>) -> Profile {
    let mut p = Profile::new(kind.as_str(), kind, endpoint);
    p.token_endpoint = token_endpoint.map(str::to_string);
    let mut secrets = ProfileSecrets::default();
    match &mut p.registration_auth {
        RegistrationAuth::InitialAccessToken => secrets.initial_access_token = Some(Secret::new("vendor-token")),
        RegistrationAuth::ClientCredentials { client_id, .. } => {
            *client_id = "dcr-client".into();
            secrets.client_credentials_secret = Some(Secret::new("dcr-secret"));
        }
        RegistrationAuth::Basic { username } => {
            *username = "admin".into();
            secrets.admin_password = Some(Secret::new("pw"));
        }
        RegistrationAuth::None => {}
    }
    local
        .registrar
        .save_profile(&p, &secrets)
        .expect("the preset makes a valid profile")
}

fn request<'a>(log: &'a [Recorded], method: &str) -> Vec<&'a Recorded> {
    log.iter().filter(|r| r.method == method).collect()
}

fn body_of(r: &Recorded) -> serde_json::Map<String, Value> {
    r.json().as_object().cloned().unwrap_or_default()
}

/// A counter the scripts use to hand out a new token each time.
fn counter() -> Arc<AtomicUsize> {
    Arc::new(AtomicUsize::new(0))
}

#[tokio::test]
async fn keycloak_registers_with_a_bearer_token_and_stores_the_token_each_update_rotates() {
    let n = counter();
    let server = RecordingServer::start(move |r, base| {
        let token = format!("rat-{}", n.fetch_add(1, Ordering::SeqCst));
        let uri = format!("{base}/realms/demo/clients-registrations/openid-connect/kc-1");
        let mut answer = r.json();
        if !answer.is_object() {
            answer = json!({});
        }
        answer["client_id"] = json!("kc-1");
        answer["client_secret"] = json!("kc-secret");
        answer["client_secret_expires_at"] = json!(0);
        answer["registration_client_uri"] = json!(uri);
        match r.method.as_str() {
            "POST" => Answer::json(201, {
                answer["registration_access_token"] = json!(token);
                answer
            }),
            // A read returns the same token; an update a new one.
            "GET" => Answer::json(200, {
                answer = json!({"client_id": "kc-1", "client_name": "preset app", "registration_client_uri": uri,
                                "redirect_uris": ["https://app.example.org/cb"], "registration_access_token": "rat-0"});
                answer
            }),
            "PUT" => Answer::json(200, {
                answer["registration_access_token"] = json!(token);
                answer
            }),
            _ => Answer::empty(204),
        }
    })
    .await;
    let local = Local::new();
    let endpoint = format!("{}/realms/demo/clients-registrations/openid-connect", server.url);
    let p = profile(&local, ProviderKind::Keycloak, &endpoint, None);
    let r = &local.registrar;
    r.register(&p.id, client()).await.unwrap();
    r.read(&p.id, "kc-1").await.unwrap();
    let mut desired = r.registration(&p.id, "kc-1").unwrap().metadata_returned;
    desired.set("client_name", json!("renamed"));
    let updated = r.update(&p.id, "kc-1", desired).await.unwrap();
    assert!(updated.rotated_registration_access_token);
    assert_eq!(
        r.registration_access_token(&p.id, "kc-1").unwrap().unwrap().expose(),
        "rat-2"
    );
    r.delete(&p.id, "kc-1").await.unwrap();

    let log = server.requests();
    let post = request(&log, "POST")[0];
    assert_eq!(post.target, "/realms/demo/clients-registrations/openid-connect");
    assert_eq!(post.header("authorization"), Some("Bearer vendor-token"));
    let put = request(&log, "PUT")[0];
    assert_eq!(put.target, "/realms/demo/clients-registrations/openid-connect/kc-1");
    assert_eq!(put.header("authorization"), Some("Bearer rat-0"));
    let body = body_of(put);
    assert_eq!(
        body["client_id"], "kc-1",
        "Keycloak refuses an update without client_id"
    );
    assert!(
        !body.contains_key("client_secret"),
        "Keycloak ignores it; the preset never sends it"
    );
    assert_eq!(request(&log, "DELETE")[0].header("authorization"), Some("Bearer rat-2"));
}

#[tokio::test]
async fn a_keycloak_policy_refusal_is_said_as_the_provider_said_it() {
    let server = RecordingServer::start(|_, _| {
        Answer::json(
            403,
            json!({"error": "insufficient_scope",
                   "error_description": "Policy 'Trusted Hosts' rejected request to client-registration service. Details: Host not trusted."}),
        )
    })
    .await;
    let local = Local::new();
    let endpoint = format!("{}/realms/demo/clients-registrations/openid-connect", server.url);
    let p = profile(&local, ProviderKind::Keycloak, &endpoint, None);
    let e = local.registrar.register(&p.id, client()).await.unwrap_err();
    assert!(matches!(e, Error::Auth { status: 403, .. }), "{e:?}");
    assert!(e.to_string().contains("Policy 'Trusted Hosts' rejected"), "{e}");
    assert!(local.registrar.search(&Default::default()).unwrap().items.is_empty());
}

#[tokio::test]
async fn okta_uses_its_api_token_for_every_call_and_its_client_path() {
    let server = RecordingServer::start(|r, _| match r.method.as_str() {
        "POST" | "PUT" => {
            let mut answer = r.json();
            answer["client_id"] = json!("0oa1");
            answer["client_secret"] = json!("okta-secret");
            answer["client_id_issued_at"] = json!(1_700_000_000);
            answer["client_secret_expires_at"] = json!(0);
            Answer::json(if r.method == "POST" { 201 } else { 200 }, answer)
        }
        "GET" => Answer::json(
            200,
            json!({"client_id": "0oa1", "client_name": "preset app", "redirect_uris": ["https://app.example.org/cb"],
                   "client_id_issued_at": 1_700_000_000, "client_secret_expires_at": 0}),
        ),
        _ => Answer::empty(204),
    })
    .await;
    let local = Local::new();
    let p = profile(
        &local,
        ProviderKind::Okta,
        &format!("{}/oauth2/v1/clients", server.url),
        None,
    );
    let r = &local.registrar;
    r.register(&p.id, client()).await.unwrap();
    r.read(&p.id, "0oa1").await.unwrap();
    let mut desired = r.registration(&p.id, "0oa1").unwrap().metadata_returned;
    desired.set("client_name", json!("renamed"));
    r.update(&p.id, "0oa1", desired).await.unwrap();
    r.delete(&p.id, "0oa1").await.unwrap();

    let log = server.requests();
    assert_eq!(log.len(), 4);
    assert!(
        log.iter()
            .all(|r| r.header("authorization") == Some("SSWS vendor-token")),
        "{log:#?}"
    );
    assert_eq!(log[0].target, "/oauth2/v1/clients");
    for r in &log[1..] {
        assert_eq!(r.target, "/oauth2/v1/clients/0oa1", "{r:?}");
    }
    let put = body_of(&log[2]);
    for forbidden in ["client_secret", "client_id_issued_at", "client_secret_expires_at"] {
        assert!(
            !put.contains_key(forbidden),
            "Okta refuses {forbidden} on update: {put:?}"
        );
    }
    assert_eq!(
        put["redirect_uris"],
        json!(["https://app.example.org/cb"]),
        "the full client"
    );
}

#[tokio::test]
async fn auth0_registers_openly_and_refuses_management_without_a_request() {
    let server = RecordingServer::start(|r, _| {
        let mut answer = r.json();
        answer["client_id"] = json!("a0");
        answer["client_secret"] = json!("a0-secret");
        answer["client_secret_expires_at"] = json!(0);
        Answer::json(201, answer)
    })
    .await;
    let local = Local::new();
    let p = profile(
        &local,
        ProviderKind::Auth0,
        &format!("{}/oidc/register", server.url),
        None,
    );
    let r = &local.registrar;
    r.register(&p.id, client()).await.unwrap();
    for e in [
        r.read(&p.id, "a0").await.unwrap_err(),
        r.delete(&p.id, "a0").await.unwrap_err(),
    ] {
        assert!(matches!(e, Error::Unsupported { .. }), "{e:?}");
    }
    let log = server.requests();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].target, "/oidc/register");
    assert_eq!(log[0].header("authorization"), None);
}

#[tokio::test]
async fn curity_gets_a_dcr_token_first_and_keeps_what_each_read_rotates() {
    let n = counter();
    let server = RecordingServer::start(move |r, base| {
        let i = n.fetch_add(1, Ordering::SeqCst);
        match (r.method.as_str(), r.target.as_str()) {
            ("POST", "/oauth/v2/oauth-token") => {
                Answer::json(200, json!({"access_token": "dcr-at", "token_type": "bearer", "expires_in": 300, "scope": "dcr"}))
            }
            ("POST", _) => Answer::json(
                201,
                json!({"client_id": "cu-1", "client_secret": "s-0", "registration_access_token": "rat-0",
                       "registration_client_uri": format!("{base}/oauth/v2/oauth-registration/cu-1"),
                       "redirect_uris": ["https://app.example.org/cb"], "client_name": "preset app"}),
            ),
            // Every read rotates both the token and the secret.
            _ => Answer::json(
                200,
                json!({"client_id": "cu-1", "client_secret": format!("s-{i}"), "registration_access_token": format!("rat-{i}"),
                       "redirect_uris": ["https://app.example.org/cb"], "client_name": "preset app"}),
            ),
        }
    })
    .await;
    let local = Local::new();
    let endpoint = format!("{}/oauth/v2/oauth-registration", server.url);
    let token_endpoint = format!("{}/oauth/v2/oauth-token", server.url);
    let p = profile(&local, ProviderKind::Curity, &endpoint, Some(&token_endpoint));
    let r = &local.registrar;
    r.register(&p.id, client()).await.unwrap();
    let read = r.read(&p.id, "cu-1").await.unwrap();
    assert!(read.rotated_registration_access_token && read.rotated_client_secret);
    assert_eq!(
        r.registration_access_token(&p.id, "cu-1").unwrap().unwrap().expose(),
        "rat-2"
    );
    assert_eq!(r.client_secret(&p.id, "cu-1").unwrap().unwrap().expose(), "s-2");

    let log = server.requests();
    let token = &log[0];
    assert_eq!(token.target, "/oauth/v2/oauth-token");
    assert!(
        token.body.contains("grant_type=client_credentials") && token.body.contains("scope=dcr"),
        "{token:?}"
    );
    assert_eq!(log[1].header("authorization"), Some("Bearer dcr-at"));
    assert_eq!(log[2].header("authorization"), Some("Bearer rat-0"));
}

#[tokio::test]
async fn hydra_manages_at_its_register_path_when_reads_return_no_uri() {
    let server = RecordingServer::start(|r, base| match r.method.as_str() {
        "POST" => Answer::json(
            201,
            json!({"client_id": "h-1", "client_secret": "hs", "registration_access_token": "ory_at_0",
                   "registration_client_uri": format!("{base}/oauth2/register/h-1"),
                   "redirect_uris": ["https://app.example.org/cb"], "client_name": "preset app"}),
        ),
        // No URI and no token on read; a new token on update.
        "GET" => Answer::json(
            200,
            json!({"client_id": "h-1", "client_name": "preset app", "redirect_uris": ["https://app.example.org/cb"]}),
        ),
        "PUT" => {
            if r.json().get("client_secret").is_some() {
                return Answer::json(
                    403,
                    json!({"error": "The requested action was forbidden",
                    "error_description": "It is not allowed to choose your own OAuth2 Client secret."}),
                );
            }
            let mut answer = r.json();
            answer["registration_access_token"] = json!("ory_at_1");
            Answer::json(200, answer)
        }
        _ => Answer::empty(204),
    })
    .await;
    let local = Local::new();
    let p = profile(
        &local,
        ProviderKind::Hydra,
        &format!("{}/oauth2/register", server.url),
        None,
    );
    let r = &local.registrar;
    r.register(&p.id, client()).await.unwrap();
    r.read(&p.id, "h-1").await.unwrap();
    let mut desired = r.registration(&p.id, "h-1").unwrap().metadata_returned;
    desired.set("client_name", json!("renamed"));
    r.update(&p.id, "h-1", desired).await.unwrap();
    r.delete(&p.id, "h-1").await.unwrap();
    let log = server.requests();
    for r in &log[1..] {
        assert_eq!(r.target, "/oauth2/register/h-1", "{r:?}");
    }
    assert_eq!(
        log[3].header("authorization"),
        Some("Bearer ory_at_1"),
        "the rotated token deletes"
    );
}

#[tokio::test]
async fn janssen_uses_its_query_style_management_uri_verbatim() {
    let id = "@!1736.179E!0001!0A2B.0002";
    let server = RecordingServer::start(move |r, base| {
        let uri = format!("{base}/jans-auth/restv1/register?client_id=%40%211736.179E%210001%210A2B.0002");
        match r.method.as_str() {
            "POST" => Answer::json(
                201,
                json!({"client_id": id, "client_secret": "js", "registration_access_token": "jrat",
                       "registration_client_uri": uri, "client_secret_expires_at": 1_900_000_000,
                       "redirect_uris": ["https://app.example.org/cb"], "client_name": "preset app"}),
            ),
            "GET" => Answer::json(
                200,
                json!({"client_id": id, "client_name": "preset app", "redirect_uris": ["https://app.example.org/cb"]}),
            ),
            _ => Answer::empty(204),
        }
    })
    .await;
    let local = Local::new();
    let p = profile(
        &local,
        ProviderKind::Janssen,
        &format!("{}/jans-auth/restv1/register", server.url),
        None,
    );
    let r = &local.registrar;
    r.register(&p.id, client()).await.unwrap();
    r.read(&p.id, id).await.unwrap();
    r.delete(&p.id, id).await.unwrap();
    let log = server.requests();
    assert_eq!(log[0].target, "/jans-auth/restv1/register");
    for r in &log[1..] {
        assert_eq!(
            r.target,
            "/jans-auth/restv1/register?client_id=%40%211736.179E%210001%210A2B.0002"
        );
        assert_eq!(r.header("authorization"), Some("Bearer jrat"));
    }
}
