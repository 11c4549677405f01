//! Without a keychain the window says so before anything is registered, with what to
//! start; with one, it says nothing. The desktop session without a keychain is the app's
//! D-Bus session address pointing at no bus.

use crate::harness::{expect, expect_eq, App, Res};
use crate::page::tid;

#[tokio::test]
async fn without_a_keychain_the_window_says_what_to_start() -> Res {
    let Some(app) = App::launch_with_env(
        "keychain_banner::without_a_keychain_the_window_says_what_to_start",
        &[("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/registrar-no-bus")],
    )
    .await?
    else {
        return Ok(());
    };
    let outcome = async {
        let banner = app
            .wait_text("the keychain banner", &tid("keychain-banner"), |t| !t.is_empty())
            .await?;
        expect(
            &format!("the banner says no keychain runs and names what to start: {banner}"),
            banner.contains("No keychain is running")
                && banner.contains("gnome-keyring")
                && banner.contains("KeePassXC"),
        )?;
        // Asking again changes nothing while no keychain answers.
        app.click_tid("keychain-check").await?;
        app.wait_tid("keychain-banner").await?;
        expect_eq(
            "the banner's state after checking again",
            app.find(&tid("keychain-banner"))
                .await?
                .ok_or("the banner went")?
                .attr("data-state")
                .await?,
            Some("unavailable".to_string()),
        )
    }
    .await;
    app.finish(outcome).await
}

#[tokio::test]
async fn with_a_keychain_there_is_no_banner() -> Res {
    let Some(app) = App::launch("keychain_banner::with_a_keychain_there_is_no_banner").await? else {
        return Ok(());
    };
    let outcome = async {
        // The list is shown once the window has started (and asked the keychain).
        app.wait_tid("client-list").await?;
        app.js("return new Promise(r => setTimeout(() => r(null), 500))", vec![])
            .await?;
        expect("no keychain banner", app.find(&tid("keychain-banner")).await?.is_none())
    }
    .await;
    app.finish(outcome).await
}
