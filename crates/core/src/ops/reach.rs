//! Whether each profile's provider answered the last time Registrar asked, from the HTTP
//! history: the window marks profiles online or offline without sending anything.

use super::Registrar;
use crate::error::Result;
use crate::store::exchanges::LastExchange;
use crate::ProfileId;
use serde::{Deserialize, Serialize};

/// How a provider answered the last request sent to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum Reach {
    /// It answered (any HTTP status: a refusal is still an answer).
    Online,
    /// No answer: nothing listening, a TLS failure, a timeout.
    Offline,
}

/// A profile's provider as last seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct ProfileReach {
    /// The profile.
    pub profile_id: ProfileId,
    /// Online or offline.
    pub reach: Reach,
    /// When (unix seconds).
    pub at: i64,
    /// `HTTP 201`, or why no answer came.
    pub detail: String,
}

impl Registrar {
    /// The last request of every profile that has sent one; profiles never used are absent.
    pub fn profile_reach(&self) -> Result<Vec<ProfileReach>> {
        Ok(self
            .store
            .last_exchange_per_profile()?
            .into_iter()
            .map(|last| {
                let LastExchange {
                    profile_id,
                    at,
                    status,
                    error,
                } = last;
                match status {
                    Some(status) => ProfileReach {
                        profile_id,
                        reach: Reach::Online,
                        at,
                        detail: format!("HTTP {status}"),
                    },
                    None => ProfileReach {
                        profile_id,
                        reach: Reach::Offline,
                        at,
                        detail: error.unwrap_or_else(|| "no answer".into()),
                    },
                }
            })
            .collect())
    }
}
