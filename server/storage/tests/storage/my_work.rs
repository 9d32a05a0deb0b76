//! "My work": the running clocks due this week or overdue, by whose they are
//! (mine, my team's, everyone's), a page at a time with each bucket's count;
//! the notices each member of staff reads and marks read, their own only; and
//! the reminder preferences, whose contact is kept encrypted.

use awn_domain::{
    calendar::UnixTime,
    deadlines::{ClockRule, NoticeKind, ReminderChannel, SubjectKind, WorkBucket},
    identity::SaudiMobile,
    staff::{StaffRole, role_allows},
};
use awn_storage::{
    Database, PageRequest, StorageError,
    clocks::{
        self, Subject,
        work::{WorkScope, due_work, work_counts},
    },
    staff::{self, NewStaff, ReminderPreferences, SupervisorProblem},
    staff_notices,
    testing::fresh_database,
};

/// Monday 30 November 2026, 10:00 Saudi time.
const NOW: UnixTime = UnixTime::from_seconds(1_796_022_000);
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

async fn member(db: &Database, username: &str, role: StaffRole) -> i64 {
    let new = NewStaff {
        username, display_name: &format!("موظف {username}"), role, password: "قمر الرهاة يضيء 2026"
    };
    staff::create(db, new, 0).await.unwrap().expect("created").id
}

/// A running clock about `kind` #`id`, due `due_in` seconds from now.
async fn clock(db: &Database, rule: ClockRule, kind: SubjectKind, id: i64, who: Option<i64>, due_in: i64) -> i64 {
    let mut tx = db.begin_write().await.unwrap();
    let started = NOW.plus_seconds(-30 * DAY);
    let clock_id = clocks::start_in(&mut tx, rule, Subject { kind, id }, started, who, Some(NOW.plus_seconds(due_in)))
        .await
        .unwrap()
        .id;
    tx.commit().await.unwrap();
    clock_id
}

fn rules_of(role: StaffRole) -> Vec<ClockRule> {
    ClockRule::ALL.into_iter().filter(|rule| role_allows(role, rule.handled_with())).collect()
}

#[tokio::test]
async fn my_work_holds_what_is_mine_or_my_roles_and_counts_each_bucket() {
    let test = fresh_database().await;
    let db = &test.database;
    let officer = member(db, "officer", StaffRole::RelationsOfficer).await;
    let other = member(db, "other", StaffRole::RelationsOfficer).await;
    let overdue = clock(db, ClockRule::ComplaintResolution, SubjectKind::Complaint, 1, Some(officer), -2 * HOUR).await;
    let today = clock(db, ClockRule::InquiryAnswer, SubjectKind::Inquiry, 2, None, 2 * HOUR).await;
    let week = clock(db, ClockRule::ImprovementAction, SubjectKind::ImprovementAction, 3, Some(officer), 3 * DAY).await;
    // Not theirs: another's, a rule their role does not handle, too far off.
    clock(db, ClockRule::InquiryAnswer, SubjectKind::Inquiry, 4, Some(other), HOUR).await;
    clock(db, ClockRule::DataRequest, SubjectKind::DataRequest, 5, None, -HOUR).await;
    clock(db, ClockRule::ComplaintResolution, SubjectKind::Complaint, 6, Some(officer), 20 * DAY).await;

    let rules = rules_of(StaffRole::RelationsOfficer);
    let mine = WorkScope::Mine { staff_id: officer, rules: &rules };
    let page = due_work(db, mine, NOW, None, PageRequest::new(1, 50)).await.unwrap();
    let ids: Vec<i64> = page.items.iter().map(|item| item.clock_id).collect();
    assert_eq!(ids, [overdue, today, week], "the soonest due first");
    assert_eq!(page.total, 3);
    assert_eq!(page.items[0].label, "#1");
    assert_eq!(page.items[0].href(), "/staff/complaints#complaint-1");
    assert_eq!(page.items[0].responsible_name.as_deref(), Some("موظف officer"));
    assert_eq!(page.items[1].responsible_name, None, "nobody yet: the role's");
    assert_eq!(page.items[1].href(), "/staff/inquiries#inquiry-2");

    let counts = work_counts(db, mine, NOW).await.unwrap();
    assert_eq!((counts.overdue, counts.today, counts.this_week, counts.total()), (1, 1, 1, 3));
    let only_today = due_work(db, mine, NOW, Some(WorkBucket::Today), PageRequest::new(1, 50)).await.unwrap();
    assert_eq!(only_today.items.iter().map(|item| item.clock_id).collect::<Vec<_>>(), [today]);

    // The privacy officer's role handles the data request nobody holds yet.
    let privacy_rules = rules_of(StaffRole::PrivacyOfficer);
    let privacy = WorkScope::Mine { staff_id: other + 100, rules: &privacy_rules };
    let theirs = due_work(db, privacy, NOW, None, PageRequest::new(1, 50)).await.unwrap();
    assert_eq!(theirs.items.iter().map(|item| item.rule).collect::<Vec<_>>(), [ClockRule::DataRequest]);

    // Everyone's: all five due this week or overdue.
    assert_eq!(work_counts(db, WorkScope::All, NOW).await.unwrap().total(), 5);
}

#[tokio::test]
async fn a_met_or_paused_clock_leaves_my_work() {
    let test = fresh_database().await;
    let db = &test.database;
    let officer = member(db, "officer", StaffRole::RelationsOfficer).await;
    clock(db, ClockRule::InquiryAnswer, SubjectKind::Inquiry, 1, Some(officer), HOUR).await;
    let mut tx = db.begin_write().await.unwrap();
    clocks::stop_all_in(&mut tx, Subject { kind: SubjectKind::Inquiry, id: 1 }, NOW).await.unwrap();
    tx.commit().await.unwrap();
    let mine = WorkScope::Mine { staff_id: officer, rules: &[] };
    assert_eq!(work_counts(db, mine, NOW).await.unwrap().total(), 0);
    assert!(due_work(db, mine, NOW, None, PageRequest::default()).await.unwrap().items.is_empty());
}

#[tokio::test]
async fn the_team_is_who_answers_to_me_and_pages_keep_their_total() {
    let test = fresh_database().await;
    let db = &test.database;
    let lead = member(db, "lead", StaffRole::RelationsOfficer).await;
    let officer = member(db, "officer", StaffRole::RelationsOfficer).await;
    let outsider = member(db, "outsider", StaffRole::RelationsOfficer).await;
    assert!(!staff::supervises_anyone(db, lead).await.unwrap());
    staff::set_supervisor(db, officer, Some(lead)).await.unwrap().unwrap();
    assert!(staff::supervises_anyone(db, lead).await.unwrap());
    for n in 0..7 {
        clock(db, ClockRule::ComplaintResolution, SubjectKind::Complaint, n, Some(officer), -HOUR - n).await;
    }
    clock(db, ClockRule::ComplaintResolution, SubjectKind::Complaint, 99, Some(outsider), -HOUR).await;

    let team = WorkScope::Team { supervisor_id: lead };
    let first = due_work(db, team, NOW, Some(WorkBucket::Overdue), PageRequest::new(1, 5)).await.unwrap();
    assert_eq!((first.total, first.page, first.items.len()), (7, 1, 5));
    let past_the_end = due_work(db, team, NOW, Some(WorkBucket::Overdue), PageRequest::new(9, 5)).await.unwrap();
    assert_eq!((past_the_end.total, past_the_end.page, past_the_end.items.len()), (7, 2, 2));
    assert!(past_the_end.items.iter().chain(&first.items).all(|item| item.responsible_staff_id == Some(officer)));
    assert_eq!(work_counts(db, team, NOW).await.unwrap().overdue, 7);
    assert_eq!(work_counts(db, WorkScope::Team { supervisor_id: officer }, NOW).await.unwrap().total(), 0);
}

#[tokio::test]
async fn nobody_supervises_themselves_or_their_own_supervisor() {
    let test = fresh_database().await;
    let db = &test.database;
    let lead = member(db, "lead", StaffRole::RelationsOfficer).await;
    let officer = member(db, "officer", StaffRole::RelationsOfficer).await;
    assert_eq!(staff::set_supervisor(db, lead, Some(lead)).await.unwrap(), Err(SupervisorProblem::Themselves));
    staff::set_supervisor(db, officer, Some(lead)).await.unwrap().unwrap();
    assert_eq!(staff::set_supervisor(db, lead, Some(officer)).await.unwrap(), Err(SupervisorProblem::EachOther));
    assert_eq!(staff::set_supervisor(db, lead, Some(9_999)).await.unwrap(), Err(SupervisorProblem::NotActive));
    assert!(matches!(staff::set_supervisor(db, 9_999, Some(lead)).await, Err(StorageError::NotFound(_))));
    assert_eq!(staff::supervisors(db).await.unwrap(), [(officer, lead)]);
    staff::set_supervisor(db, officer, None).await.unwrap().unwrap();
    assert!(staff::supervisors(db).await.unwrap().is_empty());
}

async fn notice(db: &Database, staff_id: i64, kind: &str, clock_id: Option<i64>, at: i64) -> i64 {
    let counts = (kind == "digest").then_some(2_i64);
    sqlx::query_scalar(
        "INSERT INTO staff_notices (staff_id, kind, clock_id, overdue_count, today_count, week_count, created_at) \
         VALUES ($1, $2, $3, $4, $4, $4, $5) RETURNING id",
    )
    .bind(staff_id)
    .bind(kind)
    .bind(clock_id)
    .bind(counts)
    .bind(at)
    .fetch_one(db.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn notices_are_read_newest_first_and_marked_read_by_their_own_staff_only() {
    let test = fresh_database().await;
    let db = &test.database;
    let officer = member(db, "officer", StaffRole::RelationsOfficer).await;
    let other = member(db, "other", StaffRole::RelationsOfficer).await;
    let clock_id = clock(db, ClockRule::InquiryAnswer, SubjectKind::Inquiry, 8, Some(officer), HOUR).await;
    let reminder = notice(db, officer, "reminder", Some(clock_id), NOW.seconds()).await;
    let digest = notice(db, officer, "digest", None, NOW.seconds() + 1).await;
    let others = notice(db, other, "escalation", Some(clock_id), NOW.seconds()).await;

    let page = staff_notices::list(db, officer, PageRequest::new(1, 50)).await.unwrap();
    assert_eq!(page.total, 2);
    assert_eq!(page.items.iter().map(|n| n.id).collect::<Vec<_>>(), [digest, reminder]);
    assert_eq!(page.items[0].kind, NoticeKind::Digest);
    assert_eq!(page.items[0].digest.map(|d| (d.overdue, d.today, d.this_week)), Some((2, 2, 2)));
    let about = page.items[1].clock.clone().expect("a reminder names its clock");
    assert_eq!(
        (about.rule, about.label.as_str(), about.due_at),
        (ClockRule::InquiryAnswer, "#8", Some(NOW.plus_seconds(HOUR)))
    );
    assert_eq!(staff_notices::unread_count(db, officer).await.unwrap(), 2);

    // Another's notice is not found, and stays unread.
    let refused = staff_notices::mark_read(db, officer, others, NOW).await;
    assert!(matches!(refused, Err(StorageError::NotFound(_))), "{refused:?}");
    assert_eq!(staff_notices::unread_count(db, other).await.unwrap(), 1);

    staff_notices::mark_read(db, officer, reminder, NOW.plus_seconds(5)).await.unwrap();
    staff_notices::mark_read(db, officer, reminder, NOW.plus_seconds(9)).await.unwrap();
    assert_eq!(staff_notices::unread_count(db, officer).await.unwrap(), 1);
    let read = staff_notices::list(db, officer, PageRequest::default()).await.unwrap();
    assert_eq!(read.items[1].read_at, Some(NOW.plus_seconds(5)), "the first reading is kept");
    assert_eq!(staff_notices::mark_all_read(db, officer, NOW).await.unwrap(), 1);
    assert_eq!(staff_notices::unread_count(db, officer).await.unwrap(), 0);
    assert_eq!(staff_notices::unread_count(db, other).await.unwrap(), 1);
}

#[tokio::test]
async fn reminder_preferences_keep_their_contact_encrypted() {
    let test = fresh_database().await;
    let db = &test.database;
    let officer = member(db, "officer", StaffRole::RelationsOfficer).await;
    assert_eq!(staff::reminder_preferences(db, officer).await.unwrap(), ReminderPreferences::default());

    let chosen = ReminderPreferences {
        channel: ReminderChannel::Sms,
        mobile: Some(SaudiMobile::parse("0551234567").unwrap()),
        email: Some("officer@awn.example".into()),
    };
    staff::set_reminder_preferences(db, officer, &chosen).await.unwrap();
    assert_eq!(staff::reminder_preferences(db, officer).await.unwrap(), chosen);

    let (mobile, email): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT contact_mobile, contact_email FROM staff_accounts WHERE id = $1")
            .bind(officer)
            .fetch_one(db.pool())
            .await
            .unwrap();
    let (mobile, email) = (mobile.unwrap(), email.unwrap());
    assert!(mobile.starts_with("enc1:") && !mobile.contains("551234567"), "{mobile}");
    assert!(email.starts_with("enc1:") && !email.contains("officer@"), "{email}");
    assert!(matches!(staff::set_reminder_preferences(db, 9_999, &chosen).await, Err(StorageError::NotFound(_))));
}
