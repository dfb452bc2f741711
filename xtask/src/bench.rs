//! `cargo xtask bench`: the figures that speed and size are judged by, printed side by side.
//!
//! - code generation: wall time and peak memory of `cargo xtask codegen --check`, for each pinned
//!   version alone and for all of them, each in its own process;
//! - compile time of the runtime crate (built once, whatever the features), then of the client
//!   crate alone (its dependencies, the runtime included, already built): without an API (the
//!   SailPoint layer), each version feature, all of them, each with two groups selected, and one service
//!   of the per-service API alone, from clean each time, as a downstream crate's dev build
//!   compiles it (full debug info, not incremental);
//! - the runtime benchmarks of `generated-client/benches/runtime.rs` (request overhead against raw
//!   reqwest, decode throughput, streaming memory).
//!
//! `--quick` (what CI runs, so that none of it rots) times code generation once per case, compiles
//! only the client without an API and the first version with two groups selected (not the runtime
//! alone, which CI's package step builds), and runs the runtime benchmarks in their quick mode on
//! a dev build.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::Workspace;
use crate::inputs::prepare_spec_dir;
use crate::pin::Pin;

#[derive(Debug, Default, Clone, PartialEq, Eq, clap::Args)]
pub struct Options {
    /// The spec folder (a checkout of sailpoint-oss/api-specs); else $ISC_SPEC_DIR, else
    /// target/spec-cache/<commit>/ (fetched on demand)
    #[arg(long, value_name = "DIR", value_parser = crate::specdir::folder_arg)]
    pub spec_dir: Option<PathBuf>,
    /// Few rounds, as CI runs it
    #[arg(long)]
    pub quick: bool,
    /// Compile figures of these versions only (beside the runtime alone), and no runtime
    /// benchmarks: to measure one API after changing it
    #[arg(long, value_name = "services", value_delimiter = ',', value_parser = crate::specdir::name_arg)]
    pub only: Option<Vec<String>>,
}

pub fn run(ws: &Workspace, opts: &Options) -> Result<()> {
    let pin = Pin::load(&ws.pin_file())?;
    let spec = prepare_spec_dir(ws, &pin, opts.spec_dir.as_deref())?;
    codegen_figures(ws, &pin, &spec)?;
    if opts.only.is_none() {
        // The runtime benchmarks before the compile figures: in quick mode they reuse the test
        // build, which the compile figures clean away.
        runtime_figures(ws, &pin, opts.quick)?;
    }
    compile_figures(ws, &pin, opts.quick, opts.only.as_deref())?;
    Ok(())
}

/// Runs `cmd` and returns what it printed; fails with its output, naming it `what`.
pub(crate) fn run_quietly(mut cmd: Command, what: &str) -> Result<String> {
    let output = cmd.output().with_context(|| format!("cannot run {what}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        bail!(
            "{what} failed ({}):\n{stdout}{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(stdout)
}

/// What one `codegen --check` run printed about itself.
#[derive(Debug, Default, PartialEq)]
struct CodegenRun {
    /// Generation alone (no spec verification, no comparison with the files on disk).
    generation_secs: Option<f64>,
    peak_mib: Option<f64>,
}

/// Read the figures off `cargo xtask codegen`'s output: `<version>: ..., 1.2 s, ...` for each
/// version, `N versions generated in 3.4 s` when there are several, `peak memory: 245.0 MiB`.
fn parse_codegen_output(stdout: &str) -> CodegenRun {
    let mut run = CodegenRun::default();
    let mut per_version = Vec::new();
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("peak memory: ") {
            run.peak_mib = rest.trim_end_matches(" MiB").trim().parse().ok();
        } else if let Some((_, rest)) = line.split_once(" versions generated in ") {
            run.generation_secs = rest.split(' ').next().and_then(|s| s.parse().ok());
        } else if line.contains(" operations, ") {
            let secs = line
                .split(", ")
                .find_map(|part| part.strip_suffix(" s")?.parse::<f64>().ok());
            per_version.extend(secs);
        }
    }
    if run.generation_secs.is_none() && per_version.len() == 1 {
        run.generation_secs = per_version.first().copied();
    }
    run
}

fn codegen_figures(ws: &Workspace, pin: &Pin, spec: &Path) -> Result<()> {
    let exe = std::env::current_exe().context("cannot find the xtask binary")?;
    let mut cases: Vec<(String, Option<String>)> = pin
        .versions
        .iter()
        .map(|v| (v.name.clone(), Some(v.name.clone())))
        .collect();
    cases.push((format!("all {}", pin.versions.len()), None));
    println!("\n==> code generation (`cargo xtask codegen --check`, one process per case)");
    println!(
        "  {:<8} {:>12} {:>12} {:>12}",
        "versions", "generation", "command", "peak memory"
    );
    for (label, only) in cases {
        let mut cmd = Command::new(&exe);
        cmd.current_dir(&ws.root)
            .arg("codegen")
            .arg("--check")
            .arg("--spec-dir")
            .arg(spec);
        if let Some(only) = &only {
            cmd.args(["--only", only]);
        }
        let started = Instant::now();
        let stdout = run_quietly(cmd, "cargo xtask codegen --check")?;
        let wall = started.elapsed().as_secs_f64();
        let run = parse_codegen_output(&stdout);
        let show =
            |v: Option<f64>, unit: &str| v.map_or("?".to_owned(), |v| format!("{v:.1} {unit}"));
        println!(
            "  {:<8} {:>12} {:>12} {:>12}",
            label,
            show(run.generation_secs, "s"),
            show(Some(wall), "s"),
            show(run.peak_mib, "MiB")
        );
    }
    println!(
        "  (generation: loading, overlays, models and formatting; command: also process start, \
         checksums of the spec files, comparison with the files on disk)"
    );
    Ok(())
}

fn runtime_figures(ws: &Workspace, pin: &Pin, quick: bool) -> Result<()> {
    println!("\n==> runtime (`generated-client/benches/runtime.rs`)");
    let mut cmd = ws.cargo();
    if quick {
        // The test step's features and profile: its build is reused.
        cmd.args([
            "bench",
            "--workspace",
            "--bench",
            "runtime",
            "--profile",
            "dev",
        ])
        .args(["--features", &pin.client_features()])
        .env("BENCH_QUICK", "1");
    } else {
        // The benchmark's models are v3's (its `required-features`).
        cmd.args([
            "bench",
            "-p",
            "isc-client",
            "--bench",
            "runtime",
            "--features",
            "v3",
        ]);
    }
    let status = cmd.status().context("cannot run cargo bench")?;
    if !status.success() {
        bail!("the runtime benchmarks failed ({status})");
    }
    Ok(())
}

fn compile_figures(ws: &Workspace, pin: &Pin, quick: bool, only: Option<&[String]>) -> Result<()> {
    let chosen = |name: &str| only.is_none_or(|only| only.iter().any(|o| o == name));
    // Quick mode shares the workspace's target folder (no second copy of the dependencies);
    // the full run uses its own, so that the workspace's builds survive it.
    let target = if quick {
        None
    } else {
        Some(ws.root.join("target").join("bench-compile"))
    };
    let mut sets: Vec<(String, String)> =
        vec![("no API (the SailPoint layer)".into(), String::new())];
    if !quick {
        sets.extend(
            pin.versions
                .iter()
                .filter(|v| chosen(&v.name))
                .map(|v| (v.feature.clone(), v.feature.clone())),
        );
        if only.is_none() {
            let all: Vec<&str> = pin.versions.iter().map(|v| v.feature.as_str()).collect();
            sets.push((format!("all {}", all.len()), all.join(",")));
        }
    }
    // Versions with two groups only, as a user who needs a few groups builds them: each version
    // in a full run, the first in quick mode (which also proves that such a build compiles).
    // The names come from the generator's configuration, the one place that decides them.
    let count = if quick { 1 } else { pin.versions.len() };
    for version in pin.versions.iter().filter(|v| chosen(&v.name)).take(count) {
        if let Some(tags) = pin.generator_config(version).tag_features {
            let selected = tags.selected_feature(&version.feature);
            let groups = ["accounts", "sources"].map(|g| tags.tag_feature(g));
            sets.push((
                format!("{selected} + {}", groups.join(" + ")),
                format!("{selected},{}", groups.join(",")),
            ));
            // An API of services versioned on their own: one service alone, too.
            if !quick && version.service_versions.is_some() {
                sets.push((
                    format!("{selected} + {}", groups[0]),
                    format!("{selected},{}", groups[0]),
                ));
            }
        }
    }
    let build = |package: &str, features: &str| {
        let mut cmd = ws.cargo();
        cmd.args(["build", "-p", package, "--no-default-features"])
            // What a downstream crate's dev build does with a dependency.
            .env("CARGO_INCREMENTAL", "0")
            .env("CARGO_PROFILE_DEV_DEBUG", "true");
        if !features.is_empty() {
            cmd.args(["--features", features]);
        }
        if let Some(target) = &target {
            cmd.arg("--target-dir").arg(target);
        }
        cmd
    };
    let clean = || {
        let mut cmd = ws.cargo();
        cmd.args(["clean", "-p", "isc-client"]);
        if let Some(target) = &target {
            cmd.arg("--target-dir").arg(target);
        }
        cmd
    };
    println!(
        "\n==> compile time of the client crate alone (dependencies built first, dev profile)"
    );
    run_quietly(build("isc-client", ""), "cargo build (dependencies)")?;
    // The runtime crate on its own: built once, whichever APIs a user enables. Built alone, it
    // resolves its dependencies' features without the client's, so they are built for that
    // resolution first (untimed, as the client's are above): the row times the runtime only.
    // Not in quick mode: that second build of its dependencies is most of the row's cost, and
    // CI's package step builds the runtime alone from its package anyway.
    if quick {
        println!(
            "  {:<46} {:>9}  (a full run times it; CI's package step builds it alone)",
            "isc-runtime (the runtime crate)", "-"
        );
    } else {
        run_quietly(
            build("isc-runtime", ""),
            "cargo build -p isc-runtime (dependencies)",
        )?;
        let mut clean_runtime = clean();
        clean_runtime.args(["-p", "isc-runtime"]);
        run_quietly(clean_runtime, "cargo clean -p isc-runtime")?;
        let started = Instant::now();
        run_quietly(build("isc-runtime", ""), "cargo build -p isc-runtime")?;
        println!(
            "  {:<46} {:>7.1} s  (once, for every feature below)",
            "isc-runtime (the runtime crate)",
            started.elapsed().as_secs_f64()
        );
    }
    let mut baseline = None;
    for (label, features) in sets {
        run_quietly(clean(), "cargo clean -p isc-client")?;
        let started = Instant::now();
        run_quietly(
            build("isc-client", &features),
            &format!("cargo build ({label})"),
        )?;
        let secs = started.elapsed().as_secs_f64();
        let base = *baseline.get_or_insert(secs);
        println!(
            "  {label:<46} {secs:>7.1} s  ({:.1}x the client without an API)",
            secs / base
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_single_version_run() {
        let out = "spec folder: x\nv3: 358 operations, 826 models, 61267 lines, 1.1 s, 2 diagnostics\n\
                   generated code is up to date (600 files)\npeak memory: 132.5 MiB\n";
        assert_eq!(
            parse_codegen_output(out),
            CodegenRun {
                generation_secs: Some(1.1),
                peak_mib: Some(132.5)
            }
        );
    }

    #[test]
    fn reads_the_wall_time_of_several_versions() {
        let out = "v3: 358 operations, 826 models, 61267 lines, 1.1 s, 2 diagnostics\n\
                   v2024: 716 operations, 1634 models, 118171 lines, 2.0 s, 31 diagnostics\n\
                   2 versions generated in 2.2 s (wall clock, on up to 2 threads)\n\
                   peak memory: 245.0 MiB\n";
        assert_eq!(
            parse_codegen_output(out),
            CodegenRun {
                generation_secs: Some(2.2),
                peak_mib: Some(245.0)
            }
        );
    }

    #[test]
    fn missing_figures_are_none() {
        assert_eq!(parse_codegen_output("nothing here"), CodegenRun::default());
    }
}
