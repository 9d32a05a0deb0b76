//! Abuse limits: per client address (sign-in codes, anonymous forms, staff
//! sign-in), per number and the global SMS budget on codes, per account and day
//! on submissions. Refusals are a localized 429 with `Retry-After`, as a page
//! for a plain form post and as a typed error for a script's call.

use crate::helpers::{TestApp, spawn_app_with};

/// Posts to a server function as the hydrated app does, with extra headers;
/// returns the status, the `Retry-After` value and the body.
async fn call_with(
    app: &TestApp,
    endpoint: &str,
    args: &[(&str, &str)],
    headers: &[(&str, &str)],
) -> (u16, Option<String>, String) {
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(args).finish();
    let mut request = app
        .client
        .post(app.url(&format!("/api/{endpoint}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.body(body).send().await.expect("answered");
    let status = response.status().as_u16();
    let retry_after = response.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_owned);
    (status, retry_after, response.text().await.expect("a body"))
}

/// The number of sign-in codes queued in the outbox.
async fn queued_codes(app: &TestApp) -> usize {
    awn_storage::outbox::recent(&app.database, 1000)
        .await
        .expect("outbox")
        .iter()
        .filter(|m| m.purpose == "sign_in_code")
        .count()
}

#[tokio::test]
async fn one_address_cycling_through_numbers_stops_at_its_code_limit() {
    let app = spawn_app_with(|s| s.limit_codes_per_hour = 3).await;
    for n in 0..3 {
        let mobile = format!("050000000{n}");
        let (status, _, body) = call_with(&app, "sign_in/request_code", &[("mobile", &mobile)], &[]).await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, retry_after, body) = call_with(&app, "sign_in/request_code", &[("mobile", "0500000009")], &[]).await;
    assert_eq!(status, 429, "{body}");
    // A typed error the page decodes and shows (AppError::TooManyRequests).
    let error: app::error::AppError = serde_json::from_str(&body).expect("a typed error");
    let app::error::AppError::TooManyRequests { retry_after_seconds } = error else { panic!("{body}") };
    // One more code every 20 minutes at 3 an hour.
    assert!((1100..=1200).contains(&retry_after_seconds), "{retry_after_seconds}");
    assert_eq!(retry_after, Some(retry_after_seconds.to_string()));
    // "Send a new code" counts too.
    let (status, _, _) = call_with(&app, "sign_in/resend_code", &[], &[]).await;
    assert_eq!(status, 429);
    assert_eq!(queued_codes(&app).await, 3, "no SMS past the limit");
}

#[tokio::test]
async fn a_plain_form_post_past_the_limit_gets_a_localized_page_with_a_way_back() {
    let app = spawn_app_with(|s| s.limit_forms_per_hour = 1).await;
    let post = |language: &'static str| {
        let referer = app.url("/faq");
        let client = app.client.clone();
        let url = app.url("/api/inquiries/ask");
        async move {
            client
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "text/html,application/xhtml+xml")
                .header("referer", referer)
                .header("cookie", format!("awn_lang={language}"))
                .body("question=%D8%B3%D8%A4%D8%A7%D9%84&mobile=0551234567")
                .send()
                .await
                .expect("answered")
        }
    };
    let first = post("en").await;
    assert_ne!(first.status().as_u16(), 429);

    let refused = post("en").await;
    assert_eq!(refused.status().as_u16(), 429);
    let retry_after: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry_after > 3000, "{retry_after}");
    assert!(refused.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let page = refused.text().await.unwrap();
    assert!(page.contains("lang=\"en\""), "{page}");
    assert!(page.contains("Please try again in 60 minutes"), "{page}");
    assert!(page.contains("href=\"/faq\""), "a link back to the form's page: {page}");

    let refused = post("ar").await;
    assert_eq!(refused.status().as_u16(), 429);
    let page = refused.text().await.unwrap();
    assert!(page.contains("dir=\"rtl\""), "{page}");
    assert!(page.contains("حاول مرة أخرى بعد"), "{page}");
}

#[tokio::test]
async fn every_anonymous_form_and_staff_sign_in_are_limited() {
    let app = spawn_app_with(|s| {
        s.limit_forms_per_hour = 1;
        s.limit_staff_sign_ins_per_hour = 1;
    })
    .await;
    for endpoint in ["suggestions/send", "privacy/violation", "consent/choose", "complaints/submit", "staff/sign_in"] {
        // Each class has one allowance; the forms share theirs.
        let (status, _, body) = call_with(&app, endpoint, &[], &[]).await;
        if endpoint == "staff/sign_in" {
            assert_ne!(status, 429, "{endpoint}: {body}");
            let (status, _, _) = call_with(&app, endpoint, &[], &[]).await;
            assert_eq!(status, 429, "{endpoint}");
        } else if endpoint != "suggestions/send" {
            assert_eq!(status, 429, "{endpoint}: {body}");
        }
    }
    let response = app.client.post(app.url("/survey-answers/abc")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(response.status().as_u16(), 429, "survey answers");
    // Reading is never limited.
    let (status, _) = app.page("/faq").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn each_client_address_has_its_own_allowance() {
    let app = spawn_app_with(|s| s.limit_codes_per_hour = 1).await;
    let (status, _, _) = call_with(&app, "sign_in/request_code", &[("mobile", "0500000001")], &[]).await;
    assert_eq!(status, 200);
    let (status, _, _) = call_with(&app, "sign_in/request_code", &[("mobile", "0500000002")], &[]).await;
    assert_eq!(status, 429);
    // Another machine (another loopback address): the connection's peer address
    // is what counts, so it is not refused for the first one's requests.
    let elsewhere =
        crate::helpers::same_origin_builder().local_address(Some("127.0.0.2".parse().unwrap())).build().unwrap();
    let response = elsewhere
        .post(app.url("/api/sign_in/request_code"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("mobile=0500000003")
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test]
async fn a_trusted_proxy_header_is_respected_only_when_configured() {
    // Not configured: the header is the client's say, and ignored.
    let app = spawn_app_with(|s| s.limit_codes_per_hour = 1).await;
    let (status, _, _) =
        call_with(&app, "sign_in/request_code", &[("mobile", "0500000001")], &[("x-forwarded-for", "203.0.113.1")])
            .await;
    assert_eq!(status, 200);
    let (status, _, _) =
        call_with(&app, "sign_in/request_code", &[("mobile", "0500000002")], &[("x-forwarded-for", "203.0.113.2")])
            .await;
    assert_eq!(status, 429, "a forged header does not buy a new allowance");

    // Configured: the right-most address, the one the proxy wrote, is the client.
    let app = spawn_app_with(|s| {
        s.limit_codes_per_hour = 1;
        s.trusted_proxy_header = Some("x-forwarded-for".into());
    })
    .await;
    async fn code(app: &TestApp, mobile: &str, forwarded: &str) -> u16 {
        call_with(app, "sign_in/request_code", &[("mobile", mobile)], &[("x-forwarded-for", forwarded)]).await.0
    }
    assert_eq!(code(&app, "0500000001", "1.1.1.1, 203.0.113.1").await, 200);
    assert_eq!(code(&app, "0500000002", "1.1.1.1, 203.0.113.2").await, 200, "another client behind the proxy");
    assert_eq!(code(&app, "0500000003", "9.9.9.9, 203.0.113.1").await, 429, "the forged left part changes nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_code_requests_for_one_number_queue_one_code() {
    let app = spawn_app_with(|_| {}).await;
    let calls: Vec<_> = (0..10)
        .map(|_| {
            let browser = app.browser();
            tokio::spawn(async move { browser.call("sign_in/request_code", &[("mobile", "0509990000")]).await })
        })
        .collect();
    for call in calls {
        let (status, body) = call.await.expect("the call ran");
        assert_eq!(status, 200, "{body}");
    }
    assert_eq!(queued_codes(&app).await, 1, "one code; the others were told to wait");
}

#[tokio::test]
async fn past_the_sms_budget_codes_are_refused_with_a_clear_message_and_the_admin_alerted() {
    let app = spawn_app_with(|s| s.sms_budget_per_hour = 2).await;
    // Whatever the demo data queued is out of this hour's count.
    sqlx::query("UPDATE outbox_messages SET created_at = created_at - 7200")
        .execute(app.database.pool())
        .await
        .unwrap();
    let browser = app.browser();
    for mobile in ["0501110001", "0501110002"] {
        let (status, body) = browser.call("sign_in/request_code", &[("mobile", mobile)]).await;
        assert_eq!((status, body.as_str()), (200, "null"));
    }
    let (status, body) = browser.call("sign_in/request_code", &[("mobile", "0501110003")]).await;
    assert_eq!((status, body.as_str()), (200, "\"ServiceBusy\""));
    // Without JavaScript: back to the form, which says why.
    let (status, location) =
        browser.post_form("/api/sign_in/request_code", "/sign-in", &[("mobile", "0501110004")]).await;
    assert!((300..400).contains(&status), "{status}");
    assert!(location.contains("/sign-in"), "{location}");
    let (_, page) = browser.page("/sign-in").await;
    assert!(page.contains("الخدمة مشغولة الآن"), "{page}");
    assert_eq!(queued_codes(&app).await, 2);

    // One alert for the hour, however many refusals; the admin sees it at /staff.
    let alerts = awn_storage::limits::recent_alerts(&app.database, 0, 10).await.unwrap();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    let admin = crate::staff::staff_browser(&app, awn_domain::staff::StaffRole::Admin, true).await;
    let (status, page) = admin.page("/staff").await;
    assert_eq!(status, 200);
    assert!(page.contains("نفدت ميزانية الرسائل النصية"), "{page}");
    // A role that does not run the system does not get it.
    let researcher = crate::staff::staff_browser(&app, awn_domain::staff::StaffRole::SocialResearcher, true).await;
    let (_, page) = researcher.page("/staff").await;
    assert!(!page.contains("نفدت ميزانية الرسائل النصية"));
}

#[tokio::test]
async fn an_account_sends_at_most_the_daily_number_of_requests_questions_and_complaints() {
    use app::{forms::Problem, requests::wizard::StepOutcome};
    let app = spawn_app_with(|s| s.submissions_per_day = 2).await;
    let browser = app.signed_in("0552220000").await;

    for n in 0..2 {
        let (status, body) = browser.call("inquiries/ask", &[("question", &format!("سؤال رقم {n} عن المواعيد"))]).await;
        assert_eq!((status, body.as_str()), (200, "null"));
    }
    let (_, body) = browser.call("inquiries/ask", &[("question", "سؤال ثالث عن المواعيد")]).await;
    let refused: app::forms::FormProblem = serde_json::from_str(&body).expect(&body);
    assert_eq!(refused.problem, Problem::DailyLimit);
    // Without JavaScript the page says why, and keeps what was typed.
    let (status, location) = browser.post_form("/api/inquiries/ask", "/faq", &[("question", "سؤال رابع")]).await;
    assert!((300..400).contains(&status), "{status} {location}");
    let (_, page) = browser.page("/faq").await;
    let form = &page[page.find("form-ask").expect("the form")..];
    assert!(form.contains("وصلت إلى الحد اليومي لهذا النموذج"), "{location} {form}");

    for n in 0..2 {
        let (_, body) = browser.call("complaints/submit", &[("body", &format!("شكوى رقم {n}"))]).await;
        assert_eq!(body, "null");
    }
    let (_, body) = browser.call("complaints/submit", &[("body", "شكوى ثالثة")]).await;
    let refused: app::forms::FormProblem = serde_json::from_str(&body).expect(&body);
    assert_eq!(refused.problem, Problem::DailyLimit);

    for prefix in ["101234567", "101234568"] {
        let outcome =
            crate::requests::submit_request(&browser, &crate::helpers::national_id(prefix), "food_basket").await;
        assert!(matches!(outcome, StepOutcome::Submitted { .. }), "{outcome:?}");
    }
    let outcome =
        crate::requests::submit_request(&browser, &crate::helpers::national_id("101234569"), "food_basket").await;
    assert_eq!(outcome, StepOutcome::DailyLimit);
    // Without JavaScript: back to the wizard, which says why; the draft is kept.
    let declaration = [
        ("step", "declaration"),
        ("go", "submit"),
        ("declaration_accepted", "on"),
        ("signature", "محمد عبدالله سعيد القحطاني"),
        ("consent_sms", "on"),
    ];
    let (status, _) = browser.post_form("/api/requests/save_step", "/requests/new", &declaration).await;
    assert!((300..400).contains(&status));
    let (_, page) = browser.page("/requests/new").await;
    assert!(page.contains("وصلت إلى الحد اليومي لهذا النموذج"), "{page}");
    assert!(page.contains("محمد عبدالله سعيد القحطاني"), "the draft is kept");
    // Another account has its own allowance.
    let other = app.signed_in("0552220001").await;
    let (_, body) = other.call("complaints/submit", &[("body", "شكوى")]).await;
    assert_eq!(body, "null");
}
