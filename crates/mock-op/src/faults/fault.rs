//! The public description of a fault, also the JSON the HTTP admin API takes.

use serde::{Deserialize, Serialize};

fn one() -> u32 {
    1
}

/// A misbehaviour to inject into the provider API (never into the admin API).
///
/// Counted faults apply to the next `count` provider requests, in the order they were
/// injected; `count` defaults to 1 in JSON. Statuses outside 200–599, and 204/205/304 (which
/// cannot carry a body), are answered as 500.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// Added to every provider request until faults are cleared.
    Latency { millis: u64 },
    /// Answer this status with a JSON error body, changing nothing.
    Status {
        status: u16,
        #[serde(default = "one")]
        count: u32,
    },
    /// Answer an HTML error page (`text/html`) with this status, changing nothing.
    HtmlBody {
        status: u16,
        #[serde(default = "one")]
        count: u32,
    },
    /// Perform the operation, then answer 200/201 with a body that is not JSON.
    NonJsonBody {
        #[serde(default = "one")]
        count: u32,
    },
    /// Perform the operation, then cut the JSON body off mid-way: `Content-Length` promises
    /// more and the connection closes.
    TruncatedBody {
        #[serde(default = "one")]
        count: u32,
    },
    /// Perform and commit the operation, then drop the connection before any response byte.
    DropAfterCommit {
        #[serde(default = "one")]
        count: u32,
    },
    /// Perform the operation, send status and headers, and never send the body (until the
    /// server stops).
    StallBody {
        #[serde(default = "one")]
        count: u32,
    },
    /// On the next reads/updates that present a valid registration access token: rotate the
    /// token, then answer 500, so the new token never reaches the client. Only dialects with
    /// registration access tokens (generic, soffid, indigo, simpleidserver) consume it.
    LoseRotatedToken {
        #[serde(default = "one")]
        count: u32,
    },
    /// The next ID tokens carry an `iss` that is not this provider's.
    IdTokenWrongIssuer {
        #[serde(default = "one")]
        count: u32,
    },
    /// The next ID tokens' signatures do not verify (one bit flipped after signing).
    IdTokenBadSignature {
        #[serde(default = "one")]
        count: u32,
    },
    /// The next ID tokens are already expired when issued (`exp` an hour ago).
    IdTokenExpired {
        #[serde(default = "one")]
        count: u32,
    },
    /// The next device-code polls answer `slow_down` (and the interval grows) however slowly
    /// the client polls.
    SlowDevicePoll {
        #[serde(default = "one")]
        count: u32,
    },
}
