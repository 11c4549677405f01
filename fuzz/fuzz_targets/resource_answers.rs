//! What a protected resource sends back (issue 18): its `WWW-Authenticate` header, its
//! RFC 9728 metadata, and an MCP server's answer to `initialize` (JSON or an event
//! stream). Reading any of them must never panic. The input is split at its first NUL:
//! the header before, the body after.
#![no_main]

use libfuzzer_sys::fuzz_target;
use registrar_core::{bearer_challenge, read_mcp_initialize, resource_match, well_known_candidates, ResourceMetadata};

fuzz_target!(|data: &[u8]| {
    let (head, body) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let header = String::from_utf8_lossy(head);
    if let Some(challenge) = bearer_challenge([header.as_ref()]) {
        let _ = challenge.scopes();
    }
    if let Ok(serde_json::Value::Object(document)) = serde_json::from_slice(body) {
        let metadata = ResourceMetadata::from_document("https://rs.example/mcp", document);
        let asked = url::Url::parse("https://rs.example/mcp").unwrap();
        let _ = resource_match(&asked, metadata.resource.as_deref());
        if let Some(r) = metadata.resource.as_deref().and_then(|r| url::Url::parse(r).ok()) {
            let _ = well_known_candidates(&r);
        }
    }
    for content_type in ["application/json", "text/event-stream"] {
        let _ = read_mcp_initialize(content_type, body, Some(header.as_ref()));
    }
});
