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
}

pub fn run(args: Args) -> crate::Result {
    if !registrar_bench::fixtures::real_keychain_available() {
        return Err("no private Secret Service session: run under scripts/with-keychain.sh".into());
    }
    let real = OsKeychain::new(Some(&format!("bench-{}", uuid::Uuid::new_v4())));
    let memory = MemoryStore::new();
    for (name, store) in [("keyring", &real as &dyn SecretStore), ("memory", &memory)] {
        let fill: Vec<String> = (0..args.prefill)
            .map(|i| SecretKey::client_secret("p", &format!("fill{i}")).name())
            .collect();
        for k in &fill {
            store.set(entry(k), &Secret::new("x"))?;
        }
        let keys: Vec<String> = (0..args.ops)
            .map(|i| SecretKey::registration_access_token("p", &format!("c{i}")).name())
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
