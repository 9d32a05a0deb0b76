//! The work calendar admins keep (issue 14): holidays, working hours and the
//! rules' settings, each audited, and each moving the open clocks' deadlines.

use awn_domain::{
    calendar::{CalendarDay, UnixTime},
    deadlines::{ClockRule, ClockUnit, Holiday, HolidayKind, RuleSettings, SubjectKind, WorkingHours},
    staff::StaffRole,
};
use awn_storage::{
    Database, StorageError, audit,
    clocks::{self, Subject},
    staff::{self, NewStaff},
    testing::fresh_database,
};

/// Sunday 15 November 2026, 09:00 Saudi time: a working day.
const SUNDAY_MORNING: i64 = 1_794_722_400;
const DAY: i64 = 86_400;

async fn admin(db: &Database) -> i64 {
    let new = NewStaff {
        username: "calendar.admin",
        display_name: "مدير التقويم",
        role: StaffRole::Admin,
        password: "قمر الرهاة يضيء 2026",
    };
    staff::create(db, new, SUNDAY_MORNING).await.unwrap().expect("created").id
}

async fn actions_of(db: &Database, staff_id: i64) -> Vec<String> {
    audit::search(db, Some(staff_id), None, 100).await.unwrap().into_iter().map(|entry| entry.action).collect()
}

fn day(year: i32, month: u8, day: u8) -> CalendarDay {
    CalendarDay { year, month, day }
}

/// An inquiry's answer clock (three working days) started on Sunday morning: its due moment.
async fn inquiry_clock(db: &Database) -> (Subject, UnixTime) {
    let subject = Subject { kind: SubjectKind::Inquiry, id: 41 };
    let mut connection = db.pool().acquire().await.unwrap();
    clocks::start_in(
        &mut connection,
        ClockRule::InquiryAnswer,
        subject,
        UnixTime::from_seconds(SUNDAY_MORNING),
        None,
        None,
    )
    .await
    .unwrap();
    drop(connection);
    (subject, due_of(db, subject).await)
}

async fn due_of(db: &Database, subject: Subject) -> UnixTime {
    let clock = clocks::latest(db, ClockRule::InquiryAnswer, subject).await.unwrap().expect("a clock");
    // What a page reads, the clock's row, follows every change of the calendar.
    let kept = clocks::open_as_kept(db, ClockRule::InquiryAnswer, subject).await.unwrap().expect("open");
    assert_eq!((kept.phase, kept.due_at), (clock.state.phase, clock.state.due_at));
    clock.state.due_at.expect("running, so due")
}

#[tokio::test]
async fn a_holiday_moves_an_open_working_days_deadline_and_its_removal_moves_it_back() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff_id = admin(db).await;
    let (subject, due) = inquiry_clock(db).await;

    // Monday off: the three working days end a day later.
    let monday = Holiday { kind: HolidayKind::Other, first_day: day(2026, 11, 16), days: 1 };
    let id = clocks::add_holiday(db, monday, staff_id, SUNDAY_MORNING + 60).await.unwrap();
    assert_eq!(due_of(db, subject).await.seconds(), due.seconds() + DAY);

    let mut connection = db.pool().acquire().await.unwrap();
    let holidays = clocks::holidays_in(&mut connection).await.unwrap();
    drop(connection);
    assert_eq!(holidays.len(), 1);
    assert_eq!((holidays[0].id, holidays[0].holiday), (id, monday));

    clocks::remove_holiday(db, id, staff_id, SUNDAY_MORNING + 120).await.unwrap();
    assert_eq!(due_of(db, subject).await, due);
    assert_eq!(actions_of(db, staff_id).await, ["calendar.holiday_remove", "calendar.holiday_add"]);
}

#[tokio::test]
async fn the_same_holiday_twice_is_a_conflict_and_an_unknown_one_is_not_found() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff_id = admin(db).await;
    let eid = Holiday { kind: HolidayKind::EidAlFitr, first_day: day(2027, 3, 10), days: 4 };
    clocks::add_holiday(db, eid, staff_id, SUNDAY_MORNING).await.unwrap();
    let again = clocks::add_holiday(db, Holiday { days: 3, ..eid }, staff_id, SUNDAY_MORNING).await.unwrap_err();
    assert!(matches!(again, StorageError::Conflict(_)), "{again:?}");
    // Another kind on the same day is another holiday.
    clocks::add_holiday(db, Holiday { kind: HolidayKind::Other, ..eid }, staff_id, SUNDAY_MORNING).await.unwrap();
    let too_long = Holiday { days: 31, ..eid };
    assert!(matches!(clocks::add_holiday(db, too_long, staff_id, SUNDAY_MORNING).await, Err(StorageError::Invalid(_))));

    let missing = clocks::remove_holiday(db, 987_654, staff_id, SUNDAY_MORNING).await.unwrap_err();
    assert!(matches!(missing, StorageError::NotFound(_)), "{missing:?}");
    assert_eq!(actions_of(db, staff_id).await, ["calendar.holiday_add", "calendar.holiday_add"]);
}

#[tokio::test]
async fn working_hours_are_kept_and_audited() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff_id = admin(db).await;
    let hours = WorkingHours { start_minute: 7 * 60 + 30, end_minute: 15 * 60 };
    clocks::set_working_hours(db, hours, staff_id, SUNDAY_MORNING).await.unwrap();
    let mut connection = db.pool().acquire().await.unwrap();
    assert_eq!(clocks::working_hours_in(&mut connection).await.unwrap(), hours);
    drop(connection);
    let backwards = WorkingHours { start_minute: 16 * 60, end_minute: 8 * 60 };
    assert!(matches!(
        clocks::set_working_hours(db, backwards, staff_id, SUNDAY_MORNING).await,
        Err(StorageError::Invalid(_))
    ));
    let entries = audit::search(db, Some(staff_id), None, 10).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!((entries[0].action.as_str(), entries[0].reason.as_str()), ("calendar.hours_set", "hours:07:30-15:00"));
}

#[tokio::test]
async fn a_rules_new_period_moves_its_open_clocks_and_settings_out_of_range_are_refused() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff_id = admin(db).await;
    let (subject, due) = inquiry_clock(db).await;

    let five_days = RuleSettings { unit: ClockUnit::WorkingDays, period: 5, remind_before_hours: 24, max_extension: 0 };
    clocks::set_rule_settings(db, ClockRule::InquiryAnswer, five_days, staff_id, SUNDAY_MORNING + 60).await.unwrap();
    // Two more working days: Thursday, then (past the weekend) Sunday.
    assert_eq!(due_of(db, subject).await.seconds(), due.seconds() + 4 * DAY);
    let mut connection = db.pool().acquire().await.unwrap();
    assert_eq!(clocks::rule_settings_in(&mut connection, ClockRule::InquiryAnswer).await.unwrap(), five_days);
    drop(connection);

    // Upserted: a second change replaces the first.
    let four_days = RuleSettings { period: 4, ..five_days };
    clocks::set_rule_settings(db, ClockRule::InquiryAnswer, four_days, staff_id, SUNDAY_MORNING + 120).await.unwrap();
    let mut connection = db.pool().acquire().await.unwrap();
    assert_eq!(clocks::rule_settings_in(&mut connection, ClockRule::InquiryAnswer).await.unwrap(), four_days);
    drop(connection);

    let too_long = RuleSettings { period: 366, ..five_days };
    let refused = clocks::set_rule_settings(db, ClockRule::InquiryAnswer, too_long, staff_id, SUNDAY_MORNING).await;
    assert!(matches!(refused, Err(StorageError::Invalid(_))), "{refused:?}");
    let in_days = RuleSettings { unit: ClockUnit::CalendarDays, period: 3, remind_before_hours: 24, max_extension: 0 };
    let refused = clocks::set_rule_settings(db, ClockRule::BreachNotification, in_days, staff_id, SUNDAY_MORNING).await;
    assert!(matches!(refused, Err(StorageError::Invalid(_))), "a breach is counted in hours: {refused:?}");
    assert_eq!(actions_of(db, staff_id).await, ["calendar.rule_set", "calendar.rule_set"]);
}
