//! The per-service Auth Users API (`client.auth_users().v1()`), with the calls of `auth_users`:
//! read an identity's auth user (its capabilities, that is its user levels), and change the
//! capabilities with a JSON Patch.
//!
//! ```sh
//! export SAIL_BASE_URL=https://acme.api.identitynow.com SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=...
//! cargo run -p isc-client --no-default-features --features services --example services_auth_users -- <identity-id> [ORG_ADMIN HELPDESK ...]
//! ```
//!
//! Without capabilities the user is only shown.

use isc::Client;
use isc::runtime::JsonPatch;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let id = args
        .next()
        .ok_or("usage: services_auth_users <identity-id> [<capability>...]")?;
    let capabilities: Vec<String> = args.collect();

    let client = Client::from_env()?;
    let auth_users = client.auth_users().v1();
    let user = auth_users.get_auth_user(&id).send().await?;
    println!(
        "{id}: {:?} ({:?}), capabilities {:?}, last password change {:?}",
        user.uid, user.email, user.capabilities, user.last_password_change_date
    );
    if capabilities.is_empty() {
        return Ok(());
    }

    let patch = JsonPatch::new().replace("/capabilities", &capabilities);
    match auth_users
        .patch_auth_user(&id, patch.operations()?)
        .send()
        .await
    {
        Ok(user) => println!("{id} now has {:?}", user.capabilities),
        // An API error keeps the status and the body; its one-line Display (printed when main
        // returns it) ends with SailPoint's tracking id, which support asks for.
        Err(error) if error.is_forbidden() => {
            eprintln!("not allowed to change {id}'s capabilities: {error}");
        }
        Err(error) => return Err(error.into()),
    }
    Ok(())
}
