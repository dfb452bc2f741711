//! The v2024 Accounts API: list an identity's accounts in the slim form, then disable and enable
//! them with the v2024 calls that act on every account of an identity at once, for one identity
//! and in bulk.
//!
//! ```sh
//! export SAIL_BASE_URL=https://acme.api.identitynow.com SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=...
//! cargo run -p isc-client --features v2024 --example accounts_v2024 -- <identity-id> [<identity-id>...]
//! ```

use futures_util::StreamExt;
use isc::Client;
use isc::v2024::models::{IdentitiesAccountsBulkRequest, ListAccountsDetailLevel};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let identities: Vec<String> = std::env::args().skip(1).collect();
    let Some(identity_id) = identities.first() else {
        return Err("usage: accounts_v2024 <identity-id> [<identity-id>...]".into());
    };

    let client = Client::from_env()?;
    let accounts = client.v2024().accounts();

    // The slim form leaves out the attributes: faster pages when only names and states count.
    let mut listing = accounts
        .list_accounts()
        .filters(format!("identityId eq \"{identity_id}\""))
        .detail_level(ListAccountsDetailLevel::Slim)
        .into_paginator()
        .items();
    while let Some(account) = listing.next().await {
        let account = account?;
        println!(
            "{:?} on {:?}: disabled {:?}, locked {:?}",
            account.name, account.source_name, account.disabled, account.locked
        );
    }

    // Every account of one identity.
    let task = accounts
        .disable_account_for_identity(identity_id)
        .send()
        .await?;
    println!("disable the accounts of {identity_id}: {task}");
    let task = accounts
        .enable_account_for_identity(identity_id)
        .send()
        .await?;
    println!("enable the accounts of {identity_id}: {task}");

    // Every account of several identities; the answer has one status per identity.
    let bulk = IdentitiesAccountsBulkRequest {
        identity_ids: Some(identities.clone()),
        ..Default::default()
    };
    let statuses = accounts
        .disable_accounts_for_identities(bulk.clone())
        .send()
        .await?;
    for status in &statuses {
        println!("bulk disable: {:?} -> {:?}", status.id, status.status_code);
    }
    let statuses = accounts.enable_accounts_for_identities(bulk).send().await?;
    for status in &statuses {
        println!("bulk enable: {:?} -> {:?}", status.id, status.status_code);
    }
    Ok(())
}
