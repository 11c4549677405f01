//! `registrar ssa ...`: software statements (RFC 7591 §2.3, Open Banking's SSA) kept per
//! profile: added from a file, standard input or a directory's URL, decoded and checked
//! against a JWK Set the user names, sent with every registration (`ssa use`), and — for
//! tests — signed by a local "directory" key.

use super::{read_jwks, read_text, resolve_key};
use crate::app::App;
use crate::commands::provider_call;
use crate::failure::Failure;
use crate::input::duration::parse_duration;
use crate::input::secret::from_env;
use crate::render::custody::{
    InspectionView, SettingView, SignedStatementView, StatementList, StatementRemovedView, StatementRow, StatementView,
};
use clap::{ArgGroup, Args, Subcommand};
use registrar_core::{ProfileSecrets, Registrar};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum SsaCommand {
    /// Keep a software statement in a profile, from a file, standard input or a URL.
    Add(AddArgs),
    /// List a profile's software statements.
    List {
        /// The profile (name or id).
        profile: String,
    },
    /// Decode a kept statement: header, claims, times, signature (against --jwks or
    /// --jwks-uri) and problems.
    Show(ShowArgs),
    /// Decode a statement without keeping it.
    Inspect(InspectArgs),
    /// Forget a software statement.
    Remove {
        /// The profile (name or id).
        profile: String,
        /// Its label.
        label: String,
    },
    /// Sign a software statement with a key in custody, playing a directory (for tests).
    Sign(SignArgs),
    /// Send this statement with every registration of the profile, or none.
    Use(UseArgs),
}

// The JWK Set to check a signature against.
// (A comment, not a doc comment: flattened into a deferred subcommand, a doc comment
// would replace that command's own description; see args::Command.)
#[derive(Debug, Args)]
pub struct JwksSource {
    /// The directory's JWK Set, from a file.
    #[arg(long, value_name = "FILE", conflicts_with = "jwks_uri")]
    pub jwks: Option<PathBuf>,
    /// The directory's JWK Set, fetched from this URL (over the profile's TLS settings).
    #[arg(long, value_name = "URL")]
    pub jwks_uri: Option<String>,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").required(true).args(["file", "stdin", "url"])))]
pub struct AddArgs {
    /// The profile (name or id).
    pub profile: String,
    /// The name to keep it under (replaces one of that name).
    pub label: String,
    /// A file holding the JWT ("-" for standard input).
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Read the JWT from standard input.
    #[arg(long)]
    pub stdin: bool,
    /// Fetch it from a directory (GET, over the profile's TLS settings and client
    /// certificate).
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// With --url: the environment variable holding a bearer token for the directory.
    #[arg(long, value_name = "VAR", requires = "url")]
    pub token_env: Option<String>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The profile (name or id).
    pub profile: String,
    /// Its label.
    pub label: String,
    #[command(flatten)]
    pub jwks: JwksSource,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").required(true).args(["file", "stdin"])))]
pub struct InspectArgs {
    /// A profile, whose TLS settings fetch --jwks-uri (needed only for --jwks-uri).
    pub profile: Option<String>,
    /// A file holding the JWT ("-" for standard input).
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Read the JWT from standard input.
    #[arg(long)]
    pub stdin: bool,
    #[command(flatten)]
    pub jwks: JwksSource,
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// The profile (name or id).
    pub profile: String,
    /// The directory key that signs (its kid, or a prefix only it has).
    #[arg(long, value_name = "KID", allow_hyphen_values = true)]
    pub key: String,
    /// The claims, a JSON object (software_id, software_redirect_uris, ...; "-" for standard
    /// input); iss, iat and jti are filled in where absent.
    #[arg(long, value_name = "FILE")]
    pub claims: PathBuf,
    /// Set exp this long after now (30d, 12h, 10m), unless the claims have one.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub lifetime: Option<i64>,
    /// Also keep it in the profile under this label.
    #[arg(long, value_name = "LABEL")]
    pub keep: Option<String>,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("which").required(true).args(["label", "none"])))]
pub struct UseArgs {
    /// The profile (name or id).
    pub profile: String,
    /// The statement's label.
    pub label: Option<String>,
    /// Send no software statement.
    #[arg(long)]
    pub none: bool,
}

pub async fn run(app: &App, command: SsaCommand) -> Result<(), Failure> {
    match command {
        SsaCommand::Add(args) => add(app, args).await,
        SsaCommand::List { profile } => list(app, &profile),
        SsaCommand::Show(args) => show(app, args).await,
        SsaCommand::Inspect(args) => inspect(app, args).await,
        SsaCommand::Remove { profile, label } => remove(app, &profile, &label),
        SsaCommand::Sign(args) => sign(app, args),
        SsaCommand::Use(args) => use_statement(app, args),
    }
}

fn in_use(registrar: &Registrar, profile: &str) -> Result<Option<String>, Failure> {
    Ok(registrar.profile(profile)?.signing.software_statement)
}

async fn add(app: &App, args: AddArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let profile = registrar.profile(&args.profile)?;
    let kept = match &args.url {
        Some(url) => {
            let token = args
                .token_env
                .as_deref()
                .map(|var| from_env(var, "directory's token"))
                .transpose()?;
            provider_call(
                format!("fetching the software statement from {url}"),
                registrar.fetch_software_statement(&profile.id, &args.label, url, token.as_ref()),
            )
            .await??
        }
        None => {
            let jwt = read_text(args.file.as_deref(), args.stdin, "software statement")?;
            let source = match &args.file {
                Some(path) if path.as_os_str() != "-" => format!("file:{}", path.display()),
                _ => "pasted".to_string(),
            };
            registrar.keep_software_statement(&profile.id, &args.label, &jwt, &source)?
        }
    };
    let used = profile.signing.software_statement.as_deref() == Some(kept.label.as_str());
    let mut view = StatementView::new(&profile.name, kept, used);
    view.headline = Some(format!(
        "Kept software statement {} in profile {}.",
        view.label, profile.name
    ));
    app.out.warn(&view.inspection.problems);
    app.out.show(&view)
}

fn list(app: &App, profile: &str) -> Result<(), Failure> {
    let registrar = app.open()?;
    let profile = registrar.profile(profile)?;
    let statements = registrar.software_statements(&profile.id)?;
    app.out.show(&StatementList {
        profile: profile.name,
        in_use: profile.signing.software_statement,
        statements: statements.iter().map(StatementRow::new).collect(),
    })
}

async fn checked(
    registrar: &Registrar,
    profile: &str,
    jwt: &str,
    jwks: &JwksSource,
) -> Result<registrar_core::custody::SsaInspection, Failure> {
    let set = jwks.jwks.as_deref().map(read_jwks).transpose()?;
    let message = match &jwks.jwks_uri {
        Some(uri) => format!("fetching the JWK Set at {uri}"),
        None => "checking the software statement".to_string(),
    };
    Ok(provider_call(
        message,
        registrar.inspect_software_statement(profile, jwt, set, jwks.jwks_uri.as_deref()),
    )
    .await??)
}

async fn show(app: &App, args: ShowArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let profile = registrar.profile(&args.profile)?;
    let mut kept = registrar.software_statement(&profile.id, &args.label)?;
    if args.jwks.jwks.is_some() || args.jwks.jwks_uri.is_some() {
        kept.inspection = checked(&registrar, &profile.id, &kept.jwt, &args.jwks).await?;
    }
    let used = in_use(&registrar, &profile.id)?.as_deref() == Some(kept.label.as_str());
    app.out.show(&StatementView::new(&profile.name, kept, used))
}

async fn inspect(app: &App, args: InspectArgs) -> Result<(), Failure> {
    let jwt = read_text(args.file.as_deref(), args.stdin, "software statement")?;
    let registrar = app.open()?;
    let profile = match (&args.profile, &args.jwks.jwks_uri) {
        (Some(name), _) => registrar.profile(name)?.id.to_string(),
        (None, Some(_)) => {
            return Err(Failure::usage(
                "--jwks-uri is fetched with a profile's TLS settings: name the profile (`registrar ssa inspect PROFILE --file F --jwks-uri URL`)",
            ))
        }
        // Without a URL to fetch, no profile is consulted.
        (None, None) => String::new(),
    };
    let inspection = checked(&registrar, &profile, jwt.trim(), &args.jwks).await?;
    app.out.show(&InspectionView(inspection))
}

fn remove(app: &App, profile: &str, label: &str) -> Result<(), Failure> {
    let registrar = app.open()?;
    let mut profile = registrar.profile(profile)?;
    registrar.remove_software_statement(&profile.id, label)?;
    if profile.signing.software_statement.as_deref() == Some(label) {
        profile.signing.software_statement = None;
        registrar.save_profile(&profile, &ProfileSecrets::default())?;
        app.out.warn(&[format!(
            "it was the statement every registration of profile {} carried; now none is sent",
            profile.name
        )]);
    }
    app.out.show(&StatementRemovedView {
        profile: profile.name,
        label: label.to_string(),
        removed: true,
    })
}

fn sign(app: &App, args: SignArgs) -> Result<(), Failure> {
    let text = read_text(Some(&args.claims), false, "claims")?;
    let claims: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Failure::usage(format!("{} is not JSON: {e}", args.claims.display())))?;
    let registrar = app.open()?;
    let profile = registrar.profile(&args.profile)?;
    let key = resolve_key(&registrar, &profile.id, &args.key)?;
    let jwt = registrar.sign_software_statement(&profile.id, &key.kid, &claims, args.lifetime)?;
    if let Some(label) = &args.keep {
        registrar.keep_software_statement(&profile.id, label, &jwt, "signed locally")?;
        eprintln!("Kept it in profile {} as {label}.", profile.name);
    }
    app.out.show(&SignedStatementView { jwt, kept: args.keep })
}

fn use_statement(app: &App, args: UseArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let mut profile = registrar.profile(&args.profile)?;
    let label = match (&args.label, args.none) {
        (Some(label), false) => {
            let kept = registrar.software_statement(&profile.id, label)?;
            if kept.inspection.expired {
                app.out.warn(&[format!(
                    "software statement {label} has expired: registrations will be refused, before anything is sent, until the profile uses a fresh one"
                )]);
            }
            Some(kept.label)
        }
        _ => None,
    };
    profile.signing.software_statement = label.clone();
    let saved = registrar.save_profile(&profile, &ProfileSecrets::default())?;
    let sentence = match &label {
        Some(label) => format!(
            "Every registration of profile {} carries software statement {label} (unless its metadata has one).",
            saved.name
        ),
        None => format!("Registrations of profile {} carry no software statement.", saved.name),
    };
    app.out.show(&SettingView {
        profile: saved.name,
        setting: "signing.software_statement",
        value: label,
        sentence,
    })
}
