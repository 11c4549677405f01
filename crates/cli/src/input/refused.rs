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

/// The refusal to show instead of the parser's error, when `error` is about such a flag.
pub fn explain(error: &clap::Error) -> Option<Failure> {
    if error.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    let Some(ContextValue::String(arg)) = error.get(ContextKind::InvalidArg) else {
        return None;
    };
    let flag = arg.split('=').next().unwrap_or(arg);
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
    }
}
