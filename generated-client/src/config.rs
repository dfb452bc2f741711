//! Configuration from the environment and files, as the official SailPoint SDKs read it.
//!
//! Sources, in this order; the first one that is present is used, and it must be complete:
//!
//! 1. Environment variables `SAIL_BASE_URL`, `SAIL_CLIENT_ID`, `SAIL_CLIENT_SECRET` (present
//!    when at least one of them is set to a non-empty value).
//! 2. `config.json` in the working directory: `{"BaseURL": .., "ClientId": .., "ClientSecret": ..}`
//!    (keys matched case-insensitively, as the Go SDK does; present when the file exists and has
//!    at least one of these keys, so an unrelated `config.json` is ignored).
//! 3. The SailPoint CLI's `~/.sailpoint/config.yaml`: the environment named by
//!    `activeenvironment`, from `environments.<name>` its `baseurl` and `pat.clientid`,
//!    `pat.clientsecret` (the layout the Go SDK reads; keys matched case-insensitively). Newer CLI
//!    versions may keep the secret in the system keyring instead; then this source is incomplete.
//!
//! A present but incomplete source is an error that names what is missing and where; nothing
//! found is an error that lists the three places looked at. Errors never contain a secret.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use yaml_rust2::{Yaml, YamlLoader};

use crate::client::{Client, ClientBuilder};
use crate::runtime::{Error, SecretString};

const ENV_BASE_URL: &str = "SAIL_BASE_URL";
const ENV_CLIENT_ID: &str = "SAIL_CLIENT_ID";
const ENV_CLIENT_SECRET: &str = "SAIL_CLIENT_SECRET";

/// Where a [`Config`] was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigSource {
    /// `SAIL_BASE_URL`, `SAIL_CLIENT_ID`, `SAIL_CLIENT_SECRET`.
    Environment,
    /// A `config.json` file.
    ConfigJson(PathBuf),
    /// The SailPoint CLI's `config.yaml`, with the name of the active environment.
    CliConfig {
        /// The file.
        path: PathBuf,
        /// The active environment's name.
        environment: String,
    },
}

impl fmt::Display for ConfigSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigSource::Environment => f.write_str("environment variables"),
            ConfigSource::ConfigJson(path) => write!(f, "{}", path.display()),
            ConfigSource::CliConfig { path, environment } => {
                write!(f, "{} (environment {environment:?})", path.display())
            }
        }
    }
}

/// Base URL and client credentials, loaded with [`Config::load`]. `Debug` hides the secret.
#[derive(Clone)]
pub struct Config {
    base_url: String,
    client_id: String,
    client_secret: SecretString,
    source: ConfigSource,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("source", &self.source)
            .finish()
    }
}

impl Config {
    /// Loads the configuration from the process environment, `config.json` in the current
    /// directory and `~/.sailpoint/config.yaml` (home from `HOME`, else `USERPROFILE`).
    pub fn load() -> Result<Config, Error> {
        let env: HashMap<String, String> = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        let cwd = std::env::current_dir()
            .map_err(|e| Error::Config(format!("cannot determine the working directory: {e}")))?;
        let home = ["HOME", "USERPROFILE"]
            .iter()
            .find_map(|k| env.get(*k).filter(|v| !v.is_empty()))
            .map(PathBuf::from);
        Config::load_from(&env, &cwd, home.as_deref())
    }

    /// Like [`load`](Self::load), over the given environment variables, working directory and
    /// home directory (`None`: the CLI file is not looked for). Pure apart from reading files.
    pub fn load_from(
        env: &HashMap<String, String>,
        working_dir: &Path,
        home_dir: Option<&Path>,
    ) -> Result<Config, Error> {
        if let Some(config) = from_env(env)? {
            return Ok(config);
        }
        let json_path = working_dir.join("config.json");
        let json_state = match from_config_json(&json_path)? {
            Found::Yes(config) => return Ok(config),
            Found::No(why) => why,
        };
        let cli_path = home_dir.map(|h| h.join(".sailpoint").join("config.yaml"));
        let cli_state = match &cli_path {
            Some(path) => match from_cli_yaml(path)? {
                Found::Yes(config) => return Ok(config),
                Found::No(why) => format!("{} ({why})", path.display()),
            },
            None => "~/.sailpoint/config.yaml (no home directory: HOME is not set)".to_owned(),
        };
        Err(Error::Config(format!(
            "no SailPoint configuration found; looked at: environment variables \
             {ENV_BASE_URL}, {ENV_CLIENT_ID}, {ENV_CLIENT_SECRET} (none set); {} ({json_state}); \
             {cli_state}",
            json_path.display()
        )))
    }

    /// The API base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The OAuth client ID.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// Where the configuration came from.
    pub fn source(&self) -> &ConfigSource {
        &self.source
    }

    /// A builder with this base URL and client credentials.
    pub fn builder(&self) -> ClientBuilder {
        Client::builder()
            .base_url(&self.base_url)
            .client_credentials(self.client_id.clone(), self.client_secret.expose())
    }
}

impl ClientBuilder {
    /// A builder configured by [`Config::load`] (environment, `config.json`, CLI config).
    pub fn from_env() -> Result<ClientBuilder, Error> {
        Ok(Config::load()?.builder())
    }
}

impl Client {
    /// A client configured by [`Config::load`] (environment, `config.json`, CLI config).
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }
}

enum Found {
    Yes(Config),
    /// Not present, and why (for the "nothing found" message).
    No(String),
}

/// Names `missing` and `present` fields: "X is not set (Y and Z are)".
fn incomplete(fields: &[(&str, bool)], not_set: &str, set_one: &str, set_many: &str) -> String {
    let missing: Vec<&str> = fields.iter().filter(|f| !f.1).map(|f| f.0).collect();
    let present: Vec<&str> = fields.iter().filter(|f| f.1).map(|f| f.0).collect();
    let verb = if missing.len() == 1 { "is" } else { "are" };
    let set = if present.len() == 1 {
        set_one
    } else {
        set_many
    };
    let mut out = format!("{} {verb} {not_set}", join_and(&missing));
    if !present.is_empty() {
        out.push_str(&format!(" ({} {set})", join_and(&present)));
    }
    out
}

/// `a`, `a and b`, `a, b and c`.
fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn from_env(env: &HashMap<String, String>) -> Result<Option<Config>, Error> {
    let get = |k: &str| env.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    match (
        get(ENV_BASE_URL),
        get(ENV_CLIENT_ID),
        get(ENV_CLIENT_SECRET),
    ) {
        (None, None, None) => Ok(None),
        (Some(base_url), Some(client_id), Some(secret)) => Ok(Some(Config {
            base_url: base_url.to_owned(),
            client_id: client_id.to_owned(),
            client_secret: SecretString::new(secret.to_owned()),
            source: ConfigSource::Environment,
        })),
        (b, i, s) => Err(Error::Config(format!(
            "incomplete environment configuration: {}",
            incomplete(
                &[
                    (ENV_BASE_URL, b.is_some()),
                    (ENV_CLIENT_ID, i.is_some()),
                    (ENV_CLIENT_SECRET, s.is_some()),
                ],
                "not set",
                "is",
                "are",
            )
        ))),
    }
}

/// Reads a file; `Ok(None)` when it does not exist.
fn read_optional(path: &Path) -> Result<Option<String>, Error> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::Config(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

/// A non-empty string under `key` (case-insensitive) of a JSON object.
fn json_str<'a>(
    object: &'a serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Option<&'a str> {
    object
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .and_then(|(_, v)| v.as_str())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

fn from_config_json(path: &Path) -> Result<Found, Error> {
    let Some(text) = read_optional(path)? else {
        return Ok(Found::No("not found".to_owned()));
    };
    // Only the position of a syntax error is shown: the message could quote the file.
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Error::Config(format!(
            "{} is not valid JSON (line {}, column {})",
            path.display(),
            e.line(),
            e.column()
        ))
    })?;
    let Some(object) = value.as_object() else {
        return Ok(Found::No("not a JSON object".to_owned()));
    };
    let b = json_str(object, "BaseURL");
    let i = json_str(object, "ClientId");
    let s = json_str(object, "ClientSecret");
    match (b, i, s) {
        (None, None, None) => Ok(Found::No(
            "no BaseURL, ClientId or ClientSecret in it".to_owned(),
        )),
        (Some(b), Some(i), Some(s)) => Ok(Found::Yes(Config {
            base_url: b.to_owned(),
            client_id: i.to_owned(),
            client_secret: SecretString::new(s.to_owned()),
            source: ConfigSource::ConfigJson(path.to_owned()),
        })),
        (b, i, s) => Err(Error::Config(format!(
            "incomplete configuration in {}: {}",
            path.display(),
            incomplete(
                &[
                    ("BaseURL", b.is_some()),
                    ("ClientId", i.is_some()),
                    ("ClientSecret", s.is_some()),
                ],
                "missing",
                "is set",
                "are set",
            )
        ))),
    }
}

/// `key` (case-insensitive) of a YAML mapping.
fn yaml_get<'a>(value: &'a Yaml, key: &str) -> Option<&'a Yaml> {
    value
        .as_hash()?
        .iter()
        .find(|(k, _)| k.as_str().is_some_and(|k| k.eq_ignore_ascii_case(key)))
        .map(|(_, v)| v)
}

fn yaml_str<'a>(value: &'a Yaml, key: &str) -> Option<&'a str> {
    yaml_get(value, key)
        .and_then(Yaml::as_str)
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

fn from_cli_yaml(path: &Path) -> Result<Found, Error> {
    let Some(text) = read_optional(path)? else {
        return Ok(Found::No("not found".to_owned()));
    };
    let invalid = |why: String| Error::Config(format!("{}: {why}", path.display()));
    // Only the position of a syntax error is shown: the message could quote the file.
    let documents = YamlLoader::load_from_str(&text).map_err(|e| {
        let at = e.marker();
        invalid(format!(
            "not valid YAML (line {}, column {})",
            at.line(),
            at.col() + 1
        ))
    })?;
    // An empty file is no document; it then has no `activeenvironment` either.
    let root = documents.into_iter().next().unwrap_or(Yaml::Null);
    let Some(active) = yaml_str(&root, "activeenvironment") else {
        return Err(invalid(
            "activeenvironment is not set (run `sail environment use <name>`)".to_owned(),
        ));
    };
    let Some(env) = yaml_get(&root, "environments").and_then(|e| yaml_get(e, active)) else {
        return Err(invalid(format!(
            "the active environment {active:?} is not under environments"
        )));
    };
    let pat = yaml_get(env, "pat");
    let b = yaml_str(env, "baseurl");
    let i = pat.and_then(|p| yaml_str(p, "clientid"));
    let s = pat.and_then(|p| yaml_str(p, "clientsecret"));
    match (b, i, s) {
        (Some(b), Some(i), Some(s)) => Ok(Found::Yes(Config {
            base_url: b.to_owned(),
            client_id: i.to_owned(),
            client_secret: SecretString::new(s.to_owned()),
            source: ConfigSource::CliConfig {
                path: path.to_owned(),
                environment: active.to_owned(),
            },
        })),
        (b, i, s) => {
            let mut message = format!(
                "incomplete configuration for environment {active:?}: {}",
                incomplete(
                    &[
                        ("baseurl", b.is_some()),
                        ("pat.clientid", i.is_some()),
                        ("pat.clientsecret", s.is_some()),
                    ],
                    "missing",
                    "is set",
                    "are set",
                )
            );
            if s.is_none() {
                message.push_str(
                    "; newer CLI versions keep the secret in the system keyring: set \
                     SAIL_BASE_URL, SAIL_CLIENT_ID and SAIL_CLIENT_SECRET instead",
                );
            }
            Err(invalid(message))
        }
    }
}
