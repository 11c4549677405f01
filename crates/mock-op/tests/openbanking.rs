//! The openbanking dialect (Open Banking UK DCR v3.3) over real mutual TLS: registration by
//! signed JWTs carrying directory-signed software statements, RFC 7592 management, and the
//! token endpoint's key- and certificate-based client authentication with bound tokens.

use std::collections::HashSet;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use registrar_mock_op::{Dialect, Fault, MockConfig, MockServer};
use reqwest::StatusCode;
use serde_json::{json, Map, Value};

use crate::support::openbanking::{client_assertion, now, Bank, ClientCertificate, SigningKey, Software};
use crate::support::{assert_error, http, json, str_of};

/// A directory, a bank trusting it, a piece of software it vouches for, and the software's
/// transport certificate.
struct World {
    directory: SigningKey,
    bank: Bank,
    software: Software,
    cert: ClientCertificate,
}

impl World {
    async fn new(software_key: SigningKey) -> Self {
        let directory = SigningKey::ec("directory-1");
        let bank = Bank::start(Some(&directory)).await;
        let cert = ClientCertificate::self_signed("tpp-transport", None);
        World {
            directory,
            bank,
            software: Software::new(software_key),
            cert,
        }
    }

    fn server(&self) -> &MockServer {
        &self.bank.server
    }

    /// An HTTPS client presenting the software's transport certificate.
    fn mtls(&self) -> reqwest::Client {
        self.bank.client(Some(&self.cert))
    }

    /// A statement signed by `signer`, its claims changed by `edit`.
    fn statement(&self, signer: &SigningKey, edit: impl FnOnce(&mut Map<String, Value>)) -> String {
        let mut claims = self.software.statement_claims();
        edit(&mut claims);
        signer.sign(&Value::Object(claims))
    }

    /// A registration request carrying `statement`, signed by `signer`, its claims changed
    /// by `edit`.
    fn request(&self, statement: &str, signer: &SigningKey, edit: impl FnOnce(&mut Map<String, Value>)) -> String {
        let mut claims = self.software.request_claims(self.server(), statement);
        edit(&mut claims);
        signer.sign(&Value::Object(claims))
    }

    /// A valid registration, with the request's claims changed by `edit`.
    fn registration(&self, edit: impl FnOnce(&mut Map<String, Value>)) -> String {
        let statement = self.statement(&self.directory, |_| {});
        self.request(&statement, &self.software.key, edit)
    }

    async fn register(&self, client: &reqwest::Client, jwt: String) -> reqwest::Response {
        client
            .post(self.server().registration_endpoint())
            .header("content-type", "application/jwt")
            .body(jwt)
            .send()
            .await
            .expect("registration sent")
    }

    /// Registers with `edit`ed claims over mutual TLS; the 201 body.
    async fn registered(&self, edit: impl FnOnce(&mut Map<String, Value>)) -> Value {
        let response = self.register(&self.mtls(), self.registration(edit)).await;
        assert_eq!(response.status(), StatusCode::CREATED, "registered");
        json(response).await
    }

    async fn token(&self, client: &reqwest::Client, form: &[(&str, &str)]) -> reqwest::Response {
        client
            .post(self.server().token_endpoint())
            .form(form)
            .send()
            .await
            .expect("token request sent")
    }

    /// `client_credentials` by `private_key_jwt` with `key`.
    async fn token_by_assertion(&self, client: &reqwest::Client, id: &str, key: &SigningKey) -> reqwest::Response {
        let assertion = client_assertion(self.server(), id, key);
        self.token(client, &assertion_form(&assertion)).await
    }

    async fn introspect(&self, client: &reqwest::Client, form: &[(&str, &str)], token: &str) -> Value {
        let mut form = form.to_vec();
        form.push(("token", token));
        let response = client
            .post(self.server().introspection_endpoint())
            .form(&form)
            .send()
            .await
            .expect("introspection sent");
        assert_eq!(response.status(), StatusCode::OK, "introspection");
        json(response).await
    }
}

fn assertion_form(assertion: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("grant_type", "client_credentials"),
        (
            "client_assertion_type",
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ),
        ("client_assertion", assertion),
        ("scope", "accounts"),
    ]
}

/// Asserts an OAuth error whose description mentions `says`.
async fn assert_error_saying(response: reqwest::Response, status: StatusCode, code: &str, says: &str) {
    assert_eq!(response.status(), status, "status for {code} / {says}");
    let body = json(response).await;
    assert_eq!(body["error"], code, "error code in {body}");
    let description = str_of(&body, "error_description");
    assert!(
        description.contains(says),
        "description `{description}` should mention `{says}`"
    );
}

fn without(claims: &mut Map<String, Value>, names: &[&str]) {
    for name in names {
        claims.shift_remove(*name);
    }
}

#[tokio::test]
async fn discovery_advertises_mutual_tls_and_key_based_client_authentication() {
    let world = World::new(SigningKey::ec("software-1")).await;
    let base = world.server().base_url();
    assert!(base.starts_with("https://localhost:"), "{base}");
    let document = json(
        world
            .bank
            .client(None)
            .get(format!("{base}/.well-known/openid-configuration"))
            .send()
            .await
            .expect("discovery"),
    )
    .await;
    assert_eq!(document["issuer"], world.server().issuer());
    assert_eq!(document["registration_endpoint"], format!("{base}/register"));
    assert_eq!(document["token_endpoint"], world.server().token_endpoint());
    assert_eq!(document["jwks_uri"], world.server().jwks_uri());
    assert_eq!(
        document["token_endpoint_auth_methods_supported"],
        json!(["private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"])
    );
    assert_eq!(
        document["token_endpoint_auth_signing_alg_values_supported"],
        json!(["PS256", "ES256"])
    );
    assert_eq!(
        document["request_object_signing_alg_values_supported"],
        json!(["PS256", "ES256"])
    );
    assert_eq!(document["tls_client_certificate_bound_access_tokens"], true);
    let aliases = &document["mtls_endpoint_aliases"];
    assert_eq!(aliases["token_endpoint"], world.server().token_endpoint());
    assert_eq!(aliases["registration_endpoint"], world.server().registration_endpoint());
    assert_eq!(
        aliases["introspection_endpoint"],
        world.server().introspection_endpoint()
    );
}

#[tokio::test]
async fn without_a_client_certificate_every_call_says_mutual_tls_is_required() {
    let world = World::new(SigningKey::ec("software-1")).await;
    let plain = world.bank.client(None);
    let saying = "a client certificate (mutual TLS) is required";
    let refused = world.register(&plain, world.registration(|_| {})).await;
    assert_error_saying(refused, StatusCode::UNAUTHORIZED, "invalid_client", saying).await;
    assert_eq!(world.server().admin().client_count(), 0, "nothing registered");

    let client = world.registered(|_| {}).await;
    let id = str_of(&client, "client_id");
    let uri = str_of(&client, "registration_client_uri");
    let rat = str_of(&client, "registration_access_token");
    let read = plain.get(uri).bearer_auth(rat).send().await.expect("read");
    assert_error_saying(read, StatusCode::UNAUTHORIZED, "invalid_client", saying).await;
    let delete = plain.delete(uri).bearer_auth(rat).send().await.expect("delete");
    assert_error_saying(delete, StatusCode::UNAUTHORIZED, "invalid_client", saying).await;
    let token = world.token_by_assertion(&plain, id, &world.software.key).await;
    assert_error_saying(token, StatusCode::UNAUTHORIZED, "invalid_client", saying).await;
    assert_eq!(world.server().admin().client_count(), 1, "still there");
}

#[tokio::test]
async fn a_private_key_jwt_client_registers_reads_updates_with_a_rotated_key_and_deletes() {
    let world = World::new(SigningKey::ec("software-1")).await;
    let mtls = world.mtls();
    let client = world.registered(|_| {}).await;
    let id = str_of(&client, "client_id").to_owned();
    let uri = str_of(&client, "registration_client_uri").to_owned();
    let rat = str_of(&client, "registration_access_token").to_owned();
    assert_eq!(uri, format!("{}/{id}", world.server().registration_endpoint()));
    assert!(client["client_id_issued_at"].is_u64(), "{client}");
    assert!(client.get("client_secret").is_none(), "no secret: {client}");
    assert_eq!(client["token_endpoint_auth_method"], "private_key_jwt");
    assert_eq!(client["software_id"], world.software.software_id.as_str());
    assert_eq!(client["client_name"], "Example TPP app", "from software_client_name");
    assert_eq!(client["jwks"], world.software.key.jwks(), "keys from the statement");
    assert_eq!(client["redirect_uris"], json!(["https://tpp.example.com/cb"]));
    for claim in ["iss", "aud", "exp", "iat", "jti"] {
        assert!(client.get(claim).is_none(), "{claim} is the request's, not metadata");
    }

    let read = mtls.get(&uri).bearer_auth(&rat).send().await.expect("read");
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(json(read).await["client_id"], id.as_str());
    let wrong = mtls.get(&uri).bearer_auth("not-the-token").send().await.expect("read");
    assert_error(wrong, StatusCode::UNAUTHORIZED, "invalid_token").await;

    // A token by private_key_jwt, bound to the transport certificate.
    let issued = world.token_by_assertion(&mtls, &id, &world.software.key).await;
    assert_eq!(issued.status(), StatusCode::OK);
    let access_token = str_of(&json(issued).await, "access_token").to_owned();
    let assertion = client_assertion(world.server(), &id, &world.software.key);
    let introspected = world
        .introspect(&mtls, &assertion_form(&assertion)[1..3], &access_token)
        .await;
    assert_eq!(introspected["active"], true, "{introspected}");
    assert_eq!(introspected["client_id"], id.as_str());
    assert_eq!(introspected["cnf"]["x5t#S256"], world.cert.thumbprint());
    let replayed = world.token(&mtls, &assertion_form(&assertion)).await;
    assert_error_saying(replayed, StatusCode::UNAUTHORIZED, "invalid_client", "already used").await;
    let impostor = SigningKey::ec("impostor").renamed(&world.software.key.kid);
    let forged = world.token_by_assertion(&mtls, &id, &impostor).await;
    assert_error_saying(forged, StatusCode::UNAUTHORIZED, "invalid_client", "signature").await;
    let secret = world
        .token(
            &mtls,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", &id),
                ("client_secret", "x"),
            ],
        )
        .await;
    assert_error_saying(secret, StatusCode::UNAUTHORIZED, "invalid_client", "no secret").await;

    // The client's own access token opens its registration too (TPPOAuth2Security).
    let by_access_token = mtls.get(&uri).bearer_auth(&access_token).send().await.expect("read");
    assert_eq!(by_access_token.status(), StatusCode::OK);

    // Update: a new key rotated into jwks signs the update, and from then on the assertions.
    let rotated = SigningKey::ec("software-2");
    let statement = world.statement(&world.directory, |_| {});
    let update = world.request(&statement, &rotated, |claims| {
        claims.insert("jwks".into(), rotated.jwks());
        claims.insert("client_name".into(), "Renamed app".into());
    });
    let updated = mtls
        .put(&uri)
        .bearer_auth(&rat)
        .header("content-type", "application/jwt")
        .body(update)
        .send()
        .await
        .expect("update");
    assert_eq!(updated.status(), StatusCode::OK);
    let updated = json(updated).await;
    assert_eq!(updated["client_id"], id.as_str());
    assert_eq!(updated["client_name"], "Renamed app");
    assert_eq!(updated["jwks"], rotated.jwks());
    assert_eq!(updated["client_id_issued_at"], client["client_id_issued_at"], "kept");
    let old_key = world.token_by_assertion(&mtls, &id, &world.software.key).await;
    assert_error_saying(
        old_key,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "no key with kid software-1",
    )
    .await;
    let new_key = world.token_by_assertion(&mtls, &id, &rotated).await;
    assert_eq!(new_key.status(), StatusCode::OK);

    let json_update = mtls
        .put(&uri)
        .bearer_auth(&rat)
        .json(&json!({"client_id": id, "client_name": "plain JSON"}))
        .send()
        .await
        .expect("JSON update");
    assert_error_saying(
        json_update,
        StatusCode::BAD_REQUEST,
        "invalid_client_metadata",
        "application/jwt",
    )
    .await;

    let deleted = mtls.delete(&uri).bearer_auth(&rat).send().await.expect("delete");
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let gone = mtls.get(&uri).bearer_auth(&rat).send().await.expect("read");
    assert_error(gone, StatusCode::UNAUTHORIZED, "invalid_token").await;
    assert_eq!(world.server().admin().client_count(), 0);
}

#[tokio::test]
async fn a_tls_client_auth_client_is_known_by_its_subject_dn_and_gets_bound_tokens() {
    let world = World::new(SigningKey::ec("software-1")).await;
    let mtls = world.mtls();
    let client = world
        .registered(|claims| {
            claims.insert("token_endpoint_auth_method".into(), "tls_client_auth".into());
            claims.insert(
                "tls_client_auth_subject_dn".into(),
                "CN=tpp-transport,O=Example TPP,C=GB".into(),
            );
            claims.insert("scope".into(), "openid accounts mcp:tools".into());
            without(claims, &["token_endpoint_auth_signing_alg"]);
        })
        .await;
    let id = str_of(&client, "client_id").to_owned();
    assert!(client.get("client_secret").is_none(), "{client}");
    let by_id = [("grant_type", "client_credentials"), ("client_id", id.as_str())];
    let issued = world.token(&mtls, &by_id).await;
    assert_eq!(issued.status(), StatusCode::OK);
    let access_token = str_of(&json(issued).await, "access_token").to_owned();
    let introspected = world.introspect(&mtls, &by_id[1..], &access_token).await;
    assert_eq!(introspected["active"], true);
    assert_eq!(introspected["cnf"]["x5t#S256"], world.cert.thumbprint());

    // RFC 8705 §3 at userinfo: the bound token needs its certificate (with it, the token
    // still has no user, hence 403 rather than 401).
    let userinfo = |client: reqwest::Client| {
        let url = world.server().userinfo_endpoint();
        let token = access_token.clone();
        async move { client.get(url).bearer_auth(token).send().await.expect("userinfo") }
    };
    let unbound = userinfo(world.bank.client(None)).await;
    assert_error_saying(
        unbound,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
        "bound to a client certificate",
    )
    .await;
    let bound = userinfo(mtls.clone()).await;
    assert_error(bound, StatusCode::FORBIDDEN, "insufficient_scope").await;

    // The same at the MCP endpoint, for a token issued for it (RFC 8707).
    let mcp = world.server().mcp_endpoint();
    let for_mcp = [
        ("grant_type", "client_credentials"),
        ("client_id", id.as_str()),
        ("scope", "mcp:tools"),
        ("resource", mcp.as_str()),
    ];
    let mcp_token = str_of(&json(world.token(&mtls, &for_mcp).await).await, "access_token").to_owned();
    let initialize =
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18"}});
    let call = |client: reqwest::Client| {
        let (url, token, body) = (mcp.clone(), mcp_token.clone(), initialize.clone());
        async move {
            client
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("mcp")
        }
    };
    let unbound = call(world.bank.client(None)).await;
    assert_error_saying(
        unbound,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
        "bound to a client certificate",
    )
    .await;
    assert_eq!(call(mtls.clone()).await.status(), StatusCode::OK);

    // Another certificate (another subject) is not this client.
    let other = ClientCertificate::self_signed("someone-else", None);
    let refused = world.token(&world.bank.client(Some(&other)), &by_id).await;
    assert_error_saying(
        refused,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "subject DN CN=someone-else,O=Example TPP,C=GB is not the registered tls_client_auth_subject_dn",
    )
    .await;
    // The method registered is the one that counts.
    let by_key = world.token_by_assertion(&mtls, &id, &world.software.key).await;
    assert_error_saying(
        by_key,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "not private_key_jwt",
    )
    .await;

    // Management with the client's access token, then its registration access token.
    let uri = str_of(&client, "registration_client_uri");
    let read = mtls.get(uri).bearer_auth(&access_token).send().await.expect("read");
    assert_eq!(read.status(), StatusCode::OK);
    let deleted = mtls
        .delete(uri)
        .bearer_auth(str_of(&client, "registration_access_token"))
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_self_signed_tls_client_auth_client_is_known_by_its_certificate_key() {
    let world = World::new(SigningKey::ec("software-1")).await;
    // The transport certificate carries the software's own key, which its JWK Set lists.
    let own = ClientCertificate::self_signed("tpp-self-signed", Some(&world.software.key));
    let mtls = world.bank.client(Some(&own));
    let registered = world
        .register(
            &mtls,
            world.registration(|claims| {
                claims.insert(
                    "token_endpoint_auth_method".into(),
                    "self_signed_tls_client_auth".into(),
                );
                without(claims, &["token_endpoint_auth_signing_alg"]);
            }),
        )
        .await;
    assert_eq!(registered.status(), StatusCode::CREATED);
    let client = json(registered).await;
    let id = str_of(&client, "client_id");
    let form = [("grant_type", "client_credentials"), ("client_id", id)];
    let issued = world.token(&mtls, &form).await;
    assert_eq!(issued.status(), StatusCode::OK);
    let access_token = str_of(&json(issued).await, "access_token").to_owned();
    let introspected = world.introspect(&mtls, &form[1..], &access_token).await;
    assert_eq!(introspected["cnf"]["x5t#S256"], own.thumbprint());

    // The world's transport certificate has another key.
    let refused = world.token(&world.mtls(), &form).await;
    assert_error_saying(refused, StatusCode::UNAUTHORIZED, "invalid_client", "public key").await;
}

#[tokio::test]
async fn a_ps256_software_key_registers_and_authenticates() {
    let world = World::new(SigningKey::rsa("software-rsa")).await;
    let mtls = world.mtls();
    let client = world
        .registered(|claims| {
            claims.insert("token_endpoint_auth_signing_alg".into(), "PS256".into());
        })
        .await;
    assert_eq!(client["jwks"]["keys"][0]["kty"], "RSA");
    let id = str_of(&client, "client_id");
    let issued = world.token_by_assertion(&mtls, id, &world.software.key).await;
    assert_eq!(issued.status(), StatusCode::OK);
}

/// Serves `jwks` at `http://127.0.0.1:PORT/jwks` until dropped.
async fn serve_jwks(jwks: Value) -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/jwks", listener.local_addr().expect("address"));
    let router = axum::Router::new().route(
        "/jwks",
        axum::routing::get(move || {
            let jwks = jwks.clone();
            async move { axum::Json(jwks) }
        }),
    );
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (url, task)
}

#[tokio::test]
async fn software_keys_are_fetched_from_the_software_jwks_endpoint() {
    let world = World::new(SigningKey::ec("software-1")).await;
    let (endpoint, server) = serve_jwks(world.software.key.jwks()).await;
    let statement = world.statement(&world.directory, |claims| {
        without(claims, &["software_jwks"]);
        claims.insert("software_jwks_endpoint".into(), endpoint.clone().into());
    });
    let mtls = world.mtls();
    let registered = world
        .register(&mtls, world.request(&statement, &world.software.key, |_| {}))
        .await;
    assert_eq!(registered.status(), StatusCode::CREATED);
    let client = json(registered).await;
    assert_eq!(client["jwks_uri"], endpoint.as_str(), "jwks_uri from the statement");
    assert!(client.get("jwks").is_none());
    let issued = world
        .token_by_assertion(&mtls, str_of(&client, "client_id"), &world.software.key)
        .await;
    assert_eq!(
        issued.status(),
        StatusCode::OK,
        "assertion verified with the fetched keys"
    );

    server.abort();
    let _ = server.await;
    let unreachable = world
        .register(&mtls, world.request(&statement, &world.software.key, |_| {}))
        .await;
    assert_error_saying(
        unreachable,
        StatusCode::BAD_REQUEST,
        "invalid_client_metadata",
        "cannot fetch",
    )
    .await;
}

/// How one bad registration is made, and the error it must get.
struct Bad {
    name: &'static str,
    jwt: String,
    code: &'static str,
    says: &'static str,
}

#[tokio::test]
async fn each_bad_registration_gets_the_error_that_names_it() {
    let world = World::new(SigningKey::ec("software-1")).await;
    let software = &world.software.key;
    let directory = &world.directory;
    let good_statement = world.statement(directory, |_| {});
    let with_statement = |statement: &str| world.request(statement, software, |_| {});
    let statement_edit = |edit: &dyn Fn(&mut Map<String, Value>)| with_statement(&world.statement(directory, edit));
    let request_edit = |edit: &dyn Fn(&mut Map<String, Value>)| world.request(&good_statement, software, edit);
    let hs256 = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &Value::Object(world.software.request_claims(world.server(), &good_statement)),
        &EncodingKey::from_secret(b"a shared secret"),
    )
    .expect("HS256");
    let cases = [
        Bad {
            name: "not a JWS",
            jwt: "this is not a JWT".into(),
            code: "invalid_client_metadata",
            says: "compact JWS",
        },
        Bad {
            name: "HMAC-signed request",
            jwt: hs256,
            code: "invalid_client_metadata",
            says: "signed with HS256; accepted: PS256, ES256",
        },
        Bad {
            name: "statement not a JWS",
            jwt: with_statement("garbage"),
            code: "invalid_software_statement",
            says: "software statement is not a compact JWS",
        },
        Bad {
            name: "no statement",
            jwt: request_edit(&|claims| without(claims, &["software_statement"])),
            code: "invalid_software_statement",
            says: "no software_statement",
        },
        Bad {
            name: "statement forged with the directory's kid",
            jwt: with_statement(&world.statement(&SigningKey::ec("forger").renamed(&directory.kid), |_| {})),
            code: "invalid_software_statement",
            says: "signature does not verify",
        },
        Bad {
            name: "statement expired",
            jwt: statement_edit(&|claims| {
                claims.insert("exp".into(), (now() - 10).into());
            }),
            code: "invalid_software_statement",
            says: "expired",
        },
        Bad {
            name: "statement lacks claims",
            jwt: statement_edit(&|claims| without(claims, &["software_redirect_uris", "jti"])),
            code: "invalid_software_statement",
            says: "lacks jti, software_redirect_uris",
        },
        Bad {
            name: "statement without kid",
            jwt: with_statement(&directory.sign_without_kid(&Value::Object(world.software.statement_claims()))),
            code: "invalid_software_statement",
            says: "no kid",
        },
        Bad {
            name: "statement by an untrusted directory",
            jwt: with_statement(&world.statement(&SigningKey::ec("other-directory"), |_| {})),
            code: "unapproved_software_statement",
            says: "key other-directory, which is not in the trusted directory",
        },
        Bad {
            name: "redirect URI the statement does not list",
            jwt: request_edit(&|claims| {
                claims.insert(
                    "redirect_uris".into(),
                    json!(["https://tpp.example.com/cb", "https://evil.example.com/cb"]),
                );
            }),
            code: "invalid_redirect_uri",
            says: "https://evil.example.com/cb",
        },
        Bad {
            name: "request forged with the software's kid",
            jwt: world.request(
                &good_statement,
                &SigningKey::ec("forger").renamed(&software.kid),
                |_| {},
            ),
            code: "invalid_client_metadata",
            says: "signature does not verify",
        },
        Bad {
            name: "request signed by an unknown key",
            jwt: world.request(&good_statement, &SigningKey::ec("unknown-key"), |_| {}),
            code: "invalid_client_metadata",
            says: "no key with kid unknown-key",
        },
        Bad {
            name: "wrong audience",
            jwt: request_edit(&|claims| {
                claims.insert("aud".into(), "https://another-bank.example.com".into());
            }),
            code: "invalid_client_metadata",
            says: "aud must be this provider's issuer",
        },
        Bad {
            name: "expired request",
            jwt: request_edit(&|claims| {
                claims.insert("exp".into(), (now() - 5).into());
            }),
            code: "invalid_client_metadata",
            says: "registration request has expired",
        },
        Bad {
            name: "iss is not the software_id",
            jwt: request_edit(&|claims| {
                claims.insert("iss".into(), "someone-else".into());
            }),
            code: "invalid_client_metadata",
            says: "not the statement's software_id",
        },
        Bad {
            name: "secret-based authentication",
            jwt: request_edit(&|claims| {
                claims.insert("token_endpoint_auth_method".into(), "client_secret_basic".into());
            }),
            code: "invalid_client_metadata",
            says: "client_secret_basic",
        },
        Bad {
            name: "tls_client_auth without a subject DN",
            jwt: request_edit(&|claims| {
                claims.insert("token_endpoint_auth_method".into(), "tls_client_auth".into());
            }),
            code: "invalid_client_metadata",
            says: "tls_client_auth_subject_dn",
        },
        Bad {
            name: "jwks and jwks_uri",
            jwt: request_edit(&|claims| {
                claims.insert("jwks".into(), world.software.key.jwks());
                claims.insert("jwks_uri".into(), "https://tpp.example.com/jwks".into());
            }),
            code: "invalid_client_metadata",
            says: "jwks and jwks_uri",
        },
        Bad {
            name: "unsupported signing algorithm in metadata",
            jwt: request_edit(&|claims| {
                claims.insert("token_endpoint_auth_signing_alg".into(), "RS256".into());
            }),
            code: "invalid_client_metadata",
            says: "token_endpoint_auth_signing_alg",
        },
    ];
    let mtls = world.mtls();
    let mut names = HashSet::new();
    for case in cases {
        assert!(names.insert(case.name), "duplicate case {}", case.name);
        let response = world.register(&mtls, case.jwt).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{}", case.name);
        let body = json(response).await;
        assert_eq!(body["error"], case.code, "{}: {body}", case.name);
        let description = str_of(&body, "error_description");
        assert!(
            description.contains(case.says),
            "{}: `{description}` should mention `{}`",
            case.name,
            case.says
        );
    }
    // A plain JSON registration is told what the body must be.
    let plain_json = mtls
        .post(world.server().registration_endpoint())
        .json(&Value::Object(
            world.software.request_claims(world.server(), &good_statement),
        ))
        .send()
        .await
        .expect("JSON registration");
    assert_error_saying(
        plain_json,
        StatusCode::BAD_REQUEST,
        "invalid_client_metadata",
        "must be a signed JWT sent as Content-Type: application/jwt",
    )
    .await;
    assert_eq!(world.server().admin().client_count(), 0, "nothing registered");
    // And the unedited registration goes through, so the cases failed for their own reason.
    world.registered(|_| {}).await;
}

#[tokio::test]
async fn the_trusted_directory_is_set_at_run_time() {
    let directory = SigningKey::ec("local-directory");
    let bank = Bank::start(None).await;
    let world = World {
        directory: directory.clone(),
        software: Software::new(SigningKey::ec("software-1")),
        cert: ClientCertificate::self_signed("tpp-transport", None),
        bank,
    };
    let mtls = world.mtls();
    let untrusted = world.register(&mtls, world.registration(|_| {})).await;
    assert_error_saying(
        untrusted,
        StatusCode::BAD_REQUEST,
        "unapproved_software_statement",
        "trusts no directory",
    )
    .await;

    let admin_url = format!("{}/_admin/directory_jwks", world.server().base_url());
    let admin_http = world.bank.client(None);
    let missing = admin_http.get(&admin_url).send().await.expect("get directory");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let not_a_set = admin_http
        .post(&admin_url)
        .json(&json!({"kty": "EC"}))
        .send()
        .await
        .expect("post");
    assert_error(not_a_set, StatusCode::BAD_REQUEST, "invalid_request").await;
    let trusted = admin_http
        .post(&admin_url)
        .json(&directory.jwks())
        .send()
        .await
        .expect("post");
    assert_eq!(trusted.status(), StatusCode::NO_CONTENT);
    let shown = json(admin_http.get(&admin_url).send().await.expect("get")).await;
    assert_eq!(shown, directory.jwks());
    let registered = world.register(&mtls, world.registration(|_| {})).await;
    assert_eq!(registered.status(), StatusCode::CREATED);

    // Trusting another directory (through the handle) withdraws trust from this one.
    world.server().admin().trust_directory(SigningKey::ec("another").jwks());
    let withdrawn = world.register(&mtls, world.registration(|_| {})).await;
    assert_error(withdrawn, StatusCode::BAD_REQUEST, "unapproved_software_statement").await;
}

#[tokio::test]
async fn private_key_jwt_works_in_the_other_dialects_too() {
    let server = MockServer::start(MockConfig::new(Dialect::Generic))
        .await
        .expect("generic");
    let key = SigningKey::ec("app-key");
    let client = http();
    let registered = client
        .post(server.registration_endpoint())
        .json(&json!({
            "client_name": "keyed app",
            "grant_types": ["client_credentials"],
            "token_endpoint_auth_method": "private_key_jwt",
            "jwks": key.jwks(),
        }))
        .send()
        .await
        .expect("register");
    assert_eq!(registered.status(), StatusCode::CREATED);
    let id = str_of(&json(registered).await, "client_id").to_owned();
    let token = |assertion: String| {
        let client = client.clone();
        let endpoint = server.token_endpoint();
        async move {
            client
                .post(endpoint)
                .form(&assertion_form(&assertion))
                .send()
                .await
                .expect("token")
        }
    };
    let issued = token(client_assertion(&server, &id, &key)).await;
    assert_eq!(issued.status(), StatusCode::OK);
    let other = token(client_assertion(&server, &id, &SigningKey::ec("app-key-2"))).await;
    assert_error_saying(
        other,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "no key with kid app-key-2",
    )
    .await;
    let expired = key.sign(&json!({
        "iss": id, "sub": id, "aud": server.token_endpoint(), "exp": now() - 1, "jti": "late",
    }));
    let late = token(expired).await;
    assert_error_saying(late, StatusCode::UNAUTHORIZED, "invalid_client", "expired").await;
    let wrong_audience = key.sign(&json!({
        "iss": id, "sub": id, "aud": "https://elsewhere.example.com/token", "exp": now() + 60, "jti": "aud",
    }));
    let elsewhere = token(wrong_audience).await;
    assert_error_saying(elsewhere, StatusCode::UNAUTHORIZED, "invalid_client", "aud").await;
}

#[tokio::test]
async fn rotation_and_the_lost_token_fault_apply_to_the_registration_access_token() {
    let world = World::new(SigningKey::ec("software-1")).await;
    let mtls = world.mtls();
    let client = world.registered(|_| {}).await;
    let id = str_of(&client, "client_id");
    let uri = str_of(&client, "registration_client_uri");
    let first = str_of(&client, "registration_access_token").to_owned();
    let admin = world.server().admin();

    admin.set_rotation(true, false, false);
    let read = json(mtls.get(uri).bearer_auth(&first).send().await.expect("read")).await;
    let second = str_of(&read, "registration_access_token").to_owned();
    assert_ne!(second, first, "rotated on read");
    assert_eq!(admin.registration_access_token(id).as_deref(), Some(second.as_str()));
    let stale = mtls.get(uri).bearer_auth(&first).send().await.expect("read");
    assert_error(stale, StatusCode::UNAUTHORIZED, "invalid_token").await;
    admin.set_rotation(false, false, false);

    admin.inject(Fault::LoseRotatedToken { count: 1 });
    let lost = mtls.get(uri).bearer_auth(&second).send().await.expect("read");
    assert_error(lost, StatusCode::INTERNAL_SERVER_ERROR, "server_error").await;
    let third = admin.registration_access_token(id).expect("a token");
    assert_ne!(third, second, "rotated, and the answer lost");
    let read = mtls.get(uri).bearer_auth(&third).send().await.expect("read");
    assert_eq!(read.status(), StatusCode::OK);
}

#[tokio::test]
async fn seed_clients_are_certificate_clients_without_secrets() {
    let mut config = MockConfig::new(Dialect::OpenBanking);
    config.seed_clients = 2;
    let server = MockServer::start(config).await.expect("plain openbanking");
    let admin = server.admin();
    let clients = admin.list_clients();
    assert_eq!(clients.len(), 2);
    for seeded in &clients {
        assert!(seeded.get("client_secret").is_none(), "{seeded}");
        assert_eq!(seeded["token_endpoint_auth_method"], "tls_client_auth");
        assert!(str_of(seeded, "tls_client_auth_subject_dn").starts_with("CN="));
        assert!(admin.registration_access_token(str_of(seeded, "client_id")).is_some());
    }
    // Served without TLS, the dialect still answers discovery, and refuses the rest.
    let refused = http()
        .post(server.registration_endpoint())
        .header("content-type", "application/jwt")
        .body("a.b.c")
        .send()
        .await
        .expect("registration");
    assert_error_saying(refused, StatusCode::UNAUTHORIZED, "invalid_client", "mutual TLS").await;
}

/// `--accept-unsigned-requests`: a plain JSON registration with a trusted statement is
/// taken (as FAPI DCR deployments that ask for no signed request take it), its statement
/// still checked; without the option it is refused as unsigned.
#[tokio::test]
async fn unsigned_registrations_are_taken_only_when_the_bank_says_so() {
    let world = World::new(SigningKey::ec("software-1")).await;
    let statement = world.statement(&world.directory, |_| {});
    let mut metadata = world.software.request_claims(world.server(), &statement);
    for claim in ["iss", "aud", "iat", "exp", "jti"] {
        metadata.remove(claim);
    }
    let post = |bank: &Bank, body: Value| {
        let client = bank.client(Some(&world.cert));
        let url = bank.server.registration_endpoint();
        async move { client.post(url).json(&body).send().await.expect("sent") }
    };
    let refused = post(&world.bank, Value::Object(metadata.clone())).await;
    assert_error_saying(
        refused,
        StatusCode::BAD_REQUEST,
        "invalid_client_metadata",
        "must be a signed JWT",
    )
    .await;

    let lenient = Bank::start_with(Some(&world.directory), true).await;
    let taken = post(&lenient, Value::Object(metadata.clone())).await;
    assert_eq!(taken.status(), StatusCode::CREATED);
    let client: Value = taken.json().await.expect("JSON");
    assert_eq!(
        client["software_id"],
        json!(world.software.software_id),
        "the statement's claims apply"
    );

    let mut without = metadata.clone();
    without.remove("software_statement");
    let refused = post(&lenient, Value::Object(without)).await;
    assert_error_saying(
        refused,
        StatusCode::BAD_REQUEST,
        "invalid_software_statement",
        "no software_statement",
    )
    .await;

    let mut forged = metadata;
    forged["software_statement"] = json!(world.statement(&SigningKey::ec("not-the-directory"), |_| {}));
    let refused = post(&lenient, Value::Object(forged)).await;
    assert_eq!(
        refused.status(),
        StatusCode::BAD_REQUEST,
        "a statement the directory did not sign"
    );
}
