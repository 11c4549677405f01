//! A profile from a protected resource's URL in the real window (issue 18). The Local
//! mock serves an MCP server at `<base>/mcp` with its RFC 9728 metadata. "New profile from
//! URL" is given the mock's issuer first (its endpoints fill the form, as Discover did),
//! then the MCP server's URL: with the mock's `wrong-resource` fault on, the metadata names
//! another server and the chain shows where it stops and proposes nothing; as it should
//! be, the chain's three hops (the 401 and its challenge, the resource metadata, the
//! authorization server's metadata) are shown with their HTTP statuses and state marks,
//! and the proposed profile (authorization server, registration endpoint, bound resource
//! and scopes) is saved. The README's picture of the chain is taken on the way
//! (`docs/screenshots/discovery-chain.png`).
//!
//! Then the last hop, in `connect_to_the_mock_mcp_server`: a client registered from the MCP
//! template on that profile connects from the try wizard (the authorization code grant
//! for the resource and its scope), calls the server and shows its `initialize` answer; a
//! token without the scope gets 403 `insufficient_scope` and "Authorize again with …"
//! gets one that works. `connect_to_the_real_sdk_server` does the same against the official
//! MCP SDK's server behind node-oidc-provider.

use crate::harness::{expect, expect_eq, App, Res};
use crate::mock_admin::MockAdmin;
use crate::page::{eventually, profile_item, tid, WAIT};
use crate::steps::{self, Dialect};
use registrar_tests::browser::Browser;
use registrar_tests::real_mcp::RealMcpServer;
use registrar_tests::real_provider::RealProvider;
use serde_json::Value;

#[tokio::test]
async fn profile_from_a_protected_resource_url() -> Res {
    let Some(app) = App::launch("mcp_chain::profile_from_a_protected_resource_url").await? else {
        return Ok(());
    };
    let outcome = scenario(&app).await;
    app.finish(outcome).await
}

/// What the window shows of one hop.
#[derive(Debug)]
struct Hop {
    kind: String,
    state: String,
    mark: String,
    title: String,
    url: String,
    status: String,
    problems: String,
    stop: String,
}

async fn hops(app: &App) -> Res<Vec<Hop>> {
    let script = "return [...document.querySelectorAll('[data-testid=\"chain-step\"]')].map(e => { \
                    const t = (id) => e.querySelector(`[data-testid=\"${id}\"]`)?.innerText ?? ''; \
                    return { kind: e.dataset.kind, state: e.dataset.state, mark: t('chain-step-state'), \
                             title: t('chain-step-title'), url: t('chain-step-url'), status: t('chain-step-status'), \
                             problems: t('chain-step-problems'), stop: t('chain-stop') }; })";
    let value: Value = app.js(script, vec![]).await?;
    let items = value
        .as_array()
        .ok_or_else(|| format!("the hops are not a list: {value}"))?;
    Ok(items
        .iter()
        .map(|h| {
            let f = |k: &str| h[k].as_str().unwrap_or_default().trim().to_string();
            Hop {
                kind: f("kind"),
                state: f("state"),
                mark: f("mark"),
                title: f("title"),
                url: f("url"),
                status: f("status"),
                problems: f("problems"),
                stop: f("stop"),
            }
        })
        .collect())
}

async fn discover(app: &App, url: &str) -> Res {
    app.fill_tid("profile-url", url).await?;
    app.click_tid("profile-url-discover").await?;
    app.wait_tid("discovery-chain").await?;
    // The button says "Discovering…" until the proposal is made too.
    app.wait_text("the discovery to finish", &tid("profile-url-discover"), |t| {
        t == "Discover"
    })
    .await?;
    Ok(())
}

async fn scenario(app: &App) -> Res {
    let base = steps::mock_base_url(app, Dialect::Generic).await?;
    let admin = MockAdmin::new(&base);
    let mcp = format!("{base}/mcp");

    app.click_tid("new-profile").await?;
    app.wait_tid("profile-editor").await?;
    let hint = app.text(&format!("{} label", tid("profile-from-url"))).await?;
    expect(
        &format!("the field takes an issuer or a protected resource: {hint:?}"),
        hint.contains("Issuer or protected resource URL"),
    )?;

    // An issuer is discovered as before: its endpoints fill the form, no chain.
    app.fill_tid("profile-url", &base).await?;
    app.click_tid("profile-url-discover").await?;
    app.wait_text("what the issuer's discovery found", &tid("profile-message"), |t| {
        t.starts_with("Found ")
    })
    .await?;
    expect_eq(
        "the issuer's registration endpoint in the form",
        app.value(&tid("profile-registration-endpoint")).await?,
        format!("{base}/register"),
    )?;
    expect(
        "no chain for an issuer",
        app.find(&tid("discovery-chain")).await?.is_none(),
    )?;

    // A broken chain: the metadata is about another server (RFC 9728 §3.3).
    admin.set_resource_faults(&["wrong-resource"]).await?;
    discover(app, &mcp).await?;
    let broken = hops(app).await?;
    expect_eq(
        "the hops of the broken chain",
        broken
            .iter()
            .map(|h| (h.kind.as_str(), h.state.as_str()))
            .collect::<Vec<_>>(),
        vec![("resource", "ok"), ("resource_metadata", "failed")],
    )?;
    let failed = &broken[1];
    expect(
        &format!("the failed hop says so in words and says why: {failed:?}"),
        failed.mark == "Failed"
            && failed.problems.contains("https://mcp.example.com/mcp")
            && failed.stop == "The chain stops here.",
    )?;
    app.wait_text("why nothing is proposed", &tid("chain-error"), |t| {
        t.contains("no profile can be proposed")
    })
    .await?;
    expect(
        "no proposed profile from a broken chain",
        app.find(&tid("proposed-profile")).await?.is_none(),
    )?;

    // The chain as it should be.
    admin.set_resource_faults(&[]).await?;
    discover(app, &mcp).await?;
    app.wait_tid("proposed-profile").await?;
    let chain = hops(app).await?;
    expect_eq(
        "the hops",
        chain
            .iter()
            .map(|h| (h.kind.as_str(), h.state.as_str()))
            .collect::<Vec<_>>(),
        vec![
            ("resource", "ok"),
            ("resource_metadata", "ok"),
            ("authorization_server", "ok"),
        ],
    )?;
    let [resource, metadata, server] = &chain[..] else {
        return Err("three hops expected".into());
    };
    expect(
        &format!("the resource answered 401 without a token: {resource:?}"),
        resource.url == mcp && resource.status == "HTTP 401" && resource.mark == "OK",
    )?;
    expect(
        &format!("the metadata was read at its well-known place: {metadata:?}"),
        metadata.url == format!("{base}/.well-known/oauth-protected-resource/mcp") && metadata.status == "HTTP 200",
    )?;
    expect(
        &format!("the authorization server's metadata was read: {server:?}"),
        server.title.contains(&base) && server.status == "HTTP 200" && server.stop.is_empty(),
    )?;
    expect("no hop says the chain stops", chain.iter().all(|h| h.stop.is_empty()))?;

    expect_eq(
        "the proposed resource",
        app.text_tid("proposed-resource").await?,
        mcp.clone(),
    )?;
    let scopes = app.text_tid("proposed-scopes").await?;
    expect(
        &format!("the scopes the challenge named: {scopes:?}"),
        scopes.contains("mcp:tools"),
    )?;
    let issuer = app.text_tid("proposed-issuer").await?;
    expect(
        &format!("the mock is the authorization server: {issuer:?}"),
        issuer.starts_with(&base),
    )?;
    let registration = app.text_tid("proposed-registration-endpoint").await?;
    expect(
        &format!("the mock's registration endpoint: {registration:?}"),
        registration.starts_with(&base),
    )?;
    expect_eq(
        "the form holds the registration endpoint",
        app.value(&tid("profile-registration-endpoint")).await?,
        registration.clone(),
    )?;
    let name = app.value(&tid("profile-name")).await?;
    expect(
        &format!("the profile is named after the resource: {name:?}"),
        name.contains("Registrar mock MCP server"),
    )?;

    app.js(
        "document.querySelector('[data-testid=\"discovery-chain\"]').scrollIntoView({block: 'start'}); return null",
        vec![],
    )
    .await?;
    crate::screenshots::shot(app, "discovery-chain").await?;

    // Saved through the form's usual save: the profile is shown, bound to the resource.
    app.fill_tid("profile-name", "MCP mock").await?;
    app.click_tid("profile-save").await?;
    app.wait_gone("the profile form to close", &tid("profile-modal"))
        .await?;
    app.wait_css("the new profile in the sidebar", &profile_item("MCP mock"))
        .await?;
    app.wait_text("the new profile shown", &tid("profile-title"), |t| t == "MCP mock")
        .await?;
    expect_eq(
        "the registration endpoint under its title",
        steps::shown_registration_endpoint(app).await?,
        registration,
    )?;
    app.click_tid("edit-profile").await?;
    app.wait_text(
        "the profile bound to the resource",
        &tid("profile-bound-resource"),
        |t| t.contains(&mcp) && t.contains("mcp:tools"),
    )
    .await?;
    steps::close_modal(app, "profile-modal").await
}

#[tokio::test]
async fn connect_to_the_mock_mcp_server() -> Res {
    let Some(app) = App::launch("mcp_chain::connect_to_the_mock_mcp_server").await? else {
        return Ok(());
    };
    let outcome = connect(&app).await;
    app.finish(outcome).await
}

async fn connect(app: &App) -> Res {
    let base = steps::mock_base_url(app, Dialect::Generic).await?;
    let mcp = format!("{base}/mcp");
    app.click_tid("new-profile").await?;
    app.wait_tid("profile-editor").await?;
    discover(app, &mcp).await?;
    save_proposed_profile(app, "MCP mock").await?;
    register_from_mcp_template(app).await?;

    // Connect: a token for the resource, with its scope.
    app.click_tid("action-try").await?;
    app.wait_tid("try-wizard").await?;
    let offer = app.text_tid("try-connect-offer").await?;
    expect(
        &format!("the wizard offers to connect to {mcp}: {offer:?}"),
        offer.contains(&mcp),
    )?;
    app.click_tid("try-connect").await?;
    let url = authorize(app).await?;
    expect(
        &format!("the authorization asks for the resource and mcp:tools: {url}"),
        url.contains(&format!("resource={}", encode(&mcp))) && url.contains("scope=mcp%3Atools"),
    )?;
    call_succeeds(app).await?;

    // A token without the scope: the server says which one it needs.
    app.click_tid("try-again").await?;
    app.select(&tid("try-grant"), "authorization_code").await?;
    expect_eq(
        "Connect left the resource in the form",
        app.value(&tid("try-resource")).await?,
        mcp.clone(),
    )?;
    app.fill_tid("try-scope", "offline_access").await?;
    app.click_tid("try-start").await?;
    authorize(app).await?;
    app.click_tid("try-call-resource").await?;
    app.wait_css(
        "the refused call",
        &format!("{}[data-succeeded=\"false\"]", tid("try-resource-answer")),
    )
    .await?;
    let headline = app.text_tid("try-resource-headline").await?;
    expect(
        &format!("the 403 is shown: {headline:?}"),
        headline.contains("HTTP 403"),
    )?;
    let again = app.text_tid("try-reauthorize").await?;
    expect_eq(
        "the button names the scopes to ask for",
        again.as_str(),
        "Authorize again with offline_access mcp:tools",
    )?;
    app.click_tid("try-reauthorize").await?;
    let url = authorize(app).await?;
    expect(
        &format!("the new authorization asks for both scopes: {url}"),
        url.contains("scope=offline_access+mcp%3Atools") || url.contains("scope=offline_access%20mcp%3Atools"),
    )?;
    call_succeeds(app).await?;
    app.click_tid("try-close").await?;
    app.wait_gone("the try wizard to close", &tid("try-wizard")).await
}

/// The same last hop against real software: an MCP server built with the official SDK
/// whose tokens come from node-oidc-provider (RFC 8707 resource indicators). Its URL
/// makes the profile, the MCP template registers a client there, and Connect ends in the
/// SDK server's `initialize` answer.
#[tokio::test]
async fn connect_to_the_real_sdk_server() -> Res {
    let Some(app) = App::launch("mcp_chain::connect_to_the_real_sdk_server").await? else {
        return Ok(());
    };
    let op = RealProvider::node_oidc(serde_json::json!({"loopbackResources": {"scope": "mcp:tools"}}));
    let server = RealMcpServer::start(serde_json::json!({"issuer": op.issuer}));
    let outcome = connect_real(&app, &server.url).await;
    app.finish(outcome).await
}

async fn connect_real(app: &App, url: &str) -> Res {
    app.click_tid("new-profile").await?;
    app.wait_tid("profile-editor").await?;
    discover(app, url).await?;
    let states: Vec<String> = hops(app).await?.into_iter().map(|h| h.state).collect();
    expect(
        &format!("no hop fails at the SDK server: {states:?}"),
        !states.is_empty() && !states.iter().any(|s| s == "failed"),
    )?;
    save_proposed_profile(app, "SDK server").await?;
    register_from_mcp_template(app).await?;
    app.click_tid("action-try").await?;
    app.wait_tid("try-wizard").await?;
    app.click_tid("try-connect").await?;
    let asked = authorize(app).await?;
    expect(
        &format!("the authorization asks for the SDK server: {asked}"),
        asked.contains(&format!("resource={}", encode(url))),
    )?;
    call_succeeds(app).await?;
    expect_eq(
        "the SDK server names itself",
        app.text_tid("try-mcp-name").await?.trim().to_string(),
        "registrar-test-mcp".to_string(),
    )?;
    app.click_tid("try-close").await?;
    app.wait_gone("the try wizard to close", &tid("try-wizard")).await
}

/// Saves the profile the discovered chain proposes, as `name`, and opens it.
async fn save_proposed_profile(app: &App, name: &str) -> Res {
    app.wait_tid("proposed-profile").await?;
    app.fill_tid("profile-name", name).await?;
    app.click_tid("profile-save").await?;
    app.wait_gone("the profile form to close", &tid("profile-modal"))
        .await?;
    steps::open_profile(app, name).await
}

/// Registers a client from the MCP client template: a public native client on a loopback
/// redirect URI, keeping the name typed before the template was chosen.
async fn register_from_mcp_template(app: &App) -> Res {
    steps::open_register_form(app).await?;
    app.fill_tid("field-client_name", "Desktop assistant").await?;
    app.click_tid("template-mcp").await?;
    eventually("the template's loopback redirect URI", WAIT, || async {
        Ok((app.value(&tid("redirect_uris-0")).await? == "http://127.0.0.1/callback").then_some(()))
    })
    .await?;
    expect_eq(
        "the template keeps the name typed",
        app.value(&tid("field-client_name")).await?,
        "Desktop assistant".to_string(),
    )?;
    let registered = steps::submit_registration(app).await?;
    expect("a public client, without a secret", registered.secret.is_none())
}

/// The user signs in at the authorization URL the wizard shows, and the browser comes back
/// to the app's listener; returns the URL.
async fn authorize(app: &App) -> Res<String> {
    let url = app.text_tid("try-authorization-url").await?;
    let url = url.trim().to_string();
    let listener = app
        .text(&format!("{} .mono", tid("try-waiting")))
        .await?
        .trim()
        .to_string();
    let browser = Browser::default();
    let back = browser
        .authorize(&url, &listener)
        .await
        .map_err(|e| format!("the user signing in at {url}: {e}"))?;
    browser
        .visit(&back)
        .await
        .map_err(|e| format!("the browser coming back to the app's listener: {e}"))?;
    app.wait_tid("try-result").await?;
    Ok(url)
}

/// Calls the resource from the result and checks the MCP server's answer.
async fn call_succeeds(app: &App) -> Res {
    let button = app.text_tid("try-call-resource").await?;
    expect(
        &format!("the call names the resource: {button:?}"),
        button.ends_with("/mcp"),
    )?;
    app.click_tid("try-call-resource").await?;
    app.wait_css(
        "the accepted call",
        &format!("{}[data-succeeded=\"true\"]", tid("try-resource-answer")),
    )
    .await?;
    let name = app.text_tid("try-mcp-name").await?;
    let protocol = app.text_tid("try-mcp-protocol").await?;
    let capabilities = app.text_tid("try-mcp-capabilities").await?;
    expect(
        &format!("the server's name, protocol version and tools: {name:?} {protocol:?} {capabilities:?}"),
        !name.trim().is_empty() && protocol.starts_with("20") && capabilities.contains("tools"),
    )
}

/// `application/x-www-form-urlencoded`, as the core writes a URL's query.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
