//! The generated modules against a local mock server: the call from the README, a
//! JSON-patch update, an experimental operation sending its header without being asked, offset
//! and search-after pagination, and raw responses.
#![cfg(all(feature = "v3", feature = "v2024"))]

use isc::Client;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .no_rate_limit()
        .base_url(server.uri())
        .access_token("token-for-tests")
        .build()
        .unwrap()
}

fn account(id: &str) -> serde_json::Value {
    json!({
        "id": id,
        "name": "john.doe",
        "created": "2015-05-28T14:07:17.000Z",
        "modified": "2024-05-28T14:07:17.123456Z",
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
        "hasEntitlements": true,
        "someFieldTheSpecDoesNotKnow": 1
    })
}

#[tokio::test]
async fn v3_list_accounts_as_in_the_readme() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .and(query_param("filters", "name sw \"a\""))
        .and(query_param("limit", "50"))
        .and(header("authorization", "Bearer token-for-tests"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!([account("a1"), account("a2")])),
        )
        .expect(1)
        .mount(&server)
        .await;
    let accounts = client(&server)
        .v3()
        .accounts()
        .list_accounts()
        .filters("name sw \"a\"")
        .limit(50)
        .send()
        .await
        .expect("list accounts");
    assert_eq!(accounts.len(), 2);
    assert_eq!(accounts[1].id.as_deref(), Some("a2"));
    assert_eq!(accounts[0].native_identity, "552775");
}

#[tokio::test]
async fn v3_json_patch_update_sends_the_patch_content_type() {
    let server = MockServer::start().await;
    let patch = json!([{"op": "replace", "path": "/identityId", "value": "2c9180845d1edece015d27a975983e21"}]);
    Mock::given(method("PATCH"))
        .and(path("/v3/accounts/a%2F1"))
        .and(header("content-type", "application/json-patch+json"))
        .and(body_json(patch.clone()))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let operations = serde_json::from_value(patch).unwrap();
    client(&server)
        .v3()
        .accounts()
        .update_account("a/1", operations)
        .send()
        .await
        .expect("patch");
}

#[tokio::test]
async fn v2024_experimental_operation_sends_the_header_itself() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2024/historical-identities"))
        .and(header("X-SailPoint-Experimental", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let items = client(&server)
        .v2024()
        .identity_history()
        .list_historical_identities()
        .limit(10)
        .send()
        .await
        .expect("experimental call");
    assert!(items.is_empty());
}

#[tokio::test]
async fn v3_error_status_keeps_status_and_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts/missing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "detailCode": "404 Not found",
            "trackingId": "b6cf9b2b2ec0435bbe59a13f8c6a6c31",
            "messages": [{"locale": "en-US", "localeOrigin": "DEFAULT", "text": "not found"}]
        })))
        .mount(&server)
        .await;
    let err = client(&server)
        .v3()
        .accounts()
        .get_account("missing")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert!(err.to_string().contains("getAccount"), "{err}");
    assert!(!format!("{err:?}").contains("token-for-tests"));
}

#[tokio::test]
async fn v3_list_accounts_pages_through_every_account() {
    let server = MockServer::start().await;
    let page = |range: std::ops::Range<usize>| {
        serde_json::Value::Array(range.map(|i| account(&format!("a{i}"))).collect())
    };
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .and(query_param("offset", "0"))
        .and(query_param("limit", "250"))
        .and(query_param("count", "true"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page(0..250))
                .insert_header("X-Total-Count", "251"),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .and(query_param("offset", "250"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(250..251)))
        .expect(1)
        .mount(&server)
        .await;
    let accounts = client(&server)
        .v3()
        .accounts()
        .list_accounts()
        .into_paginator()
        .collect_all()
        .await
        .expect("every account");
    assert_eq!(accounts.len(), 251);
    assert_eq!(accounts[250].id.as_deref(), Some("a250"));
}

#[tokio::test]
async fn v3_search_pages_past_the_offset_limit_with_search_after() {
    use isc::v3::models::{Index, Query, Search, SearchHit};
    let server = MockServer::start().await;
    let identity = |i: usize| json!({"id": format!("id{i:03}"), "name": format!("user{i}"), "_type": "identity"});
    let page =
        |range: std::ops::Range<usize>| serde_json::Value::Array(range.map(identity).collect());
    Mock::given(method("POST"))
        .and(path("/v3/search"))
        .and(query_param("limit", "250"))
        .and(body_json(json!({
            "indices": ["identities"],
            "query": {"query": "*"},
            "sort": ["name", "id"],
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(0..250)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/search"))
        .and(body_json(json!({
            "indices": ["identities"],
            "query": {"query": "*"},
            "sort": ["name", "id"],
            "searchAfter": ["user249", "id249"],
        })))
        // The retry-safe POST is retried after a 503 (searchPost only reads).
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/search"))
        .and(body_json(json!({
            "indices": ["identities"],
            "query": {"query": "*"},
            "sort": ["name", "id"],
            "searchAfter": ["user249", "id249"],
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(250..260)))
        .expect(1)
        .mount(&server)
        .await;
    let search = Search {
        indices: Some(vec![Index::Identities]),
        query: Some(Query {
            query: Some("*".to_owned()),
            ..Default::default()
        }),
        sort: Some(vec!["name".to_owned()]),
        ..Default::default()
    };
    let hits = client(&server)
        .v3()
        .search()
        .search_post(search)
        .into_paginator()
        .collect_all()
        .await
        .expect("every hit");
    assert_eq!(hits.len(), 260);
    let SearchHit::Identity(last) = &hits[259] else {
        panic!("an identity document: {:?}", hits[259]);
    };
    assert_eq!(last.id, "id259");
}

#[tokio::test]
async fn v3_send_raw_gives_the_response_as_received() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts/a1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Custom", "1")
                .set_body_string(r#"{"id": 5}"#),
        )
        .mount(&server)
        .await;
    let response = client(&server)
        .v3()
        .accounts()
        .get_account("a1")
        .send_raw()
        .await
        .expect("raw");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-custom"], "1");
    assert_eq!(response.json_value().unwrap(), json!({"id": 5}));
}

#[test]
fn v3_search_documents_decode_into_the_variant_their_type_names() {
    use isc::v3::models::SearchHit;
    // Every search document type has only `id` and `name` required, so each of these would
    // decode into the first variant listed; `_type` (the discriminator that
    // spec/overlays/v3/search-document-type.yaml declares) picks the right one.
    let role = json!({"id": "r1", "name": "Role", "_type": "role", "accessProfiles": [{"id": "ap1", "name": "AP"}], "requestable": true});
    let access_profile = json!({"id": "p1", "name": "AP", "_type": "accessprofile", "description": "d", "source": {"id": "s", "name": "S"}});
    let identity = json!({"id": "i1", "name": "Jane", "_type": "identity", "email": "jane@example.com", "processingState": null});
    let decoded: SearchHit = serde_json::from_value(role).unwrap();
    assert!(matches!(decoded, SearchHit::Role(_)), "{decoded:?}");
    let decoded: SearchHit = serde_json::from_value(access_profile).unwrap();
    assert!(
        matches!(decoded, SearchHit::AccessProfile(_)),
        "{decoded:?}"
    );
    let decoded: SearchHit = serde_json::from_value(identity).unwrap();
    assert!(matches!(decoded, SearchHit::Identity(_)), "{decoded:?}");
    let error = serde_json::from_value::<SearchHit>(json!("not a document")).unwrap_err();
    assert!(
        error.to_string().contains("missing field `_type`"),
        "{error}"
    );
}

/// v2025, v2026 and beta are wired like v3: their own path prefix, the same runtime, models that
/// decode the same account.
#[cfg(all(feature = "v2025", feature = "v2026", feature = "beta"))]
#[tokio::test]
#[allow(deprecated)] // beta's listAccounts is deprecated in the spec; it still answers
async fn newer_versions_list_accounts_under_their_own_prefix() {
    let server = MockServer::start().await;
    for prefix in ["/v2025", "/v2026", "/beta"] {
        Mock::given(method("GET"))
            .and(path(format!("{prefix}/accounts")))
            .and(query_param("limit", "3"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([account(prefix)])))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let v2025 = client.v2025().accounts().list_accounts().limit(3).send();
    let v2026 = client.v2026().accounts().list_accounts().limit(3).send();
    let beta = client.beta().accounts().list_accounts().limit(3).send();
    assert_eq!(v2025.await.unwrap()[0].id.as_deref(), Some("/v2025"));
    assert_eq!(v2026.await.unwrap()[0].id.as_deref(), Some("/v2026"));
    assert_eq!(beta.await.unwrap()[0].id.as_deref(), Some("/beta"));
}
