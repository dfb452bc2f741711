//! `cargo xtask validate-examples`: the claims of the `[[example]]` entries in
//! `spec/known-spec-bugs.toml` ("this example does not fit its own schema") checked by a
//! validator nobody here wrote, openapi-schema-validator's `OAS30Validator` (Python). The
//! client's test (`generated-client/tests/spec_examples.rs`) excuses every listed failure; without
//! this check a bug of the client could be listed as the spec's and nobody would notice.
//!
//! Per version, the document the client is generated from (overlays applied) is written to
//! `target/validate-examples/<version>.json`, and `xtask/validator/validate_examples.py` checks
//! every example of it against its schema, in a venv (`target/validate-examples/venv`) installed
//! from the hashed pins of `xtask/validator/requirements.txt`. Every listed (version, location)
//! must then be in the document and invalid, with the entry's `validator` text in the
//! validator's message.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::Workspace;
use crate::inputs::prepare_spec_dir;
use crate::pin::{Pin, Version};

/// The list of spec bugs, relative to the workspace root.
const KNOWN_BUGS: &str = "spec/known-spec-bugs.toml";

/// The kind of entry this command confirms.
const KIND: &str = "example";

/// Names the Python the venv is created with, when `python3` is not the one to use.
const PYTHON_VAR: &str = "ISC_PYTHON";

/// Longest validator message printed whole; longer ones (they quote the example) are cut in
/// the middle, since the type or format the message names is at its end.
const SHOWN_MESSAGE: usize = 200;

#[derive(Debug, Default, PartialEq, clap::Args)]
pub struct Options {
    /// The spec folder (a checkout of sailpoint-oss/api-specs); else $ISC_SPEC_DIR, else
    /// target/spec-cache/<commit>/ (fetched on demand)
    #[arg(long, value_name = "DIR", value_parser = crate::specdir::folder_arg)]
    pub spec_dir: Option<PathBuf>,
    /// Only these versions (names of spec/pin.toml's [[version]]s, comma-separated)
    #[arg(long, value_name = "v3,v2024", value_delimiter = ',', value_parser = crate::specdir::name_arg)]
    pub only: Option<Vec<String>>,
    /// Also print every example the validator finds invalid that is not listed
    #[arg(short, long)]
    pub verbose: bool,
}

pub fn run(ws: &Workspace, opts: &Options) -> Result<()> {
    let pin = Pin::load(&ws.pin_file())?;
    // The list first: a malformed entry should not wait for the venv and the documents.
    let known_bugs = ws.root.join(KNOWN_BUGS);
    let text = fs::read_to_string(&known_bugs)
        .with_context(|| format!("cannot read {}", known_bugs.display()))?;
    let listed = parse_listed(&text).with_context(|| format!("{KNOWN_BUGS} is not valid"))?;
    let spec = prepare_spec_dir(ws, &pin, opts.spec_dir.as_deref())?;
    let versions = pin.select(opts.only.as_deref())?;
    let out = ws.root.join("target").join("validate-examples");
    fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let python = ensure_venv(ws, &out)?;
    let script = ws
        .root
        .join("xtask")
        .join("validator")
        .join("validate_examples.py");

    // Each version's validator runs while the next version's document is built.
    let started = Instant::now();
    let mut running: Vec<(&Version, Child, PathBuf)> = Vec::new();
    for version in &versions {
        let built = Instant::now();
        let document = crate::mock::document(ws, &pin, &spec, version)?;
        let file = out.join(format!("{}.json", version.name));
        fs::write(&file, serde_json::to_string(&document)?)
            .with_context(|| format!("cannot write {}", file.display()))?;
        println!(
            "{}: document written to {} in {:.1} s",
            version.name,
            file.display(),
            built.elapsed().as_secs_f64()
        );
        let results = out.join(format!("{}.results.json", version.name));
        // A previous run's results must not pass for this one's if the validator writes none.
        let _ = fs::remove_file(&results);
        let child = isolated(&python)
            .arg(&script)
            .arg(&file)
            .arg("--output")
            .arg(&results)
            .stdin(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot run {}", python.display()))?;
        running.push((version, child, results));
    }

    let pinned: BTreeSet<&str> = pin.versions.iter().map(|v| v.name.as_str()).collect();
    let mut problems: Vec<String> = listed
        .iter()
        .filter(|entry| !pinned.contains(entry.version.as_str()))
        .map(|entry| {
            format!(
                "{} {}: `{}` is not a version in spec/pin.toml",
                entry.version, entry.location, entry.version
            )
        })
        .collect();
    let mut failed_runs = Vec::new();
    let mut all_agree = true;
    for (i, (version, mut child, results)) in running.into_iter().enumerate() {
        let status = child.wait()?;
        if !status.success() {
            failed_runs.push(format!("{}: the validator failed ({status})", version.name));
            continue;
        }
        let text = fs::read_to_string(&results)
            .with_context(|| format!("cannot read {}", results.display()))?;
        let results: Results = serde_json::from_str(&text)
            .with_context(|| format!("{} is not the validator's output", results.display()))?;
        let mine: Vec<&Listed> = listed
            .iter()
            .filter(|entry| entry.version == version.name)
            .collect();
        let verdicts = judge(&mine, &results.examples);
        if i == 0 {
            println!("validator: {}", results.validator);
        }
        report(version, &results, &verdicts, opts.verbose);
        all_agree &= agrees_with_client_test(ws, version, &results.examples);
        problems.extend(
            verdicts
                .iter()
                .filter_map(|(entry, verdict)| verdict.problem(entry)),
        );
    }
    println!(
        "validated {} version(s) in {:.1} s",
        versions.len(),
        started.elapsed().as_secs_f64()
    );
    if all_agree && failed_runs.is_empty() {
        println!(
            "the examples validated are those the client's example test checks \
             (generated-client/tests/spec_examples/<module>/mod.rs), location for location"
        );
    }
    if !failed_runs.is_empty() {
        bail!("{}", failed_runs.join("\n"));
    }
    if !problems.is_empty() {
        bail!(
            "{} listed [[example]] location(s) in {KNOWN_BUGS} are not confirmed by the \
             independent validator:\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The venv
// ---------------------------------------------------------------------------------------------

/// The venv's Python, after creating the venv if there is none or its stamp (the sha256 of the
/// requirements it was installed from) differs: a changed pin gets a new venv, an unchanged one
/// costs nothing.
fn ensure_venv(ws: &Workspace, out: &Path) -> Result<PathBuf> {
    let requirements = ws
        .root
        .join("xtask")
        .join("validator")
        .join("requirements.txt");
    let hash = crate::verify::hash_file(&requirements)
        .with_context(|| format!("cannot read {}", requirements.display()))?;
    let venv = out.join("venv");
    let python = venv_python(&venv);
    let stamp = venv.join("requirements.sha256");
    if python.is_file() && fs::read_to_string(&stamp).is_ok_and(|text| text.trim() == hash) {
        println!("validator venv: {} (up to date)", venv.display());
        return Ok(python);
    }
    let started = Instant::now();
    if venv.exists() {
        fs::remove_dir_all(&venv).with_context(|| format!("cannot remove {}", venv.display()))?;
    }
    let system_python = std::env::var(PYTHON_VAR).unwrap_or_else(|_| "python3".to_owned());
    let status = Command::new(&system_python)
        .args(["-m", "venv"])
        .arg(&venv)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => anyhow::anyhow!(
                "`{system_python}` was not found: the independent validator needs Python 3 \
                 with its venv module (Debian: apt-get install python3 python3-venv), or \
                 {PYTHON_VAR} naming a Python 3 interpreter"
            ),
            _ => anyhow::Error::new(e).context(format!("cannot run `{system_python}`")),
        })?;
    if !status.success() {
        bail!(
            "`{system_python} -m venv {}` failed ({status}); on Debian the venv module is the \
             package python3-venv",
            venv.display()
        );
    }
    let status = isolated(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--require-hashes",
            "-r",
        ])
        .arg(&requirements)
        .stdin(Stdio::null())
        .status()
        .with_context(|| format!("cannot run {}", python.display()))?;
    if !status.success() {
        bail!(
            "pip could not install {} into {} ({status})",
            requirements.display(),
            venv.display()
        );
    }
    // Last, so that an interrupted install is redone next time.
    fs::write(&stamp, format!("{hash}\n"))
        .with_context(|| format!("cannot write {}", stamp.display()))?;
    println!(
        "validator venv: {} created from {} in {:.1} s",
        venv.display(),
        requirements.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(python)
}

/// The venv's Python, blind to packages a `PYTHONPATH` of the caller's would put before the
/// pinned ones.
fn isolated(python: &Path) -> Command {
    let mut cmd = Command::new(python);
    cmd.env_remove("PYTHONPATH").env_remove("PYTHONHOME");
    cmd
}

fn venv_python(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}

// ---------------------------------------------------------------------------------------------
// The listed entries and the validator's results
// ---------------------------------------------------------------------------------------------

/// One (version, location) of an `[[example]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub version: String,
    pub location: String,
    /// What the validator's message must contain.
    pub validator: String,
}

/// The `[[example]]` entries of `spec/known-spec-bugs.toml`, one per version and location, read
/// by the rules of the client's test (`generated-client/tests/known_spec_bugs/mod.rs`): each
/// names `version` or a non-empty `versions`, `location` or a non-empty `locations`, a
/// `reason`; and here also `validator`: a string that stands for every location, or a list
/// parallel to `locations`.
pub fn parse_listed(text: &str) -> Result<Vec<Listed>> {
    let value: toml::Value = toml::from_str(text)?;
    let mut listed = Vec::new();
    let mut seen = BTreeSet::new();
    let entries = value.get(KIND).and_then(toml::Value::as_array);
    for entry in entries.into_iter().flatten() {
        let versions = names(entry, "version", "versions")?;
        let locations = names(entry, "location", "locations")?;
        let has_reason = entry
            .get("reason")
            .and_then(toml::Value::as_str)
            .is_some_and(|reason| !reason.trim().is_empty());
        if !has_reason {
            bail!("every [[{KIND}]] gives a reason: {entry}");
        }
        let validator = validator_texts(entry, locations.len())?;
        for version in &versions {
            for (location, validator) in locations.iter().zip(&validator) {
                if !seen.insert((version.clone(), location.clone())) {
                    bail!("{version} {location} is listed twice");
                }
                listed.push(Listed {
                    version: version.clone(),
                    location: location.clone(),
                    validator: validator.clone(),
                });
            }
        }
    }
    Ok(listed)
}

/// `one` or a non-empty list `many`, not both, not neither.
fn names(entry: &toml::Value, one: &str, many: &str) -> Result<Vec<String>> {
    let list = match (entry.get(one), entry.get(many)) {
        (Some(single), None) => vec![single.clone()],
        (None, Some(toml::Value::Array(list))) if !list.is_empty() => list.clone(),
        _ => bail!("a [[{KIND}]] needs `{one}` or a non-empty `{many}`: {entry}"),
    };
    list.iter()
        .map(|item| match item.as_str() {
            Some(name) => Ok(name.to_owned()),
            None => bail!("`{many}` are strings: {entry}"),
        })
        .collect()
}

/// The `validator` text of each of an entry's `locations` locations.
fn validator_texts(entry: &toml::Value, locations: usize) -> Result<Vec<String>> {
    let texts = match entry.get("validator") {
        Some(toml::Value::String(text)) => vec![text.clone(); locations],
        Some(toml::Value::Array(list)) if list.len() == locations => list
            .iter()
            .map(|item| item.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .with_context(|| format!("`validator` is a string or a list of strings: {entry}"))?,
        Some(toml::Value::Array(_)) => {
            bail!("a `validator` list has one text per location ({locations}): {entry}")
        }
        _ => bail!(
            "every [[{KIND}]] gives `validator`, what the independent validator \
             (`cargo xtask validate-examples`) says about it: {entry}"
        ),
    };
    if texts.iter().any(|text| text.trim().is_empty()) {
        bail!("a `validator` text is empty: {entry}");
    }
    Ok(texts)
}

/// What `validate_examples.py` writes for one document.
#[derive(Debug, Deserialize)]
struct Results {
    /// The validator's name and version.
    validator: String,
    examples: Vec<Checked>,
    /// How long the validation took.
    #[serde(default)]
    seconds: Option<f64>,
}

/// One example as the validator found it.
#[derive(Debug, Clone, Deserialize)]
pub struct Checked {
    pub location: String,
    pub status: Status,
    #[serde(default)]
    pub message: Option<String>,
    /// The JSON path of the error in the example (`$[0].self`).
    #[serde(default)]
    pub path: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Valid,
    Invalid,
    /// Not checked (a reference that does not resolve, say); the message says why.
    Error,
}

/// What became of one listed location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Invalid, and the message holds the listed text.
    Confirmed { message: String, path: String },
    /// Invalid, but for another reason than the one listed.
    Mismatch { message: String, path: String },
    /// Valid: the example fits its schema, so the client's failure on it is the client's.
    Valid,
    /// The validator could not check it.
    NotChecked { message: String },
    /// No example has this location in the document.
    Missing,
}

impl Verdict {
    /// The line to fail with, unless confirmed.
    fn problem(&self, entry: &Listed) -> Option<String> {
        let at = format!("{} {}", entry.version, entry.location);
        match self {
            Verdict::Confirmed { .. } => None,
            Verdict::Mismatch { message, path } => Some(format!(
                "{at}: the validator says `{path}: {}`, which does not contain the listed \
                 `validator` text `{}` (a second problem in the example, or another one than \
                 listed: check it and correct the entry)",
                shorten(message),
                entry.validator
            )),
            Verdict::Valid => Some(format!(
                "{at}: VALID per the validator: the example fits its schema, so the client's \
                 failure on it is not the spec's fault (fix the client, then remove the entry)"
            )),
            Verdict::NotChecked { message } => Some(format!(
                "{at}: the validator could not check it: {}",
                shorten(message)
            )),
            Verdict::Missing => Some(format!(
                "{at}: no such example in the document (the spec or the labels changed: \
                 correct or remove the entry)"
            )),
        }
    }
}

/// The verdict on each listed location of one version. A location found more than once (which
/// the generator's unique operation names rule out) counts as invalid if any of them is.
pub fn judge<'a>(listed: &[&'a Listed], examples: &[Checked]) -> Vec<(&'a Listed, Verdict)> {
    let mut by_location: BTreeMap<&str, &Checked> = BTreeMap::new();
    for checked in examples {
        let keep = by_location
            .get(checked.location.as_str())
            .is_none_or(|earlier| earlier.status == Status::Valid);
        if keep {
            by_location.insert(&checked.location, checked);
        }
    }
    listed
        .iter()
        .map(|entry| {
            let verdict = match by_location.get(entry.location.as_str()) {
                None => Verdict::Missing,
                Some(checked) => {
                    let message = checked.message.clone().unwrap_or_default();
                    let path = checked.path.clone().unwrap_or_else(|| "$".to_owned());
                    match checked.status {
                        Status::Valid => Verdict::Valid,
                        Status::Error => Verdict::NotChecked { message },
                        Status::Invalid if message.contains(&entry.validator) => {
                            Verdict::Confirmed { message, path }
                        }
                        Status::Invalid => Verdict::Mismatch { message, path },
                    }
                }
            };
            (*entry, verdict)
        })
        .collect()
}

/// `independent validator (v3): 311 examples, 62 invalid; 21 listed [[example]] locations,
/// all confirmed`, then the validator's message for each listed location (and, verbose, for
/// every other invalid example).
fn report(version: &Version, results: &Results, verdicts: &[(&Listed, Verdict)], verbose: bool) {
    let count = |status| {
        results
            .examples
            .iter()
            .filter(|c| c.status == status)
            .count()
    };
    let not_checked = count(Status::Error);
    let confirmed = verdicts
        .iter()
        .filter(|(_, v)| matches!(v, Verdict::Confirmed { .. }))
        .count();
    let outcome = if confirmed == verdicts.len() {
        "all confirmed".to_owned()
    } else {
        format!("{} NOT confirmed", verdicts.len() - confirmed)
    };
    println!(
        "independent validator ({}): {} examples, {} invalid{}; {} listed [[example]] \
         locations, {outcome}{}",
        version.name,
        results.examples.len(),
        count(Status::Invalid),
        if not_checked > 0 {
            format!(", {not_checked} not checked")
        } else {
            String::new()
        },
        verdicts.len(),
        results
            .seconds
            .map(|s| format!(" ({s:.1} s)"))
            .unwrap_or_default(),
    );
    for (entry, verdict) in verdicts {
        let (word, detail) = match verdict {
            Verdict::Confirmed { message, path } => {
                ("confirmed", format!("{path}: {}", shorten(message)))
            }
            Verdict::Mismatch { message, path } => (
                "MISMATCH",
                format!(
                    "{path}: {} (listed: `{}`)",
                    shorten(message),
                    entry.validator
                ),
            ),
            Verdict::Valid => ("VALID", "the example fits its schema".to_owned()),
            Verdict::NotChecked { message } => ("UNCHECKED", shorten(message)),
            Verdict::Missing => ("MISSING", "no such example in the document".to_owned()),
        };
        println!("  {word:<9} {}  {detail}", entry.location);
    }
    let listed: BTreeSet<&str> = verdicts.iter().map(|(e, _)| e.location.as_str()).collect();
    let unlisted: Vec<&Checked> = results
        .examples
        .iter()
        .filter(|c| c.status != Status::Valid && !listed.contains(c.location.as_str()))
        .collect();
    if verbose {
        for checked in unlisted {
            println!(
                "  unlisted  {}  {}: {}",
                checked.location,
                checked.path.as_deref().unwrap_or("$"),
                shorten(checked.message.as_deref().unwrap_or_default())
            );
        }
    } else if !unlisted.is_empty() {
        println!(
            "  ({} other examples are invalid per the validator, yet the client's example test \
             round-trips them: the client is lenient where the spec is loose; --verbose lists \
             them)",
            unlisted.len()
        );
    }
}

/// `message`, cut in the middle when long: the validator quotes the whole example first.
fn shorten(message: &str) -> String {
    let message = message.replace('\n', "\\n");
    let chars: Vec<char> = message.chars().collect();
    if chars.len() <= SHOWN_MESSAGE {
        return message;
    }
    let half = SHOWN_MESSAGE / 2;
    let head: String = chars[..half].iter().collect();
    let tail: String = chars[chars.len() - half..].iter().collect();
    format!("{head} ... {tail}")
}

// ---------------------------------------------------------------------------------------------
// The client's test data, compared
// ---------------------------------------------------------------------------------------------

/// Whether the examples the validator found are those the client's test checks
/// (`generated-client/tests/spec_examples/<module>/mod.rs`), saying so when not: the two
/// enumerate the spec separately, and a listed location only names the same example in both if
/// they agree. Only a note, since the test data may be older than the spec's document (being
/// regenerated); the listed locations are checked whatever it holds.
fn agrees_with_client_test(ws: &Workspace, version: &Version, examples: &[Checked]) -> bool {
    let file = ws
        .client_tests()
        .join("spec_examples")
        .join(&version.module)
        .join("mod.rs");
    let Ok(text) = fs::read_to_string(&file) else {
        println!("  note: no {}: cannot compare", file.display());
        return false;
    };
    let tested: BTreeSet<String> = test_locations(&text).into_iter().collect();
    let found: BTreeSet<String> = examples.iter().map(|c| c.location.clone()).collect();
    let only_tested: Vec<&String> = tested.difference(&found).collect();
    let only_found: Vec<&String> = found.difference(&tested).collect();
    if only_tested.is_empty() && only_found.is_empty() {
        return true;
    }
    let first = |list: &[&String]| {
        list.iter()
            .take(3)
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "  note: {} examples of the client's test ({}) are not in the document (first: {}); \
         {} of the document are not in the test (first: {})",
        only_tested.len(),
        file.strip_prefix(&ws.root).unwrap_or(&file).display(),
        first(&only_tested),
        only_found.len(),
        first(&only_found)
    );
    false
}

/// The `location: "..."` strings of the `CASES` of a generated test data file (not its samples
/// and triggers, which are made up, not the spec's examples).
fn test_locations(text: &str) -> Vec<String> {
    let cases = match (text.find("static CASES"), text.find("static SAMPLES")) {
        (Some(start), Some(end)) if start < end => &text[start..end],
        (Some(start), _) => &text[start..],
        _ => return Vec::new(),
    };
    cases
        .lines()
        .filter_map(|line| line.trim().strip_prefix("location: "))
        .filter_map(|literal| {
            // A Rust string literal of printable text reads as a JSON string.
            serde_json::from_str::<String>(literal.trim_end_matches(',')).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTRIES: &str = r#"
[[example]]
versions = ["v3", "v2024"]
locations = ["components/schemas/LogLevelSpec", "getThing response 200 example"]
reason = "a map, the example is a string"
validator = "is not of type 'object'"

[[example]]
version = "beta"
location = "listThings response 200 examples/Slim"
reason = "required members missing"
validator = ["is a required property"]

[[example]]
version = "beta"
locations = ["a request body example", "b response 200 example"]
reason = "two messages"
validator = ["is not of type 'array'", "is not a 'date-time'"]

[[conformance]]
version = "v3"
location = "notAnExample"
reason = "another kind, no validator needed"
"#;

    fn listed(version: &str, location: &str, validator: &str) -> Listed {
        Listed {
            version: version.into(),
            location: location.into(),
            validator: validator.into(),
        }
    }

    fn checked(location: &str, status: Status, message: Option<&str>) -> Checked {
        Checked {
            location: location.into(),
            status,
            message: message.map(str::to_owned),
            path: message.map(|_| "$.logLevels".to_owned()),
        }
    }

    #[test]
    fn entries_stand_for_every_version_and_location() {
        let all = parse_listed(ENTRIES).unwrap();
        assert_eq!(all.len(), 7);
        assert_eq!(
            all[0],
            listed(
                "v3",
                "components/schemas/LogLevelSpec",
                "is not of type 'object'"
            )
        );
        assert_eq!(
            all[3],
            listed(
                "v2024",
                "getThing response 200 example",
                "is not of type 'object'"
            )
        );
        assert_eq!(
            all[4],
            listed(
                "beta",
                "listThings response 200 examples/Slim",
                "is a required property"
            )
        );
        // A list is parallel to the locations.
        assert_eq!(all[5].validator, "is not of type 'array'");
        assert_eq!(all[6].validator, "is not a 'date-time'");
        assert!(all.iter().all(|l| l.location != "notAnExample"));
    }

    #[test]
    fn malformed_entries_are_refused() {
        let entry = |body: &str| parse_listed(&format!("[[example]]\n{body}"));
        let good = "version = \"v3\"\nlocation = \"x\"\nreason = \"r\"\n";
        assert!(entry(&format!("{good}validator = \"v\"")).is_ok());
        let no_validator = entry(good).unwrap_err().to_string();
        assert!(no_validator.contains("validator"), "{no_validator}");
        assert!(entry(&format!("{good}validator = \"  \"")).is_err());
        assert!(entry(&format!("{good}validator = [\"a\", \"b\"]")).is_err());
        assert!(entry(&format!("{good}validator = 3")).is_err());
        assert!(entry("location = \"x\"\nreason = \"r\"\nvalidator = \"v\"").is_err());
        assert!(entry("version = \"v3\"\nreason = \"r\"\nvalidator = \"v\"").is_err());
        assert!(
            entry("versions = []\nlocation = \"x\"\nreason = \"r\"\nvalidator = \"v\"").is_err()
        );
        assert!(entry("version = \"v3\"\nlocation = \"x\"\nvalidator = \"v\"").is_err());
        assert!(
            entry("version = \"v3\"\nversions = [\"v3\"]\nlocation = \"x\"\nreason = \"r\"\nvalidator = \"v\"")
                .is_err()
        );
        let twice = format!("[[example]]\n{good}validator = \"v\"\n").repeat(2);
        assert!(
            parse_listed(&twice)
                .unwrap_err()
                .to_string()
                .contains("twice")
        );
        assert!(parse_listed("[[example]\n").is_err());
        assert!(parse_listed("").unwrap().is_empty());
    }

    #[test]
    fn a_listed_example_the_validator_rejects_as_listed_is_confirmed() {
        let entry = listed(
            "v3",
            "components/schemas/LogLevelSpec",
            "not of type 'object'",
        );
        let examples = [
            checked("components/schemas/Other", Status::Valid, None),
            checked(
                "components/schemas/LogLevelSpec",
                Status::Invalid,
                Some("'INFO' is not of type 'object'"),
            ),
        ];
        let verdicts = judge(&[&entry], &examples);
        assert_eq!(
            verdicts[0].1,
            Verdict::Confirmed {
                message: "'INFO' is not of type 'object'".into(),
                path: "$.logLevels".into()
            }
        );
        assert_eq!(verdicts[0].1.problem(&entry), None);
    }

    #[test]
    fn a_listed_example_the_validator_accepts_fails() {
        let entry = listed("v3", "getThing response 200 example", "is not of type");
        let verdicts = judge(
            &[&entry],
            &[checked(
                "getThing response 200 example",
                Status::Valid,
                None,
            )],
        );
        assert_eq!(verdicts[0].1, Verdict::Valid);
        let problem = verdicts[0].1.problem(&entry).unwrap();
        assert!(problem.starts_with("v3 getThing response 200 example: VALID"));
    }

    #[test]
    fn a_listed_location_missing_from_the_document_fails() {
        let entry = listed("v3", "getThing response 200 examples/gone", "x");
        let verdicts = judge(
            &[&entry],
            &[checked(
                "getThing response 200 example",
                Status::Invalid,
                Some("x"),
            )],
        );
        assert_eq!(verdicts[0].1, Verdict::Missing);
        assert!(
            verdicts[0]
                .1
                .problem(&entry)
                .unwrap()
                .contains("no such example")
        );
    }

    #[test]
    fn a_message_without_the_listed_text_fails() {
        let entry = listed("v3", "a request body example", "is not a 'date-time'");
        let verdicts = judge(
            &[&entry],
            &[checked(
                "a request body example",
                Status::Invalid,
                Some("'name' is a required property"),
            )],
        );
        assert!(matches!(verdicts[0].1, Verdict::Mismatch { .. }));
        let problem = verdicts[0].1.problem(&entry).unwrap();
        assert!(
            problem.contains("'name' is a required property")
                && problem.contains("is not a 'date-time'"),
            "{problem}"
        );
    }

    #[test]
    fn an_example_the_validator_could_not_check_fails() {
        let entry = listed("v3", "a request body example", "anything");
        let verdicts = judge(
            &[&entry],
            &[checked(
                "a request body example",
                Status::Error,
                Some("Unresolvable: #/components/schemas/Gone"),
            )],
        );
        assert!(matches!(verdicts[0].1, Verdict::NotChecked { .. }));
        assert!(verdicts[0].1.problem(&entry).is_some());
    }

    #[test]
    fn an_invalid_occurrence_wins_over_a_valid_one() {
        let entry = listed("v3", "dup response 200 example", "bad");
        let examples = [
            checked("dup response 200 example", Status::Valid, None),
            checked("dup response 200 example", Status::Invalid, Some("bad")),
            checked("dup response 200 example", Status::Valid, None),
        ];
        assert!(matches!(
            judge(&[&entry], &examples)[0].1,
            Verdict::Confirmed { .. }
        ));
    }

    #[test]
    fn results_of_the_script_parse() {
        let results: Results = serde_json::from_str(
            r##"{"document": "v3.json", "validator": "openapi-schema-validator 0.9.0", "seconds": 0.5,
                "examples": [
                  {"location": "a", "schema": "#/x", "status": "valid"},
                  {"location": "b", "schema": null, "status": "invalid", "message": "m", "path": "$[0]", "errors": 2},
                  {"location": "c", "schema": "#/y", "status": "error", "message": "why"}]}"##,
        )
        .unwrap();
        assert_eq!(results.examples.len(), 3);
        assert_eq!(results.examples[1].status, Status::Invalid);
        assert_eq!(results.examples[1].path.as_deref(), Some("$[0]"));
        assert_eq!(results.examples[2].status, Status::Error);
    }

    #[test]
    fn long_messages_are_cut_in_the_middle() {
        assert_eq!(shorten("short"), "short");
        let long = format!("{{{}}} is not of type 'array'", "é".repeat(500));
        let short = shorten(&long);
        assert!(short.ends_with("is not of type 'array'") && short.starts_with('{'));
        assert!(short.chars().count() < 220);
        assert_eq!(shorten("a\nb"), "a\\nb");
    }

    #[test]
    fn test_data_locations_are_those_of_the_cases() {
        let text = r#"
pub static CASES: &[super::Case] = &[
    super::Case {
        location: "components/schemas/Tags",
        json: "[\"TAG_1\"]",
        check: super::round_trip::<Vec<String>>,
    },
    super::Case {
        location: "listThings response 200 examples/with \"quotes\"",
        json: "{}",
        check: super::round_trip::<isc::v3::models::Thing>,
    },
];
pub static SAMPLES: &[super::Case] = &[super::Case {
    location: "components/schemas/Tags sample",
    json: "[]",
    check: super::round_trip::<Vec<String>>,
}];
"#;
        assert_eq!(
            test_locations(text),
            vec![
                "components/schemas/Tags".to_owned(),
                "listThings response 200 examples/with \"quotes\"".to_owned()
            ]
        );
        assert!(test_locations("nothing here").is_empty());
    }

    /// The real list parses, and every `[[example]]` entry says what the validator says.
    #[test]
    fn the_known_spec_bugs_list_parses() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(KNOWN_BUGS);
        let text = fs::read_to_string(&path).unwrap();
        let listed = parse_listed(&text).unwrap();
        assert!(!listed.is_empty());
    }
}
