//! Supporters, members and volunteers have the rights over their data that
//! beneficiaries have (issue 15, B1, B3): the privacy officer records their
//! request, hands over a copy on an access request (audited), and carries out
//! a deletion that removes their contacts and identity and keeps, saying why,
//! only what a record the association must keep needs.

use app::staff::privacy::DataRequestsPage;
use awn_domain::staff::StaffRole;

use crate::{
    helpers::{TestApp, e164, spawn_app},
    staff::{StaffLogin, staff_login},
};

async fn audited(app: &TestApp, action: &str, reason_like: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND reason LIKE $2")
        .bind(action)
        .bind(reason_like)
        .fetch_one(app.database.pool())
        .await
        .expect("the audit log")
}

async fn requests(privacy: &StaffLogin) -> DataRequestsPage {
    let (status, body) = privacy.browser.call("staff/data_requests", &[]).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("the page")
}

/// A supporter with a mobile, an email and one contribution; their id.
async fn supporter(app: &TestApp, officer: &StaffLogin) -> String {
    let args =
        [("kind", "individual"), ("name", "ناصر علي الدوسري"), ("mobile", "0557001122"), ("email", "n@example.org")];
    assert_eq!(officer.browser.call("staff/supporters/add", &args).await.1, "null");
    let id: i64 =
        sqlx::query_scalar("SELECT MAX(id) FROM supporters").fetch_one(app.database.pool()).await.expect("an id");
    let id = id.to_string();
    let contribution = [
        ("supporter", id.as_str()),
        ("kind", "money"),
        ("amount", "2500"),
        ("received_on", "2026-11-02"),
        ("channel", "bank_transfer"),
        ("purpose", "سلال رمضان"),
    ];
    assert_eq!(officer.browser.call("staff/supporters/contribution", &contribution).await.1, "null");
    id
}

#[tokio::test]
async fn a_supporters_access_request_is_recorded_and_answered_with_an_audited_copy() {
    let app = spawn_app().await;
    let officer = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    let id = supporter(&app, &officer).await;
    let privacy = staff_login(&app, StaffRole::PrivacyOfficer, true).await;

    // Every missing choice is said; nobody under that number is said too.
    let (_, body) = privacy.browser.call("staff/data_requests/record", &[("number", &id)]).await;
    assert!(body.contains("\"field\":\"party\"") && body.contains("Required"), "{body}");
    let unknown = [("party", "supporter"), ("number", "٩٩٩"), ("kind", "access"), ("channel", "phone")];
    let (_, body) = privacy.browser.call("staff/data_requests/record", &unknown).await;
    assert!(body.contains("\"field\":\"number\"") && body.contains("NotFound"), "{body}");
    // A beneficiary sends their own: the register choice refuses them.
    let beneficiary = [("party", "beneficiary"), ("number", "1"), ("kind", "access"), ("channel", "phone")];
    let (_, body) = privacy.browser.call("staff/data_requests/record", &beneficiary).await;
    assert!(body.contains("\"field\":\"party\""), "{body}");
    assert!(requests(&privacy).await.requests.is_empty(), "nothing recorded from mistakes");

    let asked = [("party", "supporter"), ("number", id.as_str()), ("kind", "access"), ("channel", "phone")];
    assert_eq!(privacy.browser.call("staff/data_requests/record", &asked).await.1, "null");
    let page = requests(&privacy).await;
    let request = &page.requests[0];
    assert_eq!((request.subject.kind.code(), request.subject.id.to_string()), ("supporter", id.clone()));
    assert_eq!((request.kind.code(), request.channel.code()), ("access", "phone"));
    assert!(request.due_at > request.created_at + 29 * 86_400, "the legal period runs: {request:?}");
    assert_eq!(audited(&app, "data_request.record", &format!("%supporter:{id}%")).await, 1);
    let (_, html) = privacy.browser.page("/staff/data-requests").await;
    assert!(html.contains(&format!("/staff/data-requests/{}/export.json", request.id)), "the copy is offered");
    assert!(html.contains("نسخة من بياناته") && html.contains("الهاتف"), "kind and channel in words");

    // Only the privacy officer takes the copy; taking it is audited.
    let export = format!("/staff/data-requests/{}/export.json", request.id);
    assert_eq!(officer.browser.download(&export).await.0, 403);
    assert_eq!(audited(&app, "party.export", "%").await, 0);
    let (status, _, bytes) = privacy.browser.download(&export).await;
    assert_eq!(status, 200);
    let copy: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
    assert_eq!(copy["register"], "supporter");
    assert_eq!(copy["record"]["name"], "ناصر علي الدوسري");
    assert_eq!(copy["record"]["mobile"], e164("0557001122"));
    assert_eq!(copy["record"]["contributions"][0]["amount_riyals"], 2500.0);
    assert_eq!(copy["requests_about_your_data"][0]["kind"], "access");
    assert_eq!(audited(&app, "party.export", &format!("%supporter:{id}%")).await, 1);
    // A request for something else has no copy to take.
    assert_eq!(privacy.browser.download("/staff/data-requests/987654/export.json").await.0, 404);

    let args = [("request", request.id.to_string()), ("decision", "done".into()), ("outcome", "سُلّمت النسخة".into())];
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(privacy.browser.call("staff/data_requests/answer", &args).await.1, "null");
    assert_eq!(requests(&privacy).await.requests[0].status.code(), "done");
}

#[tokio::test]
async fn a_supporters_deletion_removes_their_contacts_and_keeps_their_contributions_under_no_name() {
    let app = spawn_app().await;
    let officer = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    let id = supporter(&app, &officer).await;
    let privacy = staff_login(&app, StaffRole::PrivacyOfficer, true).await;
    let asked = [("party", "supporter"), ("number", id.as_str()), ("kind", "deletion"), ("channel", "letter")];
    assert_eq!(privacy.browser.call("staff/data_requests/record", &asked).await.1, "null");
    let request = requests(&privacy).await.requests[0].id.to_string();

    // Erasure cannot be undone: without the password nothing happens.
    let (_, body) = privacy.browser.call("staff/data_requests/erase", &[("request", &request)]).await;
    assert!(body.contains("confirm_password"), "{body}");
    let (_, body) = privacy.call_confirmed(&app, "staff/data_requests/erase", &[("request", &request)]).await;
    assert_eq!(body, "null");

    let (name, mobile, email, anonymous): (String, Option<String>, Option<String>, i64) =
        sqlx::query_as("SELECT name, mobile, email, anonymous FROM supporters WHERE id = $1")
            .bind(id.parse::<i64>().expect("an id"))
            .fetch_one(app.database.pool())
            .await
            .expect("the row stays, emptied");
    assert_eq!((name.as_str(), mobile, email, anonymous), ("", None, None, 1));
    let kept: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM contributions").fetch_one(app.database.pool()).await.expect("count");
    assert_eq!(kept, 1, "the financial record stays");
    let page = requests(&privacy).await;
    let outcome = page.requests[0].outcome.clone().unwrap_or_default();
    assert_eq!(page.requests[0].status.code(), "done");
    assert!(outcome.contains("المساءلة المالية") && outcome.contains("سجل التدقيق"), "{outcome}");
    assert_eq!(audited(&app, "party.erase", &format!("%supporter:{id}%")).await, 1);
    // Done once: a second erasure is refused.
    let (_, body) = privacy.call_confirmed(&app, "staff/data_requests/erase", &[("request", &request)]).await;
    assert!(body.contains("AlreadyDone"), "{body}");
}

#[tokio::test]
async fn a_member_is_told_of_an_extension_and_their_deletion_keeps_the_register_entry() {
    let app = spawn_app().await;
    let officer = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    let member = [
        ("membership_number", "0077"),
        ("full_name", "فهد سالم الشهري"),
        ("national_id", "1000000008"),
        ("mobile", "0558003344"),
        ("joined_on", "2021-03-01"),
    ];
    assert_eq!(officer.browser.call("staff/members/add", &member).await.1, "null");
    let id: i64 = sqlx::query_scalar("SELECT id FROM members").fetch_one(app.database.pool()).await.expect("an id");
    let privacy = staff_login(&app, StaffRole::PrivacyOfficer, true).await;
    let number = id.to_string();
    let asked = [("party", "member"), ("number", number.as_str()), ("kind", "deletion"), ("channel", "in_person")];
    assert_eq!(privacy.browser.call("staff/data_requests/record", &asked).await.1, "null");
    let request = requests(&privacy).await.requests[0].id.to_string();

    // More time: the member is told by SMS at the mobile the register holds.
    let extend = [("request", request.as_str()), ("days", "15"), ("reason", "نراجع السجلات الورقية")];
    assert_eq!(privacy.browser.call("staff/data_requests/extend", &extend).await.1, "null");
    let told = awn_storage::outbox::recent(&app.database, 50)
        .await
        .expect("outbox")
        .into_iter()
        .any(|m| m.recipient == e164("0558003344") && m.body.contains("نراجع السجلات الورقية"));
    assert!(told, "the member is told the new date and why");

    let (_, body) = privacy.call_confirmed(&app, "staff/data_requests/erase", &[("request", &request)]).await;
    assert_eq!(body, "null");
    let (name, number_kept, national_id, mobile): (String, String, Option<String>, Option<String>) =
        sqlx::query_as("SELECT full_name, membership_number, national_id, mobile FROM members WHERE id = $1")
            .bind(id)
            .fetch_one(app.database.pool())
            .await
            .expect("the register entry stays");
    assert_eq!((name.as_str(), number_kept.as_str(), national_id, mobile), ("فهد سالم الشهري", "0077", None, None));
    let outcome = requests(&privacy).await.requests[0].outcome.clone().unwrap_or_default();
    assert!(outcome.contains("سجل أعضاء الجمعية"), "{outcome}");
}

#[tokio::test]
async fn a_volunteers_deletion_empties_the_application_keeps_hours_as_counts_and_closes_the_account() {
    let app = spawn_app().await;
    let id = crate::volunteers::applied(&app, "0559004455").await;
    let officer = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    let volunteer = id.to_string();
    let decide = [("volunteer", volunteer.as_str()), ("decision", "accept"), ("message", "أهلًا بك")];
    assert_eq!(officer.browser.call("staff/volunteers/decide", &decide).await.1, "null");
    assert_eq!(officer.browser.call("staff/volunteers/account", &[("volunteer", &volunteer)]).await.0, 200);
    let hours = [
        ("volunteer", volunteer.as_str()),
        ("day", "2026-11-20"),
        ("hours", "2"),
        ("activity", "زيارة أسرة في حي النسيم"),
    ];
    assert_eq!(officer.browser.call("staff/volunteers/hours", &hours).await.1, "null");

    let privacy = staff_login(&app, StaffRole::PrivacyOfficer, true).await;
    let asked = [("party", "volunteer"), ("number", volunteer.as_str()), ("kind", "deletion"), ("channel", "email")];
    assert_eq!(privacy.browser.call("staff/data_requests/record", &asked).await.1, "null");
    let request = requests(&privacy).await.requests[0].id.to_string();
    let (_, body) = privacy.call_confirmed(&app, "staff/data_requests/erase", &[("request", &request)]).await;
    assert_eq!(body, "null");

    let (name, skills, active): (String, String, i64) = sqlx::query_as(
        "SELECT v.full_name, v.skills, s.active FROM volunteers v JOIN staff_accounts s ON s.id = v.staff_id WHERE v.id = $1",
    )
    .bind(id)
    .fetch_one(app.database.pool())
    .await
    .expect("the row");
    assert_eq!((name.as_str(), skills.as_str(), active), ("", "", 0));
    let (half_hours, activity): (i64, String) = sqlx::query_as("SELECT half_hours, activity FROM volunteer_hours")
        .fetch_one(app.database.pool())
        .await
        .expect("kept");
    assert_eq!((half_hours, activity.as_str()), (4, ""));
    let outcome = requests(&privacy).await.requests[0].outcome.clone().unwrap_or_default();
    assert!(outcome.contains("ساعات تطوعك") && outcome.contains("أُغلق حساب"), "{outcome}");
}
