//! Streams every account of the tenant (the per-service Accounts API, v1), one page of 250 in
//! memory at a time.
//!
//! ```sh
//! export SAIL_BASE_URL=https://acme.api.identitynow.com SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=...
//! cargo run -p isc-client --example stream_accounts -- 'sourceId eq "2c9180835d2e5168015d32f890ca1581"'
//! ```
//!
//! An account that does not fit the model is reported with its JSON path and the listing goes
//! on; a failed request ends it.

use futures_util::StreamExt;
use isc::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let mut list = client.accounts().v1().list_accounts();
    if let Some(filters) = std::env::args().nth(1) {
        list = list.filters(filters);
    }
    let mut accounts = list.into_paginator().items();
    let (mut listed, mut odd) = (0u64, 0u64);
    while let Some(account) = accounts.next().await {
        match account {
            Ok(account) => {
                listed += 1;
                let field = |value: &Option<String>| value.clone().unwrap_or_default();
                println!(
                    "{}\t{}\t{}",
                    field(&account.id),
                    field(&account.name),
                    field(&account.source_name)
                );
            }
            Err(isc::Error::Decode(error)) => {
                odd += 1;
                eprintln!("skipped: {error}");
            }
            Err(error) => return Err(error.into()),
        }
    }
    eprintln!("{listed} accounts, {odd} that did not decode");
    Ok(())
}
