//! Exporting to a file through the real save dialog: the GTK file chooser the app opens is
//! a window of its own, beyond WebDriver's reach, so it is driven with xdotool on the same
//! X display (type the path, press Enter). The file must then hold exactly what the
//! preview showed, secret included when asked for, and the window must say where it went.

use crate::harness::{expect, expect_eq, App, Res};
use crate::page::{eventually, WAIT};
use crate::steps::{self, ClientForm};
use std::path::Path;
use std::process::Command;

#[tokio::test]
async fn export_is_saved_where_the_dialog_says() -> Res {
    let Some(app) = App::launch("export_file::export_is_saved_where_the_dialog_says").await? else {
        return Ok(());
    };
    let outcome = scenario(&app).await;
    app.finish(outcome).await
}

async fn scenario(app: &App) -> Res {
    let form = ClientForm {
        name: "Saved to a file",
        redirect_uris: &["https://app.example.org/callback"],
        grant_types: None,
    };
    let registered = steps::register(app, &form).await?;
    let secret = registered.secret.as_deref().ok_or("the client got no secret")?;
    steps::open_export(app).await?;
    app.click_tid("export-env").await?;
    app.click_tid("export-with-secrets").await?;
    let preview = steps::export_preview(app, "show the .env file with the secret", |t| t.contains(secret)).await?;

    let dir = tempfile::tempdir()?;
    let path = dir.path().join("client.env");
    app.click_tid("export-save").await?;
    let dialog = eventually("the save dialog to open", WAIT, || async { save_dialog() }).await?;
    type_path(&dialog, &path)?;

    steps::wait_toast(app, "info", &format!("Exported to {}", path.display())).await?;
    app.wait_gone(
        "the export dialog to close after saving",
        &crate::page::tid("export-dialog"),
    )
    .await?;
    let written = std::fs::read_to_string(&path)?;
    expect_eq("the saved file", written.trim_end(), preview.trim_end())?;
    expect("the secret in the saved file", written.contains(secret))
}

#[tokio::test]
async fn export_is_copied_or_saved_under_a_readable_name_in_documents() -> Res {
    let Some(app) = App::launch("export_file::export_is_copied_or_saved_under_a_readable_name_in_documents").await?
    else {
        return Ok(());
    };
    let outcome = copied_and_saved(&app).await;
    app.finish(outcome).await
}

async fn copied_and_saved(app: &App) -> Res {
    let form = ClientForm {
        name: "Invoice portal",
        redirect_uris: &["https://invoices.example.org/callback"],
        grant_types: None,
    };
    let registered = steps::register(app, &form).await?;
    let secret = registered.secret.as_deref().ok_or("the client got no secret")?;
    steps::open_export(app).await?;
    app.click_tid("export-env").await?;
    let preview = steps::export_preview(app, "show the .env file", |t| t.contains("OIDC_CLIENT_ID=")).await?;

    // Copy: the clipboard holds exactly the preview, and no secret.
    app.click_tid("export-copy").await?;
    steps::wait_toast(app, "info", "Export copied").await?;
    let copied = eventually("the export on the clipboard", WAIT, || async {
        Ok(clipboard()?.filter(|c| c.contains("OIDC_CLIENT_ID=")))
    })
    .await?;
    expect_eq("the copied export", copied.trim_end(), preview.trim_end())?;
    expect("no secret on the clipboard", !copied.contains(secret))?;

    // Save: the dialog starts in the documents folder with the client's name; Enter keeps both.
    app.click_tid("export-save").await?;
    let dialog = eventually("the save dialog to open", WAIT, || async { save_dialog() }).await?;
    xdotool(&["windowfocus", "--sync", &dialog])?;
    xdotool(&["key", "--clearmodifiers", "Return"])?;
    let expected = app.documents_dir().join("Invoice portal.env");
    steps::wait_toast(app, "info", &format!("Exported to {}", expected.display())).await?;
    let written = std::fs::read_to_string(&expected)?;
    expect_eq("the saved file", written.trim_end(), preview.trim_end())
}

/// What the X clipboard holds now, read with xclip on the test's display.
fn clipboard() -> Res<Option<String>> {
    let out = Command::new("xclip")
        .args(["-selection", "clipboard", "-o"])
        .output()
        .map_err(|e| format!("xclip did not run ({e}): install it (scripts/setup.sh)"))?;
    Ok(out
        .status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned()))
}

/// The id of the GTK "Save File" window, once it is mapped.
fn save_dialog() -> Res<Option<String>> {
    let found = xdotool(&["search", "--onlyvisible", "--name", "^Save File$"])?;
    Ok(found.lines().next().map(str::to_string))
}

/// Replaces the file name in the dialog with `path` and confirms.
fn type_path(window: &str, path: &Path) -> Res {
    xdotool(&["windowfocus", "--sync", window])?;
    xdotool(&["key", "--clearmodifiers", "ctrl+a"])?;
    xdotool(&["type", "--delay", "10", &path.display().to_string()])?;
    xdotool(&["key", "Return"])?;
    Ok(())
}

fn xdotool(args: &[&str]) -> Res<String> {
    let out = Command::new("xdotool")
        .args(args)
        .output()
        .map_err(|e| format!("xdotool did not run ({e}): install it (scripts/setup.sh)"))?;
    // `search` exits 1 when nothing matches yet; that is an empty answer, not a failure.
    let nothing_found = args[0] == "search" && out.stdout.is_empty();
    if !out.status.success() && !nothing_found {
        return Err(format!("xdotool {args:?} failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(String::from_utf8(out.stdout)?)
}
