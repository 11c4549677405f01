//! One module per imitated provider: its routes, its authentication and its quirks.

mod generic;
mod indigo;
mod liberty;
pub(crate) mod openbanking;
mod simpleidserver;
mod soffid;
mod wso2;

use std::sync::Arc;

use axum::Router;
use serde_json::{json, Map, Value};

use crate::body::BodyRules;
use crate::state::Shared;
use crate::store::ClientRecord;
use crate::Dialect;

/// What makes a dialect, in one place per dialect (its module's `TABLE`).
#[derive(Debug)]
pub(crate) struct DialectTable {
    /// Its registration and management routes.
    pub routes: fn(&Shared) -> Router<Arc<Shared>>,
    /// A new client from registration metadata, exactly as a registration would make it
    /// (seeding uses it).
    pub new_client: fn(&Shared, Map<String, Value>) -> (String, ClientRecord),
    /// What it accepts as a metadata body.
    pub body: BodyRules,
}

/// The one place a dialect is matched to what it does.
pub(crate) fn table(dialect: Dialect) -> &'static DialectTable {
    match dialect {
        Dialect::Generic => &generic::TABLE,
        Dialect::Soffid => &soffid::TABLE,
        Dialect::Wso2 => &wso2::TABLE,
        Dialect::Indigo => &indigo::TABLE,
        Dialect::SimpleIdServer => &simpleidserver::TABLE,
        Dialect::Liberty => &liberty::TABLE,
        Dialect::OpenBanking => &openbanking::TABLE,
    }
}

/// The registration and management routes of the configured dialect.
pub(crate) fn routes(shared: &Shared) -> Router<Arc<Shared>> {
    (table(shared.dialect).routes)(shared)
}

/// Registers `count` sample clients, exactly as a registration request would have.
pub(crate) fn seed(shared: &Shared, count: usize) {
    for n in 1..=count {
        let (id, record) = new_client(shared, sample(n));
        if !shared.store.insert(id, record) {
            tracing::warn!(n, "seed client id collided; skipped");
        }
    }
}

fn new_client(shared: &Shared, sent: Map<String, Value>) -> (String, ClientRecord) {
    (table(shared.dialect).new_client)(shared, sent)
}

fn sample(n: usize) -> Map<String, Value> {
    let value = json!({
        "client_name": format!("Seed client {n}"),
        "redirect_uris": [format!("https://app{n}.example.com/callback")],
        "grant_types": ["authorization_code", "client_credentials"],
        "response_types": ["code"],
        "scope": "openid profile",
    });
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}
