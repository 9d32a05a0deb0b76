//! Households as lists of people, and each person known once (issue 15), over
//! HTTP: a family applying twice through two of its members is shown to staff
//! as a possible duplicate on both case pages (the look-up audited), staff
//! confirm or dismiss it (a dismissal needs its reason), and the beneficiary
//! is never told.

use app::requests::wizard::StepOutcome;
use awn_domain::staff::StaffRole;

use crate::{
    helpers::{Browser, TestApp, national_id, spawn_app},
    staff::staff_browser,
};

/// Fills the wizard as `mobile`'s account, with the household rows given
/// (`members[i][field]` pairs), and submits.
pub(crate) async fn apply(
    app: &TestApp,
    mobile: &str,
    name: &str,
    id: &str,
    birth: &str,
    members: &[(&str, &str)],
) -> (Browser, i64) {
    let beneficiary = app.signed_in(mobile).await;
    let mut household = vec![("household_members", "4"), ("monthly_income", "2000"), ("housing", "rented")];
    household.extend_from_slice(members);
    let steps: [(&str, Vec<(&str, &str)>); 4] = [
        (
            "applicant",
            vec![
                ("full_name", name),
                ("national_id", id),
                ("birth_date", birth),
                ("mobile", mobile),
                ("city", "الرهاة"),
                ("district", "الحي الشمالي"),
            ],
        ),
        ("household", household),
        ("support", vec![("support_kind", "food_basket"), ("description", "نحتاج إلى سلة غذائية شهرية.")]),
        ("documents", vec![]),
    ];
    for (step, fields) in steps {
        let mut args: Vec<(&str, &str)> = vec![("step", step), ("go", "next")];
        args.extend(fields);
        let (status, body) = beneficiary.call("requests/save_step", &args).await;
        assert_eq!(status, 200, "{body}");
        let outcome: StepOutcome = serde_json::from_str(&body).expect("an outcome");
        assert!(matches!(outcome, StepOutcome::Saved { ref errors, .. } if errors.is_empty()), "{step}: {outcome:?}");
    }
    let (_, body) = beneficiary
        .call(
            "requests/save_step",
            &[("step", "declaration"), ("go", "submit"), ("declaration_accepted", "on"), ("signature", name)],
        )
        .await;
    match serde_json::from_str::<StepOutcome>(&body).expect("an outcome") {
        StepOutcome::Submitted { id, .. } => (beneficiary, id),
        other => panic!("{other:?}"),
    }
}

pub(crate) async fn audited(app: &TestApp, action: &str, request: i64) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND request_id = $2")
        .bind(action)
        .bind(request)
        .fetch_one(app.database.pool())
        .await
        .unwrap()
}

async fn pair_id(app: &TestApp, request: i64) -> i64 {
    sqlx::query_scalar("SELECT id FROM possible_duplicates WHERE request_id = $1 OR other_request_id = $1")
        .bind(request)
        .fetch_one(app.database.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_family_applying_twice_is_shown_to_staff_and_never_to_the_beneficiary() {
    let app = spawn_app().await;
    let son_id = national_id("100000771");
    // Request A: the mother, with her son in the household.
    let (mother, a) = apply(
        &app,
        "0501110001",
        "فاطمة علي سعيد الغامدي",
        &national_id("100000772"),
        "1970-01-02",
        &[
            ("members[0][full_name]", "خالد سعد علي الغامدي"),
            ("members[0][relation]", "son"),
            ("members[0][birth_date]", "2000-05-06"),
            ("members[0][national_id]", &son_id),
            ("members[0][has_income]", "no"),
            // A row left empty is no member.
            ("members[1][full_name]", ""),
        ],
    )
    .await;
    // Request B: the son himself, from his own account.
    let (_son, b) = apply(&app, "0501110002", "خالد سعد علي الغامدي", &son_id, "2000-05-06", &[]).await;

    let committee = staff_browser(&app, StaffRole::CommitteeMember, true).await;
    let (status, page) = committee.page(&format!("/staff/requests/{a}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("أفراد الأسرة") && page.contains("خالد سعد علي الغامدي"), "the household: {page}");
    assert!(page.contains("ابن"), "the relation in words");
    assert!(page.contains("سجل مكرر محتمل") && page.contains(&format!("href=\"/staff/requests/{b}\"")), "{page}");
    assert!(page.contains("رقم الهوية نفسه"), "why: {page}");
    assert!(page.contains("الشخص نفسه") && page.contains("ليس الشخص نفسه"), "the decision form");
    assert_eq!(audited(&app, "duplicates.view", a).await, 1, "the look-up is audited");
    let (_, page) = committee.page(&format!("/staff/requests/{b}")).await;
    assert!(page.contains(&format!("href=\"/staff/requests/{a}\"")), "shown on both files: {page}");

    // A dismissal needs its reason; a confirmation links the files.
    let pair = pair_id(&app, a).await.to_string();
    let request = a.to_string();
    let (status, body) = committee
        .call("staff/case/duplicate", &[("request", &request), ("duplicate", &pair), ("decision", "not_same")])
        .await;
    assert_eq!(status, 200);
    assert!(body.contains("Fields") && body.contains("reason"), "{body}");
    let (status, body) = committee
        .call("staff/case/duplicate", &[("request", &request), ("duplicate", &pair), ("decision", "same")])
        .await;
    assert_eq!((status, body.as_str()), (200, "null"));
    assert_eq!(audited(&app, "duplicate.decide", a).await, 1);
    let (_, body) = committee
        .call(
            "staff/case/duplicate",
            &[("request", &request), ("duplicate", &pair), ("decision", "not_same"), ("reason", "x")],
        )
        .await;
    assert_eq!(body, "\"NotNow\"", "decided once");
    let (_, page) = committee.page(&format!("/staff/requests/{b}")).await;
    assert!(page.contains("الملفان مرتبطان"), "shown as linked: {page}");

    // The beneficiary's tracking page says nothing of it.
    let (status, page) = mother.page(&format!("/requests/{a}")).await;
    assert_eq!(status, 200);
    let b_reference: String = sqlx::query_scalar("SELECT reference FROM support_requests WHERE id = $1")
        .bind(b)
        .fetch_one(app.database.pool())
        .await
        .unwrap();
    assert!(!page.contains(&b_reference) && !page.contains("مكرر") && !page.contains("الشخص نفسه"), "{page}");
}

#[tokio::test]
async fn a_dismissal_keeps_its_reason_and_staff_who_only_study_cannot_decide() {
    let app = spawn_app().await;
    // The same man written two ways, with the same birth date, as two applicants.
    let (_, a) =
        apply(&app, "0501110003", "عبد الله مصطفى سالم الشهري", &national_id("100000773"), "1980-03-01", &[]).await;
    let (_, b) =
        apply(&app, "0501110004", "عبدالله مصطفي سالم الشهرى", &national_id("100000774"), "1980-03-01", &[]).await;
    let pair = pair_id(&app, b).await.to_string();
    let researcher = staff_browser(&app, StaffRole::SocialResearcher, true).await;
    let (_, page) = researcher.page(&format!("/staff/requests/{b}")).await;
    assert!(page.contains("الاسم وتاريخ الميلاد متطابقان"), "{page}");
    assert!(!page.contains("ليس الشخص نفسه"), "no decision form for a researcher");
    let request = b.to_string();
    let args = [("request", request.as_str()), ("duplicate", &pair), ("decision", "not_same"), ("reason", "أخوان")];
    let (status, _) = researcher.call("staff/case/duplicate", &args).await;
    assert_eq!(status, 403);
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let (status, body) = officer.call("staff/case/duplicate", &args).await;
    assert_eq!((status, body.as_str()), (200, "null"));
    let (_, page) = officer.page(&format!("/staff/requests/{a}")).await;
    assert!(page.contains("ليس الشخص نفسه") && page.contains("أخوان"), "{page}");
}

#[tokio::test]
async fn more_members_than_the_household_has_are_refused() {
    let app = spawn_app().await;
    let beneficiary = app.signed_in("0501110005").await;
    let (_, body) = beneficiary
        .call(
            "requests/save_step",
            &[
                ("step", "household"),
                ("go", "next"),
                ("household_members", "1"),
                ("monthly_income", "0"),
                ("housing", "rented"),
                ("members[0][full_name]", "خالد سعد علي الغامدي"),
                ("members[0][relation]", "son"),
                ("members[0][birth_date]", "2000-05-06"),
            ],
        )
        .await;
    assert!(body.contains("TooManyMembers"), "{body}");
}

#[tokio::test]
async fn the_household_step_shows_member_rows_and_each_rows_problem_without_javascript() {
    let app = spawn_app().await;
    let beneficiary = app.signed_in("0501110006").await;
    let bad_id = "1000000017";
    let args = [
        ("step", "household"),
        ("go", "next"),
        ("household_members", "4"),
        ("monthly_income", "0"),
        ("housing", "rented"),
        ("members[0][full_name]", "خالد سعد علي الغامدي"),
        ("members[0][relation]", "son"),
        ("members[0][birth_date]", "2000-05-06"),
        ("members[0][national_id]", bad_id),
    ];
    let (status, _) = beneficiary.post_form("/api/requests/save_step", "/requests/new", &args).await;
    assert!(matches!(status, 302 | 303), "{status}");
    let (status, page) = beneficiary.page("/requests/new").await;
    assert_eq!(status, 200);
    assert!(page.contains("name=\"members[2][full_name]\""), "rows for the count (4: three besides the applicant)");
    assert!(page.contains("اسم الفرد 1") && page.contains(&format!("value=\"{bad_id}\"")), "kept as typed: {page}");
    assert!(page.contains("صحّح بيانات أفراد الأسرة"), "the household's problem: {page}");
    let row = page.split("data-row=\"0\"").nth(1).expect("the first row");
    assert!(row.contains("aria-invalid=\"true\""), "the row's own problem: {row}");
}
