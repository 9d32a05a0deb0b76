//! The case file as the page shows it, and the answer every step form gets.

use awn_domain::{casework::StepRefusal, ids::RequestId, locale::Language, workflow::is_overdue};
use awn_storage::{casework::CaseFile, now_unix_seconds};

use super::{CaseView, RecordLine};
use crate::{error::AppError, flash::FormFlash, i18n::*, preferences::locale_of};

/// Success goes back to the case page; a problem stays on it (and, after a
/// plain form post, travels to it in the flash cookie).
pub fn answer(
    request: RequestId,
    action: &str,
    outcome: Result<(), StepRefusal>,
) -> Result<Option<StepRefusal>, AppError> {
    let problem = outcome.err();
    match &problem {
        None => leptos_axum::redirect(&format!("/staff/requests/{request}")),
        Some(problem) => {
            let (code, values) = match problem {
                StepRefusal::NotNow => ("not_now", vec![]),
                StepRefusal::Fields(errors) => {
                    ("fields", errors.iter().map(|e| (e.field.clone(), e.problem.code().to_owned())).collect())
                }
            };
            let mut values = values;
            values.push(("action".into(), action.to_owned()));
            crate::flash::keep_for_next_page(&FormFlash {
                form: "case".into(),
                values,
                problem: code.into(),
                number: request.get(),
            });
        }
    }
    Ok(problem)
}

pub fn case_view(file: CaseFile, language: Language) -> CaseView {
    let locale = locale_of(language);
    let now = now_unix_seconds();
    let kind_name = file.support_kind_name(language).to_owned();
    CaseView {
        id: file.id,
        beneficiary_id: file.beneficiary_id,
        assignee_id: file.assignee_id,
        assignee_name: file.assignee_name,
        assignees: Vec::new(),
        reference: file.reference,
        status: file.status,
        channel: file.channel,
        kind_name,
        full_name: file.full_name,
        national_id: file.national_id,
        birth_date: file.birth_date,
        mobile: file.mobile,
        email: file.email,
        city: file.city,
        district: file.district,
        household_members: file.household_members,
        monthly_income: file.monthly_income,
        housing: crate::staff::labels::housing_text(locale, file.housing),
        description: file.description,
        signature: file.signature,
        declaration_version: file.declaration_version,
        declared_at: file.declared_at,
        consent_sms: file.consent_sms,
        consent_email: file.consent_email,
        submitted_at: file.submitted_at,
        decision_due_at: file.decision_due_at,
        overdue: is_overdue(file.status, file.decision_due_at, now),
        decision_deadline: None,
        can_extend: false,
        possible_duplicate_of: file.possible_duplicate_of,
        household: file.household.into_iter().map(|m| super::MemberLine::from_record(m, locale)).collect(),
        duplicates: Vec::new(),
        can_decide_duplicates: false,
        can_edit_household: false,
        file_number: file.file_number,
        support_granted: file.support_granted,
        timeline: file.timeline.into_iter().map(|e| (e.status, e.reason, e.created_at)).collect(),
        documents: file.documents.into_iter().map(|d| (d.id, d.file_name)).collect(),
        messages: file
            .messages
            .into_iter()
            .map(|m| (m.author != awn_storage::requests::ACTOR_BENEFICIARY, m.body, m.created_at))
            .collect(),
        verifications: file
            .verifications
            .into_iter()
            .map(|v| RecordLine {
                staff_name: v.staff_name,
                at: v.created_at,
                title: if v.verified {
                    td_string!(locale, staff.verified).to_string()
                } else {
                    td_string!(locale, status.missing_information).to_string()
                },
                body: [v.note, v.message].into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>().join("\n"),
            })
            .collect(),
        referrals: file
            .referrals
            .into_iter()
            .map(|r| RecordLine {
                staff_name: r.staff_name,
                at: r.created_at,
                title: td_string!(locale, staff.referral).to_string(),
                body: r.note,
            })
            .collect(),
        studies: file
            .studies
            .into_iter()
            .map(|s| RecordLine {
                staff_name: s.staff_name,
                at: s.created_at,
                title: format!(
                    "{} · {}",
                    crate::staff::labels::method_text(locale, s.method),
                    crate::staff::labels::recommendation_text(locale, s.recommendation)
                ),
                body: s.findings,
            })
            .collect(),
        decisions: file
            .decisions
            .into_iter()
            .map(|d| RecordLine {
                staff_name: d.staff_name,
                at: d.created_at,
                title: crate::staff::labels::decision_text(locale, d.decision),
                body: d.support_granted.unwrap_or(d.reason),
            })
            .collect(),
        services: file
            .services
            .into_iter()
            .map(|s| RecordLine {
                staff_name: s.staff_name,
                at: s.created_at,
                title: s.what,
                body: format!(
                    "{} {} · {:04}-{:02}-{:02}",
                    s.quantity, s.unit, s.delivered_on.year, s.delivered_on.month, s.delivered_on.day
                ),
            })
            .collect(),
        flash: crate::flash::take("case"),
    }
}

/// The possible duplicates in words.
pub fn duplicate_lines(
    found: Vec<awn_storage::duplicates::PossibleDuplicate>,
    language: Language,
) -> Vec<super::DuplicateLine> {
    use crate::requests::labels::{duplicate_reason_text, duplicate_status_text};
    let locale = locale_of(language);
    found
        .into_iter()
        .map(|d| super::DuplicateLine {
            id: d.id,
            other_request: d.other_request_id,
            other_reference: d.other_reference,
            reason: duplicate_reason_text(locale, d.reason),
            status: d.status,
            status_text: duplicate_status_text(locale, d.status),
            found_at: d.found_at,
            decided_by: d.decided_by_name,
            decision_reason: d.decision_reason,
        })
        .collect()
}
