//! RFC 8628 §3.4/§3.5: the device polls with its device code until the user has answered on
//! the verification page.

use axum::response::Response;
use http::StatusCode;

use super::{invalid_grant, issue};
use crate::client_auth::{field, Client};
use crate::error::ApiError;
use crate::grants::Poll;
use crate::state::Shared;

pub(super) fn exchange(shared: &Shared, client: &Client, form: &[(String, String)]) -> Result<Response, ApiError> {
    let device_code = field(form, "device_code").ok_or_else(|| ApiError::invalid_request("device_code is required"))?;
    let resource = crate::resource::requested(form).map_err(super::invalid_target)?;
    let slow = shared.faults.take_slow_device_poll();
    let pending =
        |code: &'static str, description: &'static str| ApiError::new(StatusCode::BAD_REQUEST, code, description);
    match shared.grants.devices.poll(device_code, &client.id, resource, slow) {
        Poll::Granted(authorization) => {
            let family = shared.grants.new_family();
            Ok(issue::respond(&issue::for_user(shared, client, &authorization, family)))
        }
        Poll::Pending => Err(pending("authorization_pending", "the user has not answered yet")),
        Poll::SlowDown => Err(pending(
            "slow_down",
            "polled faster than the interval; the interval grows by 5 seconds",
        )),
        Poll::Expired => Err(pending("expired_token", "the device code has expired; start again")),
        Poll::Denied => Err(pending("access_denied", "the user denied the request")),
        Poll::OtherTarget(why) => Err(super::invalid_target(why)),
        Poll::Invalid => Err(invalid_grant("the device code is unknown, used, or another client's")),
    }
}
