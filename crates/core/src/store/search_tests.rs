//! The count cap and the two ways a text search finds its page: whichever way is taken,
//! the rows and their order are the same, and the plans walk the list's indexes instead
//! of sorting every match.

use super::*;
use crate::metadata::ClientMetadata;
use crate::profile::{Profile, ProviderKind};
use crate::store::registrations::ProviderState;
use crate::ProfileId;

fn client(id: &str, name: &str, redirect: &str, contact: &str) -> ProviderState {
    let meta = serde_json::json!({
        "client_id": id,
        "client_name": name,
        "redirect_uris": [redirect],
        "contacts": [contact],
    });
    ProviderState {
        client_id: id.into(),
        registration_client_uri: None,
        metadata_returned: ClientMetadata::from_map(meta.as_object().cloned().unwrap_or_default()),
        etag: None,
    }
}

fn store_with(profiles: &[&str]) -> (Store, Vec<ProfileId>) {
    let store = Store::open_in_memory().expect("a database");
    let ids = profiles
        .iter()
        .map(|name| {
            let profile = Profile::new(*name, ProviderKind::Generic, "https://op.example/register");
            store.save_profile(&profile).expect("a profile");
            profile.id
        })
        .collect();
    (store, ids)
}

fn add(store: &Store, profile: &ProfileId, state: &ProviderState) {
    store
        .insert_registration(profile, state, None, CredentialState::Stored, None, None)
        .expect("inserted");
}

/// A profile with `n` clients whose names sort in another order than their insertion, all
/// with a redirect URI under example.org, every third with "42" in its name.
fn many(n: usize) -> (Store, ProfileId) {
    let (store, ids) = store_with(&["p", "other"]);
    for i in 0..n {
        let name = format!(
            "{} client {}",
            ["Zeta", "alpha", "Mid"][i % 3],
            if i % 3 == 0 { 4200 + i } else { i }
        );
        let state = client(
            &format!("c{i:04}"),
            &name,
            &format!("https://app{i}.example.org/cb"),
            "ops@corp.example",
        );
        add(&store, &ids[0], &state);
    }
    // Rows of another profile that also match: a profile's list never shows them.
    add(
        &store,
        &ids[1],
        &client("x1", "alpha elsewhere", "https://x.example.org/cb", "x@x"),
    );
    (store, ids[0].clone())
}

fn query(profile: &ProfileId, text: &str, offset: u32, limit: u32) -> Query {
    Query {
        profile_id: Some(profile.clone()),
        text: Some(text.into()),
        offset,
        limit,
        ..Default::default()
    }
}

fn ids_of(page: &Page) -> Vec<String> {
    ids_of_all(&page.items)
}

fn ids_of_all(items: &[Summary]) -> Vec<String> {
    items.iter().map(|s| s.client_id.clone()).collect()
}

const fn bounds(cap: u64, enumerated: u64, window: u64) -> Bounds {
    Bounds {
        cap,
        enumerated,
        window,
    }
}

/// Large enough for every match to be counted and sorted.
const EXACT: Bounds = bounds(1000, 1000, 1000);
/// Bounds that send the searches of `many(60)` down every path: looked up and sorted
/// (few matches), walked among the ids, checked in a window that holds the page or not.
const SMALL: [Bounds; 6] = [
    bounds(5, 1000, 1000),
    bounds(5, 10, 1000),
    bounds(5, 10, 30),
    bounds(5, 10, 8),
    bounds(0, 0, 0),
    // More than read from the index still counts as more, whatever the cap.
    bounds(100, 10, 30),
];

/// Every match in list order, read page by page.
fn all_pages(store: &Store, profile: &ProfileId, text: &str, within: Bounds) -> Vec<String> {
    let mut out = Vec::new();
    for offset in (0..200).step_by(7) {
        let page = store
            .search_within(&query(profile, text, offset, 7), within)
            .expect("a page");
        out.extend(ids_of(&page));
    }
    out
}

#[test]
fn counts_stop_at_the_cap_and_say_so() {
    let (store, profile) = many(60);
    for text in ["example.org", "42", "alpha", "zeta"] {
        let exact = store
            .search_within(&query(&profile, text, 0, 5), EXACT)
            .expect("a page");
        assert!(!exact.total_capped, "{text}");
        assert!(exact.total > 10, "{text}: {}", exact.total);
        for within in [bounds(10, 1000, 1000), bounds(10, 15, 1000), bounds(10, 15, 4)] {
            let capped = store
                .search_within(&query(&profile, text, 0, 5), within)
                .expect("a page");
            assert_eq!((capped.total, capped.total_capped), (10, true), "{text} {within:?}");
            assert_eq!(
                ids_of(&capped),
                ids_of(&exact),
                "{text} {within:?}: the same first page"
            );
        }
        // Exactly at the cap is still exact.
        let at = store
            .search_within(&query(&profile, text, 0, 5), bounds(exact.total, 1000, 1000))
            .expect("a page");
        assert_eq!((at.total, at.total_capped), (exact.total, false), "{text}");
    }
    assert_eq!(
        store
            .search(&query(&profile, "example.org", 0, 5))
            .expect("a page")
            .total,
        60
    );
    // Past the cap, the lower bound includes what the page shows.
    for within in [bounds(10, 1000, 1000), bounds(10, 15, 4)] {
        let deep = store
            .search_within(&query(&profile, "example.org", 20, 7), within)
            .expect("a page");
        assert_eq!(
            (deep.total, deep.total_capped, deep.items.len()),
            (27, true, 7),
            "{within:?}"
        );
    }
    // Without text the count is exact, whatever the cap.
    let list = Query {
        profile_id: Some(profile.clone()),
        ..Default::default()
    };
    let page = store.search_within(&list, bounds(10, 10, 10)).expect("a page");
    assert_eq!((page.total, page.total_capped), (60, false));
}

#[test]
fn more_matches_than_read_from_the_index_count_as_a_lower_bound() {
    // 40 matches in another profile, read from the index first; 5 in this one.
    let (store, ids) = store_with(&["other", "p"]);
    for (profile, n) in [(&ids[0], 40), (&ids[1], 5)] {
        for i in 0..n {
            let state = client(
                &format!("c{i}"),
                &format!("client {i}"),
                "https://a.example.org/cb",
                "a@a",
            );
            add(&store, profile, &state);
        }
    }
    let page = store
        .search_within(&query(&ids[1], "example.org", 0, 3), bounds(10, 20, 1000))
        .expect("a page");
    assert_eq!((page.total, page.total_capped, page.items.len()), (3, true, 3));
    let rest = store
        .search_within(&query(&ids[1], "example.org", 3, 3), bounds(10, 20, 1000))
        .expect("a page");
    assert_eq!((rest.total, rest.total_capped, rest.items.len()), (5, true, 2));
    let exact = store
        .search_within(&query(&ids[1], "example.org", 0, 3), EXACT)
        .expect("a page");
    assert_eq!((exact.total, exact.total_capped), (5, false));
    assert_eq!(ids_of(&exact), ids_of(&page));
}

#[test]
fn whichever_way_the_pages_are_the_same_rows_in_the_same_order() {
    let (store, profile) = many(60);
    let texts = [
        "example.org",
        "app1",
        "42",
        "a",
        "ALPHA",
        "zeta",
        "client 4",
        "c00",
        "nothing like it",
    ];
    for text in texts {
        let exact = all_pages(&store, &profile, text, EXACT);
        for within in SMALL {
            assert_eq!(all_pages(&store, &profile, text, within), exact, "{text}, {within:?}");
        }
        let names: Vec<String> = exact
            .iter()
            .map(|id| {
                store
                    .registration(&profile, id)
                    .expect("a row")
                    .client_name
                    .unwrap_or_default()
                    .to_lowercase()
            })
            .collect();
        assert!(names.windows(2).all(|w| w[0] <= w[1]), "{text}: list order");
    }
    assert_eq!(all_pages(&store, &profile, "example.org", SMALL[3]).len(), 60);
    assert_eq!(all_pages(&store, &profile, "zeta", SMALL[3]).len(), 20);
    assert!(all_pages(&store, &profile, "nothing like it", SMALL[2]).is_empty());
}

#[test]
fn other_filters_and_orders_take_the_same_paths() {
    let (store, profile) = many(60);
    store
        .set_registration_status(&profile, "c0007", RegistrationStatus::Deleted)
        .expect("a status");
    store
        .with(|c| c.execute("UPDATE registrations SET client_secret_expires_at = 1000 + id % 7", []))
        .expect("expiries");
    let cases = [
        Query {
            status: Some(RegistrationStatus::Active),
            ..query(&profile, "example.org", 0, 7)
        },
        Query {
            expiring_within_secs: Some(0),
            ..query(&profile, "example.org", 0, 7)
        },
        Query {
            profile_id: None,
            ..query(&profile, "alpha", 0, 7)
        },
    ];
    for q in cases {
        let mut exact = Vec::new();
        let mut pages: Vec<Vec<String>> = vec![Vec::new(); SMALL.len()];
        for offset in (0..70).step_by(7) {
            let q = Query { offset, ..q.clone() };
            exact.extend(ids_of(&store.search_within(&q, EXACT).expect("a page")));
            for (out, within) in pages.iter_mut().zip(SMALL) {
                out.extend(ids_of(&store.search_within(&q, within).expect("a page")));
            }
        }
        assert!(!exact.is_empty(), "{q:?}");
        for (out, within) in pages.iter().zip(SMALL) {
            assert_eq!(out, &exact, "{q:?} {within:?}");
        }
    }
}

#[test]
fn the_row_check_folds_case_as_the_trigram_index_does() {
    let (store, ids) = store_with(&["p"]);
    let names = [
        "ÄRZTE Portal",
        "Straße",
        "ΣΊΣΥΦΟΣ service",
        "İstanbul office",
        "KELVIN \u{212A} scale",
        "mixed CaSe ascii",
        "tab\tand \"quotes\"",
    ];
    for (i, name) in names.iter().enumerate() {
        add(
            &store,
            &ids[0],
            &client(&format!("c{i}"), name, "https://a.example/cb", "a@a"),
        );
    }
    let texts = [
        "ärzte",
        "ÄRZ",
        "straße",
        "STRASSE",
        "σίσυφος",
        "ΣΊΣ",
        "istanbul",
        "i̇stanbul",
        "kelvin k",
        "\u{212A} sc",
        "k s",
        "case asc",
        "MIXED",
        "\tand",
        "\"quotes\"",
        "e p",
    ];
    for text in texts {
        let by_index = all_pages(&store, &ids[0], text, EXACT);
        let by_rows = all_pages(&store, &ids[0], text, bounds(0, 0, 1000));
        assert_eq!(by_rows, by_index, "{text:?}");
    }
}

/// The query plan of `sql`, its parameters unbound.
fn plan(store: &Store, sql: &str) -> String {
    store
        .with(|c| {
            let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
            let unbound = vec![Sql::Null; stmt.parameter_count()];
            let rows = stmt.query_map(params_from_iter(unbound.iter()), |r| r.get::<_, String>(3))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })
        .expect("a plan")
        .join("; ")
}

#[test]
fn walks_follow_the_list_indexes_without_sorting() {
    let (store, profile) = many(10);
    let profiles = Filter::new(&query(&profile, "x", 0, 1));
    let everywhere = Filter::new(&Query::default());
    let walks = [
        (sql::walk(&profiles, &[]), "registrations_list "),
        (sql::walk(&everywhere, &[]), "registrations_list_all"),
        (
            sql::ids(&profiles, &[SHORT_TEXT], Some(10)),
            "COVERING INDEX registrations_list ",
        ),
        (
            sql::ids(&everywhere, &[SHORT_TEXT], Some(10)),
            "COVERING INDEX registrations_list_all",
        ),
        // Rows are read for the page's columns, after the index's columns passed the LIKE.
        (sql::walk(&profiles, &[SHORT_TEXT]), "registrations_list "),
        (
            sql::ids(&profiles, &[WALKED], Some(10)),
            "COVERING INDEX registrations_list ",
        ),
        (
            sql::ids(&everywhere, &[WALKED], Some(10)),
            "COVERING INDEX registrations_list_all",
        ),
        (sql::walk(&profiles, &[WALKED]), "registrations_list "),
        (sql::count_to(&profiles, &[WALKED], 10), "COVERING INDEX"),
        (sql::count(&profiles), "COVERING INDEX"),
    ];
    for (sql, index) in walks {
        let plan = plan(&store, &sql);
        assert!(plan.contains(index), "{sql}\n{plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{sql}\n{plan}");
    }
    // Few ids are looked up one by one, then sorted.
    let looked_up = plan(&store, &sql::looked_up(&profiles));
    assert!(looked_up.contains("INTEGER PRIMARY KEY"), "{looked_up}");
    assert!(!looked_up.contains("registrations_list"), "{looked_up}");
    // The window is the head of the list's index; only its matches are sorted.
    let window = plan(&store, &sql::in_window(&profiles, 10));
    assert!(window.contains("COVERING INDEX registrations_list "), "{window}");
    assert!(window.contains("VIRTUAL TABLE INDEX 0:="), "{window}");
}

#[test]
fn the_cap_flag_is_left_out_when_the_count_is_exact() {
    let page = Page {
        items: Vec::new(),
        total: 3,
        total_capped: false,
        offset: 0,
    };
    let json = serde_json::to_value(&page).expect("json");
    assert_eq!(json, serde_json::json!({"items": [], "total": 3, "offset": 0}));
    let capped = Page {
        total_capped: true,
        ..page.clone()
    };
    assert_eq!(serde_json::to_value(&capped).expect("json")["total_capped"], true);
    let read: Page = serde_json::from_value(json).expect("an older answer still reads");
    assert_eq!(read, page);
}

#[test]
fn deleted_clients_are_left_out_when_asked() {
    let (store, ids) = store_with(&["p"]);
    for (id, name) in [("a", "Alive"), ("d", "Deleted"), ("r", "Recovering")] {
        add(&store, &ids[0], &client(id, name, "https://a.example/cb", "x@x"));
    }
    store
        .set_registration_status(&ids[0], "d", RegistrationStatus::Deleted)
        .expect("marked deleted");
    store
        .set_registration_status(&ids[0], "r", RegistrationStatus::PendingRecovery)
        .expect("marked pending");
    let list = |exclude_deleted: bool, status: Option<RegistrationStatus>| {
        let page = store
            .search(&Query {
                profile_id: Some(ids[0].clone()),
                status,
                exclude_deleted,
                ..Default::default()
            })
            .expect("a page");
        (ids_of(&page), page.total)
    };
    assert_eq!(list(false, None), (vec!["a".into(), "d".into(), "r".into()], 3));
    assert_eq!(list(true, None), (vec!["a".into(), "r".into()], 2));
    assert_eq!(list(false, Some(RegistrationStatus::Deleted)), (vec!["d".into()], 1));
    assert_eq!(list(true, Some(RegistrationStatus::Deleted)), (vec![], 0));
}

/// What a sort reads of a row, by client id: its row id, name, status, expiry, last sync.
type Row = (i64, Option<String>, String, Option<i64>, Option<i64>);

fn rows_of(store: &Store) -> std::collections::HashMap<String, Row> {
    store
        .with(|c| {
            let mut stmt = c.prepare(
                "SELECT client_id, id, client_name, status, client_secret_expires_at, last_synced_at FROM registrations",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
            })?;
            rows.collect::<rusqlite::Result<_>>()
        })
        .expect("rows")
}

/// `ids` sorted as `sort` says, in Rust, from the rows' values.
fn sorted_in_rust(ids: &[String], rows: &std::collections::HashMap<String, Row>, sort: Sort) -> Vec<String> {
    use std::cmp::Ordering;
    let nocase = |name: &Option<String>| name.as_deref().map(str::to_ascii_lowercase);
    let expiry = |at: Option<i64>| at.filter(|&at| at != 0).unwrap_or(i64::MAX);
    let mut out = ids.to_vec();
    out.sort_by(|a, b| {
        let (ra, rb) = (&rows[a], &rows[b]);
        let by: Ordering = match sort.key {
            SortKey::Name => nocase(&ra.1).cmp(&nocase(&rb.1)),
            SortKey::ClientId => a.as_bytes().cmp(b.as_bytes()),
            SortKey::Status => ra.2.cmp(&rb.2).then_with(|| nocase(&ra.1).cmp(&nocase(&rb.1))),
            SortKey::SecretExpiry => expiry(ra.3).cmp(&expiry(rb.3)),
            SortKey::LastSynced => ra.4.cmp(&rb.4),
        };
        let by = by.then(ra.0.cmp(&rb.0));
        if sort.descending {
            by.reverse()
        } else {
            by
        }
    });
    out
}

const SORT_KEYS: [SortKey; 5] = [
    SortKey::Name,
    SortKey::ClientId,
    SortKey::Status,
    SortKey::SecretExpiry,
    SortKey::LastSynced,
];

/// `many(60)` with ties and gaps in every sorted column: some names missing, expiries of
/// never (0) and unknown, clients never synced, three statuses.
fn many_to_sort() -> (Store, ProfileId) {
    let (store, profile) = many(60);
    store
        .with(|c| {
            c.execute_batch(
                "UPDATE registrations SET
                     client_secret_expires_at = CASE id % 4 WHEN 0 THEN 0 WHEN 1 THEN NULL ELSE 1000 + id % 7 END,
                     last_synced_at = CASE id % 5 WHEN 0 THEN NULL ELSE 5000 + id % 3 END,
                     status = CASE id % 6 WHEN 0 THEN 'deleted' WHEN 1 THEN 'pending_recovery' ELSE status END;
                 UPDATE registrations SET client_name = NULL WHERE id % 11 = 0;",
            )
        })
        .expect("values to sort by");
    (store, profile)
}

#[test]
fn every_sort_orders_the_matches_on_every_path() {
    let (store, profile) = many_to_sort();
    let rows = rows_of(&store);
    let texts = [
        None,
        Some("example.org"),
        Some("42"),
        Some("a"),
        Some("zeta"),
        Some("client 4"),
        Some("nothing like it"),
    ];
    let statuses = [
        None,
        Some(RegistrationStatus::Active),
        Some(RegistrationStatus::Deleted),
    ];
    for text in texts {
        for status in statuses {
            let base = Query {
                profile_id: Some(profile.clone()),
                text: text.map(str::to_owned),
                status,
                limit: 7,
                ..Default::default()
            };
            let pages = |q: &Query, within: Bounds| -> Vec<String> {
                let mut out = Vec::new();
                for offset in (0..70).step_by(7) {
                    let q = Query { offset, ..q.clone() };
                    out.extend(ids_of(&store.search_within(&q, within).expect("a page")));
                }
                out
            };
            let matches = pages(&base, EXACT);
            for key in SORT_KEYS {
                for descending in [false, true] {
                    let sort = Sort { key, descending };
                    let q = Query {
                        sort: Some(sort),
                        ..base.clone()
                    };
                    let expected = sorted_in_rust(&matches, &rows, sort);
                    assert_eq!(pages(&q, EXACT), expected, "{text:?} {status:?} {sort:?}");
                    let every = store.search_every(&q).expect("every match");
                    assert_eq!(ids_of_all(&every), expected, "all of {text:?} {status:?} {sort:?}");
                    for within in SMALL {
                        assert_eq!(pages(&q, within), expected, "{text:?} {status:?} {sort:?} {within:?}");
                    }
                }
            }
        }
    }
}

#[test]
fn a_sort_is_not_the_default_order_and_reverses() {
    let (store, profile) = many_to_sort();
    let q = |sort: Option<Sort>| Query {
        profile_id: Some(profile.clone()),
        sort,
        limit: 100,
        ..Default::default()
    };
    let default = ids_of(&store.search(&q(None)).expect("a page"));
    assert_eq!(
        default,
        ids_of(&store.search(&q(Some(Sort::default()))).expect("a page"))
    );
    let by_id = ids_of(
        &store
            .search(&q(Some(Sort {
                key: SortKey::ClientId,
                descending: false,
            })))
            .expect("a page"),
    );
    assert_ne!(by_id, default);
    assert_eq!(by_id.first().map(String::as_str), Some("c0000"));
    assert_eq!(by_id.last().map(String::as_str), Some("c0059"));
    let mut reversed = ids_of(
        &store
            .search(&q(Some(Sort {
                key: SortKey::ClientId,
                descending: true,
            })))
            .expect("a page"),
    );
    reversed.reverse();
    assert_eq!(reversed, by_id);
    // A secret that never expires sorts after every one that does, either way round.
    let expiry = store
        .search(&q(Some(Sort {
            key: SortKey::SecretExpiry,
            descending: false,
        })))
        .expect("a page");
    let first_never = expiry
        .items
        .iter()
        .position(|s| matches!(s.client_secret_expires_at, None | Some(0)))
        .expect("one never expires");
    assert!(first_never > 0);
    assert!(expiry.items[first_never..]
        .iter()
        .all(|s| matches!(s.client_secret_expires_at, None | Some(0))));
    // The expiring filter keeps its own order unless a sort is asked for.
    let expiring = |sort| Query {
        expiring_within_secs: Some(0),
        ..q(sort)
    };
    let soonest = store.search(&expiring(None)).expect("a page");
    assert!(soonest
        .items
        .windows(2)
        .all(|w| w[0].client_secret_expires_at <= w[1].client_secret_expires_at));
    let by_name = store
        .search(&expiring(Some(Sort {
            key: SortKey::Name,
            descending: true,
        })))
        .expect("a page");
    assert_eq!(by_name.total, soonest.total);
    assert_ne!(ids_of(&by_name), ids_of(&soonest));
}

#[test]
fn sorted_walks_follow_their_indexes_without_sorting() {
    let (store, profile) = many(10);
    let cases = [
        (SortKey::Name, "registrations_list "),
        (SortKey::ClientId, "registrations_by_client_id"),
        (SortKey::Status, "registrations_by_status"),
        (SortKey::SecretExpiry, "registrations_by_expiry"),
        (SortKey::LastSynced, "registrations_by_synced"),
    ];
    for (key, index) in cases {
        for descending in [false, true] {
            // The list's default filter leaves deleted clients out (`status <>`), which no
            // index seeks: the walk is the order's index all the same.
            for (status, exclude_deleted) in [(None, false), (Some(RegistrationStatus::Active), false), (None, true)] {
                let filter = Filter::new(&Query {
                    status,
                    exclude_deleted,
                    sort: Some(Sort { key, descending }),
                    ..query(&profile, "x", 0, 1)
                });
                // With a status to match, the status's index walks the name order too.
                let index = match (key, status) {
                    (SortKey::Name, Some(_)) => "registrations_by_status",
                    _ => index,
                };
                // The ids walks read only the index; a walk for a page's rows may take the
                // unique (profile_id, client_id) index instead, as ordered and as short.
                let covered = [
                    sql::ids(&filter, &[SHORT_TEXT], Some(10)),
                    sql::ids(&filter, &[WALKED], Some(10)),
                    sql::in_window(&filter, 10),
                ];
                for sql in covered {
                    let plan = plan(&store, &sql);
                    // The unique (profile_id, client_id) index is as good where it covers.
                    let unique =
                        key == SortKey::ClientId && plan.contains("COVERING INDEX sqlite_autoindex_registrations_1");
                    assert!(
                        plan.contains(&format!("COVERING INDEX {index}")) || unique,
                        "{sql}\n{plan}"
                    );
                    if !sql.contains("MATERIALIZED") {
                        assert!(!plan.contains("TEMP B-TREE"), "{sql}\n{plan}");
                    }
                }
                for sql in [sql::walk(&filter, &[]), sql::walk(&filter, &[WALKED])] {
                    let plan = plan(&store, &sql);
                    assert!(plan.contains("USING INDEX"), "{sql}\n{plan}");
                    assert!(!plan.contains("TEMP B-TREE"), "{sql}\n{plan}");
                }
            }
        }
    }
}
