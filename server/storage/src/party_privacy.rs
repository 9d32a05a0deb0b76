//! The rights of supporters, members and volunteers over their data (issue 15,
//! B1, B3), as beneficiaries have them: a request taken by the privacy officer
//! (they have no account to send one), answered in the same register and within
//! the same legal period, and a deletion carried out in full, keeping only what
//! a record the association must keep needs, and saying why.

use awn_domain::{
    audit::AuditAction,
    calendar::UnixTime,
    deadlines::ClockRule,
    locale::Language,
    privacy::{DataSubject, PartyKind, PersonKey, RecordedDataRequest},
};
use sqlx::Row;

use crate::{
    Database, StorageError, StorageResult,
    audit::{AuditEntry, record_in},
    crypto::{self, Keyring},
    data_requests::{DataRequestProblem, audit_reason, keep_due, subject_column},
};

/// Where the person can be told about their request by SMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub mobile: String,
    pub language: Language,
}

/// The person's mobile and language, when their register holds a mobile (an
/// erased one is gone).
pub(crate) async fn contact_in(
    connection: &mut sqlx::AnyConnection,
    keys: &Keyring,
    subject: DataSubject,
) -> StorageResult<Option<Contact>> {
    let (query, column) = match subject.kind {
        PartyKind::Beneficiary => {
            ("SELECT mobile, language FROM beneficiary_accounts WHERE id = $1", crypto::ACCOUNT_MOBILE)
        }
        PartyKind::Supporter => {
            ("SELECT mobile, 'ar' AS language FROM supporters WHERE id = $1", crypto::SUPPORTER_MOBILE)
        }
        PartyKind::Member => ("SELECT mobile, 'ar' AS language FROM members WHERE id = $1", crypto::MEMBERSHIP_MOBILE),
        PartyKind::Volunteer => ("SELECT mobile, language FROM volunteers WHERE id = $1", crypto::VOLUNTEER_MOBILE),
    };
    let Some(row) = sqlx::query(query).bind(subject.id).fetch_optional(&mut *connection).await? else {
        return Ok(None);
    };
    let stored: Option<String> = row.try_get("mobile")?;
    let Some(stored) = stored.filter(|m| !m.is_empty() && !m.starts_with("erased")) else { return Ok(None) };
    let language: String = row.try_get("language")?;
    Ok(Some(Contact {
        mobile: keys.decrypt_text(column, &stored)?,
        language: Language::from_tag(&language).unwrap_or(Language::Arabic),
    }))
}

/// The person of a register that `person` names: a number it holds (a
/// volunteer once their mobile was confirmed: before that, staff never see
/// the application), or the latest record with that mobile.
async fn find_in(
    connection: &mut sqlx::AnyConnection,
    keys: &Keyring,
    party: PartyKind,
    person: &PersonKey,
) -> StorageResult<Option<DataSubject>> {
    let table = match party {
        PartyKind::Beneficiary => return Ok(None),
        PartyKind::Supporter => "supporters WHERE",
        PartyKind::Member => "members WHERE",
        PartyKind::Volunteer => "volunteers WHERE verified_at IS NOT NULL AND",
    };
    let found: Option<i64> = match person {
        PersonKey::Number(id) => {
            sqlx::query_scalar(&format!("SELECT id FROM {table} id = $1"))
                .bind(*id)
                .fetch_optional(&mut *connection)
                .await?
        }
        PersonKey::Mobile(mobile) => {
            let Some(hash) = crypto::contact_hash(keys, mobile.as_e164()) else { return Ok(None) };
            sqlx::query_scalar(&format!("SELECT MAX(id) FROM {table} mobile_hash = $1"))
                .bind(hash)
                .fetch_one(&mut *connection)
                .await?
        }
    };
    Ok(found.map(|id| DataSubject::new(party, id)))
}

/// Records a request the privacy officer took by phone, email, letter or in
/// person; its legal clock starts now. Audited, naming the person.
pub async fn record(
    db: &Database,
    request: &RecordedDataRequest,
    staff_id: i64,
    now: i64,
) -> StorageResult<Result<i64, DataRequestProblem>> {
    let keys = db.keys()?;
    let mut tx = db.begin_write().await?;
    let Some(subject) = find_in(&mut tx, keys, request.party, &request.person).await? else {
        return Ok(Err(DataRequestProblem::UnknownPerson));
    };
    let column = subject_column(subject.kind);
    let id: i64 = sqlx::query_scalar(&format!(
        "INSERT INTO data_requests ({column}, kind, details, channel, recorded_by, status, due_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'open', $6, $6) RETURNING id"
    ))
    .bind(subject.id)
    .bind(request.kind.code())
    .bind(&request.details)
    .bind(request.channel.code())
    .bind(staff_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let clock = crate::clocks::start_in(
        &mut tx,
        ClockRule::DataRequest,
        crate::clocks::Subject { kind: awn_domain::deadlines::SubjectKind::DataRequest, id },
        UnixTime::from_seconds(now),
        None,
        None,
    )
    .await?;
    keep_due(&mut tx, id, clock.state.due_at).await?;
    let reason = audit_reason(id, subject, &format!(";{}:{}", request.kind.code(), request.channel.code()));
    let entry = AuditEntry {
        staff_id,
        action: AuditAction::DataRequestRecord,
        beneficiary_id: None,
        request_id: None,
        reason: &reason,
    };
    record_in(&mut tx, keys, entry, now).await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Writes the audit entry of handing a supporter's, member's or volunteer's
/// data over on their access request (the application layer reads the
/// registers and builds the copy; a beneficiary takes their own at /my-data).
pub async fn record_export(
    db: &Database,
    request_id: i64,
    subject: DataSubject,
    staff_id: i64,
    now: i64,
) -> StorageResult<()> {
    let reason = audit_reason(request_id, subject, "");
    let entry = AuditEntry {
        staff_id,
        action: AuditAction::PartyExport,
        beneficiary_id: None,
        request_id: None,
        reason: &reason,
    };
    crate::audit::record(db, entry, now).await
}

/// What deleting a supporter's, member's or volunteer's data did, and what it
/// kept (each kept for a reason the outcome gives).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartyErasure {
    /// A supporter's contributions: amounts, dates and receipts stay for the
    /// association's financial records, under no name.
    pub contributions_kept: i64,
    /// A member's entry in the cooperative's member register (number, name,
    /// dates, status history) stays: the register is a record it must keep.
    pub member_register_kept: bool,
    /// A volunteer's hours stay as counts, without what was done.
    pub hours_kept: i64,
    /// A volunteer's staff account was closed (its name stays in the audit log).
    pub account_closed: bool,
    /// Messages still waiting to be sent to them, cancelled.
    pub messages_cancelled: i64,
}

/// Removes a supporter's, member's or volunteer's personal data in one
/// transaction (a beneficiary's goes through `data_requests::erase_beneficiary`).
/// [`StorageError::NotFound`] for nobody.
pub async fn erase(db: &Database, subject: DataSubject, staff_id: i64, now: i64) -> StorageResult<PartyErasure> {
    let keys = db.keys()?;
    let mut tx = db.begin_write().await?;
    let contact = contact_in(&mut tx, keys, subject).await?;
    let mut report = PartyErasure::default();
    let erased_here = match subject.kind {
        PartyKind::Beneficiary => {
            return Err(StorageError::Invalid("a beneficiary is erased with their account".into()));
        }
        PartyKind::Supporter => erase_supporter(&mut tx, keys, subject.id, &mut report).await?,
        PartyKind::Member => erase_member(&mut tx, subject.id, &mut report).await?,
        PartyKind::Volunteer => erase_volunteer(&mut tx, subject.id, &mut report).await?,
    };
    if !erased_here {
        return Err(StorageError::NotFound(format!("no {}", subject.audit_name())));
    }
    if let Some(hash) = contact.and_then(|c| crypto::contact_hash(keys, &c.mobile)) {
        report.messages_cancelled = cancel_messages_to(&mut tx, &hash).await?;
    }
    // Their news consents are withdrawn in the register, which is kept as proof.
    let holder = match subject.kind {
        PartyKind::Supporter => Some(crate::consent::ConsentHolder::Supporter(subject.id)),
        PartyKind::Volunteer => Some(crate::consent::ConsentHolder::Volunteer(subject.id)),
        PartyKind::Beneficiary | PartyKind::Member => None,
    };
    if let Some(holder) = holder {
        crate::consent::withdraw_all_in(&mut tx, holder, staff_id, "erasure", now).await?;
    }
    let reason = format!(
        "erasure:{};contributions_kept={};hours_kept={}",
        subject.audit_name(),
        report.contributions_kept,
        report.hours_kept
    );
    let entry = AuditEntry {
        staff_id,
        action: AuditAction::PartyErase,
        beneficiary_id: None,
        request_id: None,
        reason: &reason,
    };
    record_in(&mut tx, keys, entry, now).await?;
    tx.commit().await?;
    Ok(report)
}

async fn erase_supporter(
    tx: &mut sqlx::AnyConnection,
    keys: &Keyring,
    id: i64,
    report: &mut PartyErasure,
) -> StorageResult<bool> {
    let email: Option<Option<String>> =
        sqlx::query_scalar("SELECT email FROM supporters WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
    let Some(email) = email else { return Ok(false) };
    if let Some(hash) =
        keys.decrypt_optional(crypto::SUPPORTER_EMAIL, email)?.and_then(|e| crypto::contact_hash(keys, &e))
    {
        report.messages_cancelled += cancel_messages_to(tx, &hash).await?;
    }
    // Anonymous from now on: no name is left to show anyway.
    sqlx::query(
        "UPDATE supporters SET name = '', mobile = NULL, mobile_hash = NULL, email = NULL, anonymous = 1 \
         WHERE id = $1",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    report.contributions_kept = sqlx::query_scalar("SELECT COUNT(*) FROM contributions WHERE supporter_id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    Ok(true)
}

async fn erase_member(tx: &mut sqlx::AnyConnection, id: i64, report: &mut PartyErasure) -> StorageResult<bool> {
    let updated = sqlx::query(
        "UPDATE members SET national_id = NULL, national_id_hash = NULL, mobile = NULL, mobile_hash = NULL WHERE id = $1",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    report.member_register_kept = updated.rows_affected() == 1;
    Ok(report.member_register_kept)
}

async fn erase_volunteer(tx: &mut sqlx::AnyConnection, id: i64, report: &mut PartyErasure) -> StorageResult<bool> {
    let account: Option<Option<i64>> =
        sqlx::query_scalar("SELECT staff_id FROM volunteers WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
    let Some(account) = account else { return Ok(false) };
    sqlx::query(
        "UPDATE volunteers SET full_name = '', mobile = $1, mobile_hash = NULL, skills = '', areas = '', \
           sms_consent = 0, challenge_hash = NULL, decision_message = NULL WHERE id = $2",
    )
    .bind(format!("erased:{id}"))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    report.hours_kept = sqlx::query("UPDATE volunteer_hours SET activity = '' WHERE volunteer_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected() as i64;
    if let Some(account) = account {
        // The account's name stays: the audit log must still say who did what.
        sqlx::query("UPDATE staff_accounts SET active = 0, contact_mobile = NULL, contact_email = NULL WHERE id = $1")
            .bind(account)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE account_kind = $1 AND account_id = $2")
            .bind(crate::staff::STAFF)
            .bind(account)
            .execute(&mut *tx)
            .await?;
        report.account_closed = true;
    }
    Ok(true)
}

/// Cancels what is still queued for a contact and blanks what was sent to it.
async fn cancel_messages_to(tx: &mut sqlx::AnyConnection, hash: &str) -> StorageResult<i64> {
    let cancelled =
        sqlx::query("UPDATE outbox_messages SET status = 'cancelled' WHERE status = 'pending' AND recipient_hash = $1")
            .bind(hash)
            .execute(&mut *tx)
            .await?
            .rows_affected() as i64;
    sqlx::query(
        "UPDATE outbox_messages SET recipient = 'erased', recipient_hash = NULL, body = '' WHERE recipient_hash = $1",
    )
    .bind(hash)
    .execute(&mut *tx)
    .await?;
    Ok(cancelled)
}
