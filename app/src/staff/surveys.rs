//! The survey builder (`/staff/surveys`, admins): surveys in Arabic and English
//! with satisfaction (1–5), recommend (0–10), single and multiple choice and
//! short-text questions, optional or required. Questions are edited as a draft
//! and published as a numbered version; responses keep the version they answered.
//! A survey is put in use for an audience: after each service, after each
//! answered inquiry (C1), by hand, or internal (A16).

#[cfg(feature = "ssr")]
use crate::application::{access::can, surveys};

use awn_domain::{
    staff::StaffRole,
    surveys::{Question, QuestionKind, SurveyAudience},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use super::sign_in::StaffGate;
use crate::{
    components::{
        form::{SelectField, TextAreaField, TextField},
        messages::ErrorMessage,
    },
    error::AppError,
    forms::{FormNotice, FormProblem, field_message, latest_problem, successes, typed},
    i18n::*,
};

const CREATE_FORM: &str = "survey-new";
const QUESTION_FORM: &str = "question";
const PUBLISH_FORM: &str = "publish";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyRow {
    pub id: i64,
    pub title_ar: String,
    pub title_en: String,
    pub audience: SurveyAudience,
    pub evaluated_team: Option<StaffRole>,
    pub anonymous: bool,
    pub active: bool,
    /// The latest published version's number.
    pub version: Option<i64>,
    pub unpublished_changes: bool,
    pub draft: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveysPage {
    pub surveys: Vec<SurveyRow>,
    pub problem: Option<FormProblem>,
}

#[server(endpoint = "staff/surveys/load")]
pub async fn load_surveys() -> Result<SurveysPage, AppError> {
    let staff = super::authorize::<can::ManageSurveys>().await?;
    let context = crate::state::app_context()?;
    let surveys = surveys::list(&context.database, &staff).await?;
    Ok(SurveysPage { surveys, problem: crate::forms::take_flash() })
}

#[server(endpoint = "staff/surveys/one")]
pub async fn load_survey_builder(survey: i64) -> Result<SurveysPage, AppError> {
    let staff = super::authorize::<can::ManageSurveys>().await?;
    let context = crate::state::app_context()?;
    let found = surveys::one(&context.database, &staff, survey).await?;
    Ok(SurveysPage { surveys: vec![found], problem: crate::forms::take_flash() })
}

#[server(endpoint = "staff/surveys/create")]
pub async fn create_survey(
    title_ar: Option<String>,
    title_en: Option<String>,
    audience: Option<String>,
    evaluated_team: Option<String>,
    anonymous: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    use crate::forms::finish;
    let staff = super::authorize::<can::ManageSurveys>().await?;
    let context = crate::state::app_context()?;
    let typed = surveys::TypedSurvey {
        title_ar: title_ar.as_deref(),
        title_en: title_en.as_deref(),
        audience: audience.as_deref(),
        evaluated_team: evaluated_team.as_deref(),
        anonymous: anonymous.is_some(),
    };
    match surveys::create(&context.database, &staff, typed).await? {
        Ok(id) => finish(&format!("/staff/surveys/{id}"), None),
        Err(refused) => {
            let problem = refused.on(CREATE_FORM).with_values(&[
                ("title_ar", &title_ar),
                ("title_en", &title_en),
                ("audience", &audience),
                ("evaluated_team", &evaluated_team),
            ]);
            finish("/staff/surveys", Some(problem))
        }
    }
}

#[server(endpoint = "staff/surveys/question")]
#[allow(clippy::too_many_arguments, reason = "a server function takes the form's fields as its arguments")]
pub async fn add_question(
    survey: i64,
    kind: Option<String>,
    prompt_ar: Option<String>,
    prompt_en: Option<String>,
    required: Option<String>,
    options_ar: Option<String>,
    options_en: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = super::authorize::<can::ManageSurveys>().await?;
    let context = crate::state::app_context()?;
    let form = awn_domain::surveys::QuestionForm {
        kind: kind.clone().unwrap_or_default(),
        prompt_ar: prompt_ar.clone().unwrap_or_default(),
        prompt_en: prompt_en.clone().unwrap_or_default(),
        required: required.is_some(),
        options_ar: options_ar.clone().unwrap_or_default(),
        options_en: options_en.clone().unwrap_or_default(),
    };
    let added = surveys::add_question(&context.database, &staff, survey, &form).await?;
    let refused = added.err().map(|refused| {
        refused.on(QUESTION_FORM).with_values(&[
            ("kind", &kind),
            ("prompt_ar", &prompt_ar),
            ("prompt_en", &prompt_en),
            ("options_ar", &options_ar),
            ("options_en", &options_en),
        ])
    });
    crate::forms::finish(&format!("/staff/surveys/{survey}"), refused)
}

/// Removes a question from the draft, or moves it one place up.
#[server(endpoint = "staff/surveys/arrange")]
pub async fn arrange_question(survey: i64, key: String, step: String) -> Result<Option<FormProblem>, AppError> {
    let staff = super::authorize::<can::ManageSurveys>().await?;
    let context = crate::state::app_context()?;
    surveys::arrange_question(&context.database, &staff, survey, &key, &step).await?;
    crate::forms::finish(&format!("/staff/surveys/{survey}"), None)
}

#[server(endpoint = "staff/surveys/publish")]
pub async fn publish_survey(survey: i64) -> Result<Option<FormProblem>, AppError> {
    let staff = super::authorize::<can::ManageSurveys>().await?;
    let context = crate::state::app_context()?;
    let published = surveys::publish(&context.database, &staff, survey).await?;
    crate::forms::finish(&format!("/staff/surveys/{survey}"), published.err().map(|r| r.on(PUBLISH_FORM)))
}

#[server(endpoint = "staff/surveys/use")]
pub async fn set_survey_in_use(survey: i64, in_use: String) -> Result<Option<FormProblem>, AppError> {
    let staff = super::authorize::<can::ManageSurveys>().await?;
    let context = crate::state::app_context()?;
    let set = surveys::set_in_use(&context.database, &staff, survey, in_use == "1").await?;
    crate::forms::finish(&format!("/staff/surveys/{survey}"), set.err().map(|r| r.on(PUBLISH_FORM)))
}

pub fn kind_text(i18n: leptos_i18n::I18nContext<Locale>, kind: QuestionKind) -> String {
    match kind {
        QuestionKind::Satisfaction => t_string!(i18n, surveys_admin.kind_csat),
        QuestionKind::Recommend => t_string!(i18n, surveys_admin.kind_nps),
        QuestionKind::SingleChoice => t_string!(i18n, surveys_admin.kind_single),
        QuestionKind::MultipleChoice => t_string!(i18n, surveys_admin.kind_multiple),
        QuestionKind::ShortText => t_string!(i18n, surveys_admin.kind_text),
    }
    .to_string()
}

pub fn audience_text(i18n: leptos_i18n::I18nContext<Locale>, audience: SurveyAudience) -> String {
    match audience {
        SurveyAudience::AfterService => t_string!(i18n, surveys_admin.audience_service),
        SurveyAudience::AfterInquiry => t_string!(i18n, surveys_admin.audience_inquiry),
        SurveyAudience::ByHand => t_string!(i18n, surveys_admin.audience_manual),
        SurveyAudience::Internal => t_string!(i18n, surveys_admin.audience_internal),
    }
    .to_string()
}

#[component]
pub fn StaffSurveysPage() -> impl IntoView {
    // Resources are made before anything waits (see `StaffCalendarPage`).
    let create = ServerAction::<CreateSurvey>::new();
    let page = Resource::new(|| (), |_| load_surveys());
    view! { <StaffGate children=move |_session| view! { <SurveyList create page/> }/> }
}

#[component]
fn SurveyList(create: ServerAction<CreateSurvey>, page: Resource<Result<SurveysPage, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, surveys_admin.title).to_string()/>
        <h1>{t!(i18n, surveys_admin.title)}</h1>
        <p>{t!(i18n, surveys_admin.lead)}</p>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) => {
                        let problem = latest_problem(create, page.problem.clone());
                        let current = problem.get_untracked();
                        let form = CREATE_FORM.to_owned();
                        let audiences: Vec<(String, String)> =
                            SurveyAudience::ALL.into_iter().map(|a| (a.code().to_owned(), audience_text(i18n, a))).collect();
                        let teams: Vec<(String, String)> = StaffRole::ALL
                            .into_iter()
                            .map(|r| (r.code().to_owned(), super::labels::role_text(i18n.get_locale_untracked(), r)))
                            .collect();
                        view! {
                            <ul class="cards" id="survey-list">
                                {page.surveys.iter().map(|survey| {
                                    let title = if i18n.get_locale_untracked() == Locale::ar { survey.title_ar.clone() } else { survey.title_en.clone() };
                                    view! {
                                        <li class="card">
                                            <h2><a href=format!("/staff/surveys/{}", survey.id)>{title}</a></h2>
                                            <p class="field__hint">
                                                {audience_text(i18n, survey.audience)} " · "
                                                {if survey.active { t_string!(i18n, surveys_admin.in_use) } else { t_string!(i18n, surveys_admin.not_in_use) }}
                                                {survey.version.map(|v| view! { " · " {t!(i18n, surveys_admin.version)} " " <bdi>{v}</bdi> })}
                                            </p>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            <ActionForm action=create attr:class="form card" attr:id="form-survey-new" attr:novalidate=true>
                                <h2>{t!(i18n, surveys_admin.new_survey)}</h2>
                                <TextField name="title_ar" label=move || t_string!(i18n, surveys_admin.title_ar)
                                    value=typed(&current, CREATE_FORM, "title_ar") required=true
                                    error=field_message(problem, form.clone(), "title_ar")/>
                                <TextField name="title_en" label=move || t_string!(i18n, surveys_admin.title_en) dir="ltr"
                                    value=typed(&current, CREATE_FORM, "title_en") required=true
                                    error=field_message(problem, form.clone(), "title_en")/>
                                <SelectField name="audience" id="survey-audience" label=move || t_string!(i18n, surveys_admin.audience)
                                    placeholder=move || t_string!(i18n, surveys_admin.choose) options=audiences selected=typed(&current, CREATE_FORM, "audience")
                                    error=field_message(problem, form.clone(), "audience")/>
                                <SelectField name="evaluated_team" id="survey-team" label=move || t_string!(i18n, surveys_admin.evaluated_team)
                                    placeholder=move || t_string!(i18n, surveys_admin.choose)
                                    options=teams selected=typed(&current, CREATE_FORM, "evaluated_team")
                                    error=field_message(problem, form.clone(), "evaluated_team")/>
                                <p class="field__hint">{t!(i18n, surveys_admin.evaluated_team_hint)}</p>
                                <div class="choice">
                                    <input type="checkbox" id="survey-anonymous" name="anonymous" value="1" checked=true/>
                                    <label for="survey-anonymous">{t!(i18n, surveys_admin.anonymous)}</label>
                                </div>
                                <FormNotice problem form=form.clone()/>
                                <button class="button button--primary" type="submit">{t!(i18n, surveys_admin.create)}</button>
                            </ActionForm>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
pub fn StaffSurveyBuilderPage() -> impl IntoView {
    // Resources are made before anything waits (see `StaffCalendarPage`).
    let params = use_params_map();
    let survey_id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or_default());
    let add = ServerAction::<AddQuestion>::new();
    let arrange = ServerAction::<ArrangeQuestion>::new();
    let publish = ServerAction::<PublishSurvey>::new();
    let in_use = ServerAction::<SetSurveyInUse>::new();
    let (added, arranged, published, used) =
        (successes(add), successes(arrange), successes(publish), successes(in_use));
    let page = Resource::new(
        move || (survey_id(), added.get(), arranged.get(), published.get(), used.get()),
        |(id, ..)| load_survey_builder(id),
    );
    let actions = BuilderActions { add, arrange, publish, in_use };
    view! { <StaffGate children=move |_session| view! { <Builder actions page/> }/> }
}

/// The builder's forms.
#[derive(Clone, Copy)]
struct BuilderActions {
    add: ServerAction<AddQuestion>,
    arrange: ServerAction<ArrangeQuestion>,
    publish: ServerAction<PublishSurvey>,
    in_use: ServerAction<SetSurveyInUse>,
}

#[component]
fn Builder(actions: BuilderActions, page: Resource<Result<SurveysPage, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let BuilderActions { add, arrange, publish, in_use } = actions;
    view! {
        <Title text=t_string!(i18n, surveys_admin.title).to_string()/>
        <p><a href="/staff/surveys">{t!(i18n, surveys_admin.back)}</a></p>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) => {
                        let Some(survey) = page.surveys.first().cloned() else { return view! { <ErrorMessage error=AppError::NotFound/> }.into_any() };
                        let problem = latest_problem(add, page.problem.clone());
                        let publish_problem = Signal::derive({
                            let flashed = page.problem.clone();
                            move || match (publish.value().get(), in_use.value().get()) {
                                (Some(Ok(Some(p))), _) | (_, Some(Ok(Some(p)))) => Some(p),
                                _ => flashed.clone().filter(|p| p.form == PUBLISH_FORM),
                            }
                        });
                        let id = survey.id;
                        view! {
                            <SurveyStatus survey=survey.clone() publish in_use publish_problem/>
                            <ol class="survey-draft" id="survey-draft">
                                {survey.draft.iter().enumerate().map(|(index, question)| view! {
                                    <DraftQuestion survey=id index question=question.clone() arrange/>
                                }).collect_view()}
                            </ol>
                            <NewQuestionForm survey=id add problem/>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The survey's title, audience, version and use, with the forms that publish
/// it and put it in use (or out of it).
#[component]
fn SurveyStatus(
    survey: SurveyRow,
    publish: ServerAction<PublishSurvey>,
    in_use: ServerAction<SetSurveyInUse>,
    publish_problem: Signal<Option<FormProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let arabic = i18n.get_locale_untracked() == Locale::ar;
    let id = survey.id;
    let title = if arabic { survey.title_ar.clone() } else { survey.title_en.clone() };
    view! {
        <h1>{title}</h1>
        <p class="field__hint">
            {audience_text(i18n, survey.audience)}
            {survey.evaluated_team.map(|team| view! { " · " {super::labels::role_text(i18n.get_locale_untracked(), team)} })}
            " · "
            {if survey.anonymous { t_string!(i18n, surveys_admin.anonymous_short) } else { t_string!(i18n, surveys_admin.named_short) }}
        </p>
        <section class="card" id="survey-status">
            <p>
                {match survey.version {
                    Some(v) => view! { {t!(i18n, surveys_admin.version)} " " <bdi>{v}</bdi> }.into_any(),
                    None => view! { {t!(i18n, surveys_admin.never_published)} }.into_any(),
                }}
                " · "
                {if survey.active { t_string!(i18n, surveys_admin.in_use) } else { t_string!(i18n, surveys_admin.not_in_use) }}
            </p>
            {survey.unpublished_changes.then(|| view! { <p class="notice">{t!(i18n, surveys_admin.unpublished)}</p> })}
            <FormNotice problem=publish_problem form=PUBLISH_FORM/>
            <div class="page-actions">
                <ActionForm action=publish attr:class="form form--inline">
                    <input type="hidden" name="survey" value=id.to_string()/>
                    <button class="button button--primary" type="submit" disabled=!survey.unpublished_changes>
                        {t!(i18n, surveys_admin.publish)}
                    </button>
                </ActionForm>
                <ActionForm action=in_use attr:class="form form--inline">
                    <input type="hidden" name="survey" value=id.to_string()/>
                    <input type="hidden" name="in_use" value=if survey.active { "0" } else { "1" }/>
                    <button class="button" type="submit">
                        {if survey.active { t_string!(i18n, surveys_admin.stop_using) } else { t_string!(i18n, surveys_admin.start_using) }}
                    </button>
                </ActionForm>
            </div>
            <p class="field__hint">{t!(i18n, surveys_admin.versions_hint)}</p>
        </section>
    }
}

/// A question of the draft, with the forms that move it up or remove it.
#[component]
fn DraftQuestion(
    survey: i64,
    index: usize,
    question: Question,
    arrange: ServerAction<ArrangeQuestion>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = survey;
    let key = question.key.clone();
    let key_up = key.clone();
    view! {
        <li class="card">
            <p><strong>{question.prompt_ar.clone()}</strong></p>
            <p dir="ltr">{question.prompt_en.clone()}</p>
            <p class="field__hint">
                {kind_text(i18n, question.kind)} " · "
                {if question.required { t_string!(i18n, surveys_admin.required) } else { t_string!(i18n, surveys.optional) }}
            </p>
            {(!question.options.is_empty()).then(|| view! {
                <ul>{question.options.iter().map(|o| view! { <li>{o.ar.clone()} " / " <bdi>{o.en.clone()}</bdi></li> }).collect_view()}</ul>
            })}
            <div class="page-actions">
                {(index > 0).then(|| view! {
                    <ActionForm action=arrange attr:class="form form--inline">
                        <input type="hidden" name="survey" value=id.to_string()/>
                        <input type="hidden" name="key" value=key_up.clone()/>
                        <input type="hidden" name="step" value="up"/>
                        <button class="button button--link" type="submit">{t!(i18n, surveys_admin.move_up)}</button>
                    </ActionForm>
                })}
                <ActionForm action=arrange attr:class="form form--inline">
                    <input type="hidden" name="survey" value=id.to_string()/>
                    <input type="hidden" name="key" value=key.clone()/>
                    <input type="hidden" name="step" value="remove"/>
                    <button class="button button--link" type="submit">{t!(i18n, surveys_admin.remove)}</button>
                </ActionForm>
            </div>
        </li>
    }
}

/// The form that adds a question to the draft.
#[component]
fn NewQuestionForm(survey: i64, add: ServerAction<AddQuestion>, problem: Signal<Option<FormProblem>>) -> impl IntoView {
    let i18n = use_i18n();
    let id = survey;
    let current = problem.get_untracked();
    let form = QUESTION_FORM.to_owned();
    let kinds: Vec<(String, String)> =
        QuestionKind::ALL.into_iter().map(|k| (k.code().to_owned(), kind_text(i18n, k))).collect();
    view! {
        <ActionForm action=add attr:class="form card" attr:id="form-question" attr:novalidate=true>
            <h2>{t!(i18n, surveys_admin.add_question)}</h2>
            <input type="hidden" name="survey" value=id.to_string()/>
            <SelectField name="kind" id="question-kind" label=move || t_string!(i18n, surveys_admin.kind)
                placeholder=move || t_string!(i18n, surveys_admin.choose) options=kinds selected=typed(&current, QUESTION_FORM, "kind")
                error=field_message(problem, form.clone(), "kind")/>
            <TextField name="prompt_ar" label=move || t_string!(i18n, surveys_admin.prompt_ar)
                value=typed(&current, QUESTION_FORM, "prompt_ar") required=true
                error=field_message(problem, form.clone(), "prompt_ar")/>
            <TextField name="prompt_en" label=move || t_string!(i18n, surveys_admin.prompt_en) dir="ltr"
                value=typed(&current, QUESTION_FORM, "prompt_en") required=true
                error=field_message(problem, form.clone(), "prompt_en")/>
            <p class="field__hint">{t!(i18n, surveys_admin.options_hint)}</p>
            <TextAreaField name="options_ar" label=move || t_string!(i18n, surveys_admin.options_ar) rows=3
                value=typed(&current, QUESTION_FORM, "options_ar")
                error=field_message(problem, form.clone(), "options_ar")/>
            <TextAreaField name="options_en" label=move || t_string!(i18n, surveys_admin.options_en) rows=3
                value=typed(&current, QUESTION_FORM, "options_en")
                error=field_message(problem, form.clone(), "options_en")/>
            <div class="choice">
                <input type="checkbox" id="question-required" name="required" value="1" checked=true/>
                <label for="question-required">{t!(i18n, surveys_admin.required)}</label>
            </div>
            <FormNotice problem form=form.clone()/>
            <button class="button button--primary" type="submit">{t!(i18n, surveys_admin.add)}</button>
        </ActionForm>
    }
}

const INVITE_FORM: &str = "survey-invite";

/// (id, title) of the surveys staff may send by hand: in use, not internal.
/// Sends a beneficiary a survey by SMS, by hand.
#[server(endpoint = "staff/surveys/invite")]
pub async fn invite_to_survey(beneficiary: i64, survey: Option<String>) -> Result<Option<FormProblem>, AppError> {
    use crate::forms::finish;
    let staff = super::authorize::<can::InviteToSurvey>().await?;
    let context = crate::state::app_context()?;
    let back = format!("/staff/beneficiaries/{beneficiary}");
    match surveys::invite(&context, &staff, beneficiary, survey.as_deref()).await? {
        Ok(()) => finish(&format!("{back}?invited=1"), None),
        Err(refused) => finish(&back, Some(refused.on(INVITE_FORM))),
    }
}

/// The "send a survey" form of a beneficiary's file.
#[component]
pub fn SurveyInvite(
    beneficiary: i64,
    /// The surveys in use (value, name), from the file's answer.
    options: Vec<(String, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    let invite = ServerAction::<InviteToSurvey>::new();
    let problem = latest_problem(invite, None);
    view! {
        <section class="card" id="survey-invite">
            <h2>{t!(i18n, surveys_admin.invite_title)}</h2>
            {move || query.with(|q| q.get("invited").is_some()).then(|| view! {
                <p class="notice notice--success" role="status">{t!(i18n, surveys_admin.invited)}</p>
            })}
            {if options.is_empty() {
                view! { <p>{t!(i18n, surveys_admin.none_to_send)}</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=invite attr:class="form" attr:id="form-survey-invite">
                        <input type="hidden" name="beneficiary" value=beneficiary.to_string()/>
                        <SelectField name="survey" id="invite-survey" label=move || t_string!(i18n, satisfaction.survey)
                            placeholder=move || t_string!(i18n, surveys_admin.choose) options=options
                            error=field_message(problem, INVITE_FORM.to_owned(), "survey")/>
                        <button class="button" type="submit">{t!(i18n, surveys_admin.send_invite)}</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}
