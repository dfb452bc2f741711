//! "Application code" of a crate that uses `isc-client`: the kind of logic a downstream crate
//! wants to test without a tenant. Its tests (`tests/`) answer the client's calls with
//! `isc-test-support`.

use isc::v3::models::{Account, AccountToggleRequest};

/// What [`disable_locked_accounts`] did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DisableReport {
    /// `(account id, task id)` of every account a disable task was submitted for.
    pub disabled: Vec<(String, String)>,
    /// Ids of the locked accounts that were already disabled.
    pub already_disabled: Vec<String>,
    /// Accounts that were no longer there when they were disabled (404).
    pub gone: Vec<String>,
}

/// The filter that lists one source's accounts.
pub fn source_filter(source_id: &str) -> String {
    format!("sourceId eq \"{}\"", source_id.replace('"', "\\\""))
}

/// Lists every account of `source_id` (all pages) and disables the locked ones that are not
/// disabled yet, with `force_provisioning` so the source is told too. An account deleted in
/// between (404) is noted, not an error.
pub async fn disable_locked_accounts(
    client: &isc::Client,
    source_id: &str,
) -> Result<DisableReport, isc::Error> {
    let accounts: Vec<Account> = client
        .v3()
        .accounts()
        .list_accounts()
        .filters(source_filter(source_id))
        .into_paginator()
        .collect_all()
        .await?;
    let mut report = DisableReport::default();
    for account in accounts.into_iter().filter(|a| a.locked) {
        let Some(id) = account.id else { continue };
        if account.disabled {
            report.already_disabled.push(id);
            continue;
        }
        let body = AccountToggleRequest {
            force_provisioning: Some(true),
            ..Default::default()
        };
        match client
            .v3()
            .accounts()
            .disable_account(id.clone(), body)
            .send()
            .await
        {
            Ok(task) => report.disabled.push((id, task.id)),
            Err(error) if error.is_not_found() => report.gone.push(id),
            Err(error) => return Err(error),
        }
    }
    Ok(report)
}

/// The account with `id`, or `None` when the tenant has none.
pub async fn find_account(client: &isc::Client, id: &str) -> Result<Option<Account>, isc::Error> {
    match client.v3().accounts().get_account(id).send().await {
        Ok(account) => Ok(Some(account)),
        Err(error) if error.is_not_found() => Ok(None),
        Err(error) => Err(error),
    }
}
