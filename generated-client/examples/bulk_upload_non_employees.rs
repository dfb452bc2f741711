//! Bulk-uploads non-employee records from a CSV file to a non-employee source (v2024
//! Non-Employee Lifecycle Management API), then polls the job until it is done, for at most
//! `<max-wait-seconds>` (default 600; with 0 it reports the status once).
//!
//! ```sh
//! export SAIL_BASE_URL=https://acme.api.identitynow.com SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=...
//! cargo run -p isc-client --features v2024 --example bulk_upload_non_employees -- \
//!     <source-id> generated-client/examples/data/contractors.csv [<max-wait-seconds>]
//! ```
//!
//! The CSV's header line is the source's schema: `export_non_employees_csv` writes the template.

use std::time::{Duration, Instant};

use isc::Client;
use isc::runtime::FilePart;
use isc::v2024::models::NonEmployeeBulkUploadStatusStatus as Status;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: bulk_upload_non_employees <source-id> <file.csv> [<max-wait-seconds>]";
    let (Some(source_id), Some(csv)) = (args.next(), args.next()) else {
        return Err(usage.into());
    };
    let max_wait = match args.next() {
        Some(seconds) => Duration::from_secs(seconds.parse().map_err(|_| usage)?),
        None => Duration::from_secs(600),
    };

    let client = Client::from_env()?;
    let api = client.v2024().non_employee_lifecycle_management();
    let file = FilePart::from_path(&csv)?.content_type("text/csv");
    let job = api
        .import_non_employee_records_in_bulk(&source_id)
        .data(file)
        .send()
        .await?;
    println!("upload job {:?} started", job.id);

    let started = Instant::now();
    loop {
        let status = api
            .get_non_employee_bulk_upload_status(&source_id)
            .send()
            .await?;
        match status.status {
            Some(Status::Pending | Status::InProgress) => {
                println!("upload {:?}", status.status);
                if started.elapsed() >= max_wait {
                    println!(
                        "still running after {} s: ask again with get_non_employee_bulk_upload_status",
                        max_wait.as_secs()
                    );
                    return Ok(());
                }
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
            other => {
                println!("upload finished: {other:?}");
                return Ok(());
            }
        }
    }
}
