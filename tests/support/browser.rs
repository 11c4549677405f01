//! A scripted user at a browser, for the interactive grants: it opens an authorization
//! (or device verification) URL, follows redirects, and fills in and submits whatever
//! login and consent forms the provider shows — the mock's demo pages, node-oidc-provider's
//! `devInteractions`, Authlib's test pages — until the provider redirects to the client's
//! redirect URI. It keeps cookies, as a browser does, because real providers tie the
//! interaction to them. Forms are read from the HTML as text: these are plain pages made
//! for tests, and the point is to go through them the way a person would, not to judge them.

use std::collections::BTreeMap;
use std::time::Duration;

/// How many pages a login may take before the user gives up (login, consent, a redirect or
/// two): a provider that loops is a failure, not a hang.
const MAX_STEPS: usize = 16;

/// The demo user every test provider accepts (the mock's fixed user; node-oidc-provider's
/// dev interactions accept any login).
pub const USER: &str = "demo";
/// The demo user's password.
pub const PASSWORD: &str = "demo";

/// What the user decides on a consent page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Deny,
}

/// A user with a browser: a cookie jar and no automatic redirects.
#[derive(Debug)]
pub struct Browser {
    http: reqwest::Client,
    decision: Decision,
}

impl Default for Browser {
    fn default() -> Self {
        Self::new(Decision::Approve)
    }
}

impl Browser {
    /// A fresh browser (no cookies) whose user answers consent pages with `decision`.
    pub fn new(decision: Decision) -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .timeout(Duration::from_secs(30))
            .build()
            .expect("an HTTP client");
        Self { http, decision }
    }

    /// Goes through the login and consent pages from `authorization_url` until the provider
    /// redirects to an address starting with `redirect_prefix`, and returns that address
    /// without visiting it (the caller hands it to the loopback listener, or pastes it).
    pub async fn authorize(&self, authorization_url: &str, redirect_prefix: &str) -> Result<String, String> {
        let mut next = Step::Get(authorization_url.to_string());
        for _ in 0..MAX_STEPS {
            let response = next.send(&self.http).await?;
            let here = response.url().clone();
            let status = response.status();
            if status.is_redirection() {
                let location = location(&response, &here)?;
                if location.starts_with(redirect_prefix) {
                    return Ok(location);
                }
                next = Step::Get(location);
                continue;
            }
            let body = response.text().await.map_err(|e| format!("reading {here}: {e}"))?;
            if !status.is_success() {
                return Err(format!("{here} answered {status}: {}", excerpt(&body)));
            }
            let form =
                Form::first_in(&body).ok_or_else(|| format!("{here} shows no form to fill: {}", excerpt(&body)))?;
            next = form.submit(&here, self.decision)?;
        }
        Err(format!("no redirect to {redirect_prefix} after {MAX_STEPS} pages"))
    }

    /// Opens a device verification URL (the `verification_uri_complete`, or the plain one
    /// with `user_code` typed in) and goes through its forms until a page has none left:
    /// the provider's "you may close this window". Returns that page's text.
    pub async fn verify_device(&self, verification_url: &str, user_code: Option<&str>) -> Result<String, String> {
        let mut next = Step::Get(verification_url.to_string());
        for _ in 0..MAX_STEPS {
            let response = next.send(&self.http).await?;
            let here = response.url().clone();
            let status = response.status();
            if status.is_redirection() {
                next = Step::Get(location(&response, &here)?);
                continue;
            }
            let body = response.text().await.map_err(|e| format!("reading {here}: {e}"))?;
            if !status.is_success() {
                return Err(format!("{here} answered {status}: {}", excerpt(&body)));
            }
            let Some(mut form) = Form::first_in(&body) else {
                return Ok(body);
            };
            if let Some(code) = user_code {
                for name in ["user_code", "code"] {
                    if form.fields.contains_key(name) {
                        form.fields.insert(name.to_string(), code.to_string());
                    }
                }
            }
            next = form.submit(&here, self.decision)?;
        }
        Err(format!(
            "the device verification did not finish within {MAX_STEPS} pages"
        ))
    }

    /// Visits `url` (the redirect to the client's loopback listener, as the browser would)
    /// and returns the page it shows.
    pub async fn visit(&self, url: &str) -> Result<String, String> {
        let response = self.http.get(url).send().await.map_err(|e| format!("GET {url}: {e}"))?;
        response.text().await.map_err(|e| format!("reading {url}: {e}"))
    }
}

/// The next request the browser makes.
enum Step {
    Get(String),
    Post { url: String, fields: Vec<(String, String)> },
}

impl Step {
    async fn send(&self, http: &reqwest::Client) -> Result<reqwest::Response, String> {
        match self {
            Step::Get(url) => http.get(url).send().await.map_err(|e| format!("GET {url}: {e}")),
            Step::Post { url, fields } => http
                .post(url)
                .form(fields)
                .send()
                .await
                .map_err(|e| format!("POST {url}: {e}")),
        }
    }
}

fn location(response: &reqwest::Response, base: &reqwest::Url) -> Result<String, String> {
    let raw = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| format!("{base} redirected without a Location"))?;
    base.join(raw)
        .map(String::from)
        .map_err(|e| format!("{base} redirected to {raw:?}: {e}"))
}

fn excerpt(body: &str) -> String {
    body.chars().take(400).collect()
}

/// An HTML form as the browser would submit it.
#[derive(Debug)]
struct Form {
    action: Option<String>,
    fields: BTreeMap<String, String>,
    /// Submit buttons that carry a name and value (the mock's approve / deny).
    buttons: Vec<(String, String)>,
}

impl Form {
    /// The first `<form>` of `html`, its inputs filled as the demo user would.
    fn first_in(html: &str) -> Option<Self> {
        let lower = html.to_ascii_lowercase();
        let start = lower.find("<form")?;
        let end = lower[start..].find("</form>").map_or(html.len(), |n| start + n);
        let inner = &html[start..end];
        let open_tag = tag_at(inner, 0)?;
        let mut form = Form {
            action: attribute(open_tag, "action"),
            fields: BTreeMap::new(),
            buttons: Vec::new(),
        };
        let inner_lower = inner.to_ascii_lowercase();
        let mut at = 0;
        while let Some(n) = inner_lower[at..].find('<') {
            let pos = at + n;
            at = pos + 1;
            let Some(tag) = tag_at(inner, pos) else { break };
            let name_of = |t: &str| attribute(t, "name");
            let lowered = tag.to_ascii_lowercase();
            if lowered.starts_with("<input") {
                let Some(name) = name_of(tag) else { continue };
                let kind = attribute(tag, "type")
                    .unwrap_or_else(|| "text".into())
                    .to_ascii_lowercase();
                let value = attribute(tag, "value").unwrap_or_default();
                let filled = match (kind.as_str(), name.as_str()) {
                    ("submit", _) => {
                        form.buttons.push((name, value));
                        continue;
                    }
                    ("password", _) => PASSWORD.to_string(),
                    (_, "username" | "login" | "email") if value.is_empty() => USER.to_string(),
                    _ => value,
                };
                form.fields.insert(name, filled);
            } else if lowered.starts_with("<button") {
                if let (Some(name), Some(value)) = (name_of(tag), attribute(tag, "value")) {
                    form.buttons.push((name, value));
                }
            }
        }
        Some(form)
    }

    /// The POST this form makes, with the button the user's decision picks.
    fn submit(self, page: &reqwest::Url, decision: Decision) -> Result<Step, String> {
        let url = match &self.action {
            Some(action) if !action.is_empty() => page
                .join(&unescape(action))
                .map_err(|e| format!("the form's action {action:?}: {e}"))?
                .to_string(),
            _ => page.to_string(),
        };
        let wanted = match decision {
            Decision::Approve => ["approve", "allow", "accept", "yes", "confirm"],
            Decision::Deny => ["deny", "reject", "no", "cancel", "abort"],
        };
        let mut fields: Vec<(String, String)> = self.fields.into_iter().collect();
        let button = self
            .buttons
            .iter()
            .find(|(_, value)| wanted.contains(&value.to_ascii_lowercase().as_str()))
            .or_else(|| {
                // A page with one plain submit button (a login form, a consent page that
                // only continues) is answered by pressing it, whatever the decision.
                (self.buttons.len() == 1).then(|| &self.buttons[0])
            });
        if let Some((name, value)) = button {
            fields.push((name.clone(), value.clone()));
        } else if decision == Decision::Deny && !self.buttons.is_empty() {
            return Err("the consent page offers no way to deny".into());
        }
        Ok(Step::Post { url, fields })
    }
}

/// The tag starting at `pos` (`<` … `>`), quotes respected.
fn tag_at(html: &str, pos: usize) -> Option<&str> {
    let bytes = html.as_bytes();
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate().skip(pos + 1) {
        match (quote, b) {
            (Some(q), c) if c == q => quote = None,
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(&html[pos..=i]),
            _ => {}
        }
    }
    None
}

/// The value of attribute `name` in `tag`, entities decoded; `None` when absent.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(n) = lower[from..].find(name) {
        let pos = from + n;
        from = pos + name.len();
        let before = lower[..pos].chars().last();
        if !matches!(before, Some(c) if c.is_whitespace()) {
            continue;
        }
        let rest = tag[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            // A bare attribute (`required`): present, no value.
            if lower[from..]
                .trim_start()
                .starts_with(|c: char| c.is_alphabetic() || c == '>' || c == '/')
            {
                return Some(String::new());
            }
            continue;
        };
        let rest = rest.trim_start();
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or_default(),
            _ => rest
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or_default(),
        };
        return Some(unescape(value));
    }
    None
}

fn unescape(text: &str) -> String {
    text.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_form_is_filled_as_the_demo_user_with_hidden_fields_kept() {
        let html = r#"<html><form method="post" action="/interaction/abc/login?x=1&amp;y=2">
            <input type="hidden" name="prompt" value="login"/>
            <input required type="text" name="login" placeholder="Enter any login">
            <input required type="password" name="password">
            <button type="submit" class="login">Sign-in</button></form></html>"#;
        let form = Form::first_in(html).expect("a form");
        assert_eq!(form.action.as_deref(), Some("/interaction/abc/login?x=1&y=2"));
        assert_eq!(form.fields["prompt"], "login");
        assert_eq!(form.fields["login"], USER);
        assert_eq!(form.fields["password"], PASSWORD);
    }

    #[test]
    fn the_decision_picks_the_named_button() {
        let html = r#"<form method="post"><input type="hidden" name="interaction" value="i1">
            <button id="approve" name="decision" value="approve">Allow</button>
            <button id="deny" name="decision" value="deny">Deny</button></form>"#;
        let page = reqwest::Url::parse("http://127.0.0.1:1/authorize").unwrap();
        for (decision, value) in [(Decision::Approve, "approve"), (Decision::Deny, "deny")] {
            let Step::Post { url, fields } = Form::first_in(html).unwrap().submit(&page, decision).unwrap() else {
                panic!("a form is posted");
            };
            assert_eq!(url, "http://127.0.0.1:1/authorize");
            assert!(fields.contains(&("decision".into(), value.into())), "{fields:?}");
            assert!(fields.contains(&("interaction".into(), "i1".into())));
        }
    }

    #[test]
    fn attributes_are_read_whole_words_only() {
        let tag = r#"<input data-name="no" name='yes' value=plain>"#;
        assert_eq!(attribute(tag, "name").as_deref(), Some("yes"));
        assert_eq!(attribute(tag, "value").as_deref(), Some("plain"));
        assert_eq!(attribute(tag, "type"), None);
    }
}
