include!("../../scripts/build-commit.rs");

fn main() {
    emit_commit();
}
