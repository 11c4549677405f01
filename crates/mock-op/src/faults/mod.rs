//! Injected misbehaviour: the failures a client meets on real networks and real providers
//! (errors, HTML pages, cut-off bodies, lost responses), on demand and deterministically.

mod fault;
mod gate;
mod mangle;
mod queue;

pub use fault::Fault;
pub(crate) use gate::provider_gate;
pub(crate) use queue::{FaultQueue, IdTokenFault};
