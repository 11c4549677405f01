//! The mock provider's HTTP admin API (`/_admin/...`), which plays the provider's own
//! administrator: it changes a client behind Registrar's back (to make drift), shows what
//! the provider really holds (to check what the window claims), and injects faults.
//! The base URL is the one the window shows in its sidebar.

use crate::harness::Res;
use serde_json::Value;

#[derive(Debug, Clone)]
pub struct MockAdmin {
    base_url: String,
    http: reqwest::Client,
}

impl MockAdmin {
    pub fn new(base_url: &str) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_string(),
            http: reqwest::Client::new(),
        }
    }

    /// A client as the provider stores it (secrets included), or `None` if it has none.
    pub async fn client(&self, client_id: &str) -> Res<Option<Value>> {
        let response = self.http.get(self.url(&format!("clients/{client_id}"))).send().await?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        Ok(Some(response.error_for_status()?.json().await?))
    }

    /// Every client the provider holds.
    pub async fn clients(&self) -> Res<Vec<Value>> {
        let response = self.http.get(self.url("clients")).send().await?;
        Ok(response.error_for_status()?.json().await?)
    }

    /// Changes fields of a client as the provider's administrator would; `null` removes one.
    pub async fn patch(&self, client_id: &str, fields: Value) -> Res<Value> {
        let response = self
            .http
            .patch(self.url(&format!("clients/{client_id}")))
            .json(&fields)
            .send()
            .await?;
        Ok(response.error_for_status()?.json().await?)
    }

    /// Makes the provider misbehave on its next requests, e.g. `{"kind":"status","status":400}`.
    pub async fn inject_fault(&self, fault: Value) -> Res {
        self.http
            .post(self.url("faults"))
            .json(&fault)
            .send()
            .await?
            .error_for_status()?;
        Ok(())
    }

    /// Ends every injected fault (latency included).
    pub async fn clear_faults(&self) -> Res {
        self.http.delete(self.url("faults")).send().await?.error_for_status()?;
        Ok(())
    }

    /// Switches exactly `faults` of the mock's protected resource on (`wrong-resource`,
    /// `no-registration`, `no-pkce`, `no-metadata`); none switches them all off.
    pub async fn set_resource_faults(&self, faults: &[&str]) -> Res {
        self.http
            .post(self.url("resource_faults"))
            .json(&serde_json::json!({ "faults": faults }))
            .send()
            .await?
            .error_for_status()?;
        Ok(())
    }

    /// Requests the provider API has answered so far (the admin API's are not counted).
    pub async fn request_count(&self) -> Res<u64> {
        let stats: Value = self
            .http
            .get(self.url("stats"))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        stats["request_count"]
            .as_u64()
            .ok_or_else(|| format!("no request_count in {stats}").into())
    }

    fn url(&self, path: &str) -> String {
        format!("{}/_admin/{path}", self.base_url)
    }
}
