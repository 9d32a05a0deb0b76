//! What a beneficiary may see of themselves: everything the association holds
//! about them (B3), for the page and the JSON and HTML downloads; their
//! consents, given or withdrawn online; their requests to correct or delete it.

use awn_domain::{consent::ConsentKind, locale::Language, privacy::DataRequestKind};
use awn_storage::{
    Database,
    accounts::BeneficiaryAccount,
    consent::{BY_THE_PERSON_ONLINE, ConsentChange, ConsentHolder},
    data_requests::DataRequestProblem,
    now_unix_seconds,
};

use super::{Outcome, Refused};
pub use crate::my_data::MyDataExport;
use crate::{
    error::AppError,
    forms::Problem,
    my_data::{ConsentLine, DataRequestLine, MyRequestData},
};

/// Gives or withdraws the account's consent of kind `kind` (its code), to
/// `party` for a sharing consent. Only a consent given online (news by SMS or
/// email, publication) may be given here (`Forbidden` otherwise); a sharing
/// consent can be withdrawn, never given. An unknown kind, or a consent the
/// register refuses, is `NotFound`.
pub async fn change_consent(
    database: &Database,
    account: &BeneficiaryAccount,
    kind: &str,
    party: Option<&str>,
    granted: bool,
) -> Result<(), AppError> {
    let kind = ConsentKind::from_code(kind).ok_or(AppError::NotFound)?;
    if granted && !kind.given_online() {
        return Err(AppError::Forbidden);
    }
    let change = ConsentChange {
        holder: ConsentHolder::Beneficiary(account.id),
        kind,
        party: party.unwrap_or_default(),
        granted,
        method: BY_THE_PERSON_ONLINE,
        document_id: None,
        recorded_by: None,
    };
    awn_storage::consent::change(database, change, now_unix_seconds()).await?.map_err(|_| AppError::NotFound)?;
    Ok(())
}

/// Asks for the deletion of the account's data (kind `deletion`) or for a
/// correction (any other kind: the form offers only the two), saying what in
/// `details`; a refusal is on `details`.
pub async fn ask(
    database: &Database,
    account: &BeneficiaryAccount,
    kind: &str,
    details: Option<&str>,
) -> Result<Outcome, AppError> {
    // A beneficiary takes their own copy (the export); they ask only to
    // correct or to delete.
    let kind = match DataRequestKind::from_code(kind) {
        Some(DataRequestKind::Deletion) => DataRequestKind::Deletion,
        _ => DataRequestKind::Correction,
    };
    let submitted =
        awn_storage::data_requests::submit(database, account.id, kind, details.unwrap_or_default(), now_unix_seconds())
            .await?;
    Ok(match submitted {
        Ok(_) => Ok(()),
        Err(DataRequestProblem::TooLong) => Err(Refused::new("details", Problem::TooLong)),
        Err(_) => Err(Refused::new("details", Problem::Required)),
    })
}

/// Reads everything held about `beneficiary_id`, for the person themselves.
pub async fn export(database: &Database, beneficiary_id: i64, language: Language) -> Result<MyDataExport, AppError> {
    use awn_storage::{accounts, casework, complaints, consent, data_requests, disclosures, inquiries, requests};
    let account = accounts::beneficiary(database, beneficiary_id).await?.ok_or(AppError::NotFound)?;
    let mut my_requests = Vec::new();
    for summary in requests::list_for_beneficiary(database, beneficiary_id).await? {
        let Some(file) = casework::case_file(database, awn_domain::ids::RequestId::new(summary.id)).await? else {
            continue;
        };
        my_requests.push(MyRequestData {
            reference: file.reference.clone(),
            kind: file.support_kind_name(language).to_owned(),
            status: file.status.code().to_owned(),
            full_name: file.full_name,
            national_id: file.national_id,
            birth_date: file.birth_date,
            mobile: file.mobile,
            email: file.email,
            city: file.city,
            district: file.district,
            household_members: file.household_members,
            monthly_income: file.monthly_income,
            description: file.description,
            signature: file.signature,
            declaration_version: file.declaration_version,
            submitted_at: file.submitted_at,
            documents: file.documents.into_iter().map(|d| d.file_name).collect(),
            messages: file.messages.into_iter().map(|m| m.body).collect(),
            services: file
                .services
                .into_iter()
                .map(|s| {
                    format!(
                        "{} · {} {} · {:04}-{:02}-{:02}",
                        s.what, s.quantity, s.unit, s.delivered_on.year, s.delivered_on.month, s.delivered_on.day
                    )
                })
                .collect(),
        });
    }
    let line = ConsentLine::from;
    let register = consent::register(database, ConsentHolder::Beneficiary(beneficiary_id)).await?;
    Ok(MyDataExport {
        mobile: account.mobile.as_e164().to_owned(),
        language: account.language,
        requests: my_requests,
        inquiries: inquiries::for_beneficiary(database, beneficiary_id)
            .await?
            .into_iter()
            .map(|i| (i.question, i.answer))
            .collect(),
        complaints: complaints::for_beneficiary(database, beneficiary_id)
            .await?
            .into_iter()
            .map(|c| (c.body, c.resolution))
            .collect(),
        consents_in_force: consent::in_force(&register).iter().map(line).collect(),
        consent_history: register.iter().map(line).collect(),
        disclosures: disclosures::for_beneficiary(database, beneficiary_id)
            .await?
            .into_iter()
            .map(|d| (d.authority, d.order_reference, d.order_date, d.data_disclosed))
            .collect(),
        data_requests: data_requests::for_beneficiary(database, beneficiary_id)
            .await?
            .into_iter()
            .map(|d| DataRequestLine {
                kind: d.kind,
                details: d.details,
                status: d.status,
                due_at: d.due_at,
                outcome: d.outcome,
                created_at: d.created_at,
            })
            .collect(),
    })
}
