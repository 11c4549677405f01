//! Any request to the mock provider, over real loopback HTTP to a mock running in this
//! process (so its handlers are instrumented): it must always answer, and keep answering.
#![no_main]

use libfuzzer_sys::fuzz_target;
use registrar_mock_op::{Dialect, MockConfig, MockServer};
use std::sync::OnceLock;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Mocks {
    runtime: tokio::runtime::Runtime,
    servers: Vec<MockServer>,
}

fn mocks() -> &'static Mocks {
    static MOCKS: OnceLock<Mocks> = OnceLock::new();
    MOCKS.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let servers = runtime.block_on(async {
            let mut servers = Vec::new();
            for dialect in Dialect::ALL {
                let mut config = MockConfig::new(dialect);
                config.seed_clients = 2;
                servers.push(MockServer::start(config).await.unwrap());
            }
            servers
        });
        Mocks { runtime, servers }
    })
}

fuzz_target!(|data: &[u8]| {
    let [a, b, c, rest @ ..] = data else { return };
    let m = mocks();
    let server = &m.servers[usize::from(*a) % m.servers.len()];
    let methods = ["POST", "GET", "PUT", "DELETE", "HEAD", "PATCH"];
    let base = server.registration_endpoint();
    let registration_path = base.trim_start_matches(&server.base_url()).to_string();
    let paths = [registration_path.clone(), format!("{registration_path}/x"), "/token".into(), "/register?client_id=DR_1".into()];
    let types = ["application/json", "application/x-www-form-urlencoded", "text/plain"];
    let auth = ["", "Authorization: Bearer x\r\n", "Authorization: Basic YWRtaW46YWRtaW4=\r\n", "Authorization: Beared soffid-initial-access-token\r\n"];
    let request = format!(
        "{} {} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: {}\r\n{}Content-Length: {}\r\n\r\n",
        methods[usize::from(*b) % methods.len()],
        paths[usize::from(*c) % paths.len()],
        types[usize::from(*c >> 4) % types.len()],
        auth[usize::from(*b >> 4) % auth.len()],
        rest.len()
    );
    let addr = server.base_url().trim_start_matches("http://").to_string();
    let answered = m.runtime.block_on(async {
        let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        stream.write_all(rest).await.unwrap();
        let mut response = Vec::new();
        let read = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read_to_end(&mut response)).await;
        read.is_ok() && response.starts_with(b"HTTP/1.1 ")
    });
    assert!(answered, "the mock did not answer a request");
});
