//! How each member of staff is reminded (the workspace always; also by email
//! or SMS, to a contact kept encrypted), and whom they answer to: escalations
//! about their items go to their supervisor.

use awn_domain::{deadlines::ReminderChannel, identity::SaudiMobile};
use sqlx::Row;

use crate::{
    Database, StorageError, StorageResult,
    crypto::{STAFF_EMAIL, STAFF_MOBILE},
};

/// A staff member's reminder preferences.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReminderPreferences {
    pub channel: ReminderChannel,
    pub mobile: Option<SaudiMobile>,
    /// Checked by the domain's email rule, lower case.
    pub email: Option<String>,
}

/// `staff_id`'s reminder preferences, decrypted. [`StorageError::NotFound`] for
/// an unknown account.
pub async fn reminder_preferences(db: &Database, staff_id: i64) -> StorageResult<ReminderPreferences> {
    let row = sqlx::query("SELECT reminder_channel, contact_mobile, contact_email FROM staff_accounts WHERE id = $1")
        .bind(staff_id)
        .fetch_optional(db.pool())
        .await?
        .ok_or_else(|| StorageError::NotFound(format!("no staff account {staff_id}")))?;
    let keys = db.keys()?;
    let channel: String = row.try_get("reminder_channel")?;
    let mobile = keys.decrypt_optional(STAFF_MOBILE, row.try_get("contact_mobile")?)?;
    Ok(ReminderPreferences {
        channel: ReminderChannel::from_code(&channel).unwrap_or_default(),
        mobile: mobile.as_deref().and_then(SaudiMobile::from_e164),
        email: keys.decrypt_optional(STAFF_EMAIL, row.try_get("contact_email")?)?.filter(|email| !email.is_empty()),
    })
}

/// Keeps `staff_id`'s reminder preferences; the contact is encrypted.
/// [`StorageError::NotFound`] for an unknown account.
pub async fn set_reminder_preferences(
    db: &Database,
    staff_id: i64,
    preferences: &ReminderPreferences,
) -> StorageResult<()> {
    let keys = db.keys()?;
    let updated = sqlx::query(
        "UPDATE staff_accounts SET reminder_channel = $1, contact_mobile = $2, contact_email = $3 WHERE id = $4",
    )
    .bind(preferences.channel.code())
    .bind(preferences.mobile.as_ref().map(|mobile| keys.encrypt_text(STAFF_MOBILE, mobile.as_e164())))
    .bind(preferences.email.as_deref().map(|email| keys.encrypt_text(STAFF_EMAIL, email)))
    .bind(staff_id)
    .execute(db.pool())
    .await?;
    if updated.rows_affected() != 1 {
        return Err(StorageError::NotFound(format!("no staff account {staff_id}")));
    }
    Ok(())
}

/// Why a supervisor was not set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupervisorProblem {
    /// Nobody supervises themselves.
    Themselves,
    /// The one chosen is supervised by this account: the two would answer to each other.
    EachOther,
    /// The one chosen is not an active account.
    NotActive,
}

/// Makes `supervisor_id` (or nobody) the supervisor of `staff_id`.
/// [`StorageError::NotFound`] for an unknown account.
pub async fn set_supervisor(
    db: &Database,
    staff_id: i64,
    supervisor_id: Option<i64>,
) -> StorageResult<Result<(), SupervisorProblem>> {
    if let Some(supervisor_id) = supervisor_id {
        if supervisor_id == staff_id {
            return Ok(Err(SupervisorProblem::Themselves));
        }
        let row = sqlx::query("SELECT active, supervisor_id FROM staff_accounts WHERE id = $1")
            .bind(supervisor_id)
            .fetch_optional(db.pool())
            .await?;
        let Some(row) = row else { return Ok(Err(SupervisorProblem::NotActive)) };
        if row.try_get::<i64, _>("active")? == 0 {
            return Ok(Err(SupervisorProblem::NotActive));
        }
        if row.try_get::<Option<i64>, _>("supervisor_id")? == Some(staff_id) {
            return Ok(Err(SupervisorProblem::EachOther));
        }
    }
    let updated = sqlx::query("UPDATE staff_accounts SET supervisor_id = $1 WHERE id = $2")
        .bind(supervisor_id)
        .bind(staff_id)
        .execute(db.pool())
        .await?;
    if updated.rows_affected() != 1 {
        return Err(StorageError::NotFound(format!("no staff account {staff_id}")));
    }
    Ok(Ok(()))
}

/// Whether anyone (active) answers to `staff_id`.
pub async fn supervises_anyone(db: &Database, staff_id: i64) -> StorageResult<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM staff_accounts WHERE supervisor_id = $1 AND active = 1 LIMIT 1")
            .bind(staff_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(found.is_some())
}

/// Every account's supervisor, by account id (accounts without one left out).
pub async fn supervisors(db: &Database) -> StorageResult<Vec<(i64, i64)>> {
    let rows = sqlx::query("SELECT id, supervisor_id FROM staff_accounts WHERE supervisor_id IS NOT NULL ORDER BY id")
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(|row| Ok((row.try_get("id")?, row.try_get("supervisor_id")?))).collect()
}
