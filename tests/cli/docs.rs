//! Completions and the man page come from the clap definitions: they name the real
//! commands and flags.

use crate::support::{stdout_of, Cli};

#[test]
fn completions_and_man_pages_cover_the_command_tree() {
    let cli = Cli::new();
    let bash = stdout_of(&cli.run(&["completions", "bash"]).success());
    for word in ["registrar", "register", "--secret-env", "refresh", "--with-secrets"] {
        assert!(bash.contains(word), "bash completion lacks {word}");
    }
    assert!(!bash.contains("--password"), "hidden refused flags are not offered");
    let zsh = stdout_of(&cli.run(&["completions", "zsh"]).success());
    assert!(zsh.starts_with("#compdef registrar"), "{}", &zsh[..40.min(zsh.len())]);
    let man = stdout_of(&cli.run(&["man"]).success());
    assert!(
        man.contains(".TH registrar") && man.contains("Exit codes"),
        "{}",
        &man[..200.min(man.len())]
    );
    let out = cli.data_dir().join("man");
    cli.run(&["man", "--out", out.to_str().unwrap()]).success();
    assert!(out.join("registrar-register.1").is_file() && out.join("registrar-profile-add.1").is_file());
    cli.run(&["completions", "tcsh"]).code(2);
}
