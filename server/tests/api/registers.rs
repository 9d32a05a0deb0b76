//! The supporters' and members' registers (issue 15): who may open them, that
//! every read is audited, that contacts are encrypted at rest, and that an
//! anonymous supporter is never named outside the register.

use awn_domain::staff::StaffRole;

use crate::{
    helpers::spawn_app,
    staff::{staff_browser, staff_login},
};

async fn audited(app: &crate::helpers::TestApp, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(app.database.pool())
        .await
        .expect("the audit log")
}

#[tokio::test]
async fn a_supporter_and_their_contributions_are_kept_encrypted_and_every_read_is_audited() {
    let app = spawn_app().await;
    let officer = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    let (status, body) = officer
        .browser
        .call(
            "staff/supporters/add",
            &[
                ("kind", "individual"),
                ("name", "خالد سعيد العمري"),
                ("mobile", "0557778899"),
                ("email", "khalid@example.org"),
                ("anonymous", "on"),
            ],
        )
        .await;
    assert_eq!((status, body.as_str()), (200, "null"), "{body}");
    let (id, mobile, email): (i64, String, String) =
        sqlx::query_as("SELECT id, mobile, email FROM supporters").fetch_one(app.database.pool()).await.expect("a row");
    assert!(mobile.starts_with("enc1:") && email.starts_with("enc1:"), "contacts encrypted at rest");
    assert!(!mobile.contains("557778899"));

    // A contribution with a mistake comes back with its field; then it is kept.
    let supporter = id.to_string();
    let (_, body) = officer
        .browser
        .call(
            "staff/supporters/contribution",
            &[("supporter", &supporter), ("kind", "money"), ("received_on", "2026-11-01"), ("channel", "cash")],
        )
        .await;
    assert!(body.contains("\"field\":\"amount\"") && body.contains("Required"), "{body}");
    let (_, body) = officer
        .browser
        .call(
            "staff/supporters/contribution",
            &[
                ("supporter", &supporter),
                ("kind", "money"),
                ("amount", "١٥٠٠٫٥٠"),
                ("received_on", "2026-11-01"),
                ("channel", "bank_transfer"),
                ("receipt_number", "R-77"),
            ],
        )
        .await;
    assert_eq!(body, "null");

    let before = audited(&app, "supporter.view").await;
    let (status, page) = officer.browser.page(&format!("/staff/supporters/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("+966557778899") && page.contains("1500.50") && page.contains("R-77"), "the record");
    assert_eq!(audited(&app, "supporter.view").await, before + 1, "the read is audited");
    let (_, list) = officer.browser.page("/staff/supporters").await;
    assert!(list.contains("خالد سعيد العمري"), "named in the register itself");
    assert!(audited(&app, "supporters.view").await >= 1);
    assert_eq!(audited(&app, "contribution.add").await, 1);

    // Nobody else opens it: not a committee member, not an admin.
    for role in [StaffRole::CommitteeMember, StaffRole::Admin] {
        let other = staff_browser(&app, role, true).await;
        let (status, _) = other.call("staff/supporter", &[("id", &supporter)]).await;
        assert_eq!(status, 403, "{role:?}");
    }
}

#[tokio::test]
async fn members_keep_a_status_history_and_a_membership_number_is_used_once() {
    let app = spawn_app().await;
    let officer = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    let member = [
        ("membership_number", "٠٠٤٢"),
        ("full_name", "سعد محمد الغامدي"),
        ("national_id", "1000000008"),
        ("joined_on", "2020-01-15"),
    ];
    let (_, body) = officer.browser.call("staff/members/add", &member).await;
    assert_eq!(body, "null");
    let (_, body) = officer.browser.call("staff/members/add", &member).await;
    assert!(body.contains("membership_number") && body.contains("Duplicate"), "{body}");
    let (id, national_id): (i64, String) =
        sqlx::query_as("SELECT id, national_id FROM members").fetch_one(app.database.pool()).await.expect("a row");
    assert!(national_id.starts_with("enc1:"), "the ID is encrypted at rest");

    let member_id = id.to_string();
    let (_, body) = officer
        .browser
        .call("staff/members/status", &[("member", &member_id), ("status", "left"), ("day", "2026-11-01")])
        .await;
    assert_eq!(body, "null");
    let (_, body) = officer
        .browser
        .call("staff/members/status", &[("member", &member_id), ("status", "left"), ("day", "2026-11-02")])
        .await;
    assert!(body.contains("AlreadyDone"), "{body}");
    let (_, body) = officer
        .browser
        .call("staff/members/status", &[("member", &member_id), ("status", "active"), ("day", "2099-01-01")])
        .await;
    assert!(body.contains("\"field\":\"day\""), "no status from the future: {body}");

    let (status, page) = officer.browser.page(&format!("/staff/members/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("0042") && page.contains("1000000008") && page.contains("2026-11-01"));
    let history: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM member_status_history WHERE member_id = $1")
        .bind(id)
        .fetch_one(app.database.pool())
        .await
        .expect("history");
    assert_eq!(history, 2, "joined, then left");
    assert_eq!(audited(&app, "member.view").await, 1);
    assert_eq!(audited(&app, "member.status").await, 1);
}

#[tokio::test]
async fn without_javascript_a_refused_supporter_comes_back_with_what_was_typed() {
    let app = spawn_app().await;
    let officer = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    let (status, _) = officer
        .browser
        .post_form(
            "/api/staff/supporters/add",
            "/staff/supporters",
            &[("kind", "organisation"), ("name", "مؤسسة البر"), ("mobile", "12345")],
        )
        .await;
    assert!(status == 303 || status == 302, "back to the page: {status}");
    let (_, page) = officer.browser.page("/staff/supporters").await;
    assert!(page.contains("مؤسسة البر"), "the name typed is kept");
    assert!(page.contains("field--invalid"), "the mobile is marked");
}

#[tokio::test]
async fn the_reports_count_contributions_by_month_and_never_name_a_supporter() {
    let app = spawn_app().await;
    let officer = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    for (name, anonymous) in [("متبرع مجهول الاسم", "on"), ("مؤسسة العطاء", "")] {
        let (_, body) = officer
            .browser
            .call("staff/supporters/add", &[("kind", "individual"), ("name", name), ("anonymous", anonymous)])
            .await;
        assert_eq!(body, "null");
    }
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM supporters ORDER BY id").fetch_all(app.database.pool()).await.expect("ids");
    for (id, amount) in ids.iter().zip(["1000", "250.50"]) {
        let supporter = id.to_string();
        let (_, body) = officer
            .browser
            .call(
                "staff/supporters/contribution",
                &[
                    ("supporter", &supporter),
                    ("kind", "money"),
                    ("amount", amount),
                    ("received_on", "2026-10-05"),
                    ("channel", "cash"),
                ],
            )
            .await;
        assert_eq!(body, "null");
    }
    let admin = staff_browser(&app, StaffRole::Admin, true).await;
    let (status, _, csv) = admin.download("/staff/reports/requests.csv").await;
    assert_eq!(status, 200);
    let csv = String::from_utf8(csv).expect("UTF-8");
    assert!(csv.contains("المساهمات حسب الشهر,2026-10,2"), "two contributions in October: {csv}");
    assert!(csv.contains("2026-10,2"), "from two supporters, the anonymous one counted");
    assert!(csv.contains("المبالغ المستلمة حسب الشهر (ريال),2026-10,1250"), "{csv}");
    assert!(!csv.contains("متبرع مجهول الاسم") && !csv.contains("مؤسسة العطاء"), "nobody named");
    let (_, page) = admin.page("/staff/reports").await;
    assert!(page.contains("المساهمات حسب الشهر") && !page.contains("متبرع مجهول الاسم"));
}
