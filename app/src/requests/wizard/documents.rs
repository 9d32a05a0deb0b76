//! The documents step: the draft's documents and the upload form.

use awn_domain::documents::MAX_DOCUMENTS_PER_REQUEST;
use leptos::prelude::*;

use super::{DraftDocument, RemoveDraftDocument};
use crate::{i18n::*, preferences::use_digit_style};

#[component]
pub(super) fn DocumentsHint() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="field__hint">{t!(i18n, wizard.documents_next_hint)}</p> }
}

/// The draft's documents and the upload form. The upload is a plain multipart
/// form to /uploads/draft (it works the same with or without JavaScript); it sits
/// outside the step's form because forms cannot nest.
#[component]
pub(super) fn DocumentsStep(
    documents: Vec<DraftDocument>,
    max_upload_mb: u64,
    problem: Option<String>,
    remove: ServerAction<RemoveDraftDocument>,
) -> impl IntoView {
    let i18n = use_i18n();
    let digits = use_digit_style();
    let count = documents.len();
    let full = count >= MAX_DOCUMENTS_PER_REQUEST;
    let limit_text = move || {
        awn_domain::digits::localize_digits(
            &t_string!(i18n, documents.limits, megabytes = max_upload_mb, max = MAX_DOCUMENTS_PER_REQUEST).to_string(),
            digits.try_get().unwrap_or_default(),
        )
    };
    let problem_text = move || problem.as_deref().map(|p| crate::requests::tracking::upload_problem_text(i18n, p));
    view! {
        <p>{t!(i18n, documents.lead)}</p>
        <ul class="document-list">
            {documents
                .into_iter()
                .map(|document| {
                    view! {
                        <li class="document-list__item">
                            <a href=format!("/documents/{}", document.id) download>
                                <bdi>{document.file_name}</bdi>
                            </a>
                            <ActionForm action=remove attr:class="form form--inline">
                                <input type="hidden" name="document" value=document.id/>
                                <button class="button button--link" type="submit">
                                    {t!(i18n, documents.remove)}
                                </button>
                            </ActionForm>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        {move || problem_text().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
        <Show
            when=move || !full
            fallback=move || view! { <p class="field__hint">{t!(i18n, documents.full)}</p> }
        >
            <form class="form upload-form" method="post" action="/uploads/draft" enctype="multipart/form-data">
                <div class="field">
                    <label class="field__label" for="field-file">{t!(i18n, documents.choose)}</label>
                    <p class="field__hint" id="field-file-hint">{limit_text}</p>
                    <input
                        class="field__input"
                        id="field-file"
                        type="file"
                        name="file"
                        accept="image/jpeg,image/png,image/webp,application/pdf"
                        aria-describedby="field-file-hint"
                        required
                    />
                </div>
                <button class="button" type="submit">{t!(i18n, documents.upload)}</button>
            </form>
        </Show>
    }
}
