use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::*;

/// Sets the HTTP status of the page being rendered on the server.
pub fn set_response_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(code)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(status))
    {
        response.set_status(code);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_response_status(404);
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, not_found.title).to_string()/>
        <section class="card card--centered">
            <h1>{t!(i18n, not_found.title)}</h1>
            <p>{t!(i18n, not_found.body)}</p>
            <a class="button" href="/">{t!(i18n, not_found.go_home)}</a>
        </section>
    }
}
