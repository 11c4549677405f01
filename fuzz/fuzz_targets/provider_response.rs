//! Any status, content type and body a provider might answer: reading it as metadata or as
//! an error must never panic, and an error's message must stay one line of plain text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use registrar_core::http::{json_object, provider_error, redact, HttpResponse};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let statuses = [200u16, 201, 204, 400, 401, 403, 404, 412, 415, 500, 502];
    let types = ["application/json", "text/html", "text/plain", "application/x-www-form-urlencoded"];
    let response = HttpResponse {
        status: statuses[usize::from(selector) % statuses.len()],
        headers: vec![("content-type".into(), types[usize::from(selector >> 4) % types.len()].into())],
        body: body.to_vec(),
    };
    let _ = json_object(&response);
    let message = provider_error(&response).to_string();
    assert!(!message.contains('\n'), "an error message spans lines: {message:?}");
    let _ = redact::body(body, &["secret-value"]);
});
