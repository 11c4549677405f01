//! D-Bus errors as keychain errors, by error name: what the caller can act on is whether the
//! keychain is locked, absent (retry on a new connection, or tell the user to start one), or
//! refused the call.

use crate::KeychainError;

/// The bus, the daemon or the object went away: worth one retry on a new connection.
const UNAVAILABLE: &[&str] = &[
    "org.freedesktop.DBus.Error.ServiceUnknown",
    "org.freedesktop.DBus.Error.NoReply",
    "org.freedesktop.DBus.Error.NoServer",
    "org.freedesktop.DBus.Error.Disconnected",
    "org.freedesktop.DBus.Error.UnknownObject",
    "org.freedesktop.DBus.Error.Timeout",
    // The daemon restarted (the bus starts it again on demand) and forgot our session.
    "org.freedesktop.Secret.Error.NoSession",
];

/// The error's text never holds a secret: secrets only travel encrypted, in arguments.
pub(super) fn map_error(e: dbus::Error) -> KeychainError {
    let name = e.name().unwrap_or_default();
    if name == "org.freedesktop.Secret.Error.IsLocked" {
        KeychainError::Locked
    } else if UNAVAILABLE.contains(&name) {
        KeychainError::Unavailable(describe(&e))
    } else {
        KeychainError::Refused(describe(&e))
    }
}

pub(super) fn describe(e: &dbus::Error) -> String {
    match (e.name(), e.message()) {
        (Some(name), Some(message)) => format!("{message} ({name})"),
        (Some(text), None) | (None, Some(text)) => text.to_string(),
        (None, None) => "unknown D-Bus error".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_map_by_name() {
        let e = |name: &str| map_error(dbus::Error::new_custom(name, "text"));
        assert!(matches!(
            e("org.freedesktop.Secret.Error.IsLocked"),
            KeychainError::Locked
        ));
        assert!(matches!(
            e("org.freedesktop.DBus.Error.NoReply"),
            KeychainError::Unavailable(_)
        ));
        assert!(matches!(
            e("org.freedesktop.Secret.Error.NoSession"),
            KeychainError::Unavailable(_)
        ));
        assert!(matches!(
            e("org.freedesktop.DBus.Error.ServiceUnknown"),
            KeychainError::Unavailable(_)
        ));
        match e("org.freedesktop.Secret.Error.NoSuchObject") {
            KeychainError::Refused(text) => assert_eq!(text, "text (org.freedesktop.Secret.Error.NoSuchObject)"),
            other => panic!("{other:?}"),
        }
    }
}
