//! What the scheduler sends: reminders before a deadline, escalations once it
//! has passed, a request that lapses when the beneficiary never sent what was
//! asked for, and each member of staff's daily digest. Every one of them is
//! claimed on its row in the transaction that writes its notices and messages,
//! so it goes once, however many servers run the scheduler, and never for an
//! item that has moved on (moving on clears what was pending).

use awn_domain::{
    calendar::UnixTime,
    deadlines::NoticeKind,
    deadlines::{ClockRule, SubjectKind},
    locale::Language,
    requests::RequestStatus,
    staff::StaffRole,
};
use sqlx::{AnyConnection, Row};

use super::Subject;
use crate::{
    Database, StorageError, StorageResult,
    outbox::{NewOutboxMessage, enqueue_in},
    requests::NoticeRecipient,
};

/// Which pending moment of a clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// Before the deadline.
    Reminder,
    /// Once it has passed (for the beneficiary's clock: the request lapses).
    Escalation,
}

impl Moment {
    fn column(self) -> &'static str {
        match self {
            Moment::Reminder => "remind_at",
            Moment::Escalation => "escalate_at",
        }
    }

    fn done_column(self) -> &'static str {
        match self {
            Moment::Reminder => "reminded_at",
            Moment::Escalation => "escalated_at",
        }
    }

    /// The kind of workspace notice it leaves.
    pub fn notice_kind(self) -> NoticeKind {
        match self {
            Moment::Reminder => NoticeKind::Reminder,
            Moment::Escalation => NoticeKind::Escalation,
        }
    }
}

/// A clock whose reminder or escalation is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueClock {
    pub id: i64,
    pub rule: ClockRule,
    pub subject: Subject,
    pub due_at: Option<UnixTime>,
    pub responsible_staff_id: Option<i64>,
    /// The pending moment as read: the claim succeeds only if it is unchanged.
    pub pending_at: UnixTime,
    /// How staff and the beneficiary recognise the item: a request's reference, or `#id`.
    pub label: String,
}

/// The columns of a [`DueClock`], with the request's reference for a label.
fn due_select(moment: Moment) -> String {
    let column = moment.column();
    format!(
        "SELECT c.id, c.rule, c.subject_kind, c.subject_id, c.due_at, c.responsible_staff_id, c.{column} AS pending_at, \
                r.reference \
         FROM clocks c LEFT JOIN support_requests r ON c.subject_kind = 'request' AND r.id = c.subject_id \
         WHERE c.phase = 'running' AND c.{column} IS NOT NULL"
    )
}

/// Up to `limit` clocks whose `moment` is due at `now`, the earliest first.
pub async fn due_now(db: &Database, moment: Moment, now: UnixTime, limit: i64) -> StorageResult<Vec<DueClock>> {
    let column = moment.column();
    let rows = sqlx::query(&format!("{} AND c.{column} <= $1 ORDER BY c.{column}, c.id LIMIT $2", due_select(moment)))
        .bind(now.seconds())
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    due_clocks(&rows)
}

/// The clocks about `subject` whose `moment` is pending, whenever it falls.
pub async fn pending_for(db: &Database, subject: Subject, moment: Moment) -> StorageResult<Vec<DueClock>> {
    let rows =
        sqlx::query(&format!("{} AND c.subject_kind = $1 AND c.subject_id = $2 ORDER BY c.id", due_select(moment)))
            .bind(subject.kind.code())
            .bind(subject.id)
            .fetch_all(db.pool())
            .await?;
    due_clocks(&rows)
}

fn due_clocks(rows: &[sqlx::any::AnyRow]) -> StorageResult<Vec<DueClock>> {
    rows.iter()
        .map(|row| {
            let rule: String = row.try_get("rule")?;
            let kind: String = row.try_get("subject_kind")?;
            let id: i64 = row.try_get("subject_id")?;
            let reference: Option<String> = row.try_get("reference")?;
            Ok(DueClock {
                id: row.try_get("id")?,
                rule: ClockRule::from_code(&rule)
                    .ok_or_else(|| StorageError::Invalid(format!("clock rule `{rule}`")))?,
                subject: Subject {
                    kind: SubjectKind::from_code(&kind)
                        .ok_or_else(|| StorageError::Invalid(format!("clock subject `{kind}`")))?,
                    id,
                },
                due_at: row.try_get::<Option<i64>, _>("due_at")?.map(UnixTime::from_seconds),
                responsible_staff_id: row.try_get("responsible_staff_id")?,
                pending_at: UnixTime::from_seconds(row.try_get("pending_at")?),
                label: reference.unwrap_or_else(|| format!("#{id}")),
            })
        })
        .collect()
}

/// Claims the moment: true for the one transaction that may send it.
async fn claim_in(
    connection: &mut AnyConnection,
    moment: Moment,
    clock: &DueClock,
    now: UnixTime,
) -> StorageResult<bool> {
    let (column, done) = (moment.column(), moment.done_column());
    let claimed = sqlx::query(&format!(
        "UPDATE clocks SET {column} = NULL, {done} = $1 WHERE id = $2 AND {column} = $3 AND phase = 'running'"
    ))
    .bind(now.seconds())
    .bind(clock.id)
    .bind(clock.pending_at.seconds())
    .execute(&mut *connection)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

/// How a member of staff is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRecipient {
    pub id: i64,
    pub name: String,
    /// "workspace", "email" or "sms".
    pub channel: String,
    pub mobile: Option<String>,
    pub email: Option<String>,
}

const RECIPIENT_COLUMNS: &str = "id, display_name, reminder_channel, contact_mobile, contact_email";

fn recipients_of(rows: &[sqlx::any::AnyRow], keys: &crate::crypto::Keyring) -> StorageResult<Vec<StaffRecipient>> {
    rows.iter()
        .map(|row| {
            Ok(StaffRecipient {
                id: row.try_get("id")?,
                name: row.try_get("display_name")?,
                channel: row.try_get("reminder_channel")?,
                mobile: keys.decrypt_optional(crate::crypto::STAFF_MOBILE, row.try_get("contact_mobile")?)?,
                email: keys.decrypt_optional(crate::crypto::STAFF_EMAIL, row.try_get("contact_email")?)?,
            })
        })
        .collect()
}

/// Who is reminded: the person responsible if they are active, else every
/// active member of a role that handles the rule.
async fn responsible_in(
    connection: &mut AnyConnection,
    keys: &crate::crypto::Keyring,
    clock: &DueClock,
) -> StorageResult<Vec<StaffRecipient>> {
    if let Some(staff_id) = clock.responsible_staff_id {
        let rows = sqlx::query(&format!("SELECT {RECIPIENT_COLUMNS} FROM staff_accounts WHERE id = $1 AND active = 1"))
            .bind(staff_id)
            .fetch_all(&mut *connection)
            .await?;
        if !rows.is_empty() {
            return recipients_of(&rows, keys);
        }
    }
    let mut all = Vec::new();
    for role in clock.rule.handling_roles() {
        let rows = sqlx::query(&format!(
            "SELECT {RECIPIENT_COLUMNS} FROM staff_accounts WHERE role = $1 AND active = 1 ORDER BY id"
        ))
        .bind(role.code())
        .fetch_all(&mut *connection)
        .await?;
        all.extend(recipients_of(&rows, keys)?);
    }
    Ok(all)
}

/// Who hears of a passed deadline: the supervisors of those responsible, or,
/// where there is none, every active admin.
async fn supervisors_in(
    connection: &mut AnyConnection,
    keys: &crate::crypto::Keyring,
    responsible: &[StaffRecipient],
) -> StorageResult<Vec<StaffRecipient>> {
    let mut supervisors: Vec<StaffRecipient> = Vec::new();
    for person in responsible {
        let rows = sqlx::query(&format!(
            "SELECT {RECIPIENT_COLUMNS} FROM staff_accounts WHERE active = 1 AND id = \
             (SELECT supervisor_id FROM staff_accounts WHERE id = $1)"
        ))
        .bind(person.id)
        .fetch_all(&mut *connection)
        .await?;
        for supervisor in recipients_of(&rows, keys)? {
            if !supervisors.iter().any(|known| known.id == supervisor.id) {
                supervisors.push(supervisor);
            }
        }
    }
    if supervisors.is_empty() {
        let rows = sqlx::query(&format!(
            "SELECT {RECIPIENT_COLUMNS} FROM staff_accounts WHERE role = $1 AND active = 1 ORDER BY id"
        ))
        .bind(StaffRole::Admin.code())
        .fetch_all(&mut *connection)
        .await?;
        supervisors = recipients_of(&rows, keys)?;
    }
    Ok(supervisors)
}

/// Leaves a notice in a member of staff's workspace.
pub(crate) async fn insert_notice_in(
    connection: &mut AnyConnection,
    staff_id: i64,
    kind: NoticeKind,
    clock_id: Option<i64>,
    counts: Option<[i64; 3]>,
    now: UnixTime,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO staff_notices (staff_id, kind, clock_id, overdue_count, today_count, week_count, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(staff_id)
    .bind(kind.code())
    .bind(clock_id)
    .bind(counts.map(|c| c[0]))
    .bind(counts.map(|c| c[1]))
    .bind(counts.map(|c| c[2]))
    .bind(now.seconds())
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// Sends a staff reminder or escalation once: claims it, leaves a notice for
/// each person told, and queues the email or SMS `compose` writes for those
/// who asked for one. False when it was sent already or the item moved on.
/// Escalations go to the supervisors of those responsible (or the admins).
pub async fn send_to_staff_once(
    db: &Database,
    moment: Moment,
    clock: &DueClock,
    now: UnixTime,
    compose: impl Fn(&StaffRecipient) -> Vec<NewOutboxMessage>,
) -> StorageResult<bool> {
    let keys = db.keys()?;
    let mut tx = db.begin_write().await?;
    if !claim_in(&mut tx, moment, clock, now).await? {
        return Ok(false);
    }
    let responsible = responsible_in(&mut tx, keys, clock).await?;
    let told = match moment {
        Moment::Reminder => responsible,
        Moment::Escalation => supervisors_in(&mut tx, keys, &responsible).await?,
    };
    for person in &told {
        insert_notice_in(&mut tx, person.id, moment.notice_kind(), Some(clock.id), None, now).await?;
        enqueue_in(&mut tx, keys, &compose(person), now.seconds()).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Reminds the beneficiary, once, that what was asked for is still missing.
/// False when sent already or the request moved on.
pub async fn remind_beneficiary_once(
    db: &Database,
    clock: &DueClock,
    now: UnixTime,
    compose: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
) -> StorageResult<bool> {
    let keys = db.keys()?;
    let mut tx = db.begin_write().await?;
    if !claim_in(&mut tx, Moment::Reminder, clock, now).await? {
        return Ok(false);
    }
    let state = crate::casework::notice_recipient_in(&mut tx, keys, clock.subject.id).await?;
    if state.0 != RequestStatus::MissingInformation {
        // Moved on without its clock hearing of it: nothing to remind.
        tx.commit().await?;
        return Ok(false);
    }
    enqueue_in(&mut tx, keys, &compose(&state.1), now.seconds()).await?;
    tx.commit().await?;
    Ok(true)
}

/// Closes, once, a request whose missing information never came, with
/// `reason` on its timeline and the notice `compose` writes; the person who
/// asked for it hears in the workspace. The reason is written in the
/// beneficiary's language. False when it moved on meanwhile.
pub async fn lapse_request_once(
    db: &Database,
    clock: &DueClock,
    now: UnixTime,
    reason: impl FnOnce(Language) -> String,
    compose: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
) -> StorageResult<bool> {
    let keys = db.keys()?;
    let mut tx = db.begin_write().await?;
    if !claim_in(&mut tx, Moment::Escalation, clock, now).await? {
        return Ok(false);
    }
    let (_, recipient) = crate::casework::notice_recipient_in(&mut tx, keys, clock.subject.id).await?;
    let moved = crate::requests::change_status_in(
        &mut tx,
        keys,
        clock.subject.id,
        RequestStatus::Closed,
        &reason(recipient.language),
        crate::requests::ACTOR_SYSTEM,
        now.seconds(),
        compose,
    )
    .await?;
    if moved.is_err() {
        tx.commit().await?;
        return Ok(false);
    }
    let responsible = responsible_in(&mut tx, keys, clock).await?;
    for person in &responsible {
        insert_notice_in(&mut tx, person.id, NoticeKind::Lapsed, Some(clock.id), None, now).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// An active member of staff with what is due for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestFor {
    pub recipient: StaffRecipient,
    /// Overdue, due today, due later this week.
    pub counts: [i64; 3],
}

/// For every active member of staff who has not had today's digest, what is
/// overdue, due today and due later this week among the running clocks they
/// answer for: "my work"'s own counts ([`super::work::work_counts`]). Those
/// with nothing due are left out.
pub async fn digests_due(db: &Database, day: &str, now: UnixTime) -> StorageResult<Vec<DigestFor>> {
    let keys = db.keys()?;
    let rows = sqlx::query(&format!(
        "SELECT {RECIPIENT_COLUMNS}, role FROM staff_accounts \
         WHERE active = 1 AND (digest_day IS NULL OR digest_day <> $1) ORDER BY id"
    ))
    .bind(day)
    .fetch_all(db.pool())
    .await?;
    let mut digests = Vec::new();
    for row in &rows {
        let role: String = row.try_get("role")?;
        let Some(role) = StaffRole::from_code(&role) else { continue };
        let rules = ClockRule::handled_by(role);
        let scope = super::work::WorkScope::Mine { staff_id: row.try_get("id")?, rules: &rules };
        let counts = super::work::work_counts(db, scope, now).await?;
        if counts.total() > 0 {
            let recipient = recipients_of(std::slice::from_ref(row), keys)?.remove(0);
            digests.push(DigestFor { recipient, counts: [counts.overdue, counts.today, counts.this_week] });
        }
    }
    Ok(digests)
}

/// Sends a member of staff today's digest once: the notice, and the email or
/// SMS they asked for. False when they had it already.
pub async fn send_digest_once(
    db: &Database,
    digest: &DigestFor,
    day: &str,
    now: UnixTime,
    messages: &[NewOutboxMessage],
) -> StorageResult<bool> {
    let keys = db.keys()?;
    let mut tx = db.begin_write().await?;
    let claimed = sqlx::query(
        "UPDATE staff_accounts SET digest_day = $1 WHERE id = $2 AND (digest_day IS NULL OR digest_day <> $1)",
    )
    .bind(day)
    .bind(digest.recipient.id)
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() != 1 {
        return Ok(false);
    }
    insert_notice_in(&mut tx, digest.recipient.id, NoticeKind::Digest, None, Some(digest.counts), now).await?;
    enqueue_in(&mut tx, keys, messages, now.seconds()).await?;
    tx.commit().await?;
    Ok(true)
}
