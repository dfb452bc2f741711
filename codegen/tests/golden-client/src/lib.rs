//! Golden files: what the generator writes for the fixture specs under
//! `codegen/tests/fixtures/golden/`. `codegen/tests/golden.rs` checks that generation reproduces
//! them byte for byte (`UPDATE_GOLDEN=1` rewrites them), and building this crate checks that they
//! compile against the real runtime.

// Formatted by the generator, not by rustfmt (see generated-client/src/lib.rs).
#[cfg(any(feature = "kitchen_sink", feature = "kitchen_sink-selected"))]
#[rustfmt::skip]
pub mod kitchen_sink;

#[cfg(any(feature = "services", feature = "services-selected"))]
#[rustfmt::skip]
pub mod services;

#[cfg(any(feature = "diff_old", feature = "diff_old-selected"))]
#[rustfmt::skip]
pub mod diff_old;

#[cfg(any(feature = "diff_new", feature = "diff_new-selected"))]
#[rustfmt::skip]
pub mod diff_new;

#[cfg(all(feature = "diff_old", feature = "diff_new"))]
pub mod spec_diff;
