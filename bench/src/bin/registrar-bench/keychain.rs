//! `registrar-bench keychain`: what one keychain operation costs, for finding where the
//! time of the CLI and of bulk refresh goes. Times each operation of the real keychain
//! (a namespace of its own, emptied afterwards) next to the memory one.

use registrar_bench::stats::{median, ms};
use registrar_core::secrets::EntryName;
use registrar_core::secrets::{MemoryStore, OsKeychain, SecretKey, SecretStore};
use registrar_core::Secret;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Operations of each kind.
    #[arg(long, default_value_t = 50)]
    ops: usize,
    /// Entries written beforehand (a keychain with many clients searches more).
    #[arg(long, default_value_t = 0)]
    prefill: usize,
    /// Clients whose credentials the vault then reads back at once, as bulk refresh does
    /// (0: skip).
    #[arg(long, default_value_t = 0)]
    vault_clients: usize,
}

pub fn run(args: Args) -> crate::Result {
    if !registrar_bench::fixtures::real_keychain_available() {
        return Err("no private Secret Service session: run under scripts/with-keychain.sh".into());
    }
    let real = OsKeychain::new(Some(&format!("bench-{}", uuid::Uuid::new_v4())));
    let memory = MemoryStore::new();
    for (name, store) in [("keyring", &real as &dyn SecretStore), ("memory", &memory)] {
        let fill: Vec<String> = (0..args.prefill)
            .map(|i| SecretKey::client_secret(&"p".into(), &format!("fill{i}")).name())
            .collect();
        for k in &fill {
            store.set(entry(k), &Secret::new("x"))?;
        }
        let keys: Vec<String> = (0..args.ops)
            .map(|i| SecretKey::registration_access_token(&"p".into(), &format!("c{i}")).name())
            .collect();
        let value = Secret::new("a-registration-access-token-of-typical-length-000");
        let time = |f: &dyn Fn(&str) -> crate::Result| -> crate::Result<f64> {
            let mut t = Vec::new();
            for k in &keys {
                let start = Instant::now();
                f(k)?;
                t.push(ms(start.elapsed()));
            }
            Ok(median(&t))
        };
        let missing = time(&|k| store.get(k).map(|_| ()).map_err(Into::into))?;
        let create = time(&|k| store.set(entry(k), &value).map_err(Into::into))?;
        let get = time(&|k| store.get(k).map(|_| ()).map_err(Into::into))?;
        let replace = time(&|k| store.set(entry(k), &value).map_err(Into::into))?;
        let delete = time(&|k| store.delete(k).map_err(Into::into))?;
        for k in &fill {
            store.delete(k)?;
        }
        println!(
            "{name:8} median ms: get {get:.3}, get (absent) {missing:.3}, set (new) {create:.3}, \
             set (existing) {replace:.3}, delete {delete:.3}  [{} ops each, {} entries prefilled]",
            args.ops, args.prefill
        );
    }
    #[cfg(target_os = "linux")]
    session_cost(args.ops)?;
    if args.vault_clients > 0 {
        vault_listing(args.vault_clients)?;
    }
    Ok(())
}

/// Bulk refresh reads every client's token and secret. The vault lists a profile's entries
/// (`SearchItems` + `GetSecrets` on the Secret Service) instead of reading them one by one:
/// this times that first read on the real keychain, from a process with no copy yet.
fn vault_listing(clients: usize) -> crate::Result {
    use registrar_core::secrets::{Labels, Vault};
    use std::sync::Arc;
    let keychain: Arc<dyn SecretStore> = Arc::new(OsKeychain::new(Some(&format!("bench-{}", uuid::Uuid::new_v4()))));
    let dir = tempfile::tempdir()?;
    let lock = dir.path().join("keychain.lock");
    let keys: Vec<SecretKey> = (0..clients)
        .flat_map(|i| {
            let client = format!("bench-client-{i:05}");
            [
                SecretKey::registration_access_token(&"bench".into(), &client),
                SecretKey::client_secret(&"bench".into(), &client),
            ]
        })
        .collect();
    let start = Instant::now();
    let writer = Vault::new(Arc::clone(&keychain), Some(lock.clone()));
    for pair in keys.chunks(2) {
        let items: Vec<(SecretKey, Secret)> = pair
            .iter()
            .map(|k| (k.clone(), Secret::new("a-credential-of-typical-length-0000000000000")))
            .collect();
        writer.set_all(
            &items,
            &Labels::client("bench", pair[0].client_id().unwrap_or(""), None),
        )?;
    }
    let written = start.elapsed();
    let start = Instant::now();
    let listed = keychain.list("bench")?.map_or(0, |values| values.len());
    let raw = start.elapsed();
    let reader = Vault::new(keychain, Some(lock));
    let start = Instant::now();
    for key in &keys {
        reader.get(key)?.ok_or("a credential is missing")?;
    }
    let read = start.elapsed();
    println!(
        "vault    {clients} clients ({} entries): read all back in {:.0} ms from a fresh process \
         (of which listing {listed} entries {:.0} ms); written in {:.1} s, {:.1} ms per client",
        keys.len(),
        ms(read),
        ms(raw),
        written.as_secs_f64(),
        ms(written) / clients as f64
    );
    Ok(())
}

/// A command opens one Secret Service session. This times the `dbus-secret-service` crate's
/// encrypted session (a 1024-bit Diffie-Hellman exchange, its exponentiations computed by
/// plain square-and-multiply: what Registrar used before its own client, which computes
/// them in Montgomery form) against a plain one, each on a new D-Bus connection as a new
/// process would.
#[cfg(target_os = "linux")]
fn session_cost(runs: usize) -> crate::Result {
    use dbus_secret_service::{EncryptionType, SecretService};
    let time = |kind: fn() -> EncryptionType| -> crate::Result<f64> {
        let mut t = Vec::new();
        for _ in 0..runs {
            let start = Instant::now();
            let ss = SecretService::connect(kind())?;
            ss.get_default_collection()?;
            t.push(ms(start.elapsed()));
        }
        Ok(median(&t))
    };
    let (encrypted, plain) = (time(|| EncryptionType::Dh)?, time(|| EncryptionType::Plain)?);
    println!("session  median ms (dbus-secret-service): connect + open an encrypted (DH) session {encrypted:.3}, a plain one {plain:.3}  [{runs} each]");
    Ok(())
}

fn entry(name: &str) -> EntryName<'_> {
    EntryName {
        name,
        label: "Registrar benchmark",
        group: Some("p"),
    }
}
