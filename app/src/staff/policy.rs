//! Publishing the privacy policy (`/staff/privacy-policy`, B5): a new version
//! takes over at once, every earlier one stays readable at `/privacy/<version>`,
//! and every staff account must accept the new version before it sees personal
//! data again (the gate in `sign_in::StaffGate`).

#[cfg(feature = "ssr")]
use crate::application::{access::can, policy};

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::{
    account::{CONFIRM_PASSWORD, StepUpFields},
    sign_in::StaffGate,
};
use crate::{
    components::{
        dates::DualDateText,
        form::{TextAreaField, TextField},
        messages::ErrorMessage,
    },
    error::AppError,
    forms::{FormNotice, FormProblem, field_message, latest_problem, typed},
    i18n::*,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyPage {
    /// (version, published at), newest first.
    pub versions: Vec<(String, i64)>,
    /// The texts in force, to start the next version from.
    pub current_ar: String,
    pub current_en: String,
    pub problem: Option<FormProblem>,
}

const PUBLISH_FORM: &str = "publish-policy";

#[server(endpoint = "staff/policy")]
pub async fn load_policy_versions() -> Result<PolicyPage, AppError> {
    let staff = super::authorize::<can::PublishPrivacyPolicy>().await?;
    let context = crate::state::app_context()?;
    let page = policy::versions(&context.database, &staff).await?;
    Ok(PolicyPage { problem: crate::forms::take_flash(), ..page })
}

#[server(endpoint = "staff/policy/publish")]
pub async fn publish_policy(
    version: Option<String>,
    body_ar: Option<String>,
    body_en: Option<String>,
    confirm_password: Option<String>,
    confirm_code: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = super::authorize::<can::PublishPrivacyPolicy>().await?;
    let context = crate::state::app_context()?;
    let typed =
        policy::TypedVersion { version: version.as_deref(), body_ar: body_ar.as_deref(), body_en: body_en.as_deref() };
    // A step-up: a new version takes over at once and locks every account out
    // of personal data until it accepts it.
    let step_up = super::account::step_up::confirm(&staff, confirm_password.as_deref(), confirm_code.as_deref());
    let published = policy::publish(&context.database, &staff, typed, step_up).await?;
    let refused = published.err().map(|refused| {
        refused.on(PUBLISH_FORM).with_values(&[("version", &version), ("body_ar", &body_ar), ("body_en", &body_en)])
    });
    crate::forms::finish("/staff/privacy-policy", refused)
}

#[component]
pub fn StaffPolicyPage() -> impl IntoView {
    let publish = ServerAction::<PublishPolicy>::new();
    let published = crate::forms::successes(publish);
    let page = Resource::new(move || published.get(), |_| load_policy_versions());
    view! { <StaffGate children=move |_session| view! { <PolicyView page publish/> }/> }
}

#[component]
fn PolicyView(page: Resource<Result<PolicyPage, AppError>>, publish: ServerAction<PublishPolicy>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, policy_admin.title).to_string()/>
        <h1>{t!(i18n, policy_admin.title)}</h1>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) => {
                        let problem = latest_problem(publish, page.problem.clone());
                        let current = problem.get_untracked();
                        let form = PUBLISH_FORM.to_owned();
                        let or_current = |field: &str, fallback: &str| {
                            let typed_text = typed(&current, PUBLISH_FORM, field);
                            if typed_text.is_empty() { fallback.to_owned() } else { typed_text }
                        };
                        let (start_ar, start_en, start_version) =
                            (or_current("body_ar", &page.current_ar), or_current("body_en", &page.current_en), typed(&current, PUBLISH_FORM, "version"));
                        view! {
                            <section class="card">
                                <h2>{t!(i18n, policy_admin.versions)}</h2>
                                <ul class="records">
                                    {page.versions.iter().enumerate().map(|(index, (version, at))| view! {
                                        <li class="records__item">
                                            <a href=format!("/privacy/{version}")><bdi dir="ltr">{version.clone()}</bdi></a>
                                            {(index == 0).then(|| view! { " · " <em>{t!(i18n, policy_admin.in_force)}</em> })}
                                            <span class="records__meta"><DualDateText unix_seconds=*at/></span>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </section>
                            <section class="card" aria-labelledby="publish-title">
                                <h2 id="publish-title">{t!(i18n, policy_admin.publish_title)}</h2>
                                <p>{t!(i18n, policy_admin.publish_lead)}</p>
                                <ActionForm action=publish attr:class="form" attr:id="form-publish-policy" attr:novalidate=true>
                                    <TextField name="version" label=move || t_string!(i18n, policy_admin.version) dir="ltr"
                                        value=start_version error=field_message(problem, form.clone(), "version")/>
                                    <TextAreaField name="body_ar" label=move || t_string!(i18n, policy_admin.body_ar) rows=12
                                        value=start_ar error=field_message(problem, form.clone(), "body_ar")/>
                                    <TextAreaField name="body_en" label=move || t_string!(i18n, policy_admin.body_en) rows=12
                                        value=start_en error=field_message(problem, form.clone(), "body_en")/>
                                    <StepUpFields suffix="policy" error=field_message(problem, form.clone(), CONFIRM_PASSWORD)/>
                                    <FormNotice problem form=form.clone()/>
                                    <button class="button button--primary" type="submit">{t!(i18n, policy_admin.publish)}</button>
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
