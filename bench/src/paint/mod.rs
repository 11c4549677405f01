//! Time to first paint of a desktop window, measured from outside: the program is spawned,
//! and every change on the X screen (DAMAGE events) is sampled until the screen has been
//! still for a while. The figure is the time of the first frame from which the screen no
//! longer changes meaningfully — "visually complete" — so for the app it is the moment its
//! client list is on screen, and for the empty window the moment its page is. Nothing in the
//! measured programs has to cooperate, so the app is measured exactly as it ships.

mod frame;
mod watcher;

pub use frame::{write_ppm, Frame};
pub use watcher::{PaintTrace, WatchOptions, Watcher};
