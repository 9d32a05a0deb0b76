//! One beneficiary's file (`/staff/beneficiaries/:id`): every request, service,
//! inquiry and complaint in one view, read through the audited path. Staff who
//! handle complaints record here one received by phone, letter or in person.

#[cfg(feature = "ssr")]
use crate::application::{access::can, personal_data};

mod file_view;

use awn_domain::{channels::Channel, locale::Language, requests::RequestStatus};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use self::file_view::FileView;
use super::{
    complaints::{ComplaintActions, ComplaintItem},
    sign_in::StaffGate,
};
use crate::{error::AppError, forms::FormProblem, i18n::*, preferences::language_of};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRequest {
    pub id: i64,
    pub reference: String,
    pub kind_name: String,
    pub status: RequestStatus,
    pub channel: Channel,
    pub submitted_at: i64,
    pub file_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileService {
    pub request_reference: String,
    pub what: String,
    pub amount: String,
    pub delivered_on: String,
    pub staff_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileInquiry {
    pub channel: Channel,
    pub question: String,
    pub answer: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BeneficiaryView {
    pub id: i64,
    /// The name on the newest request (an account holds only a mobile number).
    pub name: Option<String>,
    pub national_id: Option<String>,
    pub mobile: String,
    pub language: Language,
    pub created_at: i64,
    pub requests: Vec<FileRequest>,
    pub services: Vec<FileService>,
    pub document_count: i64,
    pub inquiries: Vec<FileInquiry>,
    pub complaints: Vec<ComplaintItem>,
    /// The consent register: in force first, then the whole history.
    pub consents_in_force: Vec<crate::my_data::ConsentLine>,
    pub consent_history: Vec<crate::my_data::ConsentLine>,
    /// The surveys (value, name) staff who invite may send; empty for others.
    pub invitable_surveys: Vec<(String, String)>,
    pub problem: Option<FormProblem>,
}

const RECORD_COMPLAINT_FORM: &str = "record-complaint";

#[server(endpoint = "staff/beneficiary")]
pub async fn load_beneficiary(id: i64, language: Language) -> Result<BeneficiaryView, AppError> {
    let context = crate::state::app_context()?;
    let staff = super::authorize::<can::ViewBeneficiaryFile>().await?;
    let file = personal_data::beneficiary_file(&context.database, &staff, id, personal_data::PURPOSE_CASEWORK).await?;
    // Part of the file's one answer: a form's own request, made inside the page's
    // suspense, could come back to the browser out of step with the page.
    let invitable_surveys = match staff.also::<can::InviteToSurvey>(&context.database).await? {
        Some(inviter) => crate::application::surveys::invitable(&context.database, &inviter, language).await?,
        None => Vec::new(),
    };
    let overview = file.overview;
    let newest = overview.requests.first();
    Ok(BeneficiaryView {
        invitable_surveys,
        id,
        name: newest.map(|r| r.full_name.clone()),
        national_id: newest.map(|r| r.national_id.clone()),
        mobile: overview.mobile.clone(),
        language: overview.language,
        created_at: overview.created_at,
        requests: overview
            .requests
            .iter()
            .map(|r| FileRequest {
                id: r.id,
                reference: r.reference.clone(),
                kind_name: r.support_kind_name(language).to_owned(),
                status: r.status,
                channel: r.channel,
                submitted_at: r.submitted_at,
                file_number: r.file_number.clone(),
            })
            .collect(),
        services: overview
            .services
            .into_iter()
            .map(|s| FileService {
                request_reference: s.request_reference,
                what: s.what,
                amount: format!("{} {}", s.quantity, s.unit),
                delivered_on: format!(
                    "{:04}-{:02}-{:02}",
                    s.delivered_on.year, s.delivered_on.month, s.delivered_on.day
                ),
                staff_name: s.staff_name,
            })
            .collect(),
        document_count: overview.document_count,
        inquiries: file
            .inquiries
            .into_iter()
            .map(|i| FileInquiry {
                channel: i.channel,
                question: i.question,
                answer: i.answer,
                created_at: i.created_at,
            })
            .collect(),
        complaints: file.complaints.into_iter().map(super::complaints::item_of).collect(),
        consents_in_force: awn_storage::consent::in_force(&file.consents)
            .iter()
            .map(crate::my_data::ConsentLine::from)
            .collect(),
        consent_history: file.consents.iter().map(crate::my_data::ConsentLine::from).collect(),
        problem: crate::forms::take_flash(),
    })
}

/// A complaint received by phone, letter or in person, recorded by staff.
#[server(endpoint = "staff/beneficiary/complaint")]
pub async fn record_complaint(
    beneficiary: i64,
    request: Option<String>,
    channel: Option<String>,
    body: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    use crate::{application::complaints, forms::finish};
    let staff = super::authorize::<can::HandleComplaint>().await?;
    let context = crate::state::app_context()?;
    let back = format!("/staff/beneficiaries/{beneficiary}");
    let (request_code, channel_code, text) = (request.as_deref(), channel.as_deref(), body.as_deref());
    match complaints::record_received(&context.database, &staff, beneficiary, request_code, channel_code, text).await? {
        Ok(()) => finish(&back, None),
        Err(refusal) => {
            let values = [("request", &request), ("channel", &channel), ("body", &body)];
            finish(&back, Some(refusal.on(RECORD_COMPLAINT_FORM).with_values(&values)))
        }
    }
}

#[component]
pub fn StaffBeneficiaryPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let record = ServerAction::<RecordComplaint>::new();
    let recorded = crate::forms::successes(record);
    let actions = ComplaintActions::default();
    let file = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())),
                language_of(i18n.get_locale()),
                recorded.get() + actions.changes(),
            )
        },
        |(id, language, _)| async move {
            match id {
                Some(id) => load_beneficiary(id, language).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <StaffGate children=move |session| view! { <FileView session file record actions/> }/> }
}
