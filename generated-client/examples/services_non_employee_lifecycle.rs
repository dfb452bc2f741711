//! The per-service Non-Employee Lifecycle Management API
//! (`client.non_employee_lifecycle_management().v1()`), with the calls of
//! `non_employee_lifecycle`, from a source to an approved request: create a non-employee source
//! with an approver, find it among the sources, add a record and list the records page by page,
//! change it, ask for a second non-employee through a request, approve it as the approver, read
//! the summaries, and clean up.
//!
//! ```sh
//! export SAIL_BASE_URL=https://acme.api.identitynow.com SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=...
//! cargo run -p isc-client --no-default-features --features services --example services_non_employee_lifecycle -- <owner-identity-id> <approver-identity-id>
//! ```

use chrono::{Duration, Utc};
use futures_util::TryStreamExt;
use isc::Client;
use isc::runtime::{DateTime, JsonPatch};
use isc::services::models::{
    NonEmployeeApprovalDecision, NonEmployeeIdnUserRequest, NonEmployeeRequestBody,
    NonEmployeeSourceRequestBody,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [owner_id, approver_id] = &args[..] else {
        return Err(
            "usage: services_non_employee_lifecycle <owner-identity-id> <approver-identity-id>"
                .into(),
        );
    };

    let client = Client::from_env()?;
    let api = client.non_employee_lifecycle_management().v1();

    // Sources.
    let body = NonEmployeeSourceRequestBody {
        approvers: Some(vec![NonEmployeeIdnUserRequest::new(approver_id)]),
        ..NonEmployeeSourceRequestBody::new(
            "Example contractors",
            "Created by the isc-client example",
            NonEmployeeIdnUserRequest::new(owner_id),
        )
    };
    let source = api.create_non_employee_source(body).send().await?;
    let source_id = source.id.clone().ok_or("the new source has no id")?;
    println!(
        "source {source_id} ({:?}), cloud id {:?}",
        source.name, source.cloud_external_id
    );
    let sources = api
        .list_non_employee_sources()
        .non_employee_count(true)
        .sorters("name")
        .send()
        .await?;
    println!("{} source(s) on the first page", sources.len());

    // Records: created directly, without approval.
    let contractor = |account_name: &str, first: &str, last: &str| {
        NonEmployeeRequestBody::new(
            account_name,
            first,
            last,
            format!("{account_name}@example.com"),
            "5555555555",
            "jane.doe",
            &source_id,
            DateTime::now(),
            DateTime::from(Utc::now() + Duration::days(90)),
        )
    };
    let record = api
        .create_non_employee_record(contractor("william.smith", "William", "Smith"))
        .send()
        .await?;
    let record_id = record.id.clone().ok_or("the new record has no id")?;
    println!(
        "record {record_id}: {:?} {:?}",
        record.first_name, record.last_name
    );

    let records: Vec<_> = api
        .list_non_employee_records()
        .filters(format!("sourceId eq \"{source_id}\""))
        .into_paginator()
        .items()
        .try_collect()
        .await?;
    println!("{} record(s) on the source", records.len());

    let end = DateTime::from(Utc::now() + Duration::days(180));
    let patch = JsonPatch::new().replace("/endDate", end).operations()?;
    let record = api
        .patch_non_employee_record(&record_id, patch)
        .send()
        .await?;
    println!("record now ends {:?}", record.end_date);

    // Requests go through the source's approvers.
    let request = api
        .create_non_employee_request(contractor("ava.jones", "Ava", "Jones"))
        .send()
        .await?;
    println!("request {:?}: {:?}", request.id, request.approval_status);

    // What the approver sees and does.
    let approvals = api
        .list_non_employee_approvals()
        .requested_for(approver_id.clone())
        .filters("approvalStatus eq \"PENDING\"")
        .send()
        .await?;
    for approval_id in approvals.iter().filter_map(|approval| approval.id.as_ref()) {
        let decision = NonEmployeeApprovalDecision {
            comment: Some("Approved by the isc-client example".to_owned()),
            ..Default::default()
        };
        let decided = api
            .approve_non_employee_request(approval_id, decision)
            .send()
            .await?;
        println!("approval {approval_id}: {:?}", decided.approval_status);
    }
    let summary = api
        .get_non_employee_approval_summary(approver_id.clone())
        .send()
        .await?;
    println!(
        "approver's summary: {:?} approved, {:?} pending, {:?} rejected",
        summary.approved, summary.pending, summary.rejected
    );
    let summary = api
        .get_non_employee_request_summary(owner_id.clone())
        .send()
        .await?;
    println!("requests of the owner: {summary:?}");

    // Clean up.
    api.delete_non_employee_record(&record_id).send().await?;
    api.delete_non_employee_source(&source_id).send().await?;
    println!("deleted the record and the source");
    Ok(())
}
