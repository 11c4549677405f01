//! Importing many clients from a JSON file (the core parses it), each checked and
//! adopted on its own; the exit code says whether any failed.

use crate::app::App;
use crate::commands::provider_call;
use crate::failure::{Failure, REFUSED};
use crate::render::BulkImportView;
use registrar_core::parse_import_file;
use std::path::Path;

pub async fn run(app: &App, profile: &str, file: &Path) -> Result<(), Failure> {
    let text =
        std::fs::read_to_string(file).map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?;
    let requests = parse_import_file(&text).map_err(|e| Failure::from(e).context(file.display()))?;
    let registrar = app.open()?;
    let profile = registrar.profile(profile)?;
    let total = requests.len();
    let message = format!("importing {total} client(s) into {}", profile.name);
    let items = provider_call(message, registrar.import_many(&profile.id, requests)).await??;
    let failed = items.iter().filter(|i| i.error.is_some()).count();
    let unstored = items.iter().filter_map(|i| i.unstored.clone()).collect();
    app.out.show(&BulkImportView {
        profile: profile.name,
        total,
        imported: total - failed,
        failed,
        items,
    })?;
    crate::commands::unstored::fail_if_any(app, unstored)?;
    if failed > 0 {
        return Err(Failure::new(
            REFUSED,
            format!("{failed} of {total} client(s) could not be imported"),
        ));
    }
    Ok(())
}
