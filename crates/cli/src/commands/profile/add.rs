//! `registrar profile add`: a new profile from the kind's preset and the flags (with
//! only `--issuer`, discovery finds the endpoints and suggests the kind), its secret
//! read from stdin, the environment or a prompt, and saved through the core.

use super::flags::ProfileFlags;
use super::secret_slot::SecretSlot;
use crate::app::App;
use crate::commands::provider_call;
use crate::failure::Failure;
use crate::input::secret::SecretArgs;
use crate::render::ProfileView;
use clap::{ArgGroup, Args};
use registrar_core::{Error, Profile, ProfileSecrets, ProviderKind, Registrar};

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("endpoint").required(true).multiple(true).args(["issuer", "registration_endpoint", "resource"])))]
pub struct AddArgs {
    /// The profile's name.
    pub name: String,
    /// The provider kind, which presets how its API bends the RFCs [default: generic, or
    /// what discovery suggests].
    #[arg(long, value_enum)]
    pub kind: Option<ProviderKind>,
    /// Make the profile from a protected resource (an MCP server's URL): its chain is
    /// discovered and the profile is for its authorization server, bound to it.
    #[arg(long, value_name = "URL", conflicts_with_all = ["issuer", "registration_endpoint"])]
    pub resource: Option<String>,
    #[command(flatten)]
    pub flags: ProfileFlags,
    /// The profile's secret (initial access token, admin password or client secret).
    #[command(flatten)]
    pub secret: SecretArgs,
}

pub async fn run(app: &App, args: AddArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    if registrar.profile(&args.name).is_ok() {
        return Err(Failure::usage(format!(
            "a profile named {} already exists; change it with `registrar profile edit`",
            args.name
        )));
    }
    let mut profile = match &args.flags.registration_endpoint {
        Some(endpoint) => Profile::new(
            args.name.trim(),
            args.kind.unwrap_or(ProviderKind::Generic),
            endpoint.clone(),
        ),
        None => match &args.resource {
            Some(url) => from_resource(app, &registrar, &args, url).await?,
            None => discovered(app, &registrar, &args).await?,
        },
    };
    args.flags.apply(&mut profile)?;
    // Settings first, so nobody types a password for a profile that cannot be saved.
    let problems = profile.check();
    if !problems.is_empty() {
        return Err(Error::Validation(problems).into());
    }
    let secrets = match SecretSlot::for_auth(&profile.registration_auth) {
        Some(slot) => slot.secrets(args.secret.read(&slot.describe(&profile.registration_auth))?),
        None if args.secret.given() => {
            return Err(Failure::usage(
                "this profile registers without credentials (--registration-auth none), so it takes no secret",
            ))
        }
        None => ProfileSecrets::default(),
    };
    let saved = registrar.save_profile(&profile, &secrets)?;
    if !app.out.is_json() {
        println!("Added profile {}.\n", saved.name);
    }
    app.out.show(&ProfileView::new(&saved, 0))
}

/// The profile a protected resource's chain proposes; a broken chain is shown, then refused.
async fn from_resource(app: &App, registrar: &Registrar, args: &AddArgs, url: &str) -> Result<Profile, Failure> {
    let tls = args.flags.tls(&Default::default())?;
    let chain = provider_call(format!("discovering {url}"), registrar.discover_resource(url, &tls)).await??;
    if chain.failed_step().is_some() {
        eprint!(
            "{}",
            crate::render::Human::human(&crate::render::ChainView(chain.clone()))
        );
    } else {
        let warnings: Vec<String> = chain.steps.iter().flat_map(|s| s.problems.iter().cloned()).collect();
        app.out.warn(&warnings);
    }
    let mut profile = chain.propose_profile(args.name.trim())?;
    if let Some(kind) = args.kind {
        let mut chosen = Profile::new(args.name.trim(), kind, profile.registration_endpoint.clone());
        chosen.issuer = profile.issuer.take();
        chosen.token_endpoint = profile.token_endpoint.take();
        chosen.resource = profile.resource.take();
        profile = chosen;
    }
    Ok(profile)
}

/// The profile the issuer's discovery document proposes, with the user's kind if given.
async fn discovered(app: &App, registrar: &Registrar, args: &AddArgs) -> Result<Profile, Failure> {
    let issuer = args.flags.issuer.as_deref().unwrap_or_default();
    // The TLS flags apply to discovery too.
    let tls = args.flags.tls(&Default::default())?;
    let discovery = provider_call(format!("discovering {issuer}"), registrar.discover(issuer, &tls)).await??;
    app.out.warn(&discovery.warnings);
    let mut profile = discovery.propose_profile(args.name.trim())?;
    if let Some(kind) = args.kind {
        let mut chosen = Profile::new(args.name.trim(), kind, profile.registration_endpoint.clone());
        chosen.issuer = profile.issuer.take();
        chosen.token_endpoint = profile.token_endpoint.take();
        profile = chosen;
    }
    Ok(profile)
}
