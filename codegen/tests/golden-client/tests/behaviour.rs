//! Behaviour of generated operations against a local mock server: what goes on the wire for each
//! kind of parameter, body and response in the kitchen-sink fixture.

use golden_client::kitchen_sink::{
    Api, apis::items::CreateItemResponse, apis::items::GetItemResponse,
};
use isc_runtime::{Client, FilePart};
use serde_json::json;
use wiremock::matchers::{body_json, header, headers, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn api(server: &MockServer) -> Api {
    let client = Client::builder()
        .no_rate_limit()
        .base_url(server.uri())
        .access_token("fixture-token")
        .build()
        .expect("client");
    Api::new(client)
}

fn item_json(id: &str) -> serde_json::Value {
    json!({
        "id": id,
        "name": "widget",
        "status": "ACTIVE",
        "owner": null,
        "created": "2024-01-02T03:04:05Z",
        "type": "t",
        "filter.$": "f",
        "display-name": "Widget"
    })
}

#[tokio::test]
async fn query_parameters_and_implicit_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/items"))
        .and(query_param("limit", "10"))
        .and(query_param("filters", "name eq \"a b\""))
        .and(query_param("detailLevel", "FULL"))
        .and(header("X-Fixture-Experimental", "true"))
        .and(header("X-Trace", "t-1"))
        .and(header("authorization", "Bearer fixture-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([item_json("a1")])))
        .expect(1)
        .mount(&server)
        .await;
    let items = api(&server)
        .await
        .items()
        .list_items()
        .limit(10)
        .filters("name eq \"a b\"")
        .detail_level("FULL".parse().unwrap())
        .x_trace("t-1")
        .send()
        .await
        .expect("list");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].id, "a1");
    assert_eq!(items[0].type_.as_deref(), Some("t"));
    assert_eq!(items[0].filter.as_deref(), Some("f"));
}

#[tokio::test]
async fn path_parameters_are_encoded_and_several_statuses_decode_to_variants() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/items/a%2Fb%20c"))
        .respond_with(ResponseTemplate::new(200).set_body_json(item_json("a/b c")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/items/pending"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let api = api(&server).await;
    match api.items().get_item("a/b c").send().await.expect("200") {
        GetItemResponse::Ok(item) => assert_eq!(item.id, "a/b c"),
        other => panic!("expected Ok, got {other:?}"),
    }
    match api.items().get_item("pending").send().await.expect("204") {
        GetItemResponse::NoContent => {}
        other => panic!("expected NoContent, got {other:?}"),
    }
}

#[tokio::test]
async fn json_body_and_accepted_variant() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/items"))
        .and(header("content-type", "application/json"))
        .and(body_json(item_json("new")))
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_json(json!({"taskId": "t1", "status": "SOMETHING_NEW"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let item = serde_json::from_value(item_json("new")).expect("fixture item decodes");
    match api(&server)
        .await
        .items()
        .create_item(item)
        .send()
        .await
        .expect("202")
    {
        CreateItemResponse::Accepted(task) => {
            assert_eq!(task.task_id, "t1");
            // Required collections that are missing decode as empty.
            assert_eq!(task.steps, Vec::<String>::new());
            assert!(task.params.is_empty());
            // An enum value the spec does not list is kept, not an error.
            assert_eq!(
                serde_json::to_value(&task.status).unwrap(),
                json!("SOMETHING_NEW")
            );
        }
        other => panic!("expected Accepted, got {other:?}"),
    }
}

#[tokio::test]
async fn json_patch_is_sent_with_its_own_content_type() {
    let server = MockServer::start().await;
    let patch = json!([{"op": "replace", "path": "/name", "value": "x"}]);
    Mock::given(method("PATCH"))
        .and(path("/v1/items/i1"))
        .and(header("content-type", "application/json-patch+json"))
        .and(body_json(patch.clone()))
        .respond_with(ResponseTemplate::new(200).set_body_json(item_json("i1")))
        .expect(1)
        .mount(&server)
        .await;
    let operations = serde_json::from_value(patch).expect("patch decodes");
    let item = api(&server)
        .await
        .items()
        .patch_item("i1", operations)
        .send()
        .await
        .expect("patch");
    assert_eq!(item.id, "i1");
}

#[tokio::test]
async fn multipart_upload_sends_file_and_text_parts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/uploads"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"taskId": "up"})))
        .expect(1)
        .mount(&server)
        .await;
    let file = FilePart::new(b"a,b\n1,2\n".to_vec(), "records.csv").content_type("text/csv");
    let task = api(&server)
        .await
        .file_transfers()
        .upload_file(file)
        .name("batch")
        .retries(3)
        .send()
        .await
        .expect("upload");
    assert_eq!(task.task_id, "up");
    let requests: Vec<Request> = server.received_requests().await.unwrap();
    let content_type = requests[0]
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let body = String::from_utf8_lossy(&requests[0].body);
    assert!(
        body.contains("name=\"data\"; filename=\"records.csv\""),
        "{body}"
    );
    assert!(body.contains("a,b\n1,2\n"), "{body}");
    assert!(body.contains("name=\"name\""), "{body}");
    assert!(body.contains("batch"), "{body}");
    assert!(body.contains("name=\"retries\""), "{body}");
}

#[tokio::test]
async fn misnamed_path_placeholder_is_bound_and_csv_is_text() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/items/i9/export"))
        .and(header("accept", "text/csv"))
        .respond_with(ResponseTemplate::new(200).set_body_string("id,name\ni9,widget\n"))
        .expect(1)
        .mount(&server)
        .await;
    let csv = api(&server)
        .await
        .file_transfers()
        .export_item("i9")
        .send()
        .await
        .expect("csv");
    assert_eq!(csv, "id,name\ni9,widget\n");
}

#[tokio::test]
async fn binary_response_is_bytes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/reports/admin/file"))
        .and(headers(
            "accept",
            vec!["application/json", "application/pdf"],
        ))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![0x25, 0x50, 0x44, 0x46, 0xff]))
        .mount(&server)
        .await;
    let pdf = api(&server)
        .await
        .file_transfers()
        .download_report("admin")
        .send()
        .await
        .expect("pdf");
    assert_eq!(&pdf[..], &[0x25, 0x50, 0x44, 0x46, 0xff]);
}

#[tokio::test]
async fn a_file_answer_can_be_streamed_into_a_writer() {
    let server = MockServer::start().await;
    let pdf: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    Mock::given(method("GET"))
        .and(path("/v1/reports/admin/file"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(pdf.clone()))
        .mount(&server)
        .await;
    let streaming = api(&server)
        .await
        .file_transfers()
        .download_report("admin")
        .send_streaming()
        .await
        .expect("headers");
    assert_eq!(streaming.content_length(), Some(pdf.len() as u64));
    let mut out = Vec::new();
    let written = streaming.copy_to(&mut out).await.expect("body");
    assert_eq!(written, pdf.len() as u64);
    assert_eq!(out, pdf);
}

#[tokio::test]
async fn error_status_keeps_status_and_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/items"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({"detailCode": "400.1 Bad request"})),
        )
        .mount(&server)
        .await;
    let err = api(&server)
        .await
        .items()
        .list_items()
        .send()
        .await
        .expect_err("400");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert!(String::from_utf8_lossy(err.body().unwrap()).contains("400.1 Bad request"));
}

#[tokio::test]
async fn multipart_without_declared_fields_takes_a_whole_form() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1/uploads"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let form = isc_runtime::MultipartForm::new().text("free", "form");
    api(&server)
        .await
        .file_transfers()
        .put_free_form(form)
        .send()
        .await
        .expect("204");
    let requests = server.received_requests().await.unwrap();
    let body = String::from_utf8_lossy(&requests[0].body);
    assert!(body.contains("name=\"free\""), "{body}");
}

/// Serves items `0..total` by `offset`/`limit`, with the total in `X-Total-Count` when asked.
struct ItemList {
    total: usize,
}

impl wiremock::Respond for ItemList {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query: std::collections::HashMap<String, String> =
            request.url.query_pairs().into_owned().collect();
        let offset: usize = query
            .get("offset")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let limit: usize = query
            .get("limit")
            .and_then(|v| v.parse().ok())
            .unwrap_or(250);
        if offset > 0 && offset >= self.total {
            return ResponseTemplate::new(400).set_body_string("offset invalid");
        }
        let items: Vec<serde_json::Value> = (offset..(offset + limit).min(self.total))
            .map(|i| item_json(&format!("item-{i}")))
            .collect();
        let mut response = ResponseTemplate::new(200).set_body_json(items);
        if query.get("count").map(String::as_str) == Some("true") {
            response = response.insert_header("X-Total-Count", self.total.to_string());
        }
        response
    }
}

#[tokio::test]
async fn list_operations_page_through_everything_without_asking_past_the_end() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/items"))
        .and(query_param("filters", "name sw \"i\""))
        .and(header("X-Fixture-Experimental", "true"))
        .respond_with(ItemList { total: 300 })
        .mount(&server)
        .await;
    let items = api(&server)
        .await
        .items()
        .list_items()
        .filters("name sw \"i\"")
        .limit(100)
        .into_paginator()
        .collect_all()
        .await
        .expect("all items");
    assert_eq!(items.len(), 300);
    assert_eq!(items[299].id, "item-299");
    let offsets: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "offset")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        })
        .collect();
    // 300 is a multiple of the page size: the total from the first page stops the listing.
    assert_eq!(offsets, vec!["0", "100", "200"]);
}

#[tokio::test]
async fn search_paginator_pages_by_the_last_sort_values_and_never_sends_the_offset() {
    let server = MockServer::start().await;
    let page = |from: usize, n: usize| {
        let items: Vec<_> = (from..from + n)
            .map(|i| item_json(&format!("i{i:03}")))
            .collect();
        ResponseTemplate::new(200).set_body_json(items)
    };
    Mock::given(method("POST"))
        .and(path("/v1/items/search"))
        .and(query_param("limit", "2"))
        .and(body_json(json!({"query": "w*", "sort": ["name", "id"]})))
        .respond_with(page(0, 2))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/items/search"))
        .and(query_param("limit", "2"))
        .and(body_json(json!({
            "query": "w*",
            "sort": ["name", "id"],
            "searchAfter": ["widget", "i001"],
        })))
        .respond_with(page(2, 1))
        .expect(1)
        .mount(&server)
        .await;
    let body = golden_client::kitchen_sink::models::SearchItemsRequest {
        query: Some("w*".to_owned()),
        sort: Some(vec!["name".to_owned()]),
        ..Default::default()
    };
    let items = api(&server)
        .await
        .items()
        .search_items(body)
        .offset(5000)
        .limit(2)
        .into_paginator()
        .collect_all()
        .await
        .expect("search");
    let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["i000", "i001", "i002"]);
    for request in server.received_requests().await.unwrap() {
        assert!(
            !request.url.query().unwrap_or("").contains("offset"),
            "{}",
            request.url
        );
    }
}

#[tokio::test]
async fn send_raw_returns_the_response_undecoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/items/a1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Extra", "yes")
                // Does not fit the Item model at all.
                .set_body_json(json!({"id": 7, "unexpected": [1, 2]})),
        )
        .mount(&server)
        .await;
    let items = api(&server).await.items();
    assert!(
        items.get_item("a1").send().await.is_err(),
        "the model does not fit"
    );
    let response = items.get_item("a1").send_raw().await.expect("raw response");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-extra"], "yes");
    assert_eq!(response.operation().operation_id, "getItem");
    assert_eq!(
        response.json_value().unwrap(),
        json!({"id": 7, "unexpected": [1, 2]})
    );
    assert_eq!(
        response.body().as_ref(),
        br#"{"id":7,"unexpected":[1,2]}"#.as_slice()
    );
}

#[tokio::test]
async fn into_request_can_be_changed_and_sent_with_execute() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/items/a1"))
        .and(header("X-Custom", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(item_json("a1")))
        .expect(1)
        .mount(&server)
        .await;
    let (client, mut request) = api(&server)
        .await
        .items()
        .get_item("a1")
        .into_request()
        .expect("request");
    assert_eq!(request.path(), "/v1/items/a1");
    request.header("X-Custom", "1");
    let response = client.execute(request).await.expect("sent");
    assert_eq!(response.status(), 200);
}

#[test]
fn an_incoming_trigger_request_decodes_into_its_payload() {
    use golden_client::kitchen_sink::webhooks::{Event, Trigger};
    let body = serde_json::to_vec(&item_json("i-1")).unwrap();
    let trigger = Trigger::from_name("ItemCreated").expect("a trigger of the fixture");
    let event = trigger.parse(&body).expect("the payload decodes");
    assert_eq!(event.trigger(), Trigger::ItemCreated);
    let Event::ItemCreated(item) = event else {
        panic!("{event:?}")
    };
    assert_eq!(item.id, "i-1");
    assert_eq!(Trigger::ALL.len(), 2);
    assert_eq!(Trigger::from_name("Nope"), None);

    let err = Trigger::ItemReview
        .parse(br#"{"itemId": true}"#)
        .expect_err("a boolean where a string is declared");
    assert_eq!(err.trigger(), "ItemReview");
    assert_eq!(err.path(), "itemId");
    assert_eq!(&err.body()[..], br#"{"itemId": true}"#);
}
