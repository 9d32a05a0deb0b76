//! Intake on behalf of a beneficiary (A10, A18): a request that came by phone,
//! letter, interview or any other channel, recorded by staff with the online
//! wizard's fields, checks and declaration, and the channel it came by.

use awn_domain::{
    calendar::DualDate,
    channels::Channel,
    locale::Language,
    requests::{ApplicantField, FieldError, FieldProblem, MemberDraft, RequestDraft, kept_rows, validate_request},
};
use awn_storage::{casework, now_unix_seconds, requests::Submission};

use super::access::{Authorized, can};
use crate::{error::AppError, state::AppContext};

/// What became of an intake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intake {
    /// Nothing recorded: fields to correct (and the channel's problem, if it
    /// was not one of the channels), with what was typed.
    Refused { errors: Vec<FieldError>, channel_problem: Option<FieldProblem>, typed: RequestDraft },
    /// The ID number already has an open request of this kind.
    Duplicate { typed: RequestDraft },
    /// Recorded; `file_readable` says whether the staff member may read the
    /// beneficiary's file (and so go on to verify it).
    Recorded { id: i64, reference: String, file_readable: bool },
}

/// Records the request the form `posted`, that came by `channel` (its code).
/// The receipt goes to the beneficiary in `language`.
pub async fn record(
    context: &AppContext,
    who: &Authorized<can::RecordIntake>,
    channel: &str,
    posted: &[(ApplicantField, String)],
    members: &[MemberDraft],
    language: Language,
) -> Result<Intake, AppError> {
    let db = &context.database;
    let mut typed = RequestDraft::default();
    typed.set_fields(posted);
    typed.members = kept_rows(members);
    let now = now_unix_seconds();
    let today = DualDate::from_unix_seconds(now).gregorian;
    let kinds = super::requests::offered_kind_codes(db).await?;
    let (valid, channel) = match (validate_request(&typed, today, &kinds), Channel::from_code(channel)) {
        (Ok(valid), Some(channel)) => (valid, channel),
        (checked, channel) => {
            let channel_problem = channel.is_none().then_some(FieldProblem::ChoiceInvalid);
            return Ok(Intake::Refused { errors: checked.err().unwrap_or_default(), channel_problem, typed });
        }
    };
    let submission = casework::record_intake(db, who.id, channel, &valid, language, now, |reference, due_at| {
        crate::notices::request_submitted(
            &valid.mobile,
            valid.email.as_deref(),
            valid.consent_email,
            reference,
            due_at,
            language,
        )
    })
    .await?;
    Ok(match submission {
        Submission::Submitted { id, reference, .. } => {
            super::duplicates::look_for(db, awn_domain::ids::RequestId::new(id)).await;
            let file_readable = who.also::<can::ViewBeneficiaryFile>(db).await?.is_some();
            Intake::Recorded { id, reference, file_readable }
        }
        Submission::DuplicateOpen { .. } => Intake::Duplicate { typed },
        Submission::UnknownSupportKind => Intake::Refused {
            errors: vec![FieldError { field: ApplicantField::SupportKind, problem: FieldProblem::ChoiceInvalid }],
            channel_problem: None,
            typed,
        },
    })
}
