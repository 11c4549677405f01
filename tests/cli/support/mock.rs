//! A mock provider on 127.0.0.1:0 with a runtime of its own, so tests stay plain
//! synchronous functions that block on the CLI's child processes while the mock serves.

use registrar_mock_op::{AdminHandle, Dialect, MockConfig, MockServer};
use serde_json::Value;

pub struct Mock {
    // Dropped first: the server stops before its runtime goes.
    pub server: MockServer,
    _runtime: tokio::runtime::Runtime,
}

impl Mock {
    pub fn start(dialect: Dialect) -> Self {
        Self::with(dialect, |_| {})
    }

    pub fn with(dialect: Dialect, configure: impl FnOnce(&mut MockConfig)) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime for the mock");
        let mut config = MockConfig::new(dialect);
        configure(&mut config);
        let server = runtime
            .block_on(MockServer::start(config))
            .expect("the mock provider starts");
        Self {
            server,
            _runtime: runtime,
        }
    }

    pub fn admin(&self) -> AdminHandle {
        self.server.admin()
    }

    pub fn dialect(&self) -> Dialect {
        self.server.dialect()
    }

    /// The client as the provider holds it.
    pub fn client(&self, client_id: &str) -> Option<Value> {
        self.admin().get_client(client_id)
    }
}

impl std::fmt::Debug for Mock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.server.fmt(f)
    }
}
