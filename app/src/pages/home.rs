//! The home page: the services offered, how to apply, and how to reach the
//! association (requirements A15, A18).

use awn_domain::{digits::localize_digits, locale::Language};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::{
    components::messages::ErrorMessage,
    error::AppError,
    i18n::*,
    preferences::{language_of, use_digit_style},
};

/// A kind of support as the home page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferedService {
    pub code: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomePageData {
    pub services: Vec<OfferedService>,
    /// Days the research committee has to decide (A13).
    pub decision_period_days: u32,
    /// Whether those are working days (weekends and holidays not counted).
    pub decision_in_working_days: bool,
}

#[server(endpoint = "home_content")]
pub async fn home_content(language: Language) -> Result<HomePageData, AppError> {
    let context = crate::state::app_context()?;
    crate::application::home_content::home_content(&context.database, &context.home_content, language).await
}

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let content = Resource::new(move || language_of(i18n.get_locale()), home_content);

    view! {
        <Title text=t_string!(i18n, home.title).to_string()/>
        <section class="hero">
            <h1>{t!(i18n, home.title)}</h1>
            <p class="hero__lead">{t!(i18n, home.lead)}</p>
            // The way in, first on the page (signing in comes on the way if needed).
            <p class="hero__actions">
                <a class="button button--primary" href="/requests/new">{t!(i18n, home.cta_apply)}</a>
                <a class="button" href="/requests">{t!(i18n, home.cta_follow)}</a>
            </p>
        </section>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match content.await {
                    Ok(content) => view! { <HomeSections content/> }.into_any(),
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn HomeSections(content: HomePageData) -> impl IntoView {
    let i18n = use_i18n();
    let digits = use_digit_style();
    let period = content.decision_period_days;
    let working = content.decision_in_working_days;
    let days_text = move || localize_digits(&period.to_string(), digits.get());
    let services = content.services;
    let no_services = services.is_empty();

    view! {
        <section class="card" aria-labelledby="services-title">
            <h2 id="services-title">{t!(i18n, home.services_title)}</h2>
            <Show when=move || no_services>
                <p>{t!(i18n, home.services_empty)}</p>
            </Show>
            <ul class="service-list">
                {services
                    .into_iter()
                    .map(|service| {
                        view! {
                            <li class="service-list__item" data-code=service.code>
                                <h3>{service.name}</h3>
                                <p>{service.description}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>

        <section class="card" aria-labelledby="apply-title">
            <h2 id="apply-title">{t!(i18n, home.apply_title)}</h2>
            <ol class="steps">
                <li>{t!(i18n, home.apply_step_1)}</li>
                <li>{t!(i18n, home.apply_step_2)}</li>
                <li>{t!(i18n, home.apply_step_3)}</li>
                <li>{t!(i18n, home.apply_step_4)}</li>
                <li class="decision-period">
                    {move || if working {
                        t!(i18n, home.decision_period_working, count = move || period, days = days_text).into_any()
                    } else {
                        t!(i18n, home.decision_period, count = move || period, days = days_text).into_any()
                    }}
                </li>
            </ol>
        </section>

        <section class="card" aria-labelledby="facts-title">
            <h2 id="facts-title">{t!(i18n, home.myths_title)}</h2>
            <ul class="facts">
                <li>{t!(i18n, home.myth_1)}</li>
                <li>{t!(i18n, home.myth_2)}</li>
                <li>{t!(i18n, home.myth_3)}</li>
            </ul>
        </section>

        <section class="card" aria-labelledby="evaluation-title">
            <h2 id="evaluation-title">{t!(i18n, home.evaluation_title)}</h2>
            <p>{t!(i18n, home.evaluation_body)}</p>
        </section>

        <section class="card" aria-labelledby="channels-title">
            <h2 id="channels-title">{t!(i18n, home.channels_title)}</h2>
            <p>{t!(i18n, home.channels_lead)}</p>
            <ul class="channel-list">
                <li>{t!(i18n, channels.interview)}</li>
                <li>{t!(i18n, channels.phone)}</li>
                <li>{t!(i18n, channels.social_media)}</li>
                <li>{t!(i18n, channels.letter)}</li>
                <li>{t!(i18n, channels.help_request)}</li>
                <li><a href="/volunteer">{t!(i18n, channels.volunteering)}</a></li>
                <li>{t!(i18n, channels.website)}</li>
                <li>{t!(i18n, channels.office_representative)}</li>
            </ul>
        </section>
    }
}
