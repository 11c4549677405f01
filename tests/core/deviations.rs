//! Providers that bend the RFCs, as a recording server plays them: DELETE answering 200,
//! 202 or 204; management URLs with a trailing slash or a query string; a redirect on a
//! write; a client secret issued anew on read or update; a standard field answered in a
//! non-standard shape, which must not block later updates.

use registrar_core::{Error, ProviderKind};
use registrar_tests::local::Local;
use registrar_tests::meta;
use registrar_tests::recording_server::{Answer, RecordingServer};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A provider whose registration answer names `uri` (relative to its base) as the
/// management URL, answers reads with `read`, updates by echoing, and deletes with
/// `delete`.
async fn provider(uri: &'static str, read: serde_json::Value, delete: Answer) -> RecordingServer {
    RecordingServer::start(move |r, base| match r.method.as_str() {
        "POST" => Answer::json(
            201,
            json!({"client_id": "c1", "client_secret": "secret-0", "registration_access_token": "rat-0",
                   "registration_client_uri": format!("{base}{uri}"), "client_name": "dev",
                   "redirect_uris": ["https://app.example.org/cb"]}),
        ),
        "GET" => Answer::json(200, read.clone()),
        "PUT" => Answer::json(200, r.json()),
        _ => delete.clone(),
    })
    .await
}

fn client() -> registrar_core::ClientMetadata {
    meta(json!({"client_name": "dev", "redirect_uris": ["https://app.example.org/cb"]}))
}

fn plain_read() -> serde_json::Value {
    json!({"client_id": "c1", "client_name": "dev", "redirect_uris": ["https://app.example.org/cb"]})
}

#[tokio::test]
async fn delete_answering_200_202_or_204_deletes() {
    for answer in [
        Answer::json(200, json!({"deleted": true})),
        Answer::empty(202),
        Answer::empty(204),
    ] {
        let status = answer.status;
        let server = provider("/manage/c1", plain_read(), answer).await;
        let local = Local::new();
        let p = local.open_profile(&server.url);
        local.registrar.register(&p.id, client()).await.unwrap();
        let deleted = local
            .registrar
            .delete(&p.id, "c1")
            .await
            .unwrap_or_else(|e| panic!("{status}: {e}"));
        assert_eq!(deleted.status, status);
        assert!(local
            .registrar
            .registration_access_token(&p.id, "c1")
            .unwrap()
            .is_none());
    }
}

#[tokio::test]
async fn management_urls_with_a_trailing_slash_or_a_query_are_used_verbatim() {
    for uri in ["/manage/c1/", "/manage?client_id=c1&tenant=a%2Fb"] {
        let server = provider(uri, plain_read(), Answer::empty(204)).await;
        let local = Local::new();
        let p = local.open_profile(&server.url);
        local.registrar.register(&p.id, client()).await.unwrap();
        local.registrar.read(&p.id, "c1").await.unwrap();
        local.registrar.delete(&p.id, "c1").await.unwrap();
        let log = server.requests();
        assert_eq!(log[1].target, uri);
        assert_eq!(log[2].target, uri);
    }
}

#[tokio::test]
async fn a_redirect_on_a_write_is_reported_with_its_target_and_not_followed() {
    for status in [301, 302, 307, 308] {
        let server = RecordingServer::start(move |_, _| {
            Answer::empty(status).header("Location", "https://elsewhere.example/register")
        })
        .await;
        let local = Local::new();
        let p = local.profile(
            "p",
            ProviderKind::Generic,
            None,
            &format!("{}/register", server.url),
            Some("iat"),
        );
        let e = local.registrar.register(&p.id, client()).await.unwrap_err();
        let text = e.to_string();
        assert!(text.contains(&format!("HTTP {status}")), "{text}");
        assert!(text.contains("https://elsewhere.example/register"), "{text}");
        assert!(text.contains("not followed"), "{text}");
        assert_eq!(server.requests().len(), 1, "not followed");
        assert!(
            local.registrar.unresolved().unwrap().is_empty(),
            "a redirect is an answer, not a lost request"
        );
    }
}

#[tokio::test]
async fn a_secret_issued_anew_on_read_or_update_is_stored_first_and_said() {
    let n = Arc::new(AtomicUsize::new(0));
    let server = RecordingServer::start(move |r, base| {
        let i = n.fetch_add(1, Ordering::SeqCst);
        let mut answer = json!({"client_id": "c1", "client_secret": format!("secret-{i}"), "client_name": "dev",
                                "redirect_uris": ["https://app.example.org/cb"]});
        if r.method == "POST" {
            answer["registration_access_token"] = json!("rat");
            answer["registration_client_uri"] = json!(format!("{base}/manage/c1"));
        }
        Answer::json(if r.method == "POST" { 201 } else { 200 }, answer)
    })
    .await;
    let local = Local::new();
    let p = local.open_profile(&server.url);
    let r = &local.registrar;
    r.register(&p.id, client()).await.unwrap();
    let read = r.read(&p.id, "c1").await.unwrap();
    assert!(read.rotated_client_secret);
    assert_eq!(read.new_client_secret.as_ref().map(|s| s.expose()), Some("secret-1"));
    assert_eq!(r.client_secret(&p.id, "c1").unwrap().unwrap().expose(), "secret-1");
    let mut desired = read.registration.metadata_returned.clone();
    desired.set("client_name", json!("renamed"));
    let updated = r.update(&p.id, "c1", desired).await.unwrap();
    assert!(updated.rotated_client_secret);
    assert_eq!(r.client_secret(&p.id, "c1").unwrap().unwrap().expose(), "secret-2");
    // The update sent the secret that was current then.
    let log = server.requests();
    assert_eq!(log[2].json()["client_secret"], "secret-1");
}

#[tokio::test]
async fn a_field_in_a_non_standard_shape_does_not_block_an_update_of_another() {
    let read = json!({"client_id": "c1", "client_name": "dev", "redirect_uris": ["https://app.example.org/cb"],
                      "token_endpoint_auth_method": ["client_secret_basic"], "contacts": ["not-an-address"]});
    let server = provider("/manage/c1", read, Answer::empty(204)).await;
    let local = Local::new();
    let p = local.open_profile(&server.url);
    let r = &local.registrar;
    r.register(&p.id, client()).await.unwrap();
    let read = r.read(&p.id, "c1").await.unwrap();

    let mut desired = read.registration.metadata_returned.clone();
    desired.set("client_name", json!("renamed"));
    let updated = r.update(&p.id, "c1", desired).await.unwrap();
    let put = server.requests()[2].json();
    assert_eq!(
        put["token_endpoint_auth_method"], "client_secret_basic",
        "normalised: {put}"
    );
    assert_eq!(put["contacts"], json!(["not-an-address"]), "sent back as it came");
    let warnings = updated.warnings.join("\n");
    assert!(warnings.contains("token_endpoint_auth_method"), "{warnings}");
    assert!(warnings.contains("contacts[0]"), "{warnings}");

    // What the user changes is still checked.
    let mut bad = updated.registration.metadata_returned.clone();
    bad.set("redirect_uris", json!(["javascript:alert(1)"]));
    let e = r.update(&p.id, "c1", bad).await.unwrap_err();
    assert!(
        matches!(&e, Error::Validation(f) if f[0].field == "redirect_uris[0]"),
        "{e:?}"
    );
    assert_eq!(server.requests().len(), 3, "nothing sent");
}

#[tokio::test]
async fn a_deleted_client_is_said_to_be_deleted_and_nothing_is_sent() {
    let server = provider("/manage/c1", plain_read(), Answer::empty(204)).await;
    let local = Local::new();
    let p = local.open_profile(&server.url);
    let r = &local.registrar;
    r.register(&p.id, client()).await.unwrap();
    r.delete(&p.id, "c1").await.unwrap();
    let sent = server.requests().len();
    for e in [
        r.read(&p.id, "c1").await.unwrap_err(),
        r.delete(&p.id, "c1").await.unwrap_err(),
    ] {
        assert!(matches!(e, Error::NotFound { .. }), "{e:?}");
        assert!(
            e.to_string().contains("it was deleted") && !e.to_string().contains("HTTP 0"),
            "{e}"
        );
    }
    assert_eq!(server.requests().len(), sent, "nothing sent");
    assert!(r.unresolved().unwrap().is_empty());
}

/// Review item 9: a management URL on another host than the registration endpoint's gets
/// no token until the profile trusts that host; registration says so at once.
#[tokio::test]
async fn a_management_url_on_another_host_gets_nothing_until_trusted() {
    let server = RecordingServer::start(|r, base| match r.method.as_str() {
        "POST" => Answer::json(
            201,
            json!({"client_id": "c1", "registration_access_token": "rat-steer",
                   // The same server, named by another host name.
                   "registration_client_uri": format!("{}/manage/c1", base.replace("127.0.0.1", "localhost")),
                   "redirect_uris": ["https://app.example.org/cb"], "client_name": "dev"}),
        ),
        _ => Answer::json(
            200,
            json!({"client_id": "c1", "client_name": "dev", "redirect_uris": ["https://app.example.org/cb"]}),
        ),
    })
    .await;
    let local = Local::new();
    let p = local.open_profile(&server.url);
    let r = &local.registrar;
    let registered = r.register(&p.id, client()).await.unwrap();
    assert!(
        registered.warnings.iter().any(|w| w.contains("localhost")),
        "{:?}",
        registered.warnings
    );
    let e = r.read(&p.id, "c1").await.unwrap_err();
    assert!(
        matches!(&e, Error::UntrustedHost { host, .. } if host == "localhost"),
        "{e:?}"
    );
    assert_eq!(server.requests().len(), 1, "the token went nowhere");

    let mut trusted = r.profile(&p.id).unwrap();
    trusted.settings.trusted_hosts.push("localhost".into());
    r.save_profile(&trusted, &Default::default()).unwrap();
    r.read(&p.id, "c1").await.expect("trusted now");
    assert_eq!(server.requests()[1].header("authorization"), Some("Bearer rat-steer"));
}
