//! The command tree, declared once with clap; `completions` and `man` are generated from
//! it. Each command's own arguments live next to its code in `commands/`.

use crate::commands::{
    custody::{cert::CertCommand, keys::KeysCommand, ssa::SsaCommand},
    discover::DiscoverArgs,
    docs::{CompletionsArgs, ManArgs},
    export::ExportArgs,
    forget::ForgetArgs,
    history::HistoryArgs,
    import::ImportArgs,
    lifecycle::{DeleteArgs, GetArgs, RefreshArgs, RegisterArgs, UpdateArgs},
    list::ListArgs,
    mock::MockArgs,
    orphans::OrphansArgs,
    probe::ProbeArgs,
    profile::ProfileCommand,
    recover::{DismissArgs, RecoverArgs},
};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// The workspace's version and the commit the binary was built from (build.rs), as
/// `registrar --version` prints it; the window's About box shows the same.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("REGISTRAR_COMMIT"), ")");

/// Manage OAuth 2.0 / OpenID Connect clients through providers' dynamic client
/// registration APIs (RFC 7591, RFC 7592, OpenID Connect DCR).
#[derive(Debug, Parser)]
#[command(name = "registrar", version = VERSION, propagate_version = true, max_term_width = 100)]
#[command(
    after_help = "Exit codes: 0 ok, 2 usage or invalid input, 3 not found, 4 the provider refused, \
5 network or TLS, 6 keychain or local database, 130 interrupted."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Keep the database and keychain entries for DIR apart from the user's own
    /// (a keychain namespace of its own): for tests, demos and separate setups.
    #[arg(long, global = true, env = "REGISTRAR_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Print JSON on stdout, with stable field names, instead of tables.
    #[arg(long, global = true)]
    pub json: bool,
}

/// Each command's arguments are built only when that command is the one run (`defer`):
/// building every command's arguments took 0.3 ms of every run (`registrar --version` 1.6 ms,
/// 1.3 with them deferred). Help, completions and the man page build the whole tree. A
/// struct flattened into a deferred command must not carry a doc comment: applied after
/// the command's own, it would replace its description (a test walks the tree for that).
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Add, list, show, edit, export, import and remove provider profiles.
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Discover from an issuer (its discovery documents: registration endpoint, token
    /// endpoint, what it supports, the profile kind it looks like) or from a protected
    /// resource such as an MCP server (its 401, RFC 9728 metadata and authorization
    /// servers, shown as the chain of steps).
    Discover(DiscoverArgs),
    /// Find out what a provider really does (read-only unless --allow-writes), and the
    /// profile settings that follow.
    Probe(ProbeArgs),
    /// Register a new client with a profile's provider.
    Register(RegisterArgs),
    /// Show what is known locally of a client (no request is sent).
    Get(GetArgs),
    /// Read a client (or, with --all, every client) from its provider, store the answer
    /// and show the drift.
    Refresh(RefreshArgs),
    /// Change a client's metadata on its provider.
    Update(UpdateArgs),
    /// Delete a client on its provider.
    Delete(DeleteArgs),
    /// Prove a client works: put it through a grant it is registered for (client
    /// credentials, authorization code with PKCE in the browser, device code) and explain
    /// the tokens that come back.
    Try(crate::commands::try_client::TryArgs),
    /// For a profile made from a protected resource (an MCP server): authorize a client
    /// for it (code + PKCE + resource) and call the resource with the token.
    Connect(crate::commands::connect::ConnectArgs),
    /// Find clients registered several times (same name and redirect URIs) and remove the
    /// stale ones at the provider or locally.
    Duplicates(crate::commands::duplicates::DuplicatesArgs),
    /// List the clients known locally.
    List(ListArgs),
    /// Show the recorded HTTP exchanges (secrets redacted), newest first.
    History(HistoryArgs),
    /// Adopt a client registered elsewhere, checked with a read where the provider allows.
    Import(ImportArgs),
    /// Find clients on the provider unknown here, and local clients gone from the provider.
    Orphans(OrphansArgs),
    /// Drop a local record and its credentials without asking the provider.
    Forget(ForgetArgs),
    /// List operations whose outcome is unknown (interrupted, or their answer was lost);
    /// `recover` works through them.
    Pending,
    /// Work through a profile's pending operations: re-read clients, match interrupted
    /// registrations against the provider, and say what is left to do.
    Recover(RecoverArgs),
    /// Close a pending operation you have dealt with.
    Dismiss(DismissArgs),
    /// Print a client as JSON, a .env file or a curl script.
    Export(ExportArgs),
    /// Keys in a profile's custody: generate, import, list, publish as a JWK Set, rotate,
    /// serve on a loopback jwks_uri; private halves stay in the keychain.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Client certificates for mutual TLS: self-signed, CSRs, imported chains, and the one a
    /// profile presents.
    #[command(subcommand)]
    Cert(CertCommand),
    /// Software statements: keep, decode and check, send with registrations, sign locally.
    #[command(subcommand)]
    Ssa(SsaCommand),
    /// Client ID Metadata Documents: write, check, keep in a profile, or serve one over
    /// HTTPS on loopback to try it.
    #[command(subcommand)]
    Cimd(crate::commands::cimd::CimdCommand),
    /// Run the embedded mock provider in the foreground, for demos and tests.
    Mock(MockArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the man page (or write one page per command to a directory).
    Man(ManArgs),
}

/// The commands that never touch the keychain (clap's names for them).
const WITHOUT_KEYCHAIN: &[&str] = &[
    "list",
    "history",
    "pending",
    "dismiss",
    "discover",
    "completions",
    "man",
    "help",
];

/// Whether the command line names a command that reads or writes the keychain
/// (credentials, keys, an initial access token), so that its connection is worth opening
/// while the command starts. Read before the arguments are parsed, which takes a millisecond
/// the connection can use: the first word that is neither an option nor `--data-dir`'s
/// value names the command. A wrong "yes" costs a connection nobody uses, a wrong "no"
/// only the overlap.
pub fn names_keychain_command(args: impl IntoIterator<Item = std::ffi::OsString>) -> bool {
    let args: Vec<std::ffi::OsString> = args.into_iter().skip(1).collect();
    if args
        .iter()
        .any(|a| ["-h", "--help", "-V", "--version"].iter().any(|h| a == h))
    {
        return false;
    }
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let Some(arg) = arg.to_str() else {
            return false;
        };
        match arg {
            "--data-dir" => {
                args.next();
            }
            option if option.starts_with('-') => {}
            command => return !WITHOUT_KEYCHAIN.contains(&command),
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;

    fn names(line: &str) -> bool {
        names_keychain_command(line.split_whitespace().map(std::ffi::OsString::from))
    }

    #[test]
    fn the_command_is_found_before_parsing() {
        assert!(names("registrar register --profile ob --file c.json"));
        assert!(
            names("registrar --data-dir list register --profile ob"),
            "--data-dir's value is skipped"
        );
        assert!(names("registrar --json refresh abc"));
        assert!(!names("registrar list --profile ob"));
        assert!(!names("registrar --data-dir /tmp/d --json history"));
        assert!(!names("registrar --version"));
        assert!(!names("registrar register --help"), "help never needs the keychain");
        assert!(!names("registrar"));
    }

    #[test]
    fn the_whole_tree_builds_and_each_command_keeps_its_own_description() {
        let mut cli = Cli::command();
        cli.build();
        fn walk(cmd: &clap::Command, path: &str) {
            let mut seen: Vec<(String, &str)> = Vec::new();
            for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
                let name = format!("{path} {}", sub.get_name());
                let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
                assert!(!about.is_empty(), "{name} has no description");
                if let Some((_, other)) = seen.iter().find(|(a, _)| *a == about) {
                    panic!("{name} and {other} share the description {about:?}: a flattened doc comment?");
                }
                seen.push((about, sub.get_name()));
                walk(sub, &name);
            }
        }
        walk(&cli, "registrar");
        cli.debug_assert();
    }

    #[test]
    fn the_commands_said_to_need_no_keychain_are_commands() {
        let cli = Cli::command();
        let known: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
        for name in WITHOUT_KEYCHAIN.iter().filter(|n| **n != "help") {
            assert!(known.contains(name), "{name} is not a command");
        }
    }
}
