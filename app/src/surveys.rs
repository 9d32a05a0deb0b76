//! Evaluating a service (C1, C2): the page a survey link opens (`/survey/{token}`),
//! its thank-you page, and suggestions from anyone (`/suggestions`, A17).
//!
//! The answers form is a plain HTML form posted to `/survey-answers/{token}` (a
//! route of the server, since its fields are the survey's own questions), so it
//! works the same with or without JavaScript on a low-end phone.

use awn_domain::surveys::{Question, QuestionKind};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use crate::{
    components::{
        form::{TextArea, TextAreaField},
        messages::ErrorMessage,
    },
    error::AppError,
    forms::{FormNotice, FormProblem, field_message, latest_problem, typed},
    i18n::*,
};

pub use crate::forms::ANSWERS_FORM;
const SUGGESTION_FORM: &str = "suggestion";

/// A survey ready to answer, in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyToAnswer {
    pub title: String,
    pub version_id: i64,
    pub questions: Vec<Question>,
    /// What the last post was refused for, with what was chosen.
    pub problem: Option<FormProblem>,
}

/// What a survey link leads to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SurveyLink {
    Open(SurveyToAnswer),
    Used,
    Expired,
    Unknown,
}

#[server(endpoint = "surveys/load")]
pub async fn load_survey(token: String) -> Result<SurveyLink, AppError> {
    let context = crate::state::app_context()?;
    let language = crate::preferences::request_language(&context);
    let mut link = crate::application::surveys::invitation(&context.database, &token, language).await?;
    if let SurveyLink::Open(survey) = &mut link {
        survey.problem = crate::forms::take_flash().filter(|p| p.form == ANSWERS_FORM);
    }
    Ok(link)
}

/// The words at the two ends of a scale question.
fn scale_ends(i18n: leptos_i18n::I18nContext<Locale>, kind: QuestionKind) -> (String, String) {
    match kind {
        QuestionKind::Recommend => {
            (t_string!(i18n, surveys.recommend_low).to_string(), t_string!(i18n, surveys.recommend_high).to_string())
        }
        _ => (
            t_string!(i18n, surveys.satisfaction_low).to_string(),
            t_string!(i18n, surveys.satisfaction_high).to_string(),
        ),
    }
}

/// The questions of a survey as form fields, with what was chosen before
/// (`problem`'s values) and the problem under its question. Shared by the
/// beneficiaries' page and the staff's internal surveys.
#[component]
pub fn SurveyQuestions(questions: Vec<Question>, problem: Option<FormProblem>) -> impl IntoView {
    let i18n = use_i18n();
    let arabic = i18n.get_locale_untracked() == Locale::ar;
    // The scale's numbers and the words at its ends follow the person's digit choice alike.
    let digits = crate::preferences::use_digit_style();
    let localized =
        move |text: String| move || awn_domain::digits::localize_digits(&text, digits.try_get().unwrap_or_default());
    let chosen = {
        let problem = problem.clone();
        move |key: &str, value: &str| {
            problem.as_ref().is_some_and(|p| p.values.iter().any(|(name, v)| name == key && v == value))
        }
    };
    questions
        .into_iter()
        .enumerate()
        .map(|(index, question)| {
            let key = question.key.clone();
            let error =
                problem.as_ref().filter(|p| p.field == key).map(|p| p.problem.text(i18n.get_locale_untracked()));
            let error_id = format!("question-{key}-error");
            let invalid = error.is_some();
            let prompt = question.prompt(arabic).to_owned();
            let optional = (!question.required)
                .then(|| view! { <span class="field__optional">{t!(i18n, surveys.optional)}</span> });
            let body = match question.kind {
                QuestionKind::Satisfaction | QuestionKind::Recommend => {
                    let scale = question.kind.scale().unwrap_or(1..=5);
                    let (low, high) = scale_ends(i18n, question.kind);
                    let wide = question.kind == QuestionKind::Recommend;
                    view! {
                        <div class="scale" class:scale--wide=wide>
                            {scale
                                .map(|score| {
                                    let id = format!("{key}-{score}");
                                    let value = score.to_string();
                                    view! {
                                        <span class="scale__point">
                                            <input type="radio" id=id.clone() name=key.clone() value=value.clone()
                                                required=question.required checked=chosen(&key, &value)/>
                                            <label for=id>{localized(value.clone())}</label>
                                        </span>
                                    }
                                })
                                .collect_view()}
                        </div>
                        <p class="scale__ends"><span>{localized(low)}</span><span>{localized(high)}</span></p>
                    }
                    .into_any()
                }
                QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
                    let input_type = if question.kind == QuestionKind::SingleChoice { "radio" } else { "checkbox" };
                    let required = question.required && question.kind == QuestionKind::SingleChoice;
                    question
                        .options
                        .iter()
                        .enumerate()
                        .map(|(option_index, option)| {
                            let id = format!("{key}-{option_index}");
                            let value = option_index.to_string();
                            let label = if arabic { option.ar.clone() } else { option.en.clone() };
                            view! {
                                <div class="choice">
                                    <input type=input_type id=id.clone() name=key.clone() value=value.clone()
                                        required=required checked=chosen(&key, &value)/>
                                    <label for=id>{label}</label>
                                </div>
                            }
                        })
                        .collect_view()
                        .into_any()
                }
                QuestionKind::ShortText => {
                    let value = problem.as_ref().and_then(|p| p.value(&key)).map(str::to_owned).unwrap_or_default();
                    view! {
                        <TextArea name=key.clone() value rows=3 maxlength=1000
                            aria_label=prompt.clone() required=question.required/>
                    }
                    .into_any()
                }
            };
            view! {
                <fieldset class="field survey-question" class:field--invalid=invalid
                    aria-describedby=invalid.then(|| error_id.clone())>
                    <legend class="field__label">
                        <span class="survey-question__number">{index + 1}". "</span>{prompt.clone()} " " {optional}
                    </legend>
                    {body}
                    {error.map(|text| view! { <p class="field__error" id=error_id.clone() role="alert">{text}</p> })}
                </fieldset>
            }
        })
        .collect_view()
}

#[component]
pub fn SurveyPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let link = Resource::new(token, load_survey);
    view! {
        <Title text=t_string!(i18n, surveys.title).to_string()/>
        <section class="card narrow survey">
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Err(error) => view! { <ErrorMessage error/> }.into_any(),
                        Ok(SurveyLink::Open(survey)) => {
                            let action = format!("/survey-answers/{}", token());
                            let problem = survey.problem.clone();
                            let whole_form = Signal::stored(problem.clone());
                            view! {
                                <h1>{survey.title.clone()}</h1>
                                <p>{t!(i18n, surveys.your_right)}</p>
                                <form method="post" action=action class="form" id="form-survey">
                                    <input type="hidden" name="~version" value=survey.version_id.to_string()/>
                                    <SurveyQuestions questions=survey.questions.clone() problem=problem.clone()/>
                                    <FormNotice problem=whole_form form=ANSWERS_FORM/>
                                    <button class="button button--primary button--wide" type="submit">{t!(i18n, surveys.send)}</button>
                                </form>
                            }
                            .into_any()
                        }
                        Ok(SurveyLink::Used) => view! {
                            <h1>{t!(i18n, surveys.title)}</h1>
                            <p class="notice" role="status">{t!(i18n, surveys.used)}</p>
                        }
                        .into_any(),
                        Ok(SurveyLink::Expired) => view! {
                            <h1>{t!(i18n, surveys.title)}</h1>
                            <p class="notice" role="status">{t!(i18n, surveys.expired)}</p>
                            <p><a href="/suggestions">{t!(i18n, surveys.suggest_instead)}</a></p>
                        }
                        .into_any(),
                        Ok(SurveyLink::Unknown) => view! {
                            <h1>{t!(i18n, surveys.title)}</h1>
                            <p class="notice notice--error" role="alert">{t!(i18n, surveys.unknown)}</p>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// After the answers: what the association does with them (C2).
#[component]
pub fn SurveyThanksPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, surveys.thanks_title).to_string()/>
        <section class="card narrow">
            <h1>{t!(i18n, surveys.thanks_title)}</h1>
            <p>{t!(i18n, surveys.thanks_use)}</p>
            <p>{t!(i18n, surveys.thanks_not_punishment)}</p>
            <p><a href="/suggestions">{t!(i18n, surveys.suggest_more)}</a></p>
        </section>
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionFormState {
    pub problem: Option<FormProblem>,
}

#[server(endpoint = "suggestions/form")]
pub async fn load_suggestion_form() -> Result<SuggestionFormState, AppError> {
    Ok(SuggestionFormState { problem: crate::forms::take_flash() })
}

/// A suggestion from anyone (A17): a signed-in beneficiary's is kept with their
/// account (so a deletion of their data reaches it); staff read it without a name.
#[server(endpoint = "suggestions/send")]
pub async fn send_suggestion(body: Option<String>) -> Result<Option<FormProblem>, AppError> {
    use crate::forms::finish;
    let context = crate::state::app_context()?;
    let beneficiary = crate::session::current_beneficiary().await?.map(|beneficiary| beneficiary.id);
    let suggested =
        crate::application::improvements::suggest_online(&context.database, beneficiary, body.as_deref()).await?;
    if let Err(refused) = suggested {
        return finish("/suggestions", Some(refused.on(SUGGESTION_FORM).with_values(&[("body", &body)])));
    }
    finish("/suggestions?sent=1", None)
}

#[component]
pub fn SuggestionPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let send = ServerAction::<SendSuggestion>::new();
    let sent_count = crate::forms::successes(send);
    let state = Resource::new(move || sent_count.get(), |_| load_suggestion_form());
    view! {
        <Title text=t_string!(i18n, suggestions.title).to_string()/>
        <section class="card narrow">
            <h1>{t!(i18n, suggestions.title)}</h1>
            <p>{t!(i18n, suggestions.lead)}</p>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match state.await {
                        Err(error) => view! { <ErrorMessage error/> }.into_any(),
                        Ok(state) => {
                            let problem = latest_problem(send, state.problem.clone());
                            let current = problem.get_untracked();
                            let sent = move || query.with(|q| q.get("sent").is_some());
                            view! {
                                {move || sent().then(|| view! { <p class="notice notice--success" role="status">{t!(i18n, suggestions.sent)}</p> })}
                                <ActionForm action=send attr:class="form" attr:id="form-suggestion" attr:novalidate=true>
                                    <TextAreaField name="body" label=move || t_string!(i18n, suggestions.body)
                                        value=typed(&current, SUGGESTION_FORM, "body") required=true rows=5
                                        error=field_message(problem, SUGGESTION_FORM.to_owned(), "body")/>
                                    <FormNotice problem form=SUGGESTION_FORM/>
                                    <button class="button button--primary" type="submit">{t!(i18n, suggestions.send)}</button>
                                </ActionForm>
                            }
                            .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}
