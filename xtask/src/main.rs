//! Maintainer commands of the workspace: `cargo xtask <command>` (see `cargo xtask help`).

// See the comment on the dependency in xtask/Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bench;
mod ci;
mod client_glue;
mod codegen_cmd;
mod conformance;
mod diff_cmd;
mod examples;
mod features;
mod fetch;
mod figures;
mod inputs;
mod migrate_cmd;
mod mock;
mod mock_cmd;
mod module_graph;
mod pin;
mod spec_cmd;
mod specdir;
mod validate_cmd;
mod verify;

#[cfg(test)]
mod testutil;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

/// Said after the list of commands (`cargo xtask --help`).
const SPEC_DIR_RULE: &str = "\
the spec folder is --spec-dir DIR, else $ISC_SPEC_DIR, else target/spec-cache/<commit>/
(fetched on demand)";

/// `cargo xtask <command>`.
#[derive(Debug, Parser)]
#[command(
    name = "xtask",
    bin_name = "cargo xtask",
    about = "Maintainer commands of the workspace",
    after_help = SPEC_DIR_RULE
)]
struct Cli {
    #[command(subcommand)]
    command: Option<CliCommand>,
}

#[derive(Debug, Subcommand)]
enum CliCommand {
    /// Generate generated-client/src/<module>/ for every version in spec/pin.toml
    Codegen(codegen_cmd::Options),
    /// Fetch, verify, compare and pin the upstream spec
    #[command(subcommand)]
    Spec(SpecCommand),
    /// Call every operation against Prism serving the spec, then run every example program of
    /// the client against it
    ///
    /// Needs Node.js; installs Prism with npm ci in xtask/prism if needed.
    Conformance(conformance::Options),
    /// Serve versions of the spec (the per-service API by default) with Prism on local ports
    /// until Ctrl-C, to call the client without a tenant
    ///
    /// Any client id and secret get a token.
    Mock(mock_cmd::Options),
    /// Print the speed figures: codegen time and memory per version, compile time of the client
    /// per feature, request overhead against raw reqwest, decode throughput, streaming memory
    Bench(bench::Options),
    /// Check every example of the spec with an independent validator (openapi-schema-validator,
    /// in a venv under target/), and that it confirms each [[example]] of
    /// spec/known-spec-bugs.toml
    ///
    /// Needs Python 3 with venv; installs xtask/validator/requirements.txt (hashed pins) on
    /// first use.
    ValidateExamples(validate_cmd::Options),
    /// Check that the modules of every hand-written crate import each other without a cycle
    Cycles,
    /// Run every CI check (fmt, clippy, tests, codegen --check, validate-examples, conformance,
    /// quick benchmarks)
    Ci(ci::Options),
}

#[derive(Debug, Subcommand)]
enum SpecCommand {
    /// Download the pinned spec into target/spec-cache/<commit>/ and verify it
    Fetch,
    /// Check a spec folder against spec/checksums.sha256 and the pinned roots
    Verify(specdir::SpecDirArg),
    /// What a spec change means for users of the client
    ///
    /// Each pinned version against its root in another spec folder (--against), or two pinned
    /// versions (--versions): operations and models added, removed, changed, each marked
    /// breaking or compatible; a summary, and a Markdown report (target/spec-diff.md).
    Diff(diff_cmd::Options),
    /// For every operation of each year version, its successor in the per-service API and what
    /// changes in its request and answer
    ///
    /// The year versions are [migration] from in spec/pin.toml, the per-service API [migration]
    /// to. Prints a summary per version and writes the detail per operation to a Markdown report
    /// (target/spec-migrate.md).
    Migrate(migrate_cmd::Options),
    /// Record the checksums of the spec folder (after an intentional upgrade)
    Pin(specdir::SpecDirArg),
}

/// Paths of the workspace this xtask belongs to.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
}

impl Workspace {
    fn locate() -> Workspace {
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf();
        Workspace { root }
    }

    pub fn pin_file(&self) -> PathBuf {
        self.root.join("spec").join("pin.toml")
    }

    pub fn checksum_file(&self) -> PathBuf {
        self.root.join("spec").join("checksums.sha256")
    }

    pub fn client_src(&self) -> PathBuf {
        self.root.join("generated-client").join("src")
    }

    pub fn client_tests(&self) -> PathBuf {
        self.root.join("generated-client").join("tests")
    }

    /// `cargo` (the one running this xtask, if any) in the workspace root. A relative spec
    /// folder in the environment is made absolute: tests run in their package's folder, and
    /// would look for it in the wrong place.
    pub fn cargo(&self) -> std::process::Command {
        let program = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
        let mut cmd = std::process::Command::new(program);
        cmd.current_dir(&self.root);
        if let Some(dir) = std::env::var_os(specdir::ENV_VAR)
            && let Ok(absolute) = std::path::absolute(&dir)
        {
            cmd.env(specdir::ENV_VAR, absolute);
        }
        cmd
    }
}

#[derive(Debug, PartialEq)]
enum Command {
    Codegen(codegen_cmd::Options),
    Conformance(conformance::Options),
    Mock(mock_cmd::Options),
    ValidateExamples(validate_cmd::Options),
    Bench(bench::Options),
    SpecFetch,
    SpecVerify {
        spec_dir: Option<PathBuf>,
    },
    SpecPin {
        spec_dir: Option<PathBuf>,
    },
    SpecDiff(diff_cmd::Options),
    SpecMigrate(migrate_cmd::Options),
    Ci(ci::Options),
    Cycles,
    /// No command: the list of commands.
    Help,
}

/// The command the arguments (without the program name) ask for. `--help`, `help` and bad
/// arguments are errors that [`clap::Error::exit`] prints.
fn parse_args(args: &[String]) -> Result<Command, clap::Error> {
    let cli =
        Cli::try_parse_from(std::iter::once("cargo xtask").chain(args.iter().map(String::as_str)))?;
    Ok(match cli.command {
        None => Command::Help,
        Some(CliCommand::Codegen(opts)) => Command::Codegen(opts),
        Some(CliCommand::Conformance(opts)) => Command::Conformance(opts),
        Some(CliCommand::Mock(opts)) => Command::Mock(opts),
        Some(CliCommand::ValidateExamples(opts)) => Command::ValidateExamples(opts),
        Some(CliCommand::Bench(opts)) => Command::Bench(opts),
        Some(CliCommand::Ci(opts)) => Command::Ci(opts),
        Some(CliCommand::Cycles) => Command::Cycles,
        Some(CliCommand::Spec(spec)) => match spec {
            SpecCommand::Fetch => Command::SpecFetch,
            SpecCommand::Verify(opts) => Command::SpecVerify {
                spec_dir: opts.spec_dir,
            },
            SpecCommand::Pin(opts) => Command::SpecPin {
                spec_dir: opts.spec_dir,
            },
            SpecCommand::Diff(opts) => Command::SpecDiff(opts),
            SpecCommand::Migrate(opts) => Command::SpecMigrate(opts),
        },
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ws = Workspace::locate();
    let command = match parse_args(&args) {
        Ok(command) => command,
        // Help asked for (exit 0), or bad arguments (exit 2).
        Err(e) => e.exit(),
    };
    let result = match command {
        Command::Help => Cli::command().print_long_help().map_err(Into::into),
        Command::Codegen(opts) => codegen_cmd::run(&ws, &opts),
        Command::SpecFetch => spec_cmd::fetch(&ws),
        Command::SpecVerify { spec_dir } => spec_cmd::verify(&ws, spec_dir.as_deref()),
        Command::SpecPin { spec_dir } => spec_cmd::pin(&ws, spec_dir.as_deref()),
        Command::SpecDiff(opts) => diff_cmd::run(&ws, &opts),
        Command::SpecMigrate(opts) => migrate_cmd::run(&ws, &opts),
        Command::Conformance(opts) => conformance::run(&ws, &opts),
        Command::Mock(opts) => mock_cmd::run(&ws, &opts),
        Command::ValidateExamples(opts) => validate_cmd::run(&ws, &opts),
        Command::Bench(opts) => bench::run(&ws, &opts),
        Command::Ci(opts) => ci::run(&ws, &opts),
        Command::Cycles => module_graph::run(&ws),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, clap::Error> {
        parse_args(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn parses_commands() {
        assert_eq!(parse(&[]).unwrap(), Command::Help);
        assert_eq!(parse(&["ci"]).unwrap(), Command::Ci(ci::Options::default()));
        assert_eq!(
            parse(&["ci", "--only", "8"]).unwrap(),
            Command::Ci(ci::Options {
                only: Some(8),
                from: None
            })
        );
        assert_eq!(
            parse(&["conformance", "--spec-dir", "z"]).unwrap(),
            Command::Conformance(conformance::Options {
                spec_dir: Some("z".into())
            })
        );
        assert_eq!(
            parse(&["bench", "--quick"]).unwrap(),
            Command::Bench(bench::Options {
                spec_dir: None,
                quick: true,
                only: None,
            })
        );
        assert_eq!(
            parse(&["mock", "--only", "v2024", "--port", "5000"]).unwrap(),
            Command::Mock(mock_cmd::Options {
                spec_dir: None,
                only: Some(vec!["v2024".into()]),
                port: Some(5000)
            })
        );
        assert!(parse(&["mock", "--port", "high"]).is_err());
        assert_eq!(
            parse(&[
                "validate-examples",
                "--spec-dir",
                "s",
                "--only",
                "v3,v2024",
                "-v"
            ])
            .unwrap(),
            Command::ValidateExamples(validate_cmd::Options {
                spec_dir: Some("s".into()),
                only: Some(vec!["v3".into(), "v2024".into()]),
                verbose: true,
            })
        );
        assert_eq!(
            parse(&["validate-examples"]).unwrap(),
            Command::ValidateExamples(validate_cmd::Options::default())
        );
        assert!(parse(&["bench", "--port", "1"]).is_err());
        assert_eq!(parse(&["spec", "fetch"]).unwrap(), Command::SpecFetch);
        assert_eq!(
            parse(&[
                "spec",
                "diff",
                "--versions",
                "v2024,v2025",
                "--output",
                "d.md"
            ])
            .unwrap(),
            Command::SpecDiff(diff_cmd::Options {
                versions: Some(("v2024".into(), "v2025".into())),
                output: Some("d.md".into()),
                ..Default::default()
            })
        );
        assert_eq!(
            parse(&["spec", "migrate"]).unwrap(),
            Command::SpecMigrate(migrate_cmd::Options::default())
        );
        assert_eq!(
            parse(&[
                "spec",
                "migrate",
                "--from=v2026",
                "--spec-dir",
                "s",
                "--output",
                "m.md"
            ])
            .unwrap(),
            Command::SpecMigrate(migrate_cmd::Options {
                spec_dir: Some("s".into()),
                from: Some("v2026".into()),
                output: Some("m.md".into()),
            })
        );
        assert_eq!(
            parse(&["spec", "verify", "--spec-dir", "x"]).unwrap(),
            Command::SpecVerify {
                spec_dir: Some("x".into())
            }
        );
        assert_eq!(
            parse(&["spec", "pin", "--spec-dir=y"]).unwrap(),
            Command::SpecPin {
                spec_dir: Some("y".into())
            }
        );
        let Command::Codegen(opts) =
            parse(&["codegen", "--check", "--only", "v3,v2024", "-v"]).unwrap()
        else {
            panic!()
        };
        assert!(opts.check && opts.verbose);
        assert_eq!(opts.only, Some(vec!["v3".to_string(), "v2024".to_string()]));
    }

    #[test]
    fn every_command_has_help() {
        use clap::error::ErrorKind;
        let help = |args: &[&str]| {
            let err = parse(args).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::DisplayHelp, "{args:?}");
            err.to_string()
        };
        let top = help(&["--help"]);
        for command in [
            "codegen",
            "spec",
            "conformance",
            "mock",
            "validate-examples",
            "bench",
            "ci",
        ] {
            assert!(top.contains(command), "{top}");
        }
        assert!(top.contains("$ISC_SPEC_DIR"), "{top}");
        assert_eq!(help(&["help"]), top);
        let codegen = help(&["codegen", "--help"]);
        for flag in ["--spec-dir <DIR>", "--check", "--only", "--verbose"] {
            assert!(codegen.contains(flag), "{codegen}");
        }
        assert_eq!(help(&["help", "codegen"]), codegen);
        let diff = help(&["spec", "diff", "--help"]);
        for flag in ["--against <DIR>", "--versions <OLD,NEW>", "--output <FILE>"] {
            assert!(diff.contains(flag), "{diff}");
        }
        for args in [
            &["spec", "fetch", "-h"][..],
            &["spec", "verify", "--help"],
            &["spec", "migrate", "--help"],
            &["spec", "pin", "--help"],
            &["conformance", "--help"],
            &["mock", "--help"],
            &["validate-examples", "--help"],
            &["bench", "--help"],
            &["ci", "--help"],
        ] {
            help(args);
        }
    }

    #[test]
    fn bad_arguments_are_errors() {
        assert!(parse(&["frobnicate"]).is_err());
        assert!(parse(&["spec"]).is_err());
        assert!(parse(&["spec", "eat"]).is_err());
        assert!(parse(&["codegen", "--spec-dir"]).is_err());
        assert!(parse(&["codegen", "--spec-dir="]).is_err());
        assert!(parse(&["codegen", "--bogus"]).is_err());
        assert!(parse(&["ci", "--check"]).is_err());
        assert!(parse(&["codegen", "--quick"]).is_err());
        assert!(parse(&["spec", "diff"]).is_err());
        assert!(parse(&["spec", "diff", "--versions", "v3"]).is_err());
        assert!(parse(&["spec", "diff", "--versions", "a,b", "--against", "x"]).is_err());
        assert!(parse(&["codegen", "--against", "x"]).is_err());
        assert!(parse(&["spec", "fetch", "--spec-dir", "x"]).is_err());
        assert!(parse(&["spec", "migrate", "--from"]).is_err());
        assert!(parse(&["spec", "migrate", "--against", "x"]).is_err());
        assert!(parse(&["spec", "diff", "--from", "v3", "--versions", "a,b"]).is_err());
        assert!(parse(&["codegen", "--from", "v3"]).is_err());
    }
}
