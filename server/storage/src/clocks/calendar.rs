//! Reading the work calendar and the rules' settings, which every clock
//! evaluation needs.

use awn_domain::{
    calendar::CalendarDay,
    deadlines::{ClockRule, ClockUnit, Holiday, HolidayKind, RuleSettings, WorkCalendar, WorkingHours},
};
use sqlx::{AnyConnection, Row};

use crate::{StorageError, StorageResult};

/// A stored holiday.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredHoliday {
    pub id: i64,
    pub holiday: Holiday,
}

fn day_from_text(text: &str) -> StorageResult<CalendarDay> {
    CalendarDay::parse_typed(text).map_err(|_| StorageError::Invalid(format!("holiday day `{text}`")))
}

/// `YYYY-MM-DD` of a Gregorian day, as holidays keep it.
pub fn day_text(day: CalendarDay) -> String {
    day.iso()
}

/// Every holiday, earliest first.
pub async fn holidays_in(connection: &mut AnyConnection) -> StorageResult<Vec<StoredHoliday>> {
    let rows = sqlx::query("SELECT id, kind, first_day, days FROM holidays ORDER BY first_day, id")
        .fetch_all(&mut *connection)
        .await?;
    rows.iter()
        .map(|row| {
            let kind: String = row.try_get("kind")?;
            let days: i64 = row.try_get("days")?;
            Ok(StoredHoliday {
                id: row.try_get("id")?,
                holiday: Holiday {
                    kind: HolidayKind::from_code(&kind).unwrap_or(HolidayKind::Other),
                    first_day: day_from_text(&row.try_get::<String, _>("first_day")?)?,
                    days: u8::try_from(days).map_err(|_| StorageError::Invalid(format!("holiday of {days} days")))?,
                },
            })
        })
        .collect()
}

/// The working hours.
pub async fn working_hours_in(connection: &mut AnyConnection) -> StorageResult<WorkingHours> {
    let row = sqlx::query("SELECT start_minute, end_minute FROM work_hours WHERE id = 1")
        .fetch_optional(&mut *connection)
        .await?;
    let Some(row) = row else { return Ok(WorkingHours::default()) };
    let minute = |name: &str| -> StorageResult<u16> {
        let value: i64 = row.try_get(name)?;
        u16::try_from(value).map_err(|_| StorageError::Invalid(format!("{name} {value}")))
    };
    Ok(WorkingHours { start_minute: minute("start_minute")?, end_minute: minute("end_minute")? })
}

/// The calendar every clock follows: weekend, working hours and holidays.
pub async fn work_calendar_in(connection: &mut AnyConnection) -> StorageResult<WorkCalendar> {
    let hours = working_hours_in(&mut *connection).await?;
    let holidays = holidays_in(&mut *connection).await?.into_iter().map(|stored| stored.holiday).collect();
    Ok(WorkCalendar { hours, holidays })
}

/// A rule's settings: its stored row, or the domain's defaults.
pub async fn rule_settings_in(connection: &mut AnyConnection, rule: ClockRule) -> StorageResult<RuleSettings> {
    let row = sqlx::query("SELECT unit, period, remind_before_hours, max_extension FROM clock_rules WHERE rule = $1")
        .bind(rule.code())
        .fetch_optional(&mut *connection)
        .await?;
    let Some(row) = row else { return Ok(rule.default_settings()) };
    let number = |name: &str| -> StorageResult<u32> {
        let value: i64 = row.try_get(name)?;
        u32::try_from(value).map_err(|_| StorageError::Invalid(format!("{name} {value}")))
    };
    let unit: String = row.try_get("unit")?;
    Ok(RuleSettings {
        unit: ClockUnit::from_code(&unit).ok_or_else(|| StorageError::Invalid(format!("clock unit `{unit}`")))?,
        period: number("period")?,
        remind_before_hours: number("remind_before_hours")?,
        max_extension: number("max_extension")?,
    })
}

/// Every rule with its settings, in the order the rules are declared.
pub async fn all_rule_settings_in(connection: &mut AnyConnection) -> StorageResult<Vec<(ClockRule, RuleSettings)>> {
    let mut all = Vec::with_capacity(ClockRule::ALL.len());
    for rule in ClockRule::ALL {
        all.push((rule, rule_settings_in(&mut *connection, rule).await?));
    }
    Ok(all)
}

/// Gives the committee's rule the configured period in calendar days, unless
/// an admin has set it already.
pub async fn seed_decision_period(db: &crate::Database, days: u32) -> StorageResult<()> {
    let defaults = ClockRule::Decision.default_settings();
    sqlx::query(
        "INSERT INTO clock_rules (rule, unit, period, remind_before_hours, max_extension, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 0) ON CONFLICT (rule) DO NOTHING",
    )
    .bind(ClockRule::Decision.code())
    .bind(ClockUnit::CalendarDays.code())
    .bind(i64::from(days))
    .bind(i64::from(defaults.remind_before_hours.min(days.saturating_mul(24).saturating_sub(1))))
    .bind(i64::from(days))
    .execute(db.pool())
    .await?;
    Ok(())
}
