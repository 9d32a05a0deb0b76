//! The supporters' and members' registers (issue 15): every list and record
//! read is audited like a beneficiary's, and what staff type is checked by the
//! domain before it is kept.

use awn_domain::{
    calendar::DualDate,
    parties::{self, ContributionForm, MemberForm, MemberStatus, SupporterForm},
    workflow::{WorkflowError, WorkflowProblem},
};
use awn_storage::{
    Database, Page, PageRequest, StorageError,
    audit::{self, AuditAction, AuditEntry},
    now_unix_seconds,
    parties::{MemberFile, MemberRow, SupporterFile, SupporterRow},
};

use super::{
    Outcome, Refused,
    access::{Authorized, can},
};
use crate::{error::AppError, forms::Problem};

/// Why staff open these registers.
const PURPOSE: &str = "registers";

async fn audit_read(database: &Database, staff_id: i64, action: AuditAction, reason: &str) -> Result<(), AppError> {
    let entry = AuditEntry { staff_id, action, beneficiary_id: None, request_id: None, reason };
    audit::record(database, entry, now_unix_seconds()).await?;
    Ok(())
}

/// The first refused field of a domain check, as the form shows it.
fn refused(errors: Vec<WorkflowError>) -> Refused {
    let Some(first) = errors.into_iter().next() else { return Refused::new("", Problem::Invalid) };
    let problem = match first.problem {
        WorkflowProblem::Required => Problem::Required,
        WorkflowProblem::TooLong => Problem::TooLong,
        WorkflowProblem::DateInvalid => Problem::DateInvalid,
        WorkflowProblem::NumberOutOfRange => Problem::OutOfRange,
        _ => Problem::Invalid,
    };
    Refused::new(&first.field, problem)
}

fn today() -> awn_domain::calendar::CalendarDay {
    DualDate::from_unix_seconds(now_unix_seconds()).gregorian
}

/// A page of the supporters' register (names are personal data: audited).
pub async fn supporters(
    database: &Database,
    who: &Authorized<can::ManageSupporters>,
    request: PageRequest,
) -> Result<Page<SupporterRow>, AppError> {
    audit_read(database, who.id, AuditAction::SupportersView, PURPOSE).await?;
    Ok(awn_storage::parties::supporters(database, request).await?)
}

/// One supporter's record with contacts and contributions (audited).
pub async fn supporter(
    database: &Database,
    who: &Authorized<can::ManageSupporters>,
    id: i64,
) -> Result<SupporterFile, AppError> {
    let file = awn_storage::parties::supporter_file(database, id).await?.ok_or(AppError::NotFound)?;
    audit_read(database, who.id, AuditAction::SupporterView, &format!("supporter:{id}")).await?;
    Ok(file)
}

/// Records a supporter; the new id, or the field to correct.
pub async fn add_supporter(
    database: &Database,
    who: &Authorized<can::ManageSupporters>,
    form: &SupporterForm,
) -> Result<Result<i64, Refused>, AppError> {
    let supporter = match parties::check_supporter(form) {
        Ok(supporter) => supporter,
        Err(errors) => return Ok(Err(refused(errors))),
    };
    let now = now_unix_seconds();
    let id = awn_storage::parties::add_supporter(database, &supporter, who.id, now).await?;
    audit_read(database, who.id, AuditAction::SupporterAdd, &format!("supporter:{id}")).await?;
    Ok(Ok(id))
}

/// Records a contribution of a supporter.
pub async fn add_contribution(
    database: &Database,
    who: &Authorized<can::ManageSupporters>,
    supporter: i64,
    form: &ContributionForm,
) -> Result<Outcome, AppError> {
    let contribution = match parties::check_contribution(form, today()) {
        Ok(contribution) => contribution,
        Err(errors) => return Ok(Err(refused(errors))),
    };
    let now = now_unix_seconds();
    match awn_storage::parties::add_contribution(database, supporter, &contribution, who.id, now).await {
        Ok(id) => {
            audit_read(database, who.id, AuditAction::ContributionAdd, &format!("supporter:{supporter}:{id}")).await?;
            Ok(Ok(()))
        }
        Err(StorageError::NotFound(_)) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}

/// A page of the member register (audited).
pub async fn members(
    database: &Database,
    who: &Authorized<can::ManageMembers>,
    request: PageRequest,
) -> Result<Page<MemberRow>, AppError> {
    audit_read(database, who.id, AuditAction::MembersView, PURPOSE).await?;
    Ok(awn_storage::parties::members(database, request).await?)
}

/// One member's record with identity, contact and status history (audited).
pub async fn member(
    database: &Database,
    who: &Authorized<can::ManageMembers>,
    id: i64,
) -> Result<MemberFile, AppError> {
    let file = awn_storage::parties::member_file(database, id).await?.ok_or(AppError::NotFound)?;
    audit_read(database, who.id, AuditAction::MemberView, &format!("member:{id}")).await?;
    Ok(file)
}

/// Records a member; the new id, or the field to correct (a membership number
/// already used is refused).
pub async fn add_member(
    database: &Database,
    who: &Authorized<can::ManageMembers>,
    form: &MemberForm,
) -> Result<Result<i64, Refused>, AppError> {
    let member = match parties::check_member(form, today()) {
        Ok(member) => member,
        Err(errors) => return Ok(Err(refused(errors))),
    };
    match awn_storage::parties::add_member(database, &member, who.id, now_unix_seconds()).await {
        Ok(id) => {
            audit_read(database, who.id, AuditAction::MemberAdd, &format!("member:{id}")).await?;
            Ok(Ok(id))
        }
        Err(StorageError::Conflict(_)) => Ok(Err(Refused::new("membership_number", Problem::Duplicate))),
        Err(error) => Err(error.into()),
    }
}

/// Moves a member to a status on a day, with a reason kept in their history.
pub async fn set_member_status(
    database: &Database,
    who: &Authorized<can::ManageMembers>,
    member: i64,
    status: &str,
    day: &str,
    reason: &str,
) -> Result<Outcome, AppError> {
    let Some(status) = MemberStatus::from_code(status.trim()) else {
        return Ok(Err(Refused::new("status", Problem::Invalid)));
    };
    let day = match awn_domain::workflow::parse_day(day) {
        Ok(day) if day.sort_key() <= today().sort_key() => day,
        Ok(_) => return Ok(Err(Refused::new("day", Problem::Invalid))),
        Err(WorkflowProblem::Required) => return Ok(Err(Refused::new("day", Problem::Required))),
        Err(_) => return Ok(Err(Refused::new("day", Problem::DateInvalid))),
    };
    let reason = reason.trim();
    if reason.chars().count() > awn_domain::workflow::MAX_SHORT_TEXT_CHARS {
        return Ok(Err(Refused::new("reason", Problem::TooLong)));
    }
    let now = now_unix_seconds();
    match awn_storage::parties::set_member_status(database, member, status, day, reason, who.id, now).await {
        Ok(true) => {
            let change = format!("member:{member}:{}", status.code());
            audit_read(database, who.id, AuditAction::MemberStatusChange, &change).await?;
            Ok(Ok(()))
        }
        Ok(false) => Ok(Err(Refused::new("status", Problem::AlreadyDone))),
        Err(StorageError::NotFound(_)) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}
