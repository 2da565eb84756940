//! The bundled digits: file format, loader, the fixed seeded split, epoch order and input batches.
//! No network, no clock.

mod batches;
#[cfg(not(target_arch = "wasm32"))]
mod bundled;
mod dataset;
pub mod drawn_digit;
pub mod format;
mod split;

pub use batches::{fill_batch, pixel_to_input, CACHE_LINE, PIXEL_MEAN, PIXEL_STD};
#[cfg(not(target_arch = "wasm32"))]
pub use bundled::{bundled, BUNDLED_BYTES};
pub use dataset::{Dataset, NUM_CLASSES};
pub use split::{epoch_order, Split};
