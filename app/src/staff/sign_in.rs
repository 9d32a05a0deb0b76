//! Staff sign-in (username, password and, for admins and the privacy officer, a
//! time-based code), sign-out, and the privacy-policy acceptance that stands
//! between an account and any personal data (B2).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use serde::{Deserialize, Serialize};

use super::StaffSession;
use crate::{
    components::{form::TextField, messages::ErrorMessage},
    error::AppError,
    flash::FormFlash,
    i18n::*,
};

/// Why a staff sign-in was refused. Wrong username and wrong password are one
/// answer, so the form does not tell which usernames exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StaffSignInProblem {
    /// Also the answer for an unknown username and a deactivated account.
    WrongCredentials,
    SecondFactorNeeded,
    /// Too many failures: for a known username or not, the same wait.
    Throttled {
        wait_seconds: i64,
    },
}

impl StaffSignInProblem {
    #[cfg(feature = "ssr")]
    fn to_flash(self, username: &str) -> FormFlash {
        let (problem, number) = match self {
            StaffSignInProblem::WrongCredentials => ("wrong", 0),
            StaffSignInProblem::SecondFactorNeeded => ("second_factor", 0),
            StaffSignInProblem::Throttled { wait_seconds } => ("throttled", wait_seconds),
        };
        FormFlash {
            form: "staff_sign_in".into(),
            values: vec![("username".into(), username.to_owned())],
            problem: problem.into(),
            number,
        }
    }

    fn from_flash(flash: &FormFlash) -> Option<Self> {
        Some(match flash.problem.as_str() {
            "wrong" => StaffSignInProblem::WrongCredentials,
            "second_factor" => StaffSignInProblem::SecondFactorNeeded,
            "throttled" => StaffSignInProblem::Throttled { wait_seconds: flash.number },
            _ => return None,
        })
    }
}

/// The signed-in staff member, or `StaffSignInRequired`.
#[server(endpoint = "staff/session")]
pub async fn load_staff_session() -> Result<StaffSession, AppError> {
    let account = super::current_staff().await?.ok_or(AppError::StaffSignInRequired)?;
    let database = &crate::state::app_context()?.database;
    let (policy_version, policy_accepted) = crate::application::access::policy_status(database, &account).await?;
    let unread_notices = awn_storage::staff_notices::unread_count(database, account.id).await?;
    Ok(StaffSession {
        display_name: account.display_name,
        role: account.role,
        permissions: awn_domain::staff::permissions(account.role).to_vec(),
        policy_version,
        policy_accepted,
        unread_notices,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSignInState {
    pub signed_in: bool,
    pub flash: Option<FormFlash>,
}

#[server(endpoint = "staff/sign_in_state")]
pub async fn load_staff_sign_in_state() -> Result<StaffSignInState, AppError> {
    let signed_in = super::current_staff().await?.is_some();
    Ok(StaffSignInState { signed_in, flash: crate::flash::take("staff_sign_in") })
}

#[server(endpoint = "staff/sign_in")]
pub async fn staff_sign_in(
    username: String,
    password: String,
    code: Option<String>,
) -> Result<Option<StaffSignInProblem>, AppError> {
    use crate::{
        application::staff_account::{self, Credentials},
        session::{SessionKind, client_address, session_token, set_session_cookie},
    };
    let context = crate::state::app_context()?;
    let previous = session_token();
    let code = code.filter(|code| !code.trim().is_empty());
    let client = client_address();
    let typed = Credentials { username: &username, password: &password, code: code.as_deref() };
    let problem = match staff_account::sign_in(&context, typed, &client, previous.as_deref()).await? {
        Ok(session_token) => {
            set_session_cookie(&session_token, SessionKind::Staff);
            None
        }
        Err(problem) => Some(problem),
    };
    match problem {
        None => leptos_axum::redirect("/staff"),
        Some(problem) => crate::flash::keep_for_next_page(&problem.to_flash(&username)),
    }
    Ok(problem)
}

#[server(endpoint = "staff/sign_out")]
pub async fn staff_sign_out() -> Result<(), AppError> {
    let context = crate::state::app_context()?;
    if let Some(token) = crate::session::session_token() {
        crate::application::staff_account::sign_out(&context.database, &token).await?;
    }
    crate::session::end_session_in_browser();
    leptos_axum::redirect("/staff/sign-in");
    Ok(())
}

/// Records that the signed-in account accepted `version` of the privacy policy;
/// only the version in force can be accepted.
#[server(endpoint = "staff/accept_policy")]
pub async fn accept_privacy_policy(version: String) -> Result<(), AppError> {
    let account = super::current_staff().await?.ok_or(AppError::StaffSignInRequired)?;
    let context = crate::state::app_context()?;
    crate::application::staff_account::accept_policy(&context.database, &account, &version).await?;
    leptos_axum::redirect("/staff");
    Ok(())
}

fn sign_in_problem_text(i18n: leptos_i18n::I18nContext<Locale>, problem: StaffSignInProblem) -> String {
    match problem {
        StaffSignInProblem::WrongCredentials => t_string!(i18n, staff.sign_in_wrong).to_string(),
        StaffSignInProblem::SecondFactorNeeded => t_string!(i18n, staff.sign_in_second_factor).to_string(),
        StaffSignInProblem::Throttled { wait_seconds } => {
            t_string!(i18n, staff.sign_in_locked, count = (wait_seconds + 59) / 60).to_string()
        }
    }
}

#[component]
pub fn StaffSignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let sign_in = ServerAction::<StaffSignIn>::new();
    let state = Resource::new(|| (), |_| load_staff_sign_in_state());
    view! {
        <Title text=t_string!(i18n, staff.sign_in_title).to_string()/>
        <section class="card narrow">
            <h1>{t!(i18n, staff.sign_in_title)}</h1>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match state.await {
                        Ok(state) if state.signed_in => view! { <Redirect path="/staff"/> }.into_any(),
                        Ok(state) => {
                            let typed = state
                                .flash
                                .as_ref()
                                .and_then(|f| f.value("username").map(str::to_owned))
                                .unwrap_or_default();
                            let flash_problem = state.flash.as_ref().and_then(StaffSignInProblem::from_flash);
                            let error = Signal::derive(move || {
                                let latest = sign_in.value().get();
                                // The per-address limit's refusal (a 429 before the password is looked at).
                                if let Some(Err(AppError::TooManyRequests { retry_after_seconds })) = latest {
                                    return Some(crate::limits::too_many_requests_text(i18n.get_locale(), retry_after_seconds));
                                }
                                let latest = latest.and_then(Result::ok).flatten();
                                latest.or(flash_problem).map(|p| sign_in_problem_text(i18n, p))
                            });
                            view! {
                                <ActionForm action=sign_in attr:class="form" attr:novalidate=true>
                                    <TextField
                                        name="username"
                                        label=move || t_string!(i18n, staff.username)
                                        value=typed
                                        autocomplete="username"
                                        dir="ltr"
                                        required=true
                                    />
                                    <TextField
                                        name="password"
                                        label=move || t_string!(i18n, staff.password)
                                        input_type="password"
                                        autocomplete="current-password"
                                        dir="ltr"
                                        required=true
                                    />
                                    <TextField
                                        name="code"
                                        label=move || t_string!(i18n, staff.totp_code)
                                        hint=move || t_string!(i18n, staff.totp_hint)
                                        inputmode="numeric"
                                        autocomplete="one-time-code"
                                        dir="ltr"
                                        maxlength=12
                                        error
                                    />
                                    <button class="button button--primary" type="submit">
                                        {t!(i18n, staff.sign_in)}
                                    </button>
                                </ActionForm>
                            }
                            .into_any()
                        }
                        Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Wraps every staff page: sends the signed-out to the sign-in page and asks an
/// account that has not accepted the policy in force to read and accept it first.
#[component]
pub fn StaffGate<F, V>(children: F) -> impl IntoView
where
    F: Fn(StaffSession) -> V + Send + Sync + Clone + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let sign_out = ServerAction::<StaffSignOut>::new();
    let session = Resource::new(|| (), |_| load_staff_session());
    view! {
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match session.await {
                        Err(AppError::StaffSignInRequired) => view! { <Redirect path="/staff/sign-in"/> }.into_any(),
                        Err(error) => view! { <ErrorMessage error/> }.into_any(),
                        Ok(session) => {
                            let bar = view! { <super::bar::StaffBar session=session.clone() sign_out/> };
                            if session.policy_accepted {
                                view! { {bar} {children(session)} }.into_any()
                            } else {
                                let version = session.policy_version.clone().unwrap_or_default();
                                view! {
                                    {bar}
                                    <section class="card">
                                        <Title text=t_string!(i18n, staff.policy_title).to_string()/>
                                        <h1>{t!(i18n, staff.policy_title)}</h1>
                                        <p>{t!(i18n, staff.policy_lead)}</p>
                                        <p>
                                            <a href=format!("/privacy/{version}") target="_blank">
                                                {t!(i18n, staff.policy_read)} " " {version.clone()}
                                            </a>
                                        </p>
                                        // A plain post and a full page load after it: every
                                        // part of the page asks again for what it may now show.
                                        <form class="form" method="post" action={<AcceptPrivacyPolicy as leptos::server_fn::ServerFn>::PATH}>
                                            <input type="hidden" name="version" value=version.clone()/>
                                            <button class="button button--primary" type="submit">
                                                {t!(i18n, staff.policy_accept)}
                                            </button>
                                        </form>
                                    </section>
                                }
                                .into_any()
                            }
                        }
                    }
                })
            }}
        </Transition>
    }
}
