//! The steps of a request's workflow as staff record them (A10–A14): each is
//! checked twice, by the permission matrix (the capability it takes) and by the
//! request's state machine (in storage, in the same transaction as the move),
//! and the beneficiary is told of each move.

use awn_domain::{
    calendar::DualDate,
    casework::{MAX_MESSAGE_CHARS, StepRefusal},
    deadlines::{ExtensionForm, ExtensionRefusal, extension_days},
    identity::clean_text,
    ids::{RequestId, StaffId},
    requests::{RequestStatus, TransitionError},
    staff::{Permission, role_allows},
    workflow::{
        Decision, DecisionForm, ServiceForm, StudyForm, VerificationChecklist, VerificationOutcome, WorkflowError,
        WorkflowProblem, check_decision, check_service, check_study, referral_note, verification_outcome,
    },
};
use awn_storage::{Database, StorageError, StorageResult, casework, now};

use super::access::{Authorized, can};
use crate::{error::AppError, notices, state::AppContext};

/// A step's answer: recorded, or refused with why (nothing was written).
pub type StepResult = Result<Result<(), StepRefusal>, AppError>;

fn refused(errors: Vec<WorkflowError>) -> StepResult {
    Ok(Err(StepRefusal::Fields(errors)))
}

/// A move's storage outcome as the step's answer; a request that does not
/// exist is a 404, never a 500.
fn moved<T>(result: StorageResult<Result<T, TransitionError>>) -> StepResult {
    match result {
        Ok(Ok(_)) => Ok(Ok(())),
        Ok(Err(_)) => Ok(Err(StepRefusal::NotNow)),
        Err(StorageError::NotFound(_)) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}

/// The committee takes longer (A13): its period grows once, by up to the
/// rule's maximum, with a reason the beneficiary reads with the new date.
pub async fn extend_decision(
    database: &Database,
    who: &Authorized<can::DecideRequest>,
    request: RequestId,
    form: &ExtensionForm,
) -> StepResult {
    let Some(days) = extension_days(form) else {
        return refused(vec![WorkflowError { field: "days".into(), problem: WorkflowProblem::NumberInvalid }]);
    };
    let reason = form.reason.trim();
    let extended =
        casework::extend_decision(database, request, who.staff_id(), days, reason, now(), |recipient, due| {
            notices::deadlines::decision_extended(recipient, due, reason)
        })
        .await;
    match extended {
        Ok(Ok(_)) => Ok(Ok(())),
        Ok(Err(refusal)) => match extension_problem(refusal) {
            Some(error) => refused(vec![error]),
            None => Ok(Err(StepRefusal::NotNow)),
        },
        Err(StorageError::NotFound(_)) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}

/// The field and problem an extension's refusal shows; `None` when the step
/// does not apply now.
pub fn extension_problem(refusal: ExtensionRefusal) -> Option<WorkflowError> {
    let (field, problem) = match refusal {
        ExtensionRefusal::LengthOutOfRange => ("days", WorkflowProblem::NumberOutOfRange),
        ExtensionRefusal::ReasonRequired => ("reason", WorkflowProblem::Required),
        ExtensionRefusal::AlreadyExtended => ("days", WorkflowProblem::AlreadyExtended),
        ExtensionRefusal::DeadlinePassed => ("days", WorkflowProblem::DeadlinePassed),
        ExtensionRefusal::NotExtendable | ExtensionRefusal::NotRunning => return None,
    };
    Some(WorkflowError { field: field.into(), problem })
}

/// Who a request may be given to: active staff whose role works the queue.
pub async fn assignees(
    database: &Database,
    _who: &Authorized<can::AssignRequest>,
) -> Result<Vec<(StaffId, String)>, AppError> {
    Ok(awn_storage::staff::list(database)
        .await?
        .into_iter()
        .filter(|s| s.active && role_allows(s.role, Permission::ViewQueue))
        .map(|s| (s.staff_id(), s.display_name))
        .collect())
}

/// Gives the request to a staff member who works the queue, or to nobody
/// (`assignee` as the form sends it: empty for nobody).
pub async fn assign(
    database: &Database,
    who: &Authorized<can::AssignRequest>,
    request: RequestId,
    assignee: Option<&str>,
) -> StepResult {
    let choice_invalid =
        || refused(vec![WorkflowError { field: "assignee".into(), problem: WorkflowProblem::ChoiceInvalid }]);
    let assignee_id = match assignee.map(str::trim).filter(|a| !a.is_empty()) {
        None => None,
        Some(text) => match text.parse::<StaffId>() {
            Ok(id) => Some(id),
            Err(_) => return choice_invalid(),
        },
    };
    if let Some(id) = assignee_id {
        let works_the_queue = awn_storage::staff::by_id(database, id.get())
            .await?
            .is_some_and(|s| s.active && role_allows(s.role, Permission::ViewQueue));
        if !works_the_queue {
            return choice_invalid();
        }
    }
    match casework::assign(database, request, assignee_id, who.staff_id(), now()).await {
        Ok(()) => Ok(Ok(())),
        Err(StorageError::NotFound(_)) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}

/// Starts checking a request against its documents (A10).
pub async fn start_verification(
    database: &Database,
    who: &Authorized<can::VerifyRequest>,
    request: RequestId,
) -> StepResult {
    let started = moved(
        casework::start_verification(database, request, who.staff_id(), now(), |recipient| {
            notices::status_changed(recipient, RequestStatus::UnderVerification, "")
        })
        .await,
    );
    // Other requests may have arrived since this one: looked for again.
    super::duplicates::look_for(database, request).await;
    started
}

/// The verification form as typed.
pub struct VerificationForm {
    pub checklist: VerificationChecklist,
    /// What the beneficiary is told is missing.
    pub message: String,
    /// For the social researcher, when the request is verified (A11).
    pub referral_note: String,
}

/// Records the verification (A10); a verified request goes on to the social
/// researcher with a note (A11), which the verifier's role must also allow.
pub async fn verify(
    database: &Database,
    who: &Authorized<can::VerifyRequest>,
    request: RequestId,
    form: VerificationForm,
) -> StepResult {
    let outcome = match verification_outcome(&form.checklist, &form.message) {
        Ok(outcome) => outcome,
        Err(errors) => return refused(errors),
    };
    let referral = match &outcome {
        VerificationOutcome::Verified { .. } => {
            if who.also::<can::ReferToResearch>(database).await?.is_none() {
                return Err(AppError::Forbidden);
            }
            match referral_note(&form.referral_note) {
                Ok(note) => Some(note),
                Err(errors) => {
                    return refused(
                        errors
                            .into_iter()
                            .map(|e| WorkflowError { field: "referral_note".into(), problem: e.problem })
                            .collect(),
                    );
                }
            }
        }
        VerificationOutcome::MissingInformation { .. } => None,
    };
    let reason = match &outcome {
        VerificationOutcome::MissingInformation { message, .. } => message.clone(),
        VerificationOutcome::Verified { .. } => String::new(),
    };
    let to = outcome.next_status();
    moved(
        casework::record_verification(
            database,
            request,
            who.staff_id(),
            &outcome,
            referral.as_deref().map(|note| (note, None)),
            now(),
            |recipient| notices::status_changed(recipient, to, &reason),
        )
        .await,
    )
}

/// Records the social study: visit, interview or call, and its recommendation (A7, A11).
pub async fn record_study(
    database: &Database,
    who: &Authorized<can::RecordStudy>,
    request: RequestId,
    form: &StudyForm,
) -> StepResult {
    let study = match check_study(form) {
        Ok(study) => study,
        Err(errors) => return refused(errors),
    };
    let to = study.next_status();
    let reason = study.message.clone().unwrap_or_default();
    moved(
        casework::record_study(database, request, who.staff_id(), &study, now(), |recipient| {
            notices::status_changed(recipient, to, &reason)
        })
        .await,
    )
}

/// Records the research committee's decision (A13).
pub async fn decide(
    database: &Database,
    who: &Authorized<can::DecideRequest>,
    request: RequestId,
    form: &DecisionForm,
) -> StepResult {
    let decision = match check_decision(form) {
        Ok(decision) => decision,
        Err(errors) => return refused(errors),
    };
    let to = decision.status();
    let told = match &decision {
        Decision::Accepted { .. } => String::new(),
        Decision::Rejected { reason } => reason.clone(),
        Decision::MoreInformation { message } => message.clone(),
    };
    moved(
        casework::record_decision(database, request, who.staff_id(), &decision, now(), |recipient| {
            notices::status_changed(recipient, to, &told)
        })
        .await,
    )
}

/// Opens the beneficiary's file after acceptance (A14).
pub async fn register(
    database: &Database,
    who: &Authorized<can::CompleteRegistration>,
    request: RequestId,
) -> StepResult {
    moved(
        casework::complete_registration(database, request, who.staff_id(), now(), |recipient| {
            notices::status_changed(recipient, RequestStatus::RegistrationCompleted, "")
        })
        .await,
    )
}

/// Records a service delivered (A14) and invites the beneficiary to rate it (A8).
pub async fn record_service(
    context: &AppContext,
    who: &Authorized<can::RecordService>,
    request: RequestId,
    form: &ServiceForm,
) -> StepResult {
    let database = &context.database;
    let now = now();
    // The acceptance date bounds the delivery date; undecided, there is nothing to deliver.
    let Some(decided_at) = casework::decided_at(database, request).await?.ok_or(AppError::NotFound)? else {
        return Ok(Err(StepRefusal::NotNow));
    };
    let accepted_on = DualDate::from_unix_seconds(decided_at).gregorian;
    let service = match check_service(form, accepted_on, now.date().gregorian) {
        Ok(service) => service,
        Err(errors) => return refused(errors),
    };
    let base_url = &context.settings.public_base_url;
    moved(
        casework::record_service(
            database,
            request,
            who.staff_id(),
            &service,
            now,
            |recipient| notices::status_changed(recipient, RequestStatus::ServiceDelivered, ""),
            |recipient, invitation| notices::survey_after_service(base_url, recipient, invitation),
        )
        .await,
    )
}

/// Closes a request (withdrawn, duplicate or finished), telling the beneficiary why.
pub async fn close(
    database: &Database,
    who: &Authorized<can::CloseRequest>,
    request: RequestId,
    reason: &str,
) -> StepResult {
    let reason = clean_text(reason);
    moved(
        casework::close(database, request, who.staff_id(), &reason, now(), |recipient| {
            notices::status_changed(recipient, RequestStatus::Closed, &reason)
        })
        .await,
    )
}

/// Writes to the beneficiary about their request (A3).
pub async fn message(
    database: &Database,
    who: &Authorized<can::MessageBeneficiary>,
    request: RequestId,
    body: &str,
) -> StepResult {
    let body = body.trim();
    if body.is_empty() || body.chars().count() > MAX_MESSAGE_CHARS {
        let problem = if body.is_empty() { WorkflowProblem::Required } else { WorkflowProblem::TooLong };
        return refused(vec![WorkflowError { field: "body".into(), problem }]);
    }
    match casework::staff_message(database, request, who.staff_id(), body, now(), notices::staff_message).await {
        Ok(()) => Ok(Ok(())),
        Err(StorageError::NotFound(_)) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}

/// The queue's filter choices (the active support kinds, named in `language`)
/// and how many open requests are past their decision date.
pub async fn queue_context(
    database: &Database,
    _who: &Authorized<can::ViewQueue>,
    language: awn_domain::locale::Language,
) -> Result<(Vec<crate::staff::queue::KindChoice>, i64), AppError> {
    let kinds = awn_storage::support_kinds::active(database)
        .await?
        .into_iter()
        .map(|kind| crate::staff::queue::KindChoice { name: kind.name(language).to_owned(), code: kind.code })
        .collect();
    let overdue_total = casework::overdue_count(database, awn_storage::now_unix_seconds()).await?;
    Ok((kinds, overdue_total))
}
