//! Keys, signatures and certificates through the public API, for every kind of key.

use registrar_keys::cert::{self, CertificateInfo, Subject};
use registrar_keys::{jwk, jws, Alg, KeyKind, PrivateKey};
use serde_json::json;
use std::sync::OnceLock;

/// One key of each kind for the whole file (RSA generation is the slow part).
fn keys() -> &'static [PrivateKey; 3] {
    static KEYS: OnceLock<[PrivateKey; 3]> = OnceLock::new();
    KEYS.get_or_init(|| {
        [
            PrivateKey::generate(KeyKind::P256, 0).unwrap(),
            PrivateKey::generate(KeyKind::Rsa, 2048).unwrap(),
            PrivateKey::generate(KeyKind::Ed25519, 0).unwrap(),
        ]
    })
}

#[test]
fn every_kind_signs_and_its_public_jwk_verifies() {
    for key in keys() {
        let algs: &[Alg] = match key.kind() {
            KeyKind::Rsa => &[Alg::PS256, Alg::RS256],
            kind => &[kind_alg(kind)],
        };
        for &alg in algs {
            let public = key.public_jwk(alg);
            let set = jwk::set(std::slice::from_ref(&public));
            let token = jws::sign(key, alg, Some(public.kid()), Some("JWT"), &json!({"iss": "me", "n": 1})).unwrap();
            let read = jws::verify(&token, &set, &Alg::ALL).unwrap();
            assert_eq!(read.claims["iss"], "me");
            assert_eq!(read.alg(), Some(alg.as_str()));
            assert_eq!(read.kid(), Some(public.kid()));

            // One changed payload byte and the signature fails.
            let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
            parts[1] = jws::sign(key, alg, None, None, &json!({"iss": "you"}))
                .unwrap()
                .split('.')
                .nth(1)
                .unwrap()
                .into();
            let forged = parts.join(".");
            let e = jws::verify(&forged, &set, &Alg::ALL).unwrap_err();
            assert!(e.to_string().contains("does not verify"), "{alg}: {e}");
        }
    }
}

fn kind_alg(kind: KeyKind) -> Alg {
    kind.default_alg()
}

#[test]
fn an_algorithm_that_does_not_fit_the_key_is_refused_by_name() {
    let [ec, rsa, ed] = keys();
    let e = jws::sign(ec, Alg::PS256, None, None, &json!({})).unwrap_err();
    assert_eq!(e.to_string(), "PS256 cannot be used with an EC P-256 key");
    assert!(jws::sign(rsa, Alg::ES256, None, None, &json!({})).is_err());
    assert!(jws::sign(ed, Alg::RS256, None, None, &json!({})).is_err());
}

#[test]
fn verification_names_the_missing_kid_and_the_refused_algorithm() {
    let [ec, rsa, _] = keys();
    let set = jwk::set(&[rsa.public_jwk(Alg::PS256)]);
    let token = jws::sign(ec, Alg::ES256, Some("nope"), None, &json!({})).unwrap();
    let e = jws::verify(&token, &set, &Alg::ALL).unwrap_err();
    assert_eq!(e.to_string(), "no key with kid \"nope\" in the JWK Set");
    let token = jws::sign(rsa, Alg::RS256, None, None, &json!({})).unwrap();
    let e = jws::verify(&token, &set, &[Alg::PS256, Alg::ES256]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "signed with RS256, but only PS256, ES256 are accepted here"
    );
    let e = jws::verify("a.b", &set, &Alg::ALL).unwrap_err();
    assert!(e.to_string().contains("2 dot-separated parts"), "{e}");
}

#[test]
fn pem_and_jwk_round_trips_keep_the_key() {
    for key in keys() {
        let pem = key.to_pkcs8_pem();
        let back = PrivateKey::from_pem(&pem).unwrap();
        assert_eq!(back.thumbprint(), key.thumbprint());
        assert_eq!(back.kind(), key.kind());
    }
    // A private JWK in, the same public key out.
    let jwk = json!({
        "kty": "OKP", "crv": "Ed25519",
        "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
        "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    });
    // RFC 8037 Appendix A.1's key and A.3's thumbprint.
    let key = PrivateKey::from_jwk(&jwk).unwrap();
    assert_eq!(key.thumbprint(), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    let mut wrong = jwk.clone();
    wrong["x"] = json!("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    assert_eq!(
        PrivateKey::from_jwk(&wrong).unwrap_err().to_string(),
        "not a usable JWK: `x` is not the public half of `d`"
    );
    let public_only = json!({"kty": "OKP", "crv": "Ed25519", "x": jwk["x"]});
    assert!(PrivateKey::from_jwk(&public_only)
        .unwrap_err()
        .to_string()
        .contains("public key"));
}

#[test]
fn the_stored_form_keeps_the_key_and_fits_one_keychain_entry() {
    for key in keys() {
        let stored = key.to_storage();
        let back = PrivateKey::from_storage(&stored).unwrap();
        assert_eq!(back.thumbprint(), key.thumbprint());
        if key.kind() != KeyKind::Rsa {
            assert_eq!(
                back.pkcs8_der().as_slice(),
                key.pkcs8_der().as_slice(),
                "{:?}",
                key.kind()
            );
        }
        // Windows takes 1,280 UTF-16 units per entry; the vault's envelope needs some of them.
        assert!(
            stored.len() < 1000,
            "{:?} keeps {} characters",
            key.kind(),
            stored.len()
        );
        // What earlier versions kept (PEM) still reads.
        assert_eq!(
            PrivateKey::from_storage(&key.to_pkcs8_pem()).unwrap().thumbprint(),
            key.thumbprint()
        );
    }
    let rsa = &keys()[1];
    let stored = rsa.to_storage();
    assert!(
        stored.starts_with(registrar_keys::RSA_PRIMES),
        "RSA keys are kept as their primes"
    );
    // The private exponent is computed again (modulo the Carmichael function, as FIPS 186
    // does), so the PKCS#8 bytes may differ; the key does not: a signature with the key read
    // back verifies with the original public key.
    let public = rsa.public_jwk(Alg::PS256);
    let token = jws::sign(
        &PrivateKey::from_storage(&stored).unwrap(),
        Alg::PS256,
        Some(public.kid()),
        None,
        &json!({"a": 1}),
    )
    .unwrap();
    assert!(jws::verify(&token, &jwk::set(std::slice::from_ref(&public)), &[Alg::PS256]).is_ok());
    // A damaged entry is refused, not read as another key.
    let (head, tail) = stored.rsplit_once('.').unwrap();
    for damaged in [
        head.to_string(),
        format!("{head}.{tail}.AQAB"),
        format!("{head}.{}", "A".repeat(tail.len())),
        format!("{head}.!!!"),
    ] {
        assert!(PrivateKey::from_storage(&damaged).is_err(), "{damaged:.40}…");
    }
}

#[test]
fn the_stored_form_gives_the_pkcs8_a_tls_library_reads() {
    for key in keys() {
        let stored = key.to_storage();
        let der = PrivateKey::pkcs8_der_from_storage(&stored).unwrap();
        // The same key as the full parse gives (an RSA key's PKCS#8 is made from its primes).
        assert_eq!(
            der.as_slice(),
            PrivateKey::from_storage(&stored).unwrap().pkcs8_der().as_slice()
        );
        assert_eq!(
            PrivateKey::from_pem(&registrar_keys::pem_block("PRIVATE KEY", &der))
                .unwrap()
                .thumbprint(),
            key.thumbprint(),
            "{:?}",
            key.kind()
        );
    }
    // Stored PEM of other kinds (what earlier versions or an import kept) is converted.
    let p256 = &keys()[0];
    let sec1 = {
        use p256::pkcs8::DecodePrivateKey as _;
        let secret = p256::SecretKey::from_pkcs8_der(&p256.pkcs8_der()).unwrap();
        secret.to_sec1_pem(p256::pkcs8::LineEnding::LF).unwrap()
    };
    assert_eq!(
        PrivateKey::pkcs8_der_from_storage(&sec1).unwrap().as_slice(),
        p256.pkcs8_der().as_slice()
    );
    // What is not a key is refused, not handed on.
    for not_a_key in [
        "",
        "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----",
        "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----",
        "registrar-rsa-primes:1:AQAB",
    ] {
        assert!(PrivateKey::pkcs8_der_from_storage(not_a_key).is_err(), "{not_a_key:?}");
    }
}

#[test]
fn pem_that_is_not_a_private_key_says_what_it_is() {
    let e = PrivateKey::from_pem("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----")
        .unwrap_err();
    assert!(e.to_string().contains("encrypted"), "{e}");
    let e = PrivateKey::from_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----").unwrap_err();
    assert!(e.to_string().contains("certificate"), "{e}");
    let e = PrivateKey::from_pem("hello").unwrap_err();
    assert!(e.to_string().contains("BEGIN"), "{e}");
    assert!(PrivateKey::generate(KeyKind::Rsa, 1024)
        .unwrap_err()
        .to_string()
        .contains("2048"));
}

#[test]
fn a_self_signed_certificate_is_read_back_with_its_subject_and_key() {
    let subject = Subject {
        common_name: "registrar test, client".into(),
        organization: Some("Example Bank".into()),
        organizational_unit: Some("0015800001041RHAAY".into()),
        country: Some("GB".into()),
        dns_names: vec!["client.example".into()],
    };
    let [ec, rsa, ed] = keys();
    for key in [ec, rsa, ed] {
        let der = cert::self_signed(key, &subject, 30).unwrap();
        let info = CertificateInfo::from_der(&der).unwrap();
        assert_eq!(
            info.subject_dn,
            "CN=registrar test\\, client,OU=0015800001041RHAAY,O=Example Bank,C=GB"
        );
        assert_eq!(info.subject_dn, info.issuer_dn);
        assert!(info.self_issued);
        assert_eq!(info.san_dns, vec!["client.example"]);
        assert!(info.is_for(key), "{:?}", key.kind());
        let days = (info.not_after - info.not_before) / 86_400;
        assert_eq!(days, 30, "30 days and the hour of slack");
        assert_eq!(info.x5t_s256.len(), 43);
        let pem = cert::chain_to_pem(std::slice::from_ref(&der));
        assert_eq!(cert::chain_from_pem(&pem).unwrap(), vec![der]);
    }
    let der = cert::self_signed(ec, &subject, 1).unwrap();
    assert!(!CertificateInfo::from_der(&der).unwrap().is_for(ed));
}

#[test]
fn a_csr_is_pem_for_the_key() {
    let csr = cert::signing_request(
        &keys()[0],
        &Subject {
            common_name: "tpp".into(),
            ..Subject::default()
        },
    )
    .unwrap();
    assert!(csr.starts_with("-----BEGIN CERTIFICATE REQUEST-----"), "{csr}");
    let e = cert::signing_request(&keys()[0], &Subject::default()).unwrap_err();
    assert!(e.to_string().contains("common name"), "{e}");
    let e = cert::chain_from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").unwrap_err();
    assert!(e.to_string().contains("PRIVATE KEY"), "{e}");
}
