//! Keys, certificates and the SSA inspector in the real window (issue 17): on the Local
//! mock profile's Keys & certificates view, a key is generated and given a self-signed
//! certificate, both shown in the table (subject and expiry); a second key signs
//! registrations. Then a software statement signed by the first key, playing a local
//! directory, is pasted into the inspector with that key's JWK Set: "signature valid",
//! its software_id, kept; one signed with an `exp` in the past is flagged expired, its
//! signature still valid; the kept one is listed in the expiring view. The README's
//! screenshots of the keys section and the inspector are taken on the way
//! (`docs/screenshots/keys-section.png`, `ssa-inspector.png`). Then a client registered
//! with a key from the register form, rotated and its rotation finished.

use crate::harness::{expect, expect_eq, App, Res};
use crate::page::tid;
use crate::steps;
use serde_json::json;

#[tokio::test]
async fn keys_certificates_and_the_ssa_inspector() -> Res {
    let Some(app) = App::launch("custody::keys_certificates_and_the_ssa_inspector").await? else {
        return Ok(());
    };
    let outcome = scenario(&app).await;
    app.finish(outcome).await
}

const ROW: &str = "[data-testid=\"key-row\"]";

async fn scenario(app: &App) -> Res {
    steps::open_profile(app, "Local mock").await?;
    app.click_tid("profile-keys-button").await?;
    app.wait_tid("keys-view").await?;
    app.wait_text("the empty table's hint", &tid("keys-empty"), |t| {
        t.contains("No key yet")
    })
    .await?;

    // A directory key, with a self-signed certificate.
    generate(app, "directory", 1).await?;
    app.click("the new key's id", &format!("{ROW} [data-testid=\"key-select\"]"))
        .await?;
    app.wait_tid("key-detail").await?;
    app.click_tid("key-self-signed").await?;
    app.wait_tid("certificate-dialog").await?;
    app.fill_tid("cert-cn", "tpp.example.org").await?;
    app.fill_tid("cert-o", "Example TPP").await?;
    app.fill_tid("cert-ou", "0015800001041RHAAY").await?;
    app.fill_tid("cert-c", "GB").await?;
    app.fill_tid("cert-days", "90").await?;
    app.click_tid("cert-submit").await?;
    app.wait_gone("the certificate dialog to close", &tid("certificate-dialog"))
        .await?;
    let certificate = app
        .wait_text("the certificate in the table", &tid("key-certificate"), |t| {
            t.contains("CN=tpp.example.org")
        })
        .await?;
    expect(
        &format!("the certificate's subject and expiry shown: {certificate:?}"),
        certificate.contains("O=Example TPP") && certificate.contains("expires in"),
    )?;
    app.click_tid("key-use-mtls").await?;
    steps::wait_toast(app, "info", "presents this certificate").await?;

    // A second key, which signs the profile's registrations.
    generate(app, "registration signing", 2).await?;
    app.click_tid("key-use-signing").await?;
    steps::wait_toast(app, "info", "sent signed with this key").await?;
    app.wait_text("what the profile uses", &tid("profile-custody-use"), |t| {
        t.contains("certificate on every request") && t.contains("signed with key")
    })
    .await?;
    let labels = app.texts(&format!("{ROW} [data-testid=\"key-label-cell\"]")).await?;
    expect(
        &format!("the labels and what the profile uses each key for: {labels:?}"),
        labels.len() == 2
            && labels[0].starts_with("directory")
            && labels[0].contains("mutual TLS")
            && labels[1].starts_with("registration signing")
            && labels[1].contains("signs registrations"),
    )?;
    crate::screenshots::shot(app, "keys-section").await?;

    // A software statement signed by the directory key, checked against its JWK Set.
    app.click("the sign section", &format!("{} summary", tid("ssa-sign-section")))
        .await?;
    let directory = app
        .js(
            "return [...document.querySelectorAll('[data-testid=\"ssa-sign-key\"] option')]\
             .find(o => o.textContent.startsWith('directory'))?.value ?? null",
            vec![],
        )
        .await?;
    let directory = directory.as_str().ok_or("no directory key to sign with")?.to_string();
    app.select(&tid("ssa-sign-key"), &directory).await?;
    let claims = json!({
        "software_id": "tpp-software-1",
        "software_client_name": "Example TPP app",
        "software_redirect_uris": ["https://tpp.example.org/callback"],
        "org_id": "0015800001041RHAAY"
    });
    let ssa = sign(app, &claims.to_string()).await?;
    // Pasted over itself, as a directory's SSA would be.
    app.fill_tid("ssa-jwt", &ssa).await?;
    app.click_tid("ssa-against-jwks").await?;
    app.click_tid("ssa-profile-jwks").await?;
    let jwks = crate::page::eventually("the profile's JWK Set in the box", crate::page::WAIT, || async {
        let jwks = app.value(&tid("ssa-jwks")).await?;
        Ok(jwks.contains(&directory).then_some(jwks))
    })
    .await?;
    expect("the JWK Set pasted has no private member", !jwks.contains("\"d\""))?;
    app.click_tid("ssa-inspect").await?;
    app.wait_text("the signature verdict", &tid("ssa-signature"), |t| {
        t.contains("signature valid")
    })
    .await?;
    expect_eq(
        "the software_id read",
        app.text_tid("ssa-software-id").await?,
        "tpp-software-1".to_string(),
    )?;
    expect_eq(
        "the issuer read",
        app.text_tid("ssa-issuer").await?,
        "registrar-local-directory".to_string(),
    )?;
    expect(
        "no expired mark on a fresh SSA",
        app.find(&tid("ssa-expired")).await?.is_none(),
    )?;
    app.fill_tid("ssa-label", "sandbox SSA").await?;
    app.click_tid("ssa-keep").await?;
    app.wait_css(
        "the kept SSA in the list",
        "[data-testid=\"ssa-kept-row\"][data-label=\"sandbox SSA\"]",
    )
    .await?;
    steps::dismiss_toasts(app).await?;
    app.js(
        "document.querySelector('[data-testid=\"ssa-result\"]').scrollIntoView({block: 'end'}); return null",
        vec![],
    )
    .await?;
    crate::screenshots::shot(app, "ssa-inspector").await?;

    // One whose exp has passed: flagged, the signature still valid.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    let stale = json!({"software_id": "tpp-software-1", "exp": now - 3600});
    let expired = sign(app, &stale.to_string()).await?;
    expect("a different SSA", expired != ssa)?;
    app.click_tid("ssa-inspect").await?;
    app.wait_tid("ssa-expired").await?;
    app.wait_text("the signature verdict", &tid("ssa-signature"), |t| {
        t.contains("signature valid")
    })
    .await?;
    let problems = app.text_tid("ssa-problems").await?;
    expect(
        &format!("the problems say it expired: {problems:?}"),
        problems.contains("expired"),
    )?;
    expect(
        "an expired SSA cannot be kept for registrations",
        !app.is_enabled(&tid("ssa-keep-use")).await?,
    )?;

    // The kept SSA runs out within the hour: listed beside the expiring secrets.
    app.click_tid("view-expiring").await?;
    app.wait_text("the SSA among what expires", &tid("expiring-custody-row"), |t| {
        t.contains("Software statement") && t.contains("sandbox SSA") && t.contains("Local mock")
    })
    .await?;
    Ok(())
}

/// Generates a P-256 key labelled `label` and waits for the table to have `rows` keys.
async fn generate(app: &App, label: &str, rows: usize) -> Res {
    app.click_tid("keys-generate").await?;
    app.wait_tid("generate-key-dialog").await?;
    app.select(&tid("key-kind"), "p256").await?;
    app.fill_tid("key-label", label).await?;
    app.click_tid("generate-key-submit").await?;
    app.wait_gone("the generate dialog to close", &tid("generate-key-dialog"))
        .await?;
    crate::page::eventually(&format!("{rows} key(s) in the table"), crate::page::WAIT, || async {
        Ok((app.find_all(ROW).await?.len() == rows).then_some(()))
    })
    .await
}

/// Signs `claims` with the chosen key (lifetime 60 minutes unless they have an exp) and
/// returns the JWT the inspector then holds.
async fn sign(app: &App, claims: &str) -> Res<String> {
    let before = app.value(&tid("ssa-jwt")).await?;
    app.fill_tid("ssa-sign-claims", claims).await?;
    app.click_tid("ssa-sign").await?;
    crate::page::eventually("the signed JWT in the inspector", crate::page::WAIT, || async {
        let jwt = app.value(&tid("ssa-jwt")).await?;
        Ok((jwt.starts_with("eyJ") && jwt != before).then_some(jwt))
    })
    .await
}

/// The register form's key panel and the client's Keys tab: a client registered with
/// private_key_jwt and a key generated for it in the form (its public JWK in `jwks`, the
/// key bound to the client once registered), then rotated with no overlap and the rotation
/// finished: one key left, the one the provider holds.
#[tokio::test]
async fn a_client_registered_with_its_key_and_rotated() -> Res {
    let Some(app) = App::launch("custody::a_client_registered_with_its_key_and_rotated").await? else {
        return Ok(());
    };
    let outcome = client_scenario(&app).await;
    app.finish(outcome).await
}

async fn client_scenario(app: &App) -> Res {
    steps::open_profile(app, "Local mock").await?;
    steps::open_register_form(app).await?;
    app.click_tid("template-m2m").await?;
    app.fill_tid("field-client_name", "Key-based service").await?;
    let option = app
        .js(
            "return document.querySelector('[data-testid=\"field-token_endpoint_auth_method\"] \
             option[value=\"private_key_jwt\"]')?.textContent ?? null",
            vec![],
        )
        .await?;
    expect_eq(
        "the method marked as having no key yet",
        option,
        json!("private_key_jwt (no key yet)"),
    )?;
    app.select(&tid("field-token_endpoint_auth_method"), "private_key_jwt")
        .await?;
    app.wait_tid("key-auth-missing").await?;
    app.js(
        "document.querySelector('[data-testid=\"key-auth-generate\"]').scrollIntoView({block: 'center'}); return null",
        vec![],
    )
    .await?;
    app.click_tid("key-auth-generate").await?;
    app.wait_text("the key in jwks", &tid("key-auth-carried"), |t| {
        t.contains("jwks carries") && t.contains("bound to the client")
    })
    .await?;
    let registered = steps::submit_registration(app).await?;

    let metadata = steps::detail_json(app).await?;
    let registered_kid = metadata["jwks"]["keys"][0]["kid"]
        .as_str()
        .ok_or_else(|| format!("no key in the registered jwks: {metadata}"))?
        .to_string();
    app.click_tid("tab-keys").await?;
    app.wait_tid("client-keys").await?;
    let kids = key_rows(app, 1).await?;
    expect_eq(
        "the client's key is the one registered",
        kids,
        vec![registered_kid.clone()],
    )?;

    // Rotate with no overlap, then finish: the new key alone, at the provider too.
    app.click_tid("keys-generate").await?;
    app.wait_tid("generate-key-dialog").await?;
    app.fill_tid("rotate-overlap", "0").await?;
    app.click_tid("generate-key-submit").await?;
    app.wait_gone("the rotate dialog to close", &tid("generate-key-dialog"))
        .await?;
    steps::wait_toast(app, "info", "the client now carries").await?;
    let kids = key_rows(app, 2).await?;
    let new_kid = kids
        .iter()
        .find(|k| **k != registered_kid)
        .ok_or("no new key after the rotation")?
        .clone();
    app.click_tid("keys-finish-rotation").await?;
    steps::wait_toast(app, "info", "Removed 1 retired key").await?;
    expect_eq("the key left", key_rows(app, 1).await?, vec![new_kid.clone()])?;
    steps::open_client(app, &registered.client_id).await?;
    let metadata = steps::detail_json(app).await?;
    expect_eq(
        "the provider's jwks after the rotation",
        metadata["jwks"]["keys"]
            .as_array()
            .map(|keys| keys.iter().map(|k| k["kid"].clone()).collect::<Vec<_>>()),
        Some(vec![json!(new_kid)]),
    )
}

/// The kids of the key table's rows, once there are `count` of them.
async fn key_rows(app: &App, count: usize) -> Res<Vec<String>> {
    crate::page::eventually(&format!("{count} key(s) in the table"), crate::page::WAIT, || async {
        let kids = app
            .js(
                "return [...document.querySelectorAll('[data-testid=\"key-row\"]')].map(r => r.dataset.kid)",
                vec![],
            )
            .await?;
        let kids: Vec<String> = serde_json::from_value(kids)?;
        Ok((kids.len() == count).then_some(kids))
    })
    .await
}
