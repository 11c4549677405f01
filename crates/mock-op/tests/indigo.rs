//! The indigo dialect: INDIGO IAM (MITREid Connect) as its document shows it.

use crate::support::{assert_error, http, json, start, str_of};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use registrar_mock_op::Dialect;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The document's client template.
fn template() -> Value {
    json!({
        "redirect_uris": ["https://another.client.example/oidc"],
        "client_name": "another-example-client",
        "contacts": ["test@iam.test"],
        "token_endpoint_auth_method": "client_secret_basic",
        "scope": "address phone openid email profile offline_access",
        "grant_types": ["refresh_token", "authorization_code"],
        "response_types": ["code"]
    })
}

fn decode_part(part: &str) -> Value {
    let bytes = URL_SAFE_NO_PAD.decode(part).expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON")
}

#[tokio::test]
async fn open_registration_jwt_token_and_management() {
    let server = start(Dialect::Indigo).await;
    let client = http();
    let response = client
        .post(server.registration_endpoint())
        .json(&template())
        .send()
        .await
        .expect("register without authentication");
    assert_eq!(response.status(), StatusCode::CREATED);
    let created = json(response).await;
    let id = str_of(&created, "client_id");
    assert!(uuid::Uuid::parse_str(id).is_ok(), "client_id is a UUID: {id}");
    assert!(created["client_id_issued_at"].is_u64());
    assert_eq!(created["client_secret_expires_at"], 0);
    assert_eq!(created["scope"], template()["scope"], "scope comes back as sent");
    assert_eq!(created["contacts"], json!(["test@iam.test"]));
    assert_eq!(
        created["registration_client_uri"],
        format!("{}/register/{id}", server.base_url())
    );

    let rat = str_of(&created, "registration_access_token");
    let parts: Vec<&str> = rat.split('.').collect();
    assert_eq!(parts.len(), 3, "the token is a JWT");
    assert_eq!(decode_part(parts[0]), json!({"kid": "rsa1", "alg": "RS256"}));
    let claims = decode_part(parts[1]);
    assert_eq!(claims["aud"], id);
    assert_eq!(claims["iss"], format!("{}/", server.issuer()));
    assert!(claims["iat"].is_u64() && claims["jti"].is_string());
    assert!(URL_SAFE_NO_PAD.decode(parts[2]).is_ok_and(|sig| sig.len() == 128));

    let uri = str_of(&created, "registration_client_uri");
    let read = json(client.get(uri).bearer_auth(rat).send().await.expect("read")).await;
    assert_eq!(read["client_secret"], created["client_secret"], "reads show the secret");

    let mut changed = template();
    changed["client_id"] = json!(id);
    changed["contacts"] = json!(["ops@iam.test"]);
    let update = client
        .put(uri)
        .bearer_auth(rat)
        .json(&changed)
        .send()
        .await
        .expect("update");
    assert_eq!(update.status(), StatusCode::OK);
    assert_eq!(json(update).await["contacts"], json!(["ops@iam.test"]));

    let delete = client.delete(uri).bearer_auth(rat).send().await.expect("delete");
    assert_eq!(delete.status(), StatusCode::NO_CONTENT);
    assert!(delete.bytes().await.expect("body").is_empty(), "204 with an empty body");
    let gone = client.get(uri).bearer_auth(rat).send().await.expect("gone");
    assert_error(gone, StatusCode::UNAUTHORIZED, "invalid_token").await;
}

#[tokio::test]
async fn refuses_bad_input_with_the_right_errors() {
    let server = start(Dialect::Indigo).await;
    let client = http();
    let endpoint = server.registration_endpoint();
    // MITREid reports unusable bodies as invalid_client_metadata.
    let mut fragment = template();
    fragment["redirect_uris"] = json!(["https://another.client.example/oidc#frag"]);
    assert_error(
        client.post(&endpoint).json(&fragment).send().await.expect("redirect"),
        StatusCode::BAD_REQUEST,
        "invalid_redirect_uri",
    )
    .await;
    let mut missing = template();
    missing.as_object_mut().expect("object").remove("redirect_uris");
    assert_error(
        client.post(&endpoint).json(&missing).send().await.expect("missing"),
        StatusCode::BAD_REQUEST,
        "invalid_redirect_uri",
    )
    .await;
    let mut contacts = template();
    contacts["contacts"] = json!("test@iam.test");
    assert_error(
        client.post(&endpoint).json(&contacts).send().await.expect("contacts"),
        StatusCode::BAD_REQUEST,
        "invalid_client_metadata",
    )
    .await;
    assert_eq!(server.admin().client_count(), 0);

    let created = json(client.post(&endpoint).json(&template()).send().await.expect("good")).await;
    let uri = str_of(&created, "registration_client_uri");
    let rat = str_of(&created, "registration_access_token");
    assert_error(
        client.get(uri).send().await.expect("no token"),
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    assert_error(
        client.get(uri).bearer_auth("eyJ.bad.token").send().await.expect("bad"),
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    let unknown = format!("{endpoint}/{}", uuid::Uuid::nil());
    assert_error(
        client.get(&unknown).bearer_auth(rat).send().await.expect("unknown"),
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    // One client's token does not open another client.
    let other = json(client.post(&endpoint).json(&template()).send().await.expect("other")).await;
    let cross = client
        .delete(uri)
        .bearer_auth(str_of(&other, "registration_access_token"))
        .send()
        .await
        .expect("cross");
    assert_error(cross, StatusCode::UNAUTHORIZED, "invalid_token").await;
    assert_eq!(server.admin().client_count(), 2);
}
