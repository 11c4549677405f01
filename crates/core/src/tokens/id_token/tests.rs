//! ID token checks: published vectors, round trips with every algorithm, and each check made
//! to fail alone by tampering with one thing.

use super::*;
use jsonwebtoken::EncodingKey;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use serde_json::json;

const NOW: i64 = 1_800_000_000;
const ISSUER: &str = "https://op.example";
const CLIENT: &str = "s6BhdRkqt3";
const NONCE: &str = "n-0S6_WzA2Mj";
const SECRET: &str = "a client secret of thirty-two bytes or more";
/// OpenID Connect Core 1.0 Appendix A.3 / A.4: an access token and a code with their hashes.
const OIDC_ACCESS_TOKEN: &str = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y";
const OIDC_AT_HASH: &str = "77QmUPtjPfzWtF2AnpK9RQ";
const OIDC_CODE: &str = "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk";
const OIDC_C_HASH: &str = "LDktKdoQak3Pk0cnXxCltA";

// RFC 7515 Appendix A.2: the RSA key and the RS256 JWS made with it.
const A2_N: &str = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
const A2_E: &str = "AQAB";
const A2_D: &str = "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ";
const A2_P: &str = "4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc";
const A2_Q: &str = "uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc";
const A2_JWS: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";
// RFC 7515 Appendix A.3: the P-256 key and the ES256 JWS made with it.
const A3_X: &str = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
const A3_Y: &str = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
const A3_JWS: &str = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
// RFC 8037 Appendix A: the Ed25519 key, and A.4's JWS over a sentence.
const ED_D: &str = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
const ED_X: &str = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
const RFC8037_A4: &str = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn unb64(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text).unwrap()
}

/// A signing key and the public JWK that verifies it.
struct Key {
    alg: &'static str,
    encoding: EncodingKey,
    jwk: Value,
}

fn with_kid(mut jwk: Value, kid: &str) -> Value {
    jwk["kid"] = json!(kid);
    jwk
}

/// ES256 from a fixed scalar (no randomness: the tests are repeatable).
fn es256(seed: u8, kid: &str) -> Key {
    use p256::pkcs8::EncodePrivateKey;
    let secret = p256::SecretKey::from_slice(&[seed; 32]).unwrap();
    let point = secret.public_key().to_encoded_point(false);
    Key {
        alg: "ES256",
        encoding: EncodingKey::from_ec_der(secret.to_pkcs8_der().unwrap().as_bytes()),
        jwk: json!({"kty": "EC", "crv": "P-256", "x": b64(point.x().unwrap()), "y": b64(point.y().unwrap()), "kid": kid, "use": "sig", "alg": "ES256"}),
    }
}

fn es384(kid: &str) -> Key {
    use p384::elliptic_curve::sec1::ToEncodedPoint;
    use p384::pkcs8::EncodePrivateKey;
    let secret = p384::SecretKey::from_slice(&[9; 48]).unwrap();
    let point = secret.public_key().to_encoded_point(false);
    Key {
        alg: "ES384",
        encoding: EncodingKey::from_ec_der(secret.to_pkcs8_der().unwrap().as_bytes()),
        jwk: json!({"kty": "EC", "crv": "P-384", "x": b64(point.x().unwrap()), "y": b64(point.y().unwrap()), "kid": kid}),
    }
}

/// The RFC 7515 A.2 key, for any of the RSA algorithms.
fn rsa(alg: &'static str, kid: &str) -> Key {
    use rsa::pkcs1::EncodeRsaPrivateKey;
    use rsa::BigUint;
    let int = |s: &str| BigUint::from_bytes_be(&unb64(s));
    let private =
        rsa::RsaPrivateKey::from_components(int(A2_N), int(A2_E), int(A2_D), vec![int(A2_P), int(A2_Q)]).unwrap();
    Key {
        alg,
        encoding: EncodingKey::from_rsa_der(private.to_pkcs1_der().unwrap().as_bytes()),
        jwk: json!({"kty": "RSA", "n": A2_N, "e": A2_E, "kid": kid}),
    }
}

/// The RFC 8037 key, its seed wrapped in PKCS#8 (RFC 8410) for jsonwebtoken.
fn ed25519(alg: &'static str, kid: &str) -> Key {
    let mut der = vec![
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ];
    der.extend(unb64(ED_D));
    Key {
        alg,
        encoding: EncodingKey::from_ed_der(&der),
        jwk: json!({"kty": "OKP", "crv": "Ed25519", "x": ED_X, "kid": kid}),
    }
}

fn hs256() -> Key {
    Key {
        alg: "HS256",
        encoding: EncodingKey::from_secret(SECRET.as_bytes()),
        jwk: json!({}),
    }
}

fn jwks(keys: &[&Key]) -> Value {
    json!({"keys": keys.iter().map(|k| k.jwk.clone()).collect::<Vec<_>>()})
}

/// A compact JWS of `claims` with `header`, signed by `key` with the algorithm `jsonwebtoken`
/// knows for the header's `alg` (so that RFC 9864's `Ed25519` can be signed too).
fn sign(header: &Value, claims: &Value, key: &Key) -> String {
    let input = format!("{}.{}", b64(header.to_string()), b64(claims.to_string()));
    let (algorithm, _) = algorithm(key.alg).unwrap();
    let signature = jsonwebtoken::crypto::sign(input.as_bytes(), &key.encoding, algorithm).unwrap();
    format!("{input}.{signature}")
}

fn header(key: &Key) -> Value {
    match key.jwk.get("kid") {
        Some(kid) => json!({"alg": key.alg, "kid": kid, "typ": "JWT"}),
        None => json!({"alg": key.alg}),
    }
}

const ACCESS: &str = "SlAV32hkKG-an-access-token";
const CODE: &str = "an-authorization-code";

fn claims(alg: &str) -> Value {
    json!({
        "iss": ISSUER,
        "sub": "248289761001",
        "aud": CLIENT,
        "nonce": NONCE,
        "exp": NOW + 3600,
        "iat": NOW - 2,
        "auth_time": NOW - 60,
        "at_hash": token_hash(alg, ACCESS).unwrap(),
        "c_hash": token_hash(alg, CODE).unwrap(),
    })
}

fn supported() -> Vec<String> {
    [
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA", "Ed25519", "HS256",
    ]
    .map(String::from)
    .to_vec()
}

fn expectations(algs: &[String]) -> Expectations<'_> {
    Expectations {
        nonce: Some(NONCE),
        access_token: Some(ACCESS),
        code: Some(CODE),
        signing_algs_supported: Some(algs),
        max_age: Some(3600),
        client_secret: Some(SECRET),
        ..Expectations::new(ISSUER, CLIENT)
    }
}

fn failed(report: &IdTokenReport) -> Vec<&str> {
    report.failures().map(|c| c.name.as_str()).collect()
}

fn detail<'a>(report: &'a IdTokenReport, name: &str) -> &'a str {
    &report.check(name).unwrap().detail
}

/// One claim changed (or removed, with null) on a valid ES256 token.
fn tampered(change: Value) -> IdTokenReport {
    let key = es256(1, "k1");
    let mut c = claims("ES256");
    for (name, value) in change.as_object().unwrap() {
        if value.is_null() {
            c.as_object_mut().unwrap().remove(name);
        } else {
            c[name] = value.clone();
        }
    }
    let algs = supported();
    verify(
        &sign(&header(&key), &c, &key),
        Some(&jwks(&[&key])),
        expectations(&algs),
        NOW,
    )
}

// ---- published vectors ------------------------------------------------------------------------

#[test]
fn oidc_core_at_hash_and_c_hash_examples() {
    assert_eq!(token_hash("RS256", OIDC_ACCESS_TOKEN).unwrap(), OIDC_AT_HASH);
    assert_eq!(token_hash("RS256", OIDC_CODE).unwrap(), OIDC_C_HASH);
    // The same value under the other sizes (computed independently with Python's hashlib).
    assert_eq!(
        token_hash("ES384", OIDC_ACCESS_TOKEN).unwrap(),
        "jtAeDp945y1dDqU3nkIVGNZP1HjH_MFs"
    );
    assert_eq!(
        token_hash("PS512", OIDC_ACCESS_TOKEN).unwrap(),
        "q7nS86GgvvFaZkzALLWqJYaJIKw2wCDAVfCAsm5CrBM"
    );
    // EdDSA (Ed25519): SHA-512, per the errata.
    assert_eq!(
        token_hash("EdDSA", OIDC_ACCESS_TOKEN),
        token_hash("RS512", OIDC_ACCESS_TOKEN)
    );
    assert_eq!(
        token_hash("Ed25519", OIDC_ACCESS_TOKEN),
        token_hash("RS512", OIDC_ACCESS_TOKEN)
    );
    assert_eq!(token_hash("none", OIDC_ACCESS_TOKEN), None);
    assert_eq!(token_hash("Ed448", OIDC_ACCESS_TOKEN), None);
}

#[test]
fn oidc_at_hash_vector_passes_and_fails_the_check() {
    let c = json!({"at_hash": OIDC_AT_HASH, "c_hash": OIDC_C_HASH});
    let c = c.as_object().unwrap();
    let at = hash_check("at_hash", "access token", c, Some("RS256"), Some(OIDC_ACCESS_TOKEN));
    assert_eq!(at.outcome, CheckOutcome::Passed, "{}", at.detail);
    let ch = hash_check("c_hash", "authorization code", c, Some("RS256"), Some(OIDC_CODE));
    assert_eq!(ch.outcome, CheckOutcome::Passed, "{}", ch.detail);
    // The right token with the hash of the wrong size fails.
    let at = hash_check("at_hash", "access token", c, Some("RS384"), Some(OIDC_ACCESS_TOKEN));
    assert_eq!(at.outcome, CheckOutcome::Failed);
    assert!(at.detail.contains("SHA-384"), "{}", at.detail);
}

fn vector_signature(token: &str, jwks: &Value) -> (Check, bool) {
    let header = jwt::decode_header(token).unwrap();
    let (parts, [_, _, sig]) = jwt::split(token).unwrap();
    signature_check(
        &header,
        !sig.is_empty(),
        parts,
        Some(jwks),
        Expectations::new(ISSUER, CLIENT),
    )
}

fn flip_last_signature_char(token: &str) -> String {
    let mut t = token.to_owned();
    let last = t.pop().unwrap();
    t.push(if last == 'A' { 'B' } else { 'A' });
    t
}

#[test]
fn rfc7515_a2_rs256_verifies_with_its_jwk() {
    let set = json!({"keys": [{"kty": "RSA", "n": A2_N, "e": A2_E}]});
    let (check, refetch) = vector_signature(A2_JWS, &set);
    assert_eq!(check.outcome, CheckOutcome::Passed, "{}", check.detail);
    assert!(check.detail.contains("the token names no kid"), "{}", check.detail);
    assert!(!refetch);
    // The same claims through `verify`: the signature passes; the claims (iss "joe") do not.
    let report = verify(A2_JWS, Some(&set), Expectations::new(ISSUER, CLIENT), NOW);
    assert_eq!(report.check("signature").unwrap().outcome, CheckOutcome::Passed);
    assert!(failed(&report).contains(&"iss"));
    let (check, _) = vector_signature(&flip_last_signature_char(A2_JWS), &set);
    assert_eq!(check.outcome, CheckOutcome::Failed);
    assert!(check.detail.contains("does not match"), "{}", check.detail);
}

#[test]
fn rfc7515_a2_key_signs_what_the_rfc_shows() {
    // RS256 is deterministic: the key rebuilt from its components signs A.2's exact bytes.
    let key = rsa("RS256", "a2");
    let input = A2_JWS.rsplit_once('.').unwrap().0;
    let sig = jsonwebtoken::crypto::sign(input.as_bytes(), &key.encoding, Algorithm::RS256).unwrap();
    assert_eq!(format!("{input}.{sig}"), A2_JWS);
}

#[test]
fn rfc7515_a3_es256_verifies_with_its_jwk() {
    let set = json!({"keys": [{"kty": "EC", "crv": "P-256", "x": A3_X, "y": A3_Y}]});
    let (check, _) = vector_signature(A3_JWS, &set);
    assert_eq!(check.outcome, CheckOutcome::Passed, "{}", check.detail);
    let (check, _) = vector_signature(&flip_last_signature_char(A3_JWS), &set);
    assert_eq!(check.outcome, CheckOutcome::Failed, "{}", check.detail);
    // A P-384 key cannot verify ES256.
    let p384 = json!({"keys": [{"kty": "EC", "crv": "P-384", "x": A3_X, "y": A3_Y}]});
    let (check, refetch) = vector_signature(A3_JWS, &p384);
    assert_eq!(check.outcome, CheckOutcome::Failed);
    assert!(refetch, "no key fits: maybe rotated");
}

#[test]
fn rfc8037_a4_ed25519_verifies_and_the_key_signs_it() {
    let key = ed25519("EdDSA", "ed");
    let set = json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": ED_X}]});
    let (check, _) = vector_signature(RFC8037_A4, &set);
    assert_eq!(check.outcome, CheckOutcome::Passed, "{}", check.detail);
    let (check, _) = vector_signature(&flip_last_signature_char(RFC8037_A4), &set);
    assert_eq!(check.outcome, CheckOutcome::Failed, "{}", check.detail);
    // Ed25519 is deterministic: the PKCS#8-wrapped seed signs the RFC's exact bytes.
    let input = RFC8037_A4.rsplit_once('.').unwrap().0;
    let sig = jsonwebtoken::crypto::sign(input.as_bytes(), &key.encoding, Algorithm::EdDSA).unwrap();
    assert_eq!(format!("{input}.{sig}"), RFC8037_A4);
    // Its payload is a sentence, not claims: `verify` says it is not a JWT.
    let report = verify(RFC8037_A4, Some(&set), Expectations::new(ISSUER, CLIENT), NOW);
    assert_eq!(failed(&report), ["format"]);
    assert!(
        detail(&report, "format").contains("payload is not JSON"),
        "{}",
        detail(&report, "format")
    );
}

// ---- round trips ------------------------------------------------------------------------------

#[test]
fn every_algorithm_round_trips_with_every_check_passing() {
    let keys = [
        rsa("RS256", "rs256"),
        rsa("RS384", "rs384"),
        rsa("RS512", "rs512"),
        rsa("PS256", "ps256"),
        rsa("PS384", "ps384"),
        rsa("PS512", "ps512"),
        es256(1, "es256"),
        es384("es384"),
        ed25519("EdDSA", "eddsa"),
        ed25519("Ed25519", "ed25519"),
        hs256(),
    ];
    let algs = supported();
    let set = jwks(&keys.iter().filter(|k| k.alg != "HS256").collect::<Vec<_>>());
    for key in &keys {
        let token = sign(&header(key), &claims(key.alg), key);
        let report = verify(&token, Some(&set), expectations(&algs), NOW);
        assert!(
            report.passed(),
            "{}: {:?}",
            key.alg,
            report.failures().collect::<Vec<_>>()
        );
        let skipped: Vec<&str> = report
            .checks
            .iter()
            .filter(|c| c.outcome == CheckOutcome::Skipped)
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(skipped, ["azp", "nbf"], "{}", key.alg);
        assert!(!report.needs_fresh_jwks());
        assert!(
            detail(&report, "signature").contains(key.alg),
            "{}",
            detail(&report, "signature")
        );
    }
}

#[test]
fn the_checks_come_in_a_stable_order() {
    let report = tampered(json!({}));
    let names: Vec<&str> = report.checks.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "signature",
            "alg",
            "iss",
            "sub",
            "aud",
            "azp",
            "exp",
            "iat",
            "nbf",
            "nonce",
            "at_hash",
            "c_hash",
            "auth_time"
        ]
    );
    assert!(report.passed());
}

// ---- each check failing alone -----------------------------------------------------------------

#[test]
fn a_wrong_issuer_fails_iss_alone() {
    let report = tampered(json!({"iss": "https://evil.example"}));
    assert_eq!(failed(&report), ["iss"]);
    assert!(detail(&report, "iss").contains("https://evil.example"));
    assert!(detail(&report, "iss").contains(ISSUER));
    let report = tampered(json!({"iss": ISSUER.to_owned() + "/"}));
    assert_eq!(failed(&report), ["iss"], "a trailing slash is another issuer");
    assert_eq!(failed(&tampered(json!({"iss": null}))), ["iss"]);
}

#[test]
fn a_wrong_audience_fails_aud_alone() {
    let report = tampered(json!({"aud": "another-client"}));
    assert_eq!(failed(&report), ["aud"]);
    assert!(detail(&report, "aud").contains("another-client"));
    assert_eq!(failed(&tampered(json!({"aud": ["x", "y"], "azp": CLIENT}))), ["aud"]);
    assert_eq!(failed(&tampered(json!({"aud": 5}))), ["aud"]);
    assert_eq!(failed(&tampered(json!({"aud": null}))), ["aud"]);
}

#[test]
fn several_audiences_need_an_azp_that_is_the_client() {
    let report = tampered(json!({"aud": [CLIENT, "api"]}));
    assert_eq!(failed(&report), ["azp"]);
    assert!(
        detail(&report, "azp").contains("2 audiences"),
        "{}",
        detail(&report, "azp")
    );
    let report = tampered(json!({"aud": [CLIENT, "api"], "azp": CLIENT}));
    assert!(report.passed(), "{:?}", report.failures().collect::<Vec<_>>());
    assert!(detail(&report, "aud").contains("2 audiences"));
    let report = tampered(json!({"aud": [CLIENT, "api"], "azp": "api"}));
    assert_eq!(failed(&report), ["azp"]);
    assert!(detail(&report, "azp").contains("\"api\""));
    // An azp present with a single audience must still be the client.
    assert_eq!(failed(&tampered(json!({"azp": "other"}))), ["azp"]);
    assert!(tampered(json!({"azp": CLIENT})).passed());
}

#[test]
fn an_expired_token_fails_exp_alone_beyond_the_clock_skew() {
    let report = tampered(json!({"exp": NOW - 3 * 3600}));
    assert_eq!(failed(&report), ["exp"]);
    assert!(
        detail(&report, "exp").starts_with("expired 3 h ago"),
        "{}",
        detail(&report, "exp")
    );
    assert!(detail(&report, "exp").contains("60 s"), "{}", detail(&report, "exp"));
    // Within the skew: passes, saying so.
    let report = tampered(json!({"exp": NOW - 30}));
    assert!(report.passed());
    assert!(
        detail(&report, "exp").contains("clock skew"),
        "{}",
        detail(&report, "exp")
    );
    assert_eq!(failed(&tampered(json!({"exp": NOW - CLOCK_SKEW_SECS}))), ["exp"]);
    assert_eq!(failed(&tampered(json!({"exp": null}))), ["exp"]);
    assert_eq!(failed(&tampered(json!({"exp": "soon"}))), ["exp"]);
    assert!(detail(&tampered(json!({"exp": NOW + 3540})), "exp").starts_with("expires in 59 min"));
}

#[test]
fn a_future_or_ancient_iat_fails_iat_alone() {
    let report = tampered(json!({"iat": NOW + 600}));
    assert_eq!(failed(&report), ["iat"]);
    assert!(
        detail(&report, "iat").contains("in the future"),
        "{}",
        detail(&report, "iat")
    );
    assert!(tampered(json!({"iat": NOW + 30})).passed(), "within the skew");
    let report = tampered(json!({"iat": NOW - 3 * 86_400}));
    assert_eq!(failed(&report), ["iat"]);
    assert!(
        detail(&report, "iat").contains("3 days ago"),
        "{}",
        detail(&report, "iat")
    );
    assert_eq!(failed(&tampered(json!({"iat": null}))), ["iat"]);
}

#[test]
fn a_future_nbf_fails_nbf_alone() {
    assert_eq!(failed(&tampered(json!({"nbf": NOW + 600}))), ["nbf"]);
    assert_eq!(
        tampered(json!({"nbf": NOW - 2})).check("nbf").unwrap().outcome,
        CheckOutcome::Passed
    );
}

#[test]
fn a_wrong_nonce_fails_nonce_alone() {
    let report = tampered(json!({"nonce": "another-nonce"}));
    assert_eq!(failed(&report), ["nonce"]);
    assert!(detail(&report, "nonce").contains("another-nonce"));
    assert!(detail(&report, "nonce").contains(NONCE));
    assert_eq!(failed(&tampered(json!({"nonce": null}))), ["nonce"]);
}

#[test]
fn a_wrong_at_hash_fails_at_hash_alone() {
    let report = tampered(json!({"at_hash": token_hash("ES256", "another access token")}));
    assert_eq!(failed(&report), ["at_hash"]);
    let d = detail(&report, "at_hash");
    assert!(d.contains(&token_hash("ES256", ACCESS).unwrap()), "{d}");
    assert!(d.contains("SHA-256"), "{d}");
    // The hash of the wrong size for the alg.
    assert_eq!(
        failed(&tampered(json!({"at_hash": token_hash("ES384", ACCESS)}))),
        ["at_hash"]
    );
    // Absent: skipped, since the token endpoint's ID token need not carry it.
    let report = tampered(json!({"at_hash": null}));
    assert!(report.passed());
    assert_eq!(report.check("at_hash").unwrap().outcome, CheckOutcome::Skipped);
}

#[test]
fn a_wrong_c_hash_fails_c_hash_alone() {
    assert_eq!(
        failed(&tampered(json!({"c_hash": token_hash("ES256", "another code")}))),
        ["c_hash"]
    );
}

#[test]
fn an_authentication_older_than_max_age_fails_auth_time_alone() {
    let report = tampered(json!({"auth_time": NOW - 2 * 3600}));
    assert_eq!(failed(&report), ["auth_time"]);
    assert!(detail(&report, "auth_time").contains("max_age"));
    assert_eq!(failed(&tampered(json!({"auth_time": null}))), ["auth_time"]);
}

#[test]
fn a_missing_sub_fails_sub_alone() {
    assert_eq!(failed(&tampered(json!({"sub": null}))), ["sub"]);
    assert_eq!(failed(&tampered(json!({"sub": ""}))), ["sub"]);
}

#[test]
fn a_bad_signature_fails_signature_alone() {
    let key = es256(1, "k1");
    let algs = supported();
    let set = jwks(&[&key]);
    let token = sign(&header(&key), &claims("ES256"), &key);
    let report = verify(&flip_last_signature_char(&token), Some(&set), expectations(&algs), NOW);
    assert_eq!(failed(&report), ["signature"]);
    // Claims changed after signing.
    let (input, sig) = token.rsplit_once('.').unwrap();
    let (head, _) = input.split_once('.').unwrap();
    let mut c = claims("ES256");
    c["sub"] = json!("someone-else");
    let forged = format!("{head}.{}.{sig}", b64(c.to_string()));
    let report = verify(&forged, Some(&set), expectations(&algs), NOW);
    assert_eq!(failed(&report), ["signature"]);
    assert!(
        detail(&report, "signature").contains("does not match key \"k1\""),
        "{}",
        detail(&report, "signature")
    );
    // Signed by another key under the same kid.
    let impostor = es256(2, "k1");
    let report = verify(
        &sign(&header(&impostor), &claims("ES256"), &impostor),
        Some(&set),
        expectations(&algs),
        NOW,
    );
    assert_eq!(failed(&report), ["signature"]);
    assert!(!report.needs_fresh_jwks(), "the key was found; it just did not match");
}

#[test]
fn an_unknown_kid_asks_for_a_fresh_jwks_and_passes_with_it() {
    let old = es256(1, "2026-11");
    let new = es256(3, "2026-12");
    let algs = supported();
    let token = sign(&header(&new), &claims("ES256"), &new);
    let stale = jwks(&[&old]);
    let report = verify(&token, Some(&stale), expectations(&algs), NOW);
    assert_eq!(failed(&report), ["signature"]);
    assert!(report.needs_fresh_jwks());
    let d = detail(&report, "signature");
    assert!(d.contains("no key with kid \"2026-12\""), "{d}");
    assert!(d.contains("\"2026-11\""), "{d}");
    assert!(d.contains("jwks_uri"), "{d}");
    // The caller fetches jwks_uri again and calls once more.
    let fresh = jwks(&[&new, &old]);
    let report = verify(&token, Some(&fresh), expectations(&algs), NOW);
    assert!(report.passed(), "{:?}", report.failures().collect::<Vec<_>>());
    assert!(!report.needs_fresh_jwks());
}

#[test]
fn alg_none_fails_alg_and_signature() {
    let mut c = claims("ES256");
    c.as_object_mut().unwrap().remove("at_hash");
    c.as_object_mut().unwrap().remove("c_hash");
    let token = format!("{}.{}.", b64(r#"{"alg":"none"}"#), b64(c.to_string()));
    let algs = supported();
    let report = verify(&token, Some(&jwks(&[&es256(1, "k1")])), expectations(&algs), NOW);
    assert_eq!(failed(&report), ["signature", "alg"]);
    assert!(detail(&report, "signature").contains("not signed"));
    assert!(detail(&report, "alg").contains("none"));
    assert!(!report.needs_fresh_jwks());
}

#[test]
fn an_alg_the_provider_does_not_advertise_fails_alg_alone() {
    let key = rsa("RS512", "r");
    let algs = vec!["RS256".to_owned(), "ES256".to_owned()];
    let report = verify(
        &sign(&header(&key), &claims("RS512"), &key),
        Some(&jwks(&[&key])),
        expectations(&algs),
        NOW,
    );
    assert_eq!(failed(&report), ["alg"]);
    assert!(
        detail(&report, "alg").contains("RS256, ES256"),
        "{}",
        detail(&report, "alg")
    );
    // Nor the registered one.
    let algs = supported();
    let expected = Expectations {
        registered_alg: Some("ES256"),
        ..expectations(&algs)
    };
    let report = verify(
        &sign(&header(&key), &claims("RS512"), &key),
        Some(&jwks(&[&key])),
        expected,
        NOW,
    );
    assert_eq!(failed(&report), ["alg"]);
    assert!(detail(&report, "alg").contains("id_token_signed_response_alg"));
}

#[test]
fn without_a_kid_the_only_fitting_key_is_used() {
    let key = es256(1, "k1");
    let rsa_key = rsa("RS256", "r");
    let algs = supported();
    let token = sign(&json!({"alg": "ES256"}), &claims("ES256"), &key);
    // One EC key among others: used.
    let report = verify(&token, Some(&jwks(&[&rsa_key, &key])), expectations(&algs), NOW);
    assert!(report.passed(), "{:?}", report.failures().collect::<Vec<_>>());
    assert!(detail(&report, "signature").contains("only key for ES256"));
    // Two EC P-256 keys: ambiguous, and OIDC requires a kid.
    let other = es256(2, "k2");
    let report = verify(&token, Some(&jwks(&[&key, &other])), expectations(&algs), NOW);
    assert_eq!(failed(&report), ["signature"]);
    assert!(detail(&report, "signature").contains("§10.1"));
    // None fits: maybe rotated.
    let report = verify(&token, Some(&jwks(&[&rsa_key])), expectations(&algs), NOW);
    assert_eq!(failed(&report), ["signature"]);
    assert!(report.needs_fresh_jwks());
}

#[test]
fn a_key_that_cannot_verify_the_alg_is_named_with_the_reason() {
    let key = es256(1, "k1");
    let algs = supported();
    let token = sign(&header(&key), &claims("ES256"), &key);
    for (jwk, reason) in [
        (with_kid(rsa("RS256", "").jwk, "k1"), "needs an EC key on P-256"),
        (
            json!({"kty": "EC", "crv": "P-256", "x": A3_X, "y": A3_Y, "kid": "k1", "use": "enc"}),
            "use is \"enc\"",
        ),
        (
            json!({"kty": "EC", "crv": "P-256", "x": A3_X, "y": A3_Y, "kid": "k1", "alg": "ES384"}),
            "it is for ES384",
        ),
        (
            json!({"kty": "EC", "crv": "P-256", "x": A3_X, "y": A3_Y, "kid": "k1", "key_ops": ["encrypt"]}),
            "key_ops",
        ),
    ] {
        let report = verify(&token, Some(&json!({"keys": [jwk]})), expectations(&algs), NOW);
        assert_eq!(failed(&report), ["signature"]);
        assert!(
            detail(&report, "signature").contains(reason),
            "{}",
            detail(&report, "signature")
        );
    }
}

#[test]
fn without_a_jwks_or_a_secret_the_signature_is_skipped() {
    let key = es256(1, "k1");
    let algs = supported();
    let report = verify(
        &sign(&header(&key), &claims("ES256"), &key),
        None,
        expectations(&algs),
        NOW,
    );
    assert!(report.passed());
    assert_eq!(report.check("signature").unwrap().outcome, CheckOutcome::Skipped);
    assert!(detail(&report, "signature").contains("jwks_uri"));
    let hs = hs256();
    let expected = Expectations {
        client_secret: None,
        ..expectations(&algs)
    };
    let report = verify(&sign(&header(&hs), &claims("HS256"), &hs), None, expected, NOW);
    assert_eq!(report.check("signature").unwrap().outcome, CheckOutcome::Skipped);
    assert!(detail(&report, "signature").contains("client secret"));
    // The wrong secret fails.
    let expected = Expectations {
        client_secret: Some("not the secret"),
        ..expectations(&algs)
    };
    let report = verify(&sign(&header(&hs), &claims("HS256"), &hs), None, expected, NOW);
    assert_eq!(failed(&report), ["signature"]);
}

#[test]
fn unsupported_algorithms_and_crit_headers_are_said_so() {
    let key = es256(1, "k1");
    let algs = supported();
    let set = jwks(&[&key]);
    let token = sign(&header(&key), &claims("ES256"), &key);
    let (_, rest) = token.split_once('.').unwrap();
    let es512 = format!("{}.{rest}", b64(r#"{"alg":"ES512","kid":"k1"}"#));
    let report = verify(&es512, Some(&set), Expectations::new(ISSUER, CLIENT), NOW);
    assert_eq!(report.check("signature").unwrap().outcome, CheckOutcome::Skipped);
    assert!(detail(&report, "signature").contains("ES512 is not an algorithm"));
    let crit = sign(
        &json!({"alg": "ES256", "kid": "k1", "crit": ["exp"], "exp": 1}),
        &claims("ES256"),
        &key,
    );
    let report = verify(&crit, Some(&set), expectations(&algs), NOW);
    assert_eq!(failed(&report), ["signature"]);
    assert!(detail(&report, "signature").contains("crit"));
}

// ---- hostile input ----------------------------------------------------------------------------

#[test]
fn hostile_keys_fail_without_panicking() {
    let algs = supported();
    let ed = ed25519("EdDSA", "k");
    let ed_token = sign(&header(&ed), &claims("EdDSA"), &ed);
    let rs = rsa("RS256", "k");
    let rs_token = sign(&header(&rs), &claims("RS256"), &rs);
    let es = es256(1, "k");
    let es_token = sign(&header(&es), &claims("ES256"), &es);
    let cases = [
        (
            &ed_token,
            json!({"kty": "OKP", "crv": "Ed25519", "x": "AAAA", "kid": "k"}),
            "3 bytes, not 32",
        ),
        (
            &ed_token,
            json!({"kty": "OKP", "crv": "Ed25519", "kid": "k"}),
            "no \"x\"",
        ),
        (
            &ed_token,
            json!({"kty": "OKP", "crv": "Ed25519", "x": "!!", "kid": "k"}),
            "not base64url",
        ),
        (
            &rs_token,
            json!({"kty": "RSA", "n": "AQAB", "e": "AQAB", "kid": "k"}),
            "17 bits",
        ),
        (
            &rs_token,
            json!({"kty": "RSA", "n": A2_N, "e": "AA", "kid": "k"}),
            "exponent is zero",
        ),
        (
            &rs_token,
            json!({"kty": "RSA", "n": b64([0xff; 1024]), "e": "AQAB", "kid": "k"}),
            "more than the 4096",
        ),
        (
            &es_token,
            json!({"kty": "EC", "crv": "P-256", "x": b64([0; 32]), "y": b64([0; 32]), "kid": "k"}),
            "could not be verified",
        ),
        (
            &es_token,
            json!({"kty": "EC", "crv": "P-256", "x": A3_X, "y": A3_X, "kid": "k"}),
            "could not be verified",
        ),
        (
            &es_token,
            json!({"kty": "EC", "crv": "P-256", "x": 5, "y": A3_Y, "kid": "k"}),
            "no \"x\"",
        ),
    ];
    for (token, jwk, reason) in cases {
        let report = verify(token, Some(&json!({"keys": [jwk]})), expectations(&algs), NOW);
        assert_eq!(failed(&report), ["signature"], "{reason}");
        assert!(
            detail(&report, "signature").contains(reason),
            "{reason}: {}",
            detail(&report, "signature")
        );
    }
    for set in [
        json!([]),
        json!({"keys": 5}),
        json!("keys"),
        json!({"keys": [1, "x", null]}),
    ] {
        let report = verify(&es_token, Some(&set), expectations(&algs), NOW);
        assert_eq!(failed(&report), ["signature"], "{set}");
    }
}

#[test]
fn hostile_tokens_are_reported_not_panicked_on() {
    let algs = supported();
    let set = jwks(&[&es256(1, "k")]);
    let seg = |s: &str| b64(s);
    let tokens = [
        String::new(),
        "garbage".to_owned(),
        "a.b.c".to_owned(),
        "....".to_owned(),
        format!("{}.{}.", seg("{}"), seg("{}")),
        format!("{}.{}.{}", seg(r#"{"alg":"ES256","kid":"k"}"#), seg("[]"), seg("sig")),
        format!(
            "{}.{}.{}",
            seg(r#"{"alg":"ES256","kid":"k"}"#),
            seg(r#"{"aud":[[]],"exp":1e999}"#),
            seg("sig")
        ),
        format!(
            "{}.{}.{}",
            seg(r#"{"alg":"ES256","kid":"k"}"#),
            seg(r#"{"exp":-9223372036854775808,"iat":18446744073709551615}"#),
            seg("sig")
        ),
        format!("{}.{}.{}", seg(r#"{"alg":"RS256"}"#), seg("{}"), "A".repeat(100_000)),
        format!("{}.{}.{}", seg(r#"{"alg":{"x":1},"kid":7}"#), seg("{}"), seg("s")),
        format!("{}.{}", seg(r#"{"alg":"RSA-OAEP","enc":"A256GCM"}"#), "a.b.c.d"),
    ];
    for token in &tokens {
        let report = verify(token, Some(&set), expectations(&algs), NOW);
        assert!(!report.passed(), "{token:.60}");
        assert!(report.failures().all(|c| !c.detail.is_empty()));
    }
    let jwe = &tokens[tokens.len() - 1];
    assert!(detail(&verify(jwe, Some(&set), expectations(&algs), NOW), "format").contains("encrypted"));
}
