//! `registrar profile import`: add a profile from `profile export`'s JSON, under a new id,
//! with its secret from stdin, the environment or a prompt (an export never has one).

use super::secret_slot::SecretSlot;
use crate::app::App;
use crate::commands::client_count;
use crate::failure::Failure;
use crate::input::secret::SecretArgs;
use crate::render::ProfileView;
use clap::Args;
use registrar_core::{Profile, ProfileSecrets};
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ImportProfileArgs {
    /// The file `registrar profile export` wrote ("-" for standard input).
    pub file: PathBuf,
    /// A name for the new profile [default: the exported one].
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// The profile's secret, which exports never carry.
    #[command(flatten)]
    pub secret: SecretArgs,
}

/// Only to learn which secret the profile needs before it is saved; the core parses
/// the export itself.
#[derive(Deserialize)]
struct Peek {
    profile: Profile,
}

pub fn run(app: &App, args: ImportProfileArgs) -> Result<(), Failure> {
    let json = if args.file.as_os_str() == "-" {
        if args.secret.secret_stdin {
            return Err(Failure::usage(
                "standard input cannot hold both the profile and its secret",
            ));
        }
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(&args.file)
    }
    .map_err(|e| Failure::usage(format!("cannot read {}: {e}", args.file.display())))?;
    let secrets = match serde_json::from_str::<Peek>(&json)
        .ok()
        .map(|p| p.profile.registration_auth)
    {
        Some(auth) => match SecretSlot::for_auth(&auth) {
            Some(slot) => slot.secrets(args.secret.read(&slot.describe(&auth))?),
            None => ProfileSecrets::default(),
        },
        None => ProfileSecrets::default(),
    };
    let registrar = app.open()?;
    let saved = registrar
        .import_profile(&json, args.name.as_deref(), &secrets)
        .map_err(|e| Failure::from(e).context(args.file.display()))?;
    let clients = client_count(&registrar, &saved.id)?;
    if !app.out.is_json() {
        println!("Imported profile {}.\n", saved.name);
    }
    app.out.show(&ProfileView::new(&saved, clients))
}
