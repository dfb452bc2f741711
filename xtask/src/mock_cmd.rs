//! `cargo xtask mock`: serve versions of the spec with Prism until Ctrl-C, for a first call
//! without a tenant (README "First call against the mock").

use std::path::PathBuf;

use anyhow::Result;

use crate::Workspace;
use crate::inputs::prepare_spec_dir;
use crate::mock;
use crate::pin::Pin;

/// The port of the first version; the next versions take the following ports.
pub const DEFAULT_PORT: u16 = 4010;

#[derive(Debug, Default, PartialEq, clap::Args)]
pub struct Options {
    /// The spec folder (a checkout of sailpoint-oss/api-specs); else $ISC_SPEC_DIR, else
    /// target/spec-cache/<commit>/ (fetched on demand)
    #[arg(long, value_name = "DIR", value_parser = crate::specdir::folder_arg)]
    pub spec_dir: Option<PathBuf>,
    /// Versions to serve, comma-separated [default: the per-service API]
    #[arg(long, value_name = "v3,v2024", value_delimiter = ',', value_parser = crate::specdir::name_arg)]
    pub only: Option<Vec<String>>,
    /// Port of the first version; the next versions take the following ports [default: 4010]
    #[arg(long)]
    pub port: Option<u16>,
}

pub fn run(ws: &Workspace, opts: &Options) -> Result<()> {
    let pin = Pin::load(&ws.pin_file())?;
    let spec = prepare_spec_dir(ws, &pin, opts.spec_dir.as_deref())?;
    // By default the API the client puts first (its groups are methods of `Client`).
    let only = opts.only.clone().unwrap_or_else(|| {
        let first = pin.versions.iter().find(|v| v.client_methods);
        vec![
            first
                .or(pin.versions.first())
                .map_or("v3", |v| v.name.as_str())
                .to_owned(),
        ]
    });
    let versions = pin.select(Some(&only))?;
    let mut mocks = mock::start_all(
        ws,
        &pin,
        &spec,
        &versions,
        Some(opts.port.unwrap_or(DEFAULT_PORT)),
    )?;
    println!();
    for mock in &mocks {
        println!(
            "{}: in another shell,\n  export SAIL_BASE_URL={} SAIL_CLIENT_ID=mock SAIL_CLIENT_SECRET=mock",
            mock.version,
            mock.url()
        );
    }
    println!(
        "then, e.g.: cargo run -p isc-client --example stream_accounts\n\
         (the mock answers every operation with the spec's examples and checks each request \
         against the spec; Prism's log: target/conformance/prism-<version>.log; Ctrl-C stops it)"
    );
    // Runs until Prism exits or the user presses Ctrl-C (which stops Prism too).
    match mocks.first_mut() {
        Some(first) => first.wait(),
        None => Ok(()),
    }
}
