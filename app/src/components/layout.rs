//! The association's header, navigation and footer, on every page.

use awn_domain::digits::DigitStyle;
use leptos::{ev::MouseEvent, prelude::*};
use leptos_router::hooks::use_location;

use crate::{
    i18n::*,
    preferences::{DIGITS_COOKIE, DigitPreference, preference_link, write_preference_cookie},
};

/// The path and query of the page being shown, to come back to after a preference link.
fn current_path() -> Signal<String> {
    let location = use_location();
    Signal::derive(move || {
        let search = location.search.get();
        if search.is_empty() { location.pathname.get() } else { format!("{}?{}", location.pathname.get(), search) }
    })
}

#[component]
pub fn SiteHeader() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let current = move |href: &'static str| move || (location.pathname.get() == href).then_some("page");
    view! {
        <a class="skip-link" href="#content" on:click=crate::components::focus::follow_anchor("content".into())>
            {t!(i18n, nav.skip_to_content)}
        </a>
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href="/">
                    <img class="brand__mark" src="/logo.svg" alt="" width="40" height="40"/>
                    <span class="brand__text">
                        <span class="brand__name">{t!(i18n, app_name)}</span>
                        <span class="brand__association">{t!(i18n, association_name)}</span>
                    </span>
                </a>
                <LanguageSwitch/>
            </div>
            // The privacy policy is the footer's first link, on every page.
            <nav class="site-nav" aria-label=move || t_string!(i18n, nav.label)>
                <a href="/" aria-current=current("/")>{t!(i18n, nav.home)}</a>
                <a href="/requests" aria-current=current("/requests")>{t!(i18n, nav.my_requests)}</a>
                <a href="/faq" aria-current=current("/faq")>{t!(i18n, nav.faq)}</a>
            </nav>
        </header>
    }
}

/// Switches between Arabic and English. Without JavaScript it is a link that sets
/// the cookie on the server and returns; hydrated, it switches in place.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let path = current_path();
    let other = move || match i18n.get_locale() {
        Locale::ar => Locale::en,
        Locale::en => Locale::ar,
    };
    let on_click = move |event: MouseEvent| {
        event.prevent_default();
        let chosen = other();
        // Remembered for the next page, as the server's link would.
        crate::preferences::write_preference_cookie(crate::preferences::LANGUAGE_COOKIE, chosen.as_str());
        i18n.set_locale(chosen);
    };
    view! {
        <a
            class="language-switch"
            href=move || preference_link("language", other().as_str(), &path.get())
            hreflang=move || other().as_str()
            lang=move || other().as_str()
            aria-label=move || t_string!(i18n, language.switch_label)
            on:click=on_click
        >
            {t!(i18n, language.switch)}
        </a>
    }
}

/// Chooses Western (123) or Arabic-Indic (١٢٣) digits.
#[component]
fn DigitSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let path = current_path();
    let preference = use_context::<DigitPreference>();
    let current = move || preference.map(|p| p.0.get()).unwrap_or_default();
    let choose = move |style: DigitStyle| {
        move |event: MouseEvent| {
            if let Some(preference) = preference {
                event.prevent_default();
                preference.0.set(style);
                write_preference_cookie(DIGITS_COOKIE, style.as_code());
            }
        }
    };
    view! {
        <div class="digit-switch" role="group" aria-label=move || t_string!(i18n, digits.label)>
            <a
                href=move || preference_link("digits", DigitStyle::Western.as_code(), &path.get())
                aria-current=move || (current() == DigitStyle::Western).then_some("true")
                on:click=choose(DigitStyle::Western)
            >
                // The name starts with what is shown (WCAG 2.5.3), then says it.
                {t!(i18n, digits.western)}
                <span class="visually-hidden">" " {t!(i18n, digits.western_label)}</span>
            </a>
            <a
                href=move || preference_link("digits", DigitStyle::ArabicIndic.as_code(), &path.get())
                aria-current=move || (current() == DigitStyle::ArabicIndic).then_some("true")
                on:click=choose(DigitStyle::ArabicIndic)
            >
                {t!(i18n, digits.arabic)}
                <span class="visually-hidden">" " {t!(i18n, digits.arabic_label)}</span>
            </a>
        </div>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <div class="site-footer__inner">
                <nav class="site-footer__links">
                    <a href="/privacy">{t!(i18n, footer.privacy)}</a>
                    <a href="/privacy-choices">{t!(i18n, footer.privacy_choices)}</a>
                    <a href="/privacy-violation">{t!(i18n, footer.report_violation)}</a>
                    <a href="/suggestions">{t!(i18n, footer.suggest)}</a>
                    <a href="/volunteer">{t!(i18n, footer.volunteer)}</a>
                </nav>
                <DigitSwitch/>
                <p class="site-footer__rights">{t!(i18n, footer.rights)}</p>
                <p class="site-footer__copyright">{t!(i18n, footer.copyright)}</p>
            </div>
        </footer>
    }
}
