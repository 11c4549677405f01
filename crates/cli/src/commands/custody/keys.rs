//! `registrar keys ...`: key pairs in a profile's custody. The private half stays in the
//! keychain; it comes in only from a file or standard input and goes out only to a file the
//! user names, after a confirmation.

use super::{read_text, resolve_key, write_file};
use crate::app::App;
use crate::commands::provider_call;
use crate::failure::Failure;
use crate::input::confirm;
use crate::input::duration::parse_duration;
use crate::render::custody::{KeyDeletedView, KeyList, KeyView, RotationView, WrittenView};
use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use registrar_core::custody::{NewKey, RotationOutcome};
use registrar_core::Secret;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum KeysCommand {
    /// Generate a key pair; the private half goes to the keychain only.
    Generate(GenerateArgs),
    /// Import a private key (PEM: PKCS#8, SEC1 or PKCS#1; or a private JWK) from a file or
    /// standard input, never from the command line.
    Import(ImportArgs),
    /// List a profile's keys (or one client's).
    List(ListArgs),
    /// Show one key: its facts and public JWK.
    Show(KeyRef),
    /// Print the public JWK Set of the active keys of the profile (or of --client).
    Jwks(JwksArgs),
    /// Write a private key to a file (PKCS#8 PEM, mode 0600), after a confirmation.
    Export(ExportArgs),
    /// Set when a key stops being published and used.
    Retire(RetireArgs),
    /// Bind a key to a client, or back to the profile.
    Bind(BindArgs),
    /// Delete a key and its private half.
    Delete(DeleteArgs),
    /// Rotate a client's key with overlap: add a new key, update the client when it carries
    /// its keys inline, and retire the old keys after --overlap.
    Rotate(RotateArgs),
    /// End a rotation: keys past their retirement leave the client's jwks and custody.
    FinishRotation(ClientRef),
    /// Serve the public JWK Set on a loopback URL (for a jwks_uri), re-read every second so a
    /// rotation shows up, until Ctrl-C.
    Serve(ServeArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyTypeArg {
    /// EC P-256, for ES256.
    P256,
    /// RSA (2048 bits or more), for PS256 or RS256.
    Rsa,
    /// Ed25519, for EdDSA.
    Ed25519,
}

impl KeyTypeArg {
    fn name(self) -> &'static str {
        match self {
            Self::P256 => "p256",
            Self::Rsa => "rsa",
            Self::Ed25519 => "ed25519",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "verbatim")]
pub enum AlgArg {
    ES256,
    PS256,
    RS256,
    EdDSA,
}

impl AlgArg {
    fn name(self) -> &'static str {
        match self {
            Self::ES256 => "ES256",
            Self::PS256 => "PS256",
            Self::RS256 => "RS256",
            Self::EdDSA => "EdDSA",
        }
    }
}

// What a new key is for, shared by generate and rotate.
// (A comment, not a doc comment: flattened into a deferred subcommand, a doc comment
// would replace that command's own description; see args::Command.)
#[derive(Debug, Args)]
pub struct KeyShape {
    /// The key type [default: p256, or for rotate the old key's].
    #[arg(long = "type", value_enum)]
    pub kind: Option<KeyTypeArg>,
    /// The algorithm it signs with [default: the type's: ES256, PS256, EdDSA].
    #[arg(long, value_enum, ignore_case = true)]
    pub alg: Option<AlgArg>,
    /// RSA modulus size in bits (2048 or more).
    #[arg(long, value_name = "N")]
    pub bits: Option<u32>,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The profile (name or id).
    pub profile: String,
    #[command(flatten)]
    pub shape: KeyShape,
    /// The client it belongs to [default: the profile's own key].
    #[arg(long, value_name = "CLIENT_ID")]
    pub client: Option<String>,
    /// What to call it.
    #[arg(long)]
    pub label: Option<String>,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").required(true).args(["file", "stdin"])))]
pub struct ImportArgs {
    /// The profile (name or id).
    pub profile: String,
    /// A file holding the private key ("-" for standard input).
    #[arg(long, short = 'f', value_name = "PATH")]
    pub file: Option<PathBuf>,
    /// Read the private key from standard input.
    #[arg(long)]
    pub stdin: bool,
    /// The client it belongs to [default: the profile's own key].
    #[arg(long, value_name = "CLIENT_ID")]
    pub client: Option<String>,
    /// The algorithm it signs with [default: the key type's].
    #[arg(long, value_enum, ignore_case = true)]
    pub alg: Option<AlgArg>,
    /// What to call it.
    #[arg(long)]
    pub label: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// The profile (name or id).
    pub profile: String,
    /// Only this client's keys.
    #[arg(long, value_name = "CLIENT_ID")]
    pub client: Option<String>,
}

#[derive(Debug, Args)]
pub struct KeyRef {
    /// The profile (name or id).
    pub profile: String,
    /// The key's kid (or a prefix only it has; it may start with "-").
    #[arg(allow_hyphen_values = true)]
    pub kid: String,
}

#[derive(Debug, Args)]
pub struct ClientRef {
    /// The profile (name or id).
    pub profile: String,
    /// The client's client_id.
    #[arg(allow_hyphen_values = true)]
    pub client_id: String,
}

#[derive(Debug, Args)]
pub struct JwksArgs {
    /// The profile (name or id).
    pub profile: String,
    /// The keys of this client [default: the profile's own keys].
    #[arg(long, value_name = "CLIENT_ID")]
    pub client: Option<String>,
    /// Write the set to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub key: KeyRef,
    /// Required: say that the private key is what you want.
    #[arg(long)]
    pub private: bool,
    /// The file to write (created with mode 0600).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Do not ask for confirmation (needed when standard input is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("when").required(true).args(["at", "in_", "never"])))]
pub struct RetireArgs {
    #[command(flatten)]
    pub key: KeyRef,
    /// At this time (RFC 3339, e.g. 2027-01-31T12:00:00Z).
    #[arg(long, value_name = "RFC3339", value_parser = parse_rfc3339)]
    pub at: Option<i64>,
    /// This long from now (30d, 12h, 90m, 2w; 0 retires it now).
    #[arg(long = "in", value_name = "DURATION", value_parser = parse_duration)]
    pub in_: Option<i64>,
    /// Never: keep publishing and using it.
    #[arg(long)]
    pub never: bool,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("owner").required(true).args(["client", "to_profile"])))]
pub struct BindArgs {
    #[command(flatten)]
    pub key: KeyRef,
    /// Bind it to this client.
    #[arg(long, value_name = "CLIENT_ID")]
    pub client: Option<String>,
    /// Make it the profile's own key again.
    #[arg(long = "profile")]
    pub to_profile: bool,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    #[command(flatten)]
    pub key: KeyRef,
    /// Do not ask for confirmation (needed when standard input is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct RotateArgs {
    #[command(flatten)]
    pub client: ClientRef,
    /// How long the old keys stay published and used beside the new one.
    #[arg(long, value_name = "DURATION", default_value = "1d", value_parser = parse_duration)]
    pub overlap: i64,
    #[command(flatten)]
    pub shape: KeyShape,
    /// What to call the new key.
    #[arg(long)]
    pub label: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The profile (name or id).
    pub profile: String,
    /// Serve this client's keys [default: the profile's own keys].
    #[arg(long, value_name = "CLIENT_ID")]
    pub client: Option<String>,
    /// The port on 127.0.0.1 [default: a free one].
    #[arg(long)]
    pub port: Option<u16>,
}

/// An RFC 3339 time as Unix seconds.
pub fn parse_rfc3339(text: &str) -> Result<i64, String> {
    time::OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339)
        .map(|t| t.unix_timestamp())
        .map_err(|e| format!("{text:?} is not an RFC 3339 time such as 2027-01-31T12:00:00Z ({e})"))
}

pub async fn run(app: &App, command: KeysCommand) -> Result<(), Failure> {
    match command {
        KeysCommand::Generate(args) => generate(app, args),
        KeysCommand::Import(args) => import(app, args),
        KeysCommand::List(args) => list(app, args),
        KeysCommand::Show(args) => show(app, args),
        KeysCommand::Jwks(args) => jwks(app, args),
        KeysCommand::Export(args) => export(app, args),
        KeysCommand::Retire(args) => retire(app, args),
        KeysCommand::Bind(args) => bind(app, args),
        KeysCommand::Delete(args) => delete(app, args),
        KeysCommand::Rotate(args) => rotate(app, args).await,
        KeysCommand::FinishRotation(args) => finish_rotation(app, args).await,
        KeysCommand::Serve(args) => super::serve::run(app, args).await,
    }
}

fn generate(app: &App, args: GenerateArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let new = NewKey {
        kind: args.shape.kind.map(|k| k.name().to_string()),
        alg: args.shape.alg.map(|a| a.name().to_string()),
        rsa_bits: args.shape.bits,
        client_id: args.client,
        label: args.label,
    };
    let key = registrar.generate_key(&args.profile, &new)?;
    let headline = format!(
        "Generated {} key {} ({}); its private half is in the keychain.",
        key.kind, key.kid, key.alg
    );
    app.out.show(&KeyView::saying(headline, key))
}

fn import(app: &App, args: ImportArgs) -> Result<(), Failure> {
    let text = read_text(args.file.as_deref(), args.stdin, "private key")?;
    let material = Secret::new(text);
    let registrar = app.open()?;
    let new = NewKey {
        kind: None,
        alg: args.alg.map(|a| a.name().to_string()),
        rsa_bits: None,
        client_id: args.client,
        label: args.label,
    };
    let key = registrar.import_key(&args.profile, &material, &new)?;
    let headline = format!(
        "Imported {} key {} ({}); its private half is in the keychain.",
        key.kind, key.kid, key.alg
    );
    app.out.show(&KeyView::saying(headline, key))
}

fn list(app: &App, args: ListArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let profile = registrar.profile(&args.profile)?;
    let keys = registrar.keys(&profile.id, args.client.as_deref())?;
    app.out.show(&KeyList {
        profile: profile.name,
        keys,
    })
}

fn show(app: &App, args: KeyRef) -> Result<(), Failure> {
    let registrar = app.open()?;
    let key = resolve_key(&registrar, &args.profile, &args.kid)?;
    app.out.show(&KeyView::new(key))
}

fn jwks(app: &App, args: JwksArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let set = registrar.public_jwks(&args.profile, args.client.as_deref())?;
    let count = set["keys"].as_array().map_or(0, Vec::len);
    if count == 0 {
        app.out.warn(&[match &args.client {
            Some(client) => format!("client {client} has no active key: the set is empty"),
            None => "the profile has no active key of its own: the set is empty".to_string(),
        }]);
    }
    match &args.out {
        None => crate::render::print_json(&set),
        Some(path) => {
            let text = serde_json::to_string_pretty(&set).map_err(|e| Failure::new(1, e.to_string()))?;
            write_file(path, format!("{text}\n").as_bytes(), false)?;
            app.out.show(&WrittenView {
                written: path.display().to_string(),
                what: format!("the public JWK Set ({count} key(s))"),
                mode: None,
            })
        }
    }
}

fn export(app: &App, args: ExportArgs) -> Result<(), Failure> {
    if !args.private {
        return Err(Failure::usage(
            "keys export writes the PRIVATE key: say so with --private (the public keys are in `registrar keys jwks`)",
        ));
    }
    let Some(path) = &args.out else {
        return Err(Failure::usage(
            "name the file to write the private key to with --out FILE; it is never printed",
        ));
    };
    let registrar = app.open()?;
    let key = resolve_key(&registrar, &args.key.profile, &args.key.kid)?;
    if !args.yes {
        let question = format!(
            "Write the private key {} to {}? Whoever can read that file can act as {}.",
            key.kid,
            path.display(),
            key.client_id.as_deref().unwrap_or("this profile")
        );
        if !confirm::ask(&question)? {
            return Err(Failure::new(1, "not confirmed; nothing was written"));
        }
    }
    let pem = registrar.export_private_key(&args.key.profile, &key.kid)?;
    write_file(path, pem.expose().as_bytes(), true)?;
    app.out.show(&WrittenView {
        written: path.display().to_string(),
        what: format!("the private key {} (PKCS#8 PEM)", key.kid),
        mode: Some("0600".into()),
    })
}

fn retire(app: &App, args: RetireArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let key = resolve_key(&registrar, &args.key.profile, &args.key.kid)?;
    let at = match (args.at, args.in_) {
        (Some(at), _) => Some(at),
        (None, Some(secs)) => Some(now().saturating_add(secs)),
        (None, None) => None,
    };
    let key = registrar.retire_key(&args.key.profile, &key.kid, at)?;
    let headline = match key.retire_at {
        Some(t) => format!("Key {} retires at {}.", key.kid, crate::render::time::timestamp(t)),
        None => format!("Key {} never retires.", key.kid),
    };
    app.out.show(&KeyView::saying(headline, key))
}

fn bind(app: &App, args: BindArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let key = resolve_key(&registrar, &args.key.profile, &args.key.kid)?;
    let key = registrar.bind_key(&args.key.profile, &key.kid, args.client.as_deref())?;
    let headline = match &key.client_id {
        Some(client) => format!("Key {} belongs to client {client}.", key.kid),
        None => format!("Key {} is the profile's own.", key.kid),
    };
    app.out.show(&KeyView::saying(headline, key))
}

fn delete(app: &App, args: DeleteArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let profile = registrar.profile(&args.key.profile)?;
    let key = resolve_key(&registrar, &profile.id, &args.key.kid)?;
    // What the profile still names it for stops working with it; say so (the profile's
    // settings are the user's to change).
    let mut uses = Vec::new();
    if profile.tls.client_certificate.as_deref() == Some(key.kid.as_str()) {
        uses.push(format!(
            "profile {} presents its certificate for mutual TLS (`registrar cert use {} --none` or another key)",
            profile.name, profile.name
        ));
    }
    if profile.signing.request_signing_key.as_deref() == Some(key.kid.as_str()) {
        uses.push(format!(
            "profile {} signs its requests with it (`registrar profile edit {} --no-sign-requests` or another key)",
            profile.name, profile.name
        ));
    }
    if !args.yes {
        let also = if uses.is_empty() {
            String::new()
        } else {
            format!(" Still in use: {}.", uses.join("; "))
        };
        let question = format!(
            "Delete key {} of profile {} and its private half? Whatever it signs for stops working.{also}",
            key.kid, profile.name
        );
        if !confirm::ask(&question)? {
            return Err(Failure::new(1, "not confirmed; nothing was deleted"));
        }
    }
    registrar.delete_key(&profile.id, &key.kid)?;
    app.out.warn(
        &uses
            .iter()
            .map(|u| format!("the deleted key was still in use: {u}"))
            .collect::<Vec<_>>(),
    );
    app.out.show(&KeyDeletedView {
        profile: profile.name,
        kid: key.kid,
        deleted: true,
    })
}

async fn rotate(app: &App, args: RotateArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let profile = registrar.profile(&args.client.profile)?;
    let new = NewKey {
        kind: args.shape.kind.map(|k| k.name().to_string()),
        alg: args.shape.alg.map(|a| a.name().to_string()),
        rsa_bits: args.shape.bits,
        client_id: Some(args.client.client_id.clone()),
        label: args.label,
    };
    let outcome = provider_call(
        format!("rotating the key of {}", args.client.client_id),
        registrar.rotate_client_key(&profile.id, &args.client.client_id, &new, args.overlap),
    )
    .await??;
    let headline = format!(
        "Added a key for client {}; its older keys retire in {}.",
        args.client.client_id,
        crate::render::custody::window_text(args.overlap)
    );
    show_rotation(app, headline, &profile, &args.client.client_id, outcome)
}

async fn finish_rotation(app: &App, args: ClientRef) -> Result<(), Failure> {
    let registrar = app.open()?;
    let profile = registrar.profile(&args.profile)?;
    let outcome = provider_call(
        format!("finishing the key rotation of {}", args.client_id),
        registrar.finish_key_rotation(&profile.id, &args.client_id),
    )
    .await??;
    let headline = format!(
        "Finished the rotation of client {}: {} retired key(s) removed.",
        args.client_id,
        outcome.keys.len()
    );
    show_rotation(app, headline, &profile, &args.client_id, outcome)
}

fn show_rotation(
    app: &App,
    headline: String,
    profile: &registrar_core::Profile,
    client_id: &str,
    outcome: RotationOutcome,
) -> Result<(), Failure> {
    let unstored: Vec<_> = outcome.update.iter().filter_map(|u| u.unstored(&profile.id)).collect();
    let warnings = outcome.update.as_ref().map(|u| u.warnings.clone()).unwrap_or_default();
    app.out.warn(&warnings);
    app.out.show(&RotationView {
        headline,
        profile: profile.name.clone(),
        client_id: client_id.to_string(),
        keys: outcome.keys,
        update: outcome.update,
        notes: outcome.notes,
        warnings,
    })?;
    crate::commands::unstored::fail_if_any(app, unstored)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_times_and_mistakes() {
        assert_eq!(parse_rfc3339("1970-01-02T00:00:00Z"), Ok(86_400));
        assert!(parse_rfc3339("tomorrow").is_err());
        assert_eq!(crate::render::custody::window_text(86_400), "1d");
        assert_eq!(crate::render::custody::window_text(90), "90s");
    }
}
