//! The case page's step forms, one component each, and what they share: the
//! problem a form shows (after a JavaScript answer or a plain post) and its
//! field errors. Every form posts plainly too, so the markup (ids, `name=`
//! attributes, actions) is what the no-JS path and the journeys rely on.

use awn_domain::{
    casework::StepRefusal,
    ids::{RequestId, StaffId},
    requests::RequestStatus,
    staff::Permission,
    workflow::{DecisionKind, Recommendation, StudyMethod, WorkflowError},
};
use leptos::prelude::*;

use super::{
    CaseAssign, CaseClose, CaseDecide, CaseExtendDecision, CaseMessage, CaseRegister, CaseService,
    CaseStartVerification, CaseStudy, CaseVerify,
    page::{CaseActions, CaseProblems},
};
use crate::{
    error::AppError,
    flash::FormFlash,
    i18n::*,
    staff::{
        StaffSession,
        labels::{decision_text, method_text, recommendation_text, workflow_problem_text},
    },
};

pub(super) fn field_error(
    i18n: leptos_i18n::I18nContext<Locale>,
    problem: Signal<Option<StepRefusal>>,
    field: &'static str,
) -> Signal<Option<String>> {
    Signal::derive(move || match problem.get() {
        Some(StepRefusal::Fields(errors)) => {
            errors.iter().find(|e| e.field == field).map(|e| workflow_problem_text(i18n.get_locale(), e.problem))
        }
        _ => None,
    })
}

/// The problem a form shows: the latest answer with JavaScript, else the flash
/// of a plain post for this action.
pub(super) fn form_problem<A>(
    action: ServerAction<A>,
    flash: Option<FormFlash>,
    name: &'static str,
) -> Signal<Option<StepRefusal>>
where
    A: leptos::server_fn::ServerFn<Output = Option<StepRefusal>, Error = AppError> + Clone + Send + Sync + 'static,
    A::Output: Send + Sync + 'static,
{
    let from_flash = flash.filter(|f| f.value("action") == Some(name)).map(|f| match f.problem.as_str() {
        "fields" => StepRefusal::Fields(
            f.values
                .iter()
                .filter(|(field, _)| field != "action")
                .filter_map(|(field, code)| {
                    awn_domain::workflow::WorkflowProblem::from_code(code)
                        .map(|problem| WorkflowError { field: field.clone(), problem })
                })
                .collect(),
        ),
        _ => StepRefusal::NotNow,
    });
    Signal::derive(move || match action.value().get() {
        Some(Ok(problem)) => problem,
        Some(Err(_)) => None,
        None => from_flash.clone(),
    })
}

#[component]
fn TextArea(
    name: &'static str,
    #[prop(into)] label: String,
    error: Signal<Option<String>>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label class="field__label" for=id.clone()>{label}</label>
            <crate::components::form::TextArea
                id=id.clone()
                name=name
                required=required
                invalid=Signal::derive(move || error.get().is_some())
                described_by=Signal::derive(move || error.get().is_some().then(|| error_id.clone()))
            />
            <crate::components::form::FieldError id=format!("{id}-error") error/>
        </div>
    }
}

/// Who the request is given to; shown to staff who assign.
#[component]
pub(super) fn AssignForm(
    action: ServerAction<CaseAssign>,
    request: RequestId,
    problem: Signal<Option<StepRefusal>>,
    current: Option<StaffId>,
    assignees: Vec<(StaffId, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="assign-title">
            <h2 id="assign-title">{t!(i18n, staff.assignee)}</h2>
            <ActionForm action attr:class="form" attr:id="form-assign">
                <input type="hidden" name="request" value=request.get()/>
                <div class="field">
                    <label class="field__label" for="field-assignee">{t!(i18n, staff.assign_to)}</label>
                    <select class="field__input" id="field-assignee" name="assignee">
                        <option value="">{t!(i18n, staff.unassigned)}</option>
                        {assignees.into_iter().map(|(id, name)| view! {
                            <option value=id.get() selected=current == Some(id)>{name}</option>
                        }).collect_view()}
                    </select>
                    <crate::components::form::FieldError id="field-assignee-error" error=field_error(i18n, problem, "assignee")/>
                </div>
                <button class="button" type="submit">{t!(i18n, staff.assign)}</button>
            </ActionForm>
        </section>
    }
}

/// The card with the form for the next step the request's state and the
/// signed-in role allow.
#[component]
pub(super) fn NextStep(
    session: StaffSession,
    status: RequestStatus,
    request: RequestId,
    actions: CaseActions,
    problems: CaseProblems,
) -> impl IntoView {
    let i18n = use_i18n();
    let may = move |permission| session.may(permission);
    view! {
        <section class="card staff-actions">
            <h2>{t!(i18n, staff.next_step)}</h2>
            {(matches!(status, RequestStatus::Submitted | RequestStatus::MissingInformation)
                && may(Permission::VerifyRequest)).then(|| view! { <StartVerificationForm action=actions.start request/> })}
            {(status == RequestStatus::UnderVerification && may(Permission::VerifyRequest))
                .then(|| view! { <VerifyForm action=actions.verify request problem=problems.verify/> })}
            {(status == RequestStatus::ReferredToResearch && may(Permission::RecordStudy))
                .then(|| view! { <StudyForm action=actions.study request problem=problems.study/> })}
            {(status == RequestStatus::WithCommittee && may(Permission::DecideRequest))
                .then(|| view! { <DecideForm action=actions.decide request problem=problems.decide/> })}
            {(status == RequestStatus::Accepted && may(Permission::CompleteRegistration))
                .then(|| view! { <RegisterForm action=actions.register request/> })}
            {(matches!(status, RequestStatus::RegistrationCompleted | RequestStatus::ServiceDelivered)
                && may(Permission::RecordService)).then(|| view! { <ServiceForm action=actions.service request problem=problems.service/> })}
            {(status.is_open() && status.can_move_to(RequestStatus::Closed) && may(Permission::CloseRequest))
                .then(|| view! { <CloseForm action=actions.close request problem=problems.close/> })}
        </section>
    }
}

#[component]
fn StartVerificationForm(action: ServerAction<CaseStartVerification>, request: RequestId) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ActionForm action attr:class="form" attr:id="form-start-verification">
            <input type="hidden" name="request" value=request.get()/>
            <button class="button button--primary" type="submit">{t!(i18n, staff.start_verification)}</button>
        </ActionForm>
    }
}

#[component]
fn VerifyForm(
    action: ServerAction<CaseVerify>,
    request: RequestId,
    problem: Signal<Option<StepRefusal>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ActionForm action attr:class="form" attr:id="form-verify" attr:novalidate=true>
            <input type="hidden" name="request" value=request.get()/>
            <fieldset class="choices">
                <legend>{t!(i18n, staff.checklist)}</legend>
                <label class="choice"><input type="checkbox" name="items_provided" value="1"/>{t!(i18n, staff.check_items_provided)}</label>
                <label class="choice"><input type="checkbox" name="data_matches_documents" value="1"/>{t!(i18n, staff.check_data_matches)}</label>
                <label class="choice"><input type="checkbox" name="documents_valid_on_submission" value="1"/>{t!(i18n, staff.check_documents_valid)}</label>
            </fieldset>
            <TextArea name="referral_note" label=t_string!(i18n, staff.referral_note).to_string() error=field_error(i18n, problem, "referral_note")/>
            <TextArea name="message" label=t_string!(i18n, staff.missing_message).to_string() error=field_error(i18n, problem, "message")/>
            <TextArea name="note" label=t_string!(i18n, staff.internal_note).to_string() error=field_error(i18n, problem, "note")/>
            <button class="button button--primary" type="submit">{t!(i18n, staff.record_verification)}</button>
        </ActionForm>
    }
}

#[component]
fn StudyForm(
    action: ServerAction<CaseStudy>,
    request: RequestId,
    problem: Signal<Option<StepRefusal>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ActionForm action attr:class="form" attr:id="form-study" attr:novalidate=true>
            <input type="hidden" name="request" value=request.get()/>
            <div class="field">
                <label class="field__label" for="field-method">{t!(i18n, staff.method)}</label>
                <select class="field__input" id="field-method" name="method">
                    {StudyMethod::ALL.into_iter().map(|m| view! { <option value=m.code()>{method_text(i18n.get_locale(), m)}</option> }).collect_view()}
                </select>
            </div>
            <TextArea name="findings" label=t_string!(i18n, staff.findings).to_string() error=field_error(i18n, problem, "findings") required=true/>
            <div class="field">
                <label class="field__label" for="field-recommendation">{t!(i18n, staff.recommendation)}</label>
                <select class="field__input" id="field-recommendation" name="recommendation">
                    {Recommendation::ALL.into_iter().map(|r| view! { <option value=r.code()>{recommendation_text(i18n.get_locale(), r)}</option> }).collect_view()}
                </select>
            </div>
            <TextArea name="message" label=t_string!(i18n, staff.missing_message).to_string() error=field_error(i18n, problem, "message")/>
            <button class="button button--primary" type="submit">{t!(i18n, staff.record_study)}</button>
        </ActionForm>
    }
}

#[component]
fn DecideForm(
    action: ServerAction<CaseDecide>,
    request: RequestId,
    problem: Signal<Option<StepRefusal>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ActionForm action attr:class="form" attr:id="form-decide" attr:novalidate=true>
            <input type="hidden" name="request" value=request.get()/>
            <fieldset class="choices">
                <legend>{t!(i18n, staff.decision)}</legend>
                {[DecisionKind::Accept, DecisionKind::Reject, DecisionKind::MoreInformation].into_iter().map(|d| view! {
                    <label class="choice"><input type="radio" name="decision" value=d.code()/>{decision_text(i18n.get_locale(), d)}</label>
                }).collect_view()}
                <crate::components::form::FieldError id="field-decision-error" error=field_error(i18n, problem, "decision")/>
            </fieldset>
            <TextArea name="support" label=t_string!(i18n, staff.support_granted).to_string() error=field_error(i18n, problem, "support")/>
            <TextArea name="reason" label=t_string!(i18n, staff.decision_reason).to_string() error=field_error(i18n, problem, "reason")/>
            <button class="button button--primary" type="submit">{t!(i18n, staff.record_decision)}</button>
        </ActionForm>
    }
}

#[component]
fn RegisterForm(action: ServerAction<CaseRegister>, request: RequestId) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ActionForm action attr:class="form" attr:id="form-register">
            <input type="hidden" name="request" value=request.get()/>
            <button class="button button--primary" type="submit">{t!(i18n, staff.complete_registration)}</button>
        </ActionForm>
    }
}

#[component]
fn ServiceForm(
    action: ServerAction<CaseService>,
    request: RequestId,
    problem: Signal<Option<StepRefusal>>,
) -> impl IntoView {
    use crate::components::form::TextField;
    let i18n = use_i18n();
    view! {
        <ActionForm action attr:class="form" attr:id="form-service" attr:novalidate=true>
            <input type="hidden" name="request" value=request.get()/>
            <TextField name="what" label=move || t_string!(i18n, staff.service_what) error=field_error(i18n, problem, "what")/>
            <TextField name="quantity" label=move || t_string!(i18n, staff.service_quantity) inputmode="numeric" dir="ltr" error=field_error(i18n, problem, "quantity")/>
            <TextField name="unit" label=move || t_string!(i18n, staff.service_unit) error=field_error(i18n, problem, "unit")/>
            <TextField name="delivered_on" label=move || t_string!(i18n, staff.service_date) input_type="date" dir="ltr" error=field_error(i18n, problem, "delivered_on")/>
            <button class="button button--primary" type="submit">{t!(i18n, staff.record_service)}</button>
        </ActionForm>
    }
}

#[component]
fn CloseForm(
    action: ServerAction<CaseClose>,
    request: RequestId,
    problem: Signal<Option<StepRefusal>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ActionForm action attr:class="form" attr:id="form-close">
            <input type="hidden" name="request" value=request.get()/>
            <TextArea name="reason" label=t_string!(i18n, staff.close_reason).to_string() error=field_error(i18n, problem, "reason")/>
            <button class="button" type="submit">{t!(i18n, staff.close)}</button>
        </ActionForm>
    }
}

/// A message to the applicant, under the conversation.
#[component]
pub(super) fn MessageForm(
    action: ServerAction<CaseMessage>,
    request: RequestId,
    problem: Signal<Option<StepRefusal>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ActionForm action attr:class="form" attr:id="form-message" attr:novalidate=true>
            <input type="hidden" name="request" value=request.get()/>
            <TextArea name="body" label=t_string!(i18n, staff.message_label).to_string() error=field_error(i18n, problem, "body")/>
            <button class="button" type="submit">{t!(i18n, staff.send_message)}</button>
        </ActionForm>
    }
}

/// The committee takes longer: how many days more and why; once (A13).
#[component]
pub(super) fn ExtendDecisionForm(
    action: ServerAction<CaseExtendDecision>,
    request: RequestId,
    problem: Signal<Option<StepRefusal>>,
) -> impl IntoView {
    use crate::components::form::TextField;
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="extend-title">
            <h2 id="extend-title">{t!(i18n, staff.extend_title)}</h2>
            <p class="field__hint">{t!(i18n, staff.extend_hint)}</p>
            <ActionForm action attr:class="form" attr:id="form-extend-decision" attr:novalidate=true>
                <input type="hidden" name="request" value=request.get()/>
                <TextField name="days" label=move || t_string!(i18n, staff.extend_days) inputmode="numeric" dir="ltr"
                    error=field_error(i18n, problem, "days")/>
                <TextArea name="reason" label=t_string!(i18n, staff.extend_reason).to_string()
                    error=field_error(i18n, problem, "reason") required=true/>
                <button class="button" type="submit">{t!(i18n, staff.extend_submit)}</button>
            </ActionForm>
        </section>
    }
}
