//! The data subject's requests (`/staff/data-requests`): a copy, a correction
//! or the deletion of their data, answered within the legal period, from every
//! person the association deals with (issue 15): beneficiaries send theirs,
//! the privacy officer records the others'.

#[cfg(feature = "ssr")]
use awn_domain::paging::PageRequest;
use awn_domain::{
    paging::PagePosition,
    privacy::{DataRequestChannel, DataRequestKind, DataSubject, PartyKind},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::application::{access::can, privacy as use_case};
use crate::{
    components::{dates::DualDateText, form::TextAreaField, messages::ErrorMessage, pager::Pager},
    error::AppError,
    forms::{FormNotice, FormProblem, field_message, latest_problem, typed},
    i18n::*,
    staff::{account, sign_in::StaffGate},
};

use super::data_request_record::{RecordDataRequest, RecordDataRequestForm};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataRequestItem {
    pub id: i64,
    /// Who it is about.
    pub subject: DataSubject,
    pub kind: DataRequestKind,
    pub channel: DataRequestChannel,
    pub details: String,
    /// "open", "done" or "refused".
    pub status: awn_domain::privacy::DataRequestStatus,
    pub due_at: i64,
    pub overdue: bool,
    pub outcome: Option<String>,
    pub handled_by: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataRequestsPage {
    pub requests: Vec<DataRequestItem>,
    /// Where this page sits among all the requests.
    pub pages: PagePosition,
    pub problem: Option<FormProblem>,
}

#[cfg(feature = "ssr")]
const PAGE_PATH: &str = "/staff/data-requests";

fn answer_form(id: i64) -> String {
    format!("answer-data-{id}")
}

fn extend_form(id: i64) -> String {
    format!("extend-data-{id}")
}

#[server(endpoint = "staff/data_requests")]
pub async fn load_data_requests(page: Option<String>) -> Result<DataRequestsPage, AppError> {
    let context = crate::state::app_context()?;
    let staff = crate::staff::authorize::<can::AnswerDataRequest>().await?;
    let request = PageRequest::from_query(page.as_deref(), super::PER_PAGE);
    let (requests, pages) = use_case::data_requests(&context.database, &staff, request).await?;
    Ok(DataRequestsPage { requests, pages, problem: crate::forms::take_flash() })
}

/// Answers a request: `decision` is `done` or `refused`, with the outcome the person reads.
#[server(endpoint = "staff/data_requests/answer")]
pub async fn answer_data_request(
    request: i64,
    decision: String,
    outcome: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = crate::staff::authorize::<can::AnswerDataRequest>().await?;
    let context = crate::state::app_context()?;
    let done = decision == "done";
    let answered =
        use_case::answer_data_request(&context.database, &staff, request, done, outcome.as_deref().unwrap_or_default())
            .await?;
    super::answer(PAGE_PATH, &answer_form(request), answered, &[("outcome", &outcome)])
}

/// Extends the deadline once, by up to 30 days, with the reason the person is
/// told by SMS before the first deadline passes (PDPL regulation art. 3).
#[server(endpoint = "staff/data_requests/extend")]
pub async fn extend_data_request(
    request: i64,
    days: Option<String>,
    reason: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = crate::staff::authorize::<can::AnswerDataRequest>().await?;
    let context = crate::state::app_context()?;
    let form = awn_domain::deadlines::ExtensionForm {
        days: days.clone().unwrap_or_default(),
        reason: reason.clone().unwrap_or_default(),
    };
    let extended = use_case::extend_data_request(&context.database, &staff, request, &form).await?;
    super::answer(PAGE_PATH, &extend_form(request), extended, &[("days", &days), ("reason", &reason)])
}

/// Carries out an open deletion request: the data is removed or anonymised, the
/// files of removed documents are deleted, and the request is answered with
/// what was removed and what was kept and why, in the person's language.
#[server(endpoint = "staff/data_requests/erase")]
pub async fn carry_out_deletion(
    request: i64,
    confirm_password: Option<String>,
    confirm_code: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = crate::staff::authorize::<can::AnswerDataRequest>().await?;
    let context = crate::state::app_context()?;
    // Awaited only once the request is found open.
    let step_up = account::step_up::confirm(&staff, confirm_password.as_deref(), confirm_code.as_deref());
    let erased = use_case::carry_out_deletion(&context, &staff, request, step_up).await?;
    super::answer(PAGE_PATH, &answer_form(request), erased, &[])
}

#[component]
pub fn StaffDataRequestsPage() -> impl IntoView {
    let answer = ServerAction::<AnswerDataRequest>::new();
    let erase = ServerAction::<CarryOutDeletion>::new();
    let extend = ServerAction::<ExtendDataRequest>::new();
    let record = ServerAction::<RecordDataRequest>::new();
    let (answered, erased) = (crate::forms::successes(answer), crate::forms::successes(erase));
    let (extended, recorded) = (crate::forms::successes(extend), crate::forms::successes(record));
    let query = use_query_map();
    let page = Resource::new(
        move || (answered.get() + erased.get() + extended.get() + recorded.get(), query.with(|q| q.get("page"))),
        |(_, page)| load_data_requests(page),
    );
    let actions = RowActions { answer, erase, extend };
    view! { <StaffGate children=move |_session| view! { <DataRequestsView page actions record/> }/> }
}

/// The forms of a request's row.
#[derive(Clone, Copy)]
struct RowActions {
    answer: ServerAction<AnswerDataRequest>,
    erase: ServerAction<CarryOutDeletion>,
    extend: ServerAction<ExtendDataRequest>,
}

#[component]
fn DataRequestsView(
    page: Resource<Result<DataRequestsPage, AppError>>,
    actions: RowActions,
    record: ServerAction<RecordDataRequest>,
) -> impl IntoView {
    let RowActions { answer, erase, extend } = actions;
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, data_requests.title).to_string()/>
        <h1>{t!(i18n, data_requests.title)}</h1>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) => {
                        let record_problem = latest_problem(record, page.problem.clone());
                        let list = if page.requests.is_empty() {
                            view! { <p class="notice">{t!(i18n, data_requests.empty)}</p> }.into_any()
                        } else {
                            let answer_problem = latest_problem(answer, page.problem.clone());
                            let erase_problem = latest_problem(erase, page.problem.clone());
                            let extend_problem = latest_problem(extend, page.problem.clone());
                            let pages = page.pages;
                            view! {
                                <ul class="complaints">
                                    {page.requests.into_iter().map(|request| view! {
                                        <DataRequestRow request answer answer_problem erase erase_problem extend extend_problem/>
                                    }).collect_view()}
                                </ul>
                                <Pager position=pages/>
                            }
                            .into_any()
                        };
                        view! { <RecordDataRequestForm record problem=record_problem/> {list} }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// One request: what was asked, by when, and, while open, its forms.
#[component]
fn DataRequestRow(
    request: DataRequestItem,
    answer: ServerAction<AnswerDataRequest>,
    answer_problem: Signal<Option<FormProblem>>,
    erase: ServerAction<CarryOutDeletion>,
    erase_problem: Signal<Option<FormProblem>>,
    extend: ServerAction<ExtendDataRequest>,
    extend_problem: Signal<Option<FormProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let r = request;
    let id = r.id;
    let open = r.status == awn_domain::privacy::DataRequestStatus::Open;
    let deletion = r.kind == DataRequestKind::Deletion;
    let export = (r.kind == DataRequestKind::Access && r.subject.kind != PartyKind::Beneficiary)
        .then(|| format!("/staff/data-requests/{id}/export.json"));
    view! {
        <li class="card complaint" class:inbox__item--open=open id=format!("data-request-{id}")>
            <p class="records__meta">
                <strong>{kind_text(i18n.get_locale(), r.kind)}</strong>
                " · " <a href=r.subject.staff_path()>{party_text(i18n.get_locale(), r.subject.kind)} " " {format!("#{}", r.subject.id)}</a>
                " · " <DualDateText unix_seconds=r.created_at/>
                " · " {t!(i18n, data_requests.via)} " " {channel_text(i18n.get_locale(), r.channel)}
            </p>
            <p class:overdue-flag=r.overdue>
                {t!(i18n, my_data.due)} " " <DualDateText unix_seconds=r.due_at/>
                {r.overdue.then(|| view! { " · " {t!(i18n, staff.overdue)} })}
            </p>
            {(!r.details.is_empty()).then(|| view! { <p class="complaint__body">{r.details.clone()}</p> })}
            {r.outcome.clone().map(|o| view! { <p class="complaint__resolution"><strong>{t!(i18n, my_data.outcome)}</strong> " " {o}</p> })}
            {export.map(|href| view! {
                <p><a class="button" href=href download>{t!(i18n, data_requests.export)}</a></p>
                <p class="field__hint">{t!(i18n, data_requests.export_hint)}</p>
            })}
            {(open && deletion).then(|| view! { <EraseForm id erase problem=erase_problem/> })}
            {open.then(|| view! { <AnswerForm id answer problem=answer_problem/> })}
            {open.then(|| view! { <ExtendForm id extend problem=extend_problem/> })}
        </li>
    }
}

/// Carrying out a deletion, with the step-up: it cannot be undone.
#[component]
fn EraseForm(id: i64, erase: ServerAction<CarryOutDeletion>, problem: Signal<Option<FormProblem>>) -> impl IntoView {
    let i18n = use_i18n();
    let form = answer_form(id);
    view! {
        <ActionForm action=erase attr:class="form" attr:id=format!("form-erase-{id}")>
            <input type="hidden" name="request" value=id/>
            <p class="field__hint">{t!(i18n, data_requests.erase_hint)}</p>
            <account::StepUpFields suffix=format!("erase-{id}")
                error=field_message(problem, form.clone(), account::CONFIRM_PASSWORD)/>
            <FormNotice problem form=form.clone()/>
            <button class="button button--primary" type="submit">{t!(i18n, data_requests.erase)}</button>
        </ActionForm>
    }
}

/// The answer to a request: done or refused, with the outcome the person reads.
#[component]
fn AnswerForm(id: i64, answer: ServerAction<AnswerDataRequest>, problem: Signal<Option<FormProblem>>) -> impl IntoView {
    let i18n = use_i18n();
    let form = answer_form(id);
    let typed_answer = problem.get_untracked();
    view! {
        <ActionForm action=answer attr:class="form" attr:id=format!("form-answer-data-{id}") attr:novalidate=true>
            <input type="hidden" name="request" value=id/>
            <fieldset class="choices">
                <label class="choice"><input type="radio" name="decision" value="done" checked=true/>{t!(i18n, my_data.status_done)}</label>
                <label class="choice"><input type="radio" name="decision" value="refused"/>{t!(i18n, my_data.status_refused)}</label>
            </fieldset>
            <TextAreaField name="outcome" id_suffix=id.to_string() label=move || t_string!(i18n, data_requests.outcome_label)
                value=typed(&typed_answer, &form, "outcome")
                error=field_message(problem, form.clone(), "outcome")/>
            <FormNotice problem form=form.clone()/>
            <button class="button" type="submit">{t!(i18n, data_requests.answer)}</button>
        </ActionForm>
    }
}

/// More time, once, up to 30 days, with the reason the person is told.
#[component]
fn ExtendForm(id: i64, extend: ServerAction<ExtendDataRequest>, problem: Signal<Option<FormProblem>>) -> impl IntoView {
    use crate::components::form::TextField;
    let i18n = use_i18n();
    let form = extend_form(id);
    let typed_extension = problem.get_untracked();
    view! {
        <details class="disclosure">
            <summary>{t!(i18n, data_requests.extend_title)}</summary>
            <ActionForm action=extend attr:class="form" attr:id=format!("form-extend-data-{id}") attr:novalidate=true>
                <input type="hidden" name="request" value=id/>
                <p class="field__hint">{t!(i18n, data_requests.extend_hint)}</p>
                <TextField name="days" id_suffix=id.to_string() label=move || t_string!(i18n, staff.extend_days)
                    inputmode="numeric" dir="ltr" value=typed(&typed_extension, &form, "days")
                    error=field_message(problem, form.clone(), "days")/>
                <TextAreaField name="reason" id_suffix=id.to_string() label=move || t_string!(i18n, data_requests.extend_reason)
                    value=typed(&typed_extension, &form, "reason")
                    error=field_message(problem, form.clone(), "reason")/>
                <FormNotice problem form=form.clone()/>
                <button class="button" type="submit">{t!(i18n, data_requests.extend_submit)}</button>
            </ActionForm>
        </details>
    }
}

pub(super) fn party_text(locale: Locale, kind: PartyKind) -> String {
    match kind {
        PartyKind::Beneficiary => td_string!(locale, data_requests.parties.beneficiary),
        PartyKind::Supporter => td_string!(locale, data_requests.parties.supporter),
        PartyKind::Member => td_string!(locale, data_requests.parties.member),
        PartyKind::Volunteer => td_string!(locale, data_requests.parties.volunteer),
    }
    .to_string()
}

pub(super) fn kind_text(locale: Locale, kind: DataRequestKind) -> String {
    match kind {
        DataRequestKind::Correction => td_string!(locale, data_requests.kinds.correction),
        DataRequestKind::Deletion => td_string!(locale, data_requests.kinds.deletion),
        DataRequestKind::Access => td_string!(locale, data_requests.kinds.access),
    }
    .to_string()
}

pub(super) fn channel_text(locale: Locale, channel: DataRequestChannel) -> String {
    match channel {
        DataRequestChannel::Website => td_string!(locale, data_requests.channels.website),
        DataRequestChannel::Phone => td_string!(locale, data_requests.channels.phone),
        DataRequestChannel::Email => td_string!(locale, data_requests.channels.email),
        DataRequestChannel::InPerson => td_string!(locale, data_requests.channels.in_person),
        DataRequestChannel::Letter => td_string!(locale, data_requests.channels.letter),
    }
    .to_string()
}
