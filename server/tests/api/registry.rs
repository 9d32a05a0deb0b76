//! The server functions the server registers against the lists the tests keep:
//! a new staff server function fails here until the permission test covers it.

use std::collections::BTreeSet;

use crate::{
    helpers::spawn_app,
    staff::{STAFF_FUNCTIONS, STAFF_FUNCTIONS_WITHOUT_A_PERMISSION},
};

/// Where the server functions are served (`#[server]`'s default prefix).
const PREFIX: &str = "/api/";

/// Every registered server function under `staff/`, by endpoint.
fn registered_staff_functions() -> BTreeSet<String> {
    leptos::server_fn::axum::server_fn_paths()
        .filter_map(|(path, _)| path.strip_prefix(PREFIX))
        .filter(|endpoint| endpoint.starts_with("staff/"))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn every_staff_server_function_is_in_the_permission_test() {
    // The server registers its server functions as it starts.
    let app = spawn_app().await;
    let registered = registered_staff_functions();
    assert!(registered.len() > 10, "the staff server functions are registered: {registered:?}");

    let checked: BTreeSet<String> = STAFF_FUNCTIONS.iter().map(|(endpoint, _, _)| (*endpoint).to_owned()).collect();
    let exempt: BTreeSet<String> =
        STAFF_FUNCTIONS_WITHOUT_A_PERMISSION.iter().map(|(endpoint, _)| (*endpoint).to_owned()).collect();
    assert_eq!(checked.len(), STAFF_FUNCTIONS.len(), "STAFF_FUNCTIONS names each endpoint once");
    let both: Vec<_> = checked.intersection(&exempt).collect();
    assert!(both.is_empty(), "listed as guarded and as unguarded: {both:?}");

    let listed: BTreeSet<String> = checked.union(&exempt).cloned().collect();
    let unchecked: Vec<_> = registered.difference(&listed).collect();
    assert!(
        unchecked.is_empty(),
        "staff server functions the permission test does not call: {unchecked:?}; add each to \
         STAFF_FUNCTIONS in server/tests/api/staff.rs with the permission it needs (or, if no \
         permission guards it, to STAFF_FUNCTIONS_WITHOUT_A_PERMISSION with the reason)"
    );
    let gone: Vec<_> = listed.difference(&registered).collect();
    assert!(gone.is_empty(), "listed in server/tests/api/staff.rs but not registered: {gone:?}");
    app.stop().await.unwrap();
}
