//! Alerts an admin must see (the hourly SMS budget used up), listed at the top
//! of the admin's workspace home. Raised by storage at most once an hour each.

#[cfg(feature = "ssr")]
use crate::application::access::can;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{components::dates::DualDateText, error::AppError, i18n::*};

/// How far back the list goes.
#[cfg(feature = "ssr")]
const ALERT_DAYS: i64 = 7;
/// Most alerts listed.
#[cfg(feature = "ssr")]
const ALERT_LIMIT: i64 = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertRow {
    pub kind: String,
    pub raised_at: i64,
}

/// The alerts of the last week, newest first; for those who run the system.
#[server(endpoint = "staff/system_alerts")]
pub async fn load_system_alerts() -> Result<Vec<AlertRow>, AppError> {
    let who = super::authorize::<can::ManageSettings>().await?;
    let context = crate::state::app_context()?;
    crate::application::audit::system_alerts(&context.database, &who, ALERT_DAYS, ALERT_LIMIT).await
}

fn alert_text(locale: Locale, kind: &str) -> String {
    match kind {
        "sms_budget_exhausted" => td_string!(locale, limits.alert_sms_budget).to_string(),
        other => other.to_owned(),
    }
}

/// The list, or nothing when there is no alert (or the viewer may not see them).
#[component]
pub fn SystemAlerts(alerts: Resource<Result<Vec<AlertRow>, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match alerts.await {
                    Ok(rows) if !rows.is_empty() => view! {
                        <section class="card system-alerts" role="alert" aria-labelledby="system-alerts-title">
                            <h2 id="system-alerts-title">{t!(i18n, limits.alerts_title)}</h2>
                            <ul class="records">
                                {rows.into_iter().map(|row| view! {
                                    <li class="records__item">
                                        <span class="records__meta"><DualDateText unix_seconds=row.raised_at/></span>
                                        <p class="records__body">{alert_text(i18n.get_locale(), &row.kind)}</p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }
                    .into_any(),
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}
