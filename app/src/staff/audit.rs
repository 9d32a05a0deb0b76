//! The audit log for the privacy officer (`/staff/audit`): who read or changed
//! what about whom, when and why, searchable; and a check of the hash chain that
//! makes the log tamper-evident. Searching the log is itself an audited read.

#[cfg(feature = "ssr")]
use crate::application::{access::can, audit};

use awn_domain::paging::PagePosition;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::sign_in::StaffGate;
use crate::{
    components::{dates::DualDateText, messages::ErrorMessage, pager::Pager, table::TableScroll},
    error::AppError,
    i18n::*,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub id: i64,
    pub position: Option<i64>,
    pub at: i64,
    pub staff_username: String,
    pub action: String,
    pub beneficiary_id: Option<i64>,
    pub request_id: Option<i64>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub lines: Vec<AuditLine>,
    /// Where this page sits among the matching entries.
    pub pages: PagePosition,
    /// Fields that could not be read (left out of the search).
    pub invalid: Vec<String>,
}

/// The chain check as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainReport {
    pub entries_checked: i64,
    /// (place in the chain, entry id, what is wrong: a `ChainProblem` in words of code)
    pub broken: Option<(i64, Option<i64>, String)>,
}

/// Entries on a page; the pager reaches the rest.
#[cfg(feature = "ssr")]
const AUDIT_PER_PAGE: u32 = 100;

#[server(endpoint = "staff/audit")]
pub async fn load_audit(
    username: Option<String>,
    beneficiary: Option<String>,
    request: Option<String>,
    action: Option<String>,
    page: Option<String>,
) -> Result<AuditPage, AppError> {
    let staff = super::authorize::<can::ViewAuditLog>().await?;
    let context = crate::state::app_context()?;
    let typed = audit::TypedSearch {
        username: username.as_deref(),
        beneficiary: beneficiary.as_deref(),
        request: request.as_deref(),
        action: action.as_deref(),
    };
    let request = awn_domain::paging::PageRequest::from_query(page.as_deref(), AUDIT_PER_PAGE);
    let found = audit::search(&context.database, &staff, typed, request).await?;
    Ok(AuditPage { lines: found.lines, pages: found.pages, invalid: found.invalid })
}

#[server(endpoint = "staff/audit/verify")]
pub async fn verify_audit_chain() -> Result<ChainReport, AppError> {
    let staff = super::authorize::<can::ViewAuditLog>().await?;
    let context = crate::state::app_context()?;
    audit::verify_chain(&context.database, &staff).await
}

#[component]
pub fn StaffAuditPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |name: &str| query.with(|q| q.get(name));
    let page = Resource::new(
        move || (param("username"), param("beneficiary"), param("request"), param("action"), param("page")),
        |(username, beneficiary, request, action, page)| load_audit(username, beneficiary, request, action, page),
    );
    view! { <StaffGate children=move |_session| view! { <AuditView page/> }/> }
}

#[component]
fn AuditView(page: Resource<Result<AuditPage, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |name: &'static str| move || query.with(|q| q.get(name)).unwrap_or_default();
    let verify = ServerAction::<VerifyAuditChain>::new();
    let report = move || {
        verify.value().get().map(|answer| match answer {
            Ok(ChainReport { entries_checked, broken: None }) => view! {
                <p class="notice notice--success" role="status">{t!(i18n, audit.intact, count = move || entries_checked)}</p>
            }
            .into_any(),
            Ok(ChainReport { broken: Some((position, entry, problem)), .. }) => view! {
                <p class="notice notice--error" role="alert">
                    {t!(i18n, audit.broken, position = move || position)} " "
                    <bdi dir="ltr">{problem} {entry.map(|e| format!(" #{e}"))}</bdi>
                </p>
            }
            .into_any(),
            Err(error) => view! { <ErrorMessage error/> }.into_any(),
        })
    };
    view! {
        <Title text=t_string!(i18n, audit.title).to_string()/>
        <h1>{t!(i18n, audit.title)}</h1>
        <section class="card">
            <p>{t!(i18n, audit.chain_lead)}</p>
            <ActionForm action=verify attr:class="form form--inline" attr:id="form-verify-chain">
                <button class="button" type="submit">{t!(i18n, audit.verify)}</button>
            </ActionForm>
            {report}
        </section>
        <form method="get" action="/staff/audit" class="form filters" role="search">
            <div class="field">
                <label class="field__label" for="audit-username">{t!(i18n, audit.username)}</label>
                <input class="field__input" id="audit-username" name="username" dir="ltr" value=param("username")/>
            </div>
            <div class="field">
                <label class="field__label" for="audit-beneficiary">{t!(i18n, audit.beneficiary)}</label>
                <input class="field__input" id="audit-beneficiary" name="beneficiary" inputmode="numeric" dir="ltr" value=param("beneficiary")/>
            </div>
            <div class="field">
                <label class="field__label" for="audit-request">{t!(i18n, audit.request)}</label>
                <input class="field__input" id="audit-request" name="request" inputmode="numeric" dir="ltr" value=param("request")/>
            </div>
            <div class="field">
                <label class="field__label" for="audit-action">{t!(i18n, audit.action)}</label>
                <input class="field__input" id="audit-action" name="action" dir="ltr" placeholder="case." value=param("action")/>
            </div>
            <button class="button" type="submit">{t!(i18n, staff.filter_apply)}</button>
        </form>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) => view! {
                        {(!page.invalid.is_empty()).then(|| view! {
                            <p class="notice notice--error" role="alert">{t!(i18n, audit.bad_number)}</p>
                        })}
                        {if page.lines.is_empty() {
                            view! { <p class="notice">{t!(i18n, audit.empty)}</p> }.into_any()
                        } else {
                            view! {
                                <TableScroll label=move || t_string!(i18n, audit.title).to_string()>
                                <table class="report-table audit-table">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t!(i18n, audit.when)}</th>
                                            <th scope="col">{t!(i18n, audit.who)}</th>
                                            <th scope="col">{t!(i18n, audit.what)}</th>
                                            <th scope="col">{t!(i18n, audit.whose)}</th>
                                            <th scope="col">{t!(i18n, audit.why)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {page.lines.into_iter().map(|line| view! {
                                            <tr>
                                                <td><DualDateText unix_seconds=line.at/></td>
                                                <td><bdi dir="ltr">{line.staff_username}</bdi></td>
                                                <td><bdi dir="ltr">{line.action}</bdi></td>
                                                <td>
                                                    {line.beneficiary_id.map(|b| view! { <a href=format!("/staff/beneficiaries/{b}")>{format!("#{b}")}</a> })}
                                                    {line.request_id.map(|r| view! { " " <a href=format!("/staff/requests/{r}")>{format!("R{r}")}</a> })}
                                                </td>
                                                <td><bdi>{line.reason}</bdi></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                </TableScroll>
                            }.into_any()
                        }}
                        <Pager position=page.pages/>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}
