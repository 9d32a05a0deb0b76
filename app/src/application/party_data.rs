//! Requests about their data from supporters, members and volunteers (issue 15,
//! B1, B3): the privacy officer records what came by phone, email, letter or in
//! person, hands over a copy on an access request, and carries out a deletion,
//! in the same register and under the same legal clock as beneficiaries'.

use awn_domain::{
    locale::Language,
    privacy::{DataSubject, PartyKind, RecordedDataRequestForm, check_recorded_data_request},
    workflow::WorkflowProblem,
};
use awn_storage::{
    Database, StorageError,
    data_requests::{self, DataRequestKind, DataRequestProblem, DataRequestStatus},
    now_unix_seconds, parties, party_privacy, volunteers,
};
use serde_json::{Value, json};

use super::{
    Outcome, Refused,
    access::{Authorized, can},
};
use crate::{error::AppError, forms::Problem, state::AppContext};

fn problem_of(problem: WorkflowProblem) -> Problem {
    match problem {
        WorkflowProblem::Required => Problem::Required,
        WorkflowProblem::TooLong => Problem::TooLong,
        _ => Problem::Invalid,
    }
}

/// Records a request taken by phone, email, letter or in person; nobody with
/// that number in that register is `NotFound` on the number.
pub async fn record(
    database: &Database,
    who: &Authorized<can::AnswerDataRequest>,
    form: &RecordedDataRequestForm,
) -> Result<Outcome, AppError> {
    let request = match check_recorded_data_request(form) {
        Ok(request) => request,
        Err(errors) => {
            let first = &errors[0];
            return Ok(Err(Refused::new(&first.field, problem_of(first.problem))));
        }
    };
    Ok(match party_privacy::record(database, &request, who.id, now_unix_seconds()).await? {
        Ok(_) => Ok(()),
        Err(DataRequestProblem::UnknownPerson) => Err(Refused::new("number", Problem::NotFound)),
        Err(DataRequestProblem::TooLong) => Err(Refused::new("details", Problem::TooLong)),
        Err(_) => Err(Refused::new("details", Problem::Required)),
    })
}

/// The copy of everything held about the person an access request is about,
/// as JSON, with the file name to give it; the hand-over is audited first. A
/// request about a beneficiary (who takes their own copy) or not asking for
/// access is `NotFound`.
pub async fn export(
    database: &Database,
    who: &Authorized<can::AnswerDataRequest>,
    request: i64,
) -> Result<(Value, String), AppError> {
    let asked = data_requests::by_id(database, request).await?.ok_or(AppError::NotFound)?;
    if asked.kind != DataRequestKind::Access || asked.subject.kind == PartyKind::Beneficiary {
        return Err(AppError::NotFound);
    }
    let subject = asked.subject;
    let held = match subject.kind {
        PartyKind::Supporter => supporter_copy(database, subject.id).await?,
        PartyKind::Member => member_copy(database, subject.id).await?,
        PartyKind::Volunteer => volunteer_copy(database, subject.id).await?,
        PartyKind::Beneficiary => None,
    }
    .ok_or(AppError::NotFound)?;
    let now = now_unix_seconds();
    party_privacy::record_export(database, request, subject, who.id, now).await?;
    let requests: Vec<Value> = data_requests::about(database, subject)
        .await?
        .into_iter()
        .map(|r| {
            json!({
                "kind": r.kind.code(),
                "status": r.status.code(),
                "details": r.details,
                "received_by": r.channel.code(),
                "asked_at": iso(r.created_at),
                "answer_due": iso(r.due_at),
                "outcome": r.outcome,
            })
        })
        .collect();
    let copy = json!({
        "held_by": "الجمعية التعاونية متعددة الأغراض بالرهاة",
        "made_at": iso(now),
        "register": subject.kind.code(),
        "number": subject.id,
        "record": held,
        "requests_about_your_data": requests,
    });
    Ok((copy, format!("{}-{}-data.json", subject.kind.code(), subject.id)))
}

fn iso(unix_seconds: i64) -> String {
    awn_domain::calendar::DualDate::from_unix_seconds(unix_seconds).gregorian.iso()
}

async fn supporter_copy(database: &Database, id: i64) -> Result<Option<Value>, AppError> {
    let Some(file) = parties::supporter_file(database, id).await? else { return Ok(None) };
    let contributions: Vec<Value> = file
        .contributions
        .iter()
        .map(|c| {
            json!({
                "kind": c.kind.code(),
                "amount_riyals": c.amount_halalas.map(|h| h as f64 / 100.0),
                "received_on": c.received_on,
                "purpose": c.purpose,
                "channel": c.channel.code(),
                "receipt_number": c.receipt_number,
            })
        })
        .collect();
    let s = &file.supporter;
    Ok(Some(json!({
        "kind": s.kind.code(),
        "name": s.name,
        "mobile": file.mobile,
        "email": file.email,
        "anonymous_in_reports": s.anonymous,
        "news_consent": s.consent_news,
        "contributions": contributions,
    })))
}

async fn member_copy(database: &Database, id: i64) -> Result<Option<Value>, AppError> {
    let Some(file) = parties::member_file(database, id).await? else { return Ok(None) };
    let history: Vec<Value> = file
        .history
        .iter()
        .map(|(status, reason, at)| json!({ "status": status.code(), "reason": reason, "at": iso(*at) }))
        .collect();
    let m = &file.member;
    Ok(Some(json!({
        "membership_number": m.membership_number,
        "full_name": m.full_name,
        "national_id": file.national_id,
        "mobile": file.mobile,
        "status": m.status.code(),
        "joined_on": m.joined_on,
        "left_on": m.left_on,
        "status_history": history,
    })))
}

async fn volunteer_copy(database: &Database, id: i64) -> Result<Option<Value>, AppError> {
    let Some(v) = volunteers::by_id(database, id).await? else { return Ok(None) };
    let hours: Vec<Value> = volunteers::hours(database, id)
        .await?
        .iter()
        .map(|h| json!({ "day": h.day, "hours": h.half_hours as f64 / 2.0, "activity": h.activity }))
        .collect();
    Ok(Some(json!({
        "full_name": v.full_name,
        "mobile": v.mobile,
        "skills": v.skills,
        "areas": v.areas,
        "availability": v.availability.code(),
        "sms_consent": v.sms_consent,
        "news_consent": v.news_consent,
        "language": v.language.tag(),
        "status": v.status.code(),
        "decision_message": v.decision_message,
        "applied_at": iso(v.created_at),
        "staff_account": v.staff_username,
        "hours": hours,
    })))
}

/// Carries out an open deletion request about a supporter, member or
/// volunteer (after the caller's step-up), and answers it with what was
/// removed and what was kept and why, in the person's language.
pub async fn erase(
    context: &AppContext,
    who: &Authorized<can::AnswerDataRequest>,
    request: i64,
    subject: DataSubject,
) -> Result<Outcome, AppError> {
    let database = &context.database;
    let language = match subject.kind {
        PartyKind::Volunteer => volunteers::by_id(database, subject.id).await?.map(|v| v.language),
        _ => None,
    }
    .unwrap_or(Language::Arabic);
    let now = now_unix_seconds();
    let report = match party_privacy::erase(database, subject, who.id, now).await {
        Ok(report) => report,
        Err(StorageError::NotFound(_)) => return Err(AppError::NotFound),
        Err(error) => return Err(error.into()),
    };
    let outcome = crate::notices::party_deletion_outcome(&report, language);
    let answered = data_requests::answer(database, request, who.id, true, &outcome, now).await?;
    Ok(answered.map_err(|_| Refused::new("", Problem::AlreadyDone)))
}

/// Whether an open deletion request may be carried out now.
pub fn is_open_deletion(asked: &data_requests::DataRequest) -> bool {
    asked.kind == DataRequestKind::Deletion && asked.status == DataRequestStatus::Open
}
