//! A profile from a protected resource's URL in the real window (issue 18). The Local
//! mock serves an MCP server at `<base>/mcp` with its RFC 9728 metadata. "New profile from
//! URL" is given that URL: first with the mock's `wrong-resource` fault on, where the
//! metadata names another server and the chain shows where it stops and proposes nothing;
//! then as it should be, where the chain's three hops (the 401 and its challenge, the
//! resource metadata, the authorization server's metadata) are shown with their HTTP
//! statuses and state marks, and the proposed profile (authorization server, registration
//! endpoint, bound resource and scopes) is saved. The README's picture of the chain is
//! taken on the way (`docs/screenshots/discovery-chain.png`).

use crate::harness::{expect, expect_eq, App, Res};
use crate::mock_admin::MockAdmin;
use crate::page::{profile_item, tid};
use crate::steps::{self, Dialect};
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
