//! Reporting a privacy violation (B12) at `/privacy-violation`: anyone, signed in
//! or not, may report, anonymously if they wish; the privacy officer tracks each
//! report to an outcome. Works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::{
    components::{
        form::{TextAreaField, TextField},
        messages::ErrorMessage,
    },
    error::AppError,
    forms::{FormNotice, FormProblem, field_message, latest_problem, typed},
    i18n::*,
};

const REPORT_FORM: &str = "violation";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFormState {
    pub problem: Option<FormProblem>,
}

#[server(endpoint = "privacy/violation_form")]
pub async fn load_report_form() -> Result<ReportFormState, AppError> {
    Ok(ReportFormState { problem: crate::forms::take_flash() })
}

#[server(endpoint = "privacy/violation")]
pub async fn report_violation(
    reporter_name: Option<String>,
    reporter_contact: Option<String>,
    description: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    use crate::forms::finish;
    let context = crate::state::app_context()?;
    let submitted = crate::application::privacy::report_from_website(
        &context.database,
        reporter_name.as_deref().unwrap_or_default(),
        reporter_contact.as_deref().unwrap_or_default(),
        description.as_deref().unwrap_or_default(),
    )
    .await?;
    match submitted {
        Ok(_) => finish("/privacy-violation?sent=1", None),
        Err(problem) => {
            let problem = problem.on(REPORT_FORM).with_values(&[
                ("reporter_name", &reporter_name),
                ("reporter_contact", &reporter_contact),
                ("description", &description),
            ]);
            finish("/privacy-violation", Some(problem))
        }
    }
}

#[component]
pub fn ViolationReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let report = ServerAction::<ReportViolation>::new();
    let reported = crate::forms::successes(report);
    let state = Resource::new(move || reported.get(), |_| load_report_form());
    view! {
        <Title text=t_string!(i18n, violation.title).to_string()/>
        <section class="card narrow">
            <h1>{t!(i18n, violation.title)}</h1>
            <p>{t!(i18n, violation.lead)}</p>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match state.await {
                        Err(error) => view! { <ErrorMessage error/> }.into_any(),
                        Ok(state) => {
                            let problem = latest_problem(report, state.problem.clone());
                            let current = problem.get_untracked();
                            let form = REPORT_FORM.to_owned();
                            // Read as the page changes: the notice follows the address the form led to.
                            let sent = move || query.with(|q| q.get("sent").is_some());
                            view! {
                                {move || sent().then(|| view! { <p class="notice notice--success" role="status">{t!(i18n, violation.sent)}</p> })}
                                <ActionForm action=report attr:class="form" attr:id="form-violation" attr:novalidate=true>
                                    <TextAreaField name="description" label=move || t_string!(i18n, violation.description)
                                        value=typed(&current, REPORT_FORM, "description") required=true rows=5
                                        error=field_message(problem, form.clone(), "description")/>
                                    <p class="field__hint">{t!(i18n, violation.anonymous_hint)}</p>
                                    <TextField name="reporter_name" label=move || t_string!(i18n, violation.name)
                                        value=typed(&current, REPORT_FORM, "reporter_name") autocomplete="name"/>
                                    <TextField name="reporter_contact" label=move || t_string!(i18n, violation.contact)
                                        value=typed(&current, REPORT_FORM, "reporter_contact") dir="ltr"/>
                                    <FormNotice problem form=form.clone()/>
                                    <button class="button button--primary" type="submit">{t!(i18n, violation.send)}</button>
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
