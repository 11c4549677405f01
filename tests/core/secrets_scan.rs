//! A whole session on every dialect, then every secret that was used or issued is looked
//! for in the SQLite file (tables, raw pages, WAL) and the history: none may be there.

use registrar_core::HistoryFilter;
use registrar_mock_op::Dialect;
use registrar_tests::{database_text, meta, Harness, Keychain};
use serde_json::json;

fn long_secret(tag: &str) -> String {
    format!("{tag}-{}", uuid::Uuid::new_v4().simple())
}

#[tokio::test]
async fn no_secret_reaches_the_database_or_the_history() {
    for dialect in Dialect::PLAIN {
        let h = Harness::with(dialect, Keychain::Memory, |c| {
            let creds = &mut c.credentials;
            // Long, unique values: a short default like "admin" also names the user.
            if creds.admin_password.is_some() {
                creds.admin_password = Some(long_secret("adminpw"));
            }
            if creds.initial_access_token.is_some() {
                creds.initial_access_token = Some(long_secret("iat"));
            }
            if creds.registrar_client_secret.is_some() {
                creds.registrar_client_secret = Some(long_secret("ccsecret"));
            }
            c.rotate_rat_on_read = true;
            c.rotate_rat_on_update = true;
        })
        .await;
        let creds = h.mock.credentials().clone();
        let mut secrets: Vec<String> = [
            creds.admin_password,
            creds.initial_access_token,
            creds.registrar_client_secret,
        ]
        .into_iter()
        .flatten()
        .collect();
        let seen = |h: &Harness, secrets: &mut Vec<String>| {
            for client in h.mock.admin().list_clients() {
                if let Some(s) = client["client_secret"].as_str().filter(|s| s.len() > 3) {
                    secrets.push(s.to_string());
                }
                let id = client["client_id"].as_str().unwrap_or_default();
                secrets.extend(h.mock.admin().registration_access_token(id));
            }
        };
        let m = match dialect {
            Dialect::Wso2 => meta(
                json!({"redirect_uris": ["https://a.example/cb"], "client_name": "scan", "grant_types": ["password"]}),
            ),
            Dialect::Liberty => meta(
                json!({"redirect_uris": ["https://a.example/cb"], "client_secret": long_secret("chosen"), "grant_types": ["authorization_code", "client_credentials"]}),
            ),
            _ => meta(
                json!({"redirect_uris": ["https://a.example/cb"], "client_name": "scan", "grant_types": ["authorization_code", "client_credentials"]}),
            ),
        };
        let reg = h
            .registrar
            .register(h.p(), m)
            .await
            .unwrap_or_else(|e| panic!("{dialect}: {e}"));
        let id = reg.registration.client_id.clone();
        seen(&h, &mut secrets);
        let ops = h.profile.settings.operations;
        if ops.read {
            h.registrar
                .read(h.p(), &id)
                .await
                .unwrap_or_else(|e| panic!("{dialect} read: {e}"));
            seen(&h, &mut secrets);
        }
        if ops.update {
            let mut desired = h.registrar.registration(&h.profile.id, &id).unwrap().metadata_returned;
            desired.set("client_name", json!("scan 2"));
            h.registrar
                .update(h.p(), &id, desired)
                .await
                .unwrap_or_else(|e| panic!("{dialect} update: {e}"));
            seen(&h, &mut secrets);
        }
        if ops.delete {
            h.registrar
                .delete(h.p(), &id)
                .await
                .unwrap_or_else(|e| panic!("{dialect} delete: {e}"));
        }
        assert!(secrets.len() >= 2, "{dialect}: the scan has secrets to look for");

        let db = database_text(&h.database_path());
        let history = serde_json::to_string(&h.registrar.history(&HistoryFilter::default()).unwrap()).unwrap();
        assert!(
            history.contains("***"),
            "{dialect}: the history shows where secrets were"
        );
        for secret in &secrets {
            assert!(
                !db.contains(secret.as_str()),
                "{dialect}: a secret is in the database file"
            );
            assert!(
                !history.contains(secret.as_str()),
                "{dialect}: a secret is in the history"
            );
        }
    }
}
