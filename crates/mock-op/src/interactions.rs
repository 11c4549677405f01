//! Login sessions in progress on the demo pages: between the login form and the consent form
//! the server remembers what is being authorized and who logged in, so the forms carry only an
//! opaque id and cannot be edited into granting something else.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::authorize::AuthRequest;
use crate::secret;

/// A user who finished the login form.
#[derive(Clone, Debug)]
pub(crate) struct LoggedIn {
    pub(crate) sub: String,
    pub(crate) auth_time: u64,
}

/// What the user is being asked to approve.
#[derive(Clone, Debug)]
pub(crate) enum Purpose {
    Authorize(Box<AuthRequest>),
    /// A device authorization, by its user code.
    Device(String),
}

#[derive(Clone, Debug)]
pub(crate) struct Interaction {
    pub(crate) purpose: Purpose,
    pub(crate) user: Option<LoggedIn>,
}

/// How long a login page may stay open.
const TTL: Duration = Duration::from_secs(30 * 60);
const SWEEP_AT: usize = 1024;

#[derive(Debug, Default)]
pub(crate) struct Interactions {
    open: Mutex<HashMap<String, (Interaction, Instant)>>,
}

impl Interactions {
    pub(crate) fn start(&self, purpose: Purpose, user: Option<LoggedIn>) -> String {
        let id = secret::token(24);
        let mut open = self.lock();
        if open.len() >= SWEEP_AT {
            open.retain(|_, (_, started)| started.elapsed() < TTL);
        }
        open.insert(id.clone(), (Interaction { purpose, user }, Instant::now()));
        id
    }

    pub(crate) fn get(&self, id: &str) -> Option<Interaction> {
        let open = self.lock();
        let (interaction, started) = open.get(id)?;
        (started.elapsed() < TTL).then(|| interaction.clone())
    }

    pub(crate) fn log_in(&self, id: &str, user: LoggedIn) {
        if let Some((interaction, _)) = self.lock().get_mut(id) {
            interaction.user = Some(user);
        }
    }

    /// Ends the interaction: a decision is made once.
    pub(crate) fn finish(&self, id: &str) -> Option<Interaction> {
        self.lock().remove(id).map(|(interaction, _)| interaction)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Interaction, Instant)>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
