//! Review item 2: every path that can receive credentials — bulk refresh, bulk import,
//! recovery, orphans — hands up a rotated token the keychain could not keep, as a single
//! refresh does, instead of dropping it and calling the run done.

use registrar_core::{parse_import_file, ImportRequest, Secret};
use registrar_mock_op::{Dialect, Fault};
use registrar_tests::{web_client, Harness, Keychain};

/// A mock that rotates the token on every read, with two registered clients.
async fn rotating() -> (Harness, Vec<String>) {
    let h = Harness::with(Dialect::Generic, Keychain::Memory, |c| c.rotate_rat_on_read = true).await;
    let mut ids = Vec::new();
    for name in ["one", "two"] {
        ids.push(
            h.registrar
                .register(h.p(), web_client(name))
                .await
                .unwrap()
                .registration
                .client_id,
        );
    }
    (h, ids)
}

#[tokio::test]
async fn bulk_refresh_hands_up_every_rotated_token_it_could_not_keep() {
    let (h, ids) = rotating().await;
    h.memory.as_ref().unwrap().set_refusing_writes(true);
    let targets = h.registrar.refresh_targets(Some(&h.profile.id)).unwrap();
    let report = h
        .registrar
        .refresh_many(&targets, 2, &|_| {}, &Default::default())
        .await
        .unwrap();
    let unstored = report.unstored();
    assert_eq!(unstored.len(), 2, "{report:?}");
    for id in &ids {
        let u = unstored.iter().find(|u| &u.client_id == id).expect("each client");
        assert_eq!(
            u.registration_access_token.as_ref().map(Secret::expose),
            h.mock.admin().registration_access_token(id).as_deref(),
            "the token handed up is the provider's current one"
        );
    }
    let json = serde_json::to_string(&report).unwrap();
    assert!(
        json.contains(unstored[0].registration_access_token.as_ref().unwrap().expose()),
        "serialized for the shells"
    );
}

#[tokio::test]
async fn bulk_import_hands_up_a_token_its_adopting_read_rotated() {
    let (h, ids) = rotating().await;
    let token = h.mock.admin().registration_access_token(&ids[0]).unwrap();
    let uri = h
        .registrar
        .registration(h.p(), &ids[0])
        .unwrap()
        .registration_client_uri;
    h.registrar.forget(h.p(), &ids[0]).unwrap();
    let file = serde_json::json!([{"client_id": ids[0], "registration_access_token": token,
                                   "registration_client_uri": uri}]);
    let requests: Vec<ImportRequest> = parse_import_file(&file.to_string()).unwrap();
    // The given token is stored; the one the adopting read rotates to is refused.
    h.memory.as_ref().unwrap().refuse_writes_after(1);
    let results = h.registrar.import_many(h.p(), requests).await.unwrap();
    assert!(results[0].error.is_none(), "{results:?}");
    let unstored = results[0].unstored.as_ref().expect("handed up, not dropped");
    assert_eq!(
        unstored.registration_access_token.as_ref().map(Secret::expose),
        h.mock.admin().registration_access_token(&ids[0]).as_deref()
    );
}

#[tokio::test]
async fn orphans_hand_up_what_their_checking_reads_rotated() {
    let (h, _ids) = rotating().await;
    h.memory.as_ref().unwrap().set_refusing_writes(true);
    let report = h.registrar.orphans(h.p(), None).await.unwrap();
    assert_eq!(report.unstored.len(), 2, "{report:?}");
}

#[tokio::test]
async fn recovery_hands_up_what_its_read_rotated_and_keeps_the_entry_open() {
    let (h, ids) = rotating().await;
    // A read answered 503 (the provider may have acted): the client is pending recovery.
    h.mock.admin().inject(Fault::Status { status: 503, count: 1 });
    assert!(h.registrar.read(h.p(), &ids[0]).await.is_err());
    assert_eq!(h.registrar.unresolved().unwrap().len(), 1);
    h.memory.as_ref().unwrap().set_refusing_writes(true);
    let items = h.registrar.recover(h.p()).await.unwrap();
    let item = items
        .iter()
        .find(|i| i.entry.client_id.as_deref() == Some(ids[0].as_str()))
        .unwrap();
    let unstored = item.unstored.as_ref().expect("handed up");
    assert_eq!(
        unstored.registration_access_token.as_ref().map(Secret::expose),
        h.mock.admin().registration_access_token(&ids[0]).as_deref()
    );
    assert!(!item.resolved, "not done until the token is kept");
    assert_eq!(h.registrar.unresolved().unwrap().len(), 1);
}
