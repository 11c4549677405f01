//! The About box says the version and commit the app was built from, exactly as
//! `registrar-app --version` prints them, and the version is the workspace's.

use crate::harness::{app_binary, expect, expect_eq, App, Res};
use crate::steps;

#[tokio::test]
async fn the_about_box_shows_the_version_and_commit_of_the_build() -> Res {
    let Some(app) = App::launch("about::the_about_box_shows_the_version_and_commit_of_the_build").await? else {
        return Ok(());
    };
    let outcome = scenario(&app).await;
    app.finish(outcome).await
}

async fn scenario(app: &App) -> Res {
    // "registrar-app 0.1.0 (commit 0123456789ab)"
    let out = std::process::Command::new(app_binary()).arg("--version").output()?;
    let printed = String::from_utf8(out.stdout)?;
    let (version, commit) = printed
        .trim()
        .strip_prefix("registrar-app ")
        .and_then(|rest| rest.split_once(" (commit "))
        .and_then(|(v, c)| Some((v.to_string(), c.strip_suffix(')')?.to_string())))
        .ok_or_else(|| format!("`registrar-app --version` printed {printed:?}"))?;
    expect_eq("the app's version", version.as_str(), env!("CARGO_PKG_VERSION"))?;
    expect(
        &format!("a commit id in --version, not {commit:?}"),
        commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit()),
    )?;

    app.click_tid("open-about").await?;
    app.wait_tid("about-dialog").await?;
    let shown = app
        .wait_text(
            "the About box to show the version",
            &crate::page::tid("about-version"),
            |t| !t.is_empty(),
        )
        .await?;
    expect_eq("the version in the About box", shown.as_str(), version.as_str())?;
    expect_eq(
        "the commit in the About box",
        app.text_tid("about-commit").await?,
        commit,
    )?;
    steps::close_modal(app, "about-dialog").await
}
