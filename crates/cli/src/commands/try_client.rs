//! `registrar try`: prove a registration works by putting the client through a grant it is
//! registered for, and explain what came back. The authorization code grant opens the
//! system browser (or, with --no-browser, prints the URL) and waits for the redirect on a
//! loopback port, or for the final URL pasted back (--paste); the device grant prints the
//! user code and polls. Then, on request, refresh, introspect, call userinfo and revoke.
//! Tokens are never printed unless --show-tokens asks for them; nothing is stored.

use super::lifecycle::ClientArgs;
use super::{locate, provider_call};
use crate::app::App;
use crate::failure::Failure;
use crate::render::{TryActions, TryView};
use crate::signals::Interrupts;
use clap::Args;
use registrar_core::oauth::{PollEvent, PollOptions};
use registrar_core::{AuthorizationOptions, RedirectMode, TokenChoice, TryGrant, TryOutcome};
use std::future::Future;
use std::io::BufRead;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct TryArgs {
    #[command(flatten)]
    pub client: ClientArgs,
    /// The grant to use; by default the first the client is registered for, preferring
    /// client_credentials, then authorization_code, then device_code.
    #[arg(long, value_enum)]
    pub grant: Option<TryGrant>,
    /// The scope to ask for (space-separated); by default `openid` at an OpenID provider.
    #[arg(long)]
    pub scope: Option<String>,
    /// `prompt` for the authorization request (login, consent, select_account, none).
    #[arg(long)]
    pub prompt: Option<String>,
    /// `login_hint` for the authorization request.
    #[arg(long)]
    pub login_hint: Option<String>,
    /// `acr_values` for the authorization request.
    #[arg(long)]
    pub acr_values: Option<String>,
    /// A `resource` indicator (RFC 8707); repeatable.
    #[arg(long)]
    pub resource: Vec<String>,
    /// Another authorization request parameter, NAME=VALUE; repeatable.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Print the authorization (or verification) URL instead of opening the browser.
    #[arg(long)]
    pub no_browser: bool,
    /// Use this registered redirect URI and read the final URL the browser shows from
    /// standard input (for https and custom-scheme redirect URIs).
    #[arg(long, value_name = "REDIRECT_URI")]
    pub paste: Option<String>,
    /// When the client has no loopback redirect URI: add one at the provider for this try
    /// and remove it afterwards (two updates, journalled).
    #[arg(long)]
    pub add_loopback: bool,
    /// How long to wait for the user, in seconds.
    #[arg(long, default_value_t = 300)]
    pub timeout: u64,
    /// Then use the refresh token, and say whether it rotated.
    #[arg(long)]
    pub refresh: bool,
    /// Then ask the introspection endpoint about the access token (RFC 7662).
    #[arg(long)]
    pub introspect: bool,
    /// Then call the userinfo endpoint with the access token.
    #[arg(long)]
    pub userinfo: bool,
    /// Then call the protected resource the profile was made for (an MCP server gets
    /// `initialize`) with the access token, and show its answer.
    #[arg(long)]
    pub call_resource: bool,
    /// Finally revoke the access token and the refresh token (RFC 7009).
    #[arg(long)]
    pub revoke: bool,
    /// Print the tokens themselves (they are secrets: only on a screen nobody else reads).
    #[arg(long)]
    pub show_tokens: bool,
}

pub async fn run(app: &App, args: TryArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let (profile, reg) = locate(&registrar, args.client.profile.as_deref(), &args.client.client_id)?;
    run_located(app, &registrar, profile, reg, args).await
}

/// The try of a client already found (`connect` finds it and fills the arguments first).
pub async fn run_located(
    app: &App,
    registrar: &registrar_core::Registrar,
    profile: registrar_core::Profile,
    reg: registrar_core::Registration,
    args: TryArgs,
) -> Result<(), Failure> {
    let target = provider_call(
        format!("reading what {} offers", profile.name),
        registrar.try_target(&profile.id, &reg.client_id, args.grant),
    )
    .await??;
    app.out.warn(&target.warnings);
    let timeout = Duration::from_secs(args.timeout);
    let mut outcome: TryOutcome = match target.grant {
        TryGrant::ClientCredentials => {
            provider_call(
                format!("asking {} for a token as {}", profile.name, reg.client_id),
                registrar.try_client_credentials(&target, args.scope.as_deref()),
            )
            .await??
        }
        TryGrant::AuthorizationCode => {
            let options = AuthorizationOptions {
                scope: args.scope.clone(),
                prompt: args.prompt.clone(),
                acr_values: args.acr_values.clone(),
                login_hint: args.login_hint.clone(),
                resource: args.resource.clone(),
                extra: parse_params(&args.params)?,
                redirect: match &args.paste {
                    Some(uri) => RedirectMode::Paste {
                        redirect_uri: uri.clone(),
                    },
                    None => RedirectMode::Loopback,
                },
                add_loopback: args.add_loopback,
            };
            let mut pending = provider_call(
                "preparing the authorization request",
                registrar.authorization_begin(&target, options),
            )
            .await??;
            if let Some(added) = pending.added_redirect() {
                eprintln!("Added the redirect URI {added} to the client for this try; it is removed afterwards.");
            }
            open(pending.url().as_str(), args.no_browser, "Sign in");
            let callback = if pending.listens() {
                eprintln!("Waiting for the browser to come back to {} …", pending.redirect_uri());
                let failure = match until_interrupted(pending.wait_for_redirect(timeout)).await {
                    Ok(Ok(url)) => Ok(url),
                    Ok(Err(e)) => Err(Failure::from(e)),
                    Err(interrupted) => Err(interrupted),
                };
                match failure {
                    Ok(url) => url,
                    Err(failure) => {
                        // No answer is coming: give back what the try borrowed.
                        if let Err(e) = registrar.authorization_cancel(pending).await {
                            eprintln!("warning: {e}");
                        }
                        return Err(failure);
                    }
                }
            } else {
                eprintln!(
                    "Paste the full URL the browser ended at (it starts with {}):",
                    pending.redirect_uri()
                );
                read_pasted_url()?
            };
            provider_call(
                "exchanging the code for tokens",
                registrar.authorization_finish(pending, &callback),
            )
            .await??
        }
        TryGrant::DeviceCode => {
            let pending = provider_call(
                "asking for a device code",
                registrar.device_begin(&target, args.scope.as_deref()),
            )
            .await??;
            eprintln!(
                "Enter the code {} at {} (valid {} s).",
                pending.user_code(),
                pending.verification_uri(),
                pending.expires_in_secs()
            );
            if let Some(complete) = pending.verification_uri_complete() {
                open(complete, args.no_browser, "Or open");
            }
            let options = PollOptions {
                timeout: Some(timeout),
                ..Default::default()
            };
            until_interrupted(registrar.device_finish(pending, &options, tell_poll)).await??
        }
    };
    let mut actions = TryActions::default();
    if args.refresh {
        actions.refresh = Some(provider_call("refreshing", registrar.try_refresh(&mut outcome.session)).await??);
    }
    if args.introspect {
        actions.introspection = Some(
            provider_call(
                "introspecting the access token",
                registrar.try_introspect(&outcome.session, TokenChoice::AccessToken),
            )
            .await??,
        );
    }
    if args.userinfo {
        actions.userinfo = Some(provider_call("calling userinfo", registrar.try_userinfo(&outcome.session)).await??);
    }
    if args.call_resource {
        let answer = provider_call(
            "calling the protected resource",
            registrar.call_profile_resource(&outcome.session),
        )
        .await??;
        if let Some(scopes) = &answer.reauthorize_scopes {
            eprintln!(
                "The resource wants more scope: authorize again with --scope \"{}\".",
                scopes.join(" ")
            );
        }
        actions.resource = Some(answer);
    }
    if args.revoke {
        let mut revoked = Vec::new();
        for which in [TokenChoice::RefreshToken, TokenChoice::AccessToken] {
            if outcome.session.token(which).is_some() {
                provider_call("revoking", registrar.try_revoke(&outcome.session, which)).await??;
                revoked.push(which);
            }
        }
        actions.revoked = Some(revoked);
    }
    if args.show_tokens {
        actions.tokens = Some(crate::render::ShownTokens {
            access_token: outcome
                .session
                .token(TokenChoice::AccessToken)
                .map(|s| s.expose().to_string()),
            id_token: outcome.session.id_token().map(|s| s.expose().to_string()),
            refresh_token: outcome
                .session
                .token(TokenChoice::RefreshToken)
                .map(|s| s.expose().to_string()),
        });
    }
    let refused = actions.resource.as_ref().is_some_and(|a| !a.succeeded);
    app.out.show(&TryView {
        profile: profile.name,
        report: outcome.report,
        actions,
    })?;
    if refused {
        return Err(Failure::new(
            1,
            "the protected resource did not accept the token (see above)",
        ));
    }
    Ok(())
}

/// Waits for the user; the first Ctrl-C stops waiting (nothing is in flight to lose).
async fn until_interrupted<F: Future>(waiting: F) -> Result<F::Output, Failure> {
    let mut interrupts = Interrupts::listen();
    tokio::select! {
        output = waiting => Ok(output),
        () = interrupts.next() => Err(Failure::interrupted()),
    }
}

fn open(url: &str, no_browser: bool, verb: &str) {
    eprintln!("{verb}: {url}");
    if no_browser {
        return;
    }
    if let Err(e) = webbrowser::open(url) {
        eprintln!("The browser could not be started ({e}); open the URL above yourself.");
    }
}

fn tell_poll(event: PollEvent) {
    match event {
        PollEvent::SlowDown { interval, .. } => {
            eprintln!(
                "The provider asked to slow down: polling every {} s.",
                interval.as_secs()
            )
        }
        PollEvent::NetworkError { message, .. } => eprintln!("A poll got no answer ({message}); trying again."),
        PollEvent::Pending { .. } | PollEvent::Done { .. } => {}
    }
}

fn read_pasted_url() -> Result<url::Url, Failure> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::usage(format!("reading the pasted URL: {e}")))?;
    url::Url::parse(line.trim()).map_err(|e| Failure::usage(format!("the pasted text is not a URL: {e}")))
}

fn parse_params(params: &[String]) -> Result<Vec<(String, String)>, Failure> {
    params
        .iter()
        .map(|p| {
            p.split_once('=')
                .filter(|(name, _)| !name.is_empty())
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .ok_or_else(|| Failure::usage(format!("--param {p}: expected NAME=VALUE")))
        })
        .collect()
}
