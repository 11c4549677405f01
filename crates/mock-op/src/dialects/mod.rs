//! One module per imitated provider: its routes, its authentication and its quirks.

mod generic;
mod indigo;
mod liberty;
mod simpleidserver;
mod soffid;
mod wso2;

use std::sync::Arc;

use axum::Router;
use serde_json::{json, Map, Value};

use crate::registration;
use crate::state::Shared;
use crate::store::ClientRecord;
use crate::Dialect;

/// The registration and management routes of the configured dialect.
pub(crate) fn routes(shared: &Shared) -> Router<Arc<Shared>> {
    match shared.dialect {
        Dialect::Generic => generic::routes(shared),
        Dialect::Soffid => soffid::routes(shared),
        Dialect::Wso2 => wso2::routes(shared),
        Dialect::Indigo => indigo::routes(shared),
        Dialect::SimpleIdServer => simpleidserver::routes(shared),
        Dialect::Liberty => liberty::routes(shared),
    }
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
    match shared.dialect {
        Dialect::Generic => registration::new_client(shared, &generic::FLAVOR, sent),
        Dialect::Soffid => registration::new_client(shared, &soffid::FLAVOR, sent),
        Dialect::Indigo => registration::new_client(shared, &indigo::FLAVOR, sent),
        Dialect::SimpleIdServer => registration::new_client(shared, &simpleidserver::FLAVOR, sent),
        Dialect::Wso2 => {
            let owner = shared.credentials.admin_username.clone().unwrap_or_default();
            wso2::new_client(sent, &owner)
        }
        Dialect::Liberty => liberty::new_client(shared, sent),
    }
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
