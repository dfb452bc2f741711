//! Tests of the application code against a mock tenant: typed answers, checks of what was
//! sent, error paths. No tenant, no Node.js, no spec.

use downstream_example::{DisableReport, disable_locked_accounts, find_account, source_filter};
use isc::v3::models::{Account, AccountToggleRequest, AccountsAsyncResult};
use isc::v3::operations::{DISABLE_ACCOUNT, GET_ACCOUNT, LIST_ACCOUNTS};
use isc_test_support::{MockResponse, MockTenant};

fn account(id: &str, locked: bool, disabled: bool) -> Account {
    let mut account = Account::new(
        "s-1", false, disabled, locked, id, false, false, false, true,
    );
    account.id = Some(id.to_owned());
    account.name = Some(format!("account {id}"));
    account.source_name = Some("HR".to_owned());
    account
}

fn client(mock: &MockTenant) -> isc::Client {
    isc::Client::builder()
        .base_url(mock.base_url())
        .access_token("test")
        // Error answers are answered at once, not after back-off.
        .retry_policy(isc::RetryPolicy::none())
        .build()
        .expect("client")
}

#[tokio::test]
async fn disables_the_locked_accounts_of_the_source() {
    let mock = MockTenant::start().await;
    mock.on(&LIST_ACCOUNTS)
        .query("filters", source_filter("s-1"))
        .respond_pages(vec![vec![
            account("a-1", true, false),
            account("a-2", false, false),
            account("a-3", true, true),
            account("a-4", true, false),
        ]]);
    mock.on(&DISABLE_ACCOUNT)
        .path_param("id", "a-1")
        .respond(AccountsAsyncResult::new("task-1"));
    mock.on(&DISABLE_ACCOUNT)
        .path_param("id", "a-4")
        .respond(AccountsAsyncResult::new("task-4"));

    let report = disable_locked_accounts(&client(&mock), "s-1")
        .await
        .unwrap();

    assert_eq!(
        report,
        DisableReport {
            disabled: vec![
                ("a-1".to_owned(), "task-1".to_owned()),
                ("a-4".to_owned(), "task-4".to_owned())
            ],
            already_disabled: vec!["a-3".to_owned()],
            gone: vec![],
        }
    );
    // What was sent: the filter, and a typed body per disabled account.
    let listed = mock.requests(&LIST_ACCOUNTS);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].query("filters"), Some("sourceId eq \"s-1\""));
    let disables = mock.requests(&DISABLE_ACCOUNT);
    let ids: Vec<_> = disables
        .iter()
        .map(|r| r.path_param("id").unwrap())
        .collect();
    assert_eq!(ids, ["a-1", "a-4"]);
    let body: AccountToggleRequest = disables[0].json().unwrap();
    assert_eq!(body.force_provisioning, Some(true));
    assert_eq!(body.external_verification_id, None);
    mock.assert_all_called();
}

#[tokio::test]
async fn reads_every_page() {
    let mock = MockTenant::start().await;
    // 600 accounts: three pages of the client's 250, the total from `X-Total-Count`.
    let accounts: Vec<Account> = (0..600)
        .map(|i| account(&format!("a-{i}"), i == 599, false))
        .collect();
    mock.on(&LIST_ACCOUNTS).respond_list(accounts);
    mock.on(&DISABLE_ACCOUNT)
        .respond(AccountsAsyncResult::new("task"));

    let report = disable_locked_accounts(&client(&mock), "s-1")
        .await
        .unwrap();

    assert_eq!(report.disabled, [("a-599".to_owned(), "task".to_owned())]);
    let offsets: Vec<_> = mock
        .requests(&LIST_ACCOUNTS)
        .iter()
        .map(|r| r.query("offset").unwrap().to_owned())
        .collect();
    assert_eq!(offsets, ["0", "250", "500"]);
    mock.assert_all_called();
}

#[tokio::test]
async fn an_account_deleted_meanwhile_is_noted_and_other_errors_stop() {
    let mock = MockTenant::start().await;
    mock.on(&LIST_ACCOUNTS).respond_list(vec![
        account("a-1", true, false),
        account("a-2", true, false),
    ]);
    mock.on(&DISABLE_ACCOUNT)
        .path_param("id", "a-1")
        .respond_error(404, "The account a-1 was not found.");
    mock.on(&DISABLE_ACCOUNT)
        .path_param("id", "a-2")
        .respond_with(MockResponse::error(
            403,
            "The client lacks idn:accounts-state:manage.",
        ));

    let error = disable_locked_accounts(&client(&mock), "s-1")
        .await
        .unwrap_err();

    assert!(error.is_forbidden(), "{error}");
    assert_eq!(error.operation_id(), Some("disableAccount"));
    assert_eq!(mock.requests(&DISABLE_ACCOUNT).len(), 2);
    mock.assert_all_called();
}

#[tokio::test]
async fn find_account_maps_404_to_none() {
    let mock = MockTenant::start().await;
    mock.on(&GET_ACCOUNT)
        .path_param("id", "a-1")
        .respond(account("a-1", false, false));
    mock.on(&GET_ACCOUNT)
        .path_param("id", "missing")
        .respond_error(404, "The account missing was not found.");
    let client = client(&mock);

    let found = find_account(&client, "a-1").await.unwrap();
    assert_eq!(found.and_then(|a| a.name).as_deref(), Some("account a-1"));
    assert_eq!(find_account(&client, "missing").await.unwrap(), None);

    // The error the application code saw, directly.
    let error = client
        .v3()
        .accounts()
        .get_account("missing")
        .send()
        .await
        .unwrap_err();
    assert!(error.is_not_found());
    assert_eq!(
        error.tracking_id(),
        Some(isc_test_support::MOCK_TRACKING_ID)
    );
    mock.assert_all_called();
}
