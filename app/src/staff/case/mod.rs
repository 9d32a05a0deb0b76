//! One request as staff see it (`/staff/requests/:id`): the applicant's data, the
//! timeline, every step recorded so far, and the form for the next step that the
//! signed-in role may take: verification (A10), referral (A11), the social study,
//! the committee's decision (A13), registration and services delivered (A14).
//! Every read is audited; every step is checked on the server twice: by the
//! permission matrix and by the request's state machine.
#![cfg_attr(feature = "hydrate", allow(clippy::too_many_arguments, reason = "the stub takes the form's fields"))]

mod forms;
mod household;
mod page;
mod sections;
#[cfg(feature = "ssr")]
mod view_model;

pub use crate::requests::household::MemberLine;
pub use household::DuplicateLine;
pub use page::StaffCasePage;

#[cfg(feature = "ssr")]
use crate::application::{access::can, casework, personal_data};

use awn_domain::{
    casework::StepRefusal,
    channels::Channel,
    ids::{BeneficiaryId, RequestId, StaffId},
    locale::Language,
    requests::RequestStatus,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{error::AppError, flash::FormFlash};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordLine {
    /// Who recorded it and when.
    pub staff_name: String,
    pub at: i64,
    /// What was recorded, already in words where it is a choice.
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    pub id: RequestId,
    pub beneficiary_id: BeneficiaryId,
    pub assignee_id: Option<StaffId>,
    pub assignee_name: Option<String>,
    /// Who the request may be given to (for staff who assign; else empty).
    pub assignees: Vec<(StaffId, String)>,
    pub reference: String,
    pub status: RequestStatus,
    pub channel: Channel,
    pub kind_name: String,
    pub full_name: String,
    pub national_id: String,
    pub birth_date: String,
    pub mobile: String,
    pub email: Option<String>,
    pub city: String,
    pub district: String,
    pub household_members: i64,
    pub monthly_income: i64,
    pub housing: String,
    pub description: String,
    pub signature: String,
    pub declaration_version: String,
    pub declared_at: i64,
    pub consent_sms: bool,
    pub consent_email: bool,
    pub submitted_at: i64,
    pub decision_due_at: i64,
    pub overdue: bool,
    /// The committee's clock while it is open (running or paused).
    pub decision_deadline: Option<crate::deadlines::DeadlineView>,
    /// The signed-in person may extend the committee's period.
    pub can_extend: bool,
    /// Another account's open request for the same national ID: (id, reference).
    pub possible_duplicate_of: Option<(RequestId, String)>,
    /// The household's members besides the applicant (issue 15).
    pub household: Vec<MemberLine>,
    /// Other requests that may be about the same people (issue 15).
    pub duplicates: Vec<DuplicateLine>,
    /// The signed-in person may confirm or dismiss a possible duplicate.
    pub can_decide_duplicates: bool,
    /// The signed-in person may add, correct and remove household members.
    pub can_edit_household: bool,
    pub file_number: Option<String>,
    pub support_granted: Option<String>,
    pub timeline: Vec<(RequestStatus, String, i64)>,
    /// (id, file name)
    pub documents: Vec<(i64, String)>,
    pub messages: Vec<(bool, String, i64)>,
    pub verifications: Vec<RecordLine>,
    pub referrals: Vec<RecordLine>,
    pub studies: Vec<RecordLine>,
    pub decisions: Vec<RecordLine>,
    pub services: Vec<RecordLine>,
    /// A refusal to show after a plain form post.
    pub flash: Option<FormFlash>,
}

#[server(endpoint = "staff/case")]
pub async fn load_case(id: RequestId, language: Language) -> Result<CaseView, AppError> {
    let context = crate::state::app_context()?;
    let staff = super::authorize::<can::ViewBeneficiaryFile>().await?;
    let file = personal_data::case_file(&context.database, &staff, id, personal_data::PURPOSE_CASEWORK).await?;
    let duplicates =
        personal_data::possible_duplicates(&context.database, &staff, &file, personal_data::PURPOSE_CASEWORK).await?;
    let mut view = view_model::case_view(file, language);
    view.duplicates = view_model::duplicate_lines(duplicates, language);
    view.can_decide_duplicates = staff.also::<can::ResolveDuplicates>(&context.database).await?.is_some();
    view.can_edit_household = staff.also::<can::EditHousehold>(&context.database).await?.is_some();
    let subject = awn_storage::clocks::Subject::request(id.get());
    view.decision_deadline = crate::application::deadlines::open_deadline(
        &context.database,
        awn_domain::deadlines::ClockRule::Decision,
        subject,
        awn_storage::now(),
    )
    .await?;
    view.can_extend = staff.also::<can::DecideRequest>(&context.database).await?.is_some();
    if let Some(assigner) = staff.also::<can::AssignRequest>(&context.database).await? {
        view.assignees = casework::assignees(&context.database, &assigner).await?;
    }
    Ok(view)
}

/// Gives the request to a staff member who works the queue, or to nobody.
#[server(endpoint = "staff/case/assign")]
pub async fn case_assign(request: RequestId, assignee: Option<String>) -> Result<Option<StepRefusal>, AppError> {
    let staff = super::authorize::<can::AssignRequest>().await?;
    let context = crate::state::app_context()?;
    let outcome = casework::assign(&context.database, &staff, request, assignee.as_deref()).await?;
    view_model::answer(request, "assign", outcome)
}

#[server(endpoint = "staff/case/start_verification")]
pub async fn case_start_verification(request: RequestId) -> Result<Option<StepRefusal>, AppError> {
    let staff = super::authorize::<can::VerifyRequest>().await?;
    let context = crate::state::app_context()?;
    let outcome = casework::start_verification(&context.database, &staff, request).await?;
    view_model::answer(request, "start_verification", outcome)
}

#[server(endpoint = "staff/case/verify")]
#[allow(clippy::too_many_arguments, reason = "a server function takes the form's fields as its arguments")]
pub async fn case_verify(
    request: RequestId,
    items_provided: Option<String>,
    data_matches_documents: Option<String>,
    documents_valid_on_submission: Option<String>,
    note: Option<String>,
    message: Option<String>,
    referral_note: Option<String>,
) -> Result<Option<StepRefusal>, AppError> {
    use awn_domain::workflow::VerificationChecklist;
    let staff = super::authorize::<can::VerifyRequest>().await?;
    let context = crate::state::app_context()?;
    let form = casework::VerificationForm {
        checklist: VerificationChecklist {
            items_provided: items_provided.is_some(),
            data_matches_documents: data_matches_documents.is_some(),
            documents_valid_on_submission: documents_valid_on_submission.is_some(),
            note: note.unwrap_or_default(),
        },
        message: message.unwrap_or_default(),
        referral_note: referral_note.unwrap_or_default(),
    };
    let outcome = casework::verify(&context.database, &staff, request, form).await?;
    view_model::answer(request, "verify", outcome)
}

#[server(endpoint = "staff/case/study")]
pub async fn case_study(
    request: RequestId,
    method: Option<String>,
    findings: Option<String>,
    recommendation: Option<String>,
    message: Option<String>,
) -> Result<Option<StepRefusal>, AppError> {
    let staff = super::authorize::<can::RecordStudy>().await?;
    let context = crate::state::app_context()?;
    let form = awn_domain::workflow::StudyForm {
        method: method.unwrap_or_default(),
        findings: findings.unwrap_or_default(),
        recommendation: recommendation.unwrap_or_default(),
        message: message.unwrap_or_default(),
    };
    let outcome = casework::record_study(&context.database, &staff, request, &form).await?;
    view_model::answer(request, "study", outcome)
}

#[server(endpoint = "staff/case/decide")]
pub async fn case_decide(
    request: RequestId,
    decision: Option<String>,
    support: Option<String>,
    reason: Option<String>,
) -> Result<Option<StepRefusal>, AppError> {
    let staff = super::authorize::<can::DecideRequest>().await?;
    let context = crate::state::app_context()?;
    let form = awn_domain::workflow::DecisionForm {
        decision: decision.unwrap_or_default(),
        reason: reason.unwrap_or_default(),
        support: support.unwrap_or_default(),
    };
    let outcome = casework::decide(&context.database, &staff, request, &form).await?;
    view_model::answer(request, "decide", outcome)
}

/// The committee takes longer: its period grows once, with a reason (A13).
#[server(endpoint = "staff/case/extend_decision")]
pub async fn case_extend_decision(
    request: RequestId,
    days: Option<String>,
    reason: Option<String>,
) -> Result<Option<StepRefusal>, AppError> {
    let staff = super::authorize::<can::DecideRequest>().await?;
    let context = crate::state::app_context()?;
    let form =
        awn_domain::deadlines::ExtensionForm { days: days.unwrap_or_default(), reason: reason.unwrap_or_default() };
    let outcome = casework::extend_decision(&context.database, &staff, request, &form).await?;
    view_model::answer(request, "extend_decision", outcome)
}

#[server(endpoint = "staff/case/register")]
pub async fn case_register(request: RequestId) -> Result<Option<StepRefusal>, AppError> {
    let staff = super::authorize::<can::CompleteRegistration>().await?;
    let context = crate::state::app_context()?;
    let outcome = casework::register(&context.database, &staff, request).await?;
    view_model::answer(request, "register", outcome)
}

#[server(endpoint = "staff/case/service")]
pub async fn case_service(
    request: RequestId,
    what: Option<String>,
    quantity: Option<String>,
    unit: Option<String>,
    delivered_on: Option<String>,
) -> Result<Option<StepRefusal>, AppError> {
    let staff = super::authorize::<can::RecordService>().await?;
    let context = crate::state::app_context()?;
    let form = awn_domain::workflow::ServiceForm {
        what: what.unwrap_or_default(),
        quantity: quantity.unwrap_or_default(),
        unit: unit.unwrap_or_default(),
        delivered_on: delivered_on.unwrap_or_default(),
    };
    let outcome = casework::record_service(&context, &staff, request, &form).await?;
    view_model::answer(request, "service", outcome)
}

#[server(endpoint = "staff/case/close")]
pub async fn case_close(request: RequestId, reason: Option<String>) -> Result<Option<StepRefusal>, AppError> {
    let staff = super::authorize::<can::CloseRequest>().await?;
    let context = crate::state::app_context()?;
    let outcome = casework::close(&context.database, &staff, request, reason.as_deref().unwrap_or_default()).await?;
    view_model::answer(request, "close", outcome)
}

#[server(endpoint = "staff/case/message")]
pub async fn case_message(request: RequestId, body: Option<String>) -> Result<Option<StepRefusal>, AppError> {
    let staff = super::authorize::<can::MessageBeneficiary>().await?;
    let context = crate::state::app_context()?;
    let outcome = casework::message(&context.database, &staff, request, body.as_deref().unwrap_or_default()).await?;
    view_model::answer(request, "message", outcome)
}

/// Staff's decision on a possible duplicate: `decision` "same" confirms it
/// (the two files are linked, never merged), "not_same" dismisses it, which
/// needs a reason.
#[server(endpoint = "staff/case/duplicate")]
pub async fn case_duplicate(
    request: RequestId,
    duplicate: i64,
    decision: Option<String>,
    reason: Option<String>,
) -> Result<Option<StepRefusal>, AppError> {
    use crate::application::duplicates::{self, Decision};
    use awn_domain::workflow::{WorkflowError, WorkflowProblem};
    let staff = super::authorize::<can::ResolveDuplicates>().await?;
    let context = crate::state::app_context()?;
    let fields = |field: &str, problem| StepRefusal::Fields(vec![WorkflowError { field: field.into(), problem }]);
    let same = match decision.as_deref() {
        Some("same") => true,
        Some("not_same") => false,
        _ => return view_model::answer(request, "duplicate", Err(fields("decision", WorkflowProblem::ChoiceInvalid))),
    };
    let reason = reason.unwrap_or_default();
    let outcome = match duplicates::decide(&context.database, &staff, request, duplicate, same, &reason).await {
        Ok(Decision::Recorded) => Ok(()),
        Ok(Decision::ReasonRequired) => Err(fields("reason", WorkflowProblem::Required)),
        // Someone decided it first.
        Err(AppError::Conflict) => Err(StepRefusal::NotNow),
        Err(error) => return Err(error),
    };
    view_model::answer(request, "duplicate", outcome)
}

/// Staff add a household member, correct one, or remove one (`op` "remove"):
/// audited, and the possible duplicates are looked for again.
#[server(endpoint = "staff/case/household")]
#[allow(clippy::too_many_arguments, reason = "a server function takes the form's fields as its arguments")]
pub async fn case_household(
    request: RequestId,
    op: Option<String>,
    member: Option<awn_domain::ids::MemberId>,
    full_name: Option<String>,
    relation: Option<String>,
    birth_date: Option<String>,
    national_id: Option<String>,
    has_income: Option<String>,
) -> Result<Option<crate::requests::household::HouseholdProblem>, AppError> {
    use crate::requests::household::{answer, posted_edit};
    let staff = super::authorize::<can::EditHousehold>().await?;
    let context = crate::state::app_context()?;
    let typed = awn_domain::requests::MemberDraft {
        full_name: full_name.unwrap_or_default(),
        relation: relation.unwrap_or_default(),
        birth_date: birth_date.unwrap_or_default(),
        national_id: national_id.unwrap_or_default(),
        has_income: has_income.unwrap_or_default(),
    };
    let edit = posted_edit(op.as_deref(), member, typed.clone())?;
    let outcome = crate::application::household::staff_edit(&context.database, &staff, request, edit).await?;
    Ok(answer(outcome, member, typed, "case", request, &format!("/staff/requests/{request}#household")))
}
