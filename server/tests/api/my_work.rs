//! "My work" over HTTP: what a member of staff must act on (theirs and their
//! role's, never another role's), the team view for supervisors only, the
//! notices marked read without JavaScript by their own staff member only, and
//! the reminder preferences with their localized problems.

use awn_domain::{
    calendar::UnixTime,
    deadlines::{ClockRule, SubjectKind, WorkBucket},
    staff::StaffRole,
};
use awn_storage::{
    Database,
    clocks::{self, Subject},
    now, staff,
};

use crate::{
    helpers::{TestApp, spawn_app},
    staff::staff_login,
};

/// A running clock about `kind` #`id`, due at `due`.
async fn clock(db: &Database, rule: ClockRule, kind: SubjectKind, id: i64, who: Option<i64>, due: UnixTime) -> i64 {
    let mut tx = db.begin_write().await.unwrap();
    let started = now().plus_seconds(-20 * 86_400);
    let clock_id = clocks::start_in(&mut tx, rule, Subject { kind, id }, started, who, Some(due)).await.unwrap().id;
    tx.commit().await.unwrap();
    clock_id
}

async fn notice(app: &TestApp, staff_id: i64, clock_id: i64) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO staff_notices (staff_id, kind, clock_id, created_at) VALUES ($1, 'reminder', $2, $3) RETURNING id",
    )
    .bind(staff_id)
    .bind(clock_id)
    .bind(now().seconds())
    .fetch_one(app.database.pool())
    .await
    .unwrap()
}

async fn read_at(app: &TestApp, notice: i64) -> Option<i64> {
    sqlx::query_scalar("SELECT read_at FROM staff_notices WHERE id = $1")
        .bind(notice)
        .fetch_one(app.database.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_relations_officer_sees_their_overdue_complaint_and_todays_inquiry_but_no_data_request() {
    let app = spawn_app().await;
    let db = &app.database;
    let officer = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    let late = now().plus_seconds(-3 * 86_400);
    clock(db, ClockRule::ComplaintResolution, SubjectKind::Complaint, 4101, Some(officer.id), late).await;
    clock(db, ClockRule::InquiryAnswer, SubjectKind::Inquiry, 4102, None, WorkBucket::end_of_today(now())).await;
    clock(db, ClockRule::DataRequest, SubjectKind::DataRequest, 4103, None, late).await;

    let (status, page) = officer.browser.page("/staff/work").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("حل الشكوى أو الاعتراض") && page.contains("/staff/complaints#complaint-4101"), "{page}");
    assert!(page.contains("الرد الأول على الاستفسار") && page.contains("/staff/inquiries#inquiry-4102"), "{page}");
    assert!(!page.contains("طلب صاحب البيانات") && !page.contains("data-request-4103"), "{page}");
    assert!(page.contains("متأخرة بـ"), "how overdue: {page}");
    assert!(!page.contains("tab=team"), "no team tab for who supervises nobody: {page}");

    let (status, body) = officer.browser.call("staff/work", &[]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"counts\":[1,1,0]"), "{body}");
    let (status, body) = officer.browser.call("staff/work", &[("bucket", "today")]).await;
    assert!(status == 200 && body.contains("inquiry-4102") && !body.contains("complaint-4101"), "{body}");

    // The privacy officer's role handles the data request.
    let privacy = staff_login(&app, StaffRole::PrivacyOfficer, true).await;
    let (_, page) = privacy.browser.page("/staff/work").await;
    assert!(page.contains("طلب صاحب البيانات") && !page.contains("complaint-4101"), "{page}");
}

#[tokio::test]
async fn a_supervisor_sees_their_teams_work_and_others_are_refused_the_team_view() {
    let app = spawn_app().await;
    let db = &app.database;
    let lead = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    let member = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    staff::set_supervisor(db, member.id, Some(lead.id)).await.unwrap().unwrap();
    let due = now().plus_seconds(-3_600);
    clock(db, ClockRule::ComplaintResolution, SubjectKind::Complaint, 4201, Some(member.id), due).await;

    let (_, mine) = lead.browser.page("/staff/work").await;
    assert!(mine.contains("tab=team") && !mine.contains("complaint-4201"), "{mine}");
    let (status, team) = lead.browser.page("/staff/work?tab=team").await;
    assert_eq!(status, 200);
    assert!(team.contains("/staff/complaints#complaint-4201"), "{team}");

    let (_, theirs) = member.browser.page("/staff/work").await;
    assert!(theirs.contains("complaint-4201") && !theirs.contains("tab=team"), "{theirs}");
    let (status, body) = member.browser.call("staff/work", &[("tab", "team")]).await;
    assert_eq!((status, body.as_str()), (403, "\"Forbidden\""));
}

#[tokio::test]
async fn a_notice_is_marked_read_without_javascript_by_its_own_staff_member_only() {
    let app = spawn_app().await;
    let db = &app.database;
    let officer = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    let other = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    let due = now().plus_seconds(3_600);
    let clock_id = clock(db, ClockRule::InquiryAnswer, SubjectKind::Inquiry, 4301, Some(officer.id), due).await;
    let first = notice(&app, officer.id, clock_id).await;
    let second = notice(&app, officer.id, clock_id).await;

    let (_, page) = officer.browser.page("/staff/work").await;
    let unread = |page: &str, n: &str, arabic: &str| {
        page.contains(&format!("غير المقروءة: {n}")) || page.contains(&format!("غير المقروءة: {arabic}"))
    };
    assert!(page.contains("تذكير: يقترب الموعد") && unread(&page, "2", "٢"), "{page}");
    assert!(page.contains("عملي"), "the navigation links to my work: {page}");

    // Someone else cannot mark it, with or without JavaScript.
    let (status, _) =
        other.browser.post_form("/api/staff/work/notices/read", "/staff/work", &[("notice", &first.to_string())]).await;
    assert_ne!(status, 200);
    let (status, _) = other.browser.call("staff/work/notices/read", &[("notice", &first.to_string())]).await;
    assert_eq!(status, 404);
    assert_eq!(read_at(&app, first).await, None);

    let (status, location) = officer
        .browser
        .post_form("/api/staff/work/notices/read", "/staff/work", &[("notice", &first.to_string())])
        .await;
    assert_eq!((status, location.as_str()), (302, "/staff/work"));
    assert!(read_at(&app, first).await.is_some());
    assert_eq!(read_at(&app, second).await, None);
    let (_, page) = officer.browser.page("/staff/work").await;
    assert!(unread(&page, "1", "١"), "{page}");

    let (status, _) = officer.browser.post_form("/api/staff/work/notices/read_all", "/staff/work", &[]).await;
    assert_eq!(status, 302);
    assert!(read_at(&app, second).await.is_some());
}

#[tokio::test]
async fn reminder_preferences_refuse_a_wrong_mobile_with_its_message_and_keep_a_good_one_encrypted() {
    let app = spawn_app().await;
    let officer = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    let form = [("reminder_channel", "sms"), ("contact_mobile", "12345"), ("contact_email", "")];
    let (status, location) = officer.browser.post_form("/api/staff/account/reminders", "/staff/account", &form).await;
    assert_eq!(status, 302);
    assert!(location.contains("/staff/account"), "{location}");
    let (_, page) = officer.browser.page("/staff/account").await;
    assert!(page.contains("القيمة غير صحيحة، راجعها.") && page.contains("12345"), "{page}");

    let (status, body) = officer.browser.call("staff/account/reminders", &form).await;
    assert_eq!(status, 200);
    assert!(body.contains("\"field\":\"contact_mobile\"") && body.contains("\"Invalid\""), "{body}");
    let (status, body) = officer.browser.call("staff/account/reminders", &[("reminder_channel", "sms")]).await;
    assert!(status == 200 && body.contains("\"Required\""), "{body}");

    let good = [("reminder_channel", "sms"), ("contact_mobile", "٠٥٥١٢٣٤٥٦٧"), ("contact_email", "")];
    let (status, location) = officer.browser.post_form("/api/staff/account/reminders", "/staff/account", &good).await;
    assert_eq!((status, location.as_str()), (302, "/staff/account?reminders=1"));
    let stored: Option<String> = sqlx::query_scalar("SELECT contact_mobile FROM staff_accounts WHERE id = $1")
        .bind(officer.id)
        .fetch_one(app.database.pool())
        .await
        .unwrap();
    assert!(stored.is_some_and(|s| s.starts_with("enc1:") && !s.contains("551234567")));
    let (_, page) = officer.browser.page("/staff/account?reminders=1").await;
    assert!(page.contains("حُفظت طريقة تذكيرك.") && page.contains("0551234567"), "{page}");
}

#[tokio::test]
async fn an_admin_sets_supervisors_but_nobody_supervises_themselves() {
    let app = spawn_app().await;
    let admin = staff_login(&app, StaffRole::Admin, true).await;
    let lead = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    let member = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    let (member_id, lead_id) = (member.id.to_string(), lead.id.to_string());

    let (status, body) =
        admin.browser.call("staff/supervisors/set", &[("account", &member_id), ("supervisor", &member_id)]).await;
    assert!(status == 200 && body.contains("\"field\":\"supervisor\""), "{body}");
    let (status, location) = admin
        .browser
        .post_form("/api/staff/supervisors/set", "/staff/work", &[("account", &member_id), ("supervisor", &lead_id)])
        .await;
    assert_eq!((status, location.as_str()), (302, "/staff/work"));
    assert_eq!(staff::supervisors(&app.database).await.unwrap(), [(member.id, lead.id)]);
    let (status, body) =
        admin.browser.call("staff/supervisors/set", &[("account", &lead_id), ("supervisor", &member_id)]).await;
    assert!(status == 200 && body.contains("\"Invalid\""), "two who answer to each other: {body}");
    let (_, page) = admin.browser.page("/staff/work").await;
    assert!(page.contains("المشرفون") && page.contains(&format!("supervisor-{member_id}")), "{page}");

    let (status, _) = lead.browser.call("staff/supervisors/set", &[("account", &lead_id), ("supervisor", "")]).await;
    assert_eq!(status, 403);
}
