//! The v3 Access Profiles API: create an access profile of one entitlement, read it, change its
//! description with a JSON Patch, list its entitlements, find it with a filter, and delete it
//! (alone, and in bulk).
//!
//! ```sh
//! export SAIL_BASE_URL=https://acme.api.identitynow.com SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=...
//! cargo run -p isc-client --example access_profiles -- <owner-identity-id> <source-id> <entitlement-id>
//! ```

use futures_util::TryStreamExt;
use isc::Client;
use isc::runtime::JsonPatch;
use isc::v3::models::{
    AccessProfile, AccessProfileBulkDeleteRequest, AccessProfileSourceRef,
    AccessProfileSourceRefType, EntitlementRef, EntitlementRefType, OwnerReference,
    OwnerReferenceType,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [owner_id, source_id, entitlement_id] = &args[..] else {
        return Err(
            "usage: access_profiles <owner-identity-id> <source-id> <entitlement-id>".into(),
        );
    };

    let client = Client::from_env()?;
    let profiles = client.v3().access_profiles();

    // `new` takes the required fields; the optional ones a person chooses go before `..`. What
    // the server fills in (id, created, ...) is never asked for.
    let owner = OwnerReference {
        type_: Some(OwnerReferenceType::Identity),
        id: Some(owner_id.clone()),
        ..Default::default()
    };
    let source = AccessProfileSourceRef {
        type_: Some(AccessProfileSourceRefType::Source),
        id: Some(source_id.clone()),
        ..Default::default()
    };
    let entitlement = EntitlementRef {
        type_: Some(EntitlementRefType::Entitlement),
        id: Some(entitlement_id.clone()),
        ..Default::default()
    };
    let new_profile = AccessProfile {
        description: Some("Created by the isc-client example".to_owned()),
        enabled: Some(true),
        requestable: Some(true),
        entitlements: Some(vec![entitlement]),
        ..AccessProfile::new("Example: read-only reports", owner, source)
    };
    let created = profiles.create_access_profile(new_profile).send().await?;
    let id = created.id.clone().ok_or("the created profile has no id")?;
    println!("created access profile {id}: {}", created.name);

    let profile = profiles.get_access_profile(&id).send().await?;
    println!(
        "read back: {:?}, enabled {:?}",
        profile.name, profile.enabled
    );

    let patch = JsonPatch::new()
        .replace("/description", "Read-only access to the reports")
        .operations()?;
    let patched = profiles.patch_access_profile(&id, patch).send().await?;
    println!("description now {:?}", patched.description);

    let entitlements: Vec<_> = profiles
        .get_access_profile_entitlements(&id)
        .into_paginator()
        .items()
        .try_collect()
        .await?;
    println!("{} entitlement(s)", entitlements.len());

    // Filters and sorters are SailPoint's query syntax, passed as they are.
    let owned = profiles
        .list_access_profiles()
        .filters(format!("owner.id eq \"{owner_id}\""))
        .sorters("-modified")
        .limit(50)
        .send()
        .await?;
    println!("{} profile(s) of this owner on the first page", owned.len());

    profiles.delete_access_profile(&id).send().await?;
    println!("deleted {id}");
    // Bulk delete answers with a task, and with the profiles it could not delete because they
    // are in use (then `best_effort_only` deletes the others).
    let bulk = profiles
        .delete_access_profiles_in_bulk(AccessProfileBulkDeleteRequest {
            access_profile_ids: Some(vec![id.clone()]),
            best_effort_only: Some(true),
            ..Default::default()
        })
        .send()
        .await?;
    println!(
        "bulk delete: task {:?}, pending {:?}",
        bulk.task_id, bulk.pending
    );
    Ok(())
}
