//! The work calendar admins keep (issue 14): public holidays (typed in either
//! calendar, or confirmed from the Umm al-Qura proposals), the working hours,
//! each deadline rule's period, reminder and extension, and how the scheduled
//! work is doing. Every change moves the open clocks' deadlines (storage
//! re-evaluates them in the same transaction) and is audited.

use awn_domain::{
    calendar::{CalendarDay, DualDate, start_of_day_unix},
    deadlines::{
        ClockRule, ClockUnit, Holiday, HolidayForm, HolidayKind, HolidayProblem, HoursProblem, RuleSettings,
        SettingsProblem, WorkingHours, check_holiday, check_settings, format_time_of_day, proposed_holidays,
    },
    digits::normalize_digits,
};
use awn_storage::{Database, StorageError, clocks, jobs, now_unix_seconds};

use super::{
    Outcome, Refused,
    access::{Authorized, can},
};
use crate::{
    error::AppError,
    forms::Problem,
    staff::calendar::{CalendarPage, HolidayRow, JobRow, ProposalRow, RuleRow},
};

/// The first moment of a Gregorian day (Saudi time), as the page shows days.
fn day_start(day: CalendarDay) -> i64 {
    start_of_day_unix(day)
}

/// The Gregorian year it is now in Saudi Arabia.
fn current_year(now: i64) -> i32 {
    DualDate::from_unix_seconds(now).gregorian.year
}

/// The holidays expected next year (Umm al-Qura) not entered yet.
fn proposals(entered: &[Holiday], now: i64) -> Vec<Holiday> {
    proposed_holidays(current_year(now) + 1)
        .into_iter()
        .filter(|proposed| {
            !entered.iter().any(|holiday| holiday.kind == proposed.kind && holiday.first_day == proposed.first_day)
        })
        .collect()
}

/// Everything the calendar page shows (its problem is the adapter's).
pub async fn overview(database: &Database, _who: &Authorized<can::ManageSettings>) -> Result<CalendarPage, AppError> {
    let now = now_unix_seconds();
    let stored = clocks::holidays(database).await?;
    let hours = clocks::working_hours(database).await?;
    let settings = clocks::all_rule_settings(database).await?;
    let entered: Vec<Holiday> = stored.iter().map(|stored| stored.holiday).collect();
    let holidays = stored
        .into_iter()
        .map(|stored| HolidayRow {
            id: stored.id,
            kind: stored.holiday.kind,
            first_day: day_start(stored.holiday.first_day),
            last_day: day_start(stored.holiday.last_day()),
            days: stored.holiday.days,
        })
        .collect();
    let proposals = proposals(&entered, now)
        .into_iter()
        .map(|holiday| ProposalRow {
            kind: holiday.kind,
            first_day_text: clocks::day_text(holiday.first_day),
            first_day: day_start(holiday.first_day),
            last_day: day_start(holiday.last_day()),
            days: holiday.days,
        })
        .collect();
    let rules = settings
        .into_iter()
        .map(|(rule, settings)| RuleRow { rule, settings, fixed: rule.fixed_unit().is_some() })
        .collect();
    let jobs = jobs::list(database, now)
        .await?
        .into_iter()
        .map(|job| JobRow {
            name: job.name,
            next_run_at: job.next_run_at,
            running: job.running,
            last_started_at: job.last_started_at,
            last_finished_at: job.last_finished_at,
            last_error: job.last_error,
            failures: job.failures,
        })
        .collect();
    Ok(CalendarPage {
        holidays,
        proposals,
        proposal_year: current_year(now) + 1,
        hours_start: format_time_of_day(hours.start_minute),
        hours_end: format_time_of_day(hours.end_minute),
        rules,
        jobs,
        problem: None,
    })
}

fn holiday_refusal(field: &str, problem: HolidayProblem) -> Refused {
    let problem = match problem {
        HolidayProblem::KindUnknown | HolidayProblem::DateMissing => Problem::Required,
        HolidayProblem::DateInvalid => Problem::DateInvalid,
        HolidayProblem::DaysInvalid => Problem::OutOfRange,
    };
    Refused::new(field, problem)
}

/// Stores a checked holiday: the same kind from the same day twice is refused
/// on `field`.
async fn store_holiday(
    database: &Database,
    who: &Authorized<can::ManageSettings>,
    holiday: Holiday,
    field: &str,
) -> Result<Outcome, AppError> {
    match clocks::add_holiday(database, holiday, who.id, now_unix_seconds()).await {
        Ok(_) => Ok(Ok(())),
        Err(StorageError::Conflict(_)) => Ok(Err(Refused::new(field, Problem::Duplicate))),
        Err(StorageError::Invalid(_)) => Ok(Err(Refused::new("days", Problem::OutOfRange))),
        Err(error) => Err(error.into()),
    }
}

/// Adds a holiday as typed, in Gregorian or Hijri (Umm al-Qura); the first
/// problem found is refused on its field.
pub async fn add_holiday(
    database: &Database,
    who: &Authorized<can::ManageSettings>,
    form: &HolidayForm,
) -> Result<Outcome, AppError> {
    match check_holiday(form) {
        Ok(holiday) => store_holiday(database, who, holiday, "first_day").await,
        Err(problems) => Ok(Err(problems
            .first()
            .map(|(field, problem)| holiday_refusal(field, *problem))
            .unwrap_or_else(|| Refused::new("", Problem::Invalid)))),
    }
}

/// Confirms one of next year's proposals, named by its kind and first day
/// (Gregorian, YYYY-MM-DD). One no longer proposed (entered meanwhile, or a
/// new year) is refused as not found.
pub async fn add_proposed(
    database: &Database,
    who: &Authorized<can::ManageSettings>,
    kind: &str,
    first_day: &str,
) -> Result<Outcome, AppError> {
    let kind = HolidayKind::from_code(kind.trim());
    let first_day = CalendarDay::parse_typed(first_day).ok();
    let entered: Vec<Holiday> = clocks::holidays(database).await?.into_iter().map(|stored| stored.holiday).collect();
    let proposal = proposals(&entered, now_unix_seconds())
        .into_iter()
        .find(|proposed| Some(proposed.kind) == kind && Some(proposed.first_day) == first_day);
    match proposal {
        Some(holiday) => store_holiday(database, who, holiday, "").await,
        None => Ok(Err(Refused::new("", Problem::NotFound))),
    }
}

/// Removes a holiday; one already removed is refused as not found.
pub async fn remove_holiday(
    database: &Database,
    who: &Authorized<can::ManageSettings>,
    id: i64,
) -> Result<Outcome, AppError> {
    match clocks::remove_holiday(database, id, who.id, now_unix_seconds()).await {
        Ok(()) => Ok(Ok(())),
        Err(StorageError::NotFound(_)) => Ok(Err(Refused::new("", Problem::NotFound))),
        Err(error) => Err(error.into()),
    }
}

/// Sets the working hours from "HH:MM" times (digits in any script).
pub async fn set_hours(
    database: &Database,
    who: &Authorized<can::ManageSettings>,
    start: &str,
    end: &str,
) -> Result<Outcome, AppError> {
    let hours = match WorkingHours::parse(start, end) {
        Ok(hours) => hours,
        Err(HoursProblem::Invalid) => {
            let field = if awn_domain::deadlines::parse_time_of_day(start).is_none() { "start" } else { "end" };
            return Ok(Err(Refused::new(field, Problem::TimeInvalid)));
        }
        Err(HoursProblem::EndBeforeStart) => return Ok(Err(Refused::new("end", Problem::EndBeforeStart))),
    };
    match clocks::set_working_hours(database, hours, who.id, now_unix_seconds()).await {
        Ok(()) => Ok(Ok(())),
        Err(StorageError::Invalid(_)) => Ok(Err(Refused::new("end", Problem::EndBeforeStart))),
        Err(error) => Err(error.into()),
    }
}

/// A rule's settings as typed.
#[derive(Debug, Clone, Copy)]
pub struct TypedSettings<'a> {
    pub rule: &'a str,
    /// Left out for a rule whose unit is fixed.
    pub unit: Option<&'a str>,
    pub period: &'a str,
    pub remind_before_hours: &'a str,
    pub max_extension: &'a str,
}

/// A whole number typed in any digits; `None` when it is not one.
fn number(text: &str) -> Option<u32> {
    normalize_digits(text.trim()).parse().ok()
}

/// The numbers typed, each refused on its field when it is not a whole number.
fn typed_settings(unit: ClockUnit, typed: TypedSettings<'_>) -> Result<RuleSettings, Refused> {
    let read = |field: &str, text: &str| number(text).ok_or_else(|| Refused::new(field, Problem::Invalid));
    Ok(RuleSettings {
        unit,
        period: read("period", typed.period)?,
        remind_before_hours: read("remind_before_hours", typed.remind_before_hours)?,
        max_extension: read("max_extension", typed.max_extension)?,
    })
}

/// Sets a rule's period (in its unit), reminder and longest extension, within
/// the ranges the domain allows ([`check_settings`]).
pub async fn set_rule(
    database: &Database,
    who: &Authorized<can::ManageSettings>,
    typed: TypedSettings<'_>,
) -> Result<Outcome, AppError> {
    let Some(rule) = ClockRule::from_code(typed.rule.trim()) else {
        return Ok(Err(Refused::new("", Problem::NotFound)));
    };
    let unit = match (rule.fixed_unit(), typed.unit.map(str::trim).filter(|unit| !unit.is_empty())) {
        (Some(fixed), _) => fixed,
        (None, Some(code)) => match ClockUnit::from_code(code) {
            Some(unit) => unit,
            None => return Ok(Err(Refused::new("unit", Problem::Invalid))),
        },
        (None, None) => return Ok(Err(Refused::new("unit", Problem::Required))),
    };
    let settings = match typed_settings(unit, typed) {
        Ok(settings) => settings,
        Err(refused) => return Ok(Err(refused)),
    };
    let settings = match check_settings(rule, settings) {
        Ok(settings) => settings,
        Err(problem) => {
            let (field, problem) = match problem {
                SettingsProblem::PeriodOutOfRange => ("period", Problem::OutOfRange),
                SettingsProblem::ReminderTooEarly => ("remind_before_hours", Problem::ReminderTooEarly),
                SettingsProblem::ExtensionOutOfRange => ("max_extension", Problem::OutOfRange),
                SettingsProblem::UnitFixed => ("unit", Problem::Invalid),
            };
            return Ok(Err(Refused::new(field, problem)));
        }
    };
    match clocks::set_rule_settings(database, rule, settings, who.id, now_unix_seconds()).await {
        Ok(()) => Ok(Ok(())),
        Err(StorageError::Invalid(_)) => Ok(Err(Refused::new("period", Problem::OutOfRange))),
        Err(error) => Err(error.into()),
    }
}
