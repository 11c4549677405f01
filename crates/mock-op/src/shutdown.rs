//! The stop signal shared by the accept loop, every connection and every stalled body, so
//! one call stops them all and nothing outlives its server.

use tokio::sync::watch;

/// Fires the signal; dropping it fires it too.
#[derive(Debug)]
pub(crate) struct Trigger(watch::Sender<bool>);

/// Waits for the signal. Cheap to clone.
#[derive(Clone, Debug)]
pub(crate) struct Signal(watch::Receiver<bool>);

pub(crate) fn channel() -> (Trigger, Signal) {
    let (tx, rx) = watch::channel(false);
    (Trigger(tx), Signal(rx))
}

impl Trigger {
    pub(crate) fn fire(&self) {
        self.0.send_replace(true);
    }
}

impl Signal {
    /// Resolves once the trigger fires or is dropped.
    pub(crate) async fn wait(&self) {
        let mut rx = self.0.clone();
        // An error means the trigger is gone, which counts as stopping.
        let _ = rx.wait_for(|stopped| *stopped).await;
    }
}
