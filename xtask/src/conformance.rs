//! `cargo xtask conformance`: every operation of the generated client against Prism, a mock
//! server serving the spec.
//!
//! One Prism per version with `spec_tests` in `spec/pin.toml` serves it on a free local port (see
//! [`crate::mock`]); then `tests/conformance.rs` of the client runs with the URLs in
//! `ISC_CONFORMANCE_<VERSION>` and prints `N passed, N failed`, next to the spec-example and
//! drift tests (`tests/spec_examples.rs`, `tests/drift.rs`) with their output shown. Last, every
//! example program of the client runs against the mock of its version ([`crate::examples`]).

use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use crate::inputs::prepare_spec_dir;
use crate::pin::{Pin, Version};
use crate::{Workspace, examples, mock};

#[derive(Debug, Default, PartialEq, clap::Args)]
pub struct Options {
    /// The spec folder (a checkout of sailpoint-oss/api-specs); else $ISC_SPEC_DIR, else
    /// target/spec-cache/<commit>/ (fetched on demand)
    #[arg(long, value_name = "DIR", value_parser = crate::specdir::folder_arg)]
    pub spec_dir: Option<PathBuf>,
}

pub fn run(ws: &Workspace, opts: &Options) -> Result<()> {
    let pin = Pin::load(&ws.pin_file())?;
    let spec = prepare_spec_dir(ws, &pin, opts.spec_dir.as_deref())?;
    let versions: Vec<&Version> = pin
        .select(None)?
        .into_iter()
        .filter(|v| v.spec_tests)
        .collect();
    let mocks = mock::start_all(ws, &pin, &spec, &versions, None)?;

    let mut test = ws.cargo();
    // `--workspace` and the same features as `cargo xtask ci`'s test step, so that the test
    // binary built there is reused, not rebuilt with other features.
    test.args([
        "test",
        "--workspace",
        "--features",
        &pin.client_features(),
        "--test",
        "conformance",
        // The other checks against the spec run along, so that one command prints every
        // figure: examples and samples round-tripped, and each drift test by name.
        "--test",
        "spec_examples",
        "--test",
        "drift",
        "--",
        "--include-ignored",
        "--nocapture",
    ]);
    for mock in &mocks {
        test.env(
            format!("ISC_CONFORMANCE_{}", mock.version.to_uppercase()),
            format!("http://{}", mock.addr),
        );
    }
    let status = test.status().context("cannot run cargo test")?;
    // The mocks are stopped when `mocks` is dropped, also on the error path.
    if !status.success() {
        bail!(
            "conformance calls failed ({status}); Prism's logs are in {}",
            ws.root.join("target").join("conformance").display()
        );
    }
    examples::run_against_mocks(ws, &pin.client_features(), &mocks)
}
