//! Calls an experimental v2024 accounts operation: lists machine accounts.
//!
//! ```sh
//! export SAIL_BASE_URL=https://acme.api.identitynow.com SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=...
//! cargo run -p isc-client --features v2024 --example experimental_machine_accounts
//! ```
//!
//! Experimental operations need the header `X-SailPoint-Experimental: true`. The generated
//! client sends it by itself: nothing to pass, and the operation's docs say it is experimental.

use isc::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let accounts = client
        .v2024()
        .machine_accounts()
        .list_machine_accounts()
        .limit(50)
        .send()
        .await?;
    for account in &accounts {
        println!(
            "{}\t{}",
            account.id.as_deref().unwrap_or("-"),
            account.name.as_deref().unwrap_or("-")
        );
    }
    // Every operation is described in the version's table, experimental ones included.
    let experimental = isc::v2024::OPERATIONS
        .iter()
        .filter(|op| op.experimental)
        .count();
    eprintln!(
        "{} machine accounts; v2024 has {experimental} experimental operations",
        accounts.len()
    );
    Ok(())
}
