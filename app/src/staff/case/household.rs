//! The case page's household members and possible duplicates (issue 15): who
//! lives with the applicant, and the other requests that may be about the same
//! people, with the form that confirms (the files are linked) or dismisses one.

use awn_domain::{
    casework::StepRefusal,
    duplicates::DuplicateStatus,
    ids::{MemberId, RequestId},
    requests::MemberDraft,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{CaseDuplicate, CaseHousehold, forms::field_error};
use crate::{
    components::dates::DualDateText,
    flash::FormFlash,
    i18n::*,
    requests::household::{
        HouseholdList, HouseholdProblem, MemberFields, MemberForm, MemberFormParts, MemberLine, household_problem,
        member_form_id,
    },
};

/// One possible duplicate, from this request's side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateLine {
    pub id: i64,
    pub other_request: RequestId,
    pub other_reference: String,
    pub reason: String,
    pub status: DuplicateStatus,
    pub status_text: String,
    pub found_at: i64,
    pub decided_by: Option<String>,
    pub decision_reason: String,
}

/// The household's members; for staff who may (`EditHousehold`), each with a
/// correction form (save, or remove the member) and a form that adds one.
#[component]
pub(super) fn HouseholdSection(
    request: RequestId,
    members: Vec<MemberLine>,
    can_edit: bool,
    action: ServerAction<CaseHousehold>,
    flash: Option<FormFlash>,
) -> impl IntoView {
    let i18n = use_i18n();
    let problem = household_problem(action, flash.as_ref().and_then(HouseholdProblem::from_flash));
    let form: Option<MemberForm> = can_edit.then(|| {
        std::sync::Arc::new(move |member: Option<MemberId>, draft: MemberDraft| {
            view! {
                <ActionForm action attr:class="form" attr:id=member_form_id(member)>
                    <MemberFormParts request member><MemberFields member draft problem/></MemberFormParts>
                </ActionForm>
            }
            .into_any()
        }) as MemberForm
    });
    view! {
        <section class="card" id="household">
            <h2>{t!(i18n, household.members)}</h2>
            <HouseholdList members form/>
        </section>
    }
}

/// The possible duplicates, each with a link to the other case and, while
/// open and for staff who verify, the decision form.
#[component]
pub(super) fn DuplicatesSection(
    request: RequestId,
    duplicates: Vec<DuplicateLine>,
    can_decide: bool,
    action: ServerAction<CaseDuplicate>,
    problem: Signal<Option<StepRefusal>>,
) -> impl IntoView {
    let i18n = use_i18n();
    (!duplicates.is_empty()).then(|| {
        view! {
            <section class="card card--warning" id="possible-duplicates">
                <h2>{t!(i18n, duplicates.possible)}</h2>
                <p>{t!(i18n, duplicates.possible_hint)}</p>
                <ul>{duplicates.into_iter().map(|line| {
                    let open = line.status == DuplicateStatus::Open;
                    view! {
                        <li class="duplicate" data-status=line.status.code()>
                            <a href=format!("/staff/requests/{}", line.other_request) dir="ltr">{line.other_reference}</a>
                            " · " {line.reason} " · " <DualDateText unix_seconds=line.found_at/>
                            <p class="duplicate__status">{line.status_text}
                                {line.decided_by.map(|name| format!(" · {name}"))}
                                {(!line.decision_reason.is_empty()).then(|| format!(" · {}", line.decision_reason))}
                            </p>
                            {(open && can_decide).then(|| view! {
                                <DuplicateForm request duplicate=line.id action problem/>
                            })}
                        </li>
                    }
                }).collect_view()}</ul>
            </section>
        }
    })
}

#[component]
fn DuplicateForm(
    request: RequestId,
    duplicate: i64,
    action: ServerAction<CaseDuplicate>,
    problem: Signal<Option<StepRefusal>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("field-duplicate-reason-{duplicate}");
    let error = field_error(i18n, problem, "reason");
    view! {
        <ActionForm action attr:class="form" attr:id=format!("form-duplicate-{duplicate}")>
            <input type="hidden" name="request" value=request.get()/>
            <input type="hidden" name="duplicate" value=duplicate/>
            <div class="field" class:field--invalid=move || error.get().is_some()>
                <label class="field__label" for=id.clone()>{t!(i18n, duplicates.decision_reason)}</label>
                <textarea class="field__input" id=id name="reason" rows="2"></textarea>
                <crate::components::form::FieldError id=format!("field-duplicate-reason-{duplicate}-error") error/>
            </div>
            <button class="button" type="submit" name="decision" value="same">{t!(i18n, duplicates.same_person)}</button>
            " "
            <button class="button button--secondary" type="submit" name="decision" value="not_same">
                {t!(i18n, duplicates.not_same_person)}
            </button>
        </ActionForm>
    }
}
