//! The device authorization grant (RFC 8628): the user code and where to type it are shown
//! (the window adds a QR code of `verification_uri_complete`), then the token endpoint is
//! polled, honouring `interval` and `slow_down`, until the user answers or the code expires.

use super::session::{TryOutcome, TrySession};
use super::target::{TryGrant, TryTarget};
use crate::error::{Error, Result};
use crate::oauth::{DeviceAuthorization, Endpoint, PollEvent, PollOptions};
use crate::ops::Registrar;

/// A device authorization waiting for its user.
pub struct PendingDevice {
    session: TrySession,
    device: DeviceAuthorization,
    mark: i64,
}

impl std::fmt::Debug for PendingDevice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingDevice")
            .field("user_code", &self.device.user_code)
            .field("verification_uri", &self.device.verification_uri)
            .finish_non_exhaustive()
    }
}

impl PendingDevice {
    /// What the user types.
    pub fn user_code(&self) -> &str {
        &self.device.user_code
    }

    /// Where the user types it.
    pub fn verification_uri(&self) -> &str {
        &self.device.verification_uri
    }

    /// The same with the code in it, when the provider gave one (for a QR code).
    pub fn verification_uri_complete(&self) -> Option<&str> {
        self.device.verification_uri_complete.as_deref()
    }

    /// How long the code lives, in seconds.
    pub fn expires_in_secs(&self) -> u64 {
        self.device.expires_in.as_secs()
    }

    /// The least time between polls, in seconds.
    pub fn interval_secs(&self) -> u64 {
        self.device.interval.as_secs()
    }
}

impl Registrar {
    /// Asks the device authorization endpoint for a user code.
    pub async fn device_begin(&self, target: &TryTarget, scope: Option<&str>) -> Result<PendingDevice> {
        if target.grant != TryGrant::DeviceCode {
            return Err(Error::config(
                "grant",
                "device_begin is for the device authorization grant",
            ));
        }
        let endpoint = target.provider.require(Endpoint::DeviceAuthorization)?.clone();
        let session = TrySession::new(target, None)?;
        let mark = self.exchanges_mark(&session);
        let device = self.session_client(&session)?.start_device(&endpoint, scope).await?;
        Ok(PendingDevice { session, device, mark })
    }

    /// Polls until the user approves or denies, or the code expires; each poll is told to
    /// `on_event`. Dropping the future stops polling.
    pub async fn device_finish(
        &self,
        pending: PendingDevice,
        options: &PollOptions,
        on_event: impl FnMut(PollEvent) + Send,
    ) -> Result<TryOutcome> {
        let PendingDevice {
            mut session,
            device,
            mark,
        } = pending;
        let tokens = self
            .session_client(&session)?
            .poll_device(&session.token_endpoint, &device, options, on_event)
            .await?;
        let report = self
            .report(&mut session, TryGrant::DeviceCode.grant().as_str(), &tokens, None, mark)
            .await?;
        session.tokens = Some(tokens);
        Ok(TryOutcome { session, report })
    }

    /// Gets a token with the client's own credentials (`client_credentials`).
    pub async fn try_client_credentials(&self, target: &TryTarget, scope: Option<&str>) -> Result<TryOutcome> {
        if target.grant != TryGrant::ClientCredentials {
            return Err(Error::config(
                "grant",
                "try_client_credentials is for the client_credentials grant",
            ));
        }
        let mut session = TrySession::new(target, None)?;
        let mark = self.exchanges_mark(&session);
        let tokens = self
            .session_client(&session)?
            .client_credentials(&session.token_endpoint, scope)
            .await?;
        let report = self
            .report(&mut session, "client_credentials", &tokens, None, mark)
            .await?;
        session.tokens = Some(tokens);
        Ok(TryOutcome { session, report })
    }
}
