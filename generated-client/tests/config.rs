//! Configuration loading: environment, `config.json`, the CLI's `~/.sailpoint/config.yaml`,
//! their precedence, incomplete sources and secrets kept out of `Debug` and errors.

use std::collections::HashMap;
use std::path::Path;

use isc::{Config, ConfigSource};

const SECRET: &str = "c0nfig-S3CRET-never-leak";

fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn full_env() -> HashMap<String, String> {
    env(&[
        ("SAIL_BASE_URL", "https://env.api.identitynow.com"),
        ("SAIL_CLIENT_ID", "env-id"),
        ("SAIL_CLIENT_SECRET", SECRET),
    ])
}

fn write_json(dir: &Path, json: &str) {
    std::fs::write(dir.join("config.json"), json).unwrap();
}

fn full_json() -> String {
    format!(
        r#"{{"ClientId": "json-id", "ClientSecret": "{SECRET}", "BaseURL": "https://json.api.identitynow.com"}}"#
    )
}

fn write_cli(home: &Path, yaml: &str) {
    std::fs::create_dir_all(home.join(".sailpoint")).unwrap();
    std::fs::write(home.join(".sailpoint").join("config.yaml"), yaml).unwrap();
}

fn full_cli() -> String {
    format!(
        "authtype: pat\n\
         activeenvironment: prod\n\
         environments:\n  \
           sandbox:\n    \
             baseurl: https://sandbox.api.identitynow.com\n    \
             tenanturl: https://sandbox.identitynow.com\n  \
           prod:\n    \
             baseurl: https://prod.api.identitynow.com\n    \
             tenanturl: https://prod.identitynow.com\n    \
             pat:\n      \
               clientid: cli-id\n      \
               clientsecret: {SECRET}\n"
    )
}

fn dirs() -> (tempfile::TempDir, tempfile::TempDir) {
    (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap())
}

fn err(env: &HashMap<String, String>, cwd: &Path, home: &Path) -> String {
    let e = Config::load_from(env, cwd, Some(home)).unwrap_err();
    let text = format!("{e} {e:?}");
    assert!(!text.contains(SECRET), "secret leaked: {text}");
    e.to_string()
}

#[test]
fn environment_wins_over_files() {
    let (cwd, home) = dirs();
    write_json(cwd.path(), &full_json());
    write_cli(home.path(), &full_cli());
    let config = Config::load_from(&full_env(), cwd.path(), Some(home.path())).unwrap();
    assert_eq!(config.source(), &ConfigSource::Environment);
    assert_eq!(config.base_url(), "https://env.api.identitynow.com");
    assert_eq!(config.client_id(), "env-id");
}

#[test]
fn config_json_wins_over_cli_file() {
    let (cwd, home) = dirs();
    write_json(cwd.path(), &full_json());
    write_cli(home.path(), &full_cli());
    let config = Config::load_from(&env(&[]), cwd.path(), Some(home.path())).unwrap();
    assert_eq!(
        config.source(),
        &ConfigSource::ConfigJson(cwd.path().join("config.json"))
    );
    assert_eq!(config.base_url(), "https://json.api.identitynow.com");
    assert_eq!(config.client_id(), "json-id");
}

#[test]
fn cli_file_uses_the_active_environment() {
    let (cwd, home) = dirs();
    write_cli(home.path(), &full_cli());
    let config = Config::load_from(&env(&[]), cwd.path(), Some(home.path())).unwrap();
    assert_eq!(config.base_url(), "https://prod.api.identitynow.com");
    assert_eq!(config.client_id(), "cli-id");
    match config.source() {
        ConfigSource::CliConfig { environment, .. } => assert_eq!(environment, "prod"),
        other => panic!("{other:?}"),
    }
    // The config builds a client with client credentials.
    let client = config.builder().build().unwrap();
    assert_eq!(client.base_url(), "https://prod.api.identitynow.com");
}

#[test]
fn unrelated_config_json_is_skipped() {
    let (cwd, home) = dirs();
    write_json(cwd.path(), r#"{"port": 8080}"#);
    write_cli(home.path(), &full_cli());
    let config = Config::load_from(&env(&[]), cwd.path(), Some(home.path())).unwrap();
    assert_eq!(config.client_id(), "cli-id");
}

#[test]
fn half_filled_environment_is_an_error_naming_what_is_missing() {
    let (cwd, home) = dirs();
    write_json(cwd.path(), &full_json());
    let mut e = full_env();
    e.remove("SAIL_CLIENT_SECRET");
    let message = err(&e, cwd.path(), home.path());
    assert!(
        message.contains("SAIL_CLIENT_SECRET is not set (SAIL_BASE_URL and SAIL_CLIENT_ID are)"),
        "{message}"
    );
    let e = env(&[("SAIL_CLIENT_SECRET", SECRET), ("SAIL_BASE_URL", "")]);
    let message = err(&e, cwd.path(), home.path());
    assert!(
        message.contains("SAIL_BASE_URL and SAIL_CLIENT_ID are not set (SAIL_CLIENT_SECRET is)"),
        "{message}"
    );
}

#[test]
fn half_filled_config_json_is_an_error_with_its_path() {
    let (cwd, home) = dirs();
    write_cli(home.path(), &full_cli());
    write_json(cwd.path(), r#"{"ClientId": "x", "BaseURL": "https://a"}"#);
    let message = err(&env(&[]), cwd.path(), home.path());
    assert!(
        message.contains("ClientSecret is missing (BaseURL and ClientId are set)"),
        "{message}"
    );
    assert!(message.contains("config.json"), "{message}");

    write_json(cwd.path(), &format!(r#"{{"ClientSecret": "{SECRET}", "#));
    let message = err(&env(&[]), cwd.path(), home.path());
    assert!(message.contains("not valid JSON"), "{message}");
}

#[test]
fn half_filled_cli_file_is_an_error() {
    let (cwd, home) = dirs();
    write_cli(
        home.path(),
        &full_cli().replace("activeenvironment: prod", "activeenvironment: sandbox"),
    );
    let message = err(&env(&[]), cwd.path(), home.path());
    assert!(message.contains("\"sandbox\""), "{message}");
    assert!(
        message.contains("pat.clientid and pat.clientsecret are missing (baseurl is set)"),
        "{message}"
    );
    assert!(message.contains("config.yaml"), "{message}");

    write_cli(
        home.path(),
        &full_cli().replace("activeenvironment: prod", "activeenvironment: nope"),
    );
    let message = err(&env(&[]), cwd.path(), home.path());
    assert!(
        message.contains("\"nope\" is not under environments"),
        "{message}"
    );

    write_cli(
        home.path(),
        &full_cli().replace("activeenvironment: prod\n", ""),
    );
    let message = err(&env(&[]), cwd.path(), home.path());
    assert!(
        message.contains("activeenvironment is not set"),
        "{message}"
    );

    write_cli(home.path(), &format!("activeenvironment: [\n{SECRET}: :"));
    let message = err(&env(&[]), cwd.path(), home.path());
    assert!(message.contains("not valid YAML"), "{message}");
}

#[test]
fn nothing_found_lists_the_three_places() {
    let (cwd, home) = dirs();
    let message = err(&env(&[]), cwd.path(), home.path());
    assert!(
        message.contains("no SailPoint configuration found"),
        "{message}"
    );
    assert!(
        message.contains("SAIL_BASE_URL, SAIL_CLIENT_ID, SAIL_CLIENT_SECRET"),
        "{message}"
    );
    assert!(
        message.contains(&cwd.path().join("config.json").display().to_string()),
        "{message}"
    );
    let cli = home.path().join(".sailpoint").join("config.yaml");
    assert!(message.contains(&cli.display().to_string()), "{message}");
}

#[test]
fn debug_of_config_and_builder_hides_the_secret() {
    let (cwd, home) = dirs();
    for source in 0..3 {
        let e = if source == 0 { full_env() } else { env(&[]) };
        if source == 1 {
            write_json(cwd.path(), &full_json());
        }
        write_cli(home.path(), &full_cli());
        let config = Config::load_from(&e, cwd.path(), Some(home.path())).unwrap();
        let builder = config.builder();
        let client = config.builder().build().unwrap();
        let text = format!(
            "{config:?} {config:#?} {} {builder:?} {client:?}",
            config.source()
        );
        assert!(!text.contains(SECRET), "secret leaked: {text}");
        assert!(text.contains("<redacted>"), "{text}");
    }
}
