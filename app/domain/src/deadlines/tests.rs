use super::*;
use crate::calendar::{CalendarDay, UnixTime, gregorian_from_hijri, hijri_from_gregorian, start_of_day_unix};

fn day(year: i32, month: u8, day: u8) -> CalendarDay {
    CalendarDay { year, month, day }
}

/// A moment in Saudi time.
fn at(year: i32, month: u8, d: u8, hour: i64, minute: i64) -> UnixTime {
    UnixTime::from_seconds(start_of_day_unix(day(year, month, d)) + hour * 3600 + minute * 60)
}

fn end_of(year: i32, month: u8, d: u8) -> UnixTime {
    at(year, month, d, 23, 59).plus_seconds(59)
}

fn settings(unit: ClockUnit, period: u32) -> RuleSettings {
    RuleSettings { unit, period, remind_before_hours: 24, max_extension: period }
}

fn calendar_with(holidays: &[Holiday]) -> WorkCalendar {
    WorkCalendar { hours: WorkingHours::default(), holidays: holidays.to_vec() }
}

#[test]
fn the_week_is_known_and_friday_and_saturday_are_the_weekend() {
    assert_eq!(Weekday::of(day(2026, 11, 30)), Weekday::Monday);
    assert_eq!(Weekday::of(day(1970, 1, 1)), Weekday::Thursday);
    assert_eq!(Weekday::of(day(2024, 2, 29)), Weekday::Thursday);
    let calendar = WorkCalendar::default();
    assert!(calendar.is_working_day(day(2026, 11, 26)));
    assert!(!calendar.is_working_day(day(2026, 11, 27)));
    assert!(!calendar.is_working_day(day(2026, 11, 28)));
    assert!(calendar.is_working_day(day(2026, 11, 29)));
}

#[test]
fn working_days_skip_the_weekend_and_end_with_the_day() {
    let calendar = WorkCalendar::default();
    let started = at(2026, 11, 26, 10, 0); // a Thursday
    let one = evaluate(&settings(ClockUnit::WorkingDays, 1), &calendar, &[ClockEvent::Started { at: started }]);
    assert_eq!(one.due_at, Some(end_of(2026, 11, 29)), "Thursday + 1 working day: by the end of Sunday");
    let two = evaluate(&settings(ClockUnit::WorkingDays, 2), &calendar, &[ClockEvent::Started { at: started }]);
    assert_eq!(two.due_at, Some(end_of(2026, 11, 30)));
    // Started on the weekend, the count begins on Sunday.
    let friday = evaluate(
        &settings(ClockUnit::WorkingDays, 1),
        &calendar,
        &[ClockEvent::Started { at: at(2026, 11, 27, 10, 0) }],
    );
    assert_eq!(friday.due_at, Some(end_of(2026, 11, 29)));
    assert_eq!(calendar.working_days_between(started, at(2026, 12, 1, 9, 0)), 3);
}

#[test]
fn a_holiday_does_not_count_and_calendar_days_do_count_it() {
    let national_day = Holiday { kind: HolidayKind::NationalDay, first_day: day(2026, 9, 23), days: 1 };
    let calendar = calendar_with(&[national_day]);
    assert!(!calendar.is_working_day(day(2026, 9, 23)));
    let started = [ClockEvent::Started { at: at(2026, 9, 22, 10, 0) }]; // Tuesday
    let working = evaluate(&settings(ClockUnit::WorkingDays, 1), &calendar, &started);
    assert_eq!(working.due_at, Some(end_of(2026, 9, 24)), "the holiday on Wednesday is skipped");
    let calendar_days = evaluate(&settings(ClockUnit::CalendarDays, 1), &calendar, &started);
    assert_eq!(calendar_days.due_at, Some(end_of(2026, 9, 23)));
}

#[test]
fn a_clock_across_the_end_of_ramadan_waits_out_eid() {
    // Umm al-Qura: 1 Shawwal 1447 is Friday 20 March 2026.
    assert_eq!(gregorian_from_hijri(day(1447, 10, 1)), Some(day(2026, 3, 20)));
    let proposed = proposed_holidays(2026);
    let eid = proposed.iter().find(|h| h.kind == HolidayKind::EidAlFitr).copied();
    assert_eq!(eid, Some(Holiday { kind: HolidayKind::EidAlFitr, first_day: day(2026, 3, 20), days: 4 }));
    let calendar = calendar_with(&proposed);
    // The last day of Ramadan (a Thursday): one working day lands after Eid.
    let last_of_ramadan = day(2026, 3, 19);
    assert_eq!(hijri_from_gregorian(last_of_ramadan).map(|d| d.month), Some(9));
    let clock = evaluate(
        &settings(ClockUnit::WorkingDays, 1),
        &calendar,
        &[ClockEvent::Started { at: at(2026, 3, 19, 10, 0) }],
    );
    assert_eq!(clock.due_at, Some(end_of(2026, 3, 24)), "Fri–Mon are Eid and weekend; due Tuesday");
}

#[test]
fn proposed_holidays_follow_umm_al_qura_and_a_year_may_hold_two_eids() {
    let kinds = |year| proposed_holidays(year).iter().map(|h| (h.kind, h.first_day)).collect::<Vec<_>>();
    assert_eq!(
        kinds(2026),
        vec![
            (HolidayKind::FoundingDay, day(2026, 2, 22)),
            (HolidayKind::EidAlFitr, day(2026, 3, 20)),
            (HolidayKind::EidAlAdha, day(2026, 5, 26)),
            (HolidayKind::NationalDay, day(2026, 9, 23)),
        ]
    );
    let fitr_2033 = proposed_holidays(2033).iter().filter(|h| h.kind == HolidayKind::EidAlFitr).count();
    assert_eq!(fitr_2033, 2, "Shawwal 1454 and 1455 both begin in 2033");
    // Every proposed Eid starts on the Hijri day it stands for.
    for holiday in proposed_holidays(2027) {
        let hijri = hijri_from_gregorian(holiday.first_day).map(|d| (d.month, d.day));
        match holiday.kind {
            HolidayKind::EidAlFitr => assert_eq!(hijri, Some((10, 1))),
            HolidayKind::EidAlAdha => assert_eq!(hijri, Some((12, 9))),
            _ => {}
        }
    }
}

#[test]
fn a_holiday_is_typed_in_either_calendar_and_a_day_that_does_not_exist_is_refused() {
    let hijri = HolidayForm {
        kind: "eid_al_fitr".into(),
        calendar: "hijri".into(),
        first_day: "١٤٤٧/١٠/٠١".into(),
        days: "4".into(),
    };
    assert_eq!(
        check_holiday(&hijri),
        Ok(Holiday { kind: HolidayKind::EidAlFitr, first_day: day(2026, 3, 20), days: 4 })
    );
    let gregorian = HolidayForm {
        kind: "national_day".into(),
        calendar: "gregorian".into(),
        first_day: "2026-09-23".into(),
        days: String::new(),
    };
    assert_eq!(check_holiday(&gregorian).map(|h| (h.first_day, h.days)), Ok((day(2026, 9, 23), 1)));
    // A 29-day Hijri month has no 30th.
    let short_month = (1..=12)
        .find(|month| {
            gregorian_from_hijri(day(1447, *month, 29)).is_some() && {
                let thirtieth = gregorian_from_hijri(day(1447, *month, 30));
                thirtieth.is_none() || thirtieth.and_then(hijri_from_gregorian) != Some(day(1447, *month, 30))
            }
        })
        .expect("some month of 1447 has 29 days");
    let missing = HolidayForm { first_day: format!("1447-{short_month}-30"), ..hijri.clone() };
    assert_eq!(check_holiday(&missing), Err(vec![("first_day", HolidayProblem::DateInvalid)]));
    let wrong = HolidayForm { kind: "birthday".into(), first_day: String::new(), days: "0".into(), ..hijri };
    assert_eq!(
        check_holiday(&wrong),
        Err(vec![
            ("kind", HolidayProblem::KindUnknown),
            ("first_day", HolidayProblem::DateMissing),
            ("days", HolidayProblem::DaysInvalid)
        ])
    );
}

#[test]
fn a_pause_while_waiting_for_the_beneficiary_stops_the_count_and_a_resume_carries_on() {
    let calendar = WorkCalendar::default();
    let rule = settings(ClockUnit::CalendarDays, 14);
    let start = at(2026, 11, 1, 10, 0);
    let paused_at = at(2026, 11, 3, 10, 0); // two days used
    let mut events = vec![ClockEvent::Started { at: start }, ClockEvent::Paused { at: paused_at }];
    let paused = evaluate(&rule, &calendar, &events);
    assert_eq!(paused.phase, ClockPhase::Paused);
    assert_eq!(paused.due_at, None);
    assert_eq!(paused.left_seconds, 12 * 86_400);
    assert!(!paused.overdue(at(2027, 1, 1, 0, 0)), "a paused clock is never overdue");
    events.push(ClockEvent::Resumed { at: at(2026, 11, 10, 10, 0) });
    let resumed = evaluate(&rule, &calendar, &events);
    assert_eq!(resumed.phase, ClockPhase::Running);
    assert_eq!(resumed.due_at, Some(end_of(2026, 11, 22)), "the 12 days left run from the resume");
    // A second pause before the first resume changes nothing.
    let doubled = evaluate(
        &rule,
        &calendar,
        &[
            ClockEvent::Started { at: start },
            ClockEvent::Paused { at: paused_at },
            ClockEvent::Paused { at: at(2026, 11, 5, 10, 0) },
            ClockEvent::Resumed { at: at(2026, 11, 10, 10, 0) },
        ],
    );
    assert_eq!(doubled.due_at, resumed.due_at);
}

#[test]
fn an_extension_adds_once_with_a_reason_before_the_deadline() {
    let calendar = WorkCalendar::default();
    let rule = ClockRule::DataRequest.default_settings();
    let start = at(2026, 1, 1, 9, 0);
    let running = evaluate(&rule, &calendar, &[ClockEvent::Started { at: start }]);
    assert_eq!(running.due_at, Some(end_of(2026, 1, 31)));
    let now = at(2026, 1, 20, 9, 0);
    assert_eq!(check_extension(&rule, &running, 30, "  ", now), Err(ExtensionRefusal::ReasonRequired));
    assert_eq!(check_extension(&rule, &running, 31, "many records", now), Err(ExtensionRefusal::LengthOutOfRange));
    assert_eq!(check_extension(&rule, &running, 0, "many records", now), Err(ExtensionRefusal::LengthOutOfRange));
    assert_eq!(
        check_extension(&rule, &running, 30, "many records", at(2026, 2, 1, 9, 0)),
        Err(ExtensionRefusal::DeadlinePassed)
    );
    assert_eq!(check_extension(&rule, &running, 30, "many records", now), Ok(()));
    let extended =
        evaluate(&rule, &calendar, &[ClockEvent::Started { at: start }, ClockEvent::Extended { at: now, by: 30 }]);
    assert_eq!(extended.due_at, Some(end_of(2026, 3, 2)));
    assert_eq!(check_extension(&rule, &extended, 5, "again", now), Err(ExtensionRefusal::AlreadyExtended));
    let breach = ClockRule::BreachNotification.default_settings();
    let clock = evaluate(&breach, &calendar, &[ClockEvent::Started { at: start }]);
    assert_eq!(check_extension(&breach, &clock, 1, "x", now), Err(ExtensionRefusal::NotExtendable));
}

#[test]
fn a_breach_counts_72_hours_around_the_clock() {
    let calendar = WorkCalendar::default();
    let rule = ClockRule::BreachNotification.default_settings();
    let aware = at(2026, 11, 26, 22, 15); // Thursday night, before the weekend
    let clock = evaluate(&rule, &calendar, &[ClockEvent::Started { at: aware }]);
    assert_eq!(clock.due_at, Some(aware.plus_seconds(72 * 3600)));
    // Its reminder goes at night on the weekend: a breach does not wait.
    let remind = clock.remind_at(&rule, aware).expect("a reminder");
    assert_eq!(staff_message_time(rule.unit, &calendar, remind, true, aware), remind);
}

#[test]
fn met_on_time_or_late_and_overdue_only_while_running() {
    let calendar = WorkCalendar::default();
    let rule = settings(ClockUnit::CalendarDays, 2);
    let start = at(2026, 11, 1, 10, 0);
    let on_time = evaluate(
        &rule,
        &calendar,
        &[ClockEvent::Started { at: start }, ClockEvent::Met { at: at(2026, 11, 3, 23, 0) }],
    );
    assert_eq!(on_time.met_on_time(), Some(true));
    let late = evaluate(
        &rule,
        &calendar,
        &[ClockEvent::Started { at: start }, ClockEvent::Met { at: at(2026, 11, 4, 0, 30) }],
    );
    assert_eq!(late.met_on_time(), Some(false));
    assert!(!late.overdue(at(2026, 12, 1, 0, 0)));
    let running = evaluate(&rule, &calendar, &[ClockEvent::Started { at: start }]);
    assert!(!running.overdue(end_of(2026, 11, 3)));
    assert!(running.overdue(end_of(2026, 11, 3).plus_seconds(1)));
    let stopped = evaluate(&rule, &calendar, &[ClockEvent::Started { at: start }, ClockEvent::Stopped { at: start }]);
    assert_eq!(stopped.met_on_time(), None);
    // Events after the end change nothing.
    let after = evaluate(
        &rule,
        &calendar,
        &[ClockEvent::Started { at: start }, ClockEvent::Met { at: start }, ClockEvent::Resumed { at: start }],
    );
    assert_eq!(after.phase, ClockPhase::Met);
}

#[test]
fn a_due_day_set_by_hand_wins() {
    let calendar = WorkCalendar::default();
    let rule = ClockRule::ImprovementAction.default_settings();
    let start = at(2026, 11, 1, 10, 0);
    let due = end_of(2026, 11, 5);
    let clock = evaluate(&rule, &calendar, &[ClockEvent::Started { at: start }, ClockEvent::DueSet { at: start, due }]);
    assert_eq!(clock.due_at, Some(due));
    let met = evaluate(
        &rule,
        &calendar,
        &[
            ClockEvent::Started { at: start },
            ClockEvent::DueSet { at: start, due },
            ClockEvent::Met { at: at(2026, 11, 6, 9, 0) },
        ],
    );
    assert_eq!(met.met_on_time(), Some(false));
}

#[test]
fn staff_are_messaged_in_working_hours_only() {
    let calendar = WorkCalendar::default();
    // Thursday 17:00 is after hours; the weekend follows.
    let thursday_evening = at(2026, 11, 26, 17, 0);
    assert!(!calendar.is_working_time(thursday_evening));
    assert!(calendar.is_working_time(at(2026, 11, 26, 15, 59)));
    assert!(!calendar.is_working_time(at(2026, 11, 26, 16, 0)));
    assert_eq!(calendar.next_working_time(thursday_evening), at(2026, 11, 29, 8, 0));
    assert_eq!(calendar.last_working_time_before(at(2026, 11, 28, 10, 0)), at(2026, 11, 26, 15, 59));
    let unit = ClockUnit::WorkingDays;
    let now = at(2026, 11, 20, 9, 0);
    assert_eq!(staff_message_time(unit, &calendar, thursday_evening, true, now), at(2026, 11, 26, 15, 59));
    assert_eq!(staff_message_time(unit, &calendar, thursday_evening, false, now), at(2026, 11, 29, 8, 0));
    // Never in the past: a reminder whose time has gone goes at the next working minute.
    let late_now = at(2026, 11, 27, 12, 0);
    assert_eq!(staff_message_time(unit, &calendar, thursday_evening, true, late_now), at(2026, 11, 29, 8, 0));
    assert_eq!(calendar.next_opening_after(at(2026, 11, 29, 8, 0)), at(2026, 11, 30, 8, 0));
    // A holiday is not a working day either.
    let holiday = calendar_with(&[Holiday { kind: HolidayKind::Other, first_day: day(2026, 11, 29), days: 2 }]);
    assert_eq!(holiday.next_working_time(thursday_evening), at(2026, 12, 1, 8, 0));
}

#[test]
fn settings_keep_within_the_law_and_reason() {
    let breach = RuleSettings { unit: ClockUnit::CalendarDays, period: 3, remind_before_hours: 24, max_extension: 0 };
    assert_eq!(check_settings(ClockRule::BreachNotification, breach), Err(SettingsProblem::UnitFixed));
    let early = RuleSettings { unit: ClockUnit::WorkingDays, period: 1, remind_before_hours: 24, max_extension: 0 };
    assert_eq!(check_settings(ClockRule::InquiryAnswer, early), Err(SettingsProblem::ReminderTooEarly));
    let long = RuleSettings { max_extension: 31, ..ClockRule::DataRequest.default_settings() };
    assert_eq!(check_settings(ClockRule::DataRequest, long), Err(SettingsProblem::ExtensionOutOfRange));
    let zero = RuleSettings { period: 0, ..ClockRule::Decision.default_settings() };
    assert_eq!(check_settings(ClockRule::Decision, zero), Err(SettingsProblem::PeriodOutOfRange));
    for rule in ClockRule::ALL {
        assert_eq!(check_settings(rule, rule.default_settings()), Ok(rule.default_settings()), "{rule:?}");
    }
}

#[test]
fn working_hours_are_typed_as_times_of_day() {
    assert_eq!(WorkingHours::parse("٠٨:٠٠", "16:30"), Ok(WorkingHours { start_minute: 480, end_minute: 990 }));
    assert_eq!(WorkingHours::parse("16:00", "08:00"), Err(HoursProblem::EndBeforeStart));
    assert_eq!(WorkingHours::parse("8", "16:00"), Err(HoursProblem::Invalid));
    assert_eq!(WorkingHours::parse("08:60", "16:00"), Err(HoursProblem::Invalid));
    assert_eq!(format_time_of_day(990), "16:30");
}

#[test]
fn due_items_fall_into_today_this_week_or_overdue() {
    let now = at(2026, 11, 30, 9, 0);
    assert_eq!(WorkBucket::of(at(2026, 11, 30, 8, 0), now), WorkBucket::Overdue);
    assert_eq!(WorkBucket::of(end_of(2026, 11, 30), now), WorkBucket::Today);
    assert_eq!(WorkBucket::of(end_of(2026, 12, 6), now), WorkBucket::ThisWeek);
    assert_eq!(WorkBucket::of(at(2026, 12, 7, 0, 0), now), WorkBucket::Later);
    assert_eq!(WorkBucket::end_of_this_week(now), end_of(2026, 12, 6));
    assert_eq!(on_time_percent(2, 3), Some(67));
    assert_eq!(on_time_percent(0, 0), None);
}

#[test]
fn each_rule_is_handled_by_the_permission_of_its_work() {
    use crate::staff::{Permission, StaffRole, role_allows};
    assert_eq!(ClockRule::Decision.handled_with(), Permission::DecideRequest);
    assert_eq!(ClockRule::MissingInformation.handled_with(), Permission::VerifyRequest);
    assert_eq!(ClockRule::ComplaintResolution.handled_with(), Permission::HandleComplaint);
    assert_eq!(ClockRule::InquiryAnswer.handled_with(), Permission::AnswerInquiry);
    assert_eq!(ClockRule::DataRequest.handled_with(), Permission::AnswerDataRequest);
    assert_eq!(ClockRule::BreachNotification.handled_with(), Permission::HandlePrivacyReport);
    assert_eq!(ClockRule::InformAffected.handled_with(), Permission::HandlePrivacyReport);
    assert_eq!(ClockRule::ImprovementAction.handled_with(), Permission::ManageImprovements);
    // Every rule has someone to handle it.
    for rule in ClockRule::ALL {
        assert!(StaffRole::ALL.iter().any(|&role| role_allows(role, rule.handled_with())), "{}", rule.code());
    }
    // The front desk answers inquiries and complaints, never a data subject's request.
    assert!(role_allows(StaffRole::RelationsOfficer, ClockRule::InquiryAnswer.handled_with()));
    assert!(!role_allows(StaffRole::RelationsOfficer, ClockRule::DataRequest.handled_with()));
}

#[test]
fn the_reminder_channel_is_the_workspace_unless_chosen() {
    assert_eq!(ReminderChannel::default(), ReminderChannel::Workspace);
    assert_eq!(ReminderChannel::from_code("sms"), Some(ReminderChannel::Sms));
    assert_eq!(ReminderChannel::from_code("fax"), None);
}

#[test]
fn today_ends_at_saudi_midnight_and_buckets_agree() {
    let now = at(2026, 11, 30, 10, 0);
    let end = WorkBucket::end_of_today(now);
    assert_eq!(end, end_of(2026, 11, 30));
    assert_eq!(WorkBucket::of(end, now), WorkBucket::Today);
    assert_eq!(WorkBucket::of(end.plus_seconds(1), now), WorkBucket::ThisWeek);
    assert_eq!(WorkBucket::of(WorkBucket::end_of_this_week(now), now), WorkBucket::ThisWeek);
    assert_eq!(WorkBucket::of(WorkBucket::end_of_this_week(now).plus_seconds(1), now), WorkBucket::Later);
}

#[test]
fn only_a_running_or_paused_clock_is_open() {
    let open: Vec<ClockPhase> = ClockPhase::ALL.into_iter().filter(|phase| phase.is_open()).collect();
    assert_eq!(open, [ClockPhase::Running, ClockPhase::Paused]);
}
