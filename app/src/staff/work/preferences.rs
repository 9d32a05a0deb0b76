//! How the signed-in member of staff is reminded (on their account page): in
//! the workspace only, or also by email or SMS, to a contact of their choice.

#[cfg(feature = "ssr")]
use crate::application::{access::can, work};

use awn_domain::deadlines::ReminderChannel;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::{
    components::{form::TextField, messages::ErrorMessage},
    error::AppError,
    forms::{FormNotice, FormProblem, field_message, latest_problem, typed},
    i18n::*,
};

/// The form's name in a problem.
pub const PREFERENCES_FORM: &str = "reminders";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderSettings {
    pub channel: ReminderChannel,
    /// As Saudis write it (05XXXXXXXX).
    pub mobile: String,
    pub email: String,
    pub problem: Option<FormProblem>,
}

#[server(endpoint = "staff/account/reminders/load")]
pub async fn load_reminder_settings() -> Result<ReminderSettings, AppError> {
    let staff = crate::staff::authorize::<can::ViewMyWork>().await?;
    let context = crate::state::app_context()?;
    let preferences = work::reminder_preferences(&context.database, &staff).await?;
    Ok(ReminderSettings {
        channel: preferences.channel,
        mobile: preferences.mobile.map(|mobile| mobile.local()).unwrap_or_default(),
        email: preferences.email.unwrap_or_default(),
        problem: crate::forms::take_flash(),
    })
}

#[server(endpoint = "staff/account/reminders")]
pub async fn save_reminder_settings(
    reminder_channel: Option<String>,
    contact_mobile: Option<String>,
    contact_email: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = crate::staff::authorize::<can::ViewMyWork>().await?;
    let context = crate::state::app_context()?;
    let typed = work::TypedPreferences {
        channel: reminder_channel.as_deref().unwrap_or_default(),
        mobile: contact_mobile.as_deref().unwrap_or_default(),
        email: contact_email.as_deref().unwrap_or_default(),
    };
    let saved = work::set_reminder_preferences(&context.database, &staff, typed).await?;
    let refused = saved.err().map(|refused| {
        refused.on(PREFERENCES_FORM).with_values(&[
            ("reminder_channel", &reminder_channel),
            ("contact_mobile", &contact_mobile),
            ("contact_email", &contact_email),
        ])
    });
    crate::forms::finish("/staff/account?reminders=1", refused)
}

fn channel_text(i18n: leptos_i18n::I18nContext<Locale>, channel: ReminderChannel) -> String {
    match channel {
        ReminderChannel::Workspace => t_string!(i18n, work.channel_workspace).to_string(),
        ReminderChannel::Email => t_string!(i18n, work.channel_email).to_string(),
        ReminderChannel::Sms => t_string!(i18n, work.channel_sms).to_string(),
    }
}

/// The reminders section of the account page.
/// The section's action and resource, made by the page before anything waits
/// (see `StaffFeedbackPage`).
#[derive(Clone, Copy)]
pub struct ReminderSettingsData {
    save: ServerAction<SaveReminderSettings>,
    settings: Resource<Result<ReminderSettings, AppError>>,
}

impl ReminderSettingsData {
    /// Starts loading the signed-in staff member's settings.
    pub fn load() -> Self {
        let save = ServerAction::<SaveReminderSettings>::new();
        let saved = crate::forms::successes(save);
        Self { save, settings: Resource::new(move || saved.get(), |_| load_reminder_settings()) }
    }
}

#[component]
pub fn ReminderSettingsSection(data: ReminderSettingsData) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let ReminderSettingsData { save, settings } = data;
    let saved = crate::forms::successes(save);
    let just_saved = move || query.with(|q| q.get("reminders").is_some()) || saved.get() > 0;
    view! {
        <section class="card narrow" aria-labelledby="reminders-title">
            <h2 id="reminders-title">{t!(i18n, work.prefs_title)}</h2>
            <p>{t!(i18n, work.prefs_lead)}</p>
            {move || just_saved().then(|| view! {
                <p class="notice notice--success" role="status">{t!(i18n, work.prefs_saved)}</p>
            })}
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Err(error) => view! { <ErrorMessage error/> }.into_any(),
                        Ok(settings) => view! { <ReminderForm settings save/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ReminderForm(settings: ReminderSettings, save: ServerAction<SaveReminderSettings>) -> impl IntoView {
    let i18n = use_i18n();
    let problem = latest_problem(save, settings.problem.clone());
    let flashed = problem.get_untracked();
    let kept = move |field: &str, stored: &str| {
        let typed = typed(&flashed, PREFERENCES_FORM, field);
        if flashed.as_ref().is_some_and(|p| p.form == PREFERENCES_FORM) { typed } else { stored.to_owned() }
    };
    let channel = kept("reminder_channel", settings.channel.code());
    let (mobile, email) = (kept("contact_mobile", &settings.mobile), kept("contact_email", &settings.email));
    let channel_error = field_message(problem, PREFERENCES_FORM.into(), "reminder_channel");
    view! {
        <ActionForm action=save attr:class="form" attr:id="form-reminders" attr:novalidate=true>
            <fieldset class="field" class:field--invalid=move || channel_error.get().is_some()>
                <legend class="field__label">{t!(i18n, work.channel_label)}</legend>
                {ReminderChannel::ALL.into_iter().map(|choice| view! {
                    <label class="choice">
                        <input type="radio" name="reminder_channel" value=choice.code() checked=channel == choice.code()/>
                        {move || channel_text(i18n, choice)}
                    </label>
                }).collect_view()}
                <crate::components::form::FieldError id="field-reminder_channel-error" error=channel_error/>
            </fieldset>
            <TextField name="contact_mobile" label=move || t_string!(i18n, work.contact_mobile)
                hint=move || t_string!(i18n, work.contact_mobile_hint)
                value=mobile input_type="tel" inputmode="tel"
                autocomplete="tel" dir="ltr" maxlength=20
                error=field_message(problem, PREFERENCES_FORM.into(), "contact_mobile")/>
            <TextField name="contact_email" label=move || t_string!(i18n, work.contact_email)
                value=email input_type="email" autocomplete="email" dir="ltr"
                maxlength=254 error=field_message(problem, PREFERENCES_FORM.into(), "contact_email")/>
            <FormNotice problem form=PREFERENCES_FORM/>
            <button class="button button--primary" type="submit">{t!(i18n, work.prefs_save)}</button>
        </ActionForm>
    }
}
