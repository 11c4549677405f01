//! `registrar profile edit`: change settings in place (the id, and so the keychain
//! entries, stay). A new secret is asked for when the credential it belongs to changes,
//! or on request.

use super::flags::ProfileFlags;
use super::secret_slot::SecretSlot;
use crate::app::App;
use crate::commands::client_count;
use crate::failure::Failure;
use crate::input::secret::SecretArgs;
use crate::render::ProfileView;
use clap::Args;
use registrar_core::{Error, ProfileSecrets};

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The profile's name or id.
    pub name: String,
    /// Give the profile a new name.
    #[arg(long, value_name = "NEW")]
    pub rename: Option<String>,
    #[command(flatten)]
    pub flags: ProfileFlags,
    #[command(flatten)]
    pub signing: super::signing::SigningFlags,
    /// A new secret for the profile; without these it is kept, unless the user or client
    /// it belongs to changes.
    #[command(flatten)]
    pub secret: SecretArgs,
    /// Ask for a new secret, without echo.
    #[arg(long, conflicts_with_all = ["secret_stdin", "secret_env"])]
    pub ask_secret: bool,
}

pub fn run(app: &App, args: EditArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let mut profile = registrar.profile(&args.name)?;
    let before = SecretSlot::owner(&profile.registration_auth);
    if let Some(name) = &args.rename {
        profile.name = name.trim().to_string();
    }
    args.flags.apply(&mut profile)?;
    args.signing.apply(&registrar, &mut profile)?;
    let problems = profile.check();
    if !problems.is_empty() {
        return Err(Error::Validation(problems).into());
    }
    let auth = &profile.registration_auth;
    let secrets = match SecretSlot::for_auth(auth) {
        Some(slot) if args.ask_secret || SecretSlot::owner(auth) != before => {
            slot.secrets(args.secret.read(&slot.describe(auth))?)
        }
        Some(slot) => match args.secret.read_given(&slot.describe(auth))? {
            Some(secret) => slot.secrets(secret),
            None => ProfileSecrets::default(),
        },
        None if args.secret.given() || args.ask_secret => {
            return Err(Failure::usage(
                "this profile registers without credentials (--registration-auth none), so it takes no secret",
            ))
        }
        None => ProfileSecrets::default(),
    };
    let saved = registrar.save_profile(&profile, &secrets)?;
    let clients = client_count(&registrar, &saved.id)?;
    if !app.out.is_json() {
        println!("Updated profile {}.\n", saved.name);
    }
    app.out.show(&ProfileView::new(&saved, clients))
}
