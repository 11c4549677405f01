//! The core against the mock provider, over real HTTP, one module per dialect plus the
//! cross-cutting concerns (faults, secrets, the real keychain).

mod faults;
mod generic;
mod indigo;
mod keychain;
mod liberty;
mod secrets_scan;
mod simpleidserver;
mod soffid;
mod wso2;
