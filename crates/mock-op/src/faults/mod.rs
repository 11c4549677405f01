//! Injected misbehaviour: the failures a client meets on real networks and real providers
//! (errors, HTML pages, cut-off bodies, lost responses), on demand and deterministically; and
//! the misconfigurations of the protected resource ([`ResourceFault`]), switched on and off.

mod fault;
mod gate;
mod mangle;
mod queue;
mod resource;

pub use fault::Fault;
pub(crate) use gate::provider_gate;
pub(crate) use queue::{FaultQueue, IdTokenFault};
pub use resource::ResourceFault;
pub(crate) use resource::{registration_gate, ResourceFaults};
