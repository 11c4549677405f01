//! The demo login, consent and message pages. Plain HTML forms without scripts, with fixed
//! element ids (`username`, `password`, `login`, `approve`, `deny`, `user_code`) so that
//! WebDriver tests and plain HTTP clients can drive them the same way.

use axum::response::{IntoResponse, Response};
use http::header::{CACHE_CONTROL, CONTENT_TYPE};
use http::{HeaderValue, StatusCode};

/// The login form.
#[derive(Debug, Default)]
pub(crate) struct Login<'a> {
    pub(crate) action: &'a str,
    pub(crate) heading: &'a str,
    pub(crate) hidden: &'a [(&'a str, &'a str)],
    /// Prefills the username (`login_hint`).
    pub(crate) username: Option<&'a str>,
    /// Shows the device flow's user code field, with this value.
    pub(crate) user_code: Option<&'a str>,
    pub(crate) error: Option<&'a str>,
}

pub(crate) fn login(form: &Login<'_>) -> Response {
    let mut body = format!("<h1>{}</h1>\n", escape(form.heading));
    if let Some(error) = form.error {
        body.push_str(&format!("<p id=\"error\" role=\"alert\">{}</p>\n", escape(error)));
    }
    body.push_str(&format!("<form method=\"post\" action=\"{}\">\n", escape(form.action)));
    body.push_str(&hidden_fields(form.hidden));
    if let Some(code) = form.user_code {
        body.push_str(&format!(
            "<p><label for=\"user_code\">Code shown on your device</label>\n\
             <input id=\"user_code\" name=\"user_code\" value=\"{}\" autocomplete=\"off\" required></p>\n",
            escape(code)
        ));
    }
    body.push_str(&format!(
        "<p><label for=\"username\">Username</label>\n\
         <input id=\"username\" name=\"username\" value=\"{}\" autocomplete=\"username\" required></p>\n\
         <p><label for=\"password\">Password</label>\n\
         <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required></p>\n\
         <p><button id=\"login\" type=\"submit\">Log in</button></p>\n\
         </form>\n\
         <p class=\"hint\">Demo user: <code>{}</code>, password <code>{}</code>.</p>\n",
        escape(form.username.unwrap_or_default()),
        crate::demo_user::USERNAME,
        crate::demo_user::PASSWORD,
    ));
    page(StatusCode::OK, form.heading, &body)
}

/// The consent form: approve or deny, each a submit button of the field `decision`.
/// The consent page; `resources` (RFC 8707), when any, are listed under the scopes
/// (`id="resources"`).
pub(crate) fn consent(
    action: &str,
    hidden: &[(&str, &str)],
    client: &str,
    scope: &str,
    resources: &[String],
) -> Response {
    let scopes: String = scope
        .split_whitespace()
        .map(|s| format!("<li>{}</li>", escape(s)))
        .collect();
    let resources = if resources.is_empty() {
        String::new()
    } else {
        let items: String = resources.iter().map(|r| format!("<li>{}</li>", escape(r))).collect();
        format!("<p>to use at:</p>\n<ul id=\"resources\">{items}</ul>\n")
    };
    let body = format!(
        "<h1>Allow access?</h1>\n\
         <p><strong id=\"client\">{}</strong> asks for:</p>\n<ul id=\"scopes\">{scopes}</ul>\n{resources}\
         <form method=\"post\" action=\"{}\">\n{}\
         <button id=\"approve\" name=\"decision\" value=\"approve\" type=\"submit\">Allow</button>\n\
         <button id=\"deny\" name=\"decision\" value=\"deny\" type=\"submit\">Deny</button>\n\
         </form>\n",
        escape(client),
        escape(action),
        hidden_fields(hidden),
    );
    page(StatusCode::OK, "Allow access?", &body)
}

/// A page that only says something: an error that cannot go back to the client, or the end
/// of a device flow.
pub(crate) fn message(status: StatusCode, title: &str, text: &str) -> Response {
    let body = format!("<h1>{}</h1>\n<p id=\"message\">{}</p>\n", escape(title), escape(text));
    page(status, title, &body)
}

fn hidden_fields(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(name, value)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
                escape(name),
                escape(value)
            )
        })
        .collect()
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>{} · mock provider</title></head>\n<body>\n{body}</body></html>\n",
        escape(title)
    );
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // A login page framed by another site is a clickjacking page.
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    response
}

/// Text for HTML element content and quoted attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
