//! Changing the work calendar and the rules' settings (admins, `/staff/calendar`).
//! Each change is one write transaction that also re-evaluates every open clock
//! (so deadlines move with a new holiday or a new period) and appends its audit
//! entry.

use awn_domain::{
    audit::AuditAction,
    calendar::UnixTime,
    deadlines::{ClockRule, Holiday, MAX_HOLIDAY_DAYS, RuleSettings, WorkingHours, check_settings, format_time_of_day},
};
use sqlx::AnyConnection;

use super::{StoredHoliday, all_rule_settings_in, day_text, holidays_in, refresh_open_in, working_hours_in};
use crate::{
    Database, StorageError, StorageResult,
    audit::{AuditEntry, record_in},
};

/// Every holiday, earliest first.
pub async fn holidays(db: &Database) -> StorageResult<Vec<StoredHoliday>> {
    let mut connection = db.pool().acquire().await?;
    holidays_in(&mut connection).await
}

/// The working hours.
pub async fn working_hours(db: &Database) -> StorageResult<WorkingHours> {
    let mut connection = db.pool().acquire().await?;
    working_hours_in(&mut connection).await
}

/// Every rule with its settings, in the order the rules are declared.
pub async fn all_rule_settings(db: &Database) -> StorageResult<Vec<(ClockRule, RuleSettings)>> {
    let mut connection = db.pool().acquire().await?;
    all_rule_settings_in(&mut connection).await
}

/// The audit entry of a calendar change by `staff_id`.
async fn audit_in(
    connection: &mut AnyConnection,
    db: &Database,
    staff_id: i64,
    action: AuditAction,
    reason: &str,
    now: i64,
) -> StorageResult<()> {
    let entry = AuditEntry { staff_id, action, beneficiary_id: None, request_id: None, reason };
    record_in(connection, db.keys()?, entry, now).await
}

/// Adds a holiday entered by `staff_id`: its id. The same kind from the same
/// first day twice is [`StorageError::Conflict`]; a length outside 1 to
/// [`MAX_HOLIDAY_DAYS`] days is [`StorageError::Invalid`].
pub async fn add_holiday(db: &Database, holiday: Holiday, staff_id: i64, now: i64) -> StorageResult<i64> {
    if !(1..=MAX_HOLIDAY_DAYS).contains(&holiday.days) {
        return Err(StorageError::Invalid(format!("a holiday of {} days", holiday.days)));
    }
    let first_day = day_text(holiday.first_day);
    let mut tx = db.begin_write().await?;
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM holidays WHERE kind = $1 AND first_day = $2")
        .bind(holiday.kind.code())
        .bind(&first_day)
        .fetch_optional(&mut *tx)
        .await?;
    if existing.is_some() {
        return Err(StorageError::Conflict(format!("holiday {} from {first_day}", holiday.kind.code())));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO holidays (kind, first_day, days, created_by, created_at) VALUES ($1, $2, $3, $4, $5) \
         RETURNING id",
    )
    .bind(holiday.kind.code())
    .bind(&first_day)
    .bind(i64::from(holiday.days))
    .bind(staff_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|error| StorageError::conflict_on_unique(error, "holiday"))?;
    refresh_open_in(&mut tx, UnixTime::from_seconds(now)).await?;
    let reason = format!("holiday:{}:{first_day}:{}", holiday.kind.code(), holiday.days);
    audit_in(&mut tx, db, staff_id, AuditAction::CalendarHolidayAdd, &reason, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes a holiday; [`StorageError::NotFound`] when there is none with that id.
pub async fn remove_holiday(db: &Database, id: i64, staff_id: i64, now: i64) -> StorageResult<()> {
    let mut tx = db.begin_write().await?;
    let found: Option<(String, String, i64)> =
        sqlx::query_as("SELECT kind, first_day, days FROM holidays WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((kind, first_day, days)) = found else {
        return Err(StorageError::NotFound(format!("no holiday {id}")));
    };
    sqlx::query("DELETE FROM holidays WHERE id = $1").bind(id).execute(&mut *tx).await?;
    refresh_open_in(&mut tx, UnixTime::from_seconds(now)).await?;
    let reason = format!("holiday:{kind}:{first_day}:{days}");
    audit_in(&mut tx, db, staff_id, AuditAction::CalendarHolidayRemove, &reason, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets the working hours; hours that end before they start, or past
/// midnight, are [`StorageError::Invalid`].
pub async fn set_working_hours(db: &Database, hours: WorkingHours, staff_id: i64, now: i64) -> StorageResult<()> {
    if hours.end_minute <= hours.start_minute || hours.end_minute > 24 * 60 {
        return Err(StorageError::Invalid(format!("working hours {}–{}", hours.start_minute, hours.end_minute)));
    }
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO work_hours (id, start_minute, end_minute, updated_at) VALUES (1, $1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET start_minute = excluded.start_minute, end_minute = excluded.end_minute, \
           updated_at = excluded.updated_at",
    )
    .bind(i64::from(hours.start_minute))
    .bind(i64::from(hours.end_minute))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    refresh_open_in(&mut tx, UnixTime::from_seconds(now)).await?;
    let reason = format!("hours:{}-{}", format_time_of_day(hours.start_minute), format_time_of_day(hours.end_minute));
    audit_in(&mut tx, db, staff_id, AuditAction::CalendarHoursSet, &reason, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a rule's settings; settings the domain refuses ([`check_settings`])
/// are [`StorageError::Invalid`].
pub async fn set_rule_settings(
    db: &Database,
    rule: ClockRule,
    settings: RuleSettings,
    staff_id: i64,
    now: i64,
) -> StorageResult<()> {
    let settings = check_settings(rule, settings)
        .map_err(|problem| StorageError::Invalid(format!("settings of {}: {problem:?}", rule.code())))?;
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO clock_rules (rule, unit, period, remind_before_hours, max_extension, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (rule) DO UPDATE SET unit = excluded.unit, period = excluded.period, \
           remind_before_hours = excluded.remind_before_hours, max_extension = excluded.max_extension, \
           updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(rule.code())
    .bind(settings.unit.code())
    .bind(i64::from(settings.period))
    .bind(i64::from(settings.remind_before_hours))
    .bind(i64::from(settings.max_extension))
    .bind(staff_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    refresh_open_in(&mut tx, UnixTime::from_seconds(now)).await?;
    let reason = format!(
        "rule:{}:{}:{}:{}:{}",
        rule.code(),
        settings.unit.code(),
        settings.period,
        settings.remind_before_hours,
        settings.max_extension
    );
    audit_in(&mut tx, db, staff_id, AuditAction::CalendarRuleSet, &reason, now).await?;
    tx.commit().await?;
    Ok(())
}
