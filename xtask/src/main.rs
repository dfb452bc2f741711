//! Maintainer commands of the workspace: `cargo xtask <command>` (see `cargo xtask help`).

// See the comment on the dependency in xtask/Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bench;
mod ci;
mod codegen_cmd;
mod conformance;
mod diff_cmd;
mod examples;
mod features;
mod fetch;
mod migrate_cmd;
mod mock;
mod mock_cmd;
mod pin;
mod spec_cmd;
mod specdir;
mod verify;

#[cfg(test)]
mod testutil;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen [--spec-dir DIR] [--check] [--only v3,v2024] [--verbose]
      generate generated-client/src/<module>/ for every version in spec/pin.toml;
      --check compares with the files on disk instead of writing, and fails if they differ
  spec fetch               download the pinned spec into target/spec-cache/<commit>/ and verify it
  spec verify [--spec-dir DIR]
                           check a spec folder against spec/checksums.sha256 and the pinned roots
  spec diff --against DIR | --versions OLD,NEW [--spec-dir DIR] [--output FILE]
                           what a spec change means for users of the client: each pinned version
                           against its root in another spec folder, or two pinned versions;
                           operations and models added, removed, changed, each marked breaking or
                           compatible; a summary, and a Markdown report (target/spec-diff.md)
  spec migrate [--from v2026] [--spec-dir DIR] [--output FILE]
                           for every operation of each year version ([migration] from in
                           spec/pin.toml), its successor in the per-service API ([migration] to)
                           and what changes in its request and answer; a summary per version, the
                           detail per operation, and a Markdown report (target/spec-migrate.md)
  spec pin [--spec-dir DIR]
                           record the checksums of the spec folder (after an intentional upgrade)
  conformance [--spec-dir DIR]
                           call every operation against Prism serving the spec (needs Node.js;
                           installs Prism with npm ci in xtask/prism if needed), then run every
                           example program of the client against it
  mock [--spec-dir DIR] [--only v3,v2024] [--port 4010]
                           serve versions of the spec (the per-service API by default) with Prism on local ports
                           until Ctrl-C, to call the client without a tenant (any client id and
                           secret get a token)
  bench [--spec-dir DIR] [--quick] [--only services]
                           print the speed figures: codegen time and memory per version, compile
                           time of the client per feature, request overhead against raw reqwest,
                           decode throughput, streaming memory (--quick: few rounds, as CI runs it;
                           --only: the compile figures of those versions, no runtime benchmarks)
  ci                       run every CI check (fmt, clippy, tests, codegen --check, conformance,
                           quick benchmarks)
  help                     print this

the spec folder is --spec-dir DIR, else $ISC_SPEC_DIR, else target/spec-cache/<commit>/
(fetched on demand)";

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
    Bench(bench::Options),
    SpecFetch,
    SpecVerify { spec_dir: Option<PathBuf> },
    SpecPin { spec_dir: Option<PathBuf> },
    SpecDiff(diff_cmd::Options),
    SpecMigrate(migrate_cmd::Options),
    Ci,
    Help,
}

fn parse_args(args: &[String]) -> Result<Command> {
    let mut rest = args.iter().map(String::as_str);
    let command = match (rest.next(), args.get(1).map(String::as_str)) {
        (None | Some("help" | "-h" | "--help"), _) => return Ok(Command::Help),
        (Some("codegen"), _) => "codegen",
        (Some("ci"), _) => "ci",
        (Some("conformance"), _) => "conformance",
        (Some("mock"), _) => "mock",
        (Some("bench"), _) => "bench",
        (Some("spec"), Some(sub @ ("fetch" | "verify" | "pin" | "diff" | "migrate"))) => {
            rest.next();
            sub
        }
        (Some("spec"), other) => {
            bail!(
                "`spec` needs one of fetch, verify, pin, diff, migrate (got {})",
                other.unwrap_or("nothing")
            )
        }
        (Some(other), _) => bail!("unknown command `{other}`"),
    };
    let mut opts = codegen_cmd::Options::default();
    let mut quick = false;
    let mut port = None;
    let mut diff = diff_cmd::Options::default();
    let mut from = None;
    let mut flags: Vec<&str> = Vec::new();
    while let Some(arg) = rest.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg, None),
        };
        let mut value = |what: &str| -> Result<String> {
            match inline.clone().or_else(|| rest.next().map(str::to_string)) {
                Some(v) if !v.is_empty() => Ok(v),
                _ => bail!("{name} needs {what}"),
            }
        };
        match name {
            "--spec-dir" => opts.spec_dir = Some(PathBuf::from(value("a folder")?)),
            "--only" => {
                let list = value("a comma-separated list of versions")?;
                opts.only = Some(
                    list.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                );
            }
            "--check" => opts.check = true,
            "--port" => {
                let text = value("a port number")?;
                port =
                    Some(text.parse::<u16>().map_err(|_| {
                        anyhow::anyhow!("--port needs a port number (got `{text}`)")
                    })?);
            }
            "--quick" => quick = true,
            "--against" => diff.against = Some(PathBuf::from(value("a spec folder")?)),
            "--output" => diff.output = Some(PathBuf::from(value("a file")?)),
            "--versions" => {
                let list = value("two versions, old,new")?;
                let Some((old, new)) = list.split_once(',') else {
                    bail!("--versions needs two versions, old,new (got `{list}`)");
                };
                diff.versions = Some((old.trim().to_string(), new.trim().to_string()));
            }
            "--from" => from = Some(value("a year version")?),
            "--verbose" | "-v" => opts.verbose = true,
            other => bail!("unknown option `{other}` for `{command}`"),
        }
        flags.push(name);
    }
    let allowed: &[&str] = match command {
        "codegen" => &["--spec-dir", "--only", "--check", "--verbose", "-v"],
        "verify" | "pin" | "conformance" => &["--spec-dir"],
        "bench" => &["--spec-dir", "--quick", "--only"],
        "mock" => &["--spec-dir", "--only", "--port"],
        "diff" => &["--spec-dir", "--against", "--versions", "--output"],
        "migrate" => &["--spec-dir", "--from", "--output"],
        _ => &[],
    };
    if let Some(bad) = flags.iter().find(|f| !allowed.contains(f)) {
        bail!("option `{bad}` does not apply to `{command}`");
    }
    Ok(match command {
        "codegen" => Command::Codegen(opts),
        "ci" => Command::Ci,
        "conformance" => Command::Conformance(conformance::Options {
            spec_dir: opts.spec_dir,
        }),
        "mock" => Command::Mock(mock_cmd::Options {
            spec_dir: opts.spec_dir,
            only: opts.only,
            port,
        }),
        "bench" => Command::Bench(bench::Options {
            spec_dir: opts.spec_dir,
            quick,
            only: opts.only,
        }),
        "diff" => {
            if diff.against.is_some() == diff.versions.is_some() {
                bail!("`spec diff` needs either --against DIR or --versions OLD,NEW");
            }
            Command::SpecDiff(diff_cmd::Options {
                spec_dir: opts.spec_dir,
                ..diff
            })
        }
        "migrate" => Command::SpecMigrate(migrate_cmd::Options {
            spec_dir: opts.spec_dir,
            from,
            output: diff.output,
        }),
        "fetch" => Command::SpecFetch,
        "verify" => Command::SpecVerify {
            spec_dir: opts.spec_dir,
        },
        _ => Command::SpecPin {
            spec_dir: opts.spec_dir,
        },
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ws = Workspace::locate();
    let command = match parse_args(&args) {
        Ok(command) => command,
        Err(e) => {
            eprintln!("error: {e:#}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match command {
        Command::Help => {
            println!("{USAGE}");
            Ok(())
        }
        Command::Codegen(opts) => codegen_cmd::run(&ws, &opts),
        Command::SpecFetch => spec_cmd::fetch(&ws),
        Command::SpecVerify { spec_dir } => spec_cmd::verify(&ws, spec_dir.as_deref()),
        Command::SpecPin { spec_dir } => spec_cmd::pin(&ws, spec_dir.as_deref()),
        Command::SpecDiff(opts) => diff_cmd::run(&ws, &opts),
        Command::SpecMigrate(opts) => migrate_cmd::run(&ws, &opts),
        Command::Conformance(opts) => conformance::run(&ws, &opts),
        Command::Mock(opts) => mock_cmd::run(&ws, &opts),
        Command::Bench(opts) => bench::run(&ws, &opts),
        Command::Ci => ci::run(&ws),
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

    fn parse(args: &[&str]) -> Result<Command> {
        parse_args(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn parses_commands() {
        assert_eq!(parse(&[]).unwrap(), Command::Help);
        assert_eq!(parse(&["ci"]).unwrap(), Command::Ci);
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
