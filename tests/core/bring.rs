//! What people already have: Keycloak's kcreg configuration (against a recording server
//! answering as Keycloak does) and an oidc-agent account (against node-oidc-provider).

use registrar_core::{parse_kcreg_config, parse_oidc_agent_account, ProviderKind, RegistrationAuth};
use registrar_tests::local::Local;
use registrar_tests::real_provider::RealProvider;
use registrar_tests::recording_server::{Answer, RecordingServer};
use serde_json::json;

#[tokio::test]
async fn kcreg_realms_become_keycloak_profiles_and_each_client_is_read_before_it_is_adopted() {
    // Keycloak: "app" answers and hands out a new token; "stale" was deleted long ago.
    let server = RecordingServer::start(|r, _| match (r.target.as_str(), r.header("authorization")) {
        ("/realms/demo/clients-registrations/openid-connect/app", Some("Bearer rat-app")) => Answer::json(
            200,
            json!({"client_id": "app", "client_name": "App", "redirect_uris": ["https://app.example/cb"],
                   "registration_access_token": "rat-app-2"}),
        ),
        _ => Answer::json(
            401,
            json!({"error": "invalid_token", "error_description": "Not authorized to view client. Not valid token or client credentials provided."}),
        ),
    })
    .await;
    let config = json!({
        "serverUrl": server.url, "realm": "demo",
        "endpoints": {server.url.clone(): {"demo": {
            "clientId": "admin-cli", "token": "the CLI's own login token", "initialToken": "kc-iat",
            "clients": {"app": "rat-app", "stale": "rat-stale"}
        }}}
    });
    let local = Local::new();
    let r = &local.registrar;
    let realms = parse_kcreg_config(&config.to_string()).unwrap();
    let brought = r.bring_kcreg(realms).await.unwrap();

    assert_eq!(brought.profiles_created, vec![format!("keycloak demo (127.0.0.1)")]);
    let profile = r.profile(&brought.profiles_created[0]).unwrap();
    assert_eq!(profile.kind, ProviderKind::Keycloak);
    assert_eq!(profile.registration_auth, RegistrationAuth::InitialAccessToken);
    assert_eq!(
        profile.registration_endpoint,
        format!("{}/realms/demo/clients-registrations/openid-connect", server.url)
    );
    assert_eq!(brought.clients.len(), 2);
    assert_eq!(brought.clients[0].client_id, "app");
    assert_eq!(brought.clients[0].error, None);
    assert!(
        brought.clients[1]
            .error
            .as_deref()
            .unwrap_or_default()
            .contains("HTTP 401"),
        "{brought:?}"
    );
    assert_eq!(
        r.registration_access_token(&profile.id, "app")
            .unwrap()
            .unwrap()
            .expose(),
        "rat-app-2",
        "the token the read rotated is the one kept"
    );
    assert!(r.registration(&profile.id, "stale").is_err(), "not adopted");
    assert!(r.registration_access_token(&profile.id, "stale").unwrap().is_none());

    // Again: the profile is found, not made twice.
    let again = r
        .bring_kcreg(parse_kcreg_config(&config.to_string()).unwrap())
        .await
        .unwrap();
    assert!(again.profiles_created.is_empty());
}

#[tokio::test]
async fn an_oidc_agent_account_is_adopted_into_a_profile_made_from_its_issuer() {
    let op = RealProvider::node_oidc(json!({}));
    // What oidc-gen did: register, and keep the answer merged into the account.
    let registration: serde_json::Value = reqwest::Client::new()
        .post(&op.registration_endpoint)
        .json(
            &json!({"client_name": "oidc-agent:kc-demo-laptop", "redirect_uris": ["http://localhost:4242"],
                      "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"]}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut account = registration.clone();
    for (k, v) in [
        ("name", json!("kc-demo")),
        ("issuer_url", json!(op.issuer)),
        ("refresh_token", json!("the user's refresh token")),
        ("auth_scope", json!("openid")),
        ("username", json!("")),
    ] {
        account[k] = v;
    }
    let local = Local::new();
    let r = &local.registrar;
    let parsed = parse_oidc_agent_account(&account.to_string()).unwrap();
    let brought = r.bring_oidc_agent(parsed, &Default::default()).await.unwrap();
    assert_eq!(brought.profiles_created, vec!["oidc-agent kc-demo".to_string()]);
    assert_eq!(brought.clients[0].error, None, "{brought:?}");
    let profile = r.profile("oidc-agent kc-demo").unwrap();
    let id = registration["client_id"].as_str().unwrap();
    assert_eq!(
        r.client_secret(&profile.id, id).unwrap().unwrap().expose(),
        registration["client_secret"].as_str().unwrap()
    );
    // Managed from now on: an update goes through with the stored token.
    let mut desired = r.registration(&profile.id, id).unwrap().metadata_returned;
    desired.set("client_name", json!("adopted"));
    r.update(&profile.id, id, desired).await.unwrap();
    let db = registrar_tests::database_text(&local.database_path());
    assert!(!db.contains("the user's refresh token"));
}
