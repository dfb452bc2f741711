//! The v3 Accounts API, call by call: read an account and its entitlements, change an
//! attribute, disable, enable and unlock it, reload it from its source, and (when a source id is
//! given) create an account and delete it again.
//!
//! ```sh
//! export SAIL_BASE_URL=https://acme.api.identitynow.com SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=...
//! cargo run -p isc-client --example accounts_v3 -- <account-id> [<source-id>]
//! ```
//!
//! Disabling, enabling, unlocking and reloading are asynchronous in ISC: each answers with the id
//! of the task that does it.

use std::collections::BTreeMap;

use futures_util::TryStreamExt;
use isc::Client;
use isc::runtime::JsonPatch;
use isc::v3::models::{
    AccountAttributesCreate, AccountAttributesCreateAttributes, AccountToggleRequest,
    AccountUnlockRequest,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let account_id = args
        .next()
        .ok_or("usage: accounts_v3 <account-id> [<source-id>]")?;
    let source_id = args.next();

    let client = Client::from_env()?;
    let accounts = client.v3().accounts();

    let account = accounts.get_account(&account_id).send().await?;
    println!(
        "account {}: {:?} on {:?}",
        account_id, account.name, account.source_name
    );
    // One page of the accounts of the same source, with a filter and a sort.
    let neighbours = accounts
        .list_accounts()
        .filters(format!("sourceId eq \"{}\"", account.source_id))
        .sorters("name")
        .limit(10)
        .send()
        .await?;
    println!(
        "{} accounts on the same source (first page of 10)",
        neighbours.len()
    );

    // Every entitlement of the account, page after page.
    let entitlements: Vec<_> = accounts
        .get_account_entitlements(&account_id)
        .into_paginator()
        .items()
        .try_collect()
        .await?;
    for entitlement in &entitlements {
        println!(
            "  entitlement {:?} = {:?}",
            entitlement.name, entitlement.value
        );
    }

    // A JSON Patch of the account's attributes (the body is sent as application/json-patch+json).
    let patch = JsonPatch::new()
        .replace("/identityId", &account.identity_id)
        .operations()?;
    accounts.update_account(&account_id, patch).send().await?;

    let toggle = AccountToggleRequest {
        force_provisioning: Some(false),
        ..Default::default()
    };
    let task = accounts
        .disable_account(&account_id, toggle.clone())
        .send()
        .await?;
    println!("disable: task {:?}", task.id);
    let task = accounts.enable_account(&account_id, toggle).send().await?;
    println!("enable: task {:?}", task.id);
    let unlock = AccountUnlockRequest {
        unlock_idn_account: Some(true),
        ..Default::default()
    };
    let task = accounts.unlock_account(&account_id, unlock).send().await?;
    println!("unlock: task {:?}", task.id);
    let task = accounts.submit_reload_account(&account_id).send().await?;
    println!("reload: task {:?}", task.id);

    if let Some(source_id) = source_id {
        let attributes = AccountAttributesCreateAttributes {
            additional_properties: BTreeMap::from([
                ("name".to_owned(), "jdoe-example".to_owned()),
                ("mail".to_owned(), "jdoe@example.com".to_owned()),
            ]),
            ..AccountAttributesCreateAttributes::new(source_id)
        };
        let body = AccountAttributesCreate::new(attributes);
        let created = accounts.create_account(body).send().await?;
        println!("create: task {:?}", created.id);
        // The account id is known once the task is done; here the example removes the account
        // it was given to show the call.
        let task = accounts.delete_account(&account_id).send().await?;
        println!("delete: task {:?}", task.id);
    }
    Ok(())
}
