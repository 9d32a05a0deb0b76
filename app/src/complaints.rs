//! A beneficiary's complaints and objections (A2), at `/complaints`: the form
//! (about one of their requests, an objection to a rejection for example, or in
//! general) and each complaint followed to its resolution and its reason.

use awn_domain::locale::Language;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_query_map};
use serde::{Deserialize, Serialize};

use crate::{
    components::{
        dates::DualDateText,
        form::{SelectField, TextAreaField},
        messages::ErrorMessage,
    },
    error::AppError,
    forms::{FormNotice, FormProblem, field_message, latest_problem, typed},
    i18n::*,
    preferences::language_of,
};

pub use awn_domain::complaints::ComplaintStage;

/// A complaint's stage in the reader's language.
pub trait ComplaintStageText {
    fn text(self, locale: Locale) -> String;
}

impl ComplaintStageText for ComplaintStage {
    fn text(self, locale: Locale) -> String {
        match self {
            ComplaintStage::Received => td_string!(locale, complaints.stage_open),
            ComplaintStage::InReview => td_string!(locale, complaints.stage_in_review),
            ComplaintStage::Resolved => td_string!(locale, complaints.stage_resolved),
        }
        .to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyComplaint {
    pub id: i64,
    pub request_reference: Option<String>,
    pub body: String,
    pub stage: ComplaintStage,
    pub resolution: Option<String>,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestChoice {
    pub id: i64,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyComplaints {
    pub complaints: Vec<MyComplaint>,
    pub requests: Vec<RequestChoice>,
    pub problem: Option<FormProblem>,
}

const COMPLAINT_FORM: &str = "complaint";

#[server(endpoint = "complaints/mine")]
pub async fn load_my_complaints(language: Language) -> Result<MyComplaints, AppError> {
    let account = crate::session::require_beneficiary().await?;
    let context = crate::state::app_context()?;
    let mine = crate::application::complaints::mine(&context.database, &account, language).await?;
    Ok(MyComplaints { problem: crate::forms::take_flash(), ..mine })
}

#[server(endpoint = "complaints/submit")]
pub async fn submit_complaint(request: Option<String>, body: Option<String>) -> Result<Option<FormProblem>, AppError> {
    use awn_domain::channels::Channel;

    use crate::forms::{Problem, finish};
    let account = crate::session::require_beneficiary().await?;
    let context = crate::state::app_context()?;
    let refused = |field: &str, problem: Problem| {
        let problem =
            FormProblem::new(COMPLAINT_FORM, field, problem).with_values(&[("request", &request), ("body", &body)]);
        finish("/complaints", Some(problem))
    };
    // An empty complaint is refused below without counting against the day's.
    let per_day = context.settings.submissions_per_day;
    if !crate::application::complaints::take_daily_allowance(&context.database, account.id, body.as_deref(), per_day)
        .await?
    {
        return refused("", Problem::DailyLimit);
    }
    let submitted = crate::application::complaints::submit(
        &context.database,
        account.id,
        request.as_deref(),
        body.as_deref(),
        Channel::Website,
    )
    .await?;
    match submitted {
        Ok(()) => finish("/complaints?sent=1", None),
        Err(refusal) => refused(&refusal.field, refusal.problem),
    }
}

#[component]
pub fn MyComplaintsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let submit = ServerAction::<SubmitComplaint>::new();
    let submitted = crate::forms::successes(submit);
    let page = Resource::new(
        move || (language_of(i18n.get_locale()), submitted.get()),
        |(language, _)| load_my_complaints(language),
    );
    view! {
        <Title text=t_string!(i18n, complaints.title).to_string()/>
        <h1>{t!(i18n, complaints.title)}</h1>
        <p>{t!(i18n, complaints.lead)}</p>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(AppError::SignInRequired) => view! { <Redirect path="/sign-in"/> }.into_any(),
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) => {
                        let problem = latest_problem(submit, page.problem.clone());
                        let current = problem.get_untracked();
                        let chosen = current
                            .as_ref()
                            .map(|_| typed(&current, COMPLAINT_FORM, "request"))
                            .or_else(|| query.with_untracked(|q| q.get("request")))
                            .unwrap_or_default();
                        // Read as the page changes: the notice follows the address the form led to.
                            let sent = move || query.with(|q| q.get("sent").is_some());
                        let form = COMPLAINT_FORM.to_owned();
                        view! {
                            {move || sent().then(|| view! { <p class="notice notice--success" role="status">{t!(i18n, complaints.sent)}</p> })}
                            <section class="card" aria-labelledby="complaint-form-title">
                                <h2 id="complaint-form-title">{t!(i18n, complaints.new_title)}</h2>
                                <ActionForm action=submit attr:class="form" attr:id="form-complaint" attr:novalidate=true>
                                    <SelectField name="request" id="field-request" label=move || t_string!(i18n, complaints.about)
                                        placeholder=move || t_string!(i18n, complaints.about_general)
                                        options=page.requests.into_iter().map(|r| (r.id.to_string(), r.label)).collect()
                                        selected=chosen.clone()
                                        error=field_message(problem, form.clone(), "request")/>
                                    <TextAreaField name="body" label=move || t_string!(i18n, complaints.body)
                                        value=typed(&current, COMPLAINT_FORM, "body") required=true rows=5
                                        error=field_message(problem, form.clone(), "body")/>
                                    <FormNotice problem form=form.clone()/>
                                    <button class="button button--primary" type="submit">{t!(i18n, complaints.send)}</button>
                                </ActionForm>
                            </section>
                            {(!page.complaints.is_empty()).then(|| view! {
                                <section class="card">
                                    <h2>{t!(i18n, complaints.mine)}</h2>
                                    <ul class="records">
                                        {page.complaints.into_iter().map(|c| view! {
                                            <li class="records__item" id=format!("complaint-{}", c.id)>
                                                <strong class=format!("status-badge complaint--{}", c.stage.code())>
                                                    {c.stage.text(i18n.get_locale())}
                                                </strong>
                                                {c.request_reference.map(|r| view! { " " <bdi dir="ltr">{r}</bdi> })}
                                                <span class="records__meta"><DualDateText unix_seconds=c.created_at/></span>
                                                <p class="records__body">{c.body}</p>
                                                {c.resolution.map(|resolution| view! {
                                                    <p class="records__body complaint__resolution">
                                                        <strong>{t!(i18n, complaints.resolution)}</strong> " " {resolution}
                                                    </p>
                                                })}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            })}
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}
