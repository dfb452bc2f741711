//! The YAML reader (`codegen::loader::parse_yaml`) on a corpus of edge cases and on generated
//! documents.
//!
//! Corpus: `tests/fixtures/loader/yaml/<case>.yaml`, with either `<case>.json` (the value it must
//! load as, written by hand; compared as JSON text, so key order, `1` against `1.0` and `-0.0`
//! count) or `<case>.error` (a piece of the error message). Cases named `json_*` are JSON texts and
//! must also load as serde_json reads them, big integers aside.

use std::path::{Path, PathBuf};

use codegen::loader::parse_yaml;
use proptest::prelude::*;
use serde_json::{Number, Value, json};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/loader/yaml")
}

#[test]
fn yaml_corpus_loads_as_written_by_hand() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    cases.sort();
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_stem().unwrap().to_string_lossy();
        let text = std::fs::read_to_string(case).unwrap();
        let loaded = parse_yaml(&text);
        let expected_json = std::fs::read_to_string(case.with_extension("json")).ok();
        let expected_error = std::fs::read_to_string(case.with_extension("error")).ok();
        match (expected_json, expected_error, &loaded) {
            (Some(json), None, Ok(value)) => {
                let expected: Value = serde_json::from_str(&json).unwrap();
                let (got, want) = (value.to_string(), expected.to_string());
                if got != want {
                    failures.push(format!("{name}:\n  got  {got}\n  want {want}"));
                }
                if name.starts_with("json_") && !name.contains("big_integers") {
                    let direct = serde_json::from_str::<Value>(&text).unwrap().to_string();
                    if direct != got {
                        failures.push(format!("{name}: serde_json reads {direct}"));
                    }
                }
            }
            (None, Some(message), Err(error)) if error.contains(message.trim()) => {}
            (json, error, _) => failures.push(format!(
                "{name}: loaded as {loaded:?}, expected {}",
                json.or(error)
                    .unwrap_or_else(|| "a .json or .error file".into())
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(cases.len() >= 28, "only {} cases", cases.len());
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for depth in [200, 100_000] {
        let flow = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let error = parse_yaml(&flow).unwrap_err();
        assert!(error.contains("recursion limit exceeded"), "{error}");
        let block: String = (0..depth.min(2_000))
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        let error = parse_yaml(&block).unwrap_err();
        assert!(error.contains("recursion limit exceeded"), "{error}");
    }
    let fine = format!("{}1{}", "[".repeat(100), "]".repeat(100));
    let mut value = parse_yaml(&fine).unwrap();
    for _ in 0..100 {
        value = value[0].take();
    }
    assert_eq!(value, json!(1));
}

/// Strings that YAML reads as something else when written plain, and other awkward ones.
const TRICKY: &[&str] = &[
    "123", "-1", "+1", "1.5", "1e3", ".inf", "-.inf", ".nan", "NaN", "007", "0x10", "0o17", "0b1",
    "1_000", "true", "True", "FALSE", "yes", "no", "on", "off", "y", "n", "null", "Null", "~", "",
    " ", "- a", "a: b", "a #b", "#c", "&a", "*a", "!t", "!!str", "%YAML", "---", "...", "'", "\"",
    "\\", "\n", "\r\n", "\t", " lead", "trail ", "<<", "?", ":", "[", "{", "|", ">", "@", "`",
    "\u{85}", "\u{2028}", "\u{feff}", "\u{7f}", "\u{fffe}", "é", "😀",
];

fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        2 => "[a-z0-9 :#'\"\\\\-]{0,12}",
        3 => prop::sample::select(TRICKY).prop_map(String::from),
        1 => big_integer(),
    ]
}

/// A decimal integer past 128 bits: `-?[1-9][0-9]{39,80}`.
fn big_integer() -> impl Strategy<Value = String> {
    (any::<bool>(), "[1-9][0-9]{39,80}").prop_map(|(negative, digits)| {
        if negative {
            format!("-{digits}")
        } else {
            digits
        }
    })
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        (-1e6..1e6f64).prop_map(Value::from),
        Just(json!(-0.0)),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            // No `<<` key: YAML cannot tell a literal `<<` member from a merge key once the
            // scalar is read (quoted or not), so one whose value is a map is merged.
            prop::collection::vec(
                (string().prop_filter("merge key", |k| k != "<<"), inner),
                0..6
            )
            .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// 256 cases (under a second); `PROPTEST_CASES=100000` for a longer search.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|cases| cases.parse().ok())
            .unwrap_or(256),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Any JSON value, written as YAML by serde_yaml and as JSON text (which is YAML), loads back
    /// as the same value (compared as JSON text: order, `1` against `1.0` and `-0.0` count).
    #[test]
    fn json_values_round_trip_through_yaml(value in value()) {
        let want = value.to_string();
        let yaml = serde_yaml::to_string(&value).unwrap();
        let from_yaml = parse_yaml(&yaml).map(|v| v.to_string());
        prop_assert_eq!(from_yaml, Ok(want.clone()), "YAML:\n{}", yaml);
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        for json in [value.to_string(), pretty] {
            let from_json = parse_yaml(&json).map(|v| v.to_string());
            prop_assert_eq!(from_json, Ok(want.clone()), "JSON:\n{}", json);
        }
    }

    /// Integer literals past 128 bits load as their exact decimal text wherever they are, among
    /// floats that round to the same magnitude.
    #[test]
    fn big_integer_literals_load_as_their_text(
        n in big_integer(),
        plus in any::<bool>(),
        exponent in 39..300i32,
        mantissa in 1.0..10.0f64,
    ) {
        let literal = if plus && !n.starts_with('-') { format!("+{n}") } else { n.clone() };
        let float = mantissa * 10f64.powi(exponent);
        let yaml = format!(
            "- {literal}\n- [{float:e}, {literal}, {{k: {literal}}}]\n- {literal}: x\n- &a {literal}\n- *a\n- {float:?}\n- !t {literal}\n"
        );
        let want = json!([n, [float, n, {"k": n}], {n.clone(): "x"}, n, n, float, n]);
        prop_assert_eq!(parse_yaml(&yaml), Ok(want), "{}", yaml);
        let json = format!("{{\"a\": [{literal_json}, {float:e}], \"b\": {literal_json}}}", literal_json = n);
        prop_assert_eq!(parse_yaml(&json), Ok(json!({"a": [n, float], "b": n})), "{}", json);
    }
}
