//! Flags a user might try for a secret (`--password hunter2`). They are not part of the
//! command tree, so completions and help never offer them; when the parser meets one,
//! the user is told why it is refused and what to use instead: a value on the command
//! line ends up in shell history and in every other user's process list.

use crate::failure::Failure;
use clap::error::{ContextKind, ContextValue, ErrorKind};

const REFUSED: &[&str] = &[
    "--password",
    "--admin-password",
    "--token",
    "--initial-access-token",
    "--registration-access-token",
    "--access-token",
    "--secret",
    "--client-secret",
];

/// Flags a user might try for a private key (`keys import --pem "-----BEGIN ..."`).
const REFUSED_KEY: &[&str] = &["--private-key", "--key-pem", "--pem", "--jwk", "--private-jwk"];

fn key_refusal(what: &str) -> Failure {
    Failure::usage(format!(
        "{what} is refused because a private key on the command line ends up in shell history and the process list; \
         use `registrar keys import PROFILE --file PATH` or `--stdin`"
    ))
}

/// A private key among the arguments, whatever flag (or none) it came with: refused before
/// the parser can echo it in an error message.
pub fn private_key_in_args<I, S>(args: I) -> Option<Failure>
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    args.into_iter().skip(1).find_map(|arg| {
        let arg = arg.as_ref().to_string_lossy();
        let pem = arg.contains("PRIVATE KEY-----");
        let jwk = arg.trim_start().starts_with('{') && arg.contains("\"kty\"") && arg.contains("\"d\"");
        (pem || jwk).then(|| key_refusal("a private key given as an argument"))
    })
}

/// The refusal to show instead of the parser's error, when `error` is about such a flag.
pub fn explain(error: &clap::Error) -> Option<Failure> {
    if error.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    let Some(ContextValue::String(arg)) = error.get(ContextKind::InvalidArg) else {
        return None;
    };
    let flag = arg.split('=').next().unwrap_or(arg);
    if REFUSED_KEY.contains(&flag) {
        return Some(key_refusal(flag));
    }
    REFUSED.contains(&flag).then(|| {
        Failure::usage(format!(
            "{flag} is refused because a secret on the command line ends up in shell history and the process list; \
             use --secret-stdin or --secret-env NAME, or leave both out to be asked without echo"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Demo {
        #[arg(long)]
        secret_env: Option<String>,
    }

    #[test]
    fn secret_flags_are_explained_and_other_mistakes_are_left_to_clap() {
        for args in [["demo", "--password", "hunter2"], ["demo", "--secret=hunter2", "x"]] {
            let error = Demo::try_parse_from(args).unwrap_err();
            let failure = explain(&error).expect("explained");
            assert!(failure.message.contains("--secret-stdin") && !failure.message.contains("hunter2"));
        }
        let error = Demo::try_parse_from(["demo", "--colour"]).unwrap_err();
        assert!(explain(&error).is_none());
        let error = Demo::try_parse_from(["demo", "--pem", "x"]).unwrap_err();
        assert!(explain(&error).expect("explained").message.contains("--stdin"));
    }

    #[test]
    fn private_keys_among_the_arguments_are_refused_without_being_repeated() {
        let pem = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG\n-----END PRIVATE KEY-----";
        let refusal = private_key_in_args(["registrar", "keys", "import", "demo", pem]).expect("refused");
        assert!(!refusal.message.contains("MIGHAgEAMBMG"), "{}", refusal.message);
        let jwk = r#"{"kty":"EC","crv":"P-256","x":"a","y":"b","d":"secret"}"#;
        assert!(private_key_in_args(["registrar", "keys", "import", jwk]).is_some());
        assert!(private_key_in_args(["registrar", "keys", "list", "demo"]).is_none());
    }
}
