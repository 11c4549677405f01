//! The figures of issue 17: what signing adds to a CLI operation, and an mTLS registration
//! against curl with `--cert`.
//!
//! - `custody-setup directory`: a profile of kind openbanking in a data directory (its
//!   endpoints not known yet) with a directory key, whose public JWK Set the openbanking mock
//!   is then started to trust (`--directory-jwks`).
//! - `custody-setup profile`: the profile pointed at that mock, set up as an Open Banking
//!   TPP through the core: a PS256 software signing key, an ES256 transport key with a
//!   self-signed certificate, a software statement signed by the directory key (its
//!   `software_jwks` inline) and kept; `signing` and `tls` name them, the mock's CA is
//!   trusted. It writes what curl needs for the same request: the client's metadata, that
//!   registration as a JWS signed once, the certificate and its key (exported through
//!   `Registrar::export_private_key`, mode 0600).
//! - `custody-setup forget-new`: between timed runs, forgets the registrations they made, so
//!   every run meets the same keychain (each registration stores a token, and a keychain
//!   that grows through a run makes its later runs slower and noisier than its first).
//! - `custody-sign`: the signing cost, in-process with the real keychain (see [`sign`]).

use registrar_bench::report::{self, Row, Target};
use registrar_bench::stats::{median, ms, percentile};
use registrar_core::custody::{CertificateSubject, NewKey, StoredKeySigner};
use registrar_core::http::ReqwestFactory;
use registrar_core::oauth::ClientAssertionSigner;
use registrar_core::secrets::{OsKeychain, SecretKey, SecretStore, Vault};
use registrar_core::{DataDir, Profile, ProviderKind, Registrar, Store};
use registrar_keys::{jws, Alg, PrivateKey};
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

const SOFTWARE_ID: &str = "registrar-bench-software";
const ORG_ID: &str = "0015800001041RBENCH";
const REDIRECT: &str = "https://tpp.example.org/callback";
const SSA_LABEL: &str = "bench directory ssa";
/// How long the request curl sends stays valid: the whole timed run.
const REQUEST_LIFETIME_SECS: i64 = 3600;

#[derive(Debug, clap::Args)]
pub struct SetupArgs {
    #[command(subcommand)]
    stage: Stage,
}

#[derive(Debug, clap::Subcommand)]
enum Stage {
    /// The profile and its directory key; writes the directory's public JWK Set.
    Directory {
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long)]
        profile: String,
        /// Where the directory's JWK Set goes (for `registrar-mock-op --directory-jwks`).
        #[arg(long)]
        jwks_out: PathBuf,
    },
    /// The profile pointed at the running mock, with its keys, certificate and statement.
    Profile {
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long)]
        profile: String,
        /// The mock's issuer (`issuer:` of its output).
        #[arg(long)]
        issuer: String,
        #[arg(long)]
        registration_endpoint: String,
        #[arg(long)]
        token_endpoint: String,
        /// The mock's CA certificate (`tls_ca_pem:` of its output).
        #[arg(long)]
        ca: PathBuf,
        /// Where client.json, request.jwt, client.pem and client.key go.
        #[arg(long)]
        out: PathBuf,
    },
    /// Forgets (record and keychain entries; the provider is not asked) every registration of
    /// the profiles that `--keep` does not list; the first call writes `--keep` instead.
    ForgetNew {
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long = "profile", required = true)]
        profiles: Vec<String>,
        /// The client ids kept: the profiles' registrations when this was first written.
        #[arg(long)]
        keep: PathBuf,
    },
}

pub fn setup(args: SetupArgs) -> crate::Result {
    match args.stage {
        Stage::Directory {
            data_dir,
            profile,
            jwks_out,
        } => {
            let r = Registrar::open(&DataDir::at(&data_dir))?;
            // Endpoints are the mock's, known once it runs (it needs this key first).
            let mut p = Profile::new(&profile, ProviderKind::OpenBanking, "https://localhost:1/register");
            p.issuer = Some("https://localhost:1".into());
            r.save_profile(&p, &Default::default())?;
            let directory = r.generate_key(&profile, &new_key("p256", "ES256", "directory"))?;
            write(&jwks_out, &json!({ "keys": [directory.public_jwk] }).to_string())?;
            Ok(())
        }
        Stage::Profile {
            data_dir,
            profile,
            issuer,
            registration_endpoint,
            token_endpoint,
            ca,
            out,
        } => {
            let r = Registrar::open(&DataDir::at(&data_dir))?;
            let directory = r
                .keys(&profile, None)?
                .into_iter()
                .find(|k| k.label.as_deref() == Some("directory"))
                .ok_or("no directory key: run `custody-setup directory` first")?;
            let software = r.generate_key(&profile, &new_key("rsa", "PS256", "software signing"))?;
            let transport = r.generate_key(&profile, &new_key("p256", "ES256", "transport"))?;
            let subject = CertificateSubject {
                common_name: "registrar bench transport".into(),
                organization: Some("Registrar Bench".into()),
                organizational_unit: Some(ORG_ID.into()),
                country: Some("GB".into()),
                dns_names: vec![],
            };
            let transport = r.self_signed_certificate(&profile, &transport.kid, &subject, 30)?;
            let certificate = transport.certificate.clone().ok_or("the certificate was not kept")?;

            let statement = json!({
                "software_id": SOFTWARE_ID,
                "software_client_name": "Registrar Bench TPP",
                "software_redirect_uris": [REDIRECT],
                "software_roles": ["AISP", "PISP"],
                "software_jwks": r.public_jwks(&profile, None)?,
                "org_id": ORG_ID,
                "org_name": "Registrar Bench",
            });
            let ssa = r.sign_software_statement(&profile, &directory.kid, &statement, Some(86_400))?;
            r.keep_software_statement(&profile, SSA_LABEL, &ssa, "signed locally by registrar-bench")?;

            let mut p = r.profile(&profile)?;
            p.registration_endpoint = registration_endpoint;
            p.issuer = Some(issuer.clone());
            p.token_endpoint = Some(token_endpoint);
            p.tls.ca_certificate_pem = Some(std::fs::read_to_string(&ca)?);
            p.tls.client_certificate = Some(transport.kid.clone());
            p.signing.request_signing_key = Some(software.kid.clone());
            p.signing.software_statement = Some(SSA_LABEL.into());
            r.save_profile(&p, &Default::default())?;
            unsigned_twin(&r, &p, &subject, &ssa)?;

            // A tls_client_auth client named by the transport certificate.
            let mut client = json!({
                "redirect_uris": [REDIRECT],
                "grant_types": ["authorization_code", "client_credentials"],
                "response_types": ["code"],
                "scope": "openid accounts payments",
                "token_endpoint_auth_method": "tls_client_auth",
                "tls_client_certificate_bound_access_tokens": true,
            });
            if let Some(fields) = client.as_object_mut() {
                fields.extend(certificate.registration_fields("tls_client_auth"));
            }
            std::fs::create_dir_all(&out)?;
            write(&out.join("client.json"), &client.to_string())?;

            // The same request the CLI sends, signed once: the metadata, the statement,
            // iss (the software_id), aud (the issuer), iat, exp, jti (the mock keeps no
            // record of registration jtis, so curl may send it again).
            let Value::Object(mut claims) = client else {
                return Err("the metadata is not an object".into());
            };
            claims.insert("software_statement".into(), ssa.into());
            claims.insert("iss".into(), SOFTWARE_ID.into());
            claims.insert("aud".into(), issuer.into());
            let request = r.sign_software_statement(
                &profile,
                &software.kid,
                &Value::Object(claims),
                Some(REQUEST_LIFETIME_SECS),
            )?;
            write(&out.join("request.jwt"), &request)?;
            write(&out.join("client.pem"), &certificate.pem)?;
            let key = r.export_private_key(&profile, &transport.kid)?;
            write_private(&out.join("client.key"), key.expose())?;
            Ok(())
        }
        Stage::ForgetNew {
            data_dir,
            profiles,
            keep,
        } => forget_new(&data_dir, &profiles, &keep),
    }
}

fn forget_new(data_dir: &Path, profiles: &[String], keep: &Path) -> crate::Result {
    let r = Registrar::open(&DataDir::at(data_dir))?;
    let mut now = Vec::new();
    for profile in profiles {
        now.extend(r.refresh_targets(Some(profile))?);
    }
    if !keep.exists() {
        let ids: Vec<&str> = now.iter().map(|(_, id)| id.as_str()).collect();
        return write(keep, &ids.join("\n"));
    }
    let kept = std::fs::read_to_string(keep)?;
    let kept: std::collections::HashSet<&str> = kept.lines().collect();
    for (profile, client_id) in now.iter().filter(|(_, id)| !kept.contains(id.as_str())) {
        r.forget(profile.as_str(), client_id)?;
    }
    Ok(())
}

/// The profile that sends the same registration unsigned, for what signing adds to a CLI
/// registration (the mock takes both with `--accept-unsigned-requests`): `<profile>-unsigned`,
/// everything as `signed` has it but the request signing key, and a transport key and
/// certificate of its own with the same subject (keys belong to one profile), so both read
/// one transport key and present one certificate, and only the signed one also reads its
/// signing key and signs.
fn unsigned_twin(r: &Registrar, signed: &Profile, subject: &CertificateSubject, ssa: &str) -> crate::Result {
    let name = unsigned_profile(&signed.name);
    let mut p = Profile::new(&name, ProviderKind::OpenBanking, &signed.registration_endpoint);
    r.save_profile(&p, &Default::default())?;
    let transport = r.generate_key(&name, &new_key("p256", "ES256", "transport"))?;
    let transport = r.self_signed_certificate(&name, &transport.kid, subject, 30)?;
    r.keep_software_statement(&name, SSA_LABEL, ssa, "signed locally by registrar-bench")?;
    p = r.profile(&name)?;
    p.issuer = signed.issuer.clone();
    p.token_endpoint = signed.token_endpoint.clone();
    p.tls.ca_certificate_pem = signed.tls.ca_certificate_pem.clone();
    p.tls.client_certificate = Some(transport.kid);
    p.signing.software_statement = Some(SSA_LABEL.into());
    r.save_profile(&p, &Default::default())?;
    Ok(())
}

/// The name of `profile`'s unsigned twin.
pub fn unsigned_profile(profile: &str) -> String {
    format!("{profile}-unsigned")
}

fn new_key(kind: &str, alg: &str, label: &str) -> NewKey {
    NewKey {
        kind: Some(kind.into()),
        alg: Some(alg.into()),
        label: Some(label.into()),
        ..Default::default()
    }
}

fn write(path: &Path, text: &str) -> crate::Result {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()).into())
}

/// A private key for curl: created 0600, never readable by others even for an instant.
fn write_private(path: &Path, text: &str) -> crate::Result {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    file.write_all(text.as_bytes())?;
    Ok(())
}

#[derive(Debug, clap::Args)]
pub struct SignArgs {
    #[arg(long)]
    rows: PathBuf,
    /// The data directory and profile `custody-setup` made.
    #[arg(long)]
    data_dir: PathBuf,
    #[arg(long)]
    profile: String,
    /// The registration's metadata (`client.json` of the setup).
    #[arg(long)]
    client: PathBuf,
    /// Timed runs of each kind.
    #[arg(long, default_value_t = 200)]
    runs: usize,
    /// The hyperfine export of the CLI's signed mTLS registration in this run (its first
    /// command), shown as the operation the signing is part of.
    #[arg(long)]
    operation_json: Option<PathBuf>,
    /// Quick mode: dev builds, few runs.
    #[arg(long)]
    quick: bool,
}

/// What one signature costs, in milliseconds, by part.
#[derive(Debug, Default, Clone, Copy)]
struct Parts {
    /// The key's record (SQLite) and its private half from the keychain.
    read: f64,
    /// PKCS#8 PEM to a key.
    parse: f64,
    /// Claims and the JWS.
    sign: f64,
}

impl Parts {
    fn total(&self) -> f64 {
        self.read + self.parse + self.sign
    }
}

/// The signing cost, as a signed CLI operation pays it: every run makes a fresh `Registrar`
/// on the data directory (untimed, see [`Fresh`]), so no decrypted copy of the keychain is
/// at hand, as in a new CLI process. Timed: what `request_signer` and
/// `SignedRequest::sign` do — the key's record and its private half through
/// `Vault::get_one` (the keychain: the key's own entry, read alone),
/// `PrivateKey::from_storage`, then the claims (the metadata, the software statement, `iss`,
/// `aud`, `iat`, `exp`, `jti`) and the JWS; and for a `private_key_jwt` assertion, the same
/// read and parse, then `StoredKeySigner::assertion`.
pub fn sign(args: SignArgs) -> crate::Result {
    if !registrar_bench::fixtures::real_keychain_available() {
        return Err("no private Secret Service session: run under scripts/with-keychain.sh".into());
    }
    let dir = DataDir::at(&args.data_dir);
    let setup = Registrar::open(&dir)?;
    let fresh = Fresh::new(dir)?;
    let profile = setup.profile(&args.profile)?;
    let ssa_label = profile
        .signing
        .software_statement
        .clone()
        .ok_or("the profile keeps no software statement: run `custody-setup profile` first")?;
    let ssa = setup.software_statement(&args.profile, &ssa_label)?.jwt;
    let audience = profile.issuer.clone().ok_or("the profile has no issuer")?;
    let token_endpoint = profile.token_endpoint.clone().unwrap_or_else(|| audience.clone());
    let metadata: Map<String, Value> = serde_json::from_str(&std::fs::read_to_string(&args.client)?)?;
    let mut body = metadata;
    body.insert("software_statement".into(), ssa.into());

    let operation = match &args.operation_json {
        Some(path) => Some(cli_median_ms(path)?),
        None => None,
    };
    let runs = args.runs.max(1);
    let clients = setup.refresh_targets(Some(&args.profile))?.len();
    let mut es256_reads = Vec::new();
    for (kind, alg, name) in [
        ("rsa", Alg::PS256, "PS256, RSA 2048"),
        ("p256", Alg::ES256, "ES256, P-256"),
    ] {
        let key = setup.generate_key(
            &args.profile,
            &new_key(kind, alg.as_str(), &format!("bench signing {alg}")),
        )?;
        // One of each untimed first: the pages of the code, the allocator.
        let _ = request_once(&fresh, &args.profile, &key.kid, alg, &body, &audience)?;
        let _ = assertion_once(&fresh, &args.profile, &key.kid, alg, &audience, &token_endpoint)?;
        let mut requests = Vec::with_capacity(runs);
        let mut assertions = Vec::with_capacity(runs);
        for _ in 0..runs {
            requests.push(request_once(&fresh, &args.profile, &key.kid, alg, &body, &audience)?);
            assertions.push(assertion_once(
                &fresh,
                &args.profile,
                &key.kid,
                alg,
                &audience,
                &token_endpoint,
            )?);
        }
        for (what, parts, note) in [
            (
                "signed registration request",
                &requests,
                "in-process, real keychain: per run a fresh Registrar (no decrypted keychain copy; the Secret Service session already open, as the registration's own write opens it): the key's record and private half (its own keychain entry, read alone: Vault::get_one), parse (PrivateKey::from_storage: PKCS#8 PEM, or an RSA key's primes), the claims (metadata, software statement, iss/aud/iat/exp/jti) and the JWS, as request_signer + SignedRequest::sign do",
            ),
            (
                "private_key_jwt assertion",
                &assertions,
                "in-process, real keychain, as above: the key read and parsed as above, StoredKeySigner::assertion (iss/sub/aud/jti/iat/exp)",
            ),
        ] {
            let note = format!(
                "{note}; the profile holds the tokens of {} beside its keys",
                counted(clients, "registered client")
            );
            let mut row = row(what, name, parts, operation, runs, args.quick, &note);
            // The CLI rows ("signing adds to a CLI registration", "... to a CLI token
            // request") are the figures the target is for; these are the cost on its own.
            row.figure = format!("signing on its own: {what} ({name})");
            row.target = None;
            row.note.push_str(if what == "signed registration request" {
                "; diagnostic: its keychain read alone, where a registration reads the key in one batch with its transport key; the target is the CLI row's"
            } else {
                "; diagnostic: the key's read replaces the secret's read of a client_secret_basic client; the target is the CLI row's"
            });
            report::append(&args.rows, &row)?;
        }
        if alg == Alg::ES256 {
            es256_reads = requests.iter().map(|p| p.read).collect();
        }
    }
    empty_profile_read(&setup, &fresh, &args, &es256_reads, clients)
}

/// Diagnostic: the keychain part of the figures above grows with the profile's clients (a
/// read lists the profile's entries): the same key read from a profile holding only it.
fn empty_profile_read(
    setup: &Registrar,
    fresh: &Fresh,
    args: &SignArgs,
    with_clients: &[f64],
    clients: usize,
) -> crate::Result {
    let kid = setup
        .keys(&args.profile, None)?
        .into_iter()
        .rev()
        .find(|k| k.alg == Alg::ES256.as_str())
        .ok_or("no ES256 key")?
        .kid;
    let pem = setup.export_private_key(&args.profile, &kid)?;
    let alone = format!("{}-keys-only", args.profile);
    let p = Profile::new(&alone, ProviderKind::OpenBanking, "https://localhost:1/register");
    setup.save_profile(&p, &Default::default())?;
    setup.import_key(&alone, &pem, &new_key("p256", "ES256", "bench signing ES256"))?;
    let mut reads = Vec::with_capacity(with_clients.len());
    for _ in 0..with_clients.len().max(1) {
        let mut parts = Parts::default();
        std::hint::black_box(fresh.read_and_parse(&alone, &kid, &mut parts)?);
        reads.push(parts.read);
    }
    let (many, none) = (median(with_clients), median(&reads));
    report::append(
        &args.rows,
        &Row::new(
            format!("keychain read of a private key, profile with {}", counted(clients, "client")),
            many,
            "ms",
        )
        .measured(format!("{many:.2} ms median (the tokens of {} in the profile)", counted(clients, "client")))
        .against(format!("{none:.2} ms from a profile holding only that key"))
        .note(
            "diagnostic, no target: Registrar reads a private key from its own keychain entry (Vault::get_one), so the profile's other entries (its clients' tokens) do not add to it",
        ),
    )?;
    Ok(())
}

fn row(what: &str, alg: &str, parts: &[Parts], operation: Option<f64>, runs: usize, quick: bool, note: &str) -> Row {
    let pick = |f: fn(&Parts) -> f64| median(&parts.iter().map(f).collect::<Vec<_>>());
    let totals: Vec<f64> = parts.iter().map(Parts::total).collect();
    let total = median(&totals);
    let against = match operation {
        Some(op) => format!(
            "registrar register {op:.1} ms (signed, mTLS, median, this run): {:.1}% of it",
            total / op * 100.0
        ),
        None => "the same operation unsigned".into(),
    };
    let mut note = note.to_string();
    if quick {
        note.push_str("; quick mode: dev build, few runs");
    }
    Row::new(format!("signing adds: {what} ({alg})"), total, "ms")
        .measured(format!(
            "{total:.2} ms median, p95 {:.2} (keychain read {:.2}, parse {:.2}, sign {:.2}; {runs} runs)",
            percentile(&totals, 95.0),
            pick(|p| p.read),
            pick(|p| p.parse),
            pick(|p| p.sign),
        ))
        .against(against)
        .target(Target::at_most(2.0))
        .note(note)
}

/// Registrars as a new CLI process has them: each with a vault of its own, so with no
/// decrypted copy of the profile's entries, over one Secret Service connection and session
/// opened beforehand (a registration opens it anyway, to store its token).
struct Fresh {
    dir: DataDir,
    keychain: Arc<dyn SecretStore>,
}

impl Fresh {
    fn new(dir: DataDir) -> crate::Result<Self> {
        let keychain: Arc<dyn SecretStore> = Arc::new(OsKeychain::new(dir.keychain_namespace().as_deref()));
        // Opens the connection and the session; this entry does not exist.
        keychain.get("registrar-bench-session-probe")?;
        Ok(Self { dir, keychain })
    }

    fn registrar(&self) -> crate::Result<Registrar> {
        let store = Store::open(&self.dir.database_path())?;
        let vault = Vault::new(Arc::clone(&self.keychain), Some(self.dir.path().join("keychain.lock")));
        Ok(Registrar::with_vault(store, vault, Arc::new(ReqwestFactory::new())))
    }

    /// The key's private half, read and parsed as in a new process, as
    /// `Registrar::private_key` does: the key's record, its own keychain entry
    /// (`Vault::get_one`), `PrivateKey::from_storage`.
    fn read_and_parse(&self, profile: &str, kid: &str, parts: &mut Parts) -> crate::Result<PrivateKey> {
        let r = self.registrar()?;
        let vault = Vault::new(Arc::clone(&self.keychain), Some(self.dir.path().join("keychain.lock")));
        let start = Instant::now();
        let record = r.key(profile, kid)?;
        let stored = vault
            .get_one(&SecretKey::private_key(&record.profile_id, kid))?
            .ok_or("the key's private half is not in the keychain")?;
        parts.read = ms(start.elapsed());
        let start = Instant::now();
        let key = PrivateKey::from_storage(stored.expose())?;
        parts.parse = ms(start.elapsed());
        Ok(key)
    }
}

fn request_once(
    fresh: &Fresh,
    profile: &str,
    kid: &str,
    alg: Alg,
    body: &Map<String, Value>,
    audience: &str,
) -> crate::Result<Parts> {
    let mut parts = Parts::default();
    let key = fresh.read_and_parse(profile, kid, &mut parts)?;
    let start = Instant::now();
    let mut claims = body.clone();
    let iss = body
        .get("software_statement")
        .and_then(Value::as_str)
        .and_then(|ssa| jws::peek(ssa).ok())
        .and_then(|read| {
            read.claims
                .get("software_id")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_else(|| kid.to_string());
    let t = now();
    claims.entry("iss").or_insert_with(|| iss.into());
    claims.entry("aud").or_insert_with(|| audience.into());
    claims.insert("iat".into(), t.into());
    claims.insert("exp".into(), (t + 300).into());
    claims.insert("jti".into(), uuid::Uuid::new_v4().to_string().into());
    let jwt = jws::sign(&key, alg, Some(kid), Some("JWT"), &Value::Object(claims))?;
    parts.sign = ms(start.elapsed());
    std::hint::black_box(jwt);
    Ok(parts)
}

fn assertion_once(
    fresh: &Fresh,
    profile: &str,
    kid: &str,
    alg: Alg,
    audience: &str,
    token_endpoint: &str,
) -> crate::Result<Parts> {
    let mut parts = Parts::default();
    let key = fresh.read_and_parse(profile, kid, &mut parts)?;
    let start = Instant::now();
    let signer = StoredKeySigner::new(key, alg, kid).with_audience(Some(audience.to_string()));
    let jwt = signer.assertion("bench-client", token_endpoint)?;
    parts.sign = ms(start.elapsed());
    std::hint::black_box(jwt);
    Ok(parts)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The first command's median of a hyperfine export, in milliseconds.
fn cli_median_ms(path: &Path) -> crate::Result<f64> {
    let export: Value = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    export["results"][0]["median"]
        .as_f64()
        .map(|s| s * 1000.0)
        .ok_or_else(|| format!("{} has no median", path.display()).into())
}

#[derive(Debug, clap::Args)]
pub struct AddsArgs {
    #[arg(long)]
    rows: PathBuf,
    /// `registrar-bench time`'s export of the pair: the signed command first, the same
    /// command unsigned second, run alternately.
    #[arg(long)]
    json: PathBuf,
    /// What was signed: a registration request, or a token request's assertion.
    #[arg(long, value_enum, default_value_t = Signed::Registration)]
    signed: Signed,
    /// Quick mode: dev builds, few runs.
    #[arg(long)]
    quick: bool,
}

/// The signed half of a pair in `custody-adds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Signed {
    /// `registrar register` with a request signing key, against its unsigned twin profile.
    Registration,
    /// `registrar try --grant client_credentials` of a private_key_jwt client, against a
    /// client_secret_basic client of the same profile.
    Assertion,
}

impl Signed {
    fn figure(self) -> &'static str {
        match self {
            Signed::Registration => "signing adds to a CLI registration (PS256, RSA 2048)",
            Signed::Assertion => "signing adds to a CLI token request (private_key_jwt, PS256, RSA 2048)",
        }
    }

    fn against(self) -> &'static str {
        match self {
            Signed::Registration => "the same registration unsigned",
            Signed::Assertion => "the same try with a client secret (client_secret_basic)",
        }
    }

    fn note(self) -> &'static str {
        match self {
            Signed::Registration => "registrar register over mutual TLS to the openbanking mock (--accept-unsigned-requests): the profile with a request signing key (PS256, RSA 2048) sends it as a JWS, its unsigned twin (same statement, a transport key and certificate of its own) as JSON; both read a transport key and the statement and store the new token; the signed one also reads its signing key (in the same keychain batch as the transport key) and signs",
            Signed::Assertion => "registrar try --grant client_credentials against the generic mock: a private_key_jwt client (a PS256 key in custody, bound to it, its public half registered in jwks) signs an assertion; a client_secret_basic client of the same profile sends its secret; each reads its one credential from its own keychain entry (the key through Vault::get_one; the secret through Vault::get, which also looks once for the profile's pre-split entry), so the figure is the whole difference a user sees, the reads included; the signature's own cost is the in-process assertion rows' parse + sign",
        }
    }
}

/// What signing adds to a CLI operation, as the issue measures it: the same command,
/// signed and unsigned, run alternately against one mock; the figure is the median of the
/// paired differences (run i signed minus run i unsigned), which the machine's drift
/// between runs does not move.
pub fn adds(args: AddsArgs) -> crate::Result {
    let export: Value = serde_json::from_str(&std::fs::read_to_string(&args.json)?)?;
    let times = |i: usize| -> crate::Result<Vec<f64>> {
        export["results"][i]["times"]
            .as_array()
            .map(|t| t.iter().filter_map(Value::as_f64).map(|s| s * 1000.0).collect())
            .ok_or_else(|| format!("{} has no times for command {i}", args.json.display()).into())
    };
    let (signed, unsigned) = (times(0)?, times(1)?);
    let differences: Vec<f64> = signed.iter().zip(&unsigned).map(|(s, u)| s - u).collect();
    let added = median(&differences);
    let mut note = args.signed.note().to_string();
    if args.quick {
        note.push_str("; quick mode: dev build, few runs");
    }
    report::append(
        &args.rows,
        &Row::new(args.signed.figure(), added, "ms")
            .measured(format!(
                "{added:.2} ms, median of {} paired differences (p25 {:.2}, p75 {:.2})",
                differences.len(),
                percentile(&differences, 25.0),
                percentile(&differences, 75.0),
            ))
            .against(format!(
                "{}: {:.1} ms signed, {:.1} ms unsigned (medians)",
                args.signed.against(),
                median(&signed),
                median(&unsigned)
            ))
            .target(Target::at_most(2.0))
            .note(note),
    )?;
    Ok(())
}

/// "1 client", "1,200 clients" (the number as `report::count` writes it).
fn counted(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        _ => format!("{} {noun}s", report::count(n as u64)),
    }
}
