//! The `registrar` command line (issue 6 fills it in).
fn main() {}
