//! When the foreground mock stops: Ctrl-C or, on Unix, SIGTERM. The handlers are in place
//! when `listen` returns, so a signal sent right after the announcement is caught rather
//! than killing the process.

use crate::signals::Interrupts;

#[derive(Debug)]
pub struct Signals {
    interrupts: Interrupts,
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    pub fn listen() -> Self {
        Self {
            interrupts: Interrupts::listen(),
            #[cfg(unix)]
            terminate: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok(),
        }
    }

    pub async fn wait(mut self) {
        #[cfg(unix)]
        if let Some(terminate) = &mut self.terminate {
            tokio::select! {
                () = self.interrupts.next() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
        self.interrupts.next().await;
    }
}
