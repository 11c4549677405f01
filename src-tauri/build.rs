include!("../scripts/build-commit.rs");

fn main() {
    emit_commit();
    tauri_build::build();
}
