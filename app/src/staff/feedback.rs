//! Every staff member's page of opinions (`/staff/feedback`): the internal
//! surveys about the departments that serve them (A16), a suggestion box
//! (A17), and their own satisfaction figures, which nobody else sees (C2).

use awn_domain::surveys::Question;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::sign_in::StaffGate;
use crate::{
    components::{form::TextAreaField, messages::ErrorMessage},
    error::AppError,
    forms::{FormNotice, FormProblem, field_message, latest_problem, successes, typed},
    i18n::*,
    surveys::{ANSWERS_FORM, SurveyQuestions},
};

const SUGGESTION_FORM: &str = "staff-suggestion";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InternalSurveyRow {
    pub id: i64,
    pub title: String,
    pub evaluated_team: Option<String>,
    pub version_id: i64,
    pub questions: Vec<Question>,
    pub answered: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyFigures {
    pub responses: usize,
    /// `None` while fewer than five responses name this person.
    pub csat: Option<String>,
    pub nps: Option<String>,
    pub shown: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackPage {
    pub surveys: Vec<InternalSurveyRow>,
    pub mine: MyFigures,
    pub problem: Option<FormProblem>,
}

#[server(endpoint = "staff/feedback/load")]
pub async fn load_feedback() -> Result<FeedbackPage, AppError> {
    let staff = super::current_staff().await?.ok_or(AppError::StaffSignInRequired)?;
    let context = crate::state::app_context()?;
    let language = crate::preferences::request_language(&context);
    let surveys = crate::application::surveys::internal_surveys_for(&context.database, &staff, language).await?;
    let mine = crate::application::satisfaction::own_figures(&context.database, &staff).await?;
    Ok(FeedbackPage { surveys, mine, problem: crate::forms::take_flash() })
}

#[server(endpoint = "staff/feedback/suggest")]
pub async fn send_staff_suggestion(body: Option<String>) -> Result<Option<FormProblem>, AppError> {
    use crate::forms::finish;
    let staff = super::current_staff().await?.ok_or(AppError::StaffSignInRequired)?;
    let context = crate::state::app_context()?;
    let suggested =
        crate::application::improvements::suggest_as_staff(&context.database, &staff, body.as_deref()).await?;
    if let Err(refused) = suggested {
        let problem = refused.on(SUGGESTION_FORM).with_values(&[("body", &body)]);
        return finish("/staff/feedback", Some(problem));
    }
    finish("/staff/feedback?suggested=1", None)
}

#[component]
pub fn StaffFeedbackPage() -> impl IntoView {
    // Resources are made here, before anything waits: made inside the gate's
    // children they were numbered differently on the server and in the browser
    // now and then, and hydration broke.
    let suggest = ServerAction::<SendStaffSuggestion>::new();
    let suggested = successes(suggest);
    let page = Resource::new(move || suggested.get(), |_| load_feedback());
    view! { <StaffGate children=move |_session| view! { <Feedback suggest page/> }/> }
}

#[component]
fn Feedback(
    suggest: ServerAction<SendStaffSuggestion>,
    page: Resource<Result<FeedbackPage, AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    view! {
        <Title text=t_string!(i18n, feedback.title).to_string()/>
        <h1>{t!(i18n, feedback.title)}</h1>
        {move || query.with(|q| q.get("answered").is_some()).then(|| view! {
            <p class="notice notice--success" role="status">{t!(i18n, surveys.thanks_title)}</p>
        })}
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) => {
                        let problem = latest_problem(suggest, page.problem.clone());
                        let current = problem.get_untracked();
                        let flashed = page.problem.clone().filter(|p| p.form == ANSWERS_FORM);
                        view! {
                            <section class="card" id="my-figures">
                                <h2>{t!(i18n, feedback.mine)}</h2>
                                {if page.mine.shown {
                                    view! {
                                        <dl class="facts">
                                            <dt>{t!(i18n, satisfaction.responses)}</dt><dd><bdi>{page.mine.responses}</bdi></dd>
                                            <dt>{t!(i18n, satisfaction.csat)}</dt><dd><bdi>{page.mine.csat.clone().unwrap_or_else(|| "—".into())}</bdi></dd>
                                            <dt>{t!(i18n, satisfaction.nps)}</dt><dd><bdi>{page.mine.nps.clone().unwrap_or_else(|| "—".into())}</bdi></dd>
                                        </dl>
                                    }.into_any()
                                } else {
                                    view! { <p>{t!(i18n, feedback.mine_too_few)}</p> }.into_any()
                                }}
                                <p class="field__hint">{t!(i18n, feedback.mine_private)}</p>
                            </section>
                            <section class="card">
                                <h2>{t!(i18n, feedback.internal)}</h2>
                                <p>{t!(i18n, feedback.internal_lead)}</p>
                                {if page.surveys.is_empty() {
                                    view! { <p>{t!(i18n, feedback.no_internal)}</p> }.into_any()
                                } else {
                                    page.surveys.iter().map(|survey| {
                                        let prefix = format!("{}:", survey.id);
                                        // This survey's problem, with the field named as its questions are.
                                        let problem = flashed.clone().filter(|p| p.field.starts_with(&prefix)).map(|mut p| {
                                            p.field = p.field[prefix.len()..].to_owned();
                                            p
                                        });
                                        let whole = Signal::stored(problem.clone());
                                        view! {
                                            <article class="internal-survey">
                                                <h3>{survey.title.clone()}</h3>
                                                {survey.evaluated_team.clone().map(|team| view! { <p class="field__hint">{t!(i18n, feedback.about)} " " {team}</p> })}
                                                {if survey.answered {
                                                    view! { <p class="notice">{t!(i18n, feedback.answered)}</p> }.into_any()
                                                } else {
                                                    view! {
                                                        <form method="post" action=format!("/staff/feedback/{}", survey.id) class="form">
                                                            <input type="hidden" name="~version" value=survey.version_id.to_string()/>
                                                            <SurveyQuestions questions=survey.questions.clone() problem=problem.clone()/>
                                                            <FormNotice problem=whole form=ANSWERS_FORM/>
                                                            <button class="button button--primary" type="submit">{t!(i18n, surveys.send)}</button>
                                                        </form>
                                                    }.into_any()
                                                }}
                                            </article>
                                        }
                                    }).collect_view().into_any()
                                }}
                            </section>
                            <section class="card">
                                <h2>{t!(i18n, feedback.suggest)}</h2>
                                {move || query.with(|q| q.get("suggested").is_some()).then(|| view! {
                                    <p class="notice notice--success" role="status">{t!(i18n, suggestions.sent)}</p>
                                })}
                                <ActionForm action=suggest attr:class="form" attr:id="form-staff-suggestion" attr:novalidate=true>
                                    <TextAreaField name="body" label=move || t_string!(i18n, suggestions.body)
                                        value=typed(&current, SUGGESTION_FORM, "body") required=true rows=4
                                        error=field_message(problem, SUGGESTION_FORM.to_owned(), "body")/>
                                    <FormNotice problem form=SUGGESTION_FORM/>
                                    <button class="button" type="submit">{t!(i18n, suggestions.send)}</button>
                                </ActionForm>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}
