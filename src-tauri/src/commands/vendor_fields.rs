//! The vendor fields a provider kind is documented to take, for the register and edit form
//! (the catalogue is the core's: `registrar_core::profile::vendor_fields`).

use super::CommandResult;
use registrar_core::profile::{vendor_fields as catalogue, VendorField};
use registrar_core::ProviderKind;

/// The fields `kind` takes beyond the form's inputs, each with its type and description.
#[tauri::command]
#[specta::specta]
pub fn vendor_fields(kind: ProviderKind) -> CommandResult<Vec<VendorField>> {
    Ok(catalogue(kind).to_vec())
}
