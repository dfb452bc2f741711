//! `cargo xtask conformance`: every operation of the generated client against Prism, a mock
//! server serving the spec.
//!
//! For each version in `spec/pin.toml` the spec (with its overlays) is written as one document
//! into `target/conformance/` (never committed), with the base path put in front of every path,
//! since Prism ignores the path of `servers`. One Prism per version serves it on a free local
//! port; then `tests/conformance.rs` of the client runs with the URLs in
//! `ISC_CONFORMANCE_<VERSION>` and prints `N passed, N failed`, next to the spec-example and
//! drift tests (`tests/spec_examples.rs`, `tests/drift.rs`) with their output shown.

use std::fs;
use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::Workspace;
use crate::codegen_cmd::{prepare_spec_dir, version_config};
use crate::pin::Pin;

/// How long Prism may take to load a document (it needs about ten seconds for v2024).
const STARTUP_LIMIT: Duration = Duration::from_secs(180);

#[derive(Debug, Default, PartialEq)]
pub struct Options {
    pub spec_dir: Option<PathBuf>,
}

pub fn run(ws: &Workspace, opts: &Options) -> Result<()> {
    let pin = Pin::load(&ws.pin_file())?;
    let spec = prepare_spec_dir(ws, &pin, opts.spec_dir.as_deref())?;
    let prism = prism_entry(ws)?;
    let out = ws.root.join("target").join("conformance");
    fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;

    let mut mocks = Vec::new();
    for version in pin.select(None)?.into_iter().filter(|v| v.spec_tests) {
        let config = version_config(ws, &pin, version)?;
        let document = codegen::mock_document(&config, &spec)
            .with_context(|| format!("{}: cannot build the mock document", version.name))?;
        let file = out.join(format!("{}.json", version.name));
        let text = serde_json::to_string(&document)?;
        fs::write(&file, text).with_context(|| format!("cannot write {}", file.display()))?;
        let log = out.join(format!("prism-{}.log", version.name));
        mocks.push(Mock::start(&prism, &file, &log, &version.name)?);
    }
    for mock in &mut mocks {
        mock.wait_until_listening()?;
        println!(
            "{}: Prism serves {} on http://{}",
            mock.version,
            mock.document.display(),
            mock.addr
        );
    }

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
            out.display()
        );
    }
    Ok(())
}

/// Prism's entry script, installed by `npm ci` in `xtask/prism` if it is not there yet.
fn prism_entry(ws: &Workspace) -> Result<PathBuf> {
    let dir = ws.root.join("xtask").join("prism");
    let entry = dir.join("node_modules/@stoplight/prism-cli/dist/index.js");
    if !entry.exists() {
        println!("installing Prism: npm ci in {}", dir.display());
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
            .current_dir(&dir)
            .status()
            .context("cannot run npm (Node.js is needed for the Prism mock server)")?;
        if !status.success() || !entry.exists() {
            bail!("`npm ci` in {} failed ({status})", dir.display());
        }
    }
    Ok(entry)
}

/// One running Prism; killed on drop.
struct Mock {
    version: String,
    document: PathBuf,
    log: PathBuf,
    addr: SocketAddr,
    child: Child,
}

impl Mock {
    fn start(entry: &Path, document: &Path, log: &Path, version: &str) -> Result<Mock> {
        let addr = free_local_port()?;
        let log_file =
            fs::File::create(log).with_context(|| format!("cannot create {}", log.display()))?;
        let child = Command::new("node")
            .arg(entry)
            .args(["mock", "-h", "127.0.0.1", "-p"])
            .arg(addr.port().to_string())
            .arg(document)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone()?)
            .stderr(log_file)
            .spawn()
            .context("cannot start node (Node.js is needed for the Prism mock server)")?;
        Ok(Mock {
            version: version.to_owned(),
            document: document.to_owned(),
            log: log.to_owned(),
            addr,
            child,
        })
    }

    /// Waits until the port accepts connections; fails if Prism exits or takes too long, with
    /// the end of its log.
    fn wait_until_listening(&mut self) -> Result<()> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "Prism for {} exited ({status}) before listening:\n{}",
                    self.version,
                    self.log_tail()
                );
            }
            if TcpStream::connect_timeout(&self.addr, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            if started.elapsed() > STARTUP_LIMIT {
                bail!(
                    "Prism for {} is not listening after {STARTUP_LIMIT:?}:\n{}",
                    self.version,
                    self.log_tail()
                );
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    fn log_tail(&self) -> String {
        let mut text = String::new();
        if let Ok(mut file) = fs::File::open(&self.log) {
            let _ = file.read_to_string(&mut text);
        }
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nobody listens on now (the OS picks it; it is free again when the probe closes).
fn free_local_port() -> Result<SocketAddr> {
    let probe = TcpListener::bind("127.0.0.1:0").context("cannot bind a local port")?;
    Ok(probe.local_addr()?)
}
