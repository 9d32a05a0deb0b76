//! A beneficiary's support request online (A10–A12): the wizard's server-side
//! draft, each step saved and checked, and the submission with its receipt;
//! then its tracking (A3, A13) and the conversation with staff. Every use case
//! acts for the signed-in account the adapter hands it.

use awn_domain::{
    calendar::DualDate,
    casework::MAX_MESSAGE_CHARS,
    channels::Channel,
    deadlines::ClockRule,
    locale::Language,
    requests::{
        ApplicantField, FieldError, MemberDraft, RequestDraft, RequestStatus, ValidRequest, WizardMove, WizardStep,
        kept_rows, step_to_correct, validate_request, validate_step,
    },
    surveys::SurveyAudience,
};
use awn_storage::{
    Database,
    accounts::BeneficiaryAccount,
    limits::{SubmissionKind, take_daily_allowance},
    now_unix_seconds,
    requests::{self, NewRequest, Submission},
};

use crate::{
    error::AppError,
    requests::my_requests::{MyRequests, RequestListItem},
    requests::{
        tracking::{AskedDocumentView, DocumentView, MessageProblem, MessageView, RequestTracking, TimelineView},
        wizard::{DraftDocument, DuplicateNotice, KindOption, StepOutcome},
    },
    state::AppContext,
};

/// The account's draft and the problems found when it was last saved; a fresh
/// draft (with the mobile the account signed in with) if there is none.
pub async fn draft(
    database: &Database,
    account: &BeneficiaryAccount,
) -> Result<(RequestDraft, Vec<FieldError>), AppError> {
    Ok(match requests::load_draft(database, account.id).await? {
        Some(stored) => (stored.draft, stored.errors),
        None => (RequestDraft { mobile: account.mobile.local(), ..RequestDraft::default() }, Vec::new()),
    })
}

/// The kinds of support offered now, named in `language`.
pub async fn offered_kinds(database: &Database, language: Language) -> Result<Vec<KindOption>, AppError> {
    Ok(awn_storage::support_kinds::active(database)
        .await?
        .into_iter()
        .map(|kind| KindOption {
            name: kind.name(language).to_owned(),
            description: kind.description(language).to_owned(),
            code: kind.code,
        })
        .collect())
}

/// The codes of the kinds of support offered now: what a request may ask for.
pub(crate) async fn offered_kind_codes(database: &Database) -> Result<Vec<String>, AppError> {
    Ok(awn_storage::support_kinds::active(database).await?.into_iter().map(|kind| kind.code).collect())
}

/// The documents uploaded to the account's draft.
pub async fn draft_documents(
    database: &Database,
    account: &BeneficiaryAccount,
) -> Result<Vec<DraftDocument>, AppError> {
    Ok(awn_storage::documents::of_draft(database, account.id)
        .await?
        .into_iter()
        .map(|d| DraftDocument { id: d.id, file_name: d.file_name, size_bytes: d.size_bytes })
        .collect())
}

/// Takes a document off the account's draft (before submission only), and
/// its file off the store.
pub async fn remove_draft_document(
    context: &AppContext,
    account: &BeneficiaryAccount,
    document: i64,
) -> Result<(), AppError> {
    if let Some(key) = awn_storage::documents::remove_from_draft(&context.database, document, account.id).await?
        && let Err(error) = context.documents.delete(&key).await
    {
        // The record is gone; an orphan file is harmless and logged for cleanup.
        tracing::warn!(%error, "could not delete a removed document's file");
    }
    Ok(())
}

/// Saves what step `posted_step` (its code, as the form posted it) held and
/// moves as `go` says; `Submit` checks the whole draft and sends it, with the
/// receipt in `language`. Nothing typed is lost: the draft keeps even invalid
/// input, with its problems.
pub async fn save_step(
    context: &AppContext,
    account: &BeneficiaryAccount,
    posted_step: &str,
    go: WizardMove,
    posted: &[(ApplicantField, String)],
    members: Option<&[MemberDraft]>,
    language: Language,
) -> Result<StepOutcome, AppError> {
    let db = &context.database;
    let (mut draft, _) = draft(db, account).await?;
    // The form posted is the authority on which step it was.
    let step = WizardStep::from_code(posted_step).unwrap_or(draft.step);
    draft.clear_step_booleans(step);
    draft.set_fields(posted);
    if let Some(rows) = members.filter(|_| step == WizardStep::Household) {
        draft.members = kept_rows(rows);
    }
    let now = now_unix_seconds();
    let today = DualDate::from_unix_seconds(now).gregorian;
    let kinds = offered_kind_codes(db).await?;
    let errors = match go {
        WizardMove::Submit => match validate_request(&draft, today, &kinds) {
            Ok(valid) => return submit(context, account, draft, &valid, now, language).await,
            Err(errors) => {
                draft.step = step_to_correct(&errors).unwrap_or(step);
                errors
            }
        },
        WizardMove::Next => {
            let errors = validate_step(&draft, step, today, &kinds);
            draft.step = go.destination(step, errors.is_empty());
            errors
        }
        WizardMove::Back | WizardMove::Save | WizardMove::To(_) => {
            draft.step = go.destination(step, false);
            Vec::new()
        }
    };
    requests::save_draft(db, account.id, &draft, &errors, now).await?;
    Ok(StepOutcome::Saved { step: draft.step, errors })
}

/// Sends a checked draft, if the account has a request left today.
async fn submit(
    context: &AppContext,
    account: &BeneficiaryAccount,
    mut draft: RequestDraft,
    valid: &ValidRequest,
    now: i64,
    language: Language,
) -> Result<StepOutcome, AppError> {
    let db = &context.database;
    requests::save_draft(db, account.id, &draft, &[], now).await?;
    let per_day = context.settings.submissions_per_day;
    if !take_daily_allowance(db, account.id, SubmissionKind::SupportRequest, per_day, now).await? {
        return Ok(StepOutcome::DailyLimit);
    }
    let submission = requests::submit(
        db,
        NewRequest {
            beneficiary_id: account.id,
            request: valid,
            declaration_version: crate::requests::DECLARATION_VERSION,
            language,
            now,
            channel: Channel::Website,
            actor: requests::ACTOR_BENEFICIARY,
        },
        |reference, due_at| {
            // The receipt goes to the number the account signed in with, never
            // to one typed into the form (which would let anyone make Awn text
            // any number).
            crate::notices::request_submitted(
                &account.mobile,
                valid.email.as_deref(),
                valid.consent_email,
                reference,
                due_at,
                language,
            )
        },
    )
    .await?;
    Ok(match submission {
        Submission::Submitted { id, reference, .. } => {
            super::duplicates::look_for(db, awn_domain::ids::RequestId::new(id)).await;
            StepOutcome::Submitted { id, reference }
        }
        Submission::DuplicateOpen { id, reference } => StepOutcome::Duplicate(DuplicateNotice::Own { id, reference }),
        Submission::UnknownSupportKind => {
            // Withdrawn since the step was checked: the kind is asked again.
            let today = DualDate::from_unix_seconds(now).gregorian;
            let errors = validate_step(&draft, WizardStep::Support, today, &[]);
            draft.step = WizardStep::Support;
            requests::save_draft(db, account.id, &draft, &errors, now).await?;
            StepOutcome::Saved { step: draft.step, errors }
        }
    })
}

/// One of the account's requests as its tracking page shows it, kinds and
/// relations named in `language`, with the household the applicant may still
/// correct until the committee decides (no flash: the adapter adds it).
/// Another person's request and one that does not exist are both `NotFound`.
pub async fn tracking(
    database: &Database,
    account: &BeneficiaryAccount,
    request: i64,
    language: Language,
) -> Result<RequestTracking, AppError> {
    let file = requests::file_for_beneficiary(database, account.id, request).await?.ok_or(AppError::NotFound)?;
    let served = matches!(file.summary.status, RequestStatus::ServiceDelivered | RequestStatus::Closed);
    let evaluation = if served {
        let evaluated = awn_storage::surveys::request_evaluated(database, request).await?;
        let offered = awn_storage::surveys::in_use(database, SurveyAudience::AfterService).await?;
        (evaluated || offered).then_some(evaluated)
    } else {
        None
    };
    let rule = if file.summary.status == RequestStatus::MissingInformation {
        ClockRule::MissingInformation
    } else {
        ClockRule::Decision
    };
    let subject = awn_storage::clocks::Subject::request(request);
    let deadline = super::deadlines::open_deadline(database, rule, subject, awn_storage::now()).await?;
    let locale = crate::preferences::locale_of(language);
    let household = awn_storage::households::of_request(database, awn_domain::ids::RequestId::new(request))
        .await?
        .into_iter()
        .map(|m| crate::requests::household::MemberLine::from_record(m, locale))
        .collect();
    Ok(RequestTracking {
        household,
        household_editable: awn_domain::requests::household_open_to_applicant(file.summary.status),
        evaluation,
        deadline,
        id: request,
        kind_name: file.summary.support_kind_name(language).to_owned(),
        reference: file.summary.reference,
        status: file.summary.status,
        submitted_at: file.summary.submitted_at,
        decision_due_at: file.summary.decision_due_at,
        description: file.description,
        timeline: file
            .timeline
            .into_iter()
            .map(|e| TimelineView { status: e.status, reason: e.reason, at: e.created_at })
            .collect(),
        asked_documents: file
            .document_requests
            .into_iter()
            .map(|d| AskedDocumentView {
                id: d.id,
                description: d.description,
                asked_at: d.created_at,
                fulfilled: d.fulfilled_at.is_some(),
            })
            .collect(),
        documents: file
            .documents
            .into_iter()
            .map(|d| DocumentView { id: d.id, file_name: d.file_name, uploaded_at: d.created_at })
            .collect(),
        messages: file
            .messages
            .into_iter()
            .map(|m| MessageView { from_staff: m.author != "beneficiary", body: m.body, at: m.created_at })
            .collect(),
        flash: None,
    })
}

/// Sends the account's message to the staff handling its request `request`;
/// an empty or too long message is refused (and not sent). Another person's
/// request is `NotFound`.
pub async fn send_message(
    database: &Database,
    account: &BeneficiaryAccount,
    request: i64,
    body: &str,
) -> Result<Option<MessageProblem>, AppError> {
    if !requests::belongs_to(database, request, account.id).await? {
        return Err(AppError::NotFound);
    }
    let text = body.trim();
    if text.is_empty() {
        return Ok(Some(MessageProblem::Empty));
    }
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Ok(Some(MessageProblem::TooLong));
    }
    requests::add_message(database, request, requests::ACTOR_BENEFICIARY, text, now_unix_seconds()).await?;
    Ok(None)
}

/// The account's requests (support kinds named in `language`), and whether a
/// wizard draft waits to be finished.
pub async fn my_requests(
    database: &Database,
    account: &BeneficiaryAccount,
    language: Language,
) -> Result<MyRequests, AppError> {
    let requests = requests::list_for_beneficiary(database, account.id)
        .await?
        .into_iter()
        .map(|r| RequestListItem {
            id: r.id,
            kind_name: r.support_kind_name(language).to_owned(),
            reference: r.reference,
            status: r.status,
            submitted_at: r.submitted_at,
        })
        .collect();
    let has_draft = requests::load_draft(database, account.id).await?.is_some();
    Ok(MyRequests { requests, has_draft })
}

/// The committee's period as the home page states it (A13): a number of days,
/// and whether they are working days. A period an admin set in hours is
/// stated in whole days, rounded up.
pub async fn decision_period(database: &Database) -> Result<(u32, bool), AppError> {
    use awn_domain::deadlines::ClockUnit;
    let mut connection = database.pool().acquire().await.map_err(awn_storage::StorageError::from)?;
    let settings = awn_storage::clocks::rule_settings_in(&mut connection, ClockRule::Decision).await?;
    Ok(match settings.unit {
        ClockUnit::WorkingDays => (settings.period, true),
        ClockUnit::CalendarDays => (settings.period, false),
        ClockUnit::CalendarHours => (settings.period.div_ceil(24), false),
    })
}
