//! Bulk delete and "select all" from the desktop list's selection: a result per client,
//! failures listed with the rest still deleted, deleted clients never sent again.

use registrar_core::{Cancel, Query, RegistrationStatus, Sort, SortKey};
use registrar_mock_op::Dialect;
use registrar_tests::{web_client, Harness};
use std::sync::atomic::{AtomicUsize, Ordering};

#[tokio::test]
async fn a_bulk_delete_reports_each_client_and_loses_nothing() {
    let h = Harness::start(Dialect::Generic).await;
    let mut ids = Vec::new();
    for i in 0..12 {
        let out = h
            .registrar
            .register(h.p(), web_client(&format!("bulk del {i:02}")))
            .await
            .unwrap();
        ids.push(out.registration.client_id);
    }
    // One removed behind Registrar's back: the provider refuses its delete.
    assert!(h.mock.admin().remove_client(&ids[3]));
    // One already deleted: not sent again.
    h.registrar.delete(h.p(), &ids[5]).await.unwrap();
    let before = h.mock.admin().request_count();
    let mut chosen: Vec<String> = ids[..10].to_vec();
    chosen.push("no-such-client".into());
    let progressed = AtomicUsize::new(0);
    let report = h
        .registrar
        .delete_many(
            h.p(),
            &chosen,
            4,
            &|_| {
                progressed.fetch_add(1, Ordering::SeqCst);
            },
            &Cancel::new(),
        )
        .await
        .unwrap();
    assert_eq!(progressed.load(Ordering::SeqCst), 11);
    assert_eq!(report.items.len(), 11);
    assert!(report.skipped.is_empty());
    // In the order asked, each with its name.
    let asked: Vec<&str> = report.items.iter().map(|i| i.client_id.as_str()).collect();
    assert_eq!(asked, chosen.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(report.items[0].client_name.as_deref(), Some("bulk del 00"));
    let failed: Vec<&str> = report.failures().map(|i| i.client_id.as_str()).collect();
    assert_eq!(failed, [ids[3].as_str(), ids[5].as_str(), "no-such-client"]);
    assert!(report.items[5]
        .error
        .as_ref()
        .unwrap()
        .message
        .contains("already deleted"));
    assert_eq!(report.deleted(), 8);
    // The already deleted one and the unknown one cost no request; the eight and the refused one did.
    assert_eq!(h.mock.admin().request_count() - before, 9);
    for (i, id) in ids.iter().enumerate() {
        let on_provider = h.mock.admin().get_client(id).is_some();
        let status = h.registrar.registration(h.p(), id).unwrap().status;
        match i {
            3 => assert_ne!(status, RegistrationStatus::Deleted, "a refused delete keeps the client"),
            0..10 => {
                assert!(!on_provider, "{i} is gone from the provider");
                assert_eq!(status, RegistrationStatus::Deleted, "{i}");
            }
            _ => {
                assert!(on_provider, "{i} was not chosen");
                assert_eq!(status, RegistrationStatus::Active);
            }
        }
    }
}

#[tokio::test]
async fn a_cancelled_bulk_delete_lists_what_it_did_not_start() {
    let h = Harness::start(Dialect::Generic).await;
    let mut ids = Vec::new();
    for i in 0..6 {
        ids.push(
            h.registrar
                .register(h.p(), web_client(&format!("c{i}")))
                .await
                .unwrap()
                .registration
                .client_id,
        );
    }
    let cancel = Cancel::new();
    let report = h
        .registrar
        .delete_many(
            h.p(),
            &ids,
            1,
            &|p| {
                if p.done == 2 {
                    cancel.cancel();
                }
            },
            &cancel,
        )
        .await
        .unwrap();
    assert_eq!(report.deleted(), 2);
    assert_eq!(report.skipped, ids[2..].to_vec());
    assert_eq!(h.mock.admin().client_count(), 4);
}

#[tokio::test]
async fn select_all_means_every_match_of_the_query_and_refresh_skips_deleted() {
    let h = Harness::start(Dialect::Generic).await;
    for i in 0..30 {
        h.registrar
            .register(h.p(), web_client(&format!("team {} app {i:02}", i % 3)))
            .await
            .unwrap();
    }
    let profile = h.registrar.profile(h.p()).unwrap().id;
    let query = Query {
        profile_id: Some(profile),
        text: Some("team 1".into()),
        sort: Some(Sort {
            key: SortKey::Name,
            descending: true,
        }),
        limit: 3,
        ..Default::default()
    };
    let every = h.registrar.search_every(&query).unwrap();
    let names: Vec<String> = every.iter().map(|s| s.client_name.clone().unwrap()).collect();
    assert_eq!(names.len(), 10, "every match, not a page: {names:?}");
    assert!(names.windows(2).all(|w| w[0] > w[1]), "{names:?}");
    let chosen: Vec<String> = every.iter().map(|s| s.client_id.clone()).collect();
    h.registrar.delete(h.p(), &chosen[0]).await.unwrap();
    let targets = h.registrar.refresh_targets_of(h.p(), &chosen).unwrap();
    assert_eq!(targets.len(), 9);
    let report = h.registrar.refresh_chosen(h.p(), &chosen, &|_| {}).await.unwrap();
    assert_eq!(report.items.len(), 9);
    assert_eq!(report.failed(), 0);
}
