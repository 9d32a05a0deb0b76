//! Recording a request about their data from a supporter, member or volunteer
//! (issue 15): they have no account to send one, so the privacy officer types
//! what came by phone, email, letter or in person, the day it came.

use awn_domain::privacy::{DataRequestChannel, DataRequestKind, PartyKind};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::application::{access::can, party_data as use_case};
use crate::{
    components::form::{SelectField, TextAreaField, TextField},
    error::AppError,
    forms::{FormNotice, FormProblem, field_message, typed},
    i18n::*,
};

use super::data_requests::{channel_text, kind_text, party_text};

pub(super) const RECORD_FORM: &str = "record-data-request";

/// Records the request; its legal clock starts now.
#[server(endpoint = "staff/data_requests/record")]
pub async fn record_data_request(
    party: Option<String>,
    number: Option<String>,
    kind: Option<String>,
    channel: Option<String>,
    details: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = crate::staff::authorize::<can::AnswerDataRequest>().await?;
    let context = crate::state::app_context()?;
    let form = awn_domain::privacy::RecordedDataRequestForm {
        party: party.clone().unwrap_or_default(),
        number: number.clone().unwrap_or_default(),
        kind: kind.clone().unwrap_or_default(),
        channel: channel.clone().unwrap_or_default(),
        details: details.clone().unwrap_or_default(),
    };
    let recorded = use_case::record(&context.database, &staff, &form).await?;
    let values =
        [("party", &party), ("number", &number), ("kind", &kind), ("channel", &channel), ("details", &details)];
    super::answer("/staff/data-requests", RECORD_FORM, recorded, &values)
}

/// The form, folded away under its title: most days nobody calls.
#[component]
pub(super) fn RecordDataRequestForm(
    record: ServerAction<RecordDataRequest>,
    problem: Signal<Option<FormProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let current = problem.get_untracked();
    // Open when it comes back with a mistake to correct.
    let open = current.as_ref().is_some_and(|p| p.form == RECORD_FORM);
    let field = move |name: &'static str| field_message(problem, RECORD_FORM.to_owned(), name);
    let value = move |name: &str| typed(&current, RECORD_FORM, name);
    let parties: Vec<(String, String)> = PartyKind::ALL
        .into_iter()
        .filter(|kind| *kind != PartyKind::Beneficiary)
        .map(|kind| (kind.code().to_owned(), party_text(locale, kind)))
        .collect();
    let kinds: Vec<(String, String)> =
        DataRequestKind::ALL.into_iter().map(|kind| (kind.code().to_owned(), kind_text(locale, kind))).collect();
    let channels: Vec<(String, String)> = DataRequestChannel::ALL
        .into_iter()
        .filter(|channel| *channel != DataRequestChannel::Website)
        .map(|channel| (channel.code().to_owned(), channel_text(locale, channel)))
        .collect();
    view! {
        <details class="card disclosure" open=open>
            <summary>{t!(i18n, data_requests.record_title)}</summary>
            <ActionForm action=record attr:class="form" attr:id="form-record-data-request" attr:novalidate=true>
                <p class="field__hint">{t!(i18n, data_requests.record_hint)}</p>
                <SelectField name="party" id="record-party" label=move || t_string!(i18n, data_requests.party)
                    placeholder=move || t_string!(i18n, data_requests.choose) options=parties selected=value("party") error=field("party")/>
                <TextField name="number" id_suffix="record" label=move || t_string!(i18n, data_requests.number)
                    inputmode="numeric" dir="ltr" value=value("number") error=field("number")/>
                <SelectField name="kind" id="record-kind" label=move || t_string!(i18n, data_requests.kind)
                    placeholder=move || t_string!(i18n, data_requests.choose) options=kinds selected=value("kind") error=field("kind")/>
                <SelectField name="channel" id="record-channel" label=move || t_string!(i18n, data_requests.channel)
                    placeholder=move || t_string!(i18n, data_requests.choose) options=channels selected=value("channel") error=field("channel")/>
                <TextAreaField name="details" id_suffix="record" label=move || t_string!(i18n, data_requests.details)
                    value=value("details") error=field("details")/>
                <FormNotice problem form=RECORD_FORM.to_owned()/>
                <button class="button button--primary" type="submit">{t!(i18n, data_requests.record_submit)}</button>
            </ActionForm>
        </details>
    }
}
