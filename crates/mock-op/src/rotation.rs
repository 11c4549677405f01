//! Which secrets the provider renews on its own. Switchable while running (the admin API), so
//! lock-free flags read once per request.

use std::sync::atomic::{AtomicBool, Ordering};

/// The live switches.
#[derive(Debug, Default)]
pub(crate) struct Rotation {
    rat_on_read: AtomicBool,
    rat_on_update: AtomicBool,
    secret_on_read: AtomicBool,
}

/// The switches as one request sees them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Policy {
    pub(crate) rat_on_read: bool,
    pub(crate) rat_on_update: bool,
    pub(crate) secret_on_read: bool,
}

impl Rotation {
    pub(crate) fn set(&self, rat_on_read: bool, rat_on_update: bool, secret_on_read: bool) {
        self.rat_on_read.store(rat_on_read, Ordering::Relaxed);
        self.rat_on_update.store(rat_on_update, Ordering::Relaxed);
        self.secret_on_read.store(secret_on_read, Ordering::Relaxed);
    }

    pub(crate) fn policy(&self) -> Policy {
        Policy {
            rat_on_read: self.rat_on_read.load(Ordering::Relaxed),
            rat_on_update: self.rat_on_update.load(Ordering::Relaxed),
            secret_on_read: self.secret_on_read.load(Ordering::Relaxed),
        }
    }
}
