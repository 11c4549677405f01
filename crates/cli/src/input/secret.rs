//! Where a secret comes from: standard input (`--secret-stdin`), an environment variable
//! (`--secret-env NAME`), or a prompt without echo when a terminal is attached. Never a
//! flag value (see `refused`).

use crate::failure::Failure;
use clap::Args;
use registrar_core::Secret;
use std::io::{IsTerminal, Read};

#[derive(Debug, Default, Args)]
pub struct SecretArgs {
    /// Read the secret from standard input (up to the end, one trailing newline removed).
    #[arg(long, conflicts_with = "secret_env")]
    pub secret_stdin: bool,
    /// Read the secret from the environment variable NAME.
    #[arg(long, value_name = "NAME")]
    pub secret_env: Option<String>,
}

impl SecretArgs {
    pub fn given(&self) -> bool {
        self.secret_stdin || self.secret_env.is_some()
    }

    /// The secret from the chosen source, or from a prompt; `what` names it for the user.
    pub fn read(&self, what: &str) -> Result<Secret, Failure> {
        match self.read_given(what)? {
            Some(secret) => Ok(secret),
            None => prompt(what),
        }
    }

    /// The secret when a source was chosen; no prompt.
    pub fn read_given(&self, what: &str) -> Result<Option<Secret>, Failure> {
        if self.secret_stdin {
            return from_stdin(what).map(Some);
        }
        match &self.secret_env {
            Some(name) => from_env(name, what).map(Some),
            None => Ok(None),
        }
    }
}

pub fn from_env(name: &str, what: &str) -> Result<Secret, Failure> {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => Ok(Secret::new(value)),
        Ok(_) => Err(Failure::usage(format!(
            "the environment variable {name} (for the {what}) is empty"
        ))),
        Err(std::env::VarError::NotPresent) => Err(Failure::usage(format!(
            "the environment variable {name} (for the {what}) is not set"
        ))),
        Err(std::env::VarError::NotUnicode(_)) => Err(Failure::usage(format!(
            "the environment variable {name} (for the {what}) is not valid UTF-8"
        ))),
    }
}

fn from_stdin(what: &str) -> Result<Secret, Failure> {
    let mut raw = String::new();
    std::io::stdin()
        .read_to_string(&mut raw)
        .map_err(|e| Failure::usage(format!("could not read the {what} from standard input: {e}")))?;
    let value = raw.strip_suffix('\n').unwrap_or(&raw);
    let value = value.strip_suffix('\r').unwrap_or(value);
    if value.is_empty() {
        return Err(Failure::usage(format!("standard input held no {what}")));
    }
    Ok(Secret::new(value))
}

fn prompt(what: &str) -> Result<Secret, Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(Failure::usage(format!(
            "the {what} is needed and there is no terminal to ask on: pass --secret-stdin or --secret-env NAME"
        )));
    }
    let value = rpassword::prompt_password(format!("{} (not echoed): ", capitalized(what)))
        .map_err(|e| Failure::usage(format!("could not read the {what}: {e}")))?;
    if value.is_empty() {
        return Err(Failure::usage(format!("no {what} was entered")));
    }
    Ok(Secret::new(value))
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
