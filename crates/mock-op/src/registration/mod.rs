//! The RFC 7591 registration and RFC 7592 management flows, written once and bent by a
//! [`Flavor`] into the dialects that follow their shape (generic, soffid, indigo,
//! simpleidserver). WSO2 and Liberty authenticate with admin credentials instead of tokens and
//! have their own flows, but reuse the pieces here.

mod flavor;
mod manage;
mod record;
mod register;
pub(crate) mod routes;

pub(crate) use flavor::Flavor;
pub(crate) use manage::{delete, read, require_client_id, update};
pub(crate) use record::{uses_secret, SERVER_ONLY};
pub(crate) use register::{new_client, register};
