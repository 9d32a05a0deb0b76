//! The reference library (`/staff/library`, A9): the association's bylaws,
//! guides, forms, policies and regulations, each with every version uploaded.
//! Staff read the current version and its history; admins add documents and
//! versions. Files go up and down through plain routes in the server
//! (`/staff/library/{id}/versions`, `/staff/library/versions/{id}`).

#[cfg(feature = "ssr")]
use crate::application::{access::can, library};

use awn_domain::{library::LibraryCategory, staff::Permission};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use super::{StaffSession, sign_in::StaffGate};
use crate::{
    components::{
        dates::DualDateText,
        form::{SelectField, TextAreaField, TextField},
        messages::ErrorMessage,
    },
    error::AppError,
    forms::{FormNotice, FormProblem, field_message, latest_problem, typed},
    i18n::*,
    pages::not_found::set_response_status,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionItem {
    pub id: i64,
    pub label: String,
    pub file_name: String,
    pub size_bytes: i64,
    pub change_note: String,
    pub uploaded_by: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentItem {
    pub id: i64,
    pub category: LibraryCategory,
    pub title: String,
    pub current: Option<VersionItem>,
    pub version_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryPage {
    pub documents: Vec<DocumentItem>,
    pub problem: Option<FormProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentPage {
    pub document: DocumentItem,
    /// Newest first.
    pub versions: Vec<VersionItem>,
    pub problem: Option<FormProblem>,
}

/// The form name in problems (the upload form's is [`crate::forms::UPLOAD_VERSION_FORM`]).
const CREATE_FORM: &str = "create-document";

pub fn category_text(locale: Locale, category: LibraryCategory) -> String {
    match category {
        LibraryCategory::Bylaws => td_string!(locale, library.bylaws),
        LibraryCategory::ResearchGuide => td_string!(locale, library.research_guide),
        LibraryCategory::SupportPolicyGuide => td_string!(locale, library.support_policy_guide),
        LibraryCategory::SupportRequestForm => td_string!(locale, library.support_request_form),
        LibraryCategory::CharityPolicies => td_string!(locale, library.charity_policies),
        LibraryCategory::OfficialRegulations => td_string!(locale, library.official_regulations),
    }
    .to_string()
}

#[server(endpoint = "staff/library")]
pub async fn load_library(query: Option<String>) -> Result<LibraryPage, AppError> {
    let staff = super::authorize::<can::ViewLibrary>().await?;
    let context = crate::state::app_context()?;
    let documents = library::documents(&context.database, &staff, query.as_deref().unwrap_or_default()).await?;
    Ok(LibraryPage { documents, problem: crate::forms::take_flash() })
}

#[server(endpoint = "staff/library/document")]
pub async fn load_library_document(id: i64) -> Result<DocumentPage, AppError> {
    let staff = super::authorize::<can::ViewLibrary>().await?;
    let context = crate::state::app_context()?;
    let page = library::document(&context.database, &staff, id).await?;
    Ok(DocumentPage { problem: crate::forms::take_flash(), ..page })
}

#[server(endpoint = "staff/library/create")]
pub async fn create_library_document(
    category: Option<String>,
    title: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    use crate::forms::finish;
    let staff = super::authorize::<can::ManageLibrary>().await?;
    let context = crate::state::app_context()?;
    match library::create_document(&context.database, &staff, category.as_deref(), title.as_deref()).await? {
        Ok(id) => finish(&format!("/staff/library/{id}"), None),
        Err(refused) => {
            let problem = refused.on(CREATE_FORM).with_values(&[("category", &category), ("title", &title)]);
            finish("/staff/library", Some(problem))
        }
    }
}

/// "1.2 MB", "340 KB": sizes as people read them.
fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

#[component]
fn VersionLine(version: VersionItem, current: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <li class="records__item library__version" class:library__version--current=current>
            <a href=format!("/staff/library/versions/{}", version.id) download="">
                <strong>{t!(i18n, library.version)} " " <bdi dir="ltr">{version.label.clone()}</bdi></strong>
            </a>
            " · " <bdi dir="ltr">{version.file_name.clone()}</bdi> " · " <bdi dir="ltr">{size_text(version.size_bytes)}</bdi>
            {current.then(|| view! { " · " <em>{t!(i18n, library.current)}</em> })}
            <span class="records__meta">{version.uploaded_by.clone()} " · " <DualDateText unix_seconds=version.created_at/></span>
            {(!version.change_note.is_empty()).then(|| view! { <p class="records__body">{version.change_note.clone()}</p> })}
        </li>
    }
}

#[component]
pub fn StaffLibraryPage() -> impl IntoView {
    let query = use_query_map();
    let create = ServerAction::<CreateLibraryDocument>::new();
    let created = crate::forms::successes(create);
    let page = Resource::new(move || (query.with(|q| q.get("q")), created.get()), |(search, _)| load_library(search));
    view! { <StaffGate children=move |session| view! { <LibraryView session page create/> }/> }
}

#[component]
fn LibraryView(
    session: StaffSession,
    page: Resource<Result<LibraryPage, AppError>>,
    create: ServerAction<CreateLibraryDocument>,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let may_manage = session.may(Permission::ManageLibrary);
    view! {
        <Title text=t_string!(i18n, library.title).to_string()/>
        <h1>{t!(i18n, library.title)}</h1>
        <form method="get" action="/staff/library" class="form filters" role="search">
            <div class="field">
                <label class="field__label" for="library-q">{t!(i18n, library.search_label)}</label>
                <input class="field__input" id="library-q" name="q" type="search"
                    value=move || query.with(|q| q.get("q")).unwrap_or_default()/>
            </div>
            <button class="button" type="submit">{t!(i18n, faq.search)}</button>
        </form>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) => {
                        let problem = latest_problem(create, page.problem.clone());
                        let current = problem.get_untracked();
                        let chosen = typed(&current, CREATE_FORM, "category");
                        let form = CREATE_FORM.to_owned();
                        view! {
                            {if page.documents.is_empty() {
                                view! { <p class="notice">{t!(i18n, library.empty)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="library">
                                        {page.documents.into_iter().map(|d| view! {
                                            <li class="card library__document">
                                                <p class="records__meta">{category_text(i18n.get_locale(), d.category)}</p>
                                                <h2><a href=format!("/staff/library/{}", d.id)>{d.title.clone()}</a></h2>
                                                {match d.current.clone() {
                                                    Some(version) => view! { <ul class="records"><VersionLine version current=true/></ul> }.into_any(),
                                                    None => view! { <p>{t!(i18n, library.no_version)}</p> }.into_any(),
                                                }}
                                                <a href=format!("/staff/library/{}", d.id)>
                                                    {t!(i18n, library.history, count = move || d.version_count)}
                                                </a>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            {may_manage.then(|| view! {
                                <section class="card" aria-labelledby="new-document-title">
                                    <h2 id="new-document-title">{t!(i18n, library.new_document)}</h2>
                                    <ActionForm action=create attr:class="form" attr:id="form-create-document" attr:novalidate=true>
                                        <SelectField name="category" id="field-category" label=move || t_string!(i18n, library.category)
                                            placeholder=move || t_string!(i18n, library.choose_category)
                                            options=LibraryCategory::ALL.into_iter().map(|c| (c.code().to_owned(), category_text(i18n.get_locale(), c))).collect()
                                            selected=chosen.clone()
                                            error=field_message(problem, form.clone(), "category")/>
                                        <TextField name="title" label=move || t_string!(i18n, library.document_title)
                                            value=typed(&current, CREATE_FORM, "title")
                                            error=field_message(problem, form.clone(), "title")/>
                                        <FormNotice problem form=form.clone()/>
                                        <button class="button button--primary" type="submit">{t!(i18n, library.create)}</button>
                                    </ActionForm>
                                </section>
                            })}
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
pub fn StaffLibraryDocumentPage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())),
        |id| async move {
            match id {
                Some(id) => load_library_document(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <StaffGate children=move |session| view! { <DocumentView session page/> }/> }
}

#[component]
fn DocumentView(session: StaffSession, page: Resource<Result<DocumentPage, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let may_manage = session.may(Permission::ManageLibrary);
    view! {
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => {
                        if matches!(error, AppError::NotFound) {
                            set_response_status(404);
                        }
                        view! { <ErrorMessage error/> }.into_any()
                    }
                    Ok(page) => {
                        let problem = Signal::stored(page.problem.clone());
                        let form = crate::forms::UPLOAD_VERSION_FORM.to_owned();
                        let document = page.document.clone();
                        let newest = page.versions.first().map(|v| v.id);
                        view! {
                            <Title text=document.title.clone()/>
                            <p class="records__meta"><a href="/staff/library">{t!(i18n, library.title)}</a> " · "
                                {category_text(i18n.get_locale(), document.category)}</p>
                            <h1>{document.title.clone()}</h1>
                            <section class="card">
                                <h2>{t!(i18n, library.versions)}</h2>
                                {if page.versions.is_empty() {
                                    view! { <p>{t!(i18n, library.no_version)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="records">
                                            {page.versions.into_iter().map(|version| {
                                                let current = Some(version.id) == newest;
                                                view! { <VersionLine version current/> }
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                            {may_manage.then(|| view! {
                                <section class="card" aria-labelledby="upload-title">
                                    <h2 id="upload-title">{t!(i18n, library.upload_title)}</h2>
                                    // A plain multipart post: the server answers with a redirect back here.
                                    <form class="form" id="form-upload-version" method="post" enctype="multipart/form-data"
                                        action=format!("/staff/library/{}/versions", document.id) novalidate=true>
                                        <TextField name="version_label" label=move || t_string!(i18n, library.version_label)
                                            hint=move || t_string!(i18n, library.version_label_hint) dir="ltr"
                                            value=typed(&page.problem, crate::forms::UPLOAD_VERSION_FORM, "version_label")
                                            error=field_message(problem, form.clone(), "version_label")/>
                                        <TextAreaField name="change_note" label=move || t_string!(i18n, library.change_note)
                                            value=typed(&page.problem, crate::forms::UPLOAD_VERSION_FORM, "change_note")
                                            error=field_message(problem, form.clone(), "change_note")/>
                                        <div class="field">
                                            <label class="field__label" for="field-file">{t!(i18n, library.file)}</label>
                                            <p class="field__hint">{t!(i18n, library.file_hint)}</p>
                                            <input class="field__input" id="field-file" name="file" type="file"
                                                accept="application/pdf,image/jpeg,image/png,image/webp"/>
                                            <crate::components::form::FieldError id="field-file-error"
                                                error=field_message(problem, form.clone(), "file")/>
                                        </div>
                                        <FormNotice problem form=form.clone()/>
                                        <button class="button button--primary" type="submit">{t!(i18n, library.upload)}</button>
                                    </form>
                                </section>
                            })}
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}
