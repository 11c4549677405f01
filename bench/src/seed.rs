//! Databases with many registrations, written straight into SQLite in one transaction: a
//! search or list benchmark needs 100,000 rows in seconds, not 100,000 registrations over
//! HTTP. The rows go through the real schema (migrations, FTS triggers), so the indexes a
//! search uses are the ones a user's database has.

use registrar_core::http::ReqwestFactory;
use registrar_core::secrets::MemoryStore;
use registrar_core::Store;
use registrar_core::{Profile, ProfileSecrets, ProviderKind, Registrar};
use std::path::Path;
use std::sync::Arc;

/// One in 25,000 clients is named "Needle ...": a selective text search finds a handful.
pub const NEEDLE: &str = "Needle";
/// Every client has a redirect URI under this domain: a broad text search matches them all.
pub const BROAD: &str = "example.org";

const TEAMS: [&str; 8] = [
    "Billing",
    "Payroll",
    "Inventory",
    "Reporting",
    "Checkout",
    "Support desk",
    "Analytics",
    "Onboarding",
];
const KINDS: [&str; 4] = ["portal", "API", "worker", "console"];

/// Creates (or reuses) the database in `dir`, adds a profile named `profile_name` pointing
/// at `registration_endpoint`, and inserts `count` registrations for it. Returns the profile.
pub fn seed_database(dir: &Path, profile_name: &str, registration_endpoint: &str, count: usize) -> Profile {
    let db = dir.join("registrar.sqlite3");
    let store = Store::open(&db).expect("the database opens (and is migrated)");
    // The keychain is not involved: a generic profile without an initial access token
    // has no secret to store.
    let registrar = Registrar::with_parts(store, Arc::new(MemoryStore::new()), Arc::new(ReqwestFactory::new()));
    let mut profile = Profile::new(profile_name, ProviderKind::Generic, registration_endpoint);
    profile.issuer = registration_endpoint.strip_suffix("/register").map(str::to_string);
    let profile = registrar
        .save_profile(&profile, &ProfileSecrets::default())
        .expect("the bench profile is valid");
    drop(registrar);
    insert_rows(&db, &profile.id, registration_endpoint, count).expect("rows insert");
    profile
}

/// The engine over a seeded database, for reading it: searches go through
/// `Registrar::search`, as the shells' do. No keychain (nothing read needs one) and no
/// recovery pass (a seeded database has no journal).
pub fn reader(db: &Path) -> Registrar {
    let store = Store::open(db).expect("the database opens");
    Registrar::with_parts(store, Arc::new(MemoryStore::new()), Arc::new(ReqwestFactory::new()))
}

fn insert_rows(db: &Path, profile_id: &str, endpoint: &str, count: usize) -> rusqlite::Result<()> {
    let mut conn = rusqlite::Connection::open(db)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare(
            "INSERT INTO registrations (profile_id, client_id, client_name, registration_client_uri,
                metadata_sent, metadata_returned, client_id_issued_at, client_secret_expires_at, status,
                credentials, created_at, updated_at, last_synced_at)
             VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6, ?7, ?8, 'stored', ?6, ?6, ?6)",
        )?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        for i in 0..count {
            let (client_id, name) = identity(i);
            let uri = format!("{endpoint}/{client_id}");
            let expires = if i % 100 == 0 {
                now + (i as i64 % 90) * 86_400
            } else {
                0
            };
            let meta = metadata(i, &client_id, &name, &uri, now, expires);
            let status = if i % 50 == 0 { "deleted" } else { "active" };
            stmt.execute(rusqlite::params![
                profile_id,
                client_id,
                name,
                uri,
                meta.to_string(),
                now - (i as i64 % 1000) * 3600,
                expires,
                status
            ])?;
        }
    }
    tx.commit()
}

/// A client id shaped like the generic mock's, and a name people would give.
fn identity(i: usize) -> (String, String) {
    let client_id = format!("c{i:07}-{:08x}", (i as u64).wrapping_mul(0x9E37_79B9) as u32);
    let name = if i % 25_000 == 7 {
        format!("{NEEDLE} service {i}")
    } else {
        format!(
            "{} {} {i}",
            TEAMS[i % TEAMS.len()],
            KINDS[(i / TEAMS.len()) % KINDS.len()]
        )
    };
    (client_id, name)
}

fn metadata(i: usize, client_id: &str, name: &str, uri: &str, now: i64, expires: i64) -> serde_json::Value {
    serde_json::json!({
        "client_id": client_id,
        "client_id_issued_at": now,
        "client_secret_expires_at": expires,
        "registration_client_uri": uri,
        "client_name": name,
        "redirect_uris": [
            format!("https://app{i}.{BROAD}/callback"),
            format!("https://app{i}.{BROAD}/silent-renew"),
        ],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "client_secret_basic",
        "contacts": [format!("team{}@corp.{BROAD}", i % 300)],
        "scope": "openid profile email",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use registrar_core::Query;

    #[test]
    fn seeded_rows_are_searchable() {
        let dir = tempfile::tempdir().unwrap();
        let profile = seed_database(dir.path(), "bench", "http://127.0.0.1:9/register", 30_000);
        let store = reader(&dir.path().join("registrar.sqlite3"));
        let all = store
            .search(&Query {
                profile_id: Some(profile.id),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(all.total, 30_000);
        let needles = store
            .search(&Query {
                text: Some(NEEDLE.into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(needles.total, 2, "clients 7 and 25,007");
    }
}
