//! The X side of the paint measurement: DAMAGE on the root window reports any drawing on
//! the screen (the measured program is alone on its Xvfb), MapNotify reports its window
//! appearing, and GetImage samples the screen after each burst of drawing.

use super::frame::Frame;
use std::time::{Duration, Instant};
use x11rb::connection::Connection;
use x11rb::protocol::damage::{self, ConnectionExt as _};
use x11rb::protocol::xproto::{self, ConnectionExt as _};
use x11rb::protocol::Event;
use x11rb::rust_connection::RustConnection;

type Error = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, Clone, Copy)]
pub struct WatchOptions {
    /// Give up after this long.
    pub timeout: Duration,
    /// The screen counts as settled once it has not changed meaningfully for this long.
    pub quiet: Duration,
    /// At most this many 8x8 blocks may differ for two frames to count as the same picture
    /// (a blinking text caret touches two to four).
    pub tolerance_blocks: usize,
    /// Samples are at least this far apart, so grabbing the screen does not steal the CPU
    /// the measured program needs; it bounds the figure's resolution.
    pub min_interval: Duration,
}

impl Default for WatchOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            quiet: Duration::from_secs(3),
            tolerance_blocks: 8,
            min_interval: Duration::from_millis(10),
        }
    }
}

#[derive(Debug, Clone)]
pub struct PaintTrace {
    /// When the first top-level window was mapped.
    pub mapped: Option<Duration>,
    /// The first frame from which the screen stayed the same picture as the final one.
    pub complete: Option<Duration>,
    /// Distinct frames sampled.
    pub frames: usize,
    /// Whether the screen settled before the timeout.
    pub settled: bool,
    /// Each distinct frame: when it was sampled, and how many blocks changed since the last.
    pub timeline: Vec<(Duration, usize)>,
    pub width: usize,
    pub height: usize,
    /// The final screen, BGRX, for a screenshot.
    pub final_pixels: Vec<u8>,
}

pub struct Watcher {
    conn: RustConnection,
    root: u32,
    width: u16,
    height: u16,
    damage: u32,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher")
            .field("width", &self.width)
            .field("height", &self.height)
            .finish_non_exhaustive()
    }
}

impl Watcher {
    /// Connects to $DISPLAY and starts listening; call before spawning the program. Keep
    /// one watcher for a series of runs: an X server resets when its last client leaves.
    pub fn connect() -> Result<Self, Error> {
        let (conn, screen_num) = x11rb::connect(None)?;
        let screen = &conn.setup().roots[screen_num];
        let (root, width, height) = (screen.root, screen.width_in_pixels, screen.height_in_pixels);
        if screen.root_depth != 24 && screen.root_depth != 32 {
            return Err(format!(
                "the screen depth is {}; run Xvfb with -screen 0 WxHx24",
                screen.root_depth
            )
            .into());
        }
        conn.damage_query_version(1, 1)?.reply()?;
        let damage = conn.generate_id()?;
        conn.damage_create(damage, root, damage::ReportLevel::NON_EMPTY)?;
        let events = xproto::ChangeWindowAttributesAux::new().event_mask(xproto::EventMask::SUBSTRUCTURE_NOTIFY);
        conn.change_window_attributes(root, &events)?;
        conn.flush()?;
        Ok(Self {
            conn,
            root,
            width,
            height,
            damage,
        })
    }

    fn grab(&self) -> Result<Vec<u8>, Error> {
        let image = self
            .conn
            .get_image(
                xproto::ImageFormat::Z_PIXMAP,
                self.root,
                0,
                0,
                self.width,
                self.height,
                !0,
            )?
            .reply()?;
        Ok(image.data)
    }

    /// Samples the screen from `start` (taken just before the program was spawned) until it
    /// settles, the timeout passes or `alive` says the program is gone.
    pub fn watch(
        &self,
        start: Instant,
        opts: WatchOptions,
        mut alive: impl FnMut() -> bool,
    ) -> Result<PaintTrace, Error> {
        let (w, h) = (usize::from(self.width), usize::from(self.height));
        // Forget what an earlier program drew (and its window going away).
        while self.conn.poll_for_event()?.is_some() {}
        self.conn.damage_subtract(self.damage, x11rb::NONE, x11rb::NONE)?;
        self.conn.flush()?;
        let mut pixels = self.grab()?;
        let mut frames = vec![Frame::from_pixels(start.elapsed(), w, h, &pixels)];
        let mut timeline = vec![(frames[0].at, 0)];
        let mut mapped = None;
        let mut dirty = false;
        let mut last_grab = Instant::now();
        let mut last_change = Instant::now();
        let mut settled = false;
        loop {
            while let Some(event) = self.conn.poll_for_event()? {
                match event {
                    Event::DamageNotify(_) => dirty = true,
                    Event::MapNotify(_) if mapped.is_none() => mapped = Some(start.elapsed()),
                    _ => {}
                }
            }
            let now = Instant::now();
            if dirty && now - last_grab >= opts.min_interval {
                // Re-arm first: drawing that happens during the grab raises a new event.
                self.conn.damage_subtract(self.damage, x11rb::NONE, x11rb::NONE)?;
                self.conn.flush()?;
                dirty = false;
                pixels = self.grab()?;
                last_grab = Instant::now();
                let frame = Frame::from_pixels(start.elapsed(), w, h, &pixels);
                let previous = frames.last().map_or(usize::MAX, |f| f.blocks_differing(&frame));
                if previous > opts.tolerance_blocks {
                    last_change = last_grab;
                }
                if previous > 0 {
                    timeline.push((frame.at, previous));
                    frames.push(frame);
                }
            }
            if mapped.is_some() && !dirty && now - last_change >= opts.quiet {
                settled = true;
                break;
            }
            if start.elapsed() >= opts.timeout || !alive() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let last = frames.last().cloned();
        let complete = last.map(|last| {
            // Walk back while frames are still the final picture.
            let mut first = frames.len() - 1;
            while first > 0 && frames[first - 1].blocks_differing(&last) <= opts.tolerance_blocks {
                first -= 1;
            }
            frames[first].at
        });
        Ok(PaintTrace {
            mapped,
            complete: if mapped.is_some() { complete } else { None },
            frames: frames.len(),
            settled,
            timeline,
            width: w,
            height: h,
            final_pixels: pixels,
        })
    }
}
