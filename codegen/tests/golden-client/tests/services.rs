//! The services fixture: each service's major versions are handles of their own, and the
//! methods leave the version out of their names.

use golden_client::services::Api;
use golden_client::services::models::WidgetV1;
use isc_runtime::Client;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn api(server: &MockServer) -> Api {
    let client = Client::builder()
        .no_rate_limit()
        .base_url(server.uri())
        .access_token("fixture-token")
        .build()
        .expect("client");
    Api::new(client)
}

#[tokio::test]
async fn each_major_version_calls_its_own_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/widgets/v1/w1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "w1", "name": "one"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/widgets/v2/w1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "w1", "name": "one", "parts": ["a"]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let api = api(&server);
    let v1: WidgetV1 = api
        .widgets()
        .v1()
        .get_widget("w1")
        .send()
        .await
        .expect("v1");
    assert_eq!(v1.name, "one");
    let v2 = api
        .widgets()
        .v2()
        .get_widget("w1")
        .send()
        .await
        .expect("v2");
    assert_eq!(v2.parts, Some(vec!["a".to_string()]));
}

#[tokio::test]
async fn versioned_lists_page_and_unversioned_operations_stay_on_the_service() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/widgets/v1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([{"id": "a", "name": "a"}, {"id": "b", "name": "b"}])),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/gadgets/v1/g1/ping"))
        .and(header("X-Fixture-Experimental", "true"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/gadgets/health"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .expect(1)
        .mount(&server)
        .await;
    let api = api(&server);
    let all = api
        .widgets()
        .v1()
        .list_widgets()
        .into_paginator()
        .collect_all()
        .await
        .expect("list");
    assert_eq!(all.len(), 2);
    api.gadgets()
        .v1()
        .ping_gadget("g1")
        .send()
        .await
        .expect("ping");
    let health = api.gadgets().gadget_health().send().await.expect("health");
    assert_eq!(health, "ok");
}
