//! Every waiter (`wait()` of the status operations listed under `[[codegen.waiters]]` in
//! spec/pin.toml), in every API that has it, against a local server that walks through the
//! states: running then completed, running then failed (with the server's message), gone (a
//! 404), and a wait that runs out of time.
#![cfg(any(
    feature = "services",
    feature = "v3",
    feature = "v2024",
    feature = "v2025",
    feature = "v2026",
    feature = "beta"
))]
// Each API has only some of the waiters: the cases of the others are unused with its feature
// alone.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use isc::Client;
use isc::runtime::{WaitOutcome, Waiter};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

/// Answers the n-th GET with the n-th reply (the last one from then on).
struct Walk {
    replies: Vec<(u16, Value)>,
    polls: Arc<AtomicUsize>,
}

impl Respond for Walk {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let n = self.polls.fetch_add(1, Ordering::SeqCst);
        let (status, body) = &self.replies[n.min(self.replies.len() - 1)];
        ResponseTemplate::new(*status).set_body_json(body)
    }
}

async fn walk(replies: Vec<(u16, Value)>) -> (MockServer, Client, Arc<AtomicUsize>) {
    let server = MockServer::start().await;
    let polls = Arc::new(AtomicUsize::new(0));
    Mock::given(method("GET"))
        .respond_with(Walk {
            replies,
            polls: Arc::clone(&polls),
        })
        .mount(&server)
        .await;
    let client = Client::builder()
        .no_rate_limit()
        .base_url(server.uri())
        .access_token("token")
        .build()
        .unwrap();
    (server, client, polls)
}

/// `base` with its state member (dotted `path`) set to `state` (`Value::Null`: running, no state).
fn with_state(base: &Value, path: &str, state: Value) -> Value {
    let mut body = base.clone();
    let mut at = &mut body;
    let parts: Vec<&str> = path.split('.').collect();
    for part in &parts[..parts.len() - 1] {
        at = &mut at[*part];
    }
    at[parts[parts.len() - 1]] = state;
    body
}

/// One waiter: how to make it from a client, a status answer with every required member, and
/// its states.
struct Case<T> {
    name: &'static str,
    start: fn(&Client) -> Waiter<T>,
    base: Value,
    state: &'static str,
    running: Value,
    completed: &'static str,
    failed: Option<&'static str>,
    /// Where the failure message goes, and the message.
    message: Option<(&'static str, Value, &'static str)>,
}

fn fast<T: serde::de::DeserializeOwned + Send + 'static>(waiter: Waiter<T>) -> Waiter<T> {
    waiter.poll_interval(Duration::from_millis(20))
}

async fn check<T: serde::de::DeserializeOwned + Send + std::fmt::Debug + 'static>(case: Case<T>) {
    let name = case.name;
    let running = with_state(&case.base, case.state, case.running.clone());

    // Running twice, then completed; progress sees each state.
    let done = with_state(&case.base, case.state, json!(case.completed));
    let (_server, client, polls) = walk(vec![
        (200, running.clone()),
        (200, running.clone()),
        (200, done),
    ])
    .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let outcome = fast((case.start)(&client))
        .on_progress(move |p| log.lock().unwrap().push(p.state.map(str::to_owned)))
        .await
        .unwrap();
    assert!(
        matches!(outcome, WaitOutcome::Completed(_)),
        "{name}: {outcome:?}"
    );
    assert_eq!(polls.load(Ordering::SeqCst), 3, "{name}");
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3, "{name}: {seen:?}");
    assert_eq!(seen[2].as_deref(), Some(case.completed), "{name}");

    // Running, then failed, with the server's message when the answer has one.
    if let Some(failed) = case.failed {
        let mut failure = with_state(&case.base, case.state, json!(failed));
        if let Some((path, value, _)) = &case.message {
            failure = with_state(&failure, path, value.clone());
        }
        let (_server, client, _) = walk(vec![(200, running.clone()), (200, failure)]).await;
        match fast((case.start)(&client)).await.unwrap() {
            WaitOutcome::Failed { state, message, .. } => {
                assert_eq!(state, failed, "{name}");
                assert_eq!(
                    message.as_deref(),
                    case.message.as_ref().map(|m| m.2),
                    "{name}"
                );
            }
            other => panic!("{name}: expected Failed, got {other:?}"),
        }
    }

    // Running, then 404: gone.
    let (_server, client, _) = walk(vec![
        (200, running.clone()),
        (404, json!({"messages": [{"text": "not found"}]})),
    ])
    .await;
    let outcome = fast((case.start)(&client)).await.unwrap();
    assert!(
        matches!(outcome, WaitOutcome::Gone { state: None }),
        "{name}: {outcome:?}"
    );

    // Running past the deadline: timed out, with the last answer.
    let (_server, client, _) = walk(vec![(200, running)]).await;
    let outcome = fast((case.start)(&client))
        .timeout(Duration::from_millis(150))
        .await
        .unwrap();
    match outcome {
        WaitOutcome::TimedOut { last, .. } => assert!(last.is_some(), "{name}"),
        other => panic!("{name}: expected TimedOut, got {other:?}"),
    }
}

const CREATED: &str = "2024-01-01T00:00:00Z";

type Start<T> = fn(&Client) -> Waiter<T>;

fn account_aggregation<T>(name: &'static str, start: Start<T>) -> Case<T> {
    Case {
        name,
        start,
        base: json!({"start": CREATED}),
        state: "status",
        running: json!("STARTED"),
        completed: "COMPLETED",
        failed: Some("TERMINATED"),
        message: None,
    }
}

/// `NOT_FOUND` is gone too.
async fn account_aggregation_not_found<T>(start: Start<T>)
where
    T: serde::de::DeserializeOwned + Send + std::fmt::Debug + 'static,
{
    let (_server, client, _) = walk(vec![(200, json!({"status": "NOT_FOUND"}))]).await;
    let outcome = fast(start(&client)).await.unwrap();
    assert!(
        matches!(&outcome, WaitOutcome::Gone { state: Some(s) } if s == "NOT_FOUND"),
        "{outcome:?}"
    );
}

fn task_status<T>(name: &'static str, start: Start<T>) -> Case<T> {
    Case {
        name,
        start,
        base: json!({
            "id": "t1", "type": "QUARTZ", "uniqueName": "Cloud Source Deletion",
            "description": "deleting a source", "launcher": "admin", "created": CREATED,
            "messages": [], "returns": [], "attributes": {}, "percentComplete": 40,
        }),
        state: "completionStatus",
        running: Value::Null,
        completed: "SUCCESS",
        failed: Some("ERROR"),
        message: Some((
            "messages",
            json!([{"type": "ERROR", "key": "source in use", "localizedText": null}]),
            "source in use",
        )),
    }
}

fn report_result<T>(name: &'static str, start: Start<T>) -> Case<T> {
    Case {
        name,
        start,
        base: json!({"reportType": "ACCOUNTS", "taskDefName": "Accounts"}),
        state: "status",
        running: Value::Null,
        completed: "SUCCESS",
        failed: Some("FAILURE"),
        message: None,
    }
}

fn sp_config_job(kind: &str) -> Value {
    json!({
        "jobId": "j1", "type": kind, "created": CREATED, "modified": CREATED,
        "expiration": "2024-01-02T00:00:00Z",
    })
}

fn sp_config_export<T>(name: &'static str, start: Start<T>) -> Case<T> {
    Case {
        name,
        start,
        base: sp_config_job("EXPORT"),
        state: "status",
        running: json!("IN_PROGRESS"),
        completed: "COMPLETE",
        failed: Some("FAILED"),
        message: Some(("message", json!("object too large"), "object too large")),
    }
}

fn sp_config_import<T>(name: &'static str, start: Start<T>) -> Case<T> {
    Case {
        name,
        start,
        base: sp_config_job("IMPORT"),
        state: "status",
        running: json!("NOT_STARTED"),
        completed: "COMPLETE",
        failed: Some("FAILED"),
        message: Some(("message", json!("bad reference"), "bad reference")),
    }
}

fn non_employee_bulk_upload<T>(name: &'static str, start: Start<T>) -> Case<T> {
    Case {
        name,
        start,
        base: json!({}),
        state: "status",
        running: json!("IN_PROGRESS"),
        completed: "COMPLETED",
        failed: Some("ERROR"),
        message: None,
    }
}

#[cfg(feature = "services")]
mod services {
    use super::*;

    #[tokio::test]
    async fn account_aggregation() {
        let start: Start<_> = |c| {
            c.account_aggregations()
                .v1()
                .get_account_aggregation_status("a1")
                .wait()
        };
        check(super::account_aggregation(
            "services getAccountAggregationStatusV1",
            start,
        ))
        .await;
        account_aggregation_not_found(start).await;
    }

    #[tokio::test]
    async fn task_status() {
        check(super::task_status("services getTaskStatusV1", |c| {
            c.task_management().v1().get_task_status("t1").wait()
        }))
        .await;
    }

    #[tokio::test]
    async fn report_result() {
        check(super::report_result("services getReportResultV1", |c| {
            c.reports_data_extraction()
                .v1()
                .get_report_result("r1")
                .wait()
        }))
        .await;
    }

    #[tokio::test]
    async fn sp_config_export() {
        check(super::sp_config_export(
            "services getSpConfigExportStatusV1",
            |c| c.sp_config().v1().get_sp_config_export_status("j1").wait(),
        ))
        .await;
    }

    #[tokio::test]
    async fn sp_config_import() {
        check(super::sp_config_import(
            "services getSpConfigImportStatusV1",
            |c| c.sp_config().v1().get_sp_config_import_status("j1").wait(),
        ))
        .await;
    }

    #[tokio::test]
    async fn non_employee_bulk_upload() {
        check(super::non_employee_bulk_upload(
            "services getNonEmployeeBulkUploadStatusV1",
            |c| {
                c.non_employee_lifecycle_management()
                    .v1()
                    .get_non_employee_bulk_upload_status("s1")
                    .wait()
            },
        ))
        .await;
    }
}

/// The waiters of a year version, reached through `client.<version>()`.
macro_rules! year_version_waiters {
    ($feature:literal, $version:ident, [$($waiter:ident),*]) => {
        #[cfg(feature = $feature)]
        // Some status operations are deprecated in the spec (beta's bulk upload status); they
        // still answer.
        #[allow(deprecated)]
        mod $version {
            use super::*;
            $(year_version_waiters!(@one $version, $waiter);)*
        }
    };
    (@one $version:ident, account_aggregation) => {
        #[tokio::test]
        async fn account_aggregation() {
            let start: Start<_> =
                |c| c.$version().account_aggregations().get_account_aggregation_status("a1").wait();
            check(super::account_aggregation(concat!(stringify!($version), " getAccountAggregationStatus"), start)).await;
            account_aggregation_not_found(start).await;
        }
    };
    (@one $version:ident, task_status) => {
        #[tokio::test]
        async fn task_status() {
            check(super::task_status(concat!(stringify!($version), " getTaskStatus"), |c| {
                c.$version().task_management().get_task_status("t1").wait()
            }))
            .await;
        }
    };
    (@one $version:ident, report_result) => {
        #[tokio::test]
        async fn report_result() {
            check(super::report_result(concat!(stringify!($version), " getReportResult"), |c| {
                c.$version().reports_data_extraction().get_report_result("r1").wait()
            }))
            .await;
        }
    };
    (@one $version:ident, sp_config) => {
        #[tokio::test]
        async fn sp_config_export() {
            check(super::sp_config_export(concat!(stringify!($version), " getSpConfigExportStatus"), |c| {
                c.$version().sp_config().get_sp_config_export_status("j1").wait()
            }))
            .await;
        }

        #[tokio::test]
        async fn sp_config_import() {
            check(super::sp_config_import(concat!(stringify!($version), " getSpConfigImportStatus"), |c| {
                c.$version().sp_config().get_sp_config_import_status("j1").wait()
            }))
            .await;
        }
    };
    (@one $version:ident, non_employee_bulk_upload) => {
        #[tokio::test]
        async fn non_employee_bulk_upload() {
            check(super::non_employee_bulk_upload(concat!(stringify!($version), " getNonEmployeeBulkUploadStatus"), |c| {
                c.$version()
                    .non_employee_lifecycle_management()
                    .get_non_employee_bulk_upload_status("s1")
                    .wait()
            }))
            .await;
        }
    };
}

year_version_waiters!("v3", v3, [report_result, non_employee_bulk_upload]);
year_version_waiters!(
    "v2024",
    v2024,
    [
        account_aggregation,
        task_status,
        report_result,
        sp_config,
        non_employee_bulk_upload
    ]
);
year_version_waiters!(
    "v2025",
    v2025,
    [
        account_aggregation,
        task_status,
        report_result,
        sp_config,
        non_employee_bulk_upload
    ]
);
year_version_waiters!(
    "v2026",
    v2026,
    [
        account_aggregation,
        task_status,
        report_result,
        sp_config,
        non_employee_bulk_upload
    ]
);
year_version_waiters!(
    "beta",
    beta,
    [
        account_aggregation,
        task_status,
        sp_config,
        non_employee_bulk_upload
    ]
);
