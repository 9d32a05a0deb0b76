//! A household kept as the beneficiary's and editable later (issue 15), over
//! HTTP: staff who may (`EditHousehold`) add, correct and remove members, each
//! change audited, without JavaScript too (a bad row comes back with its
//! problems and what was typed); a member added with another request's
//! national ID shows as a possible duplicate; the applicant corrects their own
//! household until the committee decides, and is never told about a match.

use awn_domain::staff::StaffRole;

use crate::{
    helpers::{TestApp, national_id, spawn_app},
    households::{apply, audited},
    staff::staff_browser,
};

const SON: &str = "خالد سعد علي الغامدي";

async fn members(app: &TestApp, request: i64) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT id, full_name FROM household_members WHERE request_id = $1 ORDER BY position")
        .bind(request)
        .fetch_all(app.database.pool())
        .await
        .unwrap()
}

async fn duplicates_of(app: &TestApp, request: i64) -> Vec<(i64, i64)> {
    sqlx::query_as(
        "SELECT request_id, other_request_id FROM possible_duplicates WHERE request_id = $1 OR other_request_id = $1",
    )
    .bind(request)
    .fetch_all(app.database.pool())
    .await
    .unwrap()
}

fn member_args<'a>(request: &'a str, name: &'a str, id: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("request", request),
        ("op", "add"),
        ("full_name", name),
        ("relation", "son"),
        ("birth_date", "2000-05-06"),
        ("national_id", id),
        ("has_income", "no"),
    ]
}

#[tokio::test]
async fn staff_who_may_edit_the_household_audited_and_a_new_members_match_is_found() {
    let app = spawn_app().await;
    let son_id = national_id("100000781");
    let (_, a) =
        apply(&app, "0501110011", "فاطمة علي سعيد الغامدي", &national_id("100000782"), "1970-01-02", &[]).await;
    // The son's own request, from his own account.
    let (_, b) = apply(&app, "0501110012", SON, &son_id, "2000-05-06", &[]).await;
    assert!(duplicates_of(&app, a).await.is_empty(), "no match yet");
    let request = a.to_string();

    // Without the permission: refused, nothing written.
    let committee = staff_browser(&app, StaffRole::CommitteeMember, true).await;
    let (status, _) = committee.call("staff/case/household", &member_args(&request, SON, &son_id)).await;
    assert_eq!(status, 403);
    let (_, page) = committee.page(&format!("/staff/requests/{a}")).await;
    assert!(!page.contains("form-member-new"), "no form for who may not edit");
    assert!(members(&app, a).await.is_empty());

    // Without JavaScript a bad row comes back with its problem and what was typed.
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let (_, page) = officer.page(&format!("/staff/requests/{a}")).await;
    assert!(page.contains("id=\"form-member-new\""), "{page}");
    let bad_id = "1000000017";
    let args = member_args(&request, SON, bad_id);
    let (status, _) = officer.post_form("/api/staff/case/household", &format!("/staff/requests/{a}"), &args).await;
    assert!(matches!(status, 302 | 303), "{status}");
    let (_, page) = officer.page(&format!("/staff/requests/{a}")).await;
    assert!(page.contains("رقم الهوية غير صحيح. تأكد من الأرقام."), "the field's problem: {page}");
    assert!(page.contains(&format!("value=\"{bad_id}\"")) && page.contains(&format!("value=\"{SON}\"")), "kept");
    assert!(members(&app, a).await.is_empty());
    assert_eq!(audited(&app, "household.change", a).await, 0);

    // Added: audited, and the son's own request now shows as a possible duplicate.
    let (status, location) = officer
        .post_form("/api/staff/case/household", &format!("/staff/requests/{a}"), &member_args(&request, SON, &son_id))
        .await;
    assert!(matches!(status, 302 | 303) && location.contains(&format!("/staff/requests/{a}")), "{location}");
    let listed = members(&app, a).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(audited(&app, "household.change", a).await, 1);
    let pairs = duplicates_of(&app, a).await;
    assert!(pairs.contains(&(a, b)) || pairs.contains(&(b, a)), "{pairs:?}");
    let (_, page) = officer.page(&format!("/staff/requests/{a}")).await;
    assert!(page.contains(SON) && page.contains(&format!("href=\"/staff/requests/{b}\"")), "{page}");
    // The national ID is kept encrypted, like the applicant's.
    let stored: Option<String> = sqlx::query_scalar("SELECT national_id FROM household_members WHERE request_id = $1")
        .bind(a)
        .fetch_one(app.database.pool())
        .await
        .unwrap();
    assert!(stored.is_some_and(|s| !s.contains(&son_id)), "encrypted at rest");

    // Corrected by a social researcher (who studies the case), then removed.
    let researcher = staff_browser(&app, StaffRole::SocialResearcher, true).await;
    let member = listed[0].0.to_string();
    let mut args = member_args(&request, "خالد سعد علي الزهراني", &son_id);
    args.retain(|(name, _)| *name != "op");
    args.extend([("op", "correct"), ("member", member.as_str())]);
    let (status, body) = researcher.call("staff/case/household", &args).await;
    assert_eq!((status, body.as_str()), (200, "null"));
    assert_eq!(members(&app, a).await[0].1, "خالد سعد علي الزهراني");
    // A bad correction is refused with the field's problem, over JSON too.
    args.retain(|(name, _)| *name != "relation");
    let (_, body) = researcher.call("staff/case/household", &args).await;
    assert!(body.contains("Fields") && body.contains("relation"), "{body}");
    let remove = [("request", request.as_str()), ("member", member.as_str()), ("op", "remove")];
    let (status, body) = researcher.call("staff/case/household", &remove).await;
    assert_eq!((status, body.as_str()), (200, "null"));
    assert!(members(&app, a).await.is_empty());
    assert_eq!(audited(&app, "household.change", a).await, 3);
    // A member no longer listed cannot be changed.
    let (status, _) = researcher.call("staff/case/household", &remove).await;
    assert_eq!(status, 404);
    let (status, _) =
        researcher.call("staff/case/household", &[("request", request.as_str()), ("op", "correct")]).await;
    assert_eq!(status, 404, "a correction names its member");
}

#[tokio::test]
async fn the_applicant_corrects_the_household_until_the_committee_decides() {
    let app = spawn_app().await;
    let son_id = national_id("100000783");
    let (mother, a) =
        apply(&app, "0501110013", "فاطمة علي سعيد الغامدي", &national_id("100000784"), "1970-01-02", &[]).await;
    let (_, b) = apply(&app, "0501110014", SON, &son_id, "2000-05-06", &[]).await;
    let request = a.to_string();
    let (status, page) = mother.page(&format!("/requests/{a}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("id=\"form-member-new\""), "the form while undecided: {page}");

    // Without JavaScript: a bad row comes back with its problem, what was typed kept.
    let mut bad = member_args(&request, SON, &son_id);
    bad.retain(|(name, _)| *name != "relation");
    let (status, _) = mother.post_form("/api/requests/household", &format!("/requests/{a}"), &bad).await;
    assert!(matches!(status, 302 | 303), "{status}");
    let (_, page) = mother.page(&format!("/requests/{a}")).await;
    assert!(page.contains("هذا الحقل مطلوب.") && page.contains(&format!("value=\"{SON}\"")), "{page}");
    assert!(members(&app, a).await.is_empty());

    let (status, body) = mother.call("requests/household", &member_args(&request, SON, &son_id)).await;
    assert_eq!((status, body.as_str()), (200, "null"));
    assert_eq!(members(&app, a).await.len(), 1);
    // The match is recorded for staff; the applicant is told nothing of it.
    let pairs = duplicates_of(&app, a).await;
    assert!(pairs.contains(&(a, b)) || pairs.contains(&(b, a)), "{pairs:?}");
    let (_, page) = mother.page(&format!("/requests/{a}")).await;
    assert!(page.contains(SON), "the member listed: {page}");
    assert!(!page.contains("مكرر") && !page.contains(&format!("/requests/{b}")), "{page}");

    // The household grows past the size given (4: three besides the applicant):
    // a child is born, and the size follows the list.
    let size = |app: &crate::helpers::TestApp| {
        let pool = app.database.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT household_members FROM support_requests WHERE id = $1")
                .bind(a)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    for name in ["سعد علي سعيد الغامدي", "نورة سعد علي الغامدي"] {
        let (_, body) = mother.call("requests/household", &member_args(&request, name, "")).await;
        assert_eq!(body, "null");
    }
    assert_eq!(size(&app).await, 4, "within the size given, it stays");
    let (_, body) = mother.call("requests/household", &member_args(&request, "هند سعد علي الغامدي", "")).await;
    assert_eq!(body, "null");
    assert_eq!(members(&app, a).await.len(), 4);
    assert_eq!(size(&app).await, 5, "the applicant and four members");

    // Someone else's request is not theirs to change.
    let other = app.signed_in("0501110015").await;
    let (status, _) = other.call("requests/household", &member_args(&request, SON, &son_id)).await;
    assert_eq!(status, 404);

    // The committee decided: no form, and the server refuses.
    sqlx::query("UPDATE support_requests SET status = 'accepted' WHERE id = $1")
        .bind(a)
        .execute(app.database.pool())
        .await
        .unwrap();
    let (_, page) = mother.page(&format!("/requests/{a}")).await;
    assert!(page.contains(SON) && !page.contains("form-member-new") && !page.contains("form-member-"), "{page}");
    let member = members(&app, a).await[0].0.to_string();
    let remove = [("request", request.as_str()), ("member", member.as_str()), ("op", "remove")];
    let (status, body) = mother.call("requests/household", &remove).await;
    assert_eq!(status, 200);
    assert!(body.contains("Closed"), "{body}");
    let (_, body) = mother.call("requests/household", &member_args(&request, "سعد علي سعيد الغامدي", "")).await;
    assert!(body.contains("Closed"), "{body}");
    assert_eq!(members(&app, a).await.len(), 4, "nothing changed");
}
