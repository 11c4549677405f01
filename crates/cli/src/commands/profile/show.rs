//! `registrar profile show`: one profile's settings; secrets are never shown.

use crate::app::App;
use crate::commands::client_count;
use crate::failure::Failure;
use crate::render::ProfileView;

pub fn run(app: &App, name: &str) -> Result<(), Failure> {
    let registrar = app.open()?;
    let profile = registrar.profile(name)?;
    let clients = client_count(&registrar, &profile.id)?;
    app.out.show(&ProfileView::new(&profile, clients))
}
