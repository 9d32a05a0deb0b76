//! Volunteering (A18's volunteering channel) at `/volunteer`: anyone offers
//! their time; the mobile is confirmed with a one-time code at
//! `/volunteer/code` before the application reaches staff. Both steps are
//! plain forms that work without JavaScript.

use awn_domain::volunteers::Availability;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::{
    components::{
        form::{SelectField, TextAreaField, TextField},
        messages::ErrorMessage,
    },
    error::AppError,
    flash::FormFlash,
    forms::{FormNotice, FormProblem, field_message, latest_problem, typed},
    i18n::*,
    sign_in::CodeProblem,
    staff::volunteers::availability_text,
};

const APPLY_FORM: &str = "volunteer";
/// The code step's flash.
#[cfg(feature = "ssr")]
const CODE_FLASH: &str = "volunteer_code";
/// The browser's handle on the code sent for its application.
pub const VOLUNTEER_CHALLENGE_COOKIE: &str = "awn_volunteer_challenge";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyFormState {
    pub problem: Option<FormProblem>,
}

#[server(endpoint = "volunteer/form_state")]
pub async fn load_apply_form() -> Result<ApplyFormState, AppError> {
    Ok(ApplyFormState { problem: crate::forms::take_flash() })
}

/// Step 1: checks the application and sends a code to its mobile.
#[server(endpoint = "volunteer/apply")]
pub async fn apply_to_volunteer(
    full_name: Option<String>,
    mobile: Option<String>,
    skills: Option<String>,
    areas: Option<String>,
    availability: Option<String>,
    sms_consent: Option<String>,
    news_consent: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    use crate::application::volunteers::{TypedApplication, apply};
    let context = crate::state::app_context()?;
    let language = crate::preferences::request_language(&context);
    let typed = TypedApplication {
        full_name: &full_name,
        mobile: &mobile,
        skills: &skills,
        areas: &areas,
        availability: &availability,
        sms_consent: sms_consent.is_some(),
        news_consent: news_consent.is_some(),
    };
    match apply(&context, typed, language).await? {
        Ok(challenge) => {
            crate::session::set_cookie(VOLUNTEER_CHALLENGE_COOKIE, &challenge, 15 * 60);
            crate::forms::finish("/volunteer/code", None)
        }
        Err(refused) => {
            let problem = refused.on(APPLY_FORM).with_values(&[
                ("full_name", &full_name),
                ("mobile", &mobile),
                ("skills", &skills),
                ("areas", &areas),
                ("availability", &availability),
            ]);
            crate::forms::finish("/volunteer", Some(problem))
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerCodeState {
    /// The number the code went to, masked; `None` when no application waits for its code.
    pub masked_mobile: Option<String>,
    pub flash: Option<FormFlash>,
}

#[server(endpoint = "volunteer/code_state")]
pub async fn load_volunteer_code() -> Result<VolunteerCodeState, AppError> {
    let context = crate::state::app_context()?;
    let masked_mobile = match crate::preferences::read_cookie(VOLUNTEER_CHALLENGE_COOKIE) {
        Some(token) => crate::application::volunteers::pending_code_mobile(&context.database, &token).await?,
        None => None,
    };
    Ok(VolunteerCodeState { masked_mobile, flash: crate::flash::take(CODE_FLASH) })
}

/// Step 2: checks the code; when right, the application is stored for staff.
#[server(endpoint = "volunteer/confirm")]
pub async fn confirm_volunteer_code(code: String) -> Result<Option<CodeProblem>, AppError> {
    let context = crate::state::app_context()?;
    let problem = match crate::preferences::read_cookie(VOLUNTEER_CHALLENGE_COOKIE) {
        Some(token) => crate::application::volunteers::confirm(&context.database, &token, &code).await?,
        None => Some(CodeProblem::NoChallenge),
    };
    match problem {
        None => {
            crate::session::set_cookie(VOLUNTEER_CHALLENGE_COOKIE, "", 0);
            leptos_axum::redirect("/volunteer?sent=1");
        }
        Some(problem) => {
            let mut flash = problem.to_flash();
            flash.form = CODE_FLASH.into();
            crate::flash::keep_for_next_page(&flash);
        }
    }
    Ok(problem)
}

fn availability_options(i18n: leptos_i18n::I18nContext<Locale>) -> Vec<(String, String)> {
    Availability::ALL.into_iter().map(|a| (a.code().to_owned(), availability_text(i18n, a))).collect()
}

#[component]
pub fn VolunteerPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let apply = ServerAction::<ApplyToVolunteer>::new();
    let state = Resource::new(|| (), |_| load_apply_form());
    view! {
        <Title text=t_string!(i18n, volunteers.title).to_string()/>
        <section class="card narrow">
            <h1>{t!(i18n, volunteers.title)}</h1>
            <p>{t!(i18n, volunteers.lead)}</p>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match state.await {
                        Err(error) => view! { <ErrorMessage error/> }.into_any(),
                        Ok(state) => {
                            let problem = latest_problem(apply, state.problem.clone());
                            let current = problem.get_untracked();
                            let form = APPLY_FORM.to_owned();
                            let sent = move || query.with(|q| q.get("sent").is_some());
                            view! {
                                {move || sent().then(|| view! { <p class="notice notice--success" role="status" id="volunteer-sent">{t!(i18n, volunteers.sent)}</p> })}
                                <ActionForm action=apply attr:class="form" attr:id="form-volunteer" attr:novalidate=true>
                                    <TextField name="full_name" label=move || t_string!(i18n, volunteers.full_name)
                                        value=typed(&current, APPLY_FORM, "full_name") autocomplete="name" required=true
                                        error=field_message(problem, form.clone(), "full_name")/>
                                    <TextField name="mobile" label=move || t_string!(i18n, sign_in.mobile_label)
                                        hint=move || t_string!(i18n, volunteers.mobile_hint)
                                        value=typed(&current, APPLY_FORM, "mobile") input_type="tel" inputmode="tel"
                                        autocomplete="tel" dir="ltr" required=true
                                        error=field_message(problem, form.clone(), "mobile")/>
                                    <TextAreaField name="skills" label=move || t_string!(i18n, volunteers.skills)
                                        value=typed(&current, APPLY_FORM, "skills") required=true rows=2
                                        error=field_message(problem, form.clone(), "skills")/>
                                    <TextAreaField name="areas" label=move || t_string!(i18n, volunteers.areas)
                                        value=typed(&current, APPLY_FORM, "areas") required=true rows=2
                                        error=field_message(problem, form.clone(), "areas")/>
                                    <SelectField name="availability" id="field-availability".to_owned()
                                        label=move || t_string!(i18n, volunteers.availability)
                                        placeholder=move || t_string!(i18n, volunteers.choose_availability)
                                        options=availability_options(i18n)
                                        selected=typed(&current, APPLY_FORM, "availability")
                                        error=field_message(problem, form.clone(), "availability")/>
                                    <fieldset class="field">
                                        <legend class="field__label">{t!(i18n, volunteers.consents)}</legend>
                                        <label><input type="checkbox" name="sms_consent" value="1"/> " " {t!(i18n, volunteers.sms_consent)}</label>
                                        <label><input type="checkbox" name="news_consent" value="1"/> " " {t!(i18n, volunteers.news_consent)}</label>
                                    </fieldset>
                                    <FormNotice problem form=form.clone()/>
                                    <button class="button button--primary" type="submit">{t!(i18n, volunteers.send_code)}</button>
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

#[component]
pub fn VolunteerCodePage() -> impl IntoView {
    let i18n = use_i18n();
    let confirm = ServerAction::<ConfirmVolunteerCode>::new();
    let state = Resource::new(|| (), |_| load_volunteer_code());
    view! {
        <Title text=t_string!(i18n, volunteers.code_title).to_string()/>
        <section class="card narrow">
            <h1>{t!(i18n, volunteers.code_title)}</h1>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match state.await {
                        Err(error) => view! { <ErrorMessage error/> }.into_any(),
                        Ok(VolunteerCodeState { masked_mobile: None, .. }) => view! {
                            <p class="notice notice--error" role="alert">{t!(i18n, sign_in.code_no_challenge)}</p>
                            <a class="button" href="/volunteer">{t!(i18n, sign_in.start_again)}</a>
                        }.into_any(),
                        Ok(VolunteerCodeState { masked_mobile: Some(masked), flash }) => {
                            let flash_problem = flash.as_ref().and_then(CodeProblem::from_flash);
                            let error = Signal::derive(move || {
                                let latest = confirm.value().get().and_then(Result::ok).flatten();
                                latest.or(flash_problem).map(|p| crate::sign_in::code_problem_text(i18n, p))
                            });
                            view! {
                                <p>{t!(i18n, sign_in.code_sent_to)} " " <bdi dir="ltr" class="mobile-number">{masked}</bdi></p>
                                <ActionForm action=confirm attr:class="form" attr:id="form-volunteer-code" attr:novalidate=true>
                                    <TextField name="code" label=move || t_string!(i18n, sign_in.code_label)
                                        hint=move || t_string!(i18n, sign_in.code_hint) error inputmode="numeric"
                                        autocomplete="one-time-code" dir="ltr" required=true maxlength=12/>
                                    <button class="button button--primary" type="submit">{t!(i18n, volunteers.confirm)}</button>
                                </ActionForm>
                                <a href="/volunteer">{t!(i18n, sign_in.other_number)}</a>
                            }
                            .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}
