//! A token's times (`exp`, `iat`, `nbf`, `auth_time`) as a date and relative to a `now` the
//! caller gives: "expires in 59 min", "expired 3 h ago", "issued 2 s ago".

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The time claims shown, in this order.
pub const TIME_CLAIMS: [&str; 4] = ["exp", "iat", "nbf", "auth_time"];

/// One time claim, read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct ClaimTime {
    /// The claim's name: `exp`, `iat`, `nbf` or `auth_time`.
    pub claim: String,
    /// Seconds since 1970-01-01T00:00:00Z; none when the value is not a NumericDate.
    pub epoch: Option<i64>,
    /// The date in RFC 3339, UTC (`2011-03-22T18:43:00Z`); none when not a NumericDate or
    /// outside the years 0000–9999.
    pub date: Option<String>,
    /// Seconds from `now` to the time (negative: in the past).
    pub seconds_from_now: Option<i64>,
    /// In words, relative to `now` ("expires in 59 min"), or what is wrong with the value.
    pub relative: String,
}

/// Reads a NumericDate (RFC 7519 §2): a JSON number of seconds, fractions dropped. None for
/// anything else.
pub fn numeric_date(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            // `as` saturates: 1e300 is i64::MAX, never a panic.
            n.as_f64().filter(|f| f.is_finite()).map(|f| f.trunc() as i64)
        }),
        _ => None,
    }
}

/// The time claims present in `claims` (`exp`, `iat`, `nbf`, `auth_time`), each read
/// relative to `now` (seconds since the epoch).
pub fn claim_times(claims: &Map<String, Value>, now: i64) -> Vec<ClaimTime> {
    TIME_CLAIMS
        .iter()
        .filter_map(|&claim| claims.get(claim).map(|value| claim_time(claim, value, now)))
        .collect()
}

/// One time claim's value read relative to `now`.
pub fn claim_time(claim: &str, value: &Value, now: i64) -> ClaimTime {
    match numeric_date(value) {
        Some(epoch) => ClaimTime {
            claim: claim.to_owned(),
            epoch: Some(epoch),
            date: rfc3339(epoch),
            seconds_from_now: Some(epoch.saturating_sub(now)),
            relative: relative(claim, epoch, now),
        },
        None => ClaimTime {
            claim: claim.to_owned(),
            epoch: None,
            date: None,
            seconds_from_now: None,
            relative: format!(
                "not a NumericDate (a number of seconds since 1970): {}",
                super::jwt::json_kind(value)
            ),
        },
    }
}

/// `epoch` as an RFC 3339 date in UTC (`1970-01-01T00:00:00Z`); none outside 0000–9999.
pub fn rfc3339(epoch: i64) -> Option<String> {
    // 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
    if !(-62_167_219_200..=253_402_300_799).contains(&epoch) {
        return None;
    }
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    ))
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day); H. Hinnant's
/// `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A duration in one unit, rounded down: "2 s", "59 min", "3 h", "5 days", "12 years".
pub fn duration(seconds: u64) -> String {
    const MIN: u64 = 60;
    const HOUR: u64 = 60 * MIN;
    const DAY: u64 = 24 * HOUR;
    match seconds {
        s if s < MIN => format!("{s} s"),
        s if s < HOUR => format!("{} min", s / MIN),
        s if s < 2 * DAY => format!("{} h", s / HOUR),
        s if s < 2 * 365 * DAY => format!("{} days", s / DAY),
        s => format!("{} years", s / (365 * DAY)),
    }
}

/// How a claim's time reads from `now`: "expires in 59 min", "expired 3 h ago", "issued 2 s
/// ago", "not valid for another 5 s", "authenticated 4 min ago". Other claims read "in …" or
/// "… ago".
pub fn relative(claim: &str, epoch: i64, now: i64) -> String {
    let delta = epoch.saturating_sub(now);
    let span = duration(delta.unsigned_abs());
    let (future, now_words, past) = match claim {
        "exp" => ("expires in", "expires now", "expired"),
        "iat" => ("issued in the future, in", "issued just now", "issued"),
        "nbf" => ("not valid for another", "valid from now", "valid since"),
        "auth_time" => (
            "authenticated in the future, in",
            "authenticated just now",
            "authenticated",
        ),
        _ => ("in", "now", ""),
    };
    match delta {
        0 => now_words.to_owned(),
        d if d > 0 => format!("{future} {span}"),
        _ if past.is_empty() => format!("{span} ago"),
        _ => format!("{past} {span} ago"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_300_819_380; // 2011-03-22T18:43:00Z, RFC 7515's example exp

    #[test]
    fn dates_are_rfc3339_utc() {
        assert_eq!(rfc3339(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(rfc3339(NOW).as_deref(), Some("2011-03-22T18:43:00Z"));
        assert_eq!(rfc3339(951_782_400).as_deref(), Some("2000-02-29T00:00:00Z"));
        assert_eq!(rfc3339(1_709_251_199).as_deref(), Some("2024-02-29T23:59:59Z"));
        assert_eq!(rfc3339(-1).as_deref(), Some("1969-12-31T23:59:59Z"));
        assert_eq!(rfc3339(253_402_300_799).as_deref(), Some("9999-12-31T23:59:59Z"));
        assert_eq!(rfc3339(-62_167_219_200).as_deref(), Some("0000-01-01T00:00:00Z"));
        assert_eq!(rfc3339(253_402_300_800), None);
        assert_eq!(rfc3339(i64::MIN), None);
        assert_eq!(rfc3339(i64::MAX), None);
    }

    #[test]
    fn relative_times_read_as_the_claim_means() {
        assert_eq!(relative("exp", NOW + 3599, NOW), "expires in 59 min");
        assert_eq!(relative("exp", NOW - 3 * 3600 - 59, NOW), "expired 3 h ago");
        assert_eq!(relative("exp", NOW, NOW), "expires now");
        assert_eq!(relative("iat", NOW - 2, NOW), "issued 2 s ago");
        assert_eq!(relative("iat", NOW + 300, NOW), "issued in the future, in 5 min");
        assert_eq!(relative("nbf", NOW + 5, NOW), "not valid for another 5 s");
        assert_eq!(relative("nbf", NOW - 60, NOW), "valid since 1 min ago");
        assert_eq!(relative("auth_time", NOW - 4 * 60, NOW), "authenticated 4 min ago");
        assert_eq!(relative("exp", NOW + 3 * 86_400, NOW), "expires in 3 days");
        assert_eq!(relative("iat", NOW - 47 * 3600, NOW), "issued 47 h ago");
        assert_eq!(relative("iat", 0, NOW), "issued 41 years ago");
        assert_eq!(relative("other", NOW - 1, NOW), "1 s ago");
        // Extremes saturate rather than overflow.
        assert!(relative("exp", i64::MAX, i64::MIN).starts_with("expires in "));
        assert!(relative("exp", i64::MIN, i64::MAX).starts_with("expired "));
    }

    #[test]
    fn claim_times_lists_the_time_claims_in_order() {
        let claims = json!({"auth_time": NOW - 60, "exp": NOW + 3540, "iat": NOW - 2, "sub": "x"});
        let times = claim_times(claims.as_object().unwrap(), NOW);
        let names: Vec<&str> = times.iter().map(|t| t.claim.as_str()).collect();
        assert_eq!(names, ["exp", "iat", "auth_time"]);
        assert_eq!(times[0].relative, "expires in 59 min");
        assert_eq!(times[0].date.as_deref(), Some("2011-03-22T19:42:00Z"));
        assert_eq!(times[0].seconds_from_now, Some(3540));
        assert_eq!(times[1].relative, "issued 2 s ago");
    }

    #[test]
    fn values_that_are_not_numeric_dates_say_so() {
        assert_eq!(numeric_date(&json!(1.9)), Some(1));
        assert_eq!(numeric_date(&json!(1e300)), Some(i64::MAX));
        assert_eq!(numeric_date(&json!(u64::MAX)), Some(i64::MAX));
        assert_eq!(numeric_date(&json!("1300819380")), None);
        let t = claim_time("exp", &json!("tomorrow"), NOW);
        assert_eq!(t.epoch, None);
        assert!(t.relative.contains("not a NumericDate"), "{}", t.relative);
        assert!(t.relative.contains("a string"), "{}", t.relative);
    }
}
