//! Review item 6: a 2xx answer that is not valid JSON (cut short, junk after the object, a
//! byte-order mark) holds the new client's credentials; neither the database (history,
//! journal) nor the error may hold them. A secret the client sent and the provider echoes
//! in an error is masked too.

use registrar_core::{Error, ProviderKind};
use registrar_tests::local::Local;
use registrar_tests::recording_server::{Answer, RecordingServer};
use registrar_tests::{database_text, meta};
use serde_json::json;

const SECRET: &str = "broken-answer-client-secret-0123456789";
const TOKEN: &str = "broken-answer-registration-token-987654";

fn bodies() -> Vec<(&'static str, String)> {
    let whole = format!(
        r#"{{"client_id":"c1","client_secret":"{SECRET}","registration_access_token":"{TOKEN}","redirect_uris":["https://a.example/cb"]}}"#
    );
    vec![
        ("cut short", whole[..whole.len() - 30].to_string()),
        ("junk after the object", format!("{whole}\n<!-- served by proxy -->")),
        ("a byte-order mark", format!("\u{feff}{whole}")),
        ("single quotes", whole.replace('"', "'")),
    ]
}

#[tokio::test]
async fn credentials_in_an_unusable_2xx_reach_neither_the_database_nor_the_error() {
    for (what, body) in bodies() {
        let server = RecordingServer::start(move |_, _| Answer {
            status: 201,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.clone(),
        })
        .await;
        let local = Local::new();
        let p = local.open_profile(&server.url);
        let err = local
            .registrar
            .register(
                &p.id,
                meta(json!({"client_name": "x", "redirect_uris": ["https://a.example/cb"]})),
            )
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, Error::InvalidResponse(_)), "{what}: {err:?}");
        assert!(
            !text.contains(SECRET) && !text.contains(TOKEN),
            "{what}: the error quotes a credential: {text}"
        );
        assert!(text.contains("may have been created"), "{what}: {text}");
        let db = database_text(&local.database_path());
        for secret in [SECRET, TOKEN] {
            assert!(!db.contains(secret), "{what}: {secret} is in the database");
        }
        assert_eq!(
            local.registrar.unresolved().unwrap().len(),
            1,
            "{what}: left for recovery"
        );
    }
}

#[tokio::test]
async fn a_secret_the_client_sent_is_masked_when_the_provider_echoes_it() {
    let chosen = "client-chosen-secret-value-42";
    let server = RecordingServer::start(move |r, _| {
        Answer::json(
            400,
            json!({"error": "invalid_client_metadata", "error_description": format!("rejected {}", r.json()["client_secret"].as_str().unwrap_or_default())}),
        )
    })
    .await;
    let local = Local::new();
    // Liberty lets a client choose its own secret.
    let mut p = registrar_core::Profile::new(
        "lib",
        ProviderKind::Liberty,
        format!("{}/oidc/endpoint/OP/registration", server.url),
    );
    p.registration_auth = registrar_core::RegistrationAuth::Basic {
        username: "admin".into(),
    };
    let secrets = registrar_core::ProfileSecrets {
        admin_password: Some(registrar_core::Secret::new("pw")),
        ..Default::default()
    };
    let p = local.registrar.save_profile(&p, &secrets).unwrap();
    let err = local
        .registrar
        .register(
            &p.id,
            meta(json!({"client_name": "x", "client_secret": chosen, "redirect_uris": ["https://a.example/cb"]})),
        )
        .await
        .unwrap_err();
    assert!(!err.to_string().contains(chosen), "{err}");
    assert!(!database_text(&local.database_path()).contains(chosen));
}
