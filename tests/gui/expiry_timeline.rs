//! The expiry timeline (issue 21): client secrets, certificates, keys at the end of a
//! rotation and software statements of a returning user's profile on a time axis, the
//! ones due within the chosen window highlighted, and each also in the table below with
//! its date. The database is written before the app starts (the benchmark's seeding, then
//! the expiries).

use crate::harness::{expect_eq, App, Res};
use crate::page::{eventually, WAIT};
use std::path::Path;

const PROFILE: &str = "Expiring provider";
const DAY: i64 = 86_400;
/// Days from now each seeded secret expires (one has already).
const SECRETS: [i64; 7] = [-3, 4, 11, 19, 27, 48, 75];
/// Keys retiring, certificates and software statements running out, in days from now.
const KEYS: [i64; 2] = [9, 55];
const CERTIFICATES: [i64; 2] = [22, 64];
const STATEMENTS: [i64; 2] = [14, 33];

#[tokio::test]
async fn the_timeline_places_what_runs_out() -> Res {
    let Some(app) = App::launch_prepared("expiry_timeline::the_timeline_places_what_runs_out", seed).await? else {
        return Ok(());
    };
    let outcome = scenario(&app).await;
    app.finish(outcome).await
}

fn seed(data: &Path) -> Res {
    let profile = registrar_bench::seed::seed_database(data, PROFILE, "http://127.0.0.1:9/register", 40);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs() as i64;
    let db = rusqlite::Connection::open(data.join("registrar.sqlite3"))?;
    db.execute("UPDATE registrations SET client_secret_expires_at = 0", [])?;
    for (i, days) in SECRETS.iter().enumerate() {
        db.execute(
            "UPDATE registrations SET status = 'active', client_secret_expires_at = ?1 WHERE rowid = ?2",
            rusqlite::params![now + days * DAY, i as i64 + 2],
        )?;
    }
    for (i, days) in KEYS.iter().enumerate() {
        db.execute(
            "INSERT INTO keys (profile_id, kid, kind, alg, public_jwk, client_id, label, certificate_pem, certificate_not_after, created_at, retire_at)
             VALUES (?1, ?2, 'generated', 'ES256', '{}', NULL, ?3, NULL, NULL, ?4, ?5)",
            rusqlite::params![profile.id.as_str(), format!("kid-rotated-{i}-0123456789"), format!("signing key {i}"), now, now + days * DAY],
        )?;
    }
    for (i, days) in CERTIFICATES.iter().enumerate() {
        let pem = certificate(now + days * DAY)?;
        db.execute(
            "INSERT INTO keys (profile_id, kid, kind, alg, public_jwk, client_id, label, certificate_pem, certificate_not_after, created_at, retire_at)
             VALUES (?1, ?2, 'generated', 'ES256', '{}', NULL, ?3, ?4, ?5, ?6, NULL)",
            rusqlite::params![profile.id.as_str(), format!("kid-certified-{i}-0123456789"), format!("mTLS key {i}"), pem, now + days * DAY, now],
        )?;
    }
    for (i, days) in STATEMENTS.iter().enumerate() {
        db.execute(
            "INSERT INTO software_statements (profile_id, label, jwt, source, expires_at, created_at)
             VALUES (?1, ?2, 'e30.e30.', 'pasted', ?3, ?4)",
            rusqlite::params![profile.id.as_str(), format!("tpp statement {i}"), now + days * DAY, now],
        )?;
    }
    Ok(())
}

/// A self-signed certificate (PEM) whose validity ends on the UTC day of `not_after`.
fn certificate(not_after: i64) -> Res<String> {
    let (y, m, d) = civil_date(not_after.div_euclid(DAY));
    let mut params = rcgen::CertificateParams::new(vec!["tpp.example.org".to_string()])?;
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, "Example TPP");
    params.not_after = rcgen::date_time_ymd(y, m, d);
    let key = rcgen::KeyPair::generate()?;
    Ok(params.self_signed(&key)?.pem())
}

/// The (year, month, day) of a day counted from 1970-01-01 (H. Hinnant's algorithm).
fn civil_date(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year as i32, month as u8, day as u8)
}

async fn scenario(app: &App) -> Res {
    app.click_tid("view-expiring").await?;
    app.wait_tid("expiry-timeline").await?;
    let all = SECRETS.len() + KEYS.len() + CERTIFICATES.len() + STATEMENTS.len();
    let due_within = |days: i64| {
        SECRETS
            .iter()
            .chain(&KEYS)
            .chain(&CERTIFICATES)
            .chain(&STATEMENTS)
            .filter(|d| **d <= days)
            .count()
    };
    wait_count(app, "every item on the axis", "[data-testid=\"timeline-point\"]", all).await?;
    wait_count(app, "every item in the table", "[data-testid=\"timeline-row\"]", all).await?;
    wait_count(
        app,
        "the ones due within 30 days highlighted",
        "[data-testid=\"timeline-point\"][data-due=\"true\"]",
        due_within(30),
    )
    .await?;
    wait_count(
        app,
        "and said so in the table",
        "[data-testid=\"timeline-row\"][data-due=\"true\"]",
        due_within(30),
    )
    .await?;
    let expired = app.texts("[data-testid=\"timeline-row\"] td:last-child").await?;
    expect_eq(
        "the first row has expired",
        expired.first().map(String::as_str),
        Some("expired"),
    )?;
    // After the window has painted what the DOM holds (a snapshot taken sooner can show
    // an earlier frame: the empty axis, or the window before its profiles loaded).
    crate::screenshots::shot(app, "expiry-timeline").await?;

    app.fill("[data-testid=\"expiring-view\"] input[type=\"number\"]", "60")
        .await?;
    wait_count(
        app,
        "the ones due within 60 days highlighted",
        "[data-testid=\"timeline-point\"][data-due=\"true\"]",
        due_within(60),
    )
    .await?;
    Ok(())
}

async fn wait_count(app: &App, what: &str, css: &str, want: usize) -> Res {
    let last = std::cell::Cell::new(0);
    eventually(what, WAIT, || async {
        let n = app.find_all(css).await?.len();
        last.set(n);
        Ok((n == want).then_some(()))
    })
    .await
    .map_err(|e| format!("{e}: {} of {want}", last.get()).into())
}
