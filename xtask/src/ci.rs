//! `cargo xtask ci`: everything CI checks, in order, stopping at the first failure.
//!
//! To add a check, write a step function and list it in [`steps`].

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::{Workspace, codegen_cmd};

pub struct Step {
    pub name: &'static str,
    pub run: fn(&Workspace) -> Result<()>,
}

pub fn steps() -> Vec<Step> {
    vec![
        Step {
            name: "cargo fmt --all --check",
            run: fmt,
        },
        Step {
            name: "import cycles (modules of every hand-written crate)",
            run: crate::module_graph::run,
        },
        Step {
            name: "cargo clippy (all targets, every pinned version, -D warnings)",
            run: clippy,
        },
        Step {
            name: "cargo test --workspace (every pinned version)",
            run: test,
        },
        Step {
            name: "cargo xtask codegen --check",
            run: codegen_check,
        },
        Step {
            name: "cargo xtask conformance (every operation against Prism serving the spec; spec examples; drift)",
            run: conformance,
        },
        Step {
            name: "cargo xtask bench --quick (codegen, runtime, the runtime compiled alone)",
            run: bench_quick,
        },
        Step {
            name: "cargo package + cargo publish --dry-run (every published crate)",
            run: package,
        },
        Step {
            name: "cargo doc (the client with every pinned version, the runtime, the test support; warnings denied)",
            // Last: the quick bench cleans the client's build away first, so the docs (nearly a
            // gigabyte for five versions) do not add to the test build's disk peak.
            run: doc,
        },
    ]
}

pub fn run(ws: &Workspace) -> Result<()> {
    let steps = steps();
    let mut done: Vec<(&str, Duration, bool)> = Vec::new();
    let mut failure = None;
    for (i, step) in steps.iter().enumerate() {
        println!("\n==> [{}/{}] {}", i + 1, steps.len(), step.name);
        let started = Instant::now();
        let result = (step.run)(ws);
        done.push((step.name, started.elapsed(), result.is_ok()));
        if let Err(e) = result {
            failure = Some((step.name, e));
            break;
        }
    }
    println!("\n==> summary");
    for (name, took, ok) in &done {
        println!(
            "  {:<4} {:>7.1} s  {name}",
            if *ok { "ok" } else { "FAIL" },
            took.as_secs_f64()
        );
    }
    for step in steps.iter().skip(done.len()) {
        println!("  {:<4} {:>9}  {}", "skip", "", step.name);
    }
    let total: f64 = done.iter().map(|(_, d, _)| d.as_secs_f64()).sum();
    println!("  total {total:.1} s");
    match failure {
        Some((name, e)) => Err(e.context(format!("CI step failed: {name}"))),
        None => Ok(()),
    }
}

fn cargo(ws: &Workspace, args: &[&str]) -> Command {
    let mut cmd = ws.cargo();
    cmd.args(args);
    cmd
}

/// Run with output streamed to the console; fail on a non-zero exit.
fn run_streamed(mut cmd: Command) -> Result<()> {
    let shown = describe(&cmd);
    let status = cmd
        .status()
        .with_context(|| format!("cannot run {shown}"))?;
    if !status.success() {
        bail!("{shown} failed ({status})");
    }
    Ok(())
}

/// `cargo fmt --all --check`, as a person would type it.
fn describe(cmd: &Command) -> String {
    let mut words = vec!["cargo".to_string()];
    words.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    format!("`{}`", words.join(" "))
}

fn fmt(ws: &Workspace) -> Result<()> {
    run_streamed(cargo(ws, &["fmt", "--all", "--check"]))
        .context("formatting differs: run `cargo fmt --all`")
}

/// The client features of every version in `spec/pin.toml`, as the conformance step uses them
/// too (so that it reuses the test build instead of building other features).
fn features(ws: &Workspace) -> Result<String> {
    Ok(crate::pin::Pin::load(&ws.pin_file())?.client_features())
}

// With every API, one compilation of the client crate (about 750,000 generated lines) takes
// about 12 GB. Its library therefore has no unit tests (`test = false`): a test build of the
// library beside the normal one would compile the crate twice at once, which does not fit a
// 24 GB machine. The runtime's unit tests are in the `isc-runtime` crate.

fn clippy(ws: &Workspace) -> Result<()> {
    let features = features(ws)?;
    // Not `--all-targets`: benches are checked with the bench profile, which would compile the
    // crate with every API a second time beside the dev one; the runtime bench needs `v3` only.
    run_streamed(cargo(
        ws,
        &[
            "clippy",
            "--workspace",
            "--lib",
            "--bins",
            "--tests",
            "--examples",
            "--features",
            &features,
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    run_streamed(cargo(
        ws,
        &[
            "clippy",
            "-p",
            "isc-client",
            "--benches",
            "--no-default-features",
            "--features",
            "v3",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    Ok(())
}

fn test(ws: &Workspace) -> Result<()> {
    let features = features(ws)?;
    let mut cmd = cargo(ws, &["test", "--workspace", "--features", &features]);
    // The fault suite's soak at full size in CI (runtime/tests/faults.rs, `soak_items`).
    cmd.env("ISC_FAULT_SOAK_ITEMS", "10000");
    run_streamed(cmd)
}

/// The client's docs, generated from the spec's descriptions, must build without a warning (a
/// bare URL, a bracket rustdoc takes for a link).
fn doc(ws: &Workspace) -> Result<()> {
    let features = features(ws)?;
    let mut cmd = cargo(
        ws,
        &[
            "doc",
            "--no-deps",
            "-p",
            "isc-client",
            "--features",
            &features,
        ],
    );
    cmd.env("RUSTDOCFLAGS", "-D warnings");
    run_streamed(cmd)?;
    // The other published crates, as docs.rs builds them.
    let mut cmd = cargo(
        ws,
        &[
            "doc",
            "--no-deps",
            "-p",
            "isc-runtime",
            "-p",
            "isc-test-support",
        ],
    );
    cmd.env("RUSTDOCFLAGS", "-D warnings");
    run_streamed(cmd)
}

/// The crates as the registry would get them: `cargo package` builds each from its packaged
/// sources (so a file missing from `include`, or a path outside the package, fails here), with
/// the workspace's unpublished crates standing in for the registry; `cargo publish --dry-run`
/// then runs the registry's own checks on the same archives (metadata, dependency versions)
/// without building them a second time.
fn package(ws: &Workspace) -> Result<()> {
    let mut args = vec!["package"];
    for name in PUBLISHED {
        args.extend(["-p", name]);
    }
    run_streamed(cargo(ws, &args))?;
    args[0] = "publish";
    args.extend(["--dry-run", "--no-verify"]);
    run_streamed(cargo(ws, &args))
}

/// The crates released to the registry, together and in this order (each needs the ones before).
const PUBLISHED: &[&str] = &["isc-runtime", "isc-client", "isc-test-support"];

fn codegen_check(ws: &Workspace) -> Result<()> {
    codegen_cmd::run(
        ws,
        &codegen_cmd::Options {
            check: true,
            ..Default::default()
        },
    )
}

fn conformance(ws: &Workspace) -> Result<()> {
    crate::conformance::run(ws, &crate::conformance::Options::default())
}

/// Every benchmark in its quick mode, so that none of them rots; it ends with the runtime
/// compiled alone (`--no-default-features`).
fn bench_quick(ws: &Workspace) -> Result<()> {
    crate::bench::run(
        ws,
        &crate::bench::Options {
            spec_dir: None,
            quick: true,
            only: None,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_in_ci_order() {
        let names: Vec<&str> = steps().iter().map(|s| s.name).collect();
        assert!(names[0].starts_with("cargo fmt"));
        assert!(names[1].starts_with("import cycles"));
        assert!(names[2].starts_with("cargo clippy"));
        assert!(names[3].starts_with("cargo test"));
        assert_eq!(names[4], "cargo xtask codegen --check");
        assert!(names[5].starts_with("cargo xtask conformance"));
        assert!(names[6].starts_with("cargo xtask bench"));
        assert!(names[7].starts_with("cargo package"));
        assert!(names[8].starts_with("cargo doc"));
        assert_eq!(names.len(), 9);
    }
}
