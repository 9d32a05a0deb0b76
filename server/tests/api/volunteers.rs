//! Volunteering (A18's volunteering channel): the public sign-up at
//! `/volunteer` stores an application only once the code sent to its mobile is
//! confirmed, works without JavaScript in both languages, and its codes are
//! limited like sign-in codes; staff with `ManageVolunteers` list (audited),
//! accept (the volunteer is told by SMS), give a volunteer account that signs
//! in, and record hours whose total the list shows.

use awn_domain::staff::StaffRole;

use crate::{
    helpers::{Browser, TestApp, e164, six_digits, spawn_app, spawn_app_with},
    staff::staff_browser,
};

const NAME: &str = "سارة المتطوعة";

fn application(mobile: &str) -> Vec<(&str, &str)> {
    vec![
        ("full_name", NAME),
        ("mobile", mobile),
        ("skills", "تصميم وتنظيم فعاليات"),
        ("areas", "الرياض"),
        ("availability", "weekends"),
        ("sms_consent", "1"),
    ]
}

async fn volunteer_code(app: &TestApp, mobile: &str) -> String {
    let messages = awn_storage::outbox::recent(&app.database, 100).await.expect("outbox");
    let body = messages
        .iter()
        .find(|m| m.recipient == e164(mobile) && m.purpose == "volunteer_code")
        .map(|m| m.body.clone())
        .expect("a volunteer code was queued");
    six_digits(&body).expect("a 6-digit code")
}

async fn verified_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM volunteers WHERE verified_at IS NOT NULL")
        .fetch_one(app.database.pool())
        .await
        .expect("count")
}

/// Applies and confirms for `mobile`; answers the application's id.
pub(crate) async fn applied(app: &TestApp, mobile: &str) -> i64 {
    let visitor = app.browser();
    let (status, body) = visitor.call("volunteer/apply", &application(mobile)).await;
    assert_eq!((status, body.as_str()), (200, "null"));
    let code = volunteer_code(app, mobile).await;
    let (_, body) = visitor.call("volunteer/confirm", &[("code", &code)]).await;
    assert_eq!(body, "null", "confirmed");
    sqlx::query_scalar("SELECT MAX(id) FROM volunteers WHERE verified_at IS NOT NULL")
        .fetch_one(app.database.pool())
        .await
        .expect("an id")
}

#[tokio::test]
async fn an_application_is_stored_for_staff_only_after_its_code_once_per_mobile() {
    let app = spawn_app().await;
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let visitor = app.browser();
    let mobile = "0551230001";
    let (status, body) = visitor.call("volunteer/apply", &application(mobile)).await;
    assert_eq!((status, body.as_str()), (200, "null"));
    let code = volunteer_code(&app, mobile).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (_, body) = visitor.call("volunteer/confirm", &[("code", wrong)]).await;
    assert_ne!(body, "null", "a wrong code is refused");
    assert_eq!(verified_count(&app).await, 0, "a wrong code stores nothing");
    let (status, listed) = officer.call("staff/volunteers", &[]).await;
    assert_eq!(status, 200, "{listed}");
    assert!(!listed.contains(NAME), "an unverified application never reaches staff");

    let (_, body) = visitor.call("volunteer/confirm", &[("code", &code)]).await;
    assert_eq!(body, "null");
    assert_eq!(verified_count(&app).await, 1);
    let (_, listed) = officer.call("staff/volunteers", &[]).await;
    assert!(listed.contains(NAME) && listed.contains(&e164(mobile)), "{listed}");
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'volunteer.view'")
        .fetch_one(app.database.pool())
        .await
        .unwrap();
    assert_eq!(audited, 2, "every read of the list is audited");

    // No second pending application for the same mobile: refused before any code.
    let other = app.browser();
    let (_, body) = other.call("volunteer/apply", &application(mobile)).await;
    assert!(body.contains("Duplicate") && body.contains("\"mobile\""), "{body}");
}

#[tokio::test]
async fn without_javascript_the_forms_post_and_come_back_localized_with_what_was_typed() {
    let app = spawn_app().await;
    for (language, required) in [("ar", "هذا الحقل مطلوب."), ("en", "This field is required.")] {
        let visitor = app.browser();
        visitor.set_cookie(&format!("awn_lang={language}"));
        let mut args = application("");
        args.retain(|(name, _)| *name != "mobile");
        let (status, location) = visitor.post_form("/api/volunteer/apply", "/volunteer", &args).await;
        assert!((300..400).contains(&status) && location.contains("/volunteer"), "{language}: {status} {location}");
        let (_, page) = visitor.page("/volunteer").await;
        assert!(page.contains(required), "{language}: the problem is shown");
        assert!(page.contains(NAME) && page.contains("تصميم وتنظيم فعاليات"), "{language}: typed values kept");
    }
    let visitor = app.browser();
    let mobile = "0551230002";
    let (status, location) = visitor.post_form("/api/volunteer/apply", "/volunteer", &application(mobile)).await;
    assert!((300..400).contains(&status) && location.contains("/volunteer/code"), "{status} {location}");
    let (_, page) = visitor.page("/volunteer/code").await;
    assert!(page.contains("تأكيد طلب التطوع"), "{page}");
    let (status, location) = visitor.post_form("/api/volunteer/confirm", "/volunteer/code", &[("code", "12")]).await;
    assert!((300..400).contains(&status) && location.contains("/volunteer/code"), "{status} {location}");
    let (_, page) = visitor.page("/volunteer/code").await;
    assert!(page.contains("notice--error") || page.contains("field__error"), "the code's problem is shown");
    let code = volunteer_code(&app, mobile).await;
    let (status, location) = visitor.post_form("/api/volunteer/confirm", "/volunteer/code", &[("code", &code)]).await;
    assert!((300..400).contains(&status) && location.contains("/volunteer?sent=1"), "{status} {location}");
    let (_, page) = visitor.page("/volunteer?sent=1").await;
    assert!(page.contains("وصلنا طلب تطوعك"));
    assert_eq!(verified_count(&app).await, 1);
}

#[tokio::test]
async fn the_code_limit_applies_to_volunteer_sign_ups() {
    let app = spawn_app_with(|s| s.limit_codes_per_hour = 1).await;
    let visitor = app.browser();
    let (status, _) = visitor.call("volunteer/apply", &application("0551230003")).await;
    assert_eq!(status, 200);
    let (status, _) = visitor.call("volunteer/apply", &application("0551230004")).await;
    assert_eq!(status, 429, "a second SMS from the address within the hour");
    // The number's own limits hold too: a second code at once is refused.
    let app = spawn_app().await;
    let visitor = app.browser();
    let (_, body) = visitor.call("volunteer/apply", &application("0551230005")).await;
    assert_eq!(body, "null");
    let (_, body) = visitor.call("volunteer/apply", &application("0551230005")).await;
    assert!(body.contains("TooManyRequests"), "{body}");
}

#[tokio::test]
async fn an_officer_accepts_gives_an_account_that_signs_in_and_records_hours() {
    let app = spawn_app().await;
    let mobile = "0551230006";
    let id = applied(&app, mobile).await;
    let committee = staff_browser(&app, StaffRole::CommitteeMember, true).await;
    assert_eq!(committee.call("staff/volunteers", &[]).await.0, 403);
    let officer: Browser = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let volunteer = id.to_string();

    let args = [("volunteer", volunteer.as_str()), ("decision", "accept"), ("message", "ننتظرك يوم الأحد")];
    let (status, body) = officer.call("staff/volunteers/decide", &args).await;
    assert_eq!((status, body.as_str()), (200, "null"));
    let sms: Vec<_> = awn_storage::outbox::recent(&app.database, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.purpose == "volunteer_decision")
        .collect();
    assert_eq!(sms.len(), 1);
    assert_eq!((sms[0].channel.as_str(), sms[0].recipient.as_str()), ("sms", e164(mobile).as_str()));
    assert!(sms[0].body.contains("ننتظرك يوم الأحد"), "{}", sms[0].body);

    let (status, body) = officer.call("staff/volunteers/account", &[("volunteer", &volunteer)]).await;
    assert_eq!(status, 200, "{body}");
    let given: serde_json::Value = serde_json::from_str(&body).unwrap();
    let username = given["Ok"]["username"].as_str().expect("a username").to_owned();
    let password = given["Ok"]["password"].as_str().expect("a password").to_owned();
    assert!(password.chars().count() >= 20);
    let (_, again) = officer.call("staff/volunteers/account", &[("volunteer", &volunteer)]).await;
    assert!(again.contains("AlreadyDone"), "one account per volunteer: {again}");
    let role: String = sqlx::query_scalar(
        "SELECT s.role FROM staff_accounts s JOIN volunteers v ON v.staff_id = s.id WHERE v.id = $1",
    )
    .bind(id)
    .fetch_one(app.database.pool())
    .await
    .unwrap();
    assert_eq!(role, "volunteer");
    let (status, body) = app.browser().call("staff/sign_in", &[("username", &username), ("password", &password)]).await;
    assert_eq!((status, body.as_str()), (200, "null"), "the volunteer signs in");

    for (day, hours) in [("2026-11-20", "1.5"), ("2026-11-21", "2")] {
        let args = [("volunteer", volunteer.as_str()), ("day", day), ("hours", hours), ("activity", "توزيع السلال")];
        let (status, body) = officer.call("staff/volunteers/hours", &args).await;
        assert_eq!((status, body.as_str()), (200, "null"));
    }
    let args = [("volunteer", volunteer.as_str()), ("day", "2026-11-22"), ("hours", "25"), ("activity", "x")];
    let (_, body) = officer.call("staff/volunteers/hours", &args).await;
    assert!(body.contains("OutOfRange"), "{body}");
    let (_, listed) = officer.call("staff/volunteers", &[]).await;
    assert!(listed.contains("\"total_hours\":\"3.5\""), "{listed}");
    let (_, page) = officer.page("/staff/volunteers").await;
    assert!(page.contains("ساعات التطوع") && page.contains("3.5"));

    // The reports carry the month's figures, no names (A18).
    let admin = staff_browser(&app, StaffRole::Admin, true).await;
    let (_, report) = admin.page("/staff/reports").await;
    assert!(report.contains("التطوع حسب الشهر") && report.contains("2026-11 · ساعات التطوع"), "{report}");
    let (status, _, csv) = admin.download("/staff/reports/requests.csv").await;
    assert_eq!(status, 200);
    let csv = String::from_utf8_lossy(&csv);
    assert!(csv.contains("2026-11 · ساعات التطوع,3.5"), "{csv}");
    assert!(!csv.contains(NAME) && !report.contains(NAME), "no names in a report");
}

/// Without JavaScript the account form's post is answered by a page that shows
/// the password once: no redirect, nothing cached, and the password in no
/// cookie (a secret is never stored in plain text, and a flash cookie is).
#[tokio::test]
async fn a_plain_post_shows_the_new_password_once_and_never_puts_it_in_a_cookie() {
    let app = spawn_app().await;
    let id = applied(&app, "0551230007").await;
    let officer: Browser = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let volunteer = id.to_string();
    let args = [("volunteer", volunteer.as_str()), ("decision", "accept"), ("message", "أهلًا بك")];
    assert_eq!(officer.call("staff/volunteers/decide", &args).await, (200, "null".to_owned()));

    let response = officer
        .client
        .post(officer.url("/api/staff/volunteers/account"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html,application/xhtml+xml")
        .header("referer", officer.url("/staff/volunteers"))
        .body(format!("volunteer={volunteer}"))
        .send()
        .await
        .expect("the form post is answered");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.text().await.expect("a body");
    let username: String = sqlx::query_scalar(
        "SELECT s.username FROM staff_accounts s JOIN volunteers v ON v.staff_id = s.id WHERE v.id = $1",
    )
    .bind(id)
    .fetch_one(app.database.pool())
    .await
    .expect("the account was given");
    assert_eq!(status, 200, "answered by the page itself, not a redirect: {headers:?}");
    assert!(headers.get("location").is_none());
    assert_eq!(headers.get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    let cookies: Vec<String> =
        headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).map(str::to_owned).collect();
    assert!(cookies.iter().all(|c| !c.starts_with("awn_flash=") || c.starts_with("awn_flash=;")), "{cookies:?}");
    // The password as the page shows it: the code after the username's.
    assert!(body.contains("id=\"volunteer-account-given\"") && body.contains(&username), "{body}");
    let password = body
        .split("<code>")
        .nth(2)
        .and_then(|rest| rest.split("</code>").next())
        .expect("the password is shown")
        .to_owned();
    assert!(password.chars().count() >= 20, "{password}");
    let encoded: String = form_urlencoded::byte_serialize(password.as_bytes()).collect();
    for cookie in &cookies {
        assert!(!cookie.contains(&password) && !cookie.contains(&encoded), "a secret in a cookie: {cookie}");
    }
    // Shown once: the list afterwards shows no password.
    let (_, list) = officer.page("/staff/volunteers").await;
    assert!(!list.contains(&password) && !list.contains("volunteer-account-given"));
    // It is the real password.
    let (status, body) = app.browser().call("staff/sign_in", &[("username", &username), ("password", &password)]).await;
    assert_eq!((status, body.as_str()), (200, "null"), "the volunteer signs in");
    // A second plain post is refused as before (a redirect with the problem), no new password.
    let (status, _) =
        officer.post_form("/api/staff/volunteers/account", "/staff/volunteers", &[("volunteer", &volunteer)]).await;
    assert!((300..400).contains(&status), "{status}");
}
