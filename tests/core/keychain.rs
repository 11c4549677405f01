//! The real Secret Service (run under scripts/with-keychain.sh), and keychain failures.

use registrar_core::{CredentialState, Error};
use registrar_mock_op::Dialect;
use registrar_tests::{web_client, Harness, Keychain};

#[tokio::test]
async fn the_os_keychain_holds_rotated_tokens() {
    let h = Harness::with(Dialect::Generic, Keychain::Real, |c| {
        c.rotate_rat_on_read = true;
        c.require_initial_token = true;
    })
    .await;
    let reg = h
        .registrar
        .register(h.p(), web_client("real keychain"))
        .await
        .expect("register with the IAT from the keychain");
    assert!(reg.warnings.is_empty(), "{:?}", reg.warnings);
    let id = reg.registration.client_id;
    for _ in 0..3 {
        let read = h.registrar.read(h.p(), &id).await.expect("read with the rotated token");
        assert!(read.rotated_registration_access_token);
    }
    let stored = h
        .registrar
        .registration_access_token(&h.profile.id, &id)
        .unwrap()
        .unwrap();
    assert_eq!(
        Some(stored.expose().to_string()),
        h.mock.admin().registration_access_token(&id)
    );
    h.registrar.delete(h.p(), &id).await.unwrap();
    assert!(h
        .registrar
        .registration_access_token(&h.profile.id, &id)
        .unwrap()
        .is_none());
    h.registrar.remove_profile(h.p()).unwrap();
}

#[tokio::test]
async fn a_failing_keychain_after_creation_loses_nothing() {
    let h = Harness::start(Dialect::Indigo).await;
    let memory = h.memory.clone().unwrap();
    memory.set_failing(true);
    let reg = h
        .registrar
        .register(h.p(), web_client("no keychain"))
        .await
        .expect("the client is still recorded");
    assert_eq!(reg.registration.credentials, CredentialState::NotStored);
    assert!(
        reg.client_secret.is_some() && reg.registration_access_token.is_some(),
        "shown to the caller"
    );
    assert!(
        reg.warnings.iter().any(|w| w.contains("keychain")),
        "{:?}",
        reg.warnings
    );
    let err = h.registrar.read(h.p(), &reg.registration.client_id).await.unwrap_err();
    assert!(matches!(err, Error::Keychain(_)), "{err:?}");
    assert!(err.to_string().contains("gnome-keyring"), "says how to get one: {err}");
}

/// The Secret Service daemon killed between two calls of one process (gnome-keyring has been
/// seen to abort when a client vanishes mid-session; the bus starts it again): the next call
/// reconnects, negotiates a new session and finds the entry, and nothing reports an error.
/// Only under scripts/with-keychain.sh, whose private daemon this may kill.
#[tokio::test]
#[allow(clippy::print_stderr)]
async fn the_keychain_survives_its_daemon_restarting() {
    if std::env::var_os("REGISTRAR_KEYCHAIN_SESSION").is_none() {
        eprintln!("skipped: kills the Secret Service daemon, so only in scripts/with-keychain.sh's session");
        return;
    }
    let h = Harness::with(Dialect::Generic, Keychain::Real, |c| c.rotate_rat_on_read = true).await;
    let id = h
        .registrar
        .register(h.p(), web_client("daemon restart"))
        .await
        .expect("register")
        .registration
        .client_id;
    registrar_tests::keychain_daemon::kill();
    let read = h
        .registrar
        .read(h.p(), &id)
        .await
        .expect("the read reconnects to the restarted daemon");
    assert!(read.rotated_registration_access_token);
    registrar_tests::keychain_daemon::kill();
    let stored = h.registrar.registration_access_token(&h.profile.id, &id).unwrap();
    assert_eq!(
        stored.map(|s| s.expose().to_string()),
        h.mock.admin().registration_access_token(&id),
        "the rotated token was stored before the daemon died, and read after"
    );
    h.registrar.delete(h.p(), &id).await.unwrap();
}

/// The layout on the real Secret Service: a credential too long for one Windows entry comes
/// back whole, no entry's value is over the limit, and a profile's entries are listed in one
/// search (the group attribute) with every value in an envelope naming its credential.
#[tokio::test]
async fn long_credentials_are_split_on_the_real_keychain_too() {
    use registrar_core::secrets::{Labels, OsKeychain, SecretKey, SecretStore, Vault, MAX_VALUE_UNITS};
    use registrar_core::Secret;
    use std::sync::Arc;
    let keychain = Arc::new(OsKeychain::new(Some(&format!("test-{}", uuid::Uuid::new_v4()))));
    let vault = Vault::new(keychain.clone(), None);
    let profile = registrar_core::ProfileId::generate();
    let long = "eyJhbGciOiJSUzI1NiJ9.\"é😀".repeat(300);
    let key = SecretKey::registration_access_token(&profile, "long-client");
    let labels = Labels::client("real keychain", "long-client", Some("Long"));
    vault.set(&key, &Secret::new(long.as_str()), &labels).unwrap();
    vault
        .set(
            &SecretKey::client_secret(&profile, "long-client"),
            &Secret::new("short"),
            &labels,
        )
        .unwrap();
    assert_eq!(vault.get(&key).unwrap().unwrap().expose(), long);
    let raw = keychain.list(&profile).unwrap().expect("the Secret Service lists");
    assert!(raw.len() > 2, "the long token is in parts: {} entries", raw.len());
    for value in &raw {
        let units = value.expose().encode_utf16().count();
        assert!(units <= MAX_VALUE_UNITS, "an entry of {units} units");
        assert!(
            value.expose().contains(profile.as_str()),
            "each entry names its credential"
        );
    }
    vault.delete_profile(&profile, &[]).unwrap();
    assert_eq!(keychain.list(&profile).unwrap().unwrap().len(), 0, "all parts are gone");
}

/// Several entries read in one batch from the real Secret Service (every search sent at
/// once, then one GetSecrets): each comes back as its own, in the order asked, an absent
/// one as absent; and what a vault reads ahead is what a read alone gives.
#[tokio::test]
async fn a_batch_read_on_the_real_keychain_gives_each_entry_its_own_value() {
    use registrar_core::secrets::{EntryName, Labels, OsKeychain, SecretKey, SecretStore, Vault};
    use registrar_core::Secret;
    use std::sync::Arc;
    let keychain = Arc::new(OsKeychain::new(Some(&format!("test-{}", uuid::Uuid::new_v4()))));
    for (name, value) in [("alpha", "first value"), ("beta", "second value"), ("gamma", "third")] {
        let entry = EntryName {
            name,
            label: name,
            group: Some("batch"),
        };
        keychain.set(entry, &Secret::new(value)).unwrap();
    }
    let got = keychain.get_many(&["gamma", "absent", "alpha", "beta"]).unwrap();
    let got: Vec<Option<&str>> = got.iter().map(|v| v.as_ref().map(Secret::expose)).collect();
    assert_eq!(got, [Some("third"), None, Some("first value"), Some("second value")]);

    // `create` skips the search for others of the name; the daemon still replaces an item
    // of the same attributes, so a wrong "absent" never leaves two entries of one name.
    let again = EntryName {
        name: "alpha",
        label: "alpha",
        group: Some("batch"),
    };
    keychain.create(again, &Secret::new("created over")).unwrap();
    assert_eq!(keychain.get("alpha").unwrap().unwrap().expose(), "created over");
    assert_eq!(
        keychain.list("batch").unwrap().unwrap().len(),
        3,
        "alpha is still one entry"
    );

    let vault = Vault::new(keychain.clone(), None);
    let profile = registrar_core::ProfileId::generate();
    let keys = [
        SecretKey::private_key(&profile, "k1"),
        SecretKey::private_key(&profile, "k2"),
    ];
    for (i, key) in keys.iter().enumerate() {
        vault
            .set(key, &Secret::new(format!("private {i}")), &Labels::profile("batch"))
            .unwrap();
    }
    let _batch = vault.read_ahead(&keys).unwrap();
    for (i, key) in keys.iter().enumerate() {
        assert_eq!(vault.get_one(key).unwrap().unwrap().expose(), format!("private {i}"));
    }
    vault.delete_profile(&profile, &keys).unwrap();
    for name in ["alpha", "beta", "gamma"] {
        keychain.delete(name).unwrap();
    }
}

/// Where entries were last found, kept for the next process, is only ever a help: read
/// with hints that are right, swapped (each naming the other entry's item), or stale (the
/// entry rewritten, or gone), every entry reads as its own value.
#[test]
fn hints_of_where_entries_were_never_give_one_entry_another_ones_value() {
    use registrar_core::secrets::{EntryName, OsKeychain, SecretStore};
    use registrar_core::Secret;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keychain-items.json");
    let namespace = format!("test-hints-{}", uuid::Uuid::new_v4());
    // A new store each time, as a new process would have.
    let store = || OsKeychain::new(Some(&namespace)).remember_items_in(file.clone());
    let entry = |name| EntryName {
        name,
        label: name,
        group: Some("hints"),
    };
    let values = |names: &[&str]| -> Vec<Option<String>> {
        store()
            .get_many(names)
            .unwrap()
            .into_iter()
            .map(|v| v.map(|s| s.expose().to_string()))
            .collect()
    };
    let some = |v: &str| Some(v.to_string());
    store().set(entry("a"), &Secret::new("alpha")).unwrap();
    store().set(entry("b"), &Secret::new("beta")).unwrap();
    assert!(!file.exists(), "nothing is remembered before a read");
    assert_eq!(values(&["a", "b", "c"]), vec![some("alpha"), some("beta"), None]);

    let read = || -> Vec<(String, String)> { serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap() };
    let learnt = read();
    assert_eq!(learnt.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    assert!(learnt
        .iter()
        .all(|(_, path)| path.starts_with("/org/freedesktop/secrets/")));
    assert_eq!(values(&["a", "b"]), vec![some("alpha"), some("beta")], "right hints");

    let swapped = vec![
        ("a".to_string(), learnt[1].1.clone()),
        ("b".to_string(), learnt[0].1.clone()),
    ];
    std::fs::write(&file, serde_json::to_vec(&swapped).unwrap()).unwrap();
    assert_eq!(values(&["a", "b"]), vec![some("alpha"), some("beta")], "swapped hints");
    assert_eq!(read(), learnt, "and corrected");

    store().delete("a").unwrap();
    store().set(entry("a"), &Secret::new("alpha 2")).unwrap();
    store().delete("b").unwrap();
    assert_eq!(values(&["b", "a"]), vec![None, some("alpha 2")], "stale hints");
    assert_eq!(read().len(), 1, "a gone entry is forgotten");
    store().delete("a").unwrap();
}

/// An entry expected to be new is written with the search for its name in the same round
/// trip; one that was there after all is replaced in place (never two items of a name a
/// reader could pick from), and said to have been there.
#[test]
fn an_entry_expected_new_replaces_one_that_was_there_in_place() {
    use registrar_core::secrets::{EntryName, OsKeychain, Previous, SecretStore};
    use registrar_core::Secret;
    let store = OsKeychain::new(Some(&format!("test-expecting-none-{}", uuid::Uuid::new_v4())));
    let entry = EntryName {
        name: "token",
        label: "token",
        group: Some("expecting-none"),
    };
    let listed = |store: &OsKeychain| store.list("expecting-none").unwrap().unwrap().len();
    let first = store.create_expecting_none(entry, &Secret::new("first")).unwrap();
    assert!(matches!(first, Previous::None), "{first:?}");
    let again = store.create_expecting_none(entry, &Secret::new("second")).unwrap();
    assert!(
        matches!(again, Previous::Unknown),
        "replaced in place, unread: {again:?}"
    );
    assert_eq!(store.get("token").unwrap().unwrap().expose(), "second");
    assert_eq!(listed(&store), 1, "one item of the name");
    store.delete("token").unwrap();
    assert_eq!(listed(&store), 0);
}

/// Through the vault, on the real keychain: a credential long enough for parts, replaced by
/// a short one and back, leaves exactly the entries its current value needs, whether it
/// is written as a known credential or as a new client's (whose old value, if the id was
/// issued again, is replaced unread and its parts found by listing).
#[test]
fn a_credential_rewritten_between_one_and_several_entries_leaves_no_stale_part() {
    use registrar_core::secrets::{Labels, OsKeychain, SecretKey, SecretStore, Vault};
    use registrar_core::{ProfileId, Secret};
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(OsKeychain::new(Some(&format!("test-parts-{}", uuid::Uuid::new_v4()))));
    let vault = Vault::new(store.clone(), Some(dir.path().join("keychain.lock")));
    let profile = ProfileId::generate();
    let key = SecretKey::registration_access_token(&profile, "client-1");
    let labels = Labels::client("parts", "client-1", None);
    let long = "t".repeat(3000);
    let entries = || store.list(profile.as_str()).unwrap().unwrap().len();
    let one = |key: &SecretKey, value: &str| [(key.clone(), Secret::new(value))];
    vault.set(&key, &Secret::new(long.as_str()), &labels).unwrap();
    let long_entries = entries();
    assert!(
        long_entries >= 3,
        "3,000 characters take several entries: {long_entries}"
    );
    vault.set(&key, &Secret::new("short"), &labels).unwrap();
    assert_eq!(entries(), 1, "the long value's parts are removed");
    assert_eq!(vault.get(&key).unwrap().unwrap().expose(), "short");
    vault.set(&key, &Secret::new(long.as_str()), &labels).unwrap();
    assert_eq!(entries(), long_entries);
    assert_eq!(vault.get(&key).unwrap().unwrap().expose(), long);

    vault.set_new(&one(&key, "short again"), &labels).unwrap();
    assert_eq!(entries(), 1, "replaced unread: its parts found by listing and removed");
    assert_eq!(vault.get(&key).unwrap().unwrap().expose(), "short again");
    vault.set_new(&one(&key, &long), &labels).unwrap();
    assert_eq!(entries(), long_entries, "the new value's parts are kept");
    assert_eq!(vault.get(&key).unwrap().unwrap().expose(), long);
    let new_client = SecretKey::registration_access_token(&profile, "client-2");
    vault.set_new(&one(&new_client, &long), &labels).unwrap();
    assert_eq!(entries(), 2 * long_entries);
    vault.set_new(&one(&key, "short"), &labels).unwrap();
    assert_eq!(entries(), 1 + long_entries, "another client's parts are not touched");
    assert_eq!(vault.get(&new_client).unwrap().unwrap().expose(), long);
    vault.delete(&key).unwrap();
    vault.delete(&new_client).unwrap();
    assert_eq!(entries(), 0);
}
