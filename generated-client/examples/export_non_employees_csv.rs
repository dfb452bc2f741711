//! Exports the records of a non-employee source as CSV, and the CSV template of its schema (the
//! header line a bulk upload expects), with the v3 Non-Employee Lifecycle Management API.
//!
//! ```sh
//! export SAIL_BASE_URL=https://acme.api.identitynow.com SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=...
//! cargo run -p isc-client --example export_non_employees_csv -- <source-id> [<out-dir>]
//! ```
//!
//! Both answers are `text/csv`: the client returns them as `String`, written here to
//! `<out-dir>/records.csv` and `<out-dir>/template.csv` (default: the current folder).

use std::path::PathBuf;

use isc::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let source_id = args
        .next()
        .ok_or("usage: export_non_employees_csv <source-id> [<out-dir>]")?;
    let out = PathBuf::from(args.next().unwrap_or_else(|| ".".to_owned()));

    let client = Client::from_env()?;
    let api = client.v3().non_employee_lifecycle_management();

    let records = api.export_non_employee_records(&source_id).send().await?;
    let template = api
        .export_non_employee_source_schema_template(&source_id)
        .send()
        .await?;
    for (name, csv) in [("records.csv", &records), ("template.csv", &template)] {
        let file = out.join(name);
        std::fs::write(&file, csv)?;
        println!(
            "{}: {} line(s), header {:?}",
            file.display(),
            csv.lines().count(),
            csv.lines().next().unwrap_or("")
        );
    }
    Ok(())
}
