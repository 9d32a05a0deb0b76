//! The case page: its data, its step actions, and how its parts are laid out.

use awn_domain::casework::StepRefusal;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::{
    CaseAssign, CaseClose, CaseDecide, CaseDuplicate, CaseExtendDecision, CaseHousehold, CaseMessage, CaseRegister,
    CaseService, CaseStartVerification, CaseStudy, CaseVerify, CaseView,
    forms::{AssignForm, ExtendDecisionForm, NextStep, form_problem},
    household::{DuplicatesSection, HouseholdSection},
    load_case,
    sections::{ApplicantSection, CaseFacts, CaseHeading, CaseRecords, Conversation, Timeline},
};
use crate::{
    components::messages::ErrorMessage,
    error::AppError,
    flash::FormFlash,
    i18n::*,
    pages::not_found::set_response_status,
    preferences::language_of,
    staff::{StaffSession, sign_in::StaffGate},
};

/// The step forms of the case page; any of them recorded reloads the case.
#[derive(Clone, Copy)]
pub(super) struct CaseActions {
    pub start: ServerAction<CaseStartVerification>,
    pub verify: ServerAction<CaseVerify>,
    pub study: ServerAction<CaseStudy>,
    pub decide: ServerAction<CaseDecide>,
    pub register: ServerAction<CaseRegister>,
    pub service: ServerAction<CaseService>,
    pub close: ServerAction<CaseClose>,
    pub message: ServerAction<CaseMessage>,
    pub assign: ServerAction<CaseAssign>,
    pub extend: ServerAction<CaseExtendDecision>,
    pub duplicate: ServerAction<CaseDuplicate>,
    pub household: ServerAction<CaseHousehold>,
}

impl CaseActions {
    fn new() -> Self {
        CaseActions {
            start: ServerAction::new(),
            verify: ServerAction::new(),
            study: ServerAction::new(),
            decide: ServerAction::new(),
            register: ServerAction::new(),
            service: ServerAction::new(),
            close: ServerAction::new(),
            message: ServerAction::new(),
            assign: ServerAction::new(),
            extend: ServerAction::new(),
            duplicate: ServerAction::new(),
            household: ServerAction::new(),
        }
    }

    fn changes(&self) -> usize {
        self.start.version().get()
            + self.verify.version().get()
            + self.study.version().get()
            + self.decide.version().get()
            + self.register.version().get()
            + self.service.version().get()
            + self.close.version().get()
            + self.message.version().get()
            + self.assign.version().get()
            + self.extend.version().get()
            + self.duplicate.version().get()
            + self.household.version().get()
    }
}

/// The problem each step form shows (see `form_problem`).
#[derive(Clone, Copy)]
pub(super) struct CaseProblems {
    pub start: Signal<Option<StepRefusal>>,
    pub verify: Signal<Option<StepRefusal>>,
    pub study: Signal<Option<StepRefusal>>,
    pub decide: Signal<Option<StepRefusal>>,
    pub register: Signal<Option<StepRefusal>>,
    pub service: Signal<Option<StepRefusal>>,
    pub close: Signal<Option<StepRefusal>>,
    pub message: Signal<Option<StepRefusal>>,
    pub assign: Signal<Option<StepRefusal>>,
    pub extend: Signal<Option<StepRefusal>>,
    pub duplicate: Signal<Option<StepRefusal>>,
}

impl CaseProblems {
    fn new(actions: CaseActions, flash: Option<FormFlash>) -> Self {
        CaseProblems {
            start: form_problem(actions.start, flash.clone(), "start_verification"),
            verify: form_problem(actions.verify, flash.clone(), "verify"),
            study: form_problem(actions.study, flash.clone(), "study"),
            decide: form_problem(actions.decide, flash.clone(), "decide"),
            register: form_problem(actions.register, flash.clone(), "register"),
            service: form_problem(actions.service, flash.clone(), "service"),
            close: form_problem(actions.close, flash.clone(), "close"),
            message: form_problem(actions.message, flash.clone(), "message"),
            assign: form_problem(actions.assign, flash.clone(), "assign"),
            extend: form_problem(actions.extend, flash.clone(), "extend_decision"),
            duplicate: form_problem(actions.duplicate, flash, "duplicate"),
        }
    }

    /// Whether any step was refused as not possible in the request's state.
    fn any_not_now(&self) -> bool {
        [
            self.start,
            self.verify,
            self.study,
            self.decide,
            self.register,
            self.service,
            self.close,
            self.message,
            self.assign,
            self.extend,
            self.duplicate,
        ]
        .iter()
        .any(|p| matches!(p.get(), Some(StepRefusal::NotNow)))
    }
}

/// The page's data is asked for here, outside the gate's suspense, so that the
/// browser finds it where the server put it when the page hydrates.
#[component]
pub fn StaffCasePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<awn_domain::ids::RequestId>().ok()));
    let actions = CaseActions::new();
    let case = Resource::new(
        move || (id(), language_of(i18n.get_locale()), actions.changes()),
        |(id, language, _)| async move {
            match id {
                Some(id) => load_case(id, language).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <StaffGate children=move |session| view! { <CaseViewPage session actions case/> }/> }
}

#[component]
fn CaseViewPage(
    session: StaffSession,
    actions: CaseActions,
    case: Resource<Result<CaseView, AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = StoredValue::new(session);
    view! {
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match case.await {
                    Err(AppError::NotFound) => {
                        set_response_status(404);
                        view! { <ErrorMessage error=AppError::NotFound/> }.into_any()
                    }
                    Err(error) => {
                        if matches!(error, AppError::Forbidden | AppError::PolicyNotAccepted) {
                            set_response_status(403);
                        }
                        view! { <ErrorMessage error/> }.into_any()
                    }
                    Ok(case) => view! { <CaseLayout session=session.get_value() actions case/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// One loaded case, top to bottom.
#[component]
fn CaseLayout(session: StaffSession, actions: CaseActions, case: CaseView) -> impl IntoView {
    let problems = CaseProblems::new(actions, case.flash.clone());
    let request = case.id;
    let status = case.status;
    let assignees = case.assignees.clone();
    let current = case.assignee_id;
    // Once, while the committee's clock runs, for those who decide.
    let extendable =
        case.can_extend && case.decision_deadline.as_ref().is_some_and(|d| !d.paused && d.extended_reason.is_none());
    view! {
        <CaseHeading case=case.clone() not_now=Signal::derive(move || problems.any_not_now())/>
        <CaseFacts case=case.clone()/>
        {(!assignees.is_empty()).then(|| view! {
            <AssignForm action=actions.assign request problem=problems.assign current assignees/>
        })}
        <DuplicatesSection
            request
            duplicates=case.duplicates.clone()
            can_decide=case.can_decide_duplicates
            action=actions.duplicate
            problem=problems.duplicate
        />
        <ApplicantSection case=case.clone()/>
        <HouseholdSection
            request
            members=case.household.clone()
            can_edit=case.can_edit_household
            action=actions.household
            flash=case.flash.clone()
        />
        <CaseRecords case=case.clone()/>
        <NextStep session=session.clone() status request actions problems/>
        {extendable.then(|| view! { <ExtendDecisionForm action=actions.extend request problem=problems.extend/> })}
        <Timeline case=case.clone()/>
        <Conversation session action=actions.message problem=problems.message case/>
    }
}
