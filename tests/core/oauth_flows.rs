//! The oauth module's flows against the mock's authorization server over real HTTP: the
//! browser's part (login and consent) is played by reqwest, the redirect caught by the
//! loopback listener, and every call of Registrar's own checked in the history.

use registrar_core::oauth::{
    parse_callback, AuthMethod, AuthorizationRequest, CallbackError, ClientAuth, Endpoint, FlowError, Grant,
    LoopbackListener, OAuthClient, Pkce, PollEvent, PollOptions, ProviderMetadata, TokenResponse, TokenTypeHint,
    UserInfo,
};
use registrar_core::{Error, ErrorCode, Secret};
use registrar_mock_op::{Dialect, Fault, DEMO_PASSWORD, DEMO_SUBJECT, DEMO_USERNAME};
use registrar_tests::{meta, Harness, Keychain};
use reqwest::Url;
use serde_json::json;
use std::time::Duration;

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

struct Client {
    id: String,
    secret: Option<Secret>,
}

/// Registers a client that may use every grant tried here, authenticating with `method`.
async fn register(h: &Harness, method: &str) -> Client {
    let m = meta(json!({
        "client_name": format!("try {method}"),
        "redirect_uris": ["http://127.0.0.1/callback"],
        "grant_types": ["authorization_code", "refresh_token", DEVICE_GRANT],
        "response_types": ["code"],
        "token_endpoint_auth_method": method,
        "scope": "openid profile email"
    }));
    let out = h
        .registrar
        .register(h.p(), m)
        .await
        .unwrap_or_else(|e| panic!("{method}: {e}"));
    Client {
        id: out.registration.client_id,
        secret: out.client_secret,
    }
}

fn oauth_client<'r>(h: &'r Harness, c: &Client, method: &str) -> OAuthClient<'r> {
    let auth = AuthMethod::from_registered(Some(method))
        .unwrap()
        .client_auth(c.secret.clone())
        .unwrap();
    h.registrar.oauth_client(&h.profile, &c.id, auth).unwrap()
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The value of the hidden `interaction` field of a page.
fn interaction(page: &str) -> String {
    let at = page.find("name=\"interaction\" value=\"").expect("a login form") + 26;
    page[at..at + page[at..].find('"').unwrap()].to_string()
}

/// The browser's part: opens the authorization URL, logs in as the demo user and answers
/// `decision` in one post; the provider's redirect (its Location), not followed.
async fn log_in(metadata: &ProviderMetadata, url: &Url, decision: &str) -> String {
    let browser = browser();
    let page = browser.get(url.as_str()).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("id=\"username\""), "{page}");
    let answer = browser
        .post(metadata.authorization_endpoint.as_ref().unwrap().as_str())
        .form(&[
            ("interaction", interaction(&page).as_str()),
            ("username", DEMO_USERNAME),
            ("password", DEMO_PASSWORD),
            ("decision", decision),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 303);
    answer.headers()["location"].to_str().unwrap().to_string()
}

/// The browser follows the redirect to the loopback listener, which catches it.
async fn catch(listener: LoopbackListener, location: &str) -> Url {
    let (caught, page) = tokio::join!(listener.wait(Duration::from_secs(60)), async {
        browser().get(location).send().await.unwrap().text().await.unwrap()
    });
    assert!(page.contains("Registrar received"), "{page}");
    caught.unwrap()
}

struct Flow {
    request: AuthorizationRequest,
    pkce: Pkce,
    callback: Url,
}

/// The front channel: a request, the login, the redirect caught.
async fn front_channel(metadata: &ProviderMetadata, client_id: &str, decision: &str) -> Flow {
    let listener = LoopbackListener::bind(None, "/callback").await.unwrap();
    let pkce = Pkce::new_s256();
    let mut request = AuthorizationRequest::new(
        metadata.authorization_endpoint.clone().unwrap(),
        client_id,
        &listener.redirect_uri(),
        &pkce,
    );
    request.scope = Some("openid profile".into());
    request.login_hint = Some(DEMO_USERNAME.into());
    let location = log_in(metadata, &request.url().unwrap(), decision).await;
    let callback = catch(listener, &location).await;
    Flow {
        request,
        pkce,
        callback,
    }
}

/// The whole authorization code grant: its tokens, and the code it used.
async fn authorization_code(
    metadata: &ProviderMetadata,
    client: &OAuthClient<'_>,
) -> (TokenResponse, registrar_core::oauth::AuthorizationCode, Flow) {
    let flow = front_channel(metadata, client.client_id(), "approve").await;
    let code = parse_callback(
        &flow.callback,
        &flow.request.state,
        metadata.issuer.as_deref(),
        metadata.authorization_response_iss_parameter_supported,
    )
    .unwrap();
    let tokens = client
        .exchange_code(
            metadata.token_endpoint.as_ref().unwrap(),
            &code,
            &flow.request.redirect_uri,
            &flow.pkce.verifier,
        )
        .await
        .unwrap();
    (tokens, code, flow)
}

fn history(h: &Harness) -> String {
    serde_json::to_string(&h.registrar.history(&Default::default()).unwrap()).unwrap()
}

fn assert_absent(history: &str, secrets: &[&Secret]) {
    for s in secrets {
        assert!(s.expose().len() >= 8, "a real secret");
        assert!(!history.contains(s.expose()), "a secret reached the history: {history}");
    }
}

#[tokio::test]
async fn authorization_code_with_pkce_for_basic_post_and_public_clients() {
    let h = Harness::start(Dialect::Generic).await;
    let metadata = h.registrar.provider_metadata(&h.profile).await.unwrap();
    assert!(metadata.check(Grant::AuthorizationCode).unwrap().is_empty());
    assert!(metadata.authorization_response_iss_parameter_supported);
    for method in ["client_secret_basic", "client_secret_post", "none"] {
        let c = register(&h, method).await;
        assert_eq!(c.secret.is_some(), method != "none", "{method}");
        let client = oauth_client(&h, &c, method);
        let before = h.registrar.history(&Default::default()).unwrap().len();
        let (tokens, code, flow) = authorization_code(&metadata, &client).await;
        assert!(tokens.token_type.eq_ignore_ascii_case("bearer"), "{method}");
        assert!(tokens.id_token.is_some() && tokens.refresh_token.is_some(), "{method}");
        assert!(tokens.expires_in.is_some());

        // The one call the exchange made, authenticated as registered.
        let rows = h.registrar.history(&Default::default()).unwrap();
        assert_eq!(rows.len(), before + 1, "{method}");
        let row = rows.iter().max_by_key(|r| r.id).unwrap();
        assert_eq!(
            (row.operation.as_str(), row.client_id.as_deref()),
            ("try", Some(c.id.as_str()))
        );
        let authorization = row
            .request_headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("authorization"));
        let body = row.request_body.clone().unwrap_or_default();
        match method {
            "client_secret_basic" => assert_eq!(authorization.map(|(_, v)| v.as_str()), Some("Basic ***")),
            "client_secret_post" => assert!(authorization.is_none() && body.contains("client_secret=***"), "{body}"),
            _ => assert!(authorization.is_none() && !body.contains("client_secret"), "{body}"),
        }
        assert!(
            body.contains("code=***") && body.contains("code_verifier=***"),
            "{body}"
        );

        // The user behind the token.
        let claims = client
            .userinfo(metadata.userinfo_endpoint.as_ref().unwrap(), &tokens.access_token)
            .await
            .unwrap();
        let UserInfo::Claims(claims) = claims else {
            panic!("JSON claims")
        };
        assert_eq!(claims["sub"], DEMO_SUBJECT);

        // A code is single use: the provider's own error, typed, at the token endpoint.
        let again = client
            .exchange_code(
                metadata.token_endpoint.as_ref().unwrap(),
                &code,
                &flow.request.redirect_uri,
                &flow.pkce.verifier,
            )
            .await
            .unwrap_err();
        let e = again.oauth().expect("an OAuth error");
        assert_eq!(
            (e.endpoint, e.error.as_str(), e.status),
            (Endpoint::Token, "invalid_grant", Some(400))
        );

        let mut secrets = vec![
            code.secret(),
            &flow.pkce.verifier,
            &tokens.access_token,
            tokens.refresh_token.as_ref().unwrap(),
            tokens.id_token.as_ref().unwrap(),
        ];
        secrets.extend(c.secret.as_ref());
        assert_absent(&history(&h), &secrets);
        assert_absent(&registrar_tests::database_text(&h.database_path()), &secrets);
    }
}

#[tokio::test]
async fn a_wrong_verifier_a_state_mismatch_a_foreign_issuer_and_a_denial_are_told_apart() {
    let h = Harness::start(Dialect::Generic).await;
    let metadata = h.registrar.provider_metadata(&h.profile).await.unwrap();
    let c = register(&h, "client_secret_basic").await;
    let client = oauth_client(&h, &c, "client_secret_basic");
    let issuer = metadata.issuer.as_deref();

    let flow = front_channel(&metadata, &c.id, "approve").await;
    assert_eq!(
        parse_callback(&flow.callback, "another-state", issuer, true).unwrap_err(),
        CallbackError::StateMismatch {
            got: Some(flow.request.state.clone())
        }
    );
    assert!(matches!(
        parse_callback(&flow.callback, &flow.request.state, Some("https://other.example"), true),
        Err(CallbackError::IssuerMismatch { .. })
    ));
    let code = parse_callback(&flow.callback, &flow.request.state, issuer, true).unwrap();
    let wrong = client
        .exchange_code(
            metadata.token_endpoint.as_ref().unwrap(),
            &code,
            &flow.request.redirect_uri,
            &Pkce::new_s256().verifier,
        )
        .await
        .unwrap_err();
    assert_eq!(
        wrong.oauth().map(|e| e.error.as_str()),
        Some("invalid_grant"),
        "{wrong}"
    );

    let denied = front_channel(&metadata, &c.id, "deny").await;
    match parse_callback(&denied.callback, &denied.request.state, issuer, true) {
        Err(CallbackError::ProviderError { error, description, .. }) => {
            assert_eq!(error, "access_denied");
            assert!(description.is_some());
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn refresh_rotates_the_old_token_is_refused_and_revocation_ends_the_family() {
    let h = Harness::start(Dialect::Generic).await;
    let metadata = h.registrar.provider_metadata(&h.profile).await.unwrap();
    let token_endpoint = metadata.token_endpoint.clone().unwrap();
    let introspection = metadata.require(Endpoint::Introspection).unwrap().clone();
    let revocation = metadata.require(Endpoint::Revocation).unwrap().clone();
    let c = register(&h, "client_secret_post").await;
    let client = oauth_client(&h, &c, "client_secret_post");
    let (first, _, _) = authorization_code(&metadata, &client).await;
    let old = first.refresh_token.clone().unwrap();

    let second = client.refresh(&token_endpoint, &old, Some("openid")).await.unwrap();
    let new = second.refresh_token.clone().expect("a rotated refresh token");
    assert_ne!(new.expose(), old.expose());
    assert_ne!(second.access_token.expose(), first.access_token.expose());
    let about = client
        .introspect(&introspection, &second.access_token, Some(TokenTypeHint::AccessToken))
        .await
        .unwrap();
    assert!(about.active);
    assert_eq!(about.client_id.as_deref(), Some(c.id.as_str()));
    assert_eq!(about.sub.as_deref(), Some(DEMO_SUBJECT));
    assert_eq!(about.scope.as_deref(), Some("openid"));
    assert!(about.exp.is_some() && about.iat.is_some());

    // The retired refresh token is refused, and its reuse revokes the whole family.
    let refused = client.refresh(&token_endpoint, &old, None).await.unwrap_err();
    assert_eq!(
        refused.oauth().map(|e| e.error.as_str()),
        Some("invalid_grant"),
        "{refused}"
    );
    let after = client
        .introspect(&introspection, &second.access_token, None)
        .await
        .unwrap();
    assert!(!after.active, "reusing a retired refresh token revokes its family");

    // Revocation: a fresh family, its refresh token revoked, takes its access token.
    let (third, _, _) = authorization_code(&metadata, &client).await;
    client
        .revoke(
            &revocation,
            third.refresh_token.as_ref().unwrap(),
            TokenTypeHint::RefreshToken,
        )
        .await
        .unwrap();
    let gone = client
        .introspect(&introspection, &third.access_token, None)
        .await
        .unwrap();
    assert!(!gone.active);
    let e = client
        .userinfo(metadata.userinfo_endpoint.as_ref().unwrap(), &third.access_token)
        .await
        .unwrap_err();
    let e = e.oauth().expect("an OAuth error");
    assert_eq!(
        (e.endpoint, e.status, e.error.as_str()),
        (Endpoint::Userinfo, Some(401), "invalid_token")
    );

    // Revoking an access token alone, and a token the provider does not know (RFC 7009: 200).
    let (fourth, _, _) = authorization_code(&metadata, &client).await;
    client
        .revoke(&revocation, &fourth.access_token, TokenTypeHint::AccessToken)
        .await
        .unwrap();
    assert!(
        !client
            .introspect(&introspection, &fourth.access_token, None)
            .await
            .unwrap()
            .active
    );
    client
        .revoke(
            &revocation,
            &Secret::new("not-a-token-at-all"),
            TokenTypeHint::AccessToken,
        )
        .await
        .unwrap();

    let mut secrets: Vec<&Secret> = vec![&old, &new, &second.access_token];
    for t in [&first, &third, &fourth] {
        secrets.extend(t.secrets());
    }
    secrets.extend(c.secret.as_ref());
    assert_absent(&history(&h), &secrets);
}

#[tokio::test]
async fn a_public_client_cannot_introspect_and_the_refusal_is_an_auth_error() {
    let h = Harness::start(Dialect::Generic).await;
    let metadata = h.registrar.provider_metadata(&h.profile).await.unwrap();
    let c = register(&h, "none").await;
    let client = oauth_client(&h, &c, "none");
    let (tokens, _, _) = authorization_code(&metadata, &client).await;
    let e = client
        .introspect(
            metadata.introspection_endpoint.as_ref().unwrap(),
            &tokens.access_token,
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(Error::from(e).code(), ErrorCode::Auth);
}

/// Approves (or denies) a user code on the device verification page, in one post.
async fn answer_device(h: &Harness, user_code: &str, decision: &str) {
    let page = browser()
        .post(h.mock.device_verification_uri())
        .form(&[
            ("user_code", user_code),
            ("username", DEMO_USERNAME),
            ("password", DEMO_PASSWORD),
            ("decision", decision),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200, "{}", page.text().await.unwrap());
}

/// Polls without waiting; a broken flow fails within a minute instead of the code's
/// ten-minute lifetime.
fn fast() -> PollOptions {
    PollOptions {
        pace_override: Some(Duration::ZERO),
        timeout: Some(Duration::from_secs(60)),
        ..PollOptions::default()
    }
}

#[tokio::test]
async fn the_device_flow_honours_slow_down_and_reports_every_poll() {
    // An interval of 0 lets the test poll without waiting and without earning slow_down.
    let h = Harness::with(Dialect::Generic, Keychain::Memory, |c| {
        c.timing.device_poll_interval = Duration::ZERO;
    })
    .await;
    let metadata = h.registrar.provider_metadata(&h.profile).await.unwrap();
    metadata.check(Grant::DeviceCode).unwrap();
    let device_endpoint = metadata.require(Endpoint::DeviceAuthorization).unwrap().clone();
    let token_endpoint = metadata.token_endpoint.clone().unwrap();
    let c = register(&h, "client_secret_basic").await;
    let client = oauth_client(&h, &c, "client_secret_basic");

    let device = client
        .start_device(&device_endpoint, Some("openid profile"))
        .await
        .unwrap();
    assert_eq!(device.interval, Duration::ZERO);
    assert_eq!(device.expires_in, Duration::from_secs(600));
    assert!(device
        .verification_uri_complete
        .as_deref()
        .unwrap()
        .contains(&device.user_code));
    answer_device(&h, &device.user_code, "approve").await;
    h.mock.admin().inject(Fault::SlowDevicePoll { count: 2 });
    let mut events = Vec::new();
    let tokens = client
        .poll_device(&token_endpoint, &device, &fast(), |e| events.push(e))
        .await
        .unwrap();
    assert!(tokens.id_token.is_some());
    assert_eq!(
        events,
        [
            PollEvent::SlowDown {
                attempt: 1,
                interval: Duration::from_secs(5)
            },
            PollEvent::SlowDown {
                attempt: 2,
                interval: Duration::from_secs(10)
            },
            PollEvent::Done { attempt: 3 },
        ]
    );

    // Pending until the user answers; then the tokens.
    let device2 = client.start_device(&device_endpoint, None).await.unwrap();
    let pending = tokio::sync::Notify::new();
    let mut events = Vec::new();
    let options = PollOptions {
        pace_override: Some(Duration::from_millis(20)),
        ..fast()
    };
    let (polled, ()) = tokio::join!(
        client.poll_device(&token_endpoint, &device2, &options, |e| {
            if matches!(e, PollEvent::Pending { .. }) {
                pending.notify_one();
            }
            events.push(e);
        }),
        async {
            pending.notified().await;
            answer_device(&h, &device2.user_code, "approve").await;
        }
    );
    polled.unwrap();
    assert_eq!(
        events[0],
        PollEvent::Pending {
            attempt: 1,
            next_poll_in: Duration::ZERO
        }
    );
    assert!(matches!(events.last(), Some(PollEvent::Done { .. })));

    // Denied.
    let device3 = client.start_device(&device_endpoint, None).await.unwrap();
    answer_device(&h, &device3.user_code, "deny").await;
    let denied = client
        .poll_device(&token_endpoint, &device3, &fast(), |_| {})
        .await
        .unwrap_err();
    let e = denied.oauth().expect("an OAuth error");
    assert_eq!((e.error.as_str(), e.status), ("access_denied", Some(400)));

    let mut secrets: Vec<&Secret> = vec![&device.device_code, &device2.device_code, &device3.device_code];
    secrets.extend(tokens.secrets());
    secrets.extend(c.secret.as_ref());
    assert_absent(&history(&h), &secrets);
}

#[tokio::test]
async fn an_expired_device_code_is_said_with_the_providers_error() {
    let h = Harness::with(Dialect::Generic, Keychain::Memory, |c| {
        c.timing.device_code = Duration::ZERO;
        c.timing.device_poll_interval = Duration::ZERO;
    })
    .await;
    let metadata = h.registrar.provider_metadata(&h.profile).await.unwrap();
    let c = register(&h, "client_secret_post").await;
    let client = oauth_client(&h, &c, "client_secret_post");
    let device = client
        .start_device(metadata.device_authorization_endpoint.as_ref().unwrap(), None)
        .await
        .unwrap();
    assert_eq!(device.expires_in, Duration::ZERO);
    // Polled past its local lifetime anyway, so the provider's own answer is seen.
    let options = fast();
    let e = client
        .poll_device(metadata.token_endpoint.as_ref().unwrap(), &device, &options, |_| {})
        .await
        .unwrap_err();
    let e = e.oauth().expect("an OAuth error");
    assert_eq!((e.error.as_str(), e.status), ("expired_token", Some(400)));
    // Left to its own lifetime, polling stops without asking.
    let own_lifetime = PollOptions {
        timeout: None,
        ..fast()
    };
    let e = client
        .poll_device(
            metadata.token_endpoint.as_ref().unwrap(),
            &device,
            &own_lifetime,
            |_| {},
        )
        .await
        .unwrap_err();
    let e = e.oauth().expect("an OAuth error");
    assert_eq!((e.error.as_str(), e.status), ("expired_token", None));
}

#[tokio::test]
async fn client_credentials_and_a_refused_client_through_the_oauth_client() {
    let h = Harness::start(Dialect::Generic).await;
    let metadata = h.registrar.provider_metadata(&h.profile).await.unwrap();
    let m = meta(json!({"grant_types": ["client_credentials"], "response_types": [], "client_name": "m2m"}));
    let out = h.registrar.register(h.p(), m).await.unwrap();
    let id = out.registration.client_id;
    let secret = out.client_secret.unwrap();
    let token_endpoint = metadata.token_endpoint.as_ref().unwrap();
    let client = h
        .registrar
        .oauth_client(&h.profile, &id, ClientAuth::SecretBasic { secret: secret.clone() })
        .unwrap();
    let tokens = client.client_credentials(token_endpoint, None).await.unwrap();
    assert!(tokens.refresh_token.is_none() && tokens.id_token.is_none());

    let wrong = h
        .registrar
        .oauth_client(
            &h.profile,
            &id,
            ClientAuth::SecretPost {
                secret: Secret::new("wrong-secret-value"),
            },
        )
        .unwrap();
    let e = wrong.client_credentials(token_endpoint, None).await.unwrap_err();
    assert!(matches!(&e, FlowError::OAuth(o) if o.error == "invalid_client"), "{e}");
    assert_absent(
        &history(&h),
        &[&secret, &tokens.access_token, &Secret::new("wrong-secret-value")],
    );
}

#[tokio::test]
async fn polling_an_endpoint_that_does_not_answer_stops_after_a_few_tries() {
    let h = Harness::with(Dialect::Generic, Keychain::Memory, |c| {
        c.timing.device_poll_interval = Duration::ZERO;
    })
    .await;
    let metadata = h.registrar.provider_metadata(&h.profile).await.unwrap();
    let c = register(&h, "client_secret_basic").await;
    let client = oauth_client(&h, &c, "client_secret_basic");
    let device = client
        .start_device(metadata.device_authorization_endpoint.as_ref().unwrap(), None)
        .await
        .unwrap();
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let nowhere = Url::parse(&format!("http://{}/token", closed.local_addr().unwrap())).unwrap();
    drop(closed);
    let mut events = Vec::new();
    let e = client
        .poll_device(&nowhere, &device, &fast(), |e| events.push(e))
        .await
        .unwrap_err();
    assert!(matches!(e, FlowError::Core(Error::Network { .. })), "{e}");
    assert_eq!(events.len(), 3, "{events:?}");
    assert!(events.iter().all(|e| matches!(e, PollEvent::NetworkError { .. })));
}

/// Every dialect's authorization server, at its own paths, found by discovery.
#[tokio::test]
async fn every_dialect_issues_checks_and_revokes_tokens_at_its_own_paths() {
    for dialect in Dialect::PLAIN {
        let h = Harness::start(dialect).await;
        let metadata = h.registrar.provider_metadata(&h.profile).await.unwrap();
        assert_eq!(
            metadata.authorization_endpoint.as_ref().map(Url::as_str),
            Some(h.mock.authorization_endpoint().as_str()),
            "{dialect}"
        );
        for grant in [Grant::AuthorizationCode, Grant::DeviceCode, Grant::RefreshToken] {
            metadata
                .check(grant)
                .unwrap_or_else(|e| panic!("{dialect} {grant:?}: {e}"));
        }
        let c = register(&h, "client_secret_basic").await;
        let client = oauth_client(&h, &c, "client_secret_basic");
        let (tokens, _, _) = authorization_code(&metadata, &client).await;
        let about = client
            .introspect(
                metadata.introspection_endpoint.as_ref().unwrap(),
                &tokens.access_token,
                None,
            )
            .await
            .unwrap_or_else(|e| panic!("{dialect}: {e}"));
        assert!(about.active, "{dialect}");
        client
            .revoke(
                metadata.revocation_endpoint.as_ref().unwrap(),
                &tokens.access_token,
                TokenTypeHint::AccessToken,
            )
            .await
            .unwrap_or_else(|e| panic!("{dialect}: {e}"));
        let e = client
            .userinfo(metadata.userinfo_endpoint.as_ref().unwrap(), &tokens.access_token)
            .await
            .unwrap_err();
        assert_eq!(
            e.oauth().map(|e| e.error.as_str()),
            Some("invalid_token"),
            "{dialect}: {e}"
        );
    }
}

#[tokio::test]
async fn the_jwk_set_is_fetched_through_the_history_and_follows_a_rotation() {
    let h = Harness::start(Dialect::Wso2).await;
    let metadata = h.registrar.provider_metadata(&h.profile).await.unwrap();
    let jwks_uri = metadata.require(Endpoint::Jwks).unwrap().clone();
    let c = register(&h, "client_secret_basic").await;
    let client = oauth_client(&h, &c, "client_secret_basic");
    let before = client.fetch_jwks(&jwks_uri).await.unwrap();
    let kid = h.mock.admin().rotate_signing_key(false);
    let after = client.fetch_jwks(&jwks_uri).await.unwrap();
    let kids = |set: &serde_json::Value| -> Vec<String> {
        set["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["kid"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!kids(&before).contains(&kid));
    assert_eq!(kids(&after), [kid]);
    assert!(history(&h).contains(jwks_uri.path()));
    let missing = client
        .fetch_jwks(&jwks_uri.join("/nothing-here").unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(Error::from(missing), Error::Provider { status: 404, .. }),
        "a JWK Set that is not there is the provider's refusal"
    );
}

/// The extension point of the keys issue: a signer's assertion, fresh for every request.
#[derive(Debug, Default)]
struct FakeSigner {
    audiences: std::sync::Mutex<Vec<String>>,
}

impl registrar_core::oauth::ClientAssertionSigner for FakeSigner {
    fn assertion(&self, client_id: &str, audience: &str) -> registrar_core::Result<Secret> {
        let mut audiences = self.audiences.lock().unwrap();
        audiences.push(audience.to_string());
        Ok(Secret::new(format!("assertion-{client_id}-{}", audiences.len())))
    }
}

#[tokio::test]
async fn private_key_jwt_and_tls_client_auth_send_what_their_specifications_ask() {
    let h = Harness::start(Dialect::Generic).await;
    let metadata = h.registrar.provider_metadata(&h.profile).await.unwrap();
    let token_endpoint = metadata.token_endpoint.clone().unwrap();
    let signer = std::sync::Arc::new(FakeSigner::default());
    let client = h
        .registrar
        .oauth_client(&h.profile, "jwt-client", ClientAuth::PrivateKeyJwt(signer.clone()))
        .unwrap();
    for _ in 0..2 {
        // The mock knows no such client; what was sent is the point.
        assert!(client.client_credentials(&token_endpoint, None).await.is_err());
    }
    assert_eq!(
        *signer.audiences.lock().unwrap(),
        [token_endpoint.to_string(), token_endpoint.to_string()]
    );
    let mtls = h
        .registrar
        .oauth_client(
            &h.profile,
            "mtls-client",
            ClientAuth::TlsClientAuth {
                identity: std::sync::Arc::new(test_identity()),
                self_signed: true,
            },
        )
        .unwrap();
    assert!(mtls.client_credentials(&token_endpoint, None).await.is_err());

    let rows = h.registrar.history(&Default::default()).unwrap();
    let body = |client: &str| -> Vec<String> {
        rows.iter()
            .filter(|r| r.client_id.as_deref() == Some(client))
            .map(|r| r.request_body.clone().unwrap_or_default())
            .collect()
    };
    let jwt = body("jwt-client");
    assert_eq!(jwt.len(), 2);
    for b in &jwt {
        assert!(
            b.contains("client_id=jwt-client")
                && b.contains("client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer")
                && b.contains("client_assertion=***"),
            "{b}"
        );
    }
    let text = history(&h);
    assert!(!text.contains("assertion-jwt-client-1") && !text.contains("assertion-jwt-client-2"));
    let mtls = body("mtls-client");
    assert!(
        mtls[0].contains("client_id=mtls-client")
            && !mtls[0].contains("client_secret")
            && !mtls[0].contains("assertion"),
        "{mtls:?}"
    );
}

#[tokio::test]
async fn the_listener_serves_the_clients_registered_loopback_uri() {
    let h = Harness::start(Dialect::Generic).await;
    let metadata = h.registrar.provider_metadata(&h.profile).await.unwrap();
    let c = register(&h, "none").await;
    let registered = ["https://app.example/cb", "http://127.0.0.1/callback"];
    let target = registrar_core::oauth::loopback_redirect(&registered).unwrap();
    assert_eq!(target.port, None, "any port will do (RFC 8252 §7.3)");
    let listener = LoopbackListener::bind(target.port, &target.path).await.unwrap();
    let pkce = Pkce::new_s256();
    let request = AuthorizationRequest::new(
        metadata.authorization_endpoint.clone().unwrap(),
        &c.id,
        &listener.redirect_uri(),
        &pkce,
    );
    let location = log_in(&metadata, &request.url().unwrap(), "approve").await;
    let callback = catch(listener, &location).await;
    let code = parse_callback(&callback, &request.state, metadata.issuer.as_deref(), true).unwrap();
    let client = oauth_client(&h, &c, "none");
    // Without PKCE's verifier a public client gets nothing.
    let e = client
        .exchange_code(
            metadata.token_endpoint.as_ref().unwrap(),
            &code,
            &request.redirect_uri,
            &Secret::new("not-the-verifier-of-this-request-at-all-000000"),
        )
        .await
        .unwrap_err();
    assert_eq!(e.oauth().map(|e| e.error.as_str()), Some("invalid_grant"), "{e}");
}

/// A self-signed client certificate and its key, as a transport presents them.
fn test_identity() -> registrar_core::custody::ClientIdentity {
    use registrar_keys::cert::{self, CertificateInfo, Subject};
    let key = registrar_keys::PrivateKey::generate(registrar_keys::KeyKind::P256, 0).unwrap();
    let subject = Subject {
        common_name: "mtls-client".into(),
        ..Subject::default()
    };
    let der = cert::self_signed(&key, &subject, 1).unwrap();
    registrar_core::custody::ClientIdentity {
        subject_dn: CertificateInfo::from_der(&der).unwrap().subject_dn,
        chain: vec![der],
        key_pkcs8: key.pkcs8_der(),
        kid: key.thumbprint(),
    }
}
