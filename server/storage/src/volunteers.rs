//! Volunteer applications (A18's volunteering channel) and the hours volunteers give.
//!
//! An application is written unverified, tied to the sign-in code challenge
//! sent to its mobile; it becomes a pending application only when that code is
//! confirmed, and nothing here that staff read ever returns an unverified one.
//! One pending application per mobile (a unique index holds it under races).

use awn_domain::consent::ConsentKind;
use awn_domain::{
    audit::AuditAction,
    calendar::DualDate,
    identity::{SaudiMobile, clean_text},
    locale::Language,
    sign_in::CodeCheck,
    volunteers::{Availability, VolunteerStatus},
};
use sqlx::Row;

use crate::{
    Database, Page, PageRequest, StorageError, StorageResult,
    accounts::CodeVerification,
    audit::{AuditEntry, record_in},
    consent::{ConsentChange, ConsentHolder},
    outbox::{NewOutboxMessage, enqueue_in},
    page_of, page_window,
    secrets::hash_token,
};

/// An application as the form sent it (already checked by the app).
#[derive(Debug, Clone)]
pub struct NewApplication<'a> {
    pub full_name: &'a str,
    pub mobile: &'a SaudiMobile,
    pub skills: &'a str,
    pub areas: &'a str,
    pub availability: Availability,
    pub sms_consent: bool,
    pub news_consent: bool,
    pub language: Language,
}

/// A verified application, as staff see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolunteerRow {
    pub id: i64,
    pub full_name: String,
    pub mobile: String,
    pub skills: String,
    pub areas: String,
    pub availability: Availability,
    pub sms_consent: bool,
    /// News by SMS in force in the consent register (B9).
    pub news_consent: bool,
    pub language: Language,
    pub status: VolunteerStatus,
    pub decision_message: Option<String>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<i64>,
    /// The volunteer staff account given, if any.
    pub staff_id: Option<i64>,
    pub staff_username: Option<String>,
    pub created_at: i64,
    /// Every hour recorded for them, in half hours.
    pub total_half_hours: i64,
}

/// Hours recorded for a volunteer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursRow {
    pub day: String,
    pub half_hours: i64,
    pub activity: String,
    pub recorded_by_name: String,
}

/// Why a staff step on an application was not taken. Nothing was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VolunteerProblem {
    NotFound,
    /// Decided already, or (for an account) one was given already.
    AlreadyDone,
    /// Only an accepted volunteer gets an account or hours.
    NotAccepted,
}

/// What confirming an application's code did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmation {
    Confirmed(i64),
    Refused(CodeCheck),
    /// No unverified application for this challenge.
    UnknownChallenge,
    /// The mobile has a pending application already.
    AlreadyPending,
}

/// Whether `mobile` has a (verified) application waiting for a decision.
pub async fn has_pending(db: &Database, mobile: &SaudiMobile) -> StorageResult<bool> {
    let hash = crate::crypto::contact_hash(db.keys()?, mobile.as_e164());
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM volunteers WHERE mobile_hash = $1 AND status = 'pending' AND verified_at IS NOT NULL",
    )
    .bind(hash)
    .fetch_optional(db.pool())
    .await?;
    Ok(found.is_some())
}

/// Writes an unverified application tied to the code challenge `challenge_token`;
/// a consent to news given on the form goes to the consent register with it.
pub async fn apply(db: &Database, new: &NewApplication<'_>, challenge_token: &str, now: i64) -> StorageResult<i64> {
    let keys = db.keys()?;
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO volunteers (full_name, mobile, mobile_hash, skills, areas, availability, sms_consent, \
           language, challenge_hash, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(clean_text(new.full_name))
    .bind(keys.encrypt_text(crate::crypto::VOLUNTEER_MOBILE, new.mobile.as_e164()))
    .bind(crate::crypto::contact_hash(keys, new.mobile.as_e164()))
    .bind(new.skills.trim())
    .bind(new.areas.trim())
    .bind(new.availability.code())
    .bind(i64::from(new.sms_consent))
    .bind(new.language.tag())
    .bind(hash_token(challenge_token))
    .bind(VolunteerStatus::Pending.code())
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    if new.news_consent {
        let change = ConsentChange {
            holder: ConsentHolder::Volunteer(id),
            kind: ConsentKind::NewsBySms,
            party: "",
            granted: true,
            method: crate::consent::BY_THE_PERSON_ONLINE,
            document_id: None,
            recorded_by: None,
        };
        crate::consent::change_in(&mut tx, keys, &change, "", now).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// The unverified application of a challenge: its id and the mobile's masked form.
pub async fn unverified_of(db: &Database, challenge_token: &str) -> StorageResult<Option<(i64, SaudiMobile)>> {
    let row = sqlx::query(
        "SELECT id, mobile FROM volunteers WHERE challenge_hash = $1 AND verified_at IS NULL ORDER BY id DESC LIMIT 1",
    )
    .bind(hash_token(challenge_token))
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let id: i64 = row.try_get("id")?;
    let mobile = db.keys()?.decrypt_text(crate::crypto::VOLUNTEER_MOBILE, &row.try_get::<String, _>("mobile")?)?;
    Ok(SaudiMobile::from_e164(&mobile).map(|mobile| (id, mobile)))
}

/// Checks the code sent for an application; when it is right the application
/// becomes pending (visible to staff). Every try counts against the code's limit.
pub async fn confirm(db: &Database, challenge_token: &str, code: &str, now: i64) -> StorageResult<Confirmation> {
    let challenge_hash = hash_token(challenge_token);
    let mut tx = db.begin_write().await?;
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM volunteers WHERE challenge_hash = $1 AND verified_at IS NULL ORDER BY id DESC LIMIT 1",
    )
    .bind(&challenge_hash)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else { return Ok(Confirmation::UnknownChallenge) };
    match crate::accounts::consume_code_in(&mut tx, db, challenge_token, code, now).await? {
        Ok(_) => {}
        Err(refused) => {
            tx.commit().await?;
            return Ok(match refused {
                CodeVerification::Refused(check) => Confirmation::Refused(check),
                _ => Confirmation::UnknownChallenge,
            });
        }
    }
    let confirmed = sqlx::query("UPDATE volunteers SET verified_at = $1, challenge_hash = NULL WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await;
    match confirmed {
        Ok(_) => {}
        Err(error) => {
            return match StorageError::conflict_on_unique(error, "pending volunteer application") {
                StorageError::Conflict(_) => Ok(Confirmation::AlreadyPending),
                other => Err(other),
            };
        }
    }
    tx.commit().await?;
    Ok(Confirmation::Confirmed(id))
}

const COLUMNS: &str = "v.id, v.full_name, v.mobile, v.skills, v.areas, v.availability, v.sms_consent, \
    CAST(CASE WHEN EXISTS (SELECT 1 FROM consents n WHERE n.volunteer_id = v.id AND n.kind = 'news_sms' \
      AND n.party = '' AND n.granted = 1 \
      AND n.id = (SELECT MAX(x.id) FROM consents x WHERE x.volunteer_id = v.id AND x.kind = n.kind AND x.party = '')) \
      THEN 1 ELSE 0 END AS BIGINT) AS news_consent, v.language, v.status, v.decision_message, d.display_name AS decided_by_name, v.decided_at, \
    v.staff_id, a.username AS staff_username, v.created_at, \
    CAST((SELECT COALESCE(SUM(h.half_hours), 0) FROM volunteer_hours h WHERE h.volunteer_id = v.id) AS BIGINT) \
    AS total_half_hours";
const FROM: &str = "FROM volunteers v LEFT JOIN staff_accounts d ON d.id = v.decided_by \
    LEFT JOIN staff_accounts a ON a.id = v.staff_id";

fn from_row(row: &sqlx::any::AnyRow, keys: &crate::crypto::Keyring) -> StorageResult<VolunteerRow> {
    let code = |column: &str| -> StorageResult<String> { Ok(row.try_get::<String, _>(column)?) };
    let invalid = |what: &str| StorageError::Invalid(format!("stored volunteer {what}"));
    Ok(VolunteerRow {
        id: row.try_get("id")?,
        full_name: row.try_get("full_name")?,
        mobile: keys.decrypt_text(crate::crypto::VOLUNTEER_MOBILE, &code("mobile")?)?,
        skills: row.try_get("skills")?,
        areas: row.try_get("areas")?,
        availability: Availability::from_code(&code("availability")?).ok_or_else(|| invalid("availability"))?,
        sms_consent: row.try_get::<i64, _>("sms_consent")? != 0,
        news_consent: row.try_get::<i64, _>("news_consent")? != 0,
        language: Language::from_tag(&code("language")?).unwrap_or(Language::Arabic),
        status: VolunteerStatus::from_code(&code("status")?).ok_or_else(|| invalid("status"))?,
        decision_message: row.try_get("decision_message")?,
        decided_by_name: row.try_get("decided_by_name")?,
        decided_at: row.try_get("decided_at")?,
        staff_id: row.try_get("staff_id")?,
        staff_username: row.try_get("staff_username")?,
        created_at: row.try_get("created_at")?,
        total_half_hours: row.try_get("total_half_hours")?,
    })
}

/// A page of the verified applications: pending ones first (the oldest
/// first), then the decided ones (the latest first); with their total.
pub async fn list(db: &Database, request: PageRequest) -> StorageResult<Page<VolunteerRow>> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM volunteers WHERE verified_at IS NOT NULL")
        .fetch_one(db.pool())
        .await?;
    let (request, limit, offset) = page_window(request, total);
    let sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE v.verified_at IS NOT NULL \
         ORDER BY CASE WHEN v.status = 'pending' THEN 0 ELSE 1 END, \
           CASE WHEN v.status = 'pending' THEN v.created_at ELSE -COALESCE(v.decided_at, 0) END, v.id \
         LIMIT $1 OFFSET $2"
    );
    let rows = sqlx::query(&sql).bind(limit).bind(offset).fetch_all(db.pool()).await?;
    let keys = db.keys()?;
    let items = rows.iter().map(|row| from_row(row, keys)).collect::<StorageResult<_>>()?;
    Ok(page_of(items, total, request))
}

/// How many verified applications are pending.
pub async fn pending_count(db: &Database) -> StorageResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM volunteers WHERE verified_at IS NOT NULL AND status = 'pending'")
        .fetch_one(db.pool())
        .await?)
}

/// One verified application.
pub async fn by_id(db: &Database, id: i64) -> StorageResult<Option<VolunteerRow>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} {FROM} WHERE v.id = $1 AND v.verified_at IS NOT NULL"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    row.map(|row| from_row(&row, db.keys()?)).transpose()
}

/// Accepts or declines a pending application, once: the decision, the
/// messages `compose` builds for the volunteer and the audit entry are written
/// in one transaction.
pub async fn decide(
    db: &Database,
    id: i64,
    staff_id: i64,
    status: VolunteerStatus,
    message: &str,
    now: i64,
    compose: impl FnOnce(&VolunteerRow) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<(), VolunteerProblem>> {
    let Some(row) = by_id(db, id).await? else { return Ok(Err(VolunteerProblem::NotFound)) };
    if row.status != VolunteerStatus::Pending || status == VolunteerStatus::Pending {
        return Ok(Err(VolunteerProblem::AlreadyDone));
    }
    let mut tx = db.begin_write().await?;
    let updated = sqlx::query(
        "UPDATE volunteers SET status = $1, decision_message = $2, decided_by = $3, decided_at = $4 \
         WHERE id = $5 AND status = 'pending' AND verified_at IS NOT NULL",
    )
    .bind(status.code())
    .bind(message.trim())
    .bind(staff_id)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Ok(Err(VolunteerProblem::AlreadyDone));
    }
    let decided = VolunteerRow { status, decision_message: Some(message.trim().to_owned()), ..row };
    enqueue_in(&mut tx, db.keys()?, &compose(&decided), now).await?;
    let reason = format!("volunteer:{id}:{}", status.code());
    let entry = AuditEntry {
        staff_id,
        action: AuditAction::VolunteerDecide,
        beneficiary_id: None,
        request_id: None,
        reason: &reason,
    };
    record_in(&mut tx, db.keys()?, entry, now).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Whether an account may be given to the application `id` now.
pub async fn may_get_account(db: &Database, id: i64) -> StorageResult<Result<VolunteerRow, VolunteerProblem>> {
    Ok(match by_id(db, id).await? {
        None => Err(VolunteerProblem::NotFound),
        Some(row) if row.status != VolunteerStatus::Accepted => Err(VolunteerProblem::NotAccepted),
        Some(row) if row.staff_id.is_some() => Err(VolunteerProblem::AlreadyDone),
        Some(row) => Ok(row),
    })
}

/// Links the staff account `account_id` to the accepted volunteer `id`, audited.
pub async fn link_account(db: &Database, id: i64, account_id: i64, staff_id: i64, now: i64) -> StorageResult<bool> {
    let mut tx = db.begin_write().await?;
    let updated =
        sqlx::query("UPDATE volunteers SET staff_id = $1 WHERE id = $2 AND staff_id IS NULL AND status = 'accepted'")
            .bind(account_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    if updated.rows_affected() != 1 {
        return Ok(false);
    }
    let reason = format!("volunteer:{id}:staff:{account_id}");
    let entry = AuditEntry {
        staff_id,
        action: AuditAction::VolunteerAccount,
        beneficiary_id: None,
        request_id: None,
        reason: &reason,
    };
    record_in(&mut tx, db.keys()?, entry, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Records hours (in half hours, already checked) given by an accepted volunteer on `day` ("YYYY-MM-DD").
pub async fn record_hours(
    db: &Database,
    id: i64,
    day: &str,
    half_hours: i64,
    activity: &str,
    staff_id: i64,
    now: i64,
) -> StorageResult<Result<(), VolunteerProblem>> {
    match by_id(db, id).await? {
        None => return Ok(Err(VolunteerProblem::NotFound)),
        Some(row) if row.status != VolunteerStatus::Accepted => return Ok(Err(VolunteerProblem::NotAccepted)),
        Some(_) => {}
    }
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO volunteer_hours (volunteer_id, day, half_hours, activity, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(day)
    .bind(half_hours)
    .bind(activity.trim())
    .bind(staff_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let reason = format!("volunteer:{id}");
    let entry = AuditEntry {
        staff_id,
        action: AuditAction::VolunteerHours,
        beneficiary_id: None,
        request_id: None,
        reason: &reason,
    };
    record_in(&mut tx, db.keys()?, entry, now).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// The hours recorded for a volunteer, the latest day first.
pub async fn hours(db: &Database, id: i64) -> StorageResult<Vec<HoursRow>> {
    let rows = sqlx::query(
        "SELECT h.day, h.half_hours, h.activity, s.display_name FROM volunteer_hours h \
         JOIN staff_accounts s ON s.id = h.recorded_by WHERE h.volunteer_id = $1 ORDER BY h.day DESC, h.id DESC",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(HoursRow {
                day: row.try_get("day")?,
                half_hours: row.try_get("half_hours")?,
                activity: row.try_get("activity")?,
                recorded_by_name: row.try_get("display_name")?,
            })
        })
        .collect()
}

/// One month of the volunteering report: no names, only counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthFigures {
    /// "2026-11".
    pub month: String,
    pub accepted: i64,
    pub half_hours: i64,
}

/// Volunteers accepted (by the month of the decision, Saudi time) and hours
/// given (by the month of the day worked), month by month, oldest first.
pub async fn by_month(db: &Database) -> StorageResult<Vec<MonthFigures>> {
    let decided: Vec<i64> =
        sqlx::query_scalar("SELECT decided_at FROM volunteers WHERE status = 'accepted' AND decided_at IS NOT NULL")
            .fetch_all(db.pool())
            .await?;
    let hours = sqlx::query(
        "SELECT SUBSTR(day, 1, 7) AS month, CAST(SUM(half_hours) AS BIGINT) AS half_hours \
         FROM volunteer_hours GROUP BY SUBSTR(day, 1, 7)",
    )
    .fetch_all(db.pool())
    .await?;
    let mut months = std::collections::BTreeMap::<String, (i64, i64)>::new();
    for at in decided {
        let day = DualDate::from_unix_seconds(at).gregorian;
        months.entry(format!("{:04}-{:02}", day.year, day.month)).or_default().0 += 1;
    }
    for row in &hours {
        let month: String = row.try_get("month")?;
        months.entry(month).or_default().1 += row.try_get::<i64, _>("half_hours")?;
    }
    Ok(months.into_iter().map(|(month, (accepted, half_hours))| MonthFigures { month, accepted, half_hours }).collect())
}

/// Deletes applications never confirmed with their code and written before
/// `before`: they hold a name and a mobile nobody verified, and staff never
/// see them. Returns how many went.
/// The consents such an application gave on its form go with it.
pub async fn purge_unverified(db: &Database, before: i64) -> StorageResult<u64> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "DELETE FROM consents WHERE volunteer_id IN \
           (SELECT id FROM volunteers WHERE verified_at IS NULL AND created_at < $1)",
    )
    .bind(before)
    .execute(&mut *tx)
    .await?;
    let gone = sqlx::query("DELETE FROM volunteers WHERE verified_at IS NULL AND created_at < $1")
        .bind(before)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(gone)
}
