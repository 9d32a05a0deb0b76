//! Staff sign-in and sessions on the open internet (issue 12), over HTTP:
//! parallel guesses check at most the allowed number of passwords, a stranger
//! cannot keep the admin out from another address, one answer for unknown,
//! waiting and deactivated accounts, session limits and cookie attributes,
//! `Clear-Site-Data` on sign-out, the change of one's own password, and the
//! step-up before erasure, disclosure, policy publication and news.

use app::staff::sign_in::StaffSignInProblem;
use awn_domain::staff::{MAX_FAILED_SIGN_INS, StaffRole};
use awn_storage::{
    now_unix_seconds,
    staff::{self, NewStaff},
};

use crate::{
    helpers::{Browser, TestApp, spawn_app, spawn_app_with},
    staff::{PASSWORD, StaffLogin, staff_login},
};

async fn create(app: &TestApp, username: &str, role: StaffRole) -> staff::CreatedStaff {
    let new = NewStaff { username, display_name: "موظف", role, password: PASSWORD };
    staff::create(&app.database, new, now_unix_seconds()).await.expect("storage").expect("created")
}

/// A client whose connections come from `source` (any 127.x.y.z reaches the
/// server on loopback): another address, as another laptop would be.
fn client_from(source: [u8; 4]) -> reqwest::Client {
    crate::helpers::same_origin_builder().local_address(std::net::IpAddr::from(source)).build().expect("a client")
}

/// [`client_from`] for a site whose public address is `origin`.
fn client_from_origin(source: [u8; 4], origin: &'static str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, reqwest::header::HeaderValue::from_static(origin));
    reqwest::Client::builder()
        .default_headers(headers)
        .local_address(std::net::IpAddr::from(source))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

async fn sign_in_with(
    client: &reqwest::Client,
    app: &TestApp,
    args: &[(&str, &str)],
) -> (u16, String, Vec<String>, Option<String>) {
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(args).finish();
    let response = client
        .post(app.url("/api/staff/sign_in"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("answered");
    let status = response.status().as_u16();
    let cookies =
        response.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok().map(str::to_owned)).collect();
    let clear = response.headers().get("clear-site-data").and_then(|v| v.to_str().ok()).map(str::to_owned);
    (status, response.text().await.expect("a body"), cookies, clear)
}

fn problem(body: &str) -> Option<StaffSignInProblem> {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[tokio::test]
async fn fifty_parallel_wrong_passwords_check_at_most_the_allowed_number() {
    let app = spawn_app().await;
    create(&app, "target.one", StaffRole::RelationsOfficer).await;
    let client = client_from([127, 0, 0, 1]);
    let mut answers = Vec::new();
    for _ in 0..50 {
        let (client, url) = (client.clone(), app.url("/api/staff/sign_in"));
        answers.push(tokio::spawn(async move {
            let response = client
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body("username=target.one&password=not+the+password+at+all")
                .send()
                .await
                .expect("answered");
            (response.status().as_u16(), response.text().await.expect("a body"))
        }));
    }
    let mut checked = 0;
    for answer in answers {
        let (status, body) = answer.await.expect("the task");
        assert_eq!(status, 200, "{body}");
        match problem(&body) {
            // Only a checked password is answered "wrong"; the rest wait unchecked.
            Some(StaffSignInProblem::WrongCredentials) => checked += 1,
            Some(StaffSignInProblem::Throttled { wait_seconds }) => assert!(wait_seconds > 0),
            other => panic!("{other:?}"),
        }
    }
    assert!(checked <= MAX_FAILED_SIGN_INS, "{checked} passwords were checked");
    let (pair, username) = staff::recorded_failures(&app.database, "target.one", "127.0.0.1").await.expect("storage");
    assert_eq!((pair, username), (checked, checked), "each checked password was counted first");
}

#[tokio::test]
async fn the_admin_still_signs_in_from_another_address_while_a_stranger_hammers_the_account() {
    let app = spawn_app().await;
    let admin = create(&app, "admin", StaffRole::Admin).await;
    let secret = admin.totp_secret.expect("a second factor");
    let stranger = client_from([127, 0, 0, 2]);
    for _ in 0..12 {
        let code = staff::totp_code_at(&secret, now_unix_seconds() + 3600).expect("a code");
        let (status, _, _, _) =
            sign_in_with(&stranger, &app, &[("username", "admin"), ("password", "guess guess guess"), ("code", &code)])
                .await;
        assert_eq!(status, 200);
    }
    let (_, body, _, _) = sign_in_with(&stranger, &app, &[("username", "admin"), ("password", PASSWORD)]).await;
    assert!(matches!(problem(&body), Some(StaffSignInProblem::Throttled { .. })), "the stranger waits: {body}");

    let owner = client_from([127, 0, 0, 1]);
    let code = staff::totp_code_at(&secret, now_unix_seconds()).expect("a code");
    let (status, body, cookies, _) =
        sign_in_with(&owner, &app, &[("username", "admin"), ("password", PASSWORD), ("code", &code)]).await;
    assert_eq!((status, body.as_str()), (200, "null"), "the admin is not kept out");
    assert!(cookies.iter().any(|c| c.starts_with("awn_session=") && c.contains("SameSite=Strict")), "{cookies:?}");
}

#[tokio::test]
async fn unknown_waiting_and_deactivated_accounts_get_one_answer() {
    let app = spawn_app().await;
    let gone = create(&app, "gone.officer", StaffRole::RelationsOfficer).await;
    create(&app, "real.officer", StaffRole::RelationsOfficer).await;
    staff::set_active(&app.database, gone.id, false).await.expect("deactivated");
    let client = client_from([127, 0, 0, 1]);
    let wrong =
        sign_in_with(&client, &app, &[("username", "real.officer"), ("password", "not the password at all")]).await;
    let unknown = sign_in_with(&client, &app, &[("username", "nobody.here"), ("password", PASSWORD)]).await;
    let deactivated = sign_in_with(&client, &app, &[("username", "gone.officer"), ("password", PASSWORD)]).await;
    assert_eq!((wrong.0, wrong.1.as_str()), (200, "\"WrongCredentials\""));
    assert_eq!((unknown.0, &unknown.1), (wrong.0, &wrong.1), "an unknown username");
    assert_eq!((deactivated.0, &deactivated.1), (wrong.0, &wrong.1), "a deactivated account, right password");

    // Past the free attempts a real username and an unknown one wait alike.
    for _ in 1..MAX_FAILED_SIGN_INS {
        for username in ["real.officer", "nobody.here"] {
            sign_in_with(&client, &app, &[("username", username), ("password", "not the password at all")]).await;
        }
    }
    let waiting = sign_in_with(&client, &app, &[("username", "real.officer"), ("password", PASSWORD)]).await;
    let unknown = sign_in_with(&client, &app, &[("username", "nobody.here"), ("password", PASSWORD)]).await;
    assert_eq!(waiting.0, unknown.0);
    match (problem(&waiting.1), problem(&unknown.1)) {
        (
            Some(StaffSignInProblem::Throttled { wait_seconds: a }),
            Some(StaffSignInProblem::Throttled { wait_seconds: b }),
        ) => {
            assert!((a - b).abs() <= 2, "{a} and {b}")
        }
        other => panic!("{other:?}"),
    }
}

async fn staff_session_status(browser: &Browser) -> u16 {
    browser.call("staff/session", &[]).await.0
}

#[tokio::test]
async fn an_idle_staff_session_ends_and_every_staff_session_ends_after_twelve_hours() {
    let app = spawn_app().await;
    let login = staff_login(&app, StaffRole::RelationsOfficer, false).await;
    assert_eq!(staff_session_status(&login.browser).await, 200);
    let (idle, lifetime): (i64, i64) = sqlx::query_as(
        "SELECT idle_seconds, expires_at - created_at FROM sessions WHERE account_kind = 'staff' AND account_id = $1",
    )
    .bind(login.id)
    .fetch_one(app.database.pool())
    .await
    .expect("the session");
    assert_eq!((idle, lifetime), (30 * 60, 12 * 3600));

    // Twenty-nine minutes unused: still on; thirty-one: ended.
    let move_back = |seconds: i64| {
        let database = app.database.clone();
        async move {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE account_kind = 'staff' AND account_id = $2")
                .bind(now_unix_seconds() - seconds)
                .bind(login.id)
                .execute(database.pool())
                .await
                .expect("moved back");
        }
    };
    move_back(29 * 60).await;
    assert_eq!(staff_session_status(&login.browser).await, 200);
    move_back(31 * 60).await;
    assert_eq!(staff_session_status(&login.browser).await, 401, "idle for 31 minutes");

    // In use a minute ago, but started twelve hours ago: ended.
    let login = staff_login(&app, StaffRole::RelationsOfficer, false).await;
    sqlx::query("UPDATE sessions SET expires_at = $1 WHERE account_kind = 'staff' AND account_id = $2")
        .bind(now_unix_seconds())
        .bind(login.id)
        .execute(app.database.pool())
        .await
        .expect("moved");
    assert_eq!(staff_session_status(&login.browser).await, 401);
}

#[tokio::test]
async fn behind_https_the_session_cookie_is_host_prefixed_and_staff_cookies_are_strict() {
    let app = spawn_app_with(|settings| settings.public_base_url = "https://awn.example.org".into()).await;
    create(&app, "sara.tls", StaffRole::RelationsOfficer).await;
    let client = client_from_origin([127, 0, 0, 1], "https://awn.example.org");
    let (_, body, cookies, _) = sign_in_with(&client, &app, &[("username", "sara.tls"), ("password", PASSWORD)]).await;
    assert_eq!(body, "null");
    let cookie = cookies.iter().find(|c| c.starts_with("__Host-awn_session=")).expect("a __Host- session cookie");
    for part in ["; Path=/", "; HttpOnly", "; SameSite=Strict", "; Secure"] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    assert!(!cookie.to_ascii_lowercase().contains("domain="), "{cookie}");
    assert!(!cookies.iter().any(|c| c.starts_with("awn_session=")), "{cookies:?}");
    // The prefixed cookie is the session; the plain name is not read behind TLS.
    let token = cookie.trim_start_matches("__Host-awn_session=").split(';').next().expect("a value").to_owned();
    let session = |name: &str| {
        let (client, url, cookie) = (client.clone(), app.url("/api/staff/session"), format!("{name}={token}"));
        async move { client.post(url).header("cookie", cookie).send().await.expect("answered").status().as_u16() }
    };
    assert_eq!(session("__Host-awn_session").await, 200);
    assert_eq!(session("awn_session").await, 401);

    // A beneficiary's cookie: the same name and attributes, but Lax (links from an SMS).
    let browser = app.browser();
    // The site's own pages post from its public address.
    browser
        .client
        .post(browser.url("/api/sign_in/request_code"))
        .header("origin", "https://awn.example.org")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("mobile=0501234567")
        .send()
        .await
        .expect("answered");
    let code = app.latest_code_for("+966501234567").await;
    let response = browser
        .client
        .post(browser.url("/api/sign_in/verify_code"))
        .header("origin", "https://awn.example.org")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("code={code}"))
        .send()
        .await
        .expect("answered");
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("__Host-awn_session="))
        .expect("a session cookie")
        .to_owned();
    assert!(cookie.contains("SameSite=Lax") && cookie.contains("; Secure") && cookie.contains("; Path=/"), "{cookie}");
}

#[tokio::test]
async fn signing_out_asks_the_browser_to_clear_the_site_data() {
    let app = spawn_app().await;
    let login = staff_login(&app, StaffRole::RelationsOfficer, false).await;
    let response = login.browser.client.post(login.browser.url("/api/staff/sign_out")).send().await.expect("answered");
    let clear = response.headers().get("clear-site-data").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(clear.contains("\"cookies\"") && clear.contains("\"storage\""), "staff: {clear:?}");
    assert_eq!(staff_session_status(&login.browser).await, 401);

    let beneficiary = app.signed_in("0509998877").await;
    let response = beneficiary.client.post(beneficiary.url("/api/sign_out")).send().await.expect("answered");
    let clear = response.headers().get("clear-site-data").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(clear.contains("\"cookies\"") && clear.contains("\"storage\""), "beneficiary: {clear:?}");
}

#[tokio::test]
async fn a_password_change_refuses_a_weak_password_and_ends_the_other_sessions() {
    let app = spawn_app().await;
    let here = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    // The same account on another computer.
    let elsewhere = app.browser();
    let (_, body) = elsewhere.call("staff/sign_in", &[("username", &here.username), ("password", PASSWORD)]).await;
    assert_eq!(body, "null");
    let change = |current: &'static str, new: &'static str, again: &'static str| {
        let browser = &here.browser;
        async move {
            browser
                .call(
                    "staff/account/password",
                    &[("current_password", current), ("new_password", new), ("new_password_again", again)],
                )
                .await
        }
    };
    assert_eq!(change(PASSWORD, "password12345", "password12345").await.1, "\"TooGuessable\"");
    assert_eq!(change(PASSWORD, "1234567890abc", "1234567890abc").await.1, "\"TooGuessable\"");
    assert_eq!(change(PASSWORD, "velvet cactus harbour", "velvet cactus harbor").await.1, "\"Mismatch\"");
    assert_eq!(
        change("not my password at all", "velvet cactus harbour", "velvet cactus harbour").await.1,
        "\"NotConfirmed\""
    );
    assert_eq!(staff_session_status(&elsewhere).await, 200, "nothing changed yet");

    let (status, body) = change(PASSWORD, "velvet cactus harbour", "velvet cactus harbour").await;
    assert_eq!((status, body.as_str()), (200, "null"));
    assert_eq!(staff_session_status(&here.browser).await, 200, "this session stays");
    assert_eq!(staff_session_status(&elsewhere).await, 401, "the other one ended");
    let again = app.browser();
    let (_, body) = again.call("staff/sign_in", &[("username", &here.username), ("password", PASSWORD)]).await;
    assert_eq!(body, "\"WrongCredentials\"");
    let (_, body) =
        again.call("staff/sign_in", &[("username", &here.username), ("password", "velvet cactus harbour")]).await;
    assert_eq!(body, "null");

    // The page itself, linked from the staff bar.
    let (status, page) = here.browser.page("/staff/account").await;
    assert_eq!(status, 200);
    assert!(page.contains("name=\"new_password_again\""), "the form");
    let (_, staff_page) = here.browser.page("/staff/feedback").await;
    assert!(staff_page.contains("href=\"/staff/account\""), "linked from the staff bar");
}

/// Calls `endpoint` with `args` and, unless `None`, the password `confirm`.
async fn call_with(login: &StaffLogin, endpoint: &str, args: &[(&str, &str)], confirm: Option<&str>) -> String {
    let mut all: Vec<(&str, &str)> = args.to_vec();
    if let Some(password) = confirm {
        all.push(("confirm_password", password));
    }
    login.browser.call(endpoint, &all).await.1
}

fn refused_for_confirmation(body: &str) -> bool {
    body.contains("\"field\":\"confirm_password\"") && body.contains("NotConfirmed")
}

#[tokio::test]
async fn each_sensitive_action_is_refused_without_a_fresh_password() {
    let app = spawn_app().await;
    let count = |sql: &'static str| {
        let database = app.database.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(database.pool()).await.expect("count") }
    };

    // Policy publication (admin, with a second factor: the password alone is not enough).
    let admin = staff_login(&app, StaffRole::Admin, true).await;
    let publish = [("version", "9.9"), ("body_ar", "# سياسة"), ("body_en", "# Policy")];
    assert!(refused_for_confirmation(&call_with(&admin, "staff/policy/publish", &publish, None).await));
    assert!(refused_for_confirmation(&call_with(&admin, "staff/policy/publish", &publish, Some("wrong one")).await));
    assert!(refused_for_confirmation(&call_with(&admin, "staff/policy/publish", &publish, Some(PASSWORD)).await));
    assert_eq!(count("SELECT COUNT(*) FROM privacy_policy_versions WHERE version = '9.9'").await, 0);
    assert_eq!(admin.call_confirmed(&app, "staff/policy/publish", &publish).await.1, "null");
    assert_eq!(count("SELECT COUNT(*) FROM privacy_policy_versions WHERE version = '9.9'").await, 1);

    // News (someone consented, so only the step-up stands in the way).
    let keen = app.signed_in("0567770011").await;
    keen.call("my_data/consent", &[("kind", "news_sms"), ("granted", "1")]).await;
    let news = [("body_ar", "يوم مفتوح"), ("body_en", "An open day")];
    let body = call_with(&admin, "staff/news/send", &news, Some("wrong one")).await;
    assert!(refused_for_confirmation(&body), "{body}");
    assert!(body.contains("An open day"), "what was typed comes back: {body}");
    assert_eq!(count("SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'news'").await, 0);

    // Disclosure and erasure (the privacy officer).
    let privacy = staff_login(&app, StaffRole::PrivacyOfficer, true).await;
    let beneficiary: i64 = sqlx::query_scalar("SELECT id FROM beneficiary_accounts ORDER BY id LIMIT 1")
        .fetch_one(app.database.pool())
        .await
        .expect("an account");
    let beneficiary = beneficiary.to_string();
    let disclosure = [
        ("beneficiary", beneficiary.as_str()),
        ("authority", "النيابة العامة"),
        ("order_reference", "12/ن"),
        ("order_date", "2026-11-01"),
        ("data_disclosed", "بيانات الاتصال"),
    ];
    let body = call_with(&privacy, "staff/disclosures/record", &disclosure, Some(PASSWORD)).await;
    assert!(refused_for_confirmation(&body), "the code is needed too: {body}");
    assert!(body.contains("النيابة العامة"), "what was typed comes back: {body}");
    assert_eq!(count("SELECT COUNT(*) FROM disclosures").await, 0);
    assert_eq!(privacy.call_confirmed(&app, "staff/disclosures/record", &disclosure).await.1, "null");
    assert_eq!(count("SELECT COUNT(*) FROM disclosures").await, 1);

    assert_eq!(keen.call("my_data/request", &[("kind", "deletion")]).await.1, "null");
    let request: i64 = sqlx::query_scalar("SELECT id FROM data_requests ORDER BY id DESC LIMIT 1")
        .fetch_one(app.database.pool())
        .await
        .expect("a data request");
    let request = request.to_string();
    assert!(refused_for_confirmation(
        &call_with(&privacy, "staff/data_requests/erase", &[("request", &request)], None).await
    ));
    assert_eq!(count("SELECT COUNT(*) FROM data_requests WHERE status = 'open'").await, 1, "nothing erased");
    assert_eq!(privacy.call_confirmed(&app, "staff/data_requests/erase", &[("request", &request)]).await.1, "null");
    assert_eq!(count("SELECT COUNT(*) FROM data_requests WHERE status = 'open'").await, 0);

    // The password change is a step-up of its own (see above); news, confirmed, goes.
    let keen = app.signed_in("0567770012").await;
    keen.call("my_data/consent", &[("kind", "news_sms"), ("granted", "1")]).await;
    assert_eq!(admin.call_confirmed(&app, "staff/news/send", &news).await.1, "null");
}

#[tokio::test]
async fn without_javascript_a_refused_step_up_keeps_what_was_typed() {
    let app = spawn_app().await;
    let keen = app.signed_in("0567770021").await;
    keen.call("my_data/consent", &[("kind", "news_sms"), ("granted", "1")]).await;
    let admin = staff_login(&app, StaffRole::Admin, true).await;
    let (status, location) = admin
        .browser
        .post_form(
            "/api/staff/news/send",
            "/staff/news",
            &[("body_ar", "خبر لا يضيع"), ("body_en", "News that is kept"), ("confirm_password", "wrong")],
        )
        .await;
    assert!(matches!(status, 302 | 303) && location.contains("/staff/news"), "{status} {location}");
    let (_, page) = admin.browser.page("/staff/news").await;
    assert!(page.contains("خبر لا يضيع") && page.contains("News that is kept"), "{page}");
    assert!(page.contains("كلمة المرور أو الرمز غير صحيح"), "the refusal is shown: {page}");
    assert!(!page.contains("value=\"wrong\""), "never the password");
}

#[tokio::test]
async fn a_totp_secret_is_not_readable_from_the_database() {
    let app = spawn_app().await;
    let admin = staff_login(&app, StaffRole::Admin, false).await;
    let secret = admin.totp_secret.clone().expect("a secret");
    let stored: String = sqlx::query_scalar("SELECT totp_secret FROM staff_accounts WHERE id = $1")
        .bind(admin.id)
        .fetch_one(app.database.pool())
        .await
        .expect("the row");
    assert!(stored.starts_with("enc1:"), "{stored}");
    assert!(!stored.contains(&secret) && !stored.contains(&secret.to_lowercase()), "{stored}");
}
