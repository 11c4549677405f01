//! What a token endpoint returned, explained: each token JWT or opaque, shown redacted, a
//! JWT's header and claims decoded with its times as dates and relative to now, and for the
//! ID token the checks a relying party must make. Pure functions: the caller fetches the JWK
//! Set and passes it in, with the time.
//!
//! - [`jwt`]: decoding a compact JWS without verifying it.
//! - [`times`]: `exp`, `iat`, `nbf` and `auth_time` as dates and "expires in 59 min".
//! - [`id_token`]: the ID token's checks ([`verify`]), key rotation included.
//! - [`explain`]: the whole answer ([`explain_token_response`]).

pub mod explain;
pub mod id_token;
pub mod jwt;
pub mod times;

pub use explain::{explain_token_response, preview, TokenExplanation, TokenKind, TokenSet, TokenView};
pub use id_token::{token_hash, verify, Check, CheckOutcome, Expectations, IdTokenReport};
pub use jwt::{decode, DecodedJwt, JoseHeader, JwtError, JwtPart};
pub use times::{claim_times, ClaimTime};
