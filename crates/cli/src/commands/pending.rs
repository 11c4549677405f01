//! `registrar pending`: operations whose outcome is unknown (a crash, a lost answer, an
//! abandoned Ctrl-C), from the core's journal, with what to do about each.

use super::profile_names;
use crate::app::App;
use crate::failure::Failure;
use crate::render::{PendingRow, PendingView};

pub fn run(app: &App) -> Result<(), Failure> {
    let registrar = app.open()?;
    let names = profile_names(&registrar)?;
    let items = registrar
        .unresolved()?
        .into_iter()
        .map(|entry| {
            let name = names
                .get(&entry.profile_id)
                .cloned()
                .unwrap_or_else(|| entry.profile_id.to_string());
            PendingRow::new(entry, name)
        })
        .collect();
    app.out.show(&PendingView(items))
}
