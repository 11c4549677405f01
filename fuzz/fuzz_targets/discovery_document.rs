//! Any discovery document: parsing it and proposing a profile must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use registrar_core::http::HttpResponse;
use registrar_core::Discovery;

fuzz_target!(|data: &[u8]| {
    let response = HttpResponse {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: data.to_vec(),
    };
    if let Ok(d) = Discovery::parse("https://op.example", "https://op.example/.well-known/openid-configuration", &response) {
        let _ = d.propose_profile("fuzzed");
    }
});
