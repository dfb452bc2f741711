//! Transforms read and written back: every transform type of SailPoint's transform reference,
//! written from its documented examples, comes back exactly as it was, through `Transform` (what
//! users send) and `TransformRead` (what the API answers), whichever variant of
//! `TransformAttributes` it fits or none.

use isc::services::models::{Transform, TransformAttributes, TransformRead};
use serde_json::{Value, json};

/// `(type, attributes)` of one transform of each documented type, and of the seven ordinary
/// transforms a new user tried first.
fn transforms() -> Vec<(&'static str, Value)> {
    vec![
        ("static", json!({"value": "Engineering"})),
        (
            "static",
            json!({
                "value": "$first.$last",
                "first": {"type": "identityAttribute", "attributes": {"name": "firstname"}},
                "last": {"type": "identityAttribute", "attributes": {"name": "lastname"}}
            }),
        ),
        (
            "accountAttribute",
            json!({"sourceName": "Active Directory", "attributeName": "sAMAccountName"}),
        ),
        (
            "accountAttribute",
            json!({
                "sourceName": "HR", "attributeName": "department",
                "accountSortAttribute": "created", "accountSortDescending": true,
                "accountReturnFirstLink": false, "accountFilter": "!(nativeIdentity.startsWith(\"*DELETE*\"))",
                "accountPropertyFilter": "(employeeType == \"Contractor\")"
            }),
        ),
        (
            "base64Decode",
            json!({"input": {"type": "accountAttribute", "attributes": {"sourceName": "HR", "attributeName": "encoded"}}}),
        ),
        ("base64Encode", json!({})),
        (
            "concat",
            json!({"values": [{"type": "identityAttribute", "attributes": {"name": "firstname"}}, " ", "Smith"]}),
        ),
        (
            "conditional",
            json!({
                "expression": "$department eq Engineering",
                "positiveCondition": "true",
                "negativeCondition": "$otherValue",
                "department": {"type": "accountAttribute", "attributes": {"sourceName": "HR", "attributeName": "department"}},
                "otherValue": "false"
            }),
        ),
        (
            "dateCompare",
            json!({
                "firstDate": {"type": "dateFormat", "attributes": {"inputFormat": "MM/dd/yyyy", "outputFormat": "ISO8601"}},
                "secondDate": "now",
                "operator": "gt",
                "positiveCondition": "active",
                "negativeCondition": "terminated"
            }),
        ),
        (
            "dateFormat",
            json!({"inputFormat": "EPOCH_TIME_JAVA", "outputFormat": "ISO8601"}),
        ),
        (
            "dateMath",
            json!({"expression": "now-5d/d", "roundUp": true}),
        ),
        ("decomposeDiacriticalMarks", json!({})),
        ("displayName", json!({})),
        ("e164phone", json!({"defaultRegion": "US"})),
        (
            "firstValid",
            json!({"values": [{"type": "accountAttribute", "attributes": {"sourceName": "AD", "attributeName": "mail"}}, "none@example.com"], "ignoreErrors": true}),
        ),
        ("identityAttribute", json!({"name": "email"})),
        ("indexOf", json!({"substring": "admin"})),
        ("iso3166", json!({"format": "alpha2"})),
        ("lastIndexOf", json!({"substring": "."})),
        ("leftPad", json!({"length": "8", "padding": "0"})),
        (
            "lookup",
            json!({"table": {"US": "United States", "CA": "Canada", "default": "Unknown"}}),
        ),
        ("lower", json!({})),
        ("normalizeNames", json!({})),
        ("randomAlphaNumeric", json!({"length": "10"})),
        ("randomNumeric", json!({"length": 6})),
        (
            "reference",
            json!({"id": "Common - Email", "input": "john.doe@example.com"}),
        ),
        ("replace", json!({"regex": "[^a-zA-Z]", "replacement": ""})),
        ("replaceAll", json!({"table": {"-": " ", "\"": "'"}})),
        ("rfc5646", json!({"format": "alpha2"})),
        ("rightPad", json!({"length": "8", "padding": "x"})),
        (
            "rule",
            json!({"name": "Cloud Services Deployment Utility", "operation": "getReferenceIdentityAttribute", "uid": "manager", "attributeName": "email", "includeNumbers": true}),
        ),
        (
            "split",
            json!({"delimiter": ",", "index": 1, "throws": true}),
        ),
        (
            "substring",
            json!({"begin": 1, "beginOffset": 3, "end": -1}),
        ),
        ("trim", json!({"input": "  padded  "})),
        ("upper", json!({"requiresPeriodicRefresh": false})),
        (
            "usernameGenerator",
            json!({
                "sourceCheck": true,
                "patterns": ["$fn.$ln", "$fn.$ln${uniqueCounter}"],
                "fn": {"type": "identityAttribute", "attributes": {"name": "firstname"}},
                "ln": {"type": "identityAttribute", "attributes": {"name": "lastname"}}
            }),
        ),
        ("uuid", json!({})),
    ]
}

#[test]
fn every_documented_transform_round_trips_exactly() {
    let mut changed = Vec::new();
    for (index, (kind, attributes)) in transforms().into_iter().enumerate() {
        let sent =
            json!({"name": format!("Transform {index}"), "type": kind, "attributes": attributes});
        let read = json!({
            "id": "2cd78adghjkja34jh2b1hkjhasuecd",
            "name": format!("Transform {index}"),
            "type": kind,
            "attributes": sent["attributes"],
            "internal": false
        });
        let transform: Transform = serde_json::from_value(sent.clone()).unwrap();
        if serde_json::to_value(&transform).unwrap() != sent {
            changed.push(format!(
                "Transform {kind}: {}",
                serde_json::to_value(&transform).unwrap()
            ));
        }
        let transform: TransformRead = serde_json::from_value(read.clone()).unwrap();
        if serde_json::to_value(&transform).unwrap() != read {
            changed.push(format!(
                "TransformRead {kind}: {}",
                serde_json::to_value(&transform).unwrap()
            ));
        }
    }
    assert!(
        changed.is_empty(),
        "changed on a read and a write:\n{}",
        changed.join("\n")
    );
}

#[test]
fn a_static_transform_is_read_as_one() {
    let read: Transform = serde_json::from_value(json!({
        "name": "Department", "type": "static", "attributes": {"value": "Engineering"}
    }))
    .unwrap();
    match read.attributes {
        Some(TransformAttributes::Static(attributes)) => {
            assert_eq!(attributes.value, "Engineering")
        }
        other => panic!("not read as a static transform: {other:?}"),
    }
}

#[test]
fn attributes_that_fit_several_kinds_are_kept_whole() {
    // `lower`, `upper`, `trim`, ... declare the same members: none is guessed.
    let read: Transform = serde_json::from_value(json!({
        "name": "Lower", "type": "lower", "attributes": {"input": "ABC"}
    }))
    .unwrap();
    assert!(
        matches!(read.attributes, Some(TransformAttributes::Other(_))),
        "{:?}",
        read.attributes
    );
}
