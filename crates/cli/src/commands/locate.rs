//! Finding the client a command is about: in the named profile, or, when no profile is
//! named, in the one profile that has a client with that id.

use crate::failure::Failure;
use registrar_core::{Error, Profile, Registrar, Registration};

pub fn locate(
    registrar: &Registrar,
    profile: Option<&str>,
    client_id: &str,
) -> Result<(Profile, Registration), Failure> {
    if let Some(name) = profile {
        let profile = registrar.profile(name)?;
        return match registrar.registration(&profile.id, client_id) {
            Ok(reg) => Ok((profile, reg)),
            Err(Error::NotFound { .. }) => Err(Failure::not_found(format!(
                "client {client_id} is not known in profile {}; `registrar list` shows the clients known locally",
                profile.name
            ))),
            Err(e) => Err(e.into()),
        };
    }
    let mut found = Vec::new();
    for profile in registrar.profiles()? {
        match registrar.registration(&profile.id, client_id) {
            Ok(reg) => found.push((profile, reg)),
            Err(Error::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    match found.len() {
        0 => Err(Failure::not_found(format!(
            "no profile knows a client {client_id}; `registrar list` shows the clients known locally"
        ))),
        1 => Ok(found.remove(0)),
        _ => {
            let names: Vec<&str> = found.iter().map(|(p, _)| p.name.as_str()).collect();
            Err(Failure::usage(format!(
                "client {client_id} is known in several profiles ({}): pass --profile",
                names.join(", ")
            )))
        }
    }
}

/// Profile names by id, for views of rows that carry only the id.
pub fn profile_names(
    registrar: &Registrar,
) -> Result<std::collections::HashMap<registrar_core::ProfileId, String>, Failure> {
    Ok(registrar.profiles()?.into_iter().map(|p| (p.id, p.name)).collect())
}

/// How many clients a profile has locally.
pub fn client_count(registrar: &Registrar, profile_id: &registrar_core::ProfileId) -> Result<usize, Failure> {
    let page = registrar.search(&registrar_core::Query {
        profile_id: Some(profile_id.clone()),
        limit: 1,
        ..Default::default()
    })?;
    Ok(page.total as usize)
}
