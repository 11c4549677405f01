//! The search index follows what it indexes, and only that: a refresh that stores the
//! same metadata again leaves the index alone (migration 0004), a changed name or
//! redirect URI is found under its new value and no longer under the old one.

use super::registrations::{CredentialState, ProviderState};
use super::search::Query;
use super::Store;
use crate::metadata::ClientMetadata;
use crate::profile::{Profile, ProviderKind};

fn state(name: &str, redirect: &str) -> ProviderState {
    let meta = serde_json::json!({ "client_id": "c1", "client_name": name, "redirect_uris": [redirect] });
    ProviderState {
        client_id: "c1".into(),
        registration_client_uri: None,
        metadata_returned: ClientMetadata::from_map(meta.as_object().cloned().unwrap_or_default()),
        etag: None,
    }
}

fn found(store: &Store, text: &str) -> u64 {
    let q = Query {
        text: Some(text.into()),
        ..Default::default()
    };
    store.search(&q).expect("the search runs").total
}

fn total_changes(store: &Store) -> u64 {
    store.with(|c| Ok(c.total_changes())).expect("a counter")
}

#[test]
fn the_index_is_rewritten_only_when_what_it_indexes_changes() {
    let store = Store::open_in_memory().expect("a database");
    let profile = Profile::new("p", ProviderKind::Generic, "https://op.example/register");
    store.save_profile(&profile).expect("a profile");
    let first = state("Alpha portal", "https://alpha.example/cb");
    store
        .insert_registration(&profile.id, &first, None, CredentialState::Stored, None, None)
        .expect("inserted");
    assert_eq!(found(&store, "alpha portal"), 1);

    let before = total_changes(&store);
    store
        .record_provider_state(&profile.id, &first, None, None)
        .expect("the same state again");
    assert_eq!(
        total_changes(&store) - before,
        1,
        "only the registration row is written, not the index"
    );

    store
        .record_provider_state(
            &profile.id,
            &state("Bravo portal", "https://bravo.example/cb"),
            None,
            None,
        )
        .expect("a changed state");
    assert_eq!(found(&store, "alpha"), 0);
    assert_eq!(found(&store, "bravo portal"), 1);
    assert_eq!(found(&store, "bravo.example"), 1);
}
