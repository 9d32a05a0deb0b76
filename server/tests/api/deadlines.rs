//! Deadlines that keep themselves (issue 14): the clocks follow the items,
//! the scheduled work reminds, escalates and lapses once, at working times,
//! and two schedulers on one database never do the same work twice.

use app::application::deadlines::{RunSummary, run_due, send_digests};
use awn_domain::{
    calendar::UnixTime,
    channels::Channel,
    deadlines::{ClockPhase, ClockRule, SubjectKind},
    identity::SaudiMobile,
    locale::Language,
    staff::StaffRole,
};
use awn_storage::{
    clocks::{self, Subject},
    inquiries::{self, NewInquiry},
    now_unix_seconds,
};
use server::scheduler::{DEADLINES_JOB, Scheduler};

use crate::{
    helpers::{TestApp, spawn_app},
    staff::{staff_browser, staff_login, status_of, submitted_request},
};

async fn clock_of(app: &TestApp, rule: ClockRule, subject: Subject) -> clocks::StoredClock {
    let clock = clocks::latest(&app.database, rule, subject).await.expect("storage").expect("a clock");
    // What the pages read, the clock's row, agrees with the clock evaluated afresh.
    let kept = clocks::open_as_kept(&app.database, rule, subject).await.expect("storage");
    let open = clock.state.phase.is_open();
    assert_eq!(
        kept.map(|kept| (kept.phase, kept.due_at, kept.extended)),
        open.then_some((clock.state.phase, clock.state.due_at, clock.state.extended)),
    );
    clock
}

async fn outbox_purposes(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar("SELECT purpose FROM outbox_messages ORDER BY id")
        .fetch_all(app.database.pool())
        .await
        .expect("the outbox")
}

async fn ask_for_missing_information(app: &TestApp, id: i64) {
    let officer = staff_browser(app, StaffRole::RelationsOfficer, true).await;
    let request = id.to_string();
    let (status, body) = officer.call("staff/case/start_verification", &[("request", &request)]).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = officer
        .call(
            "staff/case/verify",
            &[("request", &request), ("items_provided", "1"), ("message", "نرجو إرسال صورة عقد الإيجار")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(status_of(app, id).await, "missing_information");
}

#[tokio::test]
async fn a_request_missing_information_pauses_the_committee_reminds_the_beneficiary_once_then_lapses_once() {
    let app = spawn_app().await;
    let id = submitted_request(&app, "0503330001", "100000301").await;
    let subject = Subject::request(id);
    let decision = clock_of(&app, ClockRule::Decision, subject).await;
    assert_eq!(decision.state.phase, ClockPhase::Running);
    ask_for_missing_information(&app, id).await;

    let decision = clock_of(&app, ClockRule::Decision, subject).await;
    assert_eq!(decision.state.phase, ClockPhase::Paused, "the committee's clock waits for the beneficiary");
    let missing = clock_of(&app, ClockRule::MissingInformation, subject).await;
    assert_eq!(missing.state.phase, ClockPhase::Running);
    let remind_at = missing.remind_at.expect("a reminder is pending");
    let lapse_at = missing.escalate_at.expect("a lapse is pending");
    let due = missing.state.due_at.expect("a due moment");
    assert!(remind_at < due && due < lapse_at, "{remind_at:?} < {due:?} < {lapse_at:?}");

    // Before the reminder's moment nothing goes.
    assert_eq!(run_due(&app.database, remind_at.plus_seconds(-60)).await.expect("a run"), RunSummary::default());
    let reminded = run_due(&app.database, remind_at).await.expect("a run");
    assert_eq!(reminded.beneficiary_reminders, 1);
    assert_eq!(run_due(&app.database, remind_at.plus_seconds(60)).await.expect("a run"), RunSummary::default());
    let purposes = outbox_purposes(&app).await;
    assert_eq!(purposes.iter().filter(|p| *p == "missing_information_reminder").count(), 1, "{purposes:?}");

    let lapsed = run_due(&app.database, lapse_at).await.expect("a run");
    assert_eq!(lapsed.lapses, 1);
    assert_eq!(status_of(&app, id).await, "closed");
    assert_eq!(run_due(&app.database, lapse_at.plus_seconds(3600)).await.expect("a run"), RunSummary::default());
    let purposes = outbox_purposes(&app).await;
    assert_eq!(purposes.iter().filter(|p| *p == "request_lapsed").count(), 1, "{purposes:?}");
    // Nothing about it runs any more.
    assert_eq!(clock_of(&app, ClockRule::Decision, subject).await.state.phase, ClockPhase::Stopped);
    let reason: String =
        sqlx::query_scalar("SELECT reason FROM request_events WHERE request_id = $1 ORDER BY id DESC LIMIT 1")
            .bind(id)
            .fetch_one(app.database.pool())
            .await
            .expect("the timeline");
    assert!(reason.contains("لم يصل المطلوب"), "{reason}");
}

#[tokio::test]
async fn no_reminder_goes_for_a_request_that_has_moved_on_and_the_committee_clock_resumes() {
    let app = spawn_app().await;
    let id = submitted_request(&app, "0503330002", "100000302").await;
    let subject = Subject::request(id);
    let before = clock_of(&app, ClockRule::Decision, subject).await.state.due_at.expect("due");
    ask_for_missing_information(&app, id).await;
    let missing = clock_of(&app, ClockRule::MissingInformation, subject).await;
    let remind_at = missing.remind_at.expect("a reminder is pending");

    // The beneficiary answered: staff take it back into verification.
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let (status, body) = officer.call("staff/case/start_verification", &[("request", &id.to_string())]).await;
    assert_eq!(status, 200, "{body}");

    // The committee's own reminder may come meanwhile; nothing goes to the beneficiary.
    assert_eq!(run_due(&app.database, remind_at).await.expect("a run").beneficiary_reminders, 0);
    assert_eq!(run_due(&app.database, remind_at.plus_days(30)).await.expect("a run").lapses, 0);
    assert_eq!(status_of(&app, id).await, "under_verification");
    assert_eq!(clock_of(&app, ClockRule::MissingInformation, subject).await.state.phase, ClockPhase::Met);
    let decision = clock_of(&app, ClockRule::Decision, subject).await;
    assert_eq!(decision.state.phase, ClockPhase::Running);
    assert!(decision.state.due_at.expect("due") >= before, "the pause does not shorten the committee's time");
    let stored: i64 = sqlx::query_scalar("SELECT decision_due_at FROM support_requests WHERE id = $1")
        .bind(id)
        .fetch_one(app.database.pool())
        .await
        .expect("the request");
    assert_eq!(Some(stored), decision.state.due_at.map(UnixTime::seconds), "the request keeps the clock's date");
}

async fn an_inquiry(app: &TestApp) -> Subject {
    let mobile = SaudiMobile::parse("0503330099").expect("a mobile");
    let id = inquiries::record(
        &app.database,
        NewInquiry {
            beneficiary_id: None,
            asker_name: "سائل",
            contact_mobile: Some(&mobile),
            contact_email: None,
            channel: Channel::Phone,
            question: "متى يفتح باب التسجيل؟",
            language: Language::Arabic,
        },
        now_unix_seconds(),
    )
    .await
    .expect("an inquiry");
    Subject { kind: SubjectKind::Inquiry, id }
}

async fn notices_for(app: &TestApp, clock_id: i64, kind: &str) -> Vec<i64> {
    sqlx::query_scalar("SELECT staff_id FROM staff_notices WHERE clock_id = $1 AND kind = $2 ORDER BY staff_id")
        .bind(clock_id)
        .bind(kind)
        .fetch_all(app.database.pool())
        .await
        .expect("notices")
}

#[tokio::test]
async fn staff_are_reminded_in_working_hours_and_the_supervisor_hears_once_it_passes() {
    let app = spawn_app().await;
    let officer = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    let supervisor = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    sqlx::query("UPDATE staff_accounts SET supervisor_id = $1 WHERE id = $2")
        .bind(supervisor.id)
        .bind(officer.id)
        .execute(app.database.pool())
        .await
        .expect("a supervisor");
    let subject = an_inquiry(&app).await;
    {
        let mut tx = app.database.begin_write().await.expect("a transaction");
        clocks::set_responsible_in(&mut tx, subject, Some(officer.id)).await.expect("responsible");
        tx.commit().await.expect("commit");
    }
    let clock = clock_of(&app, ClockRule::InquiryAnswer, subject).await;
    let calendar = {
        let mut connection = app.database.pool().acquire().await.expect("a connection");
        clocks::work_calendar_in(&mut connection).await.expect("the calendar")
    };
    let remind_at = clock.remind_at.expect("a pending reminder");
    let escalate_at = clock.escalate_at.expect("a pending escalation");
    assert!(calendar.is_working_time(remind_at), "a reminder in working time: {:?}", remind_at.date());
    assert!(calendar.is_working_time(escalate_at), "an escalation in working time: {:?}", escalate_at.date());

    assert_eq!(run_due(&app.database, remind_at).await.expect("a run").staff_reminders, 1);
    assert_eq!(notices_for(&app, clock.id, "reminder").await, vec![officer.id], "only the person responsible");
    assert_eq!(run_due(&app.database, escalate_at).await.expect("a run").escalations, 1);
    assert_eq!(notices_for(&app, clock.id, "escalation").await, vec![supervisor.id], "their supervisor");
    assert_eq!(run_due(&app.database, escalate_at.plus_days(2)).await.expect("a run"), RunSummary::default());
}

#[tokio::test]
async fn two_schedulers_on_one_database_run_each_job_and_send_each_message_once() {
    let app = spawn_app().await;
    let officer = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    let subject = an_inquiry(&app).await;
    let clock = clock_of(&app, ClockRule::InquiryAnswer, subject).await;
    let remind_at = clock.remind_at.expect("a pending reminder");
    let first = Scheduler::new(app.database.clone(), std::time::Duration::from_secs(30));
    let second = Scheduler::new(app.database.clone(), std::time::Duration::from_secs(30));

    let (a, b) = tokio::join!(first.run_due_jobs(remind_at), second.run_due_jobs(remind_at));
    let (a, b) = (a.expect("the first scheduler"), b.expect("the second scheduler"));
    let runs = a.iter().chain(b.iter()).filter(|name| **name == DEADLINES_JOB).count();
    assert_eq!(runs, 1, "one of them ran the deadlines job: {a:?} {b:?}");
    let reminded = notices_for(&app, clock.id, "reminder").await;
    assert!(reminded.contains(&officer.id), "the relations officers were reminded: {reminded:?}");
    let mut distinct = reminded.clone();
    distinct.dedup();
    assert_eq!(reminded, distinct, "nobody twice");
    // The job is not due again before its next minute, on either server.
    assert!(first.run_due_jobs(remind_at).await.expect("a run").iter().all(|name| *name != DEADLINES_JOB));

    // Even runs that both got past the lease (one that outlived it) send nothing twice.
    let later = clock_of(&app, ClockRule::InquiryAnswer, subject).await.escalate_at.expect("an escalation");
    let (x, y) = tokio::join!(run_due(&app.database, later), run_due(&app.database, later));
    assert_eq!(x.expect("a run").escalations + y.expect("a run").escalations, 1);
    let jobs = awn_storage::jobs::list(&app.database, remind_at.seconds()).await.expect("jobs");
    let deadlines = jobs.iter().find(|job| job.name == DEADLINES_JOB).expect("the deadlines job");
    assert_eq!((deadlines.runs, deadlines.failures, deadlines.running), (1, 0, false));
    assert!(deadlines.next_run_at > remind_at.seconds());
}

#[tokio::test]
async fn the_daily_digest_goes_once_in_working_hours_and_never_at_night() {
    let app = spawn_app().await;
    let officer = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    let subject = an_inquiry(&app).await;
    let clock = clock_of(&app, ClockRule::InquiryAnswer, subject).await;
    let due = clock.state.due_at.expect("due");
    let calendar = {
        let mut connection = app.database.pool().acquire().await.expect("a connection");
        clocks::work_calendar_in(&mut connection).await.expect("the calendar")
    };
    // The night before it is due: nothing; the morning it is due: once.
    let night = due.plus_seconds(-20 * 3600);
    assert!(!calendar.is_working_time(night));
    assert_eq!(send_digests(&app.database, night).await.expect("digests"), 0);
    let morning = calendar.next_working_time(night);
    assert!(send_digests(&app.database, morning).await.expect("digests") >= 1);
    assert_eq!(send_digests(&app.database, morning.plus_seconds(3600)).await.expect("digests"), 0);
    let counts: Vec<(Option<i64>, Option<i64>)> =
        sqlx::query_as("SELECT overdue_count, today_count FROM staff_notices WHERE staff_id = $1 AND kind = 'digest'")
            .bind(officer.id)
            .fetch_all(app.database.pool())
            .await
            .expect("digest notices");
    assert_eq!(counts, vec![(Some(0), Some(1))], "the inquiry due today, once");
}

#[tokio::test]
async fn the_committee_extends_once_with_a_reason_and_the_beneficiary_reads_the_new_date_and_why() {
    let app = spawn_app().await;
    let mobile = "0503330003";
    let id = submitted_request(&app, mobile, "100000303").await;
    let before = clock_of(&app, ClockRule::Decision, Subject::request(id)).await.state.due_at.expect("due");
    let committee = staff_browser(&app, StaffRole::CommitteeMember, true).await;
    let request = id.to_string();

    // Without a reason, or longer than the rule allows: refused, nothing changes.
    let (_, body) =
        committee.call("staff/case/extend_decision", &[("request", &request), ("days", "7"), ("reason", " ")]).await;
    assert!(body.contains("\"Required\""), "{body}");
    let (_, body) = committee
        .call("staff/case/extend_decision", &[("request", &request), ("days", "400"), ("reason", "زيارة ثانية")])
        .await;
    assert!(body.contains("NumberOutOfRange"), "{body}");
    // A relations officer does not decide, so does not extend.
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let (status, _) = officer
        .call("staff/case/extend_decision", &[("request", &request), ("days", "7"), ("reason", "زيارة ثانية")])
        .await;
    assert_eq!(status, 403);

    let (status, body) = committee
        .call(
            "staff/case/extend_decision",
            &[("request", &request), ("days", "٧"), ("reason", "نحتاج زيارة ميدانية ثانية")],
        )
        .await;
    assert_eq!((status, body.as_str()), (200, "null"));
    let after = clock_of(&app, ClockRule::Decision, Subject::request(id)).await.state.due_at.expect("due");
    assert_eq!(after.seconds() - before.seconds(), 7 * 86_400);
    let (_, body) = committee
        .call("staff/case/extend_decision", &[("request", &request), ("days", "3"), ("reason", "مرة أخرى")])
        .await;
    assert!(body.contains("AlreadyExtended"), "once only: {body}");

    let purposes = outbox_purposes(&app).await;
    assert_eq!(purposes.iter().filter(|p| *p == "decision_extended").count(), 1, "{purposes:?}");
    let beneficiary = app.signed_in(mobile).await;
    let (_, page) = beneficiary.page(&format!("/requests/{id}")).await;
    assert!(page.contains("نحتاج زيارة ميدانية ثانية"), "the reason is on the tracking page");
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'request.extend_decision'")
        .fetch_one(app.database.pool())
        .await
        .expect("the audit log");
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn the_tracking_page_shows_what_is_missing_by_when_in_both_calendars() {
    let app = spawn_app().await;
    let mobile = "0503330004";
    let id = submitted_request(&app, mobile, "100000304").await;
    ask_for_missing_information(&app, id).await;
    let beneficiary = app.signed_in(mobile).await;
    let (status, page) = beneficiary.page(&format!("/requests/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("deadline--missing"), "the beneficiary's own deadline is shown");
    assert!(page.contains("يُغلق الطلب"), "and what happens if it passes");
    assert!(page.contains("هـ"), "in the Hijri calendar too");
}

#[tokio::test]
async fn a_data_request_is_extended_once_by_up_to_thirty_days_and_the_person_is_told_why() {
    let app = spawn_app().await;
    let mobile = "0503330005";
    let _beneficiary = app.signed_in(mobile).await;
    let account = awn_storage::accounts::beneficiary_by_mobile(&app.database, &crate::helpers::e164(mobile))
        .await
        .expect("storage")
        .expect("the account");
    let id = awn_storage::data_requests::submit(
        &app.database,
        account,
        awn_domain::privacy::DataRequestKind::Correction,
        "اسمي مكتوب خطأ",
        now_unix_seconds(),
    )
    .await
    .expect("storage")
    .expect("a request");
    let subject = Subject { kind: SubjectKind::DataRequest, id };
    let before = clock_of(&app, ClockRule::DataRequest, subject).await.state.due_at.expect("due");
    let officer = staff_browser(&app, StaffRole::PrivacyOfficer, true).await;
    let request = id.to_string();
    let (status, body) = officer
        .call("staff/data_requests/extend", &[("request", &request), ("days", "31"), ("reason", "سجلات كثيرة")])
        .await;
    assert_eq!(status, 200);
    assert!(body.contains("days"), "more than the law's 30 days is refused: {body}");
    let (_, body) = officer.call("staff/data_requests/extend", &[("request", &request), ("days", "30")]).await;
    assert!(body.contains("reason"), "a reason is required: {body}");
    let (status, body) = officer
        .call("staff/data_requests/extend", &[("request", &request), ("days", "30"), ("reason", "سجلات كثيرة")])
        .await;
    assert_eq!((status, body.as_str()), (200, "null"));
    let after = clock_of(&app, ClockRule::DataRequest, subject).await.state.due_at.expect("due");
    assert_eq!(after.seconds() - before.seconds(), 30 * 86_400);
    let stored: i64 = sqlx::query_scalar("SELECT due_at FROM data_requests WHERE id = $1")
        .bind(id)
        .fetch_one(app.database.pool())
        .await
        .expect("the request");
    assert_eq!(stored, after.seconds(), "the list shows the new date");
    let (_, body) = officer
        .call("staff/data_requests/extend", &[("request", &request), ("days", "5"), ("reason", "مرة أخرى")])
        .await;
    assert!(body.contains("AlreadyDone"), "once only: {body}");
    let purposes = outbox_purposes(&app).await;
    assert_eq!(purposes.iter().filter(|p| *p == "data_request_extended").count(), 1, "{purposes:?}");
}

#[tokio::test]
async fn the_home_page_states_the_committees_period_as_admins_set_it() {
    let app = spawn_app().await;
    let admin = staff_login(&app, StaffRole::Admin, true).await;
    let (_, home) = app.page("/").await;
    assert!(home.contains("14 يومًا"), "the configured period, in calendar days");
    // The home page keeps its reference data a few seconds; the server that takes
    // the admin's change shows it at once.
    let rule = [
        ("rule", "decision"),
        ("unit", "working_days"),
        ("period", "10"),
        ("remind_before_hours", "48"),
        ("max_extension", "10"),
    ];
    let (status, body) = admin.browser.call("staff/calendar/rule", &rule).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, "null", "accepted: {body}");
    let (_, home) = app.page("/").await;
    assert!(home.contains("10 أيام عمل"), "now in working days");
}

#[tokio::test]
async fn another_servers_change_of_the_period_shows_on_the_home_page_within_seconds() {
    let app = spawn_app().await;
    let admin = staff_login(&app, StaffRole::Admin, true).await;
    let (_, home) = app.page("/").await;
    assert!(home.contains("14 يومًا"));
    // Written beside this server (as another app server would).
    let working = awn_domain::deadlines::RuleSettings {
        unit: awn_domain::deadlines::ClockUnit::WorkingDays,
        period: 10,
        remind_before_hours: 48,
        max_extension: 10,
    };
    clocks::set_rule_settings(&app.database, ClockRule::Decision, working, admin.id, now_unix_seconds())
        .await
        .expect("the rule");
    // The data is kept, and the page rendered from it kept too.
    tokio::time::sleep(
        app::application::home_content::HomeContentCache::KEPT_FOR + server::page_cache::PublicPageCache::KEPT_FOR,
    )
    .await;
    let (_, home) = app.page("/").await;
    assert!(home.contains("10 أيام عمل"), "read again once kept long enough");
}

#[tokio::test]
async fn the_development_clock_runner_does_not_exist_in_production() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/dev/scheduler/run"))
        .header("Origin", crate::helpers::TEST_ORIGIN)
        .form(&[("request", "1"), ("moment", "lapse")])
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status().as_u16(), 404);
}

#[tokio::test]
async fn a_breach_has_two_clocks_the_authority_in_72_hours_and_the_people_affected() {
    let app = spawn_app().await;
    let officer = staff_browser(&app, StaffRole::PrivacyOfficer, true).await;
    let id = awn_storage::privacy_reports::submit(
        &app.database,
        awn_storage::privacy_reports::NewPrivacyReport {
            source: awn_storage::privacy_reports::ReportSource::Website,
            reporter_name: "",
            reporter_contact: "",
            description: "وصلتني رسالة فيها بيانات شخص آخر",
            recorded_by: None,
        },
        now_unix_seconds(),
    )
    .await
    .expect("storage")
    .expect("a report");
    let subject = Subject { kind: SubjectKind::PrivacyReport, id };
    let notify = clock_of(&app, ClockRule::BreachNotification, subject).await;
    assert_eq!(notify.state.due_at.map(|due| due.seconds() - notify.state.started_at.seconds()), Some(72 * 3600));
    let report = id.to_string();
    for step in ["breach", "notified", "affected_informed"] {
        let (status, body) = officer.call("staff/privacy_reports/step", &[("report", &report), ("step", step)]).await;
        assert_eq!((status, body.as_str()), (200, "null"), "{step}");
    }
    assert_eq!(clock_of(&app, ClockRule::BreachNotification, subject).await.state.met_on_time(), Some(true));
    assert_eq!(clock_of(&app, ClockRule::InformAffected, subject).await.state.met_on_time(), Some(true));
    let (_, body) =
        officer.call("staff/privacy_reports/step", &[("report", &report), ("step", "affected_informed")]).await;
    assert_ne!(body, "null", "told once only");
}

#[tokio::test]
async fn a_reminder_missed_while_no_server_ran_waits_for_working_hours() {
    let app = spawn_app().await;
    let officer = staff_login(&app, StaffRole::RelationsOfficer, true).await;
    let subject = an_inquiry(&app).await;
    let clock = clock_of(&app, ClockRule::InquiryAnswer, subject).await;
    let calendar = {
        let mut connection = app.database.pool().acquire().await.expect("a connection");
        clocks::work_calendar_in(&mut connection).await.expect("the calendar")
    };
    let mut night = clock.remind_at.expect("a pending reminder");
    while calendar.is_working_time(night) {
        night = night.plus_seconds(1800);
    }
    assert_eq!(run_due(&app.database, night).await.expect("a run").staff_reminders, 0, "not after hours");
    let morning = calendar.next_working_time(night);
    assert_eq!(run_due(&app.database, morning).await.expect("a run").staff_reminders, 1, "at the next opening");
    assert!(notices_for(&app, clock.id, "reminder").await.contains(&officer.id));
}
