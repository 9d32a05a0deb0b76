//! The staff side of requests: the queue, the case file, intake on behalf of a
//! beneficiary (A10, A18) and the workflow's steps (A10–A14).
//!
//! Every step is ONE transaction: the move is checked against the domain's state
//! machine, the step's own record is written, the request's state and columns
//! change, the timeline gets its entry (whose reason is what the beneficiary
//! reads), the notice to the beneficiary is queued (A3) and an audit entry is
//! appended. A refused step writes nothing.
//!
//! Reads here ([`queue`], [`case_file`], [`beneficiary_overview`]) are not
//! audited: the app records who read what, in one place, through `audit::record`.
//!
//! The seams: the queue (`queue.rs`), the case file (`case_file.rs`), the
//! beneficiary overview (`beneficiary.rs`), intake (`intake.rs`), the steps
//! (`steps.rs`) and the service delivered (`service.rs`).

mod beneficiary;
mod case_file;
mod deadline;
mod intake;
mod queue;
mod service;
mod steps;

use awn_domain::{channels::Channel, requests::RequestStatus};

use crate::{StorageError, StorageResult};

pub use beneficiary::*;
pub use case_file::*;
pub use deadline::*;
pub use intake::*;
pub use queue::*;
pub use service::*;
pub use steps::*;

/// How a verification's outcome is stored: the case file reads what the steps write.
const OUTCOME_VERIFIED: &str = "verified";
const OUTCOME_MISSING_INFORMATION: &str = "missing_information";

pub(crate) fn invalid_code(what: &str, code: &str) -> StorageError {
    StorageError::Invalid(format!("{what} `{code}`"))
}

fn status_of(code: &str) -> StorageResult<RequestStatus> {
    RequestStatus::from_code(code).ok_or_else(|| invalid_code("request status", code))
}

fn channel_of(code: &str) -> StorageResult<Channel> {
    Channel::from_code(code).ok_or_else(|| invalid_code("channel", code))
}

/// A request's status and how its beneficiary is reached, inside a transaction.
pub(crate) async fn notice_recipient_in(
    connection: &mut sqlx::AnyConnection,
    keys: &crate::crypto::Keyring,
    request_id: i64,
) -> crate::StorageResult<(awn_domain::requests::RequestStatus, crate::requests::NoticeRecipient)> {
    let state = steps::case_state(connection, keys, request_id).await?;
    Ok((state.status, state.recipient))
}
