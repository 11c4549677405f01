//! `registrar profile export`: a profile without its secrets or its local id, as JSON a
//! colleague can `profile import`.

use crate::app::App;
use crate::failure::Failure;

pub fn run(app: &App, name: &str) -> Result<(), Failure> {
    let registrar = app.open()?;
    let text = registrar.export_profile(name)?;
    print!("{text}");
    Ok(())
}
