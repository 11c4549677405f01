//! Listening for Ctrl-C from the moment a listener is made. On Unix the SIGINT handler is
//! installed by `listen` itself and one stream sees every later signal, so a Ctrl-C
//! pressed just after a command starts, or twice in quick succession, is never missed.

#[derive(Debug)]
pub struct Interrupts {
    #[cfg(unix)]
    sigint: Option<tokio::signal::unix::Signal>,
}

impl Interrupts {
    pub fn listen() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Self {
                sigint: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        Self {}
    }

    /// The next Ctrl-C. Never resolves when Ctrl-C cannot be listened for, so the
    /// default handling stays in place.
    pub async fn next(&mut self) {
        #[cfg(unix)]
        if let Some(sigint) = &mut self.sigint {
            if sigint.recv().await.is_some() {
                return;
            }
            std::future::pending::<()>().await;
        }
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
