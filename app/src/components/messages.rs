//! Localized messages for errors.

use leptos::prelude::*;

use crate::{error::AppError, i18n::*};

/// The message a user sees for an error; never the technical detail.
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match &error {
        AppError::NotFound => t_string!(i18n, errors.not_found),
        AppError::Unavailable => t_string!(i18n, errors.unavailable),
        AppError::SignInRequired | AppError::StaffSignInRequired => t_string!(i18n, errors.sign_in_required),
        AppError::Forbidden => t_string!(i18n, errors.forbidden),
        AppError::PolicyNotAccepted => t_string!(i18n, errors.policy_not_accepted),
        AppError::Transport(_) => t_string!(i18n, errors.generic),
    };
    view! { <p class="notice notice--error" role="alert">{text}</p> }
}
