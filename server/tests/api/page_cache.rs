//! The public pages kept in memory for visitors without a session
//! (`server/src/page_cache.rs`). That a change taken by this server shows at once is
//! `deadlines::the_home_page_states_the_committees_period_as_admins_set_it`.

use crate::helpers::{html_lang_dir, policy_nonce, spawn_app};

#[tokio::test]
async fn a_page_answered_from_memory_carries_its_own_responses_nonce() {
    let app = spawn_app().await;
    let mut earlier: Vec<String> = Vec::new();
    for _ in 0..3 {
        let response = app.get("/").await;
        let nonce = policy_nonce(response.headers()["content-security-policy"].to_str().expect("a policy"));
        let body = response.text().await.expect("a body");
        assert!(
            body.matches(&format!("nonce=\"{nonce}\"")).count() >= 2,
            "the page's scripts carry the nonce its policy names"
        );
        for old in &earlier {
            assert!(!body.contains(old.as_str()), "no earlier response's nonce");
        }
        earlier.push(nonce);
    }
}

#[tokio::test]
async fn a_signed_in_visitor_and_another_language_get_pages_of_their_own() {
    let app = spawn_app().await;
    let (status, anonymous) = app.page("/sign-in").await;
    assert_eq!(status, 200);
    assert!(anonymous.contains("name=\"mobile\""), "the sign-in form: {anonymous}");
    let (status, _) = app.page("/sign-in").await;
    assert_eq!(status, 200, "the same page again");

    // A signed-in beneficiary is sent on to their requests, not given the form
    // kept for visitors.
    let beneficiary = app.signed_in("0551230001").await;
    let response = beneficiary
        .client
        .get(beneficiary.url("/sign-in"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 302);
    assert_eq!(response.headers()["location"], "/requests");

    // Each language has a page of its own.
    let (_, arabic) = app.page("/").await;
    assert_eq!(html_lang_dir(&arabic).0, "ar");
    let english = app.page_with_cookie("/", "awn_lang=en").await;
    assert_eq!(html_lang_dir(&english).0, "en");
}
