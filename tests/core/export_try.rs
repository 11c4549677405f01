use registrar_core::{Error, ExportFormat};
use registrar_mock_op::Dialect;
use registrar_tests::{meta, web_client, Harness};
use serde_json::json;

// The curl script blocks a thread while the mock answers on another.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_leave_secrets_out_unless_asked_and_the_curl_script_replays_the_read() {
    let h = Harness::start(Dialect::Generic).await;
    let mut m = web_client("it's \"quoted\"; $(touch /tmp/registrar-pwned)");
    m.set("scope", json!("openid"));
    let reg = h.registrar.register(h.p(), m).await.unwrap();
    let id = reg.registration.client_id.clone();
    let secret = reg.client_secret.unwrap();
    let token = reg.registration_access_token.unwrap();

    for format in [ExportFormat::Json, ExportFormat::Env, ExportFormat::Curl] {
        let plain = h.registrar.export(h.p(), &id, format, false).unwrap();
        assert!(
            !plain.contains(secret.expose()) && !plain.contains(token.expose()),
            "{format:?}: {plain}"
        );
        assert!(plain.contains(&id), "{format:?}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&h.registrar.export(h.p(), &id, ExportFormat::Json, true).unwrap()).unwrap();
    assert_eq!(json["client_secret"], secret.expose());
    let env = h.registrar.export(h.p(), &id, ExportFormat::Env, true).unwrap();
    assert!(
        env.contains(&format!("OIDC_CLIENT_SECRET='{}'", secret.expose())),
        "{env}"
    );

    // The curl script, run by a real shell, reads the client; the hostile name stays inert.
    let script = h.registrar.export(h.p(), &id, ExportFormat::Curl, true).unwrap();
    let out = run_sh(&script);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let read: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the provider's JSON");
    assert_eq!(read["client_id"], id.as_str());
    assert!(!std::path::Path::new("/tmp/registrar-pwned").exists());

    let profile_json = h.registrar.export_profile(h.p()).unwrap();
    assert!(profile_json.contains(&h.mock.registration_endpoint()));
    let copy = h
        .registrar
        .import_profile(&profile_json, Some("colleague copy"), &Default::default())
        .unwrap();
    assert_ne!(copy.id, h.profile.id);
    assert_eq!(copy.settings, h.profile.settings);
}

// The curl script blocks a thread while the mock answers on another.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_clients_export_together_each_under_its_own_names() {
    let h = Harness::start(Dialect::Generic).await;
    let mut ids = Vec::new();
    let mut secrets = Vec::new();
    let mut tokens = Vec::new();
    // Two clients with the same name: their variables must still differ.
    for name in ["Billing app", "Billing app", "2nd: reports/daily"] {
        let reg = h.registrar.register(h.p(), web_client(name)).await.unwrap();
        ids.push(reg.registration.client_id.clone());
        secrets.push(reg.client_secret.unwrap());
        tokens.push(reg.registration_access_token.unwrap());
    }

    let json: serde_json::Value =
        serde_json::from_str(&h.registrar.export_many(h.p(), &ids, ExportFormat::Json, false).unwrap()).unwrap();
    let listed: Vec<&str> = json
        .as_array()
        .expect("an array of clients")
        .iter()
        .map(|c| c["client_id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ids.iter().map(String::as_str).collect::<Vec<_>>());

    let env = h.registrar.export_many(h.p(), &ids, ExportFormat::Env, true).unwrap();
    assert!(
        env.contains(&format!("BILLING_APP_OIDC_CLIENT_ID='{}'", ids[0])),
        "{env}"
    );
    assert!(
        env.contains(&format!("BILLING_APP_2_OIDC_CLIENT_ID='{}'", ids[1])),
        "{env}"
    );
    assert!(
        env.contains(&format!(
            "CLIENT_2ND_REPORTS_DAILY_OIDC_CLIENT_SECRET='{}'",
            secrets[2].expose()
        )),
        "{env}"
    );
    let plain_env = h.registrar.export_many(h.p(), &ids, ExportFormat::Env, false).unwrap();
    assert!(secrets.iter().all(|s| !plain_env.contains(s.expose())), "{plain_env}");

    // One script reads every client, each with its own token.
    let script = h.registrar.export_many(h.p(), &ids, ExportFormat::Curl, true).unwrap();
    assert_eq!(script.matches("#!/bin/sh").count(), 1, "{script}");
    let out = run_sh(&script);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for id in &ids {
        assert!(stdout.contains(id.as_str()), "the script read {id}: {stdout}");
    }
    // Without the tokens, each client is said and skipped, the others still run, and the
    // status says some were not read; one token given reads that one client.
    let plain_script = h.registrar.export_many(h.p(), &ids, ExportFormat::Curl, false).unwrap();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(&plain_script)
        .env("BILLING_APP_2_REGISTRATION_ACCESS_TOKEN", tokens[1].expose())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{}: skipped; BILLING_APP_REGISTRATION_ACCESS_TOKEN is not set",
            ids[0]
        )),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("{}: skipped", ids[2])), "{stderr}");
    assert!(!stderr.contains(&format!("{}: skipped", ids[1])), "{stderr}");
    let read: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the one client read");
    assert_eq!(read["client_id"], ids[1].as_str());

    // One client is exported as `export` does; none is an error that says so.
    assert_eq!(
        h.registrar
            .export_many(h.p(), &ids[..1], ExportFormat::Env, false)
            .unwrap(),
        h.registrar.export(h.p(), &ids[0], ExportFormat::Env, false).unwrap()
    );
    let none = h
        .registrar
        .export_many(h.p(), &[], ExportFormat::Json, false)
        .unwrap_err();
    assert!(none.to_string().contains("at least one client"), "{none}");

    assert_eq!(
        h.registrar
            .export_file_name(h.p(), &ids[..1], ExportFormat::Json)
            .unwrap(),
        "Billing app.json"
    );
    assert_eq!(
        h.registrar
            .export_file_name(h.p(), &ids[2..], ExportFormat::Curl)
            .unwrap(),
        "2nd_ reports_daily.sh"
    );
    assert_eq!(
        h.registrar.export_file_name(h.p(), &ids, ExportFormat::Env).unwrap(),
        format!("{} - 3 clients.env", h.profile.name)
    );
}

#[tokio::test]
async fn trying_a_client_gets_a_token_with_its_own_credentials() {
    for dialect in [
        registrar_mock_op::Dialect::Generic,
        Dialect::Indigo,
        Dialect::SimpleIdServer,
        Dialect::Liberty,
    ] {
        let h = Harness::start(dialect).await;
        let m = meta(json!({"grant_types": ["client_credentials"], "response_types": [], "client_name": "m2m"}));
        let id = h
            .registrar
            .register(h.p(), m)
            .await
            .unwrap_or_else(|e| panic!("{dialect}: {e}"))
            .registration
            .client_id;
        let target = h
            .registrar
            .try_target(h.p(), &id, None)
            .await
            .unwrap_or_else(|e| panic!("{dialect}: {e}"));
        assert_eq!(target.grant, registrar_core::TryGrant::ClientCredentials);
        let report = h
            .registrar
            .try_client_credentials(&target, None)
            .await
            .unwrap_or_else(|e| panic!("{dialect}: {e}"))
            .report;
        assert!(
            report.token_type.eq_ignore_ascii_case("bearer"),
            "{dialect}: {report:?}"
        );
        assert!(report.access_token_length > 10);
        let history = serde_json::to_string(&h.registrar.history(&Default::default()).unwrap()).unwrap();
        assert!(history.contains("\"try\"") && history.contains("***"), "{dialect}");
    }
    let h = Harness::start(Dialect::Generic).await;
    let mut browser_only = web_client("browser only");
    browser_only.set("grant_types", json!(["authorization_code"]));
    let id = h
        .registrar
        .register(h.p(), browser_only)
        .await
        .unwrap()
        .registration
        .client_id;
    assert!(matches!(
        h.registrar
            .try_target(h.p(), &id, Some(registrar_core::TryGrant::ClientCredentials))
            .await,
        Err(Error::Validation(fields)) if fields[0].field == "grant_types"
    ));
}

// WSO2 leaves grant_types out of its answer: the try follows what was sent for the client
// (client_credentials), not RFC 7591's default of authorization_code, and a grant the
// client was not registered for is refused as the client's, not the provider's.
#[tokio::test]
async fn a_wso2_client_is_tried_with_the_grants_it_was_registered_for() {
    let h = Harness::start(Dialect::Wso2).await;
    let m = meta(json!({"grant_types": ["client_credentials"], "response_types": [], "client_name": "m2m"}));
    let reg = h.registrar.register(h.p(), m).await.unwrap().registration;
    assert!(
        reg.metadata_returned.get("grant_types").is_none(),
        "the WSO2 mock drops grant_types: {:?}",
        reg.metadata_returned
    );
    let target = h.registrar.try_target(h.p(), &reg.client_id, None).await.unwrap();
    assert_eq!(target.grant, registrar_core::TryGrant::ClientCredentials);
    let refused = h
        .registrar
        .try_target(h.p(), &reg.client_id, Some(registrar_core::TryGrant::AuthorizationCode))
        .await
        .expect_err("not registered for authorization_code");
    let said = refused.to_string();
    assert!(matches!(refused, Error::Validation(_)), "{said}");
    assert!(
        said.contains("client_credentials") && !said.contains("provider"),
        "{said}"
    );
}

// WSO2 5.3 returns no registration_client_uri and offers no read: the script says so and
// fails, rather than giving curl a comment for a URL.
#[tokio::test]
async fn a_curl_export_without_a_read_says_why_and_fails() {
    let h = Harness::start(Dialect::Wso2).await;
    let m = meta(
        json!({"redirect_uris": ["https://a.example/cb"], "client_name": "no read", "grant_types": ["authorization_code"]}),
    );
    let id = h.registrar.register(h.p(), m).await.unwrap().registration.client_id;
    let script = h.registrar.export(h.p(), &id, ExportFormat::Curl, false).unwrap();
    let out = run_sh(&script);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{script}");
    assert!(out.stdout.is_empty(), "{script}");
    assert!(
        stderr.contains(&format!("cannot read {id} from its provider")) && stderr.contains("offers no read"),
        "{stderr}"
    );
}

#[tokio::test]
async fn expiring_secrets_are_found_by_window() {
    let h = Harness::start(Dialect::Wso2).await;
    let m = meta(json!({"redirect_uris": ["https://a.example/cb"], "client_name": "exp", "grant_types": ["password"]}));
    let id = h.registrar.register(h.p(), m).await.unwrap().registration.client_id;
    let within_year = h.registrar.expiring(Some(h.p()), 400 * 86_400).unwrap();
    assert_eq!(
        within_year
            .items
            .iter()
            .map(|s| s.client_id.as_str())
            .collect::<Vec<_>>(),
        vec![id.as_str()]
    );
    assert_eq!(h.registrar.expiring(Some(h.p()), 86_400).unwrap().total, 0);
}

/// Runs an exported script as a person would, in a POSIX shell.
fn run_sh(script: &str) -> std::process::Output {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .output()
        .expect("sh runs")
}
