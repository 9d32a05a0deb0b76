//! Continuous improvement (`/staff/improvements`, A17): the suggestions of
//! beneficiaries, visitors and staff, and the improvement actions made of a
//! suggestion or a low score, each with an owner, a due date and a status.

#[cfg(feature = "ssr")]
use crate::application::{access::can, improvements};

use awn_domain::paging::PagePosition;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::sign_in::StaffGate;
use crate::{
    components::{
        form::{SelectField, TextAreaField, TextField},
        messages::ErrorMessage,
        pager::Pager,
    },
    error::AppError,
    forms::{FormNotice, FormProblem, field_message, latest_problem, successes, typed},
    i18n::*,
};

const ACTION_FORM: &str = "action";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionRow {
    pub id: i64,
    pub body: String,
    /// "beneficiary", "visitor" or "staff".
    pub source: String,
    pub day: String,
    pub actions: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRow {
    pub id: i64,
    pub title: String,
    pub details: String,
    pub from_suggestion: Option<String>,
    pub from_response: Option<i64>,
    pub owner: String,
    pub due_on: String,
    /// "open", "in_progress" or "done".
    pub status: String,
    pub overdue: bool,
    pub outcome: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImprovementsPage {
    pub suggestions: Vec<SuggestionRow>,
    /// Where this page of suggestions sits among them all.
    pub suggestion_pages: PagePosition,
    pub actions: Vec<ActionRow>,
    /// (id, name) of the active staff who may own an action.
    pub owners: Vec<(String, String)>,
    /// The suggestion or response the new action is made from.
    pub from_suggestion: Option<(i64, String)>,
    pub from_response: Option<i64>,
    pub problem: Option<FormProblem>,
}

/// Suggestions on a page; the pager reaches the rest.
#[cfg(feature = "ssr")]
const SUGGESTIONS_PER_PAGE: u32 = 50;

#[server(endpoint = "staff/improvements/load")]
pub async fn load_improvements(
    suggestion: Option<i64>,
    response: Option<i64>,
    page: Option<String>,
) -> Result<ImprovementsPage, AppError> {
    let staff = super::authorize::<can::ManageImprovements>().await?;
    let context = crate::state::app_context()?;
    let request = awn_domain::paging::PageRequest::from_query(page.as_deref(), SUGGESTIONS_PER_PAGE);
    let page = improvements::overview(&context.database, &staff, suggestion, response, request).await?;
    Ok(ImprovementsPage { problem: crate::forms::take_flash(), ..page })
}

#[server(endpoint = "staff/improvements/open")]
pub async fn open_action(
    title: Option<String>,
    details: Option<String>,
    owner: Option<String>,
    due_on: Option<String>,
    suggestion: Option<i64>,
    response: Option<i64>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = super::authorize::<can::ManageImprovements>().await?;
    let context = crate::state::app_context()?;
    let typed = improvements::TypedAction {
        title: title.as_deref(),
        details: details.as_deref(),
        owner: owner.as_deref(),
        due_on: due_on.as_deref(),
        suggestion,
        response,
    };
    let opened = improvements::open_action(&context.database, &staff, typed).await?;
    let refused = opened.err().map(|refused| {
        refused.on(ACTION_FORM).with_values(&[
            ("title", &title),
            ("details", &details),
            ("owner", &owner),
            ("due_on", &due_on),
        ])
    });
    crate::forms::finish("/staff/improvements", refused)
}

#[server(endpoint = "staff/improvements/update")]
pub async fn update_action(
    action: i64,
    status: String,
    outcome: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = super::authorize::<can::ManageImprovements>().await?;
    let context = crate::state::app_context()?;
    let updated = improvements::update_action(&context.database, &staff, action, &status, outcome.as_deref()).await?;
    let refused = updated.err().map(|refused| refused.on(&format!("update-{action}")));
    crate::forms::finish("/staff/improvements", refused)
}

fn status_text(i18n: leptos_i18n::I18nContext<Locale>, status: &str) -> String {
    match status {
        "in_progress" => t_string!(i18n, improvements.status_in_progress),
        "done" => t_string!(i18n, improvements.status_done),
        _ => t_string!(i18n, improvements.status_open),
    }
    .to_string()
}

fn source_text(i18n: leptos_i18n::I18nContext<Locale>, source: &str) -> String {
    match source {
        "beneficiary" => t_string!(i18n, improvements.from_beneficiary),
        "staff" => t_string!(i18n, improvements.from_staff),
        _ => t_string!(i18n, improvements.from_visitor),
    }
    .to_string()
}

#[component]
pub fn StaffImprovementsPage() -> impl IntoView {
    // The resource is made before anything waits (see `StaffFeedbackPage`).
    let query = use_query_map();
    let open = ServerAction::<OpenAction>::new();
    let update = ServerAction::<UpdateAction>::new();
    let (opened, updated) = (successes(open), successes(update));
    let page = Resource::new(
        move || {
            let read = |name: &str| query.with(|q| q.get(name).and_then(|v| v.parse::<i64>().ok()));
            (read("suggestion"), read("response"), query.with(|q| q.get("page")), opened.get(), updated.get())
        },
        |(suggestion, response, page, ..)| load_improvements(suggestion, response, page),
    );
    view! { <StaffGate children=move |_session| view! { <Improvements open update page/> }/> }
}

#[component]
fn Improvements(
    open: ServerAction<OpenAction>,
    update: ServerAction<UpdateAction>,
    page: Resource<Result<ImprovementsPage, AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, improvements.title).to_string()/>
        <h1>{t!(i18n, improvements.title)}</h1>
        <p>{t!(i18n, improvements.lead)}</p>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) => {
                        let problem = latest_problem(open, page.problem.clone());
                        let update_problem = latest_problem(update, page.problem.clone());
                        let statuses: Vec<(String, String)> = ["open", "in_progress", "done"]
                            .into_iter()
                            .map(|s| (s.to_owned(), status_text(i18n, s)))
                            .collect();
                        view! {
                            <section class="card">
                                <h2>{t!(i18n, improvements.actions)}</h2>
                                {if page.actions.is_empty() {
                                    view! { <p>{t!(i18n, improvements.no_actions)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="cards" id="action-list">
                                            {page.actions.clone().into_iter().map(|action| view! {
                                                <ActionCard action update update_problem statuses=statuses.clone()/>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                            <NewActionForm open problem page=page.clone()/>
                            <SuggestionList page/>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// One improvement action, with the form that moves it on.
#[component]
fn ActionCard(
    action: ActionRow,
    update: ServerAction<UpdateAction>,
    update_problem: Signal<Option<FormProblem>>,
    statuses: Vec<(String, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form_name = format!("update-{}", action.id);
    view! {
        <li class="card" class:card--overdue=action.overdue id=format!("action-{}", action.id)>
            <h3>{action.title.clone()}</h3>
            {(!action.details.is_empty()).then(|| view! { <p>{action.details.clone()}</p> })}
            {action.from_suggestion.clone().map(|s| view! { <p class="field__hint">{t!(i18n, improvements.from_suggestion)} ": " {s}</p> })}
            {action.from_response.map(|_| view! { <p class="field__hint">{t!(i18n, improvements.from_low_score)}</p> })}
            <p class="field__hint">
                {t!(i18n, improvements.owner)} ": " {action.owner.clone()} " · "
                {t!(i18n, improvements.due_on)} ": " <bdi>{action.due_on.clone()}</bdi> " · "
                <span class="action-status">{status_text(i18n, &action.status)}</span>
                {action.overdue.then(|| view! { " · " <strong>{t!(i18n, improvements.overdue)}</strong> })}
            </p>
            {(!action.outcome.is_empty()).then(|| view! { <p>{action.outcome.clone()}</p> })}
            <ActionForm action=update attr:class="form form--inline">
                <input type="hidden" name="action" value=action.id.to_string()/>
                <SelectField name="status" id=format!("action-status-{}", action.id)
                    label=move || t_string!(i18n, improvements.status)
                    placeholder=move || t_string!(i18n, surveys_admin.choose)
                    options=statuses selected=action.status.clone()/>
                <TextAreaField name="outcome" id_suffix=action.id.to_string()
                    label=move || t_string!(i18n, improvements.outcome) value=action.outcome.clone()
                    error=field_message(update_problem, form_name.clone(), "outcome")/>
                <button class="button" type="submit">{t!(i18n, improvements.save)}</button>
            </ActionForm>
        </li>
    }
}

/// The form that opens an action, from a suggestion or a low score if one was chosen.
#[component]
fn NewActionForm(
    open: ServerAction<OpenAction>,
    problem: Signal<Option<FormProblem>>,
    page: ImprovementsPage,
) -> impl IntoView {
    let i18n = use_i18n();
    let current = problem.get_untracked();
    let form = ACTION_FORM.to_owned();
    view! {
        <ActionForm action=open attr:class="form card" attr:id="form-action" attr:novalidate=true>
            <h2>{t!(i18n, improvements.new_action)}</h2>
            {page.from_suggestion.clone().map(|(id, body)| view! {
                <input type="hidden" name="suggestion" value=id.to_string()/>
                <p class="notice">{t!(i18n, improvements.from_suggestion)} ": " {body}</p>
            })}
            {page.from_response.map(|id| view! {
                <input type="hidden" name="response" value=id.to_string()/>
                <p class="notice">{t!(i18n, improvements.from_low_score)}</p>
            })}
            <TextField name="title" label=move || t_string!(i18n, improvements.action_title)
                value=typed(&current, ACTION_FORM, "title") required=true
                error=field_message(problem, form.clone(), "title")/>
            <TextAreaField name="details" label=move || t_string!(i18n, improvements.details)
                value=typed(&current, ACTION_FORM, "details")
                error=field_message(problem, form.clone(), "details")/>
            <SelectField name="owner" id="action-owner" label=move || t_string!(i18n, improvements.owner)
                placeholder=move || t_string!(i18n, surveys_admin.choose)
                options=page.owners.clone() selected=typed(&current, ACTION_FORM, "owner")
                error=field_message(problem, form.clone(), "owner")/>
            <TextField name="due_on" label=move || t_string!(i18n, improvements.due_on) input_type="date" dir="ltr"
                value=typed(&current, ACTION_FORM, "due_on") required=true
                error=field_message(problem, form.clone(), "due_on")/>
            <FormNotice problem form=form.clone()/>
            <button class="button button--primary" type="submit">{t!(i18n, improvements.open)}</button>
        </ActionForm>
    }
}

/// The suggestions, each with the link that makes an action of it.
#[component]
fn SuggestionList(page: ImprovementsPage) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h2>{t!(i18n, improvements.suggestions)}</h2>
            {if page.suggestions.is_empty() {
                view! { <p>{t!(i18n, improvements.no_suggestions)}</p> }.into_any()
            } else {
                view! {
                    <ul class="comments" id="suggestion-list">
                        {page.suggestions.clone().into_iter().map(|s| view! {
                            <li class="comment">
                                <p>{s.body.clone()}</p>
                                <p class="field__hint">{source_text(i18n, &s.source)} " · " <bdi>{s.day.clone()}</bdi>
                                    {(s.actions > 0).then(|| view! { " · " {t!(i18n, improvements.has_action)} })}
                                </p>
                                <a href=format!("/staff/improvements?suggestion={}", s.id)>{t!(i18n, improvements.make_action)}</a>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <Pager position=page.suggestion_pages/>
        </section>
    }
}
