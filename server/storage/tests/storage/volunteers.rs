//! Volunteering (A18): an application reaches staff only once its mobile's
//! code is confirmed, one pending per mobile; decisions are queued to the
//! volunteer and audited; hours add up; the monthly figures carry no names.

use std::sync::{Arc, Mutex};

use awn_domain::{
    identity::SaudiMobile,
    locale::Language,
    sign_in::CodeCheck,
    staff::StaffRole,
    volunteers::{Availability, VolunteerStatus},
};
use awn_storage::{
    Database, PageRequest,
    accounts::{self, CodeIssue},
    audit::{self, AuditAction},
    outbox::{self, NewOutboxMessage},
    staff::{self, NewStaff},
    testing::fresh_database,
    volunteers::{self, Confirmation, NewApplication, VolunteerProblem},
};

const NOW: i64 = 1_795_000_000; // 2026-11-18 in Riyadh

fn sms(recipient: &str, body: String, purpose: &str) -> NewOutboxMessage {
    NewOutboxMessage {
        channel: outbox::Channel::Sms,
        recipient: recipient.into(),
        subject: String::new(),
        body,
        purpose: purpose.into(),
    }
}

/// Applies for `mobile`; answers the challenge token and the code sent.
async fn apply(db: &Database, mobile: &str, name: &str, now: i64) -> (String, String) {
    let mobile = SaudiMobile::parse(mobile).unwrap();
    let sent = Arc::new(Mutex::new(String::new()));
    let kept = sent.clone();
    let issued = accounts::issue_sign_in_code(db, &mobile, now, 0, move |code| {
        *kept.lock().unwrap() = code.to_owned();
        vec![sms("+966500000000", format!("code {code}"), "volunteer_code")]
    })
    .await
    .unwrap();
    let CodeIssue::Issued(challenge) = issued else { panic!("no code: {issued:?}") };
    let new = NewApplication {
        full_name: name,
        mobile: &mobile,
        skills: "تصميم",
        areas: "الرياض",
        availability: Availability::Weekends,
        sms_consent: true,
        news_consent: false,
        language: Language::Arabic,
    };
    volunteers::apply(db, &new, &challenge.challenge_token, now).await.unwrap();
    let code = sent.lock().unwrap().clone();
    (challenge.challenge_token, code)
}

async fn officer(db: &Database, username: &str) -> i64 {
    let new = NewStaff {
        username,
        display_name: "موظف العلاقات",
        role: StaffRole::RelationsOfficer,
        password: "قمر الرهاة يضيء 2026",
    };
    staff::create(db, new, NOW).await.unwrap().expect("created").id
}

#[tokio::test]
async fn an_application_reaches_staff_only_after_its_code_and_once_per_mobile() {
    let test = fresh_database().await;
    let db = &test.database;
    let (token, code) = apply(db, "0551234567", "سارة", NOW).await;
    assert_eq!(volunteers::list(db, PageRequest::new(1, 10)).await.unwrap().total, 0, "unverified is never listed");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert_eq!(
        volunteers::confirm(db, &token, wrong, NOW + 5).await.unwrap(),
        Confirmation::Refused(CodeCheck::Wrong { remaining: 4 })
    );
    assert_eq!(volunteers::list(db, PageRequest::new(1, 10)).await.unwrap().total, 0);
    assert_eq!(volunteers::confirm(db, "no-such-token", &code, NOW).await.unwrap(), Confirmation::UnknownChallenge);
    let Confirmation::Confirmed(id) = volunteers::confirm(db, &token, &code, NOW + 10).await.unwrap() else {
        panic!("not confirmed")
    };
    let page = volunteers::list(db, PageRequest::new(1, 10)).await.unwrap();
    assert_eq!(page.total, 1);
    let row = &page.items[0];
    assert_eq!((row.id, row.full_name.as_str(), row.mobile.as_str()), (id, "سارة", "+966551234567"));
    assert_eq!(
        (row.status, row.availability, row.sms_consent, row.news_consent),
        (VolunteerStatus::Pending, Availability::Weekends, true, false)
    );
    assert!(volunteers::has_pending(db, &SaudiMobile::parse("0551234567").unwrap()).await.unwrap());

    // The mobile is stored encrypted.
    let stored: String =
        sqlx::query_scalar("SELECT mobile FROM volunteers WHERE id = $1").bind(id).fetch_one(db.pool()).await.unwrap();
    assert!(!stored.contains("551234567"));

    // A second application for the same mobile is not confirmed while one is pending.
    let (token, code) = apply(db, "0551234567", "سارة مرة أخرى", NOW + 120).await;
    assert_eq!(volunteers::confirm(db, &token, &code, NOW + 130).await.unwrap(), Confirmation::AlreadyPending);
    assert_eq!(volunteers::list(db, PageRequest::new(1, 10)).await.unwrap().total, 1);
    assert_eq!(volunteers::pending_count(db).await.unwrap(), 1);

    // The unconfirmed second application is dropped after a day; the confirmed one stays.
    assert_eq!(volunteers::purge_unverified(db, NOW + 120).await.unwrap(), 0, "not before it was written");
    assert_eq!(volunteers::purge_unverified(db, NOW + 121).await.unwrap(), 1);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM volunteers").fetch_one(db.pool()).await.unwrap();
    assert_eq!(left, 1);
    assert_eq!(volunteers::list(db, PageRequest::new(1, 10)).await.unwrap().total, 1);
}

#[tokio::test]
async fn a_decision_is_queued_audited_and_hours_add_up_by_month() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff_id = officer(db, "officer").await;
    let (token, code) = apply(db, "0551234568", "خالد", NOW).await;
    let Confirmation::Confirmed(id) = volunteers::confirm(db, &token, &code, NOW).await.unwrap() else { panic!() };
    assert_eq!(
        volunteers::record_hours(db, id, "2026-11-20", 4, "توزيع", staff_id, NOW).await.unwrap(),
        Err(VolunteerProblem::NotAccepted)
    );
    let decided = volunteers::decide(db, id, staff_id, VolunteerStatus::Accepted, "أهلًا بك", NOW, |row| {
        vec![sms(
            &row.mobile,
            format!("{}: {}", row.status.code(), row.decision_message.clone().unwrap_or_default()),
            "volunteer_decision",
        )]
    })
    .await
    .unwrap();
    assert_eq!(decided, Ok(()));
    let again = volunteers::decide(db, id, staff_id, VolunteerStatus::Declined, "", NOW, |_| vec![]).await.unwrap();
    assert_eq!(again, Err(VolunteerProblem::AlreadyDone));
    let queued: Vec<_> =
        outbox::recent(db, 100).await.unwrap().into_iter().filter(|m| m.purpose == "volunteer_decision").collect();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].recipient, "+966551234568");
    assert!(queued[0].body.contains("أهلًا بك"));

    volunteers::record_hours(db, id, "2026-11-20", 3, "توزيع سلال", staff_id, NOW).await.unwrap().unwrap();
    volunteers::record_hours(db, id, "2026-12-02", 8, "استقبال", staff_id, NOW).await.unwrap().unwrap();
    let hours = volunteers::hours(db, id).await.unwrap();
    assert_eq!(hours.len(), 2);
    assert_eq!(hours[0].day, "2026-12-02");
    assert_eq!(volunteers::by_id(db, id).await.unwrap().unwrap().total_half_hours, 11);

    let months = volunteers::by_month(db).await.unwrap();
    let figures: Vec<(&str, i64, i64)> = months.iter().map(|m| (m.month.as_str(), m.accepted, m.half_hours)).collect();
    assert_eq!(figures, vec![("2026-11", 1, 3), ("2026-12", 0, 8)]);

    // The account step links once, and only an accepted volunteer.
    let account = staff::create(
        db,
        NewStaff {
            username: "khalid.v",
            display_name: "خالد",
            role: StaffRole::Volunteer,
            password: "نجمة الصباح تلمع 2026",
        },
        NOW,
    )
    .await
    .unwrap()
    .unwrap();
    assert!(volunteers::may_get_account(db, id).await.unwrap().is_ok());
    assert!(volunteers::link_account(db, id, account.id, staff_id, NOW).await.unwrap());
    assert!(!volunteers::link_account(db, id, account.id, staff_id, NOW).await.unwrap());
    assert_eq!(volunteers::may_get_account(db, id).await.unwrap(), Err(VolunteerProblem::AlreadyDone));

    let actions: Vec<String> =
        audit::search(db, Some(staff_id), None, 100).await.unwrap().into_iter().map(|e| e.action).collect();
    for action in [AuditAction::VolunteerDecide, AuditAction::VolunteerHours, AuditAction::VolunteerAccount] {
        assert!(actions.iter().any(|a| a == action.code()), "{action:?} missing from {actions:?}");
    }
}
