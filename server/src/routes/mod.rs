//! Plain HTTP routes outside the Leptos app.

pub mod analytics;
pub mod csv_file;
pub mod dev_outbox;
pub mod dev_scheduler;
pub mod documents;
pub mod health;
pub mod my_data;
pub mod preferences;
pub mod server_function_errors;
pub mod staff_files;
pub mod support;
pub mod surveys;
pub mod volunteer_account;
