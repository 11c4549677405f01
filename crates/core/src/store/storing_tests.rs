//! A new registration recorded while its credentials are being stored
//! ([`Store::insert_registration`]): committed only after the keychain's
//! answer, with the state it gave; and a slow answer (a prompt) never holds the database's
//! write lock while it comes.

use super::exchanges::{Exchange, HistoryFilter};
use super::registrations::{CredentialState, ProviderState};
use super::Store;
use crate::metadata::ClientMetadata;
use crate::profile::{Profile, ProviderKind};
use std::sync::mpsc;
use std::time::Duration;

fn state(client_id: &str) -> ProviderState {
    let meta = serde_json::json!({ "client_id": client_id, "client_name": "Storing" });
    ProviderState {
        client_id: client_id.into(),
        registration_client_uri: None,
        metadata_returned: ClientMetadata::from_map(meta.as_object().cloned().unwrap_or_default()),
        etag: None,
    }
}

/// The register call's exchange, not yet about any client.
fn register_call(store: &Store, profile: &Profile) -> i64 {
    store
        .insert_exchange(&Exchange {
            id: 0,
            at: 0,
            profile_id: Some(profile.id.clone()),
            client_id: None,
            operation: "register".into(),
            method: "POST".into(),
            url: "https://op.example/register".into(),
            status: Some(201),
            duration_ms: 1,
            request_headers: Vec::new(),
            request_body: None,
            response_headers: Vec::new(),
            response_body: None,
            error: None,
        })
        .expect("an exchange")
}

/// The operations of `client`'s history.
fn history_of(store: &Store, client: &str) -> Vec<String> {
    let filter = HistoryFilter {
        client_id: Some(client.into()),
        ..Default::default()
    };
    store
        .history(&filter)
        .expect("the history")
        .into_iter()
        .map(|e| e.operation)
        .collect()
}

/// Two connections to one database file, as two processes have, and a saved profile.
fn two_stores() -> (tempfile::TempDir, Store, Store, Profile) {
    let dir = tempfile::tempdir().expect("a directory");
    let path = dir.path().join("registrar.sqlite3");
    let store = Store::open(&path).expect("a database");
    let other = Store::open(&path).expect("a second connection");
    let profile = Profile::new("p", ProviderKind::Generic, "https://op.example/register");
    store.save_profile(&profile).expect("a profile");
    (dir, store, other, profile)
}

#[test]
fn the_record_commits_after_the_keychain_answers_with_its_state() {
    for answer in [CredentialState::Stored, CredentialState::NotStored] {
        let (_dir, store, other, profile) = two_stores();
        let (stored, receiver) = mpsc::channel();
        let client = format!("c-{}", answer.as_str());
        let registration = std::thread::scope(|scope| {
            let keychain = scope.spawn(|| {
                // The record is being written meanwhile; another process must not see it.
                std::thread::sleep(Duration::from_millis(30));
                let seen = other.find_registration(&profile.id, &client).expect("a read");
                stored.send(answer).expect("the recorder waits");
                seen
            });
            let call = register_call(&store, &profile);
            let registration = store
                .insert_registration(&profile.id, &state(&client), None, &receiver, None, Some(call))
                .expect("recorded");
            let seen_before = keychain.join().expect("the keychain side");
            assert!(
                seen_before.is_none(),
                "the record was committed before the keychain answered"
            );
            registration
        });
        assert_eq!(registration.credentials, answer);
        let seen = other
            .find_registration(&profile.id, &client)
            .expect("a read")
            .expect("committed");
        assert_eq!(seen, registration, "what was returned is what was committed");
        assert_eq!(
            history_of(&other, &client),
            ["register"],
            "its history starts with its registration"
        );
    }
}

#[test]
fn a_keychain_that_never_answers_leaves_a_record_not_stored() {
    let (_dir, store, _other, profile) = two_stores();
    let (stored, receiver) = mpsc::channel::<CredentialState>();
    drop(stored);
    let registration = store
        .insert_registration(&profile.id, &state("c1"), None, &receiver, None, None)
        .expect("recorded");
    assert_eq!(registration.credentials, CredentialState::NotStored);
}

#[test]
fn a_slow_answer_releases_the_write_lock_and_the_record_follows_it() {
    let (_dir, store, other, profile) = two_stores();
    let (stored, receiver) = mpsc::channel();
    let registration = std::thread::scope(|scope| {
        let prompt = scope.spawn(|| {
            // A prompt: longer than the recorder's patience. Another process writes
            // meanwhile; had the recorder kept its transaction open, this write would wait
            // for an answer that only comes after it (until SQLite's busy timeout fails it).
            std::thread::sleep(Duration::from_millis(300));
            let started = std::time::Instant::now();
            let mut renamed = profile.clone();
            renamed.name = "renamed meanwhile".into();
            let written = other.save_profile(&renamed);
            let waited = started.elapsed();
            stored.send(CredentialState::Stored).expect("the recorder waits");
            (written, waited)
        });
        let registration = store
            .insert_registration(&profile.id, &state("c1"), None, &receiver, None, None)
            .expect("recorded once the answer came");
        let (written, waited) = prompt.join().expect("the prompt side");
        written.expect("another process could write while the prompt was open");
        assert!(
            waited < Duration::from_secs(2),
            "the other write waited {waited:?} for the database's lock"
        );
        registration
    });
    assert_eq!(registration.credentials, CredentialState::Stored);
    let rows = store.list_registrations(&profile.id).expect("a list");
    assert_eq!(rows.len(), 1, "recorded once");
    assert_eq!(
        store.profile(profile.id.as_ref()).expect("the profile").name,
        "renamed meanwhile"
    );
}

/// Frames in the database's write-ahead log, as a checkpoint on `store` reports them.
fn log_frames(store: &Store) -> i64 {
    store
        .with(|c| c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(1)))
        .expect("a checkpoint")
}

/// [`two_stores`] after 40 registrations recorded the usual way: earlier commands' frames.
fn stores_with_a_long_log() -> (tempfile::TempDir, Store, Store, Profile) {
    let (dir, store, other, profile) = two_stores();
    for i in 0..40 {
        store
            .insert_registration(
                &profile.id,
                &state(&format!("earlier-{i}")),
                None,
                CredentialState::Stored,
                None,
                None,
            )
            .expect("an earlier registration");
    }
    (dir, store, other, profile)
}

#[test]
fn the_log_is_copied_back_while_the_keychain_works_and_not_once_it_has_answered() {
    // How long the log is before the record (measured on a twin: a checkpoint reports it).
    let earlier = log_frames(&stores_with_a_long_log().2);
    for keychain_answered_first in [false, true] {
        let (_dir, store, other, profile) = stores_with_a_long_log();
        let (stored, receiver) = mpsc::channel();
        if keychain_answered_first {
            stored.send(CredentialState::Stored).expect("sent");
        }
        std::thread::scope(|scope| {
            if !keychain_answered_first {
                scope.spawn(move || {
                    std::thread::sleep(Duration::from_millis(30));
                    let _ = stored.send(CredentialState::Stored);
                });
            }
            let call = register_call(&store, &profile);
            store
                .insert_registration(&profile.id, &state("new"), None, &receiver, None, Some(call))
                .expect("recorded");
        });
        assert_eq!(
            history_of(&store, "new"),
            ["register"],
            "its history starts with its registration"
        );
        let frames = log_frames(&other);
        if keychain_answered_first {
            assert!(
                frames > earlier,
                "{frames} frames: the log was copied back after the keychain answered"
            );
        } else {
            assert!(
                frames < earlier / 4,
                "{frames} frames after the record, {earlier} before it: the log was not copied back meanwhile"
            );
        }
    }
}
