//! Wall-clock stamps in the two shapes the dialects print: Unix seconds (RFC 7591) and
//! .NET-style ISO 8601 with 100 ns ticks (SimpleIdServer's `create_datetime`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch; 0 if the clock is before it.
pub(crate) fn unix_seconds() -> u64 {
    since_epoch(SystemTime::now()).as_secs()
}

/// `2023-06-12T19:24:24.0727511Z` for now.
pub(crate) fn iso8601_ticks() -> String {
    let since = since_epoch(SystemTime::now());
    let secs = since.as_secs();
    let (year, month, day) = civil_from_days(secs / 86_400);
    let rem = secs % 86_400;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:07}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        since.subsec_nanos() / 100
    )
}

fn since_epoch(t: SystemTime) -> Duration {
    t.duration_since(UNIX_EPOCH).unwrap_or_default()
}

/// Days since 1970-01-01 to (year, month, day), after Howard Hinnant's `civil_from_days`,
/// restricted to dates on or after the epoch.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::civil_from_days;

    #[test]
    fn converts_known_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        // 1686597864 is the document's client_id_issued_at: 2023-06-12.
        assert_eq!(civil_from_days(1_686_597_864 / 86_400), (2023, 6, 12));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
