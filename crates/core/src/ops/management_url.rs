//! Where a client is managed. A returned `registration_client_uri` is used verbatim (query
//! string included, as Soffid's is); otherwise the profile's template applies. Admin
//! credentials only ever go to the registration endpoint's own origin.

use crate::error::{Error, Result};
use crate::profile::{is_loopback_host, ManagementAuth, Profile};
use crate::store::registrations::Registration;
use url::Url;

pub(crate) fn management_url(profile: &Profile, reg: &Registration) -> Result<Url> {
    let registration_endpoint = Url::parse(&profile.registration_endpoint)
        .map_err(|e| Error::config("registration_endpoint", format!("is not a URL: {e}")))?;
    let url = match (&reg.registration_client_uri, &profile.settings.client_uri_template) {
        (Some(uri), _) => Url::parse(uri).map_err(|e| {
            Error::InvalidResponse(format!(
                "the provider's registration_client_uri {uri:?} is not a URL: {e}"
            ))
        })?,
        (None, Some(template)) => {
            let encoded: String = url::form_urlencoded::byte_serialize(reg.client_id.as_bytes()).collect();
            registration_endpoint
                .join(&template.replace("{client_id}", &encoded))
                .map_err(|e| Error::config("settings.client_uri_template", format!("does not make a URL: {e}")))?
        }
        (None, None) => {
            let message = format!(
                "the provider returned no registration_client_uri for {} and the profile has no template for one",
                reg.client_id
            );
            return Err(Error::config("settings.client_uri_template", message));
        }
    };
    if url.scheme() != "https" && !(url.scheme() == "http" && is_loopback_host(&url)) {
        return Err(Error::InvalidResponse(format!(
            "the management URL {url} is not https; refusing to send credentials over it"
        )));
    }
    if profile.management_auth == ManagementAuth::AdminCredentials && url.origin() != registration_endpoint.origin() {
        return Err(Error::InvalidResponse(format!(
            "the management URL {url} is on another host than the registration endpoint; refusing to send the admin credentials there"
        )));
    }
    if let Some(host) = steered_host(profile, &registration_endpoint, &url) {
        return Err(Error::UntrustedHost {
            host,
            url: url.to_string(),
        });
    }
    Ok(url)
}

/// The host of `url` when it is neither the registration endpoint's nor one the profile
/// trusts: a provider (or whoever answered for it) naming a management URL elsewhere would
/// otherwise receive the client's registration access token.
pub(crate) fn steered_host(profile: &Profile, registration_endpoint: &Url, url: &Url) -> Option<String> {
    let host = url.host_str()?.to_ascii_lowercase();
    let home = registration_endpoint.host_str().map(str::to_ascii_lowercase);
    let trusted = profile
        .settings
        .trusted_hosts
        .iter()
        .any(|t| t.trim().eq_ignore_ascii_case(&host));
    (Some(&host) != home.as_ref() && !trusted).then_some(host)
}
