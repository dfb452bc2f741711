//! The per-service Accounts API (`client.accounts().v1()`, paths `/accounts/v1/...`), with the
//! calls of `accounts_v3` but the entitlements: read an account, list its source's accounts,
//! change an attribute, disable, enable and unlock it, reload it from its source, and (when a
//! source id is given) create an account and delete it again.
//!
//! ```sh
//! export SAIL_BASE_URL=https://acme.api.identitynow.com SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=...
//! cargo run -p isc-client --no-default-features --features services --example services_accounts -- <account-id> [<source-id>]
//! ```
//!
//! Disabling, enabling, unlocking and reloading are asynchronous in ISC: each answers with the id
//! of the task that does it.

use std::collections::BTreeMap;

use isc::Client;
use isc::runtime::JsonPatch;
use isc::services::models::{
    AccountAttributesCreate, AccountAttributesCreateAttributes, AccountToggleRequest,
    AccountUnlockRequest,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let account_id = args
        .next()
        .ok_or("usage: services_accounts <account-id> [<source-id>]")?;
    let source_id = args.next();

    let client = Client::from_env()?;
    let accounts = client.accounts().v1();

    let account = accounts.get_account(&account_id).send().await?;
    println!(
        "account {account_id}: {:?} on {:?}",
        account.name, account.source_name
    );
    let neighbours = accounts
        .list_accounts()
        .filters(format!("sourceId eq \"{}\"", account.source_id))
        .sorters("name")
        .limit(10)
        .send()
        .await?;
    println!(
        "{} account(s) on the same source (first page of 10)",
        neighbours.len()
    );

    // Left out (`accounts_v3` has it): `get_account_entitlements`. The mock answers it with the
    // spec's example, whose `directPermissions[].rights` is a string where the schema says an
    // array, and the answer does not decode.

    // A JSON Patch as the API docs write it (sent as application/json-patch+json).
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
    println!("disable: task {}", task.id);
    let task = accounts.enable_account(&account_id, toggle).send().await?;
    println!("enable: task {}", task.id);
    let unlock = AccountUnlockRequest {
        unlock_idn_account: Some(true),
        ..Default::default()
    };
    let task = accounts.unlock_account(&account_id, unlock).send().await?;
    println!("unlock: task {}", task.id);
    let task = accounts.submit_reload_account(&account_id).send().await?;
    println!("reload: task {}", task.id);

    if let Some(source_id) = source_id {
        let attributes = AccountAttributesCreateAttributes {
            additional_properties: BTreeMap::from([
                ("name".to_owned(), "jdoe-example".to_owned()),
                ("mail".to_owned(), "jdoe@example.com".to_owned()),
            ]),
            ..AccountAttributesCreateAttributes::new(source_id)
        };
        let create = AccountAttributesCreate::new(attributes);
        let task = accounts.create_account(create).send().await?;
        println!("create: task {}", task.id);
        // The new account's id is known once its task is done: this deletes the given account.
        let task = accounts.delete_account(&account_id).send().await?;
        println!("delete: task {}", task.id);
    }
    Ok(())
}
