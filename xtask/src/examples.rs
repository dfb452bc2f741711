//! The example programs of the client (`generated-client/examples/`), run against the Prism mock
//! of their version by `cargo xtask conformance`: they compile in the test step, and here they
//! show that each workflow's calls are accepted by the spec and that its answers decode.
//!
//! Each example takes the ids it works on as arguments (a tenant's ids when a user runs it);
//! [`RUNS`] says which arguments the mock run passes. A test checks that every `[[example]]` of
//! the client's Cargo.toml has a run here, for the version its features name.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::Workspace;
use crate::mock::Mock;

/// One example's run against the mock.
#[derive(Debug)]
pub struct ExampleRun {
    /// Name of the `[[example]]`.
    pub example: &'static str,
    /// The version whose mock it calls (the feature it requires).
    pub version: &'static str,
    /// Its arguments; `{out}` is replaced by a scratch folder under `target/conformance/`.
    pub args: &'static [&'static str],
}

/// Ids that the mock accepts (it checks the form of a path parameter, not that the id exists).
const ID: &str = "2c9180835d2e5168015d32f890ca1581";
const OTHER_ID: &str = "2c91808568c529c60168cca6f90c1313";

pub const RUNS: &[ExampleRun] = &[
    ExampleRun {
        example: "stream_accounts",
        version: "services",
        args: &[],
    },
    ExampleRun {
        example: "accounts_v3",
        version: "v3",
        args: &[ID, OTHER_ID],
    },
    ExampleRun {
        example: "accounts_v2024",
        version: "v2024",
        args: &[ID, OTHER_ID],
    },
    ExampleRun {
        example: "auth_users",
        version: "v3",
        args: &[ID, "ORG_ADMIN", "HELPDESK"],
    },
    ExampleRun {
        example: "access_profiles",
        version: "v3",
        args: &[ID, OTHER_ID, ID],
    },
    ExampleRun {
        example: "non_employee_lifecycle",
        version: "v3",
        args: &[ID, OTHER_ID],
    },
    ExampleRun {
        example: "export_non_employees_csv",
        version: "v3",
        args: &[ID, "{out}"],
    },
    ExampleRun {
        example: "bulk_upload_non_employees",
        version: "v2024",
        // The mock's job stays pending: report it once instead of polling.
        args: &[ID, "generated-client/examples/data/contractors.csv", "0"],
    },
    ExampleRun {
        example: "experimental_machine_accounts",
        version: "v2024",
        args: &[],
    },
    ExampleRun {
        example: "services_accounts",
        version: "services",
        args: &[ID, OTHER_ID],
    },
    ExampleRun {
        example: "services_auth_users",
        version: "services",
        args: &[ID, "ORG_ADMIN", "HELPDESK"],
    },
    ExampleRun {
        example: "services_access_profiles",
        version: "services",
        args: &[ID, OTHER_ID, ID],
    },
    ExampleRun {
        example: "services_non_employee_lifecycle",
        version: "services",
        args: &[ID, OTHER_ID],
    },
];

/// An example that takes longer against a local mock is stuck (a poll that never ends).
const TIME_LIMIT: Duration = Duration::from_secs(120);

/// Runs every example against the mock of its version; `features` are the client features of
/// the test step, so that the client is not rebuilt.
pub fn run_against_mocks(ws: &Workspace, features: &str, mocks: &[Mock]) -> Result<()> {
    let out = ws.root.join("target").join("conformance").join("examples");
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let binaries = build_examples(ws, features)?;
    let mut failed = Vec::new();
    for run in RUNS {
        let Some(mock) = mocks.iter().find(|m| m.version == run.version) else {
            bail!(
                "example {} calls {}, which has no mock (`spec_tests = false` in spec/pin.toml?)",
                run.example,
                run.version
            );
        };
        let Some(binary) = binaries.get(run.example) else {
            bail!("cargo built no example named {}", run.example);
        };
        match run_one(&ws.root, binary, run, mock, &out) {
            Ok((elapsed, stdout)) => {
                println!(
                    "example {} ({}): ok in {:.1} s",
                    run.example,
                    run.version,
                    elapsed.as_secs_f64()
                );
                for line in stdout.lines().take(12) {
                    println!("    {line}");
                }
            }
            Err(error) => {
                println!(
                    "example {} ({}): FAILED: {error:#}",
                    run.example, run.version
                );
                failed.push(run.example);
            }
        }
    }
    println!(
        "examples: {} of {} ran against the mock",
        RUNS.len() - failed.len(),
        RUNS.len()
    );
    if !failed.is_empty() {
        bail!(
            "examples failed against the mock: {} (Prism's logs are in {})",
            failed.join(", "),
            out.parent().unwrap_or(&out).display()
        );
    }
    Ok(())
}

/// Builds the examples as the test step built them (`--workspace` and the same features, so
/// that nothing is rebuilt: `-p isc-client` could unify the dependencies' features differently)
/// and returns each one's executable.
fn build_examples(ws: &Workspace, features: &str) -> Result<BTreeMap<String, PathBuf>> {
    let output = ws
        .cargo()
        .args([
            "build",
            "--workspace",
            "--examples",
            "--message-format=json",
        ])
        .args(["--features", features])
        .stderr(Stdio::inherit())
        .output()
        .context("cannot run cargo build")?;
    if !output.status.success() {
        bail!("the examples do not build ({})", output.status);
    }
    let mut binaries = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let is_example = message["target"]["kind"]
            .as_array()
            .is_some_and(|kinds| kinds.iter().any(|k| k == "example"));
        if let (true, Some(name), Some(executable)) = (
            is_example,
            message["target"]["name"].as_str(),
            message["executable"].as_str(),
        ) {
            binaries.insert(name.to_owned(), PathBuf::from(executable));
        }
    }
    Ok(binaries)
}

fn run_one(
    root: &Path,
    binary: &Path,
    run: &ExampleRun,
    mock: &Mock,
    out: &Path,
) -> Result<(Duration, String)> {
    let out_text = out.to_string_lossy();
    let args: Vec<String> = run
        .args
        .iter()
        .map(|arg| arg.replace("{out}", &out_text))
        .collect();
    let started = Instant::now();
    let mut child = Command::new(binary)
        .args(&args)
        // Relative paths in the arguments are from the workspace root.
        .current_dir(root)
        .env("SAIL_BASE_URL", mock.url())
        .env("SAIL_CLIENT_ID", "mock")
        .env("SAIL_CLIENT_SECRET", "mock")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run {}", binary.display()))?;
    // Output is read after the end: the examples print a few lines, far below a pipe's buffer.
    loop {
        if child.try_wait()?.is_some() {
            break;
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            bail!("still running after {TIME_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let output = child.wait_with_output()?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        bail!(
            "{}\n{stdout}{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok((started.elapsed(), stdout))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `[[example]]` entries of the client's Cargo.toml: name and required features.
    fn declared_examples() -> Vec<(String, Vec<String>)> {
        let ws = Workspace::locate();
        let text = std::fs::read_to_string(ws.root.join("generated-client/Cargo.toml")).unwrap();
        let manifest: toml::Value = toml::from_str(&text).unwrap();
        manifest["example"]
            .as_array()
            .unwrap()
            .iter()
            .map(|example| {
                let name = example["name"].as_str().unwrap().to_owned();
                let features = example
                    .get("required-features")
                    .and_then(|f| f.as_array())
                    .map(|list| {
                        list.iter()
                            .filter_map(|f| f.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                (name, features)
            })
            .collect()
    }

    #[test]
    fn every_example_has_a_mock_run_for_the_version_it_requires() {
        let declared = declared_examples();
        for (name, features) in &declared {
            let run = RUNS
                .iter()
                .find(|run| run.example == name)
                .unwrap_or_else(|| panic!("example {name} has no entry in examples::RUNS"));
            assert_eq!(
                features,
                &vec![run.version.to_owned()],
                "example {name}: its required features and its mock's version differ"
            );
        }
        for run in RUNS {
            assert!(
                declared.iter().any(|(name, _)| name == run.example),
                "examples::RUNS names {}, which generated-client/Cargo.toml does not declare",
                run.example
            );
        }
    }

    #[test]
    fn every_example_file_is_declared() {
        let ws = Workspace::locate();
        let declared = declared_examples();
        for entry in std::fs::read_dir(ws.root.join("generated-client/examples")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "rs") {
                let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
                assert!(
                    declared.iter().any(|(name, _)| *name == stem),
                    "{} is not declared as an [[example]] (it needs its version's feature)",
                    path.display()
                );
            }
        }
    }
}
