//! A household kept as the beneficiary's and editable later (issue 15): staff
//! who may (`EditHousehold`) add, correct and remove members of a request's
//! household, each change audited; the applicant corrects their own until the
//! committee has decided. After every change the request's possible
//! duplicates are looked for again (a member's national ID may match another
//! request); the applicant is never told about a match.

use awn_domain::{
    audit::AuditAction,
    calendar::DualDate,
    ids::{MemberId, RequestId},
    requests::{FieldProblem, MAX_MEMBER_ROWS, MemberDraft, MemberField, check_member, household_open_to_applicant},
};
use awn_storage::{
    Database,
    accounts::BeneficiaryAccount,
    audit::{self, AuditEntry},
    households::{self, MemberChange},
    now_unix_seconds,
};

use super::access::{Authorized, can};
use crate::error::AppError;

/// What to do to the household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HouseholdEdit {
    Add(MemberDraft),
    Correct(MemberId, MemberDraft),
    Remove(MemberId),
}

impl HouseholdEdit {
    fn code(&self) -> &'static str {
        match self {
            HouseholdEdit::Add(_) => "add",
            HouseholdEdit::Correct(..) => "correct",
            HouseholdEdit::Remove(_) => "remove",
        }
    }

    fn member(&self) -> Option<MemberId> {
        match self {
            HouseholdEdit::Add(_) => None,
            HouseholdEdit::Correct(id, _) | HouseholdEdit::Remove(id) => Some(*id),
        }
    }
}

/// What became of an edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditOutcome {
    Done,
    /// The row as typed has these problems; nothing was written.
    Invalid(Vec<(MemberField, FieldProblem)>),
    /// The household already lists as many members as a request can hold.
    Full,
    /// The applicant may no longer change it: the committee has decided.
    Closed,
}

/// Writes the edit; `Err(NotFound)` for a member not of this request.
async fn apply(database: &Database, request: RequestId, edit: &HouseholdEdit) -> Result<EditOutcome, AppError> {
    let today = DualDate::from_unix_seconds(now_unix_seconds()).gregorian;
    let checked = |draft: &MemberDraft| check_member(draft, today);
    let change = match edit {
        HouseholdEdit::Add(draft) => match checked(draft) {
            Ok(member) => households::add(database, request, &member, MAX_MEMBER_ROWS).await?,
            Err(problems) => return Ok(EditOutcome::Invalid(problems)),
        },
        HouseholdEdit::Correct(id, draft) => match checked(draft) {
            Ok(member) => households::correct(database, request, *id, &member).await?,
            Err(problems) => return Ok(EditOutcome::Invalid(problems)),
        },
        HouseholdEdit::Remove(id) => households::remove(database, request, *id).await?,
    };
    match change {
        MemberChange::Done => {
            super::duplicates::look_for(database, request).await;
            Ok(EditOutcome::Done)
        }
        MemberChange::Full => Ok(EditOutcome::Full),
        MemberChange::NotFound => Err(AppError::NotFound),
    }
}

/// Staff change the household of a request; each change is audited.
pub async fn staff_edit(
    database: &Database,
    who: &Authorized<can::EditHousehold>,
    request: RequestId,
    edit: HouseholdEdit,
) -> Result<EditOutcome, AppError> {
    let outcome = apply(database, request, &edit).await?;
    if outcome == EditOutcome::Done {
        // Which change and which member; never the values (they are personal data).
        let reason = match edit.member() {
            Some(member) => format!("{}:{member}", edit.code()),
            None => edit.code().to_owned(),
        };
        let entry = AuditEntry {
            staff_id: who.id,
            action: AuditAction::HouseholdChange,
            beneficiary_id: None,
            request_id: Some(request.get()),
            reason: &reason,
        };
        audit::record(database, entry, now_unix_seconds()).await?;
    }
    Ok(outcome)
}

/// The applicant corrects the household of their own request, until the
/// committee has decided. Another account's request is `NotFound`.
pub async fn applicant_edit(
    database: &Database,
    account: &BeneficiaryAccount,
    request: RequestId,
    edit: HouseholdEdit,
) -> Result<EditOutcome, AppError> {
    let file = awn_storage::requests::file_for_beneficiary(database, account.id, request.get())
        .await?
        .ok_or(AppError::NotFound)?;
    if !household_open_to_applicant(file.summary.status) {
        return Ok(EditOutcome::Closed);
    }
    apply(database, request, &edit).await
}
