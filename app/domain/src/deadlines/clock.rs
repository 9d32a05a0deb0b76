//! One clock for every promise: a rule gives the period and how it is counted;
//! the item's events (started, paused while waiting for the beneficiary,
//! resumed, extended with a reason, met) give where the clock stands.

use serde::{Deserialize, Serialize};

use super::work_calendar::{WorkCalendar, day_start, local_day_number};
use crate::{calendar::UnixTime, staff::Permission};

crate::code_table! {
    /// A promise the policy or the law makes, each with its own clock.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ClockRule {
        /// The research committee decides (A13).
        Decision = "decision",
        /// The beneficiary sends what was asked for, or the request lapses.
        MissingInformation = "missing_information",
        /// A complaint or objection is resolved (A2).
        ComplaintResolution = "complaint_resolution",
        /// An inquiry gets its first answer (A6).
        InquiryAnswer = "inquiry_answer",
        /// A data subject's request is answered (PDPL regulation art. 3).
        DataRequest = "data_request",
        /// A breach is notified to the authority (PDPL regulation art. 24).
        BreachNotification = "breach_notification",
        /// The people affected by a breach are told.
        InformAffected = "inform_affected",
        /// An improvement action is done by its due day.
        ImprovementAction = "improvement_action",
    }
}

crate::code_table! {
    /// How a member of staff wants reminders beyond the workspace, where they
    /// always show.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ReminderChannel {
        /// In the workspace only.
        #[default]
        Workspace = "workspace",
        /// Also by email.
        Email = "email",
        /// Also by SMS.
        Sms = "sms",
    }
}

crate::code_table! {
    /// How a clock counts its period.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ClockUnit {
        /// Working days: weekends and holidays do not count; due by the end of the day.
        WorkingDays = "working_days",
        /// Calendar days; due by the end of the day.
        CalendarDays = "calendar_days",
        /// Hours around the clock; staff are messaged at any hour.
        CalendarHours = "calendar_hours",
    }
}

crate::code_table! {
    /// Where a clock stands.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ClockPhase {
        Running = "running",
        /// Waiting on the beneficiary: the time does not count.
        Paused = "paused",
        /// The promise was kept (possibly late).
        Met = "met",
        /// The item ended another way (withdrawn, closed, lapsed).
        Stopped = "stopped",
    }
}

impl ClockPhase {
    /// Still counting or waiting (running or paused): not met, not stopped.
    /// Storage's `OPEN_PHASES` is the same set in SQL.
    pub fn is_open(self) -> bool {
        matches!(self, ClockPhase::Running | ClockPhase::Paused)
    }

    /// Whether a clock in this phase, due at `due_at`, is late at `now`: only a
    /// running clock can be (a paused one's time does not count).
    pub fn overdue(self, due_at: Option<UnixTime>, now: UnixTime) -> bool {
        self == ClockPhase::Running && due_at.is_some_and(|due| due < now)
    }
}

crate::code_table! {
    /// The stored kind of a [`ClockEvent`].
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ClockEventKind {
        Started = "started",
        Paused = "paused",
        Resumed = "resumed",
        Extended = "extended",
        DueSet = "due_set",
        Met = "met",
        Stopped = "stopped",
    }
}

/// Whom a clock's reminder is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminded {
    /// The staff member responsible (escalated to their supervisor when it passes).
    Staff,
    /// The beneficiary (the request lapses when it passes).
    Beneficiary,
}

impl ClockRule {
    /// The period, reminder and extension the rule has until an admin changes them.
    pub fn default_settings(self) -> RuleSettings {
        use ClockUnit::*;
        let (unit, period, remind_before_hours, max_extension) = match self {
            ClockRule::Decision => (CalendarDays, 14, 48, 14),
            ClockRule::MissingInformation => (WorkingDays, 10, 72, 10),
            ClockRule::ComplaintResolution => (WorkingDays, 10, 48, 0),
            ClockRule::InquiryAnswer => (WorkingDays, 3, 24, 0),
            ClockRule::DataRequest => (CalendarDays, 30, 120, 30),
            ClockRule::BreachNotification => (CalendarHours, 72, 24, 0),
            ClockRule::InformAffected => (CalendarHours, 72, 24, 0),
            ClockRule::ImprovementAction => (CalendarDays, 30, 72, 0),
        };
        RuleSettings { unit, period, remind_before_hours, max_extension }
    }

    /// The permission of those who act on an item of this rule: they are
    /// reminded when nobody in particular answers for it.
    pub fn handled_with(self) -> Permission {
        match self {
            ClockRule::Decision => Permission::DecideRequest,
            ClockRule::MissingInformation => Permission::VerifyRequest,
            ClockRule::ComplaintResolution => Permission::HandleComplaint,
            ClockRule::InquiryAnswer => Permission::AnswerInquiry,
            ClockRule::DataRequest => Permission::AnswerDataRequest,
            ClockRule::BreachNotification | ClockRule::InformAffected => Permission::HandlePrivacyReport,
            ClockRule::ImprovementAction => Permission::ManageImprovements,
        }
    }

    /// The rules whose unowned clocks a role's members answer for.
    pub fn handled_by(role: crate::staff::StaffRole) -> Vec<ClockRule> {
        ClockRule::ALL.into_iter().filter(|rule| crate::staff::role_allows(role, rule.handled_with())).collect()
    }

    /// The roles whose members answer for this rule's unowned clocks.
    pub fn handling_roles(self) -> Vec<crate::staff::StaffRole> {
        crate::staff::StaffRole::ALL
            .into_iter()
            .filter(|role| crate::staff::role_allows(*role, self.handled_with()))
            .collect()
    }

    pub fn reminded(self) -> Reminded {
        match self {
            ClockRule::MissingInformation => Reminded::Beneficiary,
            _ => Reminded::Staff,
        }
    }

    /// Whether the unit is fixed by law or by the nature of the rule (a breach
    /// is counted in hours, around the clock).
    pub fn fixed_unit(self) -> Option<ClockUnit> {
        matches!(self, ClockRule::BreachNotification | ClockRule::InformAffected).then_some(ClockUnit::CalendarHours)
    }

    /// The longest extension the law allows, in the rule's unit, if it caps it
    /// (a data subject's request: once, by up to 30 days).
    pub fn legal_max_extension(self) -> Option<u32> {
        matches!(self, ClockRule::DataRequest).then_some(30)
    }
}

/// A rule's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSettings {
    pub unit: ClockUnit,
    /// In `unit`s.
    pub period: u32,
    /// How long before the deadline the person responsible is reminded.
    pub remind_before_hours: u32,
    /// The longest single extension, in `unit`s; 0: the rule is not extended.
    pub max_extension: u32,
}

impl ClockUnit {
    /// Seconds of clock time in one unit.
    pub const fn seconds(self) -> i64 {
        match self {
            ClockUnit::WorkingDays | ClockUnit::CalendarDays => 86_400,
            ClockUnit::CalendarHours => 3_600,
        }
    }

    /// The longest period a setting may have, in this unit (one year).
    pub const fn max_period(self) -> u32 {
        match self {
            ClockUnit::WorkingDays | ClockUnit::CalendarDays => 365,
            ClockUnit::CalendarHours => 24 * 365,
        }
    }
}

/// Why rule settings were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SettingsProblem {
    PeriodOutOfRange,
    /// The reminder would come before the clock starts.
    ReminderTooEarly,
    ExtensionOutOfRange,
    /// This rule is counted in one unit only.
    UnitFixed,
}

/// Checks settings an admin typed for a rule.
pub fn check_settings(rule: ClockRule, settings: RuleSettings) -> Result<RuleSettings, SettingsProblem> {
    if rule.fixed_unit().is_some_and(|unit| unit != settings.unit) {
        return Err(SettingsProblem::UnitFixed);
    }
    if settings.period == 0 || settings.period > settings.unit.max_period() {
        return Err(SettingsProblem::PeriodOutOfRange);
    }
    let period_hours = i64::from(settings.period) * settings.unit.seconds() / 3600;
    if i64::from(settings.remind_before_hours) >= period_hours {
        return Err(SettingsProblem::ReminderTooEarly);
    }
    let max_extension_allowed = rule.legal_max_extension().unwrap_or(settings.unit.max_period());
    if settings.max_extension > max_extension_allowed {
        return Err(SettingsProblem::ExtensionOutOfRange);
    }
    Ok(settings)
}

/// Something that happened to the item a clock follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClockEvent {
    Started {
        at: UnixTime,
    },
    Paused {
        at: UnixTime,
    },
    Resumed {
        at: UnixTime,
    },
    /// The period grows by `by` of the rule's units.
    Extended {
        at: UnixTime,
        by: u32,
    },
    /// A due moment set by hand (an improvement action's due day).
    DueSet {
        at: UnixTime,
        due: UnixTime,
    },
    Met {
        at: UnixTime,
    },
    Stopped {
        at: UnixTime,
    },
}

impl ClockEvent {
    pub fn at(self) -> UnixTime {
        match self {
            ClockEvent::Started { at }
            | ClockEvent::Paused { at }
            | ClockEvent::Resumed { at }
            | ClockEvent::Extended { at, .. }
            | ClockEvent::DueSet { at, .. }
            | ClockEvent::Met { at }
            | ClockEvent::Stopped { at } => at,
        }
    }

    pub fn kind(self) -> ClockEventKind {
        match self {
            ClockEvent::Started { .. } => ClockEventKind::Started,
            ClockEvent::Paused { .. } => ClockEventKind::Paused,
            ClockEvent::Resumed { .. } => ClockEventKind::Resumed,
            ClockEvent::Extended { .. } => ClockEventKind::Extended,
            ClockEvent::DueSet { .. } => ClockEventKind::DueSet,
            ClockEvent::Met { .. } => ClockEventKind::Met,
            ClockEvent::Stopped { .. } => ClockEventKind::Stopped,
        }
    }

    /// An event from its stored parts: `amount` is an extension's length,
    /// `due` a due moment set by hand. `None` when a part is missing.
    pub fn from_stored(kind: ClockEventKind, at: UnixTime, amount: Option<u32>, due: Option<UnixTime>) -> Option<Self> {
        Some(match kind {
            ClockEventKind::Started => ClockEvent::Started { at },
            ClockEventKind::Paused => ClockEvent::Paused { at },
            ClockEventKind::Resumed => ClockEvent::Resumed { at },
            ClockEventKind::Extended => ClockEvent::Extended { at, by: amount? },
            ClockEventKind::DueSet => ClockEvent::DueSet { at, due: due? },
            ClockEventKind::Met => ClockEvent::Met { at },
            ClockEventKind::Stopped => ClockEvent::Stopped { at },
        })
    }
}

/// Where a clock stands after its events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockState {
    pub phase: ClockPhase,
    pub started_at: UnixTime,
    /// When it is due while running; while paused, when it would be due if it
    /// resumed now is unknown, so `None`; once finished, the due moment as it
    /// stood then.
    pub due_at: Option<UnixTime>,
    /// Clock time left (seconds of the unit's counting) when paused or finished.
    pub left_seconds: i64,
    /// Extended once already.
    pub extended: bool,
    /// When it was met or stopped.
    pub finished_at: Option<UnixTime>,
}

impl ClockState {
    /// Kept in time: finished (met) with time to spare, or not yet late.
    pub fn met_on_time(&self) -> Option<bool> {
        let (finished, due) = (self.finished_at?, self.due_at?);
        (self.phase == ClockPhase::Met).then_some(finished <= due)
    }

    /// Running and past its due moment.
    pub fn overdue(&self, now: UnixTime) -> bool {
        self.phase.overdue(self.due_at, now)
    }

    /// When the person responsible is reminded: `remind_before_hours` before
    /// the deadline, if that is after the clock (re)started.
    pub fn remind_at(&self, settings: &RuleSettings, since: UnixTime) -> Option<UnixTime> {
        let due = self.due_at.filter(|_| self.phase == ClockPhase::Running)?;
        let at = due.plus_seconds(-i64::from(settings.remind_before_hours) * 3600);
        (at > since).then_some(at)
    }
}

/// The clock's state after `events` (in the order they happened), counted by
/// `settings` on `calendar`. A clock that never started reads as running from
/// its first event.
pub fn evaluate(settings: &RuleSettings, calendar: &WorkCalendar, events: &[ClockEvent]) -> ClockState {
    let unit = settings.unit;
    let mut budget = i64::from(settings.period) * unit.seconds();
    let mut consumed = 0_i64;
    let started_at = events.first().map(|event| event.at()).unwrap_or(UnixTime::EPOCH);
    let mut running_since = Some(started_at);
    let mut phase = ClockPhase::Running;
    let mut extended = false;
    let mut fixed_due: Option<UnixTime> = None;
    let mut finished_at = None;
    for event in events {
        if matches!(phase, ClockPhase::Met | ClockPhase::Stopped) {
            break;
        }
        match *event {
            ClockEvent::Started { .. } => {}
            ClockEvent::Paused { at } => {
                if let Some(since) = running_since.take() {
                    consumed += elapsed(unit, calendar, since, at);
                    phase = ClockPhase::Paused;
                }
            }
            ClockEvent::Resumed { at } => {
                if running_since.is_none() {
                    running_since = Some(at);
                    phase = ClockPhase::Running;
                }
            }
            ClockEvent::Extended { by, .. } => {
                budget += i64::from(by) * unit.seconds();
                extended = true;
            }
            ClockEvent::DueSet { due, .. } => fixed_due = Some(due),
            ClockEvent::Met { at } | ClockEvent::Stopped { at } => {
                if let Some(since) = running_since.take() {
                    consumed += elapsed(unit, calendar, since, at);
                }
                phase = if event.kind() == ClockEventKind::Met { ClockPhase::Met } else { ClockPhase::Stopped };
                finished_at = Some(at);
            }
        }
    }
    let mut left_seconds = budget - consumed;
    let due_at = match (fixed_due, phase) {
        (Some(due), _) => {
            if let Some(finished) = finished_at {
                left_seconds = due.seconds() - finished.seconds();
            }
            Some(due)
        }
        (None, ClockPhase::Running) => {
            let since = running_since.unwrap_or(started_at);
            Some(advance(unit, calendar, since, left_seconds))
        }
        (None, ClockPhase::Paused) => None,
        (None, ClockPhase::Met | ClockPhase::Stopped) => {
            // The deadline as it stood: the finish moment plus what was left.
            finished_at.map(|finished| advance(unit, calendar, finished, left_seconds))
        }
    };
    ClockState { phase, started_at, due_at, left_seconds, extended, finished_at }
}

/// Clock time from `from` to `to` in the unit's counting (seconds).
fn elapsed(unit: ClockUnit, calendar: &WorkCalendar, from: UnixTime, to: UnixTime) -> i64 {
    if to <= from {
        return 0;
    }
    match unit {
        ClockUnit::CalendarDays | ClockUnit::CalendarHours => to.seconds() - from.seconds(),
        ClockUnit::WorkingDays => {
            let mut total = 0;
            for day in local_day_number(from)..=local_day_number(to) {
                if !calendar.is_working_day_number(day) {
                    continue;
                }
                let start = day_start(day).seconds().max(from.seconds());
                let end = day_start(day + 1).seconds().min(to.seconds());
                total += (end - start).max(0);
            }
            total
        }
    }
}

/// The moment `left` seconds of clock time after `from`; in days, the end of
/// that day.
fn advance(unit: ClockUnit, calendar: &WorkCalendar, from: UnixTime, left: i64) -> UnixTime {
    match unit {
        ClockUnit::CalendarHours => from.plus_seconds(left),
        ClockUnit::CalendarDays => end_of_day(from.plus_seconds(left)),
        ClockUnit::WorkingDays => {
            if left <= 0 {
                return end_of_day(from.plus_seconds(left));
            }
            let mut left = left;
            let first = local_day_number(from);
            // Ten years of days: a calendar closed for longer is a mistake.
            for day in first..first + 3_660 {
                if !calendar.is_working_day_number(day) {
                    continue;
                }
                let start = day_start(day).seconds().max(from.seconds());
                let available = day_start(day + 1).seconds() - start;
                if left <= available {
                    return end_of_day(UnixTime::from_seconds(start + left));
                }
                left -= available;
            }
            from.plus_seconds(left)
        }
    }
}

/// The last second of the day a deadline falls in; a deadline exactly at
/// midnight belongs to the day before.
fn end_of_day(at: UnixTime) -> UnixTime {
    let day = local_day_number(at.plus_seconds(-1));
    day_start(day + 1).plus_seconds(-1)
}

/// Why an extension was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtensionRefusal {
    /// The rule is not extended.
    NotExtendable,
    /// Extended once already.
    AlreadyExtended,
    /// The item has moved on.
    NotRunning,
    /// Nothing, or more than the rule allows.
    LengthOutOfRange,
    ReasonRequired,
    /// The person must be told before the deadline, so it cannot be extended after it.
    DeadlinePassed,
}

/// The longest reason an extension may give.
pub const MAX_EXTENSION_REASON_CHARS: usize = 1000;

/// Whether a running (or paused) clock may be extended by `by` units now, for
/// `reason`: once, within the rule's maximum, with a reason, before its deadline.
pub fn check_extension(
    settings: &RuleSettings,
    state: &ClockState,
    by: u32,
    reason: &str,
    now: UnixTime,
) -> Result<(), ExtensionRefusal> {
    if settings.max_extension == 0 {
        return Err(ExtensionRefusal::NotExtendable);
    }
    if !state.phase.is_open() {
        return Err(ExtensionRefusal::NotRunning);
    }
    if state.extended {
        return Err(ExtensionRefusal::AlreadyExtended);
    }
    if by == 0 || by > settings.max_extension {
        return Err(ExtensionRefusal::LengthOutOfRange);
    }
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_EXTENSION_REASON_CHARS {
        return Err(ExtensionRefusal::ReasonRequired);
    }
    if state.due_at.is_some_and(|due| due < now) {
        return Err(ExtensionRefusal::DeadlinePassed);
    }
    Ok(())
}

/// When a staff message about this rule may go out for a moment `wanted`:
/// any time for a rule in calendar hours; otherwise within working hours —
/// a reminder at the last working minute before `wanted`, an escalation at the
/// first working minute after it — and never before `now`.
pub fn staff_message_time(
    unit: ClockUnit,
    calendar: &WorkCalendar,
    wanted: UnixTime,
    early: bool,
    now: UnixTime,
) -> UnixTime {
    if unit == ClockUnit::CalendarHours {
        return wanted.max(now);
    }
    let at = if early { calendar.last_working_time_before(wanted) } else { calendar.next_working_time(wanted) };
    if at >= now { at } else { calendar.next_working_time(now) }
}

/// An extension as staff typed it: how long (in the rule's units) and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionForm {
    pub days: String,
    pub reason: String,
}

/// The extension's length, a whole number of days (digits in any script);
/// `None` when it is not one. The rule's limits are checked with the clock.
pub fn extension_days(form: &ExtensionForm) -> Option<u32> {
    crate::digits::normalize_digits(form.days.trim()).parse::<u32>().ok()
}
