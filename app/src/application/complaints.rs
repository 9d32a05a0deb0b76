//! Complaints and objections (A2): each from its receipt to a resolution whose
//! reason the beneficiary reads (and is told of).

use awn_domain::paging::{PagePosition, PageRequest};
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
