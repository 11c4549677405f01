//! Search over a generated 100,000-row database returns the right rows.

use registrar_core::Query;
use registrar_core::RegistrationStatus;
use registrar_mock_op::Dialect;
use registrar_tests::Harness;

#[tokio::test]
async fn search_over_a_hundred_thousand_registrations() {
    let h = Harness::start(Dialect::Generic).await;
    {
        let conn = rusqlite::Connection::open(h.database_path()).unwrap();
        conn.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
        conn.execute_batch("BEGIN").unwrap();
        let mut stmt = conn
            .prepare(
                "INSERT INTO registrations (profile_id, client_id, client_name, metadata_returned, status, credentials,
                    client_secret_expires_at, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'stored', ?6, 0, 0)",
            )
            .unwrap();
        for i in 0..100_000u32 {
            let name = if i % 25_000 == 7 {
                format!("Needle service {i}")
            } else {
                format!("client {i}")
            };
            let meta = serde_json::json!({
                "redirect_uris": [format!("https://app{i}.example.org/callback")],
                "contacts": [format!("owner{}@team{}.example", i, i % 100)],
            });
            let status = if i % 10 == 0 { "deleted" } else { "active" };
            // On active clients: a deleted client's secret went with it, so it never expires.
            let expires: Option<i64> = (i % 1000 == 1).then_some(1);
            stmt.execute(rusqlite::params![
                h.profile.id,
                format!("cid-{i:06}"),
                name,
                meta.to_string(),
                status,
                expires
            ])
            .unwrap();
        }
        drop(stmt);
        conn.execute_batch("COMMIT").unwrap();
    }
    let q = |text: &str| Query {
        text: Some(text.into()),
        ..Default::default()
    };

    let page = h.registrar.search(&q("needle")).unwrap();
    assert_eq!(page.total, 4);
    assert!(page
        .items
        .iter()
        .all(|s| s.client_name.as_deref().unwrap().starts_with("Needle")));

    let page = h.registrar.search(&q("app31337.example")).unwrap();
    assert_eq!(
        page.items.iter().map(|s| s.client_id.as_str()).collect::<Vec<_>>(),
        vec!["cid-031337"]
    );

    let page = h.registrar.search(&q("owner4242@")).unwrap();
    assert_eq!(page.items[0].client_id, "cid-004242");

    let page = h
        .registrar
        .search(&Query {
            text: Some("cid-0999".into()),
            status: Some(RegistrationStatus::Deleted),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.total, 10, "cid-09990..09999 that are deleted: every tenth");

    let first = h
        .registrar
        .search(&Query {
            profile_id: Some(h.profile.id.clone()),
            limit: 100,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(first.total, 100_000);
    assert_eq!(first.items.len(), 100);
    let second = h
        .registrar
        .search(&Query {
            profile_id: Some(h.profile.id.clone()),
            limit: 100,
            offset: 100,
            ..Default::default()
        })
        .unwrap();
    assert!(
        first
            .items
            .iter()
            .all(|a| second.items.iter().all(|b| a.client_id != b.client_id)),
        "pages do not overlap"
    );

    let expired = h.registrar.expiring(Some(h.p()), 0).unwrap();
    assert_eq!(expired.total, 100, "secrets with expiry 1 (1970) have expired");
    assert_eq!(h.registrar.search(&q("zz")).unwrap().total, 0, "short text works too");
}
