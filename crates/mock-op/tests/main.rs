//! The mock provider over real HTTP, one module per dialect plus what all dialects share,
//! in one test binary (one link, one run).

mod support;

mod authorization_code;
mod binary;
mod common_faults_admin;
mod generic;
mod id_tokens_keys_faults;
mod indigo;
mod introspection_revocation_userinfo;
mod liberty;
mod openbanking;
mod protected_resource;
mod refresh_and_device;
mod simpleidserver;
mod soffid;
mod wso2;

/// A test file not declared above would never run: every file here is a module of this binary.
#[test]
fn every_test_file_is_part_of_this_binary() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let main = std::fs::read_to_string(dir.join("main.rs")).expect("main.rs");
    for entry in std::fs::read_dir(&dir).expect("the tests folder") {
        let name = entry.expect("an entry").file_name().to_string_lossy().into_owned();
        if let Some(module) = name.strip_suffix(".rs").filter(|m| *m != "main") {
            assert!(
                main.contains(&format!("\nmod {module};\n")),
                "tests/{name} is not declared in main.rs"
            );
        }
    }
}
