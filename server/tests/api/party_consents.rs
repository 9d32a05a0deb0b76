//! Supporters' and volunteers' consents live in the one consent register
//! (B9): the news reaches those whose consent is in force, by SMS and by email
//! as they consented, and a withdrawal staff record cancels what is still
//! queued; a volunteer's consent given at sign-up is in the register.

use awn_domain::staff::StaffRole;

use crate::{
    helpers::{TestApp, e164, six_digits, spawn_app_with},
    staff::staff_login,
};

const NEWS: [(&str, &str); 2] =
    [("body_ar", "يوم مفتوح للداعمين والمتطوعين"), ("body_en", "An open day for supporters")];

/// Signs a volunteer up at `/volunteer`, with the news consent or not; their id.
async fn volunteer(app: &TestApp, mobile: &str, news: bool) -> i64 {
    let visitor = app.browser();
    let mut form = vec![
        ("full_name", "ريم المتطوعة"),
        ("mobile", mobile),
        ("skills", "تصوير"),
        ("areas", "الرهاة"),
        ("availability", "weekends"),
        ("sms_consent", "1"),
    ];
    if news {
        form.push(("news_consent", "1"));
    }
    let (status, body) = visitor.call("volunteer/apply", &form).await;
    assert_eq!((status, body.as_str()), (200, "null"));
    let messages = awn_storage::outbox::recent(&app.database, 100).await.expect("outbox");
    let sent = messages
        .iter()
        .find(|m| m.recipient == e164(mobile) && m.purpose == "volunteer_code")
        .map(|m| m.body.clone())
        .expect("a code");
    let code = six_digits(&sent).expect("a 6-digit code");
    assert_eq!(visitor.call("volunteer/confirm", &[("code", &code)]).await.1, "null");
    sqlx::query_scalar("SELECT MAX(id) FROM volunteers WHERE verified_at IS NOT NULL")
        .fetch_one(app.database.pool())
        .await
        .expect("an id")
}

/// The news messages with `status`, as (recipient, channel), oldest first.
async fn news(app: &TestApp, status: &str) -> Vec<(String, String)> {
    let mut messages = awn_storage::outbox::recent(&app.database, 1000).await.expect("outbox");
    messages.retain(|m| m.purpose == "news" && m.status == status);
    messages.sort_by_key(|m| m.id);
    messages.into_iter().map(|m| (m.recipient, m.channel)).collect()
}

fn sms(mobile: &str) -> (String, String) {
    (e164(mobile), "sms".into())
}

#[tokio::test]
async fn news_reaches_consenting_supporters_and_volunteers_and_a_recorded_withdrawal_cancels_it() {
    // The worker waits long between polls: nothing is delivered before the withdrawals.
    let app = spawn_app_with(|settings| settings.outbox_poll_ms = 600_000).await;
    let officer = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    let add = |name: &'static str, mobile: &'static str, email: &'static str, consent: bool| {
        let (officer, app) = (&officer, &app);
        async move {
            let mut form =
                vec![("kind", "individual"), ("name", name), ("mobile", mobile), ("email", email), ("anonymous", "on")];
            if consent {
                form.push(("consent_news", "on"));
            }
            assert_eq!(officer.browser.call("staff/supporters/add", &form).await.1, "null");
            sqlx::query_scalar::<_, i64>("SELECT MAX(id) FROM supporters")
                .fetch_one(app.database.pool())
                .await
                .expect("an id")
        }
    };
    // Anonymous, yet news still reach them: anonymity keeps them out of reports only.
    let willing = add("هيفاء الداعمة", "0557770001", "haifa@example.org", true).await;
    let _unwilling = add("ماجد الداعم", "0557770002", "majed@example.org", false).await;
    let signed_up = volunteer(&app, "0557770003", true).await;
    let _declined = volunteer(&app, "0557770004", false).await;

    // The sign-up's consent is in the register, given online.
    let (kind, granted, method): (String, i64, String) =
        sqlx::query_as("SELECT kind, granted, method FROM consents WHERE volunteer_id = $1")
            .bind(signed_up)
            .fetch_one(app.database.pool())
            .await
            .expect("the volunteer's consent");
    assert_eq!((kind.as_str(), granted, method.as_str()), ("news_sms", 1, "online"));

    // The supporter's page shows the register's entries and who recorded them.
    let (status, page) = officer.browser.page(&format!("/staff/supporters/{willing}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("form-consent-news_sms") && page.contains("form-consent-news_email"), "{page}");
    let recorder: String = sqlx::query_scalar(
        "SELECT s.display_name FROM consents c JOIN staff_accounts s ON s.id = c.recorded_by WHERE c.supporter_id = $1 \
         LIMIT 1",
    )
    .bind(willing)
    .fetch_one(app.database.pool())
    .await
    .expect("recorded by staff");
    assert!(page.contains(&recorder), "by whom");

    let admin = staff_login(&app, StaffRole::Admin, true).await;
    assert_eq!(admin.call_confirmed(&app, "staff/news/send", &NEWS).await.1, "null");
    assert_eq!(
        news(&app, "pending").await,
        [sms("0557770001"), ("haifa@example.org".into(), "email".into()), sms("0557770003")],
        "the supporter by SMS and email, the volunteer by SMS; nobody who did not consent"
    );

    // Staff record the supporter's withdrawal of news by SMS: that message is cancelled.
    let supporter = willing.to_string();
    let withdraw = [("supporter", supporter.as_str()), ("kind", "news_sms"), ("choice", "withdrawn")];
    assert_eq!(officer.browser.call("staff/supporters/consent", &withdraw).await.1, "null");
    assert_eq!(news(&app, "cancelled").await, [sms("0557770001")]);
    // And the volunteer's, on the volunteers' page.
    let volunteer_id = signed_up.to_string();
    let withdraw = [("volunteer", volunteer_id.as_str()), ("kind", "news_sms"), ("choice", "withdrawn")];
    assert_eq!(officer.browser.call("staff/volunteers/consent", &withdraw).await.1, "null");
    assert_eq!(news(&app, "cancelled").await, [sms("0557770001"), sms("0557770003")]);
    assert_eq!(news(&app, "pending").await, [("haifa@example.org".to_owned(), "email".to_owned())]);
    let (_, listed) = officer.browser.call("staff/volunteers", &[]).await;
    assert!(listed.contains("\"method\":\"staff\""), "the register's entries are listed: {listed}");

    // The next news reaches only the supporter's email.
    assert_eq!(admin.call_confirmed(&app, "staff/news/send", &NEWS).await.1, "null");
    let emails = news(&app, "pending").await;
    assert_eq!(emails.len(), 2);
    assert!(emails.iter().all(|(to, channel)| to == "haifa@example.org" && channel == "email"));
}

#[tokio::test]
async fn a_consent_form_refuses_what_it_does_not_know_and_works_without_javascript() {
    let app = spawn_app_with(|_| {}).await;
    let officer = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    let form = [("kind", "individual"), ("name", "سلمى"), ("mobile", "0557770011")];
    assert_eq!(officer.browser.call("staff/supporters/add", &form).await.1, "null");
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM supporters").fetch_one(app.database.pool()).await.unwrap();
    let supporter = id.to_string();

    // A kind staff do not record here, or no choice: the form says which field, never a 500.
    let (status, body) = officer
        .browser
        .call("staff/supporters/consent", &[("supporter", &supporter), ("kind", "sharing"), ("choice", "granted")])
        .await;
    assert!(status == 200 && body.contains("\"field\":\"kind\""), "{status} {body}");
    let (status, body) =
        officer.browser.call("staff/supporters/consent", &[("supporter", &supporter), ("kind", "news_sms")]).await;
    assert!(status == 200 && body.contains("\"field\":\"choice\""), "{status} {body}");
    let (status, _) = officer
        .browser
        .call("staff/supporters/consent", &[("supporter", "999999"), ("kind", "news_sms"), ("choice", "granted")])
        .await;
    assert_eq!(status, 404);

    // Without JavaScript: the plain form posts and comes back to the page with the consent recorded.
    let back = format!("/staff/supporters/{id}");
    let (status, location) = officer
        .browser
        .post_form(
            "/api/staff/supporters/consent",
            &back,
            &[("supporter", &supporter), ("kind", "news_sms"), ("choice", "granted")],
        )
        .await;
    assert!((300..400).contains(&status) && location.contains(&back), "{status} {location}");
    let granted: i64 = sqlx::query_scalar("SELECT granted FROM consents WHERE supporter_id = $1 ORDER BY id DESC")
        .bind(id)
        .fetch_one(app.database.pool())
        .await
        .unwrap();
    assert_eq!(granted, 1);
    let (_, page) = officer.browser.page(&back).await;
    assert!(page.contains("value=\"withdrawn\""), "now the withdrawal can be recorded");
}
