//! Prism, the mock server that serves a version of the spec, for the conformance suite, the
//! example runs and `cargo xtask mock` (a first call without a tenant).
//!
//! The spec (with its overlays) is written as one document per version into
//! `target/conformance/` (never committed), with the base path put in front of every path, since
//! Prism ignores the path of `servers`. The document also answers `POST /oauth/token`, so that a
//! client configured with any client id and secret (`Client::from_env`) gets a token from the
//! mock as it would from a tenant.

use std::fs;
use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::json;

use crate::Workspace;
use crate::inputs::version_config;
use crate::pin::{Pin, Version};

/// How long Prism may take to load a document (it needs about ten seconds for v2024).
const STARTUP_LIMIT: Duration = Duration::from_secs(180);

/// The path of the token endpoint, relative to the tenant's API URL (what the client asks when
/// it has a client id and secret).
const TOKEN_PATH: &str = "/oauth/token";

/// The spec of `version` as one document, as the client is generated from it (overlays
/// applied, `$ref` siblings as written), with the base path in front of every path: what the
/// mock serves, and what `cargo xtask validate-examples` checks.
pub fn document(
    ws: &Workspace,
    pin: &Pin,
    spec: &Path,
    version: &Version,
) -> Result<serde_json::Value> {
    let config = version_config(ws, pin, version)?;
    codegen::mock_document(&config, spec)
        .with_context(|| format!("{}: cannot build the mock document", version.name))
}

/// One running Prism; killed on drop.
pub struct Mock {
    pub version: String,
    pub document: PathBuf,
    pub log: PathBuf,
    pub addr: SocketAddr,
    child: Child,
}

impl Mock {
    /// Writes the mock document of `version` and starts Prism on `addr` (a free port when
    /// `None`). Call [`Mock::wait_until_listening`] before using it.
    pub fn start(
        ws: &Workspace,
        pin: &Pin,
        spec: &Path,
        version: &Version,
        port: Option<u16>,
    ) -> Result<Mock> {
        let prism = prism_entry(ws)?;
        let out = ws.root.join("target").join("conformance");
        fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
        let mut document = document(ws, pin, spec, version)?;
        add_token_endpoint(&mut document);
        let file = out.join(format!("{}.json", version.name));
        fs::write(&file, serde_json::to_string(&document)?)
            .with_context(|| format!("cannot write {}", file.display()))?;
        let log = out.join(format!("prism-{}.log", version.name));
        let addr = match port {
            Some(port) => SocketAddr::from(([127, 0, 0, 1], port)),
            None => free_local_port()?,
        };
        let log_file =
            fs::File::create(&log).with_context(|| format!("cannot create {}", log.display()))?;
        let child = Command::new("node")
            .arg(&prism)
            .args(["mock", "-h", "127.0.0.1", "-p"])
            .arg(addr.port().to_string())
            .arg(&file)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone()?)
            .stderr(log_file)
            .spawn()
            .context("cannot start node (Node.js is needed for the Prism mock server)")?;
        Ok(Mock {
            version: version.name.clone(),
            document: file,
            log,
            addr,
            child,
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Waits until the port accepts connections; fails if Prism exits or takes too long, with
    /// the end of its log.
    pub fn wait_until_listening(&mut self) -> Result<()> {
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

    /// Blocks until Prism exits (Ctrl-C stops both).
    pub fn wait(&mut self) -> Result<()> {
        let status = self.child.wait()?;
        bail!(
            "Prism for {} stopped ({status}):\n{}",
            self.version,
            self.log_tail()
        )
    }

    pub fn log_tail(&self) -> String {
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

/// Starts one Prism per version and waits until all listen (they load in parallel).
pub fn start_all(
    ws: &Workspace,
    pin: &Pin,
    spec: &Path,
    versions: &[&Version],
    first_port: Option<u16>,
) -> Result<Vec<Mock>> {
    let mut mocks = Vec::new();
    for (i, version) in versions.iter().enumerate() {
        let port = first_port.map(|p| p + i as u16);
        mocks.push(Mock::start(ws, pin, spec, version, port)?);
    }
    for mock in &mut mocks {
        mock.wait_until_listening()?;
        println!(
            "{}: Prism serves {} on {}",
            mock.version,
            mock.document.display(),
            mock.url()
        );
    }
    Ok(mocks)
}

/// `POST /oauth/token` answering a client-credentials grant with a token that Prism accepts
/// (it checks that a bearer token is present, not what it is).
fn add_token_endpoint(document: &mut serde_json::Value) {
    let operation = json!({
        "operationId": "mockOAuthToken",
        "summary": "Client-credentials token (added by the mock: not part of SailPoint's spec)",
        "security": [],
        "requestBody": {
            "required": true,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "required": ["grant_type"],
                        "properties": {
                            "grant_type": {"type": "string"},
                            "client_id": {"type": "string"},
                            "client_secret": {"type": "string"}
                        }
                    }
                }
            }
        },
        "responses": {
            "200": {
                "description": "A token",
                "content": {
                    "application/json": {
                        "example": {
                            "access_token": "mock-access-token",
                            "token_type": "bearer",
                            "expires_in": 43199
                        }
                    }
                }
            }
        }
    });
    if let Some(paths) = document.get_mut("paths").and_then(|p| p.as_object_mut()) {
        paths.insert(TOKEN_PATH.to_owned(), json!({ "post": operation }));
    }
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

/// A port nobody listens on now (the OS picks it; it is free again when the probe closes).
fn free_local_port() -> Result<SocketAddr> {
    let probe = TcpListener::bind("127.0.0.1:0").context("cannot bind a local port")?;
    Ok(probe.local_addr()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_endpoint_is_added_beside_the_spec_paths() {
        let mut document = json!({"paths": {"/v3/accounts": {"get": {}}}});
        add_token_endpoint(&mut document);
        let paths = document["paths"].as_object().unwrap();
        assert!(paths.contains_key("/v3/accounts"));
        let token = &paths["/oauth/token"]["post"];
        assert_eq!(token["security"], json!([]));
        assert!(
            token["responses"]["200"]["content"]["application/json"]["example"]["access_token"]
                .is_string()
        );
    }
}
