//! Complaints and objections (A2): each from its receipt to a resolution whose
//! reason the beneficiary reads (and is told of).

use awn_domain::{
    channels::Channel,
    paging::{PagePosition, PageRequest},
};
use awn_storage::{
    Database,
    complaints::{self, ComplaintProblem},
    now_unix_seconds,
};

use super::{
    Outcome, Refused,
    access::{Authorized, can},
    personal_data,
};
use crate::{
    error::AppError,
    forms::Problem,
    staff::complaints::{ComplaintItem, item_of},
};

/// A page of the complaints, filtered by status.
pub async fn list(
    database: &Database,
    who: &Authorized<can::HandleComplaint>,
    status: Option<&str>,
    request: PageRequest,
) -> Result<(Vec<ComplaintItem>, PagePosition), AppError> {
    let page = personal_data::complaints(database, who, status, personal_data::PURPOSE_CASEWORK, request).await?;
    Ok(page.map(item_of).split())
}

/// Starts reviewing a received complaint; one already under review or resolved
/// is refused. An unknown complaint is `NotFound`.
pub async fn start_review(
    database: &Database,
    who: &Authorized<can::HandleComplaint>,
    complaint: i64,
) -> Result<Outcome, AppError> {
    match complaints::start_review(database, complaint, who.id, now_unix_seconds()).await? {
        Ok(()) => Ok(Ok(())),
        Err(ComplaintProblem::NotFound) => Err(AppError::NotFound),
        Err(_) => Ok(Err(Refused::new("", Problem::AlreadyDone))),
    }
}

/// Resolves a complaint with the reason the beneficiary reads; they are told.
/// An unknown complaint is `NotFound`.
pub async fn resolve(
    database: &Database,
    who: &Authorized<can::HandleComplaint>,
    complaint: i64,
    resolution: &str,
) -> Result<Outcome, AppError> {
    let resolved = complaints::resolve(
        database,
        complaint,
        who.id,
        resolution,
        now_unix_seconds(),
        crate::notices::complaint_resolved,
    )
    .await?;
    Ok(match resolved {
        Ok(()) => Ok(()),
        Err(ComplaintProblem::NotFound) => return Err(AppError::NotFound),
        Err(ComplaintProblem::ResolutionTooLong) => Err(Refused::new("resolution", Problem::TooLong)),
        Err(ComplaintProblem::AlreadyResolved) => Err(Refused::new("", Problem::AlreadyDone)),
        Err(_) => Err(Refused::new("resolution", Problem::Required)),
    })
}

/// A complaint received by phone, letter or in person, recorded by staff for
/// `beneficiary` (about `request`, one of theirs, if given) on the channel
/// whose code staff chose. An unknown beneficiary is `NotFound`.
pub async fn record_received(
    database: &Database,
    _who: &Authorized<can::HandleComplaint>,
    beneficiary: i64,
    request: Option<&str>,
    channel: Option<&str>,
    body: Option<&str>,
) -> Result<Outcome, AppError> {
    if awn_storage::accounts::beneficiary(database, beneficiary).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let Some(channel) = channel.and_then(Channel::from_code) else {
        return Ok(Err(Refused::new("channel", Problem::Required)));
    };
    submit(database, beneficiary, request, body, channel).await
}

/// Records a complaint of `beneficiary_id` (about `request`, one of theirs, if
/// given) received on `channel`; a refusal says what to correct.
pub(crate) async fn submit(
    database: &Database,
    beneficiary_id: i64,
    request: Option<&str>,
    body: Option<&str>,
    channel: Channel,
) -> Result<Outcome, AppError> {
    let request_id = match request.map(str::trim).filter(|r| !r.is_empty()) {
        None => None,
        Some(text) => match text.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => return Ok(Err(Refused::new("request", Problem::Invalid))),
        },
    };
    let submitted =
        complaints::submit(database, beneficiary_id, request_id, body.unwrap_or_default(), channel, now_unix_seconds())
            .await?;
    Ok(match submitted {
        Ok(_) => Ok(()),
        Err(ComplaintProblem::RequestNotFound) => Err(Refused::new("request", Problem::Invalid)),
        Err(ComplaintProblem::BodyTooLong) => Err(Refused::new("body", Problem::TooLong)),
        Err(_) => Err(Refused::new("body", Problem::Required)),
    })
}

/// The signed-in beneficiary's complaints, and their requests (kinds named in
/// `language`) that a new complaint may be about. The page's problem is the adapter's.
pub async fn mine(
    database: &Database,
    account: &awn_storage::accounts::BeneficiaryAccount,
    language: awn_domain::locale::Language,
) -> Result<crate::complaints::MyComplaints, AppError> {
    use crate::complaints::{ComplaintStage, MyComplaint, RequestChoice};
    let complaints = complaints::for_beneficiary(database, account.id)
        .await?
        .into_iter()
        .map(|c| MyComplaint {
            id: c.id,
            request_reference: c.request_reference,
            body: c.body,
            stage: ComplaintStage::from_status(&c.status),
            resolution: c.resolution,
            created_at: c.created_at,
            resolved_at: c.resolved_at,
        })
        .collect();
    let requests = awn_storage::requests::list_for_beneficiary(database, account.id)
        .await?
        .into_iter()
        .map(|r| RequestChoice { id: r.id, label: format!("{} · {}", r.reference, r.support_kind_name(language)) })
        .collect();
    Ok(crate::complaints::MyComplaints { complaints, requests, problem: None })
}

/// Takes one of the account's complaints for the day (`per_day`), unless the
/// complaint is empty (refused later without counting); `false` when the day's
/// are used up.
pub async fn take_daily_allowance(
    database: &Database,
    account: i64,
    body: Option<&str>,
    per_day: u32,
) -> Result<bool, AppError> {
    if body.is_none_or(|body| body.trim().is_empty()) {
        return Ok(true);
    }
    let kind = awn_storage::limits::SubmissionKind::Complaint;
    Ok(awn_storage::limits::take_daily_allowance(database, account, kind, per_day, now_unix_seconds()).await?)
}
