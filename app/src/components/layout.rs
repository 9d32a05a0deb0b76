//! The association's header, navigation and footer, on every page.

use awn_domain::digits::DigitStyle;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::{
    i18n::*,
    preferences::{preference_link, use_digit_style},
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
        <a class="skip-link" href="#content">
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

/// Switches between Arabic and English: a link that sets the cookie on the
/// server and comes back to the page.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let path = current_path();
    let other = move || match i18n.get_locale() {
        Locale::ar => Locale::en,
        Locale::en => Locale::ar,
    };
    view! {
        <a
            class="language-switch"
            href=move || preference_link("language", other().as_str(), &path.get())
            hreflang=move || other().as_str()
            lang=move || other().as_str()
            aria-label=move || t_string!(i18n, language.switch_label)
        >
            {t!(i18n, language.switch)}
        </a>
    }
}

/// Chooses Western (123) or Arabic-Indic (١٢٣) digits: links, as the language.
#[component]
fn DigitSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let path = current_path();
    let current = use_digit_style();
    let link = move |style: DigitStyle| move || preference_link("digits", style.as_code(), &path.get());
    let chosen = move |style: DigitStyle| move || (current.try_get().unwrap_or_default() == style).then_some("true");
    view! {
        <div class="digit-switch" role="group" aria-label=move || t_string!(i18n, digits.label)>
            <a href=link(DigitStyle::Western) aria-current=chosen(DigitStyle::Western)>
                // The name starts with what is shown (WCAG 2.5.3), then says it.
                {t!(i18n, digits.western)}
                <span class="visually-hidden">" " {t!(i18n, digits.western_label)}</span>
            </a>
            <a href=link(DigitStyle::ArabicIndic) aria-current=chosen(DigitStyle::ArabicIndic)>
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
