//! The deadline figures of the reports: the clocks met in a span, by month
//! (Saudi time) and rule, with how many on time; stopped clocks left out; and
//! the running clocks late now, by rule.

use awn_domain::{
    calendar::{CalendarDay, UnixTime, start_of_day_unix},
    deadlines::{ClockEvent, ClockRule, SubjectKind},
    reports::month_range,
};
use awn_storage::{
    Database,
    clocks::{self, EventNote, Subject},
    reports::{OnTimeRow, late_now_by_rule, on_time_by_month},
    testing::fresh_database,
};

const HOUR: i64 = 3_600;

/// Midnight starting that day, Saudi time.
fn day(year: i32, month: u8, day: u8) -> UnixTime {
    UnixTime::from_seconds(start_of_day_unix(CalendarDay { year, month, day }))
}

/// A clock started at `started`, due at `due`, then met at `met` (or left running).
async fn clock(
    db: &Database,
    rule: ClockRule,
    subject: Subject,
    started: UnixTime,
    due: UnixTime,
    met: Option<UnixTime>,
) {
    let mut tx = db.begin_write().await.unwrap();
    clocks::start_in(&mut tx, rule, subject, started, None, Some(due)).await.unwrap();
    if let Some(at) = met {
        let recorded = clocks::record_in(&mut tx, rule, subject, ClockEvent::Met { at }, EventNote::default());
        recorded.await.unwrap().expect("an open clock");
    }
    tx.commit().await.unwrap();
}

fn inquiry(id: i64) -> Subject {
    Subject { kind: SubjectKind::Inquiry, id }
}

#[tokio::test]
async fn deadlines_kept_are_counted_by_saudi_month_and_rule_and_late_ones_by_rule() {
    let test = fresh_database().await;
    let db = &test.database;
    let answer = ClockRule::InquiryAnswer;
    // October: one answered on time, one late.
    clock(db, answer, inquiry(1), day(2026, 10, 1), day(2026, 10, 10), Some(day(2026, 10, 5))).await;
    clock(db, answer, inquiry(2), day(2026, 10, 1), day(2026, 10, 10), Some(day(2026, 10, 20))).await;
    // 1 November 01:00 Saudi time is still 31 October in UTC: November's, on time.
    let early_november = day(2026, 11, 1).plus_seconds(HOUR);
    clock(db, answer, inquiry(3), day(2026, 10, 25), day(2026, 11, 3), Some(early_november)).await;
    // A decision in November, late.
    let request = Subject::request(4);
    clock(db, ClockRule::Decision, request, day(2026, 11, 1), day(2026, 11, 5), Some(day(2026, 11, 9))).await;
    // Before the span: not counted.
    clock(db, answer, inquiry(5), day(2026, 9, 1), day(2026, 9, 10), Some(day(2026, 9, 5))).await;
    // Stopped another way: not counted.
    clock(db, answer, inquiry(6), day(2026, 10, 1), day(2026, 10, 10), None).await;
    let mut tx = db.begin_write().await.unwrap();
    clocks::stop_all_in(&mut tx, inquiry(6), day(2026, 10, 4)).await.unwrap();
    tx.commit().await.unwrap();
    // Running: one past its due moment, one not yet due; a complaint late too.
    let now = day(2026, 11, 30).plus_seconds(10 * HOUR);
    clock(db, answer, inquiry(7), day(2026, 11, 20), day(2026, 11, 25), None).await;
    clock(db, answer, inquiry(8), day(2026, 11, 28), day(2026, 12, 3), None).await;
    let complaint = Subject { kind: SubjectKind::Complaint, id: 9 };
    clock(db, ClockRule::ComplaintResolution, complaint, day(2026, 11, 1), day(2026, 11, 15), None).await;

    let (from, to) = month_range(Some((2026, 10)), Some((2026, 11)));
    let rows = on_time_by_month(db, from.unwrap(), to.unwrap()).await.unwrap();
    let row = |month: &str, rule, met, on_time| OnTimeRow { month: month.to_owned(), rule, met, on_time };
    assert_eq!(
        rows,
        [
            row("2026-10", answer, 2, 1),
            // Rules in their declared order: the decision before the inquiry's answer.
            row("2026-11", ClockRule::Decision, 1, 0),
            row("2026-11", answer, 1, 1),
        ]
    );
    assert!(on_time_by_month(db, from.unwrap(), from.unwrap()).await.unwrap().is_empty(), "an empty span");

    let late = late_now_by_rule(db, now.seconds()).await.unwrap();
    assert_eq!(late, [(ClockRule::ComplaintResolution, 1), (answer, 1)]);
    assert!(late_now_by_rule(db, day(2026, 11, 1).seconds()).await.unwrap().is_empty());
}
