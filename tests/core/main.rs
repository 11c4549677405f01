//! The core against the mock provider, over real HTTP, one module per dialect plus the
//! cross-cutting concerns (faults, secrets, the real keychain).

mod bring;
mod broken_answers;
mod bulk;
mod bulk_delete;
mod custody_certificates;
mod custody_rotation;
mod custody_signed_requests;
mod custody_statements;
mod deviations;
mod discovery_probe;
mod drift_orphans;
mod export_try;
mod faults;
mod generic;
mod indigo;
mod keychain;
mod keys_in_metadata;
mod liberty;
mod oauth_flows;
mod openbanking;
mod presets;
mod probe_outcomes;
mod real_authlib;
mod real_authlib_custody;
mod real_mcp_server;
mod real_node_oidc;
mod real_node_oidc_custody;
mod reliability;
mod scripted_login;
mod search_scale;
mod secrets_scan;
mod simpleidserver;
mod soffid;
mod tls;
mod try_sessions;
mod unstored;
mod wso2;

#[test]
fn every_test_file_is_part_of_this_binary() {
    registrar_tests::assert_every_test_file_is_declared(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("core"));
}
