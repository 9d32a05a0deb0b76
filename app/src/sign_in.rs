//! Signing in without a password: a mobile number, then a one-time code sent to
//! it. Both steps are plain forms that work without JavaScript.

use awn_domain::{digits::localize_digits, sign_in::CodeCheck};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use serde::{Deserialize, Serialize};

use crate::{
    components::{form::TextField, messages::ErrorMessage},
    error::AppError,
    flash::FormFlash,
    i18n::*,
    preferences::use_digit_style,
};

/// Why a mobile number did not get a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MobileProblem {
    Required,
    Invalid,
    TooSoon {
        wait_seconds: i64,
    },
    HourlyLimit {
        wait_seconds: i64,
    },
    /// The number had its codes for the day.
    DailyLimit {
        wait_seconds: i64,
    },
    /// The hourly SMS budget is used up: "busy, try later or call us".
    ServiceBusy,
}

impl MobileProblem {
    #[cfg(feature = "ssr")]
    fn to_flash(self, typed: &str) -> FormFlash {
        let (problem, number) = match self {
            MobileProblem::Required => ("required", 0),
            MobileProblem::Invalid => ("invalid", 0),
            MobileProblem::TooSoon { wait_seconds } => ("too_soon", wait_seconds),
            MobileProblem::HourlyLimit { wait_seconds } => ("hourly_limit", wait_seconds),
            MobileProblem::DailyLimit { wait_seconds } => ("daily_limit", wait_seconds),
            MobileProblem::ServiceBusy => ("service_busy", 0),
        };
        FormFlash {
            form: "sign_in".into(),
            values: vec![("mobile".into(), typed.to_owned())],
            problem: problem.into(),
            number,
        }
    }

    fn from_flash(flash: &FormFlash) -> Option<Self> {
        Some(match flash.problem.as_str() {
            "required" => MobileProblem::Required,
            "invalid" => MobileProblem::Invalid,
            "too_soon" => MobileProblem::TooSoon { wait_seconds: flash.number },
            "hourly_limit" => MobileProblem::HourlyLimit { wait_seconds: flash.number },
            "daily_limit" => MobileProblem::DailyLimit { wait_seconds: flash.number },
            "service_busy" => MobileProblem::ServiceBusy,
            _ => return None,
        })
    }
}

/// Why a code was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeProblem {
    Malformed,
    Refused(CodeCheck),
    /// No code was asked for in this browser (or the cookie expired).
    NoChallenge,
    Resend(MobileProblem),
}

impl CodeProblem {
    #[cfg(feature = "ssr")]
    pub(crate) fn to_flash(self) -> FormFlash {
        let (problem, number) = match self {
            CodeProblem::Malformed => ("malformed", 0),
            CodeProblem::Refused(CodeCheck::Wrong { remaining }) => ("wrong", remaining),
            CodeProblem::Refused(CodeCheck::Expired) => ("expired", 0),
            CodeProblem::Refused(CodeCheck::TooManyAttempts) => ("too_many", 0),
            CodeProblem::Refused(_) => ("used", 0),
            CodeProblem::NoChallenge => ("no_challenge", 0),
            CodeProblem::Resend(MobileProblem::TooSoon { wait_seconds }) => ("resend_too_soon", wait_seconds),
            CodeProblem::Resend(MobileProblem::HourlyLimit { wait_seconds }) => ("resend_hourly", wait_seconds),
            CodeProblem::Resend(MobileProblem::DailyLimit { wait_seconds }) => ("resend_daily", wait_seconds),
            CodeProblem::Resend(MobileProblem::ServiceBusy) => ("resend_busy", 0),
            CodeProblem::Resend(_) => ("no_challenge", 0),
        };
        FormFlash { form: "code".into(), values: vec![], problem: problem.into(), number }
    }

    pub(crate) fn from_flash(flash: &FormFlash) -> Option<Self> {
        Some(match flash.problem.as_str() {
            "malformed" => CodeProblem::Malformed,
            "wrong" => CodeProblem::Refused(CodeCheck::Wrong { remaining: flash.number }),
            "expired" => CodeProblem::Refused(CodeCheck::Expired),
            "too_many" => CodeProblem::Refused(CodeCheck::TooManyAttempts),
            "used" => CodeProblem::Refused(CodeCheck::AlreadyUsed),
            "no_challenge" => CodeProblem::NoChallenge,
            "resend_too_soon" => CodeProblem::Resend(MobileProblem::TooSoon { wait_seconds: flash.number }),
            "resend_hourly" => CodeProblem::Resend(MobileProblem::HourlyLimit { wait_seconds: flash.number }),
            "resend_daily" => CodeProblem::Resend(MobileProblem::DailyLimit { wait_seconds: flash.number }),
            "resend_busy" => CodeProblem::Resend(MobileProblem::ServiceBusy),
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInFormState {
    pub signed_in: bool,
    pub flash: Option<FormFlash>,
}

#[server(endpoint = "sign_in/form_state")]
pub async fn load_sign_in_form() -> Result<SignInFormState, AppError> {
    let signed_in = crate::session::current_beneficiary().await?.is_some();
    Ok(SignInFormState { signed_in, flash: crate::flash::take("sign_in") })
}

/// Sends a code to `mobile` and moves on to the code page; or says what is wrong.
#[server(endpoint = "sign_in/request_code")]
pub async fn request_sign_in_code(mobile: String) -> Result<Option<MobileProblem>, AppError> {
    use awn_domain::identity::{PhoneError, SaudiMobile};
    let problem = match SaudiMobile::parse(&mobile) {
        Ok(parsed) => ssr::send_code(&parsed).await?,
        Err(PhoneError::Empty) => Some(MobileProblem::Required),
        Err(PhoneError::Invalid) => Some(MobileProblem::Invalid),
    };
    match problem {
        None => leptos_axum::redirect("/sign-in/code"),
        Some(problem) => crate::flash::keep_for_next_page(&problem.to_flash(&mobile)),
    }
    Ok(problem)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeFormState {
    /// The number the code went to, masked; `None` when no code is pending.
    pub masked_mobile: Option<String>,
    pub flash: Option<FormFlash>,
}

#[server(endpoint = "sign_in/code_state")]
pub async fn load_code_form() -> Result<CodeFormState, AppError> {
    let context = crate::state::app_context()?;
    let masked_mobile = match crate::preferences::read_cookie(crate::session::CHALLENGE_COOKIE) {
        Some(token) => crate::application::sign_in::challenge_mobile(&context.database, &token)
            .await?
            .map(|mobile| mobile.masked()),
        None => None,
    };
    Ok(CodeFormState { masked_mobile, flash: crate::flash::take("code") })
}

/// Checks the code; on success starts a new session and opens "My requests".
#[server(endpoint = "sign_in/verify_code")]
pub async fn verify_sign_in_code(code: String) -> Result<Option<CodeProblem>, AppError> {
    let problem = ssr::verify(&code).await?;
    match problem {
        None => leptos_axum::redirect("/requests"),
        Some(problem) => crate::flash::keep_for_next_page(&problem.to_flash()),
    }
    Ok(problem)
}

/// Sends a new code to the number of the pending challenge.
#[server(endpoint = "sign_in/resend_code")]
pub async fn resend_sign_in_code() -> Result<Option<CodeProblem>, AppError> {
    let context = crate::state::app_context()?;
    let mobile = match crate::preferences::read_cookie(crate::session::CHALLENGE_COOKIE) {
        Some(token) => crate::application::sign_in::challenge_mobile(&context.database, &token).await?,
        None => None,
    };
    let problem = match mobile {
        Some(mobile) => ssr::send_code(&mobile).await?.map(CodeProblem::Resend),
        None => Some(CodeProblem::NoChallenge),
    };
    let flash = match problem {
        Some(problem) => problem.to_flash(),
        None => FormFlash { form: "code".into(), problem: "resent".into(), ..FormFlash::default() },
    };
    crate::flash::keep_for_next_page(&flash);
    Ok(problem)
}

/// Ends this session, or every session of the account ("sign out everywhere").
#[server(endpoint = "sign_out")]
pub async fn sign_out(everywhere: Option<String>) -> Result<(), AppError> {
    let context = crate::state::app_context()?;
    if let Some(token) = crate::session::session_token() {
        let account = match everywhere {
            Some(_) => crate::session::current_beneficiary().await?.map(|account| account.id),
            None => None,
        };
        crate::application::sign_in::sign_out(&context.database, &token, account).await?;
    }
    crate::session::end_session_in_browser();
    leptos_axum::redirect("/");
    Ok(())
}

#[cfg(feature = "ssr")]
mod ssr {
    use awn_domain::identity::SaudiMobile;

    use super::{CodeProblem, MobileProblem};
    use crate::{
        application::sign_in,
        error::AppError,
        preferences::{read_cookie, request_language},
        session::{CHALLENGE_COOKIE, SessionKind, session_token, set_cookie, set_session_cookie},
        state::app_context,
    };

    pub async fn send_code(mobile: &SaudiMobile) -> Result<Option<MobileProblem>, AppError> {
        let context = app_context()?;
        let language = request_language(&context);
        Ok(match sign_in::send_code(&context, mobile, language).await? {
            Ok(challenge_token) => {
                set_cookie(CHALLENGE_COOKIE, &challenge_token, 15 * 60);
                None
            }
            Err(problem) => Some(problem),
        })
    }

    pub async fn verify(raw_code: &str) -> Result<Option<CodeProblem>, AppError> {
        let context = app_context()?;
        let Some(challenge) = read_cookie(CHALLENGE_COOKIE) else { return Ok(Some(CodeProblem::NoChallenge)) };
        let previous = session_token();
        let language = request_language(&context);
        Ok(match sign_in::verify_code(&context, &challenge, raw_code, language, previous.as_deref()).await? {
            Ok(session_token) => {
                set_session_cookie(&session_token, SessionKind::Beneficiary);
                set_cookie(CHALLENGE_COOKIE, "", 0);
                None
            }
            Err(problem) => Some(problem),
        })
    }
}

fn minutes_to_wait(wait_seconds: i64) -> i64 {
    (wait_seconds + 59) / 60
}

fn mobile_problem_text(i18n: leptos_i18n::I18nContext<Locale>, problem: MobileProblem) -> String {
    match problem {
        MobileProblem::Required => t_string!(i18n, sign_in.mobile_required).to_string(),
        MobileProblem::Invalid => t_string!(i18n, sign_in.mobile_invalid).to_string(),
        MobileProblem::TooSoon { wait_seconds } => {
            t_string!(i18n, sign_in.too_soon, count = wait_seconds.max(1)).to_string()
        }
        MobileProblem::HourlyLimit { wait_seconds } => {
            t_string!(i18n, sign_in.hourly_limit, count = minutes_to_wait(wait_seconds)).to_string()
        }
        MobileProblem::DailyLimit { wait_seconds } => {
            t_string!(i18n, limits.number_daily_limit, count = (wait_seconds + 3599) / 3600).to_string()
        }
        MobileProblem::ServiceBusy => t_string!(i18n, limits.sms_busy).to_string(),
    }
}

pub(crate) fn code_problem_text(i18n: leptos_i18n::I18nContext<Locale>, problem: CodeProblem) -> String {
    match problem {
        CodeProblem::Malformed => t_string!(i18n, sign_in.code_malformed).to_string(),
        CodeProblem::Refused(CodeCheck::Wrong { remaining }) => {
            t_string!(i18n, sign_in.code_wrong, count = remaining).to_string()
        }
        CodeProblem::Refused(CodeCheck::Expired) => t_string!(i18n, sign_in.code_expired).to_string(),
        CodeProblem::Refused(CodeCheck::TooManyAttempts) => t_string!(i18n, sign_in.code_too_many).to_string(),
        CodeProblem::Refused(_) | CodeProblem::NoChallenge => t_string!(i18n, sign_in.code_no_challenge).to_string(),
        CodeProblem::Resend(problem) => mobile_problem_text(i18n, problem),
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let request_code = ServerAction::<RequestSignInCode>::new();
    let state = Resource::new(|| (), |_| load_sign_in_form());
    let digits = crate::preferences::use_digit_style();

    view! {
        <Title text=t_string!(i18n, sign_in.title).to_string()/>
        <section class="card narrow">
            <h1>{t!(i18n, sign_in.title)}</h1>
            <p>{move || localize_digits(t_string!(i18n, sign_in.lead), digits.try_get().unwrap_or_default())}</p>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match state.await {
                        Ok(state) if state.signed_in => view! { <Redirect path="/requests"/> }.into_any(),
                        Ok(state) => {
                            let flash = state.flash.clone();
                            let typed = flash
                                .as_ref()
                                .and_then(|f| f.value("mobile").map(str::to_owned))
                                .unwrap_or_default();
                            let flash_problem = flash.as_ref().and_then(MobileProblem::from_flash);
                            let error = Signal::derive(move || {
                                let latest = request_code.value().get();
                                if let Some(Err(AppError::TooManyRequests { retry_after_seconds })) = latest {
                                    return Some(crate::limits::too_many_requests_text(i18n.get_locale(), retry_after_seconds));
                                }
                                let latest = latest.and_then(Result::ok).flatten();
                                latest.or(flash_problem).map(|p| mobile_problem_text(i18n, p))
                            });
                            view! {
                                <ActionForm action=request_code attr:class="form" attr:novalidate=true>
                                    <TextField
                                        name="mobile"
                                        label=move || t_string!(i18n, sign_in.mobile_label)
                                        hint=move || t_string!(i18n, sign_in.mobile_hint)
                                        value=typed
                                        error
                                        input_type="tel"
                                        inputmode="tel"
                                        autocomplete="tel"
                                        dir="ltr"
                                        required=true
                                    />
                                    <button class="button button--primary" type="submit">
                                        {t!(i18n, sign_in.send_code)}
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

#[component]
pub fn CodePage() -> impl IntoView {
    let i18n = use_i18n();
    let digits = use_digit_style();
    let verify = ServerAction::<VerifySignInCode>::new();
    let resend = ServerAction::<ResendSignInCode>::new();
    let state = Resource::new(move || resend.version().get(), |_| load_code_form());

    view! {
        <Title text=t_string!(i18n, sign_in.code_title).to_string()/>
        <section class="card narrow">
            <h1>{t!(i18n, sign_in.code_title)}</h1>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match state.await {
                        Ok(CodeFormState { masked_mobile: None, .. }) => {
                            view! {
                                <p class="notice notice--error" role="alert">
                                    {t!(i18n, sign_in.code_no_challenge)}
                                </p>
                                <a class="button" href="/sign-in">{t!(i18n, sign_in.start_again)}</a>
                            }
                            .into_any()
                        }
                        Ok(CodeFormState { masked_mobile: Some(masked), flash }) => {
                            let flash_problem = flash.as_ref().and_then(CodeProblem::from_flash);
                            let error = Signal::derive(move || {
                                if let Some(Err(AppError::TooManyRequests { retry_after_seconds })) = resend.value().get() {
                                    return Some(crate::limits::too_many_requests_text(i18n.get_locale(), retry_after_seconds));
                                }
                                let latest = verify.value().get().and_then(Result::ok).flatten();
                                let resent = resend.value().get().and_then(Result::ok).flatten();
                                latest.or(resent).or(flash_problem).map(|p| code_problem_text(i18n, p))
                            });
                            let flash_resent = flash.as_ref().is_some_and(|f| f.problem == "resent");
                            let resent_ok = move || match resend.value().get() {
                                Some(result) => matches!(result, Ok(None)),
                                None => flash_resent,
                            };
                            let masked_text = move || awn_domain::digits::localize_digits(&masked, digits.try_get().unwrap_or_default());
                            view! {
                                <p>
                                    {t!(i18n, sign_in.code_sent_to)} " "
                                    <bdi dir="ltr" class="mobile-number">{masked_text}</bdi>
                                </p>
                                <Show when=resent_ok>
                                    <p class="notice" role="status">{t!(i18n, sign_in.code_resent)}</p>
                                </Show>
                                <ActionForm action=verify attr:class="form" attr:novalidate=true>
                                    <TextField
                                        name="code"
                                        label=move || t_string!(i18n, sign_in.code_label)
                                        hint=move || t_string!(i18n, sign_in.code_hint)
                                        error
                                        inputmode="numeric"
                                        autocomplete="one-time-code"
                                        dir="ltr"
                                        required=true
                                        maxlength=12
                                    />
                                    <button class="button button--primary" type="submit">
                                        {t!(i18n, sign_in.verify)}
                                    </button>
                                </ActionForm>
                                <ActionForm action=resend attr:class="form form--inline">
                                    <button class="button button--link" type="submit">
                                        {t!(i18n, sign_in.resend)}
                                    </button>
                                </ActionForm>
                                <a href="/sign-in">{t!(i18n, sign_in.other_number)}</a>
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
