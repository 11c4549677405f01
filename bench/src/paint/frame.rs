//! A screen image reduced to one hash per 8x8 block, so frames can be compared cheaply and
//! "the same picture except a blinking caret" can be told from "a new picture".

use std::io::Write as _;
use std::path::Path;
use std::time::Duration;

pub const BLOCK: usize = 8;

#[derive(Debug, Clone)]
pub struct Frame {
    /// Since the program under test was spawned.
    pub at: Duration,
    pub width: usize,
    pub height: usize,
    blocks: Vec<u64>,
}

impl Frame {
    /// From a 32-bits-per-pixel Z-pixmap (BGRX, as Xvfb's 24-bit screens give it).
    pub fn from_pixels(at: Duration, width: usize, height: usize, data: &[u8]) -> Self {
        let bw = width.div_ceil(BLOCK);
        let bh = height.div_ceil(BLOCK);
        let mut blocks = vec![0xcbf2_9ce4_8422_2325u64; bw * bh];
        for y in 0..height.min(data.len() / (width * 4).max(1)) {
            let row = &data[y * width * 4..(y + 1) * width * 4];
            let block_row = &mut blocks[(y / BLOCK) * bw..(y / BLOCK + 1) * bw];
            for (bx, chunk) in row.chunks(BLOCK * 4).enumerate() {
                let mut h = block_row[bx];
                for px in chunk.chunks_exact(4) {
                    // The padding byte is undefined: hash colour only.
                    let v = u64::from(u32::from_le_bytes([px[0], px[1], px[2], 0]));
                    h = (h ^ v).wrapping_mul(0x0100_0000_01b3);
                }
                block_row[bx] = h;
            }
        }
        Self {
            at,
            width,
            height,
            blocks,
        }
    }

    /// How many 8x8 blocks differ between two frames of the same screen.
    pub fn blocks_differing(&self, other: &Frame) -> usize {
        if self.blocks.len() != other.blocks.len() {
            return self.blocks.len().max(other.blocks.len());
        }
        self.blocks.iter().zip(&other.blocks).filter(|(a, b)| a != b).count()
    }

    #[cfg(test)]
    fn block_count(&self) -> usize {
        self.blocks.len()
    }
}

/// Writes BGRX pixels as a binary PPM (viewable, and `convert`s to PNG).
pub fn write_ppm(path: &Path, width: usize, height: usize, data: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    write!(out, "P6\n{width} {height}\n255\n")?;
    for px in data.chunks_exact(4).take(width * height) {
        out.write_all(&[px[2], px[1], px[0]])?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_change_touches_few_blocks() {
        let (w, h) = (64, 32);
        let mut pixels = vec![255u8; w * h * 4];
        let a = Frame::from_pixels(Duration::ZERO, w, h, &pixels);
        // A one-pixel-wide caret, 12 pixels tall.
        for y in 4..16 {
            pixels[(y * w + 20) * 4] = 0;
        }
        let b = Frame::from_pixels(Duration::ZERO, w, h, &pixels);
        assert_eq!(a.block_count(), 8 * 4);
        assert_eq!(a.blocks_differing(&b), 2);
        assert_eq!(a.blocks_differing(&a.clone()), 0);
    }
}
