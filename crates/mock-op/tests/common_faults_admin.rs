//! What every dialect shares: discovery, faults, rotation faults, the admin handle and HTTP API,
//! seed clients, body limits, several instances, and stopping.

use std::time::{Duration, Instant};

use crate::support::{assert_error, http, json, object, start, start_with, str_of, ARRAY_BODY, MALFORMED_BODY};
use futures_util::future::join_all;
use registrar_mock_op::{Dialect, Fault, MockConfig, MockServer};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn app() -> Value {
    json!({"client_name": "Faulty", "redirect_uris": ["https://app.example.com/cb"]})
}

fn register(server: &MockServer, client: &reqwest::Client) -> reqwest::RequestBuilder {
    client.post(server.registration_endpoint()).json(&app())
}

#[tokio::test]
async fn discovery_documents_for_every_dialect() {
    let client = http();
    for dialect in Dialect::ALL {
        let server = start(dialect).await;
        let openid = json(
            client
                .get(format!("{}/.well-known/openid-configuration", server.base_url()))
                .send()
                .await
                .expect("openid configuration"),
        )
        .await;
        for key in [
            "issuer",
            "registration_endpoint",
            "token_endpoint",
            "authorization_endpoint",
            "jwks_uri",
            "token_endpoint_auth_methods_supported",
            "grant_types_supported",
            "response_types_supported",
            "scopes_supported",
            "device_authorization_endpoint",
            "introspection_endpoint",
            "revocation_endpoint",
            "userinfo_endpoint",
            "code_challenge_methods_supported",
            "id_token_signing_alg_values_supported",
            "subject_types_supported",
        ] {
            assert!(openid.get(key).is_some(), "{dialect}: {key} in discovery");
        }
        assert_eq!(openid["issuer"], server.issuer(), "{dialect}");
        assert_eq!(
            openid["registration_endpoint"],
            server.registration_endpoint(),
            "{dialect}"
        );
        assert_eq!(openid["token_endpoint"], server.token_endpoint(), "{dialect}");
        let oauth = json(
            client
                .get(format!("{}/.well-known/oauth-authorization-server", server.base_url()))
                .send()
                .await
                .expect("oauth metadata"),
        )
        .await;
        assert_eq!(oauth, openid, "{dialect}: both documents agree");
        let jwks = json(client.get(str_of(&openid, "jwks_uri")).send().await.expect("jwks")).await;
        let keys = jwks["keys"].as_array().expect("keys");
        assert_eq!(keys.len(), 1, "{dialect}: one signing key");
        assert_eq!(keys[0]["kty"], "EC", "{dialect}");
        assert_eq!(keys[0]["alg"], "ES256", "{dialect}");
        assert!(keys[0].get("d").is_none(), "{dialect}: no private part published");
    }
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_json_errors() {
    let server = start(Dialect::Generic).await;
    let client = http();
    let missing = client
        .get(format!("{}/no/such/path", server.base_url()))
        .send()
        .await
        .expect("404");
    assert_error(missing, StatusCode::NOT_FOUND, "not_found").await;
    let method = client.delete(server.registration_endpoint()).send().await.expect("405");
    assert_error(method, StatusCode::METHOD_NOT_ALLOWED, "invalid_request").await;
    let token_get = client.get(server.token_endpoint()).send().await.expect("405");
    assert_error(token_get, StatusCode::METHOD_NOT_ALLOWED, "invalid_request").await;
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let mut config = MockConfig::new(Dialect::Generic);
    config.max_body_bytes = 1024;
    let server = start_with(config).await;
    let client = http();
    let big = json!({"redirect_uris": ["https://app.example.com/cb"], "padding": "x".repeat(4096)});
    let response = client
        .post(server.registration_endpoint())
        .json(&big)
        .send()
        .await
        .expect("big");
    assert_error(response, StatusCode::PAYLOAD_TOO_LARGE, "invalid_request").await;
    let token = client
        .post(server.token_endpoint())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("grant_type=client_credentials&pad={}", "x".repeat(4096)))
        .send()
        .await
        .expect("big form");
    assert_error(token, StatusCode::PAYLOAD_TOO_LARGE, "invalid_request").await;
    assert_eq!(server.admin().client_count(), 0);

    let default = start(Dialect::Generic).await;
    let huge = json!({"redirect_uris": ["https://app.example.com/cb"], "padding": "x".repeat(100 * 1024)});
    let response = client
        .post(default.registration_endpoint())
        .json(&huge)
        .send()
        .await
        .expect("huge");
    assert_error(response, StatusCode::PAYLOAD_TOO_LARGE, "invalid_request").await;
    // The connection stays usable after a refused body.
    assert_eq!(
        register(&default, &client).send().await.expect("after").status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn latency_delays_provider_requests_until_cleared() {
    let server = start(Dialect::Generic).await;
    let client = http();
    let admin = server.admin();
    admin.inject(Fault::Latency { millis: 300 });
    let discovery = format!("{}/.well-known/openid-configuration", server.base_url());
    let started = Instant::now();
    assert_eq!(
        client.get(&discovery).send().await.expect("slow").status(),
        StatusCode::OK
    );
    assert!(started.elapsed() >= Duration::from_millis(300), "delayed");
    let started = Instant::now();
    let second = register(&server, &client).send().await.expect("slow register");
    assert_eq!(second.status(), StatusCode::CREATED);
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "every request, not just one"
    );
    admin.clear_faults();
    let started = Instant::now();
    client.get(&discovery).send().await.expect("fast");
    assert!(started.elapsed() < Duration::from_millis(300), "cleared");
}

#[tokio::test]
async fn status_fault_answers_json_errors_and_changes_nothing() {
    let server = start(Dialect::Generic).await;
    let client = http();
    server.admin().inject(Fault::Status { status: 503, count: 2 });
    for _ in 0..2 {
        let response = register(&server, &client).send().await.expect("faulted");
        assert_error(response, StatusCode::SERVICE_UNAVAILABLE, "temporarily_unavailable").await;
    }
    assert_eq!(server.admin().client_count(), 0, "nothing changed");
    assert_eq!(
        register(&server, &client).send().await.expect("third").status(),
        StatusCode::CREATED
    );
    assert_eq!(server.admin().client_count(), 1);
}

#[tokio::test]
async fn html_fault_answers_an_html_page() {
    let server = start(Dialect::Liberty).await;
    let client = http();
    server.admin().inject(Fault::HtmlBody { status: 502, count: 1 });
    let response = client
        .post(server.registration_endpoint())
        .basic_auth("clientAdmin", Some("clientAdminPassword"))
        .json(&app())
        .send()
        .await
        .expect("faulted");
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert!(response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("text/html"));
    let page = response.text().await.expect("page");
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("502"));
    assert_eq!(server.admin().client_count(), 0, "nothing changed");
}

#[tokio::test]
async fn non_json_fault_performs_the_operation() {
    let server = start(Dialect::Generic).await;
    let client = http();
    server.admin().inject(Fault::NonJsonBody { count: 1 });
    let response = register(&server, &client).send().await.expect("faulted");
    assert_eq!(response.status(), StatusCode::CREATED);
    let text = response.text().await.expect("text");
    assert!(serde_json::from_str::<Value>(&text).is_err(), "not JSON: {text}");
    assert_eq!(server.admin().client_count(), 1, "performed");
}

#[tokio::test]
async fn truncated_fault_cuts_the_body_off() {
    let server = start(Dialect::Generic).await;
    let client = http();
    server.admin().inject(Fault::TruncatedBody { count: 1 });
    let response = register(&server, &client).send().await.expect("headers arrive");
    assert_eq!(response.status(), StatusCode::CREATED);
    let promised = response.content_length().expect("content length");
    assert!(promised > 100);
    assert!(response.bytes().await.is_err(), "the body is cut off");
    assert_eq!(server.admin().client_count(), 1, "performed");
}

#[tokio::test]
async fn drop_after_commit_loses_the_response() {
    let server = start(Dialect::Generic).await;
    let client = http();
    server.admin().inject(Fault::DropAfterCommit { count: 1 });
    let outcome = register(&server, &client).send().await;
    assert!(outcome.is_err(), "no response: {outcome:?}");
    let clients = server.admin().list_clients();
    assert_eq!(clients.len(), 1, "but the client exists");
    assert_eq!(clients[0]["client_name"], "Faulty");
    // The next request is served normally.
    assert_eq!(
        register(&server, &client).send().await.expect("next").status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn stalled_body_never_arrives_and_stop_still_works() {
    let server = start(Dialect::Generic).await;
    let client = http();
    server.admin().inject(Fault::StallBody { count: 1 });
    let response = register(&server, &client).send().await.expect("headers arrive");
    assert_eq!(response.status(), StatusCode::CREATED);
    let body = tokio::time::timeout(Duration::from_millis(300), response.bytes()).await;
    assert!(body.is_err(), "the body does not arrive");
    assert_eq!(server.admin().client_count(), 1, "performed");
    let started = Instant::now();
    tokio::time::timeout(Duration::from_secs(5), server.stop())
        .await
        .expect("stop finishes");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "stopping releases the stalled body at once"
    );
}

#[tokio::test]
async fn lose_rotated_token_fault_loses_the_new_token() {
    let server = start(Dialect::Generic).await;
    let client = http();
    let admin = server.admin();
    admin.inject(Fault::LoseRotatedToken { count: 1 });
    // Registration does not consume it.
    let created = json(register(&server, &client).send().await.expect("register")).await;
    let id = str_of(&created, "client_id");
    let uri = str_of(&created, "registration_client_uri");
    let old = str_of(&created, "registration_access_token");

    let read = client.get(uri).bearer_auth(old).send().await.expect("read");
    assert_error(read, StatusCode::INTERNAL_SERVER_ERROR, "server_error").await;
    let rotated = admin.registration_access_token(id).expect("token");
    assert_ne!(rotated, old, "rotated");
    let stale = client.get(uri).bearer_auth(old).send().await.expect("stale");
    assert_error(stale, StatusCode::UNAUTHORIZED, "invalid_token").await;
    let recovered = client
        .get(uri)
        .bearer_auth(&rotated)
        .send()
        .await
        .expect("with the lost token");
    assert_eq!(recovered.status(), StatusCode::OK);
}

#[tokio::test]
async fn faults_through_the_http_admin_api() {
    let server = start(Dialect::Indigo).await;
    let client = http();
    let faults = format!("{}/_admin/faults", server.base_url());
    let post = client
        .post(&faults)
        .json(&json!({"kind": "status", "status": 503, "count": 1}))
        .send()
        .await
        .expect("inject");
    assert_eq!(post.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        register(&server, &client).send().await.expect("503").status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    // count defaults to 1.
    client
        .post(&faults)
        .json(&json!({"kind": "html_body", "status": 500}))
        .send()
        .await
        .expect("inject");
    assert_eq!(
        register(&server, &client).send().await.expect("500").status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(
        register(&server, &client).send().await.expect("ok").status(),
        StatusCode::CREATED
    );

    client
        .post(&faults)
        .json(&json!({"kind": "status", "status": 500, "count": 3}))
        .send()
        .await
        .expect("inject");
    let clear = client.delete(&faults).send().await.expect("clear");
    assert_eq!(clear.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        register(&server, &client).send().await.expect("cleared").status(),
        StatusCode::CREATED
    );

    let bogus = client
        .post(&faults)
        .json(&json!({"kind": "meteor"}))
        .send()
        .await
        .expect("bogus");
    assert_error(bogus, StatusCode::BAD_REQUEST, "invalid_request").await;
    let not_json = client.post(&faults).body("{").send().await.expect("not json");
    assert_error(not_json, StatusCode::BAD_REQUEST, "invalid_request").await;
}

#[tokio::test]
async fn admin_requests_are_neither_counted_nor_faulted() {
    let server = start(Dialect::Generic).await;
    let client = http();
    let admin = server.admin();
    admin.inject(Fault::Status { status: 503, count: 5 });
    let listing = client
        .get(format!("{}/_admin/clients", server.base_url()))
        .send()
        .await
        .expect("admin");
    assert_eq!(listing.status(), StatusCode::OK);
    let stats = json(
        client
            .get(format!("{}/_admin/stats", server.base_url()))
            .send()
            .await
            .expect("stats"),
    )
    .await;
    assert_eq!(stats["request_count"], 0);
    assert_eq!(admin.request_count(), 0, "nothing was sent to the provider");
    register(&server, &client).send().await.expect("provider");
    assert_eq!(admin.request_count(), 1);
}

#[tokio::test]
async fn http_admin_api_manages_clients_and_rotation() {
    let server = start(Dialect::Generic).await;
    let client = http();
    let created = json(register(&server, &client).send().await.expect("register")).await;
    let id = str_of(&created, "client_id");
    let base = format!("{}/_admin/clients", server.base_url());

    let all = json(client.get(&base).send().await.expect("list")).await;
    assert_eq!(all.as_array().map(Vec::len), Some(1));
    assert_eq!(all[0]["client_secret"], created["client_secret"]);
    let one = json(client.get(format!("{base}/{id}")).send().await.expect("get")).await;
    assert_eq!(one["client_id"], id);

    let patched = client
        .patch(format!("{base}/{id}"))
        .json(&json!({"client_name": null, "x_added": true, "client_id": "ignored"}))
        .send()
        .await
        .expect("patch");
    assert_eq!(patched.status(), StatusCode::OK);
    let patched = json(patched).await;
    assert!(patched.get("client_name").is_none());
    assert_eq!(patched["x_added"], true);
    assert_eq!(patched["client_id"], id);
    // The provider API sees the admin's change.
    let uri = str_of(&created, "registration_client_uri");
    let rat = str_of(&created, "registration_access_token");
    let read = json(client.get(uri).bearer_auth(rat).send().await.expect("read")).await;
    assert_eq!(read["x_added"], true);

    let rotation = client
        .post(format!("{}/_admin/rotation", server.base_url()))
        .json(&json!({"rat_on_read": true, "rat_on_update": false, "secret_on_read": false}))
        .send()
        .await
        .expect("rotation");
    assert_eq!(rotation.status(), StatusCode::NO_CONTENT);
    let read = json(client.get(uri).bearer_auth(rat).send().await.expect("read")).await;
    assert_ne!(read["registration_access_token"], rat);
    assert_error(
        client.get(uri).bearer_auth(rat).send().await.expect("stale"),
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;

    assert_eq!(
        client
            .delete(format!("{base}/{id}"))
            .send()
            .await
            .expect("delete")
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_error(
        client.get(format!("{base}/{id}")).send().await.expect("gone"),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        client.delete(format!("{base}/{id}")).send().await.expect("gone"),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let patch_array = client
        .patch(format!("{base}/x"))
        .json(&json!([1]))
        .send()
        .await
        .expect("array");
    assert_error(patch_array, StatusCode::BAD_REQUEST, "invalid_request").await;
}

#[tokio::test]
async fn admin_handle_edits_change_the_etag() {
    let server = start(Dialect::Liberty).await;
    let client = http();
    let admin = server.admin();
    let created = json(
        client
            .post(server.registration_endpoint())
            .basic_auth("clientAdmin", Some("clientAdminPassword"))
            .json(&json!({"client_id": "edited", "client_name": "Before"}))
            .send()
            .await
            .expect("register"),
    )
    .await;
    let uri = str_of(&created, "registration_client_uri");
    let etag = || async {
        let head = client
            .head(uri)
            .basic_auth("clientAdmin", Some("clientAdminPassword"))
            .send()
            .await
            .expect("head");
        head.headers()["etag"].to_str().expect("ascii").to_owned()
    };
    let before = etag().await;
    assert!(admin.patch_client("edited", object(json!({"client_name": "After", "scope": null}))));
    assert_ne!(etag().await, before);
    let stored = admin.get_client("edited").expect("stored");
    assert_eq!(stored["client_name"], "After");
    assert!(!admin.patch_client("nobody", object(json!({"a": 1}))));
    assert_eq!(admin.registration_access_token("edited"), None, "liberty has no RAT");
    assert!(admin.remove_client("edited"));
    assert!(!admin.remove_client("edited"));
    assert_eq!(admin.client_count(), 0);
}

#[tokio::test]
async fn seed_clients_are_registered_and_usable() {
    for dialect in Dialect::PLAIN {
        let mut config = MockConfig::new(dialect);
        config.seed_clients = 3;
        let server = start_with(config).await;
        let admin = server.admin();
        assert_eq!(admin.client_count(), 3, "{dialect}");
        let clients = admin.list_clients();
        assert!(clients.iter().all(|c| c["client_secret"].is_string()), "{dialect}");
        assert_eq!(
            clients[0]["redirect_uris"],
            json!(["https://app1.example.com/callback"]),
            "{dialect}: in order"
        );
        if dialect.has_registration_access_tokens() {
            for seeded in &clients {
                let id = str_of(seeded, "client_id");
                let rat = admin.registration_access_token(id).expect("seed RAT");
                let read = http()
                    .get(str_of(seeded, "registration_client_uri"))
                    .bearer_auth(rat)
                    .send()
                    .await
                    .expect("read seed");
                assert_eq!(read.status(), StatusCode::OK, "{dialect}");
            }
        }
    }
    let mut config = MockConfig::new(Dialect::Soffid);
    config.seed_clients = 3;
    let soffid = start_with(config).await;
    let ids: Vec<Value> = soffid
        .admin()
        .list_clients()
        .iter()
        .map(|c| c["client_id"].clone())
        .collect();
    assert_eq!(ids, [json!("DR_1"), json!("DR_2"), json!("DR_3")]);
}

#[tokio::test]
async fn several_instances_run_side_by_side() {
    let servers = join_all(Dialect::ALL.map(start)).await;
    let mut bases: Vec<String> = servers.iter().map(MockServer::base_url).collect();
    bases.sort();
    bases.dedup();
    assert_eq!(bases.len(), Dialect::ALL.len(), "distinct ports");
    let client = http();
    for server in &servers {
        let doc = json(
            client
                .get(format!("{}/.well-known/openid-configuration", server.base_url()))
                .send()
                .await
                .expect("discovery"),
        )
        .await;
        assert_eq!(doc["issuer"], server.issuer());
    }
    let indigo = servers.iter().find(|s| s.dialect() == Dialect::Indigo).expect("indigo");
    register(indigo, &client).send().await.expect("register");
    let counts: Vec<usize> = servers.iter().map(|s| s.admin().client_count()).collect();
    assert_eq!(counts.iter().sum::<usize>(), 1, "state is per instance");
    join_all(servers.into_iter().map(MockServer::stop)).await;
}

#[tokio::test]
async fn stopping_or_dropping_a_server_frees_it() {
    let client = http();
    let stopped = start(Dialect::Generic).await;
    let url = format!("{}/.well-known/openid-configuration", stopped.base_url());
    assert!(client.get(&url).send().await.is_ok());
    stopped.stop().await;
    assert!(client.get(&url).send().await.is_err(), "stopped");

    let dropped = start(Dialect::Generic).await;
    let url = format!("{}/.well-known/openid-configuration", dropped.base_url());
    drop(dropped);
    let mut refused = false;
    for _ in 0..50 {
        if http().get(&url).send().await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(refused, "a dropped server stops");
}

#[tokio::test]
async fn concurrent_registrations_all_land() {
    let server = start(Dialect::Generic).await;
    let client = http();
    let responses = join_all((0..400).map(|_| register(&server, &client).send())).await;
    let mut ids = Vec::new();
    for response in responses {
        let response = response.expect("sent");
        assert_eq!(response.status(), StatusCode::CREATED);
        ids.push(str_of(&json(response).await, "client_id").to_owned());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 400);
    assert_eq!(server.admin().client_count(), 400);
    assert_eq!(server.admin().request_count(), 400);
}

#[test]
fn dialect_names_and_fault_json_round_trip() {
    for dialect in Dialect::ALL {
        let name = dialect.to_string();
        assert_eq!(name.parse::<Dialect>(), Ok(dialect));
        assert_eq!(serde_json::to_value(dialect).expect("serialize"), json!(name));
        assert_eq!(
            serde_json::from_value::<Dialect>(json!(name)).expect("deserialize"),
            dialect
        );
    }
    assert_eq!(
        Dialect::ALL.map(|d| d.to_string()),
        [
            "generic",
            "soffid",
            "wso2",
            "indigo",
            "simpleidserver",
            "liberty",
            "openbanking"
        ]
    );
    assert!("keycloak".parse::<Dialect>().is_err());
    let plain: Vec<Dialect> = Dialect::ALL.into_iter().filter(|d| !d.needs_mutual_tls()).collect();
    assert_eq!(
        plain,
        Dialect::PLAIN,
        "PLAIN is ALL without the mutual TLS dialects, in order"
    );

    let fault = serde_json::to_value(Fault::Status { status: 503, count: 2 }).expect("serialize");
    assert_eq!(fault, json!({"kind": "status", "status": 503, "count": 2}));
    let parsed: Fault = serde_json::from_value(json!({"kind": "drop_after_commit"})).expect("deserialize");
    assert_eq!(parsed, Fault::DropAfterCommit { count: 1 });
    let latency: Fault = serde_json::from_value(json!({"kind": "latency", "millis": 5})).expect("latency");
    assert_eq!(latency, Fault::Latency { millis: 5 });
}

/// Review item 12: a page on a rebound domain cannot read the admin API (or anything else).
#[tokio::test]
async fn requests_naming_another_host_are_refused() {
    let server = start(Dialect::Generic).await;
    let client = http();
    let url = format!("{}/_admin/clients", server.base_url());
    let rebound = client
        .get(&url)
        .header(reqwest::header::HOST, "attacker.example:80")
        .send()
        .await
        .unwrap();
    assert_eq!(rebound.status(), StatusCode::MISDIRECTED_REQUEST);
    let local = client.get(&url).send().await.unwrap();
    assert_eq!(local.status(), StatusCode::OK);
}

/// How one dialect answers registration bodies it cannot use, past its authentication.
struct BodyCase {
    dialect: Dialect,
    /// The `error` for a body that is not JSON (MITREid and Liberty call it metadata trouble).
    malformed: &'static str,
    /// Soffid's document labels JSON as a form: that label is read as JSON there.
    form_label_is_json: bool,
}

/// Every dialect refuses the same unusable bodies with its own codes: not JSON, a JSON array,
/// a content type that is not JSON (a form label too, except where it carries JSON).
#[tokio::test]
async fn unusable_bodies_are_refused_in_every_dialect() {
    let cases = [
        BodyCase {
            dialect: Dialect::Generic,
            malformed: "invalid_request",
            form_label_is_json: false,
        },
        BodyCase {
            dialect: Dialect::Indigo,
            malformed: "invalid_client_metadata",
            form_label_is_json: false,
        },
        BodyCase {
            dialect: Dialect::Soffid,
            malformed: "invalid_request",
            form_label_is_json: true,
        },
        BodyCase {
            dialect: Dialect::Wso2,
            malformed: "invalid_request",
            form_label_is_json: false,
        },
        BodyCase {
            dialect: Dialect::Liberty,
            malformed: "invalid_client_metadata",
            form_label_is_json: false,
        },
        BodyCase {
            dialect: Dialect::SimpleIdServer,
            malformed: "invalid_request",
            form_label_is_json: false,
        },
    ];
    for case in cases {
        let server = start(case.dialect).await;
        let auth = registration_auth(&server, case.dialect).await;
        let raw = |body: &'static str, content_type: &'static str| {
            let request = http()
                .post(server.registration_endpoint())
                .header("content-type", content_type)
                .body(body);
            let request = match &auth {
                Auth::Open => request,
                Auth::Bearer(token) => request.bearer_auth(token),
                Auth::Basic(user, password) => request.basic_auth(user, Some(password)),
            };
            request.send()
        };
        let name = case.dialect;
        let json_label = if case.form_label_is_json {
            "application/x-www-form-urlencoded"
        } else {
            "application/json"
        };
        let malformed = raw(MALFORMED_BODY, "application/json").await.expect("malformed");
        assert_error(malformed, StatusCode::BAD_REQUEST, case.malformed).await;
        let array = raw(ARRAY_BODY, json_label).await.expect("array");
        assert_error(array, StatusCode::BAD_REQUEST, "invalid_client_metadata").await;
        let text = raw(r#"{"client_name":"x"}"#, "text/plain").await.expect("text");
        assert_error(text, StatusCode::UNSUPPORTED_MEDIA_TYPE, "invalid_request").await;
        let form = raw(r#"{"client_name":"x"}"#, "application/x-www-form-urlencoded")
            .await
            .expect("form");
        if case.form_label_is_json {
            assert!(
                form.status() != StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{name}: {}",
                form.status()
            );
            let not_json = raw("a=b&c=d", "application/x-www-form-urlencoded")
                .await
                .expect("a form");
            assert_error(not_json, StatusCode::BAD_REQUEST, "invalid_request").await;
        } else {
            assert_error(form, StatusCode::UNSUPPORTED_MEDIA_TYPE, "invalid_request").await;
        }
    }
}

enum Auth {
    Open,
    Bearer(String),
    Basic(String, String),
}

/// What lets a registration through in `dialect`, from the credentials the mock printed.
async fn registration_auth(server: &MockServer, dialect: Dialect) -> Auth {
    let creds = server.credentials();
    match dialect {
        Dialect::Generic | Dialect::Indigo => Auth::Open,
        Dialect::Soffid => Auth::Bearer(creds.initial_access_token.clone().expect("an initial access token")),
        Dialect::Wso2 | Dialect::Liberty => Auth::Basic(
            creds.admin_username.clone().expect("an admin"),
            creds.admin_password.clone().expect("a password"),
        ),
        Dialect::SimpleIdServer => {
            let answer = http()
                .post(server.token_endpoint())
                .form(&[
                    (
                        "client_id",
                        creds.registrar_client_id.clone().expect("a registrar client").as_str(),
                    ),
                    (
                        "client_secret",
                        creds.registrar_client_secret.clone().expect("its secret").as_str(),
                    ),
                    ("grant_type", "client_credentials"),
                    (
                        "scope",
                        creds
                            .registration_scope
                            .clone()
                            .unwrap_or_else(|| "register".into())
                            .as_str(),
                    ),
                ])
                .send()
                .await
                .expect("a token");
            Auth::Bearer(str_of(&json(answer).await, "access_token").to_owned())
        }
        Dialect::OpenBanking => panic!("openbanking registers signed JWTs over mutual TLS: see tests/openbanking.rs"),
    }
}
