//! `cargo xtask ci`: everything CI checks, in order, stopping at the first failure.
//!
//! To add a check, write a step function and list it in [`steps`].

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::bench::run_quietly;
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
            name: "cargo xtask validate-examples (every listed [[example]] spec bug confirmed by openapi-schema-validator)",
            run: validate_examples,
        },
        Step {
            name: "cargo xtask conformance (every operation against Prism serving the spec; spec examples; drift)",
            run: conformance,
        },
        Step {
            name: "cargo xtask bench --quick (codegen, runtime benchmarks, the client compiled without an API and with two groups)",
            run: bench_quick,
        },
        Step {
            name: "cargo package + cargo publish --dry-run (every published crate; every file in git packaged)",
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

#[derive(Debug, Default, Clone, PartialEq, Eq, clap::Args)]
pub struct Options {
    /// Run only step N (1-based, as the step list numbers them), to check one step again
    #[arg(long, value_name = "N", conflicts_with = "from")]
    pub only: Option<usize>,
    /// Run from step N on (1-based), to resume after fixing a failed step
    #[arg(long, value_name = "N")]
    pub from: Option<usize>,
}

pub fn run(ws: &Workspace, opts: &Options) -> Result<()> {
    let steps = steps();
    let (first, last) = match (opts.only, opts.from) {
        (Some(n), _) => (n, n),
        (None, Some(n)) => (n, steps.len()),
        (None, None) => (1, steps.len()),
    };
    if first == 0 || first > steps.len() {
        bail!(
            "there is no step {first}: the steps are 1 to {}",
            steps.len()
        );
    }
    let selected = &steps[first - 1..last];
    let mut done: Vec<(&str, Duration, bool)> = Vec::new();
    let mut failure = None;
    for (i, step) in selected.iter().enumerate() {
        println!("\n==> [{}/{}] {}", first + i, steps.len(), step.name);
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
    for step in selected.iter().skip(done.len()) {
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
    run_streamed(cmd)?;
    // The round trip of every spec example and sample, one line per API (the test passed above;
    // run again, already built, to show what it counted).
    let round_trip = cargo(
        ws,
        &[
            "test",
            "-p",
            "isc-client",
            "--features",
            &features,
            "--test",
            "spec_examples",
            "every_spec_example_and_sample_round_trips",
            "--",
            "--exact",
            "--nocapture",
        ],
    );
    let output = run_quietly(round_trip, "the spec examples' round trip")?;
    let lines: Vec<&str> = output
        .lines()
        .filter(|line| line.starts_with("round trip ("))
        .collect();
    if lines.is_empty() {
        bail!("the spec examples' round trip printed no `round trip (<api>)` line:\n{output}");
    }
    println!("{}", lines.join("\n"));
    Ok(())
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

/// The crates as the registry would get them, in two checks that together leave no file out:
///
/// 1. Every file of a crate in git is in its package (`cargo package --list`), but for the
///    folders it leaves out on purpose ([`LEFT_OUT`]). This catches what `include` misses, under
///    every feature, whether or not a build reads the file.
/// 2. `cargo package` builds each crate from its packaged sources (a path outside the package
///    fails here), with the workspace's unpublished crates standing in for the registry; the
///    client with a few groups of two APIs ([`VERIFIED_FEATURES`]): the rest of its 750,000
///    generated lines are files of the same kind, compiled from the working tree by the test
///    step, and shipped by check 1. A verified build of the default feature (the whole
///    per-service API) took 158 s of CI for no file that check 1 does not already cover.
///
/// `cargo publish --dry-run` then runs the registry's own checks on the same archives
/// (metadata, dependency versions) without building them again.
fn package(ws: &Workspace) -> Result<()> {
    for (name, dir) in PUBLISHED {
        package_holds_every_file(ws, name, dir)?;
    }
    let mut args = vec!["package"];
    for (name, _) in PUBLISHED {
        args.extend(["-p", name]);
    }
    args.extend(["--no-default-features", "--features", VERIFIED_FEATURES]);
    run_streamed(cargo(ws, &args))?;
    let mut args = vec!["publish", "--dry-run", "--no-verify"];
    for (name, _) in PUBLISHED {
        args.extend(["-p", name]);
    }
    run_streamed(cargo(ws, &args))
}

/// The crates released to the registry, together and in this order (each needs the ones
/// before), with their folders.
const PUBLISHED: &[(&str, &str)] = &[
    ("isc-runtime", "runtime"),
    ("isc-client", "generated-client"),
    ("isc-test-support", "test-support"),
];

/// The client's features the packaging build compiles: both layouts of the generated code (the
/// per-service API and a year version), each with one group.
const VERIFIED_FEATURES: &str =
    "isc-client/services-selected,isc-client/v3-selected,isc-client/tag-accounts";

/// Folders of a published crate that its package leaves out, and why.
const LEFT_OUT: &[(&str, &str, &str)] = &[(
    "isc-client",
    "tests/",
    "the client's tests read the spec and need every API: they run in this repository",
)];

/// Fails, naming the files, when a file of `dir` in git is missing from the package of `name`.
fn package_holds_every_file(ws: &Workspace, name: &str, dir: &str) -> Result<()> {
    let list = cargo(ws, &["package", "--list", "--allow-dirty", "-p", name]);
    let shown = describe(&list);
    let listed = run_quietly(list, &shown)?;
    let listed: std::collections::HashSet<&str> = listed.lines().collect();
    let mut git = Command::new("git");
    git.current_dir(ws.root.join(dir))
        .args(["ls-files", "--full-name", "."]);
    let tracked = run_quietly(git, &format!("`git ls-files` in {dir}/"))?;
    let prefix = format!("{dir}/");
    let shipped: Vec<&str> = tracked
        .lines()
        .filter_map(|path| path.strip_prefix(&prefix))
        .filter(|path| {
            !LEFT_OUT
                .iter()
                .any(|(crate_name, folder, _)| *crate_name == name && path.starts_with(folder))
        })
        .collect();
    let missing: Vec<&str> = shipped
        .iter()
        .copied()
        .filter(|path| !listed.contains(path))
        .collect();
    if !missing.is_empty() {
        bail!(
            "{} file(s) of {dir}/ are not in the package of {name} (its `include` in \
             {dir}/Cargo.toml misses them): {}",
            missing.len(),
            missing
                .iter()
                .take(20)
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    println!(
        "{name}: all {} files of {dir}/ in git are in the package{}",
        shipped.len(),
        LEFT_OUT
            .iter()
            .filter(|(crate_name, _, _)| *crate_name == name)
            .map(|(_, folder, why)| format!(", but {folder} ({why})"))
            .collect::<String>()
    );
    Ok(())
}

fn codegen_check(ws: &Workspace) -> Result<()> {
    codegen_cmd::run(
        ws,
        &codegen_cmd::Options {
            check: true,
            ..Default::default()
        },
    )
}

/// The spec bugs the client's example test excuses, confirmed from outside; it creates its own
/// venv (a fresh clone has none) and takes seconds.
fn validate_examples(ws: &Workspace) -> Result<()> {
    crate::validate_cmd::run(ws, &crate::validate_cmd::Options::default())
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
        assert!(names[5].starts_with("cargo xtask validate-examples"));
        assert!(names[6].starts_with("cargo xtask conformance"));
        assert!(names[7].starts_with("cargo xtask bench"));
        assert!(names[8].starts_with("cargo package"));
        assert!(names[9].starts_with("cargo doc"));
        assert_eq!(names.len(), 10);
    }
}
