//! One request as staff see it (`/staff/requests/:id`): the applicant's data, the
//! timeline, every step recorded so far, and the form for the next step that the
//! signed-in role may take: verification (A10), referral (A11), the social study,
//! the committee's decision (A13), registration and services delivered (A14).
//! Every read is audited; every step is checked on the server twice: by the
//! permission matrix and by the request's state machine.

#[cfg(feature = "ssr")]
use crate::application::{access::can, casework, personal_data};

use awn_domain::{
    casework::StepRefusal,
    channels::Channel,
    locale::Language,
    requests::RequestStatus,
    staff::Permission,
    workflow::{DecisionKind, Recommendation, StudyMethod, WorkflowError},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use super::{
    StaffSession,
    labels::{channel_text, decision_text, method_text, recommendation_text, workflow_problem_text},
    sign_in::StaffGate,
};
use crate::{
    components::{dates::DualDateText, messages::ErrorMessage},
    error::AppError,
    flash::FormFlash,
    i18n::*,
    pages::not_found::set_response_status,
    preferences::language_of,
    requests::labels::status_text,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordLine {
    /// Who recorded it and when.
    pub staff_name: String,
    pub at: i64,
    /// What was recorded, already in words where it is a choice.
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    pub id: i64,
    pub beneficiary_id: i64,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    /// Who the request may be given to (for staff who assign; else empty).
    pub assignees: Vec<(i64, String)>,
    pub reference: String,
    pub status: RequestStatus,
    pub channel: Channel,
    pub kind_name: String,
    pub full_name: String,
    pub national_id: String,
    pub birth_date: String,
    pub mobile: String,
    pub email: Option<String>,
    pub city: String,
    pub district: String,
    pub household_members: i64,
    pub monthly_income: i64,
    pub housing: String,
    pub description: String,
    pub signature: String,
    pub declaration_version: String,
    pub declared_at: i64,
    pub consent_sms: bool,
    pub consent_email: bool,
    pub submitted_at: i64,
    pub decision_due_at: i64,
    pub overdue: bool,
    /// Another account's open request for the same national ID: (id, reference).
    pub possible_duplicate_of: Option<(i64, String)>,
    pub file_number: Option<String>,
    pub support_granted: Option<String>,
    pub timeline: Vec<(RequestStatus, String, i64)>,
    /// (id, file name)
    pub documents: Vec<(i64, String)>,
    pub messages: Vec<(bool, String, i64)>,
    pub verifications: Vec<RecordLine>,
    pub referrals: Vec<RecordLine>,
    pub studies: Vec<RecordLine>,
    pub decisions: Vec<RecordLine>,
    pub services: Vec<RecordLine>,
    /// A refusal to show after a plain form post.
    pub flash: Option<FormFlash>,
}

#[server(endpoint = "staff/case")]
pub async fn load_case(id: i64, language: Language) -> Result<CaseView, AppError> {
    let context = crate::state::app_context()?;
    let staff = super::authorize::<can::ViewBeneficiaryFile>().await?;
    let file = personal_data::case_file(&context.database, &staff, id, personal_data::PURPOSE_CASEWORK).await?;
    let mut view = ssr::case_view(file, language);
    if let Some(assigner) = staff.also::<can::AssignRequest>(&context.database).await? {
        view.assignees = casework::assignees(&context.database, &assigner).await?;
    }
    Ok(view)
}

/// Gives the request to a staff member who works the queue, or to nobody.
#[server(endpoint = "staff/case/assign")]
pub async fn case_assign(request: i64, assignee: Option<String>) -> Result<Option<StepRefusal>, AppError> {
    let staff = super::authorize::<can::AssignRequest>().await?;
    let context = crate::state::app_context()?;
    let outcome = casework::assign(&context.database, &staff, request, assignee.as_deref()).await?;
    ssr::answer(request, "assign", outcome)
}

#[server(endpoint = "staff/case/start_verification")]
pub async fn case_start_verification(request: i64) -> Result<Option<StepRefusal>, AppError> {
    let staff = super::authorize::<can::VerifyRequest>().await?;
    let context = crate::state::app_context()?;
    let outcome = casework::start_verification(&context.database, &staff, request).await?;
    ssr::answer(request, "start_verification", outcome)
}

#[server(endpoint = "staff/case/verify")]
#[allow(clippy::too_many_arguments, reason = "a server function takes the form's fields as its arguments")]
pub async fn case_verify(
    request: i64,
    items_provided: Option<String>,
    data_matches_documents: Option<String>,
    documents_valid_on_submission: Option<String>,
    note: Option<String>,
    message: Option<String>,
    referral_note: Option<String>,
) -> Result<Option<StepRefusal>, AppError> {
    use awn_domain::workflow::VerificationChecklist;
    let staff = super::authorize::<can::VerifyRequest>().await?;
    let context = crate::state::app_context()?;
    let form = casework::VerificationForm {
        checklist: VerificationChecklist {
            items_provided: items_provided.is_some(),
            data_matches_documents: data_matches_documents.is_some(),
            documents_valid_on_submission: documents_valid_on_submission.is_some(),
            note: note.unwrap_or_default(),
        },
        message: message.unwrap_or_default(),
        referral_note: referral_note.unwrap_or_default(),
    };
    let outcome = casework::verify(&context.database, &staff, request, form).await?;
    ssr::answer(request, "verify", outcome)
}

#[server(endpoint = "staff/case/study")]
pub async fn case_study(
    request: i64,
    method: Option<String>,
    findings: Option<String>,
    recommendation: Option<String>,
    message: Option<String>,
) -> Result<Option<StepRefusal>, AppError> {
    let staff = super::authorize::<can::RecordStudy>().await?;
    let context = crate::state::app_context()?;
    let form = awn_domain::workflow::StudyForm {
        method: method.unwrap_or_default(),
        findings: findings.unwrap_or_default(),
        recommendation: recommendation.unwrap_or_default(),
        message: message.unwrap_or_default(),
    };
    let outcome = casework::record_study(&context.database, &staff, request, &form).await?;
    ssr::answer(request, "study", outcome)
}

#[server(endpoint = "staff/case/decide")]
pub async fn case_decide(
    request: i64,
    decision: Option<String>,
    support: Option<String>,
    reason: Option<String>,
) -> Result<Option<StepRefusal>, AppError> {
    let staff = super::authorize::<can::DecideRequest>().await?;
    let context = crate::state::app_context()?;
    let form = awn_domain::workflow::DecisionForm {
        decision: decision.unwrap_or_default(),
        reason: reason.unwrap_or_default(),
        support: support.unwrap_or_default(),
    };
    let outcome = casework::decide(&context.database, &staff, request, &form).await?;
    ssr::answer(request, "decide", outcome)
}

#[server(endpoint = "staff/case/register")]
pub async fn case_register(request: i64) -> Result<Option<StepRefusal>, AppError> {
    let staff = super::authorize::<can::CompleteRegistration>().await?;
    let context = crate::state::app_context()?;
    let outcome = casework::register(&context.database, &staff, request).await?;
    ssr::answer(request, "register", outcome)
}

#[server(endpoint = "staff/case/service")]
pub async fn case_service(
    request: i64,
    what: Option<String>,
    quantity: Option<String>,
    unit: Option<String>,
    delivered_on: Option<String>,
) -> Result<Option<StepRefusal>, AppError> {
    let staff = super::authorize::<can::RecordService>().await?;
    let context = crate::state::app_context()?;
    let form = awn_domain::workflow::ServiceForm {
        what: what.unwrap_or_default(),
        quantity: quantity.unwrap_or_default(),
        unit: unit.unwrap_or_default(),
        delivered_on: delivered_on.unwrap_or_default(),
    };
    let outcome = casework::record_service(&context, &staff, request, &form).await?;
    ssr::answer(request, "service", outcome)
}

#[server(endpoint = "staff/case/close")]
pub async fn case_close(request: i64, reason: Option<String>) -> Result<Option<StepRefusal>, AppError> {
    let staff = super::authorize::<can::CloseRequest>().await?;
    let context = crate::state::app_context()?;
    let outcome = casework::close(&context.database, &staff, request, reason.as_deref().unwrap_or_default()).await?;
    ssr::answer(request, "close", outcome)
}

#[server(endpoint = "staff/case/message")]
pub async fn case_message(request: i64, body: Option<String>) -> Result<Option<StepRefusal>, AppError> {
    let staff = super::authorize::<can::MessageBeneficiary>().await?;
    let context = crate::state::app_context()?;
    let outcome = casework::message(&context.database, &staff, request, body.as_deref().unwrap_or_default()).await?;
    ssr::answer(request, "message", outcome)
}

#[cfg(feature = "ssr")]
mod ssr {
    use awn_domain::{casework::StepRefusal, locale::Language, workflow::is_overdue};
    use awn_storage::{casework::CaseFile, now_unix_seconds};

    use super::{CaseView, RecordLine};
    use crate::{error::AppError, flash::FormFlash, i18n::*, preferences::locale_of};

    /// Success goes back to the case page; a problem stays on it (and, after a
    /// plain form post, travels to it in the flash cookie).
    pub fn answer(
        request: i64,
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
                    number: request,
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
            housing: super::super::labels::housing_text(locale, file.housing),
            description: file.description,
            signature: file.signature,
            declaration_version: file.declaration_version,
            declared_at: file.declared_at,
            consent_sms: file.consent_sms,
            consent_email: file.consent_email,
            submitted_at: file.submitted_at,
            decision_due_at: file.decision_due_at,
            overdue: is_overdue(file.status, file.decision_due_at, now),
            possible_duplicate_of: file.possible_duplicate_of,
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
                        super::super::labels::method_text(locale, s.method),
                        super::super::labels::recommendation_text(locale, s.recommendation)
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
                    title: super::super::labels::decision_text(locale, d.decision),
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
}

fn field_error(
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
fn form_problem<A>(action: ServerAction<A>, flash: Option<FormFlash>, name: &'static str) -> Signal<Option<StepRefusal>>
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

#[component]
fn Records(#[prop(into)] title: String, lines: Vec<RecordLine>) -> impl IntoView {
    (!lines.is_empty()).then(|| {
        view! {
            <section class="card">
                <h2>{title}</h2>
                <ul class="records">
                    {lines.into_iter().map(|line| view! {
                        <li class="records__item">
                            <strong>{line.title}</strong>
                            <span class="records__meta">{line.staff_name} " · " <DualDateText unix_seconds=line.at/></span>
                            <p class="records__body">{line.body}</p>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// The step forms of the case page; any of them recorded reloads the case.
#[derive(Clone, Copy)]
struct CaseActions {
    start: ServerAction<CaseStartVerification>,
    verify: ServerAction<CaseVerify>,
    study: ServerAction<CaseStudy>,
    decide: ServerAction<CaseDecide>,
    register: ServerAction<CaseRegister>,
    service: ServerAction<CaseService>,
    close: ServerAction<CaseClose>,
    message: ServerAction<CaseMessage>,
    assign: ServerAction<CaseAssign>,
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
    }
}

/// The page's data is asked for here, outside the gate's suspense, so that the
/// browser finds it where the server put it when the page hydrates.
#[component]
pub fn StaffCasePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
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
    let CaseActions { start, verify, study, decide, register, service, close, message, assign } = actions;
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
                    Ok(case) => {
                        let session = session.get_value();
                        let locale = i18n.get_locale();
                        let flash = case.flash.clone();
                        let request = case.id;
                        let status = case.status;
                        let may = move |permission| session.may(permission);
                        let start_problem = form_problem(start, flash.clone(), "start_verification");
                        let verify_problem = form_problem(verify, flash.clone(), "verify");
                        let study_problem = form_problem(study, flash.clone(), "study");
                        let decide_problem = form_problem(decide, flash.clone(), "decide");
                        let register_problem = form_problem(register, flash.clone(), "register");
                        let service_problem = form_problem(service, flash.clone(), "service");
                        let close_problem = form_problem(close, flash.clone(), "close");
                        let message_problem = form_problem(message, flash.clone(), "message");
                        let assign_problem = form_problem(assign, flash.clone(), "assign");
                        let any_not_now = move || {
                            [start_problem, verify_problem, study_problem, decide_problem, register_problem,
                             service_problem, close_problem, message_problem, assign_problem]
                                .iter()
                                .any(|p| matches!(p.get(), Some(StepRefusal::NotNow)))
                        };
                        view! {
                            <Title text=case.reference.clone()/>
                            <h1>
                                <span class="reference" dir="ltr">{case.reference.clone()}</span>
                                " "
                                <span class=format!("status-badge status-badge--{}", status.code())>
                                    {status_text(locale, status)}
                                </span>
                            </h1>
                            <Show when=any_not_now>
                                <p class="notice notice--error" role="alert">{t!(i18n, staff.not_now)}</p>
                            </Show>
                            {case.possible_duplicate_of.clone().map(|(other, reference)| view! {
                                <p class="notice duplicate-notice">
                                    <strong class="duplicate-flag">{t!(i18n, duplicates.badge)}</strong> " "
                                    {t!(i18n, duplicates.notice)} " " {t!(i18n, duplicates.other_request)} " "
                                    <a href=format!("/staff/requests/{other}")><bdi dir="ltr">{reference}</bdi></a>
                                </p>
                            })}
                            <section class="card">
                                <dl class="facts">
                                    <dt>{t!(i18n, staff.kind)}</dt><dd>{case.kind_name.clone()}</dd>
                                    <dt>{t!(i18n, staff.channel)}</dt><dd>{channel_text(i18n.get_locale(), case.channel)}</dd>
                                    <dt>{t!(i18n, staff.submitted)}</dt><dd><DualDateText unix_seconds=case.submitted_at/></dd>
                                    <dt>{t!(i18n, staff.due)}</dt>
                                    <dd class:overdue-flag=case.overdue>
                                        <DualDateText unix_seconds=case.decision_due_at/>
                                        {case.overdue.then(|| view! { " · " {t!(i18n, staff.overdue)} })}
                                    </dd>
                                    <dt>{t!(i18n, staff.assignee)}</dt>
                                    <dd>{case.assignee_name.clone().unwrap_or_else(|| t_string!(i18n, staff.unassigned).to_string())}</dd>
                                    {case.file_number.clone().map(|number| view! {
                                        <dt>{t!(i18n, staff.file_number)}</dt><dd dir="ltr">{number}</dd>
                                    })}
                                    {case.support_granted.clone().map(|support| view! {
                                        <dt>{t!(i18n, staff.support_granted)}</dt><dd>{support}</dd>
                                    })}
                                </dl>
                            </section>
                            {(!case.assignees.is_empty()).then(|| {
                                let current = case.assignee_id;
                                view! {
                                    <ActionForm action=assign attr:class="form form--inline" attr:id="form-assign">
                                        <input type="hidden" name="request" value=request/>
                                        <div class="field">
                                            <label class="field__label" for="field-assignee">{t!(i18n, staff.assign_to)}</label>
                                            <select class="field__input" id="field-assignee" name="assignee">
                                                <option value="">{t!(i18n, staff.unassigned)}</option>
                                                {case.assignees.iter().map(|(id, name)| view! {
                                                    <option value=*id selected=current == Some(*id)>{name.clone()}</option>
                                                }).collect_view()}
                                            </select>
                                            <crate::components::form::FieldError id="field-assignee-error" error=field_error(i18n, assign_problem, "assignee")/>
                                        </div>
                                        <button class="button" type="submit">{t!(i18n, staff.assign)}</button>
                                    </ActionForm>
                                }
                            })}
                            <section class="card">
                                <h2>{t!(i18n, staff.applicant)}</h2>
                                <p><a href=format!("/staff/beneficiaries/{}", case.beneficiary_id)>{t!(i18n, staff.beneficiary_file)}</a></p>
                                <dl class="facts">
                                    <dt>{t!(i18n, wizard.full_name)}</dt><dd>{case.full_name.clone()}</dd>
                                    <dt>{t!(i18n, wizard.national_id)}</dt><dd dir="ltr">{case.national_id.clone()}</dd>
                                    <dt>{t!(i18n, wizard.birth_date)}</dt><dd dir="ltr">{case.birth_date.clone()}</dd>
                                    <dt>{t!(i18n, wizard.mobile)}</dt><dd dir="ltr">{case.mobile.clone()}</dd>
                                    {case.email.clone().map(|email| view! { <dt>{t!(i18n, wizard.email)}</dt><dd dir="ltr">{email}</dd> })}
                                    <dt>{t!(i18n, wizard.city)}</dt><dd>{case.city.clone()} " · " {case.district.clone()}</dd>
                                    <dt>{t!(i18n, wizard.household_members)}</dt><dd>{case.household_members}</dd>
                                    <dt>{t!(i18n, wizard.monthly_income)}</dt><dd>{case.monthly_income}</dd>
                                    <dt>{t!(i18n, wizard.housing)}</dt><dd>{case.housing.clone()}</dd>
                                    <dt>{t!(i18n, wizard.description)}</dt><dd>{case.description.clone()}</dd>
                                    <dt>{t!(i18n, staff.declaration)}</dt>
                                    <dd>{case.signature.clone()} " · " {case.declaration_version.clone()} " · "
                                        <DualDateText unix_seconds=case.declared_at/></dd>
                                    <dt>{t!(i18n, staff.consents)}</dt>
                                    <dd>
                                        {if case.consent_sms { t_string!(i18n, staff.consent_sms_yes) } else { t_string!(i18n, staff.consent_sms_no) }}
                                        " · "
                                        {if case.consent_email { t_string!(i18n, staff.consent_email_yes) } else { t_string!(i18n, staff.consent_email_no) }}
                                    </dd>
                                </dl>
                                {(!case.documents.is_empty()).then(|| view! {
                                    <h3>{t!(i18n, staff.documents)}</h3>
                                    // Each opened through the audited download.
                                    <ul>{case.documents.iter().map(|(id, name)| view! {
                                        <li><a href=format!("/staff/documents/{id}") download="" rel="external">{name.clone()}</a></li>
                                    }).collect_view()}</ul>
                                })}
                            </section>
                            <Records title=t_string!(i18n, staff.verifications).to_string() lines=case.verifications.clone()/>
                            <Records title=t_string!(i18n, staff.referrals).to_string() lines=case.referrals.clone()/>
                            <Records title=t_string!(i18n, staff.studies).to_string() lines=case.studies.clone()/>
                            <Records title=t_string!(i18n, staff.decisions).to_string() lines=case.decisions.clone()/>
                            <Records title=t_string!(i18n, staff.services).to_string() lines=case.services.clone()/>

                            <section class="card staff-actions">
                                <h2>{t!(i18n, staff.next_step)}</h2>
                                {(matches!(status, RequestStatus::Submitted | RequestStatus::MissingInformation)
                                    && may(Permission::VerifyRequest)).then(|| view! {
                                    <ActionForm action=start attr:class="form" attr:id="form-start-verification">
                                        <input type="hidden" name="request" value=request/>
                                        <button class="button button--primary" type="submit">{t!(i18n, staff.start_verification)}</button>
                                    </ActionForm>
                                })}
                                {(status == RequestStatus::UnderVerification && may(Permission::VerifyRequest)).then(|| view! {
                                    <ActionForm action=verify attr:class="form" attr:id="form-verify" attr:novalidate=true>
                                        <input type="hidden" name="request" value=request/>
                                        <fieldset class="choices">
                                            <legend>{t!(i18n, staff.checklist)}</legend>
                                            <label class="choice"><input type="checkbox" name="items_provided" value="1"/>{t!(i18n, staff.check_items_provided)}</label>
                                            <label class="choice"><input type="checkbox" name="data_matches_documents" value="1"/>{t!(i18n, staff.check_data_matches)}</label>
                                            <label class="choice"><input type="checkbox" name="documents_valid_on_submission" value="1"/>{t!(i18n, staff.check_documents_valid)}</label>
                                        </fieldset>
                                        <TextArea name="referral_note" label=t_string!(i18n, staff.referral_note).to_string() error=field_error(i18n, verify_problem, "referral_note")/>
                                        <TextArea name="message" label=t_string!(i18n, staff.missing_message).to_string() error=field_error(i18n, verify_problem, "message")/>
                                        <TextArea name="note" label=t_string!(i18n, staff.internal_note).to_string() error=field_error(i18n, verify_problem, "note")/>
                                        <button class="button button--primary" type="submit">{t!(i18n, staff.record_verification)}</button>
                                    </ActionForm>
                                })}
                                {(status == RequestStatus::ReferredToResearch && may(Permission::RecordStudy)).then(|| view! {
                                    <ActionForm action=study attr:class="form" attr:id="form-study" attr:novalidate=true>
                                        <input type="hidden" name="request" value=request/>
                                        <div class="field">
                                            <label class="field__label" for="field-method">{t!(i18n, staff.method)}</label>
                                            <select class="field__input" id="field-method" name="method">
                                                {StudyMethod::ALL.into_iter().map(|m| view! { <option value=m.code()>{method_text(i18n.get_locale(), m)}</option> }).collect_view()}
                                            </select>
                                        </div>
                                        <TextArea name="findings" label=t_string!(i18n, staff.findings).to_string() error=field_error(i18n, study_problem, "findings") required=true/>
                                        <div class="field">
                                            <label class="field__label" for="field-recommendation">{t!(i18n, staff.recommendation)}</label>
                                            <select class="field__input" id="field-recommendation" name="recommendation">
                                                {Recommendation::ALL.into_iter().map(|r| view! { <option value=r.code()>{recommendation_text(i18n.get_locale(), r)}</option> }).collect_view()}
                                            </select>
                                        </div>
                                        <TextArea name="message" label=t_string!(i18n, staff.missing_message).to_string() error=field_error(i18n, study_problem, "message")/>
                                        <button class="button button--primary" type="submit">{t!(i18n, staff.record_study)}</button>
                                    </ActionForm>
                                })}
                                {(status == RequestStatus::WithCommittee && may(Permission::DecideRequest)).then(|| view! {
                                    <ActionForm action=decide attr:class="form" attr:id="form-decide" attr:novalidate=true>
                                        <input type="hidden" name="request" value=request/>
                                        <fieldset class="choices">
                                            <legend>{t!(i18n, staff.decision)}</legend>
                                            {[DecisionKind::Accept, DecisionKind::Reject, DecisionKind::MoreInformation].into_iter().map(|d| view! {
                                                <label class="choice"><input type="radio" name="decision" value=d.code()/>{decision_text(i18n.get_locale(), d)}</label>
                                            }).collect_view()}
                                            <crate::components::form::FieldError id="field-decision-error" error=field_error(i18n, decide_problem, "decision")/>
                                        </fieldset>
                                        <TextArea name="support" label=t_string!(i18n, staff.support_granted).to_string() error=field_error(i18n, decide_problem, "support")/>
                                        <TextArea name="reason" label=t_string!(i18n, staff.decision_reason).to_string() error=field_error(i18n, decide_problem, "reason")/>
                                        <button class="button button--primary" type="submit">{t!(i18n, staff.record_decision)}</button>
                                    </ActionForm>
                                })}
                                {(status == RequestStatus::Accepted && may(Permission::CompleteRegistration)).then(|| view! {
                                    <ActionForm action=register attr:class="form" attr:id="form-register">
                                        <input type="hidden" name="request" value=request/>
                                        <button class="button button--primary" type="submit">{t!(i18n, staff.complete_registration)}</button>
                                    </ActionForm>
                                })}
                                {(matches!(status, RequestStatus::RegistrationCompleted | RequestStatus::ServiceDelivered)
                                    && may(Permission::RecordService)).then(|| view! {
                                    <ActionForm action=service attr:class="form" attr:id="form-service" attr:novalidate=true>
                                        <input type="hidden" name="request" value=request/>
                                        <crate::components::form::TextField name="what" label=move || t_string!(i18n, staff.service_what) error=field_error(i18n, service_problem, "what")/>
                                        <crate::components::form::TextField name="quantity" label=move || t_string!(i18n, staff.service_quantity) inputmode="numeric" dir="ltr" error=field_error(i18n, service_problem, "quantity")/>
                                        <crate::components::form::TextField name="unit" label=move || t_string!(i18n, staff.service_unit) error=field_error(i18n, service_problem, "unit")/>
                                        <crate::components::form::TextField name="delivered_on" label=move || t_string!(i18n, staff.service_date) input_type="date" dir="ltr" error=field_error(i18n, service_problem, "delivered_on")/>
                                        <button class="button button--primary" type="submit">{t!(i18n, staff.record_service)}</button>
                                    </ActionForm>
                                })}
                                {(status.is_open() && status.can_move_to(RequestStatus::Closed) && may(Permission::CloseRequest)).then(|| view! {
                                    <ActionForm action=close attr:class="form" attr:id="form-close">
                                        <input type="hidden" name="request" value=request/>
                                        <TextArea name="reason" label=t_string!(i18n, staff.close_reason).to_string() error=field_error(i18n, close_problem, "reason")/>
                                        <button class="button" type="submit">{t!(i18n, staff.close)}</button>
                                    </ActionForm>
                                })}
                            </section>

                            <section class="card">
                                <h2>{t!(i18n, tracking.timeline)}</h2>
                                <ol class="timeline">
                                    {case.timeline.iter().map(|(status, reason, at)| view! {
                                        <li class="timeline__entry">
                                            <strong>{status_text(locale, *status)}</strong>
                                            " · " <DualDateText unix_seconds=*at/>
                                            {(!reason.is_empty()).then(|| view! { <p>{reason.clone()}</p> })}
                                        </li>
                                    }).collect_view()}
                                </ol>
                            </section>
                            <section class="card">
                                <h2>{t!(i18n, tracking.messages)}</h2>
                                <ul class="messages">
                                    {case.messages.iter().map(|(from_staff, body, at)| view! {
                                        <li class="messages__item" class:messages__item--staff=*from_staff>
                                            <p>{body.clone()}</p>
                                            <DualDateText unix_seconds=*at/>
                                        </li>
                                    }).collect_view()}
                                </ul>
                                {may(Permission::MessageBeneficiary).then(|| view! {
                                    <ActionForm action=message attr:class="form" attr:id="form-message" attr:novalidate=true>
                                        <input type="hidden" name="request" value=request/>
                                        <TextArea name="body" label=t_string!(i18n, staff.message_label).to_string() error=field_error(i18n, message_problem, "body")/>
                                        <button class="button" type="submit">{t!(i18n, staff.send_message)}</button>
                                    </ActionForm>
                                })}
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}
