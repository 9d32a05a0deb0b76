//! The clocks of a support request follow its status (A13): the committee's
//! clock and, while the beneficiary is asked for more, the beneficiary's own.

use awn_domain::{
    calendar::UnixTime,
    deadlines::{ClockEvent, ClockRule},
    requests::RequestStatus,
};

use super::{EventNote, Subject};
use crate::{StorageResult, clocks};

/// Moves the request's clocks with its status: the committee's clock pauses
/// while the beneficiary is asked for more and resumes when they answer; the
/// beneficiary's own clock runs meanwhile; a decision meets the committee's
/// clock; closing stops whatever still runs. The request keeps the decision's
/// due moment for the queue, the tracking page and the notices.
pub(crate) async fn follow_request(
    connection: &mut sqlx::AnyConnection,
    request_id: i64,
    from: RequestStatus,
    to: RequestStatus,
    at: UnixTime,
) -> StorageResult<()> {
    let subject = Subject::request(request_id);
    let note = EventNote::default();
    if from == RequestStatus::MissingInformation && to != RequestStatus::Closed {
        clocks::record_in(&mut *connection, ClockRule::MissingInformation, subject, ClockEvent::Met { at }, note)
            .await?;
    }
    let decision = match to {
        RequestStatus::MissingInformation => {
            let assignee: Option<i64> = sqlx::query_scalar("SELECT assignee_id FROM support_requests WHERE id = $1")
                .bind(request_id)
                .fetch_one(&mut *connection)
                .await?;
            clocks::start_in(&mut *connection, ClockRule::MissingInformation, subject, at, assignee, None).await?;
            clocks::record_in(&mut *connection, ClockRule::Decision, subject, ClockEvent::Paused { at }, note).await?
        }
        RequestStatus::Accepted | RequestStatus::Rejected => {
            clocks::record_in(&mut *connection, ClockRule::Decision, subject, ClockEvent::Met { at }, note).await?
        }
        RequestStatus::Closed => {
            clocks::stop_all_in(&mut *connection, subject, at).await?;
            None
        }
        _ if from == RequestStatus::MissingInformation => {
            clocks::record_in(&mut *connection, ClockRule::Decision, subject, ClockEvent::Resumed { at }, note).await?
        }
        _ => None,
    };
    if let Some(due) = decision.and_then(|clock| clock.state.due_at) {
        sqlx::query("UPDATE support_requests SET decision_due_at = $1 WHERE id = $2")
            .bind(due.seconds())
            .bind(request_id)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}
