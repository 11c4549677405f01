//! `registrar import --kcreg` and `--oidc-agent`: what Keycloak's kcreg and oidc-agent
//! already hold becomes profiles and clients (the core's `bring_*`); the exit code says
//! whether any client could not be adopted.

use crate::app::App;
use crate::commands::provider_call;
use crate::failure::{Failure, REFUSED};
use crate::render::BroughtInView;
use registrar_core::profile::TlsOptions;
use registrar_core::{parse_kcreg_config, parse_oidc_agent_account, BroughtIn};
use std::io::Read;
use std::path::{Path, PathBuf};

pub async fn kcreg(app: &App, file: &Path) -> Result<(), Failure> {
    let file = if file.as_os_str().is_empty() {
        default_kcreg()?
    } else {
        file.to_path_buf()
    };
    let text = read(&file)?;
    let realms = parse_kcreg_config(&text).map_err(|e| Failure::from(e).context(file.display()))?;
    if realms.is_empty() {
        return Err(Failure::usage(format!(
            "{} holds no client tokens and no initial access token",
            file.display()
        )));
    }
    let registrar = app.open()?;
    let message = format!("adopting the clients of {}", file.display());
    let brought = provider_call(message, registrar.bring_kcreg(realms)).await??;
    finish(app, brought)
}

pub async fn oidc_agent(app: &App, file: &Path) -> Result<(), Failure> {
    let text = read(file)?;
    let account = parse_oidc_agent_account(&text).map_err(|e| Failure::from(e).context(file.display()))?;
    let registrar = app.open()?;
    let message = format!("adopting oidc-agent account {}", account.name);
    let brought = provider_call(message, registrar.bring_oidc_agent(account, &TlsOptions::default())).await??;
    finish(app, brought)
}

fn finish(app: &App, brought: BroughtIn) -> Result<(), Failure> {
    let failed = brought.clients.iter().filter(|c| c.error.is_some()).count();
    let total = brought.clients.len();
    let unstored = brought.clients.iter().filter_map(|c| c.unstored.clone()).collect();
    app.out.show(&BroughtInView(brought))?;
    crate::commands::unstored::fail_if_any(app, unstored)?;
    if failed > 0 {
        return Err(Failure::new(
            REFUSED,
            format!("{failed} of {total} client(s) could not be adopted"),
        ));
    }
    Ok(())
}

/// `-` is standard input: `oidc-gen -p NAME | registrar import --oidc-agent -`.
fn read(file: &Path) -> Result<String, Failure> {
    if file == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::usage(format!("cannot read standard input: {e}")))?;
        return Ok(text);
    }
    std::fs::read_to_string(file).map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))
}

fn default_kcreg() -> Result<PathBuf, Failure> {
    let home = std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .ok_or_else(|| Failure::usage("no home folder is known: name the kcreg file"))?;
    Ok(PathBuf::from(home).join(".keycloak").join("kcreg.config"))
}
