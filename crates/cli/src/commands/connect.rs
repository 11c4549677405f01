//! `registrar connect`: the last hop of an MCP server's chain. For a client of a profile
//! made from a protected resource (`profile add --resource`), the authorization code grant
//! with PKCE, `resource` set to the resource and the scopes it asked for, then a call to
//! the resource with the token (`initialize` for an MCP server). It is `registrar try`
//! with those arguments filled in from the profile.

use super::locate;
use super::try_client::{run_located, TryArgs};
use crate::app::App;
use crate::failure::Failure;
use clap::Args;
use registrar_core::TryGrant;

#[derive(Debug, Args)]
pub struct ConnectArgs {
    /// The grant's options, as for `registrar try` (--scope replaces the resource's scopes,
    /// --resource adds indicators).
    #[command(flatten)]
    pub try_args: TryArgs,
}

pub async fn run(app: &App, args: ConnectArgs) -> Result<(), Failure> {
    let mut args = args.try_args;
    let registrar = app.open()?;
    let (profile, reg) = locate(&registrar, args.client.profile.as_deref(), &args.client.client_id)?;
    let Some(resource) = profile.resource.clone() else {
        return Err(Failure::usage(format!(
            "profile {} was not made from a protected resource: make one with `registrar profile add NAME --resource URL`, or use `registrar try --resource URL`",
            profile.name
        )));
    };
    args.grant = Some(TryGrant::AuthorizationCode);
    if !args.resource.contains(&resource.resource) {
        args.resource.insert(0, resource.resource.clone());
    }
    if args.scope.is_none() && !resource.scopes.is_empty() {
        args.scope = Some(resource.scopes.join(" "));
    }
    args.call_resource = true;
    run_located(app, &registrar, profile, reg, args).await
}
