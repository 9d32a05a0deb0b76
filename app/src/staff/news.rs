//! The association's news and events (`/staff/news`, B9): sent only to those
//! whose consent to news by SMS or email is in force; each message is tied to
//! that consent, so a withdrawal cancels it if it is still queued.

#[cfg(feature = "ssr")]
use crate::application::{access::can, news};

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    account::{CONFIRM_PASSWORD, StepUpFields},
    sign_in::StaffGate,
};
use crate::{
    components::form::TextAreaField,
    error::AppError,
    forms::{FormNotice, FormProblem, field_message, latest_problem, typed},
    i18n::*,
};

const NEWS_FORM: &str = "news";

/// What a refused plain (no-JavaScript) post left in the flash: the problem and what was typed.
#[server(endpoint = "staff/news/problem")]
pub async fn load_news_problem() -> Result<Option<FormProblem>, AppError> {
    let _staff = super::authorize::<can::SendNews>().await?;
    Ok(crate::forms::take_flash())
}

/// Sends the news to everyone whose consent is in force; the sender types their
/// password (and code) again in the same form: a step-up before a mass message.
#[server(endpoint = "staff/news/send")]
pub async fn send_news(
    body_ar: Option<String>,
    body_en: Option<String>,
    confirm_password: Option<String>,
    confirm_code: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    use crate::forms::finish;
    let staff = super::authorize::<can::SendNews>().await?;
    let context = crate::state::app_context()?;
    let step_up = super::account::step_up::confirm(&staff, confirm_password.as_deref(), confirm_code.as_deref());
    match news::send(&context.database, &staff, body_ar.as_deref(), body_en.as_deref(), step_up).await? {
        Ok(sent) => finish(&format!("/staff/news?sent={sent}"), None),
        Err(refused) => {
            // Nobody to send to: nothing typed is kept.
            let problem = refused.on(NEWS_FORM);
            let problem = if problem.problem == crate::forms::Problem::NotFound {
                problem
            } else {
                problem.with_values(&[("body_ar", &body_ar), ("body_en", &body_en)])
            };
            finish("/staff/news", Some(problem))
        }
    }
}

#[component]
pub fn StaffNewsPage() -> impl IntoView {
    // The resource is made before anything waits (see `StaffFeedbackPage`).
    let send = ServerAction::<SendNews>::new();
    let flashed = Resource::new(|| (), |_| load_news_problem());
    view! { <StaffGate children=move |_session| view! { <NewsView send flashed/> }/> }
}

#[component]
fn NewsView(send: ServerAction<SendNews>, flashed: Resource<Result<Option<FormProblem>, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let sent = move || query.with(|q| q.get("sent"));
    view! {
        <Title text=t_string!(i18n, news.title).to_string()/>
        <h1>{t!(i18n, news.title)}</h1>
        <p>{t!(i18n, news.lead)}</p>
        {move || sent().map(|count| view! { <p class="notice notice--success" role="status">{t!(i18n, news.sent)} " " <bdi>{count}</bdi></p> })}
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                // After a refused plain post the flash brings back what was typed.
                let from_flash = flashed.await.ok().flatten();
                let problem = latest_problem(send, from_flash.clone());
                let form = NEWS_FORM.to_owned();
                view! {
                    // Not re-rendered after an answer: what was typed stays in the fields.
                    <ActionForm action=send attr:class="form card" attr:id="form-news" attr:novalidate=true>
                        <TextAreaField name="body_ar" label=move || t_string!(i18n, news.body_ar) rows=4
                            value=typed(&from_flash, NEWS_FORM, "body_ar")
                            error=field_message(problem, form.clone(), "body_ar")/>
                        <TextAreaField name="body_en" label=move || t_string!(i18n, news.body_en) rows=4
                            value=typed(&from_flash, NEWS_FORM, "body_en")
                            error=field_message(problem, form.clone(), "body_en")/>
                        <StepUpFields suffix="news" error=field_message(problem, form.clone(), CONFIRM_PASSWORD)/>
                        <FormNotice problem form=form.clone()/>
                        <button class="button button--primary" type="submit">{t!(i18n, news.send)}</button>
                    </ActionForm>
                }
            })}
        </Transition>
    }
}
