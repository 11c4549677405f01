//! The `oauth2` crate's HTTP types to Registrar's and back, so its grants run over
//! Registrar's own transport and land in the history like every other call.

use super::{HttpRequest, HttpResponse};
use crate::error::{Error, Result};

/// The request `oauth2` built, as Registrar's transport sends it.
pub(crate) fn from_oauth2(r: oauth2::HttpRequest) -> Result<HttpRequest> {
    // oauth2 builds its URI from a `Url` it was given, so this parse only fails on a bug.
    let url = url::Url::parse(&r.uri().to_string())
        .map_err(|e| Error::InvalidResponse(format!("an endpoint is not a URL: {e}")))?;
    let headers = r
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    Ok(HttpRequest {
        method: r.method().clone(),
        url,
        headers,
        body: Some(r.body().clone()),
    })
}

/// The answer, as `oauth2` reads it; `whose` names the endpoint in the error ("the token
/// endpoint's").
pub(crate) fn to_oauth2(r: HttpResponse, whose: &str) -> Result<oauth2::HttpResponse> {
    let mut builder = http::Response::builder().status(r.status);
    for (k, v) in &r.headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    builder
        .body(r.body)
        .map_err(|e| Error::InvalidResponse(format!("{whose} answer is malformed: {e}")))
}
