//! Calling the protected resource with a try's access token: the last hop that proves the
//! chain. An MCP server gets `initialize` (and `notifications/initialized`); any other
//! resource a GET. A refusal is an answer to show, not an error: its challenge says why,
//! and a 403 `insufficient_scope` names the scopes to authorize again with.

use super::challenge::{response_challenge, BearerChallenge};
use super::mcp::{initialize_request, initialized_notification, read_initialize, McpServerInfo, PROTOCOL_VERSION};
use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse};
use crate::oauth::OAuthClient;
use crate::ops::{Registrar, TokenChoice, TrySession};
use crate::profile::{BoundResource, ResourceProtocol};
use serde::{Deserialize, Serialize};
use url::Url;

/// How much of a plain resource's body is kept to show.
const BODY_PREVIEW: usize = 4096;

/// What the resource answered to a call with the token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct ResourceAnswer {
    /// The URL called.
    pub url: String,
    /// How it was spoken to.
    pub protocol: ResourceProtocol,
    /// The HTTP status.
    pub status: u16,
    /// Whether the resource accepted the token and answered as expected.
    pub succeeded: bool,
    /// For an MCP server that accepted the token: its `initialize` result.
    pub mcp: Option<McpServerInfo>,
    /// The answer's `Content-Type`.
    pub content_type: Option<String>,
    /// The start of the body (UTF-8, up to 4 KiB), for a plain resource or a failure.
    pub body_preview: Option<String>,
    /// The Bearer challenge of a refusal.
    pub challenge: Option<BearerChallenge>,
    /// After a 403 `insufficient_scope`: the scopes to authorize again with (the ones
    /// granted and the ones the challenge names).
    pub reauthorize_scopes: Option<Vec<String>>,
    /// What went wrong or is odd, for people.
    pub problems: Vec<String>,
}

impl Registrar {
    /// Calls the resource the session's profile is bound to (see [`BoundResource`]).
    pub async fn call_profile_resource(&self, session: &TrySession) -> Result<ResourceAnswer> {
        let resource = session.profile.resource.clone().ok_or_else(|| {
            Error::config(
                "resource",
                format!(
                    "profile {} is bound to no protected resource: make it from the resource's URL",
                    session.profile.name
                ),
            )
        })?;
        self.call_resource(session, &resource).await
    }

    /// Calls `resource` with the session's access token.
    pub async fn call_resource(&self, session: &TrySession, resource: &BoundResource) -> Result<ResourceAnswer> {
        let url = Url::parse(&resource.url).map_err(|e| Error::field("resource.url", format!("is not a URL: {e}")))?;
        let token = session.required(TokenChoice::AccessToken)?.clone();
        let client = self.session_client(session)?;
        let response = match resource.protocol {
            ResourceProtocol::Mcp => {
                let request = HttpRequest::new(http::Method::POST, url.clone())
                    .json(&initialize_request())
                    .header("Accept", "application/json, text/event-stream");
                client.bearer_call(request, &token).await?
            }
            ResourceProtocol::Http => {
                client
                    .bearer_call(HttpRequest::new(http::Method::GET, url.clone()), &token)
                    .await?
            }
        };
        let mut answer = read_answer(&url, resource.protocol, &response, granted_scopes(session));
        if let Some(info) = &answer.mcp {
            // The handshake's second half; a server that refuses it still answered
            // initialize, so that is said, not failed.
            if let Err(why) = initialized(&client, &url, &token, info).await {
                answer.problems.push(why);
            }
        }
        Ok(answer)
    }
}

/// `notifications/initialized`, with the session id and protocol version the server gave.
async fn initialized(
    client: &OAuthClient<'_>,
    url: &Url,
    token: &crate::Secret,
    info: &McpServerInfo,
) -> std::result::Result<(), String> {
    let mut request = HttpRequest::new(http::Method::POST, url.clone())
        .json(&initialized_notification())
        .header("Accept", "application/json, text/event-stream")
        .header(
            "MCP-Protocol-Version",
            info.protocol_version.as_deref().unwrap_or(PROTOCOL_VERSION),
        );
    if let Some(id) = &info.session_id {
        request = request.header("Mcp-Session-Id", id.clone());
    }
    match client.bearer_call(request, token).await {
        Ok(r) if r.is_success() => Ok(()),
        Ok(r) => Err(format!(
            "the server answered notifications/initialized with HTTP {} (the MCP specification expects 202)",
            r.status
        )),
        Err(e) => Err(format!("notifications/initialized was not answered: {e}")),
    }
}

/// The scopes the session's token was granted, as the token response said.
fn granted_scopes(session: &TrySession) -> Vec<String> {
    session
        .tokens
        .as_ref()
        .and_then(|t| t.scope.as_deref())
        .unwrap_or_default()
        .split_ascii_whitespace()
        .map(str::to_string)
        .collect()
}

fn read_answer(url: &Url, protocol: ResourceProtocol, response: &HttpResponse, granted: Vec<String>) -> ResourceAnswer {
    let content_type = response.header("content-type").map(str::to_string);
    let challenge = response_challenge(response);
    let mut answer = ResourceAnswer {
        url: url.to_string(),
        protocol,
        status: response.status,
        succeeded: false,
        mcp: None,
        content_type: content_type.clone(),
        body_preview: preview(&response.body),
        challenge: challenge.clone(),
        reauthorize_scopes: None,
        problems: Vec::new(),
    };
    if let Some(c) = &challenge {
        if response.status == 403 && c.error.as_deref() == Some("insufficient_scope") {
            let mut scopes = granted;
            for s in c.scopes() {
                if !scopes.contains(&s) {
                    scopes.push(s);
                }
            }
            answer.problems.push(format!(
                "HTTP 403 insufficient_scope: the resource needs {}; authorize again with {}",
                c.scope.as_deref().unwrap_or("a scope it did not name"),
                scopes.join(" ")
            ));
            answer.reauthorize_scopes = Some(scopes);
            return answer;
        }
    }
    if !response.is_success() {
        answer.problems.push(match &challenge {
            Some(c) => format!(
                "HTTP {}: the resource refused the token ({}{})",
                response.status,
                c.error.as_deref().unwrap_or("no error code"),
                c.error_description
                    .as_deref()
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default()
            ),
            None => format!("HTTP {}: the resource did not accept the call", response.status),
        });
        return answer;
    }
    match protocol {
        ResourceProtocol::Http => answer.succeeded = true,
        ResourceProtocol::Mcp => {
            match read_initialize(
                content_type.as_deref().unwrap_or_default(),
                &response.body,
                response.header("mcp-session-id"),
            ) {
                Ok(info) => {
                    answer.succeeded = true;
                    answer.body_preview = None;
                    answer.mcp = Some(info);
                }
                Err(why) => answer.problems.push(why.to_string()),
            }
        }
    }
    answer
}

fn preview(body: &[u8]) -> Option<String> {
    if body.is_empty() {
        return None;
    }
    let cut = &body[..body.len().min(BODY_PREVIEW)];
    let text = String::from_utf8_lossy(cut).into_owned();
    Some(if body.len() > BODY_PREVIEW {
        format!("{text}… ({} bytes in all)", body.len())
    } else {
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn insufficient_scope_names_the_scopes_to_ask_again_for() {
        let url = Url::parse("http://127.0.0.1:1/mcp").unwrap();
        let r = response(
            403,
            &[(
                "WWW-Authenticate",
                r#"Bearer error="insufficient_scope", scope="mcp:tools admin""#,
            )],
            "",
        );
        let answer = read_answer(
            &url,
            ResourceProtocol::Mcp,
            &r,
            vec!["openid".into(), "mcp:tools".into()],
        );
        assert!(!answer.succeeded);
        assert_eq!(
            answer.reauthorize_scopes,
            Some(vec!["openid".into(), "mcp:tools".into(), "admin".into()])
        );
    }

    #[test]
    fn an_mcp_answer_that_is_not_json_rpc_is_said() {
        let url = Url::parse("http://127.0.0.1:1/mcp").unwrap();
        let r = response(200, &[("Content-Type", "text/html")], "<html>hello</html>");
        let answer = read_answer(&url, ResourceProtocol::Mcp, &r, Vec::new());
        assert!(!answer.succeeded);
        assert!(
            answer.problems[0].contains("not an MCP initialize result"),
            "{:?}",
            answer.problems
        );
        assert_eq!(answer.body_preview.as_deref(), Some("<html>hello</html>"));
        let plain = read_answer(&url, ResourceProtocol::Http, &r, Vec::new());
        assert!(plain.succeeded);
    }

    #[test]
    fn a_refused_token_says_the_challenges_error() {
        let url = Url::parse("https://api.example/v1").unwrap();
        let r = response(
            401,
            &[(
                "www-authenticate",
                r#"Bearer error="invalid_token", error_description="audience mismatch""#,
            )],
            "",
        );
        let answer = read_answer(&url, ResourceProtocol::Http, &r, Vec::new());
        assert_eq!(
            answer.problems,
            vec!["HTTP 401: the resource refused the token (invalid_token: audience mismatch)"]
        );
    }
}
