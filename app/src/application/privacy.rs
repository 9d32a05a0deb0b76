//! The privacy officer's registers: violation reports tracked to an outcome with
//! the breach notification deadline (B12), disclosures recorded only with an
//! authority's order (B1, B4), and the data subject's requests answered within
//! the legal period, a deletion carried out in full.
//!
//! A refusal is a [`Refused`]: the field to correct and why; the adapters put
//! it on their form. A step-up (the password typed again) reads the request, so
//! the adapter hands it over as a future the use case awaits only when the rest
//! of the form is in order.

use awn_domain::{
    calendar::DualDate,
    digits::normalize_digits,
    paging::{PagePosition, PageRequest},
    privacy::{
        DataSubject, DisclosureForm, PartyKind, ReportState, breach_clock, check_disclosure, data_request_overdue,
    },
    workflow::WorkflowProblem,
};
use awn_storage::{
    Database, StorageError,
    data_requests::{self, DataRequestProblem},
    now_unix_seconds,
    privacy_reports::{self, NewPrivacyReport, ReportProblem, ReportSource, ReportStep},
};

use super::{
    access::{Authorized, can},
    personal_data,
};
use crate::{
    error::AppError,
    forms::Problem,
    staff::{
        account::CONFIRM_PASSWORD,
        privacy::{DataRequestItem, DisclosureItem, ReportItem},
    },
    state::AppContext,
};

pub use super::{Outcome, Refused, StepUp};

// ---------------------------------------------------------------------------
// Violation reports
// ---------------------------------------------------------------------------

/// A page of the violation reports, each with its breach notification clock.
pub async fn reports(
    database: &Database,
    who: &Authorized<can::HandlePrivacyReport>,
    request: PageRequest,
) -> Result<(Vec<ReportItem>, PagePosition), AppError> {
    let now = now_unix_seconds();
    let page = personal_data::privacy_reports(database, who, personal_data::PURPOSE_PRIVACY, request).await?;
    Ok(page.map(|report| report_item(report, now)).split())
}

fn report_item(r: privacy_reports::PrivacyReport, now: i64) -> ReportItem {
    let state = ReportState {
        received: r.status == privacy_reports::ReportStatus::Received,
        closed: r.status == privacy_reports::ReportStatus::Closed,
        is_breach: r.is_breach,
        notified: r.notified_at.is_some(),
        affected_informed: r.affected_informed_at.is_some(),
    };
    let clock = breach_clock(state, r.aware_at, now);
    ReportItem {
        id: r.id,
        source: r.source.code().to_owned(),
        reporter: [r.reporter_name, r.reporter_contact]
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
        description: r.description,
        status: r.status,
        is_breach: r.is_breach,
        notification_due_at: clock.due_at,
        minutes_left: clock.minutes_left,
        notified_at: r.notified_at,
        affected_informed_at: r.affected_informed_at,
        outcome: r.outcome,
        handled_by: r.handled_by_name,
        created_at: r.created_at,
    }
}

/// A report received by social media or email, as the privacy officer typed it.
#[derive(Debug, Clone, Copy, Default)]
pub struct TypedReport<'a> {
    /// "social_media", "email" (or "website").
    pub source: Option<&'a str>,
    pub reporter_name: &'a str,
    pub reporter_contact: &'a str,
    pub description: &'a str,
}

/// The field to correct when storage refuses a report.
pub fn report_refusal(problem: ReportProblem) -> Refused {
    match problem {
        ReportProblem::TooLong => Refused::new("description", Problem::TooLong),
        _ => Refused::new("description", Problem::Required),
    }
}

/// Records a report received elsewhere than the website; its awareness moment is now.
pub async fn record_report(
    database: &Database,
    who: &Authorized<can::HandlePrivacyReport>,
    typed: TypedReport<'_>,
) -> Result<Outcome, AppError> {
    let Some(source) = typed.source.and_then(ReportSource::from_code) else {
        return Ok(Err(Refused::new("source", Problem::Required)));
    };
    let report = NewPrivacyReport {
        source,
        reporter_name: typed.reporter_name,
        reporter_contact: typed.reporter_contact,
        description: typed.description,
        recorded_by: Some(who.id),
    };
    let submitted = privacy_reports::submit(database, report, now_unix_seconds()).await?;
    Ok(submitted.map(|_| ()).map_err(report_refusal))
}

/// A report sent on the website by anyone, signed in or not, anonymously if
/// they wish; its awareness moment is now.
pub async fn report_from_website(
    database: &Database,
    reporter_name: &str,
    reporter_contact: &str,
    description: &str,
) -> Result<Outcome, AppError> {
    let report = NewPrivacyReport {
        source: ReportSource::Website,
        reporter_name,
        reporter_contact,
        description,
        recorded_by: None,
    };
    let submitted = privacy_reports::submit(database, report, now_unix_seconds()).await?;
    Ok(submitted.map(|_| ()).map_err(report_refusal))
}

/// The step a form names: `investigate`, `breach`, `notified` or `close` (with the outcome).
pub fn report_step_of(step: &str, outcome: Option<&str>) -> Option<ReportStep> {
    Some(match step {
        "investigate" => ReportStep::Investigate,
        "breach" => ReportStep::MarkBreach,
        "notified" => ReportStep::RecordNotification,
        "affected_informed" => ReportStep::RecordAffectedInformed,
        "close" => ReportStep::Close { outcome: outcome.unwrap_or_default().to_owned() },
        _ => return None,
    })
}

/// Takes a step on a report; an unknown report is `NotFound`.
pub async fn report_step(
    database: &Database,
    who: &Authorized<can::HandlePrivacyReport>,
    report: i64,
    step: &ReportStep,
) -> Result<Outcome, AppError> {
    let done = privacy_reports::step(database, report, who.id, step, now_unix_seconds()).await?;
    Ok(match done {
        Ok(()) => Ok(()),
        Err(ReportProblem::NotFound) => return Err(AppError::NotFound),
        Err(ReportProblem::OutcomeRequired) => Err(Refused::new("outcome", Problem::Required)),
        Err(ReportProblem::TooLong) => Err(Refused::new("outcome", Problem::TooLong)),
        Err(_) => Err(Refused::new("", Problem::AlreadyDone)),
    })
}

// ---------------------------------------------------------------------------
// Disclosures
// ---------------------------------------------------------------------------

/// A page of the disclosures.
pub async fn disclosures(
    database: &Database,
    who: &Authorized<can::RecordDisclosure>,
    request: PageRequest,
) -> Result<(Vec<DisclosureItem>, PagePosition), AppError> {
    let page = personal_data::disclosures(database, who, personal_data::PURPOSE_PRIVACY, request).await?;
    Ok(page.map(disclosure_item).split())
}

fn disclosure_item(d: awn_storage::disclosures::DisclosureRecord) -> DisclosureItem {
    DisclosureItem {
        id: d.id,
        beneficiary_id: d.beneficiary_id,
        authority: d.authority,
        order_reference: d.order_reference,
        order_date: d.order_date,
        data_disclosed: d.data_disclosed,
        approved_by: d.approved_by_name,
        recorded_at: d.recorded_at,
    }
}

/// Records a disclosure ordered by an authority: the beneficiary's number and a
/// complete order first, then the step-up, then the record. Without the order's
/// reference (or its authority, date, or what was disclosed) nothing is recorded.
pub async fn record_disclosure(
    database: &Database,
    who: &Authorized<can::RecordDisclosure>,
    beneficiary: &str,
    form: &DisclosureForm,
    step_up: impl StepUp,
) -> Result<Outcome, AppError> {
    let now = now_unix_seconds();
    let Ok(beneficiary_id) = normalize_digits(beneficiary.trim()).parse::<i64>() else {
        return Ok(Err(Refused::new("beneficiary", Problem::Required)));
    };
    let disclosure = match check_disclosure(form, DualDate::from_unix_seconds(now).gregorian) {
        Ok(disclosure) => disclosure,
        Err(errors) => {
            let first = &errors[0];
            let problem = match first.problem {
                WorkflowProblem::Required => Problem::Required,
                WorkflowProblem::TooLong => Problem::TooLong,
                _ => Problem::Invalid,
            };
            return Ok(Err(Refused::new(&first.field, problem)));
        }
    };
    // A step-up: a disclosure hands a person's data to an authority.
    if let Some(problem) = step_up.await? {
        return Ok(Err(Refused::new(CONFIRM_PASSWORD, problem)));
    }
    match awn_storage::disclosures::record(database, beneficiary_id, &disclosure, who.id, now).await {
        Ok(_) => Ok(Ok(())),
        Err(StorageError::NotFound(_)) => Ok(Err(Refused::new("beneficiary", Problem::NotFound))),
        Err(error) => Err(error.into()),
    }
}

// ---------------------------------------------------------------------------
// The data subject's requests
// ---------------------------------------------------------------------------

/// A page of the data requests, the late ones flagged.
pub async fn data_requests(
    database: &Database,
    who: &Authorized<can::AnswerDataRequest>,
    request: PageRequest,
) -> Result<(Vec<DataRequestItem>, PagePosition), AppError> {
    let now = now_unix_seconds();
    let page = personal_data::data_requests(database, who, personal_data::PURPOSE_PRIVACY, request).await?;
    Ok(page
        .map(|r| DataRequestItem {
            overdue: data_request_overdue(r.status == data_requests::DataRequestStatus::Open, r.due_at, now),
            id: r.id,
            subject: r.subject,
            kind: r.kind,
            channel: r.channel,
            details: r.details,
            status: r.status,
            due_at: r.due_at,
            outcome: r.outcome,
            handled_by: r.handled_by_name,
            created_at: r.created_at,
        })
        .split())
}

/// Answers a request, done or refused, with the outcome the person reads; an
/// unknown request is `NotFound`.
pub async fn answer_data_request(
    database: &Database,
    who: &Authorized<can::AnswerDataRequest>,
    request: i64,
    done: bool,
    outcome: &str,
) -> Result<Outcome, AppError> {
    let answered = data_requests::answer(database, request, who.id, done, outcome, now_unix_seconds()).await?;
    Ok(match answered {
        Ok(()) => Ok(()),
        Err(DataRequestProblem::NotFound) => return Err(AppError::NotFound),
        Err(DataRequestProblem::AlreadyAnswered) => Err(Refused::new("", Problem::AlreadyDone)),
        Err(DataRequestProblem::TooLong) => Err(Refused::new("outcome", Problem::TooLong)),
        Err(_) => Err(Refused::new("outcome", Problem::Required)),
    })
}

/// Extends the deadline of an open request about one's data once, by up to
/// 30 days, with a reason, before the first deadline; the person is told by
/// SMS. An unknown request is `NotFound`.
pub async fn extend_data_request(
    database: &Database,
    who: &Authorized<can::AnswerDataRequest>,
    request: i64,
    form: &awn_domain::deadlines::ExtensionForm,
) -> Result<Outcome, AppError> {
    use awn_domain::deadlines::ExtensionRefusal;
    let Some(days) = awn_domain::deadlines::extension_days(form) else {
        return Ok(Err(Refused::new("days", Problem::Invalid)));
    };
    let reason = form.reason.trim();
    let extended =
        data_requests::extend(database, request, who.id, days, reason, now_unix_seconds(), |mobile, language, due| {
            crate::notices::deadlines::data_request_extended(mobile, language, due, reason)
        })
        .await;
    Ok(match extended {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(ExtensionRefusal::LengthOutOfRange)) => Err(Refused::new("days", Problem::Invalid)),
        Ok(Err(ExtensionRefusal::ReasonRequired)) => Err(Refused::new("reason", Problem::Required)),
        Ok(Err(_)) => Err(Refused::new("", Problem::AlreadyDone)),
        Err(awn_storage::StorageError::NotFound(_)) => return Err(AppError::NotFound),
        Err(error) => return Err(error.into()),
    })
}

/// Carries out an open deletion request, after the step-up: the data is removed
/// or anonymised, the files of removed documents are deleted, and the request
/// is answered with what was removed and what was kept and why, in the
/// person's language. An unknown request is `NotFound`.
pub async fn carry_out_deletion(
    context: &AppContext,
    who: &Authorized<can::AnswerDataRequest>,
    request: i64,
    step_up: impl StepUp,
) -> Result<Outcome, AppError> {
    let database = &context.database;
    let asked = data_requests::by_id(database, request).await?.ok_or(AppError::NotFound)?;
    if !super::party_data::is_open_deletion(&asked) {
        return Ok(Err(Refused::new("", Problem::AlreadyDone)));
    }
    // A step-up: erasure cannot be undone.
    if let Some(problem) = step_up.await? {
        return Ok(Err(Refused::new(CONFIRM_PASSWORD, problem)));
    }
    let beneficiary_id = match asked.subject {
        DataSubject { kind: PartyKind::Beneficiary, id } => id,
        other => return super::party_data::erase(context, who, request, other).await,
    };
    let language = awn_storage::accounts::beneficiary(database, beneficiary_id)
        .await?
        .map(|account| account.language)
        .unwrap_or(awn_domain::locale::Language::Arabic);
    let now = now_unix_seconds();
    let report = data_requests::erase_beneficiary(database, beneficiary_id, who.id, now).await?;
    for key in &report.storage_keys {
        if let Err(error) = context.documents.delete(key).await {
            tracing::warn!(%error, "a removed document's file could not be deleted");
        }
    }
    let outcome = crate::notices::deletion_outcome(&report, language);
    let answered = data_requests::answer(database, request, who.id, true, &outcome, now).await?;
    Ok(answered.map_err(|_| Refused::new("", Problem::AlreadyDone)))
}
