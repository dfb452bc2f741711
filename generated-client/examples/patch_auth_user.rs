//! Changes the capabilities of an auth user with a JSON Patch (v3 Auth Users API).
//!
//! ```sh
//! export SAIL_BASE_URL=https://acme.api.identitynow.com SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=...
//! cargo run -p isc-client --example patch_auth_user -- <identity-id> ORG_ADMIN HELPDESK
//! ```
//!
//! The body is sent as `application/json-patch+json`, as the API requires.

use isc::Client;
use isc::v3::models::JsonPatchOperationValueArrayItem as Item;
use isc::v3::models::{JsonPatchOperation, JsonPatchOperationOp, JsonPatchOperationValue};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let id = args
        .next()
        .ok_or("usage: patch_auth_user <identity-id> <capability>...")?;
    let capabilities: Vec<Item> = args.map(Item::String).collect();

    let client = Client::from_env()?;
    let patch = vec![JsonPatchOperation {
        op: JsonPatchOperationOp::Replace,
        path: "/capabilities".to_owned(),
        value: Some(JsonPatchOperationValue::Array(capabilities)),
    }];
    match client
        .v3()
        .auth_users()
        .patch_auth_user(&id, patch)
        .send()
        .await
    {
        Ok(user) => println!("{id} now has {:?}", user.capabilities),
        // The error keeps SailPoint's tracking id, which support asks for.
        Err(error) => {
            eprintln!("patch failed: {error}");
            if let Some(tracking_id) = error.tracking_id() {
                eprintln!("tracking id: {tracking_id}");
            }
            std::process::exit(1);
        }
    }
    Ok(())
}
