//! The drift policy (README, "Drift policy"): responses that differ from the spec in the ways
//! SailPoint's real responses do, through the generated v3 and v2024 models and operations
//! against a local mock server. Each kind either decodes to exact values or fails with an exact
//! `Error::Decode` (operation, status, JSON path, message, raw body).
#![cfg(all(feature = "v3", feature = "v2024"))]

use isc::v3::models::{AccessType, ClientType, GetOAuthClientResponse, GrantType};
use isc::{Client, Error};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .no_rate_limit()
        .base_url(server.uri())
        .access_token("token-for-tests")
        .build()
        .unwrap()
}

/// Answers `GET route` with `status` and `body` as it is (not re-encoded).
async fn serve(route: &str, status: u16, body: &str) -> MockServer {
    let server = MockServer::start().await;
    let mut response = ResponseTemplate::new(status);
    if !body.is_empty() {
        response = response.set_body_raw(body.to_owned(), "application/json");
    }
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(response)
        .expect(1..)
        .mount(&server)
        .await;
    server
}

/// A v3 OAuth client (`GetOAuthClientResponse`) with every required field, as the spec has it.
fn oauth_client(id: &str) -> Value {
    json!({
        "id": id,
        "name": "Demo API Client",
        "accessTokenValiditySeconds": 750,
        "refreshTokenValiditySeconds": 86400,
        "grantTypes": ["CLIENT_CREDENTIALS"],
        "accessType": "OFFLINE",
        "type": "CONFIDENTIAL",
        "internal": false,
        "enabled": true,
        "strongAuthSupported": false,
        "claimsSupported": false,
        "created": "2017-07-11T18:45:37.098Z",
        "modified": "2018-06-25T20:22:28.104Z"
    })
}

/// `oauth_client(id)` with `changes` applied: a `null` value in `changes` sets the member to
/// `null`, the string `"<missing>"` removes it.
fn oauth_client_with(id: &str, changes: Value) -> Value {
    let mut client = oauth_client(id);
    let object = client.as_object_mut().unwrap();
    for (key, value) in changes.as_object().unwrap() {
        if value == "<missing>" {
            object.remove(key);
        } else {
            object.insert(key.clone(), value.clone());
        }
    }
    client
}

/// A v2024 account with every required field.
fn account(id: &str) -> Value {
    json!({
        "id": id,
        "name": "john.doe",
        "sourceId": "2c9180835d2e5168015d32f890ca1581",
        "sourceName": "Employees",
        "attributes": {"firstName": "John"},
        "authoritative": false,
        "disabled": false,
        "locked": false,
        "nativeIdentity": "552775",
        "systemAccount": false,
        "uncorrelated": false,
        "manuallyCorrelated": false,
        "hasEntitlements": true
    })
}

async fn list_oauth_clients(body: &str) -> Result<Vec<GetOAuthClientResponse>, Error> {
    let server = serve("/v3/oauth-clients", 200, body).await;
    client(&server)
        .v3()
        .o_auth_clients()
        .list_oauth_clients()
        .send()
        .await
}

/// The decode error of `result`, checked to belong to `operation` and to keep `body`.
fn decode_error<T: std::fmt::Debug>(
    result: Result<T, Error>,
    operation: &str,
    status: u16,
    body: &str,
) -> isc::runtime::DecodeError {
    match result {
        Err(Error::Decode(error)) => {
            assert_eq!(error.operation_id(), operation);
            assert_eq!(error.status(), status);
            assert_eq!(
                error.body().as_ref(),
                body.as_bytes(),
                "the raw body is kept"
            );
            error
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

/// Lists one OAuth client whose `member` is `value` and checks the exact decode error: at
/// `[0].<member>`, saying `what` and where in the body the value ends. The member is read whole
/// before it is typed, so serde_json gives the position its reader stands at then: the end of
/// the value, or one past it when it had to look at the next character to end the value.
async fn assert_member_refused(member: &str, value: Value, what: &str) {
    let body = json!([oauth_client_with("c0", json!({ member: value.clone() }))]).to_string();
    let error = decode_error(
        list_oauth_clients(&body).await,
        "listOauthClients",
        200,
        &body,
    );
    assert_eq!(error.path(), format!("[0].{member}"), "{member}: {value}");
    let needle = format!("\"{member}\":{value}");
    let end = body.find(&needle).unwrap() + needle.len();
    let at_end = format!("{what} at line 1 column {end}");
    let past_end = format!("{what} at line 1 column {}", end + 1);
    assert!(
        error.message() == at_end || error.message() == past_end,
        "{member}: {value}: {}",
        error.message()
    );
}

// ----- 1. Enum values the spec does not list -----

#[tokio::test]
async fn unknown_enum_values_decode_and_encode_back_unchanged() {
    let item = oauth_client_with(
        "c1",
        json!({
            "accessType": "HYBRID",
            "type": "SEMI_PUBLIC",
            "grantTypes": ["CLIENT_CREDENTIALS", "DEVICE_CODE"]
        }),
    );
    let body = json!([item]).to_string();
    let clients = list_oauth_clients(&body)
        .await
        .expect("unknown values decode");
    assert_eq!(
        clients[0].access_type,
        AccessType::Unrecognized("HYBRID".into())
    );
    assert_eq!(
        clients[0].type_,
        ClientType::Unrecognized("SEMI_PUBLIC".into())
    );
    assert_eq!(
        clients[0].grant_types,
        [
            GrantType::ClientCredentials,
            GrantType::Unrecognized("DEVICE_CODE".into())
        ]
    );
    let encoded = serde_json::to_value(&clients[0]).unwrap();
    assert_eq!(encoded["accessType"], "HYBRID");
    assert_eq!(encoded["type"], "SEMI_PUBLIC");
    assert_eq!(
        encoded["grantTypes"],
        json!(["CLIENT_CREDENTIALS", "DEVICE_CODE"])
    );

    // v2024, an optional enum field.
    let mut account = account("a1");
    account["origin"] = json!("MIGRATED");
    let server = serve("/v2024/accounts", 200, &json!([account]).to_string()).await;
    let accounts = client(&server)
        .v2024()
        .accounts()
        .list_accounts()
        .send()
        .await
        .unwrap();
    assert_eq!(
        accounts[0].origin,
        Some(isc::v2024::models::AccountOrigin::Unrecognized(
            "MIGRATED".into()
        ))
    );
}

// ----- 2. Optional fields -----

#[tokio::test]
async fn optional_fields_null_or_missing_are_none() {
    let mut with_values = oauth_client("set");
    with_values["description"] = json!("d");
    with_values["redirectUris"] = json!(["https://x"]);
    with_values["lastUsed"] = json!("2024-01-02T03:04:05Z");
    let nulls = oauth_client_with(
        "nulls",
        // Optional (`lastUsed`, `secret`) and required but nullable (`description`,
        // `redirectUris`, `scope`).
        json!({"description": null, "redirectUris": null, "scope": null, "lastUsed": null, "secret": null}),
    );
    let missing = oauth_client("missing");
    let body = json!([with_values, nulls, missing]).to_string();
    let clients = list_oauth_clients(&body).await.expect("decodes");
    assert_eq!(clients[0].description.as_deref(), Some("d"));
    assert_eq!(clients[0].redirect_uris, Some(vec!["https://x".to_owned()]));
    assert_eq!(
        clients[0].last_used.map(|t| t.to_string()).as_deref(),
        Some("2024-01-02T03:04:05Z")
    );
    for decoded in &clients[1..] {
        assert_eq!(decoded.description, None, "{}", decoded.id);
        assert_eq!(decoded.redirect_uris, None, "{}", decoded.id);
        assert_eq!(decoded.scope, None, "{}", decoded.id);
        assert_eq!(decoded.last_used, None, "{}", decoded.id);
        assert_eq!(decoded.secret, None, "{}", decoded.id);
        assert_eq!(decoded.business_name, None, "{}", decoded.id);
    }
}

// ----- 3. Required fields -----

#[tokio::test]
async fn required_collections_null_or_missing_are_empty() {
    let body = json!([
        oauth_client_with("null", json!({"grantTypes": null})),
        oauth_client_with("missing", json!({"grantTypes": "<missing>"})),
        oauth_client_with("empty", json!({"grantTypes": []})),
    ])
    .to_string();
    let clients = list_oauth_clients(&body).await.expect("decodes");
    for decoded in &clients {
        assert_eq!(
            decoded.grant_types,
            Vec::<GrantType>::new(),
            "{}",
            decoded.id
        );
    }
    // And they are written back as they came (`null`, left out, `[]`) while they stay empty:
    // nothing was invented.
    let written: Vec<Value> = clients
        .iter()
        .map(|decoded| serde_json::to_value(decoded).unwrap())
        .collect();
    assert_eq!(written[0]["grantTypes"], json!(null));
    assert_eq!(written[0].get("grantTypes"), Some(&json!(null)));
    assert_eq!(written[1].get("grantTypes"), None);
    assert_eq!(written[2]["grantTypes"], json!([]));
    assert_eq!(
        Value::Array(written),
        serde_json::from_str::<Value>(&body).unwrap()
    );
    // Filled in by the caller, a list is written from its value.
    let mut changed = clients[0].clone();
    changed.grant_types.push(GrantType::ClientCredentials);
    assert_eq!(
        serde_json::to_value(&changed).unwrap()["grantTypes"],
        json!(["CLIENT_CREDENTIALS"])
    );
}

#[tokio::test]
async fn a_required_string_that_is_null_is_an_exact_error() {
    let body = json!([
        oauth_client("c0"),
        oauth_client_with("c1", json!({"name": null}))
    ])
    .to_string();
    let error = decode_error(
        list_oauth_clients(&body).await,
        "listOauthClients",
        200,
        &body,
    );
    assert_eq!(error.path(), "[1].name");
    let column = body.find(r#""name":null"#).unwrap() + r#""name":null"#.len();
    assert_eq!(
        error.message(),
        format!("invalid type: null, expected a string at line 1 column {column}")
    );
}

#[tokio::test]
async fn a_required_string_that_is_missing_is_an_exact_error() {
    let body = json!([
        oauth_client("c0"),
        oauth_client("c1"),
        oauth_client_with("c2", json!({"id": "<missing>"}))
    ])
    .to_string();
    let error = decode_error(
        list_oauth_clients(&body).await,
        "listOauthClients",
        200,
        &body,
    );
    assert_eq!(error.path(), "[2]");
    assert_eq!(
        error.message(),
        format!("missing field `id` at line 1 column {}", body.len() - 1)
    );
    assert_eq!(
        Error::Decode(error).to_string(),
        format!(
            "listOauthClients: the request succeeded (HTTP 200) but its answer cannot be decoded \
             at [2]: missing field `id` at line 1 column {}",
            body.len() - 1
        )
    );
}

#[tokio::test]
async fn required_integers_booleans_date_times_and_enums_that_are_null_are_exact_errors() {
    for (member, expected) in [
        ("accessTokenValiditySeconds", "i32"),
        ("enabled", "a boolean"),
        (
            "created",
            "an RFC 3339 date-time such as 2024-01-02T03:04:05Z (or epoch milliseconds)",
        ),
        ("accessType", "a string"),
    ] {
        let what = format!("invalid type: null, expected {expected}");
        assert_member_refused(member, Value::Null, &what).await;
    }
}

// ----- 4. Date-times -----

#[tokio::test]
async fn date_time_spellings_decode_through_a_model() {
    let forms = [
        (json!("2024-01-02T03:04:05Z"), "2024-01-02T03:04:05Z"),
        (json!("2024-01-02T03:04:05.1Z"), "2024-01-02T03:04:05.100Z"),
        (
            json!("2024-01-02T03:04:05.123Z"),
            "2024-01-02T03:04:05.123Z",
        ),
        (
            json!("2024-01-02T03:04:05.12345Z"),
            "2024-01-02T03:04:05.123450Z",
        ),
        (
            json!("2024-01-02T03:04:05.123456Z"),
            "2024-01-02T03:04:05.123456Z",
        ),
        (
            json!("2024-01-02T03:04:05.123456789Z"),
            "2024-01-02T03:04:05.123456789Z",
        ),
        (json!("2024-01-02T03:04:05+00:00"), "2024-01-02T03:04:05Z"),
        (
            json!("2024-01-02T03:04:05.5-05:00"),
            "2024-01-02T03:04:05.500-05:00",
        ),
        (json!("2024-01-02t03:04:05z"), "2024-01-02T03:04:05Z"),
        // More fractional digits than nanoseconds (RFC 3339 sets no limit): the rest dropped.
        (
            json!("2021-09-28T15:48:29.3801666300Z"),
            "2021-09-28T15:48:29.380166630Z",
        ),
        // Go's default spelling: the offset decides, the zone name after it is dropped.
        (
            json!("2009-11-10 23:00:00 +0000 UTC"),
            "2009-11-10T23:00:00Z",
        ),
        (
            json!("2009-11-10 23:00:00.5 -0500 EST"),
            "2009-11-10T23:00:00.500-05:00",
        ),
        (json!(1_704_164_645_123_i64), "2024-01-02T03:04:05.123Z"),
        (json!("1704164645123"), "2024-01-02T03:04:05.123Z"),
    ];
    let items: Vec<Value> = forms
        .iter()
        .enumerate()
        .map(|(i, (created, _))| {
            oauth_client_with(
                &i.to_string(),
                json!({"created": created, "lastUsed": created}),
            )
        })
        .collect();
    let clients = list_oauth_clients(&json!(items).to_string())
        .await
        .expect("decodes");
    for ((sent, expected), decoded) in forms.iter().zip(&clients) {
        assert_eq!(decoded.created.to_string(), *expected, "{sent}");
        assert_eq!(decoded.last_used.unwrap().to_string(), *expected, "{sent}");
    }
    // Instants compare equal across spellings.
    assert_eq!(clients[0].created, clients[6].created);
    assert_eq!(clients[12].created.epoch_millis(), 1_704_164_645_123);
}

#[tokio::test]
async fn other_date_time_spellings_are_exact_errors() {
    for bad in [
        json!("2024-01-02"),
        json!("yesterday"),
        json!("02/01/2024 03:04:05"),
        // Java's Date.toString(): a zone abbreviation alone (CDT) does not fix the instant.
        json!("Mon Aug 21 14:57:39 CDT 2023"),
        json!("2024-01-02 03:04:05 UTC"),
        json!("2024-01-02T03:04:05.Z"),
        json!(1.5),
        json!(true),
    ] {
        let expected = "an RFC 3339 date-time such as 2024-01-02T03:04:05Z (or epoch milliseconds)";
        let what = match &bad {
            Value::String(text) => format!("invalid date-time \"{text}\": expected {expected}"),
            Value::Number(_) => format!("invalid type: floating point `1.5`, expected {expected}"),
            _ => format!("invalid type: boolean `true`, expected {expected}"),
        };
        assert_member_refused("modified", bad, &what).await;
    }
}

// ----- 5. Numbers and strings -----

#[tokio::test]
async fn a_number_where_a_string_is_declared_is_its_json_text() {
    let body = json!([oauth_client_with(
        "ignored",
        json!({"id": 123, "name": 1.5, "description": 7, "businessName": -2, "secret": 100.0})
    )])
    .to_string();
    let clients = list_oauth_clients(&body).await.expect("decodes");
    assert_eq!(clients[0].id, "123");
    assert_eq!(clients[0].name, "1.5");
    assert_eq!(clients[0].description.as_deref(), Some("7"));
    assert_eq!(clients[0].business_name.as_deref(), Some("-2"));
    assert_eq!(clients[0].secret.as_deref(), Some("100.0"));

    // v2024: the number SailPoint's own examples send as a native identity.
    let mut account = account("a1");
    account["nativeIdentity"] = json!(127999);
    let server = serve("/v2024/accounts", 200, &json!([account]).to_string()).await;
    let accounts = client(&server)
        .v2024()
        .accounts()
        .list_accounts()
        .send()
        .await
        .unwrap();
    assert_eq!(accounts[0].native_identity, "127999");
}

#[tokio::test]
async fn a_string_where_an_integer_is_declared_is_an_exact_error() {
    assert_member_refused(
        "refreshTokenValiditySeconds",
        json!("86400"),
        "invalid type: string \"86400\", expected i32",
    )
    .await;
}

#[tokio::test]
async fn a_boolean_where_a_string_is_declared_is_an_exact_error() {
    for (member, value) in [("name", true), ("description", false)] {
        let what = format!("invalid type: boolean `{value}`, expected a string");
        assert_member_refused(member, json!(value), &what).await;
    }
}

// ----- 6. Undeclared properties -----

#[tokio::test]
async fn undeclared_properties_are_kept_and_sent_back() {
    let mut account = account("a1");
    account["someFieldTheSpecDoesNotKnow"] = json!({"nested": [1, null, "x"]});
    account["anotherOne"] = json!(null);
    let server = serve("/v2024/accounts", 200, &json!([account]).to_string()).await;
    let accounts = client(&server)
        .v2024()
        .accounts()
        .list_accounts()
        .send()
        .await
        .unwrap();
    assert_eq!(accounts[0].id.as_deref(), Some("a1"));
    assert_eq!(accounts[0].native_identity, "552775");
    assert_eq!(
        accounts[0].extra.get("someFieldTheSpecDoesNotKnow"),
        Some(&json!({"nested": [1, null, "x"]}))
    );
    let encoded = serde_json::to_value(&accounts[0]).unwrap();
    assert_eq!(
        encoded.get("someFieldTheSpecDoesNotKnow"),
        Some(&json!({"nested": [1, null, "x"]}))
    );
    assert_eq!(encoded.get("anotherOne"), Some(&json!(null)));
    assert_eq!(encoded, account);
}

// ----- 7. A null inside a map of strings -----

#[tokio::test]
async fn a_null_inside_a_map_of_strings_is_an_exact_error() {
    let good = json!({"id": "mc1", "ccgVersion": "v01", "configuration": {"gmtOffset": "-5"}});
    let server = serve("/v3/managed-clusters/mc1", 200, &good.to_string()).await;
    let cluster = client(&server)
        .v3()
        .managed_clusters()
        .get_managed_cluster("mc1")
        .send()
        .await;
    let configuration = cluster.expect("decodes").configuration.expect("present");
    assert_eq!(configuration["gmtOffset"], "-5");

    // Skipping the entry would lose a key the server sent; the error names it.
    let body =
        json!({"id": "mc1", "ccgVersion": "v01", "configuration": {"gmtOffset": "-5", "region": null}})
            .to_string();
    let server = serve("/v3/managed-clusters/mc1", 200, &body).await;
    let result = client(&server)
        .v3()
        .managed_clusters()
        .get_managed_cluster("mc1")
        .send()
        .await;
    let error = decode_error(result, "getManagedCluster", 200, &body);
    // The map is read whole before it is typed: the path names the member, the message the
    // entry inside it.
    assert_eq!(error.path(), "configuration");
    let column = body.find(r#""region":null}"#).unwrap() + r#""region":null}"#.len() + 1;
    assert_eq!(
        error.message(),
        format!("at region: invalid type: null, expected a string at line 1 column {column}")
    );
}

// ----- 8. No body where one is declared -----

#[tokio::test]
async fn no_content_where_a_list_is_declared_is_an_empty_list() {
    let server = serve("/v3/oauth-clients", 204, "").await;
    let clients = client(&server)
        .v3()
        .o_auth_clients()
        .list_oauth_clients()
        .send()
        .await;
    assert_eq!(clients.expect("an empty list"), Vec::new());

    // The paginator too: an empty page ends the listing.
    let server = serve("/v2024/accounts", 204, "").await;
    let accounts = client(&server)
        .v2024()
        .accounts()
        .list_accounts()
        .into_paginator()
        .collect_all()
        .await;
    assert_eq!(accounts.expect("no accounts"), Vec::new());
}

#[tokio::test]
async fn no_content_where_an_object_is_declared_is_an_exact_error() {
    let server = serve("/v3/oauth-clients/c1", 204, "").await;
    let result = client(&server)
        .v3()
        .o_auth_clients()
        .get_oauth_client("c1")
        .send()
        .await;
    let error = decode_error(result, "getOauthClient", 204, "");
    assert_eq!(error.path(), ".");
    assert_eq!(
        error.message(),
        "the response has no body, although the spec declares a JSON body"
    );
    assert_eq!(
        Error::Decode(error).to_string(),
        "getOauthClient: the request succeeded (HTTP 204) but its answer cannot be decoded at .: \
         the response has no body, although the spec declares a JSON body"
    );
}

// ----- Unions: a search hit is the document its `_type` names, or an exact error -----

#[test]
fn a_search_hit_is_the_document_its_type_names_or_an_exact_error() {
    use isc::v3::models::SearchHit;
    let role: SearchHit =
        serde_json::from_value(json!({"_type": "role", "id": "r1", "name": "Admins"})).unwrap();
    assert!(matches!(role, SearchHit::Role(_)), "{role:?}");
    // A document type this client does not know is kept as it came.
    let future = json!({"_type": "machineidentity", "id": "m1", "name": "bot"});
    let kept: SearchHit = serde_json::from_value(future.clone()).unwrap();
    assert!(
        matches!(&kept, SearchHit::Unrecognized(value) if *value == future),
        "{kept:?}"
    );
    // The case measured on a real response: an identity whose `owns` is an object (the spec
    // says an array). Without the discriminator it came back as an EntitlementHit; now it
    // is an error that names the variant, the tag and the path inside the hit.
    let drifted = json!({"_type": "identity", "id": "i1", "name": "Ann", "owns": {"roles": []}});
    let error = serde_json::from_value::<SearchHit>(drifted)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains(r#"SearchHit with _type "identity" is IdentityHit"#),
        "{error}"
    );
    assert!(error.contains("at owns: invalid type: map"), "{error}");
}

#[test]
fn an_untagged_union_keeps_a_value_no_variant_fits_whole() {
    use isc::v3::models::SearchDocument;
    // searchGet's SearchDocument has no discriminator; a role with a drifted member fits no
    // variant, so none is guessed: it is kept whole and written back unchanged.
    let drifted = json!({
        "id": "r1",
        "name": "Admins",
        "accessProfiles": "not a list",
        "accessProfileCount": 1,
        "dimensional": false,
    });
    let kept: SearchDocument = serde_json::from_value(drifted.clone()).unwrap();
    assert!(
        matches!(&kept, SearchDocument::Other(value) if *value == drifted),
        "{kept:?}"
    );
    assert_eq!(serde_json::to_value(&kept).unwrap(), drifted);
}

/// A write whose 2xx answer does not fit the model took effect: the error says so, and keeps the
/// answer, so a bulk job counts it as done instead of sending it again.
#[tokio::test]
async fn a_write_whose_answer_does_not_decode_is_reported_as_succeeded() {
    async fn patch_role(status: u16, body: &str) -> Error {
        let server = MockServer::start().await;
        Mock::given(method("PATCH"))
            .and(path("/v3/roles/2c918086749d78830174a1a40e121518"))
            .respond_with(
                ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json"),
            )
            .expect(1)
            .mount(&server)
            .await;
        let operation = isc::v3::models::JsonPatchOperation::new(
            isc::v3::models::JsonPatchOperationOp::Replace,
            "/enabled",
        );
        client(&server)
            .v3()
            .roles()
            .patch_role("2c918086749d78830174a1a40e121518", vec![operation])
            .send()
            .await
            .unwrap_err()
    }
    // A role without its required `name` and `owner`.
    let body = json!({"id": "2c918086749d78830174a1a40e121518", "enabled": true}).to_string();
    let error = patch_role(200, &body).await;
    assert!(error.request_succeeded(), "{error}");
    assert_eq!(error.body(), Some(body.as_bytes()));
    assert!(
        error.to_string().starts_with(
            "patchRole: the request succeeded (HTTP 200) but its answer cannot be decoded"
        ),
        "{error}"
    );
    // A refused request is not.
    let error = patch_role(400, r#"{"messages": []}"#).await;
    assert!(!error.request_succeeded(), "{error}");
}

#[cfg(feature = "services")]
#[path = "drift/transforms.rs"]
mod transforms;
