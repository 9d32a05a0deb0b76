//! A website visitor's consent (B10): the banner on the first visit (accept all,
//! reject all, or choose per category, each as easy as the other), and the
//! page `/privacy-choices`, linked from the footer, to change the choice at any
//! time. Both are plain forms: they work without JavaScript. Nothing beyond the
//! strictly necessary is set or counted before the visitor chooses.

use awn_domain::consent::VisitorChoice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;
use serde::{Deserialize, Serialize};

use crate::{components::messages::ErrorMessage, error::AppError, i18n::*};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorConsentState {
    /// Whether the visitor has chosen (else the banner asks).
    pub decided: bool,
    pub choice: VisitorChoice,
}

/// The visitor's choice from their consent cookie.
#[cfg(feature = "ssr")]
pub fn visitor_choice() -> Option<(String, VisitorChoice)> {
    use awn_domain::consent::{VISITOR_CONSENT_COOKIE, parse_cookie};
    crate::preferences::read_cookie(VISITOR_CONSENT_COOKIE).and_then(|value| parse_cookie(&value))
}

#[server(endpoint = "consent/state")]
pub async fn load_visitor_consent() -> Result<VisitorConsentState, AppError> {
    Ok(match visitor_choice() {
        Some((_, choice)) => VisitorConsentState { decided: true, choice },
        None => VisitorConsentState { decided: false, choice: VisitorChoice::NONE },
    })
}

/// Records the visitor's choice and keeps it in the consent cookie for a year.
/// `method`: `accept_all`, `reject_all` or `custom` (with the boxes ticked).
#[server(endpoint = "consent/choose")]
pub async fn choose_visitor_consent(
    method: String,
    analytics: Option<String>,
    communications: Option<String>,
    return_to: Option<String>,
) -> Result<VisitorChoice, AppError> {
    use awn_domain::consent::{ConsentMethod, VISITOR_CONSENT_COOKIE, choice_from_form, encode_cookie};
    let method = ConsentMethod::from_code(method.trim()).ok_or(AppError::NotFound)?;
    let choice = choice_from_form(method, analytics.is_some(), communications.is_some());
    let context = crate::state::app_context()?;
    let known = visitor_choice().map(|(id, _)| id);
    let visitor_id = crate::application::visitors::record_choice(&context.database, known, method, choice).await?;
    crate::session::set_cookie(VISITOR_CONSENT_COOKIE, &encode_cookie(&visitor_id, choice), 365 * 24 * 3600);
    // Back where the visitor was; only a path of this site.
    let back = awn_domain::return_path::return_path_or_home(return_to.as_deref());
    if crate::session::is_plain_form_post() {
        leptos_axum::redirect(back);
    }
    Ok(choice)
}

/// The choices: two buttons of equal weight, and the categories to pick from.
#[component]
fn ChoiceForm(
    action: ServerAction<ChooseVisitorConsent>,
    current: VisitorChoice,
    #[prop(into)] id: String,
    /// Open the categories at once (on the settings page).
    #[prop(optional)]
    expanded: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let here = move || {
        let search = location.search.get();
        match search.as_str() {
            "" => location.pathname.get(),
            s if s.starts_with('?') => format!("{}{s}", location.pathname.get()),
            s => format!("{}?{s}", location.pathname.get()),
        }
    };
    let categories = view! {
        <fieldset class="choices">
            <legend>{t!(i18n, consent.categories)}</legend>
            <label class="choice">
                <input type="checkbox" checked=true disabled=true/>
                <span>{t!(i18n, consent.necessary)} " " <small class="field__hint">{t!(i18n, consent.necessary_hint)}</small></span>
            </label>
            <label class="choice">
                <input type="checkbox" name="analytics" value="1" checked=current.analytics/>
                <span>{t!(i18n, consent.analytics)} " " <small class="field__hint">{t!(i18n, consent.analytics_hint)}</small></span>
            </label>
            <label class="choice">
                <input type="checkbox" name="communications" value="1" checked=current.communications/>
                <span>{t!(i18n, consent.communications)} " " <small class="field__hint">{t!(i18n, consent.communications_hint)}</small></span>
            </label>
            <button class="button" type="submit" name="method" value="custom">{t!(i18n, consent.save)}</button>
        </fieldset>
    };
    view! {
        <ActionForm action attr:class="form consent__form" attr:id=id>
            <input type="hidden" name="return_to" value=here/>
            <div class="consent__buttons">
                <button class="button button--primary" type="submit" name="method" value="accept_all">{t!(i18n, consent.accept_all)}</button>
                <button class="button button--primary" type="submit" name="method" value="reject_all">{t!(i18n, consent.reject_all)}</button>
            </div>
            // The abuse limits' refusal (the only error a visitor can cause here).
            {move || match action.value().get() {
                Some(Err(error @ AppError::TooManyRequests { .. })) => Some(view! { <ErrorMessage error/> }),
                _ => None,
            }}
            {if expanded {
                categories.into_any()
            } else {
                view! {
                    <details class="consent__details">
                        <summary>{t!(i18n, consent.choose)}</summary>
                        {categories}
                    </details>
                }
                .into_any()
            }}
        </ActionForm>
    }
}

/// The banner, until the visitor chooses.
#[component]
pub fn ConsentBanner() -> impl IntoView {
    let i18n = use_i18n();
    let choose = ServerAction::<ChooseVisitorConsent>::new();
    let state = Resource::new(|| (), |_| load_visitor_consent());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let decided = matches!(state.await, Ok(VisitorConsentState { decided: true, .. }));
                let chosen_now = move || matches!(choose.value().get(), Some(Ok(_)));
                (!decided).then(|| view! {
                    <Show when=move || !chosen_now()>
                        <section class="consent" role="region" aria-labelledby="consent-title">
                            <h2 id="consent-title" class="consent__title">{t!(i18n, consent.title)}</h2>
                            <p>{t!(i18n, consent.lead)} " " <a href="/privacy">{t!(i18n, consent.read_policy)}</a></p>
                            <ChoiceForm action=choose current=VisitorChoice::NONE id="form-consent-banner"/>
                        </section>
                    </Show>
                })
            })}
        </Transition>
    }
}

/// `/privacy-choices`: the current choice and the form to change it.
#[component]
pub fn PrivacyChoicesPage() -> impl IntoView {
    let i18n = use_i18n();
    let choose = ServerAction::<ChooseVisitorConsent>::new();
    let state = Resource::new(move || choose.version().get(), |_| load_visitor_consent());
    view! {
        <Title text=t_string!(i18n, consent.page_title).to_string()/>
        <section class="card narrow">
            <h1>{t!(i18n, consent.page_title)}</h1>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match state.await {
                        Err(error) => view! { <ErrorMessage error/> }.into_any(),
                        Ok(state) => {
                            let yes_no = move |on: bool| if on { t_string!(i18n, consent.on) } else { t_string!(i18n, consent.off) };
                            view! {
                                <p class="consent__current" role="status">
                                    {if state.decided { t!(i18n, consent.current).into_any() } else { t!(i18n, consent.not_chosen).into_any() }}
                                </p>
                                {state.decided.then(|| view! {
                                    <dl class="facts">
                                        <dt>{t!(i18n, consent.analytics)}</dt><dd class="consent__analytics">{yes_no(state.choice.analytics)}</dd>
                                        <dt>{t!(i18n, consent.communications)}</dt><dd class="consent__communications">{yes_no(state.choice.communications)}</dd>
                                    </dl>
                                })}
                                <ChoiceForm action=choose current=state.choice id="form-consent-page" expanded=true/>
                            }
                            .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}
