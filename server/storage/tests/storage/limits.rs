//! The limits kept in the database (issue 12): codes per number, also under
//! parallel requests, the hourly SMS budget with its alert, and submissions per
//! account and day.

use awn_domain::{
    identity::SaudiMobile,
    sign_in::{MAX_CODES_PER_DAY, MAX_CODES_PER_HOUR, ResendRefusal},
};
use awn_storage::{
    Database,
    accounts::{self, CodeIssue},
    limits::{self, SMS_BUDGET_ALERT, SubmissionKind},
    outbox::{self, Channel, NewOutboxMessage},
    testing::fresh_database,
};

const NOW: i64 = 1_795_000_000;

fn sms(recipient: &str, purpose: &str) -> NewOutboxMessage {
    NewOutboxMessage {
        channel: Channel::Sms,
        recipient: recipient.into(),
        subject: String::new(),
        body: "a message".into(),
        purpose: purpose.into(),
    }
}

fn mobile(digits: &str) -> SaudiMobile {
    SaudiMobile::parse(digits).expect("a valid test number")
}

async fn issue(db: &Database, number: &SaudiMobile, now: i64, budget: u32) -> CodeIssue {
    accounts::issue_sign_in_code(db, number, now, budget, |_| vec![sms(number.as_e164(), "sign_in_code")])
        .await
        .expect("issued or refused")
}

async fn sms_count(db: &Database) -> usize {
    outbox::recent(db, 10_000).await.unwrap().iter().filter(|m| m.channel == "sms").count()
}

#[tokio::test]
async fn a_number_gets_at_most_ten_codes_a_day_even_at_five_an_hour() {
    let test = fresh_database().await;
    let db = &test.database;
    let number = mobile("0501230000");
    let mut now = NOW;
    let mut issued = 0;
    // Five an hour (every 61 s), hour after hour.
    for _hour in 0..3 {
        for _ in 0..MAX_CODES_PER_HOUR {
            if matches!(issue(db, &number, now, 0).await, CodeIssue::Issued(_)) {
                issued += 1;
            }
            now += 61;
        }
        now += 3600;
    }
    assert_eq!(issued, MAX_CODES_PER_DAY);
    let refused = issue(db, &number, now, 0).await;
    assert!(matches!(refused, CodeIssue::Refused(ResendRefusal::DailyLimit { .. })), "{refused:?}");
    // A day after the first, codes flow again.
    assert!(matches!(issue(db, &number, NOW + 24 * 3600, 0).await, CodeIssue::Issued(_)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_code_requests_for_one_number_queue_at_most_one() {
    let test = fresh_database().await;
    let db = test.database.clone();
    // Many at the same second: the resend interval lets exactly one through,
    // on PostgreSQL too, where the reads of parallel transactions would otherwise
    // all see no earlier code.
    let tasks: Vec<_> = (0..12)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move { issue(&db, &mobile("0507770000"), NOW, 0).await })
        })
        .collect();
    let mut issued = 0;
    for task in tasks {
        if matches!(task.await.expect("the task ran"), CodeIssue::Issued(_)) {
            issued += 1;
        }
    }
    assert_eq!(issued, 1);
    assert_eq!(sms_count(&db).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_sms_budget_holds_under_parallel_requests_and_alerts_once() {
    let test = fresh_database().await;
    let db = test.database.clone();
    // Other messages of the hour count toward the budget.
    outbox::enqueue(&db, &[sms("+966500000001", "request_submitted")], NOW - 60).await.unwrap();
    // An SMS older than an hour does not.
    outbox::enqueue(&db, &[sms("+966500000002", "request_submitted")], NOW - 3601).await.unwrap();
    let budget = 5;
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move { issue(&db, &mobile(&format!("05088{i:05}")), NOW, budget).await })
        })
        .collect();
    let mut issued = 0;
    let mut busy = 0;
    for task in tasks {
        match task.await.expect("the task ran") {
            CodeIssue::Issued(_) => issued += 1,
            CodeIssue::BudgetExhausted => busy += 1,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!((issued, busy), (4, 8), "the receipt took one of the five");
    assert_eq!(sms_count(&db).await, 2 + 4);
    let alerts = limits::recent_alerts(&db, 0, 10).await.unwrap();
    assert_eq!(alerts.len(), 1, "one alert for the hour: {alerts:?}");
    assert_eq!(alerts[0].kind, SMS_BUDGET_ALERT);

    // An hour later there is room again, and a new exhaustion alerts again.
    let later = NOW + 3601;
    assert!(matches!(issue(&db, &mobile("0508900000"), later, 1).await, CodeIssue::Issued(_)));
    assert_eq!(issue(&db, &mobile("0508900001"), later, 1).await, CodeIssue::BudgetExhausted);
    assert_eq!(limits::recent_alerts(&db, 0, 10).await.unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn submissions_per_account_and_day_are_capped_even_in_parallel() {
    let test = fresh_database().await;
    let db = test.database.clone();
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move {
                limits::take_daily_allowance(&db, 7, SubmissionKind::Complaint, 3, NOW).await.unwrap()
            })
        })
        .collect();
    let mut allowed = 0;
    for task in tasks {
        if task.await.unwrap() {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 3);
    // Each kind and each account has its own count; a new day starts afresh.
    assert!(limits::take_daily_allowance(&db, 7, SubmissionKind::Inquiry, 3, NOW).await.unwrap());
    assert!(limits::take_daily_allowance(&db, 8, SubmissionKind::Complaint, 3, NOW).await.unwrap());
    assert!(limits::take_daily_allowance(&db, 7, SubmissionKind::Complaint, 3, NOW + 24 * 3600).await.unwrap());
    // 0 turns the cap off.
    for _ in 0..10 {
        assert!(limits::take_daily_allowance(&db, 9, SubmissionKind::Complaint, 0, NOW).await.unwrap());
    }
}
