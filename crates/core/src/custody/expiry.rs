//! What in custody runs out: certificates, keys at the end of their rotation overlap, and
//! software statements, shown beside expiring client secrets.

use super::keys::now;
use crate::error::Result;
use crate::ops::Registrar;
use crate::ProfileId;
use serde::{Deserialize, Serialize};

/// What runs out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum ExpiringKind {
    /// A key's certificate.
    Certificate,
    /// A key retired at the end of a rotation's overlap.
    KeyRetirement,
    /// A software statement's `exp`.
    SoftwareStatement,
}

/// One thing in custody that expires (or has) within the window asked about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct CustodyExpiry {
    /// The profile holding it.
    pub profile_id: ProfileId,
    /// What it is.
    pub kind: ExpiringKind,
    /// The key's kid, or the software statement's label.
    pub name: String,
    /// The client a key belongs to.
    pub client_id: Option<String>,
    /// The certificate's subject, for a certificate.
    pub detail: Option<String>,
    /// When it expires (seconds since the epoch).
    pub expires_at: i64,
}

impl Registrar {
    /// Certificates, retiring keys and software statements that expire within
    /// `within_secs` (or already have), soonest first; one profile's when named.
    pub fn expiring_custody(&self, profile: Option<&str>, within_secs: i64) -> Result<Vec<CustodyExpiry>> {
        let only = profile.map(|p| self.store.profile(p)).transpose()?.map(|p| p.id);
        let until = now().saturating_add(within_secs);
        let mut items = Vec::new();
        for (profile_id, row) in self.store.keys_expiring(until)? {
            let certificate = row
                .certificate_pem
                .as_deref()
                .and_then(|pem| super::CertificateRecord::from_pem(pem).ok());
            if let Some(cert) = certificate.filter(|c| c.not_after <= until) {
                items.push(CustodyExpiry {
                    profile_id: profile_id.clone(),
                    kind: ExpiringKind::Certificate,
                    name: row.kid.clone(),
                    client_id: row.client_id.clone(),
                    detail: Some(cert.subject_dn),
                    expires_at: cert.not_after,
                });
            }
            if let Some(at) = row.retire_at.filter(|t| *t <= until) {
                items.push(CustodyExpiry {
                    profile_id,
                    kind: ExpiringKind::KeyRetirement,
                    name: row.kid,
                    client_id: row.client_id,
                    detail: row.label,
                    expires_at: at,
                });
            }
        }
        for (profile_id, label, at) in self.store.ssas_expiring(until)? {
            items.push(CustodyExpiry {
                profile_id,
                kind: ExpiringKind::SoftwareStatement,
                name: label,
                client_id: None,
                detail: None,
                expires_at: at,
            });
        }
        items.retain(|i| only.as_ref().is_none_or(|p| &i.profile_id == p));
        items.sort_by_key(|i| i.expires_at);
        Ok(items)
    }
}
