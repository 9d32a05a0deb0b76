//! A staff member's own account (`/staff/account`): changing their password,
//! and the step-up that sensitive actions ask for (the password, and the code
//! where the account has a second factor, typed again in the same form).
//!
//! The step-up travels with the action's own form, so it works without
//! JavaScript, needs no extra page or state on the session, and a refusal
//! comes back as a form problem that keeps everything else that was typed
//! (never the password itself).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::sign_in::StaffGate;
use crate::{
    components::{form::TextField, messages::ErrorMessage},
    error::AppError,
    i18n::*,
};

/// The step-up's fields in every form that asks for one.
pub const CONFIRM_PASSWORD: &str = "confirm_password";
pub const CONFIRM_CODE: &str = "confirm_code";

#[cfg(feature = "ssr")]
const PASSWORD_FLASH: &str = "staff_password";

/// Why a password change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PasswordChangeProblem {
    /// The current password, or the code, is not right.
    NotConfirmed,
    Throttled {
        wait_seconds: i64,
    },
    /// The two new passwords differ.
    Mismatch,
    TooShort,
    TooLong,
    OneCharacterRepeated,
    ContainsUsername,
    /// Among the passwords tried first (common, breached patterns, names, dates).
    TooGuessable,
}

#[cfg(feature = "ssr")]
impl PasswordChangeProblem {
    const ALL: [PasswordChangeProblem; 7] = [
        PasswordChangeProblem::NotConfirmed,
        PasswordChangeProblem::Mismatch,
        PasswordChangeProblem::TooShort,
        PasswordChangeProblem::TooLong,
        PasswordChangeProblem::OneCharacterRepeated,
        PasswordChangeProblem::ContainsUsername,
        PasswordChangeProblem::TooGuessable,
    ];

    fn code(self) -> &'static str {
        match self {
            PasswordChangeProblem::NotConfirmed => "not_confirmed",
            PasswordChangeProblem::Throttled { .. } => "throttled",
            PasswordChangeProblem::Mismatch => "mismatch",
            PasswordChangeProblem::TooShort => "too_short",
            PasswordChangeProblem::TooLong => "too_long",
            PasswordChangeProblem::OneCharacterRepeated => "one_character_repeated",
            PasswordChangeProblem::ContainsUsername => "contains_username",
            PasswordChangeProblem::TooGuessable => "too_guessable",
        }
    }

    /// The flash of a plain post: the problem only, never a password.
    fn to_flash(self) -> crate::flash::FormFlash {
        let number = match self {
            PasswordChangeProblem::Throttled { wait_seconds } => wait_seconds,
            _ => 0,
        };
        crate::flash::FormFlash { form: PASSWORD_FLASH.into(), values: Vec::new(), problem: self.code().into(), number }
    }

    fn from_flash(flash: &crate::flash::FormFlash) -> Option<Self> {
        if flash.problem == "throttled" {
            return Some(PasswordChangeProblem::Throttled { wait_seconds: flash.number });
        }
        Self::ALL.into_iter().find(|problem| problem.code() == flash.problem)
    }
}

impl PasswordChangeProblem {
    /// The field the message shows under.
    fn field(self) -> &'static str {
        match self {
            PasswordChangeProblem::NotConfirmed | PasswordChangeProblem::Throttled { .. } => "current_password",
            PasswordChangeProblem::Mismatch => "new_password_again",
            _ => "new_password",
        }
    }

    fn text(self, i18n: leptos_i18n::I18nContext<Locale>) -> String {
        match self {
            PasswordChangeProblem::NotConfirmed => t_string!(i18n, account_security.not_confirmed).to_string(),
            PasswordChangeProblem::Throttled { wait_seconds } => {
                t_string!(i18n, staff.sign_in_locked, count = (wait_seconds + 59) / 60).to_string()
            }
            PasswordChangeProblem::Mismatch => t_string!(i18n, account_security.mismatch).to_string(),
            PasswordChangeProblem::TooShort => t_string!(i18n, account_security.too_short).to_string(),
            PasswordChangeProblem::TooLong => t_string!(i18n, account_security.too_long).to_string(),
            PasswordChangeProblem::OneCharacterRepeated => {
                t_string!(i18n, account_security.one_character_repeated).to_string()
            }
            PasswordChangeProblem::ContainsUsername => t_string!(i18n, account_security.contains_username).to_string(),
            PasswordChangeProblem::TooGuessable => t_string!(i18n, account_security.too_guessable).to_string(),
        }
    }
}

#[cfg(feature = "ssr")]
pub mod step_up {
    //! The check behind every sensitive action's form.
    use awn_storage::staff::StaffAccount;

    use crate::{error::AppError, forms::Problem, state::app_context};

    /// Checks the password (and code) typed with a sensitive action, through
    /// the sign-in's counting and throttling; `None` when confirmed, else the
    /// problem to show on the step-up's password field.
    pub async fn confirm(
        staff: &StaffAccount,
        password: Option<&str>,
        code: Option<&str>,
    ) -> Result<Option<Problem>, AppError> {
        let password = password.unwrap_or_default();
        if password.is_empty() {
            return Ok(Some(Problem::NotConfirmed));
        }
        let context = app_context()?;
        let code = code.filter(|code| !code.trim().is_empty());
        let client = crate::session::client_address();
        crate::application::staff_account::confirm_identity(&context.database, staff, password, code, &client).await
    }
}

/// The step-up's fields, for the forms of sensitive actions: the password
/// again, and the authenticator code for accounts that have one. `suffix`
/// keeps ids unique when a page has several such forms.
#[component]
pub fn StepUpFields(
    #[prop(into)] suffix: String,
    #[prop(into, default = Signal::stored(None))] error: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let password_id = format!("field-{CONFIRM_PASSWORD}-{suffix}");
    let code_id = format!("field-{CONFIRM_CODE}-{suffix}");
    let error_id = format!("{password_id}-error");
    let described = error_id.clone();
    view! {
        <fieldset class="step-up">
            <legend>{t!(i18n, account_security.confirm_title)}</legend>
            <p class="field__hint">{t!(i18n, account_security.confirm_lead)}</p>
            <div class="field" class:field--invalid=move || error.get().is_some()>
                <label class="field__label" for=password_id.clone()>{t!(i18n, account_security.confirm_password)}</label>
                <input class="field__input" id=password_id name=CONFIRM_PASSWORD type="password"
                    autocomplete="current-password" dir="ltr" required=true
                    aria-invalid=move || error.get().is_some().then_some("true")
                    aria-describedby=move || error.get().is_some().then(|| described.clone())/>
                <crate::components::form::FieldError id=error_id error/>
            </div>
            <div class="field">
                <label class="field__label" for=code_id.clone()>{t!(i18n, account_security.confirm_code)}</label>
                <input class="field__input" id=code_id name=CONFIRM_CODE type="text" inputmode="numeric"
                    autocomplete="one-time-code" dir="ltr" maxlength=12/>
            </div>
        </fieldset>
    }
}

#[server(endpoint = "staff/account/problem")]
pub async fn load_password_problem() -> Result<Option<PasswordChangeProblem>, AppError> {
    let _staff = super::current_staff().await?.ok_or(AppError::StaffSignInRequired)?;
    Ok(crate::flash::take(PASSWORD_FLASH).as_ref().and_then(PasswordChangeProblem::from_flash))
}

/// The signed-in staff member changes their own password: the current one (and
/// the code, where the account has one) confirms it is them; the new one is
/// typed twice and must not be easily guessed; every other session of the
/// account ends, this one stays.
#[server(endpoint = "staff/account/password")]
pub async fn change_own_password(
    current_password: String,
    new_password: String,
    new_password_again: String,
    code: Option<String>,
) -> Result<Option<PasswordChangeProblem>, AppError> {
    use crate::application::staff_account::{self, PasswordChange};
    let account = super::current_staff().await?.ok_or(AppError::StaffSignInRequired)?;
    let context = crate::state::app_context()?;
    let token = crate::session::session_token().ok_or(AppError::StaffSignInRequired)?;
    let client = crate::session::client_address();
    let code = code.filter(|code| !code.trim().is_empty());
    let change = PasswordChange {
        current_password: &current_password,
        new_password: &new_password,
        new_password_again: &new_password_again,
        code: code.as_deref(),
    };
    let problem = staff_account::change_password(&context.database, &account, change, &client, &token).await?.err();
    match problem {
        None => {
            tracing::info!(staff = account.id, "a staff member changed their password; their other sessions ended");
            leptos_axum::redirect("/staff/account?changed=1");
        }
        Some(problem) => crate::flash::keep_for_next_page(&problem.to_flash()),
    }
    Ok(problem)
}

#[component]
pub fn StaffAccountPage() -> impl IntoView {
    // Resources are made before anything waits (see `StaffFeedbackPage`).
    let change = ServerAction::<ChangeOwnPassword>::new();
    let from_flash = Resource::new(|| (), |_| load_password_problem());
    let reminders = super::work::preferences::ReminderSettingsData::load();
    view! { <StaffGate children=move |_session| view! { <AccountView change from_flash reminders/> }/> }
}

#[component]
fn AccountView(
    change: ServerAction<ChangeOwnPassword>,
    from_flash: Resource<Result<Option<PasswordChangeProblem>, AppError>>,
    reminders: super::work::preferences::ReminderSettingsData,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let changed = move || query.with(|q| q.get("changed").is_some());
    view! {
        <Title text=t_string!(i18n, account_security.title).to_string()/>
        <h1>{t!(i18n, account_security.title)}</h1>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match from_flash.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(flashed) => {
                        let problem = Signal::derive(move || match change.value().get() {
                            Some(Ok(problem)) => problem,
                            Some(Err(_)) => None,
                            None => flashed,
                        });
                        let message = move |field: &'static str| {
                            Signal::derive(move || problem.get().filter(|p| p.field() == field).map(|p| p.text(i18n)))
                        };
                        view! {
                            {move || changed().then(|| view! {
                                <p class="notice notice--success" role="status">{t!(i18n, account_security.changed)}</p>
                            })}
                            <super::work::preferences::ReminderSettingsSection data=reminders/>
                            <section class="card narrow" aria-labelledby="password-title">
                                <h2 id="password-title">{t!(i18n, account_security.password_title)}</h2>
                                <p>{t!(i18n, account_security.password_lead)}</p>
                                <ActionForm action=change attr:class="form" attr:id="form-password" attr:novalidate=true>
                                    <TextField name="current_password" label=move || t_string!(i18n, account_security.current_password)
                                        input_type="password" autocomplete="current-password" dir="ltr" required=true
                                        error=message("current_password")/>
                                    <TextField name="code" label=move || t_string!(i18n, staff.totp_code)
                                        hint=move || t_string!(i18n, staff.totp_hint)
                                        inputmode="numeric" autocomplete="one-time-code" dir="ltr" maxlength=12/>
                                    <TextField name="new_password" label=move || t_string!(i18n, account_security.new_password)
                                        hint=move || t_string!(i18n, account_security.new_password_hint)
                                        input_type="password" autocomplete="new-password" dir="ltr" required=true
                                        error=message("new_password")/>
                                    <TextField name="new_password_again" label=move || t_string!(i18n, account_security.new_password_again)
                                        input_type="password" autocomplete="new-password" dir="ltr" required=true
                                        error=message("new_password_again")/>
                                    <button class="button button--primary" type="submit">{t!(i18n, account_security.change)}</button>
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
