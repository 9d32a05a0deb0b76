//! Passwordless sign-in: codes, their limits, sessions.

use std::time::Duration;

use sqlx::Row;

use crate::helpers::{e164, readable, six_digits, spawn_app, spawn_app_with};

#[tokio::test]
async fn a_code_signs_the_beneficiary_in_and_is_stored_only_as_a_hash() {
    let app = spawn_app().await;
    let browser = app.browser();
    // Any common way of writing the number, in Arabic-Indic digits too.
    let (status, body) = browser.call("sign_in/request_code", &[("mobile", "+966 ٥٠ ١٢٣ ٤٥٦٧")]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, "null");
    let code = app.latest_code_for("+966501234567").await;

    let rows = sqlx::query("SELECT code_hash, code_salt, challenge_hash FROM sign_in_codes")
        .fetch_all(app.database.pool())
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let stored: String = rows[0].get("code_hash");
    assert_ne!(stored, code);
    assert!(!stored.contains(&code), "the code itself is not stored");
    assert_eq!(stored.len(), 64, "a SHA-256 hex digest");

    let (_, page) = browser.page("/requests").await;
    assert!(!page.contains("awn_session"));
    let (status, _) = browser.page("/requests").await;
    assert_eq!(status, 302, "signed out: sent to sign in");

    let (status, body) = browser.call("sign_in/verify_code", &[("code", &code)]).await;
    assert_eq!((status, body.as_str()), (200, "null"));
    let (status, page) = browser.page("/requests").await;
    assert_eq!(status, 200);
    assert!(page.contains("طلباتي"), "{page}");
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site_lax() {
    let app = spawn_app().await;
    let browser = app.browser();
    browser.call("sign_in/request_code", &[("mobile", "0501234567")]).await;
    let code = app.latest_code_for("+966501234567").await;
    let response = browser
        .client
        .post(browser.url("/api/sign_in/verify_code"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("code={code}"))
        .send()
        .await
        .unwrap();
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("awn_session="))
        .expect("a session cookie")
        .to_owned();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");
}

#[tokio::test]
async fn the_sixth_try_is_refused_even_with_the_right_code() {
    let app = spawn_app().await;
    let browser = app.browser();
    browser.call("sign_in/request_code", &[("mobile", "0551112222")]).await;
    let code = app.latest_code_for("+966551112222").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for remaining in (0..5).rev() {
        let (status, body) = browser.call("sign_in/verify_code", &[("code", wrong)]).await;
        assert_eq!(status, 200);
        assert_eq!(body, format!("{{\"Refused\":{{\"Wrong\":{{\"remaining\":{remaining}}}}}}}"));
    }
    let (_, body) = browser.call("sign_in/verify_code", &[("code", &code)]).await;
    assert_eq!(body, "{\"Refused\":\"TooManyAttempts\"}");
    let (status, _) = browser.page("/requests").await;
    assert_eq!(status, 302, "still signed out");
}

#[tokio::test]
async fn a_new_code_cannot_be_asked_for_at_once() {
    let app = spawn_app().await;
    let browser = app.browser();
    browser.call("sign_in/request_code", &[("mobile", "0551112222")]).await;
    let (_, body) = browser.call("sign_in/request_code", &[("mobile", "0551112222")]).await;
    assert!(body.starts_with("{\"TooSoon\":{\"wait_seconds\":"), "{body}");
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox_messages").fetch_one(app.database.pool()).await.unwrap();
    assert_eq!(count, 1, "no second message");
}

#[tokio::test]
async fn invalid_numbers_are_refused_with_a_reason() {
    let app = spawn_app().await;
    let browser = app.browser();
    assert_eq!(browser.call("sign_in/request_code", &[("mobile", "")]).await.1, "\"Required\"");
    assert_eq!(browser.call("sign_in/request_code", &[("mobile", "0412345678")]).await.1, "\"Invalid\"");
    assert_eq!(browser.call("sign_in/verify_code", &[("code", "123456")]).await.1, "\"NoChallenge\"");
}

#[tokio::test]
async fn without_javascript_a_bad_number_comes_back_with_the_message_and_what_was_typed() {
    let app = spawn_app().await;
    let browser = app.browser();
    let (status, location) = browser.post_form("/api/sign_in/request_code", "/sign-in", &[("mobile", "12345")]).await;
    assert_eq!(status, 302);
    assert!(location.trim_end_matches('?').ends_with("/sign-in"), "{location}");
    let (_, page) = browser.page("/sign-in").await;
    assert!(page.contains("رقم الجوال غير صحيح"), "the message: {page}");
    assert!(page.contains("value=\"12345\""), "what was typed: {page}");
    // Shown once.
    let (_, page) = browser.page("/sign-in").await;
    assert!(!page.contains("رقم الجوال غير صحيح"));

    let (status, location) =
        browser.post_form("/api/sign_in/request_code", "/sign-in", &[("mobile", "0501234567")]).await;
    assert_eq!((status, location.as_str()), (302, "/sign-in/code"));
    let (_, page) = browser.page("/sign-in/code").await;
    assert!(page.contains("05*****567"), "the masked number: {page}");
    let code = app.latest_code_for("+966501234567").await;
    let (status, location) = browser.post_form("/api/sign_in/verify_code", "/sign-in/code", &[("code", &code)]).await;
    assert_eq!((status, location.as_str()), (302, "/requests"));
    assert_eq!(browser.page("/requests").await.0, 200);
}

#[tokio::test]
async fn signing_in_again_replaces_the_session_and_signing_out_everywhere_ends_all() {
    let app = spawn_app().await;
    let phone = app.signed_in("0501234567").await;
    let laptop = app.signed_in("0501234567").await;
    assert_eq!(phone.page("/requests").await.0, 200);
    assert_eq!(laptop.page("/requests").await.0, 200);
    let sessions: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(app.database.pool()).await.unwrap();
    assert_eq!(sessions, 2);

    let (status, _) = laptop.call("sign_out", &[("everywhere", "1")]).await;
    assert_eq!(status, 200);
    assert_eq!(phone.page("/requests").await.0, 302, "the phone is signed out too");
    assert_eq!(laptop.page("/requests").await.0, 302);
    let sessions: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(app.database.pool()).await.unwrap();
    assert_eq!(sessions, 0);
}

#[tokio::test]
async fn the_outbox_worker_delivers_queued_messages() {
    let app = spawn_app_with(|settings| settings.outbox_poll_ms = 50).await;
    app.browser().call("sign_in/request_code", &[("mobile", "0501234567")]).await;
    let mut status = String::new();
    for _ in 0..100 {
        status = sqlx::query_scalar("SELECT status FROM outbox_messages").fetch_one(app.database.pool()).await.unwrap();
        if status == "sent" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(status, "sent");
}

#[tokio::test]
async fn the_development_outbox_page_exists_only_in_development() {
    let app = spawn_app().await;
    assert_eq!(app.get("/dev/outbox").await.status().as_u16(), 404);

    let app = spawn_app_with(|settings| settings.environment = server::config::Environment::Development).await;
    app.browser().call("sign_in/request_code", &[("mobile", "0501234567")]).await;
    let body = app.get("/dev/outbox").await.text().await.unwrap();
    assert!(body.contains("data-recipient=\"+966501234567\""), "{body}");
    assert!(six_digits(&body).is_some());
    assert_eq!(e164("0501234567"), "+966501234567");
}

/// Numbers in hints follow the digit choice, like the rest of the page.
#[tokio::test]
async fn the_sign_in_page_writes_numbers_in_the_chosen_digits() {
    let app = spawn_app().await;
    let western = readable(&app.get("/sign-in").await.text().await.unwrap());
    assert!(western.contains("رمز تحقق من 6 أرقام"), "{western}");
    let arabic_indic = app.page_with_cookie("/sign-in", "awn_digits=arab").await;
    assert!(arabic_indic.contains("رمز تحقق من ٦ أرقام"), "{arabic_indic}");
}
