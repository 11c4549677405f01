//! `registrar profile list`.

use crate::app::App;
use crate::commands::client_count;
use crate::failure::Failure;
use crate::render::{ProfileView, Profiles};

pub fn run(app: &App) -> Result<(), Failure> {
    let registrar = app.open()?;
    let mut views = Vec::new();
    for profile in registrar.profiles()? {
        let clients = client_count(&registrar, &profile.id)?;
        views.push(ProfileView::new(&profile, clients));
    }
    app.out.show(&Profiles(views))
}
