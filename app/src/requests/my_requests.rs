//! "My requests": the beneficiary's requests with their current state.

use awn_domain::{locale::Language, requests::RequestStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use serde::{Deserialize, Serialize};

use crate::{
    components::{dates::DualDateText, messages::ErrorMessage},
    error::AppError,
    i18n::*,
    preferences::language_of,
    requests::labels::status_text,
    sign_in::SignOut,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestListItem {
    pub id: i64,
    pub reference: String,
    pub kind_name: String,
    pub status: RequestStatus,
    pub submitted_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyRequests {
    pub requests: Vec<RequestListItem>,
    /// A wizard draft is waiting to be finished.
    pub has_draft: bool,
}

#[server(endpoint = "requests/mine")]
pub async fn list_my_requests(language: Language) -> Result<MyRequests, AppError> {
    let account = crate::session::require_beneficiary().await?;
    let context = crate::state::app_context()?;
    crate::application::requests::my_requests(&context.database, &account, language).await
}

#[component]
pub fn MyRequestsPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = Resource::new(move || language_of(i18n.get_locale()), list_my_requests);
    let sign_out = ServerAction::<SignOut>::new();

    view! {
        <Title text=t_string!(i18n, my_requests.title).to_string()/>
        <h1>{t!(i18n, my_requests.title)}</h1>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match state.await {
                    Ok(mine) => {
                        let empty = mine.requests.is_empty();
                        view! {
                            <p class="page-actions">
                                <a class="button" href="/complaints">{t!(i18n, my_requests.complaints)}</a>
                                " "
                                <a class="button" href="/my-data">{t!(i18n, my_data.title)}</a>
                                " "
                                <a class="button button--primary" href="/requests/new">
                                    {if mine.has_draft {
                                        t!(i18n, my_requests.continue_draft).into_any()
                                    } else {
                                        t!(i18n, my_requests.new_request).into_any()
                                    }}
                                </a>
                            </p>
                            <Show when=move || empty>
                                <p class="card">{t!(i18n, my_requests.empty)}</p>
                            </Show>
                            <ul class="request-list">
                                {mine
                                    .requests
                                    .into_iter()
                                    .map(|request| {
                                        let status = request.status;
                                        view! {
                                            <li class="request-list__item card">
                                                <a class="request-list__link" href=format!("/requests/{}", request.id)>
                                                    <span class="request-list__kind">{request.kind_name}</span>
                                                    <bdi class="request-list__reference" dir="ltr">
                                                        {request.reference}
                                                    </bdi>
                                                </a>
                                                <p class=format!("status-badge status-badge--{}", status.code())>
                                                    {move || status_text(i18n.get_locale(), status)}
                                                </p>
                                                <p class="request-list__date">
                                                    {t!(i18n, my_requests.submitted_on)} " "
                                                    <DualDateText unix_seconds=request.submitted_at/>
                                                </p>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                        .into_any()
                    }
                    Err(AppError::SignInRequired) => view! { <Redirect path="/sign-in"/> }.into_any(),
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                }
            })}
        </Transition>
        <section class="card sign-out" aria-labelledby="account-title">
            <h2 id="account-title">{t!(i18n, my_requests.account_title)}</h2>
            <ActionForm action=sign_out attr:class="form form--inline">
                <button class="button" type="submit">{t!(i18n, my_requests.sign_out)}</button>
            </ActionForm>
            <ActionForm action=sign_out attr:class="form form--inline">
                <input type="hidden" name="everywhere" value="1"/>
                <button class="button button--link" type="submit">{t!(i18n, my_requests.sign_out_everywhere)}</button>
            </ActionForm>
        </section>
    }
}
